"""The plan as JSON: stable, documented by a JSON Schema shipped in the package.

Keys come in the order of the model's fields, text is UTF-8 (Chinese names as written, not
escaped), and every collection is sorted by the engine, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ccrules._convert import converter
from ccrules.model import Plan, Review

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


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data, with its format tag first."""
    return {"format": PLAN_FORMAT, **converter.unstructure(plan)}


def _dumps(data: Any, indent: int | None) -> str:
    if indent is None:  # Python's C encoder: about four times faster than indenting
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def plan_to_json(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON text, ending with a newline.

    :param indent: spaces per level; ``None`` writes it on one line, as the history stores
        it (a plan of 50,000 agents: a quarter of the time, half the bytes).
    """
    return _dumps(plan_to_dict(plan), indent)


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
    return _dumps({"format": REVIEW_FORMAT, **converter.unstructure(review)}, indent)


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
