"""Schedule stage of the default pack: schedule.service-floor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from tests.conftest import EXAMPLE_CENTERS

from ccrules import Engine
from ccrules.model import Format, Plan, Stage

from .scenario import (
    MON,
    THU,
    TUE,
    WED,
    Tiny,
    all_sessions,
    at,
    baseline,
    placed,
    rules,
    session_of_agent,
    text,
    unplaced_at,
)
from .schedule_check import check_schedule

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def times(plan: Plan) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    return {s.id: (s.start, s.end) for s in all_sessions(plan)}


def blocked(plan: Plan) -> dict[str, str]:
    """Sessions the schedule could not place, and why."""
    return {u.id: text(u.reasons) for u in unplaced_at(plan, Stage.SCHEDULE)}


def test_tiny_schedule() -> None:
    plan = baseline()

    assert times(plan) == {
        # A5's coaching opens T1's Monday (shift 09:00); T1's share goes to the less-loaded
        # Tuesday, at T1's shift start; B2 and B3 of T2 (shift 13:00) spread the same way.
        "K2-01": (at(MON, "09:00"), at(MON, "09:45")),
        "K1-01": (at(TUE, "09:00"), at(TUE, "09:15")),
        "K3-01": (at(MON, "13:00"), at(MON, "13:10")),
        "K3-02": (at(TUE, "13:00"), at(TUE, "13:10")),
    }
    for session in plan.sessions:
        assert rules(session.slot_reasons) == ["schedule.service-floor"]


@pytest.mark.parametrize(
    ("spread", "expected"),
    [
        (True, {"K1-01": at(TUE, "09:00"), "K3-02": at(TUE, "13:00")}),
        # earliest day: T1's share beside A5's coaching, B3 after B2 (T2's cap is one agent)
        (False, {"K1-01": at(MON, "09:00"), "K3-02": at(MON, "13:30")}),
    ],
)
def test_spread_takes_the_least_loaded_day(spread: bool, expected: dict[str, dt.datetime]) -> None:
    plan = Tiny().set("schedule", spread=spread).plan()

    assert {k: times(plan)[k][0] for k in expected} == expected


# --------------------------------------------------------------------------------------------
# days


def test_sessions_fall_on_configured_workdays_only() -> None:
    plan = Tiny().set("schedule", workdays=["tue", "thu"]).plan()

    assert len(plan.sessions) == 4
    assert {s.start.date() for s in plan.sessions if s.start} == {TUE, THU}


def test_sessions_fall_inside_the_cycle() -> None:
    plan = Tiny().cycle(WED, THU).plan()

    assert len(plan.sessions) == 4
    assert {s.start.date() for s in plan.sessions if s.start} <= {WED, THU}


def test_no_workday_in_the_cycle_blocks_every_session() -> None:
    plan = Tiny().set("schedule", workdays=["sat", "sun"]).plan()

    assert plan.sessions == ()
    reasons = blocked(plan)
    assert set(reasons) == {"K1-01", "K2-01", "K3-01", "K3-02"}
    assert all("no working day" in r for r in reasons.values())
    for item in unplaced_at(plan, Stage.SCHEDULE):
        assert item.session is not None and item.session.start is None
        assert rules(item.reasons) == ["schedule.service-floor"]


# --------------------------------------------------------------------------------------------
# shift windows


def test_sessions_keep_to_the_teams_shift() -> None:
    tiny = Tiny()
    tiny.update("teams", {"team_id": "T1"}, shift_start="10:30")
    tiny.update("teams", {"team_id": "T2"}, shift_start="14:30")

    plan = tiny.plan()

    assert times(plan)["K2-01"][0] == at(MON, "10:30")
    assert times(plan)["K1-01"][0] == at(TUE, "10:30")  # the share opens the shift
    assert times(plan)["K3-01"][0] == at(MON, "14:30")


def test_a_team_without_a_shift_works_the_default_day() -> None:
    tiny = Tiny().set("schedule", day_start=dt.time(11, 0))
    tiny.update("teams", {"team_id": "T1"}, shift_start=None, shift_end=None)

    assert times(tiny.plan())["K2-01"][0] == at(MON, "11:00")


def test_sessions_keep_to_the_trainers_hours() -> None:
    # TR1 is full-time: trainer hours; TR2 is A1 of T1: T1's shift.
    plan = Tiny().set("schedule", trainer_start=dt.time(10, 0)).plan()

    assert times(plan)["K2-01"][0] == at(MON, "10:00")  # TR1
    assert times(plan)["K1-01"][0] == at(TUE, "09:00")  # TR2


def test_a_share_needs_its_trainer_at_the_teams_shift_start() -> None:
    # TR1, the only trainer of C1 left, gives T1's share but starts at 09:30
    tiny = Tiny().remove("trainer_skills", trainer_id="TR2", competency_id="C1")
    tiny.set("schedule", trainer_start=dt.time(9, 30))

    plan = tiny.plan()

    assert "the trainer is not at work at the team's shift start" in blocked(plan)["K1-01"]
    (share,) = [u.session for u in plan.unplaced if u.id == "K1-01"]
    assert share is not None and share.trainer_id == "TR1"


def test_a_session_ends_inside_the_window() -> None:
    # T1's shift ends 09:40: A5's 45-minute coaching fits no day.
    plan = Tiny().update("teams", {"team_id": "T1"}, shift_end="09:40").plan()

    assert "no free stretch of 45 min that everyone shares" in blocked(plan)["K2-01"]


def test_shifts_that_do_not_overlap_block_the_session() -> None:
    tiny = Tiny().set("schedule", trainer_start=dt.time(18, 0), trainer_end=dt.time(20, 0))

    plan = tiny.plan()

    assert "shifts do not overlap" in blocked(plan)["K2-01"]  # T1 ends at 18:00
    assert "K3-01" not in blocked(plan)  # no trainer: T2's shift alone


# --------------------------------------------------------------------------------------------
# people


def busy_a5(tiny: Tiny) -> Tiny:
    """A5 needs C3 too (a 10-minute micro-video after its 45-minute coaching); every day is
    tried in order and T1 may all be off the phones."""
    tiny.score("A5", "I3", 5.5).set("courses", fallback=["micro-video"])
    return tiny.set("schedule", spread=False, max_team_share_off=1.0)


def test_an_attendee_is_never_double_booked() -> None:
    plan = busy_a5(Tiny()).plan()

    assert session_of_agent(plan, "A5", "C2").start == at(MON, "09:00")
    assert session_of_agent(plan, "A5", "C3").start == at(MON, "10:00")  # after 09:45


def two_coachings(tiny: Tiny) -> Tiny:
    """A4 far behind on C2 like A5: TR1 coaches both; T1 may all be off the phones."""
    return tiny.score("A4", "I2", 2).set("schedule", max_team_share_off=1.0)


@pytest.mark.parametrize(
    ("second_trainer", "a5"),
    [
        (False, at(MON, "10:00")),  # TR1 coaches A4 09:00-09:45 first
        (True, at(MON, "09:00")),  # TR3 takes A5: nothing else keeps them apart
    ],
)
def test_a_trainer_is_never_double_booked(second_trainer: bool, a5: dt.datetime) -> None:
    tiny = two_coachings(Tiny()).set("schedule", spread=False)
    if second_trainer:
        tiny.update("trainers", {"trainer_id": "TR1"}, capacity_hours=0.75)
        tiny.trainer("TR3", {"C2": 90})

    plan = tiny.plan()

    assert session_of_agent(plan, "A4", "C2").start == at(MON, "09:00")
    assert session_of_agent(plan, "A5", "C2").start == a5


def test_a_trainer_on_the_floor_is_never_double_booked() -> None:
    # TR2 (A1) gives A5's coaching on C1 and T1's share (A5 sits in it too): never both at
    # once, and the share opens the team's shift.
    tiny = Tiny().score("A5", "I2", 8).score("A5", "I1", 3)  # A5: only C1, far behind
    tiny.course("K6", "C1", "coaching", 30)
    tiny.update("trainers", {"trainer_id": "TR2"}, score=5.0)  # beats TR1 (4.5)
    tiny.set("schedule", spread=False)

    plan = tiny.plan()

    (coaching,) = [s for s in plan.sessions if "qa:A5:C1" in s.need_ids]
    share = session_of_agent(plan, "A2", "C1")
    assert coaching.trainer_id == share.trainer_id == "TR2"
    assert "A5" in share.attendees
    assert share.start == at(MON, "09:00")
    assert coaching.start is not None and share.end is not None
    assert coaching.start >= share.end  # after the meeting, not during it


@pytest.mark.parametrize(
    ("max_minutes_per_day", "video"),
    [(55, at(MON, "10:00")), (54, at(TUE, "09:00"))],  # 45 + 10 minutes on Monday
)
def test_max_minutes_per_day_per_agent(max_minutes_per_day: int, video: dt.datetime) -> None:
    plan = busy_a5(Tiny()).set("schedule", max_minutes_per_day=max_minutes_per_day).plan()

    assert session_of_agent(plan, "A5", "C3").start == video


def test_a_session_longer_than_a_days_minutes_is_blocked() -> None:
    plan = Tiny().set("schedule", max_minutes_per_day=44).plan()

    assert "it lasts 45 min, more than the 44 training minutes" in blocked(plan)["K2-01"]
    assert "K1-01" not in blocked(plan)


# --------------------------------------------------------------------------------------------
# the phones


@pytest.mark.parametrize(
    ("max_team_share_off", "function", "b3"),
    [
        (0.34, "front-line", at(MON, "13:30")),  # int(3 * 0.34) = 1 of T2 off at once
        (0.67, "front-line", at(MON, "13:00")),  # int(3 * 0.67) = 2
        (0.34, "support", at(MON, "13:00")),  # only front-line teams are capped
    ],
)
def test_max_team_share_off(max_team_share_off: float, function: str, b3: dt.datetime) -> None:
    tiny = Tiny().set("schedule", spread=False, max_team_share_off=max_team_share_off)
    tiny.update("teams", {"team_id": "T2"}, function=function)

    plan = tiny.plan()

    assert session_of_agent(plan, "B2", "C3").start == at(MON, "13:00")
    assert session_of_agent(plan, "B3", "C3").start == b3


def test_pre_shift_shares_do_not_count_off_the_phones() -> None:
    # T1's share takes 3 agents where the cap is int(5 * 0.34) = 1, beside A5's coaching.
    plan = Tiny().set("schedule", spread=False).plan()

    share = placed(plan, "K1-01")
    assert len(share.attendees) == 3
    assert share.start == at(MON, "09:00")
    assert placed(plan, "K2-01").start == at(MON, "09:00")


# --------------------------------------------------------------------------------------------
# pre-shift shares


def two_shares_for_t1(tiny: Tiny) -> Tiny:
    """T1 gets two shares with nobody in common: C1 for A2, A3 (trainer TR2) and C3 for A4,
    A5 (trainer TR1); T2 a C3 share for B2, B3."""
    tiny.set("courses", share_min_agents=2, share_min_attendees=2).set("schedule", spread=False)
    tiny.score("A4", "I1", 9).score("A5", "I2", 8).score("A4", "I3", 5.5).score("A5", "I3", 5.5)
    return tiny.course("K6", "C3", "pre-shift", 15, max_group=30)


def test_one_share_per_team_a_day_at_its_shift_start() -> None:
    plan = two_shares_for_t1(Tiny()).plan()

    c1 = session_of_agent(plan, "A2", "C1")
    c3 = session_of_agent(plan, "A4", "C3")
    t2 = session_of_agent(plan, "B2", "C3")
    assert (c1.format, c3.format, t2.format) == (Format.PRE_SHIFT,) * 3
    assert (c1.trainer_id, c3.trainer_id) == ("TR2", "TR1")
    assert c1.start == at(MON, "09:00")
    assert c3.start == at(TUE, "09:00")  # Monday's T1 meeting has its share
    assert t2.start == at(MON, "13:00")  # another team, its own shift start


def test_a_second_share_in_a_one_day_cycle_is_blocked() -> None:
    plan = two_shares_for_t1(Tiny()).cycle(MON, MON).plan()

    # no second share of T1 that day: A4 and A5 watch C3's video (K3) instead
    c3 = session_of_agent(plan, "A4", "C3")
    assert (c3.format, c3.course_id, c3.start) == (Format.MICRO_VIDEO, "K3", at(MON, "09:00"))
    assert "pre-shift meeting already has a share that day" in text(c3.slot_reasons)
    assert session_of_agent(plan, "A5", "C3").course_id == "K3"


# --------------------------------------------------------------------------------------------
# what blocks a session


def over_minutes(tiny: Tiny) -> Tiny:
    """A5's coaching and video in a day's 50 minutes, with the whole shift to try."""
    tiny.update("teams", {"team_id": "T1"}, shift_end="18:00")
    return busy_a5(tiny).set("schedule", max_minutes_per_day=50)


@pytest.mark.parametrize(
    ("setup", "agent", "competency", "blocker"),
    [
        (two_coachings, "A5", "C2", "the trainer is already booked"),
        (busy_a5, "A5", "C3", "an attendee is already booked"),
        (over_minutes, "A5", "C3", "daily training minutes used up"),
        (lambda tiny: tiny, "B3", "C3", "too many of the team off the phones"),  # T2's cap: 1
    ],
)
def test_an_impossible_session_names_its_blocker(
    setup: Callable[[Tiny], Tiny], agent: str, competency: str, blocker: str
) -> None:
    # One day; T1's shift is one coaching long (09:00-09:45), T2's one video (13:00-13:10).
    tiny = Tiny().cycle(MON, MON)
    tiny.update("teams", {"team_id": "T1"}, shift_end="09:45")
    tiny.update("teams", {"team_id": "T2"}, shift_end="13:10")

    plan = setup(tiny).plan()

    stuck = session_of_agent(plan, agent, competency)
    assert stuck.start is None
    assert stuck not in plan.sessions
    assert blocker in blocked(plan)[stuck.id]


# --------------------------------------------------------------------------------------------
# every constraint, on the example centers


@pytest.mark.parametrize("name", EXAMPLE_CENTERS)
def test_example_plans_keep_every_constraint(name: str) -> None:
    with Engine.from_folder(EXAMPLES / name) as engine:
        plan = engine.plan()
        check_schedule(engine, plan)
    assert len(plan.sessions) > 10


def test_a_crowded_week_keeps_every_constraint() -> None:
    # Everyone in tiny weak on everything: sessions compete for days, people and phones.
    tiny = Tiny().set("schedule", max_minutes_per_day=60)
    for agent in ("A2", "A3", "A4", "A5", "B2", "B3"):
        tiny.score(agent, "I1", 6).score(agent, "I2", 5).score(agent, "I3", 5)
    with tiny.engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)
    assert len(plan.sessions) >= 6


@pytest.mark.parametrize(
    ("session_id", "start"),
    [
        ("K3-02", at(MON, "13:00")),  # two of T2 (cap one) off the phones with K3-01
        ("K1-01", at(MON, "09:30")),  # a share after the shift start
        ("K2-01", at(MON, "08:30")),  # before T1's shift
        ("K2-01", at(MON, "17:30")),  # ends after the shift
        ("K2-01", dt.datetime(2026, 12, 5, 9, 0)),  # a Saturday
        ("K3-01", at(MON, "09:00")),  # B2 before T2's shift at 13:00
    ],
)
def test_the_constraint_check_catches_a_broken_plan(session_id: str, start: dt.datetime) -> None:
    with Tiny().set("schedule", spread=False).engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)
        session = placed(plan, session_id)
        moved = attrs.evolve(
            session, start=start, end=start + dt.timedelta(minutes=session.duration_minutes)
        )
        broken = attrs.evolve(
            plan, sessions=tuple(moved if s.id == session_id else s for s in plan.sessions)
        )

        with pytest.raises(AssertionError):
            check_schedule(engine, broken)
