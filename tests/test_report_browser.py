"""Every example's report, opened in headless Chromium: each section is there and drawn,
no console error, no network request, and hostile names show as text.

Also makes the README's screenshot: ``CCRULES_SCREENSHOT=docs/report.png python -m pytest
tests/test_report_browser.py`` (the report of examples/inhouse-fintech, cycle 2026-W49,
after W48 was planned, approved and evaluated).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.browser import Browser, browser
from tests.conftest import EXAMPLE_CENTERS, replace_in

from ccrules import Engine
from ccrules.cli import main
from ccrules.report import LABELS, SECTIONS

HOSTILE = "<script>alert(1)</script>"
HOSTILE_TEAM = '"><img src=x onerror=alert(2)>'
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with browser() as b:
        yield b


def _cli(*args: str | Path) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _plant_hostile_names(folder: Path) -> None:
    """Name an agent who attends a session, and that agent's team, with markup."""
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
        agent = engine.center.agents[plan.sessions[0].attendees[0]]
        team = engine.center.teams[agent.team_id]
    agents, teams = folder / "data" / "agents.csv", folder / "data" / "teams.csv"
    replace_in(agents, f"{agent.id},{agent.name},", f"{agent.id},{HOSTILE},")
    replace_in(
        teams,
        f"{team.id},{team.name},",
        f'{team.id},"{HOSTILE_TEAM.replace(chr(34), 2 * chr(34))}",',
    )


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("hostile")
    pages: dict[tuple[str, str], Path] = {}
    for folder in EXAMPLE_CENTERS:
        copy = out / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".ccrules"))
        _plant_hostile_names(copy)
        for lang in ("en", "zh"):
            pages[folder.name, lang] = out / f"{folder.name}.{lang}.html"
            _cli("report", copy, "--lang", lang, "--out", pages[folder.name, lang], "-q")
    return pages


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_report_in_chromium(
    chromium: Browser,
    hostile_pages: dict[tuple[str, str], Path],
    tmp_path: Path,
    center: str,
    lang: str,
) -> None:
    shot = tmp_path / "page.png"
    seen = chromium.render(hostile_pages[center, lang], shot, full_page=True)
    assert seen.console_errors == () and seen.errors == () and seen.dialogs == ()
    assert seen.requests == ()  # nothing is loaded from anywhere
    assert seen.scripts == 0
    assert seen.lang == {"en": "en", "zh": "zh-Hans"}[lang]
    assert [s["id"] for s in seen.sections] == list(SECTIONS)
    for section in seen.sections:
        assert section["h2"] == LABELS[lang][section["id"]]
        assert section["height"] > 0, section["id"]  # drawn, not hidden
        if section["state"] == "data":
            assert section["reading"].strip(), section["id"]
            assert section["svg"] + section["tables"] > 0, section["id"]
        else:
            assert section["empty"].strip(), section["id"]
    gaps = next(s for s in seen.sections if s["id"] == "gaps")
    assert gaps["svg"] == 1 and gaps["tips"] > 1  # every cell has a tooltip
    assert HOSTILE in seen.text and HOSTILE_TEAM in seen.text  # shown, as text
    assert shot.read_bytes()[:8] == PNG and shot.stat().st_size > 20_000


def test_evaluated_cycle_in_chromium_and_the_readme_screenshot(
    chromium: Browser, tmp_path: Path
) -> None:
    folder = tmp_path / "inhouse-fintech"
    source = next(c for c in EXAMPLE_CENTERS if c.name == "inhouse-fintech")
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".ccrules"))
    _cli("plan", folder, "--cycle", "2026-W48", "-q")
    _cli("approve", folder, "--cycle", "2026-W48", "--by", "王芳")
    _cli("evaluate", folder, "--cycle", "2026-W48", "-q")
    pages = {}
    for cycle in ("2026-W48", "2026-W49"):
        pages[cycle] = tmp_path / f"{cycle}.html"
        _cli("report", folder, "--cycle", cycle, "--out", pages[cycle], "-q")
    evaluated = chromium.render(pages["2026-W48"])
    assert evaluated.console_errors == () and evaluated.requests == ()
    assert all(s["state"] == "data" for s in evaluated.sections if s["id"] != "upstream")
    shot = tmp_path / "report.png"
    seen = chromium.render(pages["2026-W49"], shot, width=1200, clip_height=2000)
    assert seen.console_errors == () and seen.requests == ()
    assert "From the review of cycle 2026-W48." in seen.text
    assert shot.read_bytes()[:8] == PNG
    wanted = os.environ.get("CCRULES_SCREENSHOT")
    if wanted:
        shutil.copyfile(shot, wanted)


def test_the_browser_sees_what_the_report_must_not_do(chromium: Browser, tmp_path: Path) -> None:
    """The checks above can fail: a page with a script, a dialog, an error and a request."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><body>"
        "<section class='section' id='x' data-state='data'><h2>X</h2></section>"
        "<img src='http://192.0.2.1/pixel.png'>"
        "<script>console.error('broken'); alert('hi'); undefined_function();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    seen = chromium.render(page)
    assert "broken" in seen.console_errors
    assert seen.dialogs == ("hi",)
    assert any("undefined_function" in e for e in seen.errors)
    assert seen.requests == ("http://192.0.2.1/pixel.png",)
    assert seen.scripts == 1 and [s["id"] for s in seen.sections] == ["x"]
