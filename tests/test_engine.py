"""The engine: building from objects, tracing, and plan invariants on generated centers."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE_CENTERS

import ccrules_packs.default
from ccrules import Engine, InputError, plan_schema, plan_to_json
from ccrules.model import (
    Agent,
    Competency,
    CompetencyCategory,
    CompetencyKind,
    Course,
    Format,
    Plan,
    PriorityStatus,
    QaItem,
    Requirement,
    Role,
    Team,
    Trainer,
    TrainerKind,
    TrainerSkill,
)
from ccrules_packs.default.schedule import team_cap

CONFIG = """
[center]
name = "对象中心"
model = "bpo"
client = "客户甲"

[[cycles]]
id = "c1"
start = 2026-11-30
end = 2026-12-04

[plugins]
enabled = ["default"]
"""


def small_center(scores: dict[str, float]) -> dict[str, list[Any]]:
    """Reference data as model objects, QA rows as dicts: one row per agent per day."""
    agents = [Agent(a, f"坐席{a}", "T1", "AG") for a in sorted(scores)]
    qa = [
        {
            "evaluation_id": f"E{a}{day}",
            "agent_id": a,
            "date": dt.date(2026, 11, day),
            "item_id": "I1",
            "score": score,
            "max_score": 10,
            "evaluator": "QA",
        }
        for a, score in scores.items()
        for day in (2, 9, 16)
    ]
    return {
        "teams": [Team("T1", "一组", shift_start=dt.time(9), shift_end=dt.time(18))],
        "roles": [Role("AG", "Agent", requirements=(Requirement("C1", 80),))],
        "competencies": [
            Competency("C1", "合规", CompetencyCategory.BUSINESS, CompetencyKind.KNOWLEDGE)
        ],
        "agents": agents,
        "qa_items": [QaItem("I1", "C1")],
        "qa": qa,
        "trainers": [
            Trainer("TR", "老师", TrainerKind.FULL_TIME, 20, skills=(TrainerSkill("C1", 95),))
        ],
        "courses": [Course("K", "合规课", "C1", Format.CLASSROOM, 60, max_group=10)],
    }


def test_from_objects_plans_like_a_folder() -> None:
    data = small_center({"A1": 5, "A2": 6, "A3": 9, "A4": 6})
    # a team of 4 may otherwise lose only one agent to training at a time
    config = CONFIG + "\n[plugins.default.schedule]\nmax_team_share_off = 1.0\n"
    with Engine.from_objects(config, data) as engine:
        plan = engine.plan()
        assert engine.center.info.client == "客户甲"
    assert [n.id for n in plan.needs] == ["qa:A1:C1", "qa:A2:C1", "qa:A4:C1"]
    (session,) = plan.sessions
    assert session.attendees == ("A1", "A2", "A4")
    assert session.trainer_id == "TR"
    assert plan.needs[0].reasons[0].facts[0].source == "competency_scores <- <memory>/qa"


def test_from_objects_reports_rows_by_number() -> None:
    data = small_center({"A1": 5, "A2": 6})
    data["qa"][4]["score"] = "lots"
    data["qa"][5]["agent_id"] = "Z9"
    with pytest.raises(InputError) as info:
        Engine.from_objects(CONFIG, data)
    located = {(p.file, p.line, p.path) for p in info.value.problems}
    assert ("<memory>/qa", 5, "score") in located
    assert ("<memory>/qa", 6, "agent_id") in located


def test_from_objects_with_a_config_dict_and_unknown_source() -> None:
    config = {
        "center": {"name": "x", "model": "inhouse"},
        "cycles": [{"id": "c", "start": "2026-11-30", "end": "2026-12-04"}],
        "plugins": {"enabled": ["default"]},
    }
    data = small_center({"A1": 5})
    data["qa_evaluations"] = []
    with pytest.raises(InputError, match="unknown data source 'qa_evaluations'"):
        Engine.from_objects(config, data)


def test_trace_records_every_stage_call(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
        trace = {call.hook: call for call in engine.trace}
    for hook in (
        "ccrules_check_inputs",
        "ccrules_aggregate_evidence",
        "ccrules_needs",
        "ccrules_prioritize",
        "ccrules_assemble_sessions",
        "ccrules_trainer_pool",
        "ccrules_assign_trainers",
        "ccrules_schedule",
    ):
        assert trace[hook].plugins == ("default",), hook
        assert trace[hook].duration_ms >= 0
    assert trace["ccrules_needs"].results == len(plan.needs)
    assert trace["ccrules_schedule"].results == len(plan.sessions)


def test_planning_twice_on_one_engine_is_identical(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        assert plan_to_json(engine.plan()) == plan_to_json(engine.plan())


# --------------------------------------------------------------------------------------------
# the examples


@pytest.mark.parametrize("folder", EXAMPLE_CENTERS, ids=lambda p: p.name)
def test_example_plans_validate_and_repeat(folder: Path) -> None:
    texts = []
    for _ in range(2):
        with Engine.from_folder(folder) as engine:
            plan = engine.plan()
            assert not engine.warnings
        texts.append(plan_to_json(plan))
        check_invariants(engine_center_of(folder), plan)
    assert texts[0] == texts[1]
    jsonschema.validate(json.loads(texts[0]), plan_schema())
    summary = plan.summary
    assert summary.sessions >= 10 and summary.needs_deferred >= 0
    assert {"pre-shift", "coaching", "classroom", "micro-video"} <= set(summary.sessions_by_format)
    assert summary.non_business_minutes > 0


@pytest.mark.parametrize("folder", EXAMPLE_CENTERS, ids=lambda p: p.name)
def test_example_is_small_and_bilingual(folder: Path) -> None:
    size = sum(p.stat().st_size for p in folder.rglob("*") if ".ccrules" not in p.parts)
    assert size < 1_000_000
    names = (folder / "data" / "agents.csv").read_text(encoding="utf-8")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in names)
    assert any(ch.isascii() and ch.isalpha() for ch in names.split("\n", 1)[1])


def test_example_data_is_what_the_builder_makes() -> None:
    import runpy

    builder = runpy.run_path(str(EXAMPLE_CENTERS[0].parent / "build_examples.py"))
    assert builder["main"](["--check"]) == 0


def engine_center_of(folder: Path) -> Any:
    with Engine.from_folder(folder) as engine:
        return engine.center


# --------------------------------------------------------------------------------------------
# invariants


def check_invariants(center: Any, plan: Plan) -> None:
    """What every plan of the default pack (and the first-party packs beside it) must
    satisfy, whatever the data."""
    import importlib

    packs = {
        name: importlib.import_module(package)
        for name, package in (
            ("default", "ccrules_packs.default"),
            ("inhouse", "ccrules_packs.inhouse"),
            ("bpo", "ccrules_packs.bpo"),
            ("feedback", "ccrules_packs.feedback"),
            ("release-cascade", "ccrules_packs.cascade"),
            ("healthy-mix", "ccrules_packs.mix"),
            ("monthly-theme", "ccrules_packs.baseline"),
        )
    }
    needs = {n.id: n for n in plan.needs}
    status = {p.need_id: p.status for p in plan.priorities}
    assert set(status) == set(needs)
    ranks = [p.rank for p in plan.priorities]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    for need in plan.needs:
        assert need.reasons and 0 <= need.severity <= 1
        assert center.agents[need.agent_id].status == "active"
    every_reason = [r for n in plan.needs for r in n.reasons] + [
        r for s in plan.sessions for r in (*s.reasons, *s.trainer_reasons, *s.slot_reasons)
    ]
    for reason in every_reason:
        assert reason.version == ccrules_packs.default.__version__
        assert reason.rule in {r.id for r in packs[reason.plugin].RULES}, reason.rule
    served: dict[str, int] = defaultdict(int)
    sessions_and_stuck = [*plan.sessions, *(u.session for u in plan.unplaced if u.session)]
    for session in sessions_and_stuck:
        for need_id in session.need_ids:
            served[need_id] += 1
            assert status[need_id] is PriorityStatus.PLANNED
            assert needs[need_id].agent_id in session.attendees
            assert needs[need_id].competency_id == session.competency_id
    unplaced_needs = {u.id for u in plan.unplaced if u.kind == "need"}
    for need_id, state in status.items():
        if state is PriorityStatus.PLANNED:
            assert served[need_id] + (need_id in unplaced_needs) == 1, need_id
    # time: inside the cycle, no one double-booked, trainers within capacity
    booked: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    hours: dict[str, float] = defaultdict(float)
    pool = {t.id: t for t in plan.trainers}
    placed = {s.id: s for s in plan.sessions}
    for session in plan.sessions:
        assert session.start and session.end
        assert plan.cycle.start <= session.start.date() <= plan.cycle.end
        assert session.end - session.start == dt.timedelta(minutes=session.duration_minutes)
        if session.due is not None:
            assert session.start.date() <= session.due
        for before in session.after:  # what it comes after is placed, and ends first
            assert placed[before].end is not None and placed[before].end <= session.start
        people = [f"agent:{a}" for a in session.attendees]
        trainer = pool.get(session.trainer_id) if session.trainer_id else None
        if trainer is not None:
            people.append(f"agent:{trainer.agent_id}" if trainer.agent_id else f"t:{trainer.id}")
            hours[trainer.id] += session.duration_minutes / 60
            assert trainer.agent_id not in session.attendees
        for person in people:
            booked[person].append((session.start, session.end))
    for person, spans in booked.items():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, f"{person} double-booked"
    for trainer_id, used in hours.items():
        assert used <= pool[trainer_id].capacity_hours + 1e-9


# --------------------------------------------------------------------------------------------
# generated centers

SHIFTS = [(dt.time(8, 30), dt.time(17, 30)), (dt.time(13), dt.time(22)), (None, None)]


@st.composite
def generated_center(draw: st.DrawFn) -> dict[str, list[Any]]:
    n_teams = draw(st.integers(1, 3))
    teams = []
    agents = []
    for t in range(n_teams):
        start, end = draw(st.sampled_from(SHIFTS))
        size = draw(st.integers(2, 7))
        members = [f"T{t}A{i}" for i in range(size)]
        teams.append(Team(f"T{t}", f"组{t}", members[0], shift_start=start, shift_end=end))
        for i, agent_id in enumerate(members):
            role = "TL" if i == 0 else "AG"
            status = draw(st.sampled_from(["active"] * 5 + ["leave"])) if i else "active"
            agents.append(Agent(agent_id, f"名{agent_id}", f"T{t}", role, status=status))
    competencies = [
        Competency("C1", "合规", CompetencyCategory.BUSINESS, CompetencyKind.KNOWLEDGE),
        Competency("C2", "同理心", CompetencyCategory.NON_BUSINESS, CompetencyKind.ATTITUDE),
    ]
    levels = {c.id: draw(st.integers(60, 90)) for c in competencies}
    roles = [
        Role("AG", "Agent", requirements=tuple(Requirement(c, lv) for c, lv in levels.items())),
        Role("TL", "Lead", "management", (Requirement("C1", 85),)),
    ]
    qa = []
    for agent in agents:
        for competency in ("C1", "C2"):
            mean = draw(st.integers(2, 10))
            for day in range(draw(st.integers(2, 4))):
                qa.append(
                    {
                        "evaluation_id": f"E-{agent.id}-{day}",
                        "agent_id": agent.id,
                        "date": dt.date(2026, 11, 2 + day),
                        "item_id": f"I{competency}",
                        "score": draw(st.integers(max(0, mean - 2), min(10, mean + 2))),
                        "max_score": 10,
                        "evaluator": draw(st.sampled_from(["甲", "乙"])),
                    }
                )
    formats = draw(st.lists(st.sampled_from(list(Format)), min_size=1, max_size=4, unique=True))
    courses = [
        Course(
            f"K{c.id}{fmt.value}",
            f"{c.name}{fmt.value}",
            c.id,
            fmt,
            draw(st.sampled_from([10, 15, 45, 60, 90])),
            max_group=1
            if fmt in (Format.COACHING, Format.MICRO_VIDEO)
            else draw(st.integers(2, 8)),
        )
        for c in competencies
        for fmt in formats
    ]
    trainers = [
        Trainer(
            f"TR{i}",
            f"师{i}",
            TrainerKind.FULL_TIME,
            draw(st.sampled_from([1, 2, 5, 20])),
            skills=tuple(TrainerSkill(c.id, draw(st.integers(70, 99))) for c in competencies),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    trainers += [
        Trainer(
            f"TL{t.id}",
            t.name,
            TrainerKind.TEAM_LEAD,
            3,
            agent_id=t.lead_id,
            skills=(TrainerSkill("C1", 95),),
        )
        for t in teams
    ]
    return {
        "teams": teams,
        "roles": roles,
        "competencies": competencies,
        "agents": agents,
        "qa_items": [QaItem("IC1", "C1"), QaItem("IC2", "C2")],
        "qa": qa,
        "trainers": trainers,
        "courses": courses,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=generated_center())
def test_generated_plans_keep_the_invariants(data: dict[str, list[Any]]) -> None:
    with Engine.from_objects(CONFIG, data) as engine:
        plan = engine.plan()
        center = engine.center
    check_invariants(center, plan)
    share = 0.34  # the default pack's max_team_share_off
    for day_sessions in _by_team_overlap(plan, center):
        team_id, size, count = day_sessions
        assert count <= team_cap(size, share), team_id
    with Engine.from_objects(CONFIG, data) as engine:
        assert plan_to_json(engine.plan()) == plan_to_json(plan)


def _by_team_overlap(plan: Plan, center: Any) -> list[tuple[str, int, int]]:
    """(team, team size, most of its agents off the phones at once) for every team."""
    result = []
    for team_id in center.teams:
        events = []
        for session in plan.sessions:
            if session.format is Format.PRE_SHIFT:
                continue
            count = sum(1 for a in session.attendees if center.agents[a].team_id == team_id)
            if count and session.start and session.end:
                events += [(session.start, count), (session.end, -count)]
        peak = current = 0
        for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
            current += delta
            peak = max(peak, current)
        result.append((team_id, len(center.members(team_id)), peak))
    return result


def test_from_objects_reads_empty_text_as_no_value() -> None:
    data = small_center({"A1": 5})
    data["agents"] = [
        {"agent_id": "A1", "name": "甲", "team_id": "T1", "role_id": "AG", "hire_date": ""}
    ]
    with Engine.from_objects(CONFIG, data) as engine:
        assert engine.center.agents["A1"].hire_date is None


def test_trace_records_the_per_plugin_setup_hooks(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        calls = {call.hook: call for call in engine.trace}
    assert calls["ccrules_rules"].plugins == ("default",)
    assert calls["ccrules_rules"].results == len(ccrules_packs.default.RULES)
    assert calls["ccrules_plugin_settings"].results == 1
    assert "ccrules_data_sources" in calls
