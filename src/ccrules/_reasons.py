"""Helpers for plugins to write reasons: every decision names its rule, plugin and version."""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules.model import Fact, FactValue, Message, Reason

__all__ = ["PluginRef"]


# Facts are immutable and repeat by the hundred thousand in a large plan (the same margin,
# setting and source on every trainer decision): equal facts are made once and shared.
# The cache is emptied when it grows large, so it holds no more than one plan's worth.
FactKey = tuple[object, type, object, object]
_FACTS: dict[FactKey, Fact] = {}
#: the most entries a cache of facts keeps before it is emptied
MOST_FACTS = 1 << 17


def fact_key(name: object, value: object, source: object) -> FactKey | None:
    """What makes a fact, for every cache that shares equal facts (made, read back,
    written): the value's type too, since True, 1 and 1.0 are equal keys; ``None`` for a
    float zero, since -0.0 equals 0.0 but is written apart."""
    if type(value) is float and value == 0.0:
        return None
    return (name, type(value), value, source)


def _fact(name: str, value: FactValue, source: str | None) -> Fact:
    key = fact_key(name, value, source)
    if key is None:
        return Fact(name, value, source)
    found = _FACTS.get(key)
    if found is None:
        if len(_FACTS) >= MOST_FACTS:
            _FACTS.clear()
        found = _FACTS[key] = Fact(name, value, source)
    return found


def _value(value: object) -> FactValue:
    kind = type(value)  # exact types first: facts are made by the hundred thousand
    if value is None or kind is str or kind is int or kind is bool:
        return value  # type: ignore[return-value]
    if kind is float:
        return round(value, 4)  # type: ignore[call-overload, no-any-return]
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@attrs.frozen
class PluginRef:
    """A plugin's identity, to stamp on the reasons it writes.

    ``name`` is the name the plugin is enabled under in center.toml (its entry-point name).
    """

    name: str
    version: str

    def reason(self, rule: str, text: str | Message, *facts: Fact, **values: object) -> Reason:
        """A :class:`~ccrules.model.Reason` by this plugin.

        :param rule: the rule id.
        :param text: one sentence for an operator: a message made with
            :func:`ccrules.i18n.msg`, translated from the plugin's catalogue when shown, or
            plain text (shown as it is in every language).
        :param facts: facts with a source.
        :param values: further facts by name (numbers are rounded to 4 decimals, dates
            written as ISO text); sorted by name.
        """
        extra = tuple(_fact(name, _value(value), None) for name, value in sorted(values.items()))
        return Reason(
            rule=rule,
            plugin=self.name,
            version=self.version,
            message=text,
            facts=(*facts, *extra),
        )

    @staticmethod
    def fact(name: str, value: object, source: str | None = None) -> Fact:
        """A fact with its source (a file and line, a table, or a setting path)."""
        return _fact(name, _value(value), source)
