"""Testing helpers for plugin authors, and the pytest plugin that offers them as fixtures.

Installed with ccrules, a pytest plugin (entry point ``pytest11``, ``ccrules._pytest_plugin``)
gives a plugin's own test suite these fixtures without a conftest; it imports this module,
and with it the engine and DuckDB, only when a test asks for one:

- ``ccrules_center``: a factory copying a center folder (by default a small synthetic center)
  into the test's temporary folder, as a :class:`CenterFolder` to change freely;
- ``ccrules_engine``: a factory building an :class:`~ccrules.Engine` from a center and the
  plugins under test, closed when the test ends;
- ``ccrules_recorder``: a :class:`HookRecorder` of every hook call the test makes.

Beside them: :func:`registered` (a plugin on a live engine, always unregistered again),
:func:`check_plugin` / :func:`assert_plugin_contract` (the contract checks of
``ccrules check-plugin``), and ``ccrules.strategies`` for hypothesis.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from ccrules._contract import ContractReport, Failure, check_plugin
from ccrules._manager import MONITORS, in_call_order
from ccrules._synth import SynthSpec, write_center
from ccrules._toml import dump_toml

if TYPE_CHECKING:
    from ccrules._engine import Engine
    from ccrules._manager import PluginInfo

__all__ = [
    "CenterFolder",
    "ContractReport",
    "Failure",
    "HookRecorder",
    "RecordedCall",
    "assert_plugin_contract",
    "check_plugin",
    "registered",
    "small_center",
]

#: The synthetic center the fixtures start from when given none: every core file, a roster
#: and a forecast, 40 agents in three teams, planned in well under a second.
SMALL_CENTER = SynthSpec(agents=40, qa_rows=4000, seed=1)


def small_center(folder: Path) -> Path:
    """Write the small synthetic center (:data:`SMALL_CENTER`) to an empty ``folder``."""
    write_center(folder, SMALL_CENTER)
    return folder


# --------------------------------------------------------------------------------------------
# A center folder to change


@attrs.define
class CenterFolder:
    """A center folder a test may change: center.toml and ``data/``.

    :param path: the folder.
    """

    path: Path

    @property
    def config_file(self) -> Path:
        """The folder's center.toml."""
        return self.path / "center.toml"

    def config(self) -> dict[str, Any]:
        """center.toml, parsed."""
        return tomllib.loads(self.config_file.read_text(encoding="utf-8-sig"))

    def write_config(self, config: Mapping[str, Any]) -> None:
        """Write center.toml from a parsed table (comments are not kept)."""
        self.config_file.write_text(dump_toml(config), encoding="utf-8")

    def enable(self, name: str, settings: Mapping[str, Any] | None = None) -> None:
        """Enable a plugin first (it answers deciding hooks before the others), with its
        ``[plugins.<name>]`` table when ``settings`` is given."""
        config = self.config()
        plugins = config.setdefault("plugins", {})
        enabled = [n for n in plugins.get("enabled", []) if n != name]
        plugins["enabled"] = [name, *enabled]
        if settings is not None:
            plugins[name] = dict(settings)
        self.write_config(config)

    def disable(self, name: str) -> None:
        """Take a plugin out of ``enabled``, with its settings table."""
        config = self.config()
        plugins = config.setdefault("plugins", {})
        plugins["enabled"] = [n for n in plugins.get("enabled", []) if n != name]
        plugins.pop(name, None)
        self.write_config(config)

    def data(self, source: str) -> Path:
        """The CSV file of a data source."""
        return self.path / "data" / f"{source}.csv"

    def rows(self, source: str) -> list[dict[str, str]]:
        """A data source's rows, as text."""
        with self.data(source).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def write_rows(self, source: str, rows: Sequence[Mapping[str, object]]) -> None:
        """Rewrite a data source; columns are those of the first row (or of the file)."""
        columns = list(rows[0]) if rows else self._columns(source)
        with self.data(source).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)

    def append_rows(self, source: str, rows: Sequence[Mapping[str, object]]) -> None:
        """Add rows at the end of a data source (missing columns stay empty)."""
        self.write_rows(source, [*self.rows(source), *rows])

    def _columns(self, source: str) -> list[str]:
        with self.data(source).open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------
# Recording hook calls


@attrs.frozen
class RecordedCall:
    """One hook call as a :class:`HookRecorder` saw it.

    :param plugins: the implementations' plugins in call order (wrappers first).
    :param kwargs: the arguments, by name.
    :param result: what the call returned (a collecting hook: one list per plugin).
    :param error: the exception it raised, if any.
    """

    hook: str
    plugins: tuple[str, ...]
    kwargs: Mapping[str, Any]
    result: Any = None
    error: BaseException | None = None


def _plugins(impls: Sequence[pluggy.HookImpl]) -> tuple[str, ...]:
    return tuple(impl.plugin_name for impl in in_call_order(impls))


class HookRecorder:
    """Records which hooks ran, in which order, with what, and what they returned.

    As a context manager it records every engine built inside it, from its first setup hook
    on; :meth:`attach` adds an engine built before. Stops recording on exit.
    """

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> HookRecorder:
        MONITORS.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self in MONITORS:
            MONITORS.remove(self)
        while self._undo:
            self._undo.pop()()

    def attach(self, target: Engine | pluggy.PluginManager) -> None:
        """Record the hook calls of an engine (or a pluggy plugin manager) from now on."""
        manager: pluggy.PluginManager = (
            target if isinstance(target, pluggy.PluginManager) else target.plugin_manager
        )

        def before(hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
            return None

        def after(
            outcome: pluggy.Result[Any],
            hook: str,
            impls: Sequence[pluggy.HookImpl],
            kwargs: Mapping[str, Any],
        ) -> None:
            error = outcome.exception
            result = None if error is not None else outcome.get_result()
            self.calls.append(RecordedCall(hook, _plugins(impls), dict(kwargs), result, error))

        self._undo.append(manager.add_hookcall_monitoring(before, after))

    def record(
        self, hook: str, plugins: tuple[str, ...], kwargs: Mapping[str, Any], result: Any
    ) -> None:
        """Called for the per-plugin setup hooks, which the engine calls one by one."""
        self.calls.append(RecordedCall(hook, plugins, dict(kwargs), result))

    def hooks(self) -> list[str]:
        """The hooks called, in order (a hook called twice appears twice)."""
        return [call.hook for call in self.calls]

    def calls_of(self, hook: str) -> list[RecordedCall]:
        """Every call of one hook, in order."""
        return [call for call in self.calls if call.hook == hook]

    def last(self, hook: str) -> RecordedCall:
        """The last call of ``hook``.

        :raises LookupError: the hook was not called; the message lists those that were.
        """
        for call in reversed(self.calls):
            if call.hook == hook:
                return call
        called = ", ".join(dict.fromkeys(self.hooks())) or "none"
        raise LookupError(f"{hook} was not called; called: {called}")

    def clear(self) -> None:
        """Forget the calls recorded so far."""
        self.calls.clear()


# --------------------------------------------------------------------------------------------
# Plugins on a live engine, and the contract


@contextlib.contextmanager
def registered(
    engine: Engine, plugin: object, name: str, settings: Mapping[str, Any] | None = None
) -> Iterator[PluginInfo]:
    """Register ``plugin`` on a live engine as ``name``, and always unregister it.

    The plugin is checked like an enabled one (hook names, no defaults, its settings from
    ``settings``); it is called before the engine's other plugins, and the plan's digest
    and ``plan.plugins`` include it while registered. It joins stages run inside the block;
    the data sources it declares are not read (the engine has loaded its data already).
    """
    info = engine._add_plugin(name, plugin, settings)
    try:
        yield info
    finally:
        engine._remove_plugin(name)


def assert_plugin_contract(
    plugin: object | None = None,
    *,
    name: str,
    center: CenterFolder | str | Path | None = None,
    cycle: str | None = None,
) -> ContractReport:
    """Run :func:`check_plugin` and fail the test with every broken contract listed."""
    folder = center.path if isinstance(center, CenterFolder) else center
    report = check_plugin(name, plugin, folder, cycle=cycle)
    if not report.ok:
        raise AssertionError(report.text())
    return report
