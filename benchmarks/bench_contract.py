"""Benchmark: what the plugin-author tools cost, against planning the same center.

    python benchmarks/bench_contract.py                      # 2,000 agents, 200k QA rows
    python benchmarks/bench_contract.py --agents 500 --qa-rows 50000   # quick

A center is written by `ccrules synth` into --data (kept between runs). In this run:

(a) the anchor: load the center and `Engine.plan()` it, in process;
(b) the same with a `ccrules.testing.HookRecorder` recording every hook call;
(c) `check_plugin("default", center=...)`: the static checks, then two loads, plans and
    reviews (with made-up outcomes) through the recording proxy, and the comparisons.

Printed: seconds for each (best of --repeat), b/a and c/a. The contract check does two plans
and two reviews, so about 4x the anchor is what it costs by construction; more than that is
the checks' own overhead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ccrules import Engine
from ccrules._contract import check_plugin
from ccrules.testing import HookRecorder


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def plan(folder: Path) -> None:
    with Engine.from_folder(folder) as engine:
        engine.plan()


def recorded(folder: Path) -> None:
    with HookRecorder() as recorder:
        plan(folder)
    assert recorder.calls_of("ccrules_needs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--qa-rows", type=int, default=200_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench-contract"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = args.data / f"a{args.agents}-q{args.qa_rows}"
    if not (folder / "center.toml").exists():
        subprocess.run(
            [sys.executable, "-m", "ccrules", "synth", str(folder), "--agents",
             str(args.agents), "--qa-rows", str(args.qa_rows), "--quiet"],
            check=True,
        )  # fmt: skip
    anchor = best(args.repeat, lambda: plan(folder))
    with_recorder = best(args.repeat, lambda: recorded(folder))
    reports = []
    contract = best(args.repeat, lambda: reports.append(check_plugin("default", center=folder)))
    assert reports[-1].ok, reports[-1].text()
    print(f"center: {args.agents:,} agents, {args.qa_rows:,} QA rows ({folder})")
    print(f"(a) load + plan:                 {anchor:7.2f} s  (anchor)")
    ratio = with_recorder / anchor
    print(f"(b) load + plan, hooks recorded: {with_recorder:7.2f} s  b/a = {ratio:.2f}")
    print(f"(c) ccrules check-plugin default: {contract:6.2f} s  c/a = {contract / anchor:.2f}")
    print(f"    hooks exercised: {len(reports[-1].exercised)} of {len(reports[-1].implemented)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
