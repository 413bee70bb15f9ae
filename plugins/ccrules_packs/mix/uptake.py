"""Evaluation stage: uptake of voluntary courses (seed 003).

What people choose tells the center how to improve the catalogue. A voluntary course's uptake
is the share of the agents who signed up for it (data/signups.csv, counted for the cycle) who
attended one of its sessions; seats that went to agents who did not sign up (another rule put
them there) are not uptake and are counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Evaluation, Message, Outcome, Plan
from ccrules_packs.mix._meta import PLUGIN
from ccrules_packs.mix.offers import offered_courses
from ccrules_packs.mix.settings import Settings
from ccrules_packs.mix.signups import by_course, signups

RULE = "mix.uptake"
SETTINGS = "plugins.healthy-mix"


@ccrules.hookimpl
def ccrules_evaluate(
    center: Center, evidence: Evidence, plan: Plan, outcomes: Sequence[Outcome]
) -> list[Evaluation]:
    settings = center.settings(Settings)
    minimum = settings.min_signups
    chosen = by_course(signups(center, evidence, settings))
    attended = {(o.session_id, o.agent_id) for o in outcomes if o.attended}
    seated: dict[str, set[str]] = {}
    came: dict[str, set[str]] = {}
    for session in plan.sessions:
        course = center.courses.get(session.course_id)
        if course is None or not course.voluntary:
            continue
        for agent_id in session.attendees:
            seated.setdefault(course.id, set()).add(agent_id)
            if (session.id, agent_id) in attended:
                came.setdefault(course.id, set()).add(agent_id)
    subjects = sorted(
        {c.id for c in offered_courses(center)}
        | {c for c in chosen if c in center.courses}
        | set(seated)
    )
    source = center.source_of("signups")
    result = []
    for course_id in subjects:
        title = center.courses[course_id].title
        signed = {s.agent_id for s in chosen.get(course_id, [])}
        took = len(signed & came.get(course_id, set()))
        seats = len(signed & seated.get(course_id, set()))
        assigned = len(seated.get(course_id, set()) - signed)
        facts = (
            PLUGIN.fact("signed_up", len(signed), source),
            PLUGIN.fact("seated", seats, "plan.sessions"),
            PLUGIN.fact("attended", took, "outcomes"),
            PLUGIN.fact("seated_without_signup", assigned, "plan.sessions"),
            PLUGIN.fact("min_signups", minimum, f"{SETTINGS}.min_signups"),
        )
        apart: Message | str = (
            msg(
                " {assigned} seat(s) went to agents who did not sign up (another rule placed "
                "them); they are not uptake.",
                assigned=assigned,
            )
            if assigned
            else ""
        )
        text: Message
        if not signed:
            value = None
            text = msg(
                "Not enough data: nobody signed up for voluntary course {course}.{apart}",
                course=title,
                apart=apart,
            )
        elif len(signed) < minimum:
            value = None
            text = msg(
                "Not enough data: {signed_up} agent(s) signed up for voluntary course {course}, "
                "{minimum} needed for an uptake figure ({attended} attended).{apart}",
                signed_up=len(signed),
                course=title,
                minimum=minimum,
                attended=took,
                apart=apart,
            )
        else:
            value = round(took / len(signed), 4)
            text = msg(
                "{attended} of {signed_up} agents who signed up for voluntary course {course} "
                "attended ({uptake:.0%}; {seated} had a seat); keep it for the next cycle's "
                "catalogue review.{apart}",
                attended=took,
                signed_up=len(signed),
                course=title,
                uptake=value,
                seated=seats,
                apart=apart,
            )
        result.append(
            Evaluation(
                subject="course",
                subject_id=course_id,
                level=1,
                metric="uptake",
                value=value,
                n=len(signed),
                reasons=(PLUGIN.reason(RULE, text, *facts),),
            )
        )
    return result
