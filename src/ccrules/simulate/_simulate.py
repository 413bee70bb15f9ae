"""Scenarios in, a comparison out: calibrate once, run every scenario on the same draws,
and sum each measure up across runs as a mean and a 90% band."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import math
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from ccrules import __version__
from ccrules._center import CONFIG_FILE, load_config, parse_config
from ccrules._engine import Engine, checked_config
from ccrules._toml import dump_toml, locate, read_toml
from ccrules.errors import ConfigError, InputError, Problem
from ccrules.simulate._calibrate import Calibration, calibrate
from ccrules.simulate._folder import SimCycle, cycles_after, merge
from ccrules.simulate._run import Check, RunResult, Task, run
from ccrules.simulate._settings import SETTINGS_KEY, ModelSettings, model_settings

CURRENT = "current"
NONE = "none"
MONTHLY_THEME = "monthly-theme"
REFERENCES = (MONTHLY_THEME, NONE)
FORMAT = "ccrules.simulation/1"
#: a scenario's name is also a folder name under --keep: no path, no hidden file
_NAME = re.compile(r"[^\W_][\w.-]{0,63}")
#: packs whose settings the monthly-theme reference keeps: the default pack schedules it
_THEME_PACKS = ("default", MONTHLY_THEME)


@attrs.frozen
class Scenario:
    """A configuration to simulate: the center's, with a scenario file's overrides."""

    name: str
    source: str  # "center.toml", a scenario file, or "reference"
    config: Mapping[str, Any] | None = attrs.field(eq=False, repr=False)
    settings: ModelSettings = attrs.field(factory=ModelSettings)

    @property
    def packs(self) -> tuple[str, ...]:
        if self.config is None:
            return ()
        return tuple(self.config.get("plugins", {}).get("enabled", ()))


@attrs.frozen
class Band:
    """A measure across runs: the mean and the 5th and 95th percentiles."""

    mean: float | None
    low: float | None
    high: float | None


@attrs.frozen
class CycleMeasures:
    cycle: str
    measures: dict[str, Band]


@attrs.frozen
class Coverage:
    """How often the evaluation stage's 95% intervals hold the model's true effect."""

    checks: int
    covered: int
    coverage: float | None
    bias: float | None
    by_subject: Mapping[str, tuple[int, float | None, float | None]]


@attrs.frozen
class ScenarioResult:
    name: str
    source: str
    packs: tuple[str, ...]
    cycles: tuple[CycleMeasures, ...]
    totals: dict[str, Band]
    coverage: Coverage


@attrs.frozen
class CycleInfo:
    id: str
    start: dt.date
    end: dt.date
    outcomes_to: dt.date


@attrs.frozen
class Simulation:
    """The comparison ``ccrules simulate`` prints, writes as JSON and draws as a page."""

    format: str
    ccrules_version: str
    center: str
    base_cycle: str
    seed: int
    runs: int
    cycles: tuple[CycleInfo, ...]
    model: ModelSettings
    calibration: dict[str, Any]
    scenarios: tuple[ScenarioResult, ...]
    runs_detail: tuple[RunResult, ...] = attrs.field(eq=False, repr=False, default=())

    def scenario(self, name: str) -> ScenarioResult:
        for result in self.scenarios:
            if result.name == name:
                return result
        raise KeyError(name)


# -- scenarios -----------------------------------------------------------------------------


def _center_config(folder: Path) -> tuple[dict[str, Any], str]:
    """center.toml as written (tables to merge scenarios into) and its text, after the same
    checks ``ccrules validate`` makes of it."""
    _, raw = load_config(folder)
    text = raw.decode("utf-8-sig")
    return read_toml(text, CONFIG_FILE), text


def load_scenario(
    name: str, path: Path, center: Mapping[str, Any], center_text: str, base: ModelSettings
) -> Scenario:
    """A scenario file: center.toml tables to override (and ``[simulation]``), checked by the
    same gate as center.toml, with problems located in the file that set the key.

    :raises InputError: every problem, file and line.
    """
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            [
                Problem(
                    file=file,
                    message=f"cannot read the scenario file: {error.strerror}",
                    code="unreadable",
                )
            ]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(file=file, message="not UTF-8 text; save it as UTF-8", code="encoding")]
        ) from None
    overrides = read_toml(text, file)
    settings = model_settings(overrides.get(SETTINGS_KEY), file, lambda p: locate(text, p), base)
    config = merge(center, overrides)
    check_config(config, [(file, text, overrides), (CONFIG_FILE, center_text, center)])
    return Scenario(name, file, config, settings)


def check_config(
    config: Mapping[str, Any], sources: Sequence[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Check a merged config as center.toml is checked; each problem is placed in the first
    of ``sources`` (file, text, its own table) that sets its key."""
    merged = dump_toml({k: v for k, v in config.items() if k != SETTINGS_KEY})

    def place(problem: Problem) -> Problem:
        parts = _path(problem.path)
        for file, text, data in sources:
            if parts is not None and _sets(data, parts):
                return attrs.evolve(problem, file=file, line=locate(text, parts))
        file, text, _ = sources[-1]
        line = locate(text, parts) if parts is not None else None
        return attrs.evolve(problem, file=file, line=line)

    try:
        problems, _ = checked_config(parse_config(merged), merged, CONFIG_FILE)
    except InputError as error:
        problems = list(error.problems)
    errors = [place(p) for p in problems if p.severity == "error"]
    if errors:
        raise ConfigError(errors)


def _path(text: str | None) -> tuple[str | int, ...] | None:
    if not text:
        return None
    parts: list[str | int] = []
    for part in text.replace("]", "").split("."):
        name, *indices = part.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indices if i.isdigit())
    return tuple(parts)


def _sets(data: Any, parts: Sequence[str | int]) -> bool:
    for part in parts:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True


def reference_theme(center: Mapping[str, Any]) -> dict[str, Any]:
    """The practice seed 001 calls the old way: one classroom theme a month for everyone.
    The default pack still assigns trainers and keeps the phones safe."""
    plugins = dict(center.get("plugins", {}))
    kept = {k: v for k, v in plugins.items() if k in _THEME_PACKS}
    kept["enabled"] = list(_THEME_PACKS)
    return {**center, "plugins": kept}


def scenarios(
    folder: Path, files: Sequence[tuple[str, Path]] = ()
) -> tuple[list[Scenario], ModelSettings]:
    """``current``, the scenario files, then the two references.

    :raises InputError: a bad ``[simulation]`` table or scenario file, a name used twice.
    """
    center, text = _center_config(folder)
    base = model_settings(center.get(SETTINGS_KEY), CONFIG_FILE, lambda p: locate(text, p))
    result = [Scenario(CURRENT, CONFIG_FILE, center, base)]
    seen = {CURRENT, *REFERENCES}
    problems: list[Problem] = []
    for name, path in files:
        if name in seen or not _NAME.fullmatch(name):
            problems.append(
                Problem(
                    file=str(path),
                    message=f"scenario name {name!r} is taken or not a name; use letters, "
                    f"digits, '-', '_' or '.' (not first), other than "
                    f"{', '.join(sorted(seen))}",
                    code="bad-scenario",
                )
            )
            continue
        seen.add(name)
        try:
            result.append(load_scenario(name, path, center, text, base))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    result.append(Scenario(MONTHLY_THEME, "reference", reference_theme(center), base))
    result.append(Scenario(NONE, "reference", None, base))
    return result, base


# -- running -------------------------------------------------------------------------------

Progress = Callable[[str], None]


def simulate(
    folder: str | Path,
    *,
    cycles: int = 8,
    runs: int = 5,
    seed: int = 1,
    scenario_files: Sequence[tuple[str, str | Path]] = (),
    jobs: int = 1,
    keep: str | Path | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """Run the center's rules, each scenario's and the two references forward.

    :param folder: the center folder (center.toml and data/); it is only read.
    :param cycles: cycles to simulate, starting with the center's latest.
    :param runs: runs per scenario; every scenario sees the same draws in a run.
    :param scenario_files: (name, TOML file) of configurations to compare.
    :param jobs: worker processes; the result does not depend on it.
    :param keep: a folder to keep every simulated center in (``<scenario>/run-<n>``).
    :raises InputError: bad input anywhere, or too little evidence to start the model.
    """
    if cycles < 1 or runs < 1 or jobs < 1:
        raise ValueError("cycles, runs and jobs must be 1 or more")
    folder = Path(folder)
    chosen, base = scenarios(folder, [(n, Path(p)) for n, p in scenario_files])
    with Engine.from_folder(folder) as engine:
        calibration = calibrate(engine, base)
        center_name = engine.center.info.name
    measure = base.measure_days or calibration.after_days
    base_cycle = _base_cycle(folder, calibration.base_cycle)
    sim_cycles = tuple(cycles_after(base_cycle, cycles, calibration.period_days, measure))
    scratch = Path(tempfile.mkdtemp(prefix="ccrules-simulate-"))
    root = Path(keep) if keep is not None else scratch
    try:
        tasks = [
            Task(
                scenario=s.name,
                config=s.config,
                settings=s.settings,
                calibration=calibration,
                center=folder,
                folder=(root / s.name / f"run-{r + 1}") if s.config is not None else None,
                seed=seed,
                run=r,
                cycles=sim_cycles,
            )
            for s in chosen
            for r in range(runs)
        ]
        results = _execute(tasks, jobs, progress)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _summarise(center_name, calibration, chosen, sim_cycles, results, seed, runs, base)


def _base_cycle(folder: Path, cycle_id: str) -> Any:
    config = parse_config((folder / CONFIG_FILE).read_bytes().decode("utf-8-sig"))
    return next(c for c in config.cycles if c.id == cycle_id)


def _execute(tasks: Sequence[Task], jobs: int, progress: Progress | None) -> list[RunResult]:
    if jobs == 1 or len(tasks) == 1:
        return [run(task, progress) for task in tasks]
    results: dict[int, RunResult] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run, task): i for i, task in enumerate(tasks)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if progress is not None:
                task = tasks[i]
                progress(f"{task.scenario} run {task.run + 1}: done")
    return [results[i] for i in range(len(tasks))]


# -- summing up ------------------------------------------------------------------------------


def _band(values: Sequence[float | None]) -> Band:
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return Band(None, None, None)
    array = np.array(known, dtype=float)
    return Band(
        _r(float(array.mean())),
        _r(float(np.percentile(array, 5))),
        _r(float(np.percentile(array, 95))),
    )


def _r(value: float) -> float:
    return round(value, 4) + 0.0


def _median(values: Sequence[int]) -> float | None:
    return float(np.median(values)) if values else None


def _summarise(
    center: str,
    calibration: Calibration,
    chosen: Sequence[Scenario],
    cycles: Sequence[SimCycle],
    results: Sequence[RunResult],
    seed: int,
    runs: int,
    base: ModelSettings,
) -> Simulation:
    by = {(r.scenario, r.run): r for r in results}
    none = {r: by[(NONE, r)] for r in range(runs)}
    per_run_closed: dict[tuple[str, int], list[float | None]] = {}
    for s in chosen:
        for r in range(runs):
            result = by[(s.name, r)]
            hours = 0.0
            closed: list[float | None] = []
            for k, measured in enumerate(result.cycles):
                hours += measured.training_hours
                reference = none[r].cycles[k]
                points = (reference.gap - measured.gap) * measured.pairs
                closed.append(points / hours if hours > 0 and s.name != NONE else None)
            per_run_closed[(s.name, r)] = closed
    scenario_results = []
    for s in chosen:
        runs_of = [by[(s.name, r)] for r in range(runs)]
        cycle_measures = []
        for k, sim_cycle in enumerate(cycles):
            rows = [run_.cycles[k] for run_ in runs_of]
            measures = {
                "gap": _band([c.gap for c in rows]),
                "gap_median": _band([c.gap_median for c in rows]),
                "gap_p90": _band([c.gap_p90 for c in rows]),
                "gap_closed_per_hour": _band([per_run_closed[(s.name, r)][k] for r in range(runs)]),
                "needs_opened": _band([c.needs_opened for c in rows]),
                "needs_closed": _band([c.needs_closed for c in rows]),
                "days_to_close": _band([_median(c.days_to_close) for c in rows]),
                "training_hours": _band([c.training_hours for c in rows]),
                "hours_without_gap": _band([c.hours_without_gap for c in rows]),
                "trainer_hours": _band([c.trainer_hours for c in rows]),
                "cost": _band([c.cost for c in rows]),
                "below_floor": _band([c.below_floor for c in rows]),
                "escalations": _band([c.escalations for c in rows]),
                "leavers": _band([c.leavers for c in rows]),
                "l3_estimate": _band([c.l3_estimate for c in rows]),
                "l3_truth": _band([c.l3_truth for c in rows]),
            }
            cycle_measures.append(CycleMeasures(sim_cycle.id, measures))
        start_gap = [none[r].cycles[0].gap for r in range(runs)]
        totals = {
            "gap_end": _band([run_.cycles[-1].gap for run_ in runs_of]),
            "gap_change": _band(
                [
                    run_.cycles[-1].gap - start
                    for run_, start in zip(runs_of, start_gap, strict=True)
                ]
            ),
            "gap_closed_per_hour": _band([per_run_closed[(s.name, r)][-1] for r in range(runs)]),
            "training_hours": _band([sum(c.training_hours for c in x.cycles) for x in runs_of]),
            "trainer_hours": _band([sum(c.trainer_hours for c in x.cycles) for x in runs_of]),
            "hours_without_gap": _band(
                [sum(c.hours_without_gap for c in x.cycles) for x in runs_of]
            ),
            "cost": _band([sum(c.cost for c in x.cycles) for x in runs_of]),
            "below_floor": _band([sum(c.below_floor for c in x.cycles) for x in runs_of]),
            "needs_opened": _band([sum(c.needs_opened for c in x.cycles) for x in runs_of]),
            "needs_closed": _band([sum(c.needs_closed for c in x.cycles) for x in runs_of]),
            "days_to_close": _band(
                [_median([d for c in x.cycles for d in c.days_to_close]) for x in runs_of]
            ),
            "escalations": _band([sum(c.escalations for c in x.cycles) for x in runs_of]),
            "leavers": _band([x.leavers for x in runs_of]),
            "warning_precision": _band(
                [x.warned_left / x.warned if x.warned else None for x in runs_of]
            ),
            "warning_recall": _band(
                [x.warned_left / x.leavers if x.leavers else None for x in runs_of]
            ),
        }
        scenario_results.append(
            ScenarioResult(
                s.name,
                s.source,
                s.packs,
                tuple(cycle_measures),
                totals,
                _coverage([c for x in runs_of for c in x.checks]),
            )
        )
    if any(x.name == MONTHLY_THEME for x in scenario_results):
        for compared in scenario_results:
            compared.totals["vs_monthly_theme"] = _band(
                [
                    _ratio(
                        per_run_closed[(compared.name, r)][-1],
                        per_run_closed[(MONTHLY_THEME, r)][-1],
                    )
                    for r in range(runs)
                ]
            )
    return Simulation(
        format=FORMAT,
        ccrules_version=__version__,
        center=center,
        base_cycle=calibration.base_cycle,
        seed=seed,
        runs=runs,
        cycles=tuple(CycleInfo(c.id, c.start, c.end, c.outcomes_to) for c in cycles),
        model=base,
        calibration=_calibration_summary(calibration),
        scenarios=tuple(scenario_results),
        runs_detail=tuple(results),
    )


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _coverage(checks: Sequence[Check]) -> Coverage:
    covered = sum(1 for c in checks if c.low <= c.truth <= c.high)
    by_subject: dict[str, tuple[int, float | None, float | None]] = {}
    for subject in sorted({c.subject for c in checks}):
        mine = [c for c in checks if c.subject == subject]
        hit = sum(1 for c in mine if c.low <= c.truth <= c.high)
        by_subject[subject] = (
            len(mine),
            _r(hit / len(mine)),
            _r(float(np.mean([c.estimate - c.truth for c in mine]))),
        )
    return Coverage(
        checks=len(checks),
        covered=covered,
        coverage=_r(covered / len(checks)) if checks else None,
        bias=_r(float(np.mean([c.estimate - c.truth for c in checks]))) if checks else None,
        by_subject=by_subject,
    )


def _calibration_summary(calibration: Calibration) -> dict[str, Any]:
    return {
        "agents": len(calibration.seats),
        "competencies": {
            comp: {
                "mean": _r(calibration.mean[i]),
                "spread": _r(calibration.spread[i]),
                "noise": _r(calibration.noise[i]),
                "floor": _r(calibration.floor[i]),
            }
            for i, comp in enumerate(calibration.competencies)
        },
        "qa_evaluations_per_agent_week": _r(sum(calibration.qa_rate)),
        "evaluators": len(calibration.evaluators),
        "no_show": _r(calibration.no_show),
        "kpis": [k.metric for k in calibration.kpis],
        "period_days": calibration.period_days,
    }
