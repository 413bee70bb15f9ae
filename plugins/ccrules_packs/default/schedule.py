"""Schedule stage: slots that keep every interval's service level at or above its floor.

Seed 001's center holds its 15-second answer rate with fixed headcount: every minute of
training is a minute off the phones. Each session, best rank first, goes to the least-loaded
working day for its teams, and within that day to the quietest time: the start where the
intervals it touches keep the most agents to spare above what the floor requires (Erlang C,
from the traffic forecast and the roster). A slot is taken only when its attendees and
trainer are at work and free, nobody passes the daily training minutes, and no interval of
any queue would fall below its floor. Pre-shift shares open the team's shift, one a day,
and are held once: a share no day opens whole goes to the meeting that gathers the most of
its attendees, never split across days, and those not at it watch the competency's
micro-video. Any other group no slot fits whole is split into smaller groups, each at its
own time.

Without a forecast, a share of each front-line team stays on the phones instead
(``max_team_share_off``); without a roster, agents work their team's usual shift.

Times inside this module are whole minutes from the cycle's first day at 00:00.
"""

from __future__ import annotations

import datetime as dt
import math
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, clauses, msg
from ccrules.model import (
    Course,
    Format,
    Message,
    MessageValue,
    Plan,
    Reason,
    Report,
    Session,
    Slot,
    Trainer,
)
from ccrules.workforce import AT_WORK, Workforce
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import WEEKDAYS, ScheduleSettings, Settings

SETTINGS = "plugins.default.schedule"
RULE = "schedule.service-floor"
SPLIT = "schedule.split"
SHARE_ONCE = "schedule.share-once"
COURSES = "plugins.default.courses"
MULTIMEDIA_KINDS = f"{COURSES}.multimedia_kinds"
FALLBACK = f"{COURSES}.fallback"
DAY = 24 * 60
_EPS = 1e-6
Span = tuple[int, int]
Interval = tuple[dt.datetime, dt.datetime]

#: the days of the week as shown before a date ("Thu 2026-12-10"), Monday first
WEEKDAY_TERMS = (
    msg("Mon"),
    msg("Tue"),
    msg("Wed"),
    msg("Thu"),
    msg("Fri"),
    msg("Sat"),
    msg("Sun"),
)
# why a time was ruled out (counted per session; the first words of a reason's blockers)
BELOW_FLOOR = msg("the service level would fall below the floor")
BEFORE_AFTER = msg("before the sessions it comes after end")
SHARE_TAKEN = msg("the team's pre-shift meeting already has a share that day")
NO_OVERLAP = msg("the attendees' and trainer's shifts do not overlap")
TRAINER_BOOKED = msg("the trainer is already booked")
ATTENDEE_BOOKED = msg("an attendee is already booked")
MINUTES_USED = msg("daily training minutes used up")
TEAM_AWAY = msg("the team is not at work that day")
TRAINER_AWAY = msg("the trainer is not at work at the team's shift start")
OPENING_TAKEN = msg("the team's shift start is not free for everyone")
TEAM_CAP = msg("too many of the team off the phones")
NO_LONG_TIME = msg("no time in the shift window is long enough")
# where a slot was put, and what the phones keep
AT_SHIFT_START = msg("at the start of the team's shift")
QUIETEST = msg("the quietest time")
QUIETEST_DAY = msg("the quietest time of the least-loaded day for its teams")
NOBODY_LEAVES = msg("nobody leaves the phones (off the queue, or no forecast for it)")
# why a split leaves attendees without a time
NO_OTHER_TIME = msg("no other time takes any of them")
# why an agent misses the team's share
NOT_AT_WORK = msg("not at work that day")
TRAINED_THAT_DAY = msg("already trained that day")
PHONES_NEED_THEM = msg("the phones cannot spare them then")
#: the week's plan: its columns (ids, translated by the pack's catalogue)
WEEK_COLUMNS = (
    N_("week"),
    N_("fixed_on"),
    N_("status"),
    N_("sessions"),
    N_("training_hours"),
    N_("lowest_service_level"),
    N_("intervals_below_floor"),
)


def clock(when: dt.datetime | dt.time) -> str:
    """A time of day as reasons show it: ``09:30`` (``%H:%M``, without strftime's cost: the
    scheduler writes one or more for every slot)."""
    return f"{when.hour:02d}:{when.minute:02d}"


def stamp(when: dt.datetime) -> str:
    """A day and time as reasons show it: ``2026-12-10 09:30`` (``%Y-%m-%d %H:%M``)."""
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"


def moment(when: dt.datetime) -> Message:
    """A day and time as a reason shows it: ``Thu 2026-12-10 09:00``."""
    return msg("{weekday} {time}", weekday=WEEKDAY_TERMS[when.weekday()], time=stamp(when))


def day_of(when: dt.datetime | dt.date) -> Message:
    """A day as a reason shows it: ``Thu 2026-12-10``."""
    day = when.date() if isinstance(when, dt.datetime) else when
    return msg("{weekday} {day}", weekday=WEEKDAY_TERMS[day.weekday()], day=day.isoformat())


def named(name: str, person_id: str) -> MessageValue:
    """A person as reasons name them: ``王芳 (TR-10)``; the id alone when it is the name."""
    return person_id if name in ("", person_id) else msg("{name} ({id})", name=name, id=person_id)


def trainer_named(trainer: Trainer) -> MessageValue:
    """A trainer as reasons name them: ``王芳 (TR-10)``."""
    return named(trainer.name, trainer.id)


def team_cap(size: int, share: float) -> int:
    """Agents of a team of ``size`` that may be off the phones at once (at least one)."""
    return max(1, int(size * share + 1e-9))


def working_days(center: Center, settings: ScheduleSettings) -> list[dt.date]:
    """The cycle's days that are working days."""
    cycle = center.cycle
    days = (cycle.start + dt.timedelta(days=i) for i in range((cycle.end - cycle.start).days + 1))
    return [day for day in days if WEEKDAYS[day.weekday()] in settings.workdays]


def week_of(day: dt.date, settings: ScheduleSettings) -> dt.date:
    """The first day of the schedule week ``day`` falls in."""
    back = (day.weekday() - WEEKDAYS.index(settings.week_start)) % 7
    return day - dt.timedelta(days=back)


def fixed_on(week: dt.date, settings: ScheduleSettings) -> dt.date:
    """The day the schedule of the week starting ``week`` is fixed."""
    return week - dt.timedelta(days=settings.fixed_days)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(spans: Sequence[Span], taken: Iterable[Span]) -> list[Span]:
    out = list(spans)
    for t0, t1 in sorted(taken):
        cut: list[Span] = []
        for s, e in out:
            if e <= t0 or t1 <= s:  # untouched
                cut.append((s, e))
                continue
            if s < t0:
                cut.append((s, t0))
            if t1 < e:
                cut.append((t1, e))
        out = cut
    return out


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _inside(spans: Sequence[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@attrs.frozen
class _Option:
    """One start a group could take, and what it would cost the queues."""

    start: int
    end: int
    spare: float  # agents to spare above the floor in the tightest interval; inf if none
    tightest: tuple[str, int] | None
    costs: Mapping[tuple[str, int], int]


def at_work(
    center: Center, workforce: Workforce, trainers: Sequence[Trainer], settings: ScheduleSettings
) -> Callable[[Trainer, dt.time, int], bool]:
    """Whether a trainer is at work from a time of day for some minutes on at least one
    working day of the cycle, as the schedule stage will see it (availability file, roster,
    team shift, or the trainers' default day)."""
    floor = _Floor(center, workforce, trainers, settings, ())
    known: dict[tuple[str, dt.time, int], bool] = {}

    def check(trainer: Trainer, start: dt.time, minutes: int) -> bool:
        key = (trainer.id, start, minutes)
        found = known.get(key)
        if found is None:
            person = trainer.agent_id or f"trainer:{trainer.id}"
            begin = _minutes(start)
            found = any(
                s <= day * DAY + begin and day * DAY + begin + minutes <= e
                for day in floor.days
                for s, e in floor.spans(person, day)
            )
            known[key] = found
        return found

    return check


class _Floor:
    """Who is at work when, what is booked, and what the queues can spare."""

    def __init__(
        self,
        center: Center,
        workforce: Workforce,
        trainers: Sequence[Trainer],
        settings: ScheduleSettings,
        sessions: Sequence[Session],
    ) -> None:
        self.center = center
        self.wf = workforce
        self.settings = settings
        self.trainers = {t.id: t for t in trainers}
        self.origin = workforce.origin  # minutes here count from the same 00:00
        self.days = [(d - center.cycle.start).days for d in working_days(center, settings)]
        self.rostered = workforce.rostered_agents()
        self.busy: dict[str, dict[int, list[Span]]] = {}
        self.minutes: Counter[tuple[str, int]] = Counter()
        self.team_minutes: Counter[tuple[str, int]] = Counter()
        self.shares: set[tuple[str, int]] = set()
        self.off: Counter[tuple[str, int]] = Counter()
        self.team_off: dict[str, list[tuple[Span, int]]] = {}
        # trainer minutes the sessions given to this stage already commit
        self.trainer_minutes: Counter[str] = Counter()
        for session in sessions:
            if session.trainer_id is not None:
                self.trainer_minutes[session.trainer_id] += session.duration_minutes
        self._spans: dict[tuple[str, int], list[Span]] = {}
        self._phone: dict[tuple[str, int], list[tuple[str | None, int, int]]] = {}

    # -- time -------------------------------------------------------------------------------

    def at(self, minute: int) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minute)

    def date(self, day: int) -> dt.date:
        return self.center.cycle.start + dt.timedelta(days=day)

    # -- people -----------------------------------------------------------------------------

    def person(self, session: Session) -> str | None:
        """The trainer as a person: their agent id when on the floor."""
        trainer = self.trainers.get(session.trainer_id or "")
        if trainer is None:
            return None
        return trainer.agent_id if trainer.agent_id else f"trainer:{trainer.id}"

    def people(self, session: Session, attendees: Sequence[str] | None = None) -> list[str]:
        group = list(session.attendees if attendees is None else attendees)
        teacher = self.person(session)
        if teacher is not None and teacher not in group:
            group.append(teacher)
        return group

    def _team_day(self, agent_id: str, day: int) -> list[Span]:
        team = self.center.teams[self.center.agents[agent_id].team_id]
        start = _minutes(team.shift_start or self.settings.day_start)
        end = _minutes(team.shift_end or self.settings.day_end)
        base = day * DAY
        return [(base + start, base + end)] if start < end else []

    def spans(self, person: str, day: int) -> list[Span]:
        """When ``person`` is at work on ``day`` and could train (breaks left out)."""
        key = (person, day)
        cached = self._spans.get(key)
        if cached is not None:
            return cached
        base = day * DAY
        if person.startswith("trainer:"):
            windows = self.wf.trainer_windows(person[8:], self.date(day))
            if windows is None:
                found = [
                    (
                        base + _minutes(self.settings.trainer_start),
                        base + _minutes(self.settings.trainer_end),
                    )
                ]
            else:
                found = _merge(
                    (base + _minutes(s.time()), base + _minutes(e.time())) for s, e in windows
                )
        elif person in self.rostered:
            found = self._roster(person, day)[0]
        else:
            found = self._team_day(person, day)
        self._spans[key] = found
        return found

    def phone(self, person: str, day: int) -> list[tuple[str | None, int, int]]:
        """When ``person`` is on the phones on ``day``, and the queue (``None`` when there is
        no forecast: the team cap guards the phones instead)."""
        key = (person, day)
        cached = self._phone.get(key)
        if cached is not None:
            return cached
        found: list[tuple[str | None, int, int]] = []
        if person.startswith("trainer:"):
            pass
        elif person in self.rostered:
            found = self._roster(person, day)[1]
        elif not self.wf.has_roster:
            team = self.center.teams[self.center.agents[person].team_id]
            if team.function == "front-line":
                found = [(None, s, e) for s, e in self._team_day(person, day)]
        self._phone[key] = found
        return found

    def _roster(
        self, person: str, day: int
    ) -> tuple[list[Span], list[tuple[str | None, int, int]]]:
        """A rostered person's working spans and phone time on ``day``, from one read of
        the roster; both are kept for :meth:`spans` and :meth:`phone`."""
        key = (person, day)
        shifts = self.wf.shifts(person, day)
        working = _merge((start, end) for start, end, activity, _ in shifts if activity in AT_WORK)
        phones: list[tuple[str | None, int, int]] = [
            (serves if serves in self.wf.rostered else None, start, end)
            for start, end, activity, serves in shifts
            if activity == "phone"
        ]
        self._spans[key] = working
        self._phone[key] = phones
        return working, phones

    def free(self, person: str, day: int) -> list[Span]:
        return _subtract(self.spans(person, day), self.busy.get(person, {}).get(day, ()))

    def shift_start(self, agent_id: str, day: int) -> int | None:
        spans = self.spans(agent_id, day)
        return spans[0][0] if spans else None

    # -- what a group costs the queues -------------------------------------------------------

    def costs(
        self, people: Sequence[str], day: int, start: int, end: int
    ) -> dict[tuple[str, int], int]:
        """Phone agent-minutes per (queue, interval) the group leaves during [start, end)."""
        cost: dict[tuple[str, int], int] = {}
        for person in people:
            for queue, s, e in self.phone(person, day):
                if queue is not None:
                    self.wf.add_minutes(cost, queue, max(s, start), min(e, end))
        return cost

    def option(self, people: Sequence[str], day: int, start: int, end: int) -> _Option:
        costs = self.costs(people, day, start, end)
        spare = math.inf
        tightest = None
        for key in sorted(costs):
            left = (self.wf.slack(key[0], key[1], self.off[key]) - costs[key]) / self.wf.minutes
            if left < spare:
                spare, tightest = left, key
        return _Option(start, end, spare, tightest, costs)

    def team_blocked(self, attendees: Sequence[str], day: int, start: int, end: int) -> bool:
        """Without a forecast: would too many of a front-line team be off the phones?"""
        counts: Counter[str] = Counter()
        for agent in attendees:
            if any(q is None and s < end and start < e for q, s, e in self.phone(agent, day)):
                counts[self.center.agents[agent].team_id] += 1
        for team_id, count in sorted(counts.items()):
            cap = team_cap(len(self.center.members(team_id)), self.settings.max_team_share_off)
            if _peak(self.team_off.get(team_id, ()), (start, end)) + count > cap:
                return True
        return False

    def sl_after(self, option: _Option) -> float | None:
        if option.tightest is None:
            return None
        queue, k = option.tightest
        agents = (
            self.wf.available(queue, k)
            - (self.off[option.tightest] + option.costs[option.tightest]) / self.wf.minutes
        )
        return self.wf.service_level(queue, k, agents)

    # -- booking ----------------------------------------------------------------------------

    def book(
        self, session: Session, people: Sequence[str], attendees: Sequence[str], option: _Option
    ) -> None:
        day = option.start // DAY
        for person in people:
            self.busy.setdefault(person, {}).setdefault(day, []).append((option.start, option.end))
        for agent in attendees:
            self.minutes[(agent, day)] += session.duration_minutes
            self.team_minutes[(self.center.agents[agent].team_id, day)] += session.duration_minutes
        for key, minutes in option.costs.items():
            self.off[key] += minutes
        if session.format is Format.PRE_SHIFT and session.team_id:
            self.shares.add((session.team_id, day))
        elif not self.wf.has_forecast:
            counts: Counter[str] = Counter()
            for agent in attendees:
                if any(
                    q is None and s < option.end and option.start < e
                    for q, s, e in self.phone(agent, day)
                ):
                    counts[self.center.agents[agent].team_id] += 1
            for team_id, count in counts.items():
                self.team_off.setdefault(team_id, []).append(((option.start, option.end), count))


def _peak(booked: Iterable[tuple[Span, int]], span: Span) -> int:
    """Most agents of a team off the phones at any moment of ``span``."""
    events: list[tuple[int, int]] = []
    for (s, e), count in booked:
        if s < span[1] and span[0] < e:
            events.append((max(s, span[0]), count))
            events.append((min(e, span[1]), -count))
    peak = current = 0
    for _, delta in sorted(events):
        current += delta
        peak = max(peak, current)
    return peak


class _Blockers:
    """Why times were ruled out, and the least harmful time the floor refused."""

    def __init__(self) -> None:
        self.counts: Counter[Message] = Counter()
        self.closest: tuple[float, int, _Option] | None = None

    def add(self, why: Message, count: int = 1) -> None:
        self.counts[why] += count

    def refused(self, day_rank: int, option: _Option) -> None:
        self.counts[BELOW_FLOOR] += 1
        key = (-option.spare, day_rank, option)
        if self.closest is None or key[:2] < self.closest[:2]:
            self.closest = key

    def text(self) -> Message:
        tried = sum(self.counts.values())
        if not tried:
            return NO_LONG_TIME
        # one message or more, so the clauses are a message
        return typing.cast(
            Message,
            clauses(
                [
                    msg("{why} ({count} of {tried} times)", why=why, count=count, tried=tried)
                    for why, count in self.counts.most_common()
                ]
            ),
        )


class _Scheduler:
    def __init__(
        self,
        center: Center,
        workforce: Workforce,
        trainers: Sequence[Trainer],
        sessions: Sequence[Session],
    ) -> None:
        self.center = center
        self.settings = center.settings(Settings).schedule
        self.courses = center.settings(Settings).courses
        self.wf = workforce
        self.floor = _Floor(center, workforce, trainers, self.settings, sessions)
        # each working day, its date, and why it is closed when its week was fixed before
        # the plan (the same for every session)
        planned_on = center.cycle.planned_on
        self.calendar: list[tuple[int, dt.date, Message | None]] = []
        for day in self.floor.days:
            date = self.floor.date(day)
            week = week_of(date, self.settings)
            fixed = fixed_on(week, self.settings)
            self.calendar.append(
                (
                    day,
                    date,
                    msg(
                        "the week of {week} was fixed on {fixed} ({days} days ahead), before "
                        "the plan ({planned_on})",
                        week=week.isoformat(),
                        fixed=fixed.isoformat(),
                        days=self.settings.fixed_days,
                        planned_on=planned_on.isoformat(),
                    )
                    if planned_on is not None and planned_on > fixed
                    else None,
                )
            )

    def capped(self, session: Session) -> bool:
        """Without a forecast, a share of each team stays on the phones (pre-shift shares
        excepted: they happen before the phones open)."""
        return not self.wf.has_forecast and session.format is not Format.PRE_SHIFT

    # -- days -------------------------------------------------------------------------------

    def day_order(
        self, attendees: Sequence[str], days: Sequence[int], session: Session | None = None
    ) -> list[int]:
        if not self.settings.spread or (session is not None and _follows(session)):
            # a share that passes on a lesson (a cascade) takes the team's next meeting
            return list(days)
        teams = {self.center.agents[a].team_id for a in attendees}
        load = self.floor.team_minutes
        return sorted(days, key=lambda d: (sum(load[(t, d)] for t in teams), d))

    def open_days(
        self, session: Session, earliest: int | None, blockers: _Blockers, strict: bool = True
    ) -> list[int]:
        """Working days the session may take; with ``strict`` off, the due day and fixed
        weeks are ignored (to name the nearest alternative)."""
        out = []
        late: Message | None = None
        for day, date, fixed in self.calendar:
            if strict and session.due is not None and date > session.due:
                if late is None:
                    late = msg("after its due day {due}", due=session.due.isoformat())
                blockers.add(late)
                continue
            if earliest is not None and (day + 1) * DAY <= earliest:
                blockers.add(BEFORE_AFTER)
                continue
            if strict and fixed is not None:
                blockers.add(fixed)
                continue
            out.append(day)
        return out

    # -- one group, one day ------------------------------------------------------------------

    def starts(self, session: Session, window: Sequence[Span], day: int) -> list[int]:
        length = session.duration_minutes
        if session.format is Format.PRE_SHIFT and session.team_id:
            opening = self.share_start(session, day)
            return (
                [opening]
                if opening is not None and _inside(window, opening, opening + length)
                else []
            )
        step = self.settings.step_minutes
        found = []
        for s, e in window:
            t = s + (-(s - day * DAY)) % step
            while t + length <= e:
                found.append(t)
                t += step
        return found

    def share_start(self, session: Session, day: int) -> int | None:
        """The team's shift start that day: the most common start among the attendees."""
        starts = Counter(
            start
            for a in session.attendees
            if (start := self.floor.shift_start(a, day)) is not None
        )
        if not starts:
            return None
        return min(starts, key=lambda s: (-starts[s], s))

    def best(
        self,
        session: Session,
        attendees: Sequence[str],
        day: int,
        day_rank: int,
        earliest: int | None,
        blockers: _Blockers,
    ) -> _Option | None:
        """The quietest start of ``day`` for the whole of ``attendees``, or ``None``."""
        people = self.floor.people(session, attendees)
        length = session.duration_minutes
        share = session.format is Format.PRE_SHIFT and session.team_id
        if share and (session.team_id, day) in self.floor.shares:
            blockers.add(SHARE_TAKEN)
            return None
        window = [(day * DAY, (day + 1) * DAY)]
        for person in people:
            window = _intersect(window, self.floor.spans(person, day))
        if not window:
            blockers.add(NO_OVERLAP)
            return None
        teacher = self.floor.person(session)
        for person in sorted(people, key=lambda p: p == teacher):
            window = _subtract(window, self.floor.busy.get(person, {}).get(day, ()))
            if not window:
                blockers.add(TRAINER_BOOKED if person == teacher else ATTENDEE_BOOKED)
                return None
        if earliest is not None:
            window = _subtract(window, [(day * DAY, earliest)])
            if not window:
                blockers.add(BEFORE_AFTER)
                return None
        if any(
            self.floor.minutes[(a, day)] + length > self.settings.max_minutes_per_day
            for a in attendees
        ):
            blockers.add(MINUTES_USED)
            return None
        starts = self.starts(session, window, day)
        if not starts:
            opening = self.share_start(session, day) if share else None
            if share and opening is None:
                blockers.add(TEAM_AWAY)
            elif (
                share
                and opening is not None
                and teacher is not None
                and not _inside(self.floor.spans(teacher, day), opening, opening + length)
            ):
                blockers.add(TRAINER_AWAY)
            elif share:
                blockers.add(OPENING_TAKEN)
            else:
                blockers.add(
                    msg(
                        "no free stretch of {length} min that everyone shares (breaks and "
                        "bookings split the shift)",
                        length=length,
                    )
                )
            return None
        chosen: _Option | None = None
        for start in starts:
            option = self.floor.option(people, day, start, start + length)
            if option.spare < -_EPS:
                blockers.refused(day_rank, option)
                continue
            if self.capped(session) and self.floor.team_blocked(
                attendees, day, start, start + length
            ):
                blockers.add(TEAM_CAP)
                continue
            if chosen is None or option.spare > chosen.spare + _EPS:
                chosen = option
        return chosen

    # -- a session --------------------------------------------------------------------------

    def place(self, session: Session, placed: Mapping[str, int | None]) -> list[Slot]:
        cycle = self.center.cycle
        waiting = [s for s in session.after if placed.get(s) is None]
        if waiting:
            return [
                _blocked(
                    session,
                    msg(
                        "it comes after {sessions}, which has no time (or no trainer) this cycle",
                        sessions=tuple(waiting),
                    ),
                )
            ]
        earliest = max((placed[s] or 0 for s in session.after), default=None)
        if session.due is not None and session.due < cycle.start:
            return [
                _blocked(
                    session,
                    msg("it was due by {due}, before the cycle", due=session.due.isoformat()),
                )
            ]
        if not self.floor.days:
            return [
                _blocked(
                    session,
                    msg(
                        "no working day ({workdays}) between {start} and {end}",
                        workdays=tuple(self.settings.workdays),
                        start=cycle.start.isoformat(),
                        end=cycle.end.isoformat(),
                    ),
                )
            ]
        if session.duration_minutes > self.settings.max_minutes_per_day:
            return [
                _blocked(
                    session,
                    msg(
                        "it lasts {minutes} min, more than the {max_minutes} training minutes "
                        "an agent may take a day",
                        minutes=session.duration_minutes,
                        max_minutes=self.settings.max_minutes_per_day,
                    ),
                )
            ]
        blockers = _Blockers()
        days = self.open_days(session, earliest, blockers)
        share = session.format is Format.PRE_SHIFT and session.team_id
        if share and len(session.attendees) < self.courses.share_min_attendees:
            return self.share_once(session, days, earliest, blockers)
        for rank, day in enumerate(self.day_order(session.attendees, days, session)):
            option = self.best(session, session.attendees, day, rank, earliest, blockers)
            if option is not None:
                return [self.commit(session, session.attendees, option, blockers, None)]
        if share:
            return self.share_once(session, days, earliest, blockers)
        if len(session.attendees) > 1 and self.settings.max_groups > 1:
            parts = self.split(session, days, earliest)
            if parts:
                return parts
        return [_blocked(session, self.why(session, earliest, blockers))]

    def why(self, session: Session, earliest: int | None, blockers: _Blockers) -> Message:
        """The blockers, and the nearest alternative: the least harm to the floor, or the
        nearest time past the due day or in a fixed week."""
        text = blockers.text()
        if blockers.closest is not None:
            option = blockers.closest[2]
            assert option.tightest is not None
            queue, k = option.tightest
            start = self.wf.start_of(k)
            after = self.floor.sl_after(option)
            text = msg(
                "{blockers}. Least harm: {when} would take {queue} to {after:.2f} at "
                "{start}-{end} (floor {floor:.2f}, {short:.1f} agents short)",
                blockers=text,
                when=moment(self.floor.at(option.start)),
                queue=queue,
                after=after,
                start=clock(start),
                end=clock(start + dt.timedelta(minutes=self.wf.minutes)),
                floor=self.wf.goal(queue).floor,
                short=-option.spare,
            )
        relaxed = _Blockers()
        days = self.open_days(session, earliest, relaxed, strict=False)
        strict_days = set(self.open_days(session, earliest, _Blockers()))
        for rank, day in enumerate(d for d in days if d not in strict_days):
            nearest = self.best(session, session.attendees, day, rank, earliest, relaxed)
            if nearest is not None:
                when = moment(self.floor.at(nearest.start))
                text = (
                    msg(
                        "{blockers}. Nearest time that fits: {when}, after its due day {due}",
                        blockers=text,
                        when=when,
                        due=session.due.isoformat(),
                    )
                    if session.due is not None and self.floor.date(day) > session.due
                    else msg(
                        "{blockers}. Nearest time that fits: {when}, in a week already fixed",
                        blockers=text,
                        when=when,
                    )
                )
                break
        return text

    def split(self, session: Session, days: Sequence[int], earliest: int | None) -> list[Slot]:
        """Greedy groups: each time, the day and start that take the most of the attendees
        left, until everyone has a time, no time takes anyone, or the groups run out."""
        left = list(session.attendees)
        slots: list[Slot] = []
        trainer = self.floor.trainers.get(session.trainer_id or "")
        full: Message | None = None
        while left and len(slots) < self.settings.max_groups:
            if slots and trainer is not None:
                booked = self.floor.trainer_minutes[trainer.id]
                if booked + session.duration_minutes > trainer.capacity_hours * 60 + _EPS:
                    full = msg(
                        "the trainer {trainer} is full ({booked:g} of {capacity:g} h) for "
                        "another group",
                        trainer=trainer_named(trainer),
                        booked=booked / 60,
                        capacity=trainer.capacity_hours,
                    )
                    break
            found = self.largest_group(session, left, days, earliest)
            if found is None:
                break
            group, option = found
            if len(group) == len(session.attendees):  # cannot happen: the whole group failed
                break
            if slots and trainer is not None:
                self.floor.trainer_minutes[trainer.id] += session.duration_minutes
            slots.append(self.commit(session, group, option, _Blockers(), len(slots) + 1))
            left = [a for a in left if a not in group]
        if not slots:
            return []
        if left:
            why = full or (
                NO_OTHER_TIME
                if len(slots) < self.settings.max_groups
                else msg(
                    "the session is already split into {max_groups} groups (max_groups)",
                    max_groups=self.settings.max_groups,
                )
            )
            slots.append(
                Slot(
                    session.id,
                    None,
                    None,
                    (
                        PLUGIN.reason(
                            SPLIT,
                            msg(
                                "No time fits {left} of the {attendees} attendees: {why}.",
                                left=len(left),
                                attendees=len(session.attendees),
                                why=why,
                            ),
                            PLUGIN.fact("attendees_left", ", ".join(left)),
                            PLUGIN.fact(
                                "max_groups", self.settings.max_groups, f"{SETTINGS}.max_groups"
                            ),
                        ),
                    ),
                    attendees=tuple(left),
                )
            )
        return slots

    # -- a pre-shift share, held once ---------------------------------------------------------

    def video(self, session: Session) -> Course | None:
        """The competency's micro-video, when multimedia may train its kind."""
        kind = self.center.competencies[session.competency_id].kind
        if kind not in self.courses.multimedia_kinds:
            return None
        return self.center.catalogue(session.competency_id).get(Format.MICRO_VIDEO)

    def share_once(
        self, session: Session, days: Sequence[int], earliest: int | None, blockers: _Blockers
    ) -> list[Slot]:
        """The share at the one meeting that gathers the most of its attendees, if they are
        at least ``share_min_attendees``; the others watch the video instead."""
        minimum = self.courses.share_min_attendees
        total = len(session.attendees)
        team = self.center.teams[session.team_id or ""].name
        video = self.video(session)
        found = self.largest_group(session, session.attendees, days, earliest)
        instead = (
            msg(
                "watch the {minutes}-minute video {video} instead",
                minutes=video.duration_minutes,
                video=video.id,
            )
            if video is not None
            else msg(
                "need another format: no micro-video may train {competency} (none in "
                "{source}, or its kind is not in {kinds_setting}), so their needs carry to "
                "the next cycle (a share for fewer than {minimum} takes the next format of "
                "{fallback_setting} there)",
                competency=session.competency_id,
                source=self.center.source_of("courses"),
                kinds_setting=MULTIMEDIA_KINDS,
                minimum=minimum,
                fallback_setting=FALLBACK,
            )
        )
        facts = (
            PLUGIN.fact("attendees", total),
            PLUGIN.fact("min_attendees", minimum, f"{COURSES}.share_min_attendees"),
            PLUGIN.fact("video", video.id if video else None, self.center.source_of("courses")),
        )
        slots: list[Slot] = []
        if found is not None and len(found[0]) >= minimum:
            group, option = found
            day = option.start // DAY
            missed = [a for a in session.attendees if a not in set(group)]
            slot = self.commit(session, group, option, blockers, None)
            text = msg(
                "No day's pre-shift meeting gathers all {total} attendees, and a share is held "
                "once, never split across days: {team}'s meeting of {when} takes {taken} of "
                "them. Not at it: {missed}; they {instead}.",
                total=total,
                team=team,
                when=moment(self.floor.at(option.start)),
                taken=len(group),
                missed=self.missed(missed, day, option.start),
                instead=instead,
            )
            slots.append(
                attrs.evolve(
                    slot,
                    attendees=tuple(a for a in session.attendees if a in set(group)),
                    reasons=(PLUGIN.reason(SHARE_ONCE, text, *facts), *slot.reasons),
                )
            )
        else:
            missed = list(session.attendees)
            best = (
                msg(
                    "at most {taken} of them on {when}",
                    taken=len(found[0]),
                    when=moment(self.floor.at(found[1].start)),
                )
                if found is not None
                else msg("none of them ({blockers})", blockers=blockers.text())
            )
            text = (
                msg(
                    "A share for {total} attendee(s) is fewer than {minimum}: no meeting is "
                    "held for it; they {instead}.",
                    total=total,
                    minimum=minimum,
                    instead=instead,
                )
                if total < minimum
                else msg(
                    "No pre-shift meeting of {team} this cycle gathers at least {minimum} of "
                    "the {total} attendees at the team's shift start ({best}), so the share "
                    "is not held; they {instead}.",
                    team=team,
                    minimum=minimum,
                    total=total,
                    best=best,
                    instead=instead,
                )
            )
            if video is None:
                return [Slot(session.id, None, None, (PLUGIN.reason(SHARE_ONCE, text, *facts),))]
            note = PLUGIN.reason(SHARE_ONCE, text, *facts)
            return self.videos(session, video, missed, days, earliest, (note,), slots, None)
        if not missed:
            return slots
        if video is None:
            slots.append(
                Slot(
                    session.id,
                    None,
                    None,
                    (PLUGIN.reason(SHARE_ONCE, text, *facts),),
                    attendees=tuple(missed),
                )
            )
            return slots
        return self.videos(session, video, missed, days, earliest, (), slots, (day, option.start))

    def missed(self, agents: Sequence[str], day: int, start: int) -> tuple[Message, ...]:
        """Why each of ``agents`` is not at the share that opens ``day`` at ``start`` (a
        list)."""
        parts = []
        for agent in agents:
            opening = self.floor.shift_start(agent, day)
            if opening is None:
                why = NOT_AT_WORK
            elif opening != start:
                why = msg("starts at {time}", time=clock(self.floor.at(opening)))
            elif self.floor.minutes[(agent, day)] > 0:
                why = TRAINED_THAT_DAY
            else:
                why = PHONES_NEED_THEM
            parts.append(
                msg(
                    "{name} ({agent}, {why})",
                    name=self.center.agents[agent].name,
                    agent=agent,
                    why=why,
                )
            )
        return tuple(parts)

    def videos(
        self,
        session: Session,
        video: Course,
        agents: Sequence[str],
        days: Sequence[int],
        earliest: int | None,
        note: tuple[Reason, ...],
        slots: list[Slot],
        held: tuple[int, int] | None,
    ) -> list[Slot]:
        """One self-paced video each for ``agents``, at the quietest time the floor allows."""
        watch = attrs.evolve(
            session,
            course_id=video.id,
            format=video.format,
            duration_minutes=video.duration_minutes,
            trainer_id=None,
            team_id=None,
        )
        left: list[str] = []
        for agent in agents:
            single = attrs.evolve(watch, attendees=(agent,))
            blockers = _Blockers()
            chosen = None
            for rank, day in enumerate(self.day_order([agent], days)):
                chosen = self.best(single, [agent], day, rank, earliest, blockers)
                if chosen is not None:
                    break
            if chosen is None:
                left.append(agent)
                continue
            slot = self.commit(single, [agent], chosen, blockers, None)
            slots.append(
                attrs.evolve(
                    slot,
                    attendees=(agent,),
                    course_id=video.id,
                    reasons=(
                        *note,
                        PLUGIN.reason(
                            SHARE_ONCE,
                            msg(
                                "{agent} is not at the team's share of {course} on {day}: the "
                                "{minutes}-minute video {video} instead, self-paced.",
                                agent=self.missed([agent], *held)[0],
                                course=session.course_id,
                                day=day_of(self.floor.at(held[1])),
                                minutes=video.duration_minutes,
                                video=video.id,
                            )
                            if held is not None
                            else msg(
                                "{agent} has no share of {course} to attend: the "
                                "{minutes}-minute video {video} instead, self-paced.",
                                agent=self.center.agents[agent].name,
                                course=session.course_id,
                                minutes=video.duration_minutes,
                                video=video.id,
                            ),
                            PLUGIN.fact("course_id", video.id, self.center.source_of("courses")),
                        ),
                        *slot.reasons,
                    ),
                )
            )
        if left:
            slots.append(
                Slot(
                    session.id,
                    None,
                    None,
                    (
                        *note,
                        PLUGIN.reason(
                            SHARE_ONCE,
                            msg(
                                "No time fits the video {video} for {agents}, who are not at "
                                "the team's share.",
                                video=video.id,
                                agents=tuple(left),
                            ),
                        ),
                    ),
                    attendees=tuple(left),
                )
            )
        if len(slots) == 1 and slots[0].attendees == session.attendees:
            slots[0] = attrs.evolve(slots[0], attendees=None)
        return slots

    def largest_group(
        self, session: Session, left: Sequence[str], days: Sequence[int], earliest: int | None
    ) -> tuple[list[str], _Option] | None:
        length = session.duration_minutes
        teacher = self.floor.person(session)
        share = session.format is Format.PRE_SHIFT and session.team_id
        limit = self.settings.max_minutes_per_day
        best: tuple[tuple[int, float, int], list[str], _Option] | None = None
        for rank, day in enumerate(self.day_order(left, days, session)):
            if share and (session.team_id, day) in self.floor.shares:
                continue
            # each agent's free time and shift start, once per day
            free_of = {
                a: self.floor.free(a, day)
                for a in left
                if self.floor.minutes[(a, day)] + length <= limit
            }
            opening = {a: self.floor.shift_start(a, day) for a in free_of} if share else {}
            if teacher is not None:
                window = self.floor.free(teacher, day)
            else:
                window = _merge(span for spans in free_of.values() for span in spans)
            if earliest is not None:
                window = _subtract(window, [(day * DAY, earliest)])
            if share:
                starts = sorted(
                    {
                        s
                        for s in opening.values()
                        if s is not None and _inside(window, s, s + length)
                    }
                )
            else:
                starts = self.starts(session, window, day)
            for start in starts:
                end = start + length
                free = [
                    a
                    for a, spans in free_of.items()
                    if _inside(spans, start, end) and (not share or opening[a] == start)
                ]
                if best is not None and len(free) < best[0][0]:
                    continue  # cannot take more than the best group found
                group = self.fit(session, free, day, start, end)
                if not group:
                    continue
                option = self.floor.option(self.floor.people(session, group), day, start, end)
                if option.spare < -_EPS:
                    continue  # fit keeps every floor; this guards any change to it
                key = (len(group), option.spare, -rank)
                if best is None or key > best[0]:
                    best = (key, group, option)
            if best is not None and len(best[1]) == len(left):
                break  # everyone left fits: no later day can do better
        return None if best is None else (best[1], best[2])

    def fit(
        self, session: Session, free: Sequence[str], day: int, start: int, end: int
    ) -> list[str]:
        """The attendees of ``free`` the queues can spare together at [start, end): those who
        cost nothing first, then the cheapest, while every interval keeps its floor."""
        teacher = self.floor.person(session)
        taken: dict[tuple[str, int], int] = {}
        if teacher is not None and teacher not in free:
            taken.update(self.floor.costs([teacher], day, start, end))
            # a trainer who works the phones leaves them too: no group where that alone
            # takes an interval below its floor
            if any(
                self.wf.slack(q, k, self.floor.off[(q, k)]) - minutes < -_EPS
                for (q, k), minutes in taken.items()
            ):
                return []
        costs = {a: self.floor.costs([a], day, start, end) for a in free}
        ranked = sorted(free, key=lambda a: (sum(costs[a].values()), a))
        group: list[str] = []
        capped = self.capped(session)
        for agent in ranked:
            cost = costs[agent]
            if any(
                self.wf.slack(q, k, self.floor.off[(q, k)]) - taken.get((q, k), 0) - minutes < -_EPS
                for (q, k), minutes in cost.items()
            ):
                continue
            if capped and self.floor.team_blocked([*group, agent], day, start, end):
                continue
            group.append(agent)
            for key, minutes in cost.items():
                taken[key] = taken.get(key, 0) + minutes
        return group

    def commit(
        self,
        session: Session,
        attendees: Sequence[str],
        option: _Option,
        blockers: _Blockers,
        group: int | None,
    ) -> Slot:
        people = self.floor.people(session, attendees)
        after = self.floor.sl_after(option)
        self.floor.book(session, people, attendees, option)
        start, end = self.floor.at(option.start), self.floor.at(option.end)
        teams = sorted({self.center.agents[a].team_id for a in attendees})
        where = (
            AT_SHIFT_START
            if session.format is Format.PRE_SHIFT
            else QUIETEST_DAY
            if self.settings.spread
            else QUIETEST
        )
        if option.tightest is None:
            phones = NOBODY_LEAVES
        else:
            queue, k = option.tightest
            goal = self.wf.goal(queue)
            i0 = self.wf.start_of(k)
            phones = msg(
                "{queue} keeps {spare:.1f} agents above its floor at its tightest, "
                "{start}-{end} (service level {after:.2f}, floor {floor:.2f})",
                queue=queue,
                spare=option.spare,
                start=clock(i0),
                end=clock(i0 + dt.timedelta(minutes=self.wf.minutes)),
                after=after,
                floor=goal.floor,
            )
        ruled_out = sum(blockers.counts.values())
        text = (
            msg(
                "{weekday} {start}-{end}, {where}: {phones}; {ruled_out} other time(s) ruled out.",
                weekday=WEEKDAY_TERMS[start.weekday()],
                start=stamp(start),
                end=clock(end),
                where=where,
                phones=phones,
                ruled_out=ruled_out,
            )
            if ruled_out
            else msg(
                "{weekday} {start}-{end}, {where}: {phones}.",
                weekday=WEEKDAY_TERMS[start.weekday()],
                start=stamp(start),
                end=clock(end),
                where=where,
                phones=phones,
            )
        )
        facts = [
            PLUGIN.fact("teams", ", ".join(teams)),
            PLUGIN.fact("spare_agents", None if option.tightest is None else option.spare),
            PLUGIN.fact(
                "max_minutes_per_day",
                self.settings.max_minutes_per_day,
                f"{SETTINGS}.max_minutes_per_day",
            ),
        ]
        if option.tightest is not None:
            queue, k = option.tightest
            facts += [
                PLUGIN.fact("queue", queue, self.center.source_of("traffic")),
                PLUGIN.fact("tightest_interval", self.wf.start_of(k).isoformat(sep=" ")),
                PLUGIN.fact("service_level_after", after),
                PLUGIN.fact("floor", self.wf.goal(queue).floor, "service.floor"),
            ]
        elif not self.wf.has_forecast:
            facts.append(
                PLUGIN.fact(
                    "max_team_share_off",
                    self.settings.max_team_share_off,
                    f"{SETTINGS}.max_team_share_off",
                )
            )
        reasons: tuple[Reason, ...] = (PLUGIN.reason(RULE, text, *facts),)
        if group is not None:
            reasons = (
                PLUGIN.reason(
                    SPLIT,
                    msg(
                        "No time fits all {attendees} attendees, so the session is split; group "
                        "{group} takes {taken} of them.",
                        attendees=len(session.attendees),
                        group=group,
                        taken=len(attendees),
                    ),
                    PLUGIN.fact("group", group),
                    PLUGIN.fact("max_groups", self.settings.max_groups, f"{SETTINGS}.max_groups"),
                ),
                *reasons,
            )
        return Slot(
            session.id,
            start,
            end,
            reasons,
            attendees=tuple(a for a in session.attendees if a in set(attendees))
            if group is not None
            else None,
        )


@ccrules.hookimpl
def ccrules_schedule(
    center: Center,
    sessions: Sequence[Session],
    trainers: Sequence[Trainer],
    workforce: Workforce,
) -> list[Slot]:
    scheduler = _Scheduler(center, workforce, trainers, sessions)
    slots: list[Slot] = []
    placed: dict[str, int | None] = {}
    for session in _prerequisites_first(sessions):
        made = scheduler.place(session, placed)
        ends = [workforce.minute_of(s.end) for s in made if s.end is not None]
        placed[session.id] = max(ends) if ends else None
        slots.extend(made)
    return slots


def _follows(session: Session) -> bool:
    """A pre-shift share that passes on what its trainer learned first (a cascade)."""
    return session.format is Format.PRE_SHIFT and bool(session.team_id) and bool(session.after)


def _prerequisites_first(sessions: Sequence[Session]) -> list[Session]:
    """Sessions best rank first, except that a session comes after those it must follow."""
    by_id = {s.id: s for s in sessions}
    ordered: list[Session] = []
    done: set[str] = set()

    def visit(session: Session, path: frozenset[str]) -> None:
        if session.id in done or session.id in path:  # a cycle is blocked by the check below
            return
        for before in session.after:
            if before in by_id:
                visit(by_id[before], path | {session.id})
        done.add(session.id)
        ordered.append(session)

    for session in sessions:
        visit(session, frozenset())
    return ordered


def _blocked(session: Session, detail: Message) -> Slot:
    return Slot(
        session.id,
        None,
        None,
        (PLUGIN.reason(RULE, msg("No time fits this cycle: {detail}.", detail=detail)),),
    )


# -- the week's plan ---------------------------------------------------------------------------


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    """The week's plan: per schedule week, when it is fixed, its sessions and training
    hours, and the service level training leaves."""
    del evidence
    settings = center.settings(Settings).schedule
    weeks: dict[dt.date, list[Session]] = {}
    day = center.cycle.start
    while day <= center.cycle.end:
        weeks.setdefault(week_of(day, settings), [])
        day += dt.timedelta(days=1)
    for session in plan.sessions:
        if session.start is not None:
            weeks.setdefault(week_of(session.start.date(), settings), []).append(session)
    lowest: dict[dt.date, float] = {}
    below: Counter[dt.date] = Counter()
    for interval in plan.service:
        week = week_of(interval.start.date(), settings)
        if interval.off > 0:
            lowest[week] = min(lowest.get(week, 1.0), interval.service_level_after)
        if interval.available - interval.off + _EPS < interval.required:
            below[week] += 1
    planned_on = center.cycle.planned_on
    rows = []
    for week in sorted(weeks):
        fixed = fixed_on(week, settings)
        sessions = weeks[week]
        rows.append(
            (
                week.isoformat(),
                fixed.isoformat(),
                "fixed" if planned_on is not None and planned_on > fixed else "open",
                len(sessions),
                round(sum(s.duration_minutes * len(s.attendees) for s in sessions) / 60, 2),
                round(lowest[week], 4) if week in lowest else None,
                below[week],
            )
        )
    total = sum(r[3] for r in rows)
    summary = (
        msg(
            "{sessions} session(s) over {weeks} week(s); each week's schedule is fixed "
            "{days} day(s) before it starts (planned on {planned_on}).",
            sessions=total,
            weeks=len(rows),
            days=settings.fixed_days,
            planned_on=planned_on.isoformat(),
        )
        if planned_on is not None
        else msg(
            "{sessions} session(s) over {weeks} week(s); each week's schedule is fixed "
            "{days} day(s) before it starts.",
            sessions=total,
            weeks=len(rows),
            days=settings.fixed_days,
        )
    )
    return [
        Report(
            id="default.weeks",
            title=msg("The week's plan"),
            summary=summary,
            columns=WEEK_COLUMNS,
            rows=tuple(rows),
            reasons=(
                PLUGIN.reason(
                    "schedule.weeks",
                    summary,
                    PLUGIN.fact("fixed_days", settings.fixed_days, f"{SETTINGS}.fixed_days"),
                    PLUGIN.fact("week_start", settings.week_start, f"{SETTINGS}.week_start"),
                ),
            ),
        )
    ]
