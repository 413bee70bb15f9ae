"""Benchmark: ccrules load + plan against bare DuckDB on the same files.

    python benchmarks/bench_plan.py                       # 2,000 agents, 1M QA rows
    python benchmarks/bench_plan.py --agents 20000 --qa-rows 5000000 --repeat 3

The anchor is what DuckDB alone takes to read qa.csv with an explicit schema and build the
same per-agent, per-competency aggregate. ccrules is timed end to end: config, plugins, the
input gate over every file, the evidence stage, and stages 2-6 of the default pack. Figures
are the best of --repeat runs, in seconds, and the ratio to the anchor in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from ccrules import Engine

COMPETENCIES = 12
ITEMS_PER_COMPETENCY = 2
TEAM_SIZE = 15


def write_center(folder: Path, agents: int, qa_rows: int) -> None:
    """A synthetic center written by DuckDB itself, so generating 10M rows takes seconds."""
    data = folder / "data"
    data.mkdir(parents=True)
    teams = (agents + TEAM_SIZE - 1) // TEAM_SIZE
    (folder / "center.toml").write_text(
        '[center]\nname = "bench"\nmodel = "inhouse"\n\n'
        '[[cycles]]\nid = "c1"\nstart = 2026-11-30\nend = 2026-12-04\n\n'
        '[plugins]\nenabled = ["default"]\n',
        encoding="utf-8",
    )
    con = duckdb.connect()

    def copy(name: str, sql: str) -> None:
        con.execute(f"COPY ({sql}) TO '{data / (name + '.csv')}' (HEADER, DELIMITER ',')")

    copy(
        "teams",
        f"SELECT 'T' || i AS team_id, 'Team ' || i AS name, 'A' || (i * {TEAM_SIZE}) AS lead_id, "
        "'front-line' AS function, '09:00' AS shift_start, '18:00' AS shift_end "
        f"FROM range({teams}) t(i)",
    )
    copy(
        "agents",
        "SELECT 'A' || i AS agent_id, 'Agent ' || i AS name, "
        f"'T' || (i // {TEAM_SIZE}) AS team_id, "
        f"CASE WHEN i % {TEAM_SIZE} = 0 THEN 'TL' ELSE 'AG' END AS role_id, "
        "DATE '2022-01-01' + (i % 900)::INT AS hire_date, 'active' AS status "
        f"FROM range({agents}) t(i)",
    )
    copy(
        "roles",
        "SELECT * FROM (VALUES ('AG', 'Agent', 'front-line'), ('TL', 'Lead', 'management')) "
        "v(role_id, name, track)",
    )
    copy(
        "competencies",
        "SELECT 'C' || i AS competency_id, 'Competency ' || i AS name, "
        "CASE WHEN i % 4 = 0 THEN 'non-business' ELSE 'business' END AS category, "
        "'skill' AS kind, '' AS description "
        f"FROM range({COMPETENCIES}) t(i)",
    )
    copy(
        "role_profiles",
        "SELECT r AS role_id, 'C' || i AS competency_id, 80 AS required_level "
        f"FROM range({COMPETENCIES}) t(i), (VALUES ('AG'), ('TL')) v(r)",
    )
    copy(
        "qa_items",
        "SELECT 'I' || i AS item_id, 'C' || (i % " + str(COMPETENCIES) + ") AS competency_id, "
        "'Item ' || i AS name "
        f"FROM range({COMPETENCIES * ITEMS_PER_COMPETENCY}) t(i)",
    )
    items = COMPETENCIES * ITEMS_PER_COMPETENCY
    copy(
        "qa",
        f"SELECT 'E' || (i // {items}) AS evaluation_id, "
        f"'A' || ((i // {items}) % {agents}) AS agent_id, "
        "DATE '2026-09-01' + ((i // 7) % 89)::INT AS date, "
        f"'I' || (i % {items}) AS item_id, "
        # agents are weak on a competency or two, by their team
        f"CASE WHEN (((i // {items}) % {agents}) // {TEAM_SIZE} + i % {items}) % 11 = 0 "
        "THEN (hash(i) % 5) + 3 ELSE (hash(i) % 3) + 8 END AS score, "
        "10 AS max_score, 'QA' || (hash(i // " + str(items) + ") % 6) AS evaluator, "
        "'voice' AS channel, 'K' || i AS contact_id "
        f"FROM range({qa_rows}) t(i)",
    )
    copy(
        "kpis",
        "SELECT 'A' || i AS agent_id, DATE '2026-10-01' AS period, 'fcr' AS metric, "
        "0.6 + (hash(i) % 30) / 100.0 AS value "
        f"FROM range({agents}) t(i)",
    )
    copy(
        "trainers",
        "SELECT 'TR' || i AS trainer_id, 'Trainer ' || i AS name, 'full-time' AS kind, "
        "NULL AS agent_id, 40 AS capacity_hours, 100 AS cost_per_hour, 4.0 AS score "
        f"FROM range({max(3, agents // 200)}) t(i)",
    )
    copy(
        "trainer_skills",
        "SELECT 'TR' || t AS trainer_id, 'C' || c AS competency_id, 95 AS level "
        f"FROM range({max(3, agents // 200)}) a(t), range({COMPETENCIES}) b(c)",
    )
    copy(
        "courses",
        "SELECT 'K' || i || f AS course_id, 'Course ' || i AS title, 'C' || i AS competency_id, "
        "f AS format, CASE f WHEN 'pre-shift' THEN 15 WHEN 'micro-video' THEN 10 ELSE 60 END "
        "AS duration_minutes, CASE f WHEN 'classroom' THEN 12 ELSE 1 END AS max_group, "
        "false AS voluntary "
        f"FROM range({COMPETENCIES}) t(i), (VALUES ('pre-shift'), ('classroom'), ('coaching'), "
        "('micro-video')) v(f)",
    )
    con.close()


def bare_duckdb(folder: Path) -> float:
    """The anchor: read qa.csv and qa_items.csv with explicit schemas and aggregate."""
    started = time.perf_counter()
    con = duckdb.connect()
    qa = folder / "data" / "qa.csv"
    items = folder / "data" / "qa_items.csv"
    con.execute(
        "SELECT q.agent_id, i.competency_id, 100 * sum(q.score) / sum(q.max_score), "
        "count(DISTINCT q.evaluation_id), count(*), min(q.date), max(q.date) "
        f"FROM read_csv('{qa}', header=true, auto_detect=false, columns={{"
        "'evaluation_id': 'VARCHAR', 'agent_id': 'VARCHAR', 'date': 'DATE', "
        "'item_id': 'VARCHAR', 'score': 'DECIMAL(18,4)', 'max_score': 'DECIMAL(18,4)', "
        "'evaluator': 'VARCHAR', 'channel': 'VARCHAR', 'contact_id': 'VARCHAR'}) q "
        f"JOIN read_csv('{items}', header=true, auto_detect=false, columns={{"
        "'item_id': 'VARCHAR', 'competency_id': 'VARCHAR', 'name': 'VARCHAR'}) i "
        "ON i.item_id = q.item_id "
        "WHERE q.date BETWEEN DATE '2026-09-01' AND DATE '2026-11-29' GROUP BY ALL"
    ).fetchall()
    con.close()
    return time.perf_counter() - started


def ccrules_plan(folder: Path) -> tuple[float, float, int]:
    started = time.perf_counter()
    with Engine.from_folder(folder) as engine:
        loaded = time.perf_counter()
        plan = engine.plan()
    done = time.perf_counter()
    return loaded - started, done - started, len(plan.sessions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2_000)
    parser.add_argument("--qa-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the center here and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="ccrules-bench-"))
    folder = base / "center"
    try:
        if not folder.exists():
            started = time.perf_counter()
            write_center(folder, args.agents, args.qa_rows)
            print(
                f"wrote {args.agents:,} agents, {args.qa_rows:,} QA rows in "
                f"{time.perf_counter() - started:.1f} s to {folder}"
            )
        anchors, loads, totals = [], [], []
        sessions = 0
        for _ in range(args.repeat):
            anchors.append(bare_duckdb(folder))
            load, total, sessions = ccrules_plan(folder)
            loads.append(load)
            totals.append(total)
        anchor, load, total = min(anchors), min(loads), min(totals)
        print(f"bare DuckDB read + aggregate   {anchor:7.3f} s   1.00x")
        print(f"ccrules load + input gate      {load:7.3f} s   {load / anchor:5.2f}x")
        print(
            f"ccrules load + gate + plan     {total:7.3f} s   {total / anchor:5.2f}x"
            f"   ({sessions} sessions)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
