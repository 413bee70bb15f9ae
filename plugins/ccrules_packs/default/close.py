"""Close stage: which needs are met, which carry into the next cycle."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import clauses, msg
from ccrules.model import (
    AttritionRisk,
    CarryOver,
    Escalation,
    Evaluation,
    Message,
    Need,
    Outcome,
    Plan,
    PriorityStatus,
)
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import Settings

ESCALATED = {
    2: msg("; escalation level 2: the team lead re-delivers it face to face"),
    3: msg(
        "; escalation level 3: the whole team is checked and takes a session with the owner team"
    ),
}
DEFERRED = msg("deferred by the priorities stage")
NO_COURSE = msg("no course could serve it")
NO_TRAINER_OR_TIME = msg("its session could not be given a trainer or a time")
PASSED = msg("passed")
NO_POST_TEST = msg("attended; no post-test recorded")


@ccrules.hookimpl
def ccrules_close_cycle(
    center: Center,
    plan: Plan,
    outcomes: Sequence[Outcome],
    evaluations: Sequence[Evaluation],
    escalations: Sequence[Escalation],
    attrition: Sequence[AttritionRisk],
) -> list[CarryOver]:
    result = _carried(center, plan, outcomes, escalations)
    result += conversations(center, plan, outcomes, attrition)
    return result


def conversations(
    center: Center,
    plan: Plan,
    outcomes: Sequence[Outcome],
    attrition: Sequence[AttritionRisk],
) -> list[CarryOver]:
    """Seed 003: an early warning leads to the supervisor's intervention. Each warned agent
    gets a supervisor conversation with their own team lead in the next plan, unless they
    had one in this plan."""
    settings = center.settings(Settings).attrition
    course = center.courses.get(settings.conversation_course)
    if course is None:
        return []
    outcome = {(o.session_id, o.agent_id): o for o in outcomes}
    talked = {
        a
        for s in plan.sessions
        if s.course_id == course.id
        for a in s.attendees
        if (got := outcome.get((s.id, a))) is not None and got.attended
    }
    result = []
    for risk in sorted(attrition, key=lambda r: r.agent_id):
        agent = center.agents.get(risk.agent_id)
        if not risk.warned or agent is None or agent.status != "active":
            continue
        if risk.agent_id in talked:
            continue
        team = center.teams.get(agent.team_id)
        lead = center.agents.get(team.lead_id) if team and team.lead_id else None
        signals = clauses([r.message for r in risk.reasons]) or msg("risk {risk:g}", risk=risk.risk)
        text = (
            msg(
                "Warned of leaving by {horizon_end} ({signals}): a supervisor conversation "
                "with {lead} ({course}) in the next plan.",
                horizon_end=risk.horizon_end.isoformat(),
                signals=signals,
                lead=lead.name,
                course=course.title,
            )
            if lead
            else msg(
                "Warned of leaving by {horizon_end} ({signals}): a supervisor conversation "
                "with the team lead ({course}) in the next plan.",
                horizon_end=risk.horizon_end.isoformat(),
                signals=signals,
                course=course.title,
            )
        )
        need = Need(
            id=f"attrition:{risk.agent_id}",
            agent_id=risk.agent_id,
            competency_id=course.competency_id,
            source="attrition",
            severity=round(min(1.0, max(0.0, risk.risk)), 4),
            priority=settings.conversation_priority,
            owner_team="team-lead",
            expires=risk.horizon_end,
            course_id=course.id,
            mandatory=True,
            reasons=(
                PLUGIN.reason(
                    "close.conversation",
                    text,
                    PLUGIN.fact("risk", risk.risk),
                    PLUGIN.fact("horizon_end", risk.horizon_end),
                    PLUGIN.fact(
                        "conversation_course",
                        course.id,
                        "plugins.default.attrition.conversation_course",
                    ),
                    *(f for r in risk.reasons for f in r.facts),
                ),
            ),
        )
        result.append(CarryOver(need=need, status="open", attempts=0, reasons=need.reasons))
    return result


def _carried(
    center: Center,
    plan: Plan,
    outcomes: Sequence[Outcome],
    escalations: Sequence[Escalation],
) -> list[CarryOver]:
    levels = {(e.agent_id, e.competency_id): e.level for e in escalations}
    # a check failed this cycle (spot check, no improvement) keeps the need open
    failing = {(e.agent_id, e.competency_id): e for e in escalations if e.failures > 0}
    voluntary = {c.id for c in center.courses.values() if c.voluntary}
    pass_mark = center.settings(Settings).evaluation.pass_mark
    outcome = {(o.session_id, o.agent_id): o for o in outcomes}
    session_of: dict[str, str] = {}
    course_of: dict[str, str] = {}
    for session in plan.sessions:
        course_of[session.id] = session.course_id
        for need_id in session.need_ids:
            session_of[need_id] = session.id
    status = {p.need_id: p for p in plan.priorities}
    unplaced = {u.id: u for u in plan.unplaced if u.kind == "need"}
    result = []

    def carry(need: Need, open_: bool, attempts: int, text: Message, **facts: object) -> None:
        level = levels.get((need.agent_id, need.competency_id), 0)
        if open_ and level in ESCALATED:
            text = msg("{why}{escalated}", why=text, escalated=ESCALATED[level])
        if level:
            facts["escalation"] = level
        if open_ and need.id in session_of and need.expires is not None:
            # the outcome is fresh evidence: the need lasts while the agent keeps failing
            need = attrs.evolve(need, expires=None)
        result.append(
            CarryOver(
                need=need,
                status="open" if open_ else "closed",
                attempts=attempts,
                reasons=(PLUGIN.reason("close.carry", text, **facts),),
                escalation=level,
            )
        )

    for need in plan.needs:
        tried = need.attempts + 1
        if need.id in session_of:
            session_id = session_of[need.id]
            got = outcome.get((session_id, need.agent_id))
            if course_of[session_id] in voluntary:
                # what people choose tells the catalogue something; it is not carried
                carry(
                    need,
                    False,
                    tried,
                    msg(
                        "offered in {session}, a voluntary course: attended; not carried",
                        session=session_id,
                    )
                    if got is not None and got.attended
                    else msg(
                        "offered in {session}, a voluntary course: did not come; not carried",
                        session=session_id,
                    ),
                    session=session_id,
                )
                continue
            escalated = failing.get((need.agent_id, need.competency_id))
            if got is None or not got.attended:
                carry(
                    need,
                    True,
                    tried,
                    msg("missed session {session}", session=session_id),
                    session=session_id,
                )
            elif got.post_score is not None and got.post_score < pass_mark:
                carry(
                    need,
                    True,
                    tried,
                    msg(
                        "post-test {score:g} below the pass mark {pass_mark:g} in {session}",
                        score=got.post_score,
                        pass_mark=pass_mark,
                        session=session_id,
                    ),
                    session=session_id,
                    post_score=got.post_score,
                    pass_mark=pass_mark,
                )
            elif escalated is not None:
                # trained this cycle, so the escalation's failure is this cycle's: a failed
                # spot check, or no improvement on the indicator
                carry(
                    need,
                    True,
                    tried,
                    msg(
                        "trained in {session}, but a check after it failed (failure "
                        "{failures} in a row; see the escalation)",
                        session=session_id,
                        failures=escalated.failures,
                    ),
                    session=session_id,
                    failures=escalated.failures,
                )
            else:
                carry(
                    need,
                    False,
                    tried,
                    msg(
                        "trained in {session}: {result}",
                        session=session_id,
                        result=PASSED if got.post_score is not None else NO_POST_TEST,
                    ),
                    session=session_id,
                )
            continue
        # untrained needs lapse by their evidence: checked at the day the review looks to
        reviewed = plan.cycle.outcomes_to or plan.cycle.end
        if need.expires is not None and need.expires < reviewed:
            carry(
                need,
                False,
                need.attempts,
                msg(
                    "expired on {expires} without fresh evidence (reviewed to {reviewed})",
                    expires=need.expires.isoformat(),
                    reviewed=reviewed.isoformat(),
                ),
                expires=need.expires,
                reviewed_to=reviewed,
            )
            continue
        priority = status.get(need.id)
        if priority is not None and priority.status is PriorityStatus.DEFERRED:
            carry(need, True, need.attempts, DEFERRED)
        elif need.id in unplaced:
            carry(need, True, need.attempts, NO_COURSE)
        else:
            carry(need, True, need.attempts, NO_TRAINER_OR_TIME)
    return result
