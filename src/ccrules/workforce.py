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
import numpy as np
import numpy.typing as npt

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
_DAY = 24 * 60


def _clock(moment: dt.time) -> int:
    """Whole minutes from 00:00 to a time of day."""
    return moment.hour * 60 + moment.minute


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
        rostered: Iterable[tuple[str, int, int]] | None = None,
    ) -> None:
        """Build from rows; :meth:`load` reads them from a center's evidence.

        :param forecast: ``(queue, date, start_time, contacts, aht_seconds)``.
        :param roster: ``(agent_id, date, start_time, end_time, activity, queue)``, the queue
            resolved (the roster's, else the team's) for phone time.
        :param availability: ``(trainer_id, date, start_time, end_time)``.
        :param rostered: ``(queue, interval, phone agent-minutes)`` when already summed
            from the roster (as :meth:`load` does in DuckDB); else summed here.
        """
        self.center = center
        self.service = center.service
        self._goals: dict[str, ServiceGoal] = {}
        self._levels: dict[tuple[str, int, int], float] = {}
        self.minutes = center.service.interval_minutes
        self.origin = dt.datetime.combine(center.cycle.start, dt.time())
        self.days = (center.cycle.end - center.cycle.start).days + 1
        self.size = self.days * (24 * 60 // self.minutes)
        shifts = sorted(
            (agent_id, (day - center.cycle.start).days, _clock(start), _clock(end), activity, queue)
            for agent_id, day, start, end, activity, queue in roster
            if self._in_cycle(day)
        )
        agents = sorted({row[0] for row in shifts})
        words: list[str | None] = [None, *sorted({w for r in shifts for w in (r[4], r[5]) if w})]
        agent_of = {agent_id: i for i, agent_id in enumerate(agents)}
        word_of = {w: j for j, w in enumerate(words)}
        self._index(
            agents,
            words,
            np.array([agent_of[r[0]] for r in shifts], dtype=np.int64),
            np.array([r[1] for r in shifts], dtype=np.int64),
            np.array([r[2] for r in shifts], dtype=np.int64),
            np.array([r[3] for r in shifts], dtype=np.int64),
            np.array([word_of[r[4]] for r in shifts], dtype=np.int64),
            np.array([word_of[r[5]] if r[4] == "phone" else 0 for r in shifts], dtype=np.int64),
            has_roster,
        )
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
        if rostered is None:
            for first, last, serves in zip(
                self._segs[:, 0].tolist(),
                self._segs[:, 1].tolist(),
                self._segs[:, 3].tolist(),
                strict=True,
            ):
                queue = self._words[serves]
                if queue in self.rostered:
                    into = self.rostered[queue]
                    for k, minutes in self.by_interval(first, last):
                        into[k] += minutes
        else:
            for queue, k, minutes in rostered:
                if queue in self.rostered and 0 <= k < self.size:
                    self.rostered[queue][k] += int(minutes)

    def _index(
        self,
        agents: Sequence[str],
        words: Sequence[str | None],
        agent: npt.NDArray[np.int64],
        day: npt.NDArray[np.int64],
        start: npt.NDArray[np.int64],
        end: npt.NDArray[np.int64],
        activity: npt.NDArray[np.int64],
        queue: npt.NDArray[np.int64],
        has_roster: bool | None,
    ) -> None:
        """Keep the roster as columns: one row per segment, sorted by agent, day and start;
        agents and words (activities, queues; ``words[0]`` is ``None``) by number; minutes
        from each day's 00:00. A center of 50,000 agents has millions of segments: as
        Python tuples they took most of a plan's memory, as columns a few bytes each."""
        self._agent_ids = {agent_id: i for i, agent_id in enumerate(agents)}
        self._words = list(words)
        # one row per segment (start, end, activity, queue): one slice answers shifts()
        self._segs = np.column_stack((day * _DAY + start, day * _DAY + end, activity, queue))
        slots = len(agents) * self.days
        counts = np.bincount(agent * self.days + day, minlength=slots) if slots else np.zeros(0)
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._segment_cache: dict[tuple[str, int], tuple[Segment, ...]] = {}
        self.has_roster = bool(agents) if has_roster is None else has_roster

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
        # The roster in whole minutes, and the phone minutes it gives each queue per
        # interval summed where the rows are: a large center has millions of segments.
        params: dict[str, object] = {**window, "single": single}
        roster = (
            "SELECT s.agent_id, CAST(s.date - $first AS INTEGER) AS day, "
            "CAST(hour(s.start_time) * 60 + minute(s.start_time) AS INTEGER) AS a, "
            "CAST(hour(s.end_time) * 60 + minute(s.end_time) AS INTEGER) AS b, s.activity, "
            "coalesce(s.queue, t.queue, $single) AS queue "
            "FROM shifts AS s JOIN agents AS ag ON ag.agent_id = s.agent_id "
            "JOIN teams AS t ON t.team_id = ag.team_id "
            "WHERE s.date BETWEEN $first AND $last"
        )
        # numbered agents and words, so that the rows come back as columns of numbers
        numbered = (
            f"WITH r AS ({roster}), "
            "ids AS (SELECT agent_id, row_number() OVER (ORDER BY agent_id) - 1 AS i "
            "  FROM (SELECT DISTINCT agent_id FROM r)), "
            "words AS (SELECT w, row_number() OVER (ORDER BY w) AS j FROM ("
            "  SELECT activity AS w FROM r UNION "
            "  SELECT queue FROM r WHERE activity = 'phone' AND queue IS NOT NULL)) "
        )
        agents = [
            row[0]
            for row in evidence.sql(f"{numbered} SELECT agent_id FROM ids ORDER BY i", params)
        ]
        words = [
            None,
            *(row[0] for row in evidence.sql(f"{numbered} SELECT w FROM words ORDER BY j", params)),
        ]
        columns = evidence._columns(
            f"{numbered} SELECT ids.i, r.day, r.a, r.b, wa.j AS act, coalesce(wq.j, 0) AS q "
            "FROM r JOIN ids USING (agent_id) JOIN words AS wa ON wa.w = r.activity "
            "LEFT JOIN words AS wq ON wq.w = r.queue AND r.activity = 'phone' "
            "ORDER BY ids.i, r.day, r.a, r.b, r.activity",
            params,
        )
        rostered = evidence.sql(
            f"WITH r AS ({roster}), phone AS ("
            "  SELECT queue, day * 1440 + a AS a, day * 1440 + b AS b FROM r "
            "  WHERE activity = 'phone' AND queue IS NOT NULL AND b > a), "
            "cut AS (SELECT queue, a, b, unnest(range(a // $m, (b + $m - 1) // $m)) AS k "
            "  FROM phone) "
            "SELECT queue, k, CAST(sum(least(b, (k + 1) * $m) - greatest(a, k * $m)) AS BIGINT) "
            "FROM cut GROUP BY queue, k ORDER BY queue, k",
            {**params, "m": center.service.interval_minutes},
        )
        availability = evidence.sql(
            "SELECT trainer_id, date, start_time, end_time FROM trainer_availability "
            "WHERE date BETWEEN $first AND $last ORDER BY trainer_id, date, start_time",
            window,
        )
        workforce = cls(
            center,
            forecast=forecast,
            availability=availability,
            has_roster=evidence.has("shifts"),
            rostered=rostered,
        )
        workforce._index(
            agents,
            words,
            columns["i"].astype(np.int64),
            columns["day"].astype(np.int64),
            columns["a"].astype(np.int64),
            columns["b"].astype(np.int64),
            columns["act"].astype(np.int64),
            columns["q"].astype(np.int64),
            evidence.has("shifts"),
        )
        return workforce

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

    def add_minutes(
        self, into: dict[tuple[str, int], int], queue: str, first: int, last: int
    ) -> None:
        """Add the minutes [first, last) to ``into`` per ``(queue, interval)``, cut at
        interval edges as :meth:`by_interval` does, without a generator: the scheduler
        calls it for every start time it weighs."""
        size = self.minutes
        while first < last:
            k = first // size
            edge = min((k + 1) * size, last)
            into[(queue, k)] = into.get((queue, k), 0) + edge - first
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
        found = self._goals.get(queue)
        if found is None:  # made once a queue: the scheduler asks for every option it weighs
            found = self._goals[queue] = self.service.goal(queue)
        return found

    def rostered_agents(self) -> frozenset[str]:
        """Agents with at least one roster segment in the cycle."""
        return frozenset(self._agent_ids)

    def shifts(self, agent_id: str, day: int) -> tuple[tuple[int, int, str, str | None], ...]:
        """The agent's roster on the cycle's ``day`` (0 = its first) as ``(start, end,
        activity, queue)``, in minutes from the cycle's first day at 00:00, in time order;
        the queue only for phone time. Empty on a day off or off the roster. The cheap
        form of :meth:`segments`, for code that asks about thousands of agents."""
        i = self._agent_ids.get(agent_id)
        if i is None or not 0 <= day < self.days:
            return ()
        lo, hi = self._offsets[i * self.days + day : i * self.days + day + 2].tolist()
        if lo == hi:
            return ()
        words = self._words
        return tuple(
            (start, end, words[activity] or "", words[queue])
            for start, end, activity, queue in self._segs[lo:hi].tolist()
        )

    def segments(self, agent_id: str, day: dt.date) -> tuple[Segment, ...]:
        """The agent's roster segments on ``day``, in time order; empty on a day off (or
        when the agent is not on the roster at all: see :meth:`rostered_agents`)."""
        index = (day - self.center.cycle.start).days
        key = (agent_id, index)
        found = self._segment_cache.get(key)
        if found is None:
            found = self._segment_cache[key] = tuple(
                Segment(self.at(start), self.at(end), activity, queue)
                for start, end, activity, queue in self.shifts(agent_id, index)
            )
        return found

    def at(self, minute: int) -> dt.datetime:
        """The moment ``minute`` minutes after the cycle's first day at 00:00."""
        return self.origin + dt.timedelta(minutes=minute)

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
        first, last = self.minute_of(start), self.minute_of(end)
        for a, b, activity, queue in self.shifts(
            agent_id, (start.date() - self.origin.date()).days
        ):
            if activity != "phone" or queue not in self.rostered:
                continue
            self.add_minutes(cost, queue, max(a, first), min(b, last))
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
        whole = max(0, math.floor(agents + _EPS))
        key = (queue, k, whole)
        found = self._levels.get(key)
        if found is None:  # the scheduler asks again for the same interval and headcount
            found = self._levels[key] = erlang.staffing(
                self.contacts[queue][k],
                self.aht_seconds[queue][k] or 1.0,
                self.minutes * 60,
                whole,
                self.goal(queue).answer_seconds,
            ).service_level
        return found

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
