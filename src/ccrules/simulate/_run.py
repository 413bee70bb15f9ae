"""One scenario, one run: the real loop driven forward a day at a time.

Each simulated cycle goes through the public API exactly as an operator's week does: the
center folder is loaded (``Engine.from_folder``), planned with the latest review known by
then, recorded and approved in the history; its sessions are delivered in the model and
their outcomes written to ``data/outcomes.csv``; QA and KPI rows come from the model's true
levels; once the window after the cycle has passed, the cycle is evaluated and its review
recorded. A scenario with no rule packs (``none``) runs the model alone.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ccrules._engine import Engine
from ccrules._history import History
from ccrules.errors import PluginError
from ccrules.model import Plan, Review, Trainer
from ccrules.simulate._calibrate import Calibration
from ccrules.simulate._folder import (
    COLUMNS,
    FROM_THE_MODEL,
    REPEATED,
    SimCycle,
    Table,
    center_toml,
    copy_center,
    drop_from,
    drop_outcomes,
    repeat_rows,
    roster_rows,
)
from ccrules.simulate._settings import ModelSettings
from ccrules.simulate._world import LEAVER_REASON, World

APPROVER = "ccrules simulate"
Progress = Callable[[str], None]


@attrs.frozen
class Check:
    """An evaluation-stage estimate beside the model's true effect."""

    cycle_id: str
    subject: str
    subject_id: str
    estimate: float
    low: float
    high: float
    truth: float
    n: int


@attrs.frozen
class CycleResult:
    """What one cycle of one run did, measured in the model (truth) and in the plan."""

    cycle_id: str
    gap: float
    gap_median: float
    gap_p90: float
    pairs: int
    needs_opened: int = 0
    needs_planned: int = 0
    needs_closed: int = 0
    days_to_close: tuple[int, ...] = ()
    sessions: int = 0
    training_hours: float = 0.0
    trainer_hours: float = 0.0
    cost: float = 0.0
    below_floor: int = 0
    escalations: int = 0
    escalated_team_lead: int = 0
    escalated_team: int = 0
    leavers: int = 0
    warned: int = 0
    #: the review's L3 behaviour effect of the whole cycle, and the model's true effect
    l3_estimate: float | None = None
    l3_truth: float | None = None
    #: attendee-hours on agents whose true level already met their role's level there
    hours_without_gap: float = 0.0
    hooks: tuple[str, ...] = ()


@attrs.frozen
class RunResult:
    scenario: str
    run: int
    cycles: tuple[CycleResult, ...]
    checks: tuple[Check, ...]
    warned: int
    warned_left: int
    leavers: int
    #: seconds in the engine (load, plan, review, history) and in all, for benchmarks only
    engine_seconds: float = attrs.field(default=0.0, eq=False)
    total_seconds: float = attrs.field(default=0.0, eq=False)


@attrs.frozen
class Task:
    """Everything a worker process needs to run one scenario once."""

    scenario: str
    config: Mapping[str, Any] | None  # None: no training at all
    settings: ModelSettings
    calibration: Calibration
    center: Path
    folder: Path | None
    seed: int
    run: int
    cycles: tuple[SimCycle, ...]


def _at(day: dt.date, hour: int = 6) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


class _Center:
    """The scenario's center folder and the files the simulation appends to."""

    def __init__(self, task: Task, world: World) -> None:
        assert task.folder is not None and task.config is not None
        self.folder = task.folder
        copy_center(task.center, self.folder)
        (self.folder / "center.toml").write_text(
            center_toml(task.config, task.cycles), encoding="utf-8"
        )
        data = self.folder / "data"
        base = task.cycles[0]
        for name, column in FROM_THE_MODEL.items():
            drop_from(data / f"{name}.csv", column, base.start)
        drop_outcomes(data / "outcomes.csv", [c.id for c in task.cycles])
        days = [base.start + dt.timedelta(days=i) for i in range((base.end - base.start).days + 1)]
        shifts = [(c.start - base.start).days for c in task.cycles[1:]]
        for name in REPEATED:
            repeat_rows(data / f"{name}.csv", days, shifts)
        self.roster = roster_rows(data / "shifts.csv", days)
        self.base = base
        self.tables = {name: Table(data / f"{name}.csv", cols) for name, cols in COLUMNS.items()}
        self.world = world
        self.buffers: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.agents_dirty = False
        self.checked: set[tuple[str, str, str]] = set()  # spot checks made: one a day

    def flush(self) -> None:
        for name, rows in sorted(self.buffers.items()):
            self.tables[name].append(rows)
        self.buffers.clear()
        if self.agents_dirty:
            self.tables["agents"].rewrite(self.world.agents())
            self.agents_dirty = False

    def roster_for(self, cycle: SimCycle) -> None:
        """The cycle's shifts: the base cycle's roster of each seat, for whoever holds it."""
        if cycle.id == self.base.id or not self.roster:
            return
        offset = dt.timedelta(days=(cycle.start - self.base.start).days)
        rows = []
        calibration = self.world.calibration
        header = self.tables["shifts"].header
        for s, seat in enumerate(calibration.seats):
            agent = self.world.agent[s]
            if agent is None:
                continue
            for row in self.roster.get(seat.agent_id, []):
                moved = dict(zip(header, row, strict=False))
                moved["agent_id"] = agent
                moved["date"] = (dt.date.fromisoformat(moved["date"]) + offset).isoformat()
                rows.append(tuple(moved.get(c, "") for c in COLUMNS["shifts"]))
        self.buffers["shifts"].extend(rows)


def run(task: Task, progress: Progress | None = None) -> RunResult:
    """Run one scenario once; a plugin's failure says which scenario, run and cycle."""
    try:
        return _run(task, progress)
    except PluginError as error:
        cause = error.error
        raise PluginError(
            error.hook,
            error.plugin,
            RuntimeError(
                f"{type(cause).__name__}: {cause} (simulating scenario {task.scenario}, "
                f"run {task.run + 1})"
            ),
        ) from None


def _run(task: Task, progress: Progress | None = None) -> RunResult:
    started = time.perf_counter()
    clock = [0.0]
    world = World(task.calibration, task.settings, task.seed, task.run)
    cycles = task.cycles
    center = _Center(task, world) if task.config is not None else None
    history = History(center.folder) if center is not None else None
    plans: dict[str, Plan] = {}
    reviews: list[Review] = []
    hooks: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[tuple[str, str, str], dt.date] = {}
    per_cycle: dict[str, dict[str, Any]] = {c.id: {} for c in cycles}
    checks: list[Check] = []
    period_end = {c.id: c.period_end for c in cycles}
    last_day = max(max(c.outcomes_to for c in cycles), max(period_end.values()))
    kpi_next = _next_period(task.calibration, cycles[0].start)
    trainers: dict[str, dict[str, Trainer]] = {}
    left_before = 0
    day = cycles[0].start
    while day <= last_day + dt.timedelta(days=1):
        world.advance(day)
        if center is not None:
            for leaver in world.leavers[left_before:]:
                center.buffers["leavers"].append(
                    (leaver.agent_id, leaver.day.isoformat(), LEAVER_REASON)
                )
                center.agents_dirty = True
            if world.hires and world.hires[-1][2] == day:
                center.agents_dirty = True
        left_before = len(world.leavers)
        # reviews whose window closed yesterday, then plans of cycles that start today
        for cycle in cycles:
            if (
                center is not None
                and history is not None
                and cycle.outcomes_to == day - dt.timedelta(days=1)
            ):
                center.flush()
                tick = time.perf_counter()
                review = _review(task, center.folder, history, plans[cycle.id], reviews, day, hooks)
                clock[0] += time.perf_counter() - tick
                reviews.append(review)
                found = _checks(world, review, cycle)
                checks.extend(found)
                for check in found:
                    if check.subject == "center":
                        per_cycle[cycle.id].update(l3_estimate=check.estimate, l3_truth=check.truth)
                _closed(per_cycle[cycle.id], review, first_seen)
                _spot_checks(world, center, plans[cycle.id], review, day)
        if day > last_day:
            break
        for cycle in cycles:
            if cycle.start == day:
                if progress is not None:
                    progress(f"{task.scenario} run {task.run + 1}: cycle {cycle.id}")
                if center is not None and history is not None:
                    center.roster_for(cycle)
                    center.flush()
                    tick = time.perf_counter()
                    plan = _plan(task, center.folder, history, cycle, day, hooks)
                    clock[0] += time.perf_counter() - tick
                    plans[cycle.id] = plan
                    trainers[cycle.id] = {t.id: t for t in plan.trainers}
                    _planned(per_cycle[cycle.id], plan, first_seen, cycle)
        scored = world.qa_rows(day)
        if center is not None:
            center.buffers["qa"].extend(scored)
            for cycle in cycles:
                delivered = plans.get(cycle.id)
                if delivered is None or not cycle.start <= day <= cycle.end:
                    continue
                today = [
                    s for s in delivered.sessions if s.start is not None and s.start.date() == day
                ]
                if today:
                    center.buffers["outcomes"].extend(
                        world.deliver(cycle.id, today, trainers[cycle.id], day)
                    )
        while kpi_next is not None and kpi_next[1] <= day:
            if center is not None:
                center.buffers["kpis"].extend(world.kpi_rows(*kpi_next))
            kpi_next = _next_period(task.calibration, kpi_next[1] + dt.timedelta(days=1))
        for cycle in cycles:
            if cycle.end == day:
                per_cycle[cycle.id]["hours_without_gap"] = round(
                    sum(
                        g.minutes
                        for g in world.gains
                        if g.cycle_id == cycle.id and g.gap_before <= 0
                    )
                    / 60,
                    4,
                )
            if period_end[cycle.id] == day:
                mean, median, p90, pairs = world.gap()
                per_cycle[cycle.id].update(
                    gap=mean,
                    gap_median=median,
                    gap_p90=p90,
                    pairs=pairs,
                    leavers=sum(1 for lv in world.leavers if cycle.start <= lv.day <= day),
                )
        day += dt.timedelta(days=1)
    warned, warned_left = _warnings(world, reviews, last_day)
    results = []
    for cycle in cycles:
        values = per_cycle[cycle.id]
        values["hooks"] = tuple(sorted(hooks.get(cycle.id, ())))
        results.append(CycleResult(cycle_id=cycle.id, **values))
    return RunResult(
        scenario=task.scenario,
        run=task.run,
        cycles=tuple(results),
        checks=tuple(checks),
        warned=warned,
        warned_left=warned_left,
        leavers=len(world.leavers),
        engine_seconds=clock[0],
        total_seconds=time.perf_counter() - started,
    )


def _plan(
    task: Task,
    folder: Path,
    history: History,
    cycle: SimCycle,
    day: dt.date,
    hooks: dict[str, set[str]],
) -> Plan:
    with Engine.from_folder(folder, cycle=cycle.id) as engine:
        # the review `ccrules plan` would inherit today: only reviews made by now are recorded
        plan = engine.plan(previous=history.previous_review(engine.center.cycle))
        hooks[cycle.id].update(call.hook for call in engine.trace)
        inputs = engine.inputs
    history.record(plan, inputs, now=_at(day - dt.timedelta(days=1), 9))
    history.approve(cycle.id, APPROVER, now=_at(day - dt.timedelta(days=1), 10))
    return plan


def _review(
    task: Task,
    folder: Path,
    history: History,
    plan: Plan,
    reviews: Sequence[Review],
    day: dt.date,
    hooks: dict[str, set[str]],
) -> Review:
    earlier = [r for r in reviews if r.cycle.id != plan.cycle.id]
    with Engine.from_folder(folder, cycle=plan.cycle.id) as engine:
        review = engine.review(plan, earlier=earlier, plan_revision=1)
        hooks[plan.cycle.id].update(call.hook for call in engine.trace)
    history.record_review(review, now=_at(day, 7))
    return review


def _key(need_id: str, agent: str, competency: str) -> tuple[str, str, str]:
    base = need_id
    while base.startswith("carried:"):
        base = base[len("carried:") :]
    return (base, agent, competency)


def _planned(
    values: dict[str, Any],
    plan: Plan,
    first_seen: dict[tuple[str, str, str], dt.date],
    cycle: SimCycle,
) -> None:
    opened = 0
    for need in plan.needs:
        key = _key(need.id, need.agent_id, need.competency_id)
        if key not in first_seen:
            first_seen[key] = cycle.start
            opened += 1
    summary = plan.summary
    below = sum(
        1 for i in plan.service if i.service_level_after < i.floor <= i.service_level_before
    )
    values.update(
        needs_opened=opened,
        needs_planned=summary.needs_planned,
        sessions=summary.sessions,
        training_hours=round(summary.training_minutes / 60, 4),
        trainer_hours=round(summary.trainer_hours, 4),
        cost=round(summary.trainer_cost, 2),
        below_floor=below,
    )


def _closed(
    values: dict[str, Any], review: Review, first_seen: dict[tuple[str, str, str], dt.date]
) -> None:
    days = []
    closed = 0
    for carry in review.carried:
        if carry.status == "open":
            continue
        closed += 1
        key = _key(carry.need.id, carry.need.agent_id, carry.need.competency_id)
        opened = first_seen.get(key, review.cycle.start)
        days.append((review.cycle.end - opened).days + 1)
    active = [e for e in review.escalations if e.level >= 1]
    values.update(
        needs_closed=closed,
        days_to_close=tuple(sorted(days)),
        escalations=len(active),
        escalated_team_lead=sum(1 for e in active if e.level == 2),
        escalated_team=sum(1 for e in active if e.level >= 3),
        warned=sum(1 for a in review.attrition if a.warned),
    )


def _spot_checks(world: World, center: _Center, plan: Plan, review: Review, day: dt.date) -> None:
    """The on-site half of the 50% + 50% check, made in the days after the review."""
    index = {c: i for i, c in enumerate(world.calibration.competencies)}
    needs = {n.id: n for n in plan.needs}
    for key, follow in enumerate(review.follow_ups):
        if follow.kind != "on-site" or follow.competency_id not in index:
            continue
        comp = index[follow.competency_id]
        need = needs.get(follow.need_id or "")
        target = need.target_level if need is not None and need.target_level is not None else None
        if target is None:
            s = world.seat_of.get(follow.agent_id)
            target = float(world.required[s, comp]) if s is not None else world.mean[comp]
        row = world.spot_check(follow.agent_id, comp, float(target), day, key)
        if row is not None and (row[0], row[1], row[2]) not in center.checked:
            center.checked.add((row[0], row[1], row[2]))
            center.buffers["spot_checks"].append(row)


def _checks(world: World, review: Review, cycle: SimCycle) -> list[Check]:
    """Each L3 estimate of the review beside the true mean gain of the agents it covers."""
    gains = [g for g in world.gains if g.cycle_id == cycle.id]
    first = cycle.end + dt.timedelta(days=1)
    last = review.as_of
    result = []
    for evaluation in review.evaluations:
        if evaluation.metric != "behaviour" or evaluation.value is None:
            continue
        if evaluation.low is None or evaluation.high is None:
            continue
        subject, sid = evaluation.subject, evaluation.subject_id
        members: dict[tuple[str, int], float] = defaultdict(float)
        for gain in gains:
            if (
                subject == "center"
                or (subject == "session" and gain.session_id == sid)
                or (subject == "course" and gain.course_id == sid)
                or (subject == "trainer" and gain.trainer_id == sid)
            ):
                members[(gain.agent_id, gain.competency)] += world.in_window(gain, first, last)
        if subject not in ("center", "session", "course", "trainer") or not members:
            continue
        truth = statistics.fmean(members.values())
        result.append(
            Check(
                cycle.id,
                subject,
                sid,
                evaluation.value,
                evaluation.low,
                evaluation.high,
                round(truth, 4),
                evaluation.n,
            )
        )
    return result


def _warnings(world: World, reviews: Sequence[Review], last_day: dt.date) -> tuple[int, int]:
    """Warned agents, and how many of them left by their horizon (or the simulation's end)."""
    left = {lv.agent_id: lv.day for lv in world.leavers}
    warned: dict[str, tuple[dt.date, dt.date]] = {}
    for review in reviews:
        for risk in review.attrition:
            if risk.warned and risk.agent_id not in warned:
                warned[risk.agent_id] = (review.as_of, min(risk.horizon_end, last_day))
    hit = sum(
        1 for agent, (start, end) in warned.items() if agent in left and start < left[agent] <= end
    )
    return len(warned), hit


def _next_period(calibration: Calibration, after: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first KPI period starting on or after ``after``: (first day, last day)."""
    if not calibration.kpis or calibration.kpi_last_period is None:
        return None
    last = calibration.kpi_last_period
    if calibration.kpi_period_days == 0:

        def following(day: dt.date) -> dt.date:
            return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

        start = following(last)
        while start < after:
            start = following(start)
        return start, following(start) - dt.timedelta(days=1)
    step = dt.timedelta(days=calibration.kpi_period_days)
    start = last + step
    while start < after:
        start += step
    return start, start + step - dt.timedelta(days=1)
