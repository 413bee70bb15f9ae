"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("bpo", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "bpo.mandated",
        Stage.NEEDS,
        N_(
            "Every active agent of a mandated course's roles who has not passed an exam on its "
            "competency within the mandate's period gets a mandatory need for that course, due "
            "by the end of the cycle."
        ),
        priority=90,
        source="000",
    ),
    RuleInfo(
        "bpo.approved-courses",
        Stage.COURSES,
        N_(
            "Sessions of courses the client has not approved (or whose approval has lapsed) are "
            "removed; their needs are reported as unplaced."
        ),
        source="000",
    ),
    RuleInfo(
        "bpo.hours-cap",
        Stage.COURSES,
        N_(
            "Sessions are kept, mandatory ones first and then by rank, while the attendee hours "
            "stay within the contracted training hours; the rest are reported as unplaced."
        ),
        source="000",
    ),
    RuleInfo(
        "bpo.vendor-pool",
        Stage.TRAINERS,
        N_(
            "The trainer pool keeps only the vendor's trainer kinds and, when required, only "
            "the competencies the client has certified them for."
        ),
        source="000",
    ),
    RuleInfo(
        "bpo.cost",
        Stage.SCHEDULE,
        N_(
            "The plan's training cost per course: attendee hours at the contracted rate and "
            "trainer hours at each trainer's rate, against the contracted hours."
        ),
        source="000",
    ),
    RuleInfo(
        "bpo.trainer-results",
        Stage.CLOSE,
        N_(
            "After the cycle, the client gets each vendor trainer's results: pass rate, "
            "satisfaction, trainee improvement against the comparison group, score and standing."
        ),
        source="000",
    ),
)
