"""Plan report: the competency readiness of agents about to move (seed 002).

Before moving staff to a new role, assess their competency and psychological readiness and
widen their duties step by step. The data shows the competency half; the report says so, and
leaves the other half to the supervisor's conversation.
"""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence
from ccrules.model import FactValue, Plan, Report
from ccrules_inhouse._meta import PLUGIN
from ccrules_inhouse.needs import coming_moves, horizon
from ccrules_inhouse.settings import Settings

SETTINGS = "plugins.inhouse"
COLUMNS = (
    "agent_id",
    "name",
    "move",
    "date",
    "from_role",
    "to_role",
    "met",
    "required",
    "missing",
    "ready",
    "sessions",
    "not_planned",
)


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    settings = center.settings(Settings)
    readiness = settings.readiness
    transfer = settings.transfer
    if not (readiness.enabled and transfer.enabled):
        return []
    moves = coming_moves(center, evidence, transfer)
    if not moves:
        return []
    rows: list[tuple[FactValue, ...]] = []
    ready_count = 0
    for move in moves:
        agent = center.agents[move.agent_id]
        missing = [
            r.competency_id
            for r in move.requirements
            if r.score is None or r.score < r.level - readiness.tolerance
        ]
        required = len(move.requirements)
        met = required - len(missing)
        ready = (met / required if required else 1.0) >= readiness.ready_share
        ready_count += ready
        sessions = sorted(
            (s.id, s.competency_id)
            for s in plan.sessions
            if move.agent_id in s.attendees and s.competency_id in missing
        )
        covered = {competency for _, competency in sessions}
        rows.append(
            (
                move.agent_id,
                agent.name,
                move.kind,
                move.date.isoformat(),
                agent.role_id,
                move.to_role,
                met,
                required,
                ", ".join(missing),
                ready,
                ", ".join(session for session, _ in sessions),
                ", ".join(c for c in missing if c not in covered),
            )
        )
    until = horizon(center, transfer)
    summary = (
        f"{ready_count} of {len(moves)} agent(s) moving by {until} are ready on QA evidence, "
        f"meeting at least {readiness.ready_share:.0%} of their new role's competencies (QA "
        f"at the role's level less {readiness.tolerance:g} points); psychological readiness "
        "is not in the data, so their supervisor must talk it through with each of them "
        "before the move."
    )
    reason = PLUGIN.reason(
        "inhouse.readiness",
        f"{len(moves)} move(s) of kind {', '.join(transfer.track_moves)} take effect from "
        f"{center.cycle.start} to {until}; {ready_count} of the agents are ready on QA evidence.",
        PLUGIN.fact("moves", len(moves), f"career_changes <- {center.source_of('career_moves')}"),
        PLUGIN.fact("ready", ready_count),
        PLUGIN.fact("tolerance", readiness.tolerance, f"{SETTINGS}.readiness.tolerance"),
        PLUGIN.fact("ready_share", readiness.ready_share, f"{SETTINGS}.readiness.ready_share"),
        PLUGIN.fact("horizon_days", transfer.horizon_days, f"{SETTINGS}.transfer.horizon_days"),
        PLUGIN.fact(
            "track_moves", ", ".join(transfer.track_moves), f"{SETTINGS}.transfer.track_moves"
        ),
    )
    return [
        Report(
            id="inhouse.readiness",
            title="Readiness of agents moving to a new role",
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
