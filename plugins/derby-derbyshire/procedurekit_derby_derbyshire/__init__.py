"""Derby and Derbyshire Safeguarding Children Partnership: implementation of child protection plans.

TOML only: procedures/derby-derbyshire.toml. The absent-chair rule ("another
member of the group should then chair and record the meeting") is a TOML
fallback chair rule with records = true, so no hook is needed.
"""
