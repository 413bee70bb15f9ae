"""Needs stage: competency gaps against the role profile, KPI thresholds, carried needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.model import CarryOver, Need
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import Settings

SETTINGS = "plugins.default"


def _severity(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def competency_gaps(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    gaps = settings.gaps
    if not gaps.enabled:
        return []
    rows = evidence.sql(
        """
        WITH gaps AS (
            SELECT a.agent_id, p.competency_id, p.required_level, s.score, s.evaluations,
                   s.items, s.first_date, s.last_date
            FROM agents a
            JOIN role_profiles p ON p.role_id = a.role_id
            JOIN competency_scores s
              ON s.agent_id = a.agent_id AND s.competency_id = p.competency_id
            WHERE a.status = 'active'
              AND s.evaluations >= $min_evaluations
              AND p.required_level - s.score >= $threshold
        ),
        -- the evaluation that scored the competency lowest, for the gaps only
        lowest AS (
            SELECT q.agent_id, i.competency_id,
                   arg_min(q.evaluation_id, (q.score / q.max_score, q.evaluation_id))
                       AS evaluation_id
            FROM qa q JOIN qa_items i USING (item_id)
            SEMI JOIN gaps g ON g.agent_id = q.agent_id AND g.competency_id = i.competency_id
            WHERE q.date BETWEEN $from AND $to
            GROUP BY q.agent_id, i.competency_id
        )
        SELECT g.*, l.evaluation_id
        FROM gaps g LEFT JOIN lowest l USING (agent_id, competency_id)
        ORDER BY g.agent_id, g.competency_id
        """,
        {"min_evaluations": gaps.min_evaluations, "threshold": gaps.threshold},
    )
    qa = center.source_of("qa")
    profiles = center.source_of("role_profiles")
    needs = []
    for agent_id, competency_id, required, score, evaluations, items, first, last, lowest in rows:
        required = float(required)
        score = float(score)
        gap = required - score
        agent = center.agents[agent_id]
        reason = PLUGIN.reason(
            "needs.competency-gap",
            f"QA {score:g} on {center.competencies[competency_id].name} is {gap:g} below "
            f"the {required:g} required of {center.roles[agent.role_id].name} "
            f"({evaluations} evaluations, {first} to {last}).",
            PLUGIN.fact("qa_score", score, f"competency_scores <- {qa}"),
            PLUGIN.fact("required_level", required, profiles),
            PLUGIN.fact("gap", gap),
            PLUGIN.fact("evaluations", int(evaluations), qa),
            PLUGIN.fact("items_scored", int(items), qa),
            PLUGIN.fact("lowest_evaluation", lowest, qa),
            PLUGIN.fact("threshold", gaps.threshold, f"{SETTINGS}.gaps.threshold"),
        )
        needs.append(
            Need(
                id=f"qa:{agent_id}:{competency_id}",
                agent_id=agent_id,
                competency_id=competency_id,
                source="qa",
                severity=_severity(gap / required if required else 1.0),
                priority=gaps.priority,
                owner_team=gaps.owner,
                target_level=required,
                current_level=score,
                expires=last + dt.timedelta(days=gaps.valid_days),
                reasons=(reason,),
            )
        )
    return needs


def kpi_thresholds(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    needs = []
    kpis = center.source_of("kpis")
    for index, threshold in enumerate(settings.kpis):
        limit = threshold.below if threshold.below is not None else threshold.above
        if limit is None:
            continue
        op = "<" if threshold.below is not None else ">"
        rows = evidence.sql(
            f"""
            SELECT k.agent_id, k.value, k.periods, k.last_period
            FROM kpi_values k JOIN agents a ON a.agent_id = k.agent_id
            WHERE a.status = 'active' AND k.metric = $metric
              AND k.periods >= $min_periods AND k.value {op} $limit
            ORDER BY k.agent_id
            """,
            {"metric": threshold.metric, "min_periods": threshold.min_periods, "limit": limit},
        )
        path = f"{SETTINGS}.kpis[{index}]"
        side = "below" if threshold.below is not None else "above"
        for agent_id, value, periods, last_period in rows:
            value = float(value)
            shortfall = (limit - value) if side == "below" else (value - limit)
            severity = shortfall / abs(limit) if limit else 1.0
            reason = PLUGIN.reason(
                "needs.kpi-threshold",
                f"{threshold.metric} {value:g} is {side} the limit {limit:g} over {periods} "
                f"period(s); owner: {threshold.owner}.",
                PLUGIN.fact("metric", threshold.metric, kpis),
                PLUGIN.fact("value", value, f"kpi_values <- {kpis}"),
                PLUGIN.fact("periods", int(periods), kpis),
                PLUGIN.fact("last_period", last_period, kpis),
                PLUGIN.fact(f"limit_{side}", limit, f"{path}.{side}"),
                PLUGIN.fact("owner_team", threshold.owner, f"{path}.owner"),
            )
            needs.append(
                Need(
                    id=f"kpi:{threshold.metric}:{agent_id}:{threshold.competency}",
                    agent_id=agent_id,
                    competency_id=threshold.competency,
                    source="kpi",
                    severity=_severity(severity),
                    priority=threshold.priority,
                    owner_team=threshold.owner,
                    expires=last_period + dt.timedelta(days=settings.gaps.valid_days),
                    reasons=(reason,),
                )
            )
    return needs


def carried_needs(center: Center, carried: Sequence[CarryOver], settings: Settings) -> list[Need]:
    if not settings.carry.enabled:
        return []
    needs = []
    for item in carried:
        need = item.need
        if item.status != "open":
            continue
        if need.agent_id not in center.agents or center.agents[need.agent_id].status != "active":
            continue
        if need.expires is not None and need.expires < center.cycle.start:
            continue
        base_id = need.id.removeprefix("carried:")
        why = "; ".join(r.text for r in item.reasons) or "left open"
        reason = PLUGIN.reason(
            "needs.carried",
            f"Carried from the previous cycle ({why}); attempt {item.attempts + 1}.",
            PLUGIN.fact("previous_need", base_id),
            PLUGIN.fact("attempts", item.attempts),
            PLUGIN.fact(
                "priority_boost", settings.carry.priority_boost, f"{SETTINGS}.carry.priority_boost"
            ),
        )
        needs.append(
            attrs.evolve(
                need,
                id=f"carried:{base_id}",
                source="carried",
                priority=need.priority + settings.carry.priority_boost,
                attempts=item.attempts,
                reasons=(reason, *need.reasons),
            )
        )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
    settings = center.settings(Settings)
    return [
        *competency_gaps(center, evidence, settings),
        *kpi_thresholds(center, evidence, settings),
        *carried_needs(center, carried, settings),
    ]
