"""Needs stage: the client's mandated courses (compliance, culture, brand), seed 000."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import CarryOver, Message, Need
from ccrules_packs.bpo._meta import PLUGIN
from ccrules_packs.bpo.contract import client
from ccrules_packs.bpo.settings import SETTINGS, Settings

RULE = "bpo.mandated"
EVERY_ROLE = msg("every role")


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
    # ``carried`` is not read: a mandate is re-checked from the exams every cycle, so an open
    # mandated need comes back by itself until the agent passes.
    mandates = center.settings(Settings).mandated
    if not mandates:
        return []
    start = center.cycle.start
    competencies = sorted({center.courses[m.course].competency_id for m in mandates})
    # One query for every mandate: each agent's last pass before the cycle per competency.
    rows = evidence.sql(
        """
        SELECT agent_id, competency_id, max(date) AS last_pass
        FROM exams
        WHERE score >= pass_mark AND date < $start
          AND list_contains($competencies, competency_id)
        GROUP BY agent_id, competency_id
        ORDER BY agent_id, competency_id
        """,
        {"start": start, "competencies": competencies},
    )
    last_pass: dict[tuple[str, str], dt.date] = {(a, c): d for a, c, d in rows}
    who = client(center)
    exams = center.source_of("exams")
    needs: list[Need] = []
    for index, mandate in enumerate(mandates):
        path = f"{SETTINGS}.mandated[{index}]"
        course = center.courses[mandate.course]
        competency = center.competencies[course.competency_id]
        roles = set(mandate.roles)
        since = start - dt.timedelta(days=mandate.every_days)
        scope: tuple[str, ...] | Message = tuple(mandate.roles) if mandate.roles else EVERY_ROLE
        for agent_id in sorted(center.agents):
            agent = center.agents[agent_id]
            if agent.status != "active" or (roles and agent.role_id not in roles):
                continue
            passed = last_pass.get((agent_id, competency.id))
            if passed is not None and passed >= since:
                continue
            if passed is None:
                history = msg(
                    "{agent} has never passed an exam on {competency}",
                    agent=agent.name,
                    competency=competency.name,
                )
            else:
                history = msg(
                    "{agent} last passed an exam on {competency} on {day}, {days} days before "
                    "the cycle starts",
                    agent=agent.name,
                    competency=competency.name,
                    day=passed.isoformat(),
                    days=(start - passed).days,
                )
            text = msg(
                "{client} mandates {course} ({course_id}) for {scope} every {every_days} days; "
                "{history}, so it is due by {due}.",
                client=who,
                course=course.title,
                course_id=course.id,
                scope=scope,
                every_days=mandate.every_days,
                history=history,
                due=center.cycle.end.isoformat(),
            )
            needs.append(
                Need(
                    id=f"mandate:{course.id}:{agent_id}",
                    agent_id=agent_id,
                    competency_id=competency.id,
                    source="mandate",
                    severity=1.0,
                    priority=mandate.priority,
                    owner_team="team-lead",
                    target_level=center.roles[agent.role_id].required_level(competency.id),
                    due=center.cycle.end,
                    course_id=course.id,
                    mandatory=True,
                    reasons=(
                        PLUGIN.reason(
                            RULE,
                            text,
                            PLUGIN.fact("client", center.info.client, "center.client"),
                            PLUGIN.fact("course", course.id, f"{path}.course"),
                            PLUGIN.fact("every_days", mandate.every_days, f"{path}.every_days"),
                            PLUGIN.fact("priority", mandate.priority, f"{path}.priority"),
                            PLUGIN.fact("last_pass", passed, exams),
                            PLUGIN.fact("role", agent.role_id, center.source_of("agents")),
                        ),
                    ),
                )
            )
    return needs
