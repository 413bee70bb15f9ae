"""Benchmark: the scheduling targets of issue 5, Erlang C and the default pack's schedule stage.

    python benchmarks/bench_schedule.py                # best of 3, about 20 s
    python benchmarks/bench_schedule.py --repeat 1 --json

Issue 5: "Erlang C for 96 intervals x 50 skills <= 20 ms. 1,000 sessions over a month of
15-minute intervals scheduled in <= 5 s, with 0 intervals under the floor and 0
double-bookings."

(a) Erlang C: ``erlang.required_many`` and ``erlang.service_levels`` on 96 x 50 = 4,800
    intervals (seeded loads of 0-200 Erlangs on a two-peak day, AHT 180-600 s, 80/20),
    best of --repeat; the anchor, in the same run, is the scalar ``erlang.required_agents``
    over the same intervals, which must give the same agents.
(b) The schedule: a month (2026-12-01..31, 23 weekdays) built in memory, no CSV:
    ``[service] interval_minutes = 15``, level 0.8, answer_seconds 20;
    ``[plugins.default.schedule] max_minutes_per_day = 120, step_minutes = 15``.
    40 teams x 15 agents on 6 queues, team shifts starting 07:00-13:00 every 30 min; each
    agent works 21 of the weekdays, 8.5 h: phone time with two 15-min breaks and a 30-min
    lunch, staggered by agent. The forecast of every queue and 15-minute interval is sized
    from the roster with Erlang C so that the day's peak keeps 0-2 agents above the floor
    and quieter intervals more. 20 full-time trainers (400 h each; half 07:00-15:30, half
    12:30-21:00). 1,000 sessions built directly: 150 pre-shift shares (a whole team, 15
    min), 400 coaching 1:1 (45 min) and 250 classrooms of 4-10 agents of one team (60 min)
    with a trainer, 200 micro-videos (one agent, 10 min, no trainer).
    The reference data goes through ``Engine.from_objects`` (for the center and the pack's
    settings); the forecast, roster and availability rows go straight to ``Workforce(...)``
    (``from_objects`` inserts rows one by one, far too slowly for 100,000 roster rows).
    Timed: building the Workforce (Erlang C of every interval included), the hookimpl
    ``ccrules_packs.default.schedule.ccrules_schedule`` alone (best of --repeat, every run must give
    the same slots), and ``Workforce.table`` measuring the plan.

Checks (exit code 1 when one fails): intervals the training takes below the floor that were
not below before (``available - off < required``, from ``Workforce.table``); double-bookings
(anyone, attendee or trainer, in two overlapping sessions); anyone trained outside their
working time or over max_minutes_per_day; the groups of a split session naming each attendee
once. Sessions placed whole, split and unplaced are reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np

from ccrules import Engine, erlang
from ccrules.model import (
    Agent,
    Competency,
    CompetencyCategory,
    CompetencyKind,
    Course,
    Format,
    Requirement,
    Role,
    Session,
    Slot,
    Team,
    Trainer,
    TrainerKind,
    TrainerSkill,
)
from ccrules.workforce import AT_WORK, Workforce
from ccrules_packs.default.schedule import ccrules_schedule

T = TypeVar("T")

ERLANG_TARGET_MS = 20.0
SCHEDULE_TARGET_S = 5.0
INTERVAL = 15  # minutes
SECONDS = INTERVAL * 60
LEVEL, ANSWER = 0.8, 20.0
MAX_MINUTES = 120
EPS = 1e-6  # as the schedule stage and the plan's reports compare agents

FIRST, LAST = dt.date(2026, 12, 1), dt.date(2026, 12, 31)
CONFIG = f"""
[center]
name = "Benchmark month"
model = "inhouse"

[[cycles]]
id = "2026-12"
start = {FIRST}
end = {LAST}

[service]
interval_minutes = {INTERVAL}
level = {LEVEL}
answer_seconds = {ANSWER:g}

[plugins]
enabled = ["default"]

[plugins.default.schedule]
max_minutes_per_day = {MAX_MINUTES}
step_minutes = 15
"""

TEAMS, TEAM_SIZE = 40, 15
QUEUES = {"Q1": 240.0, "Q2": 300.0, "Q3": 360.0, "Q4": 420.0, "Q5": 270.0, "Q6": 330.0}
TRAINERS = 20
COMPETENCIES = 8
MIX = {  # format: (sessions, minutes)
    Format.PRE_SHIFT: (150, 15),
    Format.COACHING: (400, 45),
    Format.CLASSROOM: (250, 60),
    Format.MICRO_VIDEO: (200, 10),
}
SHIFT_MINUTES = 510  # 8.5 h
VALLEY_SLACK = 0.25  # share of (day peak - interval's agents) left above the floor


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """Best wall seconds of ``repeat`` calls, and the last result."""
    best = float("inf")
    result: T
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


# --------------------------------------------------------------------------------------------
# (a) Erlang C


def erlang_loads(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Contacts and AHT of 50 skills x 96 intervals: a two-peak day, quiet nights."""
    rng = np.random.default_rng(seed)
    hours = (np.arange(96) + 0.5) / 4
    shape = np.exp(-(((hours - 11) / 2.2) ** 2)) + 0.8 * np.exp(-(((hours - 16) / 2.5) ** 2))
    shape = np.where((hours < 6) | (hours >= 23), 0.02 * shape, shape)
    peak = np.exp(rng.uniform(np.log(5), np.log(200), 50))  # peak load of each skill, Erlangs
    load = peak[:, None] * shape[None, :] / shape.max()
    load = load * rng.uniform(0.9, 1.1, load.shape)
    load[rng.random(load.shape) < 0.02] = 0.0  # a few intervals with no traffic at all
    aht = np.repeat(rng.uniform(180, 600, 50)[:, None], 96, axis=1)
    return (load * SECONDS / aht).ravel(), aht.ravel()


def bench_erlang(repeat: int, seed: int) -> dict[str, Any]:
    contacts, aht = erlang_loads(seed)
    many_s, required = best_of(
        repeat, lambda: erlang.required_many(contacts, aht, SECONDS, ANSWER, LEVEL)
    )
    levels_s, levels = best_of(
        repeat, lambda: erlang.service_levels(contacts, aht, SECONDS, required, ANSWER)
    )
    started = time.perf_counter()
    scalar = [
        erlang.required_agents(c, h, SECONDS, ANSWER, LEVEL).agents
        for c, h in zip(contacts.tolist(), aht.tolist(), strict=True)
    ]
    scalar_s = time.perf_counter() - started
    return {
        "intervals": int(contacts.size),
        "max_erlangs": round(float((contacts * aht / SECONDS).max()), 1),
        "max_agents": max(required),
        "required_many_ms": many_s * 1000,
        "service_levels_ms": levels_s * 1000,
        "scalar_required_agents_ms": scalar_s * 1000,
        "mismatches_vs_scalar": sum(a != b for a, b in zip(required, scalar, strict=True)),
        "below_goal": sum(level < LEVEL - 1e-9 for level in levels),
    }


# --------------------------------------------------------------------------------------------
# (b) the month


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


@attrs.frozen
class Month:
    data: dict[str, list[Any]]
    forecast: list[tuple[str, dt.date, dt.time, float, float]]
    roster: list[tuple[str, dt.date, dt.time, dt.time, str, str | None]]
    availability: list[tuple[str, dt.date, dt.time, dt.time]]
    sessions: list[Session]
    trainers: list[Trainer]


def team_start(i: int) -> int:
    """Shift start of team ``i`` in minutes: 07:00-13:00 on the half hour, spread per queue."""
    return 7 * 60 + 30 * ((5 * i) % 13)


def build_month(seed: int, sessions: int) -> Month:
    rng = np.random.default_rng(seed)
    queues = list(QUEUES)
    weekdays = [
        FIRST + dt.timedelta(days=d)
        for d in range((LAST - FIRST).days + 1)
        if (FIRST + dt.timedelta(days=d)).weekday() < 5
    ]
    competencies = [f"C{c}" for c in range(1, COMPETENCIES + 1)]
    teams = [
        Team(
            f"T{i + 1:02d}",
            f"Team {i + 1}",
            queue=queues[i % len(queues)],
            shift_start=_clock(team_start(i)),
            shift_end=_clock(team_start(i) + SHIFT_MINUTES),
        )
        for i in range(TEAMS)
    ]
    agents = [
        Agent(f"A{i * TEAM_SIZE + j + 1:04d}", f"Agent {i}-{j}", teams[i].id, "AG")
        for i in range(TEAMS)
        for j in range(TEAM_SIZE)
    ]
    trainers = [
        Trainer(
            f"TR{t + 1:02d}",
            f"Trainer {t + 1}",
            TrainerKind.FULL_TIME,
            400,
            cost_per_hour=100,
            skills=tuple(TrainerSkill(c, 95) for c in competencies),
        )
        for t in range(TRAINERS)
    ]
    courses = [
        Course(f"K{c}-{fmt.value}", f"{fmt.value} on {c}", c, fmt, minutes, max_group=10)
        for c in competencies
        for fmt, (_, minutes) in MIX.items()
    ]
    data: dict[str, list[Any]] = {
        "teams": teams,
        "roles": [
            Role("AG", "Agent", requirements=tuple(Requirement(c, 80) for c in competencies))
        ],
        "competencies": [
            Competency(c, c, CompetencyCategory.BUSINESS, CompetencyKind.SKILL)
            for c in competencies
        ],
        "agents": agents,
        "qa_items": [{"item_id": "I1", "competency_id": "C1"}],
        "qa": [
            {
                "evaluation_id": "E1",
                "agent_id": agents[0].id,
                "date": FIRST - dt.timedelta(days=10),
                "item_id": "I1",
                "score": 9,
                "max_score": 10,
                "evaluator": "QA",
            }
        ],
        "trainers": trainers,
        "courses": courses,
    }

    # the roster: phone time, two breaks and lunch, staggered by agent; 2 weekdays off each
    roster: list[tuple[str, dt.date, dt.time, dt.time, str, str | None]] = []
    day_index = {day: d for d, day in enumerate(weekdays)}
    on_phone = np.zeros((len(queues), len(weekdays), 24 * 60 // INTERVAL))
    for i, team in enumerate(teams):
        q = queues.index(team.queue or "")
        for j in range(TEAM_SIZE):
            agent = agents[i * TEAM_SIZE + j].id
            off = set(rng.choice(len(weekdays), 2, replace=False).tolist())
            shift = (j % 3) * 15
            cuts = [
                (0, 105 + shift, "phone"),
                (105 + shift, 120 + shift, "break"),
                (120 + shift, 225 + shift, "phone"),
                (225 + shift, 255 + shift, "break"),
                (255 + shift, 375 + shift, "phone"),
                (375 + shift, 390 + shift, "break"),
                (390 + shift, SHIFT_MINUTES, "phone"),
            ]
            for day in weekdays:
                if day_index[day] in off:
                    continue
                base = team_start(i)
                for s, e, activity in cuts:
                    queue = team.queue if activity == "phone" else None
                    roster.append((agent, day, _clock(base + s), _clock(base + e), activity, queue))
                    if activity == "phone":  # starts and ends are on the 15-minute grid
                        first, last = (base + s) // INTERVAL, (base + e) // INTERVAL
                        on_phone[q, day_index[day], first:last] += 1

    # the forecast: per queue, the most load N agents hold at the floor (bisection on
    # required_many), so that each interval requires its agents less the slack wanted
    top = int(on_phone.max())
    need = np.arange(1, top + 1, dtype=float)
    forecast: list[tuple[str, dt.date, dt.time, float, float]] = []
    for q, queue in enumerate(queues):
        aht = QUEUES[queue]
        lo, hi = np.zeros(top), need.copy()
        for _ in range(50):
            mid = (lo + hi) / 2
            held = erlang.required_many(mid * SECONDS / aht, [aht] * top, SECONDS, ANSWER, LEVEL)
            fits = np.array(held) <= need
            lo, hi = np.where(fits, mid, lo), np.where(fits, hi, mid)
        holds = np.concatenate([[0.0], lo])  # holds[n]: the most Erlangs n agents hold
        for day in weekdays:
            agents_on = on_phone[q, day_index[day]]
            peak = agents_on.max()
            for k in range(6 * 60 // INTERVAL, 22 * 60 // INTERVAL):
                here = int(agents_on[k])
                slack = int(rng.integers(0, 3)) + int(VALLEY_SLACK * (peak - here))
                wanted = max(0, here - slack)
                load = holds[wanted] * rng.uniform(0.97, 0.999)
                forecast.append((queue, day, _clock(k * INTERVAL), load * SECONDS / aht, aht))

    hours = [(dt.time(7), dt.time(15, 30)), (dt.time(12, 30), dt.time(21))]  # early, late
    availability = [(t.id, day, *hours[n % 2]) for n, t in enumerate(trainers) for day in weekdays]

    # the sessions, best rank first in a shuffled mix of formats
    total = sum(count for count, _ in MIX.values())
    formats = [
        fmt for fmt, (count, _) in MIX.items() for _ in range(round(count * sessions / total))
    ]
    rng.shuffle(formats)
    members = {t.id: [a.id for a in agents if a.team_id == t.id] for t in teams}
    built: list[Session] = []
    for rank, fmt in enumerate(formats, start=1):
        competency = competencies[int(rng.integers(len(competencies)))]
        team_of: str = teams[int(rng.integers(len(teams)))].id
        minutes = MIX[fmt][1]
        trainer: str | None = trainers[int(rng.integers(len(trainers)))].id
        share: str | None = None
        if fmt is Format.PRE_SHIFT:
            attendees, trainer, share = members[team_of], None, team_of
        elif fmt is Format.CLASSROOM:
            size = int(rng.integers(4, 11))
            attendees = sorted(rng.choice(members[team_of], size, replace=False).tolist())
        else:
            attendees = [members[team_of][int(rng.integers(TEAM_SIZE))]]
            if fmt is Format.MICRO_VIDEO:
                trainer = None
        built.append(
            Session(
                id=f"S{rank:04d}",
                course_id=f"K{competency}-{fmt.value}",
                competency_id=competency,
                format=fmt,
                duration_minutes=minutes,
                attendees=tuple(attendees),
                need_ids=tuple(f"N{rank:04d}-{a}" for a in attendees),
                rank=rank,
                team_id=share,
                trainer_id=trainer,
            )
        )
    return Month(data, forecast, roster, availability, built, trainers)


# --------------------------------------------------------------------------------------------
# checks


def placed_sessions(
    sessions: Sequence[Session], slots: Sequence[Slot]
) -> tuple[list[Session], Counter[str], list[str]]:
    """Sessions with their times (a split session as its groups), the count of sessions
    placed whole / split (all groups placed) / split in part / unplaced, and problems with
    the groups."""
    by_session: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_session[slot.session_id].append(slot)
    placed: list[Session] = []
    counts: Counter[str] = Counter()
    problems: list[str] = []
    for session in sessions:
        groups = by_session.get(session.id, [])
        if not groups:
            problems.append(f"{session.id}: no slot")
            continue
        if len(groups) == 1 and groups[0].attendees is None:
            slot = groups[0]
            if slot.start is None:
                counts["unplaced"] += 1
            else:
                counts["whole"] += 1
                placed.append(attrs.evolve(session, start=slot.start, end=slot.end))
            continue
        named = [a for slot in groups for a in slot.attendees or ()]
        if sorted(named) != sorted(session.attendees):
            problems.append(f"{session.id}: the groups do not name each attendee once")
        timed = [slot for slot in groups if slot.start is not None]
        counts[
            "unplaced"
            if not timed
            else "split"
            if len(timed) == len(groups)
            else "split, some attendees unplaced"
        ] += 1
        for number, slot in enumerate(timed, start=1):
            placed.append(
                attrs.evolve(
                    session,
                    id=f"{session.id}-{number}",
                    attendees=tuple(slot.attendees or ()),
                    start=slot.start,
                    end=slot.end,
                )
            )
    return placed, counts, problems


def double_bookings(placed: Sequence[Session], trainers: Sequence[Trainer]) -> list[str]:
    """Pairs of overlapping sessions that share a person (an attendee, or the trainer: their
    agent id when on the floor, else the trainer id)."""
    floor_agent = {t.id: t.agent_id for t in trainers}
    booked: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
    for s in placed:
        assert s.start is not None and s.end is not None
        people = set(s.attendees)
        if s.trainer_id is not None:
            people.add(floor_agent.get(s.trainer_id) or f"trainer:{s.trainer_id}")
        for person in people:
            booked[person].append((s.start, s.end, s.id))
    found = []
    for person, spans in booked.items():
        spans.sort()
        last_end, last_id = dt.datetime.min, ""
        for start, end, sid in spans:
            if start < last_end:
                found.append(f"{person}: {last_id} and {sid}")
            if end > last_end:
                last_end, last_id = end, sid
    return found


def outside_work(
    placed: Sequence[Session], workforce: Workforce, trainers: Sequence[Trainer]
) -> tuple[list[str], list[str]]:
    """People trained outside their working time (agents: phone or offline segments;
    trainers: their availability), and agents over the daily training minutes."""
    floor_agent = {t.id: t.agent_id for t in trainers}
    outside, over = [], []
    minutes: Counter[tuple[str, dt.date]] = Counter()
    for s in placed:
        assert s.start is not None and s.end is not None
        day = s.start.date()
        for agent in s.attendees:
            minutes[(agent, day)] += s.duration_minutes
        people = [*s.attendees]
        if s.trainer_id is not None and floor_agent.get(s.trainer_id):
            people.append(floor_agent[s.trainer_id] or "")
        for agent in people:
            work = merged(
                (g.start, g.end) for g in workforce.segments(agent, day) if g.activity in AT_WORK
            )
            if not any(a <= s.start and s.end <= b for a, b in work):
                outside.append(f"{s.id}: {agent}")
        if s.trainer_id is not None and not floor_agent.get(s.trainer_id):
            windows = workforce.trainer_windows(s.trainer_id, day) or ()
            if not any(a <= s.start and s.end <= b for a, b in merged(windows)):
                outside.append(f"{s.id}: trainer {s.trainer_id}")
    for (agent, day), total in sorted(minutes.items()):
        if total > MAX_MINUTES:
            over.append(f"{agent} on {day}: {total} min")
    return outside, over


def merged(spans: Any) -> list[tuple[dt.datetime, dt.datetime]]:
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------------------------


def bench_schedule(repeat: int, seed: int, sessions: int) -> dict[str, Any]:
    started = time.perf_counter()
    month = build_month(seed, sessions)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    engine = Engine.from_objects(CONFIG, month.data)
    engine_s = time.perf_counter() - started
    with engine:
        center = engine.center
        workforce_s, workforce = best_of(
            repeat,
            lambda: Workforce(
                center,
                forecast=month.forecast,
                roster=month.roster,
                availability=month.availability,
            ),
        )
        runs: list[list[Slot]] = []

        def schedule() -> list[Slot]:
            slots = ccrules_schedule(center, month.sessions, month.trainers, workforce)
            runs.append(slots)
            return slots

        schedule_s, slots = best_of(repeat, schedule)
    same = all(
        [(s.session_id, s.start, s.end, s.attendees) for s in run]
        == [(s.session_id, s.start, s.end, s.attendees) for s in slots]
        for run in runs
    )
    placed, counts, group_problems = placed_sessions(month.sessions, slots)
    started = time.perf_counter()
    table = workforce.table(placed, month.trainers)
    table_s = time.perf_counter() - started
    below_before = sum(r.available + EPS < r.required for r in table)
    newly_below = [
        f"{r.queue} {r.start:%Y-%m-%d %H:%M}: available {r.available:g} - off {r.off:g} "
        f"< required {r.required}"
        for r in table
        if r.available - r.off + EPS < r.required and r.available + EPS >= r.required
    ]
    doubles = double_bookings(placed, month.trainers)
    outside, over = outside_work(placed, workforce, month.trainers)
    off = [r for r in table if r.off > 0]
    return {
        "agents": len(month.data["agents"]),
        "teams": len(month.data["teams"]),
        "queues": len(workforce.queues),
        "days": workforce.days,
        "forecast_rows": len(month.forecast),
        "roster_rows": len(month.roster),
        "sessions": len(month.sessions),
        "sessions_by_format": dict(Counter(s.format.value for s in month.sessions)),
        "build_data_s": build_s,
        "engine_from_objects_s": engine_s,
        "workforce_s": workforce_s,
        "schedule_s": schedule_s,
        "table_s": table_s,
        "slots": len(slots),
        "same_slots_every_run": same,
        "placed_whole": counts["whole"],
        "split": counts["split"],
        "split_in_part": counts["split, some attendees unplaced"],
        "unplaced": counts["unplaced"],
        "placed_by_format": dict(Counter(s.format.value for s in placed)),
        "intervals": len(table),
        "intervals_with_training": len(off),
        "lowest_service_level_after": min((r.service_level_after for r in off), default=None),
        "below_floor_before": below_before,
        "newly_below_floor": len(newly_below),
        "double_bookings": len(doubles),
        "outside_working_time": len(outside),
        "over_daily_minutes": len(over),
        "group_problems": len(group_problems),
        "examples": {
            "newly_below_floor": newly_below[:5],
            "double_bookings": doubles[:5],
            "outside_working_time": outside[:5],
            "over_daily_minutes": over[:5],
            "group_problems": group_problems[:5],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    e = bench_erlang(args.repeat, args.seed)
    s = bench_schedule(args.repeat, args.seed, args.sessions)
    failures = [
        name
        for name, bad in (
            ("required_many differs from required_agents", e["mismatches_vs_scalar"]),
            ("intervals taken below the floor", s["newly_below_floor"]),
            ("double-bookings", s["double_bookings"]),
            ("training outside working time", s["outside_working_time"]),
            ("over max_minutes_per_day", s["over_daily_minutes"]),
            ("split groups", s["group_problems"]),
            ("runs gave different slots", not s["same_slots_every_run"]),
        )
        if bad
    ]
    if args.json:
        print(json.dumps({"erlang": e, "schedule": s, "failures": failures}, indent=2))
        sys.exit(1 if failures else 0)

    def row(what: str, value: str, target: str = "", ratio: str = "") -> None:
        print(f"  {what:<46} {value:>12}  {target:>8}  {ratio}")

    print(
        f"command: python benchmarks/bench_schedule.py --repeat {args.repeat} "
        f"--seed {args.seed} --sessions {args.sessions} (best of {args.repeat})\n"
    )
    print(f"Erlang C, 96 x 50 = {e['intervals']:,} intervals (up to {e['max_erlangs']} Erlangs)")
    row("what", "measured", "target", "ratio")
    ms = e["required_many_ms"]
    row("required_many", f"{ms:.1f} ms", "20 ms", f"{ms / ERLANG_TARGET_MS:.2f}x of the target")
    ms = e["service_levels_ms"]
    row("service_levels", f"{ms:.1f} ms", "20 ms", f"{ms / ERLANG_TARGET_MS:.2f}x of the target")
    ms = e["scalar_required_agents_ms"]
    row(
        "anchor: required_agents, one by one",
        f"{ms:.1f} ms",
        "",
        f"required_many is {ms / e['required_many_ms']:.0f}x faster",
    )
    row("agents differing from the scalar", str(e["mismatches_vs_scalar"]), "0")

    print(
        f"\nSchedule: {s['agents']} agents in {s['teams']} teams on {s['queues']} queues, "
        f"{s['days']} days of 15-min intervals ({s['forecast_rows']:,} forecast rows, "
        f"{s['roster_rows']:,} roster rows), {s['sessions']:,} sessions "
        + ", ".join(f"{n} {f}" for f, n in s["sessions_by_format"].items())
    )
    row("what", "measured", "target", "ratio")
    row("build the data in memory (not timed)", f"{s['build_data_s']:.2f} s")
    row("Engine.from_objects, reference data", f"{s['engine_from_objects_s']:.2f} s")
    row("Workforce(...) incl. Erlang C per interval", f"{s['workforce_s']:.2f} s")
    sec = s["schedule_s"]
    row(
        f"schedule {s['sessions']:,} sessions (hookimpl only)",
        f"{sec:.2f} s",
        "5 s",
        f"{sec / SCHEDULE_TARGET_S:.2f}x of the target",
    )
    row("Workforce.table of the plan", f"{s['table_s']:.2f} s")

    print("\nChecks")
    row("sessions placed whole", str(s["placed_whole"]))
    row("sessions split, every group placed", str(s["split"]))
    row("sessions split, some attendees unplaced", str(s["split_in_part"]))
    row("sessions unplaced", str(s["unplaced"]))
    low = s["lowest_service_level_after"]
    row(
        "intervals with training / lowest SL after",
        f"{s['intervals_with_training']:,} / {low:.3f}" if low is not None else "0",
    )
    row("intervals below the floor before training", str(s["below_floor_before"]))
    row("intervals taken below the floor", str(s["newly_below_floor"]), "0")
    row("double-bookings", str(s["double_bookings"]), "0")
    row("people trained outside working time", str(s["outside_working_time"]), "0")
    row(f"agent-days over {MAX_MINUTES} training minutes", str(s["over_daily_minutes"]), "0")
    row("split groups not naming each attendee once", str(s["group_problems"]), "0")
    row("same slots in every run", "yes" if s["same_slots_every_run"] else "NO", "yes")
    for name, examples in s["examples"].items():
        for example in examples:
            print(f"    {name}: {example}")
    if failures:
        print(f"\nFAILED: {'; '.join(failures)}")
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
