"""A corpus of bad input, run against every example center (issue 20).

Each case changes one thing in a copy of an example, the way a careless export or a hostile
file would, and expects the whole standard: ``plan`` and ``validate`` exit 2, the problem is
located (``file:line`` and column for a data file, ``center.toml:line`` and the key path for
the config, the file alone where a whole file is wrong), it carries the expected code, there
is no traceback, and not one byte under the center folder changes.

Cases are generic: they find their rows and columns from each file's header, so a new
example center is covered by adding it to EXAMPLE_CENTERS.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import Result
from tests.conftest import EXAMPLE_CENTERS

Run = Callable[..., Result]


@attrs.frozen
class Expect:
    """Where the problem must be reported, and as what."""

    file: str
    code: str
    line: int | None = None
    column: int | None = None
    path: str | None = None  # a key path in center.toml
    args: tuple[str, ...] = ()  # extra command-line arguments the case needs


# -- file helpers -----------------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


def _set(folder: Path, name: str, row: int, column: str, value: str) -> Expect:
    """Set one value (data row ``row``, 1-based after the header); expect it at its line."""
    path = folder / "data" / f"{name}.csv"
    rows = _rows(path)
    at = rows[0].index(column)
    rows[row][at] = value
    _write(path, rows)
    return Expect(f"data/{name}.csv", "", line=row + 1, column=at + 1)


def _data(folder: Path, name: str) -> Path:
    return folder / "data" / f"{name}.csv"


def _toml(folder: Path) -> Path:
    return folder / "center.toml"


def _line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")


def _sub_toml(folder: Path, pattern: str, new: str) -> int:
    """Replace the first line matching ``pattern``; return its number."""
    path = _toml(folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = _line_of(path, pattern)
    lines[number - 1] = re.sub(pattern, new, lines[number - 1], count=1)
    path.write_text("".join(lines), encoding="utf-8")
    return number


def _append_toml(folder: Path, *lines: str) -> int:
    """Append lines to center.toml; return the number of the last one."""
    path = _toml(folder)
    text = path.read_text(encoding="utf-8")
    text += ("" if text.endswith("\n") else "\n") + "".join(f"{line}\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


# -- the corpus: one function per kind of bad input --------------------------------------------


def missing_file(folder: Path) -> Expect:
    _data(folder, "agents").unlink()
    return Expect("data/agents.csv", "missing-file")


def ambiguous_file(folder: Path) -> Expect:
    path = _data(folder, "teams")
    path.with_suffix(".parquet").write_bytes(b"PAR1")
    return Expect("data/teams.*", "ambiguous-file")


def empty_file(folder: Path) -> Expect:
    _data(folder, "qa").write_bytes(b"")
    return Expect("data/qa.csv", "empty-file")


def header_only(folder: Path) -> Expect:
    path = _data(folder, "agents")
    _write(path, _rows(path)[:1])
    return Expect("data/agents.csv", "empty-file")


def missing_column(folder: Path) -> Expect:
    path = _data(folder, "agents")
    rows = _rows(path)
    at = rows[0].index("team_id")
    _write(path, [row[:at] + row[at + 1 :] for row in rows])
    return Expect("data/agents.csv", "missing-column", line=1, path="team_id")


def duplicate_column(folder: Path) -> Expect:
    path = _data(folder, "courses")
    rows = _rows(path)
    at = rows[0].index("max_group")
    rows[0][at] = "title"
    _write(path, rows)
    return Expect("data/courses.csv", "duplicate-column", line=1, column=at + 1)


def duplicate_key(folder: Path) -> Expect:
    path = _data(folder, "agents")
    rows = _rows(path)
    rows.append(list(rows[2]))
    _write(path, rows)
    return Expect("data/agents.csv", "duplicate-key", line=len(rows))


def empty_value(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "agents", 3, "team_id", ""), code="empty-value")


def wrong_number(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "qa", 5, "score", "abc"), code="wrong-type")


def not_whole(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "courses", 1, "duration_minutes", "2.5"), code="wrong-type")


def out_of_range(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "courses", 2, "duration_minutes", "9999"), code="out-of-range")


def not_allowed(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "courses", 1, "format", "webinar"), code="not-allowed")


def unknown_reference(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "qa", 7, "agent_id", "NOBODY"), code="unknown-reference")


def not_true_or_false(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "courses", 1, "voluntary", "yes"), code="wrong-type")


def bad_date(folder: Path) -> Expect:
    return attrs.evolve(_set(folder, "agents", 2, "hire_date", "2024-13-45"), code="wrong-type")


def nul_byte(folder: Path) -> Expect:
    expect = _set(folder, "agents", 4, "name", "张\0三")
    return attrs.evolve(expect, code="nul-byte")


def regional_encoding(folder: Path) -> Expect:
    path = _data(folder, "agents")
    rows = _rows(path)
    rows[3][rows[0].index("name")] = "欧阳娜娜"  # surely not ASCII
    _write(path, rows, encoding="gb18030")
    return Expect("data/agents.csv", "encoding")


def utf16(folder: Path) -> Expect:
    path = _data(folder, "teams")
    _write(path, _rows(path), encoding="utf-16")
    return Expect("data/teams.csv", "encoding")


def mixed_line_endings(folder: Path) -> Expect:
    path = _data(folder, "qa")
    lines = path.read_bytes().splitlines()
    path.write_bytes(b"".join(line + b"\n" for line in lines[:10]) + b"\r\n".join(lines[10:]))
    return Expect("data/qa.csv", "mixed-line-endings", line=11)


def too_many_values(folder: Path) -> Expect:
    path = _data(folder, "qa")
    rows = _rows(path)
    rows[6].append("extra")
    _write(path, rows)
    return Expect("data/qa.csv", "too-many-values", line=7)


def missing_values(folder: Path) -> Expect:
    path = _data(folder, "qa")
    rows = _rows(path)
    rows[6] = rows[6][:3]
    _write(path, rows)
    return Expect("data/qa.csv", "missing-values", line=7)


def wrong_delimiter(folder: Path) -> Expect:
    path = _data(folder, "teams")
    path.write_text("\n".join(";".join(row) for row in _rows(path)) + "\n", encoding="utf-8")
    return Expect("data/teams.csv", "wrong-delimiter", line=1)


def link_outside(folder: Path) -> Expect:
    outside = folder.parent / "elsewhere.csv"
    outside.write_text("secret,do-not-print\n", encoding="utf-8")
    path = _data(folder, "qa")
    path.unlink()
    path.symlink_to(outside)
    return Expect("data/qa.csv", "outside-folder")


def toml_syntax(folder: Path) -> Expect:
    line = _append_toml(folder, "oops = ")
    return Expect("center.toml", "syntax", line=line)


def unknown_key(folder: Path) -> Expect:
    line = _append_toml(folder, 'colour = "red"')
    return Expect("center.toml", "unknown-key", line=line, path="colour")


def wrong_setting_type(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^threshold = \d+", 'threshold = "ten"')
    return Expect("center.toml", "wrong-type", line=line, path="threshold")


def non_finite_setting(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^threshold = \d+", "threshold = nan")
    return Expect("center.toml", "wrong-type", line=line, path="threshold")


def cycle_backwards(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^end = (\d{4})-\d\d-\d\d", r"end = \1-01-01")
    return Expect("center.toml", "invalid", line=line, path="cycles[0].end")


def window_too_long(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^window_days = \d+", "window_days = 100000000000000000000")
    return Expect("center.toml", "invalid", line=line, path="evidence.window_days")


def threads_too_many(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^window_days = (\d+)", r"window_days = \1\nthreads = 100000") + 1
    return Expect("center.toml", "invalid", line=line, path="evidence.threads")


def unknown_plugin(folder: Path) -> Expect:
    line = _sub_toml(folder, r"^enabled = \[", 'enabled = ["no-such-pack", ')
    return Expect("center.toml", "unknown-plugin", line=line)


def nested_too_deeply(folder: Path) -> Expect:
    _append_toml(folder, "deep = " + "[" * 3000 + "]" * 3000)
    return Expect("center.toml", "syntax")


def config_encoding(folder: Path) -> Expect:
    path = _toml(folder)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    return Expect("center.toml", "encoding")


def config_missing(folder: Path) -> Expect:
    _toml(folder).unlink()
    return Expect("center.toml", "missing-file")


def unknown_cycle(folder: Path) -> Expect:
    return Expect("center.toml", "unknown-cycle", args=("--cycle", "2099-W01"))


def history_not_a_database(folder: Path) -> Expect:
    store = folder / ".ccrules" / "history.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"this is not a database\n" * 40)
    return Expect(".ccrules/history.sqlite", "bad-history")


CASES: dict[str, Callable[[Path], Expect]] = {
    case.__name__.replace("_", "-"): case
    for case in (
        missing_file,
        ambiguous_file,
        empty_file,
        header_only,
        missing_column,
        duplicate_column,
        duplicate_key,
        empty_value,
        wrong_number,
        not_whole,
        out_of_range,
        not_allowed,
        unknown_reference,
        not_true_or_false,
        bad_date,
        nul_byte,
        regional_encoding,
        utf16,
        mixed_line_endings,
        too_many_values,
        missing_values,
        wrong_delimiter,
        link_outside,
        toml_syntax,
        unknown_key,
        wrong_setting_type,
        non_finite_setting,
        cycle_backwards,
        window_too_long,
        threads_too_many,
        unknown_plugin,
        nested_too_deeply,
        config_encoding,
        config_missing,
        unknown_cycle,
        history_not_a_database,
    )
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): "link"
        if p.is_symlink()
        else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_bad_input_corpus(example: Callable[[str], Path], cli: Run, center: str, case: str) -> None:
    folder = example(center)
    expect = CASES[case](folder)
    before = _snapshot(folder)
    out = folder.parent / "plan.json"

    plan = cli("plan", folder, *expect.args, "--out", out)
    check = cli("validate", folder, *expect.args, "--json")
    for result in (plan, check):
        everything = result.stdout + result.stderr
        assert result.exit_code == 2, (case, result.exit_code, everything[-2000:])
        assert "Traceback" not in everything
        assert "internal error" not in everything and "bug in ccrules" not in everything
    assert plan.stdout == ""
    assert not out.exists()
    assert _snapshot(folder) == before
    assert "do-not-print" not in plan.stderr + check.stdout

    errors = json.loads(check.stdout)["errors"]
    found = [e for e in errors if e["file"] == expect.file and e["code"] == expect.code]
    assert found, (expect, errors[:5])
    where = [
        e
        for e in found
        if (expect.line is None or e["line"] == expect.line)
        and (expect.column is None or e["column"] == expect.column)
        and (expect.path is None or (e["path"] or "").endswith(expect.path))
    ]
    assert where, (expect, found[:5])
    # what plan prints names the same place
    problem = where[0]
    location = problem["file"] + "".join(
        f":{problem[key]}" for key in ("line", "column") if problem[key] is not None
    )
    assert any(line.startswith(location + ": ") for line in plan.stderr.splitlines()), (
        location,
        plan.stderr[:2000],
    )
