"""Benchmark: drawing the cycle report (`ccrules.report.render_report`) against planning.

    python benchmarks/bench_report.py                       # 5,000 agents, 1M QA rows
    python benchmarks/bench_report.py --agents 1000 --qa-rows 200000   # quick

The center is the one `bench_review.py` builds (kept in --data between runs). In this run:

(a) the anchor: `Engine.plan()` on the center (stages 1-6), in process;
(b) `render_report(plan, review=...)`: every section, with the cycle's review;
(c) the same page with `--redact`'s pseudonyms (every data string through one regex);
(d) `plan_to_json(plan)`, the other view of the same plan, for scale.

Printed: seconds for each (best of --repeat), b/a, c/a, d/a, and the page's size.
"""

from __future__ import annotations

import sys
import time

from bench_review import prepared

from ccrules import Engine, plan_to_json
from ccrules.report import Pseudonyms, render_report


def main() -> int:
    args, folder = prepared(__doc__.splitlines()[0])

    plan_times, page_times, redacted_times, json_times = [], [], [], []
    for _ in range(args.repeat):
        with Engine.from_folder(folder) as engine:
            started = time.perf_counter()
            plan = engine.plan()
            plan_times.append(time.perf_counter() - started)
            review = engine.review(plan)
            started = time.perf_counter()
            page = render_report(plan, engine.center, review=review)
            page_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            redact = Pseudonyms(b"benchmark key 0123456789", engine.center)
            redacted = render_report(plan, engine.center, review=review, redact=redact)
            redacted_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            plan_to_json(plan)
            json_times.append(time.perf_counter() - started)
    a, b, c, d = min(plan_times), min(page_times), min(redacted_times), min(json_times)
    print(f"center: {args.agents} agents, {args.qa_rows} QA rows; {len(plan.sessions)} sessions")
    print(f"(a) plan            {a:7.3f} s   (anchor)")
    print(f"(b) report          {b:7.3f} s   b/a = {b / a:.3f}")
    print(f"(c) report, redact  {c:7.3f} s   c/a = {c / a:.3f}")
    print(f"(d) plan JSON       {d:7.3f} s   d/a = {d / a:.3f}")
    print(
        f"page: {len(page.encode()) / 1e6:.2f} MB ({len(redacted.encode()) / 1e6:.2f} MB redacted)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
