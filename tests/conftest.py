"""Shared fixtures: a tiny center folder to copy and change, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccrules.cli import main

pytest_plugins = ["pytester"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TINY = HERE / "centers" / "tiny"
EXAMPLES = ROOT / "examples"
EXAMPLE_CENTERS = (
    EXAMPLES / "inhouse-fintech",
    EXAMPLES / "bpo-inbound",
    EXAMPLES / "telecom-hotline",
    EXAMPLES / "tax-software-support",
)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A fresh copy of tests/centers/tiny to change freely."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


@pytest.fixture
def example(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Copy an example center (by folder name) to a temporary folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".ccrules"))
        return target

    return copy


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing when ``old`` is not there (so a test cannot pass by
    changing nothing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def append_line(path: Path, line: str) -> int:
    """Append a line to a file; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def written(folder: Path) -> list[str]:
    """Files the engine may write in a center folder (history) - for 'nothing written'."""
    return (
        sorted(str(p.relative_to(folder)) for p in (folder / ".ccrules").rglob("*"))
        if (folder / ".ccrules").exists()
        else []
    )


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the ccrules CLI in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
