"""What other packs ask of the default pack through the model: needs that name a course
(courses.requested), mandatory needs, due days and problems (priorities.rank, the hour
budget), sessions that come after others or are due by a day (schedule.service-floor), and the
format rules by competency kind and face-to-face factor (courses.group)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator

import attrs
import pytest

import ccrules
from ccrules.model import Assembly, Format, Need, PriorityStatus, RuleInfo, Stage

from .scenario import Tiny, all_sessions, rules, session_of_agent, text, unplaced

ASKS = ccrules.PluginRef("asks", "1.0")


class Asks:
    """A test pack that finds the needs it is given."""

    def __init__(self, *needs: Need) -> None:
        self.needs = needs

    @ccrules.hookimpl
    def ccrules_rules(self) -> list[RuleInfo]:
        return [RuleInfo("asks.need", Stage.NEEDS, "Needs given by the test.")]

    @ccrules.hookimpl
    def ccrules_needs(self) -> list[Need]:
        return list(self.needs)


def need(agent: str, competency: str, **fields: object) -> Need:
    defaults: dict[str, object] = {
        "id": f"ask:{agent}:{competency}",
        "source": "ask",
        "severity": 0.2,
        "priority": 50,
        "owner_team": "team-lead",
        "reasons": (ASKS.reason("asks.need", "asked by the test"),),
    }
    return Need(agent_id=agent, competency_id=competency, **(defaults | fields))  # type: ignore[arg-type]


def status(plan: ccrules.model.Plan, need_id: str) -> PriorityStatus:
    (found,) = [p for p in plan.priorities if p.need_id == need_id]
    return found.status


# --------------------------------------------------------------------------------------------
# courses.requested


def test_a_need_naming_a_classroom_course_is_seated_in_it() -> None:
    # A2's own C1 gap would go to the K1 share; the asked need names K5, a classroom
    plan = Tiny().plan(asks=Asks(need("B2", "C1", course_id="K5")))

    (session,) = [s for s in all_sessions(plan) if s.course_id == "K5"]
    assert session.attendees == ("B2",)
    assert session.format is Format.CLASSROOM
    assert rules(session.reasons) == ["courses.requested"]
    assert "K5" in text(session.reasons)


def test_a_requested_pre_shift_course_is_one_share_per_team() -> None:
    asked = [need(a, "C1", id=f"ask:{a}", course_id="K1") for a in ("B2", "B3", "A5")]

    plan = Tiny().plan(asks=Asks(*asked))

    shares = {s.team_id: s.attendees for s in all_sessions(plan) if s.course_id == "K1"}
    # no share_min_agents threshold: the rule asked for the share; A5 joins T1's own share
    assert shares == {"T1": ("A2", "A3", "A4", "A5")}
    # T2's would gather two, fewer than share_min_attendees: the next format instead
    t2 = [
        s for s in all_sessions(plan) if {"B2", "B3"} & set(s.attendees) and s.competency_id == "C1"
    ]
    assert {s.course_id for s in t2} == {"K5"}
    assert sorted(a for s in t2 for a in s.attendees) == ["B2", "B3"]
    assert "fewer than 3 (share_min_attendees): no share is held" in text(t2[0].reasons)


def test_a_one_person_share_is_never_assembled() -> None:
    plan = Tiny().plan(asks=Asks(need("B2", "C1", id="ask:B2", course_id="K1")))

    (b2,) = [s for s in all_sessions(plan) if "B2" in s.attendees and s.competency_id == "C1"]
    assert (b2.format, b2.course_id) == (Format.CLASSROOM, "K5")
    assert not [s for s in all_sessions(plan) if s.team_id == "T2"]


def test_a_requested_share_and_a_team_gap_make_one_share() -> None:
    # T1's C1 gap (A2-A4) is a K1 share; the asked needs name K1 for A2 (already in it) and
    # A5 (not): one K1 share for T1, each agent seated once
    asked = [need(a, "C1", id=f"ask:{a}", course_id="K1") for a in ("A2", "A5")]

    plan = Tiny().plan(asks=Asks(*asked))

    shares = [s for s in all_sessions(plan) if s.course_id == "K1" and s.team_id == "T1"]
    assert len(shares) == 1
    (share,) = shares
    assert share.attendees == ("A2", "A3", "A4", "A5")
    assert sorted(share.need_ids) == ["ask:A2", "ask:A5", "qa:A2:C1", "qa:A3:C1", "qa:A4:C1"]
    assert sorted(rules(share.reasons)) == ["courses.requested", "courses.team-share"]


def test_a_need_without_a_course_still_takes_the_stage_choice() -> None:
    plan = Tiny().plan(asks=Asks(need("B2", "C1")))

    assert session_of_agent(plan, "B2", "C1").course_id == "K5"  # a lone agent: classroom


# --------------------------------------------------------------------------------------------
# priorities.rank: mandatory, due, problems, hour budget


def test_a_mandatory_need_is_never_deferred() -> None:
    tiny = Tiny().set("priorities", max_competencies_per_agent=1)
    optional = need("A2", "C2", priority=99)
    mandatory = need("A2", "C3", id="ask:mandatory", mandatory=True, priority=1)

    plan = tiny.plan(asks=Asks(optional, mandatory))

    assert status(plan, "ask:mandatory") is PriorityStatus.PLANNED
    # the mandatory need took A2's one competency: the rest are deferred, priority 99 too
    assert status(plan, "ask:A2:C2") is PriorityStatus.DEFERRED
    assert status(plan, "qa:A2:C1") is PriorityStatus.DEFERRED


def test_the_sooner_due_ranks_first_at_equal_priority() -> None:
    tiny = Tiny().set("priorities", max_competencies_per_agent=1)
    later = need("B2", "C1", due=dt.date(2026, 12, 20), priority=70)
    sooner = need("B2", "C2", due=dt.date(2026, 12, 2), priority=70, severity=0.01)

    plan = tiny.plan(asks=Asks(later, sooner))

    assert status(plan, "ask:B2:C2") is PriorityStatus.PLANNED
    assert status(plan, "ask:B2:C1") is PriorityStatus.DEFERRED


@pytest.mark.parametrize(("kind", "first"), [("skill", "ask:B2:C1"), ("knowledge", "ask:B2:C3")])
def test_skills_rank_by_the_problems_they_solve(kind: str, first: str) -> None:
    tiny = Tiny().set("priorities", max_competencies_per_agent=1)
    tiny.update("competencies", {"competency_id": "C1"}, kind=kind)
    tiny.update("competencies", {"competency_id": "C3"}, kind=kind)
    many = need("B2", "C1", priority=70, problems=9, severity=0.1)
    few = need("B2", "C3", priority=70, problems=1, severity=0.5)

    plan = tiny.plan(asks=Asks(many, few))

    # skills: more problems solved first; otherwise severity decides
    assert status(plan, first) is PriorityStatus.PLANNED


@pytest.mark.parametrize(("hours", "planned"), [(1.0, True), (0.99, False)])
def test_the_hour_budget_defers_what_does_not_fit(hours: float, planned: bool) -> None:
    # B2: the C3 gap ranks first, estimated at 60 min (classroom K4, the first fallback
    # format in the catalogue), then the asked C1 need (K5, 60 min)
    tiny = Tiny().set("priorities", max_hours_per_agent=hours + 1)
    asked = need("B2", "C1", course_id="K5", priority=1)

    plan = tiny.plan(asks=Asks(asked))

    assert status(plan, "ask:B2:C1") is (
        PriorityStatus.PLANNED if planned else PriorityStatus.DEFERRED
    )
    if not planned:
        (priority,) = [p for p in plan.priorities if p.need_id == "ask:B2:C1"]
        assert "budget" in text(priority.reasons)


def test_a_zero_budget_means_no_budget() -> None:
    tiny = Tiny().set("priorities", max_hours_per_agent=0)
    plan = tiny.plan(asks=Asks(need("B2", "C1", course_id="K5", priority=1)))
    assert status(plan, "ask:B2:C1") is PriorityStatus.PLANNED


# --------------------------------------------------------------------------------------------
# schedule.service-floor: due days and sessions that come after others


def test_a_session_is_not_placed_after_its_due_day() -> None:
    due = dt.date(2026, 12, 1)
    plan = Tiny().plan(asks=Asks(need("B2", "C1", course_id="K5", due=due)))

    session = session_of_agent(plan, "B2", "C1")
    assert session.due == due
    assert session.start is not None and session.start.date() <= due


def test_a_session_due_before_the_cycle_is_not_placed() -> None:
    plan = Tiny().plan(asks=Asks(need("B2", "C1", course_id="K5", due=dt.date(2026, 11, 27))))

    stuck = [u for u in plan.unplaced if u.session and u.session.course_id == "K5"]
    assert len(stuck) == 1
    assert "due by 2026-11-27" in text(stuck[0].reasons)


class Chain:
    """Makes the T1 share come after A5's coaching (a cascade in miniature)."""

    @ccrules.hookimpl
    def ccrules_rules(self) -> list[RuleInfo]:
        return [RuleInfo("chain", Stage.COURSES, "Chains two sessions.")]

    @ccrules.hookimpl(wrapper=True)
    def ccrules_assemble_sessions(self) -> Generator[None, Assembly, Assembly]:
        assembly = yield
        coaching = next(s for s in assembly.sessions if s.format is Format.COACHING)
        sessions = tuple(
            attrs.evolve(s, after=(coaching.id,)) if s.format is Format.PRE_SHIFT else s
            for s in assembly.sessions
        )
        return attrs.evolve(assembly, sessions=sessions)


def test_a_session_starts_after_the_sessions_it_comes_after() -> None:
    plan = Tiny().plan(chain=Chain())

    coaching = session_of_agent(plan, "A5", "C2")
    share = session_of_agent(plan, "A2", "C1")
    assert share.after == (coaching.id,)
    assert coaching.end is not None and share.start is not None
    assert share.start >= coaching.end
    # the share would open the first day's shift; the coaching fills that morning first
    assert share.start.date() > coaching.start.date()  # type: ignore[union-attr]


def test_a_session_after_an_unplaced_one_is_not_placed() -> None:
    # no trainer teaches C2 any more: A5's coaching stops at the trainers stage
    tiny = Tiny().remove("trainer_skills", trainer_id="TR1", competency_id="C2")

    plan = tiny.plan(chain=Chain())

    stuck = [u for u in plan.unplaced if u.session and u.session.format is Format.PRE_SHIFT]
    assert len(stuck) == 1 and stuck[0].stage is Stage.SCHEDULE
    assert "it comes after K2-01" in text(stuck[0].reasons)


# --------------------------------------------------------------------------------------------
# courses.group: competency kinds and the face-to-face factor


def test_an_attitude_gap_gets_no_micro_video() -> None:
    # C2 (attitude) has only coaching K2; replace it by a micro-video
    tiny = Tiny().update("courses", {"course_id": "K2"}, format="micro-video")

    plan = tiny.plan()

    assert not [s for s in all_sessions(plan) if s.competency_id == "C2"]
    assert "attitude" in text(unplaced(plan, "qa:A5:C2").reasons)


def test_a_knowledge_gap_may_take_a_micro_video() -> None:
    tiny = Tiny().update("competencies", {"competency_id": "C2"}, kind="knowledge")
    tiny.update("courses", {"course_id": "K2"}, format="micro-video")

    plan = tiny.plan()

    assert session_of_agent(plan, "A5", "C2").format is Format.MICRO_VIDEO


@pytest.mark.parametrize(("factor", "fmt"), [(1.0, Format.CLASSROOM), (0.99, Format.MICRO_VIDEO)])
def test_the_face_to_face_factor_orders_the_fallback(factor: float, fmt: Format) -> None:
    # C3: B2 and B3 (two agents), classroom K4 and micro-video K3; min_group 2 lets both fit
    tiny = Tiny().set("courses", min_group=2, face_to_face_factor=factor)

    plan = tiny.plan()

    assert session_of_agent(plan, "B2", "C3").format is fmt
