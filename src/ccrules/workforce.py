"""The cycle's workforce: the traffic forecast, the roster, trainers' availability and the
service-level goal of every queue, with Erlang C worked out for every interval.

A :class:`Workforce` answers the questions a schedule policy asks, without any policy of its
own: who is at work when, and on which queue; how many agents each interval needs to hold its
floor; how many the roster gives; and what taking a group off the phones would cost. The
engine builds one before the schedule stage and hands it to ``ccrules_schedule``; after the
stage it measures the plan with :meth:`Workforce.table`, whichever plugin scheduled it.

Time is kept in whole minutes from the cycle's first day at 00:00, so every sum is exact: a
segment or a session covering part of an interval counts for that part (a 15-minute share in
a 30-minute interval takes half an agent off the phones).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from ccrules import erlang
from ccrules._center import Center
from ccrules._evidence import Evidence
from ccrules.model import ServiceGoal, ServiceInterval, Session, Trainer

__all__ = ["ACTIVITIES", "AT_WORK", "Segment", "Workforce"]

#: what a roster segment may be
ACTIVITIES = ("phone", "offline", "break", "meeting")
#: activities during which training may take place
AT_WORK = frozenset({"phone", "offline"})
_EPS = 1e-6


@attrs.frozen
class Segment:
    """One segment of an agent's day on the roster.

    :param queue: for ``phone`` time, the queue it serves (from the roster, else the team).
    """

    start: dt.datetime
    end: dt.datetime
    activity: str
    queue: str | None = None


class Workforce:
    """Forecast, roster, availability and goals for one center and cycle.

    Intervals are numbered from the cycle's first day at 00:00 (``k``); :meth:`interval_of`
    and :meth:`start_of` convert. Per queue it holds the forecast (``contacts``,
    ``aht_seconds``), the agents required for the floor, and the rostered phone time in
    agent-minutes.

    :ivar has_forecast: traffic was given for some day of the cycle.
    :ivar has_roster: shifts were given.
    """

    def __init__(
        self,
        center: Center,
        *,
        forecast: Iterable[tuple[str, dt.date, dt.time, float, float]] = (),
        roster: Iterable[tuple[str, dt.date, dt.time, dt.time, str, str | None]] = (),
        availability: Iterable[tuple[str, dt.date, dt.time, dt.time]] = (),
        has_roster: bool | None = None,
    ) -> None:
        """Build from rows; :meth:`load` reads them from a center's evidence.

        :param forecast: ``(queue, date, start_time, contacts, aht_seconds)``.
        :param roster: ``(agent_id, date, start_time, end_time, activity, queue)``, the queue
            resolved (the roster's, else the team's) for phone time.
        :param availability: ``(trainer_id, date, start_time, end_time)``.
        """
        self.center = center
        self.service = center.service
        self.minutes = center.service.interval_minutes
        self.origin = dt.datetime.combine(center.cycle.start, dt.time())
        self.days = (center.cycle.end - center.cycle.start).days + 1
        self.size = self.days * (24 * 60 // self.minutes)
        self._segments: dict[str, dict[dt.date, tuple[Segment, ...]]] = {}
        building: dict[str, dict[dt.date, list[Segment]]] = {}
        for agent_id, day, start, end, activity, queue in roster:
            if not self._in_cycle(day):
                continue
            building.setdefault(agent_id, {}).setdefault(day, []).append(
                Segment(
                    dt.datetime.combine(day, start),
                    dt.datetime.combine(day, end),
                    activity,
                    queue if activity == "phone" else None,
                )
            )
        for agent_id in sorted(building):
            self._segments[agent_id] = {
                day: tuple(sorted(segments, key=lambda s: s.start))
                for day, segments in sorted(building[agent_id].items())
            }
        self.has_roster = bool(building) if has_roster is None else has_roster
        self._available: dict[str, dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]] = {}
        for trainer_id, day, start, end in availability:
            if self._in_cycle(day):
                self._available.setdefault(trainer_id, {}).setdefault(day, []).append(
                    (dt.datetime.combine(day, start), dt.datetime.combine(day, end))
                )
        for windows in self._available.values():
            for spans in windows.values():
                spans.sort()
        contacts: dict[str, list[float]] = {}
        aht: dict[str, list[float]] = {}
        known: dict[str, set[int]] = {}
        for queue, day, start, count, handle in forecast:
            if not self._in_cycle(day):
                continue
            k = self.interval_of(dt.datetime.combine(day, start))
            contacts.setdefault(queue, [0.0] * self.size)[k] = float(count)
            aht.setdefault(queue, [0.0] * self.size)[k] = float(handle)
            known.setdefault(queue, set()).add(k)
        self.has_forecast = bool(contacts)
        #: queue -> contacts per interval
        self.contacts: Mapping[str, Sequence[float]] = contacts
        #: queue -> average handle time per interval, seconds (0 where no forecast)
        self.aht_seconds: Mapping[str, Sequence[float]] = aht
        self._known = known
        self.queues: tuple[str, ...] = tuple(sorted(contacts))
        #: queue -> agents the floor requires per interval
        self.required: dict[str, list[int]] = {}
        for queue in self.queues:
            goal = self.goal(queue)
            self.required[queue] = erlang.required_many(
                contacts[queue],
                [a if a > 0 else 1.0 for a in aht[queue]],
                self.minutes * 60,
                goal.answer_seconds,
                goal.floor,
                goal.max_occupancy,
            )
        #: queue -> rostered phone agent-minutes per interval
        self.rostered: dict[str, list[int]] = {q: [0] * self.size for q in self.queues}
        for agent_days in self._segments.values():
            for day_segments in agent_days.values():
                for segment in day_segments:
                    if segment.activity == "phone" and segment.queue in self.rostered:
                        self._spread(self.rostered[segment.queue], segment.start, segment.end, 1)

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, center: Center, evidence: Evidence) -> Workforce:
        """Read the forecast, roster and availability of ``center``'s cycle from the
        evidence tables (``traffic``, ``shifts``, ``trainer_availability``)."""
        window = {"first": center.cycle.start, "last": center.cycle.end}
        forecast = [
            (q, d, t, float(c), float(a))
            for q, d, t, c, a in evidence.sql(
                "SELECT queue, date, start_time, contacts, aht_seconds FROM traffic "
                "WHERE date BETWEEN $first AND $last ORDER BY queue, date, start_time",
                window,
            )
        ]
        single = forecast[0][0] if len({row[0] for row in forecast}) == 1 else None
        roster = evidence.sql(
            "SELECT s.agent_id, s.date, s.start_time, s.end_time, s.activity, "
            "coalesce(s.queue, t.queue, $single) "
            "FROM shifts AS s JOIN agents AS a ON a.agent_id = s.agent_id "
            "JOIN teams AS t ON t.team_id = a.team_id "
            "WHERE s.date BETWEEN $first AND $last ORDER BY s.agent_id, s.date, s.start_time",
            {**window, "single": single},
        )
        availability = evidence.sql(
            "SELECT trainer_id, date, start_time, end_time FROM trainer_availability "
            "WHERE date BETWEEN $first AND $last ORDER BY trainer_id, date, start_time",
            window,
        )
        return cls(
            center,
            forecast=forecast,
            roster=roster,
            availability=availability,
            has_roster=evidence.has("shifts"),
        )

    def _in_cycle(self, day: dt.date) -> bool:
        return self.center.cycle.start <= day <= self.center.cycle.end

    # -- time -------------------------------------------------------------------------------

    def interval_of(self, moment: dt.datetime) -> int:
        """The number of the interval ``moment`` falls in."""
        return int((moment - self.origin).total_seconds() // 60) // self.minutes

    def start_of(self, k: int) -> dt.datetime:
        """When interval ``k`` starts."""
        return self.origin + dt.timedelta(minutes=k * self.minutes)

    def minute_of(self, moment: dt.datetime) -> int:
        """Whole minutes from the cycle's first day at 00:00 to ``moment``."""
        return int((moment - self.origin).total_seconds() // 60)

    def by_interval(self, first: int, last: int) -> Iterator[tuple[int, int]]:
        """The minutes [first, last) (counted from the cycle's first day at 00:00) cut at
        interval edges: ``(interval, minutes in it)`` for each interval they cover."""
        while first < last:
            k = first // self.minutes
            edge = min((k + 1) * self.minutes, last)
            yield k, edge - first
            first = edge

    def _spread(self, into: list[int], start: dt.datetime, end: dt.datetime, sign: int) -> None:
        """Add ``sign`` x the minutes of [start, end) to each interval they cover."""
        first = max(self.minute_of(start), 0)
        last = min(self.minute_of(end), self.size * self.minutes)
        for k, minutes in self.by_interval(first, last):
            into[k] += sign * minutes

    # -- people -----------------------------------------------------------------------------

    def goal(self, queue: str) -> ServiceGoal:
        """The service-level goal of ``queue`` (``[service]`` and ``[service.queues]``)."""
        return self.service.goal(queue)

    def rostered_agents(self) -> frozenset[str]:
        """Agents with at least one roster segment in the cycle."""
        return frozenset(self._segments)

    def segments(self, agent_id: str, day: dt.date) -> tuple[Segment, ...]:
        """The agent's roster segments on ``day``, in time order; empty on a day off (or
        when the agent is not on the roster at all: see :meth:`rostered_agents`)."""
        return self._segments.get(agent_id, {}).get(day, ())

    def trainer_windows(
        self, trainer_id: str, day: dt.date
    ) -> tuple[tuple[dt.datetime, dt.datetime], ...] | None:
        """When the trainer can teach on ``day`` according to trainer_availability;
        ``None`` when that file gives the trainer no row in the whole cycle."""
        days = self._available.get(trainer_id)
        if days is None:
            return None
        return tuple(days.get(day, ()))

    def phone_minutes(
        self, agent_id: str, start: dt.datetime, end: dt.datetime
    ) -> dict[tuple[str, int], int]:
        """What taking ``agent_id`` off during [start, end) costs: (queue, interval) ->
        minutes of rostered phone time lost."""
        cost: dict[tuple[str, int], int] = {}
        for segment in self.segments(agent_id, start.date()):
            if segment.activity != "phone" or segment.queue not in self.rostered:
                continue
            first = self.minute_of(max(segment.start, start))
            last = self.minute_of(min(segment.end, end))
            for k, minutes in self.by_interval(first, last):
                key = (segment.queue, k)
                cost[key] = cost.get(key, 0) + minutes
        return cost

    # -- the queue --------------------------------------------------------------------------

    def available(self, queue: str, k: int) -> float:
        """Agents available on the phones in interval ``k``: rostered less shrinkage."""
        return self.rostered[queue][k] / self.minutes * (1 - self.service.shrinkage)

    def slack(self, queue: str, k: int, off_minutes: int = 0) -> float:
        """Agent-minutes that may still leave the phones in interval ``k`` when
        ``off_minutes`` already have: negative when the interval is below its floor."""
        spare = self.rostered[queue][k] * (1 - self.service.shrinkage) - off_minutes
        return spare - self.required[queue][k] * self.minutes

    def service_level(self, queue: str, k: int, agents: float) -> float:
        """The forecast service level of interval ``k`` with ``agents`` on the phones
        (whole agents count: a part of one does not answer)."""
        goal = self.goal(queue)
        return erlang.staffing(
            self.contacts[queue][k],
            self.aht_seconds[queue][k] or 1.0,
            self.minutes * 60,
            max(0, math.floor(agents + _EPS)),
            goal.answer_seconds,
        ).service_level

    def intervals(self, queue: str) -> list[int]:
        """Intervals of ``queue`` with a forecast or rostered phone time, in order."""
        known = self._known.get(queue, set())
        return [k for k in range(self.size) if k in known or self.rostered[queue][k]]

    # -- measuring a plan -------------------------------------------------------------------

    def off_minutes(
        self, sessions: Iterable[Session], trainers: Iterable[Trainer]
    ) -> dict[tuple[str, int], int]:
        """Phone agent-minutes the sessions take, per (queue, interval): attendees, and
        trainers who are agents on the floor."""
        on_floor = {t.id: t.agent_id for t in trainers if t.agent_id is not None}
        off: dict[tuple[str, int], int] = {}
        for session in sessions:
            if session.start is None or session.end is None:
                continue
            people = list(session.attendees)
            floor_agent = on_floor.get(session.trainer_id or "")
            if floor_agent is not None and floor_agent not in people:
                people.append(floor_agent)
            for agent_id in people:
                for key, minutes in self.phone_minutes(
                    agent_id, session.start, session.end
                ).items():
                    off[key] = off.get(key, 0) + minutes
        return off

    def table(
        self, sessions: Iterable[Session], trainers: Iterable[Trainer]
    ) -> tuple[ServiceInterval, ...]:
        """Per queue and interval: required, rostered, taken off, and the service level
        before and after the sessions. Intervals with neither forecast nor roster are left
        out."""
        off = self.off_minutes(sessions, trainers)
        rows: list[ServiceInterval] = []
        length = dt.timedelta(minutes=self.minutes)
        seconds = self.minutes * 60
        for queue in self.queues:
            goal = self.goal(queue)
            ks = self.intervals(queue)
            contacts = [self.contacts[queue][k] for k in ks]
            aht = [self.aht_seconds[queue][k] or 1.0 for k in ks]
            available = [self.available(queue, k) for k in ks]
            taken = [off.get((queue, k), 0) / self.minutes for k in ks]
            before = erlang.service_levels(
                contacts,
                aht,
                seconds,
                [math.floor(a + _EPS) for a in available],
                goal.answer_seconds,
            )
            after = erlang.service_levels(
                contacts,
                aht,
                seconds,
                [max(0, math.floor(a - t + _EPS)) for a, t in zip(available, taken, strict=True)],
                goal.answer_seconds,
            )
            for i, k in enumerate(ks):
                start = self.start_of(k)
                rows.append(
                    ServiceInterval(
                        queue=queue,
                        start=start,
                        end=start + length,
                        contacts=contacts[i],
                        aht_seconds=self.aht_seconds[queue][k],
                        required=self.required[queue][k],
                        rostered=round(self.rostered[queue][k] / self.minutes, 4),
                        available=round(available[i], 4),
                        off=round(taken[i], 4),
                        service_level_before=round(before[i], 4),
                        service_level_after=round(after[i], 4),
                        floor=goal.floor,
                    )
                )
        return tuple(rows)
