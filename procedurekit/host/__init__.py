"""The host: finds plugins and their procedure files, resolves ``extends``, and asks the hooks.

:class:`~procedurekit.host.library.Library` is the facade applications use.
"""
