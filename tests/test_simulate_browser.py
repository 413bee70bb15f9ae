"""The `ccrules simulate` page in headless Chromium: every section drawn, nothing loaded,
no script, and names that look like markup shown as text."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.browser import Browser, browser
from tests.conftest import EXAMPLES, replace_in

from ccrules.cli import main
from ccrules.simulate._output import MEASURES, labels

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("simulate-pages")
    center = out / "center"
    shutil.copytree(EXAMPLES / "inhouse-fintech", center, ignore=shutil.ignore_patterns(".ccrules"))
    replace_in(
        center / "center.toml", 'name = "鑫融金融客服中心', f'name = "{HOSTILE} 鑫融金融客服中心'
    )
    scenario = out / "s.toml"
    scenario.write_text("[plugins.default.gaps]\nthreshold = 5\n", encoding="utf-8")
    found = {}
    for lang in ("en", "zh"):
        found[lang] = out / f"sim.{lang}.html"
        result = CliRunner().invoke(
            main,
            ["simulate", str(center), "--cycles", "2", "--runs", "1", "--lang", lang,
             "--scenario", f"严格={scenario}", "--html", str(found[lang])],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_simulation_page_in_chromium(chromium: Browser, pages: dict[str, Path], lang: str) -> None:
    seen = chromium.render(pages[lang], full_page=True)
    assert seen.console_errors == () and seen.errors == () and seen.dialogs == ()
    assert seen.requests == () and seen.scripts == 0
    assert seen.lang == {"en": "en", "zh": "zh-Hans"}[lang]
    assert [s["id"] for s in seen.sections] == ["totals", *(key for key, _ in MEASURES)]
    words = labels(lang)
    for section in seen.sections:
        assert section["height"] > 0, section["id"]
        if section["id"] != "totals":
            assert section["h2"] == words[f"measure_{section['id']}"]
        if section["state"] == "data":
            assert section["reading"].strip(), section["id"]
            assert section["svg"] + section["tables"] > 0, section["id"]
    gap = next(s for s in seen.sections if s["id"] == "gap")
    assert gap["svg"] == 1 and gap["tips"] > 3  # every point has its tooltip
    assert HOSTILE in seen.text  # shown as text
    assert "严格" in seen.text  # a scenario named in Chinese
