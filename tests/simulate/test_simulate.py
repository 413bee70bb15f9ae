"""`ccrules simulate` end to end: the real loop, determinism, the schema, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from tests.conftest import replace_in

from ccrules.cli import main
from ccrules.hookspecs import HOOK_STAGES
from ccrules.model import Stage
from ccrules.simulate import CURRENT, MONTHLY_THEME, NONE, simulate
from ccrules.simulate._output import render_html, simulation_schema, to_json

Runner = Callable[..., object]


@pytest.fixture(scope="module")
def fintech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import EXAMPLES

    target = tmp_path_factory.mktemp("sim") / "inhouse-fintech"
    shutil.copytree(EXAMPLES / "inhouse-fintech", target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


@pytest.fixture(scope="module")
def result(fintech: Path):  # type: ignore[no-untyped-def]
    return simulate(fintech, cycles=3, runs=2, seed=1)


def test_every_scenario_runs_on_the_same_weeks(result) -> None:  # type: ignore[no-untyped-def]
    names = [s.name for s in result.scenarios]
    assert names == [CURRENT, MONTHLY_THEME, NONE]
    assert [c.id for c in result.cycles] == ["2026-W49", "2026-W50", "2026-W51"]
    for scenario in result.scenarios:
        assert [c.cycle for c in scenario.cycles] == ["2026-W49", "2026-W50", "2026-W51"]
    assert result.scenario(CURRENT).packs == ("default", "inhouse", "healthy-mix")
    assert result.scenario(MONTHLY_THEME).packs == ("default", "monthly-theme")


def test_none_loses_level_and_training_closes_gap(result) -> None:  # type: ignore[no-untyped-def]
    none = [c.measures["gap"].mean for c in result.scenario(NONE).cycles]
    assert none == sorted(none) and none[-1] > none[0]  # decay only: the gap grows
    current = result.scenario(CURRENT)
    assert current.totals["training_hours"].mean > 0
    assert current.totals["gap_end"].mean < result.scenario(NONE).totals["gap_end"].mean
    assert result.scenario(NONE).totals["training_hours"].mean == 0
    assert result.scenario(NONE).totals["gap_closed_per_hour"].mean is None


def test_every_stage_hook_runs_in_every_cycle(result) -> None:  # type: ignore[no-untyped-def]
    stage_hooks = {h for h, s in HOOK_STAGES.items() if s is not Stage.SETUP}
    stage_hooks |= {"ccrules_before_stage", "ccrules_after_stage"}
    for run in result.runs_detail:
        if run.scenario == NONE:
            assert all(c.hooks == () for c in run.cycles)
            continue
        for cycle in run.cycles:
            missing = stage_hooks - set(cycle.hooks)
            assert not missing, (run.scenario, cycle.cycle_id, missing)


def test_the_json_validates_and_is_byte_identical_on_a_rerun(fintech: Path, result) -> None:  # type: ignore[no-untyped-def]
    text = to_json(result)
    jsonschema.validate(json.loads(text), simulation_schema())
    again = simulate(fintech, cycles=3, runs=2, seed=1)
    assert to_json(again) == text
    assert render_html(again) == render_html(result)
    other = simulate(fintech, cycles=3, runs=2, seed=2)
    assert to_json(other) != text


def test_two_jobs_give_what_one_gives(fintech: Path, result) -> None:  # type: ignore[no-untyped-def]
    assert to_json(simulate(fintech, cycles=3, runs=2, seed=1, jobs=2)) == to_json(result)


def test_evaluation_estimates_are_checked_against_the_truth(result) -> None:  # type: ignore[no-untyped-def]
    coverage = result.scenario(CURRENT).coverage
    assert coverage.checks > 0
    assert 0 <= coverage.covered <= coverage.checks
    assert coverage.coverage == pytest.approx(coverage.covered / coverage.checks, abs=1e-4)
    assert "center" in coverage.by_subject


def test_the_center_folder_is_only_read(fintech: Path, result) -> None:  # type: ignore[no-untyped-def]
    assert not (fintech / ".ccrules").exists()
    assert "2026-W50" not in (fintech / "center.toml").read_text(encoding="utf-8")


def test_cli_prints_the_comparison_and_keeps_the_centers(fintech: Path, tmp_path: Path) -> None:
    out, page, keep = tmp_path / "sim.json", tmp_path / "sim.html", tmp_path / "kept"
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            str(fintech),
            "--cycles",
            "2",
            "--runs",
            "1",
            "--out",
            str(out),
            "--html",
            str(page),
            "--keep",
            str(keep),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "scenario" in result.stdout and "monthly-theme" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, simulation_schema())
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    kept = keep / "current" / "run-1"
    history = CliRunner().invoke(main, ["history", str(kept)])
    assert history.exit_code == 0
    assert "2026-W50" in history.stdout and "approved" in history.stdout
    assert not (keep / "none").exists()
    schema = CliRunner().invoke(main, ["schema", "simulation"])
    assert json.loads(schema.stdout) == simulation_schema()


def _refused(args: list[str], *files: Path) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for file in files:
        assert not file.exists()
    return result.stderr


def test_a_bad_scenario_file_is_refused_with_its_line(fintech: Path, tmp_path: Path) -> None:
    out = tmp_path / "sim.json"
    bad = tmp_path / "bad.toml"
    bad.write_text("[plugins.default.gaps]\nthreshold = \n", encoding="utf-8")
    err = _refused(["simulate", str(fintech), "--scenario", f"b={bad}", "--out", str(out)], out)
    assert f"{bad}:2" in err
    bad.write_text("[plugins.default.gaps]\nthreshold = 5\ncolour = 3\n", encoding="utf-8")
    err = _refused(["simulate", str(fintech), "--scenario", f"b={bad}", "--out", str(out)], out)
    assert f"{bad}:3" in err and "colour" in err
    bad.write_text('[plugins]\nenabled = ["default", "no-such-pack"]\n', encoding="utf-8")
    err = _refused(["simulate", str(fintech), "--scenario", f"b={bad}", "--out", str(out)], out)
    assert f"{bad}:2" in err and "no-such-pack" in err
    bad.write_text("[simulation]\nhalf_life_days = -3\n", encoding="utf-8")
    err = _refused(["simulate", str(fintech), "--scenario", f"b={bad}", "--out", str(out)], out)
    assert str(bad) in err and "half_life_days" in err
    err = _refused(["simulate", str(fintech), "--scenario", f"none={bad}"], out)
    assert "taken" in err
    for name in ("../up", ".hidden", "a/b", "<b>x</b>"):
        err = _refused(["simulate", str(fintech), "--scenario", f"{name}={bad}"], out)
        assert "not a name" in err
    err = _refused(["simulate", str(fintech), "--scenario", "nofile"])
    assert "NAME=FILE" in err


def test_a_bad_simulation_table_in_center_toml(example: Callable[[str], Path]) -> None:
    center = example("inhouse-fintech")
    replace_in(center / "center.toml", "[evidence]", '[simulation]\neffect_d = "big"\n\n[evidence]')
    err = _refused(["simulate", str(center), "--cycles", "1", "--runs", "1"])
    assert "center.toml:" in err and "effect_d" in err


def test_a_center_without_qa_is_told_what_to_add(tiny: Path) -> None:
    qa = tiny / "data" / "qa.csv"
    qa.write_text(qa.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    err = _refused(["simulate", str(tiny), "--cycles", "1", "--runs", "1"])
    assert "no QA rows" in err and "add data/qa.csv rows" in err


def test_keep_needs_an_empty_folder(fintech: Path, tmp_path: Path) -> None:
    keep = tmp_path / "full"
    keep.mkdir()
    (keep / "x").write_text("mine", encoding="utf-8")
    err = _refused(["simulate", str(fintech), "--keep", str(keep)])
    assert "empty" in err
    assert (keep / "x").read_text(encoding="utf-8") == "mine"


def test_every_model_setting_is_documented() -> None:
    import attrs
    from tests.conftest import ROOT

    from ccrules.simulate import ModelSettings

    text = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
    missing = [f.name for f in attrs.fields(ModelSettings) if f"`{f.name}`" not in text]
    assert not missing, f"document these [simulation] keys in docs/simulation.md: {missing}"


def test_the_api_example_prints_what_the_docs_show(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    import io
    import re

    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text[text.index("## Simulate rule changes") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    shown = [line[2:] for line in code.group(1).splitlines() if line.startswith("# ")]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), "docs/api.md", "exec"), {})
    assert printed.getvalue().splitlines() == shown
    assert not (ROOT / "examples" / "inhouse-fintech" / "data" / "qa.csv.tmp").exists()


def test_a_simulation_table_in_center_toml_is_a_setting(
    example: Callable[[str], Path], tmp_path: Path
) -> None:
    center = example("inhouse-fintech")
    replace_in(
        center / "center.toml", "[evidence]", "[simulation]\nannual_attrition = 0.0\n\n[evidence]"
    )
    assert CliRunner().invoke(main, ["validate", str(center)]).exit_code == 0
    sim = simulate(center, cycles=2, runs=1, seed=1)
    assert sim.model.annual_attrition == 0.0
    assert all(s.totals["leavers"].mean == 0 for s in sim.scenarios)
    replace_in(center / "center.toml", "annual_attrition = 0.0", "annual_attrition = 2.0\nwho = 1")
    result = CliRunner().invoke(main, ["validate", str(center)])
    assert result.exit_code == 2
    assert "center.toml:" in result.stderr and "who" in result.stderr


def test_none_follows_the_decay_law(example: Callable[[str], Path]) -> None:
    """With nobody leaving, `none` is the starting levels decayed: the distance to the
    floor halves every half-life, and the gap is read off those levels each cycle."""
    import datetime as dt

    import numpy as np

    from ccrules import Engine
    from ccrules.simulate import ModelSettings
    from ccrules.simulate._calibrate import calibrate
    from ccrules.simulate._world import World

    center = example("inhouse-fintech")
    replace_in(
        center / "center.toml", "[evidence]", "[simulation]\nannual_attrition = 0.0\n\n[evidence]"
    )
    sim = simulate(center, cycles=3, runs=1, seed=4)
    model = ModelSettings(annual_attrition=0.0)
    with Engine.from_folder(center) as engine:
        calibration = calibrate(engine, model)
    world = World(calibration, model, seed=4, run=0)
    retain = 0.5 ** (1 / model.half_life_days)
    floor_mask = world.requires & world.on_floor()[:, None]
    for k, cycle in enumerate(sim.scenario(NONE).cycles):
        end = sim.cycles[k].start + dt.timedelta(days=6)
        days = (end - sim.cycles[0].start).days + 1
        level = world.floor + (world.start_level - world.floor) * retain**days
        gap = float(np.maximum(world.required - level, 0.0)[floor_mask].mean())
        assert cycle.measures["gap"].mean == pytest.approx(gap, abs=1e-4), cycle.cycle


def test_with_no_effect_the_intervals_cover_zero(
    example: Callable[[str], Path], tmp_path: Path
) -> None:
    """Under the null (training moves nothing), the evaluation stage's 95% intervals should
    hold the truth, 0, about 95% of the time; the simulator measures it."""
    center = example("inhouse-fintech")
    null = tmp_path / "null.toml"
    null.write_text("[simulation]\neffect_d = 0.0\ntutoring_d = 0.0\n", encoding="utf-8")
    sim = simulate(center, cycles=3, runs=2, seed=1, scenario_files=[("null", null)])
    coverage = sim.scenario("null").coverage
    assert coverage.checks >= 20
    assert all(c.measures["l3_truth"].mean in (0.0, None) for c in sim.scenario("null").cycles)
    assert coverage.coverage is not None and coverage.coverage >= 0.85
    assert coverage.bias is not None and abs(coverage.bias) < 1.5


def test_a_plugin_failure_crosses_worker_processes() -> None:
    """``--jobs`` runs scenarios in worker processes: a plugin's failure comes back whole."""
    import pickle

    from ccrules.errors import PluginError

    class Unpicklable(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"{a}/{b}")

    for cause in (ValueError("bad threshold"), Unpicklable(1, 2)):
        error = pickle.loads(pickle.dumps(PluginError("ccrules_needs", "mine", cause)))
        assert isinstance(error, PluginError)
        assert (error.hook, error.plugin) == ("ccrules_needs", "mine")
        assert str(cause) in str(error)


def test_a_missing_or_broken_center_is_refused(tmp_path: Path, tiny: Path) -> None:
    err = _refused(["simulate", str(tmp_path / "nowhere")])
    assert "no such center folder" in err
    (tiny / "center.toml").write_text("[center\nname = 1\n", encoding="utf-8")
    err = _refused(["simulate", str(tiny)])
    assert "center.toml:1" in err


def test_the_shipped_scenario_and_the_docs_agree() -> None:
    from tests.conftest import EXAMPLES, ROOT

    from ccrules.simulate._simulate import scenarios

    path = EXAMPLES / "inhouse-fintech" / "scenarios" / "stricter-gaps.toml"
    chosen, _ = scenarios(EXAMPLES / "inhouse-fintech", [("stricter", path)])
    stricter = next(s for s in chosen if s.name == "stricter")
    assert stricter.config is not None
    assert stricter.config["plugins"]["default"]["gaps"]["threshold"] == 5
    assert stricter.config["plugins"]["default"]["gaps"]["min_evaluations"] == 3  # kept
    shown = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
    body = "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert body.replace("\n[", "\n\n[") in shown


def test_both_languages_have_every_label_with_the_same_fields() -> None:
    import string

    from ccrules.simulate._output import LANGS, MEASURES, labels

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = labels("en")
    for lang in LANGS:
        words = labels(lang)
        assert set(words) == set(english), lang
        for key, text in words.items():
            assert fields(text) == fields(english[key]), (lang, key)
        assert all(f"measure_{key}" in words for key, _ in MEASURES)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(labels("zh").values()))


def test_the_table_and_page_in_chinese(result) -> None:  # type: ignore[no-untyped-def]
    from ccrules.simulate import render_html, render_table

    table = render_table(result, "zh")
    assert table.splitlines()[0].startswith("鑫融金融客服中心")
    assert "期末差距" in table and "评估结果与模型真实效果对比" in table
    page = render_html(result, "zh")
    assert '<html lang="zh-Hans">' in page and "方案对比" in page
    assert render_html(result) != page and '<html lang="en">' in render_html(result)


def test_an_unwritable_out_or_page_is_refused_before_any_work(
    fintech: Path, tmp_path: Path
) -> None:
    for option in ("--out", "--html"):
        target = tmp_path / "no-such-folder" / "sim.out"
        err = _refused(["simulate", str(fintech), option, str(target)], target)
        assert f"{target}: cannot write" in err and "choose another path" in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    err = _refused(["simulate", str(fintech), "--out", str(folder)])
    assert "is a directory" in err  # click refuses it first
