"""The plan as JSON: stable, documented by a JSON Schema shipped in the package.

Keys come in the order of the model's fields, text is UTF-8 (Chinese names as written, not
escaped), and every collection is sorted by the engine, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import Any, TypeVar

import attrs

from ccrules._convert import converter, reason_json, text_json
from ccrules._reasons import MOST_FACTS, FactKey, fact_key
from ccrules.model import Fact, Message, Plan, Reason, Review

__all__ = [
    "PLAN_FORMAT",
    "REVIEW_FORMAT",
    "plan_from_json",
    "plan_schema",
    "plan_to_json",
    "review_from_json",
    "review_to_json",
]

PLAN_FORMAT = "ccrules.plan/1"
REVIEW_FORMAT = "ccrules.review/1"

T = TypeVar("T")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data, with its format tag first."""
    return {"format": PLAN_FORMAT, **converter.unstructure(plan)}


#: attrs class -> its field names, in order (what the converter unstructures)
_FIELDS: dict[type, tuple[str, ...]] = {}


#: a fact's fields as the encoder takes them, and its JSON text as decision rows hold it
#: (default separators), by what makes the fact (ccrules._reasons.fact_key)
_FACT_FIELDS: dict[FactKey, dict[str, Any]] = {}
_FACT_TEXT: dict[FactKey, str] = {}


def _by_fact(cache: dict[FactKey, T], fact: Fact, make: Callable[[Fact], T]) -> T:
    """``make(fact)``, kept in ``cache`` under what makes the fact (a float zero is not
    kept: -0.0 equals 0.0 but is written apart)."""
    key = fact_key(fact.name, fact.value, fact.source)
    if key is None:
        return make(fact)
    found = cache.get(key)
    if found is None:
        if len(cache) >= MOST_FACTS:
            cache.clear()
        found = cache[key] = make(fact)
    return found


def _fact_fields(fact: Fact) -> dict[str, Any]:
    return _by_fact(
        _FACT_FIELDS, fact, lambda f: {"name": f.name, "value": f.value, "source": f.source}
    )


def _fact_text(fact: Fact) -> str:
    return _by_fact(_FACT_TEXT, fact, lambda f: json.dumps(_fact_fields(f), ensure_ascii=False))


def _fields_of(value: object) -> Any:
    """One level of a model object for the C encoder: an attrs instance as a mapping of its
    fields (in field order, as the converter gives them), anything else as the converter
    unstructures it (dates and times). A reason's facts, millions in a large plan, come
    as ready mappings, made once per distinct fact."""
    kind = type(value)
    if kind is Reason:
        return reason_json(typing.cast(Reason, value), _fact_fields)
    if kind is Message:  # a report's title or summary: its English text, id and parameters
        return text_json(typing.cast(Message, value))
    names = _FIELDS.get(kind)
    if names is None:
        if not attrs.has(kind):
            return converter.unstructure(value)
        names = _FIELDS[kind] = tuple(field.name for field in attrs.fields(kind))
    return {name: getattr(value, name) for name in names}


def _dumps(data: Any, indent: int | None) -> str:
    """JSON text of model objects (or of their unstructured form), ending with a newline.

    On one line, the objects go to Python's C encoder a level at a time: the same text as
    unstructuring first, in about half the time and without the whole unstructured copy of a
    large plan in memory. Indented text takes the pure-Python encoder, fed the same way."""
    if indent is None:
        return _one_line(data) + "\n"
    return "".join(_indented(data, indent))


def _indented(data: Any, indent: int) -> Iterator[str]:
    """Indented JSON text of model objects in pieces, ending with a newline: the text of
    ``json.dumps(converter.unstructure(data), indent=indent)``, with each object turned into
    its fields only when the encoder reaches it, so that a plan of 50,000 agents is written
    without its unstructured copy (7 GiB at its peak, measured) ever existing."""
    encoder = json.JSONEncoder(
        ensure_ascii=False, indent=indent, default=_fields_of, check_circular=False
    )
    yield from encoder.iterencode(data)
    yield "\n"


def _blocks(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """The encoder's many small pieces joined into blocks of about ``size`` characters."""
    block: list[str] = []
    length = 0
    for piece in pieces:
        block.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(block)
            block, length = [], 0
    if block:
        yield "".join(block)


def plan_json_blocks(plan: Plan) -> Iterator[str]:
    """:func:`plan_to_json`'s text in blocks of about a megabyte, for writing a large plan
    to a file or stdout without holding its text."""
    return _blocks(_indented({"format": PLAN_FORMAT, **_fields_of(plan)}, 2))


def review_json_blocks(review: Review) -> Iterator[str]:
    """:func:`review_to_json`'s text in blocks (see :func:`plan_json_blocks`)."""
    return _blocks(_indented({"format": REVIEW_FORMAT, **_fields_of(review)}, 2))


def _one_line(value: Any) -> str:
    """One-line JSON of model objects (or JSON-ready values) by the C encoder."""
    return json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), default=_fields_of, check_circular=False
    )


#: items of a list encoded at a time when packing (enough to keep the encoder busy, few
#: enough that the text of a batch stays small)
_BATCH = 2000


def _packed(data: Mapping[str, Any]) -> bytes:
    """The one-line JSON text of ``data`` (``_dumps(data, None)``, byte for byte), as
    zlib-compressed UTF-8, encoded a key at a time and long lists a batch of items at a time:
    the text of a 50,000-agent plan (hundreds of megabytes) never exists whole."""
    packer = zlib.compressobj(1)
    chunks: list[bytes] = []

    def write(text: str) -> None:
        chunks.append(packer.compress(text.encode("utf-8")))

    write("{")
    for number, (key, value) in enumerate(data.items()):
        write(("," if number else "") + _one_line(key) + ":")
        if isinstance(value, list | tuple) and len(value) > _BATCH:
            write("[")
            for start in range(0, len(value), _BATCH):
                # a list's text is its items' texts joined by commas
                batch = _one_line(list(value[start : start + _BATCH]))
                write(("," if start else "") + batch[1:-1])
            write("]")
        else:
            write(_one_line(value))
    write("}\n")
    chunks.append(packer.flush())
    return b"".join(chunks)


def facts_json(facts: Sequence[Fact]) -> str:
    """A reason's facts as the history's decision rows hold them: the JSON of their
    unstructured form, with the default separators. The same facts recur on hundreds of
    thousands of reasons: each one's text is made once."""
    return "[" + ", ".join(_fact_text(fact) for fact in facts) + "]"


def plan_packed(plan: Plan) -> bytes:
    """The plan as the history stores it: :func:`plan_to_json` on one line, compressed."""
    return _packed({"format": PLAN_FORMAT, **_fields_of(plan)})


def review_packed(review: Review) -> bytes:
    """The review as the history stores it (see :func:`plan_packed`)."""
    return _packed({"format": REVIEW_FORMAT, **_fields_of(review)})


def unpacked(stored: str | bytes) -> str:
    """The JSON text of a stored plan or review: packed, or text as older histories hold."""
    return stored if isinstance(stored, str) else zlib.decompress(stored).decode("utf-8")


def plan_to_json(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON text, ending with a newline.

    :param indent: spaces per level; ``None`` writes it on one line, as the history stores
        it (a plan of 50,000 agents: a fifth of the time, half the bytes).
    """
    return _dumps({"format": PLAN_FORMAT, **_fields_of(plan)}, indent)


def plan_from_json(text: str) -> Plan:
    """Read a plan written by :func:`plan_to_json`."""
    data = json.loads(text)
    fmt = data.pop("format", None)
    if fmt != PLAN_FORMAT:
        raise ValueError(f"not a {PLAN_FORMAT} document (format {fmt!r})")
    return converter.structure(data, Plan)


def review_to_json(review: Review, *, indent: int | None = 2) -> str:
    """A cycle's review as JSON text (same conventions as the plan), ending with a newline;
    ``indent`` as for :func:`plan_to_json`."""
    return _dumps({"format": REVIEW_FORMAT, **_fields_of(review)}, indent)


def review_from_json(text: str) -> Review:
    """Read a review written by :func:`review_to_json`."""
    data = json.loads(text)
    fmt = data.pop("format", None)
    if fmt != REVIEW_FORMAT:
        raise ValueError(f"not a {REVIEW_FORMAT} document (format {fmt!r})")
    return converter.structure(data, Review)


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of plan JSON (``ccrules schema plan``)."""
    text = resources.files("ccrules").joinpath("schemas/plan.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
