"""Input that used to crash ccrules ("a bug in ccrules", exit 1) or pass unnoticed: values
outside the calendar or outside what a machine can give, nesting too deep, a history that is
not a database. Each is refused with exit 2, naming the file and the key."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import append_line, line_of, replace_in
from tests.test_bad_input import _clean, rejected, toml
from tests.test_center_paths import _to_parquet

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


def test_a_history_of_a_newer_ccrules_is_refused_and_kept(tiny: Path, cli: Run) -> None:
    # a later schema may store plans in a form this version would misread: refuse, keep it
    assert cli("plan", tiny).exit_code == 0
    store = tiny / ".ccrules" / "history.sqlite"
    with closing(sqlite3.connect(store)) as con, con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    out = tiny.parent / "plan.json"
    for args in (
        ("plan", tiny, "--out", out),
        ("history", tiny),
        ("approve", tiny, "--cycle", "2026-W49", "--by", "t"),
        ("validate", tiny),
    ):
        result = cli(*args)
        _clean(result)
        assert result.exit_code == 2, (args, result.stderr)
        assert "newer ccrules (history schema 99" in result.stderr
    problems = json.loads(cli("validate", tiny, "--json").stdout)["errors"]
    assert [p["code"] for p in problems] == ["newer-history"]
    assert not out.exists()
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("value", ["yes", "no", "1", "t", "Y", "on"])
def test_true_or_false_means_exactly_that(tiny: Path, cli: Run, value: str) -> None:
    # DuckDB would read yes, 1, t and Y as true; a plan must not guess what a word means
    courses = tiny / "data" / "courses.csv"
    replace_in(
        courses,
        "K1,合规晨会分享,C1,pre-shift,15,30,false",
        f"K1,合规晨会分享,C1,pre-shift,15,30,{value}",
    )
    line = line_of(courses, f",15,30,{value}")
    result = rejected(cli, tiny)
    assert (
        f"data/courses.csv:{line}:7: column \"voluntary\": '{value}' is not true or false"
    ) in result.stderr
    assert result.error("data/courses.csv")["code"] == "wrong-type"


@pytest.mark.parametrize("value", ["TRUE", "False", " true "])
def test_true_or_false_in_any_case(tiny: Path, cli: Run, value: str) -> None:
    courses = tiny / "data" / "courses.csv"
    replace_in(
        courses,
        "K1,合规晨会分享,C1,pre-shift,15,30,false",
        f"K1,合规晨会分享,C1,pre-shift,15,30,{value}",
    )
    result = cli("validate", tiny)
    _clean(result)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("first", [b"\n", b"\r\n"], ids=["lf-then-crlf", "crlf-then-lf"])
def test_line_endings_that_change_midway(tiny: Path, cli: Run, first: bytes) -> None:
    qa = tiny / "data" / "qa.csv"
    lines = qa.read_bytes().splitlines()
    other = b"\r\n" if first == b"\n" else b"\n"
    qa.write_bytes(
        b"".join(line + first for line in lines[:3]) + b"".join(line + other for line in lines[3:])
    )
    result = rejected(cli, tiny)
    names = {b"\n": "LF", b"\r\n": "CRLF (Windows)"}
    assert (
        f"data/qa.csv:4: this line ends in {names[other]} while the lines before end in "
        f"{names[first]}"
    ) in result.stderr
    assert result.error("data/qa.csv")["code"] == "mixed-line-endings"


def test_overlapping_cycles_are_a_warning_at_the_later_start(tiny: Path, cli: Run) -> None:
    append_line(toml(tiny), "[[cycles]]")
    append_line(toml(tiny), 'id = "2026-W49b"')
    line = append_line(toml(tiny), "start = 2026-12-03")
    append_line(toml(tiny), "end = 2026-12-09")
    result = cli("plan", tiny, "--cycle", "2026-W49")
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert (
        f"center.toml:{line}: warning: cycles[1].start: cycle '2026-W49b' (2026-12-03 to "
        "2026-12-09) overlaps cycle '2026-W49', which ends 2026-12-04"
    ) in result.stderr
    check = cli("validate", tiny, "--json")
    assert check.exit_code == 0
    assert [w["code"] for w in json.loads(check.stdout)["warnings"]] == ["overlapping-cycles"]


def test_cycles_that_follow_each_other_are_not_warned(tiny: Path, cli: Run) -> None:
    append_line(toml(tiny), "[[cycles]]")
    append_line(toml(tiny), 'id = "2026-W50"')
    append_line(toml(tiny), "start = 2026-12-05")
    append_line(toml(tiny), "end = 2026-12-11")
    result = cli("validate", tiny)
    assert result.exit_code == 0
    assert "overlaps" not in result.stdout + result.stderr


def _widen(path: Path, names: list[str]) -> None:
    """Add columns (empty in every row) to the end of a CSV file's header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = "," * len(names)
    path.write_text(
        "\n".join([lines[0] + "," + ",".join(names)] + [line + extra for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )


def test_a_header_wider_than_64_kb_is_read_whole(tiny: Path, cli: Run) -> None:
    # 12,000 extra columns: the 64 KB sniff window used to cut a name ("x1234" -> "x12")
    # and call the cut name a duplicate
    qa = tiny / "data" / "qa.csv"
    _widen(qa, [f"x{i}" for i in range(12_000)])
    assert len(qa.read_text(encoding="utf-8").splitlines()[0]) > 1 << 16
    result = cli("validate", tiny)
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert "twice" not in result.stderr
    (warning,) = result.stderr.splitlines()
    assert warning.startswith(
        "data/qa.csv:1:10: warning: 12,000 unknown columns are ignored, from column 10: x0, x1, "
        "x2, x3, x4 and 11,995 more; known columns: evaluation_id"
    )


def test_a_known_column_after_64_kb_is_found(tiny: Path, cli: Run) -> None:
    # the required score column moved behind 70 KB of other columns: found and read
    qa = tiny / "data" / "qa.csv"
    rows = list(csv.reader(io.StringIO(qa.read_text(encoding="utf-8"))))
    at = rows[0].index("score")
    padding = [f"pad{i}" for i in range(10_000)]
    moved = [
        row[:at] + row[at + 1 :] + ([""] * len(padding) if n else padding) + [row[at]]
        for n, row in enumerate(rows)
    ]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(moved)
    qa.write_text(text.getvalue(), encoding="utf-8")
    result = cli("validate", tiny, "--json")
    assert result.exit_code == 0, result.stdout
    (warning,) = json.loads(result.stdout)["warnings"]
    assert warning["message"].startswith("10,000 unknown columns are ignored")
    assert cli("plan", tiny).exit_code == 0


def test_a_long_column_name_is_clipped_in_messages(tiny: Path, cli: Run) -> None:
    qa = tiny / "data" / "qa.csv"
    _widen(qa, ["名" * 70_000])
    result = cli("validate", tiny)
    assert result.exit_code == 0
    assert "名" * 61 not in result.stderr
    assert f'unknown column "{"名" * 60}... (70,000 characters)" is ignored' in result.stderr


def _toml_escaped(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


UNSAFE = {
    "escape": ("\x1b]0;pwned\x07\x1b[2J刘洋", "\\x1b]0;pwned\\x07\\x1b[2J刘洋"),
    "carriage-return": ("刘洋\r王建国", "刘洋\\x0d王建国"),
    "bidi-override": ("刘\u202eyang", "刘\\u202eyang"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_control_characters_in_names_are_shown_escaped(tiny: Path, cli: Run, case: str) -> None:
    raw, shown = UNSAFE[case]
    replace_in(tiny / "data" / "agents.csv", "A5,刘洋,", f'A5,"{raw}",')
    replace_in(toml(tiny), 'name = "Tiny 小中心"', f'name = "Tiny {_toml_escaped(raw)}"')
    outputs = [
        cli("plan", tiny),
        cli("explain", tiny, "A5"),
        cli("history", tiny),
    ]
    for result in outputs:
        assert result.exit_code == 0, result.stderr
        assert raw not in result.stdout + result.stderr
    plan, explain, _ = outputs
    assert f"Plan for Tiny {shown} (inhouse)" in plan.stdout
    assert f"{shown} (A5)" in plan.stdout
    assert shown in explain.stdout
    # the plan itself keeps the name as it is: escaping is for the terminal only
    document = json.loads(cli("plan", tiny, "--json").stdout)
    assert document["center"]["name"] == f"Tiny {raw}"


def test_true_or_false_in_parquet_means_exactly_that(tiny: Path, cli: Run) -> None:
    courses = tiny / "data" / "courses.csv"
    replace_in(
        courses,
        "K1,合规晨会分享,C1,pre-shift,15,30,false",
        "K1,合规晨会分享,C1,pre-shift,15,30,yes",
    )
    _to_parquet(tiny, "courses")
    result = rejected(cli, tiny)
    assert "data/courses.parquet:1:7: column \"voluntary\": 'yes' is not true or false" in (
        result.stderr
    )


def test_an_unknown_parquet_column_is_warned_about_once(tiny: Path, cli: Run) -> None:
    teams = tiny / "data" / "teams.csv"
    lines = teams.read_text(encoding="utf-8").splitlines()
    teams.write_text(
        "\n".join([lines[0] + ",extra"] + [line + ",x" for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    _to_parquet(tiny, "teams")
    result = cli("validate", tiny, "--json")
    assert result.exit_code == 0, result.stdout
    warnings = json.loads(result.stdout)["warnings"]
    assert [(w["file"], w["code"], w["path"]) for w in warnings] == [
        ("data/teams.parquet", "unknown-column", "extra")
    ]
