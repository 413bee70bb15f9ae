"""Needs stage: offer voluntary non-business courses (seed 003).

Some non-business courses are voluntary; what people choose tells the center how to improve
the catalogue. Each such course is offered, one seat per need, to the agents furthest behind
on its competency: lowest QA score first, agents with no score before anyone scored (nobody
has seen them on it), then by agent id.
"""

from __future__ import annotations

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Need
from ccrules_mix._meta import PLUGIN
from ccrules_mix.settings import Settings

RULE = "mix.voluntary-offer"
SETTINGS = "plugins.healthy-mix"

# One row per offered seat; seats are numbered per course in offer order and cut at the cap.
OFFERS_SQL = """
WITH eligible AS (
    SELECT c.course_id, c.competency_id, c.max_group, a.agent_id,
           p.required_level, s.score, s.evaluations,
           row_number() OVER (
               PARTITION BY c.course_id ORDER BY s.score ASC NULLS FIRST, a.agent_id
           ) AS place,
           count(*) OVER (PARTITION BY c.course_id) AS eligible
    FROM courses c
    JOIN competencies k ON k.competency_id = c.competency_id
    JOIN agents a ON a.status = 'active'
    LEFT JOIN role_profiles p
      ON p.role_id = a.role_id AND p.competency_id = c.competency_id
    LEFT JOIN competency_scores s
      ON s.agent_id = a.agent_id AND s.competency_id = c.competency_id
    WHERE c.voluntary AND k.category = 'non-business'
      AND ($all OR p.required_level IS NOT NULL)
)
SELECT course_id, agent_id, required_level, score, evaluations, place, eligible,
       CASE WHEN $cap > 0 THEN $cap ELSE max_group END AS seats
FROM eligible
WHERE place <= CASE WHEN $cap > 0 THEN $cap ELSE max_group END
ORDER BY course_id, place, agent_id
"""


def _gap_severity(required: float, score: float) -> float:
    return round(min(1.0, max(0.0, (required - score) / required)), 4)


def voluntary_offers(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    rows = evidence.sql(
        OFFERS_SQL,
        {"all": settings.offer_to == "all", "cap": settings.max_offers_per_course},
    )
    courses = center.source_of("courses")
    cap_source = (
        f"{SETTINGS}.max_offers_per_course"
        if settings.max_offers_per_course > 0
        else f"{courses} (max_group)"
    )
    needs = []
    for course_id, agent_id, required, score, evaluations, place, eligible, seats in rows:
        course = center.courses[course_id]
        competency = center.competencies[course.competency_id]
        agent = center.agents[agent_id]
        role = center.roles[agent.role_id]
        level = float(required) if required is not None else None
        qa = float(score) if score is not None else None
        measured = level is not None and qa is not None and level > 0
        if level is not None and qa is not None and level > 0:
            severity = _gap_severity(level, qa)
        else:
            severity = settings.no_evidence_severity
        if qa is None:
            standing = f"no QA score on {competency.name} in the window (counts as lowest)"
        elif level is None:
            standing = f"QA {qa:g} on {competency.name}, not in the role's profile"
        else:
            standing = f"QA {qa:g} on {competency.name} against {level:g} required"
        reason = PLUGIN.reason(
            RULE,
            f"Voluntary non-business course {course.title} ({course_id}) offered to "
            f"{agent.name}, {role.name}: {standing}; seat {place} of {seats} for {eligible} "
            f"eligible agent(s).",
            PLUGIN.fact("course_id", course_id, courses),
            PLUGIN.fact("voluntary", True, courses),
            PLUGIN.fact("category", str(competency.category), center.source_of("competencies")),
            PLUGIN.fact("qa_score", qa, f"competency_scores <- {center.source_of('qa')}"),
            PLUGIN.fact(
                "evaluations",
                int(evaluations) if evaluations is not None else 0,
                center.source_of("qa"),
            ),
            PLUGIN.fact("required_level", level, center.source_of("role_profiles")),
            PLUGIN.fact("seat", int(place)),
            PLUGIN.fact("seats", int(seats), cap_source),
            PLUGIN.fact("eligible", int(eligible)),
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
                id=f"offer:{course_id}:{agent_id}",
                agent_id=agent_id,
                competency_id=course.competency_id,
                source="offer",
                severity=severity,
                priority=settings.offer_priority,
                owner_team=settings.owner,
                target_level=level,
                current_level=qa,
                # an offer is for this cycle only: one declined is not carried
                expires=center.cycle.end,
                course_id=course_id,
                reasons=(reason,),
            )
        )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence) -> list[Need]:
    return voluntary_offers(center, evidence, center.settings(Settings))
