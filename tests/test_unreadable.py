"""Files ccrules may not open: refused with exit 2, the file named and what to do, nothing
written (issue 20, finding 4).

Permissions only bind a user without the power to override them. Run as root (CI, most
containers), each command runs in a child process that keeps uid 0 but gives up the
capabilities that bypass file permissions (``setpriv --bounding-set``), so a file of mode 000
is as unreadable to it as to another user; run as anyone else, the same files are simply
unreadable.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]

ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
NO_OVERRIDE = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def ccrules(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process without the power to read what it may not."""
    command = [sys.executable, "-m", "ccrules", *(str(a) for a in args)]
    if ROOT:
        if SETPRIV is None:  # pragma: no cover - util-linux is in every Debian image
            pytest.fail("running as root needs setpriv (util-linux) to drop file capabilities")
        command = [SETPRIV, *NO_OVERRIDE, *command]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@contextmanager
def mode(path: Path, bits: int) -> Iterator[None]:
    """``path`` with permission ``bits`` for the block, restored after."""
    before = stat.S_IMODE(path.stat().st_mode)
    path.chmod(bits)
    try:
        yield
    finally:
        path.chmod(before)


def snapshot(folder: Path) -> list[tuple[str, str]]:
    return sorted(
        (
            str(p.relative_to(folder)),
            "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in folder.rglob("*")
    )


def refused(result: subprocess.CompletedProcess[str], where: str, said: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "bug in ccrules" not in result.stderr
    assert f"{where}: {said}" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("target", "bits"),
    [
        ("center.toml", 0),
        ("data/qa.csv", 0),
        ("data/kpis.csv", 0),
        ("data/agents.csv", 0),
        ("data", 0),
        ("data", 0o311),  # files can be opened, the folder not listed
    ],
)
@pytest.mark.parametrize("command", ["plan", "validate"])
def test_an_unreadable_input_is_named(tiny: Path, command: str, target: str, bits: int) -> None:
    before = snapshot(tiny)
    with mode(tiny / target, bits):
        result = ccrules(command, tiny, cwd=tiny.parent)
    where = "data/" if target == "data" else target
    refused(result, where, "cannot be read: permission denied for the user running ccrules")
    assert "chmod a+r" in result.stderr
    assert snapshot(tiny) == before
    assert not (tiny / ".ccrules").exists()


def test_unreadable_outcomes_are_named(tiny: Path, cli: Run) -> None:
    assert cli("plan", tiny).exit_code == 0
    assert cli("approve", tiny, "--cycle", "2026-W49", "--by", "王芳").exit_code == 0
    outcomes = tiny / "data" / "outcomes.csv"
    outcomes.write_text(
        "cycle_id,session_id,agent_id,attended,post_score,satisfaction\n", encoding="utf-8"
    )
    before = snapshot(tiny)
    with mode(outcomes, 0):
        result = ccrules("evaluate", tiny, "--cycle", "2026-W49", cwd=tiny.parent)
    refused(result, "data/outcomes.csv", "cannot be read: permission denied")
    assert snapshot(tiny) == before


def test_an_unreadable_history_is_named(tiny: Path, cli: Run) -> None:
    assert cli("plan", tiny).exit_code == 0
    store = tiny / ".ccrules" / "history.sqlite"
    before = snapshot(tiny)
    with mode(store, 0):
        for args in (
            ("plan", tiny),
            ("history", tiny),
            ("approve", tiny, "--cycle", "2026-W49", "--by", "王芳"),
        ):
            refused(
                ccrules(*args, cwd=tiny.parent),
                ".ccrules/history.sqlite",
                "cannot be read: permission denied",
            )
    assert snapshot(tiny) == before


@pytest.mark.parametrize("target", ["file", "folder"])
def test_a_history_that_cannot_be_written_is_named(tiny: Path, cli: Run, target: str) -> None:
    assert cli("plan", tiny).exit_code == 0
    store = tiny / ".ccrules" / "history.sqlite"
    before = snapshot(tiny)
    locked = store if target == "file" else store.parent
    with mode(locked, 0o555 if target == "folder" else 0o444):
        result = ccrules("approve", tiny, "--cycle", "2026-W49", "--by", "王芳", cwd=tiny.parent)
        listed = ccrules("history", tiny, cwd=tiny.parent)
    refused(result, ".ccrules/history.sqlite", "cannot be written (")
    assert "write access to the .ccrules folder" in result.stderr
    assert listed.returncode == 0, listed.stderr  # reading it still works
    assert snapshot(tiny) == before


def test_a_center_folder_that_cannot_be_written_is_named(tiny: Path) -> None:
    with mode(tiny, 0o555):
        result = ccrules("plan", tiny, cwd=tiny.parent)
    refused(result, ".ccrules/history.sqlite", "cannot be written (")
    assert not (tiny / ".ccrules").exists()


def test_an_unreadable_redaction_key_is_named(tiny: Path, cli: Run) -> None:
    assert cli("plan", tiny).exit_code == 0
    assert cli("report", tiny, "--redact").exit_code == 0
    key = tiny / ".ccrules" / "redact.key"
    (tiny / "report-2026-W49.html").unlink()
    before = snapshot(tiny)
    with mode(key, 0):
        result = ccrules("report", tiny, "--redact", cwd=tiny.parent)
    refused(result, ".ccrules/redact.key", "cannot be read: permission denied")
    assert snapshot(tiny) == before


@pytest.mark.parametrize(
    "content",
    ["你好".encode(), b"\xff\xfe\x00k\x00e\x00y", b"zz" * 40],
    ids=["chinese", "utf16", "not-hex"],
)
def test_a_redaction_key_that_is_not_hex_is_named(tiny: Path, cli: Run, content: bytes) -> None:
    assert cli("plan", tiny).exit_code == 0
    key = tiny / ".ccrules" / "redact.key"
    key.write_bytes(content)
    before = snapshot(tiny)
    result = cli("report", tiny, "--redact")
    assert result.exit_code == 2, result.stderr
    assert ".ccrules/redact.key: the pseudonym key must be at least 32 hex digits" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert snapshot(tiny) == before
