"""Contract checks any plugin can run: ``ccrules check-plugin NAME [DIR]`` and
``ccrules.testing.assert_plugin_contract``.

Static checks read the plugin object: every hook implementation names a ccrules hook, is
marked, takes only arguments its hook passes, gives none of them a default, and is a
generator when it is a wrapper. Then the plugin plans a center (and reviews the plan, with
outcomes made up when the center has none), twice, each time in a fresh engine, through a
proxy that records what each of its implementations returned: results must have the types
their hooks declare, every object it produces or changes must carry a reason naming the
plugin and its version, every rule id its reasons name must be one it declares in
``ccrules_rules`` (so ``ccrules rules`` lists it and ``ccrules explain --rule`` finds it), and
both runs must give the same results.
"""

from __future__ import annotations

import collections.abc
import difflib
import functools
import hashlib
import inspect
import json
import shutil
import tempfile
import types
import typing
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ccrules import hookspecs, model
from ccrules._center import CONFIG_FILE, Center, CenterConfig
from ccrules._convert import converter
from ccrules._evidence import Evidence, EvidenceTable
from ccrules._manager import (
    HOOK_NAMES,
    PROJECT,
    _version_of,
    hook_kind,
    import_failed,
    installed,
    unknown_plugin,
)
from ccrules._schema import DataSource
from ccrules._toml import dump_toml, read_toml
from ccrules.errors import CcrulesError, InputError, PluginLoadError, Problem
from ccrules.workforce import Workforce

__all__ = ["CHECKS", "ContractReport", "Failure", "check_plugin"]

#: check id -> what it promises, in the order they are reported
CHECKS: dict[str, str] = {
    "hooks-known": "every hook implementation names a ccrules hook",
    "hooks-marked": "every ccrules_* function is marked with @ccrules.hookimpl",
    "spec-arguments": "implementations take only arguments their hook passes",
    "no-defaults": "no default values on hookimpl parameters (pluggy never passes them)",
    "wrappers": "wrappers are generator functions, and only wrappers are",
    "runs": "the plugin plans and reviews the center without an error",
    "result-types": "results have the types their hooks declare",
    "reasons": "every object it produces or changes carries a reason naming it and its version",
    "rules-declared": "every rule its reasons name is declared in its ccrules_rules",
    "deterministic": "the same input gives the same results, twice in fresh engines",
}
STATIC = ("hooks-known", "hooks-marked", "spec-arguments", "no-defaults", "wrappers")
#: at most this many failures of one check on one hook are listed; the rest are counted
SHOWN = 3


@attrs.frozen
class Failure:
    """One broken contract.

    :param check: the check's id (a key of :data:`CHECKS`).
    :param hook: the hook it concerns, if one.
    """

    check: str
    hook: str | None
    message: str


@attrs.frozen
class ContractReport:
    """What :func:`check_plugin` found.

    :param implemented: the hooks the plugin implements.
    :param exercised: those of them the check's runs called.
    :param center: the center it ran on (``synthetic`` when none was given).
    """

    plugin: str
    version: str
    center: str
    implemented: tuple[str, ...]
    exercised: tuple[str, ...]
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    def text(self) -> str:
        """The report as an operator reads it."""
        lines = [f"{self.plugin} {self.version} on {self.center}"]
        for check, promise in CHECKS.items():
            found = [f for f in self.failures if f.check == check]
            lines.append(f"  {'FAIL' if found else 'ok  '} {check}: {promise}")
            lines += [f"       {f.hook + ': ' if f.hook else ''}{f.message}" for f in found]
        idle = [h for h in self.implemented if h not in self.exercised]
        if idle:
            lines.append(f"  not called on this center: {', '.join(idle)}")
        verdict = "all contracts hold" if self.ok else f"{len(self.failures)} failure(s)"
        lines.append(verdict)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# static checks


@attrs.frozen
class _Impl:
    attribute: str
    hook: str
    function: Callable[..., Any]
    options: Mapping[str, Any]

    @property
    def wrapper(self) -> bool:
        return bool(self.options.get("wrapper") or self.options.get("hookwrapper"))


def _implementations(plugin: object) -> tuple[list[_Impl], list[Failure]]:
    impls: list[_Impl] = []
    failures: list[Failure] = []
    for attribute in sorted(dir(plugin)):
        function = getattr(plugin, attribute, None)
        if not callable(function) or isinstance(function, type):
            continue
        options = getattr(function, f"{PROJECT}_impl", None)
        if options is None and not attribute.startswith(f"{PROJECT}_"):
            continue
        hook = (options or {}).get("specname") or attribute
        if hook not in HOOK_NAMES:
            close = difflib.get_close_matches(hook, HOOK_NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see `ccrules hooks`"
            failures.append(Failure("hooks-known", None, f"{attribute}: no hook {hook}{hint}"))
            continue
        if options is None:
            failures.append(
                Failure(
                    "hooks-marked",
                    hook,
                    f"{attribute} is not marked with @ccrules.hookimpl, so it is never called",
                )
            )
            continue
        impls.append(_Impl(attribute, hook, function, dict(options)))
    for impl in impls:
        failures += _signature_failures(impl)
    return impls, failures


def _signature_failures(impl: _Impl) -> list[Failure]:
    failures = []
    parameters = list(inspect.signature(impl.function).parameters.values())
    spec = list(inspect.signature(getattr(hookspecs, impl.hook)).parameters)
    unknown = [p.name for p in parameters if p.name not in spec]
    if unknown:
        failures.append(
            Failure(
                "spec-arguments",
                impl.hook,
                f"{impl.attribute} takes {', '.join(unknown)}; the hook passes only "
                f"({', '.join(spec) or 'nothing'})",
            )
        )
    defaults = [p.name for p in parameters if p.default is not inspect.Parameter.empty]
    if defaults:
        failures.append(
            Failure(
                "no-defaults",
                impl.hook,
                f"{impl.attribute} gives defaults to {', '.join(defaults)}; pluggy never "
                "passes such parameters, remove the defaults",
            )
        )
    generator = inspect.isgeneratorfunction(impl.function)
    if impl.wrapper and not generator:
        failures.append(
            Failure(
                "wrappers",
                impl.hook,
                f"{impl.attribute} is marked wrapper=True but does not `yield`; write "
                "`result = yield` and return the adjusted result",
            )
        )
    elif generator and not impl.wrapper:
        failures.append(
            Failure(
                "wrappers",
                impl.hook,
                f"{impl.attribute} yields but is not marked @ccrules.hookimpl(wrapper=True); "
                "pluggy would hand its generator to the engine as the result",
            )
        )
    return failures


# --------------------------------------------------------------------------------------------
# recording what the plugin returns


@attrs.frozen
class _Returned:
    hook: str
    wrapper: bool
    result: Any
    #: what a wrapper received from the implementations inside it
    inner: Any = None


def _recording(impl: _Impl, sink: list[_Returned]) -> Callable[..., Any]:
    function = impl.function
    if not impl.wrapper:

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            sink.append(_Returned(impl.hook, False, result))
            return result

        return call

    old_style = bool(impl.options.get("hookwrapper"))

    @functools.wraps(function)
    def wrap(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        inner_generator = function(*args, **kwargs)
        first = next(inner_generator)
        try:
            inner = yield first
        except BaseException as error:
            try:
                inner_generator.throw(error)
            except StopIteration as stop:
                return stop.value
            raise RuntimeError(f"{impl.attribute} yielded twice") from None
        received = inner.get_result() if old_style else inner
        try:
            inner_generator.send(inner)
        except StopIteration as stop:
            result = inner.get_result() if old_style else stop.value
            sink.append(_Returned(impl.hook, True, result, received))
            return stop.value
        raise RuntimeError(f"{impl.attribute} yielded twice")

    return wrap


def _proxy(plugin: object, version: str, impls: Sequence[_Impl], sink: list[_Returned]) -> object:
    """A plugin object with the same hook implementations, each recording what it returns."""
    proxy = types.SimpleNamespace(
        __name__=getattr(plugin, "__name__", None) or type(plugin).__module__,
        __version__=version,
    )
    for impl in impls:
        recording = _recording(impl, sink)
        setattr(recording, f"{PROJECT}_impl", dict(impl.options))
        setattr(proxy, impl.attribute, recording)
    return proxy


# --------------------------------------------------------------------------------------------
# checking what it returned

_NAMESPACE: dict[str, Any] = {
    **vars(model),
    **vars(hookspecs),
    "Center": Center,
    "CenterConfig": CenterConfig,
    "Evidence": Evidence,
    "EvidenceTable": EvidenceTable,
    "DataSource": DataSource,
    "Problem": Problem,
    "Workforce": Workforce,
}


def _return_hint(hook: str) -> Any:
    return typing.get_type_hints(getattr(hookspecs, hook), globalns=_NAMESPACE)["return"]


def _mismatch(value: Any, hint: Any, where: str = "") -> str | None:
    """Where ``value`` is not of type ``hint``, in words; ``None`` when it is."""
    if hint is Any or hint is object:
        return None
    if hint is None or hint is type(None):
        return None if value is None else f"{where or 'it'} is {_name(value)}, expected None"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if any(_mismatch(value, arg, where) is None for arg in args):
            return None
        wanted = " or ".join(_hint_name(a) for a in args)
        return f"{where or 'it'} is {_name(value)}, expected {wanted}"
    if origin in (list, tuple, collections.abc.Sequence):
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            return f"{where or 'it'} is {_name(value)}, expected {_hint_name(hint)}"
        inner = args[0] if args else Any
        for index, item in enumerate(value):
            wrong = _mismatch(item, inner, f"{where}[{index}]")
            if wrong:
                return wrong
        return None
    if hint is type or origin is type:
        return (
            None
            if isinstance(value, type)
            else f"{where or 'it'} is {_name(value)}, expected a class"
        )
    if isinstance(hint, type) and not isinstance(value, hint):
        return f"{where or 'it'} is {_name(value)}, expected {hint.__name__}"
    return None


def _name(value: Any) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


def _hint_name(hint: Any) -> str:
    if hint is type(None):
        return "None"
    return getattr(hint, "__name__", None) or str(hint).replace("ccrules.model.", "")


def _decisions(value: Any) -> Iterator[Any]:
    """The objects in a result that are decisions: those with ``reasons``."""
    if isinstance(value, list | tuple):
        for item in value:
            yield from _decisions(item)
    elif attrs.has(type(value)):
        if hasattr(value, "reasons"):
            yield value
            return
        for field in attrs.fields(type(value)):
            yield from _decisions(getattr(value, field.name))


def _label(item: Any) -> str:
    for name in ("id", "session_id", "need_id", "trainer_id", "agent_id", "subject_id"):
        value = getattr(item, name, None)
        if value:
            return f"{type(item).__name__} {value!r}"
    return type(item).__name__


def _keys(items: Sequence[Any]) -> set[Any]:
    keys = set()
    for item in items:
        try:
            keys.add(item)
        except TypeError:
            keys.add(id(item))
    return keys


def _result_failures(returned: Sequence[_Returned], name: str, version: str) -> list[Failure]:
    failures: list[Failure] = []
    counts: dict[tuple[str, str], int] = {}

    def add(check: str, hook: str, message: str) -> None:
        key = (check, hook)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= SHOWN:
            failures.append(Failure(check, hook, message))

    for item in returned:
        hint = _return_hint(item.hook)
        if item.wrapper and hook_kind(item.hook) != "deciding":
            hint = list[hint]  # type: ignore[valid-type]  # a wrapper sees one list per plugin
        kind = "its wrapper" if item.wrapper else "it"
        found = _mismatch(item.result, hint, "the result")
        if found:
            add("result-types", item.hook, f"{kind} returned {_name(item.result)}: {found}")
            continue
        if hookspecs.HOOK_STAGES[item.hook] is model.Stage.SETUP:
            continue
        decisions = list(_decisions(item.result))
        if item.wrapper:  # a wrapper answers for what it changed, not what it passed on
            passed = _keys(list(_decisions(item.inner)))
            decisions = [d for d in decisions if _keys([d]).isdisjoint(passed)]
        for decision in decisions:
            reasons = getattr(decision, "reasons", ())
            if any(r.plugin == name and r.version == version for r in reasons):
                continue
            by = sorted({f"{r.plugin} {r.version}" for r in reasons})
            named = f"its reasons name {', '.join(by)}" if by else "it has no reason"
            add(
                "reasons",
                item.hook,
                f"{_label(decision)} has no reason by {name} {version} ({named}); stamp "
                f"it with ccrules.PluginRef({name!r}, __version__).reason(...)",
            )
    for (check, hook), count in sorted(counts.items()):
        if count > SHOWN:
            failures.append(Failure(check, hook, f"... and {count - SHOWN} more like these"))
    return failures


def _reasons_in(value: Any) -> Iterator[model.Reason]:
    """Every reason anywhere in a result (on a decision, a session's trainer and slot
    reasons, a carried need inside a carry-over, a report)."""
    if isinstance(value, model.Reason):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _reasons_in(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _reasons_in(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _reasons_in(getattr(value, field.name))


def _undeclared_rules(returned: Sequence[_Returned], name: str) -> list[Failure]:
    """A reason by the plugin whose rule id its ``ccrules_rules`` does not declare: one
    failure per rule id, at the first hook that used it."""
    declared: set[str] = set()
    for item in returned:
        if item.hook == "ccrules_rules" and isinstance(item.result, list | tuple):
            declared |= {r.id for r in item.result if isinstance(r, model.RuleInfo)}
    failures: list[Failure] = []
    seen: set[str] = set()
    for item in returned:
        if hookspecs.HOOK_STAGES[item.hook] is model.Stage.SETUP:
            continue
        for reason in _reasons_in(item.result):
            if reason.plugin != name or reason.rule in declared or reason.rule in seen:
                continue
            seen.add(reason.rule)
            stage = hookspecs.HOOK_STAGES[item.hook]
            where = f"it declares {', '.join(sorted(declared))}" if declared else "none declared"
            failures.append(
                Failure(
                    "rules-declared",
                    item.hook,
                    f"rule {reason.rule!r} of plugin {name!r} is not declared ({where}); "
                    f"declare it in ccrules_rules: RuleInfo({reason.rule!r}, "
                    f'Stage.{stage.name}, "what it does"), so that `ccrules rules` lists '
                    f"it and `ccrules explain --rule {reason.rule}` finds it",
                )
            )
    return failures


def _canonical(returned: Sequence[_Returned]) -> list[tuple[str, str]]:
    def text(value: Any) -> str:
        if isinstance(value, type):
            return f"{value.__module__}.{value.__qualname__}"
        try:
            data = converter.unstructure(value)
        except Exception:  # not a model: compare what it shows
            return repr(value)
        return json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)

    return [(r.hook, text(r.result)) for r in returned]


# --------------------------------------------------------------------------------------------
# running the plugin


def _outcomes(plan: model.Plan) -> tuple[model.Outcome, ...]:
    """Outcomes for every seated attendee, made up deterministically: most attend, scores
    spread over pass and fail."""
    made = []
    for session in plan.sessions:
        for agent_id in session.attendees:
            roll = hashlib.sha256(f"{session.id}\0{agent_id}".encode()).digest()
            attended = roll[0] % 10 != 0
            made.append(
                model.Outcome(
                    session.id,
                    agent_id,
                    attended,
                    post_score=float(50 + roll[1] % 50) if attended else None,
                    satisfaction=float(2 + roll[2] % 4) if attended else None,
                )
            )
    return tuple(made)


def _run(folder: Path, name: str, proxy: object, cycle: str | None) -> tuple[str, list[Failure]]:
    """Plan and review once; the plan's JSON and what failed."""
    from ccrules._engine import Engine
    from ccrules._planjson import plan_to_json

    failures: list[Failure] = []
    with Engine.from_folder(folder, cycle=cycle, plugins={name: proxy}) as engine:
        try:
            plan = engine.plan()
        except CcrulesError as error:
            return "", [Failure("runs", getattr(error, "hook", None), f"planning: {error}")]
        except Exception as error:
            return "", [Failure("runs", None, f"planning raised {type(error).__name__}: {error}")]
        try:
            try:
                outcomes = engine.outcomes(plan)
            except InputError:
                outcomes = _outcomes(plan)
            engine.review(plan, outcomes)
        except CcrulesError as error:
            failures.append(Failure("runs", getattr(error, "hook", None), f"reviewing: {error}"))
        except Exception as error:
            failures.append(
                Failure("runs", None, f"reviewing raised {type(error).__name__}: {error}")
            )
        return plan_to_json(plan), failures


def _resolve(name: str, plugin: object | None) -> tuple[object, str]:
    if plugin is not None:
        return plugin, _version_of(plugin, None)
    points = installed()
    if name not in points:
        raise PluginLoadError([unknown_plugin(name, points, file="<command line>")])
    point = points[name]
    try:
        loaded = point.load()
    except Exception as error:
        raise PluginLoadError([import_failed(name, error, file="<command line>")]) from None
    return loaded, _version_of(loaded, point)


def _stage_center(source: Path, target: Path, name: str) -> None:
    """A center folder at ``target`` that is ``source`` with ``name`` enabled first; its data
    is linked, not copied."""
    target.mkdir()
    text = (source / CONFIG_FILE).read_bytes().decode("utf-8-sig")
    config = read_toml(text, CONFIG_FILE)
    plugins = config.setdefault("plugins", {})
    plugins["enabled"] = [name, *(n for n in plugins.get("enabled", []) if n != name)]
    # the linked data is the source center's own, not a file from outside it
    config.setdefault("evidence", {})["allow_outside"] = True
    (target / CONFIG_FILE).write_text(dump_toml(config), encoding="utf-8")
    (target / "data").symlink_to((source / "data").resolve(), target_is_directory=True)


def check_plugin(
    name: str,
    plugin: object | None = None,
    center: str | Path | None = None,
    *,
    cycle: str | None = None,
) -> ContractReport:
    """Check a plugin against the hook contracts.

    :param name: the name it is enabled under.
    :param plugin: the plugin object; ``None`` loads the installed entry point ``name``.
    :param center: a center folder to run it on (its center.toml, with ``name`` enabled
        first); ``None`` writes the small synthetic center of ``ccrules synth``.
    :param cycle: the cycle to plan; the center's latest by default.
    :raises PluginLoadError: ``name`` is not installed or does not import.
    :raises InputError: the center does not load with the plugin (its data sources, its
        settings); the problems say what to change.
    """
    plugin, version = _resolve(name, plugin)
    impls, failures = _implementations(plugin)
    implemented = tuple(sorted({impl.hook for impl in impls}))
    where = str(center) if center is not None else "synthetic"
    report = functools.partial(ContractReport, name, version, where, implemented)
    if failures:
        return report((), tuple(failures))
    work = Path(tempfile.mkdtemp(prefix="ccrules-check-"))
    try:
        if center is None:
            from ccrules._synth import SynthSpec, write_center

            source = work / "synthetic"
            write_center(source, SynthSpec(agents=40, qa_rows=4000, seed=1))
        else:
            source = Path(center)
        runs: list[tuple[str, list[_Returned]]] = []
        for attempt in range(2):
            folder = work / f"run-{attempt}"
            _stage_center(source, folder, name)
            sink: list[_Returned] = []
            plan_json, run_failures = _run(
                folder, name, _proxy(plugin, version, impls, sink), cycle
            )
            runs.append((plan_json, sink))
            if attempt == 0:
                failures += run_failures
                failures += _result_failures(sink, name, version)
                failures += _undeclared_rules(sink, name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failures += _determinism(runs)
    exercised = tuple(sorted({r.hook for r in runs[0][1]}))
    return report(exercised, tuple(failures))


def _determinism(runs: Sequence[tuple[str, Sequence[_Returned]]]) -> list[Failure]:
    (plan_a, first), (plan_b, second) = runs
    a, b = _canonical(first), _canonical(second)
    for index, (left, right) in enumerate(zip(a, b, strict=False)):
        if left != right:
            where = _first_difference(left[1], right[1])
            return [
                Failure(
                    "deterministic",
                    left[0],
                    f"call {index + 1} returned something else the second time ({where}); "
                    "sort what you iterate, and use no clock, random or global state",
                )
            ]
    if len(a) != len(b):
        return [Failure("deterministic", None, f"{len(a)} calls the first time, {len(b)} next")]
    if plan_a != plan_b:
        return [Failure("deterministic", None, "the plans of the two runs differ")]
    return []


def _first_difference(left: str, right: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y), 0)
    start = max(at - 30, 0)
    return f"first {left[start : at + 30]!r}, then {right[start : at + 30]!r}"
