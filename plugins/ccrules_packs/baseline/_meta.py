"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("monthly-theme", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "theme.everyone",
        Stage.NEEDS,
        N_(
            "Every active agent of the pack's roles gets one need for the month's theme, in the "
            "theme's classroom course, whatever the evidence says; the month's cycles share the "
            "agents out so that each attends once a month."
        ),
        priority=60,
        source="001",
    ),
    RuleInfo(
        "theme.replace",
        Stage.NEEDS,
        N_(
            "Needs found by other rules (QA gaps, KPIs, carried needs...) are set aside unless "
            "their source is listed in keep_sources: no targeting."
        ),
        source="001",
    ),
    RuleInfo(
        "theme.no-carry",
        Stage.CLOSE,
        N_(
            "A theme need is closed at the end of its cycle, attended or not: a missed theme is "
            "not made up, next month brings the next one."
        ),
        source="001",
    ),
)
