"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.i18n import N_
from ccrules.model import RuleInfo, Stage

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("default", __version__)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "evidence.team-scores",
        Stage.EVIDENCE,
        N_("QA score per team and competency, and how many agents are below the role's level."),
        source="002",
    ),
    RuleInfo(
        "needs.competency-gap",
        Stage.NEEDS,
        N_(
            "An agent whose QA score on a competency, corrected for the leniency or harshness of "
            "its evaluators, is the threshold or more below the role's required level, on enough "
            "evaluations, needs training on it."
        ),
        priority=60,
        source="002",
    ),
    RuleInfo(
        "needs.kpi-threshold",
        Stage.NEEDS,
        N_(
            "An agent whose KPI is past its limit needs training on the competency mapped to it; "
            "the KPI's owner team owns the uplift, by default the seed's team for its kind."
        ),
        priority=50,
        source="001",
    ),
    RuleInfo(
        "needs.exam-failure",
        Stage.NEEDS,
        N_(
            "An agent whose latest exam on a competency in the window failed gets targeted "
            "coaching on it (the format is a setting)."
        ),
        priority=65,
        source="004",
    ),
    RuleInfo(
        "needs.recertification",
        Stage.NEEDS,
        N_(
            "A certification lapses a set number of days after the agent last passed an exam on "
            "it; an agent whose certification lapses by the cycle's end, or who never passed, "
            "recertifies, due the day it lapses."
        ),
        priority=70,
        source="000",
    ),
    RuleInfo(
        "needs.carried",
        Stage.NEEDS,
        N_(
            "A need left open by the previous cycle comes back, with a priority boost, unless "
            "it has expired."
        ),
        priority=60,
        source="000",
    ),
    RuleInfo(
        "priorities.rank",
        Stage.PRIORITIES,
        N_(
            "Needs are ranked by rule priority, then severity; each agent is trained on a "
            "limited number of competencies per cycle and the rest are deferred."
        ),
        source="001",
    ),
    RuleInfo(
        "priorities.assess-first",
        Stage.PRIORITIES,
        N_(
            "A need with a target but no measured level is not trained on a guessed severity: "
            "it is deferred and the owner team (QA) assesses it first, by a test call, an exam "
            "or an on-site spot check; once measured, the gap decides."
        ),
        source="001, 002",
    ),
    RuleInfo(
        "courses.team-share",
        Stage.COURSES,
        N_(
            "A gap shared by enough of a team becomes a pre-shift share for that team; a share "
            "that would gather fewer than the minimum of attendees is not held, its agents take "
            "the next format of the fallback list."
        ),
        source="001",
    ),
    RuleInfo(
        "courses.coaching",
        Stage.COURSES,
        N_(
            "An agent far behind on a measured level (points below the target) gets 1:1 "
            "coaching, or a classroom without a coaching course, even when the team shares the "
            "theme; the owner team delivers it when it has trainers of its own (the booster)."
        ),
        source="001",
    ),
    RuleInfo(
        "courses.escalated",
        Stage.COURSES,
        N_(
            "At escalation level 2 the agent's own team lead re-delivers face to face (1:1, "
            "else a group format, never a video); at level 3 the whole team takes a session "
            "with the need's owner team."
        ),
        source="001",
    ),
    RuleInfo(
        "courses.group",
        Stage.COURSES,
        N_(
            "Other agents are grouped by competency into the first fitting format of the "
            "fallback list: classroom for groups, micro-video for the few; no micro-video for "
            "an attitude, and face-to-face first while its mastery factor is 1 or more."
        ),
        source="001, 004",
    ),
    RuleInfo(
        "courses.requested",
        Stage.COURSES,
        N_(
            "A need that names its course (a topic's lesson, a client mandate, a release share) "
            "is seated in it: a pre-shift course as one share per team, a group format in "
            "groups, coaching and micro-video one agent each."
        ),
        source="001, 004",
    ),
    RuleInfo(
        "courses.no-course",
        Stage.COURSES,
        N_("A need whose competency has no course in the catalogue is reported, not dropped."),
    ),
    RuleInfo(
        "trainers.pool",
        Stage.TRAINERS,
        N_("The pool is the trainers of trainers.csv."),
        source="000",
    ),
    RuleInfo(
        "trainers.qualified",
        Stage.TRAINERS,
        N_(
            "A session gets the best-scored, cheapest trainer with hours left whose level is the "
            "level it teaches to (its needs' target) plus a margin, else at least that level; a "
            "trainer who is also an agent counts at their own QA, and never teaches what they "
            "are seated on in the plan unless taught first; a share's trainer is at work at the "
            "team's shift start; the team's lead gives its shares and escalated re-deliveries, "
            "the owner team the sessions asked of it."
        ),
        source="000, 001",
    ),
    RuleInfo(
        "trainers.self-paced",
        Stage.TRAINERS,
        N_("Micro-videos need no trainer."),
        source="004",
    ),
    RuleInfo(
        "schedule.service-floor",
        Stage.SCHEDULE,
        N_(
            "Each session, best rank first, takes the least-loaded working day for its teams and "
            "the quietest time in it (the most agents to spare above the service-level floor, "
            "Erlang C per interval), when its attendees and trainer are at work and free, nobody "
            "passes the daily training minutes and no interval falls below its floor; pre-shift "
            "shares open the team's shift, one a day; weeks already fixed take none."
        ),
        source="001",
    ),
    RuleInfo(
        "schedule.split",
        Stage.SCHEDULE,
        N_(
            "A session no time fits whole is split into smaller groups, each at the time that "
            "takes the most of the attendees left, up to a number of groups and the trainer's "
            "hours; never a pre-shift share."
        ),
        source="001",
    ),
    RuleInfo(
        "schedule.share-once",
        Stage.SCHEDULE,
        N_(
            "A pre-shift share no day opens whole is held once, on the day and at the team's "
            "shift start that gather the most of its attendees, and only for at least the "
            "minimum of attendees; those not at it watch the competency's micro-video (or are "
            "left with the reason), never a second share of it on another day."
        ),
        source="001",
    ),
    RuleInfo(
        "schedule.weeks",
        Stage.SCHEDULE,
        N_(
            "The week's plan: per schedule week, the day it is fixed, its sessions and training "
            "hours, and the lowest service level training leaves."
        ),
        source="001",
    ),
    RuleInfo(
        "evaluation.basic",
        Stage.EVALUATION,
        N_(
            "Per session, course, trainer and need: attendance, satisfaction (level 1) and "
            "post-test pass rate (level 2), or 'not enough data'."
        ),
        source="000",
    ),
    RuleInfo(
        "evaluation.comparison",
        Stage.EVALUATION,
        N_(
            "Behaviour (level 3, QA on the trained competency) and results (level 4, the KPI "
            "mapped to it) change from before the cycle to after it, against untrained agents "
            "with a similar baseline (difference in differences, 95% interval), and the share "
            "of trainees who improved; 'not enough data' when either group is too small."
        ),
        source="000",
    ),
    RuleInfo(
        "escalation.three-level",
        Stage.EVALUATION,
        N_(
            "Escalation follows a failed check: a trained agent who missed the session, failed "
            "the post-test, failed a spot check or did not improve on the indicator (still below "
            "the target, less than min_improvement points better) has failed once more in a row; "
            "an agent who improved is not escalated, a voluntary course never is. At the second "
            "failure the team lead is checked and re-delivers, at the third the whole team is "
            "checked; a pass clears it."
        ),
        source="001",
    ),
    RuleInfo(
        "follow-up.on-site",
        Stage.EVALUATION,
        N_(
            "The on-site half of the 50% + 50% check: agents weak on the indicator, with a high "
            "test-call error rate, who failed the post-test or missed the session, and the "
            "team leads and teams escalation names."
        ),
        source="001",
    ),
    RuleInfo(
        "follow-up.recordings",
        Stage.EVALUATION,
        N_(
            "The recording half of the 50% + 50% check: a set number of QA'd contacts on the "
            "topic per trained agent, drawn the same way every run."
        ),
        source="001",
    ),
    RuleInfo(
        "scorecards.rank",
        Stage.EVALUATION,
        N_(
            "Each trainer with enough trainees gets a 0-5 score from satisfaction, pass rate "
            "and trainee improvement against the comparison group; the bottom group cycles in "
            "a row puts a trainer on probation, then out of the pool."
        ),
        source="000",
    ),
    RuleInfo(
        "attrition.warning",
        Stage.EVALUATION,
        N_(
            "An agent's risk of leaving in the next three months adds up the signals found: "
            "role interruption (team or post change), role failure (demotion), short tenure, "
            "a falling QA trend and missed training; a risk at the threshold is a warning."
        ),
        source="003",
    ),
    RuleInfo(
        "close.carry",
        Stage.CLOSE,
        N_(
            "A need closes when its agent attended and passed; missed, failed, deferred and "
            "unplaced needs stay open with the agent's escalation level; expired needs close."
        ),
        source="000, 001",
    ),
    RuleInfo(
        "close.conversation",
        Stage.CLOSE,
        N_(
            "An agent warned of leaving gets a supervisor conversation with their own team lead "
            "in the next plan (the course set as attrition.conversation_course), explained by "
            "the warning's signals and planned whatever the caps; not again right after one."
        ),
        priority=80,
        source="003",
    ),
)
