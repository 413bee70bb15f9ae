"""The release-cascade pack (seed 004): product releases outpace training, so team leads
learn each release first and cascade it to their teams at the pre-shift meeting (or by a
10-15 minute video), before the release reaches customers.

Enable it in center.toml with ``[plugins] enabled = ["default", "release-cascade"]`` and
tune it under ``[plugins.release-cascade]``. It reads ``releases.csv`` (through the
``release_changes`` aggregate), teams and their leads, agents, role profiles and courses.
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.cascade._meta import PLUGIN, RULES, __version__
from ccrules_packs.cascade.checks import ccrules_check_inputs
from ccrules_packs.cascade.courses import ccrules_assemble_sessions
from ccrules_packs.cascade.needs import ccrules_needs
from ccrules_packs.cascade.reports import ccrules_plan_reports
from ccrules_packs.cascade.settings import Settings
from ccrules_packs.cascade.trainers import ccrules_assign_trainers, ccrules_trainer_pool


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
    "ccrules_assemble_sessions",
    "ccrules_assign_trainers",
    "ccrules_check_inputs",
    "ccrules_needs",
    "ccrules_plan_reports",
    "ccrules_plugin_settings",
    "ccrules_rules",
    "ccrules_trainer_pool",
]
