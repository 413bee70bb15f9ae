"""The monthly-theme pack (seed 001's "one theme a month"): one classroom theme a month for
every front-line agent, no targeting, on copies of the example centers with
``enabled = ["default", "monthly-theme"]``.

The examples' cycles: bpo-inbound has one December cycle (2026-12-01 to 12-11), so all its
agents attend it; the other three have two November cycles (2026-W48 and 2026-W49, starting
on November 23 and 30), which share the month's agents out.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLES, written
from tests.packs.translated import chinese, english_in, folder_names, reasons_in, untranslated

import ccrules_packs.baseline
from ccrules import Engine, InputError
from ccrules._toml import dump_toml
from ccrules.i18n import text
from ccrules.model import Format, Message, Outcome, Plan, PriorityStatus
from ccrules.strategies import CenterData, centers
from ccrules.testing import CenterFolder, assert_plugin_contract
from ccrules_packs.baseline.calendar import slice_of, theme_of
from ccrules_packs.baseline.settings import Settings

NAMES = ("bpo-inbound", "inhouse-fintech", "tax-software-support", "telecom-hotline")
PACK = "monthly-theme"


def baseline(folder: CenterFolder, **pack: Any) -> CenterFolder:
    """Enable only the default pack and monthly-theme (other packs' tables removed)."""
    config = folder.config()
    plugins = config["plugins"]
    for name in [n for n in plugins if n not in ("enabled", "default")]:
        del plugins[name]
    plugins["enabled"] = ["default", PACK]
    if pack:
        plugins[PACK] = pack
    folder.write_config(config)
    return folder


def front_line(folder: CenterFolder) -> set[str]:
    """Active agents of front-line roles, read from the CSV files themselves."""
    tracks = {r["role_id"]: r.get("track") or "front-line" for r in folder.rows("roles")}
    return {
        a["agent_id"]
        for a in folder.rows("agents")
        if a["status"] == "active" and tracks[a["role_id"]] == "front-line"
    }


def theme_sessions(plan: Plan) -> list[Any]:
    return [
        s for s in plan.sessions if s.need_ids and all(n.startswith("theme:") for n in s.need_ids)
    ]


@pytest.fixture
def center(ccrules_center: Callable[..., CenterFolder]) -> Callable[..., CenterFolder]:
    def make(name: str, **pack: Any) -> CenterFolder:
        return baseline(ccrules_center(EXAMPLES / name), **pack)

    return make


@pytest.mark.parametrize("name", NAMES)
def test_the_plan_trains_the_months_theme_in_its_classroom_course_and_nothing_else(
    name: str, center: Callable[..., CenterFolder]
) -> None:
    folder = center(name)
    with Engine.from_folder(folder.path) as engine:
        plan = engine.plan()
        centre = engine.center
        month_cycles = [c for c in centre.cycles if c.start.month == centre.cycle.start.month]
        theme = theme_of(centre, Settings(), centre.cycle.start)
    assert theme is not None
    expected = {
        a
        for a in front_line(folder)
        if slice_of(theme.month, a, len(month_cycles))
        == [c.id for c in month_cycles].index(centre.cycle.id)
    }
    assert expected and {n.source for n in plan.needs} == {"theme"}
    assert sorted(n.agent_id for n in plan.needs) == sorted(expected)  # one need each
    assert {n.competency_id for n in plan.needs} == {theme.competency_id}
    # one theme need per agent is planned, whatever the default pack's caps
    assert {p.status for p in plan.priorities} == {PriorityStatus.PLANNED}
    course = centre.catalogue(theme.competency_id)[Format.CLASSROOM]
    assert {n.course_id for n in plan.needs} == {course.id}
    sessions = theme_sessions(plan)
    assert sessions and len(sessions) == len(plan.sessions)
    assert {s.course_id for s in sessions} == {course.id}
    assert {s.format for s in sessions} == {Format.CLASSROOM}
    assert all(len(s.attendees) <= course.max_group for s in sessions)
    for need in plan.needs:
        rules = [r.rule for r in need.reasons if r.plugin == PACK]
        assert rules[0] == "theme.everyone"
        facts = {f.name: f for f in need.reasons[0].facts}
        assert facts["theme"].value == theme.competency_id
        assert facts["month"].value == theme.month
        assert facts["format"].source == f"plugins.{PACK}.format"
        assert need.reasons[0].version == ccrules_packs.baseline.__version__


def test_every_front_line_agent_attends_once_across_the_months_cycles(
    center: Callable[..., CenterFolder],
) -> None:
    folder = center("telecom-hotline")
    agents: dict[str, list[str]] = {}
    themes = set()
    for cycle in ("2026-W48", "2026-W49"):
        with Engine.from_folder(folder.path, cycle=cycle) as engine:
            for need in engine.plan().needs:
                agents.setdefault(need.agent_id, []).append(cycle)
                themes.add(need.competency_id)
    assert set(agents) == front_line(folder)
    assert all(len(cycles) == 1 for cycles in agents.values())
    assert 0 < sum(c == ["2026-W48"] for c in agents.values()) < len(agents)
    assert len(themes) == 1
    on_leave = {a["agent_id"] for a in folder.rows("agents") if a["status"] != "active"}
    assert on_leave and not on_leave & set(agents)


def _add_cycle(folder: CenterFolder, cycle_id: str, start: dt.date) -> None:
    config = folder.config()
    config["cycles"].append({"id": cycle_id, "start": start, "end": start + dt.timedelta(days=4)})
    folder.write_config(config)


def test_a_different_month_has_a_different_theme(center: Callable[..., CenterFolder]) -> None:
    folder = center("telecom-hotline")
    _add_cycle(folder, "2026-W50", dt.date(2026, 12, 7))
    themes = {}
    for cycle in ("2026-W49", "2026-W50"):
        with Engine.from_folder(folder.path, cycle=cycle) as engine:
            plan = engine.plan()
        themes[cycle] = {n.competency_id for n in plan.needs}
        assert len(themes[cycle]) == 1
    assert themes["2026-W49"] != themes["2026-W50"]
    # the only December cycle takes every front-line agent
    assert len(plan.needs) == len(front_line(folder))


def test_the_themes_setting_is_cycled_from_first_month(center: Callable[..., CenterFolder]) -> None:
    # October takes C-RESOLVE, November C-EMPATHY, December C-RESOLVE again
    folder = center("telecom-hotline", themes=["C-RESOLVE", "C-EMPATHY"], first_month="2026-10")
    with Engine.from_folder(folder.path) as engine:
        plan = engine.plan()
    assert {n.competency_id for n in plan.needs} == {"C-EMPATHY"}
    assert {s.course_id for s in plan.sessions} == {"K-EMPATHY-CR"}
    assert plan.needs[0].reasons[0].facts[0].source == f"plugins.{PACK}.themes"
    _add_cycle(folder, "2026-W50", dt.date(2026, 12, 7))
    with Engine.from_folder(folder.path, cycle="2026-W50") as engine:
        assert {n.competency_id for n in engine.plan().needs} == {"C-RESOLVE"}


def test_roles_and_keep_sources_settings(center: Callable[..., CenterFolder]) -> None:
    folder = center("telecom-hotline", roles=["SA"], keep_sources=["qa"])
    roles = {a["agent_id"]: a["role_id"] for a in folder.rows("agents")}
    with Engine.from_folder(folder.path) as engine:
        plan = engine.plan()
    themed = [n for n in plan.needs if n.source == "theme"]
    assert themed and {roles[n.agent_id] for n in themed} == {"SA"}
    assert {n.source for n in plan.needs} == {"theme", "qa"}
    # a theme need says which of its agent's needs it set aside: KPI needs, never kept QA ones
    aside = [r for n in themed for r in n.reasons if r.rule == "theme.replace"]
    assert aside and all("kpi:" in str(r.facts[0].value) for r in aside)
    assert all("qa:" not in str(r.facts[0].value) for r in aside)


def test_a_bad_theme_is_refused_with_its_key_and_exit_2(
    center: Callable[..., CenterFolder], cli: Callable[..., Result]
) -> None:
    folder = center("telecom-hotline", themes=["C-COMM", "C-NOPE"], first_month="Jan 2026")
    result = cli("validate", folder.path)
    assert result.exit_code == 2
    assert "plugins.monthly-theme.themes[1]: unknown competency 'C-NOPE'" in result.stderr
    assert "plugins.monthly-theme.first_month: 'Jan 2026' is not a month" in result.stderr
    assert "center.toml:" in result.stderr and result.stdout == ""
    assert written(folder.path) == []
    with pytest.raises(InputError) as caught:
        Engine.from_folder(folder.path)
    assert all(p.line for p in caught.value.problems)


def _outcomes(plan: Plan) -> list[Outcome]:
    """Made up: every third attendee misses, every fourth fails the post-test."""
    return [
        Outcome(
            s.id,
            agent,
            attended=index % 3 != 0,
            post_score=50.0 if index % 4 == 0 else 85.0,
            satisfaction=4,
        )
        for s in plan.sessions
        for index, agent in enumerate(s.attendees)
    ]


@pytest.mark.parametrize("keep", [(), ("carried",)])
def test_the_loop_closes_theme_needs_and_plans_the_next_cycle(
    keep: Sequence[str], center: Callable[..., CenterFolder]
) -> None:
    folder = center("telecom-hotline", keep_sources=list(keep))
    with Engine.from_folder(folder.path, cycle="2026-W48") as engine:
        first = engine.plan()
        review = engine.review(first, _outcomes(first))
    assert {c.need.id for c in review.carried} == {n.id for n in first.needs}
    assert {c.status for c in review.carried} == {"closed"} and review.open == ()
    missed = [c for c in review.carried if c.reasons[-1].rule == "theme.no-carry"]
    assert missed and all(c.reasons[0].plugin == "default" for c in missed)
    closed = missed[0].reasons[-1]
    kept_open = "; ".join(r.text for r in missed[0].reasons[:-1])
    assert closed.text == (
        f"Closed: {missed[0].need.competency_id} was the theme of its month and is not made "
        f"up ({kept_open}); next month brings the next theme."
    )
    # the reasons that kept it open are nested as they are: the default pack's messages, whose
    # ids its catalogue holds, not this pack's
    others = frozenset(
        r.message.id for r in missed[0].reasons[:-1] if isinstance(r.message, Message)
    )
    assert untranslated(PACK, [closed], skip=others) == []
    assert text(closed, "zh").startswith(f"已关闭：{missed[0].need.competency_id} 是当月主题")
    with Engine.from_folder(folder.path, cycle="2026-W49") as engine:
        second = engine.plan(previous=review)
    assert second.needs and {n.source for n in second.needs} == {"theme"}
    assert not {n.agent_id for n in first.needs} & {n.agent_id for n in second.needs}


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("bpo-inbound", {}),
        ("inhouse-fintech", {}),
        ("telecom-hotline", {"format": "coaching"}),  # taught in another format
        ("tax-software-support", {"keep_sources": ["carried"]}),
    ],
)
def test_every_reason_of_the_pack_is_shown_in_chinese(
    name: str, pack: dict[str, Any], center: Callable[..., CenterFolder]
) -> None:
    folder = center(name, **pack)
    with Engine.from_folder(folder.path) as engine:
        plan = engine.plan()
    reasons = [r for r in reasons_in(plan) if r.plugin == PACK]
    assert {r.rule for r in reasons} >= {"theme.everyone"}

    assert untranslated(PACK, reasons) == []
    assert english_in(chinese(PACK, reasons), folder_names(folder.path)) == []


def test_the_themes_reasons_read_in_chinese(center: Callable[..., CenterFolder]) -> None:
    folder = center("bpo-inbound")
    with Engine.from_folder(folder.path) as engine:
        plan = engine.plan()
    theme = plan.needs[0].reasons[0]
    (aside, *_) = [
        r for n in plan.needs for r in n.reasons if r.rule == "theme.replace" and "," in r.text
    ]

    assert theme.text.startswith("2026-12's theme is ")
    assert "classroom for up to" in theme.text
    assert theme.text.endswith("1 of the month's 1, whatever the evidence says.")
    shown = text(theme, "zh")
    assert shown.startswith("2026-12 的主题是 ")
    assert "课堂培训，每班最多" in shown  # the format as ccrules' term
    assert shown.endswith("即当月 1 个周期中的第 1 个，不看任何依据。")
    counts = re.fullmatch(
        r"\d+ targeted need\(s\) of this agent set aside for the theme \((.+)\): the "
        r"baseline does not target\.",
        aside.text,
    )
    assert counts is not None
    assert f"（{counts[1].replace(', ', '、')}）：基线做法不做针对性培训。" in text(aside, "zh")


def test_the_pack_keeps_its_contracts(center: Callable[..., CenterFolder]) -> None:
    assert_plugin_contract(name=PACK, center=center("tax-software-support"))


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(centers(max_teams=2, max_agents_per_team=5, plugins=("default", PACK)), st.integers(1, 4))
def test_each_agent_gets_exactly_one_theme_need_across_the_months_cycles(
    data: CenterData, weeks: int
) -> None:
    table = tomllib.loads(data.config)
    start = table["cycles"][0]["start"]
    first = start.replace(day=1)
    table["cycles"] = [
        {
            "id": f"M{k}",
            "start": first + dt.timedelta(7 * k),
            "end": first + dt.timedelta(7 * k + 4),
        }
        for k in range(weeks)
    ]
    table["plugins"][PACK] = {"themes": [r["competency_id"] for r in data.data["competencies"]]}
    config = dump_toml(table)
    tracks = {r["role_id"]: r["track"] for r in data.data["roles"]}
    expected = {
        a["agent_id"]
        for a in data.data["agents"]
        if a["status"] == "active" and tracks[a["role_id"]] == "front-line"
    }
    seen: list[str] = []
    themes = set()
    for k in range(weeks):
        with Engine.from_objects(config, data.data, cycle=f"M{k}") as engine:
            plan = engine.plan()
        assert {n.source for n in plan.needs} <= {"theme"}
        seen += [n.agent_id for n in plan.needs]
        themes |= {n.competency_id for n in plan.needs}
    assert sorted(seen) == sorted(expected)
    assert len(themes) == 1


def test_the_pack_is_registered_as_monthly_theme() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["entry-points"]["ccrules"][PACK] == "ccrules_packs.baseline"
    assert ccrules_packs.baseline.PLUGIN.name == PACK
