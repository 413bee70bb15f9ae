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
from ccrules.i18n import N_, clauses, msg
from ccrules.model import (
    CompetencyCategory,
    FactValue,
    Message,
    Need,
    Plan,
    PriorityStatus,
    Reason,
    Report,
    Session,
)
from ccrules_packs.mix._meta import PLUGIN
from ccrules_packs.mix.offers import RULE as OFFER_RULE
from ccrules_packs.mix.offers import eligible, offered_courses, seats_of
from ccrules_packs.mix.settings import HEALTHY_SHARE, TYPICAL_SHARE, Settings
from ccrules_packs.mix.signups import by_course, signups
from ccrules_packs.mix.target import RULE as TARGET_RULE

REPORT_ID = "healthy-mix.mix"
RULE = "mix.report"
SETTINGS = "plugins.healthy-mix"
COLUMNS = (
    N_("kind"),
    N_("id"),
    N_("name"),
    N_("minutes"),
    N_("share"),
    N_("sessions"),
    N_("seats"),
    N_("offered"),
    N_("signed_up"),
)
SEED = "seed 003"
NOBODY_SIGNED_UP = msg("nobody signed up")
NO_AMOUNT = msg(
    "no amount of non-business training reaches a 100% target while business training is "
    "planned; lower the target"
)


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

    # the rows' words (kinds, the benchmarks' names) are marked for the catalogue too: the plan
    # keeps them as they are, a table in the reader's language shows them translated
    rows: list[tuple[FactValue, ...]] = []
    for category in CompetencyCategory:
        group = by_category[category]
        rows.append(
            (
                N_("category"),
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
        ("typical", N_("typical center (92/8)"), TYPICAL_SHARE),
        ("healthy", N_("healthy center (70/30)"), HEALTHY_SHARE),
        ("target", N_("this center's target"), target),
    ):
        rows.append((N_("benchmark"), key, name, None, value, None, None, None, None))
    rows.append(
        (N_("gap"), "gap", N_("non-business minutes to add"), to_add, gap, None, None, None, None)
    )
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
                N_("voluntary-course"),
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
    # voluntary seats other rules gave to agents who did not choose
    unchosen: list[Message] = []
    for course in center.courses.values():
        if not course.voluntary:
            continue
        wanted = {c.agent_id for c in chosen.get(course.id, [])}
        given = {a for s in plan.sessions if s.course_id == course.id for a in s.attendees}
        if given - wanted:
            unchosen.append(
                msg(
                    "{course} ({course_id}) {seats}",
                    course=course.title,
                    course_id=course.id,
                    seats=len(given - wanted),
                )
            )
    announce: list[Message] = []
    for course in offered_courses(center):
        available = seats_of(course, settings)
        taken = offered.get(course.id, 0)
        signed = len(chosen.get(course.id, []))
        if taken >= available:
            continue
        rows.append(
            (
                N_("open-seats"),
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
        can = len(eligible(center, course, chosen.get(course.id, []), settings))
        if not signed:
            why = NOBODY_SIGNED_UP
        elif can < signed:
            why = msg(
                "{signed_up} signed up, {eligible} of them eligible", signed_up=signed, eligible=can
            )
        else:
            why = msg("{signed_up} signed up", signed_up=signed)
        announce.append(
            msg(
                "{course} ({course_id}) {open} of {seats} ({why})",
                course=course.title,
                course_id=course.id,
                open=available - taken,
                seats=available,
                why=why,
            )
        )
    ranked = sorted(
        ((len(v), k) for k, v in chosen.items() if k in center.courses), key=lambda x: (-x[0], x[1])
    )
    offering = {c.id: seats_of(c, settings) for c in offered_courses(center)}

    def chose(count: int, course_id: str) -> Message:
        title = center.courses[course_id].title
        available = offering.get(course_id)
        if available is not None and count > available:
            return msg(
                "{course} ({course_id}) {signups} signup(s) for {seats} seat(s), {waiting} waiting",
                course=title,
                course_id=course_id,
                signups=count,
                seats=available,
                waiting=count - available,
            )
        return msg(
            "{course} ({course_id}) {signups} signup(s)",
            course=title,
            course_id=course_id,
            signups=count,
        )

    choices: Message | str = (
        msg(" What agents chose: {choices}.", choices=tuple(chose(n, c) for n, c in ranked))
        if ranked
        else ""
    )
    open_text: Message | str = (
        msg(" Open seats to announce: {courses}.", courses=clauses(announce)) if announce else ""
    )
    figures = msg(
        "Non-business training is {share:.1%} of {total} placed training minutes "
        "({non_business} non-business, {business} business)",
        share=share,
        total=total,
        non_business=non_business,
        business=business,
    )
    benchmarks = msg(
        "typical center {typical:.0%}, healthy {healthy:.0%}",
        typical=TYPICAL_SHARE,
        healthy=HEALTHY_SHARE,
    )
    reading: Message
    if total and share >= target:
        reading = msg(
            "{figures}: the plan meets the {target:.0%} target ({benchmarks}).",
            figures=figures,
            target=target,
            benchmarks=benchmarks,
        )
    else:
        after: Message | str = (
            msg(
                " even after planning {promoted} deferred non-business need(s)",
                promoted=promoted,
            )
            if promoted
            else ""
        )
        what = (
            msg(
                "add about {minutes} minutes of non-business courses or voluntary offers",
                minutes=to_add,
            )
            if to_add is not None
            else NO_AMOUNT
        )
        reading = msg(
            "{figures}: {gap:.1f} points below the {target:.0%} target ({benchmarks})"
            "{after}; {what}.",
            figures=figures,
            gap=gap * 100,
            target=target,
            benchmarks=benchmarks,
            after=after,
            what=what,
        )
    assigned: Message | str = (
        msg(
            " Seats of voluntary courses placed by other rules, without a signup: {courses}.",
            courses=tuple(unchosen),
        )
        if unchosen
        else ""
    )
    summary = msg(
        "{reading}{choices}{open_seats}{assigned}",
        reading=reading,
        choices=choices,
        open_seats=open_text,
        assigned=assigned,
    )
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
            title=msg("Business / non-business training mix"),
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
