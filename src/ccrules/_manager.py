"""Finding, checking and registering plugins.

Plugins are found in the ``ccrules`` entry-point group, but only those a center enables in
center.toml are imported and registered, under the name they are enabled as. Every plugin is
checked at load: each ``ccrules_*`` function must be a marked implementation of a known hook,
with no default values on its parameters (pluggy would silently never pass them). Each
plugin's settings table is structured into the class it declares.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

import attrs
import pluggy

from ccrules import hookspecs
from ccrules._convert import converter, structure_problems
from ccrules._trace import HookCall, timed
from ccrules.errors import PluginLoadError, Problem
from ccrules.i18n import register_catalogue
from ccrules.model import PluginVersion, RuleInfo

__all__ = [
    "ENTRY_POINT_GROUP",
    "LoadedPlugins",
    "PluginInfo",
    "hookimpl",
    "installed",
    "load_plugins",
]

ENTRY_POINT_GROUP = "ccrules"
PROJECT = "ccrules"
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a function as a hook implementation: ``@ccrules.hookimpl``."""

HOOK_NAMES = tuple(hookspecs.HOOK_STAGES)
PER_PLUGIN_HOOKS = ("ccrules_plugin_settings", "ccrules_rules")
OBSERVER_HOOKS = ("ccrules_before_stage", "ccrules_after_stage", "ccrules_on_stage_error")


def hook_kind(name: str) -> str:
    """``per-plugin``, ``observer``, ``deciding`` (firstresult) or ``collecting``."""
    if name in PER_PLUGIN_HOOKS:
        return "per-plugin"
    if name in OBSERVER_HOOKS:
        return "observer"
    spec_options = getattr(getattr(hookspecs, name), f"{PROJECT}_spec", {})
    return "deciding" if spec_options.get("firstresult") else "collecting"


@attrs.frozen
class PluginInfo:
    """A plugin as ``ccrules plugins`` shows it.

    :param source: ``entry-point`` (installed) or ``object`` (given to the Engine directly).
    :param enabled: whether the center enables it; ``None`` when no center was given.
    """

    name: str
    version: str
    module: str
    source: str
    hooks: tuple[str, ...]
    distribution: str | None = None
    enabled: bool | None = None


def installed() -> dict[str, importlib.metadata.EntryPoint]:
    """Entry points of the ``ccrules`` group by name (not imported)."""
    points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return {point.name: point for point in sorted(points, key=lambda p: p.name)}


def _version_of(plugin: object, point: importlib.metadata.EntryPoint | None) -> str:
    if point is not None and point.dist is not None:
        return str(point.dist.version)
    return str(getattr(plugin, "__version__", "0"))


class Monitor(Protocol):
    """Something told of every hook call, such as ``ccrules.testing.HookRecorder``."""

    def attach(self, manager: pluggy.PluginManager) -> None:
        """Start observing the hook calls of ``manager``."""

    def record(
        self, hook: str, plugins: tuple[str, ...], kwargs: Mapping[str, Any], result: Any
    ) -> None:
        """A per-plugin setup call, made outside pluggy's hook calling."""


#: monitors active now: every manager made meanwhile is attached to each
MONITORS: list[Monitor] = []


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    for monitor in MONITORS:
        monitor.attach(manager)
    return manager


def _hook_problems(
    name: str, plugin: object, file: str, line: int | None, index: int
) -> list[Problem]:
    """Check a plugin object's ``ccrules_*`` attributes before pluggy sees it."""
    problems = []
    for attribute in sorted(dir(plugin)):
        if not attribute.startswith(f"{PROJECT}_"):
            continue
        function = getattr(plugin, attribute, None)
        if not callable(function):
            continue
        marked = getattr(function, f"{PROJECT}_impl", None) is not None
        if attribute not in HOOK_NAMES:
            close = difflib.get_close_matches(attribute, HOOK_NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see `ccrules hooks`"
            problems.append(
                Problem(
                    file=file,
                    line=line,
                    path=f"plugins.enabled[{index}]",
                    message=f"plugin {name!r}: {attribute} is not a ccrules hook{hint}",
                    code="unknown-hook",
                )
            )
            continue
        if not marked:
            problems.append(
                Problem(
                    file=file,
                    line=line,
                    path=f"plugins.enabled[{index}]",
                    message=f"plugin {name!r}: {attribute} is not marked with "
                    "@ccrules.hookimpl, so it would never be called",
                    code="unmarked-hook",
                )
            )
            continue
        try:
            parameters = inspect.signature(function).parameters.values()
        except (TypeError, ValueError):  # pragma: no cover - builtins
            continue
        defaults = [p.name for p in parameters if p.default is not inspect.Parameter.empty]
        if defaults:
            problems.append(
                Problem(
                    file=file,
                    line=line,
                    path=f"plugins.enabled[{index}]",
                    message=f"plugin {name!r}: {attribute} gives defaults to "
                    f"{', '.join(defaults)}; pluggy never passes such parameters, remove "
                    "the defaults",
                    code="hookimpl-default",
                )
            )
    return problems


def unknown_plugin(
    name: str, known: Iterable[str], *, file: str, line: int | None = None, path: str | None = None
) -> Problem:
    """The problem of a plugin name no installed entry point (or given object) has."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return Problem(
        file=file,
        line=line,
        path=path,
        message=f"unknown plugin {name!r}{hint}; installed: {', '.join(names) or 'none'}. "
        "Install it (pip install ...) or fix the name",
        code="unknown-plugin",
    )


def import_failed(
    name: str, error: Exception, *, file: str, line: int | None = None, path: str | None = None
) -> Problem:
    """The problem of an installed plugin that raised on import."""
    return Problem(
        file=file,
        line=line,
        path=path,
        message=f"plugin {name!r} failed to import: {type(error).__name__}: {error}",
        code="plugin-import",
    )


@attrs.define
class LoadedPlugins:
    """The enabled plugins of a center, registered and checked."""

    manager: pluggy.PluginManager
    infos: dict[str, PluginInfo]
    settings: dict[type, object]
    rules: dict[str, tuple[RuleInfo, ...]]
    #: the per-plugin setup calls made while loading (settings classes, rules)
    trace: list[HookCall] = attrs.field(factory=list)

    @property
    def versions(self) -> tuple[PluginVersion, ...]:
        return tuple(PluginVersion(i.name, i.version) for i in self.infos.values())

    def per_plugin(self, hook: str) -> dict[str, Callable[[], Any]]:
        """The implementations of a per-plugin setup hook, by plugin name."""
        caller = getattr(self.manager.hook, hook)
        return {impl.plugin_name: impl.function for impl in caller.get_hookimpls()}


def _register_catalogue(name: str, module: str) -> None:
    """Use the plugin package's own catalogue for its reasons, when it ships one: the
    nearest ``locale`` folder beside the plugin's module or in a package above it, whose
    domain is that package folder's name."""
    imported = sys.modules.get(module)
    where = getattr(imported, "__file__", None)
    if where is None:
        return
    folder = Path(where).parent
    while True:
        if (folder / "locale").is_dir():
            register_catalogue(name, folder.name, folder / "locale")
            return
        if not (folder.parent / "__init__.py").is_file():
            return
        folder = folder.parent


def load_plugins(
    enabled: Sequence[str],
    settings_tables: Mapping[str, Mapping[str, Any]],
    objects: Mapping[str, object] | None = None,
    file: str = "center.toml",
    locate: Callable[[tuple[str | int, ...]], int | None] | None = None,
) -> LoadedPlugins:
    """Import, check and register the enabled plugins, and structure their settings.

    :param enabled: plugin names in center.toml order; the first listed is called first.
    :param settings_tables: ``[plugins.<name>]`` tables.
    :param objects: plugins given as objects, by name; they take precedence over entry points.
    :raises PluginLoadError: naming every plugin that is unknown, fails to import, implements
        an unknown hook or takes a malformed settings table.
    """
    objects = dict(objects or {})
    points = installed()
    manager = new_manager()
    problems: list[Problem] = []
    infos: dict[str, PluginInfo] = {}
    registered: dict[str, object] = {}

    def line_of(path: tuple[str | int, ...]) -> int | None:
        return locate(path) if locate else None

    for index, name in enumerate(enabled):
        line = line_of(("plugins", "enabled", index))
        point = None
        if name in objects:
            plugin = objects[name]
        elif name in points:
            point = points[name]
            try:
                plugin = point.load()
            except Exception as error:
                problems.append(
                    import_failed(
                        name, error, file=file, line=line, path=f"plugins.enabled[{index}]"
                    )
                )
                continue
        else:
            problems.append(
                unknown_plugin(
                    name,
                    {*points, *objects},
                    file=file,
                    line=line,
                    path=f"plugins.enabled[{index}]",
                )
            )
            continue
        if name in registered:
            problems.append(
                Problem(
                    file=file,
                    line=line,
                    path=f"plugins.enabled[{index}]",
                    message=f"plugin {name!r} is enabled twice",
                    code="duplicate-plugin",
                )
            )
            continue
        hook_problems = _hook_problems(name, plugin, file, line, index)
        if hook_problems:
            problems.extend(hook_problems)
            continue
        registered[name] = plugin
        module = getattr(plugin, "__name__", None) or type(plugin).__module__
        _register_catalogue(name, module)
        infos[name] = PluginInfo(
            name=name,
            version=_version_of(plugin, point),
            module=module,
            source="object" if point is None else "entry-point",
            hooks=(),
            distribution=point.dist.name if point is not None and point.dist else None,
            enabled=True,
        )
    # pluggy calls the last registered first; register in reverse so that the plugin listed
    # first in center.toml answers deciding hooks first.
    for name in reversed(list(registered)):
        try:
            manager.register(registered[name], name=name)
        except pluggy.PluginValidationError as error:
            problems.append(
                Problem(
                    file=file,
                    line=line_of(("plugins", "enabled", list(enabled).index(name))),
                    path="plugins.enabled",
                    message=f"plugin {name!r}: {error}",
                    code="invalid-hookimpl",
                )
            )
    if not problems:
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as error:  # pragma: no cover - caught above
            problems.append(Problem(file=file, message=str(error), code="unknown-hook"))
    for name in registered:
        hooks = tuple(
            sorted(
                caller.name
                for caller in manager.get_hookcallers(registered[name]) or ()
                if manager.is_registered(registered[name])
            )
        )
        infos[name] = attrs.evolve(infos[name], hooks=hooks)
    trace: list[HookCall] = []
    settings, settings_problems = _structure_settings(
        manager, registered, settings_tables, file, locate, trace
    )
    problems.extend(settings_problems)
    rules: dict[str, tuple[RuleInfo, ...]] = {}
    rule_impls = {
        impl.plugin_name: impl.function for impl in manager.hook.ccrules_rules.get_hookimpls()
    }
    for name in registered:
        declared: list[RuleInfo] = []
        if name in rule_impls:
            declared = cast(
                "list[RuleInfo]",
                timed(trace, "ccrules_rules", name, rule_impls[name], len),
            )
        rules[name] = tuple(declared)
    if problems:
        raise PluginLoadError(problems)
    return LoadedPlugins(
        manager=manager,
        infos=infos,
        settings=settings,
        rules=rules,
        trace=trace,
    )


def _structure_settings(
    manager: pluggy.PluginManager,
    registered: Mapping[str, object],
    tables: Mapping[str, Mapping[str, Any]],
    file: str,
    locate: Callable[[tuple[str | int, ...]], int | None] | None,
    trace: list[HookCall],
) -> tuple[dict[type, object], list[Problem]]:
    impls = {
        impl.plugin_name: impl.function
        for impl in manager.hook.ccrules_plugin_settings.get_hookimpls()
    }
    settings: dict[type, object] = {}
    problems: list[Problem] = []
    for name in registered:
        cls = None
        if name in impls:
            cls = cast(
                "type | None",
                timed(
                    trace,
                    "ccrules_plugin_settings",
                    name,
                    impls[name],
                    lambda c: int(c is not None),
                ),
            )
        table = tables.get(name)
        root: tuple[str | int, ...] = ("plugins", name)
        if cls is None:
            if table:
                problems.append(
                    Problem(
                        file=file,
                        line=locate(root) if locate else None,
                        path=f"plugins.{name}",
                        message=f"plugins.{name}: plugin {name!r} takes no settings; remove "
                        "this table",
                        code="unknown-key",
                    )
                )
            continue
        if table is not None and not isinstance(table, Mapping):
            continue  # reported with the config's problems: settings must be a table
        try:
            value: object = converter.structure(dict(table or {}), cls)
        except Exception as error:  # cattrs raises a group of every wrong value
            problems.extend(structure_problems(error, file, root, locate))
            continue
        settings[cls] = value
    return settings, problems


def describe_installed(enabled: Iterable[str] | None = None) -> list[PluginInfo]:
    """Every installed plugin, imported to list its hooks, for ``ccrules plugins``."""
    enabled_set = set(enabled) if enabled is not None else None
    result = []
    for name, point in installed().items():
        try:
            plugin = point.load()
        except Exception as error:  # an installed plugin that does not import is shown so
            result.append(
                PluginInfo(
                    name=name,
                    version=_version_of(None, point),
                    module=point.value,
                    source="entry-point",
                    hooks=(f"(import failed: {type(error).__name__}: {error})",),
                    distribution=point.dist.name if point.dist else None,
                    enabled=None if enabled_set is None else name in enabled_set,
                )
            )
            continue
        hooks = tuple(
            sorted(
                attribute
                for attribute in dir(plugin)
                if attribute in HOOK_NAMES
                and getattr(getattr(plugin, attribute), f"{PROJECT}_impl", None) is not None
            )
        )
        result.append(
            PluginInfo(
                name=name,
                version=_version_of(plugin, point),
                module=getattr(plugin, "__name__", point.value),
                source="entry-point",
                hooks=hooks,
                distribution=point.dist.name if point.dist else None,
                enabled=None if enabled_set is None else name in enabled_set,
            )
        )
    return result


@attrs.frozen
class Implementation:
    """One implementation of a hook, as ``ccrules hooks`` shows it."""

    plugin: str
    function: str
    wrapper: bool = False
    tryfirst: bool = False
    trylast: bool = False


def call_order(manager: pluggy.PluginManager, hook: str) -> tuple[Implementation, ...]:
    """Implementations of ``hook`` in the order pluggy calls them: wrappers (outermost
    first), then the others."""
    return tuple(
        Implementation(
            plugin=impl.plugin_name,
            function=f"{getattr(impl.function, '__module__', '?')}.{impl.function.__name__}",
            wrapper=bool(impl.hookwrapper or impl.wrapper),
            tryfirst=bool(impl.tryfirst),
            trylast=bool(impl.trylast),
        )
        for impl in in_call_order(getattr(manager.hook, hook).get_hookimpls())
    )


def in_call_order(impls: Sequence[pluggy.HookImpl]) -> list[pluggy.HookImpl]:
    """pluggy's implementations list (last registered last) in the order it calls them:
    wrappers first, then the others, each group last registered first."""
    ordered = list(reversed(impls))
    return [i for i in ordered if i.hookwrapper or i.wrapper] + [
        i for i in ordered if not (i.hookwrapper or i.wrapper)
    ]
