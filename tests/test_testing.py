"""ccrules.testing: the pytest plugin's fixtures, the hook recorder, registered(), the
center folder helper and its TOML writer."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import TINY

import ccrules
from ccrules import Center, Engine, Evidence
from ccrules._toml import dump_toml
from ccrules.errors import PluginLoadError
from ccrules.model import CarryOver, Need, Priority, PriorityStatus, RuleInfo, Stage
from ccrules.testing import CenterFolder, HookRecorder, registered

REF = ccrules.PluginRef("first-first", "2.0")


class FirstFirst:
    """Plans every need in id order: a deciding policy that answers before default's."""

    __version__ = "2.0"

    @ccrules.hookimpl
    def ccrules_rules(self) -> list[RuleInfo]:
        return [RuleInfo("first-first.order", Stage.PRIORITIES, "Needs in id order.")]

    @ccrules.hookimpl
    def ccrules_prioritize(self, center: Center, needs: Sequence[Need]) -> list[Priority]:
        return [
            Priority(
                n.id,
                rank,
                PriorityStatus.PLANNED,
                (REF.reason("first-first.order", "In id order."),),
            )
            for rank, n in enumerate(needs, start=1)
        ]


def test_engine_fixture_enables_the_plugins_first(
    ccrules_engine: Callable[..., Engine], ccrules_recorder: HookRecorder
) -> None:
    engine = ccrules_engine(TINY, plugins={"first-first": FirstFirst()})
    assert [p.name for p in engine.plugins] == ["first-first", "default"]
    plan = engine.plan()
    assert {p.reasons[0].plugin for p in plan.priorities} == {"first-first"}
    assert [p.rank for p in plan.priorities] == list(range(1, len(plan.needs) + 1))
    call = ccrules_recorder.last("ccrules_prioritize")
    assert call.plugins == ("first-first", "default")
    assert list(call.kwargs) == ["center", "needs"] and call.kwargs["needs"] == plan.needs
    assert call.result is not None and call.error is None
    # the original folder is untouched: the fixture copied it
    assert "first-first" not in (TINY / "center.toml").read_text(encoding="utf-8")


def test_recorder_sees_setup_hooks_and_the_stages_in_order(
    ccrules_engine: Callable[..., Engine], ccrules_recorder: HookRecorder
) -> None:
    engine = ccrules_engine()
    hooks = ccrules_recorder.hooks()
    assert hooks[:2] == ["ccrules_plugin_settings", "ccrules_rules"]
    assert "ccrules_check_inputs" in hooks and "ccrules_needs" not in hooks
    ccrules_recorder.clear()
    engine.plan()
    stages = [c.kwargs["stage"] for c in ccrules_recorder.calls_of("ccrules_before_stage")]
    assert stages == [
        Stage.EVIDENCE,
        Stage.NEEDS,
        Stage.PRIORITIES,
        Stage.COURSES,
        Stage.TRAINERS,
        Stage.SCHEDULE,
    ]
    order = ccrules_recorder.hooks()
    assert order.index("ccrules_needs") < order.index("ccrules_prioritize")
    assert order.index("ccrules_trainer_pool") < order.index("ccrules_assign_trainers")
    with pytest.raises(LookupError, match="ccrules_evaluate was not called; called: "):
        ccrules_recorder.last("ccrules_evaluate")


def test_recorder_stops_on_exit_and_attaches_to_an_existing_engine(tmp_path: Path) -> None:
    with Engine.from_folder(TINY) as engine:
        recorder = HookRecorder()
        with recorder:
            pass
        engine.plan()
        assert recorder.calls == []
        with recorder:
            recorder.attach(engine)
            engine.plan()
        count = len(recorder.calls)
        assert recorder.calls_of("ccrules_needs")
        engine.plan()
        assert len(recorder.calls) == count


def test_recorder_keeps_the_error_of_a_failing_hook(
    ccrules_engine: Callable[..., Engine], ccrules_recorder: HookRecorder
) -> None:
    class Broken:
        @ccrules.hookimpl
        def ccrules_needs(
            self, center: Center, evidence: Evidence, carried: Sequence[CarryOver]
        ) -> list[Need]:
            raise RuntimeError("boom")

    engine = ccrules_engine(TINY, plugins={"broken": Broken()})
    with pytest.raises(ccrules.PluginError):
        engine.plan()
    call = ccrules_recorder.last("ccrules_needs")
    assert isinstance(call.error, RuntimeError) and call.result is None


def test_registered_adds_a_plugin_and_always_removes_it(
    ccrules_engine: Callable[..., Engine],
) -> None:
    engine = ccrules_engine(TINY)
    before = engine.plan()
    with registered(engine, FirstFirst(), "first-first") as info:
        assert info.name == "first-first" and info.version == "2.0"
        during = engine.plan()
        assert [p.name for p in during.plugins] == ["default", "first-first"]
        assert {p.reasons[0].plugin for p in during.priorities} == {"first-first"}
        assert during.digest != before.digest
    after = engine.plan()
    assert ccrules.plan_to_json(after) == ccrules.plan_to_json(before)
    with pytest.raises(ZeroDivisionError), registered(engine, FirstFirst(), "first-first"):
        1 / 0  # noqa: B018
    assert [p.name for p in engine.plugins] == ["default"]
    assert ccrules.plan_to_json(engine.plan()) == ccrules.plan_to_json(before)


def test_registered_checks_the_plugin_like_an_enabled_one(
    ccrules_engine: Callable[..., Engine],
) -> None:
    class Defaults:
        @ccrules.hookimpl
        def ccrules_needs(
            self, center: Center, evidence: Evidence, carried: Sequence[CarryOver] = ()
        ) -> list[Need]:
            return []

    engine = ccrules_engine(TINY)
    with (
        pytest.raises(PluginLoadError, match="gives defaults to carried"),
        registered(engine, Defaults(), "defaults"),
    ):
        pass  # pragma: no cover
    assert [p.name for p in engine.plugins] == ["default"]
    with (
        pytest.raises(ValueError, match="already enabled"),
        registered(engine, Defaults(), "default"),
    ):
        pass  # pragma: no cover


def test_center_folder_enable_disable_and_rows(
    ccrules_center: Callable[..., CenterFolder],
) -> None:
    center = ccrules_center(TINY)
    center.enable("healthy-mix", {"target": {"share": 0.25}})
    config = center.config()
    assert config["plugins"]["enabled"] == ["healthy-mix", "default"]
    assert config["plugins"]["healthy-mix"] == {"target": {"share": 0.25}}
    assert config["cycles"][0]["start"] == dt.date(2026, 11, 30)
    assert config["plugins"]["default"]["kpis"][0]["metric"] == "fcr"
    center.disable("healthy-mix")
    assert center.config()["plugins"]["enabled"] == ["default"]
    agents = center.rows("agents")
    assert agents[0]["name"] == "王建国"
    center.append_rows("agents", [{**agents[1], "agent_id": "A99", "name": "新人 New"}])
    assert center.rows("agents")[-1] == {**agents[1], "agent_id": "A99", "name": "新人 New"}
    with Engine.from_folder(center.path) as engine:
        assert engine.center.agents["A99"].name == "新人 New"


def test_default_center_is_the_small_synthetic_one(
    ccrules_center: Callable[..., CenterFolder], ccrules_engine: Callable[..., Engine]
) -> None:
    first, second = ccrules_center(), ccrules_center()
    assert first.path != second.path
    assert (first.path / "data" / "shifts.csv").read_bytes() == (
        second.path / "data" / "shifts.csv"
    ).read_bytes()
    plan = ccrules_engine(first).plan()
    assert len(plan.center.name) > 0 and plan.sessions


def test_fixtures_work_in_a_plugin_authors_own_suite(pytester: pytest.Pytester) -> None:
    """The fixtures come with the installed package (pytest11), no conftest needed."""
    pytester.makepyfile(
        f"""
        from ccrules.testing import CenterFolder

        def test_plan(ccrules_engine, ccrules_recorder):
            plan = ccrules_engine({str(TINY)!r}).plan()
            assert plan.needs
            assert ccrules_recorder.last("ccrules_needs").plugins == ("default",)

        def test_center(ccrules_center):
            assert isinstance(ccrules_center(), CenterFolder)
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.dates(),
)
keys = st.text(min_size=1, max_size=5)
tables: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.dictionaries(keys, scalars | st.lists(scalars, max_size=3), max_size=4),
    lambda inner: st.dictionaries(
        keys, inner | st.lists(inner.filter(bool), min_size=1, max_size=2), max_size=3
    ),
    max_leaves=12,
)


@given(tables)
def test_dump_toml_round_trips(table: dict[str, Any]) -> None:
    assert tomllib.loads(dump_toml(table)) == table


def test_the_pytest_plugin_imports_nothing_heavy_until_a_fixture_is_used() -> None:
    # pytest loads it in every project of an environment that has ccrules installed
    import subprocess
    import sys

    code = (
        "import sys, ccrules, ccrules._pytest_plugin\n"
        "heavy = [m for m in ('duckdb', 'numpy', 'ccrules._engine', 'cattrs')\n"
        "         if m in sys.modules]\n"
        "print(heavy)\n"
        "from ccrules import Engine\n"
        "print('duckdb' in sys.modules, Engine.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.splitlines() == ["[]", "True Engine"]
