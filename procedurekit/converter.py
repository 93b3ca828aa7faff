"""The cattrs converter between TOML data and the model classes, and back.

In cattrs' own style: :func:`make_converter` builds a converter and
:func:`configure_converter` registers procedurekit's hooks on one. Every key
a table does not define is an error (``forbid_extra_keys``), and every hook
rejects a value of the wrong shape with :class:`InvalidValue`, which says what
was expected in words a procedure author can act on.

The loader uses one private converter, built on first use so that importing
procedurekit does not import cattrs. :func:`structure` raises only the errors
that mean "the input has the wrong shape" (:func:`input_errors`); any other
exception inside a hook is a bug and propagates as itself.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from procedurekit import model
from procedurekit.model.vocabulary import STRENGTH_WORDS, Strength
from procedurekit.durations import Duration, DurationError, Frequency, parse_duration, parse_frequency

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "InvalidValue", "make_converter", "configure_converter", "structure", "unstructure", "procedure_data",
    "input_errors", "first_unexpected", "missing_key", "describe_value", "noun",
]


class InvalidValue(ValueError):
    """Raised by structure hooks: a value of the wrong shape, with a precise code and message."""

    def __init__(self, code: str, message: str, step: tuple[int, ...] = ()):
        super().__init__(message)
        self.code = code
        self.step = step  # where inside the value, e.g. (2,) for a list item


def describe_value(value: object) -> str:
    """What a TOML value is, for a message: "a number 3", "text 'x'", "a list"."""
    kind = {
        bool: "true/false", int: "a number", float: "a number", str: "text",
        list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date and time",
        dt.time: "a time",
    }.get(type(value), type(value).__name__)
    shown = isinstance(value, (int, float, str)) and not isinstance(value, bool)
    return kind + (f" {value!r}" if shown else "")


def noun(cls: type) -> str:
    """A model class in words, with its article: ``ChairRule`` -> "a chair rule"."""
    name = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower().lstrip("_ ")
    article = "an" if name[0] in "aeiou" else "a"
    return {"procedure header": "the procedure"}.get(name, f"{article} {name}")


def _expect(kind: str, value: object) -> InvalidValue:
    return InvalidValue("wrong-type", f"expected {kind}, got {describe_value(value)}")


# -- hooks for single values -------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _expect('text in quotes ("...")', value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect("a whole number", value)
    if value < 0:
        raise InvalidValue("bad-value", f"expected a number of 0 or more, got {value}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expect("true or false (no quotes)", value)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _expect("a date such as 2024-05-10", value)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    allowed = [m.value for m in cls]
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            hint = _enum_hint(value, cls, allowed)
            raise InvalidValue("bad-value", f'"{value}" is not one of {", ".join(map(repr, allowed))}{hint}') \
                from None
    raise _expect(f"one of {', '.join(map(repr, allowed))}", value)


def _enum_hint(value: str, cls: type[enum.Enum], allowed: list[str]) -> str:
    """The value meant: a procedure's word for it ("shall" is "must") before the nearest spelling."""
    import difflib  # only to suggest a spelling

    meant = STRENGTH_WORDS.get(" ".join(value.lower().split())) if cls is Strength else None
    if meant is not None:
        return f'; "{value}" in a procedure means "{meant.value}": write "{meant.value}"'
    normal = value.strip().lower().replace(" ", "-").replace("_", "-")
    if normal in allowed:
        return f'; did you mean "{normal}"?'
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    return f'; did you mean "{close[0]}"?' if close else ""


def _structure_duration(value: object, cls: type) -> Duration:
    if not isinstance(value, str):
        raise InvalidValue("bad-duration", f'expected a duration in quotes such as "10 working days", '
                                           f"got {describe_value(value)}")
    try:
        return parse_frequency(value) if cls is Frequency else parse_duration(value)
    except DurationError as exc:
        raise InvalidValue("bad-duration", str(exc)) from None


def _structure_names(value: object, _: type) -> tuple[str, ...]:
    # A single name may be written without a list: roles = "lead-social-worker"
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise _expect('a list of text, e.g. ["a", "b"]', value)
    bad = [i for i, v in enumerate(value) if not isinstance(v, str)]
    if bad:
        raise InvalidValue("wrong-type", f"item {bad[0] + 1} of the list is {describe_value(value[bad[0]])}, "
                                         "expected text in quotes", (bad[0],))
    return tuple(value)


def _is_enum(t: object) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _is_duration(t: object) -> bool:
    return isinstance(t, type) and issubclass(t, Duration)


def _is_tuple_of_items(t: object) -> bool:
    """``tuple[X, ...]`` for anything but names (``tuple[str, ...]``) and sources, which have hooks."""
    args = typing.get_args(t)
    return (typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] is not str
            and t != model.Sources)


# -- hooks that structure their parts with the converter ---------------------------


def _tuple_hook(conv: Converter, t: Any) -> Callable[[object, type], tuple[Any, ...]]:
    """A hook for ``tuple[X, ...]`` written as a TOML list; every bad item is reported."""
    item = typing.get_args(t)[0]

    def structure(value: object, _: type) -> tuple[Any, ...]:
        from cattrs.errors import IterableValidationError, IterableValidationNote

        if not isinstance(value, list):
            raise _expect("a list [ ... ]", value)
        out, errors = [], []
        for i, v in enumerate(value):
            try:
                out.append(conv.structure(v, item))
            except Exception as exc:  # collected, raised as a group, sorted by structure()
                exc.__notes__ = [*getattr(exc, "__notes__", []),
                                 IterableValidationNote(f"Structuring item {i}", i, item)]
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring a list", errors, t)
        return tuple(out)

    return structure


def _sources_hook(conv: Converter) -> Callable[[object, type], tuple[model.Source, ...]]:
    """One citation as a table, or several as a list of tables."""
    structure_list = _tuple_hook(conv, model.Sources)

    def structure(value: object, _: type) -> tuple[model.Source, ...]:
        if isinstance(value, dict):
            return (conv.structure(value, model.Source),)
        if not isinstance(value, list):
            raise _expect("a table such as { doc = ..., section = ..., quote = ... } or a list of them", value)
        return structure_list(value, model.Sources)

    return structure


def _attrs_hook(conv: Converter, cls: type) -> Callable[[object, type], Any]:
    """A model class, written as a TOML table; its unknown keys are errors."""
    from cattrs.gen import make_dict_structure_fn

    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

    def structure(value: object, _: type) -> Any:
        if not isinstance(value, dict):
            if cls is model.ChairRule and isinstance(value, list):
                raise _expect(f"a table of keys for {noun(cls)}, such as "
                              '{ roles = ["lead-social-worker"], strength = "should" }', value)
            raise _expect(f"a table of keys for {noun(cls)}", value)
        return inner(value, cls)

    return structure


# -- the converter -----------------------------------------------------------------


def configure_converter(conv: Converter) -> None:
    """Register procedurekit's structure and unstructure hooks on *conv*.

    Later registrations win in cattrs, so the order matters: durations are
    attrs classes but are written as text, so their hook comes after the
    hook for attrs classes.
    """
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_names)
    conv.register_structure_hook_func(_is_enum, _structure_enum)
    conv.register_structure_hook_func(lambda t: t == model.Sources, _sources_hook(conv))
    conv.register_structure_hook_factory(attrs.has, functools.partial(_attrs_hook, conv))
    conv.register_structure_hook_func(_is_duration, _structure_duration)
    conv.register_structure_hook_factory(_is_tuple_of_items, functools.partial(_tuple_hook, conv))
    conv.register_unstructure_hook_func(_is_duration, str)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())


def make_converter() -> Converter:
    """A new converter for procedure files: extra keys forbidden, every error reported."""
    from cattrs import Converter

    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


@functools.cache
def _converter() -> Converter:
    # Built on first use so that importing procedurekit costs nothing; the
    # converter is immutable once configured, so sharing it is safe.
    return make_converter()


@functools.cache
def input_errors() -> tuple[type[Exception], ...]:
    """The exceptions :func:`structure` raises for input of the wrong shape (imported when first asked)."""
    from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

    return (BaseValidationError, ForbiddenExtraKeysError, InvalidValue)


def missing_key(exc: BaseException) -> str | None:
    """The key a table lacks, if *exc* is cattrs saying so, else ``None``.

    cattrs looks a required key up in its generated function and notes the
    attribute on the ``KeyError``; a ``KeyError`` raised deeper down, inside a
    hook, is not a missing key but a bug.
    """
    from cattrs.errors import AttributeValidationNote

    if not isinstance(exc, KeyError):
        return None
    names = [n.name for n in getattr(exc, "__notes__", []) if isinstance(n, AttributeValidationNote)]
    tb = exc.__traceback__
    if names and exc.args == (names[-1],) and tb is not None and tb.tb_next is None:
        return names[-1]
    return None


def first_unexpected(exc: BaseException) -> BaseException | None:
    """The first exception in *exc* (a group, or one error) that is not about the input's shape."""
    from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

    if isinstance(exc, (ForbiddenExtraKeysError, InvalidValue)):
        return None
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            found = None if missing_key(sub) else first_unexpected(sub)
            if found is not None:
                return found
        return None
    return exc


def structure(value: object, cls: Any) -> Any:
    """*value* (TOML data) as an instance of *cls*.

    Raises one of :func:`input_errors` when the value has the wrong shape.
    Any other exception, even one wrapped in a cattrs error group, is a bug
    in a hook and is raised as itself, so that it is never reported to a
    procedure author as a wrong type.
    """
    try:
        return _converter().structure(value, cls)
    except input_errors() as exc:
        bug = first_unexpected(exc)
        if bug is not None:
            raise bug from None  # its own traceback and cattrs' notes say where
        raise


def unstructure(obj: Any) -> Any:
    """Plain data (for JSON) from model objects; durations become their text."""
    return _converter().unstructure(obj)


def procedure_data(procedure: Any, *, plugin: str | None, file: str) -> dict[str, Any]:
    """A resolved procedure as ``show --format json`` and the HTTP API give it (docs/json.md): its items as
    plain data, the plugin and file it came from, and the format's version."""
    data: dict[str, Any] = unstructure(procedure)
    data.update(plugin=plugin, file=file, format_version=1)
    return data
