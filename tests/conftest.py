"""Shared fixtures: a tiny center folder to copy and change, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


#: A PostgreSQL server where tests may create and drop databases (a superuser's libpq URL).
#: .ci/run starts one from Debian's packages and sets it; on another machine set it by hand.
POSTGRES_ENV = "CCRULES_TEST_POSTGRES"
#: Set by .ci/run: a missing server then fails the tests that need it instead of skipping them.
REQUIRE_POSTGRES_ENV = "CCRULES_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the test PostgreSQL server; skips outside CI when there is none."""
    import os

    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        message = f"no PostgreSQL server: set {POSTGRES_ENV} to a superuser's URL (.ci/run does)"
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Any:
    """A fresh, empty PostgreSQL database for one test, dropped after it: its URL."""
    import uuid

    import psycopg

    name = f"ccrules_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = postgres_server.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> str:
    """Each store a history can live in: ``""`` for SQLite in the center folder, else the
    URL of a fresh PostgreSQL database (skipped without a server outside CI)."""
    if request.param == "sqlite":
        return ""
    url: str = request.getfixturevalue("postgres_url")
    return url


def use_store(folder: Path, store: str, center_id: str = "tiny-01") -> Path:
    """Point a center folder's center.toml at ``store`` (nothing for SQLite): ``[center] id``
    and ``[history] store``."""
    if store:
        replace_in(folder / "center.toml", "[center]\n", f'[center]\nid = "{center_id}"\n')
        append_line(folder / "center.toml", "[history]")
        append_line(folder / "center.toml", f'store = "{store}"')
    return folder
