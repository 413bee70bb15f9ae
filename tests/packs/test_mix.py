"""The healthy-mix pack (seed 003): voluntary offers to those who signed up, the non-business
target, the mix report and voluntary courses' uptake, on the tiny center.

The tiny center trains 110 person-minutes without this pack: 65 business (three 15-minute
pre-shift seats on C1, two 10-minute micro-videos on C3) and 45 non-business (A5's coaching
on C2, Empathy): a non-business share of 45 / 110 = 40.9%. Its cycle is 2026-11-30 ..
2026-12-04; signups below are dated 2026-11-20 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.conftest import append_line
from tests.default_pack.scenario import Tiny, all_sessions, fact, rules
from tests.packs.translated import chinese, data_names, english_in, reasons_in, untranslated
from tests.test_bad_input import column_of, rejected

from ccrules import InputError, plan_from_json, plan_to_json
from ccrules.i18n import text
from ccrules.model import (
    CarryOver,
    Evaluation,
    Need,
    Outcome,
    Plan,
    Priority,
    PriorityStatus,
    Report,
)

Run = Callable[..., Result]
AGENTS = ["A2", "A3", "A4", "A5", "B2", "B3"]  # active, role AG
PLANNED, DEFERRED = PriorityStatus.PLANNED, PriorityStatus.DEFERRED
DAY = dt.date(2026, 11, 20)


def summary_of(report: Report) -> str:
    """A report's summary in English."""
    return text(report.summary, "en")


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


def signed(
    tiny: Tiny, course_id: str, *agents: str, day: dt.date = DAY, note: str | None = None
) -> Tiny:
    """``agents`` sign up for ``course_id`` on ``day`` (data/signups.csv)."""
    for agent_id in agents:
        tiny.add("signups", agent_id=agent_id, course_id=course_id, date=day, note=note)
    return tiny


def cohesion(
    tiny: Tiny,
    competency_id: str = "C4",
    course_id: str = "K6",
    *,
    category: str = "non-business",
    is_voluntary: bool = True,
    signups: tuple[str, ...] = tuple(AGENTS),
) -> Tiny:
    """A competency nobody has QA evidence on, required of agents (AG) at 70, whose only
    course is a 60-minute classroom course for up to 10; TR1 can teach it. ``signups`` sign
    up for the course."""
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
    voluntary(tiny, course_id, competency_id, is_voluntary=is_voluntary)
    return signed(tiny, course_id, *signups) if is_voluntary else tiny


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


def test_a_voluntary_non_business_course_is_offered_to_those_who_signed_up() -> None:
    tiny = cohesion(mix(), signups=("A3", "B2", "A1", "B4"))  # A1 is a TL, B4 on leave
    plan = tiny.plan()

    found = offers(plan)
    assert [n.id for n in found] == ["offer:K6:A1", "offer:K6:A3", "offer:K6:B2"]
    need = found[1]
    assert (need.competency_id, need.course_id, need.priority) == ("C4", "K6", 30)
    assert need.expires == tiny.cycle_end
    assert need.severity == 0.1  # no QA evidence on C4: the documented constant
    assert (need.target_level, need.current_level) == (70.0, None)
    (reason,) = need.reasons
    assert (reason.rule, reason.plugin) == ("mix.voluntary-offer", "healthy-mix")
    assert "signed up on 2026-11-20" in reason.text and "no QA score" in reason.text
    assert fact(reason, "signed_up") == "2026-11-20"
    assert fact(reason, "eligible") == 3 and fact(reason, "signups") == 4
    assert fact(reason, "no_evidence_severity") == 0.1


def test_nobody_is_offered_a_voluntary_course_without_signing_up() -> None:
    plan = cohesion(mix(), signups=()).plan()

    assert offers(plan) == []  # before signups, every agent of the profile was offered it
    assert not any(s.course_id == "K6" for s in plan.sessions)


def test_a_voluntary_business_course_is_not_offered() -> None:
    plan = cohesion(mix(), category="business").plan()

    assert offers(plan) == []


def test_a_compulsory_non_business_course_is_not_offered() -> None:
    plan = cohesion(mix(), is_voluntary=False).plan()

    assert offers(plan) == []
    assert not any(n.course_id for n in plan.needs)


def with_empathy_workshop(max_group: int, **settings: Any) -> Tiny:
    """A voluntary course on C2 (Empathy, AG requires 75): A5 scores 20, A2-A4, B2 and B3
    score 80; A6, new in T1, has no QA at all. Signups, first to last: B3, A2 (both on
    2026-11-10), A4 (11-12), A6 (11-15), A5 (11-18), B2 (11-25)."""
    tiny = voluntary(mix(**settings), "K6", "C2", max_group=max_group)
    tiny.add(
        "agents",
        agent_id="A6",
        name="孙悦",
        team_id="T1",
        role_id="AG",
        hire_date="2026-11-02",
        status="active",
    )
    for agent_id, day in (
        ("A4", 12),
        ("B3", 10),
        ("A2", 10),
        ("B2", 25),
        ("A5", 18),
        ("A6", 15),
    ):
        signed(tiny, "K6", agent_id, day=dt.date(2026, 11, day))
    return tiny


def test_seats_go_first_come_first_served_not_to_the_lowest_qa() -> None:
    plan = with_empathy_workshop(max_group=3).plan()

    found = offers(plan)
    seats = {n.agent_id: fact(n.reasons[0], "seat") for n in found}
    # by signup day, then agent id; A5 (QA 20) and A6 (no QA) signed up later and wait
    assert seats == {"A2": 1, "B3": 2, "A4": 3}
    assert fact(found[0].reasons[0], "eligible") == 6
    report = plan.report("healthy-mix.mix")
    assert "6 signup(s) for 3 seat(s), 3 waiting" in summary_of(report)


def test_severity_still_measures_the_gap_of_an_offer() -> None:
    plan = with_empathy_workshop(max_group=6).plan()

    by_agent = {n.agent_id: n for n in offers(plan)}
    assert by_agent["A5"].severity == pytest.approx(0.7333)  # (75 - 20) / 75
    assert by_agent["A2"].severity == 0.0  # 80 is above the 75 required
    assert by_agent["A6"].severity == 0.1  # no QA: the documented constant


def test_offers_are_seated_in_the_offered_course() -> None:
    plan = with_empathy_workshop(max_group=6).plan()

    seated = {n: s.course_id for s in all_sessions(plan) for n in s.need_ids}
    assert seated["offer:K6:A5"] == "K6"  # A5 also has a QA gap on C2; the offer names K6
    assert {seated.get(n.id) for n in offers(plan)} == {"K6"}


@pytest.mark.parametrize(
    ("cap", "agents"),
    [
        (2, ["A2", "B3"]),
        (5, ["A2", "A4", "A5", "A6", "B3"]),
        (7, ["A2", "A4", "A5", "A6", "B2", "B3"]),  # every signup
        (0, ["A2", "A4", "B3"]),  # 0: the course's max_group
    ],
)
def test_max_offers_per_course_caps_the_offers(cap: int, agents: list[str]) -> None:
    plan = with_empathy_workshop(max_group=3, max_offers_per_course=cap).plan()

    assert sorted(n.agent_id for n in offers(plan)) == agents


@pytest.mark.parametrize(("offer_to", "agents"), [("all", ["A1", "A2"]), ("profile", ["A2"])])
def test_offer_to_profile_keeps_only_signups_of_the_profile(
    offer_to: str, agents: list[str]
) -> None:
    plan = cohesion(mix(offer_to=offer_to), signups=("A1", "A2")).plan()  # A1: TL, no C4

    assert [n.agent_id for n in offers(plan)] == agents


@pytest.mark.parametrize(
    ("days", "dates", "agents"),
    [
        (
            60,
            ["2026-09-30", "2026-10-01", "2026-11-29", "2026-12-04", "2026-12-05"],
            ["A3", "A4", "A5"],
        ),
        (
            0,
            ["2026-09-30", "2026-10-01", "2026-11-29", "2026-12-04", "2026-12-05"],
            ["A2", "A3", "A4", "A5"],
        ),
        (
            10,
            ["2026-11-19", "2026-11-20", "2026-11-30", "2026-12-01", "2026-12-05"],
            ["A3", "A4", "A5"],
        ),
    ],
)
def test_a_signup_counts_within_signup_days_before_the_cycle_and_not_after_it(
    days: int, dates: list[str], agents: list[str]
) -> None:
    tiny = cohesion(mix(signup_days=days), signups=())
    for agent_id, day in zip(["A2", "A3", "A4", "A5", "B2"], dates, strict=True):
        signed(tiny, "K6", agent_id, day=dt.date.fromisoformat(day))

    assert [n.agent_id for n in offers(tiny.plan())] == agents


def test_a_second_signup_counts_once_from_the_earlier_day() -> None:
    tiny = with_empathy_workshop(max_group=3)
    signed(tiny, "K6", "A5", day=dt.date(2026, 11, 1), note="想早点学")  # A5 again, earlier
    plan = tiny.plan()

    found = {n.agent_id: n for n in offers(plan)}
    assert sorted(found) == ["A2", "A5", "B3"]
    reason = found["A5"].reasons[0]
    assert (fact(reason, "seat"), fact(reason, "signed_up")) == (1, "2026-11-01")
    assert fact(reason, "signups") == 6


def test_a_chinese_note_survives_into_the_reason_and_the_plan_json() -> None:
    note = "高峰期总是很紧张，想学调整方法"
    tiny = cohesion(mix(), signups=())
    signed(tiny, "K6", "A2", note=note)
    plan = tiny.plan()

    (offer,) = offers(plan)
    assert f'("{note}")' in offer.reasons[0].text
    assert fact(offer.reasons[0], "note") == note
    assert note in plan_to_json(plan)


# --------------------------------------------------------------------------------------------
# business or non-business: the course's own category, else its competency's


def test_a_courses_own_category_overrides_its_competencys() -> None:
    tiny = mix().update("courses", {"course_id": "K2"}, category="business")
    plan = tiny.plan()

    assert (plan.summary.business_minutes, plan.summary.non_business_minutes) == (110, 0)
    categories = mix_rows(plan, "category")
    assert (categories["business"][3], categories["non-business"][3]) == (110, 0)
    assert "0.0% of 110 placed training minutes" in summary_of(plan.report("healthy-mix.mix"))


def test_a_voluntary_course_made_non_business_on_a_business_competency_is_offered() -> None:
    tiny = voluntary(mix(), "K6", "C1")  # Compliance is business
    tiny.update("courses", {"course_id": "K6"}, category="non-business")
    signed(tiny, "K6", "A2", "A3")
    plan = tiny.plan()

    assert [n.id for n in offers(plan)] == ["offer:K6:A2", "offer:K6:A3"]
    assert fact(offers(plan)[0].reasons[0], "category") == "non-business"


def test_a_bad_course_category_is_an_input_error() -> None:
    tiny = mix().update("courses", {"course_id": "K2"}, category="soft-skill")

    with pytest.raises(InputError) as raised:
        tiny.engine()

    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.path) == ("data/courses.csv", 3, "category")
    assert problem.column == 8
    assert "'soft-skill' is not one of business, non-business" in problem.message


def test_no_non_business_course_by_the_courses_own_category_is_a_warning() -> None:
    tiny = mix().update("courses", {"course_id": "K2"}, category="business")

    with tiny.engine() as engine:
        warnings = [(w.path, w.code) for w in engine.warnings]

    assert ("plugins.healthy-mix.target", "unreachable-setting") in warnings


# --------------------------------------------------------------------------------------------
# data/signups.csv at the input gate


def folder_of(tiny: Tiny, tmp_path: Path) -> Path:
    folder = tmp_path / "center"
    folder.mkdir()
    tiny.write(folder)
    return folder


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        pytest.param(
            "A9,K6,2026-11-20,",
            "agent_id",
            "column \"agent_id\": unknown agent_id 'A9'; it is not in data/agents.csv",
            id="unknown-agent",
        ),
        pytest.param(
            "A2,K9,2026-11-20,",
            "course_id",
            "column \"course_id\": unknown course_id 'K9'; it is not in data/courses.csv",
            id="unknown-course",
        ),
        pytest.param(
            "A2,K6,2026-11-31,",
            "date",
            "column \"date\": '2026-11-31' is not a date (YYYY-MM-DD)",
            id="bad-date",
        ),
        pytest.param(
            "A2,K2,2026-11-20,想学",
            "course_id",
            "course_id: course K2 is not voluntary (courses.csv `voluntary` is false)",
            id="not-voluntary",
        ),
    ],
)
def test_a_bad_signup_row_stops_the_run_with_its_place(
    tmp_path: Path, cli: Run, line: str, column: str, expected: str
) -> None:
    folder = folder_of(cohesion(mix(), signups=("A3",)), tmp_path)
    signups = folder / "data" / "signups.csv"
    number = append_line(signups, line)
    col = column_of(signups, column)

    result = rejected(cli, folder)

    assert f"data/signups.csv:{number}:{col}: {expected}" in result.stderr
    error = result.error("data/signups.csv")
    assert (error["line"], error["column"], error["path"]) == (number, col, column)
    assert len(result.errors) == 1


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
    assert "at most 40.9%" in reason.text and "at most 61.8%" in reason.text


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
    assert "below the 90% target" in summary_of(report)
    nb, total = plan.summary.non_business_minutes, plan.summary.training_minutes
    assert nb / total < 0.9
    to_add = math.ceil((0.9 * total - nb) / (1 - 0.9) - 1e-9)  # (nb + x) / (total + x) = 0.9
    assert f"add about {to_add} minutes of non-business courses or voluntary offers" in (
        summary_of(report)
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


def test_a_target_met_by_the_placed_courses_promotes_nothing_past_the_cap() -> None:
    # A 5-minute micro-video on C2 next to K2: A5, far behind on C2, is coached in K2 (45
    # min), so the plan is 45 / 110 = 40.9% non-business. Counting the planned C2 seat at the
    # shortest course (5 min: 5 / 70 = 7.1%) took the 35% target for unmet and planned an
    # offer past the one-competency cap.
    tiny = one_competency("C4", target=0.35).course("K7", "C2", "micro-video", 5)
    plan = tiny.plan()

    assert promoted(plan) == []
    assert status(plan, *(f"offer:K6:{a}" for a in AGENTS)) == [DEFERRED] * 6
    summary = plan.summary
    assert summary.non_business_minutes / summary.training_minutes >= 0.35
    assert "meets the 35% target" in summary_of(plan.report("healthy-mix.mix"))


def test_every_promoted_seat_quotes_the_minutes_of_the_course_it_is_placed_in() -> None:
    # C2 has K2 coaching (45 min) and K7, a 10-minute micro-video: a deferred QA need on C2
    # could land in either, so it is not promoted (it was, quoting K7's 10 minutes while A5
    # was coached for 45); offers name K6 and are.
    tiny = one_competency(target=0.9).score("A5", "I1", 2).course("K7", "C2", "micro-video", 10)
    cohesion(tiny)
    plan = tiny.plan()

    assert "qa:A5:C2" not in promoted(plan)
    assert promoted(plan) == [f"offer:K6:{a}" for a in AGENTS]
    placed = {n: s for s in plan.sessions for n in s.need_ids}
    for need_id in promoted(plan):
        reason = priority(plan, need_id).reasons[-1]
        session = placed[need_id]
        assert fact(reason, "minutes") == session.duration_minutes == 60
        assert fact(reason, "course_id") == session.course_id == "K6"
        assert f"adds {session.duration_minutes} min ({session.course_id})" in reason.text


def test_a_need_whose_courses_are_all_one_length_is_promoted_with_their_minutes() -> None:
    tiny = one_competency(target=0.9).score("A5", "I1", 2)  # C2's only course: K2, 45 min
    plan = tiny.plan()

    reason = priority(plan, "qa:A5:C2").reasons[-1]
    assert reason.rule == "mix.target"
    assert (fact(reason, "minutes"), fact(reason, "course_id")) == (45, "K2")
    (session,) = [s for s in plan.sessions if "qa:A5:C2" in s.need_ids]
    assert (session.course_id, session.duration_minutes) == ("K2", 45)


def test_the_share_before_a_promotion_is_an_upper_bound_of_the_placed_share() -> None:
    # B2 and B3's C3 seats may be a 10-minute video or a 60-minute class: counted at 10 (the
    # shortest business course), the bound can only be above what is placed.
    plan = one_competency("C4", target=0.7).plan()

    first = priority(plan, "offer:K6:A2").reasons[-1]
    assert fact(first, "share_before") == pytest.approx(45 / 110, abs=1e-4)
    assert "at most 40.9%" in first.text and "(45 of 110)" in first.text
    summary = plan.summary
    assert summary.non_business_minutes / summary.training_minutes <= fact(
        priority(plan, promoted(plan)[-1]).reasons[-1], "share_after"
    )


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
    assert "meets the 30% target" in summary_of(report)
    assert rules(report.reasons) == ["mix.report"]
    assert mix_rows(plan, "voluntary-course") == {}
    assert mix_rows(plan, "open-seats") == {}


def test_open_seats_nobody_signed_up_for_are_announced() -> None:
    tiny = cohesion(mix(), signups=())
    voluntary(tiny, "K7", "C2", max_group=4)
    signed(tiny, "K7", "A2")
    plan = tiny.plan()

    report = plan.report("healthy-mix.mix")
    rows = mix_rows(plan, "open-seats")
    assert rows["K6"][6:] == (10, 0, 0)  # 10 seats open, none offered, nobody signed up
    assert rows["K7"][6:] == (3, 1, 1)
    assert (
        "Open seats to announce: 自愿课 K6 (K6) 10 of 10 (nobody signed up); 自愿课 K7 (K7) "
        "3 of 4 (1 signed up)."
    ) in summary_of(report)
    assert fact(report.reasons[0], "open_seat_courses") == 2


def test_the_report_says_what_agents_chose() -> None:
    tiny = cohesion(mix(), signups=("A2", "A3"))
    voluntary(tiny, "K7", "C2", max_group=2)
    signed(tiny, "K7", "A4", "A5", "B2")
    plan = tiny.plan()

    report = plan.report("healthy-mix.mix")
    assert (
        "What agents chose: 自愿课 K7 (K7) 3 signup(s) for 2 seat(s), 1 waiting, 自愿课 K6 (K6) "
        "2 signup(s)."
    ) in summary_of(report)
    rows = mix_rows(plan, "voluntary-course")
    assert (rows["K6"][8], rows["K7"][8]) == (2, 3)
    assert fact(report.reasons[0], "signups") == 5


@pytest.mark.parametrize(
    ("target", "meets", "to_add"),
    [(0.40, True, 0), (0.41, False, 1), (0.5, False, 20)],
)
def test_the_report_says_what_to_add_below_the_target(
    target: float, meets: bool, to_add: int
) -> None:
    plan = mix(target=target, max_extra_per_agent=0).plan()

    report = plan.report("healthy-mix.mix")
    assert ("meets the" in summary_of(report)) is meets
    assert mix_rows(plan, "gap")["gap"][3] == to_add
    if not meets:
        assert f"add about {to_add} minutes of non-business courses" in summary_of(report)


def test_the_report_lists_seats_of_every_voluntary_course() -> None:
    tiny = cohesion(mix(max_offers_per_course=4))
    voluntary(tiny, "K7", "C1", max_group=5)  # a voluntary business course: no offers
    plan = tiny.plan()

    rows = mix_rows(plan, "voluntary-course")
    k6 = [s for s in plan.sessions if s.course_id == "K6"]
    assert rows["K6"][5:] == (len(k6), sum(len(s.attendees) for s in k6), 4, 6)
    assert rows["K6"][6] == 4  # every offer seated and placed
    assert rows["K7"][7:] == (0, 0)
    report = plan.report("healthy-mix.mix")
    assert fact(report.reasons[0], "non_business_minutes") == plan.summary.non_business_minutes


def _asks_for_k2() -> CarryOver:
    """A need another rule found for A5 on C2, naming the course K2."""
    need = Need("goal:A5:C2", "A5", "C2", "goal", 0.5, 90, "team-lead", course_id="K2")
    return CarryOver(need, "open", 0)


def test_the_report_names_voluntary_seats_placed_without_a_signup() -> None:
    # K2, A5's coaching on Empathy, made voluntary: a rule naming K2 places A5 in it unasked
    # (a QA gap alone no longer would: gaps are trained in required courses)
    plan = mix().update("courses", {"course_id": "K2"}, voluntary="true").plan([_asks_for_k2()])

    report = plan.report("healthy-mix.mix")
    assert "placed by other rules, without a signup: 同理心一对一 (K2) 1." in summary_of(report)
    assert fact(report.reasons[0], "courses_with_seats_without_signup") == 1


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


def test_uptake_is_attended_over_signed_up() -> None:
    _, found = uptake(cohesion(mix()), attending=4)

    (evaluation,) = found  # K6 only: the other courses are compulsory
    assert (evaluation.subject, evaluation.subject_id, evaluation.level) == ("course", "K6", 1)
    assert (evaluation.value, evaluation.n) == (pytest.approx(4 / 6, abs=1e-4), 6)
    assert rules(evaluation.reasons) == ["mix.uptake"]
    assert "4 of 6 agents who signed up" in evaluation.reasons[0].text


def test_uptake_counts_signups_without_a_seat() -> None:
    # Eight sign up (team leads A1 and B1 too) for four seats; every seat is attended.
    tiny = cohesion(mix(max_offers_per_course=4), signups=())
    signed(tiny, "K6", "A2", "A3", "A4", "B2", "B3", "A1", "A5", "B1")
    plan, found = uptake(tiny, attending=99)

    (evaluation,) = found
    seated = {a for s in plan.sessions if s.course_id == "K6" for a in s.attendees}
    assert len(seated) == 4
    assert evaluation.n == 8  # the denominator is who signed up, not the seats
    assert evaluation.value == pytest.approx(4 / 8, abs=1e-4)
    assert fact(evaluation.reasons[0], "seated") == 4
    assert "4 of 8 agents who signed up" in evaluation.reasons[0].text


def test_a_seat_given_without_a_signup_is_not_uptake() -> None:
    # K2, A5's coaching on Empathy, made voluntary: A5 is placed in it by a rule naming K2.
    tiny = mix().update("courses", {"course_id": "K2"}, voluntary="true")
    with tiny.engine() as engine:
        plan = engine.plan([_asks_for_k2()])
        outcomes = [Outcome(s.id, a, attended=True) for s in plan.sessions for a in s.attendees]
        found = [e for e in engine.evaluate(plan, outcomes) if e.metric == "uptake"]

    assert [s.attendees for s in plan.sessions if s.course_id == "K2"] == [("A5",)]
    (evaluation,) = found
    assert (evaluation.subject_id, evaluation.n, evaluation.value) == ("K2", 0, None)
    assert fact(evaluation.reasons[0], "seated_without_signup") == 1
    assert "nobody signed up" in evaluation.reasons[0].text
    assert "1 seat(s) went to agents who did not sign up" in evaluation.reasons[0].text


@pytest.mark.parametrize(("signups", "value"), [(2, None), (3, 2 / 3)])
def test_uptake_below_min_signups_is_not_enough_data(signups: int, value: float | None) -> None:
    _, found = uptake(cohesion(mix(), signups=tuple(AGENTS[:signups])), attending=2)

    (evaluation,) = found
    assert evaluation.n == signups
    if value is None:
        assert evaluation.value is None
        assert "not enough data" in evaluation.reasons[0].text.lower()
    else:
        assert evaluation.value == pytest.approx(value, abs=1e-4)


# --------------------------------------------------------------------------------------------
# the pack's text in the reader's language


def _everything_offered() -> tuple[Tiny, list[object]]:
    """Offers with and without QA evidence, one outside the role's profile, with a note;
    a course with more signups than seats, one with ineligible signups, a voluntary seat
    placed without a signup."""
    tiny = cohesion(mix(offer_to="all"), signups=("A2", "A3"))
    signed(tiny, "K6", "B4")  # on leave: not eligible
    voluntary(tiny, "K7", "C2", max_group=2)
    signed(tiny, "K7", "A4", "A5", "B2")
    signed(tiny, "K7", "A1", note="想早点学")  # a team lead: C2 is not in the TL profile
    tiny.update("courses", {"course_id": "K2"}, voluntary="true")
    return tiny, [tiny.plan([_asks_for_k2()])]


def _promoted() -> tuple[Tiny, list[object]]:
    """Offers promoted to reach the target, a QA need on C2 promoted into any of its two
    45-minute courses, and a KPI need riding along on its seat."""
    tiny = one_competency("C4", target=0.9).score("A5", "I1", 2)
    tiny.course("K7", "C2", "micro-video", 45)
    tiny.kpi(metric="fcr", below=0.85, competency="C2", owner="QA")
    return tiny, [tiny.plan()]


def _out_of_reach() -> tuple[Tiny, list[object]]:
    tiny = mix(target=1.0, max_extra_per_agent=0)
    return tiny, [tiny.plan()]


def _uptake() -> tuple[Tiny, list[object]]:
    tiny = cohesion(mix(), signups=tuple(AGENTS[:2]))
    voluntary(tiny, "K7", "C2", max_group=4)
    signed(tiny, "K7", *AGENTS[2:])
    tiny.update("courses", {"course_id": "K2"}, voluntary="true")
    with tiny.engine() as engine:
        plan = engine.plan([_asks_for_k2()])
        outcomes = [Outcome(s.id, a, attended=True) for s in plan.sessions for a in s.attendees]
        return tiny, [engine.evaluate(plan, outcomes)]


@pytest.mark.parametrize(
    "build",
    [_everything_offered, _promoted, _out_of_reach, _uptake],
    ids=["offers", "promoted", "out-of-reach", "uptake"],
)
def test_every_reason_and_report_of_the_pack_is_shown_in_chinese(
    build: Callable[[], tuple[Tiny, list[object]]],
) -> None:
    tiny, decided = build()
    reasons = [r for r in reasons_in(decided) if r.plugin == "healthy-mix"]
    reports = [
        r for d in decided if isinstance(d, Plan) for r in d.reports if r.id == "healthy-mix.mix"
    ]
    assert reasons

    assert untranslated("healthy-mix", reasons, reports) == []
    assert english_in(chinese("healthy-mix", reasons, reports), data_names(tiny.data)) == []


def test_the_mix_report_reads_in_chinese() -> None:
    _, (plan,) = _everything_offered()
    assert isinstance(plan, Plan)
    report = plan.report("healthy-mix.mix")

    assert text(report.title, "zh", "healthy-mix") == "业务类 / 非业务类培训配比"
    shown = text(report.summary, "zh", "healthy-mix")
    assert (
        "坐席的选择：自愿课 K7（K7）4 人报名（名额 2 个，2 人候补）、自愿课 K6（K6）3 人报名。"
        in shown
    )
    assert "待公布的空余名额：同理心一对一（K2）1 个名额空余 1 个（无人报名）；" in shown
    assert "自愿课 K6（K6）10 个名额空余 8 个（3 人报名，其中 2 人符合条件）。" in shown
    assert shown.endswith("由其他规则安排、未经报名的自愿课程名额：同理心一对一（K2）1 个。")
    assert summary_of(report).endswith(
        "What agents chose: 自愿课 K7 (K7) 4 signup(s) for 2 seat(s), 2 waiting, 自愿课 K6 (K6) "
        "3 signup(s). Open seats to announce: 同理心一对一 (K2) 1 of 1 (nobody signed up); "
        "自愿课 K6 (K6) 8 of 10 (3 signed up, 2 of them eligible). Seats of voluntary courses "
        "placed by other rules, without a signup: 同理心一对一 (K2) 1."
    )


def test_the_mix_report_survives_the_historys_one_line_json() -> None:
    """The history keeps plans as one-line JSON: the report's title and summary, messages,
    are written as the indented JSON writes them and read back as they were."""
    _, (plan,) = _everything_offered()
    assert isinstance(plan, Plan)

    line = plan_to_json(plan, indent=None)
    assert json.loads(line) == json.loads(plan_to_json(plan))
    back = plan_from_json(line).report("healthy-mix.mix")
    assert back == plan.report("healthy-mix.mix")
    (written,) = [r for r in json.loads(line)["reports"] if r["id"] == "healthy-mix.mix"]
    assert written["title"] == {
        "text": "Business / non-business training mix",
        "message": "Business / non-business training mix",
        "params": {},
    }


def test_an_offer_reads_in_chinese_with_the_agents_note() -> None:
    _, (plan,) = _everything_offered()
    assert isinstance(plan, Plan)
    (reason,) = plan.need("offer:K7:A1").reasons

    assert '"想早点学"' in reason.text and "not in the role's profile" in reason.text
    shown = text(reason, "zh")
    assert "（“想早点学”）" in shown
    assert "不在该岗位能力要求中" in shown


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
        ("min_signups", 0),
        ("signup_days", -1),
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
    def center() -> Tiny:
        tiny = one_competency("C4", "C5", target=0.9)
        return signed(tiny, "K6", "A2", day=dt.date(2026, 11, 1), note="想早点学")

    first = center().plan()
    second = center().plan()

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
