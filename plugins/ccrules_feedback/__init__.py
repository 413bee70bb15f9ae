"""The feedback rule pack (seed 001, "back-feeding").

Gaps found through test calls, dissatisfied-call recordings and walk-around floor help become
short, targeted lessons, one share a day at the team's pre-shift meeting, ranked by urgency,
with the week's plan published ahead. A topic whose problem contacts run several times the
others points to a fix upstream (a billing reminder, IVR self-service) and is reported to its
owner team instead of training agents. Agents with a high dispatch rate shadow the ticket
team.

Enable it in center.toml with ``[plugins] enabled = ["default", "feedback"]`` and tune it under
``[plugins.feedback]`` (see :mod:`ccrules_feedback.settings`).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_feedback._meta import PLUGIN, RULES, __version__
from ccrules_feedback.checks import ccrules_check_inputs
from ccrules_feedback.needs import ccrules_needs
from ccrules_feedback.reports import ccrules_plan_reports
from ccrules_feedback.settings import Settings


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
]
