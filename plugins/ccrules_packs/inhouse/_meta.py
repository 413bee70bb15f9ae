"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("inhouse", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "inhouse.method-providers",
        Stage.TRAINERS,
        N_(
            "Agents who found the method on a topic (passed its test calls with no failure, "
            "dissatisfied contact or floor-help request, and master its competency in QA) teach "
            "it, before anyone else: the best trainer is whoever found the method."
        ),
        source="001",
    ),
    RuleInfo(
        "inhouse.top-agents",
        Stage.TRAINERS,
        N_(
            "The best-scored front-line agents on a competency join the trainer pool for it, "
            "after method providers and before trainers.csv's others."
        ),
        source="000",
    ),
    RuleInfo(
        "inhouse.team-leads",
        Stage.TRAINERS,
        N_(
            "Team leads join the trainer pool for the competencies their QA shows, after method "
            "providers and top agents and before trainers.csv's others."
        ),
        source="000, 001",
    ),
    RuleInfo(
        "inhouse.strategy",
        Stage.NEEDS,
        N_(
            "An agent whose role has a strategy goal on a competency, and whose QA is the "
            "threshold or more below the goal's level (or not measured yet), is trained on it."
        ),
        priority=55,
        source="000",
    ),
    RuleInfo(
        "inhouse.transfer-track",
        Stage.NEEDS,
        N_(
            "An agent transferred or promoted within the horizon is trained, before the move takes "
            "effect, on each competency of the new role that their QA does not yet show."
        ),
        priority=70,
        source="000, 002",
    ),
    RuleInfo(
        "inhouse.management-track",
        Stage.NEEDS,
        N_(
            "Team leads and agents in management roles are trained on each competency of their "
            "role profile that QA has not shown in the window: a plan for middle managers."
        ),
        priority=45,
        source="000",
    ),
    RuleInfo(
        "inhouse.readiness",
        Stage.SCHEDULE,
        N_(
            "Before a move, a report of each moving agent's competency readiness for the new "
            "role: required competencies met and missing, and the sessions planned for the "
            "missing ones."
        ),
        source="002",
    ),
)
