"""Plugins: only those center.toml enables run; a malformed plugin fails at load, by name."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import replace_in

import ccrules
from ccrules import Engine
from ccrules.errors import InputError
from ccrules.model import Need, Priority, PriorityStatus


def _enable(folder: Path, *names: str) -> None:
    listed = ", ".join(f'"{n}"' for n in names)
    replace_in(folder / "center.toml", 'enabled = ["default"]', f"enabled = [{listed}]")


def _load_error(folder: Path, **plugins: object) -> InputError:
    with pytest.raises(InputError) as info:
        Engine.from_folder(folder, plugins=plugins)
    return info.value


def test_misspelled_hook_fails_at_load(tiny: Path) -> None:
    class Typo:
        @ccrules.hookimpl
        def ccrules_need(self) -> list[Need]:
            return []

    _enable(tiny, "default", "typo")
    (problem,) = _load_error(tiny, typo=Typo()).problems
    assert problem.code == "unknown-hook"
    assert "plugin 'typo': ccrules_need is not a ccrules hook; did you mean ccrules_needs?" in (
        problem.message
    )


def test_unmarked_hook_fails_at_load(tiny: Path) -> None:
    class Unmarked:
        def ccrules_needs(self) -> list[Need]:
            return []

    _enable(tiny, "default", "bare")
    (problem,) = _load_error(tiny, bare=Unmarked()).problems
    assert "not marked with @ccrules.hookimpl" in problem.message


def test_default_values_in_a_hookimpl_fail_at_load(tiny: Path) -> None:
    class Defaults:
        @ccrules.hookimpl
        def ccrules_needs(self, center: object, carried: Sequence[object] = ()) -> list[Need]:
            return []

    _enable(tiny, "default", "defaults")
    (problem,) = _load_error(tiny, defaults=Defaults()).problems
    assert problem.code == "hookimpl-default"
    assert "carried" in problem.message


def test_unknown_argument_in_a_hookimpl_fails_at_load(tiny: Path) -> None:
    class Centre:
        @ccrules.hookimpl
        def ccrules_needs(self, centre: object) -> list[Need]:
            return []

    _enable(tiny, "default", "centre")
    (problem,) = _load_error(tiny, centre=Centre()).problems
    assert problem.code == "invalid-hookimpl"
    assert "centre" in problem.message


def test_a_plugin_enabled_twice_is_refused(tiny: Path) -> None:
    _enable(tiny, "default", "default")
    (problem,) = _load_error(tiny).problems
    assert "enabled twice" in problem.message


def test_first_listed_plugin_answers_deciding_hooks_first(tiny: Path) -> None:
    def deciding(name: str, status: PriorityStatus) -> object:
        class Decides:
            @ccrules.hookimpl
            def ccrules_prioritize(self, needs: Sequence[Need]) -> list[Priority]:
                why = (ccrules.PluginRef(name, "1").reason("p", str(status)),)
                return [Priority(n.id, i, status, why) for i, n in enumerate(needs, start=1)]

        return Decides()

    plugins = {
        "a": deciding("a", PriorityStatus.DEFERRED),
        "b": deciding("b", PriorityStatus.PLANNED),
    }
    _enable(tiny, "a", "b", "default")
    with Engine.from_folder(tiny, plugins=plugins) as engine:
        assert {p.status for p in engine.plan().priorities} == {PriorityStatus.DEFERRED}
        (call,) = [c for c in engine.trace if c.hook == "ccrules_prioritize"]
        assert call.plugins == ("a", "b", "default")


# --------------------------------------------------------------------------------------------
# installed plugins (entry points)

SPY = """
import os
from pathlib import Path

import ccrules

def log(line):
    with Path(os.environ["SPY_LOG"]).open("a") as handle:
        handle.write(line + "\\n")

log("imported")

@ccrules.hookimpl
def ccrules_needs(center):
    log("called")
    return []
"""


@pytest.fixture
def installed_spy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A distribution 'ccrules-spy' installed on sys.path, with a `spy` entry point."""
    site = tmp_path / "site"
    (site / "ccrules_spy-1.2.3.dist-info").mkdir(parents=True)
    (site / "ccrules_spy-1.2.3.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ccrules-spy\nVersion: 1.2.3\n"
    )
    (site / "ccrules_spy-1.2.3.dist-info" / "entry_points.txt").write_text(
        "[ccrules]\nspy = spy_plugin\n"
    )
    (site / "spy_plugin.py").write_text(textwrap.dedent(SPY))
    log = tmp_path / "spy.log"
    monkeypatch.setenv("SPY_LOG", str(log))
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "spy_plugin", raising=False)
    return log


def test_installed_plugin_not_enabled_is_never_imported_or_called(
    tiny: Path, installed_spy: Path
) -> None:
    from ccrules._manager import installed

    assert "spy" in installed()
    with Engine.from_folder(tiny) as engine:
        engine.plan()
        assert [p.name for p in engine.plugins] == ["default"]
        assert all("spy" not in call.plugins for call in engine.trace)
    assert "spy_plugin" not in sys.modules
    assert not installed_spy.exists()


def test_installed_plugin_enabled_is_called_with_its_version(
    tiny: Path, installed_spy: Path
) -> None:
    _enable(tiny, "default", "spy")
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
    assert installed_spy.read_text().splitlines() == ["imported", "called"]
    assert [(p.name, p.version) for p in plan.plugins] == [("default", "0.1.0"), ("spy", "1.2.3")]


def test_plugins_command_shows_installed_and_enabled(
    tiny: Path, installed_spy: Path, cli: Callable[..., Result]
) -> None:
    result = cli("plugins", tiny, "--json")
    assert result.exit_code == 0, result.stderr
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert listed["spy"]["enabled"] is False
    assert listed["spy"]["version"] == "1.2.3"
    assert listed["spy"]["hooks"] == ["ccrules_needs"]
    assert listed["default"]["enabled"] is True


def test_plugin_failing_to_import_is_reported(
    tiny: Path, installed_spy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (Path(installed_spy).parent / "site" / "spy_plugin.py").write_text("raise RuntimeError('no')\n")
    _enable(tiny, "default", "spy")
    (problem,) = _load_error(tiny).problems
    assert problem.code == "plugin-import"
    assert "plugin 'spy' failed to import: RuntimeError: no" in problem.message
