"""ccrules: a rules engine for contact-center training.

The training loop (evidence, needs, priorities, courses, trainers, schedule, evaluation,
close) is a set of pluggy hooks (:mod:`ccrules.hookspecs`); every rule is a plugin. This
module is the public API: what plugin authors and integrators import.
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): ``import ccrules`` (and ccrules' pytest plugin,
# which pytest loads in every project of the environment) costs nothing until the engine,
# DuckDB or pluggy is asked for.
_LAZY = {
    "CcrulesError": "ccrules.errors",
    "Center": "ccrules._center",
    "CenterConfig": "ccrules._center",
    "Check": "ccrules._schema",
    "Column": "ccrules._schema",
    "ColumnType": "ccrules._schema",
    "ConfigError": "ccrules.errors",
    "CycleConfig": "ccrules._center",
    "DataSource": "ccrules._schema",
    "Engine": "ccrules._engine",
    "Evidence": "ccrules._evidence",
    "EvidenceConfig": "ccrules._center",
    "EvidenceTable": "ccrules._evidence",
    "History": "ccrules._history",
    "HookCall": "ccrules._trace",
    "InputError": "ccrules.errors",
    "PluginError": "ccrules.errors",
    "PluginInfo": "ccrules._manager",
    "PluginInterrupted": "ccrules.errors",
    "PluginLoadError": "ccrules.errors",
    "PluginRef": "ccrules._reasons",
    "PluginsConfig": "ccrules._center",
    "Problem": "ccrules.errors",
    "Reference": "ccrules._schema",
    "ReviewRecord": "ccrules._history",
    "Revision": "ccrules._history",
    "Stage": "ccrules.model",
    "converter": "ccrules._convert",
    "hookimpl": "ccrules._manager",
    "plan_from_json": "ccrules._planjson",
    "plan_schema": "ccrules._planjson",
    "plan_to_json": "ccrules._planjson",
    "review_from_json": "ccrules._planjson",
    "review_to_json": "ccrules._planjson",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ccrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:
    from ccrules._center import Center, CenterConfig, CycleConfig, EvidenceConfig, PluginsConfig
    from ccrules._convert import converter
    from ccrules._engine import Engine
    from ccrules._evidence import Evidence, EvidenceTable
    from ccrules._history import History, ReviewRecord, Revision
    from ccrules._manager import PluginInfo, hookimpl
    from ccrules._planjson import (
        plan_from_json,
        plan_schema,
        plan_to_json,
        review_from_json,
        review_to_json,
    )
    from ccrules._reasons import PluginRef
    from ccrules._schema import Check, Column, ColumnType, DataSource, Reference
    from ccrules._trace import HookCall
    from ccrules.errors import (
        CcrulesError,
        ConfigError,
        InputError,
        PluginError,
        PluginInterrupted,
        PluginLoadError,
        Problem,
    )
    from ccrules.model import Stage

__all__ = [
    "CcrulesError",
    "Center",
    "CenterConfig",
    "Check",
    "Column",
    "ColumnType",
    "ConfigError",
    "CycleConfig",
    "DataSource",
    "Engine",
    "Evidence",
    "EvidenceConfig",
    "EvidenceTable",
    "History",
    "HookCall",
    "InputError",
    "PluginError",
    "PluginInfo",
    "PluginInterrupted",
    "PluginLoadError",
    "PluginRef",
    "PluginsConfig",
    "Problem",
    "Reference",
    "ReviewRecord",
    "Revision",
    "Stage",
    "__version__",
    "converter",
    "hookimpl",
    "plan_from_json",
    "plan_schema",
    "plan_to_json",
    "review_from_json",
    "review_to_json",
]
