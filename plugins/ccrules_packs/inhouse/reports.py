"""Plan report: the competency readiness of agents about to move (seed 002).

Before moving staff to a new role, assess their competency and psychological readiness and
widen their duties step by step. The data shows the competency half; the report says so, and
leaves the other half to the supervisor's conversation.
"""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import FactValue, Plan, Report
from ccrules_packs.inhouse._meta import PLUGIN
from ccrules_packs.inhouse.needs import coming_moves, horizon, move_term
from ccrules_packs.inhouse.settings import Settings

SETTINGS = "plugins.inhouse"
COLUMNS = (
    N_("agent_id"),
    N_("name"),
    N_("move"),
    N_("date"),
    N_("from_role"),
    N_("to_role"),
    N_("met"),
    N_("required"),
    N_("missing"),
    N_("ready"),
    N_("sessions"),
    N_("not_planned"),
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
    summary = msg(
        "{ready} of {moves} agent(s) moving by {until} are ready on QA evidence, meeting at "
        "least {share:.0%} of their new role's competencies (QA at the role's level less "
        "{tolerance:g} points); psychological readiness is not in the data, so their "
        "supervisor must talk it through with each of them before the move.",
        ready=ready_count,
        moves=len(moves),
        until=until.isoformat(),
        share=readiness.ready_share,
        tolerance=readiness.tolerance,
    )
    reason = PLUGIN.reason(
        "inhouse.readiness",
        msg(
            "{moves} move(s) of kind {kinds} take effect from {start} to {until}; {ready} of "
            "the agents are ready on QA evidence.",
            moves=len(moves),
            kinds=tuple(move_term(kind) for kind in transfer.track_moves),
            start=center.cycle.start.isoformat(),
            until=until.isoformat(),
            ready=ready_count,
        ),
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
            title=msg("Readiness of agents moving to a new role"),
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
