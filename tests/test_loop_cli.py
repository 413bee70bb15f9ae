"""The loop from the command line: approve, evaluate, history, replanning an approved plan,
bad outcomes, and crash safety of the history (a kill at any point changes nothing)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import append_line, replace_in, use_store

from ccrules._history import History

Run = Callable[..., Result]


def _outcomes(folder: Path, cycle: str = "2026-W49") -> list[str]:
    """Write data/outcomes.csv for the approved plan: everyone attended, passed, rated 4."""
    found = History.open(folder).approved(cycle)
    assert found is not None
    _, plan = found
    rows = ["cycle_id,session_id,agent_id,attended,post_score,satisfaction"]
    for session in plan.sessions:
        for agent in session.attendees:
            rows.append(f"{cycle},{session.id},{agent},true,90,4")
    (folder / "data" / "outcomes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return rows


@pytest.fixture
def approved(tiny: Path, cli: Run) -> Path:
    return _approved(tiny, cli)


def _approved(tiny: Path, cli: Run) -> Path:
    assert cli("plan", tiny, "-q").exit_code == 0
    result = cli("approve", tiny, "--cycle", "2026-W49", "--by", "王芳")
    assert result.exit_code == 0, result.stderr
    _outcomes(tiny)
    return tiny


def test_approve_records_who_and_when(tiny: Path, cli: Run) -> None:
    cli("plan", tiny, "-q")
    result = cli("approve", tiny, "--cycle", "2026-W49", "--by", "王芳")
    assert result.exit_code == 0, result.stderr
    assert "approved revision 1 of cycle 2026-W49 (by 王芳" in result.stdout
    again = cli("approve", tiny, "--cycle", "2026-W49", "--by", "李强")
    assert again.exit_code == 0
    assert "already approved by 王芳" in again.stdout
    (revision,) = History(tiny).revisions("2026-W49")
    assert (revision.status, revision.approved_by) == ("approved", "王芳")
    assert revision.approved_at is not None


def test_approve_without_a_plan_or_cycle_exits_2(tiny: Path, cli: Run) -> None:
    result = cli("approve", tiny, "--cycle", "2026-W49", "--by", "王芳")
    assert result.exit_code == 2
    assert "no plan of cycle 2026-W49 is recorded; run `ccrules plan" in result.stderr
    unknown = cli("approve", tiny, "--cycle", "2026-W99", "--by", "王芳")
    assert unknown.exit_code == 2
    assert "no cycle '2026-W99'" in unknown.stderr
    assert not (tiny / ".ccrules").exists()


def test_approved_plan_is_replanned_only_with_a_reason(approved: Path, cli: Run) -> None:
    before = History(approved).dump()
    replace_in(approved / "center.toml", "threshold = 10", "threshold = 12")
    refused = cli("plan", approved, "-q")
    assert refused.exit_code == 2
    assert "has an approved plan (revision 1, approved by 王芳" in refused.stderr
    assert '--reason "why"' in refused.stderr
    assert History(approved).dump() == before

    replanned = cli("plan", approved, "-q", "--reason", "trainer 王建国 is ill")
    assert replanned.exit_code == 0, replanned.stderr
    assert "recorded as revision 2 (draft)" in replanned.stderr
    revisions = History(approved).revisions("2026-W49")
    assert [(r.revision, r.status, r.reason) for r in revisions] == [
        (1, "approved", None),
        (2, "draft", "trainer 王建国 is ill"),
    ]
    # the approved revision stays the one evaluated until the new one is approved
    found = History(approved).approved("2026-W49")
    assert found is not None and found[0].revision == 1
    assert cli("approve", approved, "--cycle", "2026-W49", "--by", "李强").exit_code == 0
    statuses = [r.status for r in History(approved).revisions("2026-W49")]
    assert statuses == ["superseded", "approved"]


def test_a_draft_is_replanned_freely(tiny: Path, cli: Run) -> None:
    cli("plan", tiny, "-q")
    replace_in(tiny / "center.toml", "threshold = 10", "threshold = 12")
    result = cli("plan", tiny, "-q")
    assert result.exit_code == 0, result.stderr
    assert [r.status for r in History(tiny).revisions()] == ["draft", "draft"]


def test_evaluate_needs_an_approved_plan(tiny: Path, cli: Run) -> None:
    none = cli("evaluate", tiny, "--cycle", "2026-W49")
    assert none.exit_code == 2
    assert "no plan of cycle 2026-W49 is recorded" in none.stderr
    cli("plan", tiny, "-q")
    before = History(tiny).dump()
    draft = cli("evaluate", tiny, "--cycle", "2026-W49")
    assert draft.exit_code == 2
    assert "is a draft (revision 1)" in draft.stderr
    assert "ccrules approve" in draft.stderr
    assert History(tiny).dump() == before


def test_evaluate_records_a_review_once(approved: Path, cli: Run) -> None:
    result = cli("evaluate", approved, "--cycle", "2026-W49")
    assert result.exit_code == 0, result.stderr
    assert "Review of cycle 2026-W49" in result.stdout
    assert "recorded as review 1 of cycle 2026-W49" in result.stderr
    after_first = History(approved).dump()
    again = cli("evaluate", approved, "--cycle", "2026-W49")
    assert again.exit_code == 0, again.stderr
    assert "unchanged since review 1" in again.stderr
    assert History(approved).dump() == after_first
    review = History(approved).review("2026-W49")
    assert review is not None and review.plan_revision == 1
    # every need of the plan is decided: passed needs close
    assert review.carried and all(c.status == "closed" for c in review.carried)


def test_evaluate_json_is_byte_identical(approved: Path, cli: Run) -> None:
    first = cli("evaluate", approved, "--cycle", "2026-W49", "--json")
    second = cli("evaluate", approved, "--cycle", "2026-W49", "--json")
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    document = json.loads(first.stdout)
    assert document["format"] == "ccrules.review/1"
    assert document["cycle"]["id"] == "2026-W49"


def test_history_lists_revisions_and_reviews(approved: Path, cli: Run) -> None:
    cli("evaluate", approved, "--cycle", "2026-W49")
    result = cli("history", approved, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (cycle,) = data["cycles"]
    assert cycle["cycle"] == "2026-W49"
    assert [r["status"] for r in cycle["revisions"]] == ["approved"]
    assert cycle["revisions"][0]["approved_by"] == "王芳"
    assert cycle["revisions"][0]["digest"].startswith("sha256:")
    assert [r["review"] for r in cycle["reviews"]] == [1]
    text = cli("history", approved)
    assert "plan revision 1" in text.stdout and "approved by 王芳" in text.stdout
    assert "review 1" in text.stdout


def test_history_of_a_new_center(tiny: Path, cli: Run) -> None:
    result = cli("history", tiny)
    assert result.exit_code == 0
    assert "no history yet" in result.stdout


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("2026-W49,NOPE-1,A1,true,90,4", 2, "session NOPE-1 is not in the approved plan"),
        ("2026-W49,{session},A9,true,90,4", 3, "unknown"),
        ("2026-W49,{session},A6,false,80,", 4, "did not attend"),
        ("2026-W49,{session},A6,true,90,7", 6, "satisfaction"),
        ("2026-W49,{session},A6,maybe,90,4", 4, "true or false"),
    ],
)
def test_bad_outcomes_exit_2_with_file_line_and_write_nothing(
    approved: Path, cli: Run, row: str, column: int, message: str
) -> None:
    found = History(approved).approved("2026-W49")
    assert found is not None
    plan = found[1]
    # a session A6 does not sit in, for the "not seated" case
    session = next(s.id for s in plan.sessions if "A6" not in s.attendees)
    if "A6" in row:
        # A6 must be a real agent not seated in that session
        assert "A6" not in next(s for s in plan.sessions if s.id == session).attendees
    path = approved / "data" / "outcomes.csv"
    line = append_line(path, row.format(session=session))
    before = History(approved).dump()
    result = cli("evaluate", approved, "--cycle", "2026-W49")
    assert result.exit_code == 2, result.stdout
    assert f"data/outcomes.csv:{line}:{column}" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert History(approved).dump() == before


def test_an_attendee_the_session_did_not_seat_is_refused(approved: Path, cli: Run) -> None:
    found = History(approved).approved("2026-W49")
    assert found is not None
    plan = found[1]
    session = plan.sessions[0]
    outsider = next(
        a for a in sorted(("A1", "A2", "A3", "A4", "A5", "A6")) if a not in session.attendees
    )
    line = append_line(
        approved / "data" / "outcomes.csv", f"2026-W49,{session.id},{outsider},true,,"
    )
    result = cli("evaluate", approved, "--cycle", "2026-W49")
    assert result.exit_code == 2
    assert f"data/outcomes.csv:{line}:3" in result.stderr
    assert f"agent {outsider} was not seated in session {session.id}" in result.stderr


def test_no_outcomes_file_or_rows_is_a_clear_error(approved: Path, cli: Run) -> None:
    path = approved / "data" / "outcomes.csv"
    path.write_text(
        "cycle_id,session_id,agent_id,attended,post_score,satisfaction\n", encoding="utf-8"
    )
    empty = cli("evaluate", approved, "--cycle", "2026-W49")
    assert empty.exit_code == 2
    assert "no rows for cycle 2026-W49" in empty.stderr
    path.unlink()
    missing = cli("evaluate", approved, "--cycle", "2026-W49")
    assert missing.exit_code == 2
    assert "no outcomes file" in missing.stderr
    assert History(approved).review("2026-W49") is None


def test_outcomes_do_not_change_the_plan_digest(approved: Path, cli: Run) -> None:
    # outcomes are read by evaluate only: planning again after adding them is unchanged
    result = cli("plan", approved, "-q")
    assert result.exit_code == 0, result.stderr
    assert "unchanged since revision 1 (approved)" in result.stderr


# -- a kill at any point leaves the history as it was -----------------------------------------

_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    import ccrules._engine as engine
    import ccrules._history as history
    from ccrules.cli import main

    where = os.environ["KILL_AT"]
    if where.startswith("stage:"):
        stage = where.split(":", 1)[1]
        original = engine.Engine._stage

        def _stage(self, which, run):
            if str(which) == stage:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(self, which, run)

        engine.Engine._stage = _stage
    elif where.startswith("write:"):
        name = where.split(":", 1)[1]
        rows = getattr(history, name)

        def dying(*args):
            for count, row in enumerate(rows(*args)):
                if count == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield row

        setattr(history, name, dying)
    sys.exit(main(sys.argv[1:]))
    """
)


def _run_killed(folder: Path, where: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KILL_AT": where}
    return subprocess.run(
        [sys.executable, "-c", _KILLER, *args, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("where", ["stage:needs", "stage:schedule", "write:_decision_rows"])
def test_a_kill_during_plan_leaves_history_unchanged(
    tiny: Path, cli: Run, where: str, store: str
) -> None:
    approved = _approved(use_store(tiny, store), cli)
    replace_in(approved / "center.toml", "threshold = 10", "threshold = 12")
    before = History.open(approved).dump()
    assert before
    killed = _run_killed(approved, where, "plan", "-q", "--reason", "new threshold")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert History.open(approved).dump() == before
    rerun = cli("plan", approved, "-q", "--reason", "new threshold")
    assert rerun.exit_code == 0, rerun.stderr
    assert "recorded as revision 2" in rerun.stderr


@pytest.mark.parametrize("where", ["stage:evaluation", "stage:close", "write:_review_rows"])
def test_a_kill_during_evaluate_leaves_history_unchanged(
    tiny: Path, cli: Run, where: str, store: str
) -> None:
    approved = _approved(use_store(tiny, store), cli)
    before = History.open(approved).dump()
    killed = _run_killed(approved, where, "evaluate", "--cycle", "2026-W49")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert History.open(approved).dump() == before
    rerun = cli("evaluate", approved, "--cycle", "2026-W49")
    assert rerun.exit_code == 0, rerun.stderr
    assert "recorded as review 1" in rerun.stderr


def test_a_kill_during_the_first_write_leaves_no_history(tiny: Path, cli: Run, store: str) -> None:
    use_store(tiny, store)
    killed = _run_killed(tiny, "write:_decision_rows", "plan", "-q")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert History.open(tiny).dump() == []  # no table, no row: as before the command
    assert History.open(tiny).revisions() == []
    rerun = cli("plan", tiny, "-q")
    assert rerun.exit_code == 0, rerun.stderr
    assert "recorded as revision 1" in rerun.stderr


def test_a_plan_with_no_session_is_evaluated_without_outcomes(tiny: Path, cli: Run) -> None:
    # Found by `ccrules simulate`: a month whose plan placed nothing could not be evaluated,
    # since evaluate asked for outcome rows of sessions that do not exist.
    replace_in(tiny / "center.toml", "threshold = 10", "threshold = 99")
    replace_in(tiny / "center.toml", "below = 0.7", "below = 0.1")
    assert cli("plan", tiny, "-q").exit_code == 0
    assert cli("approve", tiny, "--cycle", "2026-W49", "--by", "王芳").exit_code == 0
    found = History(tiny).approved("2026-W49")
    assert found is not None and found[1].sessions == ()
    result = cli("evaluate", tiny, "--cycle", "2026-W49")
    assert result.exit_code == 0, result.stderr
    assert History(tiny).review("2026-W49") is not None
    # a row naming a session the plan does not hold is still refused
    (tiny / "data" / "outcomes.csv").write_text(
        "cycle_id,session_id,agent_id,attended,post_score,satisfaction\n"
        "2026-W49,K9-01,A2,true,90,4\n",
        encoding="utf-8",
    )
    stray = cli("evaluate", tiny, "--cycle", "2026-W49")
    assert stray.exit_code == 2
    assert "session K9-01 is not in the approved plan" in stray.stderr


def test_explain_and_the_engine_plan_what_plan_recorded(approved: Path, cli: Run) -> None:
    # explain (planning now) used to plan without the review the cycle inherits, so an
    # operator checked a plan that was never recorded
    replace_in(
        approved / "center.toml",
        "end = 2026-12-04",
        'end = 2026-12-04\noutcomes_to = 2026-12-06\n\n[[cycles]]\nid = "2026-W50"\n'
        "start = 2026-12-07\nend = 2026-12-11",
    )
    assert cli("evaluate", approved, "--cycle", "2026-W49", "-q").exit_code == 0
    assert cli("plan", approved, "--cycle", "2026-W50", "-q").exit_code == 0
    history = History(approved)
    (revision,) = history.revisions("2026-W50")
    recorded = history.plan("2026-W50", revision.revision)
    assert recorded is not None and recorded.previous == "2026-W49"
    agent = recorded.needs[0].agent_id
    shown = cli("explain", approved, agent, "--cycle", "2026-W50", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["digest"] == recorded.digest

    from ccrules import Engine

    with Engine.from_folder(approved, cycle="2026-W50") as engine:
        again = engine.plan(previous=history.previous_review(engine.center.cycle))
    assert again.digest == recorded.digest


def test_rows_appended_with_windows_line_endings_are_refused_at_their_line(
    approved: Path, cli: Run
) -> None:
    path = approved / "data" / "outcomes.csv"
    rows = _outcomes(approved)
    with path.open("ab") as handle:  # what Notepad adds to a file written on Linux
        handle.write(rows[1].encode("utf-8") + b"\r\n")
    before = History(approved).dump()
    result = cli("evaluate", approved, "--cycle", "2026-W49")
    assert result.exit_code == 2, result.stdout
    assert f"data/outcomes.csv:{len(rows) + 1}: this line ends in CRLF (Windows) while the " in (
        result.stderr
    )
    assert "Traceback" not in result.stderr and "bug" not in result.stderr
    assert History(approved).dump() == before
