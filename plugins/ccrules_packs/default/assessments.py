"""Plan report: the needs QA assesses before anyone trains them (seed 001: measure first).

A need with a target but no measured level is deferred by ``priorities.assess-first``. This
report lists them for the owner team with how to measure each: a test call on one of the
competency's topics, else an exam on it, else an on-site spot check, by the cycle's end.
"""

from __future__ import annotations

from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import Plan, PriorityStatus, Report
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import Settings

REPORT = "default.assessments"
#: how a competency is measured: report cells (plain ids, marked for the catalogue)
EXAM = N_("exam")
TEST_CALL = N_("test call")
SPOT_CHECK = N_("spot check")


def methods(evidence: Evidence) -> dict[str, str]:
    """Competency -> how it is measured, for competencies with topics or exams."""
    found: dict[str, str] = {}
    if evidence.has("exams"):
        for (competency_id,) in evidence.sql("SELECT DISTINCT competency_id FROM exams"):
            found[competency_id] = EXAM
    if evidence.has("topics"):
        for (competency_id,) in evidence.sql("SELECT DISTINCT competency_id FROM topics"):
            found[competency_id] = TEST_CALL
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
                how.get(competency_id, SPOT_CHECK),
                pack.priorities.assessment_owner,
                center.cycle.end.isoformat(),
                ", ".join(sorted(need_ids)),
            )
        )
    owner = pack.priorities.assessment_owner
    return Report(
        id=REPORT,
        title=msg("Assessments before training"),
        summary=msg(
            "{count} agent-competencies have a target but no measured level: {owner} measures "
            "them by {end} (test call, exam or spot check); the next plan trains on the gap it "
            "finds.",
            count=len(table),
            owner=owner,
            end=center.cycle.end.isoformat(),
        ),
        columns=(
            N_("agent_id"),
            N_("agent"),
            N_("team"),
            N_("competency_id"),
            N_("competency"),
            N_("method"),
            N_("owner"),
            N_("by"),
            N_("needs"),
        ),
        rows=tuple(table),
        reasons=(
            PLUGIN.reason(
                "priorities.assess-first",
                msg(
                    "Needs deferred because nothing measured them; {owner} owns the assessments.",
                    owner=owner,
                ),
                PLUGIN.fact(
                    "assessment_owner", owner, "plugins.default.priorities.assessment_owner"
                ),
            ),
        ),
    )
