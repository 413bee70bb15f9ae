"""Benchmark: `ccrules simulate` on a synthetic center, and what it finds on the examples.

    python benchmarks/bench_simulate.py                      # 300 agents, 12 cycles x 10 runs
    python benchmarks/bench_simulate.py --runs 2 --cycles 4  # quick
    python benchmarks/bench_simulate.py --examples           # each example: 8 cycles x 5 runs

A 300-agent center is written by `ccrules synth` into --data (kept between runs). In this run:

(a) the anchor: one plan plus one review of that center (`Engine.from_folder` + `plan`, then
    `Engine.from_folder` + `review` with every attendee present), best of --repeat;
(b) `simulate` with its three scenarios (current, monthly-theme, none).

Printed: wall time of (b); per simulated cycle, the time in the engine (loading, planning,
reviewing, the history) and the simulator's own time (the model, its rows, the files); the
simulator's own time per cycle as a ratio to (a) (target: at most 0.5); coverage and bias of
the evaluation stage's 95% intervals against the model's true effects; and, per scenario, the
gap closed per attendee-hour against `none` and against `monthly-theme`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from ccrules import Engine
from ccrules.model import Outcome
from ccrules.simulate import NONE, Simulation, simulate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("inhouse-fintech", "bpo-inbound", "telecom-hotline", "tax-software-support")


def build(folder: Path, agents: int) -> None:
    if (folder / "center.toml").exists():
        return
    subprocess.run(
        [sys.executable, "-m", "ccrules", "synth", str(folder), "--agents", str(agents),
         "--qa-rows", str(agents * 200), "--quiet"],
        check=True,
    )  # fmt: skip


def anchor(folder: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with Engine.from_folder(folder) as engine:
            plan = engine.plan()
        outcomes = [Outcome(s.id, a, True) for s in plan.sessions for a in s.attendees]
        with Engine.from_folder(folder) as engine:
            engine.review(plan, outcomes)
        best = min(best, time.perf_counter() - start)
    return best


def closed(sim: Simulation) -> str:
    """Per scenario, the totals the closing notes compare (means across runs)."""
    keys = (
        "gap_closed_per_hour",
        "vs_monthly_theme",
        "gap_end",
        "training_hours",
        "trainer_hours",
        "days_to_close",
        "needs_closed",
        "escalations",
        "below_floor",
    )
    lines = ["  " + " ".join(f"{k:>19}" for k in ("scenario", *keys))]
    for s in sim.scenarios:
        cells = []
        for key in keys:
            band = s.totals.get(key)
            cells.append("-" if band is None or band.mean is None else f"{band.mean:g}")
        lines.append("  " + " ".join(f"{c:>19}" for c in (s.name, *cells)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench-simulate"))
    parser.add_argument("--examples", action="store_true")
    args = parser.parse_args()

    if args.examples:
        for name in EXAMPLES:
            start = time.perf_counter()
            sim = simulate(
                ROOT / "examples" / name, cycles=8, runs=5, seed=args.seed, jobs=args.jobs
            )
            print(f"{name}: 8 cycles x 5 runs in {time.perf_counter() - start:.1f} s")
            print(closed(sim))
        return

    folder = args.data / f"center-{args.agents}"
    build(folder, args.agents)
    base = anchor(folder, args.repeat)
    start = time.perf_counter()
    sim = simulate(folder, cycles=args.cycles, runs=args.runs, seed=args.seed, jobs=args.jobs)
    wall = time.perf_counter() - start
    engine_runs = [r for r in sim.runs_detail if r.scenario != NONE]
    cycles = sum(len(r.cycles) for r in engine_runs)
    in_engine = sum(r.engine_seconds for r in engine_runs)
    own = sum(r.total_seconds - r.engine_seconds for r in sim.runs_detail)
    print(
        f"center: {args.agents} agents ({folder}); {args.cycles} cycles x "
        f"{len(sim.scenarios)} scenarios x {args.runs} runs, --jobs {args.jobs}"
    )
    print(f"(a) one plan + one review of the center: {base:.3f} s (best of {args.repeat})")
    print(f"(b) simulate: {wall:.1f} s wall")
    print(
        f"    per simulated cycle: engine {in_engine / cycles:.3f} s, "
        f"simulator's own {own / cycles:.3f} s"
    )
    print(f"    simulator's own time per cycle / (a): {own / cycles / base:.2f} (target <= 0.5)")
    for s in sim.scenarios:
        cov = s.coverage
        if cov.checks:
            print(
                f"    {s.name}: L3 95% intervals hold the truth in {cov.covered} of "
                f"{cov.checks} ({cov.coverage}), bias {cov.bias}; by subject "
                f"{cov.by_subject}"
            )
    print(closed(sim))


if __name__ == "__main__":
    main()
