"""Plan report: the needs QA assesses before anyone trains them (seed 001: measure first).

A need with a target but no measured level is deferred by ``priorities.assess-first``. This
report lists them for the owner team with how to measure each: a test call on one of the
competency's topics, else an exam on it, else an on-site spot check, by the cycle's end.
"""

from __future__ import annotations

from ccrules import Center, Evidence
from ccrules.model import Plan, PriorityStatus, Report
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import Settings

REPORT = "default.assessments"


def methods(evidence: Evidence) -> dict[str, str]:
    """Competency -> how it is measured, for competencies with topics or exams."""
    found: dict[str, str] = {}
    if evidence.has("exams"):
        for (competency_id,) in evidence.sql("SELECT DISTINCT competency_id FROM exams"):
            found[competency_id] = "exam"
    if evidence.has("topics"):
        for (competency_id,) in evidence.sql("SELECT DISTINCT competency_id FROM topics"):
            found[competency_id] = "test call"
    return found


def assessments(center: Center, evidence: Evidence, plan: Plan) -> Report | None:
    pack = center.settings(Settings)
    assessed = {
        p.need_id
        for p in plan.priorities
        if p.status is PriorityStatus.DEFERRED
        and any(r.rule == "priorities.assess-first" for r in p.reasons)
    }
    if not assessed:
        return None
    how = methods(evidence)
    rows: dict[tuple[str, str], list[str]] = {}
    for need in plan.needs:
        if need.id in assessed:
            rows.setdefault((need.agent_id, need.competency_id), []).append(need.id)
    table = []
    for (agent_id, competency_id), need_ids in sorted(rows.items()):
        agent = center.agents[agent_id]
        table.append(
            (
                agent_id,
                agent.name,
                center.teams[agent.team_id].name if agent.team_id in center.teams else "",
                competency_id,
                center.competencies[competency_id].name,
                how.get(competency_id, "spot check"),
                pack.priorities.assessment_owner,
                center.cycle.end.isoformat(),
                ", ".join(sorted(need_ids)),
            )
        )
    owner = pack.priorities.assessment_owner
    return Report(
        id=REPORT,
        title="Assessments before training",
        summary=(
            f"{len(table)} agent-competencies have a target but no measured level: {owner} "
            f"measures them by {center.cycle.end} (test call, exam or spot check); the next "
            "plan trains on the gap it finds."
        ),
        columns=(
            "agent_id",
            "agent",
            "team",
            "competency_id",
            "competency",
            "method",
            "owner",
            "by",
            "needs",
        ),
        rows=tuple(table),
        reasons=(
            PLUGIN.reason(
                "priorities.assess-first",
                f"Needs deferred because nothing measured them; {owner} owns the assessments.",
                PLUGIN.fact(
                    "assessment_owner", owner, "plugins.default.priorities.assessment_owner"
                ),
            ),
        ),
    )
