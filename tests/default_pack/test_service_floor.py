"""Schedule stage with a forecast and a roster: schedule.service-floor, schedule.split and
schedule.weeks.

The tiny center gets one queue, 热线, served by both teams: T1 on the phones 09:00-18:00
(lunch 12:00-13:00), T2 13:00-22:00 (break 17:00-17:30), every weekday of the cycle. The
forecast is sized per interval with Erlang C so that each interval leaves exactly the
slack a test asks for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_i18n import english_sentences

from ccrules import erlang
from ccrules.errors import InputError
from ccrules.i18n import language
from ccrules.i18n import text as translated
from ccrules.model import Format

from .scenario import (
    FRI,
    MON,
    THU,
    TUE,
    WED,
    Tiny,
    all_sessions,
    at,
    placed,
    rules,
    session_of_agent,
    text,
)
from .schedule_check import check_schedule

DAYS = (MON, TUE, WED, THU, FRI)
QUEUE = "热线"
T1 = ("A1", "A2", "A3", "A4", "A5")
T2 = ("B1", "B2", "B3")
AHT = 180


def contacts_for(agents: int) -> int:
    """The most contacts per 30 minutes that ``agents`` can take at 80/20 (AHT 180 s)."""
    if agents <= 0:
        return 0
    n = 0
    while erlang.required_agents(n + 1, AHT, 1800, 20, 0.8).agents <= agents:
        n += 1
    return n


def on_phones(hhmm: dt.time) -> int:
    """Agents the roster below puts on the phones at ``hhmm``."""
    count = 0
    if dt.time(9) <= hhmm < dt.time(18) and not dt.time(12) <= hhmm < dt.time(13):
        count += len(T1)
    if dt.time(13) <= hhmm < dt.time(22) and not dt.time(17) <= hhmm < dt.time(17, 30):
        count += len(T2)
    return count


def with_floor(tiny: Tiny, slack: Callable[[dt.date, dt.time], int] = lambda d, t: 2) -> Tiny:
    """The roster and a forecast leaving ``slack(day, time)`` agents to spare."""
    tiny.config["service"] = {"interval_minutes": 30, "level": 0.8, "answer_seconds": 20}
    for day in DAYS:
        for agent in T1:
            shift(tiny, agent, day, ("09:00", "12:00"), ("13:00", "18:00"))
            tiny.add(
                "shifts",
                agent_id=agent,
                date=day,
                start_time="12:00",
                end_time="13:00",
                activity="break",
                queue=None,
            )
        for agent in T2:
            shift(tiny, agent, day, ("13:00", "17:00"), ("17:30", "22:00"))
        for half in range(18, 44):
            hhmm = dt.time(half // 2, half % 2 * 30)
            agents = on_phones(hhmm)
            tiny.add(
                "traffic",
                queue=QUEUE,
                date=day,
                start_time=hhmm.strftime("%H:%M"),
                contacts=contacts_for(agents - slack(day, hhmm)) if agents else 0,
                aht_seconds=AHT,
            )
    return tiny


def shift(tiny: Tiny, agent: str, day: dt.date, *spans: tuple[str, str]) -> None:
    for start, end in spans:
        tiny.add(
            "shifts",
            agent_id=agent,
            date=day,
            start_time=start,
            end_time=end,
            activity="phone",
            queue=None,
        )


def peak_until_two(day: dt.date, hhmm: dt.time) -> int:
    """No slack before 14:00, one agent to spare after, three from 16:00."""
    if hhmm < dt.time(14):
        return 0
    return 1 if hhmm < dt.time(16) else 3


def test_the_interval_table_reproduces_erlang_c() -> None:
    # 100 contacts in 30 minutes at AHT 180 s need 14 agents for 80/20 (the published
    # example); the tiny roster has 8 on the phones at 14:00, so that interval is short.
    tiny = with_floor(Tiny())
    tiny.update("traffic", {"date": MON, "start_time": "14:00"}, contacts=100)

    plan = tiny.plan()

    row = next(i for i in plan.service if i.queue == QUEUE and i.start == at(MON, "14:00"))
    assert (row.required, row.rostered, row.available) == (14, 8, 8)
    assert row.service_level_before == pytest.approx(
        erlang.staffing(100, 180, 1800, 8, 20).service_level, abs=1e-4
    )
    assert row.service_level_before < row.floor == 0.8
    assert plan.summary.intervals_below_floor_before == 1
    assert plan.summary.intervals_below_floor == 1  # training took nobody off it


def test_a_session_avoids_the_peak_and_takes_the_valley() -> None:
    tiny = with_floor(Tiny(), peak_until_two)

    with tiny.engine() as engine:
        plan = engine.plan()
        checked = check_schedule(engine, plan)

    coaching = session_of_agent(plan, "A5", "C2")  # 45 min, TR1 (full-time, off the floor)
    assert coaching.start is not None
    assert coaching.start.time() >= dt.time(14)  # before 14:00 no agent may leave
    assert rules(coaching.slot_reasons) == ["schedule.service-floor"]
    reason = text(coaching.slot_reasons)
    assert QUEUE in reason and "above its floor" in reason and "floor 0.80" in reason
    assert checked.below_after == checked.below_before == 0
    assert checked.intervals == 5 * 26


def test_the_quietest_time_of_the_day_wins() -> None:
    # One agent to spare from 14:00, three from 16:00: the quietest time is 16:00 or later.
    tiny = with_floor(Tiny(), peak_until_two).set("schedule", spread=False)

    plan = tiny.plan()

    coaching = session_of_agent(plan, "A5", "C2")
    assert coaching.start == at(MON, "16:00")
    facts = {f.name: f.value for f in coaching.slot_reasons[0].facts}
    assert facts["spare_agents"] == 2.0  # 3 to spare, less A5 for the interval
    assert facts["queue"] == QUEUE


def test_offline_time_costs_the_queue_nothing() -> None:
    # A5 is off the queue (offline) Monday 10:00-11:00: the coaching goes there although the
    # phones have no agent to spare before 14:00 and three after 16:00.
    tiny = with_floor(Tiny(), peak_until_two)
    tiny.remove("shifts", agent_id="A5", date=MON, start_time="09:00")
    shift(tiny, "A5", MON, ("09:00", "10:00"), ("11:00", "12:00"))
    tiny.add(
        "shifts",
        agent_id="A5",
        date=MON,
        start_time="10:00",
        end_time="11:00",
        activity="offline",
        queue=None,
    )

    plan = tiny.plan()

    coaching = session_of_agent(plan, "A5", "C2")
    assert coaching.start == at(MON, "10:00")
    assert "nobody leaves the phones" in text(coaching.slot_reasons)


def test_no_slack_anywhere_blocks_and_names_the_least_harm() -> None:
    tiny = with_floor(Tiny(), lambda d, t: 0)

    plan = tiny.plan()

    coaching = session_of_agent(plan, "A5", "C2")
    assert coaching.start is None
    reason = text(next(u.reasons for u in plan.unplaced if u.id == coaching.id))
    assert "the service level would fall below the floor" in reason
    assert "Least harm: " in reason and f"would take {QUEUE} to 0." in reason
    assert "1.0 agents short" in reason


def test_an_interval_already_below_its_floor_loses_nobody() -> None:
    # Every interval is one agent short before training: nothing that costs phones fits.
    tiny = with_floor(Tiny(), lambda d, t: -1)

    with tiny.engine() as engine:
        plan = engine.plan()
        checked = check_schedule(engine, plan)

    # the intervals with agents on the phones; the check asserts none of them lost anyone
    assert checked.below_before == checked.below_after == 120


def test_a_day_off_and_the_trainers_availability_are_kept() -> None:
    tiny = with_floor(Tiny(), lambda d, t: 3)
    for day in (MON, TUE, WED):  # A5 off Monday to Wednesday
        tiny.remove("shifts", agent_id="A5", date=day)
    tiny.add(  # TR1 teaches only on Friday afternoon
        "trainer_availability", trainer_id="TR1", date=FRI, start_time="14:00", end_time="16:00"
    )

    with tiny.engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)

    coaching = session_of_agent(plan, "A5", "C2")
    assert coaching.trainer_id == "TR1"
    assert coaching.start is not None and coaching.start.date() == FRI
    assert dt.time(14) <= coaching.start.time() and coaching.end.time() <= dt.time(16)


def starts_late(tiny: Tiny, agent: str) -> Tiny:
    """``agent`` starts at 10:00, an hour later than the rest of T1, every day."""
    for day in DAYS:
        tiny.remove("shifts", agent_id=agent, date=day, start_time="09:00")
        shift(tiny, agent, day, ("10:00", "12:00"))
    return tiny


def late_a4(tiny: Tiny) -> Tiny:
    """A4 starts an hour later than the rest of T1, every day; A5 joins the C1 gap."""
    tiny.score("A5", "I1", 6).score("A5", "I2", 8)
    return starts_late(tiny, "A4")


def test_a_share_is_held_once_and_who_is_not_at_it_watches_the_video() -> None:
    # One share cannot open both shift starts: it is held once, at the 09:00 meeting that
    # gathers A2, A3 and A5; A4 (starts at 10:00) watches C1's micro-video instead, never a
    # one-person "meeting" on another day.
    tiny = late_a4(with_floor(Tiny(), lambda d, t: 3)).set("schedule", spread=False)
    tiny.course("K8", "C1", "micro-video", 10)

    with tiny.engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)

    groups = {s.id: s for s in plan.sessions if s.id.startswith("K1-01-")}
    assert sorted(groups) == ["K1-01-1", "K1-01-2"]
    share, video = groups["K1-01-1"], groups["K1-01-2"]
    assert (share.format, share.attendees, share.start) == (
        Format.PRE_SHIFT,
        ("A2", "A3", "A5"),
        at(MON, "09:00"),
    )
    assert (video.format, video.course_id, video.attendees, video.trainer_id) == (
        Format.MICRO_VIDEO,
        "K8",
        ("A4",),
        None,
    )
    assert [s for s in plan.sessions if s.format is Format.PRE_SHIFT and s.team_id == "T1"] == [
        share
    ]
    assert rules(share.slot_reasons) == ["schedule.share-once", "schedule.service-floor"]
    assert "Not at it: " in share.slot_reasons[0].text and "(A4, starts at 10:00)" in text(
        share.slot_reasons
    )
    assert "(A4, starts at 10:00) is not at the team's share of K1" in text(video.slot_reasons)
    needs = {n.id: n for n in plan.needs}
    assert {needs[n].agent_id for n in video.need_ids} == {"A4"}


def test_a_share_below_the_minimum_of_attendees_is_not_held() -> None:
    # A2-A4 share the gap, but only A2 and A3 open the day at 09:00: two are fewer than
    # share_min_attendees (3), so no share is held: each watches the video instead.
    tiny = with_floor(Tiny(), lambda d, t: 3).set("schedule", spread=False)
    starts_late(tiny, "A4")
    tiny.course("K8", "C1", "micro-video", 10)

    with tiny.engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)

    c1 = [s for s in plan.sessions if s.competency_id == "C1"]
    assert {s.format for s in c1} == {Format.MICRO_VIDEO}
    assert sorted(a for s in c1 for a in s.attendees) == ["A2", "A3", "A4"]
    assert "gathers at least 3 of the 3 attendees" in text(c1[0].slot_reasons)


def test_a_share_below_the_minimum_without_a_video_is_left_with_the_reason() -> None:
    tiny = with_floor(Tiny(), lambda d, t: 3).set("schedule", spread=False)
    starts_late(tiny, "A4")

    plan = tiny.plan()

    assert not [s for s in plan.sessions if s.competency_id == "C1"]
    (left,) = [u for u in plan.unplaced if u.id == "K1-01"]
    assert rules(left.reasons) == ["schedule.share-once"]
    assert "at most 2 of them on Mon 2026-11-30 09:00" in text(left.reasons)


def test_max_groups_one_never_splits() -> None:
    tiny = with_floor(Tiny(), lambda d, t: 3).set("schedule", spread=False, max_groups=1)
    starts_late(tiny, "A4")

    plan = tiny.plan()

    assert not any(s.id.startswith("K1-01-") for s in plan.sessions)
    assert any(u.id == "K1-01" for u in plan.unplaced)


@pytest.mark.parametrize(
    ("planned_on", "fixed"), [(dt.date(2026, 11, 27), False), (dt.date(2026, 11, 28), True)]
)
def test_a_week_already_fixed_takes_no_new_session(planned_on: dt.date, fixed: bool) -> None:
    # The week of Monday 11-30 is fixed three days ahead, on Friday 11-27.
    tiny = with_floor(Tiny(), lambda d, t: 3)
    tiny.config["cycles"][0]["planned_on"] = planned_on

    plan = tiny.plan()

    week = plan.report("default.weeks")
    assert week.rows[0][:3] == ("2026-11-30", "2026-11-27", "fixed" if fixed else "open")
    assert rules(week.reasons) == ["schedule.weeks"]
    if fixed:
        assert plan.sessions == ()
        assert all(
            "the week of 2026-11-30 was fixed on 2026-11-27" in text(u.reasons)
            for u in plan.unplaced
            if u.stage.value == "schedule"
        )
    else:
        assert week.rows[0][3] == len(plan.sessions) > 0


def test_the_weeks_report_counts_sessions_and_hours() -> None:
    plan = with_floor(Tiny(), lambda d, t: 3).plan()

    (row,) = plan.report("default.weeks").rows
    assert row[3] == len(plan.sessions)
    assert row[4] == round(
        sum(s.duration_minutes * len(s.attendees) for s in plan.sessions) / 60, 2
    )
    assert row[5] is not None and row[5] >= 0.8  # the lowest service level training leaves
    assert row[6] == 0


def test_the_same_inputs_give_the_same_slots() -> None:
    tiny = with_floor(Tiny(), peak_until_two)
    one, two = tiny.plan(), tiny.plan()
    assert one == two


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda t: t.update("traffic", {"date": MON, "start_time": "09:00"}, start_time="09:10"),
            "data/traffic.csv:2",
            "is not on the 30-minute grid",
        ),
        (
            lambda t: t.add(
                "shifts",
                agent_id="A2",
                date=MON,
                start_time="10:00",
                end_time="11:00",
                activity="offline",
                queue=None,
            ),
            "data/shifts.csv",
            "overlaps an earlier segment",
        ),
        (
            lambda t: t.update(
                "shifts", {"agent_id": "A2", "date": MON, "start_time": "09:00"}, queue="VIP"
            ),
            "data/shifts.csv:",
            "queue VIP has no forecast in traffic",
        ),
        (
            lambda t: t.update("teams", {"team_id": "T1"}, queue="VIP"),
            "data/teams.csv:2",
            "queue VIP has no forecast in traffic",
        ),
        (
            lambda t: t.config["service"].update(floor=0.9),
            "center.toml",
            "service.floor: floor 0.9 is above level 0.8",
        ),
        (
            lambda t: t.config["service"].update(queues={"VIP": {"level": 0.9}}),
            "center.toml",
            "service.queues.VIP: no queue 'VIP' in data/traffic.csv",
        ),
        (
            lambda t: t.config["service"].update(interval_minutes=20),
            "center.toml",
            "interval_minutes 20 is not 15, 30 or 60",
        ),
        (
            lambda t: t.data.pop("shifts"),
            "data/traffic.csv",
            "a forecast needs a roster",
        ),
    ],
)
def test_bad_forecast_and_roster_are_refused(
    change: Callable[[Tiny], object], where: str, message: str
) -> None:
    tiny = with_floor(Tiny())
    change(tiny)

    with pytest.raises(InputError) as caught:
        tiny.plan()

    found = [str(p) for p in caught.value.problems]
    assert any(where in p and message in p for p in found), found


def test_two_queues_need_each_phone_segment_to_name_one() -> None:
    tiny = with_floor(Tiny())
    tiny.add("traffic", queue="VIP", date=MON, start_time="09:00", contacts=5, aht_seconds=200)

    with pytest.raises(InputError) as caught:
        tiny.plan()

    assert any("names no queue" in str(p) for p in caught.value.problems)
    tiny.update("teams", {"team_id": "T1"}, queue=QUEUE).update(
        "teams", {"team_id": "T2"}, queue=QUEUE
    )
    assert tiny.plan().service


# -- invariants on random rosters and forecasts -----------------------------------------------


@st.composite
def rosters(draw: st.DrawFn) -> Tiny:
    """The crowded tiny center (everyone weak on everything) with a random roster and a
    random forecast: shifts of random length and start, random breaks and offline time,
    days off, and traffic from none to more than the roster can take."""
    tiny = Tiny().set("schedule", max_minutes_per_day=90, spread=draw(st.booleans()))
    for agent in ("A2", "A3", "A4", "A5", "B2", "B3"):
        tiny.score(agent, "I1", 6).score(agent, "I2", 5).score(agent, "I3", 5)
    tiny.config["service"] = {"interval_minutes": 30, "level": 0.8, "answer_seconds": 20}
    for day in DAYS:
        for agent in (*T1, *T2):
            if agent != "A1" and draw(st.integers(0, 6)) == 0:
                continue  # a day off
            start = draw(st.integers(14, 28))  # half hours: 07:00-14:00
            length = draw(st.integers(6, 18))
            cut = draw(st.integers(start + 1, start + length))
            kind = draw(st.sampled_from(["break", "offline", "meeting", "phone"]))
            pieces = [
                (start, cut, "phone"),
                (cut, cut + 1, kind),
                (cut + 1, start + length + 1, "phone"),
            ]
            for a, b, activity in pieces:
                if a < b:
                    tiny.add(
                        "shifts",
                        agent_id=agent,
                        date=day,
                        start_time=f"{a // 2:02d}:{a % 2 * 30:02d}",
                        end_time=f"{b // 2:02d}:{b % 2 * 30:02d}",
                        activity=activity,
                        queue=None,
                    )
        for half in range(14, 47):
            tiny.add(
                "traffic",
                queue=QUEUE,
                date=day,
                start_time=f"{half // 2:02d}:{half % 2 * 30:02d}",
                contacts=draw(st.integers(0, 40)),
                aht_seconds=draw(st.sampled_from([120, 180, 300])),
            )
    return tiny


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rosters())
def test_random_rosters_keep_every_constraint(tiny: Tiny) -> None:
    """After scheduling: no interval below the floor that was not below before, nobody
    double-booked, nobody outside their shift, no trainer past capacity."""
    with tiny.engine() as engine:
        plan = engine.plan()
        checked = check_schedule(engine, plan)
    assert checked.below_after == checked.below_before
    hours: dict[str, float] = {}
    for session in plan.sessions:
        if session.trainer_id is not None:
            hours[session.trainer_id] = (
                hours.get(session.trainer_id, 0) + session.duration_minutes / 60
            )
    capacity = {t.id: t.capacity_hours for t in plan.trainers}
    for trainer_id, used in hours.items():
        assert used <= capacity[trainer_id] + 1e-9, trainer_id
    assert placed  # the scenario helpers stay importable


def test_a_trainer_on_the_phones_counts_in_a_split_group() -> None:
    # Found by `ccrules simulate`: a split group was placed where its trainer, an agent on
    # the phones, took the queue below its floor; only the attendees' cost was checked.
    # Here nobody can be spared anywhere; A2 and A3 are offline at different times (so no
    # one time takes both, and the session splits), and their trainer is the team lead A1,
    # who is on the phones all day: no group may be placed.
    tiny = with_floor(Tiny(), lambda d, t: 0).set("schedule", max_team_share_off=1.0)
    tiny.remove("courses", course_id="K1")  # C1 is taught in the classroom, K5
    tiny.remove("trainer_skills", trainer_id="TR1", competency_id="C1")
    tiny.score("A4", "I1", 9)
    for agent, day in (("A2", MON), ("A3", TUE)):
        tiny.remove("shifts", agent_id=agent, date=day, start_time="09:00")
        shift(tiny, agent, day, ("09:00", "10:00"), ("11:00", "12:00"))
        tiny.add("shifts", agent_id=agent, date=day, start_time="10:00", end_time="11:00",
                 activity="offline", queue=None)  # fmt: skip

    with tiny.engine() as engine:
        plan = engine.plan()
        checked = check_schedule(engine, plan)

    assert checked.below_after == checked.below_before
    taught = [s for s in all_sessions(plan) if s.competency_id == "C1"]
    assert {a for s in taught for a in s.attendees} == {"A2", "A3"}
    assert all(s.trainer_id == "TR2" for s in taught)
    assert all(s.start is None for s in taught)


def test_who_only_sat_in_a_share_they_miss_brings_no_need_to_the_video() -> None:
    # A2 is far behind on C1 (4 of 10): coached in K5, and sits in T1's share with A3-A5.
    # A2 starts at 10:00, so misses the 09:00 share and watches the video; that video serves
    # none of the share's needs (A2's own need is K5's), and each need is served once.
    tiny = with_floor(Tiny(), lambda d, t: 3).set("schedule", spread=False)
    tiny.set("courses", coaching_gap=40).score("A2", "I1", 4).score("A5", "I1", 6)
    starts_late(tiny, "A2")
    tiny.course("K8", "C1", "micro-video", 10)

    with tiny.engine() as engine:
        plan = engine.plan()
        check_schedule(engine, plan)

    needs = {n.id: n for n in plan.needs}
    served: dict[str, int] = {}
    for session in plan.sessions:
        for need_id in session.need_ids:
            assert needs[need_id].agent_id in session.attendees, (session.id, need_id)
            served[need_id] = served.get(need_id, 0) + 1
    assert set(served.values()) == {1}
    (video,) = [s for s in plan.sessions if s.course_id == "K8"]
    assert (video.attendees, video.need_ids) == (("A2",), ())
    (own,) = [s for s in plan.sessions if "qa:A2:C1" in s.need_ids]
    assert own.course_id == "K5"


def test_a_split_stopped_by_a_full_trainer_names_them_with_the_id() -> None:
    # A2 works Monday morning only, A3 Monday afternoon only: no time takes both, so K5
    # splits; its trainer, the team lead 王建国 (TR2), has 1.5 h: one group of an hour fits
    tiny = with_floor(Tiny(), lambda d, t: 3).set("schedule", max_team_share_off=1.0)
    tiny.remove("courses", course_id="K1")  # C1 is taught in the classroom, K5
    tiny.remove("trainer_skills", trainer_id="TR1", competency_id="C1")
    tiny.score("A4", "I1", 9)
    for agent in ("A2", "A3"):
        for day in DAYS:
            for start in ("09:00", "12:00", "13:00"):
                tiny.remove("shifts", agent_id=agent, date=day, start_time=start)
    shift(tiny, "A2", MON, ("09:00", "12:00"))
    shift(tiny, "A3", MON, ("13:00", "18:00"))
    tiny.update("trainers", {"trainer_id": "TR2"}, capacity_hours=1.5)

    plan = tiny.plan()

    taught = [s for s in all_sessions(plan) if s.competency_id == "C1"]
    assert [s.start is not None for s in taught] == [True, False]
    (left,) = [u for u in plan.unplaced if u.id == taught[1].id]
    assert rules(left.reasons) == ["schedule.split"]
    assert text(left.reasons) == (
        "No time fits 1 of the 2 attendees: the trainer 王建国 (TR2) is full (1 of 1.5 h) for "
        "another group."
    )
    with language("zh"):
        chinese = translated(left.reasons[0])
    assert "王建国（TR2）" in chinese and "1/1.5" in chinese
    assert english_sentences(chinese, set()) == []


def test_the_schedule_reasons_read_in_chinese() -> None:
    # the same reasons in Chinese: weekday, times, queue and figures kept, no English left
    tiny = with_floor(Tiny(), peak_until_two)
    plan = tiny.plan()
    coaching = session_of_agent(plan, "A5", "C2")
    blocked = with_floor(Tiny(), lambda d, t: 0).plan()
    unplaced = next(u for u in blocked.unplaced if u.id == session_of_agent(blocked, "A5", "C2").id)
    assert coaching.start is not None
    placed_text = text(coaching.slot_reasons)
    assert placed_text.startswith(f"{coaching.start:%a %Y-%m-%d %H:%M}-")
    assert "the quietest time of the least-loaded day for its teams: 热线 keeps" in placed_text

    with language("zh"):
        for reason in (
            *coaching.slot_reasons,
            *unplaced.reasons,
            *plan.report("default.weeks").reasons,
        ):
            chinese = translated(reason)
            assert chinese != reason.text
            assert english_sentences(chinese, {QUEUE}) == [], chinese
        assert translated(coaching.slot_reasons[0]).startswith(f"{coaching.start:%Y-%m-%d %H:%M}-")
        assert "周" in translated(coaching.slot_reasons[0])
        assert translated(plan.report("default.weeks").title, plugin="default") == "周计划"
