"""Evaluation stage: uptake of voluntary courses (seed 003).

What people choose tells the center how to improve the catalogue. A voluntary course's seats
offered are the seats of its placed sessions (an offer deferred or left unplaced never
reached the agent); its uptake is the share of them attended.
"""

from __future__ import annotations

from collections.abc import Sequence

import ccrules
from ccrules import Center
from ccrules.model import Evaluation, Outcome, Plan
from ccrules_mix._meta import PLUGIN
from ccrules_mix.settings import Settings

RULE = "mix.uptake"
SETTINGS = "plugins.healthy-mix"


@ccrules.hookimpl
def ccrules_evaluate(center: Center, plan: Plan, outcomes: Sequence[Outcome]) -> list[Evaluation]:
    minimum = center.settings(Settings).min_offers
    attended = {(o.session_id, o.agent_id) for o in outcomes if o.attended}
    seats: dict[str, list[tuple[str, str]]] = {}
    for session in plan.sessions:
        course = center.courses.get(session.course_id)
        if course is not None and course.voluntary:
            seats.setdefault(course.id, []).extend((session.id, a) for a in session.attendees)
    result = []
    for course_id in sorted(seats):
        offered = len(seats[course_id])
        taken = sum(1 for seat in seats[course_id] if seat in attended)
        title = center.courses[course_id].title
        facts = (
            PLUGIN.fact("offered_seats", offered, "plan.sessions"),
            PLUGIN.fact("attended", taken, "outcomes"),
            PLUGIN.fact("min_offers", minimum, f"{SETTINGS}.min_offers"),
        )
        if offered < minimum:
            value = None
            text = (
                f"Not enough data: {offered} seat(s) of voluntary course {title} were offered, "
                f"{minimum} needed for an uptake figure ({taken} attended)."
            )
        else:
            value = round(taken / offered, 4)
            text = (
                f"{taken} of {offered} offered seats of voluntary course {title} were taken "
                f"up ({value:.0%}); keep it for the next cycle's catalogue review."
            )
        result.append(
            Evaluation(
                subject="course",
                subject_id=course_id,
                level=1,
                metric="uptake",
                value=value,
                n=offered,
                reasons=(PLUGIN.reason(RULE, text, *facts),),
            )
        )
    return result
