"""Every command speaks the operator's language: --lang, CCRULES_LANG and LANG."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from tests.conftest import written

from ccrules.cli import main

CHINESE = re.compile("[\u4e00-\u9fff]")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


def test_every_command_takes_lang() -> None:
    commands = _commands(main)
    assert "cycle add" in dict(commands)
    for name, command in commands:
        langs = [p for p in command.params if p.name == "lang"]
        assert len(langs) == 1, f"ccrules {name} has no --lang"
        assert "zh" in getattr(langs[0].type, "choices", ()), name


def test_an_unknown_language_is_a_usage_error(tiny: Path, cli: Callable[..., Result]) -> None:
    result = cli("validate", tiny, "--lang", "fr")
    assert result.exit_code == 2
    assert "'fr' is not one of 'en', 'zh'" in result.stderr


def _run(env: dict[str, str], *args: str | Path) -> Result:
    runner = CliRunner(env=env)
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({}, ["--lang", "zh"]),
        ({"LANG": "zh_CN.UTF-8", "CCRULES_LANG": ""}, []),
        ({"CCRULES_LANG": "zh", "LANG": "en_US.UTF-8"}, []),
    ],
    ids=["option", "LANG", "CCRULES_LANG"],
)
def test_validate_speaks_chinese(tiny: Path, env: dict[str, str], args: list[str]) -> None:
    result = _run({"LC_ALL": "", "LC_MESSAGES": "", **env}, "validate", tiny, *args)
    assert result.exit_code == 0, result.stderr
    assert "检查通过" in result.stdout
    assert "下一步：ccrules plan" in result.stdout


def test_english_stays_english_whatever_the_locale(tiny: Path) -> None:
    result = _run({"LANG": "zh_CN.UTF-8"}, "validate", tiny, "--lang", "en")
    assert result.exit_code == 0
    assert ": OK. " in result.stdout
    assert not CHINESE.search(result.stdout.replace(str(tiny), ""))


def test_an_input_error_in_chinese_names_the_place_and_what_to_do(
    tiny: Path, cli: Callable[..., Result]
) -> None:
    qa = tiny / "data" / "qa.csv"
    lines = qa.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("date")] = "notadate"
    lines[1] = ",".join(row)
    qa.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = written(tiny)
    result = cli("plan", tiny, "--lang", "zh")
    assert result.exit_code == 2
    assert f"data/qa.csv:2:{header.index('date') + 1}: " in result.stderr
    assert "值的类型不对" in result.stderr  # what the code means, in Chinese
    assert "'notadate'" in result.stderr  # the value as found
    assert "→ " in result.stderr  # what to do
    assert "发现 1 个问题，未写入任何内容" in result.stderr
    assert "Traceback" not in result.stderr
    assert written(tiny) == before


def test_plan_history_and_evaluate_loop_in_chinese(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    folder = example("inhouse-fintech")
    cycle = "2026-W48"  # the cycle the example has outcomes of
    plan = cli("plan", folder, "--cycle", cycle, "--lang", "zh")
    assert plan.exit_code == 0, plan.stderr
    assert f"培训计划，周期 {cycle}" in plan.stdout
    assert f"已记录为周期 {cycle} 的修订版 1（草案）" in plan.stderr
    approve = cli("approve", folder, "--cycle", cycle, "--by", "培训经理", "--lang", "zh")
    assert approve.exit_code == 0, approve.stderr
    assert f"已批准周期 {cycle} 的修订版 1（培训经理，" in approve.stdout
    history = cli("history", folder, "--lang", "zh")
    assert f"周期 {cycle}" in history.stdout
    assert "计划修订版 1" in history.stdout and "已批准" in history.stdout
    evaluate = cli("evaluate", folder, "--cycle", cycle, "--lang", "zh")
    assert evaluate.exit_code == 0, evaluate.stderr
    assert f"周期 {cycle}（2026-11-23 至 2026-11-27）复盘" in evaluate.stdout
    assert "下一周期承接" in evaluate.stdout


def test_the_plan_does_not_depend_on_the_language(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    folder = example("telecom-hotline")
    zh = cli("plan", folder, "--json", "--no-history", "--lang", "zh")
    en = cli("plan", folder, "--json", "--no-history", "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    assert zh.stdout == en.stdout
