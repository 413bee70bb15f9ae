"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage
from ccrules_packs.feedback.settings import BotQuestionSettings, ShadowingSettings, SignalSettings

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("feedback", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "feedback.topic-signals",
        Stage.NEEDS,
        N_(
            "An agent with enough failed test calls, dissatisfied contacts or floor-help requests "
            "on a topic needs the topic's lesson; the topic's owner team owns closing it."
        ),
        priority=SignalSettings().priority,
        source="001",
    ),
    RuleInfo(
        "feedback.upstream-flag",
        Stage.NEEDS,
        N_(
            "A topic whose problem contacts run several times the other topics' median, across "
            "many agents, is reported to its owner team as a fix upstream and trains no agent."
        ),
        source="001",
    ),
    RuleInfo(
        "feedback.shadowing",
        Stage.NEEDS,
        N_("An agent whose KPI (the dispatch rate) runs above its limit shadows the ticket team."),
        priority=ShadowingSettings().priority,
        source="001",
    ),
    RuleInfo(
        "feedback.share-plan",
        Stage.SCHEDULE,
        N_(
            "The week's pre-shift shares, published ahead: day, team, lesson, topics, trainer "
            "and rank, with the shares that could not be placed."
        ),
        source="001",
    ),
    RuleInfo(
        "feedback.bot-questions",
        Stage.NEEDS,
        N_(
            "Questions the bot could not answer, enough of them on a competency in the window, "
            "make knowledge needs for the agents whose role lists it, and the plan lists the "
            "questions to write up."
        ),
        priority=BotQuestionSettings().priority,
        source="002",
    ),
    RuleInfo(
        "feedback.method-usability",
        Stage.EVALUATION,
        N_(
            "Agents' ratings of a course's method give the course and its trainers a mean "
            "usability with its responses; a course rated below the limit by enough agents is "
            "flagged as a method the floor cannot use."
        ),
        source="001",
    ),
    RuleInfo(
        "feedback.new-hire-courseware",
        Stage.EVALUATION,
        N_(
            "A course whose measured effect was proven (its 95% interval above 0) over enough "
            "cycles is listed for the new-hire courseware."
        ),
        source="001",
    ),
)
