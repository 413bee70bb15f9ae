"""The default rule pack: a real, configurable policy for every stage of the loop.

Enable it in center.toml with ``[plugins] enabled = ["default"]`` and tune it under
``[plugins.default]`` (see :mod:`ccrules_packs.default.settings` and docs/rules.md).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.default._meta import PLUGIN, RULES, __version__
from ccrules_packs.default.attrition import ccrules_attrition_risk
from ccrules_packs.default.checks import ccrules_check_inputs
from ccrules_packs.default.close import ccrules_close_cycle
from ccrules_packs.default.courses import ccrules_assemble_sessions
from ccrules_packs.default.escalation import ccrules_escalate
from ccrules_packs.default.evaluation import ccrules_evaluate
from ccrules_packs.default.evidence import ccrules_aggregate_evidence
from ccrules_packs.default.followups import ccrules_follow_ups
from ccrules_packs.default.needs import ccrules_needs
from ccrules_packs.default.priorities import ccrules_prioritize
from ccrules_packs.default.reports import ccrules_plan_reports
from ccrules_packs.default.schedule import ccrules_schedule
from ccrules_packs.default.scorecards import ccrules_review_trainers
from ccrules_packs.default.settings import Settings
from ccrules_packs.default.trainers import (
    ccrules_assign_trainers,
    ccrules_trainer_pool,
    measure_staff,
)


@ccrules.hookimpl
def ccrules_plugin_settings() -> type:
    return Settings


@ccrules.hookimpl
def ccrules_rules() -> list[RuleInfo]:
    return list(RULES)


__all__ = [
    "PLUGIN",
    "RULES",
    "Settings",
    "__version__",
    "ccrules_aggregate_evidence",
    "ccrules_assemble_sessions",
    "ccrules_assign_trainers",
    "ccrules_attrition_risk",
    "ccrules_check_inputs",
    "ccrules_close_cycle",
    "ccrules_escalate",
    "ccrules_evaluate",
    "ccrules_follow_ups",
    "ccrules_needs",
    "ccrules_plan_reports",
    "ccrules_plugin_settings",
    "ccrules_prioritize",
    "ccrules_review_trainers",
    "ccrules_rules",
    "ccrules_schedule",
    "ccrules_trainer_pool",
    "measure_staff",
]
