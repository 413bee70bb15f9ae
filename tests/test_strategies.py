"""ccrules.strategies: model strategies round-trip, drawn centers are valid, plan
deterministically, stay inside the center, and their names survive every step."""

from __future__ import annotations

import json
import re
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import ccrules
from ccrules import Engine, InputError, converter, plan_to_json
from ccrules.model import Need, Plan
from ccrules.strategies import MODEL_CLASSES, CenterData, centers, from_model

CENTERS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_model_strategy_round_trips(cls: type, data: st.DataObject) -> None:
    value = data.draw(from_model(cls))
    assert isinstance(value, cls)
    assert converter.structure(converter.unstructure(value), cls) == value


@settings(max_examples=5, deadline=None)
@given(st.from_type(Need))
def test_models_are_registered_for_from_type(need: Need) -> None:
    assert isinstance(need, Need)


def test_from_model_refuses_other_classes() -> None:
    with pytest.raises(InvalidArgument):
        from_model(dict)
    with pytest.raises(InvalidArgument):
        centers(max_agents_per_team=1)


def _plan(center: CenterData) -> Plan:
    with center.engine() as engine:
        return engine.plan()


@CENTERS
@given(centers())
def test_drawn_centers_plan_and_stay_inside_the_center(center: CenterData) -> None:
    with center.engine() as engine:
        plan = engine.plan()
        agents = engine.center.agents
    assert set(agents) == {r["agent_id"] for r in center.data["agents"]}
    assert plan.needs, "every drawn center has an agent below the requirement"
    assert {n.agent_id for n in plan.needs} <= set(agents)
    seated = {
        a
        for s in (*plan.sessions, *(u.session for u in plan.unplaced if u.session))
        for a in s.attendees
    }
    assert seated <= set(agents)
    needs = {n.id for n in plan.needs}
    assert {n for s in plan.sessions for n in s.need_ids} <= needs
    # names in Chinese or Latin letters pass through unchanged: in the center, and in the
    # plan's JSON where people are named (team leads teach under their own name)
    for row in center.data["agents"]:
        assert agents[str(row["agent_id"])].name == row["name"]
    text = plan_to_json(plan)
    named = json.loads(text)["trainers"]
    rows = {r["trainer_id"]: r["name"] for r in center.data["trainers"]}
    for trainer in named:
        assert trainer["name"] == rows[trainer["id"]]


@CENTERS
@given(centers(max_teams=2, max_agents_per_team=4))
def test_the_same_center_plans_byte_identically(center: CenterData) -> None:
    first, second = _plan(center), _plan(center)
    assert first.digest == second.digest
    assert plan_to_json(first) == plan_to_json(second)


def _located_as_files(value: Any) -> Any:
    """The plan JSON with in-memory sources (``<memory>/qa``) named as files (``data/qa.csv``)."""
    if isinstance(value, dict):
        return {k: _located_as_files(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_located_as_files(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"<memory>/(\w+)", r"data/\1.csv", value)
    return value


@FEW
@given(centers(max_teams=2, max_agents_per_team=4))
def test_a_written_center_plans_like_the_one_in_memory(center: CenterData) -> None:
    with TemporaryDirectory() as tmp:
        folder = center.write(Path(tmp) / "center")
        assert {p.name for p in (folder / "data").iterdir()} == {
            f"{name}.csv" for name in center.data
        }
        with Engine.from_folder(folder) as engine:
            from_disk = engine.plan()
            for row in center.data["agents"]:
                assert engine.center.agents[str(row["agent_id"])].name == row["name"]
        with Engine.from_folder(folder) as engine:
            again = engine.plan()
    in_memory = _plan(center)
    # a folder read twice is the same plan, digest included
    assert plan_to_json(again) == plan_to_json(from_disk)
    # The digest covers where the inputs came from (file bytes and center.toml bytes, or the
    # rows and the parsed config), and facts name their source (data/qa.csv or <memory>/qa):
    # those differ; everything else is the same plan.
    assert from_disk.digest != in_memory.digest
    disk, memory = json.loads(plan_to_json(from_disk)), json.loads(plan_to_json(in_memory))
    disk.pop("digest")
    memory.pop("digest")
    assert _located_as_files(memory) == disk


@FEW
@given(centers(max_competencies=2), st.data())
def test_a_center_with_a_row_removed_is_refused(center: CenterData, data: st.DataObject) -> None:
    # the team lead's row: teams.csv still names them as lead, and trainers.csv as a trainer
    agents = center.data["agents"]
    lead = data.draw(st.sampled_from([r for r in agents if r["role_id"] == "TL"]))
    broken = attrs.evolve(
        center, data={**center.data, "agents": tuple(r for r in agents if r is not lead)}
    )
    with pytest.raises(InputError) as info:
        broken.engine()
    assert any(str(lead["agent_id"]) in p.message for p in info.value.problems)


def test_the_checks_can_fail() -> None:
    """The invariants above would catch a center whose plan strayed outside it."""

    @settings(max_examples=3, deadline=None, database=None)
    @given(centers(max_teams=1))
    def check(center: CenterData) -> None:
        plan = _plan(center)
        assert {n.agent_id for n in plan.needs} <= {"nobody"}

    with pytest.raises(AssertionError):
        check()


def test_plugins_are_enabled_first() -> None:
    class Observer:
        @ccrules.hookimpl
        def ccrules_before_stage(self) -> None:
            return None

    @settings(max_examples=2, deadline=None)
    @given(centers(max_teams=1))
    def check(center: CenterData) -> None:
        assert 'enabled = ["observer", "default"]' in center.config_with(["observer"])
        with center.engine(plugins={"observer": Observer()}) as engine:
            assert [p.name for p in engine.plugins] == ["observer", "default"]
            assert engine.plan().needs

    check()
