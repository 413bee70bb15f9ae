"""Plan reports of the default pack: the week's plan, and the assessments QA owes first."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Plan, Report
from ccrules_packs.default import assessments, schedule


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    found = schedule.ccrules_plan_reports(center, evidence, plan)
    assessed = assessments.assessments(center, evidence, plan)
    return [*found, assessed] if assessed is not None else found
