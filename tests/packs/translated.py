"""Whether a rule pack's operator text reaches the reader in Chinese: its reasons and its
reports' titles, summaries and columns are messages (or column ids) that the pack's zh
catalogue, or ccrules' own, translates, and shown in Chinese they hold no English sentence
once the names from the data are taken out."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ccrules.i18n import catalogue_of, text
from ccrules.model import Message, Reason, Report

# An English sentence: three words of two or more Latin letters in a row. Ids (IN007,
# TR-10, 2026-W49), rule ids (needs.competency-gap), codes and file names do not count.
_ENGLISH = re.compile(r"(?<![\w.-])[A-Za-z]{2,}(?:[ ,;:']+[A-Za-z]{2,}){2,}(?![\w.-])")


def english_sentences(output: str, allowed: set[str]) -> list[str]:
    """Lines of ``output`` holding an English sentence, names from the data aside."""
    found = []
    for line in output.splitlines():
        stripped = line
        for name in sorted(allowed, key=len, reverse=True):  # a name may hold another
            stripped = stripped.replace(name, "")
        stripped = re.sub(r"\([a-z0-9_.-]+ [0-9][\w.+-]*\)", "", stripped)  # (plugin 0.1.0)
        stripped = re.sub(r"`[^`]*`|ccrules [a-z-]+ [^\s，。]*", "", stripped)  # commands
        if _ENGLISH.search(stripped):
            found.append(line)
    return found


#: columns of the center's data whose values are names, shown as written in every language
NAME_COLUMNS = ("name", "title", "question", "note", "comment")


def known(plugin: str) -> set[str]:
    """The message ids the zh catalogues of ``plugin`` and of ccrules translate."""
    found = catalogue_of(plugin, "zh")
    ids: set[str] = set()
    for part in (found, *getattr(found, "_parts", ())):
        ids.update(k for k in getattr(part, "_catalog", {}) if isinstance(k, str) and k)
    return ids


def reasons_in(item: object) -> Iterator[Reason]:
    """Every reason held by ``item`` (a plan, a review, a report, a list of them)."""
    if isinstance(item, Reason):
        yield item
    elif isinstance(item, tuple | list):
        for each in item:
            yield from reasons_in(each)
    elif attrs.has(type(item)):
        for field in attrs.fields(type(item)):
            yield from reasons_in(getattr(item, field.name))


def message_ids(message: Message, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """The id of ``message`` and of the messages nested in it, those in ``skip`` and their
    own nested messages left out."""
    if message.id in skip:
        return
    yield message.id
    for value in message.values:
        for each in value if isinstance(value, tuple) else (value,):
            if isinstance(each, Message):
                yield from message_ids(each, skip)


def untranslated(
    plugin: str,
    reasons: Iterable[Reason],
    reports: Iterable[Report] = (),
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """What of ``plugin``'s text has no Chinese: plain-text reasons, message ids (or nested
    terms, those in ``skip`` aside) and report columns missing from the catalogues."""
    ids = known(plugin)
    missing: set[str] = set()
    for reason in reasons:
        if reason.plugin != plugin:
            continue
        if isinstance(reason.message, str):
            missing.add(f"{reason.rule}: plain text {reason.message!r}")
            continue
        missing.update(
            f"{reason.rule}: {each!r}"
            for each in message_ids(reason.message, skip)
            if each not in ids
        )
    for report in reports:
        for part in (report.title, report.summary):
            if isinstance(part, str):
                missing.add(f"{report.id}: plain text {part!r}")
            else:
                missing.update(
                    f"{report.id}: {each!r}" for each in message_ids(part, skip) if each not in ids
                )
        missing.update(f"{report.id}: column {c!r}" for c in report.columns if c not in ids)
    return sorted(missing)


def data_names(data: Mapping[str, Sequence[Mapping[str, Any]]]) -> set[str]:
    """The names in a center's rows (agents, teams, courses, topics, questions...)."""
    return {
        value
        for rows in data.values()
        for row in rows
        for key, value in row.items()
        if isinstance(value, str) and value and any(part in key for part in NAME_COLUMNS)
    }


def folder_names(folder: Path) -> set[str]:
    """:func:`data_names` of a center folder's data/*.csv files."""
    data = {}
    for file in sorted((folder / "data").glob("*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            data[file.stem] = list(csv.DictReader(handle))
    return data_names(data)


def chinese(plugin: str, reasons: Iterable[Reason], reports: Iterable[Report] = ()) -> list[str]:
    """``plugin``'s reasons, and its reports' titles and summaries, shown in Chinese."""
    shown = [text(r, "zh") for r in reasons if r.plugin == plugin]
    for report in reports:
        shown += [text(report.title, "zh", plugin), text(report.summary, "zh", plugin)]
    return shown


def english_in(shown: Iterable[str], names: set[str]) -> list[str]:
    """Lines of ``shown`` that still hold an English sentence, ``names`` aside."""
    return english_sentences("\n".join(shown), names)
