"""The healthy-mix pack (seed 003): voluntary offers, the non-business target, the mix report
and voluntary courses' uptake, on the tiny center.

The tiny center trains 110 person-minutes without this pack: 65 business (three 15-minute
pre-shift seats on C1, two 10-minute micro-videos on C3) and 45 non-business (A5's coaching
on C2, Empathy): a non-business share of 45 / 110 = 40.9%.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from tests.default_pack.scenario import Tiny, all_sessions, fact, rules

from ccrules import InputError, plan_to_json
from ccrules.model import Evaluation, Need, Outcome, Plan, Priority, PriorityStatus

AGENTS = ["A2", "A3", "A4", "A5", "B2", "B3"]  # active, role AG
PLANNED, DEFERRED = PriorityStatus.PLANNED, PriorityStatus.DEFERRED


def mix(**settings: Any) -> Tiny:
    """The tiny center with the healthy-mix pack enabled after the default pack."""
    tiny = Tiny()
    tiny.config["plugins"]["enabled"] = ["default", "healthy-mix"]
    if settings:
        tiny.config["plugins"]["healthy-mix"] = settings
    return tiny


def voluntary(
    tiny: Tiny,
    course_id: str,
    competency_id: str,
    *,
    max_group: int = 10,
    minutes: int = 60,
    is_voluntary: bool = True,
) -> Tiny:
    return tiny.add(
        "courses",
        course_id=course_id,
        title=f"自愿课 {course_id}",
        competency_id=competency_id,
        format="classroom",
        duration_minutes=minutes,
        max_group=max_group,
        voluntary="true" if is_voluntary else "false",
    )


def cohesion(
    tiny: Tiny,
    competency_id: str = "C4",
    course_id: str = "K6",
    *,
    category: str = "non-business",
    is_voluntary: bool = True,
) -> Tiny:
    """A competency nobody has QA evidence on, required of agents (AG) at 70, whose only
    course is a 60-minute classroom course for up to 10; TR1 can teach it."""
    tiny.add(
        "competencies",
        competency_id=competency_id,
        name=f"团队凝聚力 Team cohesion {competency_id}",
        category=category,
        kind="attitude",
        description="",
    )
    tiny.add("role_profiles", role_id="AG", competency_id=competency_id, required_level=70)
    tiny.add("trainer_skills", trainer_id="TR1", competency_id=competency_id, level=90)
    return voluntary(tiny, course_id, competency_id, is_voluntary=is_voluntary)


def offers(plan: Plan) -> list[Need]:
    return [n for n in plan.needs if n.source == "offer"]


def priority(plan: Plan, need_id: str) -> Priority:
    (found,) = [p for p in plan.priorities if p.need_id == need_id]
    return found


def promoted(plan: Plan) -> list[str]:
    """Needs the target rule planned, in rank order."""
    return [p.need_id for p in plan.priorities if "mix.target" in rules(p.reasons)]


def status(plan: Plan, *need_ids: str) -> list[PriorityStatus]:
    return [priority(plan, n).status for n in need_ids]


def mix_rows(plan: Plan, kind: str) -> dict[str, tuple[Any, ...]]:
    report = plan.report("healthy-mix.mix")
    return {str(row[1]): row for row in report.rows if row[0] == kind}


# --------------------------------------------------------------------------------------------
# mix.voluntary-offer


def test_a_voluntary_non_business_course_is_offered_to_the_agents_of_the_profile() -> None:
    tiny = cohesion(mix())
    plan = tiny.plan()

    found = offers(plan)
    assert [n.id for n in found] == [f"offer:K6:{a}" for a in AGENTS]  # not TLs, not B4 on leave
    need = found[0]
    assert (need.competency_id, need.course_id, need.priority) == ("C4", "K6", 30)
    assert need.expires == tiny.cycle_end
    assert need.severity == 0.1  # no QA evidence on C4: the documented constant
    assert (need.target_level, need.current_level) == (70.0, None)
    (reason,) = need.reasons
    assert (reason.rule, reason.plugin) == ("mix.voluntary-offer", "healthy-mix")
    assert "no QA score" in reason.text
    assert fact(reason, "seat") == 1 and fact(reason, "eligible") == 6
    assert fact(reason, "no_evidence_severity") == 0.1


def test_a_voluntary_business_course_is_not_offered() -> None:
    plan = cohesion(mix(), category="business").plan()

    assert offers(plan) == []


def test_a_compulsory_non_business_course_is_not_offered() -> None:
    plan = cohesion(mix(), is_voluntary=False).plan()

    assert offers(plan) == []
    assert not any(n.course_id for n in plan.needs)


def with_empathy_workshop(max_group: int, **settings: Any) -> Tiny:
    """A voluntary course on C2 (Empathy, AG requires 75): A5 scores 20, A2-A4, B2 and B3
    score 80; A6, new in T1, has no QA at all."""
    tiny = voluntary(mix(**settings), "K6", "C2", max_group=max_group)
    return tiny.add(
        "agents",
        agent_id="A6",
        name="孙悦",
        team_id="T1",
        role_id="AG",
        hire_date="2026-11-02",
        status="active",
    )


def test_offers_go_to_the_lowest_scores_first_up_to_the_courses_max_group() -> None:
    plan = with_empathy_workshop(max_group=3).plan()

    found = offers(plan)
    seats = {n.agent_id: fact(n.reasons[0], "seat") for n in found}
    assert seats == {"A6": 1, "A5": 2, "A2": 3}  # no evidence first, then 20, then 80 by id
    by_agent = {n.agent_id: n for n in found}
    assert by_agent["A5"].severity == pytest.approx(0.7333)  # (75 - 20) / 75
    assert by_agent["A2"].severity == 0.0  # 80 is above the 75 required
    assert fact(by_agent["A2"].reasons[0], "eligible") == 7


def test_offers_are_seated_in_the_offered_course() -> None:
    plan = with_empathy_workshop(max_group=3).plan()

    seated = {n: s.course_id for s in all_sessions(plan) for n in s.need_ids}
    assert {n.id: seated.get(n.id) for n in offers(plan)} == {
        "offer:K6:A2": "K6",
        "offer:K6:A5": "K6",  # A5 also has a QA gap on C2; the offer still names K6
        "offer:K6:A6": "K6",
    }


@pytest.mark.parametrize(
    ("cap", "agents"),
    [
        (2, ["A5", "A6"]),
        (6, ["A2", "A3", "A4", "A5", "A6", "B2"]),
        (7, ["A2", "A3", "A4", "A5", "A6", "B2", "B3"]),  # every eligible agent
        (0, ["A2", "A5", "A6"]),  # 0: the course's max_group
    ],
)
def test_max_offers_per_course_caps_the_offers(cap: int, agents: list[str]) -> None:
    plan = with_empathy_workshop(max_group=3, max_offers_per_course=cap).plan()

    assert sorted(n.agent_id for n in offers(plan)) == agents


@pytest.mark.parametrize(
    ("offer_to", "agents"),
    [("profile", AGENTS), ("all", ["A1", *AGENTS[:4], "B1", *AGENTS[4:]])],
)
def test_offer_to_all_reaches_roles_without_the_competency(
    offer_to: str, agents: list[str]
) -> None:
    plan = cohesion(mix(offer_to=offer_to)).plan()

    assert [n.agent_id for n in offers(plan)] == agents


# --------------------------------------------------------------------------------------------
# mix.target
#
# With one competency per agent (plugins.default.priorities), every offer on C4 is deferred:
# planned are 65 business and 45 non-business minutes (40.9%). Each offer adds 60 minutes, in
# rank order A2, A3, ...: 105/170 = 61.8%, 165/230 = 71.7%, 225/290 = 77.6%, ...,
# 405/470 = 86.2% with all six.


def one_competency(*competencies: str, **settings: Any) -> Tiny:
    tiny = mix(**settings).set("priorities", max_competencies_per_agent=1)
    for index, competency_id in enumerate(competencies):
        cohesion(tiny, competency_id, f"K{6 + index}")
    return tiny


def test_the_target_already_met_promotes_nothing() -> None:
    plan = one_competency("C4", target=0.40).plan()

    assert promoted(plan) == []
    assert status(plan, *(f"offer:K6:{a}" for a in AGENTS)) == [DEFERRED] * 6


def test_just_below_the_target_one_offer_is_promoted() -> None:
    plan = one_competency("C4", target=0.41).plan()

    assert promoted(plan) == ["offer:K6:A2"]
    reason = priority(plan, "offer:K6:A2").reasons[-1]
    assert reason.rule == "mix.target"
    assert fact(reason, "share_before") == pytest.approx(45 / 110, abs=1e-4)
    assert fact(reason, "share_after") == pytest.approx(105 / 170, abs=1e-4)
    assert fact(reason, "target") == 0.41
    assert "40.9%" in reason.text and "61.8%" in reason.text


def test_offers_are_promoted_exactly_until_the_target_and_not_beyond() -> None:
    plan = one_competency("C4", target=0.7).plan()

    assert promoted(plan) == ["offer:K6:A2", "offer:K6:A3"]  # 61.8% < 70% <= 71.7%
    assert status(plan, "offer:K6:A4", "offer:K6:B3") == [DEFERRED, DEFERRED]
    summary = plan.summary
    assert summary.non_business_minutes == 165 and summary.business_minutes == 65


def test_an_unreachable_target_changes_nothing_but_promotions() -> None:
    tiny = one_competency("C4", target=0.9).score("A2", "I3", 5)  # A2: C1 and C3 gaps
    baseline = one_competency("C4", target=0.0).score("A2", "I3", 5).plan()
    plan = tiny.plan()

    assert promoted(plan) == [f"offer:K6:{a}" for a in AGENTS]  # one per agent, all of them
    business = [p for p in baseline.priorities if not p.need_id.startswith("offer:")]
    assert [priority(plan, p.need_id).status for p in business] == [p.status for p in business]
    deferred = [p.need_id for p in plan.priorities if p.status is DEFERRED]
    assert deferred == ["qa:A2:C1"]  # A2 is planned on C3, further behind; never promoted
    report = plan.report("healthy-mix.mix")
    assert "below the 90% target" in report.summary
    nb, total = plan.summary.non_business_minutes, plan.summary.training_minutes
    assert nb / total < 0.9
    to_add = math.ceil((0.9 * total - nb) / (1 - 0.9) - 1e-9)  # (nb + x) / (total + x) = 0.9
    assert f"add about {to_add} minutes of non-business courses or voluntary offers" in (
        report.summary
    )


@pytest.mark.parametrize(
    ("extra", "planned"),
    [
        (0, []),
        (1, [f"offer:K6:{a}" for a in AGENTS]),
        (2, [f"offer:K{k}:{a}" for a in AGENTS for k in (6, 7)]),
    ],
)
def test_max_extra_per_agent_limits_promotions(extra: int, planned: list[str]) -> None:
    plan = one_competency("C4", "C5", target=0.95, max_extra_per_agent=extra).plan()

    assert sorted(promoted(plan)) == sorted(planned)


# --------------------------------------------------------------------------------------------
# mix.report


def test_the_report_counts_the_plans_minutes_and_meets_the_healthy_target() -> None:
    plan = mix().plan()

    report = plan.report("healthy-mix.mix")
    categories = mix_rows(plan, "category")
    assert categories["business"][3] == plan.summary.business_minutes == 65
    assert categories["non-business"][3] == plan.summary.non_business_minutes == 45
    assert categories["non-business"][4] == pytest.approx(0.4091)
    benchmarks = mix_rows(plan, "benchmark")
    assert [benchmarks[k][4] for k in ("typical", "healthy", "target")] == [0.08, 0.3, 0.3]
    assert mix_rows(plan, "gap")["gap"][3:5] == (0, 0.0)
    assert "meets the 30% target" in report.summary
    assert rules(report.reasons) == ["mix.report"]
    assert mix_rows(plan, "voluntary-course") == {}


@pytest.mark.parametrize(
    ("target", "meets", "to_add"),
    [(0.40, True, 0), (0.41, False, 1), (0.5, False, 20)],
)
def test_the_report_says_what_to_add_below_the_target(
    target: float, meets: bool, to_add: int
) -> None:
    plan = mix(target=target, max_extra_per_agent=0).plan()

    report = plan.report("healthy-mix.mix")
    assert ("meets the" in report.summary) is meets
    assert mix_rows(plan, "gap")["gap"][3] == to_add
    if not meets:
        assert f"add about {to_add} minutes of non-business courses" in report.summary


def test_the_report_lists_seats_of_every_voluntary_course() -> None:
    tiny = cohesion(mix(max_offers_per_course=4))
    voluntary(tiny, "K7", "C1", max_group=5)  # a voluntary business course: no offers
    plan = tiny.plan()

    rows = mix_rows(plan, "voluntary-course")
    k6 = [s for s in plan.sessions if s.course_id == "K6"]
    assert rows["K6"][5:] == (len(k6), sum(len(s.attendees) for s in k6), 4)
    assert rows["K6"][6] == 4  # every offer seated and placed
    assert rows["K7"][7] == 0
    report = plan.report("healthy-mix.mix")
    assert fact(report.reasons[0], "non_business_minutes") == plan.summary.non_business_minutes


# --------------------------------------------------------------------------------------------
# mix.uptake


def uptake(tiny: Tiny, attending: int) -> tuple[Plan, list[Evaluation]]:
    """Plan, then let the first ``attending`` seats of K6 (by session, agent) attend."""
    with tiny.engine() as engine:
        plan = engine.plan()
        seats = sorted((s.id, a) for s in plan.sessions if s.course_id == "K6" for a in s.attendees)
        outcomes = [
            Outcome(session_id, agent_id, attended=index < attending)
            for index, (session_id, agent_id) in enumerate(seats)
        ]
        evaluations = engine.evaluate(plan, outcomes)
    return plan, [e for e in evaluations if e.metric == "uptake"]


def test_uptake_is_attended_over_offered_seats() -> None:
    plan, found = uptake(cohesion(mix()), attending=4)

    (evaluation,) = found  # K6 only: the other courses are compulsory
    assert (evaluation.subject, evaluation.subject_id, evaluation.level) == ("course", "K6", 1)
    assert (evaluation.value, evaluation.n) == (pytest.approx(4 / 6, abs=1e-4), 6)
    assert evaluation.n == sum(len(s.attendees) for s in plan.sessions if s.course_id == "K6")
    assert rules(evaluation.reasons) == ["mix.uptake"]
    assert "4 of 6 offered seats" in evaluation.reasons[0].text


@pytest.mark.parametrize(("seats", "value"), [(2, None), (3, 2 / 3)])
def test_uptake_below_min_offers_is_not_enough_data(seats: int, value: float | None) -> None:
    _, found = uptake(cohesion(mix(max_offers_per_course=seats)), attending=2)

    (evaluation,) = found
    assert evaluation.n == seats
    if value is None:
        assert evaluation.value is None
        assert "not enough data" in evaluation.reasons[0].text.lower()
    else:
        assert evaluation.value == pytest.approx(value, abs=1e-4)


# --------------------------------------------------------------------------------------------
# settings and determinism


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("target", 1.5),
        ("target", -0.1),
        ("offer_to", "everyone"),
        ("max_offers_per_course", -1),
        ("no_evidence_severity", 1.2),
        ("owner", "NOPE"),
        ("max_extra_per_agent", -1),
        ("min_offers", 0),
    ],
)
def test_bad_settings_stop_the_run(key: str, value: Any) -> None:
    with pytest.raises(InputError) as raised:
        mix(**{key: value}).engine()

    assert [p.path for p in raised.value.problems] == [f"plugins.healthy-mix.{key}"]


@pytest.mark.parametrize("target", [0.0, 1.0])
def test_the_target_may_be_zero_or_one(target: float) -> None:
    with mix(target=target, owner="QA").engine() as engine:
        assert not [w for w in engine.warnings if w.path.startswith("plugins.healthy-mix")]


def test_no_non_business_course_is_a_warning() -> None:
    tiny = mix().remove("courses", course_id="K2")

    with tiny.engine() as engine:
        warnings = [(w.path, w.code) for w in engine.warnings]

    assert ("plugins.healthy-mix.target", "unreachable-setting") in warnings


def test_plans_are_byte_identical() -> None:
    first = one_competency("C4", "C5", target=0.9).plan()
    second = one_competency("C4", "C5", target=0.9).plan()

    assert promoted(first)
    assert plan_to_json(first) == plan_to_json(second)


def test_needs_sharing_a_promoted_seat_are_planned_with_it() -> None:
    # A5 is further behind on C1 than on C2, so with one competency C1 is planned and both
    # C2 needs (the QA gap and an fcr KPI mapped to C2) are deferred.
    tiny = one_competency(target=0.9).score("A5", "I1", 2)
    tiny.kpi(metric="fcr", below=0.85, competency="C2", owner="QA")
    plan = tiny.plan()

    assert "qa:A5:C2" in promoted(plan)
    ride = priority(plan, "kpi:fcr:A5:C2")
    assert ride.status is PLANNED
    assert ride.reasons[-1].rule == "mix.target"
    assert fact(ride.reasons[-1], "planned_with") == "qa:A5:C2"
