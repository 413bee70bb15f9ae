"""Trainers stage: the center's own staff in the pool, chosen before everyone else.

Seed 000: an in-house center draws its trainer pool from top front-line staff and team
leads; seed 001: the best trainer is whoever found the method, and everyone can teach. Three
rules add staff to the pool (method providers, top agents, team leads); a wrapper on the pool
gives trainers.csv's own-staff entries the same preference and drops anyone on leave, and a
wrapper on the trainer choice says, on each session an own-staff trainer gives, why they
were chosen first.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Reason, Session, Trainer, TrainerAssignment, TrainerKind, TrainerSkill
from ccrules_packs.inhouse._meta import PLUGIN
from ccrules_packs.inhouse.settings import Settings, TrainerSettings

SETTINGS = "plugins.inhouse.trainers"

#: trainer kind -> (rule id, trainer id prefix, settings key of its preference)
STAFF_KINDS: dict[TrainerKind, tuple[str, str, str]] = {
    TrainerKind.METHOD_PROVIDER: ("inhouse.method-providers", "method", "method_preference"),
    TrainerKind.TOP_AGENT: ("inhouse.top-agents", "top", "top_preference"),
    TrainerKind.TEAM_LEAD: ("inhouse.team-leads", "lead", "lead_preference"),
}
#: an agent is one trainer at most: the first kind found wins, skills merge
RANKING = (TrainerKind.METHOD_PROVIDER, TrainerKind.TOP_AGENT, TrainerKind.TEAM_LEAD)

# agents already in trainers.csv keep their own entry
_LISTED = "SELECT agent_id FROM trainers WHERE agent_id IS NOT NULL"


def _enabled(settings: TrainerSettings, kind: TrainerKind) -> bool:
    return {
        TrainerKind.METHOD_PROVIDER: settings.method_providers,
        TrainerKind.TOP_AGENT: settings.top_agents,
        TrainerKind.TEAM_LEAD: settings.team_leads,
    }[kind]


def preference_of(settings: TrainerSettings, kind: TrainerKind) -> int:
    value: int = getattr(settings, STAFF_KINDS[kind][2])
    return value


def method_providers(evidence: Evidence, settings: TrainerSettings) -> list[tuple[str, str, float]]:
    """(agent, competency, QA score) of the agents who mastered a topic, best per topic."""
    rows = evidence.sql(
        f"""
        WITH mastered AS (
            SELECT s.agent_id, s.topic_id, s.competency_id,
                   s.test_calls - s.test_calls_failed AS passed, c.score
            FROM topic_signals s
            JOIN agents a ON a.agent_id = s.agent_id
            JOIN competency_scores c
              ON c.agent_id = s.agent_id AND c.competency_id = s.competency_id
            WHERE a.status = 'active'
              AND s.agent_id NOT IN ({_LISTED})
              AND s.test_calls - s.test_calls_failed >= $min_passed
              AND s.test_calls_failed = 0 AND s.dissatisfied = 0 AND s.floor_help = 0
              AND c.score >= $mastery AND c.evaluations >= $min_evaluations
        ),
        ranked AS (
            SELECT *, row_number() OVER (
                PARTITION BY topic_id ORDER BY score DESC, passed DESC, agent_id
            ) AS n
            FROM mastered
        )
        SELECT agent_id, competency_id, score FROM ranked
        WHERE n <= $max_per_topic
        ORDER BY agent_id, competency_id, topic_id
        """,
        {
            "min_passed": settings.min_passed_test_calls,
            "mastery": settings.mastery_level,
            "min_evaluations": settings.min_evaluations,
            "max_per_topic": settings.max_per_topic,
        },
    )
    return [(a, c, float(s)) for a, c, s in rows]


def top_agents(evidence: Evidence, settings: TrainerSettings) -> list[tuple[str, str, float]]:
    """(agent, competency, QA score) of the best-scored agents per competency."""
    rows = evidence.sql(
        f"""
        WITH ranked AS (
            SELECT c.agent_id, c.competency_id, c.score, row_number() OVER (
                PARTITION BY c.competency_id ORDER BY c.score DESC, c.evaluations DESC,
                c.agent_id
            ) AS n
            FROM competency_scores c JOIN agents a ON a.agent_id = c.agent_id
            WHERE a.status = 'active'
              AND c.agent_id NOT IN ({_LISTED})
              AND c.score >= $min_score AND c.evaluations >= $min_evaluations
        )
        SELECT agent_id, competency_id, score FROM ranked
        WHERE n <= $max_per_competency
        ORDER BY agent_id, competency_id
        """,
        {
            "min_score": settings.top_level,
            "min_evaluations": settings.min_evaluations,
            "max_per_competency": settings.max_per_competency,
        },
    )
    return [(a, c, float(s)) for a, c, s in rows]


def team_leads(evidence: Evidence) -> list[tuple[str, str, float]]:
    """(lead, competency, QA score) for every competency a team lead's QA shows."""
    rows = evidence.sql(
        f"""
        SELECT c.agent_id, c.competency_id, c.score
        FROM competency_scores c JOIN agents a ON a.agent_id = c.agent_id
        WHERE a.status = 'active'
          AND c.agent_id IN (SELECT lead_id FROM teams WHERE lead_id IS NOT NULL)
          AND c.agent_id NOT IN ({_LISTED})
        ORDER BY c.agent_id, c.competency_id
        """
    )
    return [(a, c, float(s)) for a, c, s in rows]


@ccrules.hookimpl
def ccrules_trainer_pool(center: Center, evidence: Evidence) -> list[Trainer]:
    settings = center.settings(Settings).trainers
    found: dict[TrainerKind, list[tuple[str, str, float]]] = {}
    if settings.method_providers:
        found[TrainerKind.METHOD_PROVIDER] = method_providers(evidence, settings)
    if settings.top_agents:
        found[TrainerKind.TOP_AGENT] = top_agents(evidence, settings)
    if settings.team_leads:
        found[TrainerKind.TEAM_LEAD] = team_leads(evidence)
    kinds: dict[str, TrainerKind] = {}
    skills: dict[str, dict[str, float]] = {}
    for kind in RANKING:
        for agent_id, competency_id, score in found.get(kind, ()):
            kinds.setdefault(agent_id, kind)
            levels = skills.setdefault(agent_id, {})
            levels[competency_id] = max(score, levels.get(competency_id, score))
    pool = []
    for agent_id in sorted(kinds):
        kind = kinds[agent_id]
        pool.append(
            Trainer(
                id=f"{STAFF_KINDS[kind][1]}:{agent_id}",
                name=center.agents[agent_id].name,
                kind=kind,
                capacity_hours=settings.staff_hours,
                agent_id=agent_id,
                cost_per_hour=0.0,
                preference=preference_of(settings, kind),
                skills=tuple(
                    TrainerSkill(c, round(level, 4))
                    for c, level in sorted(skills[agent_id].items())
                ),
            )
        )
    return pool


@ccrules.hookimpl(wrapper=True, specname="ccrules_trainer_pool")
def prefer_listed_staff(
    center: Center,
) -> Generator[None, list[list[Trainer]], list[list[Trainer]]]:
    """Wrap the pool: trainers.csv's own staff (team leads, top agents, method providers)
    get the preference of their kind; nobody on leave teaches."""
    result = yield
    settings = center.settings(Settings).trainers
    adjusted: list[list[Trainer]] = []
    for part in result:
        kept = []
        for trainer in part or ():
            if trainer.agent_id is not None:
                agent = center.agents.get(trainer.agent_id)
                if agent is None or agent.status != "active":
                    continue
            if (
                trainer.id in center.trainers
                and trainer.kind in STAFF_KINDS
                and trainer.preference == 0
                and _enabled(settings, trainer.kind)
            ):
                trainer = attrs.evolve(trainer, preference=preference_of(settings, trainer.kind))
            kept.append(trainer)
        adjusted.append(kept)
    return adjusted


def _staff_reason(center: Center, trainer: Trainer, session: Session) -> Reason:
    rule, _, key = STAFF_KINDS[trainer.kind]
    level = trainer.level(session.competency_id)
    competency = center.competencies[session.competency_id].name
    listed = trainer.id in center.trainers
    where = (
        msg("listed in {source}", source=center.source_of("trainers"))
        if listed
        else msg(
            "found in the QA evidence (QA {level:g} on {competency})",
            level=level,
            competency=competency,
        )
    )
    text = msg(
        "{trainer} is the center's own {kind}, {where}: chosen with preference {preference} "
        "before trainers with preference 0, at {cost:g} an hour.",
        trainer=trainer.name,
        kind=trainer.kind,
        where=where,
        preference=trainer.preference,
        cost=trainer.cost_per_hour,
    )
    return PLUGIN.reason(
        rule,
        text,
        PLUGIN.fact("trainer_kind", str(trainer.kind)),
        PLUGIN.fact("preference", trainer.preference, f"{SETTINGS}.{key}"),
        PLUGIN.fact(
            "trainer_level",
            level,
            center.source_of("trainer_skills") if listed else "competency_scores",
        ),
        PLUGIN.fact(
            "capacity_hours",
            trainer.capacity_hours,
            center.source_of("trainers") if listed else f"{SETTINGS}.staff_hours",
        ),
    )


@ccrules.hookimpl(wrapper=True, specname="ccrules_assign_trainers")
def explain_staff_trainers(
    center: Center, sessions: Sequence[Session], trainers: Sequence[Trainer]
) -> Generator[None, list[TrainerAssignment] | None, list[TrainerAssignment] | None]:
    """Wrap the trainer choice: a session given by the center's own staff says why they came
    first."""
    result = yield
    if result is None:
        return None
    staff = {t.id: t for t in trainers if t.kind in STAFF_KINDS and t.preference < 0}
    by_id = {s.id: s for s in sessions}
    adjusted = []
    for assignment in result:
        trainer = staff.get(assignment.trainer_id or "")
        session = by_id.get(assignment.session_id)
        if trainer is not None and session is not None:
            reason = _staff_reason(center, trainer, session)
            assignment = attrs.evolve(assignment, reasons=(*assignment.reasons, reason))
        adjusted.append(assignment)
    return adjusted
