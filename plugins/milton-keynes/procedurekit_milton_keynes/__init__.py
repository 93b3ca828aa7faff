"""Milton Keynes: the child protection plan (outline and detailed), core group duties, dissent and distribution.

TOML only: procedures/milton-keynes.toml.
"""
