"""Needs stage: competency gaps against the role profile, KPI thresholds, carried needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import clauses, msg
from ccrules.model import CarryOver, Message, Need
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.escalation import ordinal
from ccrules_packs.default.settings import (
    METRIC_KINDS,
    GapSettings,
    KpiThreshold,
    OwnerTeams,
    Settings,
)

SETTINGS = "plugins.default"

#: the kinds of KPI, as the owner_teams settings name them, in a sentence
KIND_TERMS: dict[str, Message] = {
    "satisfaction": msg("satisfaction"),
    "first_contact_resolution": msg("first contact resolution"),
    "sales": msg("sales"),
    "error_tickets": msg("error tickets"),
    "dispatch_rate": msg("dispatch rate"),
    "high_frequency_callers": msg("high frequency callers"),
    "knowledge": msg("knowledge"),
}
LEFT_OPEN = msg("left open")
NEVER_PASSED = msg("was never passed")
MANDATORY = msg(" (mandatory)")


def _kind_term(kind: str) -> str | Message:
    return KIND_TERMS.get(kind) or kind.replace("_", " ")


def _evaluators(
    names: Sequence[str], deviations: Sequence[str | None]
) -> tuple[str | Message, ...]:
    """The evaluators behind a corrected score, as the ``evaluators`` fact shows them
    (``QA01 +2.5, QA02 uncalibrated``): each name with its deviation, or with the term
    "uncalibrated"."""
    return tuple(
        f"{name} {deviation}"
        if deviation is not None
        else msg("{evaluator} uncalibrated", evaluator=name)
        for name, deviation in zip(names, deviations, strict=True)
    )


def _severity(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def _calibration_slack(evidence: Evidence, gaps: GapSettings) -> float:
    """The largest evaluator deviation the correction may apply: candidates for a gap are
    taken this much below the threshold, so a lenient evaluator cannot hide one."""
    if not gaps.calibrate:
        return 0.0
    rows = evidence.sql(
        "SELECT max(abs(deviation)) FROM evaluator_calibration WHERE compared >= $min",
        {"min": gaps.min_compared},
    )
    return float(rows[0][0] or 0.0)


def competency_gaps(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    gaps = settings.gaps
    if not gaps.enabled:
        return []
    slack = _calibration_slack(evidence, gaps)
    rows = evidence.sql(
        """
        WITH candidates AS (
            SELECT a.agent_id, p.competency_id, p.required_level, s.score, s.evaluations,
                   s.items, s.first_date, s.last_date
            FROM agents a
            JOIN role_profiles p ON p.role_id = a.role_id
            JOIN competency_scores s
              ON s.agent_id = a.agent_id AND s.competency_id = p.competency_id
            WHERE a.status = 'active'
              AND s.evaluations >= $min_evaluations
              AND p.required_level - s.score >= $threshold - $slack
        ),
        -- per candidate and evaluator: the points they scored (these two CTEs read the QA
        -- rows, so they are written to run in a warehouse too: docs/scale.md)
        per AS (
            SELECT q.agent_id, i.competency_id, q.evaluator,
                   sum(CAST(q.max_score AS DECIMAL(18, 4))) AS points
            FROM qa q JOIN qa_items i USING (item_id)
            WHERE q.date BETWEEN $from AND $to
              AND EXISTS (SELECT 1 FROM candidates c
                          WHERE c.agent_id = q.agent_id AND c.competency_id = i.competency_id)
            GROUP BY q.agent_id, i.competency_id, q.evaluator
        ),
        -- per candidate: the evaluation with the lowest share of points (ties: the first id)
        lowest AS (
            SELECT agent_id, competency_id, evaluation_id
            FROM (
                SELECT q.agent_id, i.competency_id, q.evaluation_id,
                       row_number() OVER (PARTITION BY q.agent_id, i.competency_id
                                          ORDER BY q.score / q.max_score, q.evaluation_id) AS n
                FROM qa q JOIN qa_items i USING (item_id)
                WHERE q.date BETWEEN $from AND $to
                  AND EXISTS (SELECT 1 FROM candidates c
                              WHERE c.agent_id = q.agent_id
                                AND c.competency_id = i.competency_id)
            ) AS ranked
            WHERE n = 1
        ),
        bias AS (
            SELECT p.agent_id, p.competency_id,
                   -- exact decimals: a float sum's order would change the last digit
                   CAST(sum(p.points * CASE WHEN $calibrate AND e.compared >= $min_compared
                            THEN CAST(e.deviation AS DECIMAL(18, 4)) ELSE 0 END)
                        / sum(p.points) AS DECIMAL(18, 4)) AS bias,
                   string_agg(p.evaluator || ' ' || CASE WHEN $calibrate
                                   AND e.compared >= $min_compared
                                   THEN printf('%+.1f', e.deviation) ELSE 'uncalibrated' END,
                              ', ' ORDER BY p.evaluator) AS evaluators,
                   -- the same, one by one: a name, and its deviation (NULL: uncalibrated)
                   list(p.evaluator ORDER BY p.evaluator) AS names,
                   list(CASE WHEN $calibrate AND e.compared >= $min_compared
                             THEN printf('%+.1f', e.deviation) END
                        ORDER BY p.evaluator) AS deviations
            FROM per p LEFT JOIN evaluator_calibration e USING (evaluator)
            GROUP BY p.agent_id, p.competency_id
        )
        SELECT c.agent_id, c.competency_id, c.required_level, c.score, c.evaluations,
               c.items, c.first_date, c.last_date, l.evaluation_id,
               round(coalesce(b.bias, 0), 4) AS bias, b.evaluators, b.names, b.deviations
        FROM candidates c LEFT JOIN bias b USING (agent_id, competency_id)
             LEFT JOIN lowest l USING (agent_id, competency_id)
        WHERE c.required_level - (c.score - round(coalesce(b.bias, 0), 4)) >= $threshold
        ORDER BY c.agent_id, c.competency_id
        """,
        {
            "min_evaluations": gaps.min_evaluations,
            "threshold": gaps.threshold,
            "slack": slack,
            "calibrate": gaps.calibrate,
            "min_compared": gaps.min_compared,
        },
    )
    qa = center.source_of("qa")
    profiles = center.source_of("role_profiles")
    needs = []
    for row in rows:
        agent_id, competency_id, required, raw, evaluations, items, first, last = row[:8]
        lowest, bias, evaluators, names, deviations = row[8:]
        required = float(required)
        raw = float(raw)
        bias = float(bias)
        score = round(raw - bias, 4)
        gap = round(required - score, 4)
        agent = center.agents[agent_id]
        corrected: str | Message = ""
        if bias > 0:
            corrected = msg(
                " (raw {raw:g}, corrected by {correction:+g} for lenient evaluators: {evaluators})",
                raw=raw,
                correction=-bias,
                evaluators=_evaluators(names, deviations),
            )
        elif bias:
            corrected = msg(
                " (raw {raw:g}, corrected by {correction:+g} for harsh evaluators: {evaluators})",
                raw=raw,
                correction=-bias,
                evaluators=_evaluators(names, deviations),
            )
        reason = PLUGIN.reason(
            "needs.competency-gap",
            msg(
                "QA {score:g}{corrected} on {competency} is {gap:g} below the {required:g} "
                "required of {role} ({evaluations} evaluations, {first} to {last}).",
                score=score,
                corrected=corrected,
                competency=center.competencies[competency_id].name,
                gap=gap,
                required=required,
                role=center.roles[agent.role_id].name,
                evaluations=evaluations,
                first=first,
                last=last,
            ),
            PLUGIN.fact("qa_score", score, f"competency_scores <- {qa}"),
            PLUGIN.fact("raw_qa_score", raw, f"competency_scores <- {qa}"),
            PLUGIN.fact("evaluator_bias", bias, "evaluator_calibration"),
            PLUGIN.fact("evaluators", evaluators, qa),
            PLUGIN.fact("required_level", required, profiles),
            PLUGIN.fact("gap", gap),
            PLUGIN.fact("evaluations", int(evaluations), qa),
            PLUGIN.fact("items_scored", int(items), qa),
            PLUGIN.fact("lowest_evaluation", lowest, qa),
            PLUGIN.fact("threshold", gaps.threshold, f"{SETTINGS}.gaps.threshold"),
            PLUGIN.fact("calibrate", gaps.calibrate, f"{SETTINGS}.gaps.calibrate"),
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


def kpi_owner(center: Center, threshold: KpiThreshold, owners: OwnerTeams) -> tuple[str, Message]:
    """The team that owns a KPI's uplift, and how it was chosen."""
    if threshold.owner:
        return threshold.owner, msg("set on the threshold")
    kind = threshold.kind or METRIC_KINDS.get(threshold.metric.lower())
    if kind is None:
        return "team-lead", msg("no owner set and the metric's kind is unknown: the team lead")
    team = str(getattr(owners, kind))
    if team in center.teams:
        return team, msg(
            "{kind} KPIs are owned by {team} (owner_teams.{setting})",
            kind=_kind_term(kind),
            team=team,
            setting=kind,
        )
    return "team-lead", msg(
        "{kind} KPIs belong to {team} (owner_teams.{setting}), which is not in {teams}: "
        "the team lead",
        kind=_kind_term(kind),
        team=team,
        setting=kind,
        teams=center.source_of("teams"),
    )


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
        owner, chosen = kpi_owner(center, threshold, settings.owner_teams)
        for agent_id, value, periods, last_period in rows:
            value = float(value)
            shortfall = (limit - value) if side == "below" else (value - limit)
            severity = shortfall / abs(limit) if limit else 1.0
            reason = PLUGIN.reason(
                "needs.kpi-threshold",
                msg(
                    "{metric} {value:g} is below the limit {limit:g} over {periods} period(s); "
                    "owner: {owner} ({chosen}).",
                    metric=threshold.metric,
                    value=value,
                    limit=limit,
                    periods=periods,
                    owner=owner,
                    chosen=chosen,
                )
                if side == "below"
                else msg(
                    "{metric} {value:g} is above the limit {limit:g} over {periods} period(s); "
                    "owner: {owner} ({chosen}).",
                    metric=threshold.metric,
                    value=value,
                    limit=limit,
                    periods=periods,
                    owner=owner,
                    chosen=chosen,
                ),
                PLUGIN.fact("metric", threshold.metric, kpis),
                PLUGIN.fact("value", value, f"kpi_values <- {kpis}"),
                PLUGIN.fact("periods", int(periods), kpis),
                PLUGIN.fact("last_period", last_period, kpis),
                PLUGIN.fact(f"limit_{side}", limit, f"{path}.{side}"),
                PLUGIN.fact("owner_team", owner, f"{path}.owner"),
            )
            needs.append(
                Need(
                    id=f"kpi:{threshold.metric}:{agent_id}:{threshold.competency}",
                    agent_id=agent_id,
                    competency_id=threshold.competency,
                    source="kpi",
                    severity=_severity(severity),
                    priority=threshold.priority,
                    owner_team=owner,
                    expires=last_period + dt.timedelta(days=settings.gaps.valid_days),
                    reasons=(reason,),
                )
            )
    return needs


def carried_needs(center: Center, carried: Sequence[CarryOver], settings: Settings) -> list[Need]:
    if not settings.carry.enabled:
        return []
    escalation = settings.escalation
    # a need carried before and found afresh in the same cycle comes back twice: keep the
    # longer run (more attempts, then the higher escalation)
    chosen: dict[str, CarryOver] = {}
    for item in carried:
        if item.status != "open":
            continue
        base = item.need.id.removeprefix("carried:")
        kept = chosen.get(base)
        if kept is None or (item.attempts, item.escalation, item.need.id) > (
            kept.attempts,
            kept.escalation,
            kept.need.id,
        ):
            chosen[base] = item
    needs = []
    for item in (chosen[k] for k in sorted(chosen)):
        need = item.need
        if item.status != "open":
            continue
        if need.agent_id not in center.agents or center.agents[need.agent_id].status != "active":
            continue
        if need.expires is not None and need.expires < center.cycle.start:
            continue
        base_id = need.id.removeprefix("carried:")
        why = clauses([r.message for r in item.reasons]) or LEFT_OPEN
        level = item.escalation
        owner = need.owner_team
        escalated: str | Message = ""
        if level >= 3:
            escalated = msg(
                "; {nth} failure: the whole team is checked and takes a session with the owner "
                "team {owner} (seed 001)",
                nth=ordinal(escalation.team_at),
                owner=owner,
            )
        elif level >= 2:
            owner = "team-lead"
            escalated = msg(
                "; {nth} failure: the team lead re-delivers face to face (seed 001)",
                nth=ordinal(escalation.team_lead_at),
            )
        due = need.due
        overdue: str | Message = ""
        if due is not None and due < center.cycle.start:
            # overdue: train it this cycle rather than nowhere
            overdue = msg(
                "; overdue since {due}, now due by {end}",
                due=due.isoformat(),
                end=center.cycle.end.isoformat(),
            )
            due = center.cycle.end
        reason = PLUGIN.reason(
            "needs.carried",
            msg(
                "Carried from the previous cycle ({why}); attempt {attempt}{escalated}{overdue}.",
                why=why,
                attempt=item.attempts + 1,
                escalated=escalated,
                overdue=overdue,
            ),
            PLUGIN.fact("previous_need", base_id),
            PLUGIN.fact("attempts", item.attempts),
            PLUGIN.fact(
                "priority_boost", settings.carry.priority_boost, f"{SETTINGS}.carry.priority_boost"
            ),
            PLUGIN.fact("escalation", level),
            PLUGIN.fact(
                "team_lead_at", escalation.team_lead_at, f"{SETTINGS}.escalation.team_lead_at"
            ),
            PLUGIN.fact("team_at", escalation.team_at, f"{SETTINGS}.escalation.team_at"),
        )
        needs.append(
            attrs.evolve(
                need,
                id=f"carried:{base_id}",
                source="carried",
                priority=need.priority + settings.carry.priority_boost,
                attempts=item.attempts,
                owner_team=owner,
                escalation=level,
                due=due,
                reasons=(reason, *need.reasons),
            )
        )
    return needs


def exam_failures(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    exams = settings.exams
    if not exams.enabled:
        return []
    rows = evidence.sql(
        """
        SELECT r.agent_id, r.competency_id, r.exam_id, r.date, r.score, r.pass_mark,
               r.exams, r.failed
        FROM exam_results r JOIN agents a USING (agent_id)
        WHERE a.status = 'active' AND NOT r.passed
        ORDER BY r.agent_id, r.competency_id
        """
    )
    source = center.source_of("exams")
    needs = []
    for agent_id, competency_id, exam_id, date, score, pass_mark, sat, failed in rows:
        score = float(score)
        pass_mark = float(pass_mark)
        course = center.catalogue(competency_id, required=True).get(exams.format)
        course_id = course.id if course is not None else None
        name = center.competencies[competency_id].name
        reason = PLUGIN.reason(
            "needs.exam-failure",
            msg(
                "Failed exam {exam} on {competency} on {date}: {score:g} of the {pass_mark:g} "
                "needed ({failed} of {sat} exam(s) failed in the window); targeted {format} "
                "({course}).",
                exam=exam_id,
                competency=name,
                date=date,
                score=score,
                pass_mark=pass_mark,
                failed=failed,
                sat=sat,
                format=exams.format,
                course=course_id,
            )
            if course_id
            else msg(
                "Failed exam {exam} on {competency} on {date}: {score:g} of the {pass_mark:g} "
                "needed ({failed} of {sat} exam(s) failed in the window); no {format} course "
                "for it, the courses stage chooses.",
                exam=exam_id,
                competency=name,
                date=date,
                score=score,
                pass_mark=pass_mark,
                failed=failed,
                sat=sat,
                format=exams.format,
            ),
            PLUGIN.fact("exam_id", exam_id, source),
            PLUGIN.fact("score", score, f"exam_results <- {source}"),
            PLUGIN.fact("pass_mark", pass_mark, f"exam_results <- {source}"),
            PLUGIN.fact("failed_exams", int(failed), source),
            PLUGIN.fact("format", str(exams.format), f"{SETTINGS}.exams.format"),
        )
        needs.append(
            Need(
                id=f"exam:{agent_id}:{competency_id}",
                agent_id=agent_id,
                competency_id=competency_id,
                source="exam",
                severity=_severity((pass_mark - score) / pass_mark if pass_mark else 1.0),
                priority=exams.priority,
                owner_team=exams.owner,
                target_level=pass_mark,
                current_level=score,
                expires=date + dt.timedelta(days=exams.valid_days),
                course_id=course_id,
                reasons=(reason,),
            )
        )
    return needs


def recertifications(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    needs = []
    cycle = center.cycle
    source = center.source_of("exams")
    for index, entry in enumerate(settings.recertify):
        path = f"{SETTINGS}.recertify[{index}]"
        rows = evidence.sql(
            """
            SELECT a.agent_id, max(x.date) FILTER (WHERE x.score >= x.pass_mark) AS passed
            FROM agents a
            LEFT JOIN exams x
                   ON x.agent_id = a.agent_id AND x.competency_id = $competency
                  AND x.date <= $to
            WHERE a.status = 'active'
              AND (CASE WHEN len($roles) > 0 THEN list_contains($roles, a.role_id)
                   ELSE a.role_id IN (SELECT role_id FROM role_profiles
                                      WHERE competency_id = $competency) END)
            GROUP BY a.agent_id
            ORDER BY a.agent_id
            """,
            {"competency": entry.competency, "roles": list(entry.roles)},
        )
        name = center.competencies[entry.competency].name
        for agent_id, passed in rows:
            lapses = passed + dt.timedelta(days=entry.every_days) if passed else None
            if lapses is not None and lapses > cycle.end:
                continue  # still valid through the cycle
            state = msg("lapses on {date}", date=lapses) if lapses else NEVER_PASSED
            reason = PLUGIN.reason(
                "needs.recertification",
                msg(
                    "The {competency} certification {state} (valid {days} days after a passed "
                    "exam): recertify{mandatory}.",
                    competency=name,
                    state=state,
                    days=entry.every_days,
                    mandatory=MANDATORY if entry.mandatory else "",
                ),
                PLUGIN.fact("last_passed", passed, source),
                PLUGIN.fact("every_days", entry.every_days, f"{path}.every_days"),
                PLUGIN.fact("mandatory", entry.mandatory, f"{path}.mandatory"),
            )
            needs.append(
                Need(
                    id=f"recert:{agent_id}:{entry.competency}",
                    agent_id=agent_id,
                    competency_id=entry.competency,
                    source="recertification",
                    severity=1.0 if lapses is None or lapses < cycle.start else 0.5,
                    priority=entry.priority,
                    owner_team="team-lead",
                    due=max(lapses, cycle.start) if lapses else cycle.start,
                    mandatory=entry.mandatory,
                    course_id=entry.course,
                    reasons=(reason,),
                )
            )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
    settings = center.settings(Settings)
    return [
        *competency_gaps(center, evidence, settings),
        *kpi_thresholds(center, evidence, settings),
        *exam_failures(center, evidence, settings),
        *recertifications(center, evidence, settings),
        *carried_needs(center, carried, settings),
    ]
