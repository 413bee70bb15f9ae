"""Priorities stage of the default pack: priorities.rank."""

from __future__ import annotations

import pytest

from ccrules.model import CarryOver, Need, Plan, PriorityStatus

from .scenario import Tiny, all_sessions, baseline, fact, rules


def ranked(plan: Plan) -> list[str]:
    return [p.need_id for p in sorted(plan.priorities, key=lambda p: p.rank)]


def status(plan: Plan, need_id: str) -> PriorityStatus:
    (found,) = [p.status for p in plan.priorities if p.need_id == need_id]
    return found


def test_needs_rank_by_priority_then_severity_then_agent() -> None:
    plan = baseline()

    # priority 60: A5 C2 (severity 0.7333), A2-A4 C1 (0.25, by agent), B2 C3 (0.2143);
    # priority 50: the KPI need of B3.
    assert ranked(plan) == [
        "qa:A5:C2",
        "qa:A2:C1",
        "qa:A3:C1",
        "qa:A4:C1",
        "qa:B2:C3",
        "kpi:fcr:B3:C3",
    ]
    assert [p.rank for p in sorted(plan.priorities, key=lambda p: p.rank)] == [1, 2, 3, 4, 5, 6]
    assert {p.status for p in plan.priorities} == {PriorityStatus.PLANNED}
    for priority in plan.priorities:
        assert rules(priority.reasons) == ["priorities.rank"]


def test_priority_wins_over_severity() -> None:
    tiny = Tiny()
    tiny.pack["kpis"][0]["priority"] = 61  # B3's KPI need, severity 0.1429, lowest of all

    assert ranked(tiny.plan())[0] == "kpi:fcr:B3:C3"


def weak_a5() -> Tiny:
    """A5 behind on C2 (severity 0.7333) and on C1 (6 of 10 against 80: severity 0.25)."""
    return Tiny().score("A5", "I1", 6)


def test_needs_beyond_max_competencies_per_agent_are_deferred() -> None:
    plan = weak_a5().set("priorities", max_competencies_per_agent=1).plan()

    assert status(plan, "qa:A5:C2") is PriorityStatus.PLANNED
    assert status(plan, "qa:A5:C1") is PriorityStatus.DEFERRED
    (deferred,) = [p for p in plan.priorities if p.need_id == "qa:A5:C1"]
    assert fact(deferred.reasons[0], "max_competencies_per_agent") == 1
    # other agents have their own budget
    assert status(plan, "qa:A2:C1") is PriorityStatus.PLANNED
    # a deferred need gets no session
    assert not any("qa:A5:C1" in s.need_ids for s in all_sessions(plan))
    assert (plan.summary.needs_planned, plan.summary.needs_deferred) == (len(plan.needs) - 1, 1)


def test_max_competencies_per_agent_comes_from_settings() -> None:
    plan = weak_a5().set("priorities", max_competencies_per_agent=2).plan()

    assert status(plan, "qa:A5:C1") is PriorityStatus.PLANNED
    assert status(plan, "qa:A5:C2") is PriorityStatus.PLANNED


def test_a_second_need_on_a_planned_competency_uses_no_budget() -> None:
    # A5's csat need maps to C2, which its QA need already planned; it ranks last (priority
    # 50) after A5's C1 need (60), which the budget of one defers.
    tiny = weak_a5().set("priorities", max_competencies_per_agent=1)
    tiny.kpi(metric="csat", below=4.0, competency="C2", owner="QA")
    tiny.kpi_values("A5", "csat", 3.5, 3.5, 3.5)

    plan = tiny.plan()

    order = ranked(plan)
    assert order.index("qa:A5:C1") < order.index("kpi:csat:A5:C2")
    assert status(plan, "qa:A5:C2") is PriorityStatus.PLANNED
    assert status(plan, "qa:A5:C1") is PriorityStatus.DEFERRED
    assert status(plan, "kpi:csat:A5:C2") is PriorityStatus.PLANNED
    # served by the same session as the QA need
    (c2,) = [s for s in all_sessions(plan) if "A5" in s.attendees and s.competency_id == "C2"]
    assert set(c2.need_ids) == {"qa:A5:C2", "kpi:csat:A5:C2"}


# --------------------------------------------------------------------------------------------
# priorities.assess-first


def _unmeasured(mandatory: bool = False) -> CarryOver:
    """A need on C2 for A2 with the role's 75 as its target and nothing measured."""
    need = Need(
        id="goal:A2:C2",
        agent_id="A2",
        competency_id="C2",
        source="goal",
        severity=0.5,
        priority=90,
        owner_team="team-lead",
        target_level=75.0,
        mandatory=mandatory,
    )
    return CarryOver(need, "open", 0)


@pytest.mark.parametrize("assess", [True, False])
def test_an_unmeasured_need_is_assessed_first_not_trained(assess: bool) -> None:
    plan = Tiny().set("priorities", assess_unmeasured=assess).plan([_unmeasured()])

    (priority,) = [p for p in plan.priorities if p.need_id == "carried:goal:A2:C2"]
    trained = any("carried:goal:A2:C2" in s.need_ids for s in all_sessions(plan))
    reports = {r.id: r for r in plan.reports}
    if assess:
        assert priority.status is PriorityStatus.DEFERRED
        assert rules(priority.reasons) == ["priorities.assess-first"]
        assert "QA assesses it first" in priority.reasons[0].text
        assert not trained
        (row,) = reports["default.assessments"].rows
        assert row[0] == "A2" and row[3] == "C2" and row[6] == "QA"
    else:
        assert priority.status is PriorityStatus.PLANNED
        assert trained
        assert "default.assessments" not in reports


def test_a_mandatory_unmeasured_need_is_trained_anyway() -> None:
    plan = Tiny().plan([_unmeasured(mandatory=True)])

    (priority,) = [p for p in plan.priorities if p.need_id == "carried:goal:A2:C2"]
    assert priority.status is PriorityStatus.PLANNED
