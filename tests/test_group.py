"""``ccrules group plan``: a group of centers, each center-cycle a task on Dask distributed.

One LocalCluster of two worker processes serves the module (``--scheduler`` points at it);
one test starts the command's own LocalCluster in a subprocess, under a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import EXAMPLE_CENTERS, TINY, append_line, written

from ccrules.errors import ConfigError
from ccrules.group import (
    BAD_INPUT,
    FAILED,
    PLANNED,
    Member,
    exit_code,
    load_group,
    local_cluster_options,
    run_serial,
)

CLI = Callable[..., Result]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two single-threaded worker processes."""
    from distributed import LocalCluster

    with LocalCluster(**local_cluster_options(2)) as cluster:
        yield cluster.scheduler_address


def _group_file(folder: Path, centers: dict[str, Path], extra: str = "") -> Path:
    lines = [extra] if extra else []
    for name, center in centers.items():
        lines += ["[[centers]]", f'name = "{name}"', f'folder = "{center.name}"', ""]
    path = folder / "group.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


def test_each_example_center_plans_byte_identical_to_planning_it_alone(
    tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    group_dir = tmp_path / "group"
    alone_dir = tmp_path / "alone"
    names = ("fintech-金融", "bpo", "telecom", "tax")
    centers = {
        name: _copy(source, group_dir / source.name)
        for name, source in zip(names, EXAMPLE_CENTERS, strict=True)
    }
    group = _group_file(group_dir, centers)
    out = tmp_path / "plans"
    result = cli("group", "plan", group, "--scheduler", scheduler, "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [c["name"] for c in summary["centers"]] == list(names)
    assert {c["status"] for c in summary["centers"]} == {PLANNED}
    assert summary["total"]["centers"] == 4
    for name, source in zip(names, EXAMPLE_CENTERS, strict=True):
        alone = cli("plan", _copy(source, alone_dir / source.name), "--json", "--no-history")
        assert alone.exit_code == 0, alone.stderr
        assert (out / f"{name}.json").read_bytes() == alone.stdout_bytes, name
        # the group recorded each plan in the center's own history, as `ccrules plan` does
        assert ".ccrules/history.sqlite" in written(centers[name])
        entry = next(c for c in summary["centers"] if c["name"] == name)
        assert entry["revision"] == 1
        assert entry["digest"] == json.loads(alone.stdout)["digest"]
        assert entry["summary"]["needs"] == len(json.loads(alone.stdout)["needs"])
    totals = summary["total"]
    assert totals["needs"] == sum(c["summary"]["needs"] for c in summary["centers"])
    assert totals["sessions"] == sum(c["summary"]["sessions"] for c in summary["centers"])


def test_a_broken_center_is_named_and_does_not_stop_the_others(
    tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    good = _copy(TINY, tmp_path / "good")
    broken = _copy(TINY, tmp_path / "broken")
    line = append_line(broken / "data" / "qa.csv", "this,row,is,not,qa")
    group = _group_file(tmp_path, {"好中心": good, "broken": broken})
    out = tmp_path / "plans"
    result = cli("group", "plan", group, "--scheduler", scheduler, "--out", out)
    assert result.exit_code == 2, result.stderr
    assert "center broken (" in result.stderr
    assert f"broken: data/qa.csv:{line}" in result.stderr
    assert "1 of 2 centers not planned" in result.stderr
    # the good center was planned and recorded; nothing was written for the broken one
    assert ".ccrules/history.sqlite" in written(good)
    assert written(broken) == []
    assert sorted(p.name for p in out.iterdir()) == ["好中心.json"]
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "planned" in rows["好中心"]
    assert "bad input" in rows["broken"]


def test_the_summary_is_the_same_on_every_run(tmp_path: Path, cli: CLI, scheduler: str) -> None:
    centers = {f"c{i}": _copy(TINY, tmp_path / f"c{i}") for i in range(3)}
    group = _group_file(tmp_path, centers)
    runs = [
        cli("group", "plan", group, "--scheduler", scheduler, "--json", "--no-history")
        for _ in range(2)
    ]
    assert [r.exit_code for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout
    assert all(written(center) == [] for center in centers.values())  # --no-history
    table = cli("group", "plan", group, "--scheduler", scheduler, "--no-history", "--lang", "zh")
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[0].split()[:3] == ["中心", "周期", "状态"]


def test_a_run_time_failure_names_the_center_and_writes_nothing_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccrules._engine import Engine

    center = _copy(TINY, tmp_path / "tiny")

    def fail(self: Engine, **_: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Engine, "plan", fail)
    (outcome,) = run_serial([Member("一号", center, None)])
    assert outcome.status == FAILED
    assert outcome.error == "RuntimeError: the disk went away"
    assert written(center) == []
    assert exit_code([outcome]) == 1


def test_the_exit_code_says_the_worst_of_the_centers() -> None:
    from ccrules.group import CenterOutcome

    def outcome(status: str) -> CenterOutcome:
        return CenterOutcome(name=status, folder=".", status=status)

    assert exit_code([outcome(PLANNED), outcome(PLANNED)]) == 0
    assert exit_code([outcome(PLANNED), outcome(BAD_INPUT)]) == 2
    assert exit_code([outcome(BAD_INPUT), outcome(FAILED)]) == 1


GOOD = '[[centers]]\nname = "a"\nfolder = "a"\n'


@pytest.mark.parametrize(
    ("text", "expected", "code"),
    [
        (
            'workers = 2\ncolour = "red"\n' + GOOD,
            "group.toml:2: colour: unknown key",
            "unknown-key",
        ),
        (
            GOOD + 'cycel = "2026-W49"\n',
            "group.toml:4: centers[0].cycel: unknown key",
            "unknown-key",
        ),
        (
            GOOD + '[[centers]]\nname = "a"\nfolder = "b"\n',
            "group.toml:5: centers[1].name: 'a'",
            "duplicate-center",
        ),
        (
            GOOD + '[[centers]]\nname = "c"\nfolder = "nowhere"\n',
            "group.toml:6: centers[1].folder: no such folder",
            "missing-folder",
        ),
        ('[[centers]]\nfolder = "a"\n', "centers[0].name: missing required key", "missing-key"),
        ('workers = "two"\n' + GOOD, "group.toml:1: workers:", "wrong-type"),
        ("workers = 0\n" + GOOD, "group.toml:1: workers: 0 is not allowed", "out-of-range"),
        ("workers = 2\n", "centers: missing required key", "missing-key"),
        ("centers = []\n", "group.toml:1: centers: no centers", "no-centers"),
        (
            '[[centers]]\nname = "a/b"\nfolder = "a"\n',
            "group.toml:2: centers[0].name: 'a/b' cannot",
            "not-allowed",
        ),
        ('[[centers]\nname = "a"\n', "group.toml:1", "syntax"),
    ],
)
def test_a_bad_group_file_is_refused_with_its_line_and_key(
    tmp_path: Path, cli: CLI, text: str, expected: str, code: str
) -> None:
    for name in ("a", "b"):
        _copy(TINY, tmp_path / name)
    group = tmp_path / "group.toml"
    group.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_group(group)
    assert code in {p.code for p in caught.value.problems}
    result = cli("group", "plan", group)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert written(tmp_path / "a") == written(tmp_path / "b") == []


def test_a_missing_group_file_is_refused(tmp_path: Path, cli: CLI) -> None:
    result = cli("group", "plan", tmp_path / "group.toml")
    assert result.exit_code == 2
    assert "group.toml: no such group file" in result.stderr


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_scheduler_is_named_and_refused_quickly(tmp_path: Path, cli: CLI) -> None:
    center = _copy(TINY, tmp_path / "tiny")
    group = _group_file(tmp_path, {"tiny": center})
    address = f"tcp://127.0.0.1:{_unused_port()}"
    started = time.monotonic()
    result = cli("group", "plan", group, "--scheduler", address, "--connect-timeout", "1")
    assert time.monotonic() - started < 15
    assert result.exit_code == 2
    assert f"no Dask scheduler answered at {address} within 1 s" in result.stderr
    assert written(center) == []


def test_the_command_starts_its_own_local_cluster(tmp_path: Path) -> None:
    centers = {name: _copy(TINY, tmp_path / name) for name in ("x", "y")}
    group = _group_file(tmp_path, centers, extra="workers = 2\n")
    done = subprocess.run(
        [sys.executable, "-m", "ccrules", "group", "plan", str(group), "--json", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [c["status"] for c in summary["centers"]] == [PLANNED, PLANNED]
    assert summary["centers"][0]["summary"] == summary["centers"][1]["summary"]
    assert all(".ccrules/history.sqlite" in written(center) for center in centers.values())


def test_only_the_group_command_imports_dask() -> None:
    code = (
        "import sys, ccrules, ccrules.cli, ccrules.group\n"
        "from click.testing import CliRunner\n"
        "CliRunner().invoke(ccrules.cli.main, ['plan', sys.argv[1], '--no-history', '--json'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE_CENTERS[0])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
