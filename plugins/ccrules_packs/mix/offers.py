"""Needs stage: offer voluntary non-business courses to those who signed up (seed 003).

Some non-business courses are voluntary; what people choose tells the center how to improve
the catalogue. A voluntary course whose category is non-business (its own, else its
competency's) is offered, one seat per need, to the active agents who signed up for it in
data/signups.csv, first come first served (signup date, then agent id), up to its seats.
Nobody is offered a voluntary course without signing up; a course nobody signed up for is
announced as open in the ``healthy-mix.mix`` report instead.
"""

from __future__ import annotations

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import CompetencyCategory, Course, Message, Need
from ccrules_packs.mix._meta import PLUGIN
from ccrules_packs.mix.settings import Settings
from ccrules_packs.mix.signups import Signup, by_course, signups

RULE = "mix.voluntary-offer"
SETTINGS = "plugins.healthy-mix"

# QA of the agents who signed up for anything: offers quote it, and it sets their severity
SCORES_SQL = """
SELECT agent_id, competency_id, score, evaluations FROM competency_scores
WHERE agent_id IN (SELECT agent_id FROM signups)
ORDER BY agent_id, competency_id
"""


def offered_courses(center: Center) -> list[Course]:
    """Voluntary courses the pack offers: those that count as non-business, by id."""
    return [
        c
        for c in center.courses.values()
        if c.voluntary and center.category_of(c.id) is CompetencyCategory.NON_BUSINESS
    ]


def seats_of(course: Course, settings: Settings) -> int:
    return settings.max_offers_per_course or course.max_group


def eligible(
    center: Center, course: Course, chosen: list[Signup], settings: Settings
) -> list[Signup]:
    """Signups that may take a seat: active agents, of the profile when ``offer_to`` says so,
    in signup order."""
    found = []
    for signup in chosen:
        agent = center.agents[signup.agent_id]
        if agent.status != "active":
            continue
        required = center.roles[agent.role_id].required_level(course.competency_id)
        if settings.offer_to == "profile" and required is None:
            continue
        found.append(signup)
    return sorted(found, key=lambda s: (s.date, s.agent_id))


def _gap_severity(required: float, score: float) -> float:
    return round(min(1.0, max(0.0, (required - score) / required)), 4)


def voluntary_offers(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    chosen = by_course(signups(center, evidence, settings))
    scores = {(a, c): (float(s), int(n)) for a, c, s, n in evidence.sql(SCORES_SQL)}
    courses = center.source_of("courses")
    source = center.source_of("signups")
    cap_source = (
        f"{SETTINGS}.max_offers_per_course"
        if settings.max_offers_per_course > 0
        else f"{courses} (max_group)"
    )
    needs = []
    for course in offered_courses(center):
        competency = center.competencies[course.competency_id]
        signed = chosen.get(course.id, [])
        candidates = eligible(center, course, signed, settings)
        seats = seats_of(course, settings)
        for place, signup in enumerate(candidates[:seats], start=1):
            agent = center.agents[signup.agent_id]
            role = center.roles[agent.role_id]
            level = role.required_level(course.competency_id)
            qa, evaluations = scores.get((agent.id, course.competency_id), (None, 0))
            measured = level is not None and qa is not None and level > 0
            if level is not None and qa is not None and level > 0:
                severity = _gap_severity(level, qa)
            else:
                severity = settings.no_evidence_severity
            standing: Message
            if qa is None:
                standing = msg(
                    "no QA score on {competency} in the window", competency=competency.name
                )
            elif level is None:
                standing = msg(
                    "QA {score:g} on {competency}, not in the role's profile",
                    score=qa,
                    competency=competency.name,
                )
            else:
                standing = msg(
                    "QA {score:g} on {competency} against {required:g} required",
                    score=qa,
                    competency=competency.name,
                    required=level,
                )
            reason = PLUGIN.reason(
                RULE,
                msg(
                    "Voluntary non-business course {course} ({course_id}) offered to {agent}, "
                    "{role}, who signed up on {signed_up}{note}: seat {seat} of {seats} for "
                    "{eligible} eligible signup(s), first come first served; {standing}.",
                    course=course.title,
                    course_id=course.id,
                    agent=agent.name,
                    role=role.name,
                    signed_up=signup.date.isoformat(),
                    note=msg(' ("{note}")', note=signup.note) if signup.note else "",
                    seat=place,
                    seats=seats,
                    eligible=len(candidates),
                    standing=standing,
                ),
                PLUGIN.fact("course_id", course.id, courses),
                PLUGIN.fact("voluntary", True, courses),
                PLUGIN.fact("category", str(center.category_of(course.id)), courses),
                PLUGIN.fact("signed_up", signup.date.isoformat(), source),
                PLUGIN.fact("note", signup.note, source),
                PLUGIN.fact("qa_score", qa, f"competency_scores <- {center.source_of('qa')}"),
                PLUGIN.fact("evaluations", evaluations, center.source_of("qa")),
                PLUGIN.fact("required_level", level, center.source_of("role_profiles")),
                PLUGIN.fact("seat", place),
                PLUGIN.fact("seats", seats, cap_source),
                PLUGIN.fact("eligible", len(candidates)),
                PLUGIN.fact("signups", len(signed), source),
                PLUGIN.fact("offer_to", settings.offer_to, f"{SETTINGS}.offer_to"),
                PLUGIN.fact("severity", severity),
            )
            if not measured:
                reason = attrs.evolve(
                    reason,
                    facts=(
                        *reason.facts,
                        PLUGIN.fact(
                            "no_evidence_severity",
                            settings.no_evidence_severity,
                            f"{SETTINGS}.no_evidence_severity",
                        ),
                    ),
                )
            needs.append(
                Need(
                    id=f"offer:{course.id}:{agent.id}",
                    agent_id=agent.id,
                    competency_id=course.competency_id,
                    source="offer",
                    severity=severity,
                    priority=settings.offer_priority,
                    owner_team=settings.owner,
                    target_level=level,
                    current_level=qa,
                    # an offer is for this cycle only: one declined is not carried
                    expires=center.cycle.end,
                    course_id=course.id,
                    reasons=(reason,),
                )
            )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence) -> list[Need]:
    return voluntary_offers(center, evidence, center.settings(Settings))
