"""Needs stage: the strategy, the transfer track and the management track.

Seed 000's company A trained only products and sales: nothing tied to the company's strategy,
nothing for lateral transfers in its flat organization, no plan for middle managers. Seed
002: before moving staff to a new role, assess their competency and widen duties step by step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Message, Need
from ccrules_packs.inhouse._meta import PLUGIN
from ccrules_packs.inhouse.settings import NO_EVIDENCE_SEVERITY, Settings, TransferSettings

SETTINGS = "plugins.inhouse"

#: move kinds of career_moves.csv as terms of a reason (translated when shown)
MOVE_TERMS: dict[str, Message] = {
    "transfer": msg("transfer"),
    "promotion": msg("promotion"),
    "demotion": msg("demotion"),
    "team-change": msg("team-change"),
}


def move_term(kind: str) -> Message | str:
    """A move kind as a reason shows it: a term, or the kind as written when unknown."""
    return MOVE_TERMS.get(kind, kind)


def _severity(gap: float, target: float) -> float:
    value = gap / target if target else 1.0
    return round(min(1.0, max(0.0, value)), 4)


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------------------------
# inhouse.strategy


def strategy_needs(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    strategy = settings.strategy
    if not strategy.enabled:
        return []
    rows = evidence.sql(
        """
        WITH targets AS (
            SELECT a.agent_id, a.role_id, st.competency_id, st.goals, st.weight,
                   st.target_level AS goal_level, p.required_level,
                   coalesce(st.target_level, p.required_level) AS target,
                   c.score, c.evaluations
            FROM agents a
            JOIN strategy_targets st ON st.role_id = a.role_id
            LEFT JOIN role_profiles p
              ON p.role_id = a.role_id AND p.competency_id = st.competency_id
            LEFT JOIN competency_scores c
              ON c.agent_id = a.agent_id AND c.competency_id = st.competency_id
            WHERE a.status = 'active'
        )
        SELECT t.agent_id, t.competency_id, t.goals,
               (SELECT string_agg(DISTINCT g.name, '; ' ORDER BY g.name)
                FROM strategy_goals g
                WHERE g.competency_id = t.competency_id
                  AND (g.role_id IS NULL OR g.role_id = t.role_id)) AS goal_names,
               t.weight, t.goal_level, t.target, t.score, t.evaluations
        FROM targets t
        WHERE t.target IS NOT NULL
          AND (CASE WHEN t.score IS NULL THEN $without
                    ELSE t.target - t.score >= $threshold END)
        ORDER BY t.agent_id, t.competency_id
        """,
        {"threshold": strategy.threshold, "without": strategy.train_without_evidence},
    )
    goals_file = center.source_of("strategy_goals")
    qa = center.source_of("qa")
    path = f"{SETTINGS}.strategy"
    needs = []
    for (
        agent_id,
        competency_id,
        goals,
        names,
        weight,
        goal_level,
        target,
        current,
        evaluations,
    ) in rows:
        target = float(target)
        score = _f(current)
        agent = center.agents[agent_id]
        role = center.roles[agent.role_id].name
        competency = center.competencies[competency_id].name
        level = (
            msg("goal level {target:g}", target=target)
            if goal_level is not None
            else msg("{role}'s profile level {target:g}", role=role, target=target)
        )
        facts = [
            PLUGIN.fact("goals", goals, f"strategy_targets <- {goals_file}"),
            PLUGIN.fact("weight", float(weight), f"strategy_targets <- {goals_file}"),
            PLUGIN.fact(
                "target_level",
                target,
                goals_file if goal_level is not None else center.source_of("role_profiles"),
            ),
        ]
        if score is None:
            gap = None
            severity = NO_EVIDENCE_SEVERITY
            text = msg(
                "Strategy goal(s) {goals} ({names}, weight {weight:g}) need {competency} in "
                "{role} at {level}; {agent} has no QA evidence on it in the window, so it is "
                "trained (severity {severity:g}).",
                goals=goals,
                names=names,
                weight=float(weight),
                competency=competency,
                role=role,
                level=level,
                agent=agent.name,
                severity=severity,
            )
            facts.append(
                PLUGIN.fact(
                    "train_without_evidence",
                    strategy.train_without_evidence,
                    f"{path}.train_without_evidence",
                )
            )
        else:
            gap = round(target - score, 4)
            severity = _severity(gap, target)
            text = msg(
                "Strategy goal(s) {goals} ({names}, weight {weight:g}) need {competency} in "
                "{role} at {level}; {agent}'s QA {score:g} is {gap:g} below it (threshold "
                "{threshold:g}, {evaluations} evaluations).",
                goals=goals,
                names=names,
                weight=float(weight),
                competency=competency,
                role=role,
                level=level,
                agent=agent.name,
                score=score,
                gap=gap,
                threshold=strategy.threshold,
                evaluations=evaluations,
            )
            facts += [
                PLUGIN.fact("qa_score", score, f"competency_scores <- {qa}"),
                PLUGIN.fact("evaluations", int(evaluations), qa),
                PLUGIN.fact("gap", gap),
                PLUGIN.fact("threshold", strategy.threshold, f"{path}.threshold"),
            ]
        needs.append(
            Need(
                id=f"strategy:{agent_id}:{competency_id}",
                agent_id=agent_id,
                competency_id=competency_id,
                source="strategy",
                severity=severity,
                priority=strategy.priority,
                owner_team=strategy.owner,
                target_level=target,
                current_level=score,
                reasons=(PLUGIN.reason("inhouse.strategy", text, *facts),),
            )
        )
    return needs


# --------------------------------------------------------------------------------------------
# inhouse.transfer-track (and the readiness report)


@attrs.frozen
class MoveRequirement:
    """One competency of the role an agent moves to, and what QA shows of it."""

    competency_id: str
    level: float
    score: float | None
    evaluations: int


@attrs.frozen
class Move:
    """An agent's next move within the horizon, and the new role's requirements."""

    agent_id: str
    kind: str
    date: dt.date
    to_role: str
    to_team: str | None
    requirements: tuple[MoveRequirement, ...]


def horizon(center: Center, transfer: TransferSettings) -> dt.date:
    """The last day a move may take effect and still be trained for this cycle."""
    return center.cycle.start + dt.timedelta(days=transfer.horizon_days)


def coming_moves(center: Center, evidence: Evidence, transfer: TransferSettings) -> list[Move]:
    """Active agents' next moves of a tracked kind, to a role, effective from the cycle's
    start to the horizon, with the new role's profile and the agent's QA on it."""
    if not transfer.track_moves:
        return []
    rows = evidence.sql(
        """
        SELECT m.agent_id, m.next_move_kind, m.next_move_date, m.next_role_id,
               m.next_team_id, p.competency_id, p.required_level, c.score, c.evaluations
        FROM career_changes m
        JOIN agents a ON a.agent_id = m.agent_id
        LEFT JOIN role_profiles p ON p.role_id = m.next_role_id
        LEFT JOIN competency_scores c
          ON c.agent_id = m.agent_id AND c.competency_id = p.competency_id
        WHERE a.status = 'active' AND m.next_role_id IS NOT NULL
          AND list_contains($kinds, m.next_move_kind)
          AND m.next_move_date BETWEEN $start AND $until
        ORDER BY m.next_move_date, m.agent_id, p.competency_id
        """,
        {
            "kinds": sorted(transfer.track_moves),
            "start": center.cycle.start,
            "until": horizon(center, transfer),
        },
    )
    moves: dict[str, Move] = {}
    for agent_id, kind, date, role, team, competency_id, level, score, evaluations in rows:
        move = moves.setdefault(agent_id, Move(agent_id, kind, date, role, team, ()))
        if competency_id is not None:
            requirement = MoveRequirement(
                competency_id, float(level), _f(score), int(evaluations or 0)
            )
            moves[agent_id] = attrs.evolve(move, requirements=(*move.requirements, requirement))
    return list(moves.values())


def transfer_needs(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    transfer = settings.transfer
    if not transfer.enabled:
        return []
    path = f"{SETTINGS}.transfer"
    moves_file = center.source_of("career_moves")
    profiles = center.source_of("role_profiles")
    qa = center.source_of("qa")
    needs = []
    for move in coming_moves(center, evidence, transfer):
        agent = center.agents[move.agent_id]
        role = center.roles[move.to_role].name
        due = move.date - dt.timedelta(days=transfer.days_before)
        due = min(max(due, center.cycle.start), center.cycle.end)
        for requirement in move.requirements:
            score = requirement.score
            if score is not None and score >= requirement.level:
                continue
            competency = center.competencies[requirement.competency_id].name
            facts = [
                PLUGIN.fact("move_kind", move.kind, f"career_changes <- {moves_file}"),
                PLUGIN.fact("move_date", move.date, f"career_changes <- {moves_file}"),
                PLUGIN.fact("to_role", move.to_role, f"career_changes <- {moves_file}"),
                PLUGIN.fact("required_level", requirement.level, profiles),
                PLUGIN.fact("due", due),
                PLUGIN.fact("days_before", transfer.days_before, f"{path}.days_before"),
                PLUGIN.fact("horizon_days", transfer.horizon_days, f"{path}.horizon_days"),
            ]
            if score is None:
                severity = NO_EVIDENCE_SEVERITY
                text = msg(
                    "{agent} moves ({kind}) to {role} on {date}, which requires {competency} "
                    "at {level:g}; QA has not shown it yet: train it by {due}.",
                    agent=agent.name,
                    kind=move_term(move.kind),
                    role=role,
                    date=move.date.isoformat(),
                    competency=competency,
                    level=requirement.level,
                    due=due.isoformat(),
                )
            else:
                gap = round(requirement.level - score, 4)
                severity = _severity(gap, requirement.level)
                text = msg(
                    "{agent} moves ({kind}) to {role} on {date}, which requires {competency} "
                    "at {level:g}; QA {score:g} is {gap:g} below it: train it by {due}.",
                    agent=agent.name,
                    kind=move_term(move.kind),
                    role=role,
                    date=move.date.isoformat(),
                    competency=competency,
                    level=requirement.level,
                    score=score,
                    gap=gap,
                    due=due.isoformat(),
                )
                facts += [
                    PLUGIN.fact("qa_score", score, f"competency_scores <- {qa}"),
                    PLUGIN.fact("evaluations", requirement.evaluations, qa),
                ]
            needs.append(
                Need(
                    id=f"career:{move.agent_id}:{requirement.competency_id}",
                    agent_id=move.agent_id,
                    competency_id=requirement.competency_id,
                    source="career",
                    severity=severity,
                    priority=transfer.priority,
                    owner_team=transfer.owner,
                    target_level=requirement.level,
                    current_level=score,
                    expires=move.date,
                    due=due,
                    reasons=(PLUGIN.reason("inhouse.transfer-track", text, *facts),),
                )
            )
    return needs


# --------------------------------------------------------------------------------------------
# inhouse.management-track


def management_needs(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    management = settings.management
    if not management.enabled:
        return []
    rows = evidence.sql(
        """
        WITH managers AS (
            SELECT a.agent_id, a.role_id, r.track = 'management' AS management_role,
                   (SELECT string_agg(t.team_id, ', ' ORDER BY t.team_id)
                    FROM teams t WHERE t.lead_id = a.agent_id) AS teams_led
            FROM agents a JOIN roles r ON r.role_id = a.role_id
            WHERE a.status = 'active'
        )
        SELECT m.agent_id, m.management_role, m.teams_led, p.competency_id, p.required_level
        FROM managers m JOIN role_profiles p ON p.role_id = m.role_id
        WHERE (m.management_role OR m.teams_led IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM competency_scores c
              WHERE c.agent_id = m.agent_id AND c.competency_id = p.competency_id
          )
        ORDER BY m.agent_id, p.competency_id
        """
    )
    path = f"{SETTINGS}.management"
    needs = []
    for agent_id, management_role, teams_led, competency_id, level in rows:
        agent = center.agents[agent_id]
        role = center.roles[agent.role_id]
        competency = center.competencies[competency_id].name
        text = (
            msg(
                "{agent} ({role}, a management role) has no QA evidence in the window on "
                "{competency}, which the role requires at {level:g}: it is part of the "
                "management track (severity {severity:g}).",
                agent=agent.name,
                role=role.name,
                competency=competency,
                level=float(level),
                severity=NO_EVIDENCE_SEVERITY,
            )
            if management_role
            else msg(
                "{agent} (lead of {teams}) has no QA evidence in the window on {competency}, "
                "which the role requires at {level:g}: it is part of the management track "
                "(severity {severity:g}).",
                agent=agent.name,
                teams=teams_led,
                competency=competency,
                level=float(level),
                severity=NO_EVIDENCE_SEVERITY,
            )
        )
        needs.append(
            Need(
                id=f"management:{agent_id}:{competency_id}",
                agent_id=agent_id,
                competency_id=competency_id,
                source="management",
                severity=NO_EVIDENCE_SEVERITY,
                priority=management.priority,
                owner_team=management.owner,
                target_level=float(level),
                reasons=(
                    PLUGIN.reason(
                        "inhouse.management-track",
                        text,
                        PLUGIN.fact("track", role.track, center.source_of("roles")),
                        PLUGIN.fact("teams_led", teams_led, center.source_of("teams")),
                        PLUGIN.fact(
                            "required_level", float(level), center.source_of("role_profiles")
                        ),
                        PLUGIN.fact(
                            "qa_evaluations", 0, f"competency_scores <- {center.source_of('qa')}"
                        ),
                        PLUGIN.fact("priority", management.priority, f"{path}.priority"),
                    ),
                ),
            )
        )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence) -> list[Need]:
    settings = center.settings(Settings)
    return [
        *strategy_needs(center, evidence, settings),
        *transfer_needs(center, evidence, settings),
        *management_needs(center, evidence, settings),
    ]
