"""An independent check of a scheduled plan against every constraint of the schedule stage.

Written without the pack's or the Workforce's code: the roster is read minute by minute from
the raw ``shifts`` table, required agents come from the scalar Erlang C function, and phone
time taken off is counted minute by minute. A plan that passes keeps people at work and
unbooked, the daily minutes, one share a team a day, and every interval's service-level floor.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator

from ccrules import Engine, erlang
from ccrules.model import Format, Plan, Session
from ccrules_packs.default.settings import WEEKDAYS, Settings

AT_WORK = ("phone", "offline")


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _span(session: Session) -> Iterator[int]:
    assert session.start is not None and session.end is not None
    base = _minutes(session.start.time())
    yield from range(base, base + session.duration_minutes)


class Checked:
    """What the check counted, for tests to assert on."""

    def __init__(self) -> None:
        self.intervals = 0
        self.below_before = 0
        self.below_after = 0
        self.broken: list[str] = []


def check_schedule(engine: Engine, plan: Plan) -> Checked:
    """Assert every constraint; return the counts."""
    center = engine.center
    evidence = engine.build_evidence()
    settings = center.settings(Settings).schedule
    cycle = center.cycle
    result = Checked()
    # the roster, minute by minute: (agent, day) -> minute -> (activity, queue)
    roster: dict[tuple[str, dt.date], dict[int, tuple[str, str | None]]] = {}
    single = [q for (q,) in evidence.sql("SELECT DISTINCT queue FROM traffic ORDER BY queue")]
    for agent, day, start, end, activity, queue in evidence.sql(
        "SELECT s.agent_id, s.date, s.start_time, s.end_time, s.activity, "
        "coalesce(s.queue, t.queue) FROM shifts s JOIN agents a USING (agent_id) "
        "JOIN teams t ON t.team_id = a.team_id"
    ):
        if queue is None and len(single) == 1:
            queue = single[0]
        minutes = roster.setdefault((agent, day), {})
        for m in range(_minutes(start), _minutes(end)):
            minutes[m] = (activity, queue)
    rostered = {agent for agent, _ in roster}
    windows: dict[tuple[str, dt.date], set[int]] = {}
    for trainer, day, start, end in evidence.sql(
        "SELECT trainer_id, date, start_time, end_time FROM trainer_availability"
    ):
        windows.setdefault((trainer, day), set()).update(range(_minutes(start), _minutes(end)))
    available_trainers = {t for t, _ in windows}

    def team_window(agent: str) -> range:
        team = center.teams[center.agents[agent].team_id]
        start = team.shift_start or settings.day_start
        end = team.shift_end or settings.day_end
        return range(_minutes(start), _minutes(end))

    def at_work(person: str, day: dt.date, minute: int) -> bool:
        if person.startswith("trainer:"):
            trainer = person[8:]
            if trainer in available_trainers:
                return minute in windows.get((trainer, day), set())
            return _minutes(settings.trainer_start) <= minute < _minutes(settings.trainer_end)
        if person in rostered:
            slot = roster.get((person, day), {}).get(minute)
            return slot is not None and slot[0] in AT_WORK
        return minute in team_window(person)

    def shift_start(agent: str, day: dt.date) -> int | None:
        if agent in rostered:
            work = [m for m, (a, _) in roster.get((agent, day), {}).items() if a in AT_WORK]
            return min(work) if work else None
        return team_window(agent).start

    pool = {t.id: t for t in plan.trainers} | dict(center.trainers)

    def people(session: Session) -> list[str]:
        found = list(session.attendees)
        trainer = pool.get(session.trainer_id or "")
        if trainer is not None:
            person = trainer.agent_id or f"trainer:{trainer.id}"
            if person not in found:
                found.append(person)
        return found

    daily: Counter[tuple[str, dt.date]] = Counter()
    shares: Counter[tuple[str | None, dt.date]] = Counter()
    off: Counter[tuple[str, dt.datetime]] = Counter()  # (queue, interval start) -> minutes
    m = center.service.interval_minutes
    for session in plan.sessions:
        assert session.start is not None and session.end is not None
        day = session.start.date()
        assert session.end == session.start + dt.timedelta(minutes=session.duration_minutes)
        assert cycle.start <= day <= cycle.end and session.end.date() == day, session.id
        assert WEEKDAYS[day.weekday()] in settings.workdays, session.id
        for person in people(session):
            for minute in _span(session):
                assert at_work(person, day, minute), (session.id, person, minute)
                slot = roster.get((person, day), {}).get(minute)
                if slot is not None and slot[0] == "phone" and slot[1] is not None:
                    k = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute // m * m)
                    off[(slot[1], k)] += 1
        for agent in session.attendees:
            daily[(agent, day)] += session.duration_minutes
        if session.format is Format.PRE_SHIFT and session.team_id is not None:
            shares[(session.team_id, day)] += 1
            for agent in session.attendees:
                assert _minutes(session.start.time()) == shift_start(agent, day), session.id
    assert max(daily.values(), default=0) <= settings.max_minutes_per_day
    assert max(shares.values(), default=0) <= 1
    spans = [(s, s.start, s.end) for s in plan.sessions]
    for one, start1, end1 in spans:
        for two, start2, end2 in spans:
            assert start1 is not None and end1 is not None
            assert start2 is not None and end2 is not None
            if one.id < two.id and start1 < end2 and start2 < end1:
                assert not set(people(one)) & set(people(two)), (one.id, two.id)
    # the floor, interval by interval, from the raw forecast
    forecast = evidence.sql(
        "SELECT queue, date, start_time, contacts, aht_seconds FROM traffic "
        "WHERE date BETWEEN $a AND $b",
        {"a": cycle.start, "b": cycle.end},
    )
    phone: Counter[tuple[str, dt.datetime]] = Counter()
    for (_, day), minutes in roster.items():
        if not cycle.start <= day <= cycle.end:
            continue
        for minute, (activity, queue) in minutes.items():
            if activity == "phone" and queue is not None:
                k = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute // m * m)
                phone[(queue, k)] += 1
    service = {(i.queue, i.start): i for i in plan.service}
    shrink = center.service.shrinkage
    for queue, day, start, contacts, aht in forecast:
        key = (queue, dt.datetime.combine(day, start))
        goal = center.service.goal(queue)
        required = erlang.required_agents(
            float(contacts),
            float(aht),
            m * 60,
            goal.answer_seconds,
            goal.floor,
            goal.max_occupancy,
        ).agents
        available = phone[key] * (1 - shrink) / m
        taken = off[key] / m
        result.intervals += 1
        before = available + 1e-6 >= required
        after = available - taken + 1e-6 >= required
        result.below_before += not before
        result.below_after += not after
        if before:
            assert after, (key, available, taken, required)
        else:
            assert taken == 0, (key, "an interval already below its floor lost agents")
        row = service.get(key)
        assert row is not None, key
        assert row.required == required, key
        assert math.isclose(row.off, round(taken, 4), abs_tol=1e-4), (key, row.off, taken)
    if not forecast:
        _team_cap(center, plan, settings, rostered, evidence.has("shifts"))
    return result


def _team_cap(center, plan, settings, rostered, has_roster) -> None:  # type: ignore[no-untyped-def]
    """Without a forecast: at most a share of each front-line team off the phones at once
    (pre-shift shares aside), counting agents on the phones."""
    if has_roster:
        return  # every agent is then on the roster or off the phones
    for moment in {s.start for s in plan.sessions}:
        count: Counter[str] = Counter()
        for session in plan.sessions:
            if session.format is Format.PRE_SHIFT:
                continue
            if session.start <= moment < session.end:
                count.update(center.agents[a].team_id for a in session.attendees)
        for team_id, n in count.items():
            if center.teams[team_id].function == "front-line":
                size = len(center.members(team_id))
                assert n <= max(1, int(size * settings.max_team_share_off + 1e-9))
