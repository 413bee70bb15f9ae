"""The default rule pack: a real, configurable policy for every stage of the loop.

Enable it in center.toml with ``[plugins] enabled = ["default"]`` and tune it under
``[plugins.default]`` (see :mod:`ccrules_default.settings` and docs/rules.md).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_default._meta import PLUGIN, RULES, __version__
from ccrules_default.attrition import ccrules_attrition_risk
from ccrules_default.checks import ccrules_check_inputs
from ccrules_default.close import ccrules_close_cycle
from ccrules_default.courses import ccrules_assemble_sessions
from ccrules_default.escalation import ccrules_escalate
from ccrules_default.evaluation import ccrules_evaluate
from ccrules_default.evidence import ccrules_aggregate_evidence
from ccrules_default.followups import ccrules_follow_ups
from ccrules_default.needs import ccrules_needs
from ccrules_default.priorities import ccrules_prioritize
from ccrules_default.reports import ccrules_plan_reports
from ccrules_default.schedule import ccrules_schedule
from ccrules_default.scorecards import ccrules_review_trainers
from ccrules_default.settings import Settings
from ccrules_default.trainers import (
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
