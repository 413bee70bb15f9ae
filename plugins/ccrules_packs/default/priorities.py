"""Priorities stage: rank by urgency, then cap competencies and hours per agent.

Urgency is the rule's priority first (priority is data, set in each rule's settings), then
the day a need is due (a release, a move), then, for skills, the problems the skill would
solve (seed 004), then severity. Mandatory needs are never deferred.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ccrules
from ccrules import Center
from ccrules.i18n import msg
from ccrules.model import CompetencyKind, Fact, Format, Message, Need, Priority, PriorityStatus
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import CourseSettings, Settings

SETTINGS = "plugins.default.priorities"


def rank_key(center: Center, need: Need) -> tuple[int, dt.date, int, float, str, str]:
    """Higher priority first, then the sooner due day, then (for skills) more problems
    solved, then higher severity; agent and need ids break ties."""
    skill = center.competencies[need.competency_id].kind is CompetencyKind.SKILL
    return (
        -need.priority,
        need.due or dt.date.max,
        -need.problems if skill else 0,
        -need.severity,
        need.agent_id,
        need.id,
    )


def estimate_minutes(center: Center, need: Need, settings: CourseSettings) -> int:
    """The minutes a need will likely take: its own course's, else the course the courses
    stage would choose first (coaching when far behind, a pre-shift share, then the fallback
    list); 0 when the catalogue has nothing for it (the courses stage reports that)."""
    if need.course_id is not None:
        return center.courses[need.course_id].duration_minutes
    catalogue = center.catalogue(need.competency_id, required=True)
    formats = {f: c.duration_minutes for f, c in catalogue.items()}
    order: list[Format] = []
    if need.severity >= settings.coaching_severity:
        order.append(Format.COACHING)
    order += [Format.PRE_SHIFT, *settings.fallback]
    for fmt in order:
        if fmt in formats:
            return formats[fmt]
    return min(formats.values(), default=0)


def unmeasured(need: Need) -> bool:
    """A need with a level to reach but none measured: the evidence is missing, not bad."""
    return need.target_level is not None and need.current_level is None


@ccrules.hookimpl
def ccrules_prioritize(center: Center, needs: Sequence[Need]) -> list[Priority]:
    pack = center.settings(Settings)
    limit = pack.priorities.max_competencies_per_agent
    budget = pack.priorities.max_hours_per_agent * 60
    ordered = sorted(needs, key=lambda n: rank_key(center, n))
    rank_of = {need.id: rank for rank, need in enumerate(ordered, start=1)}
    planned: dict[str, list[str]] = {}  # agent -> competencies planned, in rank order
    minutes: dict[str, int] = {}  # agent -> estimated minutes planned
    decided: dict[str, Priority] = {}

    def plan(need: Need, cost: int) -> None:
        competencies = planned.setdefault(need.agent_id, [])
        if need.competency_id not in competencies:
            competencies.append(need.competency_id)
            minutes[need.agent_id] = minutes.get(need.agent_id, 0) + cost

    def decide(
        need: Need,
        status: PriorityStatus,
        text: Message,
        *facts: Fact,
        rule: str = "priorities.rank",
    ) -> None:
        rank = rank_of[need.id]
        decided[need.id] = Priority(
            need_id=need.id,
            rank=rank,
            status=status,
            reasons=(
                PLUGIN.reason(
                    rule,
                    text,
                    PLUGIN.fact("priority", need.priority),
                    PLUGIN.fact("due", need.due),
                    PLUGIN.fact("problems", need.problems),
                    PLUGIN.fact("severity", need.severity),
                    *facts,
                ),
            ),
        )

    # Mandatory needs first: they are planned whatever the caps, and what they take counts
    # against the agent's caps for the rest.
    for need in ordered:
        if need.mandatory:
            plan(need, estimate_minutes(center, need, pack.courses))
            decide(
                need,
                PriorityStatus.PLANNED,
                msg("Rank {rank}; mandatory: planned whatever the caps.", rank=rank_of[need.id]),
            )
    assess = pack.priorities.assess_unmeasured
    for need in ordered:
        if need.mandatory:
            continue
        # a voluntary course is the agent's choice, not a gap to measure
        offered = need.course_id is not None and center.courses[need.course_id].voluntary
        if assess and unmeasured(need) and not offered:
            decide(
                need,
                PriorityStatus.DEFERRED,
                msg(
                    "Rank {rank}; not measured: no level on {competency} against the target "
                    "{target:g}, so {owner} assesses it first (the plan report "
                    "default.assessments says how); once measured, the gap decides.",
                    rank=rank_of[need.id],
                    competency=center.competencies[need.competency_id].name,
                    target=need.target_level,
                    owner=pack.priorities.assessment_owner,
                ),
                PLUGIN.fact("target_level", need.target_level),
                PLUGIN.fact("current_level", None),
                PLUGIN.fact("assess_unmeasured", assess, f"{SETTINGS}.assess_unmeasured"),
                PLUGIN.fact(
                    "assessment_owner",
                    pack.priorities.assessment_owner,
                    f"{SETTINGS}.assessment_owner",
                ),
                rule="priorities.assess-first",
            )
            continue
        competencies = planned.get(need.agent_id, [])
        used = minutes.get(need.agent_id, 0)
        cost = estimate_minutes(center, need, pack.courses)
        if need.competency_id in competencies:
            decide(
                need,
                PriorityStatus.PLANNED,
                msg(
                    "Rank {rank}; the agent is already planned on this competency, so this "
                    "need is served by the same session.",
                    rank=rank_of[need.id],
                ),
            )
        elif len(competencies) >= limit:
            decide(
                need,
                PriorityStatus.DEFERRED,
                msg(
                    "Rank {rank}; deferred: the agent already has {limit} competencies planned "
                    "this cycle ({competencies}).",
                    rank=rank_of[need.id],
                    limit=limit,
                    competencies=tuple(competencies),
                ),
                PLUGIN.fact(
                    "max_competencies_per_agent", limit, f"{SETTINGS}.max_competencies_per_agent"
                ),
            )
        elif budget and used + cost > budget + 1e-9:
            decide(
                need,
                PriorityStatus.DEFERRED,
                msg(
                    "Rank {rank}; deferred: {used:g} min already planned for the agent and this "
                    "need's course takes about {cost:g} min, over the {budget:g} h budget.",
                    rank=rank_of[need.id],
                    used=used,
                    cost=cost,
                    budget=pack.priorities.max_hours_per_agent,
                ),
                PLUGIN.fact("planned_hours", round(used / 60, 2)),
                PLUGIN.fact("estimated_hours", round(cost / 60, 2)),
                PLUGIN.fact(
                    "max_hours_per_agent",
                    pack.priorities.max_hours_per_agent,
                    f"{SETTINGS}.max_hours_per_agent",
                ),
            )
        else:
            plan(need, cost)
            decide(
                need,
                PriorityStatus.PLANNED,
                msg(
                    "Rank {rank}; by priority {priority}, due {due}, severity {severity:g}; "
                    "about {cost:g} min.",
                    rank=rank_of[need.id],
                    priority=need.priority,
                    due=need.due.isoformat(),
                    severity=need.severity,
                    cost=cost,
                )
                if need.due is not None
                else msg(
                    "Rank {rank}; by priority {priority}, severity {severity:g}; about {cost:g} "
                    "min.",
                    rank=rank_of[need.id],
                    priority=need.priority,
                    severity=need.severity,
                    cost=cost,
                ),
            )
    return [decided[need.id] for need in ordered]
