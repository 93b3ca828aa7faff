"""Bedford Borough, Central Bedfordshire and Luton: child protection plans and core groups.

TOML only: procedures/bedfordshire-luton.toml.
"""
