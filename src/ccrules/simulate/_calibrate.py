"""Fit the starting state of the model to a center's own evidence.

Everything here is read from the center folder through a loaded :class:`~ccrules.Engine`
(the same input gate as ``ccrules plan``): the spread of each competency across agents, the
noise of one QA item, each evaluator's leniency, the QA sampling rate by weekday and the
form's item mix, how each KPI follows its competency, no-shows and satisfaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import statistics
from collections import Counter, defaultdict
from typing import Any

import attrs

from ccrules._engine import Engine
from ccrules.errors import InputError, Problem
from ccrules.simulate._settings import ModelSettings

#: evaluator leniency is shrunk towards 0 as if it had this many more items of no bias
_BIAS_PRIOR_ITEMS = 20
_DEFAULT_NO_SHOW = 0.1


@attrs.frozen
class Seat:
    """A place on the floor: the agent holding it at the start, and their team and role."""

    agent_id: str
    name: str
    team_id: str
    role_id: str
    hire_date: dt.date | None
    active: bool


@attrs.frozen
class KpiModel:
    """A KPI as a line in the level of the competency it depends on, plus each agent's own
    offset and period-to-period noise."""

    metric: str
    competency: int  # index into competencies; -1: depends on none
    intercept: float
    slope: float
    noise: float
    low: float
    high: float
    offsets: tuple[float, ...]  # per seat
    digits: int


@attrs.frozen
class Calibration:
    """The center as the model starts it; shared by every scenario and run."""

    base_cycle: str
    start: dt.date
    competencies: tuple[str, ...]
    mean: tuple[float, ...]  # per competency, across agents
    spread: tuple[float, ...]  # SD of true levels across agents
    noise: tuple[float, ...]  # SD of one QA item around the true level
    floor: tuple[float, ...]  # where levels decay to
    seats: tuple[Seat, ...]
    level_mean: tuple[tuple[float, ...], ...]  # per seat, competency: starting level
    level_sd: tuple[tuple[float, ...], ...]  # its uncertainty
    required: dict[str, dict[int, float]]  # role -> competency index -> level
    items: tuple[str, ...]
    item_competency: tuple[int, ...]
    item_max: tuple[float, ...]
    score_step: float
    templates: tuple[tuple[int, ...], ...]  # item indices of one evaluation
    template_channel: tuple[str, ...]
    template_weight: tuple[int, ...]  # how many evaluations of the window used it
    evaluators: tuple[str, ...]
    evaluator_bias: tuple[float, ...]
    evaluator_weight: tuple[int, ...]
    qa_rate: tuple[float, ...]  # evaluations per agent per day, Monday first
    qa_last: dt.date  # the day before the first simulated cycle: the model scores after it
    kpis: tuple[KpiModel, ...]
    kpi_period_days: int  # 0: monthly
    kpi_last_period: dt.date | None
    no_show: float
    satisfaction_mean: float
    satisfaction_sd: float
    response_rate: float
    trainer_level: dict[str, dict[int, float]]  # trainer -> competency -> level
    trainer_agent: dict[str, str]
    releases: tuple[tuple[dt.date, int], ...]  # (day, competency) after the start
    moves: dict[str, tuple[tuple[dt.date, str], ...]]  # agent -> (day, kind)
    after_days: int
    period_days: int
    cycle_days: int


def _problem(message: str, code: str, file: str = "data/qa.csv") -> InputError:
    return InputError([Problem(file=file, message=message, code=code)])


def calibrate(engine: Engine, settings: ModelSettings) -> Calibration:
    """Read the starting state from a loaded center (its latest cycle's evidence window).

    :raises InputError: the center has too little evidence to start the model, saying what
        to add.
    """
    center = engine.center
    evidence = engine.evidence
    cycle = center.cycle
    competencies = tuple(sorted(center.competencies))
    index = {c: i for i, c in enumerate(competencies)}
    items = tuple(sorted(center.qa_items))
    item_index = {item: i for i, item in enumerate(items)}
    item_competency = tuple(index[center.qa_items[i].competency_id] for i in items)

    rows = evidence.sql(
        "SELECT q.evaluation_id, q.agent_id, q.date, q.item_id, "
        "100.0 * q.score::DOUBLE / q.max_score::DOUBLE AS pct, q.max_score::DOUBLE, "
        "q.score::DOUBLE, q.evaluator, q.channel "
        "FROM qa q WHERE q.date BETWEEN $from AND $to "
        "ORDER BY q.evaluation_id, q.item_id, q.agent_id"
    )
    if not rows:
        raise _problem(
            f"no QA rows in the evidence window {cycle.evidence_from} to {cycle.evidence_to} "
            f"of cycle {cycle.id}; the simulation starts each agent's level from QA: add "
            "data/qa.csv rows for that window (every competency scored for most agents)",
            "no-evidence",
        )
    seats = tuple(
        Seat(a.id, a.name, a.team_id, a.role_id, a.hire_date, a.status == "active")
        for a in center.agents.values()
    )
    seat_index = {s.agent_id: i for i, s in enumerate(seats)}

    # agent x competency means, then evaluator leniency against them, then item noise
    sums: dict[tuple[int, int], list[float]] = defaultdict(list)
    for _, agent, _, item, pct, *_ in rows:
        sums[(seat_index[agent], item_competency[item_index[item]])].append(pct)
    means = {key: statistics.fmean(values) for key, values in sums.items()}
    by_evaluator: dict[str, list[float]] = defaultdict(list)
    for _, agent, _, item, pct, *_, evaluator, _ in rows:
        key = (seat_index[agent], item_competency[item_index[item]])
        by_evaluator[evaluator].append(pct - means[key])
    evaluators = tuple(sorted(by_evaluator))
    bias = {e: sum(v) / (len(v) + _BIAS_PRIOR_ITEMS) for e, v in by_evaluator.items()}
    residuals: dict[int, list[float]] = defaultdict(list)
    for _, agent, _, item, pct, *_, evaluator, _ in rows:
        c = item_competency[item_index[item]]
        residuals[c].append(pct - means[(seat_index[agent], c)] - bias[evaluator])

    measured = sorted({c for _, c in sums})
    noise: dict[int, float] = {}
    mean: dict[int, float] = {}
    spread: dict[int, float] = {}
    for c in measured:
        cells = [(means[k], len(sums[k])) for k in sums if k[1] == c]
        values = [m for m, _ in cells]
        noise[c] = max(statistics.pstdev(residuals[c]) if len(residuals[c]) > 1 else 0.0, 1.0)
        mean[c] = statistics.fmean(values)
        observed = statistics.pvariance(values) if len(values) > 1 else 0.0
        # the spread of true levels: the spread of agents' means less their sampling noise
        true_var = observed - statistics.fmean(noise[c] ** 2 / n for _, n in cells)
        spread[c] = math.sqrt(max(true_var, 0.25 * observed, 1.0))
    typical_spread = statistics.median(spread.values())
    typical_noise = statistics.median(noise.values())
    required: dict[str, dict[int, float]] = {
        role.id: {index[r.competency_id]: r.level for r in role.requirements}
        for role in center.roles.values()
    }
    for c in range(len(competencies)):
        if c not in mean:
            wanted = [levels[c] for levels in required.values() if c in levels]
            mean[c] = statistics.fmean(wanted) if wanted else statistics.fmean(mean.values())
            spread[c] = typical_spread
            noise[c] = typical_noise
    # levels above the floor halve every half-life; a year takes decay_year_d spreads off
    year_share = 1 - 0.5 ** (365 / settings.half_life_days)
    depth = settings.decay_year_d / year_share if year_share > 0 else 0.0
    floor = tuple(max(mean[c] - depth * spread[c], 0.0) for c in range(len(competencies)))

    level_mean: list[tuple[float, ...]] = []
    level_sd: list[tuple[float, ...]] = []
    for s, seat in enumerate(seats):
        wants = required.get(seat.role_id, {})
        row_mean, row_sd = [], []
        for c in range(len(competencies)):
            cell = sums.get((s, c))
            if cell:
                precision = 1 / spread[c] ** 2 + len(cell) / noise[c] ** 2
                shrink = (1 / spread[c] ** 2) / precision
                row_mean.append(mean[c] + (1 - shrink) * (means[(s, c)] - mean[c]))
                row_sd.append(math.sqrt(1 / precision))
            elif c in wants:
                row_mean.append(wants[c])
                row_sd.append(settings.unmeasured_sd_d * spread[c])
            else:
                row_mean.append(mean[c])
                row_sd.append(spread[c])
        level_mean.append(tuple(row_mean))
        level_sd.append(tuple(row_sd))

    # the form: which items one evaluation scores, and on which channel
    forms: dict[str, list[int]] = defaultdict(list)
    channel_of: dict[str, str] = {}
    evaluation_days: Counter[int] = Counter()
    seen_days: dict[str, dt.date] = {}
    for evaluation, _, day, item, _, _, _, _, channel in rows:
        forms[evaluation].append(item_index[item])
        channel_of[evaluation] = channel or "voice"
        seen_days[evaluation] = day
    for day in seen_days.values():
        evaluation_days[day.weekday()] += 1
    counted = Counter((tuple(sorted(v)), channel_of[k]) for k, v in forms.items())
    templates = sorted(counted)
    weights = [counted[t] for t in templates]
    active = sum(1 for seat in seats if seat.active) or 1
    weekdays: Counter[int] = Counter()
    day = cycle.evidence_from
    while day <= cycle.evidence_to:
        weekdays[day.weekday()] += 1
        day += dt.timedelta(days=1)
    qa_rate = tuple(
        evaluation_days[w] / (active * weekdays[w]) if weekdays[w] else 0.0 for w in range(7)
    )
    maxima: dict[int, Counter[float]] = defaultdict(Counter)
    fractions: set[float] = set()
    for _, _, _, item, _, max_score, score, *_ in rows:
        maxima[item_index[item]][max_score] += 1
        fractions.add(round(score % 1, 6))
    item_max = tuple(
        maxima[i].most_common(1)[0][0] if maxima[i] else 10.0 for i in range(len(items))
    )
    step = 1.0 if fractions <= {0.0} else 0.5 if fractions <= {0.0, 0.5} else 0.1

    by_evaluation = {r[0]: r[7] for r in rows}
    evaluator_weights = Counter(by_evaluation.values())

    kpis, period_days, last_period = _kpis(engine, seats, seat_index, means, index)
    no_show, sat_mean, sat_sd, response = _outcomes(engine, settings)
    trainer_level: dict[str, dict[int, float]] = {}
    trainer_agent: dict[str, str] = {}
    for trainer in center.trainers.values():
        trainer_level[trainer.id] = {
            index[s.competency_id]: s.level for s in trainer.skills if s.competency_id in index
        }
        if trainer.agent_id is not None:
            trainer_agent[trainer.id] = trainer.agent_id
    releases: list[tuple[dt.date, int]] = []
    if evidence.has("releases"):
        for day, competency in evidence.sql(
            # one release lowers a competency once, however many of its changes call on it
            "SELECT DISTINCT date, competency_id FROM releases WHERE date >= $start "
            "ORDER BY date, competency_id",
            {"start": cycle.start},
        ):
            releases.append((day, index[competency]))
    moves: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    if evidence.has("career_moves"):
        for agent, day, kind in evidence.sql(
            "SELECT agent_id, date, kind FROM career_moves ORDER BY agent_id, date, kind"
        ):
            moves[agent].append((day, kind))
    config = engine.config
    after_days = (
        (cycle.outcomes_to - cycle.end).days
        if cycle.outcomes_to is not None
        else config.evidence.after_days
    )
    return Calibration(
        base_cycle=cycle.id,
        start=cycle.start,
        competencies=competencies,
        mean=tuple(mean[c] for c in range(len(competencies))),
        spread=tuple(spread[c] for c in range(len(competencies))),
        noise=tuple(noise[c] for c in range(len(competencies))),
        floor=floor,
        seats=seats,
        level_mean=tuple(level_mean),
        level_sd=tuple(level_sd),
        required=required,
        items=items,
        item_competency=item_competency,
        item_max=item_max,
        score_step=step,
        templates=tuple(t for t, _ in templates),
        template_channel=tuple(ch for _, ch in templates),
        template_weight=tuple(weights),
        evaluators=evaluators,
        evaluator_bias=tuple(bias[e] for e in evaluators),
        evaluator_weight=tuple(evaluator_weights[e] for e in evaluators),
        qa_rate=qa_rate,
        qa_last=cycle.start - dt.timedelta(days=1),
        kpis=kpis,
        kpi_period_days=period_days,
        kpi_last_period=last_period,
        no_show=no_show,
        satisfaction_mean=sat_mean,
        satisfaction_sd=sat_sd,
        response_rate=response,
        trainer_level=trainer_level,
        trainer_agent=trainer_agent,
        releases=tuple(releases),
        moves={k: tuple(v) for k, v in sorted(moves.items())},
        after_days=after_days,
        period_days=_period(config.cycles, cycle),
        cycle_days=(cycle.end - cycle.start).days + 1,
    )


def _period(cycles: Any, cycle: Any) -> int:
    """Days from one cycle's start to the next: the center's cadence (a week at least)."""
    starts = sorted({c.start for c in cycles})
    gaps = [(b - a).days for a, b in itertools.pairwise(starts) if b > a]
    length = (cycle.end - cycle.start).days + 1
    if gaps:
        return int(max(statistics.median_low(gaps), length))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", cycle.id):
        return 30  # a cycle named for its month: one a month
    return int(max(7 * math.ceil(length / 7), 7))


def _kpi_mapping(engine: Engine) -> dict[str, str]:
    """metric -> competency, from ``[[plugins.default.kpis]]`` when the center has it."""
    default = engine.config.plugins.settings.get("default") or {}
    mapping: dict[str, str] = {}
    for entry in default.get("kpis", ()) if isinstance(default, dict) else ():
        metric, competency = entry.get("metric"), entry.get("competency")
        if isinstance(metric, str) and isinstance(competency, str):
            mapping.setdefault(metric, competency)
    return mapping


def _kpis(
    engine: Engine,
    seats: tuple[Seat, ...],
    seat_index: dict[str, int],
    qa_means: dict[tuple[int, int], float],
    index: dict[str, int],
) -> tuple[tuple[KpiModel, ...], int, dt.date | None]:
    evidence = engine.evidence
    if not evidence.has("kpis"):
        return (), 0, None
    rows = evidence.sql(
        "SELECT agent_id, period, metric, value::DOUBLE FROM kpis "
        "WHERE period BETWEEN $from AND $to "
        "ORDER BY metric, agent_id, period"
    )
    if not rows:
        return (), 0, None
    periods = sorted({r[1] for r in rows})
    gaps = [(b - a).days for a, b in itertools.pairwise(periods)]
    monthly = all(p.day == 1 for p in periods) and (not gaps or min(gaps) >= 28)
    period_days = 0 if monthly else (int(statistics.median_low(gaps)) if gaps else 7)
    mapping = _kpi_mapping(engine)
    by_metric: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    decimals: dict[str, int] = defaultdict(int)
    for agent, _, metric, value in rows:
        by_metric[metric][agent].append(value)
        text = repr(float(value))
        decimals[metric] = max(decimals[metric], len(text.split(".")[1].rstrip("0")))
    models = []
    for metric in sorted(by_metric):
        agents = by_metric[metric]
        competency = index.get(mapping.get(metric, ""), -1)
        values = [v for series in agents.values() for v in series]
        within = [
            v - statistics.fmean(series)
            for series in agents.values()
            if len(series) > 1
            for v in series
        ]
        noise = statistics.pstdev(within) if len(within) > 1 else 0.0
        agent_means = {a: statistics.fmean(s) for a, s in agents.items() if a in seat_index}
        pairs = [
            (qa_means[(seat_index[a], competency)], m)
            for a, m in agent_means.items()
            if competency >= 0 and (seat_index[a], competency) in qa_means
        ]
        slope = 0.0
        if len(pairs) >= 5:
            xs = [x for x, _ in pairs]
            if statistics.pvariance(xs) > 0:
                slope = statistics.covariance(xs, [y for _, y in pairs]) / statistics.variance(xs)
        centre_x = statistics.fmean(x for x, _ in pairs) if pairs else 0.0
        centre_y = statistics.fmean(agent_means.values()) if agent_means else 0.0
        intercept = centre_y - slope * centre_x
        offsets = []
        for s, seat in enumerate(seats):
            own = agent_means.get(seat.agent_id)
            level = qa_means.get((s, competency)) if competency >= 0 else None
            if own is None:
                offsets.append(0.0)
            else:
                expected = intercept + slope * (level if level is not None else centre_x)
                offsets.append(own - expected)
        low, high = min(values), max(values)
        width = high - low
        lowest = 0.0 if low >= 0 else low - width
        highest = 1.0 if low >= 0 and high <= 1 else high + width
        models.append(
            KpiModel(
                metric,
                competency,
                intercept,
                slope,
                noise,
                lowest,
                highest,
                tuple(offsets),
                min(decimals[metric], 4),
            )
        )
    latest = evidence.sql(
        "SELECT max(period) FROM kpis WHERE period < $start", {"start": engine.center.cycle.start}
    )[0][0]
    return tuple(models), period_days, max(latest, periods[-1])


def _outcomes(engine: Engine, settings: ModelSettings) -> tuple[float, float, float, float]:
    """No-show share, satisfaction mean and SD, and response rate, from past outcomes."""
    evidence = engine.evidence
    rows: list[tuple[Any, ...]] = []
    if evidence.has("outcomes"):
        rows = evidence.sql("SELECT attended, satisfaction::DOUBLE FROM outcomes ORDER BY ALL")
    attended = [bool(a) for a, _ in rows]
    ratings = [float(s) for a, s in rows if a and s is not None]
    no_show = settings.no_show
    if no_show is None:
        no_show = 1 - sum(attended) / len(attended) if attended else _DEFAULT_NO_SHOW
    mean = statistics.fmean(ratings) if ratings else 4.0
    sd = statistics.pstdev(ratings) if len(ratings) > 1 else 0.8
    response = len(ratings) / sum(attended) if sum(attended) else 0.8
    return no_show, mean, sd, response
