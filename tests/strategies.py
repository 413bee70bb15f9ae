"""Hypothesis strategies built from the models' own type hints.

Every frozen attrs class of ccrules.model gets a strategy without hand-written per-class
code, so a new field is covered the day it is added.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from ccrules import model

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
NUMBER = st.floats(allow_nan=False, allow_infinity=False, width=64)


def for_type(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for values of the type hint ``tp``."""
    if tp is type(None):
        return st.none()
    if tp is str:
        return TEXT
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(10**6), 10**6)
    if tp is float:
        return NUMBER
    if tp is dt.datetime:
        return st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1))
    if tp is dt.date:
        return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
    if tp is dt.time:
        return st.times()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and attrs.has(tp):
        return for_class(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(for_type(a) for a in args))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(for_type(args[0]), max_size=3).map(tuple)
    if origin in (Mapping, dict) or origin is typing.get_origin(Mapping[str, int]):
        return st.dictionaries(for_type(args[0]), for_type(args[1]), max_size=3)
    raise NotImplementedError(f"no strategy for {tp!r}")


def for_class(cls: type) -> st.SearchStrategy[Any]:
    """A strategy building ``cls`` from strategies for each of its fields."""
    attrs.resolve_types(cls, globalns=vars(model))
    fields = {
        (f.alias or f.name): st.deferred(lambda t=f.type: for_type(t)) for f in attrs.fields(cls)
    }
    return st.builds(cls, **fields)


MODEL_CLASSES = tuple(
    getattr(model, name)
    for name in model.__all__
    if isinstance(getattr(model, name), type) and attrs.has(getattr(model, name))
)
