"""A center is read from its own folder, by exact paths, whatever the folder is called."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import Result
from tests.conftest import TINY, append_line

Run = Callable[..., Result]


def _copy(target: Path) -> Path:
    shutil.copytree(TINY, target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


def _to_parquet(folder: Path, name: str) -> None:
    csv_file = folder / "data" / f"{name}.csv"
    con = duckdb.connect()
    try:
        con.execute(
            "COPY (SELECT * FROM read_csv($p, header=true, all_varchar=true)) "
            "TO $q (FORMAT parquet)",
            {"p": str(csv_file), "q": str(csv_file.with_suffix(".parquet"))},
        )
    finally:
        con.close()
    csv_file.unlink()


def _plan(cli: Run, folder: Path) -> dict[str, object]:
    out = folder.parent / f"{folder.name.encode().hex()}.json"
    result = cli("plan", folder, "--out", out)
    assert result.exit_code == 0, result.stderr
    plan: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return plan


@pytest.mark.parametrize(("name", "neighbour"), [("c[1]", "c1"), ("st*ar", "stXar"), ("q?", "qq")])
@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_glob_characters_in_the_folder_name_are_not_a_pattern(
    tmp_path: Path, cli: Run, name: str, neighbour: str, form: str
) -> None:
    """A folder whose name DuckDB would read as a pattern plans from its own files only,
    not from a neighbour the pattern matches (here a broken one)."""
    (tmp_path / "in").mkdir()
    reference, center, other = (_copy(tmp_path / plain) for plain in ("reference", "a", "b"))
    append_line(other / "data" / "agents.csv", "Z9,Zed,T9,agent,2026-01-01,")
    if form == "parquet":
        for folder in (reference, center, other):
            _to_parquet(folder, "agents")
    # named only now: the test's own DuckDB reads above would expand the names too
    center = center.rename(tmp_path / "in" / name)
    other.rename(tmp_path / "in" / neighbour)
    assert _plan(cli, center) == _plan(cli, reference)


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_synth_writes_into_a_folder_named_like_a_pattern(
    tmp_path: Path, cli: Run, form: str
) -> None:
    """synth reads back the files it wrote from their exact paths, quotes and all."""
    plain, odd = tmp_path / "plain", tmp_path / "c[1] o'k*"
    for out in (plain, odd):
        args = ("--agents", "20", "--qa-rows", "100", "--seed", "5", "--format", form)
        result = cli("synth", out, *args)
        assert result.exit_code == 0, result.stderr
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(odd) for p in odd.rglob("*") if p.is_file())
    for name in files:
        if name.suffix == ".csv":
            assert (odd / name).read_bytes() == (plain / name).read_bytes(), name
