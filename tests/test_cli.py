"""The CLI: what goes to stdout and what to stderr, exit codes, and what it writes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result
from tests.conftest import append_line, replace_in

import ccrules
from ccrules import Stage, hookspecs, plan_schema

Run = Callable[..., Result]


def test_version(cli: Run) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ccrules, version {ccrules.__version__}\n"


def test_help_documents_exit_codes(cli: Run) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for line in ("0  success", "1  runtime failure", "2  bad usage or bad input"):
        assert line in result.stdout


def test_python_dash_m(tiny: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ccrules", "validate", str(tiny)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "OK. 9 agents in 4 teams" in result.stdout


def test_validate_ok(tiny: Path, cli: Run) -> None:
    result = cli("validate", tiny)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "OK. 9 agents in 4 teams, 3 competencies, 5 courses, 2 trainers" in result.stdout
    assert not (tiny / ".ccrules").exists()


def test_validate_json_ok(tiny: Path, cli: Run) -> None:
    result = cli("validate", tiny, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "errors": [], "warnings": []}


def test_usage_error_exits_2(cli: Run) -> None:
    result = cli("plan")
    assert result.exit_code == 2
    assert "Missing argument 'DIR'" in result.stderr
    assert result.stdout == ""


def test_plan_summary_and_history(tiny: Path, cli: Run) -> None:
    result = cli("plan", tiny)
    assert result.exit_code == 0, result.stderr
    assert "Plan for Tiny 小中心 (inhouse), cycle 2026-W49" in result.stdout
    assert "Needs: 6 (kpi 1, qa 5); planned 6, deferred 0" in result.stdout
    assert "合规晨会分享 [K1-01]  team Alpha 一组, 3 agent(s); trainer 王建国 (team-lead)" in (
        result.stdout
    )
    assert "recorded as revision 1 (draft) of cycle 2026-W49" in result.stderr
    assert "recorded" not in result.stdout

    again = cli("plan", tiny)
    assert "unchanged since revision 1" in again.stderr

    replace_in(tiny / "center.toml", "threshold = 10", "threshold = 12")
    changed = cli("plan", tiny)
    assert "recorded as revision 2 (draft) of cycle 2026-W49" in changed.stderr
    with closing(sqlite3.connect(tiny / ".ccrules" / "history.sqlite")) as con:
        revisions = con.execute("SELECT cycle_id, revision FROM revisions ORDER BY 2").fetchall()
        decisions = con.execute(
            "SELECT kind, rule, plugin FROM decisions WHERE revision = 1 AND subject_id = ?",
            ("qa:A5:C2",),
        ).fetchall()
    assert revisions == [("2026-W49", 1), ("2026-W49", 2)]
    assert ("need", "needs.competency-gap", "default") in decisions
    assert ("priority", "priorities.rank", "default") in decisions


def test_plan_json_is_valid_and_byte_identical(tiny: Path, cli: Run) -> None:
    first = cli("plan", tiny, "--json", "--no-history")
    second = cli("plan", tiny, "--json", "--no-history")
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    document = json.loads(first.stdout)
    jsonschema.validate(document, plan_schema())
    assert document["format"] == "ccrules.plan/1"
    assert "刘洋" not in first.stdout  # ids, not names: the plan is data
    assert not (tiny / ".ccrules").exists()


def test_plan_out_writes_the_file(tiny: Path, cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "plans" / "w49.json"
    result = cli("plan", tiny, "--out", out, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["cycle"]["id"] == "2026-W49"
    assert f"plan written to {out}" in result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["w49.json"]  # no temp file left


def test_plan_trace(tiny: Path, cli: Run) -> None:
    result = cli("plan", tiny, "--no-history", "--trace")
    traced = [line for line in result.stderr.splitlines() if line.startswith("trace: ")]
    assert any(line.startswith("trace: ccrules_needs [default]") for line in traced)
    assert any(line.startswith("trace: ccrules_schedule [default]") for line in traced)


def test_plan_other_cycle(tiny: Path, cli: Run) -> None:
    earlier = '[[cycles]]\nid = "2026-W47"\nstart = 2026-11-16\nend = 2026-11-20\n\n'
    replace_in(tiny / "center.toml", "[plugins]\n", earlier + "[plugins]\n")
    latest = json.loads(cli("plan", tiny, "--json", "--no-history").stdout)["cycle"]
    assert latest["id"] == "2026-W49"  # the cycle that starts last, by default
    result = cli("plan", tiny, "--cycle", "2026-W47", "--json", "--no-history")
    assert result.exit_code == 0, result.stderr
    cycle = json.loads(result.stdout)["cycle"]
    assert (cycle["id"], cycle["start"], cycle["evidence_to"], cycle["evidence_from"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-15",
        "2026-08-18",
    )


def test_explain_text(tiny: Path, cli: Run) -> None:
    result = cli("explain", tiny, "A5")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("刘洋 (A5), team Alpha 一组, role 坐席 Agent")
    assert "needs.competency-gap (default 0.1.0): QA 20 on 同理心 Empathy is 55 below" in out
    assert "qa_score = 20.0  [competency_scores <- data/qa.csv]" in out
    assert "K2-01: 同理心一对一 (coaching, 45 min)" in out
    assert "trainer: trainers.qualified (default 0.1.0): 周老师 (full-time)" in out
    assert "time: schedule.service-floor (default 0.1.0): Mon 2026-11-30" in out
    assert not (tiny / ".ccrules").exists()


def test_explain_json(tiny: Path, cli: Run) -> None:
    result = cli("explain", tiny, "A2", "--json")
    data = json.loads(result.stdout)
    assert data["agent"]["name"] == "李娜"
    (need,) = data["needs"]
    assert need["id"] == "qa:A2:C1"
    assert need["priority_decision"]["status"] == "planned"
    (session,) = data["sessions"]
    assert session["format"] == "pre-shift" and session["trainer_id"] == "TR2"
    assert {r["rule"] for r in session["slot_reasons"]} == {"schedule.service-floor"}


def test_explain_unknown_agent(tiny: Path, cli: Run) -> None:
    result = cli("explain", tiny, "A9")
    assert result.exit_code == 2
    assert "data/agents.csv: unknown agent 'A9'. Did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_a_rule_lists_its_decisions(tiny: Path, cli: Run) -> None:
    result = cli("explain", tiny, "--rule", "needs.competency-gap")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("needs.competency-gap: An agent whose QA score")
    assert "need (5)" in out
    assert "qa:A2:C1: needs.competency-gap (default 0.1.0): QA 60 on 合规 Compliance" in out
    assert "    threshold = 10.0  [plugins.default.gaps.threshold]" in out  # facts of the first
    assert "qa:A5:C2: QA 20 on 同理心 Empathy" in out  # the text of later ones
    data = json.loads(cli("explain", tiny, "--rule", "schedule.service-floor", "--json").stdout)
    assert {d["on"] for d in data["decisions"]} == {"time"}
    assert all(d["reason"]["rule"] == "schedule.service-floor" for d in data["decisions"])
    quiet = cli("explain", tiny, "--rule", "needs.carried")
    assert "No decision by this rule in this plan" in quiet.stdout


def test_explain_needs_an_agent_or_a_known_rule(tiny: Path, cli: Run) -> None:
    neither = cli("explain", tiny)
    assert neither.exit_code == 2 and "give an AGENT_ID or --rule" in neither.stderr
    unknown = cli("explain", tiny, "--rule", "courses.team")
    assert unknown.exit_code == 2
    assert "no enabled plugin declares rule 'courses.team'. Did you mean" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_explain_recorded_revision(tiny: Path, cli: Run) -> None:
    assert cli("plan", tiny, "--quiet").exit_code == 0
    replace_in(tiny / "center.toml", "threshold = 10", "threshold = 30")
    now = cli("explain", tiny, "A2")
    recorded = cli("explain", tiny, "A2", "--revision", "1")
    assert "Needs (0)" in now.stdout
    assert "qa:A2:C1" in recorded.stdout
    missing = cli("explain", tiny, "A2", "--revision", "7")
    assert missing.exit_code == 2 and "no revision 7" in missing.stderr


def test_plugins_lists_the_default_pack(cli: Run) -> None:
    result = cli("plugins", "--json")
    assert result.exit_code == 0
    (default,) = [p for p in json.loads(result.stdout) if p["name"] == "default"]
    assert default["version"] == ccrules.__version__
    assert default["distribution"] == "ccrules"
    assert "ccrules_needs" in default["hooks"]
    assert default["enabled"] is None


def test_plugins_for_a_center_show_the_effective_call_order(cli: Run, tiny: Path) -> None:
    replace_in(
        tiny / "center.toml", 'enabled = ["default"]', 'enabled = ["healthy-mix", "default"]'
    )
    text = cli("plugins", tiny).stdout
    assert text.index("healthy-mix ") < text.index("default ") < text.index("bpo ")
    assert "    ccrules_prioritize  2 of 2: healthy-mix (wrapper) > default\n" in text
    assert "    ccrules_needs  1 of 2: healthy-mix > default\n" in text
    rows = {r["name"]: r for r in json.loads(cli("plugins", tiny, "--json").stdout)}
    assert rows["default"]["call_order"]["ccrules_needs"] == ["healthy-mix", "default"]
    assert rows["bpo"]["call_order"] == {}
    replace_in(tiny / "center.toml", '"healthy-mix", "default"', '"default", "healthy-mix"')
    assert "ccrules_needs  1 of 2: default > healthy-mix" in cli("plugins", tiny).stdout


def test_hooks_shows_all_stages_in_loop_order(cli: Run, tiny: Path) -> None:
    result = cli("hooks", tiny, "--json")
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == list(hookspecs.HOOK_STAGES)
    stages = [r["stage"] for r in rows]
    order = [str(stage) for stage in Stage]  # loop order; tests/test_docs.py pins the eight
    assert sorted(set(stages), key=order.index) == order
    assert stages == sorted(stages, key=order.index)
    by_name = {r["name"]: r for r in rows}
    assert by_name["ccrules_prioritize"]["kind"] == "deciding"
    assert by_name["ccrules_needs"]["kind"] == "collecting"
    assert [i["plugin"] for i in by_name["ccrules_needs"]["implementations"]] == ["default"]


def test_rules(cli: Run, tiny: Path) -> None:
    result = cli("rules", tiny, "--json")
    ids = {(r["plugin"], r["id"]) for r in json.loads(result.stdout)}
    assert ("default", "needs.competency-gap") in ids
    text = cli("rules").stdout
    assert "default/schedule.service-floor  (schedule)  [seed 001]" in text


def test_schema_plan(cli: Run) -> None:
    result = cli("schema", "plan")
    assert json.loads(result.stdout) == plan_schema()
    jsonschema.Draft202012Validator.check_schema(plan_schema())


def test_progress_is_silent_when_stderr_is_not_a_terminal(tiny: Path, cli: Run) -> None:
    result = cli("plan", tiny, "--no-history")
    assert result.stderr == ""


def test_plugin_settings_that_are_not_a_table(tiny: Path, cli: Run) -> None:
    config = tiny / "center.toml"
    head = config.read_text(encoding="utf-8").split("[plugins]")[0]
    config.write_text(head + '[plugins]\nenabled = ["default"]\ndefault = 5\n', encoding="utf-8")
    result = cli("validate", tiny)
    assert result.exit_code == 2
    assert "plugins.default: plugin settings must be a table" in result.stderr
    assert "not iterable" not in result.stderr and "Traceback" not in result.stderr


def test_problems_come_sorted_by_file_then_line(tiny: Path, cli: Run) -> None:
    qa = tiny / "data" / "qa.csv"
    lines = qa.read_text(encoding="utf-8").splitlines()
    lines[20] = lines[20].replace(",QA-孙琪,", ",,")  # empty evaluator, a later check
    lines[5] = lines[5].replace(",10,QA", ",x,QA")  # not a number, found at load
    qa.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", tiny)
    located = [
        line.split(": ")[0] for line in result.stderr.splitlines() if line.startswith("data/")
    ]
    assert located == ["data/qa.csv:6:6", "data/qa.csv:21:7"]


def test_max_errors_counts_only_real_problems(tiny: Path, cli: Run) -> None:
    qa = tiny / "data" / "qa.csv"
    text = qa.read_text(encoding="utf-8").replace(",QA-孙琪,", ",,")
    qa.write_text(text, encoding="utf-8")
    result = cli("validate", tiny, "--max-errors", "2")
    assert result.exit_code == 2
    assert "stopped after 2 errors" in result.stderr
    assert "2 problems found; nothing was written." in result.stderr


def test_explain_old_revision_after_the_catalogue_changed(tiny: Path, cli: Run) -> None:
    assert cli("plan", tiny, "--quiet").exit_code == 0
    replace_in(tiny / "data" / "courses.csv", "K2,同理心一对一", "K2X,同理心一对一")
    result = cli("explain", tiny, "A5", "--revision", "1")
    assert result.exit_code == 0, result.stderr
    assert "K2-01: K2 (coaching, 45 min)" in result.stdout  # the id stands in for the title


def test_plan_out_file_is_readable_by_others(tiny: Path, cli: Run, tmp_path: Path) -> None:
    import os

    out = tmp_path / "plan.json"
    umask = os.umask(0o022)
    try:
        assert cli("plan", tiny, "--out", out, "--no-history").exit_code == 0
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------------------------
# a plugin that escapes from a hook: exit 1 (130 for Ctrl-C), plugin and hook named, nothing
# written

ESCAPER = """
import os

import ccrules


class Escape(BaseException):
    pass


KINDS = {
    "exit0": lambda: SystemExit(0),
    "exit3": lambda: SystemExit(3),
    "custom": lambda: Escape("out of here"),
    "generator": lambda: GeneratorExit(),
    "ctrl-c": lambda: KeyboardInterrupt(),
    "memory": lambda: MemoryError(),
    "threads": lambda: RuntimeError("can't start new thread"),
    "disk": lambda: OSError(28, "No space left on device"),
}


@ccrules.hookimpl
def ccrules_needs(center):
    raise KINDS[os.environ["ESCAPE_KIND"]]()
"""


@pytest.fixture
def installed_escaper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A distribution 'ccrules-escaper' whose ``ccrules_needs`` escapes as $ESCAPE_KIND says."""
    site = tmp_path / "site"
    info = site / "ccrules_escaper-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ccrules-escaper\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[ccrules]\nescaper = escaper_plugin\n")
    (site / "escaper_plugin.py").write_text(ESCAPER)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "escaper_plugin", raising=False)


@pytest.mark.parametrize(
    ("kind", "named", "code"),
    [
        ("exit0", "SystemExit: 0", 1),
        ("exit3", "SystemExit: 3", 1),
        ("custom", "Escape: out of here", 1),
        ("generator", "GeneratorExit", 1),
        ("ctrl-c", "interrupted while plugin 'escaper' ran ccrules_needs", 130),
    ],
)
def test_a_hook_that_escapes_is_a_plugin_failure(
    tiny: Path,
    cli: Run,
    installed_escaper: None,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    named: str,
    code: int,
) -> None:
    monkeypatch.setenv("ESCAPE_KIND", kind)
    replace_in(tiny / "center.toml", 'enabled = ["default"]', 'enabled = ["default", "escaper"]')
    before = sorted(p for p in tiny.rglob("*"))
    result = cli("plan", tiny)
    assert result.exit_code == code
    assert result.stdout == ""
    assert named in result.stderr
    assert "'escaper'" in result.stderr
    assert "ccrules_needs" in result.stderr
    assert "Nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p for p in tiny.rglob("*")) == before


@pytest.mark.parametrize(
    ("kind", "what", "advice"),
    [
        ("memory", "memory", "Lower memory_limit or threads under [evidence]"),
        ("threads", "threads", "Set threads under [evidence] in center.toml to a smaller"),
        ("disk", "disk space", "Free disk space in the temporary folder (TMPDIR)"),
    ],
)
def test_a_machine_that_runs_out_is_named_not_called_a_bug(
    tiny: Path,
    cli: Run,
    installed_escaper: None,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    what: str,
    advice: str,
) -> None:
    monkeypatch.setenv("ESCAPE_KIND", kind)
    replace_in(tiny / "center.toml", 'enabled = ["default"]', 'enabled = ["default", "escaper"]')
    before = sorted(p for p in tiny.rglob("*"))
    result = cli("plan", tiny)
    assert result.exit_code == 1
    assert result.stdout == ""
    first, second = result.stderr.splitlines()
    assert first.startswith(f"ran out of {what}: plugin 'escaper' failed in ccrules_needs: ")
    assert first.endswith("Nothing was written.")
    assert second.startswith(advice)
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(p for p in tiny.rglob("*")) == before


@pytest.mark.parametrize("where", ["connect", "threads"])
def test_duckdb_out_of_memory_is_not_blamed_on_a_setting(
    tiny: Path, cli: Run, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import duckdb

    import ccrules._engine

    real = duckdb.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        if where == "connect":
            raise duckdb.OutOfMemoryException("Out of Memory Error: Allocation failure")
        con = real(*args, **kwargs)

        class Refusing:
            def execute(self, sql: str) -> Any:
                if sql.startswith("SET threads"):
                    raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")
                return con.execute(sql)

            def close(self) -> None:
                con.close()

        return Refusing()

    monkeypatch.setattr(ccrules._engine.duckdb, "connect", connect)
    if where == "threads":
        append_line(tiny / "center.toml", "[evidence]")
        append_line(tiny / "center.toml", "threads = 2")
    result = cli("plan", tiny)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("ran out of memory: OutOfMemoryException: Out of Memory")
    assert "refused" not in result.stderr
    assert not (tiny / ".ccrules").exists()


def test_plan_lists_the_first_sessions_and_counts_the_rest(
    tiny: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ccrules.cli

    everything = cli("plan", tiny, "--no-history", "--all").stdout
    listed = [line for line in everything.splitlines() if "[K" in line and "trainer" in line]
    assert len(listed) == 4
    # with a list limit of 3: three sessions, and the fourth counted
    monkeypatch.setattr(ccrules.cli, "LIST_ROWS", 3)
    capped = cli("plan", tiny, "--no-history").stdout
    assert [line for line in capped.splitlines() if line in listed] == listed[:3]
    assert "  ... 1 more sessions (--all lists them; --json for the data)" in capped
    assert "more sessions" not in everything
