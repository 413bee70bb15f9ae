"""Trainers stage of the default pack: trainers.pool, trainers.qualified, trainers.self-paced."""

from __future__ import annotations

import datetime as dt

import pytest

import ccrules_packs.default
from ccrules.model import Format, Plan, Stage

from .scenario import (
    MON,
    TUE,
    Tiny,
    at,
    baseline,
    fact,
    rules,
    session_of_agent,
    sessions_for,
    text,
    unplaced_at,
)


def trainer_of(plan: Plan, agent_id: str, competency_id: str) -> str | None:
    return session_of_agent(plan, agent_id, competency_id).trainer_id


def test_the_pool_is_trainers_csv() -> None:
    tiny = Tiny().trainer("TR3", {"C2": 80})
    with tiny.engine() as engine:
        pool = ccrules_packs.default.ccrules_trainer_pool(engine.center, engine.evidence)

        assert pool == list(engine.center.trainers.values())
    assert [t.id for t in pool] == ["TR1", "TR2", "TR3"]
    assert pool[1].agent_id == "A1"


def test_tiny_trainers() -> None:
    plan = baseline()

    assert trainer_of(plan, "A5", "C2") == "TR1"  # coaching C2: only TR1 teaches it
    assert trainer_of(plan, "A2", "C1") == "TR2"  # T1's share: its own lead
    coaching = session_of_agent(plan, "A5", "C2")
    (reason,) = coaching.trainer_reasons
    assert reason.rule == "trainers.qualified"
    assert fact(reason, "required_level") == 75
    assert fact(reason, "trainer_level") == 90


def test_micro_videos_need_no_trainer() -> None:
    # even when nobody in the pool teaches C3
    plan = Tiny().remove("trainer_skills", trainer_id="TR1", competency_id="C3").plan()

    videos = sessions_for(plan, "C3")
    assert {s.format for s in videos} == {Format.MICRO_VIDEO}
    for session in videos:
        assert session.trainer_id is None
        assert rules(session.trainer_reasons) == ["trainers.self-paced"]
        assert session in plan.sessions  # placed, not unplaced


# --------------------------------------------------------------------------------------------
# qualification


@pytest.mark.parametrize(("margin", "text_part"), [(15, "+ 15 margin"), (15.5, "nobody free")])
def test_the_margin_is_a_preference_above_the_level_taught(margin: float, text_part: str) -> None:
    # A5's need on C2 targets the 75 of her role; TR1 teaches it at 90: qualified at 75 + 15,
    # and at 15.5 still taken, at the level itself, saying nobody free is further above it
    plan = Tiny().set("trainers", margin=margin).plan()

    session = session_of_agent(plan, "A5", "C2")
    assert session.target_level == 75
    assert session.trainer_id == "TR1"
    assert text_part in text(session.trainer_reasons)
    assert fact(session.trainer_reasons[0], "required_level") == 75


@pytest.mark.parametrize(("level", "qualified"), [(75, True), (74.9, False)])
def test_nobody_teaches_below_the_level_taught(level: float, qualified: bool) -> None:
    tiny = Tiny()
    tiny.update("trainer_skills", {"trainer_id": "TR1", "competency_id": "C2"}, level=level)

    plan = tiny.plan()

    session = session_of_agent(plan, "A5", "C2")
    if qualified:
        assert session.trainer_id == "TR1"
    else:
        assert session.trainer_id is None
        (item,) = [u for u in unplaced_at(plan, Stage.TRAINERS) if u.id == session.id]
        assert "No trainer is qualified: 75 taught" in text(item.reasons)
        assert fact(item.reasons[0], "best_level_in_pool") == level


def test_the_level_taught_is_the_highest_of_the_attendees() -> None:
    # A1 (role TL: 85 on C1) joins A2-A4 (role AG: 80) in T1's share: it teaches to 85. A
    # trainer at 89 is not 85 + 5 but at the level; at 84 below it.
    tiny = Tiny().score("A1", "I1", 6)
    tiny.update("trainer_skills", {"trainer_id": "TR1", "competency_id": "C1"}, level=89)

    share = session_of_agent(tiny.plan(), "A1", "C1")
    assert share.attendees == ("A1", "A2", "A3", "A4")
    assert share.target_level == 85
    assert share.trainer_id == "TR1"
    assert "at least the 85 taught" in text(share.trainer_reasons)

    tiny.update("trainer_skills", {"trainer_id": "TR1", "competency_id": "C1"}, level=84)
    assert session_of_agent(tiny.plan(), "A1", "C1").trainer_id is None


@pytest.mark.parametrize(("measure", "trainer"), [(True, "TR1"), (False, "TR2")])
def test_a_trainer_on_the_floor_teaches_at_their_own_qa(measure: bool, trainer: str) -> None:
    # TR2 (T1's lead A1) is listed at 92 on C1, but A1's own QA on it is 79: below the 80 the
    # T1 share teaches to, so TR1 gives it (A1's 6-point gap to 85 makes no need)
    tiny = Tiny().score("A1", "I1", 7.9).set("trainers", measure_staff=measure)

    plan = tiny.plan()

    share = session_of_agent(plan, "A2", "C1")
    assert share.trainer_id == trainer
    if not measure:
        (lead,) = [t for t in plan.trainers if t.id == "TR2"]
        skill = lead.skill("C1")
        assert skill is not None and (skill.level, skill.measured) == (92, None)


def test_a_trainer_on_the_floor_who_teaches_at_their_own_qa_says_so() -> None:
    # A1 at 83 on C1: still qualified for T1's share at 80 (not 80 + 5), at their own QA
    plan = Tiny().score("A1", "I1", 8.3).plan()
    share = session_of_agent(plan, "A2", "C1")

    assert share.trainer_id == "TR2"
    assert "83 (their own QA; listed at 92)" in text(share.trainer_reasons)
    assert fact(share.trainer_reasons[0], "trainer_own_qa") == 83
    (lead,) = [t for t in plan.trainers if t.id == "TR2"]
    skill = lead.skill("C1")
    assert skill is not None and (skill.level, skill.measured) == (92, 83)
    assert lead.level("C1") == 83


def test_nobody_teaches_a_competency_they_are_seated_on() -> None:
    # A1 (TR2) joins T1's share on C1; T2 (B1-B3) gets its own C1 share. TR1 does not teach
    # C1 here, and TR2, seated on C1 in this plan, does not teach T2 either.
    tiny = Tiny().score("A1", "I1", 6).set("trainers", measure_staff=False)
    for agent in ("B1", "B2", "B3"):
        tiny.score(agent, "I1", 6)
    tiny.remove("trainer_skills", trainer_id="TR1", competency_id="C1")

    plan = tiny.plan()

    t2 = session_of_agent(plan, "B2", "C1")
    assert t2.trainer_id is None
    (item,) = [u for u in unplaced_at(plan, Stage.TRAINERS) if u.id == t2.id]
    assert "seated on this competency themselves" in text(item.reasons)


def test_no_trainer_teaches_the_competency() -> None:
    plan = Tiny().remove("trainer_skills", trainer_id="TR1", competency_id="C2").plan()

    (item,) = unplaced_at(plan, Stage.TRAINERS)
    assert item.session is not None and item.session.attendees == ("A5",)
    assert "No trainer in the pool teaches" in text(item.reasons)


def test_a_trainer_never_teaches_a_session_they_attend() -> None:
    # A1 (trainer TR2, T1's lead) is weak on C1 too and joins T1's share.
    plan = Tiny().score("A1", "I1", 6).plan()

    share = session_of_agent(plan, "A1", "C1")
    assert share.format is Format.PRE_SHIFT
    assert share.trainer_id == "TR1"


# --------------------------------------------------------------------------------------------
# capacity


def two_coachings(tiny: Tiny, capacity_hours: float) -> Tiny:
    """A4 far behind on C2 like A5: two 45-minute coachings, both for TR1 alone."""
    tiny.score("A4", "I2", 2)
    return tiny.update("trainers", {"trainer_id": "TR1"}, capacity_hours=capacity_hours)


@pytest.mark.parametrize(("capacity_hours", "both"), [(1.5, True), (1.4, False)])
def test_capacity_hours_are_consumed_across_sessions(capacity_hours: float, both: bool) -> None:
    plan = two_coachings(Tiny(), capacity_hours).plan()

    # A4 ranks before A5 (same priority and severity): A4's coaching takes the first hours.
    assert trainer_of(plan, "A4", "C2") == "TR1"
    if both:
        assert trainer_of(plan, "A5", "C2") == "TR1"
    else:
        assert trainer_of(plan, "A5", "C2") is None
        (item,) = unplaced_at(plan, Stage.TRAINERS)
        assert item.session is not None and item.session.attendees == ("A5",)
        assert "fully booked" in text(item.reasons)
        assert fact(item.reasons[0], "qualified_but_full") == 1


def test_a_full_trainer_is_skipped_for_the_next_qualified() -> None:
    tiny = two_coachings(Tiny(), 1.4).trainer("TR3", {"C2": 85}, score=3.0)

    plan = tiny.plan()

    assert trainer_of(plan, "A4", "C2") == "TR1"  # better score
    assert trainer_of(plan, "A5", "C2") == "TR3"  # TR1 has 0.65 h left
    assert not plan.unplaced


def test_shares_use_the_leads_capacity_too() -> None:
    # TR2 (A1) has 2 h; with 0.2 h left it cannot give T1's 15-minute share.
    plan = Tiny().update("trainers", {"trainer_id": "TR2"}, capacity_hours=0.2).plan()

    assert trainer_of(plan, "A2", "C1") == "TR1"


# --------------------------------------------------------------------------------------------
# preference


@pytest.mark.parametrize(
    ("score", "cost", "winner"),
    [
        (4.5, 100, "TR3"),  # same score as TR1 (4.5), cheaper
        (4.5, 150, "TR1"),  # same score and cost: the id breaks the tie
        (4.6, 500, "TR3"),  # higher score beats lower cost
        (4.4, 0, "TR1"),  # lower score loses even for free
        (None, 0, "TR1"),  # an unknown score ranks below a known one
    ],
)
def test_higher_score_then_lower_cost_wins(score: float | None, cost: float, winner: str) -> None:
    tiny = Tiny().trainer("TR3", {"C2": 90}, score=score, cost_per_hour=cost)

    assert trainer_of(tiny.plan(), "A5", "C2") == winner


@pytest.mark.parametrize(("team_lead_for_shares", "winner"), [(True, "TR2"), (False, "TR1")])
def test_the_teams_own_lead_gives_its_share(team_lead_for_shares: bool, winner: str) -> None:
    # TR3 is B1, T2's lead: better scored and as cheap as TR2, but not T1's lead, and not at
    # work at T1's 09:00 shift start (T2 starts at 13:00): without the lead rule, TR1 gives it.
    tiny = Tiny().trainer(
        "TR3", {"C1": 99}, kind="team-lead", agent_id="B1", score=5.0, cost_per_hour=0
    )
    tiny.set("trainers", team_lead_for_shares=team_lead_for_shares)

    plan = tiny.plan()

    share = session_of_agent(plan, "A2", "C1")
    assert share.trainer_id == winner
    if winner == "TR2":
        assert "leads this team" in text(share.trainer_reasons)


def test_the_lead_is_preferred_for_shares_only() -> None:
    # TR2 (A1, T1's lead, no score) also teaches C2; A5's coaching goes by score to TR1.
    tiny = Tiny().add("trainer_skills", trainer_id="TR2", competency_id="C2", level=99)

    assert trainer_of(tiny.plan(), "A5", "C2") == "TR1"


@pytest.mark.parametrize(
    ("end", "t2_trainer", "t2_start"),
    [
        (MON, "TR2", at(MON, "09:00")),  # one working day: TR1 opens one 09:00 meeting only
        (TUE, "TR1", at(TUE, "09:00")),  # two working days: two 09:00 meetings
    ],
)
def test_a_trainer_gives_one_share_per_shift_start_a_day(
    end: dt.date, t2_trainer: str, t2_start: dt.datetime
) -> None:
    # T2 starts at 09:00 like T1; B2, B3 share T1's C1 gap; TR1 (score 4.5) beats the leads.
    tiny = Tiny().cycle(MON, end).set("trainers", team_lead_for_shares=False)
    tiny.set("courses", share_min_agents=2, share_min_attendees=2)
    tiny.update("teams", {"team_id": "T2"}, shift_start="09:00")
    tiny.score("B2", "I1", 6).score("B3", "I1", 6)
    tiny.score("A5", "I2", 8)  # no coaching for TR1 at 09:00

    plan = tiny.plan()

    t1 = session_of_agent(plan, "A2", "C1")
    t2 = session_of_agent(plan, "B2", "C1")
    assert (t1.trainer_id, t1.start) == ("TR1", at(MON, "09:00"))
    assert (t2.format, t2.team_id) == (Format.PRE_SHIFT, "T2")
    assert (t2.trainer_id, t2.start) == (t2_trainer, t2_start)


# --------------------------------------------------------------------------------------------
# a share's trainer is at work at the team's shift start


@pytest.mark.parametrize(("afternoons", "trainer"), [(True, "TR3"), (False, "TR1")])
def test_a_share_takes_a_trainer_at_work_at_the_shift_start(afternoons: bool, trainer: str) -> None:
    # T1's share opens its 09:00 shift. TR1 (score 4.5) comes before TR3 (4.0), but when
    # TR1 only works afternoons TR3, at work at 09:00, gives it and the share is held.
    tiny = Tiny().set("trainers", team_lead_for_shares=False)
    tiny.trainer("TR3", {"C1": 95}, score=4.0)
    if afternoons:
        day = tiny.cycle_start
        while day <= tiny.config["cycles"][0]["end"]:
            tiny.add(
                "trainer_availability",
                trainer_id="TR1",
                date=day,
                start_time="13:00",
                end_time="18:00",
            )
            day += dt.timedelta(days=1)

    plan = tiny.plan()

    share = session_of_agent(plan, "A2", "C1")
    assert share.format is Format.PRE_SHIFT
    assert share.trainer_id == trainer
    assert share in plan.sessions and share.start is not None
    assert share.start.time() == dt.time(9, 0)
