"""The one cattrs converter every boundary goes through, and its error reporting.

Strict on input: a TOML string is not silently a number, a float is not an int. Dates, times
and datetimes travel as ISO 8601 text. Structuring errors become :class:`Problem` records
naming the key path (``plugins.default.gaps.threshold``), never parsed from exception text.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from ccrules._reasons import MOST_FACTS, FactKey, fact_key
from ccrules.errors import Problem
from ccrules.model import Fact, FactValue, Message, MessageValue, Reason, message_fields

__all__ = ["converter", "message_json", "reason_json", "structure_problems"]

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
        # a whole table or list is not repeated in the message: the line points at it
        shown = "" if isinstance(value, dict | list | tuple) else f" {value!r}"
        super().__init__(f"expected {expected}, got {_type_name(value)}{shown}")


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
    number = float(value)
    if not math.isfinite(number):  # nan compares false with everything: a rule would vanish
        raise ExpectedError("a finite number (not nan or inf)", value)
    return number


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


def _enum_aware(hook: Callable[[object, type], Any]) -> Callable[[object, type], Any]:
    """A hook registered for ``str`` (or ``int``) also receives StrEnum (IntEnum) fields;
    those must be checked against their members, not passed through as plain values."""

    def structure(value: object, cls: type) -> Any:
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            return _structure_enum(value, cls)
        return hook(value, cls)

    return structure


converter.register_structure_hook(str, _enum_aware(_structure_str))
converter.register_structure_hook(int, _enum_aware(_structure_int))
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(dt.datetime, _structure_datetime)
converter.register_structure_hook(dt.date, _structure_date)
converter.register_structure_hook(dt.time, _structure_time)
converter.register_structure_hook_func(
    lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
)


def _structure_fact_value(value: object, _: object) -> FactValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ExpectedError("text, a number, true/false or nothing", value)


def _minutes(value: dt.datetime | dt.time) -> str:
    """ISO text, to the minute when that loses nothing (plans are on a minute grid)."""
    if value.second == 0 and value.microsecond == 0:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


converter.register_structure_hook_func(lambda t: t == FactValue, _structure_fact_value)
converter.register_unstructure_hook(dt.datetime, _minutes)
converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
converter.register_unstructure_hook(dt.time, _minutes)


def _is_list_type(cls: Any) -> bool:
    """``tuple[X, ...]`` and ``list[X]``, the lists of center.toml and plan JSON."""
    args = typing.get_args(cls)
    if typing.get_origin(cls) is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return typing.get_origin(cls) is list and len(args) == 1


def _structure_list(value: object, cls: Any) -> Any:
    """A list, item by item. Text or a table is not a list: cattrs would take its letters or
    keys for items (``enabled = "default"`` as seven plugins)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ExpectedError("a list", value)
    item_type = typing.get_args(cls)[0]
    items: list[Any] = []
    errors: list[Exception] = []
    for index, item in enumerate(value):
        try:
            items.append(converter.structure(item, item_type))
        except Exception as error:
            note = IterableValidationNote(f"Structuring {cls} @ index {index}", index, item_type)
            error.__notes__ = [*getattr(error, "__notes__", []), note]
            errors.append(error)
    if errors:
        raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
    return tuple(items) if typing.get_origin(cls) is tuple else items


def _table_hook(cls: type) -> Callable[[object, type], Any]:
    """An attrs class from a table; anything else is reported as such, not as the
    AttributeError cattrs would raise."""
    structure_fields: Callable[[Mapping[str, Any], Any], Any] = (
        converter.gen_structure_attrs_fromdict(cls)
    )

    def structure(value: object, target: type) -> Any:
        if not isinstance(value, Mapping):
            raise ExpectedError("a table", value)
        return structure_fields(value, target)

    if cls is not Fact:
        return structure
    # Facts repeat by the hundred thousand in a plan read back (the same setting and source
    # on every decision): equal ones are structured once and shared, as the engine makes them
    known: dict[tuple[FactKey, int], Any] = {}

    def structure_fact(value: object, target: type) -> Any:
        if not isinstance(value, Mapping):
            raise ExpectedError("a table", value)
        try:
            key = fact_key(value["name"], value["value"], value.get("source"))
            if key is None:
                return structure_fields(value, target)
            cached = (key, len(value))
            found = known.get(cached)
        except (KeyError, TypeError):  # missing or unhashable: let the fields say what
            return structure_fields(value, target)
        if found is None:
            if len(known) >= MOST_FACTS:
                known.clear()
            found = known[cached] = structure_fields(value, target)
        return found

    return structure_fact


converter.register_structure_hook_func(_is_list_type, _structure_list)
converter.register_structure_hook_factory(attrs.has, _table_hook)


# -- reasons: the message id and its parameters, and the English text -----------------------


def _value_json(value: MessageValue) -> Any:
    kind = type(value)
    if kind is Message:
        return message_json(typing.cast(Message, value))
    if kind is tuple:
        return [_value_json(item) for item in typing.cast(tuple[MessageValue, ...], value)]
    return value


def message_json(message: Message) -> dict[str, Any]:
    """A message as plan JSON keeps it: its id and its parameters by name."""
    return {
        "message": message.id,
        "params": {
            name: _value_json(value)
            for name, value in zip(message_fields(message.id), message.values, strict=True)
        },
    }


def reason_json(reason: Reason, facts: Callable[[Fact], Any] | None = None) -> dict[str, Any]:
    """A reason as plan JSON keeps it: the rule, plugin and version; the text in English;
    the message id and parameters it is rendered from in any language (``null`` and ``{}``
    for plain text, shown as it is); the facts."""
    message = reason.message
    if type(message) is str:
        text, message_id, params = message, None, {}
    else:
        made = message_json(typing.cast(Message, message))
        text, message_id, params = reason.text, made["message"], made["params"]
    return {
        "rule": reason.rule,
        "plugin": reason.plugin,
        "version": reason.version,
        "text": text,
        "message": message_id,
        "params": params,
        "facts": [(facts or converter.unstructure)(fact) for fact in reason.facts],
    }


@attrs.frozen
class _ReasonForm:
    """A reason as plan JSON holds it (see :func:`reason_json`)."""

    rule: str
    plugin: str
    version: str
    text: str
    facts: tuple[Fact, ...] = ()
    message: str | None = None
    params: dict[str, Any] = attrs.Factory(dict)


def _value_from(value: object) -> MessageValue:
    if isinstance(value, Mapping):
        return _message_from(value.get("message"), value.get("params", {}))
    if isinstance(value, list):
        return tuple(_value_from(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ExpectedError("a message parameter (text, number, list or message)", value)


def _message_from(message_id: object, params: object) -> Message:
    if not isinstance(message_id, str):
        raise ExpectedError("a message id (text)", message_id)
    if not isinstance(params, Mapping):
        raise ExpectedError("a table of message parameters", params)
    names = message_fields(message_id)
    if set(params) != set(names):
        raise ValueError(
            f"the parameters of message {message_id!r} are {sorted(params)}, expected {list(names)}"
        )
    return Message(message_id, tuple(_value_from(params[name]) for name in names))


def _structure_reason(value: object, _: type) -> Reason:
    form = converter.structure(value, _ReasonForm)
    message: str | Message = (
        form.text if form.message is None else _message_from(form.message, form.params)
    )
    return Reason(form.rule, form.plugin, form.version, message, form.facts)


def _structure_message(value: object, _: type) -> Message:
    if not isinstance(value, Mapping):
        raise ExpectedError("a table", value)
    return _message_from(value.get("message"), value.get("params", {}))


def _is_text(cls: object) -> bool:
    return cls == (str | Message)


def text_json(value: str | Message) -> Any:
    """Text that may be a message: plain text as it is; a message as its English text, id
    and parameters."""
    if type(value) is str:
        return value
    message = typing.cast(Message, value)
    return {"text": message.render(), **message_json(message)}


def _structure_text(value: object, _: type) -> str | Message:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _message_from(value.get("message"), value.get("params", {}))
    raise ExpectedError("text or a message", value)


converter.register_unstructure_hook_func(_is_text, text_json)
converter.register_structure_hook_func(_is_text, _structure_text)
converter.register_structure_hook(Reason, _structure_reason)
converter.register_structure_hook(Message, _structure_message)
converter.register_unstructure_hook(Message, message_json)
converter.register_unstructure_hook(Reason, reason_json)

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
            # the attribute note already put the missing key at the end of the path
            key_path = path
            message = f"{format_path(key_path)}: missing required key"
            code = "missing-key"
            line_path = path[:-1]
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
