"""The healthy-mix rule pack: business and non-business training in a healthy balance.

Seed 003: in-service training is business plus non-business training (management
philosophy, team cohesion, supervisors' psychological-management skills, agents'
interpersonal skills). Typical centers run 92% / 8%, healthy ones 70% / 30%, and some
non-business courses are voluntary: what people choose tells the center how to improve the
catalogue. The pack offers voluntary non-business courses to the agents who signed up for
them (``data/signups.csv``: ``agent_id``, ``course_id``, ``date``, optional ``note``), plans
deferred non-business needs up to a target share, reports the plan's mix and what agents
chose, and measures voluntary courses' uptake (attended out of signed up).

A course is business or non-business by its competency's ``category``, unless courses.csv
gives the course its own ``category`` (a remedial script drill on an attitude competency is
business training).

Enable it in center.toml with ``[plugins] enabled = ["default", "healthy-mix"]`` and tune it
under ``[plugins.healthy-mix]`` (see :mod:`ccrules_packs.mix.settings`).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.mix._meta import PLUGIN, RULES, __version__
from ccrules_packs.mix.checks import ccrules_check_inputs
from ccrules_packs.mix.offers import ccrules_needs
from ccrules_packs.mix.report import ccrules_plan_reports
from ccrules_packs.mix.settings import Settings
from ccrules_packs.mix.sources import ccrules_data_sources
from ccrules_packs.mix.target import ccrules_prioritize
from ccrules_packs.mix.uptake import ccrules_evaluate


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
    "ccrules_data_sources",
    "ccrules_evaluate",
    "ccrules_needs",
    "ccrules_plan_reports",
    "ccrules_plugin_settings",
    "ccrules_prioritize",
    "ccrules_rules",
]
