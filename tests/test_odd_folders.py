"""Crash safety, concurrency and determinism hold wherever a center lives: in a folder whose
name DuckDB would read as a pattern, through a link to the folder, and with data files that
are links inside it (issue 20: keep what the probe found sound, on the paths it found wrong).

Every command runs in a child process, as an operator runs it: another hash seed, another
working directory, sometimes killed half-way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from tests.conftest import TINY, append_line, replace_in
from tests.test_loop_cli import _outcomes, _run_killed

from ccrules._history import History

FORMS = ["glob-name", "linked-folder", "linked-files"]


def _center(tmp_path: Path, form: str) -> Path:
    """The tiny center in one of the odd places, with a plain neighbour that a pattern would
    match (and that must never be read: its agents file is broken)."""
    home = tmp_path / "centers"
    home.mkdir()
    neighbour = home / "c1"
    shutil.copytree(TINY, neighbour, ignore=shutil.ignore_patterns(".ccrules"))
    (neighbour / "data" / "agents.csv").write_text("broken\n", encoding="utf-8")
    if form == "glob-name":
        folder = home / "c[1]"
        shutil.copytree(TINY, folder, ignore=shutil.ignore_patterns(".ccrules"))
        return folder
    real = home / "real [x]*"
    shutil.copytree(TINY, real, ignore=shutil.ignore_patterns(".ccrules"))
    if form == "linked-folder":
        link = home / "linked"
        link.symlink_to(real, target_is_directory=True)
        return link
    # data files are links to files kept elsewhere in the same folder
    store = real / "store"
    store.mkdir()
    for name in ("qa", "agents", "kpis"):
        data = real / "data" / f"{name}.csv"
        data.rename(store / data.name)
        data.symlink_to(Path("..") / "store" / data.name)
    return real


def ccrules(*args: str | Path, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccrules", *(str(a) for a in args)],
        cwd=cwd,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ccrules" not in p.parts
    }


@pytest.mark.parametrize("form", FORMS)
def test_plans_are_byte_identical_across_seeds_folders_and_threads(
    tmp_path: Path, form: str
) -> None:
    center = _center(tmp_path, form)
    reference = tmp_path / "reference"
    shutil.copytree(TINY, reference, ignore=shutil.ignore_patterns(".ccrules"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    runs = [
        ccrules("plan", reference, "--json", "--no-history", cwd=tmp_path, seed="0"),
        ccrules("plan", center, "--json", "--no-history", cwd=tmp_path, seed="1"),
        ccrules("plan", center, "--json", "--no-history", cwd=elsewhere, seed="4242"),
        ccrules(
            "plan", os.path.relpath(center, elsewhere), "--json", "--no-history", cwd=elsewhere
        ),
    ]
    append_line(center / "center.toml", "[evidence]")
    append_line(center / "center.toml", "threads = 1")
    one_thread = ccrules("plan", center, "--json", "--no-history", cwd=tmp_path, seed="7")
    for run in [*runs, one_thread]:
        assert run.returncode == 0, run.stderr
    # the same plan from the same files: the folder's name or path plays no part, and the
    # config's digest changes with its bytes, so compare the threads run without it
    assert len({run.stdout for run in runs}) == 1
    strip = [line for line in one_thread.stdout.splitlines() if "sha256:" not in line]
    assert strip == [line for line in runs[0].stdout.splitlines() if "sha256:" not in line]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("where", ["stage:schedule", "write:_decision_rows"])
def test_a_kill_in_an_odd_folder_leaves_history_unchanged(
    tmp_path: Path, form: str, where: str
) -> None:
    center = _center(tmp_path, form)
    assert ccrules("plan", center, "-q", cwd=tmp_path).returncode == 0
    approve = ccrules("approve", center, "--cycle", "2026-W49", "--by", "王芳", cwd=tmp_path)
    assert approve.returncode == 0, approve.stderr
    replace_in(center / "center.toml", "threshold = 10", "threshold = 12")
    before = History(center).dump()
    data = _files(center)
    killed = _run_killed(center, where, "plan", "-q", "--reason", "new threshold")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert History(center).dump() == before
    assert _files(center) == data
    rerun = ccrules("plan", center, "-q", "--reason", "new threshold", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "recorded as revision 2" in rerun.stderr
    # evaluate is killed too, then runs
    _outcomes(center)
    before = History(center).dump()
    killed = _run_killed(center, "stage:evaluation", "evaluate", "--cycle", "2026-W49")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert History(center).dump() == before


@pytest.mark.parametrize("form", FORMS)
def test_concurrent_plans_lose_no_revision(tmp_path: Path, form: str) -> None:
    center = _center(tmp_path, form)
    weeks = [("2026-W49", "2026-11-30", "2026-12-04")] + [
        (f"2026-W{50 + i}", f"2026-12-{7 + 7 * i:02d}", f"2026-12-{11 + 7 * i:02d}")
        for i in range(3)
    ]
    for cycle, start, end in weeks[1:]:
        for line in ("[[cycles]]", f'id = "{cycle}"', f"start = {start}", f"end = {end}"):
            append_line(center / "center.toml", line)
    # each cycle planned by three processes at once, every cycle at the same time
    jobs = [cycle for cycle, _, _ in weeks for _ in range(3)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(
            pool.map(
                lambda cycle: ccrules("plan", center, "--cycle", cycle, "-q", cwd=tmp_path),
                jobs,
            )
        )
    for result in results:
        assert result.returncode == 0, result.stderr
    revisions = History(center).revisions()
    # one revision per cycle: the same plan planned again is not a new revision
    assert sorted((r.cycle_id, r.revision) for r in revisions) == sorted(
        (cycle, 1) for cycle, _, _ in weeks
    )
    with closing(sqlite3.connect(center / ".ccrules" / "history.sqlite")) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not (tmp_path / "centers" / "c1" / ".ccrules").exists()
