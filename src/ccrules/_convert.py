"""The one cattrs converter every boundary goes through, and its error reporting.

Strict on input: a TOML string is not silently a number, a float is not an int. Dates, times
and datetimes travel as ISO 8601 text. Structuring errors become :class:`Problem` records
naming the key path (``plugins.default.gaps.threshold``), never parsed from exception text.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from ccrules.errors import Problem

__all__ = ["converter", "structure_problems"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True)
"""The converter for center.toml, plugin settings, plan JSON, history rows and the API."""


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


class ExpectedError(ValueError):
    """A value of the wrong type; ``expected`` says what was wanted, in words."""

    def __init__(self, expected: str, value: object) -> None:
        self.expected = expected
        self.value = value
        super().__init__(f"expected {expected}, got {_type_name(value)} {value!r}")


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ExpectedError("text", value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpectedError("a whole number", value)
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpectedError("a number", value)
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ExpectedError("true or false", value)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ExpectedError("a date (YYYY-MM-DD)", value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ExpectedError("a date (YYYY-MM-DD)", value)


def _structure_datetime(value: object, _: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ExpectedError("a date and time (YYYY-MM-DDTHH:MM)", value)


def _structure_time(value: object, _: type) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise ExpectedError("a time of day (HH:MM)", value)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in cls)
        raise ExpectedError(f"one of {choices}", value) from None


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(dt.datetime, _structure_datetime)
converter.register_structure_hook(dt.date, _structure_date)
converter.register_structure_hook(dt.time, _structure_time)
converter.register_structure_hook_func(
    lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
)
converter.register_unstructure_hook(dt.datetime, lambda v: v.isoformat(timespec="minutes"))
converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
converter.register_unstructure_hook(dt.time, lambda v: v.isoformat(timespec="minutes"))

PathPart = str | int


def _walk(
    exc: BaseException, path: tuple[PathPart, ...]
) -> Iterator[tuple[tuple[PathPart, ...], BaseException]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                yield from _walk(sub, (*path, note.name))
            elif isinstance(note, IterableValidationNote):
                yield from _walk(sub, (*path, note.index))
            else:  # pragma: no cover - cattrs adds only the two notes above
                yield from _walk(sub, path)
        for sub in without:
            yield from _walk(sub, path)
    elif isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            yield from _walk(member, path)
    else:
        yield path, exc


def format_path(path: tuple[PathPart, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def structure_problems(
    exc: BaseException,
    file: str,
    root: tuple[PathPart, ...] = (),
    locate: Callable[[tuple[PathPart, ...]], int | None] | None = None,
) -> list[Problem]:
    """Turn a structuring error into problems, one per wrong value, each with its key path.

    :param file: the file the data came from, for the location.
    :param root: the key path of the structured value within that file.
    :param locate: finds the line of a key path in the file, when it can.
    """
    problems = []
    for path, error in _walk(exc, root):
        if isinstance(error, ForbiddenExtraKeysError):
            for key in sorted(error.extra_fields):
                key_path = (*path, key)
                problems.append(
                    Problem(
                        file=file,
                        line=locate(key_path) if locate else None,
                        path=format_path(key_path),
                        message=f"{format_path(key_path)}: unknown key {key!r}"
                        + _known_keys(error.cl),
                        code="unknown-key",
                    )
                )
            continue
        if isinstance(error, KeyError):
            key_path = (*path, str(error.args[0]))
            message = f"{format_path(key_path)}: missing required key"
            code = "missing-key"
            line_path = path
        elif isinstance(error, ExpectedError):
            message = f"{format_path(path)}: {error}"
            code = "wrong-type"
            line_path = path
        else:
            message = f"{format_path(path)}: {error}"
            code = "invalid"
            line_path = path
        problems.append(
            Problem(
                file=file,
                line=locate(line_path) if locate else None,
                path=format_path(line_path if code != "missing-key" else key_path),
                message=message,
                code=code,
            )
        )
    return problems


def _known_keys(cls: type) -> str:
    import attrs

    if attrs.has(cls):
        names = [f.alias or f.name for f in attrs.fields(cls)]
        return "; expected one of: " + ", ".join(names)
    return ""


def structure(value: Any, cls: type[T]) -> T:
    """Structure ``value`` into ``cls`` with the shared converter."""
    return converter.structure(value, cls)


def unstructure(value: Any) -> Any:
    """Unstructure ``value`` with the shared converter."""
    return converter.unstructure(value)
