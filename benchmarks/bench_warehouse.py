"""Benchmark: one center's plan with its QA in PostgreSQL against the same plan from files.

    python benchmarks/bench_warehouse.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python benchmarks/bench_warehouse.py --postgres URL --agents 5000 --qa-rows 1000000  # quick

The center is `ccrules synth --agents N --qa-rows R --seed 1` (kept in --data between runs,
the same as benchmarks/bench_evidence.py's). Its data/qa.csv is copied into a database
``ccrules_bench`` on the --postgres server (table ``cc.qa_events``, with a ``center_id``
column; kept between runs too), and a second folder is the same center with
``[evidence] warehouse`` pointing at it and no qa.csv. In this run:

(a) ``ccrules plan FILES --no-history --quiet``: QA read from data/qa.csv into DuckDB;
(b) ``ccrules plan WAREHOUSE --no-history --quiet``: QA checked and aggregated in PostgreSQL.

Printed for each: the best wall time of --repeat runs and the peak RSS of the ccrules
process (PostgreSQL's own memory is its own). Then (b) / (a); the warehouse queries of one
more run of (b), the slowest first; and whether the two plans make the same decisions (their
``--json`` equal once each fact's evidence source is written as the file it stands for and
the digests are left out; these two runs are not timed). The ccrules process of (b) holds no
QA row: its ``qa`` table is an empty stand-in, and only aggregates come back.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_evidence import peak_rss  # noqa: E402

DATABASE = "ccrules_bench"
TABLE = "cc.qa_events"
CENTER = "bench-site"


def synth(folder: Path, agents: int, qa_rows: int) -> None:
    if (folder / "center.toml").exists():
        return
    subprocess.run(
        [sys.executable, "-m", "ccrules", "synth", str(folder), "--agents", str(agents),
         "--qa-rows", str(qa_rows), "--seed", "1", "--quiet"],
        check=True,
        timeout=3600,
    )  # fmt: skip


def load(server: str, csv: Path) -> str:
    """Copy qa.csv into ``cc.qa_events`` of the bench database (once); its URL."""
    import psycopg

    base = server.rsplit("/", 1)[0]
    url = f"{base}/{DATABASE}"
    with psycopg.connect(server, autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if exists.fetchone() is None:
            con.execute(f"CREATE DATABASE {DATABASE}")
    with psycopg.connect(url) as con:
        found = con.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
        size = csv.stat().st_size
        if found and found[0] is not None:
            marker = con.execute(f"SELECT obj_description('{TABLE}'::regclass)").fetchone()
            if marker and marker[0] == f"{csv}:{size}":
                return url
        print(f"loading {csv} into {TABLE} ...", flush=True)
        started = time.perf_counter()
        con.execute("CREATE SCHEMA IF NOT EXISTS cc")
        con.execute(f"DROP TABLE IF EXISTS {TABLE}")
        con.execute(
            f"CREATE TABLE {TABLE} (center_id text NOT NULL DEFAULT '{CENTER}', "
            "evaluation_id text, agent_id text, date date, item_id text, score numeric, "
            "max_score numeric, evaluator text, channel text, contact_id text)"
        )
        columns = "evaluation_id, agent_id, date, item_id, score, max_score, evaluator, "
        columns += "channel, contact_id"
        with (
            con.cursor().copy(f"COPY {TABLE} ({columns}) FROM STDIN (FORMAT csv, HEADER)") as copy,
            csv.open("rb") as rows,
        ):
            while chunk := rows.read(1 << 20):
                copy.write(chunk)
        con.execute(f"ANALYZE {TABLE}")
        con.execute(f"COMMENT ON TABLE {TABLE} IS '{csv}:{size}'")
        print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def warehouse_copy(files: Path, target: Path, url: str) -> Path:
    """The center with QA in the warehouse: data files linked, qa.csv left out."""
    if target.exists():
        shutil.rmtree(target)
    (target / "data").mkdir(parents=True)
    for item in (files / "data").iterdir():
        if item.name != "qa.csv":
            os.link(item, target / "data" / item.name)
    text = (files / "center.toml").read_text(encoding="utf-8")
    settings = f'warehouse = "{url}"\ncenter_value = "{CENTER}"\n'
    text = text.replace("\n[evidence]\n", "\n[evidence]\n" + settings, 1)
    text += f'\n[evidence.tables]\nqa = "{TABLE}"\n'
    (target / "center.toml").write_text(text, encoding="utf-8")
    return target


def timed_plan(folder: Path, repeat: int) -> float:
    """Best wall time of ``ccrules plan FOLDER --no-history --quiet`` (as bench_evidence)."""
    command = [sys.executable, "-m", "ccrules", "plan", str(folder), "--no-history", "--quiet"]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=3600)
        best = min(best, time.perf_counter() - started)
    return best


def plan_json(folder: Path) -> str:
    """The plan JSON with the digest left out and each fact's warehouse source written as
    the file it stands for: equal text is the same decisions, reasons and figures."""
    out = subprocess.run(
        [sys.executable, "-m", "ccrules", "plan", str(folder), "--no-history", "--json"],
        check=True,
        capture_output=True,
        timeout=3600,
    ).stdout
    plan = json.loads(out)
    plan.pop("digest")
    return json.dumps(plan, sort_keys=True).replace(f"warehouse:{TABLE}", "data/qa.csv")


QUERIES = """
import sys, time
import ccrules._warehouse as w
from ccrules import Engine
spent = []
arrow = w._IbisConnection.arrow
def timed(self, sql):
    started = time.perf_counter()
    table = arrow(self, sql)
    spent.append((time.perf_counter() - started, table.num_rows, " ".join(sql.split())[:70]))
    return table
w._IbisConnection.arrow = timed
started = time.perf_counter()
with Engine.from_folder(sys.argv[1]) as engine:
    engine.plan()
total = time.perf_counter() - started
print(f"in process: {total:.1f} s, of which {sum(s for s, _, _ in spent):.1f} s in "
      f"{len(spent)} warehouse queries returning {sum(n for _, n, _ in spent):,} rows")
for seconds, rows, sql in sorted(spent, reverse=True)[:8]:
    print(f"  {seconds:6.1f} s {rows:>9,} rows  {sql}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="a superuser's URL of a server")
    parser.add_argument("--agents", type=int, default=50_000)
    parser.add_argument("--qa-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench"))
    args = parser.parse_args()

    files = args.data / f"{args.agents}-{args.qa_rows}" / "csv"
    synth(files, args.agents, args.qa_rows)
    url = load(args.postgres, files / "data" / "qa.csv")
    remote = warehouse_copy(files, args.data / f"{args.agents}-{args.qa_rows}" / "pg", url)

    command = [sys.executable, "-m", "ccrules", "plan"]
    local_time = timed_plan(files, args.repeat)
    local_rss = peak_rss([*command, str(files), "--no-history", "--quiet"])
    remote_time = timed_plan(remote, args.repeat)
    remote_rss = peak_rss([*command, str(remote), "--no-history", "--quiet"])
    print(f"center: {args.agents:,} agents, {args.qa_rows:,} QA rows", flush=True)
    print(f"(a) files:     {local_time:7.2f} s   peak RSS {local_rss:7.0f} MiB")
    print(f"(b) warehouse: {remote_time:7.2f} s   peak RSS {remote_rss:7.0f} MiB")
    print(f"(b) / (a): time {remote_time / local_time:.2f}x, RSS {remote_rss / local_rss:.2f}x")
    print(f"QA rows in the ccrules process: (a) {args.qa_rows:,} loaded into DuckDB, (b) none")
    subprocess.run([sys.executable, "-c", QUERIES, str(remote)], check=True, timeout=3600)
    same = plan_json(files) == plan_json(remote)
    print(f"same decisions: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
