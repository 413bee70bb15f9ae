"""The core evidence aggregates (ccrules._evidence.CORE_AGGREGATES) on hand-built data.

Every expected value is worked out by hand in the test, so a wrong aggregate SQL fails.
The cycle starts 2026-11-30, so the evidence window is the 90 days before it:
2026-09-01 .. 2026-11-29 (both inclusive).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import statistics
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccrules import Engine, Evidence

CONFIG = """
[center]
name = "证据中心"
model = "inhouse"

[[cycles]]
id = "2026-W49"
start = 2026-11-30
end = 2026-12-04

[plugins]
enabled = ["default"]
"""

D = dt.date
WINDOW = (D(2026, 9, 1), D(2026, 11, 29))
BEFORE = D(2026, 8, 31)  # the day before the window
CYCLE_START = D(2026, 11, 30)  # the day after the window

Row = dict[str, Any]
Data = dict[str, list[Row]]

OPTIONAL_AGGREGATES = (
    "evaluator_calibration",
    "kpi_values",
    "topic_signals",
    "topic_totals",
    "exam_results",
    "release_changes",
    "strategy_targets",
    "career_changes",
)
CORE = ("competency_scores", *OPTIONAL_AGGREGATES)


def competency(competency_id: str) -> Row:
    return {
        "competency_id": competency_id,
        "name": f"能力 {competency_id}",
        "category": "business",
        "kind": "knowledge",
    }


def agent(agent_id: str, team_id: str, role_id: str, status: str = "active") -> Row:
    # status is always written out: an empty status is no value (NULL), not the default
    return {
        "agent_id": agent_id,
        "name": f"坐席 {agent_id}",
        "team_id": team_id,
        "role_id": role_id,
        "status": status,
    }


def base() -> Data:
    """A minimal valid center.

    Teams T1, T2 (front-line) and QA (support); competencies C1-C3; role AG asks for C1 and
    C2, role TL for C1 only; agents A1, A2 (AG), A3 (TL) active and A4 (AG) on leave, so
    3 agents are active; QA items I1, I2 -> C1, I3 -> C2, I4 -> C3.
    """
    return {
        "teams": [
            {"team_id": "T1", "name": "一组", "function": "front-line"},
            {"team_id": "T2", "name": "二组", "function": "front-line"},
            {"team_id": "QA", "name": "质检组", "function": "support"},
        ],
        "competencies": [competency(c) for c in ("C1", "C2", "C3")],
        "roles": [
            {"role_id": "AG", "name": "Agent", "track": "front-line"},
            {"role_id": "TL", "name": "Team lead", "track": "management"},
        ],
        "role_profiles": [
            {"role_id": "AG", "competency_id": "C1", "required_level": 80},
            {"role_id": "AG", "competency_id": "C2", "required_level": 75},
            {"role_id": "TL", "competency_id": "C1", "required_level": 85},
        ],
        "agents": [
            agent("A1", "T1", "AG"),
            agent("A2", "T1", "AG"),
            agent("A3", "T2", "TL"),
            agent("A4", "T2", "AG", "leave"),
        ],
        "qa_items": [
            {"item_id": "I1", "competency_id": "C1"},
            {"item_id": "I2", "competency_id": "C1"},
            {"item_id": "I3", "competency_id": "C2"},
            {"item_id": "I4", "competency_id": "C3"},
        ],
        "qa": [],
        "trainers": [],
        "courses": [
            {
                "course_id": "K1",
                "title": "课程",
                "competency_id": "C1",
                "format": "classroom",
                "duration_minutes": 60,
            }
        ],
    }


def qa(
    evaluation_id: str,
    agent_id: str,
    date: dt.date,
    item_id: str,
    score: float,
    max_score: float = 10,
    evaluator: str = "QA1",
) -> Row:
    return {
        "evaluation_id": evaluation_id,
        "agent_id": agent_id,
        "date": date,
        "item_id": item_id,
        "score": score,
        "max_score": max_score,
        "evaluator": evaluator,
    }


TOPICS: list[Row] = [
    {"topic_id": "P1", "name": "滞纳金", "competency_id": "C1", "owner_team_id": "QA"},
    {"topic_id": "P2", "name": "退款", "competency_id": "C2", "owner_team_id": None},
    {"topic_id": "P3", "name": "开户", "competency_id": "C3", "owner_team_id": "QA"},
]


@contextlib.contextmanager
def evidence_of(data: Mapping[str, list[Row]]) -> Iterator[Evidence]:
    """The built evidence of a center made of ``data``."""
    with Engine.from_objects(CONFIG, data) as engine:
        evidence = engine.build_evidence()
        assert evidence.window == WINDOW
        yield evidence


def query(data: Mapping[str, list[Row]], sql: str) -> list[tuple[Any, ...]]:
    with evidence_of(data) as evidence:
        rows: list[tuple[Any, ...]] = evidence.sql(sql)
    return rows


def num(value: Any) -> float | None:
    """A DECIMAL, HUGEINT or DOUBLE result as a float (None stays None)."""
    return None if value is None else float(value)


# --------------------------------------------------------------------------------------------
# competency_scores


def test_competency_scores_by_hand() -> None:
    data = base()
    data["qa"] = [
        # E1 scores C1 twice (I1, I2) and C2 once (I3): one evaluation for each competency
        qa("E1", "A1", D(2026, 10, 1), "I1", 8),
        qa("E1", "A1", D(2026, 10, 1), "I2", 6),
        qa("E1", "A1", D(2026, 10, 1), "I3", 9),
        qa("E2", "A1", D(2026, 11, 15), "I1", 5),
        qa("E2", "A1", D(2026, 11, 15), "I3", 4, max_score=5),
        qa("E5", "A1", WINDOW[0], "I2", 10),  # first day of the window: in
        qa("E3", "A1", BEFORE, "I1", 0),  # the day before the window: out
        qa("E4", "A1", CYCLE_START, "I1", 0),  # the cycle's first day: out
        qa("E4", "A1", CYCLE_START, "I4", 0),  # out, so no A1/C3 row at all
        qa("E6", "A2", WINDOW[1], "I3", 3),  # last day of the window: in
    ]
    rows = query(
        data,
        "SELECT agent_id, competency_id, score, evaluations, items, first_date, last_date "
        "FROM competency_scores ORDER BY agent_id, competency_id",
    )
    got = [(a, c, num(s), int(e), int(i), f, last) for a, c, s, e, i, f, last in rows]
    assert got == [
        # A1/C1: E1 8+6, E2 5, E5 10 = 29 of 40 -> 72.5; evaluations E1, E2, E5 = 3; 4 items
        ("A1", "C1", 72.5, 3, 4, D(2026, 9, 1), D(2026, 11, 15)),
        # A1/C2: E1 9 of 10, E2 4 of 5 = 13 of 15 -> 86.66666.. -> 86.6667; E1, E2 = 2
        ("A1", "C2", 86.6667, 2, 2, D(2026, 10, 1), D(2026, 11, 15)),
        # A2/C2: 3 of 10 -> 30
        ("A2", "C2", 30.0, 1, 1, D(2026, 11, 29), D(2026, 11, 29)),
    ]
    with evidence_of(data) as evidence:
        scores = evidence.competency_scores("A1")
    assert [(s.competency_id, s.evaluations) for s in scores] == [("C1", 3), ("C2", 2)]


def test_competency_scores_count_evaluations_beyond_64_competencies() -> None:
    # 70 competencies K01..K70 (sorted order = number order), one item each (J01..J70).
    # Sorted, K01 is bit 0 of mask word 0, K64 bit 63 of word 0, K65 bit 0 of word 1,
    # K70 bit 5 of word 1.
    data = base()
    names = [f"{n:02d}" for n in range(1, 71)]
    data["competencies"] += [competency(f"K{n}") for n in names]
    data["qa_items"] += [{"item_id": f"J{n}", "competency_id": f"K{n}"} for n in names]
    touched = {
        "X1": ("01", "65", "70"),  # both words
        "X2": ("65", "70"),  # word 1 only
        "X3": ("01", "64"),  # word 0, lowest and highest bit
        "X4": ("64",),
        "X5": ("70",),
        "X6": ("02", "70"),  # outside the window: not counted
    }
    for evaluation, numbers in touched.items():
        day = BEFORE if evaluation == "X6" else D(2026, 10, int(evaluation[1:]))
        data["qa"] += [qa(evaluation, "A1", day, f"J{n}", 7) for n in numbers]
    # K01: X1, X3 = 2; K64: X3, X4 = 2; K65: X1, X2 = 2; K70: X1, X2, X5 = 3; K02: none
    expected = [("A1", "K01", 2), ("A1", "K64", 2), ("A1", "K65", 2), ("A1", "K70", 3)]
    with evidence_of(data) as evidence:
        got = evidence.sql(
            "SELECT agent_id, competency_id, evaluations, items, score "
            "FROM competency_scores ORDER BY agent_id, competency_id"
        )
        plain = evidence.sql(
            "SELECT q.agent_id, i.competency_id, count(DISTINCT q.evaluation_id) "
            "FROM qa q JOIN qa_items i USING (item_id) WHERE q.date BETWEEN $from AND $to "
            "GROUP BY ALL ORDER BY ALL"
        )
    assert [(a, c, int(e)) for a, c, e, _, _ in got] == expected
    assert [(a, c, int(e)) for a, c, e in plain] == expected
    # one item per evaluation and competency, each 7 of 10
    assert [(int(i), num(s)) for *_, i, s in got] == [(2, 70.0), (2, 70.0), (2, 70.0), (3, 70.0)]


# Dates around both ends of the window.
QA_DATES = (WINDOW[0], D(2026, 10, 15), WINDOW[1], BEFORE, CYCLE_START)


@st.composite
def qa_center(draw: st.DrawFn) -> Data:
    """Random QA: items I1..I5 on C1..C3; up to 6 evaluations, each of one agent (A1, A2)
    on one day, scoring some of the items."""
    data = base()
    mapping = {f"I{n}": draw(st.sampled_from(("C1", "C2", "C3"))) for n in range(1, 6)}
    data["qa_items"] = [{"item_id": i, "competency_id": c} for i, c in mapping.items()]
    for number in range(draw(st.integers(0, 6))):
        agent_id = draw(st.sampled_from(("A1", "A2")))
        day = draw(st.sampled_from(QA_DATES))
        for item_id in draw(st.lists(st.sampled_from(sorted(mapping)), unique=True)):
            max_score = draw(st.integers(1, 10))
            score = draw(st.integers(0, max_score))
            data["qa"].append(qa(f"E{number}", agent_id, day, item_id, score, max_score))
    return data


def reference_scores(data: Data) -> list[tuple[Any, ...]]:
    """competency_scores in plain Python."""
    competency_of = {i["item_id"]: i["competency_id"] for i in data["qa_items"]}
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in data["qa"]:
        if WINDOW[0] <= row["date"] <= WINDOW[1]:
            key = (row["agent_id"], competency_of[row["item_id"]])
            groups.setdefault(key, []).append(row)
    result = []
    for (agent_id, competency_id), rows in sorted(groups.items()):
        points = sum(r["score"] for r in rows)
        possible = sum(r["max_score"] for r in rows)
        dates = [r["date"] for r in rows]
        result.append(
            (
                agent_id,
                competency_id,
                round(100 * points / possible, 4),
                len({r["evaluation_id"] for r in rows}),
                len(rows),
                min(dates),
                max(dates),
            )
        )
    return result


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qa_center())
def test_competency_scores_match_a_plain_reference(data: Data) -> None:
    rows = query(
        data,
        "SELECT agent_id, competency_id, score, evaluations, items, first_date, last_date "
        "FROM competency_scores ORDER BY agent_id, competency_id",
    )
    expected = reference_scores(data)
    assert [(a, c, int(e), int(i), f, last) for a, c, _, e, i, f, last in rows] == [
        (a, c, e, i, f, last) for a, c, _, e, i, f, last in expected
    ]
    assert [num(r[2]) for r in rows] == pytest.approx([r[2] for r in expected], abs=1e-4)


# --------------------------------------------------------------------------------------------
# evaluator_calibration


def test_evaluator_calibration_by_hand() -> None:
    data = base()
    day = D(2026, 10, 1)
    rows = [
        # item I1: L 10/10 twice, H 6/10, M 8/10 (0-100: 100, 100, 60, 80)
        ("L", "I1", 10),
        ("L", "I1", 10),
        ("H", "I1", 6),
        ("M", "I1", 8),
        # item I2: L 10/10, H 6/10 twice (100; 60, 60)
        ("L", "I2", 10),
        ("H", "I2", 6),
        ("H", "I2", 6),
        # item I3: M alone; item I4: S alone
        ("M", "I3", 8),
        ("S", "I4", 7),
    ]
    data["qa"] = [
        qa(f"E{n}", "A1", day, item, score, evaluator=who)
        for n, (who, item, score) in enumerate(rows)
    ]
    # outside the window: would pull H's mean on I1 down and L's deviation up
    data["qa"].append(qa("E99", "A1", BEFORE, "I1", 0, evaluator="H"))
    got = {
        r[0]: (int(r[1]), int(r[2]), num(r[3]), num(r[4]))
        for r in query(
            data,
            "SELECT evaluator, items, compared, deviation, spread "
            "FROM evaluator_calibration ORDER BY evaluator",
        )
    }
    # Each item's norm is the mean of every evaluator's scores on it: I1 (100 + 100 + 60 +
    # 80) / 4 = 85; I2 (100 + 60 + 60) / 3 = 73.3333; I3 and I4 have one evaluator only.
    # L: 100 - 85 = 15 twice, 100 - 73.3333 = 26.6667 -> deviation 18.8889
    lenient = [15, 15, 100 - 220 / 3]
    # H: 60 - 85 = -25, 60 - 73.3333 = -13.3333 twice -> deviation -17.2222
    harsh = [-25, 60 - 220 / 3, 60 - 220 / 3]
    # M: on I1 80 - 85 = -5; I3 has no other evaluator: 2 items, 1 compared, no spread.
    assert set(got) == {"H", "L", "M", "S"}
    assert got["L"][:2] == (3, 3)
    assert got["L"][2:] == pytest.approx(
        (statistics.mean(lenient), statistics.stdev(lenient)), abs=1e-4
    )
    assert got["L"][2:] == pytest.approx((18.8889, 6.7358), abs=1e-4)
    assert got["H"][:2] == (3, 3)
    assert got["H"][2:] == pytest.approx(
        (statistics.mean(harsh), statistics.stdev(harsh)), abs=1e-4
    )
    assert got["H"][2:] == pytest.approx((-17.2222, 6.7358), abs=1e-4)
    assert got["M"][:2] == (2, 1)
    assert got["M"][2] == pytest.approx(80 - 85, abs=1e-4)
    assert got["M"][3] is None
    assert got["S"] == (1, 0, None, None)  # alone on its item: nothing to compare
    assert got["L"][2] is not None and got["L"][2] > 0  # lenient
    assert got["H"][2] is not None and got["H"][2] < 0  # harsh


# --------------------------------------------------------------------------------------------
# topic_signals, topic_totals


def test_topic_signals_and_totals_by_hand() -> None:
    data = base()
    data["topics"] = copy.deepcopy(TOPICS)

    def call(agent: str, day: dt.date, topic: str, passed: bool, errors: int) -> Row:
        return {
            "agent_id": agent,
            "date": day,
            "topic_id": topic,
            "passed": passed,
            "errors": errors,
        }

    data["test_calls"] = [
        call("A1", D(2026, 10, 5), "P1", False, 2),
        call("A1", D(2026, 10, 20), "P1", True, 0),
        call("A1", D(2026, 11, 10), "P1", False, 1),
        call("A1", D(2026, 8, 15), "P1", False, 5),  # out
        call("A2", D(2026, 11, 1), "P1", True, 1),  # passed, with an error
        call("A3", D(2026, 8, 1), "P3", False, 1),  # out: P3 has no signal at all
    ]
    data["dissatisfied_contacts"] = [
        {"contact_id": "D1", "agent_id": "A1", "date": D(2026, 11, 20), "topic_id": "P1"},
        {"contact_id": "D2", "agent_id": "A2", "date": WINDOW[0], "topic_id": "P1"},
        {"contact_id": "D3", "agent_id": "A2", "date": D(2026, 12, 1), "topic_id": "P1"},  # out
    ]
    data["floor_help"] = [
        {"agent_id": "A2", "date": D(2026, 10, 10), "topic_id": "P1"},
        {"agent_id": "A2", "date": D(2026, 10, 11), "topic_id": "P1"},
        {"agent_id": "A1", "date": WINDOW[1], "topic_id": "P2"},
        {"agent_id": "A1", "date": CYCLE_START, "topic_id": "P2"},  # out
    ]
    with evidence_of(data) as evidence:
        signals = evidence.sql(
            "SELECT agent_id, topic_id, competency_id, owner_team_id, test_calls, "
            "test_calls_failed, test_call_errors, dissatisfied, floor_help, last_date "
            "FROM topic_signals ORDER BY agent_id, topic_id"
        )
        totals = evidence.sql(
            "SELECT topic_id, competency_id, owner_team_id, agents, test_calls, "
            "test_calls_failed, dissatisfied, floor_help, agent_share "
            "FROM topic_totals ORDER BY topic_id"
        )
    ints = (4, 5, 6, 7, 8)
    assert [tuple(int(v) if n in ints else v for n, v in enumerate(r)) for r in signals] == [
        # A1/P1: 3 test calls in the window, 2 failed, errors 2 + 0 + 1 = 3; D1; no help;
        # last 11-20 (D1)
        ("A1", "P1", "C1", "QA", 3, 2, 3, 1, 0, D(2026, 11, 20)),
        # A1/P2: one floor-help request on the window's last day
        ("A1", "P2", "C2", None, 0, 0, 0, 0, 1, D(2026, 11, 29)),
        # A2/P1: one passed call with 1 error (11-01), D2 (09-01), help twice (10-10, 10-11)
        ("A2", "P1", "C1", "QA", 1, 0, 1, 1, 2, D(2026, 11, 1)),
    ]
    assert [(*r[:3], *(int(v) for v in r[3:8]), num(r[8])) for r in totals] == [
        # P1: A1 and A2; calls 3 + 1, failed 2 + 0, dissatisfied 1 + 1, help 0 + 2;
        # share 2 agents / 3 active agents (A4 is on leave) = 0.6667
        ("P1", "C1", "QA", 2, 4, 2, 2, 2, 0.6667),
        # P2: A1 only, help 1; share 1 / 3 = 0.3333
        ("P2", "C2", None, 1, 0, 0, 0, 1, 0.3333),
    ]


# --------------------------------------------------------------------------------------------
# exam_results


def exam(
    exam_id: str,
    agent: str,
    day: dt.date,
    competency_id: str,
    score: float,
    pass_mark: float,
    max_score: float = 100,
) -> Row:
    return {
        "exam_id": exam_id,
        "agent_id": agent,
        "date": day,
        "competency_id": competency_id,
        "score": score,
        "pass_mark": pass_mark,
        "max_score": max_score,
    }


def test_exam_results_report_the_latest_exam() -> None:
    data = base()
    # Exam ids sort against their dates: EX-B is the earlier sitting, EX-A the later one.
    data["exams"] = [
        exam("EX-B", "A1", D(2026, 9, 15), "C1", 90, 70),  # passed
        exam("EX-A", "A1", D(2026, 10, 20), "C1", 30, 35, max_score=50),  # failed, latest
        exam("EX-Z", "A1", D(2026, 6, 1), "C1", 10, 70),  # out: before the window
        exam("EX-0", "A1", D(2026, 12, 2), "C1", 100, 70),  # out: after the window
        exam("EX-A", "A1", D(2026, 10, 20), "C2", 15, 16, max_score=20),
        exam("EX-B", "A2", D(2026, 9, 15), "C1", 70, 70),  # exactly the pass mark: passed
    ]
    rows = query(
        data,
        "SELECT agent_id, competency_id, exam_id, date, score, pass_mark, passed, exams, "
        "failed FROM exam_results ORDER BY agent_id, competency_id",
    )
    got = [(*r[:4], num(r[4]), num(r[5]), r[6], int(r[7]), int(r[8])) for r in rows]
    assert got == [
        # A1/C1: latest EX-A: 30/50 -> 60, pass mark 35/50 -> 70, failed; 2 exams in the
        # window (EX-B passed, EX-A failed) -> 1 failed
        ("A1", "C1", "EX-A", D(2026, 10, 20), 60.0, 70.0, False, 2, 1),
        # A1/C2: 15/20 -> 75, pass mark 16/20 -> 80, failed
        ("A1", "C2", "EX-A", D(2026, 10, 20), 75.0, 80.0, False, 1, 1),
        # A2/C1: 70/100 with a pass mark of 70: passed
        ("A2", "C1", "EX-B", D(2026, 9, 15), 70.0, 70.0, True, 1, 0),
    ]


# --------------------------------------------------------------------------------------------
# release_changes


def test_release_changes_by_hand() -> None:
    data = base()
    data["topics"] = copy.deepcopy(TOPICS)

    def change(release: str, day: dt.date, text: str, competency_id: str, topic: str | None) -> Row:
        return {
            "release_id": release,
            "date": day,
            "product": f"产品 {release}",
            "change": text,
            "competency_id": competency_id,
            "topic_id": topic,
        }

    data["releases"] = [
        change("R0", D(2026, 8, 20), "old change", "C1", "P1"),  # before the window: out
        change("R1", D(2026, 10, 1), "b change", "C1", "P1"),
        change("R1", D(2026, 10, 1), "a change", "C1", "P2"),
        change("R1", D(2026, 10, 1), "c change", "C2", None),
        change("R2", D(2026, 12, 10), "z change", "C1", "P1"),  # after the cycle: in
        change("R2", D(2026, 12, 10), "y change", "C3", None),
    ]
    rows = query(
        data,
        "SELECT release_id, competency_id, date, product, changes, change_list, topics, "
        "agents FROM release_changes ORDER BY release_id, competency_id",
    )
    got = [(*r[:4], int(r[4]), r[5], r[6], int(r[7])) for r in rows]
    # Active agents asking for C1: A1, A2 (AG) and A3 (TL) = 3 (A4 on leave);
    # for C2: A1, A2 (AG only) = 2; for C3: nobody = 0.
    assert got == [
        ("R1", "C1", D(2026, 10, 1), "产品 R1", 2, "a change; b change", "P1, P2", 3),
        ("R1", "C2", D(2026, 10, 1), "产品 R1", 1, "c change", None, 2),
        ("R2", "C1", D(2026, 12, 10), "产品 R2", 1, "z change", "P1", 3),
        ("R2", "C3", D(2026, 12, 10), "产品 R2", 1, "y change", None, 0),
    ]


# --------------------------------------------------------------------------------------------
# strategy_targets


def test_strategy_targets_by_hand() -> None:
    data = base()

    def goal(
        goal_id: str, competency_id: str, role: str, target: float | None, weight: float
    ) -> Row:
        return {
            "goal_id": goal_id,
            "name": f"目标 {goal_id}",
            "competency_id": competency_id,
            "role_id": role,
            "target_level": target,
            "weight": weight,
        }

    data["strategy_goals"] = [
        goal("G1", "C1", "", 70, 2),  # empty role: every role
        goal("G1", "C2", "", 60, 2),
        goal("G2", "C1", "AG", 85, 1.5),
        goal("G3", "C2", "TL", None, 1),  # no target level
    ]
    rows = query(
        data,
        "SELECT role_id, competency_id, goals, weight, target_level "
        "FROM strategy_targets ORDER BY role_id, competency_id",
    )
    assert [(*r[:3], num(r[3]), num(r[4])) for r in rows] == [
        ("AG", "C1", "G1, G2", 2 + 1.5, max(70, 85)),
        ("AG", "C2", "G1", 2.0, 60.0),
        ("TL", "C1", "G1", 2.0, 70.0),
        ("TL", "C2", "G1, G3", 2 + 1, 60.0),  # G3's empty target does not count
    ]


# --------------------------------------------------------------------------------------------
# career_changes


def move(
    agent: str, day: dt.date, kind: str, team: str | None = None, role: str | None = None
) -> Row:
    return {"agent_id": agent, "date": day, "kind": kind, "to_team_id": team, "to_role_id": role}


CAREER_COLUMNS = (
    "agent_id, moves, team_changes, transfers, promotions, demotions, last_move_date, "
    "last_move_kind, next_move_date, next_move_kind, next_team_id, next_role_id"
)


def test_career_changes_by_hand() -> None:
    data = base()
    data["career_moves"] = [
        move("A1", D(2026, 8, 1), "transfer", "T2"),  # before the window: out
        move("A1", D(2026, 9, 10), "team-change", "T2"),
        move("A1", WINDOW[1], "promotion", "T2", "TL"),  # on the window's end: the last one
        move("A1", CYCLE_START, "team-change", "T1", "TL"),  # the cycle's start: the next one
        move("A1", D(2027, 1, 10), "demotion", "T2", "AG"),
        move("A2", D(2026, 12, 1), "transfer", "T2", "AG"),  # planned only
        move("A3", D(2026, 10, 1), "demotion", None, "AG"),  # past only
    ]
    rows = query(data, f"SELECT {CAREER_COLUMNS} FROM career_changes ORDER BY agent_id")
    got = [(r[0], *(int(v) for v in r[1:6]), *r[6:]) for r in rows]
    assert got == [
        # A1: 4 moves from 09-01 on (2 team changes, 1 promotion, 1 demotion);
        # last up to 11-29: the promotion; next after it: the team change of 11-30
        (
            *("A1", 4, 2, 0, 1, 1),
            *(D(2026, 11, 29), "promotion"),
            *(D(2026, 11, 30), "team-change", "T1", "TL"),
        ),
        ("A2", 1, 0, 1, 0, 0, None, None, D(2026, 12, 1), "transfer", "T2", "AG"),
        ("A3", 1, 0, 0, 0, 1, D(2026, 10, 1), "demotion", None, None, None, None),
    ]


def test_career_changes_next_move_fields_come_from_the_next_move_only() -> None:
    data = base()
    data["career_moves"] = [
        move("A1", D(2026, 12, 5), "promotion", None, "TL"),  # next move: no team
        move("A1", D(2027, 1, 10), "team-change", "T2", None),  # later: no role
    ]
    rows = query(data, f"SELECT {CAREER_COLUMNS} FROM career_changes ORDER BY agent_id")
    # the next move is the promotion: its team is unknown (NULL), its role TL
    assert [r[8:] for r in rows] == [(D(2026, 12, 5), "promotion", None, "TL")]


# --------------------------------------------------------------------------------------------
# absent files, determinism


def test_absent_optional_files_give_empty_aggregates() -> None:
    data = base()
    data["qa"] = [qa("E1", "A1", D(2026, 10, 1), "I1", 8)]
    with evidence_of(data) as evidence:
        for source in ("kpis", "topics", "test_calls", "exams", "releases", "career_moves"):
            assert not evidence.has(source)
        assert evidence.has("qa")
        assert evidence.sql("SELECT count(*) FROM competency_scores") == [(1,)]
        for table in OPTIONAL_AGGREGATES:
            if table != "evaluator_calibration":  # QA is given: one evaluator
                assert evidence.sql(f"SELECT count(*) FROM {table}") == [(0,)], table


def test_absent_optional_files_in_a_folder(tiny: Path) -> None:
    # tests/centers/tiny has no topics, test calls, exams, releases, goals or moves
    with Engine.from_folder(tiny) as engine:
        evidence = engine.build_evidence()
        assert evidence.sql("SELECT count(*) > 0 FROM competency_scores") == [(True,)]
        for table in ("topic_signals", "topic_totals", "exam_results", "release_changes"):
            assert evidence.sql(f"SELECT count(*) FROM {table}") == [(0,)], table
        for table in ("strategy_targets", "career_changes"):
            assert evidence.sql(f"SELECT count(*) FROM {table}") == [(0,)], table


def everything() -> Data:
    """One center with rows for every aggregate."""
    data = base()
    data["topics"] = copy.deepcopy(TOPICS)
    data["qa"] = [
        qa(f"E{n}", agent, D(2026, 9 + n % 3, 1 + n), item, (n * 7) % 11, 10, f"QA{n % 3}")
        for n, (agent, item) in enumerate(
            (a, i) for a in ("A1", "A2", "A3") for i in ("I1", "I2", "I3", "I4")
        )
    ]
    data["kpis"] = [
        {"agent_id": a, "period": D(2026, m, 1), "metric": "fcr", "value": 0.5 + m / 100}
        for a in ("A1", "A2")
        for m in (9, 10, 11)
    ]
    data["test_calls"] = [
        {"agent_id": "A1", "date": D(2026, 10, 5), "topic_id": "P1", "passed": False},
        {"agent_id": "A2", "date": D(2026, 10, 6), "topic_id": "P2", "passed": True},
    ]
    data["dissatisfied_contacts"] = [
        {"contact_id": "D1", "agent_id": "A1", "date": D(2026, 11, 2), "topic_id": "P1"}
    ]
    data["floor_help"] = [{"agent_id": "A3", "date": D(2026, 11, 3), "topic_id": "P3"}]
    data["exams"] = [exam("EX1", "A1", D(2026, 10, 1), "C1", 50, 60)]
    data["releases"] = [
        {
            "release_id": "R1",
            "date": D(2026, 12, 1),
            "product": "产品",
            "change": f"change {n}",
            "competency_id": c,
            "topic_id": "P1",
        }
        for n, c in enumerate(("C1", "C2", "C1"))
    ]
    data["strategy_goals"] = [
        {"goal_id": "G1", "name": "g", "competency_id": "C1", "role_id": "", "weight": 1}
    ]
    data["career_moves"] = [move("A1", D(2026, 12, 7), "transfer", "T2")]
    return data


def test_evidence_is_deterministic() -> None:
    dumps = []
    for _ in range(2):
        with evidence_of(everything()) as evidence:
            dumps.append({t: evidence.sql(f"SELECT * FROM {t} ORDER BY ALL") for t in CORE})
    first, second = dumps
    for table in CORE:
        assert first[table], f"{table} is empty: the test data should fill it"
        assert first[table] == second[table], table


def test_window_parameters_bind_by_whole_name() -> None:
    with evidence_of(base()) as evidence:
        rows = evidence.sql("SELECT $top_level, $to, $from", {"top_level": 90})
        assert rows == [(90, evidence.window[1], evidence.window[0])]
