"""Schedule stage: the earliest time that fits every constraint, best rank first.

Service-level-aware scheduling (Erlang C per interval) replaces this policy later through the
same hook; until then the team share off the phones is the guard for the queue (seed 001).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

import ccrules
from ccrules import Center
from ccrules.model import Format, Session, Slot, Trainer
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import WEEKDAYS, ScheduleSettings, Settings

SETTINGS = "plugins.default.schedule"
Interval = tuple[dt.datetime, dt.datetime]


def team_cap(size: int, share: float) -> int:
    """Agents of a team of ``size`` that may be off the phones at once (at least one)."""
    return max(1, int(size * share + 1e-9))


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _peak(booked: Sequence[tuple[Interval, int]], span: Interval) -> int:
    """Most agents of a team off the phones at any moment of ``span``."""
    events: list[tuple[dt.datetime, int]] = []
    for interval, count in booked:
        if _overlaps(interval, span):
            events.append((max(interval[0], span[0]), count))
            events.append((min(interval[1], span[1]), -count))
    peak = current = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        current += delta
        peak = max(peak, current)
    return peak


def working_days(center: Center, settings: ScheduleSettings) -> list[dt.date]:
    """The cycle's days that are working days."""
    cycle = center.cycle
    days = (cycle.start + dt.timedelta(days=i) for i in range((cycle.end - cycle.start).days + 1))
    return [day for day in days if WEEKDAYS[day.weekday()] in settings.workdays]


class _Calendar:
    def __init__(
        self, center: Center, trainers: Sequence[Trainer], settings: ScheduleSettings
    ) -> None:
        self.center = center
        self.settings = settings
        self.trainers = {t.id: t for t in trainers}
        self.days = working_days(center, settings)
        self.busy: dict[str, list[Interval]] = {}
        self.minutes: Counter[tuple[str, dt.date]] = Counter()
        self.off: dict[str, list[tuple[Interval, int]]] = {}
        self.shares: set[tuple[str, dt.date]] = set()
        self.team_minutes: Counter[tuple[str, dt.date]] = Counter()

    def shift(self, team_id: str) -> tuple[dt.time, dt.time]:
        team = self.center.teams[team_id]
        return (
            team.shift_start or self.settings.day_start,
            team.shift_end or self.settings.day_end,
        )

    def window(self, session: Session) -> tuple[dt.time, dt.time] | None:
        teams = {self.center.agents[a].team_id for a in session.attendees}
        trainer = self.trainers.get(session.trainer_id or "")
        if trainer is not None and trainer.agent_id is not None:
            teams.add(self.center.agents[trainer.agent_id].team_id)
        spans = [self.shift(t) for t in sorted(teams)]
        if trainer is not None and trainer.agent_id is None:
            spans.append((self.settings.trainer_start, self.settings.trainer_end))
        start = max(s for s, _ in spans)
        end = min(e for _, e in spans)
        return (start, end) if start < end else None

    def people(self, session: Session) -> list[str]:
        keys = [f"agent:{a}" for a in session.attendees]
        trainer = self.trainers.get(session.trainer_id or "")
        if trainer is not None:
            keys.append(
                f"agent:{trainer.agent_id}" if trainer.agent_id else f"trainer:{trainer.id}"
            )
        return keys

    def blocker(self, session: Session, span: Interval) -> str | None:
        """The first constraint ``span`` breaks, or ``None`` if it fits."""
        for key in self.people(session):
            if any(_overlaps(span, other) for other in self.busy.get(key, ())):
                return (
                    "trainer already booked"
                    if not key.startswith("agent:") or key[6:] not in session.attendees
                    else "attendee already booked"
                )
        day = span[0].date()
        for agent in session.attendees:
            if (
                self.minutes[(agent, day)] + session.duration_minutes
                > self.settings.max_minutes_per_day
            ):
                return "daily training minutes used up"
        if session.format is Format.PRE_SHIFT:
            return None
        counts = Counter(self.center.agents[a].team_id for a in session.attendees)
        for team_id, count in counts.items():
            if self.center.teams[team_id].function != "front-line":
                continue
            cap = team_cap(len(self.center.members(team_id)), self.settings.max_team_share_off)
            if _peak(self.off.get(team_id, ()), span) + count > cap:
                return "too many of the team off the phones"
        return None

    def book(self, session: Session, span: Interval) -> None:
        for key in self.people(session):
            self.busy.setdefault(key, []).append(span)
        for agent in session.attendees:
            self.minutes[(agent, span[0].date())] += session.duration_minutes
            self.team_minutes[(self.center.agents[agent].team_id, span[0].date())] += (
                session.duration_minutes
            )
        if session.format is Format.PRE_SHIFT and session.team_id:
            self.shares.add((session.team_id, span[0].date()))
            return
        counts = Counter(self.center.agents[a].team_id for a in session.attendees)
        for team_id, count in counts.items():
            self.off.setdefault(team_id, []).append((span, count))

    def day_order(self, session: Session) -> list[dt.date]:
        """Working days to try: with ``spread``, the day with the least training booked for
        the attendees' teams first (earlier day on a tie); otherwise in date order."""
        if not self.settings.spread:
            return list(self.days)
        teams = {self.center.agents[a].team_id for a in session.attendees}
        return sorted(
            self.days, key=lambda day: (sum(self.team_minutes[(t, day)] for t in teams), day)
        )

    def candidates(
        self,
        session: Session,
        window: tuple[dt.time, dt.time],
        blockers: Counter[str],
        earliest: dt.datetime | None = None,
    ) -> list[Interval]:
        """Times to try, earliest first; pre-shift shares only at the team's shift start,
        one a day; none before ``earliest`` (the end of the sessions it comes after) or after
        the session's due day. Times ruled out before trying are counted in ``blockers``."""
        length = dt.timedelta(minutes=session.duration_minutes)
        step = dt.timedelta(minutes=self.settings.step_minutes)
        found: list[Interval] = []
        for day in self.day_order(session):
            if session.due is not None and day > session.due:
                blockers[f"after its due day {session.due}"] += 1
                continue
            if earliest is not None and day < earliest.date():
                blockers["before the sessions it comes after end"] += 1
                continue
            if session.format is Format.PRE_SHIFT and session.team_id:
                start = dt.datetime.combine(day, self.shift(session.team_id)[0])
                if (session.team_id, day) in self.shares:
                    blockers["the team's pre-shift meeting already has a share that day"] += 1
                elif earliest is not None and start < earliest:
                    blockers["before the sessions it comes after end"] += 1
                elif start.time() < window[0] or (start + length).time() > window[1]:
                    blockers["the trainer is not on shift at the team's shift start"] += 1
                else:
                    found.append((start, start + length))
                continue
            start = dt.datetime.combine(day, window[0])
            close = dt.datetime.combine(day, window[1])
            if earliest is not None and start < earliest:
                # first grid time at or after the prerequisites' end
                behind = math.ceil((earliest - start) / step)
                start += behind * step
            while start + length <= close:
                found.append((start, start + length))
                start += step
        return found


@ccrules.hookimpl
def ccrules_schedule(
    center: Center, sessions: Sequence[Session], trainers: Sequence[Trainer]
) -> list[Slot]:
    settings = center.settings(Settings).schedule
    calendar = _Calendar(center, trainers, settings)
    slots = []
    placed: dict[str, Interval | None] = {}
    for session in _prerequisites_first(sessions):
        slot = _place(center, calendar, settings, session, placed)
        placed[session.id] = (slot.start, slot.end) if slot.start and slot.end else None
        slots.append(slot)
    return slots


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


def _place(
    center: Center,
    calendar: _Calendar,
    settings: ScheduleSettings,
    session: Session,
    placed: dict[str, Interval | None],
) -> Slot:
    """The slot of one session, or why it has none."""
    cycle = center.cycle
    window = calendar.window(session)
    waiting = [s for s in session.after if placed.get(s) is None]
    if waiting:
        return _blocked(
            session,
            f"it comes after {', '.join(waiting)}, which has no time (or no trainer) this cycle",
        )
    before = [placed[s] for s in session.after]
    earliest = max((span[1] for span in before if span is not None), default=None)
    if session.due is not None and session.due < cycle.start:
        return _blocked(session, f"it was due by {session.due}, before the cycle")
    if not calendar.days:
        return _blocked(
            session,
            f"no working day ({', '.join(settings.workdays)}) "
            f"between {cycle.start} and {cycle.end}",
        )
    if window is None:
        return _blocked(session, "the attendees' and trainer's shifts do not overlap")
    if session.duration_minutes > settings.max_minutes_per_day:
        return _blocked(
            session,
            f"it lasts {session.duration_minutes} min, more than the "
            f"{settings.max_minutes_per_day} training minutes an agent may take a day",
        )
    blockers: Counter[str] = Counter()
    chosen = None
    candidates = calendar.candidates(session, window, blockers, earliest)
    for span in candidates:
        blocker = calendar.blocker(session, span)
        if blocker is None:
            chosen = span
            break
        blockers[blocker] += 1
    if chosen is None:
        tried = sum(blockers.values())
        if not tried:
            detail = "no time in the shift window is long enough"
        else:
            detail = "; ".join(
                f"{name} ({count} of {tried} times)" for name, count in blockers.most_common()
            )
        return _blocked(session, detail)
    calendar.book(session, chosen)
    start, end = chosen
    teams = sorted({center.agents[a].team_id for a in session.attendees})
    text = (
        f"First time that fits: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M}"
        + (" (the least-loaded day for these teams)" if settings.spread else "")
        + f", within the shift "
        f"window {window[0]:%H:%M}-{window[1]:%H:%M}"
        + (", at the start of the team's shift" if session.format is Format.PRE_SHIFT else "")
        + f"; {sum(blockers.values())} earlier time(s) ruled out."
    )
    return Slot(
        session.id,
        start,
        end,
        (
            PLUGIN.reason(
                "schedule.earliest-fit",
                text,
                PLUGIN.fact("window_start", window[0]),
                PLUGIN.fact("window_end", window[1]),
                PLUGIN.fact("teams", ", ".join(teams)),
                PLUGIN.fact("earlier_times_ruled_out", sum(blockers.values())),
                PLUGIN.fact(
                    "max_minutes_per_day",
                    settings.max_minutes_per_day,
                    f"{SETTINGS}.max_minutes_per_day",
                ),
                PLUGIN.fact(
                    "max_team_share_off",
                    settings.max_team_share_off,
                    f"{SETTINGS}.max_team_share_off",
                ),
            ),
        ),
    )


def _blocked(session: Session, detail: str) -> Slot:
    return Slot(
        session.id,
        None,
        None,
        (PLUGIN.reason("schedule.earliest-fit", f"No time fits this cycle: {detail}."),),
    )
