"""Warrington Safeguarding Partnership: child protection conferences and core groups.

TOML only: the procedure is in procedures/warrington.toml. No hooks are
needed: every Warrington rule encoded here fits the procedure format.
"""
