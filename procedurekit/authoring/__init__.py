"""Tools for people who write procedures: scaffold, format, schema, manual and coverage of sources."""
