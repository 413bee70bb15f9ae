"""Plan report ``healthy-mix.mix``: the business / non-business mix of the plan (seed 003).

Minutes are person-minutes of the placed sessions (a session's duration times its
attendees), as in the plan's summary; a session counts in its course's category (its own in
courses.csv when given, else its competency's). Every voluntary course gets a row with its
signups: what agents choose tells the center how to improve the catalogue. A voluntary
non-business course with seats nobody took up is announced as ``open-seats``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import ccrules
from ccrules import Center, Evidence
from ccrules.model import (
    CompetencyCategory,
    FactValue,
    Need,
    Plan,
    PriorityStatus,
    Reason,
    Report,
    Session,
)
from ccrules_mix._meta import PLUGIN
from ccrules_mix.offers import RULE as OFFER_RULE
from ccrules_mix.offers import eligible, offered_courses, seats_of
from ccrules_mix.settings import HEALTHY_SHARE, TYPICAL_SHARE, Settings
from ccrules_mix.signups import by_course, signups
from ccrules_mix.target import RULE as TARGET_RULE

REPORT_ID = "healthy-mix.mix"
RULE = "mix.report"
SETTINGS = "plugins.healthy-mix"
COLUMNS = (
    "kind",
    "id",
    "name",
    "minutes",
    "share",
    "sessions",
    "seats",
    "offered",
    "signed_up",
)
SEED = "seed 003"


def _ours(reasons: Iterable[Reason], rule: str) -> bool:
    return any(r.plugin == PLUGIN.name and r.rule == rule for r in reasons)


def is_offer(need: Need) -> bool:
    """Whether this pack's ``mix.voluntary-offer`` rule made the need."""
    return need.course_id is not None and _ours(need.reasons, OFFER_RULE)


def _share(part: int, total: int) -> float:
    return round(part / total, 4) if total else 0.0


def minutes_to_target(non_business: int, total: int, target: float) -> int | None:
    """Non-business minutes to add for the share to reach ``target``; ``None`` if no amount
    can (a target of 1 with business training planned)."""
    if total and non_business / total >= target:
        return 0
    if target >= 1:
        return None if total > non_business else 0
    return math.ceil((target * total - non_business) / (1 - target) - 1e-9)


def need_category(center: Center, need: Need) -> CompetencyCategory:
    """The category a need's training counts in: its named course's, else the one every
    course on its competency shares, else its competency's."""
    if need.course_id is not None:
        return center.category_of(need.course_id)
    found = {
        center.category_of(c.id)
        for c in center.courses.values()
        if c.competency_id == need.competency_id
    }
    if len(found) == 1:
        return found.pop()
    return center.competencies[need.competency_id].category


def _titled(center: Center, course_id: str) -> str:
    return f"{center.courses[course_id].title} ({course_id})"


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    settings = center.settings(Settings)
    target = settings.target
    by_category: dict[CompetencyCategory, list[Session]] = {c: [] for c in CompetencyCategory}
    for session in plan.sessions:
        by_category[center.category_of(session.course_id)].append(session)

    def seats(sessions: Iterable[Session]) -> int:
        return sum(len(s.attendees) for s in sessions)

    def minutes(sessions: Iterable[Session]) -> int:
        return sum(s.duration_minutes * len(s.attendees) for s in sessions)

    business = minutes(by_category[CompetencyCategory.BUSINESS])
    non_business = minutes(by_category[CompetencyCategory.NON_BUSINESS])
    total = business + non_business
    share = _share(non_business, total)
    gap = round(max(0.0, target - share), 4)
    to_add = minutes_to_target(non_business, total, target)
    promoted = sum(1 for p in plan.priorities if _ours(p.reasons, TARGET_RULE))
    needs = {n.id: n for n in plan.needs}
    deferred = sum(
        1
        for p in plan.priorities
        if p.status is PriorityStatus.DEFERRED
        and need_category(center, needs[p.need_id]) is CompetencyCategory.NON_BUSINESS
    )

    rows: list[tuple[FactValue, ...]] = []
    for category in CompetencyCategory:
        group = by_category[category]
        rows.append(
            (
                "category",
                str(category),
                str(category),
                minutes(group),
                _share(minutes(group), total),
                len(group),
                seats(group),
                None,
                None,
            )
        )
    for key, name, value in (
        ("typical", "typical center (92/8)", TYPICAL_SHARE),
        ("healthy", "healthy center (70/30)", HEALTHY_SHARE),
        ("target", "this center's target", target),
    ):
        rows.append(("benchmark", key, name, None, value, None, None, None, None))
    rows.append(("gap", "gap", "non-business minutes to add", to_add, gap, None, None, None, None))
    offered: dict[str, int] = {}
    for need in plan.needs:
        if need.course_id is not None and is_offer(need):
            offered[need.course_id] = offered.get(need.course_id, 0) + 1
    chosen = by_course(signups(center, evidence, settings))
    for course in center.courses.values():  # sorted by id
        if not course.voluntary:
            continue
        placed = [s for s in plan.sessions if s.course_id == course.id]
        rows.append(
            (
                "voluntary-course",
                course.id,
                course.title,
                minutes(placed),
                _share(minutes(placed), total),
                len(placed),
                seats(placed),
                offered.get(course.id, 0),
                len(chosen.get(course.id, [])),
            )
        )
    unchosen: list[str] = []  # voluntary seats other rules gave to agents who did not choose
    for course in center.courses.values():
        if not course.voluntary:
            continue
        wanted = {c.agent_id for c in chosen.get(course.id, [])}
        given = {a for s in plan.sessions if s.course_id == course.id for a in s.attendees}
        if given - wanted:
            unchosen.append(f"{_titled(center, course.id)} {len(given - wanted)}")
    announce: list[str] = []
    for course in offered_courses(center):
        available = seats_of(course, settings)
        taken = offered.get(course.id, 0)
        signed = len(chosen.get(course.id, []))
        if taken >= available:
            continue
        rows.append(
            (
                "open-seats",
                course.id,
                course.title,
                None,
                None,
                None,
                available - taken,
                taken,
                signed,
            )
        )
        why = "nobody signed up" if not signed else f"{signed} signed up"
        can = len(eligible(center, course, chosen.get(course.id, []), settings))
        if can < signed:
            why += f", {can} of them eligible"
        announce.append(f"{_titled(center, course.id)} {available - taken} of {available} ({why})")
    ranked = sorted(
        ((len(v), k) for k, v in chosen.items() if k in center.courses), key=lambda x: (-x[0], x[1])
    )
    offering = {c.id: seats_of(c, settings) for c in offered_courses(center)}

    def chose(count: int, course_id: str) -> str:
        text = f"{_titled(center, course_id)} {count} signup(s)"
        available = offering.get(course_id)
        if available is not None and count > available:
            text += f" for {available} seat(s), {count - available} waiting"
        return text

    choices = (
        " What agents chose: " + ", ".join(chose(n, c) for n, c in ranked) + "." if ranked else ""
    )
    open_text = f" Open seats to announce: {'; '.join(announce)}." if announce else ""

    figures = (
        f"Non-business training is {share:.1%} of {total} placed training minutes "
        f"({non_business} non-business, {business} business)"
    )
    benchmarks = f"typical center {TYPICAL_SHARE:.0%}, healthy {HEALTHY_SHARE:.0%}"
    if total and share >= target:
        summary = f"{figures}: the plan meets the {target:.0%} target ({benchmarks})."
    else:
        after = f" even after planning {promoted} deferred non-business need(s)" if promoted else ""
        what = (
            f"add about {to_add} minutes of non-business courses or voluntary offers"
            if to_add is not None
            else "no amount of non-business training reaches a 100% target while business "
            "training is planned; lower the target"
        )
        summary = (
            f"{figures}: {gap * 100:.1f} points below the {target:.0%} target ({benchmarks})"
            f"{after}; {what}."
        )
    assigned = (
        " Seats of voluntary courses placed by other rules, without a signup: "
        + ", ".join(unchosen)
        + "."
        if unchosen
        else ""
    )
    summary += choices + open_text + assigned
    reason = PLUGIN.reason(
        RULE,
        summary,
        PLUGIN.fact("business_minutes", business, "plan.sessions"),
        PLUGIN.fact("non_business_minutes", non_business, "plan.sessions"),
        PLUGIN.fact(
            "categories",
            "course category, else its competency's",
            f"{center.source_of('courses')}, {center.source_of('competencies')}",
        ),
        PLUGIN.fact("signups", sum(n for n, _ in ranked), center.source_of("signups")),
        PLUGIN.fact("open_seat_courses", len(announce)),
        PLUGIN.fact("courses_with_seats_without_signup", len(unchosen)),
        PLUGIN.fact("non_business_share", share),
        PLUGIN.fact("target", target, f"{SETTINGS}.target"),
        PLUGIN.fact("typical_share", TYPICAL_SHARE, SEED),
        PLUGIN.fact("healthy_share", HEALTHY_SHARE, SEED),
        PLUGIN.fact("gap", gap),
        PLUGIN.fact("minutes_to_add", to_add),
        PLUGIN.fact("promoted_needs", promoted, "plan.priorities"),
        PLUGIN.fact("deferred_non_business_needs", deferred, "plan.priorities"),
    )
    return [
        Report(
            id=REPORT_ID,
            title="Business / non-business training mix",
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
