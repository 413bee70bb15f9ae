"""Priorities stage: lift the non-business share of planned training to the target (seed 003).

A wrapper on ``ccrules_prioritize``: whichever pack ranked the needs, while the non-business
share of the planned training minutes is below ``target``, deferred non-business needs are
planned in rank order, at most ``max_extra_per_agent`` per agent. Business needs are never
deferred for it, and when the target cannot be reached the rest of the decision stands (the
``healthy-mix.mix`` report says so).

The courses stage has not chosen courses yet, so the share is an upper bound: minutes are
person-minutes like the plan's summary, one seat per agent and competency, in the course the
best-ranked need naming one asks for; a seat with no named course counts at the longest
non-business course on its competency, or, with none, at the shortest business one. Whatever
courses are then chosen, the placed share is no higher, so a target the bound already meets
is met and nothing is promoted past the per-agent cap.

Only a need whose minutes are known is promoted, so its reason quotes the minutes placed:
one that names its course (a voluntary offer), or one whose competency's courses are all
non-business and all of one length. A course counts in its own category when courses.csv
gives one, else in its competency's (:meth:`ccrules.Center.category_of`).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import msg
from ccrules.model import CompetencyCategory, Need, Priority, PriorityStatus, Reason
from ccrules_packs.mix._meta import PLUGIN
from ccrules_packs.mix.settings import Settings

RULE = "mix.target"
SETTINGS = "plugins.healthy-mix"
NON_BUSINESS = CompetencyCategory.NON_BUSINESS

#: One agent on one competency: the courses stage seats them once.
Seat = tuple[str, str]


def bound_minutes(
    center: Center, competency_id: str, course_id: str | None
) -> tuple[CompetencyCategory, int]:
    """A planned seat's category and minutes for the upper bound of the non-business share:
    its named course's, else the longest non-business course on the competency, else the
    shortest business one (0 minutes when the competency has no course)."""
    if course_id is not None:
        return center.category_of(course_id), center.courses[course_id].duration_minutes
    courses = [c for c in center.courses.values() if c.competency_id == competency_id]
    non_business = [c.duration_minutes for c in courses if center.category_of(c.id) is NON_BUSINESS]
    if non_business:
        return NON_BUSINESS, max(non_business)
    return CompetencyCategory.BUSINESS, min((c.duration_minutes for c in courses), default=0)


def known_minutes(center: Center, need: Need) -> tuple[int, tuple[str, ...]] | None:
    """The minutes one non-business seat for ``need`` will take and the course(s) it may be
    placed in, or ``None`` when they are not known before the courses stage (or not
    non-business)."""
    if need.course_id is not None:
        if center.category_of(need.course_id) is not NON_BUSINESS:
            return None
        return center.courses[need.course_id].duration_minutes, (need.course_id,)
    courses = [c for c in center.courses.values() if c.competency_id == need.competency_id]
    lengths = {c.duration_minutes for c in courses}
    if len(lengths) != 1 or any(center.category_of(c.id) is not NON_BUSINESS for c in courses):
        return None
    return lengths.pop(), tuple(c.id for c in courses)


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
    courses: dict[Seat, str | None] = {}  # planned seat -> the course the best need names
    for priority in ordered:
        need = by_id[priority.need_id]
        if priority.status is PriorityStatus.PLANNED:
            seat = (need.agent_id, need.competency_id)
            courses[seat] = courses.get(seat) or need.course_id
    minutes = {CompetencyCategory.BUSINESS: 0, NON_BUSINESS: 0}
    for (_, competency_id), course_id in courses.items():
        category, added = bound_minutes(center, competency_id, course_id)
        minutes[category] += added
    business = minutes[CompetencyCategory.BUSINESS]
    non_business = minutes[NON_BUSINESS]
    target = settings.target
    # seat -> the need that opened it and the course(s) it may be placed in
    promoted_seats: dict[Seat, tuple[str, tuple[str, ...]]] = {}
    extra: dict[str, int] = {}
    changed: dict[str, Priority] = {}
    for priority in ordered:
        need = by_id[priority.need_id]
        seat = (need.agent_id, need.competency_id)
        if priority.status is not PriorityStatus.DEFERRED or seat in courses:
            continue
        if seat in promoted_seats:
            continue
        known = known_minutes(center, need)
        if known is None:
            continue
        before = _share(non_business, business)
        if before >= target:
            break
        if extra.get(need.agent_id, 0) >= settings.max_extra_per_agent:
            continue
        added, course_ids = known
        if added == 0:
            continue
        planned_before = (non_business, business)
        non_business += added
        after = _share(non_business, business)
        extra[need.agent_id] = extra.get(need.agent_id, 0) + 1
        promoted_seats[seat] = (need.id, course_ids)
        name = center.competencies[need.competency_id].name
        where = (
            course_ids[0]
            if len(course_ids) == 1
            else msg("any of {course_ids}", course_ids=course_ids)
        )
        changed[need.id] = _planned(
            priority,
            PLUGIN.reason(
                RULE,
                msg(
                    "Planned although deferred: non-business training was at most "
                    "{share_before:.1%} of the planned minutes ({non_business} of {minutes}), "
                    "below the {target:.0%} target; this seat on {competency} adds {added} min "
                    "({where}) and makes it at most {share_after:.1%}.",
                    share_before=before,
                    non_business=planned_before[0],
                    minutes=sum(planned_before),
                    target=target,
                    competency=name,
                    added=added,
                    where=where,
                    share_after=after,
                ),
                PLUGIN.fact("share_before", round(before, 4)),
                PLUGIN.fact("share_after", round(after, 4)),
                PLUGIN.fact("target", target, f"{SETTINGS}.target"),
                PLUGIN.fact("minutes", added, center.source_of("courses")),
                PLUGIN.fact("course_id", ", ".join(course_ids), center.source_of("courses")),
                PLUGIN.fact("business_minutes", business),
                PLUGIN.fact("non_business_minutes_before", planned_before[0]),
                PLUGIN.fact("non_business_minutes", non_business),
                PLUGIN.fact(
                    "max_extra_per_agent",
                    settings.max_extra_per_agent,
                    f"{SETTINGS}.max_extra_per_agent",
                ),
            ),
        )
    # Other deferred needs on a promoted seat ride along: the same session serves them (not
    # one naming another course, which would move the seat and its minutes).
    for priority in ordered:
        need = by_id[priority.need_id]
        opened = promoted_seats.get((need.agent_id, need.competency_id))
        if opened is None or need.id in changed or priority.status is not PriorityStatus.DEFERRED:
            continue
        first, course_ids = opened
        if need.course_id is not None and need.course_id not in course_ids:
            continue
        changed[need.id] = _planned(
            priority,
            PLUGIN.reason(
                RULE,
                msg(
                    "Planned with {need_id}, which was planned to reach the non-business "
                    "target: the same session serves this need.",
                    need_id=first,
                ),
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
