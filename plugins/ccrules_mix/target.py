"""Priorities stage: lift the non-business share of planned training to the target (seed 003).

A wrapper on ``ccrules_prioritize``: whichever pack ranked the needs, while the non-business
share of the planned training minutes is below ``target``, deferred non-business needs are
planned in rank order, at most ``max_extra_per_agent`` per agent. Business needs are never
deferred for it, and when the target cannot be reached the rest of the decision stands (the
``healthy-mix.mix`` report says so).

Minutes are estimated before courses are chosen, as person-minutes like the plan's summary:
one seat per agent, competency and requested course (needs that share all three share a
session), of the duration of that ``course_id``, else of the shortest course on the
competency. A need whose competency has no course counts 0 minutes and is not promoted:
it could not be seated.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.model import CompetencyCategory, Need, Priority, PriorityStatus, Reason
from ccrules_mix._meta import PLUGIN
from ccrules_mix.settings import Settings

RULE = "mix.target"
SETTINGS = "plugins.healthy-mix"

#: One agent on one competency, in the course a need asks for (``None``: any course).
Seat = tuple[str, str, str | None]


def estimated_minutes(center: Center, need: Need) -> tuple[int, str | None]:
    """Minutes of one seat for ``need`` and the course they come from (``None``: no course)."""
    if need.course_id is not None:
        return center.courses[need.course_id].duration_minutes, need.course_id
    courses = [c for c in center.courses.values() if c.competency_id == need.competency_id]
    if not courses:
        return 0, None
    shortest = min(courses, key=lambda c: (c.duration_minutes, c.id))
    return shortest.duration_minutes, shortest.id


def _non_business(center: Center, need: Need) -> bool:
    return center.competencies[need.competency_id].category is CompetencyCategory.NON_BUSINESS


def _share(non_business: int, business: int) -> float:
    total = non_business + business
    return non_business / total if total else 0.0


def _planned(priority: Priority, reason: Reason) -> Priority:
    return attrs.evolve(
        priority, status=PriorityStatus.PLANNED, reasons=(*priority.reasons, reason)
    )


def promote(center: Center, needs: Sequence[Need], priorities: list[Priority]) -> list[Priority]:
    settings = center.settings(Settings)
    by_id = {need.id: need for need in needs}
    ordered = sorted(priorities, key=lambda p: (p.rank, p.need_id))
    seats: set[Seat] = set()
    minutes = {CompetencyCategory.BUSINESS: 0, CompetencyCategory.NON_BUSINESS: 0}
    for priority in ordered:
        need = by_id[priority.need_id]
        seat: Seat = (need.agent_id, need.competency_id, need.course_id)
        if priority.status is PriorityStatus.PLANNED and seat not in seats:
            seats.add(seat)
            category = center.competencies[need.competency_id].category
            minutes[category] += estimated_minutes(center, need)[0]
    business = minutes[CompetencyCategory.BUSINESS]
    non_business = minutes[CompetencyCategory.NON_BUSINESS]
    target = settings.target
    promoted_seats: dict[Seat, str] = {}  # seat -> the need that opened it
    extra: dict[str, int] = {}
    changed: dict[str, Priority] = {}
    for priority in ordered:
        need = by_id[priority.need_id]
        if priority.status is not PriorityStatus.DEFERRED or not _non_business(center, need):
            continue
        seat = (need.agent_id, need.competency_id, need.course_id)
        if seat in promoted_seats or seat in seats:
            continue
        before = _share(non_business, business)
        if before >= target:
            break
        if extra.get(need.agent_id, 0) >= settings.max_extra_per_agent:
            continue
        added, course_id = estimated_minutes(center, need)
        if added == 0:
            continue
        non_business += added
        after = _share(non_business, business)
        extra[need.agent_id] = extra.get(need.agent_id, 0) + 1
        promoted_seats[seat] = need.id
        name = center.competencies[need.competency_id].name
        changed[need.id] = _planned(
            priority,
            PLUGIN.reason(
                RULE,
                f"Planned although deferred: non-business training was {before:.1%} of the "
                f"planned minutes, below the {target:.0%} target; this seat on {name} adds "
                f"{added} min ({course_id}) and makes it {after:.1%}.",
                PLUGIN.fact("share_before", before),
                PLUGIN.fact("share_after", after),
                PLUGIN.fact("target", target, f"{SETTINGS}.target"),
                PLUGIN.fact("minutes", added, center.source_of("courses")),
                PLUGIN.fact("course_id", course_id, center.source_of("courses")),
                PLUGIN.fact("business_minutes", business),
                PLUGIN.fact("non_business_minutes", non_business),
                PLUGIN.fact(
                    "max_extra_per_agent",
                    settings.max_extra_per_agent,
                    f"{SETTINGS}.max_extra_per_agent",
                ),
            ),
        )
    # Other deferred needs on a promoted seat ride along: the same session serves them.
    for priority in ordered:
        need = by_id[priority.need_id]
        first = promoted_seats.get((need.agent_id, need.competency_id, need.course_id))
        if first is None or need.id in changed or priority.status is not PriorityStatus.DEFERRED:
            continue
        changed[need.id] = _planned(
            priority,
            PLUGIN.reason(
                RULE,
                f"Planned with {first}, which was planned to reach the non-business target: "
                "the same session serves this need.",
                PLUGIN.fact("planned_with", first),
            ),
        )
    if not changed:
        return priorities
    return [changed.get(p.need_id, p) for p in priorities]


@ccrules.hookimpl(wrapper=True)
def ccrules_prioritize(
    center: Center, needs: Sequence[Need]
) -> Generator[None, list[Priority] | None, list[Priority] | None]:
    result = yield
    if result is None:
        return None
    return promote(center, needs, result)
