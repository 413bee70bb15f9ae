"""The monthly-theme rule pack: one classroom theme a month, for everyone, no targeting.

Seed 001 names the old way of training a contact center that back-feeding replaces: one
theme a month, taught in a classroom to every agent, whatever the QA, the KPIs or the floor
say. This pack runs that practice as a reference to measure the others against. Each
calendar month has a theme (a competency, from ``themes`` or a rotation of the catalogue's
classroom competencies); every active front-line agent gets one need for it, and the month's
cycles share the agents out (a stable hash of month and agent id modulo the number of cycles
starting in the month that center.toml lists) so that each attends once. Needs of other rules
are set aside unless ``keep_sources`` keeps their source, theme needs are planned whatever
the per-agent caps and ask for the theme's classroom course, which the default pack's courses
stage fills in groups of the course's ``max_group``, and a missed theme is not carried over.

Enable it in center.toml beside the default pack, which still assigns trainers and
schedules: ``[plugins] enabled = ["default", "monthly-theme"]``; tune it under
``[plugins.monthly-theme]`` (see :mod:`ccrules_packs.baseline.settings`).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.baseline._meta import PLUGIN, RULES, __version__
from ccrules_packs.baseline.checks import ccrules_check_inputs
from ccrules_packs.baseline.close import ccrules_close_cycle
from ccrules_packs.baseline.needs import ccrules_needs
from ccrules_packs.baseline.settings import Settings


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
    "ccrules_close_cycle",
    "ccrules_needs",
    "ccrules_plugin_settings",
    "ccrules_rules",
]
