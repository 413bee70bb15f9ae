"""Benchmark: `ccrules plan` end to end against a bare DuckDB query on the same files.

    python benchmarks/bench_evidence.py                      # 50k agents, 10M and 20M QA rows
    python benchmarks/bench_evidence.py --agents 5000 --qa-rows 1000000 --no-20m   # quick

Centers are written once by `ccrules synth` (CSV, Parquet, and CSV with twice the QA rows)
into --data (kept between runs). Then, in this run, each is timed in fresh processes:

(a) the anchor: a minimal hand-written DuckDB query reading the same files with an explicit
    schema (score and max_score as DOUBLE, what a user who skips ccrules writes; the same
    query with DECIMAL(18,4) is shown beside it): per agent x competency, the 90-day mean QA
    score and a flag for agents more than the gap threshold below their role's required
    level;
(b) `ccrules plan DIR --no-history --quiet`, end to end: config, plugins, the input gate
    over every file, every evidence aggregate, and stages 2-6 of the default pack.

Printed: seconds (best of --repeat), b/a, peak RSS of each process; the 20M/10M time and RSS
ratios; and, from one in-process run, the share of plan time spent outside DuckDB queries
(hook dispatch, object building, rules) and the time of every stage, so that the next change
can compare them with the figures in the last closing note.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANCHOR = r"""
import sys, duckdb
folder, fmt, start, end, number = sys.argv[1:6]
def src(name, columns):
    path = f"{folder}/data/{name}.{fmt}"
    if fmt == "parquet":
        return f"read_parquet('{path}')"
    return (f"read_csv('{path}', header=true, auto_detect=false, delim=',', quote='\"', "
            f"escape='\"', columns={columns})")
qa = src("qa", "{'evaluation_id': 'VARCHAR', 'agent_id': 'VARCHAR', 'date': 'DATE', "
         f"'item_id': 'VARCHAR', 'score': '{number}', 'max_score': '{number}', "
         "'evaluator': 'VARCHAR', 'channel': 'VARCHAR', 'contact_id': 'VARCHAR'}")
small = lambda n: f"read_csv('{folder}/data/{n}.csv', header=true)"
duckdb.connect().execute(f'''
    SELECT q.agent_id, i.competency_id, avg(100 * q.score / q.max_score) AS mean,
           avg(100 * q.score / q.max_score) <= p.required_level - 10 AS below
    FROM {qa} q
    JOIN {small("qa_items")} i USING (item_id)
    JOIN {small("agents")} a USING (agent_id)
    JOIN {small("role_profiles")} p ON p.role_id = a.role_id AND p.competency_id = i.competency_id
    WHERE q.date BETWEEN DATE '{start}' AND DATE '{end}'
    GROUP BY q.agent_id, i.competency_id, p.required_level
''').fetchall()
"""

SPLIT = r"""
import sys, time, json
import duckdb
import ccrules._engine as engine_module
from ccrules import Engine

spent = [0.0]

class Timed:
    '''The engine's DuckDB connection, timing every call that runs SQL.'''
    def __init__(self, con):
        self._con = con
    def _timed(self, name, *args, **kwargs):
        started = time.perf_counter()
        try:
            result = getattr(self._con, name)(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
        return self if result is self._con else result
    def execute(self, *a, **k): return self._timed("execute", *a, **k)
    def executemany(self, *a, **k): return self._timed("executemany", *a, **k)
    def fetchall(self): return self._timed("fetchall")
    def fetchone(self): return self._timed("fetchone")
    def __getattr__(self, name): return getattr(self._con, name)

connect = engine_module._connect
engine_module._connect = lambda config, tempdir: Timed(connect(config, tempdir))

# per-stage wall time: each stage's method on the engine, and the workforce's two steps
import functools
import ccrules.workforce as workforce_module
stages = {}
def timed(owner, name, label):
    method = getattr(owner, name)
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - began
    setattr(owner, name, wrapper)
for name, label in [("build_evidence", "evidence"), ("_needs", "needs"),
                    ("_priorities", "priorities"), ("_assembly", "courses"),
                    ("_pool", "trainer pool"), ("_assignments", "trainers"),
                    ("_slots", "schedule"), ("_reports", "reports")]:
    timed(Engine, name, label)
timed(workforce_module.Workforce, "load", "workforce: load")
timed(workforce_module.Workforce, "table", "workforce: service table")
started = time.perf_counter()
with Engine.from_folder(sys.argv[1]) as engine:
    stages["load and input gate"] = time.perf_counter() - started
    plan = engine.plan()
total = time.perf_counter() - started
# the trainers stage loads the workforce for its hook: count it once, under workforce
stages["trainers"] -= stages.get("workforce: load", 0.0)
stages["other (objects, summary, checks)"] = total - sum(stages.values())
print(json.dumps({"total": total, "duckdb": spent[0], "needs": len(plan.needs),
                  "sessions": len(plan.sessions), "stages": stages}))
"""


def elapsed(args: list[str]) -> float:
    """Wall seconds of one run of a process."""
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_rss(args: list[str]) -> float:
    """Peak RSS (MiB) of one run, read by a wrapper process that only waits for it."""
    code = (
        "import os, subprocess, sys\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "_, status, usage = os.wait4(p.pid, 0)\n"
        "sys.exit(status) if status else print(usage.ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip()) / 1024


def measured(args: list[str], repeat: int) -> tuple[float, float]:
    """Best time of ``repeat`` runs, and the peak RSS of one more."""
    return min(elapsed(args) for _ in range(repeat)), peak_rss(args)


def synth(folder: Path, agents: int, qa_rows: int, fmt: str) -> None:
    if (folder / "center.toml").exists():
        return
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ccrules",
            "synth",
            str(folder),
            "--agents",
            str(agents),
            "--qa-rows",
            str(qa_rows),
            "--seed",
            "1",
            "--format",
            fmt,
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  wrote {folder} in {time.perf_counter() - started:.1f} s", flush=True)


def window(folder: Path) -> tuple[str, str]:
    from ccrules._center import load_config

    config, _ = load_config(folder)
    cycle = config.cycle(None)
    return cycle.evidence_from.isoformat(), cycle.evidence_to.isoformat()


def compare(folder: Path, fmt: str, repeat: int) -> dict[str, float]:
    """Time the anchors and the plan; ratios are against the DOUBLE anchor (issue 21: what a
    user who skips ccrules writes), the DECIMAL one is shown beside it."""
    start, end = window(folder)
    anchor = measured(
        [sys.executable, "-c", ANCHOR, str(folder), fmt, start, end, "DOUBLE"], repeat
    )
    decimal = measured(
        [sys.executable, "-c", ANCHOR, str(folder), fmt, start, end, "DECIMAL(18,4)"], repeat
    )
    plan = measured(
        [sys.executable, "-m", "ccrules", "plan", str(folder), "--no-history", "--quiet"],
        repeat,
    )
    print(
        f"  anchor, DOUBLE        {anchor[0]:7.2f} s  {anchor[1]:7.0f} MiB\n"
        f"  anchor, DECIMAL       {decimal[0]:7.2f} s  {decimal[1]:7.0f} MiB\n"
        f"  ccrules plan          {plan[0]:7.2f} s  {plan[1]:7.0f} MiB   "
        f"{plan[0] / anchor[0]:.2f}x the DOUBLE anchor",
        flush=True,
    )
    return {"anchor": anchor[0], "anchor_rss": anchor[1], "plan": plan[0], "plan_rss": plan[1]}


def split(folder: Path) -> None:
    import json

    out = subprocess.run(
        [sys.executable, "-c", SPLIT, str(folder)], capture_output=True, text=True, check=True
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    outside = figures["total"] - figures["duckdb"]
    print(
        f"  in-process plan {figures['total']:.2f} s: DuckDB {figures['duckdb']:.2f} s, "
        f"outside DuckDB {outside:.2f} s = {outside / figures['total']:.0%} "
        f"({figures['needs']:,} needs, {figures['sessions']:,} sessions)",
        flush=True,
    )
    print("  per stage (s):", flush=True)
    for label, seconds in sorted(figures["stages"].items(), key=lambda item: -item[1]):
        print(f"    {label:<34} {seconds:7.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50_000)
    parser.add_argument("--qa-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench"))
    parser.add_argument("--no-20m", action="store_true", help="skip the 2x QA rows run")
    parser.add_argument("--no-parquet", action="store_true", help="skip the Parquet run")
    args = parser.parse_args()
    base = args.data / f"{args.agents}-{args.qa_rows}"
    print(f"centers in {base} (kept; delete to regenerate)")
    csv_dir, parquet_dir, double_dir = base / "csv", base / "parquet", base / "csv-2x"
    synth(csv_dir, args.agents, args.qa_rows, "csv")
    if not args.no_parquet:
        synth(parquet_dir, args.agents, args.qa_rows, "parquet")
    if not args.no_20m:
        synth(double_dir, args.agents, 2 * args.qa_rows, "csv")

    print(f"\n{args.agents:,} agents, {args.qa_rows:,} QA rows, CSV")
    one = compare(csv_dir, "csv", args.repeat)
    split(csv_dir)
    if not args.no_parquet:
        print(f"\n{args.agents:,} agents, {args.qa_rows:,} QA rows, Parquet")
        compare(parquet_dir, "parquet", args.repeat)
    if not args.no_20m:
        print(f"\n{args.agents:,} agents, {2 * args.qa_rows:,} QA rows, CSV")
        two = compare(double_dir, "csv", args.repeat)
        print(
            f"  2x rows: plan time {two['plan'] / one['plan']:.2f}x, "
            f"peak RSS {two['plan_rss'] / one['plan_rss']:.2f}x the 1x figures"
        )


if __name__ == "__main__":
    main()
