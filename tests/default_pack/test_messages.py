"""The default pack's reasons as messages: English as before, Chinese from the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ccrules_packs.default
from ccrules._planjson import plan_from_json, plan_packed, plan_to_json, unpacked
from ccrules.i18n import clauses, msg, register_catalogue, text
from ccrules.model import Message, Report
from ccrules_packs.default.escalation import ordinal
from ccrules_packs.default.needs import _evaluators

from .scenario import Tiny

# the pack's catalogue, as ccrules registers it when it loads the pack
register_catalogue("default", "default", Path(ccrules_packs.default.__file__).parent / "locale")


def zh(item: str | Message) -> str:
    return text(item, "zh", plugin="default")


@pytest.mark.parametrize(
    ("number", "capitalized", "english", "chinese"),
    [
        (1, False, "first", "第一次"),
        (2, True, "Second", "第二次"),
        (8, False, "eighth", "第八次"),
        (9, False, "9th", "第 9 次"),
        (11, True, "11th", "第 11 次"),
        (12, False, "12th", "第 12 次"),
        (21, False, "21st", "第 21 次"),
        (22, False, "22nd", "第 22 次"),
        (23, False, "23rd", "第 23 次"),
        (111, False, "111th", "第 111 次"),
    ],
)
def test_ordinals_in_both_languages(
    number: int, capitalized: bool, english: str, chinese: str
) -> None:
    made = ordinal(number, capitalized=capitalized)
    assert text(made, "en") == english
    assert zh(made) == chinese


@given(st.lists(st.text(max_size=8), max_size=6))
def test_clauses_join_as_the_language_does(items: list[str]) -> None:
    joined = clauses(items)
    assert text(joined, "en") == "; ".join(items)
    assert zh(joined) == "；".join(items)


def test_uncalibrated_evaluators_are_a_term() -> None:
    shown = _evaluators(["QA-宽", "Wang, Fang"], ["+2.5", None])
    assert text(msg("{names}", names=shown), "en") == "QA-宽 +2.5, Wang, Fang uncalibrated"
    assert [zh(item) for item in shown] == [
        "QA-宽 +2.5",
        "Wang, Fang 未校准",
    ]


def test_a_corrected_gap_reads_in_chinese_with_the_names_unchanged() -> None:
    tiny = Tiny()
    for row in tiny.data["qa"]:
        if str(row["date"]) == "2026-10-19" or row["agent_id"] == "B2":
            row["evaluator"] = "QA-宽"
            row["score"] = min(10.0, float(row["score"]) + 1)
    need = next(n for n in tiny.plan().needs if n.id == "qa:B2:C3")
    reason = need.reasons[0]

    english = reason.text
    chinese = text(reason, "zh")

    assert "corrected by -" in english and "for lenient evaluators: QA-宽 +" in english
    assert "宽松" in chinese and "QA-宽 +" in chinese
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", chinese)  # no English words left


def test_a_report_titled_by_messages_survives_the_history() -> None:
    """The history packs a plan a level at a time: a report's title and summary that are
    messages come back as they were, as the plan's JSON writes them."""
    plan = Tiny().plan()
    report = Report(
        id="default.assessments",
        title=msg("Assessments before training"),
        summary=msg(
            "Needs deferred because nothing measured them; {owner} owns the assessments.",
            owner="QA",
        ),
        columns=("agent_id",),
        rows=(("A1",),),
    )
    plan = attrs.evolve(plan, reports=(*plan.reports, report))

    back = plan_from_json(unpacked(plan_packed(plan)))

    assert back == plan
    assert plan_to_json(plan, indent=None) == unpacked(plan_packed(plan))
