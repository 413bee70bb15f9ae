"""`ccrules synth`: synthetic centers that plan, the same for the same seed."""

from __future__ import annotations

import csv
import hashlib
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import Result

from ccrules import Engine
from ccrules._synth import SynthSpec, write_center

Run = Callable[..., Result]

AGENTS = 1000
QA_ROWS = 40_000


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "center"
    write_center(folder, SynthSpec(agents=AGENTS, qa_rows=QA_ROWS, seed=7))
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_synth_then_plan_at_1k_agents(tmp_path: Path, cli: Run) -> None:
    out = tmp_path / "big"
    result = cli("synth", str(out), "--agents", "1000", "--qa-rows", "50000", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    assert f"ccrules plan {out}" in result.stdout
    checked = cli("validate", str(out))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr == ""  # not even a warning
    planned = cli("plan", str(out), "--no-history")
    assert planned.exit_code == 0, planned.stderr
    assert "Sessions:" in planned.stdout
    assert "Needs: 0" not in planned.stdout


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path, center: Path) -> None:
    again = tmp_path / "again"
    write_center(again, SynthSpec(agents=AGENTS, qa_rows=QA_ROWS, seed=7))
    assert digests(again) == digests(center)
    other = tmp_path / "other"
    write_center(other, SynthSpec(agents=AGENTS, qa_rows=QA_ROWS, seed=8))
    assert digests(other)["data/qa.csv"] != digests(center)["data/qa.csv"]


def test_every_core_file_is_written_and_qa_has_exactly_the_rows_asked(center: Path) -> None:
    from ccrules._engine import REVIEW_SOURCES
    from ccrules._schema import CORE_SOURCES

    # the outcome files (outcomes, spot checks, leavers) come after a plan is delivered
    written = {p.stem for p in (center / "data").iterdir()}
    assert written == {s.name for s in CORE_SOURCES} - set(REVIEW_SOURCES)
    assert len(rows(center, "qa")) == QA_ROWS
    assert len(rows(center, "agents")) == AGENTS


def test_teams_of_10_to_20_each_led_by_one_of_its_own(center: Path) -> None:
    agents = {a["agent_id"]: a for a in rows(center, "agents")}
    sizes = Counter(a["team_id"] for a in agents.values())
    front = [t for t in rows(center, "teams") if t["function"] == "front-line"]
    assert {t["team_id"] for t in front} == set(sizes)
    assert all(10 <= size <= 20 for size in sizes.values()), sizes
    for team in front:
        lead = agents[team["lead_id"]]
        assert (lead["team_id"], lead["role_id"]) == (team["team_id"], "TL")
        assert team["shift_start"] < team["shift_end"]


def test_weak_competencies_and_evaluator_bias_show_in_the_evidence(center: Path) -> None:
    with Engine.from_folder(center) as engine:
        evidence = engine.build_evidence()
        calibration = dict(evidence.sql("SELECT evaluator, deviation FROM evaluator_calibration"))
        # every evaluator scores the same form; QA000 is lenient, QA001 harsh, by design
        assert calibration["QA000"] > 4
        assert calibration["QA001"] < -4
        others = [v for k, v in calibration.items() if k not in ("QA000", "QA001")]
        assert all(abs(v) < 3 for v in others), calibration
        weak = evidence.sql(
            """
            SELECT a.team_id, count(*) FROM (
                SELECT a.team_id, s.competency_id
                FROM competency_scores s JOIN agents a USING (agent_id)
                JOIN role_profiles p ON p.role_id = a.role_id
                     AND p.competency_id = s.competency_id
                GROUP BY a.team_id, s.competency_id
                HAVING avg(CASE WHEN s.score <= p.required_level - 10 THEN 1 ELSE 0 END) >= 0.3
            ) a GROUP BY a.team_id
            """
        )
        teams = evidence.sql("SELECT count(*) FROM teams WHERE function = 'front-line'")[0][0]
        # a few weak competencies in many teams, not everything everywhere
        assert len(weak) >= teams // 4
        assert max(count for _, count in weak) <= 4
        for table in ("topic_signals", "exam_results", "release_changes", "career_changes"):
            assert evidence.sql(f"SELECT count(*) FROM {table}")[0][0] > 0, table


def test_bpo_model_and_parquet_format(tmp_path: Path) -> None:
    folder = tmp_path / "bpo"
    write_center(folder, SynthSpec(agents=200, qa_rows=4000, seed=2, model="bpo", format="parquet"))
    config = tomllib.loads((folder / "center.toml").read_text(encoding="utf-8"))
    assert config["center"]["model"] == "bpo"
    assert "client" in config["center"]
    assert (folder / "data" / "qa.parquet").is_file()
    assert not (folder / "data" / "qa.csv").exists()
    (count,) = duckdb.connect().execute(
        f"SELECT count(*) FROM '{folder / 'data' / 'qa.parquet'}'"
    ).fetchone() or (0,)
    assert count == 4000
    kinds = {t["kind"] for t in rows(folder, "trainers")}
    assert "vendor" in kinds and "full-time" not in kinds
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
    assert plan.sessions


def test_synth_refuses_a_folder_that_is_not_empty(tmp_path: Path, cli: Run) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("synth", str(out), "--agents", "20", "--qa-rows", "10")
    assert result.exit_code == 2
    assert "already exists and is not empty" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no staging folder left


def test_synth_writes_into_an_empty_folder(tmp_path: Path, cli: Run) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    result = cli("synth", str(out), "--agents", "20", "--qa-rows", "100")
    assert result.exit_code == 0, result.stderr
    assert (out / "center.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_synth_needs_twenty_agents(tmp_path: Path, cli: Run) -> None:
    result = cli("synth", str(tmp_path / "x"), "--agents", "5")
    assert result.exit_code == 2
    assert "--agents" in result.stderr
    assert not (tmp_path / "x").exists()
