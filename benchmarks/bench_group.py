"""Benchmark: `ccrules group plan` on a LocalCluster against the same plans one by one.

    python benchmarks/bench_group.py                        # 20 centers of 2,000 agents, 2 workers
    python benchmarks/bench_group.py --centers 4 --agents 300   # quick

--centers synthetic centers (`ccrules synth DIR --agents N --seed S`, seeds 1, 2, ...) are
written into --data (kept between runs) with a group.toml listing them. In this run:

(a) every center planned one after another in this process (`Engine.from_folder` + `plan` +
    the plan JSON, as `ccrules plan --json --no-history` does);
(b) the same centers as a group: one task per center on a LocalCluster of --workers
    single-threaded worker processes, the cluster's start included.

Printed: both wall times, (a) / (b) (target: at least 1.7 on 2 cores), the time (b) spent
starting the cluster, and whether every center's plan JSON is byte-identical in (a) and (b)
(its SHA-256, computed where the plan was made, so the plans need not travel).
No history is recorded, so runs repeat exactly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from ccrules.group import dask_client, load_group, run_group, run_serial


def build(folder: Path, centers: int, agents: int) -> Path:
    """The group file of ``centers`` synthetic centers of ``agents`` agents."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for seed in range(1, centers + 1):
        name = f"site-{seed:02d}"
        if not (folder / name / "center.toml").exists():
            subprocess.run(
                [sys.executable, "-m", "ccrules", "synth", str(folder / name),
                 "--agents", str(agents), "--seed", str(seed), "--quiet"],
                check=True,
                timeout=600,
            )  # fmt: skip
        lines += ["[[centers]]", f'name = "{name}"', f'folder = "{name}"', ""]
    group = folder / "group.toml"
    group.write_text("\n".join(lines), encoding="utf-8")
    return group


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centers", type=int, default=20)
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench-group"))
    args = parser.parse_args()

    group = load_group(
        build(args.data / f"{args.centers}x{args.agents}", args.centers, args.agents)
    )
    members = group.members
    print(
        f"{len(members)} centers of {args.agents:,} agents ({group.file}); "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )

    start = time.perf_counter()
    serial = run_serial(members, record=False, want_json="sha256")
    one_by_one = time.perf_counter() - start
    print(f"(a) one after another in one process: {one_by_one:.1f} s")

    start = time.perf_counter()
    with dask_client(None, args.workers) as client:
        started = time.perf_counter() - start
        grouped = run_group(members, client, record=False, want_json="sha256")
    as_group = time.perf_counter() - start
    print(
        f"(b) group on a LocalCluster of {args.workers} workers: {as_group:.1f} s "
        f"(of which {started:.1f} s starting the cluster)"
    )
    print(f"    (a) / (b): {one_by_one / as_group:.2f}x (target >= 1.7 on 2 cores)")

    failed = [o.name for o in (*serial, *grouped) if o.status != "planned"]
    if failed:
        sys.exit(f"not planned: {', '.join(failed)}")
    different = [
        a.name for a, b in zip(serial, grouped, strict=True) if a.plan_sha256 != b.plan_sha256
    ]
    if different:
        sys.exit(f"plans differ between (a) and (b): {', '.join(different)}")
    print("    every plan byte-identical in (a) and (b) (SHA-256 of each plan's JSON)")


if __name__ == "__main__":
    main()
