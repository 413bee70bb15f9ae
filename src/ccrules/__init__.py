"""ccrules: a rules engine for contact-center training.

The training loop (evidence, needs, priorities, courses, trainers, schedule, evaluation,
close) is a set of pluggy hooks (:mod:`ccrules.hookspecs`); every rule is a plugin. This
module is the public API: what plugin authors and integrators import.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
