"""Benchmark: how long refusing a center.toml full of unknown tables takes.

    python benchmarks/bench_refusal.py                 # 1,000 to 16,000 unknown tables
    python benchmarks/bench_refusal.py --sizes 10000   # the case of issue 20 (851 s before)

Each size appends that many ``[junkN]`` tables to a copy of tests/centers/tiny and times
``Engine.from_folder`` until it raises (best of --repeat). The key locator indexes the file
once, so the time should grow linearly: the last column, seconds per thousand tables, should
stay about flat as the size doubles.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from ccrules import Engine, InputError

TINY = Path(__file__).resolve().parent.parent / "tests" / "centers" / "tiny"


def refuse(folder: Path) -> int:
    try:
        Engine.from_folder(folder, max_errors=20).close()
    except InputError as error:
        return len(error.problems)
    raise SystemExit("the center was not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'tables':>8} {'seconds':>9} {'s/1000':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"c{size}"
            shutil.copytree(TINY, folder, ignore=shutil.ignore_patterns(".ccrules"))
            with (folder / "center.toml").open("a", encoding="utf-8") as handle:
                handle.writelines(f"\n[junk{i}]\nx = 1\n" for i in range(size))
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                refuse(folder)
                times.append(time.perf_counter() - started)
            seconds = min(times)
            print(f"{size:>8} {seconds:>9.3f} {seconds / size * 1000:>8.4f}")


if __name__ == "__main__":
    main()
