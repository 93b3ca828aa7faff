"""The ``procedurekit`` command line: the click group ``cli`` and the console entry point ``main``.

The group and the one error path are in :mod:`procedurekit.cli.app`; each
command group is a module of its own, imported only when one of its commands
is run or listed (``procedures``, ``authoring``, ``compare``, ``cases``,
``calendar``).
"""

from procedurekit.cli.app import cli, main

__all__ = ["cli", "main"]
