"""Built-in behaviour, shipped as ordinary plugins.

Each module here implements hooks of :mod:`procedurekit.hookspecs` with
``trylast=True``, so a partnership's own implementation answers first. Any of
them can be left out by name (``get_plugin_manager(disable=[...])``).
"""

#: plugin name -> module, registered in this order by ``get_plugin_manager``
DEFAULT_PLUGINS = {
    "baselines": "procedurekit.builtins.baselines",
    "chairing": "procedurekit.builtins.chairing",
    "scheduling": "procedurekit.builtins.scheduling",
    "escalation": "procedurekit.builtins.escalation",
    "checks": "procedurekit.builtins.checks",
    "floor": "procedurekit.builtins.floor",
}
