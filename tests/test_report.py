"""`ccrules report`: the cycle report page, its sections, languages, safety and bad input.

The page is checked here as HTML text (parsed with the standard library); tests/
test_report_browser.py opens the same pages in headless Chromium.
"""

from __future__ import annotations

import ast
import csv
import html
import importlib
import re
import shutil
import string
from collections import Counter
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE_CENTERS, EXAMPLES, line_of, replace_in, written

from ccrules import Engine
from ccrules._html import (
    Bar,
    _lines,
    bar_chart,
    el,
    esc,
    heat_colour,
    number,
    redacting,
    text_width,
)
from ccrules.model import FollowUpKind, Format, OperatingModel, TrainerStatus, Verdict
from ccrules.report import LABELS, LANGS, SECTIONS, Pseudonyms, render_report
from ccrules.strategies import CenterData, centers

HOSTILE = "<script>alert(1)</script>"


class Page(HTMLParser):
    """The parts of a report page the tests read: sections (state, heading, reading, text),
    table rows per section, and every tag and attribute seen."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict[str, object]] = {}
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.lang: str | None = None
        self._section: str | None = None
        self._capture: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        values = dict(attrs)
        self.attributes += [(tag, k, v) for k, v in attrs]
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "section" and values.get("class") == "section":
            ident = str(values["id"])
            self._section = ident
            self.sections[ident] = {
                "state": values.get("data-state"),
                "h2": "",
                "reading": "",
                "empty": "",
                "text": "",
                "rows": [],
                "svg": 0,
            }
        if self._section is None:
            return
        section = self.sections[self._section]
        if tag == "svg":
            section["svg"] = int(str(section["svg"])) + 1
        if tag == "h2":
            self._capture = "h2"
        elif tag == "p" and values.get("class") in ("reading", "empty"):
            self._capture = str(values["class"])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        elif tag in ("h2", "p"):
            self._capture = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._section is not None:
            rows = self.sections[self._section]["rows"]
            assert isinstance(rows, list)
            rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._section is None:
            return
        section = self.sections[self._section]
        section["text"] = str(section["text"]) + data
        if self._capture is not None:
            section[self._capture] = str(section[self._capture]) + data
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, section: str) -> list[list[str]]:
        rows = self.sections[section]["rows"]
        assert isinstance(rows, list)
        return rows

    def text(self, section: str) -> str:
        return str(self.sections[section]["text"])


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every example's report in both languages, rendered once for this module."""
    from click.testing import CliRunner

    from ccrules.cli import main

    out = tmp_path_factory.mktemp("reports")
    runner = CliRunner()
    made: dict[tuple[str, str], Path] = {}
    for folder in EXAMPLE_CENTERS:
        copy = out / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".ccrules"))
        for lang in LANGS:
            target = out / f"{folder.name}.{lang}.html"
            result = runner.invoke(
                main, ["report", str(copy), "--lang", lang, "--out", str(target), "-q"]
            )
            assert result.exit_code == 0, result.output
            made[folder.name, lang] = target
    return made


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_every_example_has_every_section_in_order(
    pages: dict[tuple[str, str], Path], center: str, lang: str
) -> None:
    text = pages[center, lang].read_text(encoding="utf-8")
    page = Page(text)
    assert list(page.sections) == list(SECTIONS)
    assert page.lang == {"en": "en", "zh": "zh-Hans"}[lang]
    for ident, section in page.sections.items():
        assert section["h2"] == LABELS[lang][ident]
        if section["state"] == "data":
            assert str(section["reading"]).strip(), ident
        else:
            assert section["state"] == "empty" and str(section["empty"]).strip(), ident
    # the core sections always have data on the examples; charts come with their numbers
    for ident in ("overview", "gaps", "needs", "mix", "hours", "calendar", "service"):
        assert page.sections[ident]["state"] == "data", ident
    for ident in ("gaps", "needs", "mix", "hours", "calendar", "service"):
        assert int(str(page.sections[ident]["svg"])) >= 1, ident
        assert page.rows(ident), ident


@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_the_page_is_self_contained(pages: dict[tuple[str, str], Path], center: str) -> None:
    text = pages[center, "en"].read_text(encoding="utf-8")
    page = Page(text)
    assert page.tags["script"] == 0
    assert page.tags["img"] == page.tags["link"] == page.tags["iframe"] == 0
    assert "Content-Security-Policy" in text and "default-src 'none'" in html.unescape(text)
    for tag, name, value in page.attributes:
        if name in ("src", "href", "action"):
            assert value is not None and value.startswith("#"), (tag, name, value)
    # the only URL in the page is SVG's namespace, which loads nothing
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {"http://www.w3.org/2000/svg"}


def test_chinese_names_and_labels_survive(pages: dict[tuple[str, str], Path]) -> None:
    page = read(pages["inhouse-fintech", "zh"])
    with (EXAMPLES / "inhouse-fintech" / "data" / "teams.csv").open(encoding="utf-8") as f:
        teams = [row["name"] for row in csv.DictReader(f)]
    assert "理财一组" in teams
    gaps = " ".join(" ".join(row) for row in page.rows("gaps"))
    assert "理财一组" in gaps
    assert page.sections["gaps"]["h2"] == "各团队能力差距"
    assert "最大" in str(page.sections["gaps"]["reading"])


def test_same_inputs_give_a_byte_identical_page(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("telecom-hotline")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert cli("report", folder, "--out", first, "-q").exit_code == 0
    assert cli("report", folder, "--out", second, "-q").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_default_path_stdout_and_next_step(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    folder = example("bpo-inbound")
    result = cli("report", folder, "-q")
    assert result.exit_code == 0, result.output
    target = folder / "report-2026-12.html"
    assert target.exists()
    assert f"report written to {target}" in result.stderr
    assert f"Next: open {target}" in result.stdout
    zh = cli("report", folder, "--lang", "zh", "-q")
    assert zh.exit_code == 0 and (folder / "report-2026-12.zh.html").exists()
    piped = cli("report", folder, "--out", "-", "-q")
    assert piped.exit_code == 0
    assert piped.stdout == target.read_text(encoding="utf-8")
    assert "report written" not in piped.stderr


# --- the numbers behind the charts ----------------------------------------------------------


def test_gap_cells_count_agents_with_a_need_per_team(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("telecom-hotline")
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
        center = engine.center
        expected: dict[tuple[str, str], set[str]] = {}
        for need in plan.needs:
            team = center.agents[need.agent_id].team_id
            expected.setdefault(
                (center.teams[team].name, center.competencies[need.competency_id].name), set()
            ).add(need.agent_id)
        members = {center.teams[t].name: len(center.members(t)) for t in center.teams}
    out = tmp_path / "r.html"
    assert cli("report", folder, "--out", out, "-q").exit_code == 0
    rows = read(out).rows("gaps")[1:]  # after the header row
    seen = {(r[0], r[1]): (int(r[2]), int(r[3]), r[4]) for r in rows}
    assert set(seen) == set(expected)
    for key, agents in expected.items():
        total, count, share = seen[key]
        assert count == len(agents) and total == members[key[0]]
        assert share == f"{round(100 * len(agents) / total)}%"


@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_needs_count_by_source_and_owner_in_words(
    pages: dict[tuple[str, str], Path], center: str
) -> None:
    with Engine.from_folder(EXAMPLES / center) as engine:
        plan = engine.plan()
        teams = {t.id: t.name for t in engine.center.teams.values()}
    for lang in LANGS:
        labels = LABELS[lang]
        by_source = Counter(labels[f"source_{n.source}"] for n in plan.needs)
        by_owner = Counter(
            labels["team_lead"] if n.owner_team == "team-lead" else teams[n.owner_team]
            for n in plan.needs
        )
        page = read(pages[center, lang])
        most = max(by_source.values())
        reading = str(page.sections["needs"]["reading"])
        assert any(
            f"{k}{'（' if lang == 'zh' else ' ('}" in reading
            for k, v in by_source.items()
            if v == most
        )
        rows = page.rows("needs")
        owner_header = rows.index([labels["owner"], labels["count"], labels["share"]])
        assert {r[0]: int(r[1]) for r in rows[1:owner_header]} == by_source, lang
        assert {r[0]: int(r[1]) for r in rows[owner_header + 1 :]} == by_owner, lang


def _first_party_need_sources() -> set[str]:
    """Every ``source=`` the first-party packs give ``Need(...)`` or ``attrs.evolve(...)``,
    read from their code."""
    found: set[str] = set()
    for path in sorted((Path(__file__).parents[1] / "plugins").glob("ccrules_*/*.py")):
        module = importlib.import_module(f"{path.parent.name}.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if ast.unparse(node.func) in ("Need", "attrs.evolve"):
                for keyword in node.keywords:
                    if keyword.arg == "source":
                        value = (
                            ast.literal_eval(keyword.value)
                            if isinstance(keyword.value, ast.Constant)
                            else getattr(module, ast.unparse(keyword.value))
                        )
                        found.add(value)
    return found


def test_every_first_party_need_source_has_a_label() -> None:
    sources = _first_party_need_sources()
    assert {"qa", "kpi", "carried", "release-lead", "mandate"} <= sources  # the scan works
    for lang in LANGS:
        assert {s for s in sources if f"source_{s}" not in LABELS[lang]} == set(), lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_value_the_page_shows_has_a_label(lang: str) -> None:
    shown = [OperatingModel, Format, Verdict, FollowUpKind, TrainerStatus]
    missing = [v.value for e in shown for v in e if f"value_{v.value}" not in LABELS[lang]]
    assert missing == []


def test_values_show_in_the_pages_language(pages: dict[tuple[str, str], Path]) -> None:
    zh = read(pages["inhouse-fintech", "zh"])
    assert ["运营模式", "自建中心"] in zh.rows("overview")
    formats = {r[4] for r in zh.rows("calendar")[1:] if len(r) == 8}
    assert formats and formats <= {LABELS["zh"][f"value_{f.value}"] for f in Format}
    en = read(pages["bpo-inbound", "en"])
    assert ["Operating model", "BPO"] in en.rows("overview")


def test_a_source_without_a_label_shows_as_it_is(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
        assert plan.needs
        needs = (attrs.evolve(plan.needs[0], source="vendor-audit"), *plan.needs[1:])
        page = Page(render_report(attrs.evolve(plan, needs=needs), engine.center))
    assert ["vendor-audit", "1", f"{100 / len(needs):.1f}%"] in page.rows("needs")


def test_hours_add_up_to_the_plans_attendee_minutes(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("tax-software-support")
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
    per_agent = Counter[str]()
    for session in plan.sessions:
        for agent in session.attendees:
            per_agent[agent] += session.duration_minutes
    out = tmp_path / "r.html"
    assert cli("report", folder, "--out", out, "-q").exit_code == 0
    rows = read(out).rows("hours")
    team_header = rows.index(["Team", "Agents", "Hours", "Hours per agent"])
    agent_header = rows.index(["Agent", "Name", "Team", "Sessions", "Hours"])
    team_hours = sum(float(r[2]) for r in rows[team_header + 1 : agent_header])
    assert team_hours == pytest.approx(sum(per_agent.values()) / 60, abs=0.05)
    agents = {r[0]: float(r[4]) for r in rows[agent_header + 1 :] if len(r) == 5}
    assert agents == {a: pytest.approx(m / 60, abs=0.005) for a, m in per_agent.items()}


def test_mix_reading_follows_the_target(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("telecom-hotline")
    out = tmp_path / "r.html"
    assert cli("report", folder, "--out", out, "-q").exit_code == 0
    assert "meeting the 30% target" in str(read(out).sections["mix"]["reading"])
    replace_in(
        folder / "center.toml",
        "[plugins.healthy-mix]\ntarget = 0.3",
        "[plugins.healthy-mix]\ntarget = 0.9",
    )
    assert cli("report", folder, "--out", out, "-q").exit_code == 0
    assert "short of the 90% target" in str(read(out).sections["mix"]["reading"])


def test_upstream_flags_show_the_feedback_packs_topics(pages: dict[tuple[str, str], Path]) -> None:
    telecom = read(pages["telecom-hotline", "en"])
    assert telecom.sections["upstream"]["state"] == "data"
    assert any("月初账单查询" in cell for row in telecom.rows("upstream") for cell in row)
    fintech = read(pages["inhouse-fintech", "en"])  # no feedback pack there
    assert fintech.sections["upstream"]["state"] == "empty"
    assert "feedback" in str(fintech.sections["upstream"]["empty"])


def test_bpo_cost_is_shown(pages: dict[tuple[str, str], Path]) -> None:
    bpo = read(pages["bpo-inbound", "en"])
    assert "Training cost per course" in bpo.text("hours")
    assert "星河电商" in bpo.text("hours")
    page = pages["bpo-inbound", "en"].read_text(encoding="utf-8")
    chart = page[page.index('aria-label="Training cost per course"') :]
    chart = chart[: chart.index("</svg>")]
    bars = re.findall(r"<title>([^<]*): ([\d.,]+(?: CNY)?)</title>", chart)
    # courses only, in the center's currency ([center] currency = "CNY")
    assert len(bars) == 6 and ("客户品牌与价值观（客户必修）", "1,965 CNY") in bars


def test_service_reading_names_the_lowest_interval(pages: dict[tuple[str, str], Path]) -> None:
    page = read(pages["telecom-hotline", "en"])
    reading = str(page.sections["service"]["reading"])
    with Engine.from_folder(EXAMPLES / "telecom-hotline") as engine:
        plan = engine.plan()
    low = min(plan.service, key=lambda i: (i.service_level_after, i.start, i.queue))
    assert f"{low.service_level_after * 100:.1f}%" in reading
    assert low.queue in reading
    below = sum(1 for i in plan.service if i.service_level_after < i.floor)
    assert f"{below} interval(s) below it" in reading


# --- legends ----------------------------------------------------------------------------------


class Keys(HTMLParser):
    """Per section: the drawing classes of each chart's shapes, and the keys and texts of
    the section's legends."""

    SHAPES = frozenset({"rect", "circle", "line", "polyline", "path"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, list[set[str]]] = {}
        self.keys: dict[str, dict[str, str]] = {}
        self._section: str | None = None
        self._key: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section" and values.get("class") == "section":
            self._section = str(values["id"])
            self.charts[self._section] = []
            self.keys[self._section] = {}
        if self._section is None:
            return
        if tag == "svg":
            self.charts[self._section].append(set())
        elif tag in self.SHAPES and self.charts[self._section]:
            classes = set(str(values.get("class") or "(none)").split())
            self.charts[self._section][-1] |= classes - {"grid"}
        elif tag == "span" and values.get("data-key"):
            self._key = str(values["data-key"])
            self.keys[self._section][self._key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._section is not None and self._key is not None:
            self.keys[self._section][self._key] += data


def legend_problems(text: str) -> list[str]:
    """Colours and markers a chart draws that its section's legend does not name. A chart
    of one colour and no marker (bars of one quantity, named by their title) needs none."""
    keys = Keys(text)
    problems = []
    for section, charts in keys.charts.items():
        named = keys.keys[section]
        problems += [f"{section}: empty legend text for {k}" for k, v in named.items() if not v]
        for classes in charts:
            if len(classes) > 1 or classes & {"target", "floor", "mark", "heat"}:
                problems += [f"{section}: no legend for {c}" for c in sorted(classes - set(named))]
    return problems


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("center", [c.name for c in EXAMPLE_CENTERS])
def test_every_colour_and_marker_has_a_legend(
    pages: dict[tuple[str, str], Path], center: str, lang: str
) -> None:
    text = pages[center, lang].read_text(encoding="utf-8")
    assert legend_problems(text) == []
    keys = Keys(text).keys
    assert set(keys["gaps"]) >= {"heat-scale", "heat", "nil"}
    assert keys["gaps"]["heat-scale"] == LABELS[lang]["legend_heat"]
    if Keys(text).charts["service"]:
        assert keys["service"]["mark"] == LABELS[lang]["legend_mark"]
    calendar = set(keys["calendar"])
    assert calendar and all(k.startswith("fmt-") for k in calendar)


def test_the_legend_check_sees_a_colour_without_a_key() -> None:
    page = (
        '<section class="section" id="x"><div class="legend"><span data-key="a">A</span></div>'
        '<svg><rect class="a"/><rect class="b"/><line class="grid"/></svg></section>'
        '<section class="section" id="y"><svg><rect class="bar"/></svg>'
        '<svg><circle class="mark"/></svg></section>'
    )
    assert legend_problems(page) == ["x: no legend for b", "y: no legend for mark"]


# --- the loop: approved plan, review, inherited standing ----------------------------------


def test_report_follows_the_loop(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("inhouse-fintech")
    out = tmp_path / "w48.html"
    assert cli("report", folder, "--cycle", "2026-W48", "--out", out, "-q").exit_code == 0
    draft = out.read_text(encoding="utf-8")
    assert "Draft plan" in draft
    assert read(out).sections["evaluation"]["state"] == "empty"
    assert written(folder) == []  # a draft report records nothing

    assert cli("plan", folder, "--cycle", "2026-W48", "-q").exit_code == 0
    assert cli("approve", folder, "--cycle", "2026-W48", "--by", "王经理").exit_code == 0
    assert cli("evaluate", folder, "--cycle", "2026-W48", "-q").exit_code == 0
    assert cli("report", folder, "--cycle", "2026-W48", "--out", out, "-q").exit_code == 0
    page = read(out)
    assert "Approved plan, revision 1, approved by 王经理" in out.read_text(encoding="utf-8")
    for ident in ("evaluation", "trainers", "escalations", "attrition"):
        assert page.sections[ident]["state"] == "data", ident
    assert "Score" in page.text("trainers")  # scorecards, not the plan's trainer load
    # the trainees no comparison agent could be matched with are counted and named
    reading = str(page.sections["evaluation"]["reading"])
    assert reading.startswith("Level 3 (behaviour): 5.47 for 30 trained agents; improved.")
    assert reading.endswith(
        " 21 trained agents left out (no comparison agent in their baseline band): 陈静, 赵磊, "
        "何欣, 林悦, 郑爽 and 16 more."
    )
    zh = tmp_path / "w48.zh.html"
    made = cli("report", folder, "--cycle", "2026-W48", "--lang", "zh", "--out", zh, "-q")
    assert made.exit_code == 0
    for evaluated in (out, zh):  # escalations are coloured by level
        text = evaluated.read_text(encoding="utf-8")
        assert legend_problems(text) == []
        assert "bar-alt" in Keys(text).keys["escalations"]  # level 1: check again
    assert str(read(zh).sections["evaluation"]["reading"]).endswith(
        "另有 21 名受训坐席因同一基线段内没有对照坐席而未计入：陈静、赵磊、何欣、林悦、郑爽"
        "等另外 16 人。"
    )

    nxt = tmp_path / "w49.html"
    assert cli("report", folder, "--cycle", "2026-W49", "--out", nxt, "-q").exit_code == 0
    page = read(nxt)
    assert page.sections["evaluation"]["state"] == "empty"
    for ident in ("trainers", "escalations", "attrition"):
        assert "From the review of cycle 2026-W48." in page.text(ident), ident


# --- safety ---------------------------------------------------------------------------------


def test_hostile_names_are_text(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("inhouse-fintech")
    replace_in(folder / "data" / "agents.csv", "IN003,张伟,", f"IN003,{HOSTILE},")
    replace_in(
        folder / "data" / "teams.csv", "T1,理财一组,", 'T1,"""><img src=x onerror=alert(2)>",'
    )
    out = tmp_path / "r.html"
    result = cli("report", folder, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert page.tags["script"] == 0 and page.tags["img"] == 0
    assert html.escape(HOSTILE) in text
    assert HOSTILE in page.text("hours")  # IN003 attends training: the name is shown, as text
    assert '"><img src=x onerror=alert(2)>' in page.text("gaps")


def _names(folder: Path) -> list[tuple[str, str]]:
    with (folder / "data" / "agents.csv").open(encoding="utf-8") as f:
        return [(row["agent_id"], row["name"]) for row in csv.DictReader(f)]


def test_redact_replaces_every_agent_with_a_stable_pseudonym(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("inhouse-fintech")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert cli("report", folder, "--redact", "--out", first, "-q").exit_code == 0
    key = folder / ".ccrules" / "redact.key"
    assert key.stat().st_mode & 0o777 == 0o600
    text = first.read_text(encoding="utf-8")
    for agent_id, name in _names(folder):
        assert name not in text, name
        assert not re.search(rf"(?<![0-9A-Za-z]){agent_id}(?![0-9A-Za-z])", text), agent_id
    assert "Agent and trainer names are replaced by pseudonyms." in text
    aliases = set(re.findall(r"A-[0-9A-F]{10,}", text))
    assert len(aliases) >= 50  # one per agent shown, not one for all
    assert cli("report", folder, "--redact", "--out", second, "-q").exit_code == 0
    assert second.read_bytes() == first.read_bytes()  # stable: same key, same pseudonyms
    key.write_text("00" * 32 + "\n", encoding="ascii")
    assert cli("report", folder, "--redact", "--out", second, "-q").exit_code == 0
    assert set(re.findall(r"A-[0-9A-F]{10,}", second.read_text(encoding="utf-8"))) != aliases
    plain = tmp_path / "plain.html"
    assert cli("report", folder, "--out", plain, "-q").exit_code == 0
    assert "张伟" in plain.read_text(encoding="utf-8")


def _long_names(path: Path, column: str) -> list[str]:
    """Give everyone in ``path`` a made-up name longer than any chart label: letters G-Z
    only, so no piece of it can come from a pseudonym (hex) or from the page itself."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    letters = "GHJKLMNPQRSTVWXZ"
    names = []
    for number_, row in enumerate(rows):
        word = "".join(letters[(number_ * 7 + k * k * 3 + k) % len(letters)] for k in range(20))
        code = "".join(letters[number_ >> shift & 15] for shift in (8, 4, 0))
        row["name"] = f"{word} {code}{column} {word[::-1]}"
        names.append(row["name"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return names


def test_redact_leaves_no_piece_of_a_long_name_in_a_clipped_label(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("inhouse-fintech")
    names = _long_names(folder / "data" / "agents.csv", "MLTV")
    names += _long_names(folder / "data" / "trainers.csv", "ZKRX")
    plain, redacted = tmp_path / "plain.html", tmp_path / "redacted.html"
    assert cli("report", folder, "--out", plain, "-q").exit_code == 0
    assert "…" in plain.read_text(encoding="utf-8")  # some label is clipped
    assert cli("report", folder, "--redact", "--out", redacted, "-q").exit_code == 0
    text = redacted.read_text(encoding="utf-8")
    for name in names:
        pieces = {name[i : i + 4] for i in range(len(name) - 3)}
        leaked = sorted(p for p in pieces if p in text)
        assert not leaked, (name, leaked)


def test_pseudonyms_are_unique_even_where_digests_share_a_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ccrules.report

    monkeypatch.setattr(ccrules.report, "PSEUDONYM_DIGITS", 2)  # 256 pseudonyms for 2,000
    with Engine.from_folder(EXAMPLES / "inhouse-fintech") as engine:
        template = next(iter(engine.center.agents.values()))
        agents = {
            f"X{n:05d}": attrs.evolve(template, id=f"X{n:05d}", name=f"Agent {n}")
            for n in range(2000)
        }
        center = attrs.evolve(engine.center, agents=agents)
        first = Pseudonyms(b"k" * 32, center)
        aliases = [first.alias("A", ident) for ident in agents]
        assert len(set(aliases)) == len(aliases)
        # the same key gives the same pseudonyms, whatever order the agents come in
        shuffled = attrs.evolve(center, agents=dict(reversed(list(agents.items()))))
        again = Pseudonyms(b"k" * 32, shuffled)
        assert [again.alias("A", ident) for ident in agents] == aliases


def test_pseudonyms_do_not_collide_among_200000_agents() -> None:
    with Engine.from_folder(EXAMPLES / "inhouse-fintech") as engine:
        pseudonyms = Pseudonyms(b"k" * 32, engine.center)
        aliases = {pseudonyms.alias("A", f"AG{n:06d}") for n in range(200_000)}
        assert len(aliases) == 200_000


def test_pseudonyms_replace_whole_ids_and_names_only() -> None:
    with Engine.from_folder(EXAMPLES / "inhouse-fintech") as engine:
        pseudonyms = Pseudonyms(b"k" * 32, engine.center)
        alias = pseudonyms.alias("A", "IN001")
        assert pseudonyms("IN001 and 王建国") == f"{alias} and {alias}"
        assert pseudonyms("qa:IN001:C-COMM") == f"qa:{alias}:C-COMM"
        assert pseudonyms("IN0011 XIN001") == "IN0011 XIN001"  # not inside a longer id
        assert Pseudonyms(b"j" * 32, engine.center).alias("A", "IN001") != alias
        with pytest.raises(ValueError, match="16 bytes"):
            Pseudonyms(b"short", engine.center)


# --- bad input: a clear message, exit 2, nothing written ----------------------------------


def _refused(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    return result.stderr


def test_unknown_cycle_is_refused(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    folder = example("bpo-inbound")
    message = _refused(cli("report", folder, "--cycle", "2031-01"))
    assert "2031-01" in message and "2026-12" in message  # the known cycles are listed
    assert not list(folder.glob("report-*.html")) and written(folder) == []


def test_bad_data_is_refused_with_file_and_line(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("bpo-inbound")
    agents = folder / "data" / "agents.csv"
    text = agents.read_text(encoding="utf-8").splitlines()
    first_agent = text[1].split(",")[0]
    line = line_of(agents, first_agent + ",")
    replace_in(agents, first_agent + ",", ",")  # an empty agent id
    out = tmp_path / "r.html"
    message = _refused(cli("report", folder, "--out", out))
    assert f"data/agents.csv:{line}" in message
    assert "nothing was written" in message
    assert not out.exists() and written(folder) == []


def test_unwritable_out_is_refused(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("bpo-inbound")
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    message = _refused(cli("report", folder, "--out", blocker / "r.html"))
    assert str(blocker / "r.html") in message and "choose another --out" in message
    assert not (folder / "report-2026-12.html").exists()


def test_bad_lang_and_out_directory_are_usage_errors(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("bpo-inbound")
    assert "'fr' is not one of 'en', 'zh'" in _refused(cli("report", folder, "--lang", "fr"))
    _refused(cli("report", folder, "--out", tmp_path))
    assert not list(folder.glob("report-*.html"))


def test_broken_redact_key_is_refused(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = example("bpo-inbound")
    (folder / ".ccrules").mkdir()
    (folder / ".ccrules" / "redact.key").write_text("not hex\n", encoding="ascii")
    out = tmp_path / "r.html"
    message = _refused(cli("report", folder, "--redact", "--out", out))
    assert "redact.key" in message and "32 hex digits" in message
    assert not out.exists()


# --- the parts --------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_is_in_both_languages_with_the_same_fields() -> None:
    assert set(LABELS["en"]) == set(LABELS["zh"])
    for key, english in LABELS["en"].items():
        assert _fields(english) == _fields(LABELS["zh"][key]), key
    for ident in SECTIONS:
        assert ident in LABELS["en"]


def test_progress_reports_each_section_in_order() -> None:
    seen: list[str] = []
    with Engine.from_folder(EXAMPLES / "bpo-inbound") as engine:
        render_report(engine.plan(), engine.center, progress=seen.append)
    assert seen == list(SECTIONS)


def test_unknown_language_is_a_value_error() -> None:
    with (
        Engine.from_folder(EXAMPLES / "bpo-inbound") as engine,
        pytest.raises(ValueError, match="unknown language 'fr'"),
    ):
        render_report(engine.plan(), engine.center, lang="fr")


@given(st.text())
def test_escaped_text_is_never_markup(text: str) -> None:
    escaped = esc(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == text


class _One(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}
        self.data = ""
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        self.attrs = dict(attrs)

    def handle_data(self, data: str) -> None:
        self.data += data


@given(st.text(), st.text())
def test_elements_keep_attributes_and_text_as_given(title: str, body: str) -> None:
    parser = _One()
    parser.feed(el("span", {"title": title}, body))
    parser.close()
    assert parser.tags == 1
    assert parser.attrs == {"title": title}
    assert parser.data == body


@given(st.text(min_size=1, alphabet=st.characters(categories=["L", "N"])))
def test_redaction_applies_to_every_data_string(name: str) -> None:
    # "#" is neither a letter nor a digit, so the pseudonym can never contain the name.
    with redacting(lambda text: text.replace(name, "#")):
        page = el("p", {"title": name}, name, " ", name)
    parser = _One()
    parser.feed(page)
    parser.close()
    assert parser.attrs == {"title": "#"}
    assert parser.data == "# #"


@given(
    st.text(alphabet=st.sampled_from("ab Z9 沟通表达一对一辅导"), max_size=60),
    st.floats(min_value=24, max_value=300),
    st.integers(min_value=1, max_value=5),
)
def test_block_names_break_into_lines_that_fit(text: str, width: float, most: int) -> None:
    lines = _lines(text, width, 11, most)
    assert len(lines) <= most
    assert all(text_width(line, 11) <= width for line in lines)
    shown = "".join(lines).replace(" ", "")
    whole = text.replace(" ", "")
    if "…" in shown:  # cut: what shows is the start of the name
        assert shown.endswith("…") and whole.startswith(shown[:-1])
    else:
        assert shown == whole


def test_block_names_leave_no_character_alone_on_a_line() -> None:
    assert _lines("投诉处理一对一", 66, 11, 3) == ["投诉处理一", "对一"]
    assert _lines("需求挖掘与产品推荐 Needs discovery", 70, 11, 4) == [
        "需求挖掘与产",
        "品推荐",
        "Needs",
        "discovery",
    ]
    assert _lines("沟通表达一对一辅导", 40, 11, 1) == ["沟通表…"]


def test_bars_scale_to_the_largest_value() -> None:
    svg = bar_chart("t", [Bar("a", 10.0, "10", "a"), Bar("b", 5.0, "5", "b")], width=760)
    widths = [float(w) for w in re.findall(r'<rect x="230" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == [360.0, 180.0]  # 760 - 230 labels - 170 values, then half of it
    assert heat_colour(0.0) == "#fff7ec" and heat_colour(1.0) == "#b30000"
    assert number(0.5) == "0.5" and number(2.0) == "2" and number(None) == "–"


def test_large_centers_draw_the_largest_and_keep_the_rest_in_tables(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    from ccrules.report import CHART_LIMIT, TABLE_LIMIT

    folder = tmp_path / "big"
    assert cli("synth", folder, "--agents", "900", "--qa-rows", "40000", "--quiet").exit_code == 0
    out = tmp_path / "big.html"
    assert cli("report", folder, "--out", out, "-q").exit_code == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    gaps = text[text.index('<section class="section" id="gaps"') :]
    gaps = gaps[: gaps.index("</svg>")]
    drawn_rows = re.findall(r'<text [^>]*class="row"', gaps)
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
        teams = {engine.center.agents[n.agent_id].team_id for n in plan.needs}
    assert len(teams) > CHART_LIMIT and len(drawn_rows) == CHART_LIMIT
    assert f"The largest {CHART_LIMIT} of {len(teams)} are drawn" in page.text("gaps")
    hours = page.rows("hours")
    assert any("more rows" in " ".join(r) for r in hours)  # 900 agents: the table is cut
    assert len(hours) <= 2 * (TABLE_LIMIT + 2) + 20


def _unmistakable(center: CenterData) -> CenterData:
    """The center with every person's name made unique and impossible to find in the page's
    labels or in another drawn name ("Ag" is in "Agent", "培" in "培训"), so that finding it
    in a redacted page can only mean the redaction missed it. The drawn name stays the
    front of it: a name that is the prefix of another still has to be redacted whole."""
    names = {row["agent_id"]: f"{row['name']}⟪{n}⟫" for n, row in enumerate(center.data["agents"])}

    def renamed(row: Mapping[str, str]) -> dict[str, str]:
        if row.get("agent_id") in names:
            return {**row, "name": names[row["agent_id"]]}
        if row.get("trainer_id"):
            return {**row, "name": f"{row['name']}⟪T{row['trainer_id']}⟫"}
        return dict(row)

    data = dict(center.data)
    for source in ("agents", "trainers"):
        data[source] = tuple(renamed(row) for row in center.data[source])
    return attrs.evolve(center, data=data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(centers(), st.sampled_from(LANGS), st.booleans())
def test_any_center_gives_a_whole_deterministic_page(
    center: CenterData, lang: str, redact: bool
) -> None:
    if redact:
        center = _unmistakable(center)
    with center.engine() as engine:
        plan = engine.plan()
        pseudonyms = Pseudonyms(b"p" * 16, engine.center) if redact else None
        first = render_report(plan, engine.center, lang=lang, redact=pseudonyms)
        again = render_report(plan, engine.center, lang=lang, redact=pseudonyms)
        names = [a.name for a in engine.center.agents.values()]
        names += [t.name for t in engine.center.trainers.values()]
        seated = [engine.center.agents[a].name for s in plan.sessions for a in s.attendees]
    assert first == again
    page = Page(first)
    assert list(page.sections) == list(SECTIONS)
    assert page.tags["script"] == 0
    shown = html.unescape(first)
    if redact:
        for name in names:
            assert name not in shown, name
    else:  # whoever attends training is named in the hours table
        hours = " ".join(" ".join(row) for row in page.rows("hours"))
        for name in seated:
            assert name in hours, name
