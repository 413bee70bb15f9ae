"""Evaluation stage: early warning of leavers (seed 003).

An agent's risk of leaving in the next months adds up the weights of the signals found: a
role interruption (team change or transfer), a role failure (demotion), short tenure, a
falling QA trend, and missed training. A risk at the threshold is a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.model import AttritionRisk, Fact, Outcome, Plan
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import Settings
from ccrules_default.windows import after, before, qa_overall

SETTINGS = "plugins.default.attrition"
RULE = "attrition.warning"


@ccrules.hookimpl
def ccrules_attrition_risk(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    as_of: dt.date,
) -> list[AttritionRisk]:
    settings = center.settings(Settings).attrition
    if not settings.enabled:
        return []
    moves_file = center.source_of("career_moves")
    agents_file = center.source_of("agents")
    qa_file = center.source_of("qa")
    # the latest interruption and demotion of each agent within their windows
    rows = evidence.sql(
        """
        SELECT agent_id,
               max(date) FILTER (WHERE kind = 'team-change' AND date > $interrupted_since)
                   AS team_change,
               max(date) FILTER (WHERE kind = 'transfer' AND date > $interrupted_since)
                   AS transfer,
               max(date) FILTER (WHERE kind = 'demotion' AND date > $failed_since) AS demoted
        FROM career_moves
        WHERE date <= $as_of
        GROUP BY agent_id
        ORDER BY agent_id
        """,
        {
            "as_of": as_of,
            "interrupted_since": as_of - dt.timedelta(days=settings.interruption_days),
            "failed_since": as_of - dt.timedelta(days=settings.failure_days),
        },
    )
    moves: dict[str, tuple[dt.date | None, str, dt.date | None]] = {}
    for agent_id, team_change, transfer, demoted in rows:
        if transfer is not None and (team_change is None or transfer > team_change):
            moves[agent_id] = (transfer, "transfer", demoted)
        else:
            moves[agent_id] = (team_change, "team change", demoted)
    qa_before = qa_overall(evidence, before(plan.cycle))
    qa_after = qa_overall(evidence, after(plan.cycle))
    came = {(o.session_id, o.agent_id) for o in outcomes if o.attended}
    missed: dict[str, list[str]] = {}
    for session in plan.sessions:
        for agent_id in session.attendees:
            if (session.id, agent_id) not in came:
                missed.setdefault(agent_id, []).append(session.id)
    horizon_end = as_of + dt.timedelta(days=settings.horizon_days)

    result = []
    for agent_id in sorted(center.agents):
        agent = center.agents[agent_id]
        if agent.status != "active":
            continue
        signals: list[str] = []
        facts: list[Fact] = []
        total = 0.0
        interrupted, what, demoted = moves.get(agent_id, (None, "", None))
        if interrupted is not None and settings.interruption_weight > 0:
            signals.append(f"{what} on {interrupted} (+{settings.interruption_weight:g})")
            total += settings.interruption_weight
            facts += [
                PLUGIN.fact("role_interruption", interrupted, moves_file),
                PLUGIN.fact(
                    "interruption_days",
                    settings.interruption_days,
                    f"{SETTINGS}.interruption_days",
                ),
                PLUGIN.fact(
                    "interruption_weight",
                    settings.interruption_weight,
                    f"{SETTINGS}.interruption_weight",
                ),
            ]
        if demoted is not None and settings.failure_weight > 0:
            signals.append(f"demoted on {demoted} (+{settings.failure_weight:g})")
            total += settings.failure_weight
            facts += [
                PLUGIN.fact("role_failure", demoted, moves_file),
                PLUGIN.fact("failure_days", settings.failure_days, f"{SETTINGS}.failure_days"),
                PLUGIN.fact(
                    "failure_weight", settings.failure_weight, f"{SETTINGS}.failure_weight"
                ),
            ]
        hired = agent.hire_date
        if hired is not None and hired <= as_of and settings.tenure_weight > 0:
            tenure = (as_of - hired).days
            if tenure < settings.new_hire_days:
                signals.append(f"hired {tenure} days ago on {hired} (+{settings.tenure_weight:g})")
                total += settings.tenure_weight
                facts += [
                    PLUGIN.fact("tenure_days", tenure, agents_file),
                    PLUGIN.fact(
                        "new_hire_days", settings.new_hire_days, f"{SETTINGS}.new_hire_days"
                    ),
                    PLUGIN.fact(
                        "tenure_weight", settings.tenure_weight, f"{SETTINGS}.tenure_weight"
                    ),
                ]
        was, now = qa_before.get(agent_id), qa_after.get(agent_id)
        if was is not None and now is not None and was[1] >= 1 and now[1] >= 1:
            drop = round(was[0] - now[0], 4)
            if drop >= settings.qa_drop and settings.qa_weight > 0:
                signals.append(
                    f"QA fell {round(drop, 2):g} points, {round(was[0], 2):g} to "
                    f"{round(now[0], 2):g} (+{settings.qa_weight:g})"
                )
                total += settings.qa_weight
                facts += [
                    PLUGIN.fact("qa_before", was[0], qa_file),
                    PLUGIN.fact("qa_after", now[0], qa_file),
                    PLUGIN.fact("qa_drop", settings.qa_drop, f"{SETTINGS}.qa_drop"),
                    PLUGIN.fact("qa_weight", settings.qa_weight, f"{SETTINGS}.qa_weight"),
                ]
        if agent_id in missed and settings.missed_weight > 0:
            sessions = missed[agent_id]
            signals.append(
                f"missed {len(sessions)} session(s): {', '.join(sessions)} "
                f"(+{settings.missed_weight:g})"
            )
            total += settings.missed_weight
            facts += [
                PLUGIN.fact("missed_sessions", len(sessions)),
                PLUGIN.fact("missed_weight", settings.missed_weight, f"{SETTINGS}.missed_weight"),
            ]
        risk = round(min(1.0, total), 4)
        if risk <= 0:
            continue
        warned = risk >= settings.warn_at
        verdict = (
            f"risk {round(risk, 2):g} >= {settings.warn_at:g}, likely to leave by {horizon_end}"
            + (
                f"; the team lead holds a supervisor conversation ({settings.conversation_course})"
                " in the next plan"
                if settings.conversation_course
                else "; no conversation is planned: set "
                f"{SETTINGS}.conversation_course to a 1:1 course for the team lead's talk"
            )
            if warned
            else f"risk {round(risk, 2):g} below the warning threshold {settings.warn_at:g}"
        )
        result.append(
            AttritionRisk(
                agent_id,
                risk,
                warned,
                horizon_end,
                (
                    PLUGIN.reason(
                        RULE,
                        f"{', '.join(signals)}: {verdict}.",
                        *facts,
                        PLUGIN.fact("risk", risk),
                        PLUGIN.fact("warn_at", settings.warn_at, f"{SETTINGS}.warn_at"),
                        PLUGIN.fact(
                            "horizon_days", settings.horizon_days, f"{SETTINGS}.horizon_days"
                        ),
                    ),
                ),
            )
        )
    return result
