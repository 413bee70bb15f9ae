"""Input that used to crash ccrules ("a bug in ccrules", exit 1) or pass unnoticed: values
outside the calendar or outside what a machine can give, nesting too deep, a history that is
not a database. Each is refused with exit 2, naming the file and the key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import append_line, line_of, replace_in
from tests.test_bad_input import _clean, rejected, toml

Run = Callable[..., Result]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_setting(tiny: Path, cli: Run, value: str) -> None:
    replace_in(toml(tiny), "threshold = 10", f"threshold = {value}")
    line = line_of(toml(tiny), f"threshold = {value}")
    result = rejected(cli, tiny)
    assert (
        f"center.toml:{line}: plugins.default.gaps.threshold: expected a finite number"
    ) in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        pytest.param(
            "threads", "100000", "threads must be from 0 (every core) to 256", id="threads"
        ),
        pytest.param("threads", "-1", "threads must be from 0", id="threads-negative"),
        pytest.param("memory_limit", '"1B"', "out of range", id="memory-tiny"),
        pytest.param("memory_limit", '"9000TB"', "out of range", id="memory-huge"),
        pytest.param("memory_limit", '"lots"', "is not a size", id="memory-not-a-size"),
        pytest.param("window_days", "10000000", "window_days must be from 1 to", id="window-1e7"),
        pytest.param(
            "window_days",
            "100000000000000000000",
            "window_days must be from 1 to",
            id="window-1e20",
        ),
        pytest.param("after_days", "10000000", "after_days must be from 1 to", id="after-1e7"),
    ],
)
def test_evidence_setting_out_of_range(
    tiny: Path, cli: Run, key: str, value: str, expected: str
) -> None:
    append_line(toml(tiny), "[evidence]")
    line = append_line(toml(tiny), f"{key} = {value}")
    result = rejected(cli, tiny)
    # the key's own line and path, not the [evidence] table's
    assert f"center.toml:{line}: evidence.{key}: " in result.stderr
    assert expected in result.stderr
    assert result.error("center.toml")["path"] == f"evidence.{key}"


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01", "0001-01-05"), ("9999-12-20", "9999-12-30")],
    ids=["year-1", "year-9999"],
)
def test_cycle_at_the_edge_of_the_calendar(tiny: Path, cli: Run, start: str, end: str) -> None:
    replace_in(toml(tiny), "start = 2026-11-30", f"start = {start}")
    replace_in(toml(tiny), "end = 2026-12-04", f"end = {end}")
    line = line_of(toml(tiny), f"start = {start}")
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: cycles[0].start: " in result.stderr
    assert "outside years 1 to 9999" in result.stderr


@pytest.mark.parametrize(
    "value",
    ["[" * 3000 + "]" * 3000, "{a = " * 3000 + "}" * 3000],
    ids=["arrays", "inline-tables"],
)
def test_toml_nested_too_deeply(tiny: Path, cli: Run, value: str) -> None:
    append_line(toml(tiny), f"deep = {value}")
    result = rejected(cli, tiny)
    assert "center.toml: TOML nested too deeply" in result.stderr
    assert result.error("center.toml")["code"] == "syntax"


@pytest.mark.parametrize("kind", ["garbage", "folder"])
def test_history_that_is_not_a_database(tiny: Path, cli: Run, kind: str) -> None:
    store = tiny / ".ccrules" / "history.sqlite"
    store.parent.mkdir()
    if kind == "folder":
        store.mkdir()
    else:
        store.write_bytes(b"not sqlite at all\n" * 10)
    before = sorted(
        (str(p), p.is_dir() or hashlib.sha256(p.read_bytes()).hexdigest()) for p in tiny.rglob("*")
    )
    out = tiny.parent / "plan.json"
    for args in (("plan", tiny, "--out", out), ("history", tiny)):
        result = cli(*args)
        _clean(result)
        assert result.exit_code == 2, (args, result.stderr)
        assert ".ccrules/history.sqlite: " in result.stderr
    assert not out.exists()
    after = sorted(
        (str(p), p.is_dir() or hashlib.sha256(p.read_bytes()).hexdigest()) for p in tiny.rglob("*")
    )
    assert after == before
