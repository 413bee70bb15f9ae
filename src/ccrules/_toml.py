"""Reading center.toml, and finding the line of a key path for error messages.

tomllib gives values, not positions; operators need ``center.toml:12`` to fix a typo. The
locator scans table headers and ``key =`` lines, which covers the way center.toml files are
written (tables, arrays of tables, dotted keys); inside inline tables and arrays it points at
the line of the enclosing key.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ccrules.errors import ConfigError, Problem

PathPart = str | int

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> list[str] | None:
    """Split a TOML key (``a."b c".d``) into its parts; ``None`` if it is not a key."""
    parts: list[str] = []
    i = 0
    text = text.strip()
    while i < len(text):
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                return None
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            match = _BARE.match(text, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text):
            if text[i] != ".":
                return None
            i += 1
            while i < len(text) and text[i] in " \t":
                i += 1
    return parts or None


def _key_of_line(line: str) -> list[str] | None:
    """The key of a ``key = value`` line."""
    depth_quote = ""
    for i, char in enumerate(line):
        if depth_quote:
            if char == depth_quote:
                depth_quote = ""
        elif char in "\"'":
            depth_quote = char
        elif char == "=":
            return _split_key(line[:i])
        elif char == "#":
            return None
    return None


def locate(text: str, path: Sequence[PathPart]) -> int | None:
    """Return the 1-based line of ``path`` in the TOML ``text``; for a table only defined by
    its sub-tables or dotted keys, the first of those; else the line of its nearest ancestor."""
    return key_index(text).line(path)


@functools.lru_cache(maxsize=8)
def key_index(text: str) -> KeyIndex:
    """The :class:`KeyIndex` of ``text``, built once however many problems it locates (a
    center.toml with thousands of unknown tables is refused in one pass, not one per key)."""
    return KeyIndex(text)


class KeyIndex:
    """The lines of a TOML text's table headers and ``key =`` lines, by key path."""

    def __init__(self, text: str) -> None:
        self._first: dict[tuple[PathPart, ...], int] = {}  # a key or table: its first line
        self._inside: dict[tuple[PathPart, ...], int] = {}  # first line of a key under it
        for key, number in _keys(text):
            self._first.setdefault(key, number)
            for end in range(1, len(key)):
                self._inside.setdefault(key[:end], number)

    def line(self, path: Sequence[PathPart]) -> int | None:
        """The line of ``path``, as :func:`locate` says."""
        path = tuple(path)
        best: tuple[int, int] | None = None  # (matched length, line)
        for end in range(len(path), 0, -1):
            number = self._first.get(path[:end])
            if number is not None:
                best = (end, number)
                break
        inside = self._inside.get(path) if path else None
        if inside is not None and (best is None or best[0] < len(path)):
            return inside
        return best[1] if best else None


def _keys(text: str) -> Iterator[tuple[tuple[PathPart, ...], int]]:
    """Every table header and ``key =`` line of ``text``: its full key path and line."""
    table: list[PathPart] = []
    array_counts: dict[tuple[PathPart, ...], int] = {}
    multiline: str | None = None
    bracket_depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if multiline:
            if multiline in line:
                multiline = None
            continue
        if bracket_depth > 0:
            bracket_depth += line.count("[") - line.count("]")
            continue
        if not line or line.startswith("#"):
            continue
        candidate: list[PathPart] | None = None
        if line.startswith("[["):
            parts = _split_key(line[2 : line.find("]]")])
            if parts is None:
                continue
            key = tuple(parts)
            index = array_counts.get(key, 0)
            array_counts[key] = index + 1
            table = [*parts, index]
            candidate = list(table)
        elif line.startswith("["):
            parts = _split_key(line[1 : line.find("]")])
            if parts is None:
                continue
            table = list(parts)
            candidate = list(table)
        else:
            key_parts = _key_of_line(line)
            if key_parts is None:
                continue
            candidate = [*table, *key_parts]
            value = line.split("=", 1)[1].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    multiline = quote
            if value.startswith("["):
                bracket_depth = value.count("[") - value.count("]")
        yield tuple(candidate), number


def read_toml(text: str, file: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a :class:`ConfigError` with its line."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ConfigError(
            [
                Problem(
                    file=file,
                    message="TOML nested too deeply (tables or lists inside one another "
                    "thousands of levels down); write it flatter",
                    code="syntax",
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        message = getattr(error, "msg", None)
        if line is None:
            # Python < 3.14 keeps the position only in the message text it formats itself.
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
            if match:
                line, column = int(match.group(1)), int(match.group(2))
            message = re.sub(r"\s*\(at line \d+, column \d+\)$", "", str(error))
        if message == "Invalid value":  # tomllib's words for the usual mistake: text unquoted
            message += (
                '; expected text in quotes ("like this"), a number, true or false, a date '
                "(2026-11-30), a [list] or an {inline = table}"
            )
        elif message == "Illegal character '\\n'":  # the line ended inside a quoted text
            message += '; expected the closing quote (") of the text before the end of the line'
        raise ConfigError(
            [
                Problem(
                    file=file,
                    line=line,
                    column=column,
                    message=f"TOML syntax error: {message}",
                    code="syntax",
                )
            ]
        ) from None


def dump_toml(table: Mapping[str, Any]) -> str:
    """TOML text for a parsed table: what tomllib reads back as ``table``."""
    lines: list[str] = []
    _dump_table(table, (), lines)
    return "\n".join(lines).strip() + "\n"


def _dump_table(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    def is_table(value: object) -> bool:
        return isinstance(value, Mapping)

    def is_tables(value: object) -> bool:
        return isinstance(value, list) and bool(value) and all(map(is_table, value))

    scalars = [(k, v) for k, v in table.items() if not is_table(v) and not is_tables(v)]
    if path and (scalars or not table):
        lines += ["", f"[{_dotted(path)}]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in scalars]
    for key, value in table.items():
        if is_table(value):
            _dump_table(value, (*path, key), lines)
        elif is_tables(value):
            for item in value:
                inner: list[str] = []
                _dump_table(item, (*path, key), inner)
                # the first line of the nested dump is its [header]: make it an array item
                body = [line for line in inner if line]
                if body and body[0] == f"[{_dotted((*path, key))}]":
                    body = body[1:]
                lines += ["", f"[[{_dotted((*path, key))}]]", *body]


def _dotted(path: Sequence[str]) -> str:
    return ".".join(_key(p) for p in path)


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "")
    return key if bare.isascii() and bare.isalnum() else _string(key)


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:  # TOML takes no control character raw
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
