"""Progress on stderr while loading and aggregating: for a terminal only, never for pipes."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
from click.testing import Result

from ccrules import Engine
from ccrules._progress import StderrProgress, enable, watch


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_steps_and_percentages_on_a_terminal() -> None:
    stream = Terminal()
    progress = StderrProgress(stream=stream)
    progress("loading data/qa.csv", None)
    progress("loading data/qa.csv", 0.25)
    progress("loading data/qa.csv", 0.5)
    progress("checking data/qa.csv", None)
    progress("aggregating competency_scores", 0.9)
    progress.done()
    lines = stream.getvalue().split("\n")
    assert re.fullmatch(r"\[ +\d+\.\ds\] loading data/qa\.csv", lines[0])
    # a percentage rewrites its own line; the next step starts on a new one
    assert lines[1].startswith("\r[") and lines[1].endswith("loading data/qa.csv  50%")
    assert lines[1].count("\r") == 2
    assert lines[2].endswith("] checking data/qa.csv")
    assert lines[3].endswith("aggregating competency_scores  90%")
    assert lines[4] == ""


def test_quiet_or_not_a_terminal_writes_nothing() -> None:
    for progress, stream in (
        (StderrProgress(quiet=True, stream=(t := Terminal())), t),
        (StderrProgress(stream=(s := io.StringIO())), s),
    ):
        progress("loading data/qa.csv", None)
        progress("loading data/qa.csv", 0.5)
        progress.done()
        assert stream.getvalue() == ""


def test_watch_reports_the_step_then_the_running_query() -> None:
    con = duckdb.connect()
    enable(con)
    seen: list[tuple[str, float | None]] = []
    with watch(con, "aggregating big", lambda m, f: seen.append((m, f)), interval=0.01):
        con.execute("SELECT count(DISTINCT i % 7000003) FROM range(20000000) t(i)").fetchall()
    assert seen[0] == ("aggregating big", None)
    fractions = [f for _, f in seen[1:]]
    assert all(f is not None and 0 <= f <= 1 for f in fractions)
    assert fractions == sorted(fractions)  # DuckDB's progress only moves forward


def test_without_a_callback_nothing_is_polled() -> None:
    con = duckdb.connect()
    with watch(con, "step", None):
        con.execute("SELECT 1").fetchall()


def test_the_engine_reports_each_file_and_aggregate(tiny: Path) -> None:
    seen: list[str] = []
    with Engine.from_folder(tiny, progress=lambda m, f: seen.append(m)) as engine:
        engine.plan()
    steps = list(dict.fromkeys(seen))
    assert steps.index("loading data/agents.csv") < steps.index("loading data/qa.csv")
    assert steps.index("loading data/qa.csv") < steps.index("checking data/qa.csv")
    assert steps.index("checking data/qa.csv") < steps.index("aggregating competency_scores")
    assert "aggregating team_competency_scores" in steps  # a plugin's aggregate too
    assert not any("topics" in s for s in steps if s.startswith("loading"))  # absent file


def test_the_cli_shows_no_progress_when_stderr_is_not_a_terminal(
    tiny: Path, cli: Callable[..., Result]
) -> None:
    result = cli("plan", str(tiny), "--no-history")
    assert result.exit_code == 0
    assert "loading" not in result.stderr
    assert not re.search(r"^\[ *\d", result.stderr, re.MULTILINE)
