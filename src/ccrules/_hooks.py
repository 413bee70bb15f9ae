"""The typed facade the engine calls hooks through, recording every call for tracing."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ccrules._center import Center, CenterConfig
from ccrules._evidence import Evidence, EvidenceTable
from ccrules._manager import LoadedPlugins, call_order
from ccrules._schema import DataSource
from ccrules._trace import HookCall
from ccrules.errors import PluginError, PluginInterrupted, Problem
from ccrules.model import (
    Assembly,
    AttritionRisk,
    CarryOver,
    Escalation,
    Evaluation,
    FollowUp,
    Need,
    Plan,
    Priority,
    Report,
    Review,
    Session,
    Slot,
    Stage,
    Trainer,
    TrainerAssignment,
    TrainerReview,
)
from ccrules.workforce import Workforce

__all__ = ["HookCall", "Hooks"]


class Hooks:
    """Calls hooks on the enabled plugins with typed arguments and results."""

    def __init__(self, plugins: LoadedPlugins) -> None:
        self._plugins = plugins
        self._hook = plugins.manager.hook
        self.trace: list[HookCall] = []

    def _call(self, name: str, **kwargs: Any) -> Any:
        caller = getattr(self._hook, name)
        # a plugin with a wrapper and an implementation of one hook is named once
        order = tuple(
            dict.fromkeys(impl.plugin for impl in call_order(self._plugins.manager, name))
        )
        started = time.perf_counter()
        result = self._invoke(name, caller, kwargs)
        duration = (time.perf_counter() - started) * 1000
        if isinstance(result, list) and not caller.spec.opts.get("firstresult"):
            count = sum(len(part) for part in result if part is not None)
        elif result is None:
            count = 0
        elif isinstance(result, Sequence):
            count = len(result)
        else:
            count = 1
        self.trace.append(HookCall(name, order, round(duration, 3), count))
        return result

    def _invoke(
        self, name: str, caller: Any, kwargs: dict[str, Any], owner: str | None = None
    ) -> Any:
        """``caller(**kwargs)``, a failure turned into the error that names its plugin
        (``owner`` when the caller runs one plugin's implementation)."""
        try:
            return caller(**kwargs)
        except KeyboardInterrupt as error:
            if isinstance(error, PluginInterrupted):
                raise  # a nested call already named the plugin
            raise PluginInterrupted(name, owner or self._blame(caller, error)) from error
        except BaseException as error:
            # SystemExit, GeneratorExit or any BaseException a hook lets out is a plugin
            # failure like any other: exiting from a hook must not end ccrules with exit 0
            raise PluginError(name, owner or self._blame(caller, error), error) from error

    @staticmethod
    def _blame(caller: Any, error: BaseException) -> str | None:
        """The plugin whose hook implementation was running when ``error`` was raised: the
        innermost frame of the traceback that is one of the hook's implementations."""
        codes: dict[object, str] = {}
        for impl in caller.get_hookimpls():
            function = getattr(impl.function, "__func__", impl.function)
            code = getattr(function, "__code__", None)
            if code is not None:
                codes[code] = impl.plugin_name
        frames = []
        tb = error.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code)
            tb = tb.tb_next
        for code in reversed(frames):
            if code in codes:
                return codes[code]
        return None

    @staticmethod
    def _merge(parts: list[list[Any] | None]) -> list[Any]:
        merged: list[Any] = []
        for part in parts:
            if part:
                merged.extend(part)
        return merged

    # -- setup ------------------------------------------------------------------------------

    def data_sources(self, config: CenterConfig) -> list[DataSource]:
        return self._merge(self._call("ccrules_data_sources", config=config))

    def check_inputs(self, center: Center, evidence: Evidence) -> list[Problem]:
        return self._merge(self._call("ccrules_check_inputs", center=center, evidence=evidence))

    def before_stage(self, center: Center, stage: Stage) -> None:
        self._call("ccrules_before_stage", center=center, stage=stage)

    def after_stage(self, center: Center, stage: Stage, result: object) -> None:
        self._call("ccrules_after_stage", center=center, stage=stage, result=result)

    def on_stage_error(self, center: Center, stage: Stage, error: BaseException) -> None:
        self._call("ccrules_on_stage_error", center=center, stage=stage, error=error)

    # -- stages -----------------------------------------------------------------------------

    def aggregate_evidence(self, center: Center, evidence: Evidence) -> list[EvidenceTable]:
        return self._merge(
            self._call("ccrules_aggregate_evidence", center=center, evidence=evidence)
        )

    def aggregate_evidence_by_plugin(
        self, center: Center, evidence: Evidence
    ) -> list[tuple[str, EvidenceTable]]:
        """:meth:`aggregate_evidence`, each table with the plugin that returned it: the
        hook is called once for each plugin (with that plugin's wrappers only), in the order
        pluggy calls them, so that a table refused later names its plugin."""
        manager = self._plugins.manager
        name = "ccrules_aggregate_evidence"
        impls = [i for i in call_order(manager, name) if not i.wrapper]
        everyone = [p for p in manager.get_plugins() if manager.get_name(p) is not None]
        owned: list[tuple[str, EvidenceTable]] = []
        started = time.perf_counter()
        for impl in impls:
            others = [p for p in everyone if manager.get_name(p) != impl.plugin]
            caller = manager.subset_hook_caller(name, remove_plugins=others)
            kwargs = {"center": center, "evidence": evidence}
            parts = self._invoke(name, caller, kwargs, impl.plugin)
            owned.extend((impl.plugin, table) for table in self._merge(parts))
        duration = (time.perf_counter() - started) * 1000
        order = tuple(dict.fromkeys(impl.plugin for impl in call_order(manager, name)))
        self.trace.append(HookCall(name, order, round(duration, 3), len(owned)))
        return owned

    def needs(self, center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
        return self._merge(
            self._call("ccrules_needs", center=center, evidence=evidence, carried=carried)
        )

    def prioritize(self, center: Center, needs: Sequence[Need]) -> list[Priority] | None:
        result: list[Priority] | None = self._call("ccrules_prioritize", center=center, needs=needs)
        return result

    def assemble_sessions(self, center: Center, needs: Sequence[Need]) -> Assembly | None:
        result: Assembly | None = self._call(
            "ccrules_assemble_sessions", center=center, needs=needs
        )
        return result

    def trainer_pool(self, center: Center, evidence: Evidence) -> list[Trainer]:
        return self._merge(self._call("ccrules_trainer_pool", center=center, evidence=evidence))

    def assign_trainers(
        self,
        center: Center,
        sessions: Sequence[Session],
        trainers: Sequence[Trainer],
        workforce: Workforce,
    ) -> list[TrainerAssignment] | None:
        result: list[TrainerAssignment] | None = self._call(
            "ccrules_assign_trainers",
            center=center,
            sessions=sessions,
            trainers=trainers,
            workforce=workforce,
        )
        return result

    def schedule(
        self,
        center: Center,
        sessions: Sequence[Session],
        trainers: Sequence[Trainer],
        workforce: Workforce,
    ) -> list[Slot] | None:
        result: list[Slot] | None = self._call(
            "ccrules_schedule",
            center=center,
            sessions=sessions,
            trainers=trainers,
            workforce=workforce,
        )
        return result

    def plan_reports(self, center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
        return self._merge(
            self._call("ccrules_plan_reports", center=center, evidence=evidence, plan=plan)
        )

    # -- evaluation and close: collecting hooks, called with keyword arguments -------------

    def evaluate(self, **kwargs: Any) -> list[Evaluation]:
        return self._merge(self._call("ccrules_evaluate", **kwargs))

    def escalate(self, **kwargs: Any) -> list[Escalation]:
        return self._merge(self._call("ccrules_escalate", **kwargs))

    def follow_ups(self, **kwargs: Any) -> list[FollowUp]:
        return self._merge(self._call("ccrules_follow_ups", **kwargs))

    def review_trainers(self, **kwargs: Any) -> list[TrainerReview]:
        return self._merge(self._call("ccrules_review_trainers", **kwargs))

    def attrition_risk(self, **kwargs: Any) -> list[AttritionRisk]:
        return self._merge(self._call("ccrules_attrition_risk", **kwargs))

    def close_cycle(self, **kwargs: Any) -> list[CarryOver]:
        return self._merge(self._call("ccrules_close_cycle", **kwargs))

    def review_reports(self, center: Center, review: Review) -> list[Report]:
        return self._merge(self._call("ccrules_review_reports", center=center, review=review))
