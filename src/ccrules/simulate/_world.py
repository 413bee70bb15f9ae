"""The simulated center: each seat's true level per competency, and how it moves.

A *seat* is a place on the floor; its agent may leave and a new hire take it. Random draws
are keyed by (seed, run, purpose, day) and laid out per seat, so every scenario of one run
sees the same agents and the same luck (common random numbers): a difference between
scenarios comes from their rules, not from the draws.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

import attrs
import numpy as np

from ccrules.model import Format, Session, Trainer
from ccrules.simulate._calibrate import Calibration
from ccrules.simulate._settings import ModelSettings

# purposes of random draws; a new purpose takes a new number, never reuses one
_INIT, _NO_SHOW, _QA, _ATTEND, _ATTRITION, _HIRE, _SPOT, _KPI = range(1, 9)
_MAX_EVALUATIONS = 3  # per seat and day
_MAX_SESSIONS = 8  # per seat and day
#: formats without a post-test (seed 001: the huddle checks, it does not test)
UNTESTED = frozenset({Format.PRE_SHIFT})
FACE_TO_FACE = frozenset(f for f in Format if f is not Format.MICRO_VIDEO)
ONE_TO_ONE = frozenset({Format.COACHING, Format.SHADOWING})
LEAVER_REASON = "模拟离职 simulated leaver"
CHECKER = "模拟质检 simulated QA"


def rng(seed: int, run: int, purpose: int, day: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, run, purpose, day])


@attrs.frozen
class Gain:
    """What one attended session did to one agent's true level."""

    cycle_id: str
    session_id: str
    course_id: str
    trainer_id: str | None
    agent_id: str
    competency: int
    day: dt.date
    gain: float
    minutes: int = 0
    #: the role's required level less the true level before the session (<= 0: no gap)
    gap_before: float = 0.0


@attrs.frozen
class Leaver:
    agent_id: str
    seat: int
    day: dt.date


class World:
    """One run's simulated center, advanced a day at a time."""

    def __init__(self, calibration: Calibration, settings: ModelSettings, seed: int, run: int):
        c = self.calibration = calibration
        self.settings = settings
        self.seed, self.run = seed, run
        n, k = len(c.seats), len(c.competencies)
        self.mean = np.array(c.mean)
        self.spread = np.array(c.spread)
        self.noise = np.array(c.noise)
        self.floor = np.array(c.floor)
        draws = rng(seed, run, _INIT).standard_normal((n, k))
        self.level = np.clip(np.array(c.level_mean) + np.array(c.level_sd) * draws, 0.0, 100.0)
        self.start_level = self.level.copy()
        self.active = np.array([s.active for s in c.seats], dtype=bool)
        self.agent: list[str | None] = [s.agent_id for s in c.seats]
        self.name: list[str] = [s.name for s in c.seats]
        self.hired: list[dt.date | None] = [s.hire_date for s in c.seats]
        self.generation = [0] * n
        self.seat_of: dict[str, int] = {s.agent_id: i for i, s in enumerate(c.seats)}
        share = c.no_show
        concentration = 10.0  # a Beta spread around the center's no-show share
        self.no_show = (
            rng(seed, run, _NO_SHOW).beta(
                max(share, 1e-6) * concentration, max(1 - share, 1e-6) * concentration, n
            )
            if share > 0
            else np.zeros(n)
        )
        self.attempts = np.zeros((n, k), dtype=np.int64)
        self.gains: list[Gain] = []
        self.leavers: list[Leaver] = []
        self.hires: list[tuple[str, int, dt.date]] = []
        self.vacant: dict[int, dt.date] = {}  # seat -> day its new hire starts
        self.snapshots: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
        self.retain = 0.5 ** (1 / settings.half_life_days)
        self.template_cum = np.cumsum(np.array(c.template_weight, dtype=float))
        self.evaluator_cum = np.cumsum(np.array(c.evaluator_weight, dtype=float))
        self.template_len = max(len(t) for t in c.templates)
        self.required = np.zeros((n, k))
        self.requires = np.zeros((n, k), dtype=bool)
        for s, seat in enumerate(c.seats):
            for comp, level in c.required.get(seat.role_id, {}).items():
                self.required[s, comp] = level
                self.requires[s, comp] = True
        self.releases: dict[dt.date, list[int]] = defaultdict(list)
        for day, comp in c.releases:
            self.releases[day].append(comp)

    # -- who is on the floor ---------------------------------------------------------------

    def on_floor(self) -> np.ndarray:
        """Seats whose agent works (not on leave, not vacant)."""
        occupied = np.array([a is not None for a in self.agent], dtype=bool)
        return np.asarray(self.active & occupied)

    def agents(self) -> list[tuple[str, str, str, str, dt.date | None, str]]:
        """agents.csv rows: every agent who ever held a seat, leavers on ``leave``."""
        c = self.calibration
        rows = []
        current = {a for a in self.agent if a is not None}
        for seat in c.seats:
            rows.append(
                (
                    seat.agent_id,
                    seat.name,
                    seat.team_id,
                    seat.role_id,
                    seat.hire_date,
                    "active" if seat.active and seat.agent_id in current else "leave",
                )
            )
        for agent, s, day in self.hires:
            seat = c.seats[s]
            rows.append(
                (
                    agent,
                    f"新人 {agent}",
                    seat.team_id,
                    seat.role_id,
                    day,
                    "active" if agent in current else "leave",
                )
            )
        return rows

    # -- time ---------------------------------------------------------------------------------

    def advance(self, day: dt.date) -> None:
        """Start of ``day``: decay, releases, hires due, and (weekly) who leaves."""
        self.level = self.floor + (self.level - self.floor) * self.retain
        for comp in self.releases.get(day, ()):
            drop = self.settings.release_drop_d * self.spread[comp]
            self.level[:, comp] = np.maximum(self.level[:, comp] - drop, 0.0)
        for s, start in sorted(self.vacant.items()):
            if start <= day:
                self._hire(s, day)
        if (day - self.calibration.start).days % 7 == 0:
            self._snapshot(day)
            self._attrition(day)

    def _snapshot(self, day: dt.date) -> None:
        for s in np.flatnonzero(self.on_floor()):
            wanted = self.requires[s]
            value = float(self.level[s, wanted].mean()) if wanted.any() else 0.0
            self.snapshots[int(s)].append((day, value))

    def _attrition(self, day: dt.date) -> None:
        st = self.settings
        weekly = 1 - (1 - st.annual_attrition) ** (7 / 365)
        draws = rng(self.seed, self.run, _ATTRITION, day.toordinal()).random(len(self.agent))
        for s in np.flatnonzero(self.on_floor()):
            agent = self.agent[s]
            assert agent is not None
            hazard = weekly
            for moved, kind in self.calibration.moves.get(agent, ()):
                since = (day - moved).days
                if kind in ("team-change", "transfer") and 0 <= since <= st.interruption_days:
                    hazard *= st.interruption_hazard
                if kind == "demotion" and 0 <= since <= st.failure_days:
                    hazard *= st.failure_hazard
            hired = self.hired[s]
            if hired is not None and 0 <= (day - hired).days < st.new_hire_days:
                hazard *= st.new_hire_hazard
            history = self.snapshots.get(int(s), [])
            earlier = [v for d, v in history if (day - d).days >= 90]
            if earlier and history[-1][1] - earlier[-1] <= -st.qa_drop_points:
                hazard *= st.qa_drop_hazard
            if draws[s] < min(hazard, 1.0):
                self.leavers.append(Leaver(agent, int(s), day))
                self.agent[s] = None
                self.vacant[int(s)] = day + dt.timedelta(days=st.hire_delay_days)

    def _hire(self, s: int, day: dt.date) -> None:
        del self.vacant[s]
        self.generation[s] += 1
        agent = f"{self.calibration.seats[s].agent_id}-N{self.generation[s]}"
        self.agent[s] = agent
        self.hired[s] = day
        self.seat_of[agent] = s
        self.hires.append((agent, s, day))
        draws = rng(self.seed, self.run, _HIRE, day.toordinal() * 1000 + s).standard_normal(
            len(self.mean)
        )
        start = self.mean - self.settings.new_hire_gap_d * self.spread + self.spread * draws * 0.5
        self.level[s] = np.clip(np.maximum(start, self.floor), 0.0, 100.0)
        self.attempts[s] = 0
        self.snapshots.pop(s, None)

    # -- observation ----------------------------------------------------------------------

    def qa_rows(self, day: dt.date) -> list[tuple[Any, ...]]:
        """The day's QA evaluations, item by item, as qa.csv rows."""
        c = self.calibration
        if day <= c.qa_last:
            return []
        n = len(self.agent)
        ordinal = day.toordinal()
        g = rng(self.seed, self.run, _QA, ordinal)
        counts = g.poisson(c.qa_rate[day.weekday()], n)
        pick_form = g.random((n, _MAX_EVALUATIONS))
        pick_evaluator = g.random((n, _MAX_EVALUATIONS))
        z = g.standard_normal((n, _MAX_EVALUATIONS, self.template_len))
        floor = self.on_floor()
        rows: list[tuple[Any, ...]] = []
        text = day.isoformat()
        step = c.score_step
        for s in np.flatnonzero((counts > 0) & floor):
            agent = self.agent[s]
            for j in range(min(int(counts[s]), _MAX_EVALUATIONS)):
                t = int(
                    np.searchsorted(
                        self.template_cum, pick_form[s, j] * self.template_cum[-1], side="right"
                    )
                )
                t = min(t, len(c.templates) - 1)
                e = int(
                    np.searchsorted(
                        self.evaluator_cum,
                        pick_evaluator[s, j] * self.evaluator_cum[-1],
                        side="right",
                    )
                )
                e = min(e, len(c.evaluators) - 1)
                evaluation = f"SIM{ordinal}-{s}-{j}"
                contact = f"SC{ordinal}{s:05d}{j}"
                bias = c.evaluator_bias[e]
                for m, item in enumerate(c.templates[t]):
                    comp = c.item_competency[item]
                    pct = self.level[s, comp] + bias + self.noise[comp] * z[s, j, m]
                    top = c.item_max[item]
                    score = round(min(max(pct, 0.0), 100.0) / 100 * top / step) * step
                    rows.append(
                        (
                            evaluation,
                            agent,
                            text,
                            c.items[item],
                            _num(score),
                            _num(top),
                            c.evaluators[e],
                            c.template_channel[t],
                            contact,
                        )
                    )
        return rows

    def kpi_rows(self, period: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """KPI values of the period starting ``period`` (measured at its last day ``end``)."""
        c = self.calibration
        g = rng(self.seed, self.run, _KPI, period.toordinal())
        z = g.standard_normal((len(c.kpis), len(self.agent)))
        rows = []
        floor = self.on_floor()
        for m, model in enumerate(c.kpis):
            for s in np.flatnonzero(floor):
                level = self.level[s, model.competency] if model.competency >= 0 else 0.0
                offset = model.offsets[s] if self.generation[s] == 0 else 0.0
                value = model.intercept + model.slope * level + offset + model.noise * z[m, s]
                value = min(max(value, model.low), model.high)
                rows.append(
                    (
                        self.agent[s],
                        period.isoformat(),
                        model.metric,
                        _num(round(value, model.digits)),
                    )
                )
        rows.sort(key=lambda r: (str(r[0]), r[2]))
        return rows

    # -- training -------------------------------------------------------------------------

    def deliver(
        self, cycle_id: str, sessions: list[Session], trainers: dict[str, Trainer], day: dt.date
    ) -> list[tuple[Any, ...]]:
        """The day's sessions happen: who came, what they learnt, their post-test and rating.
        Returns outcomes.csv rows."""
        c, st = self.calibration, self.settings
        n = len(self.agent)
        g = rng(self.seed, self.run, _ATTEND, day.toordinal())
        came = g.random((n, _MAX_SESSIONS))
        test = g.standard_normal((n, _MAX_SESSIONS))
        answers = g.random((n, _MAX_SESSIONS))
        rating = g.standard_normal((n, _MAX_SESSIONS))
        used = np.zeros(n, dtype=np.int64)
        index = {comp: i for i, comp in enumerate(c.competencies)}
        rows: list[tuple[Any, ...]] = []
        for session in sessions:
            comp = index[session.competency_id]
            trainer = trainers.get(session.trainer_id) if session.trainer_id else None
            effect = self._effect(session, trainer, comp)
            cap = self._cap(trainer, comp)
            score = trainer.score if trainer is not None else None
            for agent in session.attendees:
                s = self.seat_of.get(agent)
                if s is None or self.agent[s] != agent:
                    rows.append((cycle_id, session.id, agent, "false", "", ""))
                    continue
                slot = min(int(used[s]), _MAX_SESSIONS - 1)
                used[s] += 1
                if came[s, slot] < self.no_show[s]:
                    rows.append((cycle_id, session.id, agent, "false", "", ""))
                    continue
                before = self.level[s, comp]
                gain = effect * (1 + self.attempts[s, comp]) ** -st.attempt_exponent
                after = min(before + gain, max(before, cap), 100.0)
                self.level[s, comp] = after
                self.attempts[s, comp] += 1
                self.gains.append(
                    Gain(
                        cycle_id,
                        session.id,
                        session.course_id,
                        session.trainer_id,
                        agent,
                        comp,
                        day,
                        float(after - before),
                        session.duration_minutes,
                        float(self.required[s, comp] - before) if self.requires[s, comp] else 0.0,
                    )
                )
                post = ""
                if session.format not in UNTESTED:
                    post = _num(round(min(max(after + self.noise[comp] * test[s, slot], 0), 100)))
                sat = ""
                if answers[s, slot] < c.response_rate:
                    lift = st.satisfaction_trainer_weight * (
                        (score if score is not None else 3) - 3
                    )
                    value = c.satisfaction_mean + lift + c.satisfaction_sd * rating[s, slot]
                    sat = _num(min(max(round(value), 1), 5))
                rows.append((cycle_id, session.id, agent, "true", post, sat))
        return rows

    def _effect(self, session: Session, trainer: Trainer | None, comp: int) -> float:
        """The gain of a first attempt, in points of true level."""
        st = self.settings
        fmt = Format(session.format)
        if fmt in FACE_TO_FACE:
            d = st.tutoring_d if fmt in ONE_TO_ONE and len(session.attendees) == 1 else st.effect_d
        else:
            d = st.effect_d / st.face_to_face_ratio
        dose = (session.duration_minutes / st.reference_minutes) ** st.dose_exponent
        quality = 1.0
        if trainer is not None and trainer.score is not None:
            quality = max(1 + st.trainer_score_weight * (trainer.score - 3) / 2, 0.0)
        return float(d * self.spread[comp] * dose * quality)

    def _cap(self, trainer: Trainer | None, comp: int) -> float:
        """A trainer cannot lift trainees above their own level; self-study has no cap."""
        if trainer is None:
            return 100.0
        agent = self.calibration.trainer_agent.get(trainer.id)
        if agent is not None:
            s = self.seat_of.get(agent)
            if s is not None and self.agent[s] == agent:
                return float(self.level[s, comp])
        known = self.calibration.trainer_level.get(trainer.id, {})
        return known.get(comp, 100.0)

    def spot_check(
        self, agent: str, comp: int, target: float, day: dt.date, key: int
    ) -> tuple[Any, ...] | None:
        """An on-site check of ``agent`` on ``comp``: passed when the level shows at target."""
        s = self.seat_of.get(agent)
        if s is None or self.agent[s] != agent:
            return None
        g = rng(self.seed, self.run, _SPOT, day.toordinal() * 100_000 + key)
        when = day + dt.timedelta(days=int(g.integers(0, self.settings.spot_check_days)))
        shown = self.level[s, comp] + self.noise[comp] * g.standard_normal()
        passed = "true" if shown >= target else "false"
        return (agent, self.calibration.competencies[comp], when.isoformat(), passed, CHECKER)

    # -- measures -------------------------------------------------------------------------

    def gap(self) -> tuple[float, float, float, int]:
        """Mean, median and 90th percentile of (required - true level, at least 0) over the
        required competencies of agents on the floor, and how many such pairs."""
        floor = self.on_floor()
        mask = self.requires & floor[:, None]
        gaps = np.maximum(self.required - self.level, 0.0)[mask]
        if gaps.size == 0:
            return 0.0, 0.0, 0.0, 0
        return (
            float(gaps.mean()),
            float(np.percentile(gaps, 50)),
            float(np.percentile(gaps, 90)),
            int(gaps.size),
        )

    def in_window(self, gain: Gain, first: dt.date, last: dt.date) -> float:
        """The mean part of ``gain`` still held over the days ``first`` to ``last``."""
        days = (last - first).days + 1
        if days <= 0:
            return 0.0
        start = (first - gain.day).days
        r = self.retain
        if r >= 1:
            return gain.gain
        # sum of r**t for t = start .. start + days - 1, divided by days
        total = r ** max(start, 0) * (1 - r**days) / (1 - r)
        return float(gain.gain * total / days)


def _num(value: float) -> str:
    """A number as CSV text: integers without a decimal point."""
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"
