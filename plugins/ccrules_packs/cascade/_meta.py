"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("release-cascade", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "cascade.leads-first",
        Stage.NEEDS,
        N_(
            "Before a release reaches customers, the lead of every front-line team whose agents' "
            "role needs the release's competency learns it first, in a cascade (or classroom) "
            "course, a few days before the release."
        ),
        priority=80,
        source="004",
    ),
    RuleInfo(
        "cascade.team-share",
        Stage.NEEDS,
        N_(
            "The other agents of those teams learn the release from their lead at the team's "
            "pre-shift meeting, by the release date; a short video only for those who miss it or "
            "whose team has no lead to learn first."
        ),
        priority=75,
        source="004",
    ),
    RuleInfo(
        "cascade.meeting",
        Stage.COURSES,
        N_(
            "A release whose team course is a video is still passed on by the lead who learned it "
            "first: one share of the video's content at the team's pre-shift meeting; the video "
            "only for those who miss the meeting."
        ),
        source="004",
    ),
    RuleInfo(
        "cascade.order",
        Stage.COURSES,
        N_(
            "A team's release share starts only after the session where its lead learns the "
            "release; a team whose lead is not trained first is said so."
        ),
        source="004",
    ),
    RuleInfo(
        "cascade.lead-teaches",
        Stage.TRAINERS,
        N_(
            "Each lead who learned a release gives the release share to their own team, within "
            "the lead's cascade hours; every other session keeps the trainer it was given."
        ),
        source="004",
    ),
    RuleInfo(
        "cascade.releases",
        Stage.SCHEDULE,
        N_(
            "Report per release and competency: the lead session, the team shares placed, the "
            "agents reached, how many learned it from their lead at a team meeting and how many "
            "from the video, and whether the cascade lands before the release."
        ),
        source="004",
    ),
)
