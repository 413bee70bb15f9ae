"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("healthy-mix", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "mix.voluntary-offer",
        Stage.NEEDS,
        N_(
            "Each voluntary non-business course (by its own category, else its competency's) is "
            "offered to the active agents who signed up for it in signups.csv (of the role "
            "profile, unless offer_to is 'all'), first come first served, up to its seats; "
            "nobody is offered a course without signing up."
        ),
        priority=30,
        source="003",
    ),
    RuleInfo(
        "mix.target",
        Stage.PRIORITIES,
        N_(
            "While an upper bound of the non-business share of planned training minutes is below "
            "the target (30% in a healthy center), deferred non-business needs whose minutes are "
            "known are planned in rank order, a limited number per agent; a target the bound "
            "meets promotes nothing, and business needs are never deferred for it."
        ),
        source="003",
    ),
    RuleInfo(
        "mix.report",
        Stage.SCHEDULE,
        N_(
            "Business and non-business minutes of the placed sessions against the target and the "
            "typical (92/8) and healthy (70/30) mixes, counted by course category (its own, else "
            "its competency's); the seats and signups of every voluntary course, and open seats "
            "to announce."
        ),
        source="003",
    ),
    RuleInfo(
        "mix.uptake",
        Stage.EVALUATION,
        N_(
            "Uptake of each voluntary course: agents who signed up and attended out of agents who "
            "signed up, or 'not enough data'; seats given without a signup are counted apart."
        ),
        source="003",
    ),
)
