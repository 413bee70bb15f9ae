"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("healthy-mix", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "mix.voluntary-offer",
        Stage.NEEDS,
        "Each voluntary course on a non-business competency is offered to the active agents "
        "whose role profile lists the competency, lowest QA score first, up to the course's "
        "seats.",
        priority=30,
        source="003",
    ),
    RuleInfo(
        "mix.target",
        Stage.PRIORITIES,
        "While the non-business share of planned training minutes is below the target (30% "
        "in a healthy center), deferred non-business needs are planned in rank order, a "
        "limited number per agent; business needs are never deferred for it.",
        source="003",
    ),
    RuleInfo(
        "mix.report",
        Stage.SCHEDULE,
        "Business and non-business minutes of the placed sessions against the target and the "
        "typical (92/8) and healthy (70/30) mixes, and the seats of every voluntary course.",
        source="003",
    ),
    RuleInfo(
        "mix.uptake",
        Stage.EVALUATION,
        "Uptake of each voluntary course: seats attended out of seats offered, or 'not enough "
        "data'; what people choose tells the center how to improve the catalogue.",
        source="003",
    ),
)
