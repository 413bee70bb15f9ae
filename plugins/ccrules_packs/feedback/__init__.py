"""The feedback rule pack (seed 001, "back-feeding").

Gaps found through test calls, dissatisfied-call recordings and walk-around floor help become
short, targeted lessons, one share a day at the team's pre-shift meeting, ranked by urgency,
with the week's plan published ahead. A topic whose problem contacts run several times the
others points to a fix upstream (a billing reminder, IVR self-service) and is reported to its
owner team instead of training agents. Agents with a high dispatch rate shadow the ticket
team.

The floor and the bot feed back too (seeds 001 and 002): agents rate how usable a course's
method is, the courses that proved their effect cycle after cycle go into the new-hire
courseware, and questions the bot could not answer become knowledge needs and material to
write up. Two optional data files of its own:

- ``data/method_feedback.csv``: ``agent_id`` (an agent), ``course_id`` (a course),
  ``usable`` (1-5), ``comment`` (optional, any language); one row per answer;
- ``data/bot_questions.csv``: ``question``, ``topic`` (a ``competency_id``: the topic is the
  competency the question calls on), ``count`` (1 or more), ``date``; only rows within the
  evidence window count.

Enable it in center.toml with ``[plugins] enabled = ["default", "feedback"]`` and tune it under
``[plugins.feedback]`` (see :mod:`ccrules_packs.feedback.settings`).
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_packs.feedback._meta import PLUGIN, RULES, __version__
from ccrules_packs.feedback.checks import ccrules_check_inputs
from ccrules_packs.feedback.courseware import count_proven_courses
from ccrules_packs.feedback.needs import ccrules_needs
from ccrules_packs.feedback.reports import ccrules_plan_reports, ccrules_review_reports
from ccrules_packs.feedback.settings import Settings
from ccrules_packs.feedback.sources import ccrules_data_sources
from ccrules_packs.feedback.usability import ccrules_evaluate, usability_on_scorecards


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
    "ccrules_review_reports",
    "ccrules_rules",
    "count_proven_courses",
    "usability_on_scorecards",
]
