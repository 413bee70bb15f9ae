"""Courses stage of the default pack: courses.coaching, courses.team-share, courses.group,
courses.no-course."""

from __future__ import annotations

from typing import Any

import pytest

from ccrules.model import Format, Stage

from .scenario import (
    Tiny,
    all_sessions,
    baseline,
    rules,
    session_of_agent,
    sessions_for,
    text,
    unplaced,
)

# Team T1 has five active agents (A1-A5); T2 three (B1-B3, B4 is on leave).
T1_SIZE = 5
T2_SIZE = 3


def no_shares(tiny: Tiny) -> Tiny:
    """Turn team shares off, so C1's weak agents A2-A4 take the fallback formats."""
    return tiny.set("courses", share_min_agents=99)


def test_tiny_sessions_are_the_known_ones() -> None:
    plan = baseline()

    got = {(s.course_id, s.format, s.attendees, s.team_id) for s in all_sessions(plan)}
    assert got == {
        ("K1", Format.PRE_SHIFT, ("A2", "A3", "A4"), "T1"),
        ("K2", Format.COACHING, ("A5",), None),
        ("K3", Format.MICRO_VIDEO, ("B2",), None),
        ("K3", Format.MICRO_VIDEO, ("B3",), None),
    }
    by_course = {s.course_id: rules(s.reasons) for s in all_sessions(plan)}
    assert by_course == {
        "K1": ["courses.team-share"],
        "K2": ["courses.coaching"],
        "K3": ["courses.group"],
    }
    share = session_of_agent(plan, "A2", "C1")
    assert share.need_ids == ("qa:A2:C1", "qa:A3:C1", "qa:A4:C1")
    assert share.duration_minutes == 15


# --------------------------------------------------------------------------------------------
# courses.coaching


@pytest.mark.parametrize(
    ("coaching_gap", "rule"),
    [
        (55, "courses.coaching"),  # A5's gap on C2, exactly: 75 required, QA 20
        (55.01, "courses.group"),  # not far enough: coaching only as C2's fallback format
    ],
)
def test_coaching_from_the_measured_gap_in_points(coaching_gap: float, rule: str) -> None:
    plan = Tiny().set("courses", coaching_gap=coaching_gap).plan()

    session = session_of_agent(plan, "A5", "C2")
    assert session.format is Format.COACHING
    assert rules(session.reasons) == [rule]
    if rule == "courses.coaching":
        assert "55 points below the target 75" in text(session.reasons)


def test_a_measured_gap_ignores_the_severity_setting() -> None:
    # severity is a ratio; a measured gap decides in points, whatever coaching_severity says
    plan = Tiny().set("courses", coaching_gap=60, coaching_severity=0.1).plan()

    session = session_of_agent(plan, "A5", "C2")
    assert rules(session.reasons) == ["courses.group"]


def test_a_far_behind_agent_gets_a_classroom_and_sits_in_the_team_share() -> None:
    # A2 is 40 below on C1 (4 of 10 against 80), A3-A5 20; C1 has no coaching course, so A2
    # goes to the classroom K5 for the need; the share serves the team's pattern, A2 in it
    tiny = weak_team_t1(Tiny()).set("courses", coaching_gap=40)

    plan = tiny.plan()

    (own,) = [s for s in plan.sessions if "qa:A2:C1" in s.need_ids]
    assert (own.course_id, own.attendees) == ("K5", ("A2",))
    assert rules(own.reasons) == ["courses.coaching"]
    assert "no 1:1 coaching in the catalogue" in text(own.reasons)
    share = session_of_agent(plan, "A3", "C1")
    assert (share.course_id, share.attendees) == ("K1", ("A2", "A3", "A4", "A5"))
    assert "qa:A2:C1" not in share.need_ids
    assert "4 of 5 agents" in text(share.reasons) and "sits in too" in text(share.reasons)


def weak_team_t1(tiny: Tiny) -> Tiny:
    """A2 far behind on C1 (4 of 10 against 80: severity 0.5); A3-A5 a little (0.25)."""
    return tiny.score("A2", "I1", 4).score("A5", "I1", 6)


def test_coaching_comes_before_the_team_share() -> None:
    tiny = weak_team_t1(Tiny()).set("courses", coaching_gap=40)
    tiny.course("K6", "C1", "coaching", 45)

    plan = tiny.plan()

    (coaching,) = [s for s in plan.sessions if "qa:A2:C1" in s.need_ids]
    assert (coaching.course_id, coaching.attendees) == ("K6", ("A2",))
    assert rules(coaching.reasons) == ["courses.coaching"]
    share = session_of_agent(plan, "A3", "C1")
    assert (share.course_id, share.attendees) == ("K1", ("A2", "A3", "A4", "A5"))


def test_below_the_coaching_gap_the_team_share_takes_everyone() -> None:
    plan = weak_team_t1(Tiny()).set("courses", coaching_gap=41).plan()

    share = session_of_agent(plan, "A2", "C1")
    assert (share.course_id, share.attendees) == ("K1", ("A2", "A3", "A4", "A5"))


# --------------------------------------------------------------------------------------------
# courses.team-share


@pytest.mark.parametrize(("share_min_agents", "share"), [(3, True), (4, False)])
def test_team_share_needs_share_min_agents(share_min_agents: int, share: bool) -> None:
    plan = Tiny().set("courses", share_min_agents=share_min_agents).plan()

    formats = {s.format for s in sessions_for(plan, "C1")}
    assert formats == ({Format.PRE_SHIFT} if share else {Format.CLASSROOM})


@pytest.mark.parametrize(
    ("share_min_ratio", "share"),
    [(3 / T1_SIZE, True), (3 / T1_SIZE + 0.01, False)],
)
def test_team_share_needs_share_min_ratio_of_the_active_team(
    share_min_ratio: float, share: bool
) -> None:
    # A6 on leave does not count in the team's size: 3 of 5, not 3 of 6.
    tiny = Tiny().set("courses", share_min_ratio=share_min_ratio)
    tiny.add("agents", agent_id="A6", name="On leave", team_id="T1", role_id="AG", status="leave")

    plan = tiny.plan()

    shares = [s for s in sessions_for(plan, "C1") if s.format is Format.PRE_SHIFT]
    assert bool(shares) is share
    if share:
        (reason,) = shares[0].reasons
        assert {f.name: f.value for f in reason.facts}["team_size"] == T1_SIZE


def test_team_share_is_per_team() -> None:
    # B2 (T2) joins A2-A4 (T1) on C1: the share is T1's; B2 alone is not a share for T2.
    plan = Tiny().score("B2", "I1", 6).plan()

    share = session_of_agent(plan, "A2", "C1")
    assert (share.team_id, share.attendees) == ("T1", ("A2", "A3", "A4"))
    assert session_of_agent(plan, "B2", "C1").format is not Format.PRE_SHIFT


# --------------------------------------------------------------------------------------------
# courses.group


def group_sizes(tiny: Tiny, competency_id: str) -> list[int]:
    sessions = sessions_for(tiny.plan(), competency_id)
    assert {s.format for s in sessions} == {Format.CLASSROOM}
    return sorted(len(s.attendees) for s in sessions)


@pytest.mark.parametrize(("max_group", "sizes"), [(2, [1, 2]), (3, [3])])
def test_classroom_groups_respect_max_group(max_group: int, sizes: list[int]) -> None:
    tiny = no_shares(Tiny()).set("schedule", max_team_share_off=1.0)
    tiny.update("courses", {"course_id": "K5"}, max_group=max_group)

    assert group_sizes(tiny, "C1") == sizes


@pytest.mark.parametrize(
    ("max_team_share_off", "sizes"),
    [
        (0.4, [1, 2]),  # int(5 * 0.4) = 2 of T1 per session
        (0.6, [3]),  # int(5 * 0.6) = 3
        (0.1, [1, 1, 1]),  # int(0.5) = 0, but at least one
    ],
)
def test_classroom_groups_respect_the_team_cap(max_team_share_off: float, sizes: list[int]) -> None:
    tiny = no_shares(Tiny()).set("schedule", max_team_share_off=max_team_share_off)

    assert group_sizes(tiny, "C1") == sizes


def test_support_teams_are_not_capped_in_groups() -> None:
    # B2 and B3 of T2 (cap int(3 * 0.34) = 1 if it were front-line) share one classroom.
    tiny = Tiny().set("courses", min_group=2)
    tiny.update("teams", {"team_id": "T2"}, function="support")

    assert group_sizes(tiny, "C3") == [2]


@pytest.mark.parametrize(
    ("courses", "formats"),
    [
        # B2 (QA) and B3 (KPI) need C3, which has K3 micro-video and K4 classroom.
        ({}, {Format.MICRO_VIDEO}),  # 2 < min_group 3: classroom skipped
        ({"min_group": 2}, {Format.CLASSROOM}),
        ({"min_group": 2, "fallback": ["micro-video", "classroom"]}, {Format.MICRO_VIDEO}),
        ({"fallback": ["coaching", "classroom"]}, {Format.CLASSROOM}),  # no C3 coaching
        ({"fallback": ["classroom"]}, {Format.CLASSROOM}),  # too few, but the only format
    ],
)
def test_fallback_takes_the_first_fitting_format(
    courses: dict[str, Any], formats: set[Format]
) -> None:
    # T2's cap of int(3 * 0.34) = 1 would split a classroom; let both in.
    tiny = Tiny().set("courses", **courses).set("schedule", max_team_share_off=0.67)

    sessions = sessions_for(tiny.plan(), "C3")

    assert {s.format for s in sessions} == formats
    assert sorted(a for s in sessions for a in s.attendees) == ["B2", "B3"]
    for session in sessions:
        assert rules(session.reasons) == ["courses.group"]


def test_forced_small_classroom_says_so() -> None:
    tiny = Tiny().set("courses", fallback=["classroom"]).set("schedule", max_team_share_off=0.67)

    (session,) = sessions_for(tiny.plan(), "C3")

    assert session.attendees == ("B2", "B3")
    assert "fewer than 3" in text(session.reasons)


def test_two_needs_on_one_competency_take_one_seat() -> None:
    # B2 gets a KPI need on C3 besides its QA need.
    plan = Tiny().kpi_values("B2", "fcr", 0.6, 0.6, 0.6).plan()

    session = session_of_agent(plan, "B2", "C3")
    assert set(session.need_ids) == {"qa:B2:C3", "kpi:fcr:B2:C3"}


# --------------------------------------------------------------------------------------------
# courses.no-course


def test_a_competency_without_a_course_is_unplaced() -> None:
    plan = Tiny().remove("courses", course_id="K2").plan()

    item = unplaced(plan, "qa:A5:C2")
    assert (item.kind, item.stage) == ("need", Stage.COURSES)
    assert rules(item.reasons) == ["courses.no-course"]
    assert "add one to train this need" in text(item.reasons)
    assert not sessions_for(plan, "C2")
    # the rest of the plan is unchanged
    assert {s.course_id for s in plan.sessions} == {"K1", "K3"}


def test_formats_outside_the_fallback_list_leave_the_need_unplaced() -> None:
    plan = Tiny().set("courses", fallback=["shadowing"]).plan()

    for need_id in ("qa:B2:C3", "kpi:fcr:B3:C3"):
        item = unplaced(plan, need_id)
        assert item.stage is Stage.COURSES
        assert rules(item.reasons) == ["courses.no-course"]
        assert "the catalogue has classroom, micro-video" in text(item.reasons)
    assert not sessions_for(plan, "C3")


def test_a_share_course_alone_cannot_serve_a_lone_agent() -> None:
    # B2 alone in T2 is weak on C1, whose only course left is T1's pre-shift share K1.
    plan = Tiny().remove("courses", course_id="K5").score("B2", "I1", 6).plan()

    assert session_of_agent(plan, "A2", "C1").format is Format.PRE_SHIFT
    item = unplaced(plan, "qa:B2:C1")
    assert rules(item.reasons) == ["courses.no-course"]
    assert "the catalogue has pre-shift" in text(item.reasons)


def test_a_share_too_small_to_hold_gives_no_session_to_who_only_sat_in() -> None:
    # A2 (40 below) is coached in K6 and would sit in T1's share with A3-A5; at a minimum of
    # five attendees the share is not held, and A2 gets no second session for a need that
    # the coaching already serves
    tiny = weak_team_t1(Tiny()).set("courses", coaching_gap=40, share_min_attendees=5)
    tiny.course("K6", "C1", "coaching", 45)

    plan = tiny.plan()

    assert all(s.need_ids for s in all_sessions(plan))
    a2 = [s for s in all_sessions(plan) if "A2" in s.attendees and s.competency_id == "C1"]
    assert [s.course_id for s in a2] == ["K6"]


def test_a_gap_is_never_trained_in_a_voluntary_course() -> None:
    # K2 (coaching, C2's only course) made voluntary: A5's QA gap on C2 is not seated in it,
    # and the plan says what to add
    plan = Tiny().update("courses", {"course_id": "K2"}, voluntary="true").plan()

    assert not [s for s in all_sessions(plan) if s.course_id == "K2"]
    item = unplaced(plan, "qa:A5:C2")
    assert "Only voluntary courses train" in item.reasons[0].text
    assert "add a required course" in item.reasons[0].text
