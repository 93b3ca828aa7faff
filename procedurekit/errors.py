"""The exception family for failures that are not bugs, each carrying the exit code it ends the command with.

A :class:`ProcedurekitError` says what went wrong in words for the person at
the keyboard. :class:`InputError` (exit 1) means the input has problems: a
procedure, a case file, a date outside the known calendar.
:class:`UsageError` (exit 2) means the command was asked for something that
does not exist or cannot be done as asked. The command line handles them in
one place (``procedurekit.cli.app``); any other exception is a bug and is
reported as an internal error (exit 3).
"""

from __future__ import annotations

__all__ = ["ProcedurekitError", "InputError", "UsageError"]


class ProcedurekitError(Exception):
    """A failure procedurekit can explain: *message* says what, :attr:`exit_code` how the command ends."""

    #: 1: problems found in the input; 2: the command was used wrongly
    exit_code: int = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(ProcedurekitError):
    """The input (procedures, plugins, case files, dates) has problems: exit status 1."""

    exit_code = 1


class UsageError(ProcedurekitError):
    """The command was used wrongly, e.g. it names a procedure that is not installed: exit status 2."""

    exit_code = 2
