"""Bad input gets a clear error and loses nothing.

Every case runs through the CLI and checks the whole standard: exit code 2, the location
(``file:line:column`` for data, ``center.toml:line`` and the key path for the config), what
was expected, no traceback, nothing on stdout, no plan file and no history written. Expected
line numbers are worked out from the files as the test wrote them, never typed in.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import duckdb
import pytest
from click.testing import Result
from tests.conftest import append_line, line_of, replace_in, written

Run = Callable[..., Result]
Error = dict[str, Any]

PROBLEM_FIELDS = {"file", "line", "column", "path", "message", "severity", "code"}


@attrs.frozen
class Rejected:
    """What the CLI said about a center it refused."""

    stderr: str  # of `ccrules plan`
    errors: list[Error]  # of `ccrules validate --json`
    warnings: list[Error]

    def error(self, file: str, line: int | None = None) -> Error:
        """The one JSON error of ``file`` (at ``line``, when given)."""
        found = [e for e in self.errors if e["file"] == file and line in (None, e["line"])]
        assert len(found) == 1, (file, line, self.errors)
        return found[0]


def _clean(result: Result) -> None:
    everything = result.stdout + result.stderr
    assert "Traceback" not in everything
    assert "internal error" not in everything


def rejected(cli: Run, folder: Path, *args: str) -> Rejected:
    """Run ``plan --json --out`` and ``validate --json`` on a bad center; check that both
    refuse it with exit code 2, no traceback, and write nothing."""
    out = folder.parent / "plan.json"
    plan = cli("plan", folder, *args, "--json", "--out", out)
    _clean(plan)
    assert plan.exit_code == 2, plan.stderr
    assert plan.stdout == ""
    assert re.search(r"^\d+ problems? found; nothing was (planned or )?written", plan.stderr, re.M)
    assert not out.exists()
    assert written(folder) == []
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".plan.json")] == []

    check = cli("validate", folder, *args, "--json")
    _clean(check)
    assert check.exit_code == 2, check.stderr
    assert check.stderr == ""
    document = json.loads(check.stdout)
    assert document["ok"] is False
    assert document["errors"], document
    for problem in document["errors"] + document["warnings"]:
        assert set(problem) == PROBLEM_FIELDS
        assert problem["message"]
    for problem in document["errors"]:
        assert problem["severity"] == "error"
    assert written(folder) == []
    return Rejected(plan.stderr, document["errors"], document["warnings"])


def column_of(path: Path, name: str) -> int:
    """1-based position of column ``name`` in the header of a CSV file."""
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    return header.index(name) + 1


def rewrite_csv(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(change(rows))
    path.write_text(text.getvalue(), encoding="utf-8")


def toml(folder: Path) -> Path:
    return folder / "center.toml"


def data(folder: Path, name: str) -> Path:
    return folder / "data" / f"{name}.csv"


# -- center.toml ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'owner = "QA"', "owner = QA", 'expected text in quotes ("like this")', id="unquoted"
        ),
        pytest.param(
            "threshold = 10",
            "threshold = 10\nthreshold = 12",
            "Cannot overwrite a value",
            id="key-twice",
        ),
        pytest.param(
            'model = "inhouse"', 'model = "inhouse', "expected the closing quote", id="open-string"
        ),
    ],
)
def test_toml_syntax_error(tiny: Path, cli: Run, old: str, new: str, expected: str) -> None:
    replace_in(toml(tiny), old, new)
    bad = new.splitlines()[-1]
    line = line_of(toml(tiny), bad)
    result = rejected(cli, tiny)
    error = result.error("center.toml")
    assert error["line"] == line
    assert error["code"] == "syntax"
    assert f"center.toml:{line}:{error['column']}: TOML syntax error: " in result.stderr
    assert expected in result.stderr


def test_toml_syntax_error_column(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), 'owner = "QA"', "owner = QA")
    line = line_of(toml(tiny), "owner = QA")
    column = "owner = QA".index("QA") + 1
    assert f"center.toml:{line}:{column}: TOML syntax error" in rejected(cli, tiny).stderr


@pytest.mark.parametrize(
    ("old", "new", "path", "known"),
    [
        pytest.param(
            'model = "inhouse"',
            'model = "inhouse"\nnmae = "x"',
            "center.nmae",
            "name",
            id="center",
        ),
        pytest.param(
            'owner = "QA"',
            'owner = "QA"\nthreshhold = 5',
            "plugins.default.gaps.threshhold",
            "threshold",
            id="plugin-settings",
        ),
        pytest.param(
            "[[cycles]]", '[centre]\nname = "x"\n\n[[cycles]]', "centre", "center", id="top-level"
        ),
    ],
)
def test_unknown_key(tiny: Path, cli: Run, old: str, new: str, path: str, known: str) -> None:
    replace_in(toml(tiny), old, new)
    key = path.rsplit(".", 1)[-1]
    line = line_of(toml(tiny), key)
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: {path}: unknown key '{key}'; expected one of: " in result.stderr
    assert known in result.error("center.toml")["message"]
    assert result.error("center.toml")["path"] == path
    assert result.error("center.toml")["code"] == "unknown-key"


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        pytest.param(
            "threshold = 10",
            'threshold = "ten"',
            "plugins.default.gaps.threshold",
            "expected a number, got text 'ten'",
            id="text-for-number",
        ),
        pytest.param(
            "min_evaluations = 3",
            "min_evaluations = 3.5",
            "plugins.default.gaps.min_evaluations",
            "expected a whole number, got a number 3.5",
            id="float-for-int",
        ),
        pytest.param(
            "start = 2026-11-30",
            'start = "next monday"',
            "cycles[0].start",
            "expected a date (YYYY-MM-DD), got text 'next monday'",
            id="text-for-date",
        ),
        pytest.param(
            'model = "inhouse"',
            'model = "in-house"',
            "center.model",
            "expected one of 'inhouse', 'bpo', got text 'in-house'",
            id="not-a-choice",
        ),
        pytest.param(
            'enabled = ["default"]',
            'enabled = "default"',
            "plugins.enabled",
            "expected a list, got text 'default'",
            id="text-for-list",
        ),
        pytest.param(
            "[[plugins.default.kpis]]",
            "[plugins.default.kpis]",
            "plugins.default.kpis",
            "expected a list, got a table",
            id="table-for-list",
        ),
        pytest.param(
            '[plugins.default.gaps]\nthreshold = 10\nmin_evaluations = 3\nowner = "QA"',
            "[plugins.default]\ngaps = 5",
            "plugins.default.gaps",
            "expected a table, got an integer 5",
            id="number-for-table",
        ),
    ],
)
def test_wrong_type(tiny: Path, cli: Run, old: str, new: str, path: str, expected: str) -> None:
    replace_in(toml(tiny), old, new)
    line = line_of(toml(tiny), new.splitlines()[-1])
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: {path}: {expected}" in result.stderr
    error = result.error("center.toml")
    assert (error["line"], error["path"], error["code"]) == (line, path, "wrong-type")


def test_missing_required_key(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), "end = 2026-12-04\n", "")
    line = line_of(toml(tiny), "[[cycles]]")
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: cycles[0].end: missing required key" in result.stderr


def test_unknown_plugin_is_named_with_a_close_match(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), 'enabled = ["default"]', 'enabled = ["default", "defualt"]')
    line = line_of(toml(tiny), "enabled = ")
    result = rejected(cli, tiny)
    assert (
        f"center.toml:{line}: plugins.enabled[1]: unknown plugin 'defualt' "
        "(did you mean 'default'?); installed: "
    ) in result.stderr
    assert result.error("center.toml")["path"] == "plugins.enabled[1]"
    assert result.error("center.toml")["code"] == "unknown-plugin"


def test_misspelled_plugin_with_its_settings_reports_both(tiny: Path, cli: Run) -> None:
    """The usual typo: the settings tables still say [plugins.default...]."""
    replace_in(toml(tiny), 'enabled = ["default"]', 'enabled = ["defualt"]')
    enabled = line_of(toml(tiny), "enabled = ")
    settings = line_of(toml(tiny), "[plugins.default.gaps]")
    result = rejected(cli, tiny)
    problem = f"center.toml:{enabled}: plugins.enabled[0]: unknown plugin 'defualt'"
    assert problem in result.stderr
    assert "(did you mean 'default'?)" in result.stderr.split(problem)[1].splitlines()[0]
    assert (
        f"center.toml:{settings}: plugins.default: settings for plugin 'default', which is not "
        "in plugins.enabled (it lists 'defualt')"
    ) in result.stderr


def test_settings_for_a_plugin_not_enabled(tiny: Path, cli: Run) -> None:
    line = append_line(toml(tiny), "[plugins.other]")
    append_line(toml(tiny), "limit = 3")
    result = rejected(cli, tiny)
    assert (
        f"center.toml:{line}: plugins.other: settings for plugin 'other', which is not in "
        "plugins.enabled (it lists 'default'); enable the plugin, fix the name, or remove "
        "the table"
    ) in result.stderr
    assert len(result.errors) == 1


def test_cycle_end_before_start(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), "end = 2026-12-04", "end = 2026-11-01")
    line = line_of(toml(tiny), "end = 2026-11-01")
    result = rejected(cli, tiny)
    assert (
        f"center.toml:{line}: cycles[0].end: end 2026-11-01 is before start 2026-11-30"
    ) in result.stderr


def test_unknown_cycle_option(tiny: Path, cli: Run) -> None:
    result = rejected(cli, tiny, "--cycle", "2026-W50")
    assert "center.toml: no cycle '2026-W50' in [[cycles]]; known: 2026-W49" in result.stderr
    assert result.error("center.toml")["code"] == "unknown-cycle"


def test_kpi_threshold_naming_an_unknown_competency(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), 'competency = "C3"', 'competency = "C9"')
    line = line_of(toml(tiny), 'competency = "C9"')
    result = rejected(cli, tiny)
    assert (
        f"center.toml:{line}: plugins.default.kpis[0].competency: unknown competency 'C9'; "
        "it is not in data/competencies.csv"
    ) in result.stderr
    assert result.error("center.toml")["path"] == "plugins.default.kpis[0].competency"


def test_config_in_gbk(tiny: Path, cli: Run) -> None:
    line = line_of(toml(tiny), "小中心")
    toml(tiny).write_bytes(toml(tiny).read_text(encoding="utf-8").encode("gbk"))
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: not UTF-8 text; it looks like GBK/GB18030" in result.stderr
    assert "iconv -f GB18030 -t UTF-8 center.toml" in result.stderr


def test_config_with_bom_and_crlf_keeps_its_lines(tiny: Path, cli: Run) -> None:
    replace_in(toml(tiny), "threshold = 10", 'threshold = "ten"')
    line = line_of(toml(tiny), 'threshold = "ten"')
    text = toml(tiny).read_bytes()
    toml(tiny).write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    result = rejected(cli, tiny)
    assert f"center.toml:{line}: plugins.default.gaps.threshold: expected a number" in (
        result.stderr
    )


def test_missing_config(tiny: Path, cli: Run) -> None:
    toml(tiny).unlink()
    result = rejected(cli, tiny)
    assert f"center.toml: no center.toml in {tiny}; a center folder needs one" in result.stderr


def test_missing_folder(tmp_path: Path, cli: Run) -> None:
    folder = tmp_path / "nowhere"
    result = rejected(cli, folder)
    assert f"{folder}: no such center folder" in result.stderr
    assert not folder.exists()


# -- data files -------------------------------------------------------------------------------


def test_missing_data_file(tiny: Path, cli: Run) -> None:
    data(tiny, "qa").unlink()
    result = rejected(cli, tiny)
    assert (
        "data/qa.csv: file is missing; expected a CSV file with columns evaluation_id, "
        "agent_id, date, item_id, score, max_score"
    ) in result.stderr
    assert result.error("data/qa.csv")["code"] == "missing-file"


def test_missing_column(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    rewrite_csv(qa, lambda rows: [row[:4] + row[5:] for row in rows])
    assert "score" not in qa.read_text(encoding="utf-8").splitlines()[0].split(",")
    result = rejected(cli, tiny)
    assert 'data/qa.csv:1: missing column "score" (Points given); the header has: ' in (
        result.stderr
    )
    assert result.error("data/qa.csv")["path"] == "score"
    assert len(result.errors) == 1


def test_column_twice_in_header(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    rewrite_csv(qa, lambda rows: [[*row, row[4]] for row in rows])
    column = len(qa.read_text(encoding="utf-8").splitlines()[0].split(","))
    result = rejected(cli, tiny)
    assert f'data/qa.csv:1:{column}: column "score" appears twice in the header' in (result.stderr)


@pytest.mark.parametrize(
    ("old", "new", "column", "expected"),
    [
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,",
            "EV004,A2,2026-10-05,I1,abc,",
            "score",
            "column \"score\": 'abc' is not a number",
            id="text-for-number",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,",
            "EV004,A2,2026/10/05,",
            "date",
            "column \"date\": '2026/10/05' is not a date (YYYY-MM-DD)",
            id="not-a-date",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,10,QA-孙琪,",
            "EV004,A2,2026-10-05,I1,6,10,,",
            "evaluator",
            'column "evaluator" is empty; expected text',
            id="empty-required",
        ),
        pytest.param(
            "EV004,A2,",
            "EV004,A9,",
            "agent_id",
            "column \"agent_id\": unknown agent_id 'A9'; it is not in data/agents.csv",
            id="unknown-agent",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,10,QA-孙琪,voice",
            "EV004,A2,2026-10-05,I1,6,10,QA-孙琪,phone",
            "channel",
            "column \"channel\": 'phone' is not one of voice, chat, ticket",
            id="not-a-choice",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,10",
            "EV004,A2,2026-10-05,I1,11,10",
            "score",
            "score 11 is outside 0..10",
            id="score-above-max",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,10",
            "EV004,A2,2026-10-05,I1,-1,10",
            "score",
            'column "score": -1 is below 0; expected 0 or more',
            id="negative-score",
        ),
        pytest.param(
            "EV004,A2,2026-10-05,I1,6,10",
            "EV004,A2,2026-10-05,I1,0,0",
            "max_score",
            "max_score 0 must be above 0",
            id="max-score-0",
        ),
    ],
)
def test_bad_qa_value(tiny: Path, cli: Run, old: str, new: str, column: str, expected: str) -> None:
    qa = data(tiny, "qa")
    replace_in(qa, old, new)
    line, col = line_of(qa, new), column_of(qa, column)
    result = rejected(cli, tiny)
    assert f"data/qa.csv:{line}:{col}: {expected}" in result.stderr
    error = result.error("data/qa.csv")
    assert (error["line"], error["column"], error["path"]) == (line, col, column)
    assert len(result.errors) == 1


def test_value_not_in_the_allowed_choices(tiny: Path, cli: Run) -> None:
    competencies = data(tiny, "competencies")
    replace_in(competencies, "non-business,attitude", "non-business,skil")
    line, col = line_of(competencies, ",skil"), column_of(competencies, "kind")
    result = rejected(cli, tiny)
    assert (
        f"data/competencies.csv:{line}:{col}: column \"kind\": 'skil' is not one of "
        "knowledge, skill, attitude"
    ) in result.stderr


def test_duplicate_agent_says_where_the_first_is(tiny: Path, cli: Run) -> None:
    agents = data(tiny, "agents")
    first = line_of(agents, "A3,")
    line = append_line(agents, "A3,陈晨,T2,AG,2024-01-08,active")
    result = rejected(cli, tiny)
    assert (
        f"data/agents.csv:{line}:1: duplicate agent_id 'A3' (first at line {first})"
    ) in result.stderr
    assert result.error("data/agents.csv")["code"] == "duplicate-key"


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
def test_chinese_values_pass_through_unchanged(tiny: Path, cli: Run, bom: bool) -> None:
    agents = data(tiny, "agents")
    replace_in(agents, "A3,Emily Chen,T1,", "A3,Emily Chen,团队X,")
    line, col = line_of(agents, "团队X"), column_of(agents, "team_id")
    if bom:
        agents.write_bytes(b"\xef\xbb\xbf" + agents.read_bytes())
    result = rejected(cli, tiny)
    assert (
        f"data/agents.csv:{line}:{col}: column \"team_id\": unknown team_id '团队X'; it is not "
        "in data/teams.csv"
    ) in result.stderr
    assert "团队X" in result.error("data/agents.csv")["message"]


@pytest.mark.parametrize("name", ["qa", "agents"])
def test_empty_file(tiny: Path, cli: Run, name: str) -> None:
    data(tiny, name).write_bytes(b"")
    result = rejected(cli, tiny)
    assert f"data/{name}.csv: file is empty; expected a header row with columns " in (result.stderr)
    # Nothing else: rows referring to an empty agents file are not each reported.
    assert len(result.errors) == 1


def test_header_only_agents(tiny: Path, cli: Run) -> None:
    agents = data(tiny, "agents")
    agents.write_text(agents.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    result = rejected(cli, tiny)
    assert "data/agents.csv: file has a header but no rows; at least one row is needed" in (
        result.stderr
    )
    assert len(result.errors) == 1


def test_truncated_last_line(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    text = qa.read_text(encoding="utf-8")
    assert text.endswith("\n")
    qa.write_text(text + "EV099,A1,2026-11-09,I1,9", encoding="utf-8")  # no newline
    line = text.count("\n") + 1
    result = rejected(cli, tiny)
    assert (
        f"data/qa.csv:{line}: the row has 5 of 9 values; is the line cut short, or a value "
        "not quoted?"
    ) in result.stderr
    assert len(result.errors) == 1  # once for the row, not once per missing value


def test_row_with_too_many_values(tiny: Path, cli: Run) -> None:
    line = append_line(data(tiny, "qa"), "EV099,A1,2026-11-09,I1,9,10,QA-孙琪,voice,C0099,x")
    result = rejected(cli, tiny)
    assert (
        f"data/qa.csv:{line}: the row has more than 9 values; quote values that contain commas"
    ) in result.stderr
    assert len(result.errors) == 1


def test_unclosed_quote(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    replace_in(qa, "EV004,A2,2026-10-05,I1,6,10,QA-孙琪", 'EV004,A2,2026-10-05,I1,6,10,"QA-孙琪')
    line = line_of(qa, '"QA-孙琪')
    result = rejected(cli, tiny)
    assert f'data/qa.csv:{line}: a quote (") is not closed' in result.stderr


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_file_in_gbk(tiny: Path, cli: Run, encoding: str) -> None:
    qa = data(tiny, "qa")
    line = line_of(qa, "孙琪")
    qa.write_bytes(qa.read_text(encoding="utf-8").encode(encoding))
    result = rejected(cli, tiny)
    assert (
        f"data/qa.csv:{line}: file is not UTF-8 text; it looks like GBK/GB18030 (Chinese "
        "Excel's default); convert it with `iconv -f GB18030 -t UTF-8 data/qa.csv > fixed.csv`"
    ) in result.stderr
    assert len(result.errors) == 1


def test_gbk_far_into_a_big_file(tiny: Path, cli: Run) -> None:
    """Past the part of the file read to check its header, DuckDB finds the bad bytes."""
    qa = data(tiny, "qa")
    replace_in(qa, "QA-孙琪", "QA-Sun", count=-1)
    rows = "".join(f"EX{n:05d},A1,2026-10-05,I1,9,10,QA-Sun,voice,\n" for n in range(2000))
    qa.write_text(qa.read_text(encoding="utf-8") + rows, encoding="utf-8")
    line = append_line(qa, "EX99999,A1,2026-10-05,I1,9,10,QA-孙琪,voice,")
    qa.write_bytes(qa.read_text(encoding="utf-8").encode("gb18030"))
    assert qa.stat().st_size > 1 << 16
    result = rejected(cli, tiny)
    assert f"data/qa.csv:{line}: text is not valid UTF-8 on 1 line(s)" in result.stderr
    assert "GBK/GB18030" in result.stderr
    assert "iconv -f GB18030 -t UTF-8 data/qa.csv" in result.stderr


def test_file_in_utf16(tiny: Path, cli: Run) -> None:
    agents = data(tiny, "agents")
    agents.write_bytes(agents.read_text(encoding="utf-8").encode("utf-16"))
    result = rejected(cli, tiny)
    assert "data/agents.csv:1: file is not UTF-8 text; it looks like UTF-16" in result.stderr
    assert "iconv -f UTF-16 -t UTF-8 data/agents.csv" in result.stderr


def test_semicolon_separated_file(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    qa.write_text(qa.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    result = rejected(cli, tiny)
    assert (
        "data/qa.csv:1: the file looks semicolon-separated; ccrules reads comma-separated CSV"
    ) in result.stderr
    assert len(result.errors) == 1


def test_unknown_column_is_only_a_warning(tiny: Path, cli: Run) -> None:
    agents = data(tiny, "agents")
    rewrite_csv(
        agents, lambda rows: [[*row, "备注" if i == 0 else ""] for i, row in enumerate(rows)]
    )
    col = column_of(agents, "备注")
    result = cli("validate", tiny)
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert (
        f'data/agents.csv:1:{col}: warning: unknown column "备注" is ignored; known columns: '
        "agent_id, name, team_id, role_id, hire_date, status"
    ) in result.stderr
    document = json.loads(cli("validate", tiny, "--json").stdout)
    assert document["ok"] is True
    assert [(w["file"], w["line"], w["column"], w["code"]) for w in document["warnings"]] == [
        ("data/agents.csv", 1, col, "unknown-column")
    ]


def test_utf8_with_bom_loads(tiny: Path, cli: Run) -> None:
    for path in (tiny / "data").iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = cli("validate", tiny)
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "OK. 9 agents in 4 teams" in result.stdout


@pytest.mark.parametrize(
    ("change", "crlf"),
    [
        pytest.param(("QA-孙琪,voice,C0002", '"QA-孙琪\n复核",voice,C0002'), False, id="quoted"),
        pytest.param(
            ("QA-孙琪,voice,C0002", '"QA-孙琪\n复核",voice,C0002'), True, id="quoted-crlf"
        ),
        pytest.param(("C0002\n", "C0002\n\n"), False, id="blank-line"),
        pytest.param(("C0002\n", "C0002\n\n\n"), True, id="blank-lines-crlf"),
    ],
)
def test_lines_are_physical_lines(
    tiny: Path, cli: Run, change: tuple[str, str], crlf: bool
) -> None:
    """A value spanning lines, or blank lines, earlier in the file: each problem still
    names the line the bad row is on, both for values DuckDB cannot read and for checks."""
    qa = data(tiny, "qa")
    before = line_of(qa, "EV010,A4,2026-10-05,I1,6,")
    replace_in(qa, *change)
    replace_in(qa, "EV010,A4,2026-10-05,I1,6,", "EV010,A4,2026-10-05,I1,abc,")
    replace_in(qa, "EV011,A4,", "EV011,A9,")
    cast_line, ref_line = line_of(qa, ",abc,"), line_of(qa, "EV011,A9,")
    assert cast_line > before  # lines and records differ from here on
    if crlf:
        qa.write_bytes(qa.read_bytes().replace(b"\n", b"\r\n"))
    result = rejected(cli, tiny)
    score, agent = column_of(qa, "score"), column_of(qa, "agent_id")
    assert f"data/qa.csv:{cast_line}:{score}: column \"score\": 'abc' is not a number" in (
        result.stderr
    )
    assert f"data/qa.csv:{ref_line}:{agent}: column \"agent_id\": unknown agent_id 'A9'" in (
        result.stderr
    )
    assert len(result.errors) == 2


def _agents_rows(folder: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data(folder, "agents").read_text(encoding="utf-8"))))


def _write_parquet(folder: Path, rows: list[list[str]]) -> Path:
    """data/agents.parquet with these rows (header first), in place of agents.csv."""
    header, body = rows[0], rows[1:]
    columns = ", ".join(f"'{name}'" for name in header)
    values = ", ".join("(" + ", ".join(f"'{v}'" for v in row) + ")" for row in body)
    target = folder / "data" / "agents.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM (VALUES {values}) AS t({columns})) TO '{target}' (FORMAT parquet)"
        )
    data(folder, "agents").unlink()
    return target


def test_parquet_duplicate_names_the_rows(tiny: Path, cli: Run) -> None:
    rows = _agents_rows(tiny)
    first = [row[0] for row in rows[1:]].index("A3") + 1
    rows.append(["A3", "陈晨", "T2", "AG", "2024-01-08", "active"])
    _write_parquet(tiny, rows)
    result = rejected(cli, tiny)
    row = len(rows) - 1
    assert (
        f"data/agents.parquet:{row}:1: duplicate agent_id 'A3' (first at row {first})"
    ) in result.stderr
    assert result.error("data/agents.parquet")["line"] == row


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_row_with_a_bad_value_still_defines_its_key(tiny: Path, cli: Run, kind: str) -> None:
    """qa.csv and kpis.csv rows of agent A3 are not reported as unknown agents when A3's
    own row is dropped for a bad date: one problem, where it is."""
    rows = _agents_rows(tiny)
    index = [row[0] for row in rows].index("A3")
    rows[index][4] = "soon"
    column = rows[0].index("hire_date") + 1
    if kind == "parquet":
        _write_parquet(tiny, rows)
        where = f"data/agents.parquet:{index}:{column}"
    else:
        rewrite_csv(data(tiny, "agents"), lambda _: rows)
        where = f"data/agents.csv:{line_of(data(tiny, 'agents'), ',soon,')}:{column}"
    result = rejected(cli, tiny)
    assert f"{where}: column \"hire_date\": 'soon' is not a date (YYYY-MM-DD)" in result.stderr
    assert len(result.errors) == 1, result.errors


def test_csv_and_parquet_both_present(tiny: Path, cli: Run) -> None:
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{data(tiny, 'agents')}')) "
            f"TO '{tiny / 'data' / 'agents.parquet'}' (FORMAT parquet)"
        )
    result = rejected(cli, tiny)
    assert "data/agents.*: both agents.csv and agents.parquet exist; keep one" in result.stderr
    assert len(result.errors) == 1


def _break_four_files(folder: Path) -> list[str]:
    """One problem in each of four files; their expected locations."""
    qa, courses = data(folder, "qa"), data(folder, "courses")
    agents, competencies = data(folder, "agents"), data(folder, "competencies")
    replace_in(qa, "EV004,A2,2026-10-05,I1,6,", "EV004,A2,2026-10-05,I1,abc,")
    replace_in(courses, "coaching,45,", "coaching,4x5,")
    replace_in(agents, "A3,Emily Chen,T1,", "A3,Emily Chen,团队X,")
    replace_in(competencies, "non-business,attitude", "non-business,skil")
    return [
        f"data/qa.csv:{line_of(qa, ',abc,')}:{column_of(qa, 'score')}: ",
        f"data/courses.csv:{line_of(courses, '4x5')}:{column_of(courses, 'duration_minutes')}: ",
        f"data/agents.csv:{line_of(agents, '团队X')}:{column_of(agents, 'team_id')}: ",
        f"data/competencies.csv:{line_of(competencies, 'skil')}:"
        f"{column_of(competencies, 'kind')}: ",
    ]


def test_every_problem_in_every_file_in_one_run(tiny: Path, cli: Run) -> None:
    places = _break_four_files(tiny)
    result = rejected(cli, tiny)
    for place in places:
        assert place in result.stderr
    assert len(result.errors) == len(places)
    assert len({e["file"] for e in result.errors}) == len(places)
    assert f"\n{len(places)} problems found; nothing was " in result.stderr


def test_max_errors_caps_the_list_and_says_so(tiny: Path, cli: Run) -> None:
    places = _break_four_files(tiny)
    result = rejected(cli, tiny, "--max-errors", "2")
    shown = [place for place in places if place in result.stderr]
    assert len(shown) == 2
    assert "stopped after 2 errors; fix these and run again, or raise --max-errors" in (
        result.stderr
    )
    assert [e["code"] for e in result.errors].count("truncated") == 1
    assert len(result.errors) == 3


def test_many_unknown_tables_are_refused_in_one_scan_and_capped(
    tiny: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10,000 unknown tables once took 851 s: the locator rescanned center.toml per problem
    from ccrules import _toml

    scans: list[int] = []
    keys = _toml._keys

    def counted(text: str) -> Iterator[tuple[tuple[str | int, ...], int]]:
        scans.append(1)
        return keys(text)

    monkeypatch.setattr(_toml, "_keys", counted)
    _toml.key_index.cache_clear()
    with (tiny / "center.toml").open("a", encoding="utf-8") as handle:
        handle.writelines(f"\n[junk{i}]\nx = 1\n" for i in range(5000))
    result = rejected(cli, tiny, "--max-errors", "20")
    assert len(scans) <= 2  # once per command (plan, then validate), not once per problem
    assert [e["code"] for e in result.errors] == ["unknown-key"] * 20 + ["truncated"]
    assert [e["path"] for e in result.errors[:20]] == [f"junk{i}" for i in range(20)]
    first = line_of(tiny / "center.toml", "[junk0]")
    assert [e["line"] for e in result.errors[:3]] == [first, first + 3, first + 6]
    assert len(result.stderr.splitlines()) < 30
    assert "stopped after 20 errors" in result.stderr


def test_validate_json_fields(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    replace_in(qa, "EV004,A2,2026-10-05,I1,6,", "EV004,A2,2026-10-05,I1,abc,")
    result = cli("validate", tiny, "--json")
    assert result.exit_code == 2
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "ok": False,
        "errors": [
            {
                "file": "data/qa.csv",
                "line": line_of(qa, ",abc,"),
                "column": column_of(qa, "score"),
                "path": "score",
                "message": "column \"score\": 'abc' is not a number",
                "severity": "error",
                "code": "wrong-type",
            }
        ],
        "warnings": [],
    }


def test_validate_text_says_the_same_as_plan(tiny: Path, cli: Run) -> None:
    _break_four_files(tiny)
    plan, check = cli("plan", tiny), cli("validate", tiny)
    assert plan.exit_code == check.exit_code == 2
    assert plan.stdout == check.stdout == ""
    assert plan.stderr == check.stderr
    assert written(tiny) == []


def test_a_failed_run_keeps_the_previous_plan_and_history(
    tiny: Path, cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    assert cli("plan", tiny, "--out", out).exit_code == 0

    def files() -> dict[Path, bytes]:
        paths = [p for p in tmp_path.rglob("*") if p.is_file() and "data" not in p.parts]
        return {path: path.read_bytes() for path in paths}

    before = files()
    assert out in before
    assert any(".ccrules" in path.parts for path in before)
    replace_in(data(tiny, "qa"), "EV004,A2,", "EV004,A9,")
    failed = cli("plan", tiny, "--out", out)
    _clean(failed)
    assert failed.exit_code == 2
    assert files() == before


# Names as a center in each region writes them, enough of them for the encoding to be told.
_REGIONAL_NAMES = {
    "big5": "陳志明 林淑芬 黃建國 張雅婷 李國華 吳美玲 蔡宗翰 鄭惠如 許家豪",
    "shift_jis": "佐藤さくら 鈴木一郎 高橋みさき 田中健太 伊藤なおき 渡辺ゆみ 山本翔太 "
    "中村あいこ 小林まこと",
    "euc_kr": "김민준 이서연 박지훈 최수빈 정예린 강동현 조하은 윤성민 장지우",
    "gb18030": "王建国 李晓梅 张伟 刘洋 陈静 杨帆 赵磊 黄敏 周晓东",
    "utf-16-le": "王建国 李晓梅 张伟 刘洋 陈静 杨帆 赵磊 黄敏 周晓东",
    "utf-16-be": "佐藤花子 鈴木一郎 高橋美咲 田中健太 伊藤直樹 渡辺由美 山本翔太 中村愛子 小林誠",
}


@pytest.mark.parametrize(
    ("encoding", "named", "iconv"),
    [
        ("big5", "Big5", "BIG5-HKSCS"),
        ("shift_jis", "Shift-JIS", "CP932"),
        ("euc_kr", "EUC-KR", "CP949"),
        ("gb18030", "GBK/GB18030", "GB18030"),
        ("utf-16-le", "UTF-16LE", "UTF-16LE"),
        ("utf-16-be", "UTF-16BE", "UTF-16BE"),
    ],
)
def test_file_in_a_regional_encoding_is_named_for_it(
    tiny: Path, cli: Run, encoding: str, named: str, iconv: str
) -> None:
    agents = data(tiny, "agents")
    with agents.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row, name in zip(rows[1:], _REGIONAL_NAMES[encoding].split(), strict=True):
        row[1] = name
    text = "".join(",".join(row) + "\n" for row in rows)
    agents.write_bytes(text.encode(encoding))
    assert text.encode(encoding).decode(iconv) == text  # what iconv is told converts it back
    result = rejected(cli, tiny)
    assert re.search(
        rf"^data/agents.csv:[12]: file is not UTF-8 text; it looks like {re.escape(named)} \(",
        result.stderr,
        re.M,
    ), result.stderr
    assert f"`iconv -f {iconv} -t UTF-8 data/agents.csv > fixed.csv`" in result.stderr
    assert len(result.errors) == 1


def _bytes_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _put_nul(path: Path, after: str) -> tuple[int, int]:
    """Put a NUL byte into the value that starts with ``after``; its line and column."""
    line = line_of(path, after)
    fields = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[line - 1]]))
    column = next(number for number, value in enumerate(fields, start=1) if after in value)
    replace_in(path, after, after[:1] + "\0" + after[1:])
    return line, column


def test_nul_byte_in_a_value(tiny: Path, cli: Run) -> None:
    line, column = _put_nul(data(tiny, "agents"), "李娜")
    before = _bytes_under(tiny)
    result = rejected(cli, tiny)
    assert f"data/agents.csv:{line}:{column}: a NUL byte" in result.stderr
    assert "Export it again, or remove the NUL bytes" in result.stderr
    assert result.error("data/agents.csv")["code"] == "nul-byte"
    assert len(result.errors) == 1
    assert _bytes_under(tiny) == before


def test_nul_bytes_in_two_files_each_named(tiny: Path, cli: Run) -> None:
    """Each file is blamed for its own NUL, at its own line and column."""
    places = {
        "data/agents.csv": _put_nul(data(tiny, "agents"), "李娜"),
        "data/qa.csv": _put_nul(data(tiny, "qa"), "QA-孙琪"),
    }
    before = _bytes_under(tiny)
    result = rejected(cli, tiny)
    for file, (line, column) in places.items():
        error = result.error(file)
        assert (error["line"], error["column"], error["code"]) == (line, column, "nul-byte")
    assert len(result.errors) == 2
    assert _bytes_under(tiny) == before


def test_nul_byte_far_into_a_big_file(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    rows = "".join(f"EX{n:05d},A1,2026-10-05,I1,9,10,QA-Sun,voice,\n" for n in range(30000))
    qa.write_text(qa.read_text(encoding="utf-8") + rows, encoding="utf-8")
    line = append_line(qa, "EX99999,A1,2026-10-05,I1,9,10,QA-\0Sun,voice,")
    assert qa.stat().st_size > 1 << 20
    result = rejected(cli, tiny)
    error = result.error("data/qa.csv")
    assert (error["line"], error["column"]) == (line, column_of(qa, "evaluator"))


def test_data_file_linked_out_of_the_folder_is_refused_unread(tiny: Path, cli: Run) -> None:
    """A link out of the center is refused before it is read: nothing of the file it points
    to is planned from or printed."""
    secret = tiny.parent / "secret.txt"
    secret.write_text("root-secret-line,x:0:0\n", encoding="utf-8")
    qa = data(tiny, "qa")
    qa.unlink()
    qa.symlink_to(secret)
    before = _bytes_under(tiny)
    result = rejected(cli, tiny)
    assert "data/qa.csv: this file is a link to a file outside the center folder" in result.stderr
    assert "allow_outside = true under [evidence]" in result.stderr
    assert result.error("data/qa.csv")["code"] == "outside-folder"
    assert len(result.errors) == 1
    check = cli("validate", tiny)
    assert "root-secret" not in result.stderr + json.dumps(result.errors) + check.stderr
    assert _bytes_under(tiny) == before


def test_data_folder_linked_out_of_the_center_is_refused(tiny: Path, cli: Run) -> None:
    outside = tiny.parent / "elsewhere"
    (tiny / "data").rename(outside)
    (tiny / "data").symlink_to(outside)
    result = rejected(cli, tiny)
    assert {e["code"] for e in result.errors} == {"outside-folder"}
    assert result.error("data/agents.csv")


def test_links_inside_the_folder_are_read(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    (tiny / "archive").mkdir()
    qa.rename(tiny / "archive" / "qa.csv")
    qa.symlink_to(Path("..") / "archive" / "qa.csv")
    result = cli("validate", tiny)
    assert result.exit_code == 0, result.stderr


def test_links_out_of_the_folder_when_allowed(tiny: Path, cli: Run) -> None:
    qa = data(tiny, "qa")
    outside = tiny.parent / "qa-export.csv"
    qa.rename(outside)
    qa.symlink_to(outside)
    append_line(toml(tiny), "\n[evidence]\nallow_outside = true")
    result = cli("validate", tiny)
    assert result.exit_code == 0, result.stderr
