"""Every example's report, opened in headless Chromium: each section is there and drawn,
no console error, no network request, and hostile names show as text.

Also makes the README's screenshot: ``CCRULES_SCREENSHOT=docs/report.png python -m pytest
tests/test_report_browser.py`` (the report of examples/inhouse-fintech, cycle 2026-W49,
after W48 was planned, approved and evaluated).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="module")
def evaluated_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """examples/inhouse-fintech with cycle 2026-W48 planned, approved and evaluated: the
    reports of W48 (every section has data) and W49 (inherits W48's review), en and zh."""
    out = tmp_path_factory.mktemp("evaluated")
    folder = out / "inhouse-fintech"
    source = next(c for c in EXAMPLE_CENTERS if c.name == "inhouse-fintech")
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".ccrules"))
    _cli("plan", folder, "--cycle", "2026-W48", "-q")
    _cli("approve", folder, "--cycle", "2026-W48", "--by", "王芳")
    _cli("evaluate", folder, "--cycle", "2026-W48", "-q")
    pages = {}
    for cycle in ("2026-W48", "2026-W49"):
        for lang in ("en", "zh"):
            target = pages[cycle, lang] = out / f"{cycle}.{lang}.html"
            _cli("report", folder, "--cycle", cycle, "--lang", lang, "--out", target, "-q")
    return pages


def test_evaluated_cycle_in_chromium_and_the_readme_screenshot(
    chromium: Browser, evaluated_pages: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    evaluated = chromium.render(evaluated_pages["2026-W48", "en"])
    assert evaluated.console_errors == () and evaluated.requests == ()
    assert all(s["state"] == "data" for s in evaluated.sections if s["id"] != "upstream")
    shot = tmp_path / "report.png"
    seen = chromium.render(evaluated_pages["2026-W49", "en"], shot, width=1200, clip_height=2000)
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


# --- layout: Chinese words, slanted labels, calendar names ---------------------------------

#: Per table cell that is drawn: its text, whether it is running text (``td.text``, the
#: "more rows" line) and the line (rounded top) of each non-space character, with the index
#: of the word it belongs to (words are split at white space and at element boundaries).
_CELLS_JS = """() => [...document.querySelectorAll('th, td')]
  .filter(cell => cell.getClientRects().length > 0)
  .map(cell => {
    const chars = [];
    let word = 0;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) { word++; continue; }
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) chars.push([box.top + box.height / 2, word]);
      }
      word++;
    }
    return {
      text: cell.innerText.trim(),
      running: cell.classList.contains('text') || cell.closest('tr.more') !== null,
      chars: chars,
    };
  })"""


def _lines(chars: list[list[float]]) -> list[list[int]]:
    """Characters grouped into drawn lines (by their vertical middle): the word of each."""
    lines: list[list[int]] = []
    last: float | None = None
    for middle, word in sorted(chars, key=lambda c: c[0]):
        if last is None or middle - last > 6:  # CJK and Latin glyphs differ by a pixel or two
            lines.append([])
        lines[-1].append(int(word))
        last = middle
    return lines


def _broken_cells(cells: list[dict[str, Any]]) -> list[str]:
    """Cells drawn badly: a name or header (not running text) with a word broken across
    lines, or running text with a line of fewer than four characters before its last."""
    bad = []
    for cell in cells:
        lines = _lines(cell["chars"])
        if cell["running"]:
            if any(len(line) < 4 for line in lines[:-1]):
                bad.append(f"running text {cell['text'][:30]!r}: {[len(x) for x in lines]}")
        else:
            words = [{w for w in line} for line in lines]
            split = {w for a, b in itertools.pairwise(words) for w in a & b}
            if split:
                bad.append(f"{cell['text'][:30]!r} broken over {len(lines)} lines")
    return bad


@pytest.mark.parametrize("width", [1280, 390])
def test_no_chinese_name_or_header_breaks_one_character_per_line(
    chromium: Browser,
    hostile_pages: dict[tuple[str, str], Path],
    evaluated_pages: dict[tuple[str, str], Path],
    width: int,
) -> None:
    pages = [hostile_pages[c.name, "zh"] for c in EXAMPLE_CENTERS]
    pages += [evaluated_pages["2026-W48", "zh"], evaluated_pages["2026-W48", "en"]]
    for page in pages:
        cells = chromium.evaluate(page, _CELLS_JS, width=width)
        assert len(cells) > 50, page
        assert any(c["running"] for c in cells) or "W48" not in page.name
        assert _broken_cells(cells) == [], (page.name, width)


def test_the_line_check_sees_a_name_broken_one_character_per_line(
    chromium: Browser, tmp_path: Path
) -> None:
    """What the report looked like before: a squeezed table wraps 一对一辅导 per character."""
    page = tmp_path / "squeezed.html"
    page.write_text(
        "<!DOCTYPE html><html lang='zh-Hans'><body><table style='width: 60px'>"
        "<tr><th>所需人数</th><th>原因</th></tr>"
        "<tr><td>一对一辅导</td><td class='text'>评分不足：只有一名学员，需要五名</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    broken = _broken_cells(chromium.evaluate(page, _CELLS_JS, width=390))
    assert len(broken) == 3, broken  # the header, the name and the running text


#: Per chart in ``{section}``: the chart's box and, for each of ``{texts}``, its text and
#: its box on screen (slanted text's box is the box around the slanted glyphs).
_LABELS_JS = """() => [...document.querySelectorAll('#{section} svg.chart')].map(svg => {{
  const box = r => ({{left: r.left, right: r.right, top: r.top, bottom: r.bottom}});
  return {{
    chart: box(svg.getBoundingClientRect()),
    labels: [...svg.querySelectorAll('{texts}')].map(t => ({{
      text: t.textContent,
      box: box(t.getBoundingClientRect()),
      parent: box(t.parentNode.querySelector('rect') ?
        t.parentNode.querySelector('rect').getBoundingClientRect() :
        svg.getBoundingClientRect()),
      tip: t.parentNode.querySelector('title') ?
        t.parentNode.querySelector('title').textContent : '',
    }})),
  }};
}})"""


def _inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def _outside(charts: list[dict[str, Any]]) -> list[str]:
    """Labels not wholly inside their chart."""
    return [
        label["text"]
        for chart in charts
        for label in chart["labels"]
        if not _inside(label["box"], chart["chart"])
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_heatmap_labels_are_whole_and_inside_the_chart(
    chromium: Browser, tmp_path: Path, center: str, lang: str
) -> None:
    folder = next(c for c in EXAMPLE_CENTERS if c.name == center)
    page = tmp_path / "page.html"
    _cli("report", folder, "--lang", lang, "--out", page, "-q")
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
        names = sorted({engine.center.competencies[n.competency_id].name for n in plan.needs})
    (chart,) = chromium.evaluate(page, _LABELS_JS.format(section="gaps", texts="text.column"))
    assert sorted(label["text"] for label in chart["labels"]) == names  # whole, no "…"
    assert _outside([chart]) == []
    rows = chromium.evaluate(page, _LABELS_JS.format(section="gaps", texts="text.row"))
    assert rows[0]["labels"] and _outside(rows) == []


def test_the_label_check_sees_a_clipped_heading(chromium: Browser, tmp_path: Path) -> None:
    page = tmp_path / "clipped.html"
    page.write_text(
        "<!DOCTYPE html><html><body><section id='gaps'>"
        "<svg class='chart' xmlns='http://www.w3.org/2000/svg' width='120' height='60'>"
        "<text class='column' x='60' y='20' transform='rotate(-40 60 20)'>同理心与服务意识</text>"
        "</svg></section></body></html>",
        encoding="utf-8",
    )
    charts = chromium.evaluate(page, _LABELS_JS.format(section="gaps", texts="text.column"))
    assert _outside(charts) == ["同理心与服务意识"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_calendar_block_is_named_on_it(
    chromium: Browser,
    hostile_pages: dict[tuple[str, str], Path],
    evaluated_pages: dict[tuple[str, str], Path],
    lang: str,
) -> None:
    pages = [hostile_pages[c.name, lang] for c in EXAMPLE_CENTERS]
    pages.append(evaluated_pages["2026-W49", lang])
    for page in pages:
        charts = chromium.evaluate(
            page, _LABELS_JS.format(section="calendar", texts="g.session text")
        )
        blocks = [label for chart in charts for label in chart["labels"]]
        assert blocks, page
        for block in blocks:
            shown = block["text"].replace("…", "")
            # the name on the block starts the course's name, which the tooltip holds whole
            assert len(shown) >= 2 and block["tip"], (page.name, block)
            course = block["tip"].split(" ", 1)[1].replace(" ", "")
            assert course.startswith(shown.replace(" ", "")), (page.name, block)
            assert _inside(block["box"], block["parent"], slack=1.0), (page.name, block)


def test_the_group_page_keeps_chinese_whole_at_1280_and_390_px(
    chromium: Browser, tmp_path: Path
) -> None:
    """The group page of ``ccrules group report`` in Chinese: a reported center with a review,
    a draft, and a failed one with a long error, at a desktop's and a phone's width."""
    from ccrules.group import (
        FAILED,
        REPORTED,
        CenterOutcome,
        CenterSummary,
        Figure,
        ReviewSummary,
    )
    from ccrules.group_report import render_group_page

    plan = CenterSummary(
        needs=176,
        sessions=41,
        attendee_hours=38.9,
        trainer_hours=18.0,
        cost=880.0,
        currency="CNY",
        intervals_below_floor=2,
    )
    review = ReviewSummary(
        plan_revision=1,
        sessions=38,
        needs=111,
        needs_met=47,
        needs_carried=64,
        escalated=3,
        on_site_checks=64,
        recordings=130,
        escalations=34,
        trainers_scored=5,
        trainers_on_probation=0,
        trainers_removed=0,
        attrition_warned=1,
        figures=(Figure("behaviour", 3, 5.47, 30, 2.82, 8.12, 58, "improved"),),
    )
    outcomes = [
        CenterOutcome(
            name="华东一对一辅导中心",
            folder="east",
            status=REPORTED,
            cycle="2026-W48",
            summary=plan,
            review=review,
            approved_revision=1,
            page_name="report-2026-W48.zh.html",
        ),
        CenterOutcome(
            name="深圳 外包 热线",
            folder="sz",
            status=REPORTED,
            cycle="2026-W49",
            summary=plan,
            page_name="report-2026-W49.zh.html",
        ),
        CenterOutcome(
            name="成都客服中心",
            folder="cd",
            status=FAILED,
            cycle="2026-W49",
            error="插件 bpo 在 evidence 阶段出错：评分表缺少列 score，请检查数据导出后重新运行",
        ),
    ]
    page = tmp_path / "index.html"
    page.write_text(render_group_page("集团", outcomes, "zh"), encoding="utf-8")
    for width in (1280, 390):
        cells = chromium.evaluate(page, _CELLS_JS, width=width)
        assert len(cells) > 40
        assert any(c["running"] for c in cells)  # the error is running text
        assert _broken_cells(cells) == [], width
    seen = chromium.render(page, width=390)
    assert seen.console_errors == () and seen.requests == () and seen.scripts == 0
    assert [s["id"] for s in seen.sections] == ["group", "centers"]
