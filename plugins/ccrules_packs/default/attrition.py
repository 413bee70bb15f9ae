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
from ccrules.i18n import msg
from ccrules.model import AttritionRisk, Fact, Message, Outcome, Plan
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import Settings
from ccrules_packs.default.windows import after, before, qa_overall

SETTINGS = "plugins.default.attrition"
RULE = "attrition.warning"
CONVERSATION_COURSE = f"{SETTINGS}.conversation_course"


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
        signals: list[Message] = []
        facts: list[Fact] = []
        total = 0.0
        interrupted, what, demoted = moves.get(agent_id, (None, "", None))
        if interrupted is not None and settings.interruption_weight > 0:
            signals.append(
                msg(
                    "transfer on {date} (+{weight:g})",
                    date=interrupted.isoformat(),
                    weight=settings.interruption_weight,
                )
                if what == "transfer"
                else msg(
                    "team change on {date} (+{weight:g})",
                    date=interrupted.isoformat(),
                    weight=settings.interruption_weight,
                )
            )
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
            signals.append(
                msg(
                    "demoted on {date} (+{weight:g})",
                    date=demoted.isoformat(),
                    weight=settings.failure_weight,
                )
            )
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
                signals.append(
                    msg(
                        "hired {days} days ago on {date} (+{weight:g})",
                        days=tenure,
                        date=hired.isoformat(),
                        weight=settings.tenure_weight,
                    )
                )
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
                    msg(
                        "QA fell {drop:g} points, {was:g} to {now:g} (+{weight:g})",
                        drop=round(drop, 2),
                        was=round(was[0], 2),
                        now=round(now[0], 2),
                        weight=settings.qa_weight,
                    )
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
                msg(
                    "missed {count} session(s): {sessions} (+{weight:g})",
                    count=len(sessions),
                    sessions=tuple(sessions),
                    weight=settings.missed_weight,
                )
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
        shown = round(risk, 2)
        if not warned:
            verdict = msg(
                "risk {risk:g} below the warning threshold {warn_at:g}",
                risk=shown,
                warn_at=settings.warn_at,
            )
        elif settings.conversation_course:
            verdict = msg(
                "risk {risk:g} >= {warn_at:g}, likely to leave by {horizon_end}; the team lead "
                "holds a supervisor conversation ({course}) in the next plan",
                risk=shown,
                warn_at=settings.warn_at,
                horizon_end=horizon_end.isoformat(),
                course=settings.conversation_course,
            )
        else:
            verdict = msg(
                "risk {risk:g} >= {warn_at:g}, likely to leave by {horizon_end}; no "
                "conversation is planned: set {setting} to a 1:1 course for the team lead's talk",
                risk=shown,
                warn_at=settings.warn_at,
                horizon_end=horizon_end.isoformat(),
                setting=CONVERSATION_COURSE,
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
                        msg("{signals}: {verdict}.", signals=tuple(signals), verdict=verdict),
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
