"""The BPO pack (seed 000): a vendor runs the center for a client.

The client mandates courses (compliance, culture), approves course content and certifies
trainers; the vendor decides trainers, schedule and the contracted training hours and their
cost. Enable it with ``[plugins] enabled = ["default", "bpo"]`` and set it under
``[plugins.bpo]`` (see :mod:`ccrules_packs.bpo.settings`); center.toml's ``[center]`` says
``model = "bpo"`` and names the ``client``.

It reads two data files of its own, optional unless ``require_approval`` /
``require_certification`` (both true by default) ask for them:

- ``data/approved_courses.csv``: ``course_id`` (a course), ``approved_by``, ``valid_until``
  (a date; empty for no end); a course may have several rows, any valid one counts;
- ``data/certified_trainers.csv``: ``trainer_id`` (a trainer), ``competency_id`` (empty for
  every competency), ``valid_until``.

An approval or certification counts when ``valid_until`` is empty or not before the cycle's
first day. Mandates read ``exams.csv`` over its whole history (a pass within ``every_days``
before the cycle), not only the evidence window.
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.bpo._meta import PLUGIN, RULES, __version__
from ccrules_packs.bpo.checks import ccrules_check_inputs
from ccrules_packs.bpo.contract import ccrules_after_stage
from ccrules_packs.bpo.courses import ccrules_assemble_sessions
from ccrules_packs.bpo.needs import ccrules_needs
from ccrules_packs.bpo.reports import ccrules_plan_reports, ccrules_review_reports
from ccrules_packs.bpo.settings import Settings
from ccrules_packs.bpo.sources import ccrules_data_sources
from ccrules_packs.bpo.trainers import ccrules_trainer_pool


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
    "ccrules_after_stage",
    "ccrules_assemble_sessions",
    "ccrules_check_inputs",
    "ccrules_data_sources",
    "ccrules_needs",
    "ccrules_plan_reports",
    "ccrules_plugin_settings",
    "ccrules_review_reports",
    "ccrules_rules",
    "ccrules_trainer_pool",
]
