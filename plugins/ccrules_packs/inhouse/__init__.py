"""The in-house rule pack: company A of seed 000, which owns its staff and its trainers.

Own staff teach first (method providers, top agents, team leads; seed 001: the best trainer
is whoever found the method), training follows the company's strategy, lateral transfers and
promotions are trained before they take effect, middle managers have a track of their own,
and a report shows the competency readiness of everyone about to move (seed 002).

Enable it after the default pack in center.toml, ``[plugins] enabled = ["default",
"inhouse"]``, and tune it under ``[plugins.inhouse]`` (see
:mod:`ccrules_packs.inhouse.settings`).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.inhouse._meta import PLUGIN, RULES, __version__
from ccrules_packs.inhouse.checks import ccrules_check_inputs
from ccrules_packs.inhouse.needs import ccrules_needs
from ccrules_packs.inhouse.reports import ccrules_plan_reports
from ccrules_packs.inhouse.settings import Settings
from ccrules_packs.inhouse.trainers import (
    ccrules_trainer_pool,
    explain_staff_trainers,
    prefer_listed_staff,
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
    "ccrules_check_inputs",
    "ccrules_needs",
    "ccrules_plan_reports",
    "ccrules_plugin_settings",
    "ccrules_rules",
    "ccrules_trainer_pool",
    "explain_staff_trainers",
    "prefer_listed_staff",
]
