"""Benchmark: evaluating a cycle (`Engine.review`, stages 7-8) against planning it.

    python benchmarks/bench_review.py                       # 5,000 agents, 1M QA rows
    python benchmarks/bench_review.py --agents 1000 --qa-rows 200000   # quick

A center is written by `ccrules synth` into --data (kept between runs). Its QA rows are then
copied into the four weeks after the cycle (the "after" window the evaluation reads), with
+5 points for agents the plan trained, and every attendee gets an outcome row. In this run:

(a) the anchor: `Engine.plan()` on the center (stages 1-6), in process;
(b) `Engine.review(plan)`: reading and checking the outcomes, the four Kirkpatrick levels with
    the comparison group, escalation, the 50% + 50% check, scorecards, attrition, close.

Printed: seconds for each (best of --repeat, each on a fresh engine), b/a, and how many
figures, follow-ups and carry-overs the review made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from ccrules import Engine


def build(folder: Path, agents: int, qa_rows: int) -> None:
    if (folder / "data" / "outcomes.csv").exists():
        return
    subprocess.run(
        [sys.executable, "-m", "ccrules", "synth", str(folder), "--agents", str(agents),
         "--qa-rows", str(qa_rows), "--quiet"],
        check=True,
    )  # fmt: skip
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
    trained = {(a, s.competency_id) for s in plan.sessions for a in s.attendees}
    end = plan.cycle.end
    shift = (end + dt.timedelta(days=1) - plan.cycle.evidence_from).days
    qa = folder / "data" / "qa.csv"
    con = duckdb.connect()
    pairs = sorted(trained)
    con.execute(
        "CREATE TABLE trained AS SELECT unnest($a::VARCHAR[]) AS agent_id, "
        "unnest($c::VARCHAR[]) AS competency_id",
        {"a": [a for a, _ in pairs], "c": [c for _, c in pairs]},
    )  # one statement: executemany takes about 0.6 ms a row
    after = folder / "data" / "qa_after.csv"
    first, last = end + dt.timedelta(days=1), end + dt.timedelta(days=28)
    con.execute(
        f"""
        COPY (
            SELECT 'X' || q.evaluation_id AS evaluation_id, q.agent_id,
                   (q.date + INTERVAL {shift} DAY)::DATE AS date, q.item_id,
                   least(q.max_score, q.score + CASE WHEN t.agent_id IS NULL THEN 0
                         ELSE q.max_score * 0.05 END) AS score,
                   q.max_score, q.evaluator, q.channel, 'X' || q.contact_id AS contact_id
            FROM read_csv('{qa}', header=true, all_varchar=false) q
            JOIN read_csv('{folder}/data/qa_items.csv', header=true) i USING (item_id)
            LEFT JOIN trained t ON t.agent_id = q.agent_id AND t.competency_id = i.competency_id
            WHERE (q.date + INTERVAL {shift} DAY)::DATE BETWEEN DATE '{first}' AND DATE '{last}'
        ) TO '{after}' (HEADER false)
        """
    )
    with qa.open("a", encoding="utf-8") as out, after.open(encoding="utf-8") as rows:
        for line in rows:
            out.write(line)
    after.unlink()
    lines = ["cycle_id,session_id,agent_id,attended,post_score,satisfaction"]
    for index, (session, agent) in enumerate((s.id, a) for s in plan.sessions for a in s.attendees):
        came = index % 10 != 0
        score = f"{70 + index % 30}" if came else ""
        rating = f"{3 + index % 3}" if came else ""
        lines.append(f"{plan.cycle.id},{session},{agent},{str(came).lower()},{score},{rating}")
    (folder / "data" / "outcomes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def prepared(description: str) -> tuple[argparse.Namespace, Path]:
    """Parse the shared options, build (or reuse) the center; the arguments and its folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--qa-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ccrules-bench-review"))
    args = parser.parse_args()
    folder = args.data / f"center-{args.agents}-{args.qa_rows}"
    build(folder, args.agents, args.qa_rows)
    return args, folder


def main() -> int:
    args, folder = prepared(__doc__.splitlines()[0])

    plan_times, review_times = [], []
    for _ in range(args.repeat):
        with Engine.from_folder(folder) as engine:
            started = time.perf_counter()
            plan = engine.plan()
            plan_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            review = engine.review(plan)
            review_times.append(time.perf_counter() - started)
    a, b = min(plan_times), min(review_times)
    behaviour = next(
        (e for e in review.evaluations if e.subject == "center" and e.metric == "behaviour"),
        None,
    )
    print(f"center: {args.agents} agents, {args.qa_rows} QA rows before the cycle (+ after)")
    print(f"(a) plan   {a:7.2f} s   (anchor)")
    print(f"(b) review {b:7.2f} s   b/a = {b / a:.2f}")
    print(
        f"review: {len(review.evaluations)} figures, {len(review.follow_ups)} follow-ups, "
        f"{len(review.escalations)} escalations, {len(review.trainers)} trainers, "
        f"{len(review.attrition)} attrition risks, {len(review.carried)} carry-overs"
    )
    if behaviour is not None:
        print(
            f"center behaviour: {behaviour.value} [{behaviour.low}, {behaviour.high}] "
            f"n={behaviour.n} compared={behaviour.compared} {behaviour.verdict} "
            "(true effect +5 points, less where an item was already at its maximum)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
