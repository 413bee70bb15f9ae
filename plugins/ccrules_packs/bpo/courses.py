"""Courses stage: only what the client approved, within the hours the contract pays for.

A wrapper on ``ccrules_assemble_sessions`` takes the sessions another pack assembled and

1. (``bpo.approved-courses``) removes sessions of courses the client has not approved, or
   whose approval lapsed before the cycle;
2. (``bpo.hours-cap``) keeps sessions holding mandatory needs first, then by rank, while the
   attendee hours (duration x attendees) stay within ``contracted_hours``.

A session that comes after a removed one (``Session.after``) is removed with it. The needs of
removed sessions become unplaced needs of the courses stage, with the reason.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import msg
from ccrules.model import Assembly, Need, Reason, Session, Stage, Unplaced
from ccrules_packs.bpo._meta import PLUGIN
from ccrules_packs.bpo.contract import Grant, approvals_of, client
from ccrules_packs.bpo.settings import SETTINGS, Settings

APPROVAL = "bpo.approved-courses"
CAP = "bpo.hours-cap"


def attendee_hours(session: Session) -> float:
    """Hours of training the session takes from agents: duration x attendees."""
    return session.duration_minutes * len(session.attendees) / 60


def _approval(center: Center, session: Session, grants: Sequence[Grant]) -> tuple[bool, Reason]:
    """Whether the session's course is approved, and the reason either way."""
    course = center.courses[session.course_id]
    who = client(center)
    source = center.source_of("approved_courses")
    start = center.cycle.start
    valid = [g for g in grants if g.valid(start)]
    facts = (
        PLUGIN.fact("course", course.id, source),
        PLUGIN.fact("client", center.info.client, "center.client"),
        PLUGIN.fact("require_approval", True, f"{SETTINGS}.require_approval"),
    )
    if valid:
        grant = valid[0]
        text = msg(
            "Course {course} ({course_id}) approved by {approver} {until}.",
            course=course.title,
            course_id=course.id,
            approver=grant.scope,
            until=grant.until(),
        )
        return True, PLUGIN.reason(APPROVAL, text, *facts, valid_until=grant.valid_until)
    if grants:
        grant = grants[0]  # the latest end first
        text = msg(
            "The approval of course {course} ({course_id}) by {approver} lapsed on {lapsed}, "
            "before the cycle starts on {start}: ask {client} to renew it and update {source}.",
            course=course.title,
            course_id=course.id,
            approver=grant.scope,
            lapsed=str(grant.valid_until),
            start=start.isoformat(),
            client=who,
            source=source,
        )
        return False, PLUGIN.reason(APPROVAL, text, *facts, valid_until=grant.valid_until)
    text = msg(
        "{client} has not approved course {course} ({course_id}): ask {client} to approve it, "
        "or add it to {source}.",
        client=who,
        course=course.title,
        course_id=course.id,
        source=source,
    )
    return False, PLUGIN.reason(APPROVAL, text, *facts)


def _cascade(sessions: Sequence[Session], removed: dict[str, Reason]) -> None:
    """Remove every session that comes after a removed one, transitively."""
    changed = True
    while changed:
        changed = False
        for session in sessions:
            if session.id in removed:
                continue
            gone = [before for before in session.after if before in removed]
            if gone:
                cause = removed[gone[0]]
                removed[session.id] = PLUGIN.reason(
                    cause.rule,
                    msg(
                        "Comes after session {session}, which was removed: {cause}",
                        session=gone[0],
                        cause=cause.message,
                    ),
                    *cause.facts,
                )
                changed = True


def _cap(
    center: Center,
    settings: Settings,
    sessions: Sequence[Session],
    by_id: Mapping[str, Need],
    removed: dict[str, Reason],
    notes: dict[str, list[Reason]],
) -> None:
    """Keep sessions, mandatory ones first then by rank, within the contracted hours."""
    cap = settings.contracted_hours
    who = client(center)
    by_session = {s.id: s for s in sessions if s.id not in removed}

    def mandatory(session: Session) -> bool:
        return any(by_id[n].mandatory for n in session.need_ids if n in by_id)

    def unit(session: Session) -> list[Session]:
        """The session and the sessions it comes after, transitively, not yet kept."""
        found: dict[str, Session] = {}
        stack = [session]
        while stack:
            current = stack.pop()
            if current.id in found or current.id in kept:
                continue
            found[current.id] = current
            stack.extend(by_session[b] for b in current.after if b in by_session)
        return sorted(found.values(), key=lambda s: s.id)

    kept: set[str] = set()
    used = 0.0
    order = sorted(by_session.values(), key=lambda s: (not mandatory(s), s.rank, s.id))
    for session in order:
        if session.id in kept or session.id in removed:
            continue
        group = unit(session)
        if any(s.id in removed for s in group):
            continue  # a session it comes after did not fit: removed with it below
        hours = sum(attendee_hours(s) for s in group)
        facts = (
            PLUGIN.fact("attendee_hours", round(hours, 4)),
            PLUGIN.fact("used_hours", round(used, 4)),
            PLUGIN.fact("contracted_hours", cap, f"{SETTINGS}.contracted_hours"),
        )
        fits = used + hours <= cap + 1e-9
        if not fits and not mandatory(session):
            over = (
                msg(
                    "Over the contracted training hours: this session takes {hours:g} attendee "
                    "hours ({attendees} x {minutes} min, with the sessions it comes after) and "
                    "{used:g} of the {cap:g} hours {client} contracted are already used by "
                    "sessions ranked before it; raise plugins.bpo.contracted_hours or train "
                    "these needs next cycle.",
                    hours=round(hours, 2),
                    attendees=len(session.attendees),
                    minutes=session.duration_minutes,
                    used=round(used, 2),
                    cap=round(cap, 2),
                    client=who,
                )
                if len(group) > 1
                else msg(
                    "Over the contracted training hours: this session takes {hours:g} attendee "
                    "hours ({attendees} x {minutes} min) and {used:g} of the {cap:g} hours "
                    "{client} contracted are already used by sessions ranked before it; raise "
                    "plugins.bpo.contracted_hours or train these needs next cycle.",
                    hours=round(hours, 2),
                    attendees=len(session.attendees),
                    minutes=session.duration_minutes,
                    used=round(used, 2),
                    cap=round(cap, 2),
                    client=who,
                )
            )
            removed[session.id] = PLUGIN.reason(CAP, over, *facts)
            continue
        used += hours
        for member in group:
            kept.add(member.id)
        text = (
            msg(
                "Within the contracted training hours: {hours:g} attendee hours, {used:g} of "
                "{cap:g} used.",
                hours=round(hours, 2),
                used=round(used, 2),
                cap=round(cap, 2),
            )
            if fits
            else msg(
                "Mandated by {client}: kept although it brings the cycle to {used:g} of the "
                "{cap:g} contracted attendee hours.",
                client=who,
                used=round(used, 2),
                cap=round(cap, 2),
            )
        )
        notes.setdefault(session.id, []).append(PLUGIN.reason(CAP, text, *facts))


@ccrules.hookimpl(wrapper=True)
def ccrules_assemble_sessions(
    center: Center, needs: Sequence[Need]
) -> Generator[None, Assembly | None, Assembly | None]:
    result = yield
    if result is None:
        return None
    settings = center.settings(Settings)
    if not settings.require_approval and settings.contracted_hours <= 0:
        return result
    sessions = result.sessions
    removed: dict[str, Reason] = {}
    notes: dict[str, list[Reason]] = {}
    if settings.require_approval:
        grants = approvals_of(center)
        for session in sessions:
            approved, reason = _approval(center, session, grants.get(session.course_id, ()))
            if approved:
                notes.setdefault(session.id, []).append(reason)
            else:
                removed[session.id] = reason
        _cascade(sessions, removed)
    if settings.contracted_hours > 0:
        _cap(center, settings, sessions, {n.id: n for n in needs}, removed, notes)
        _cascade(sessions, removed)
    kept = [
        attrs.evolve(s, reasons=(*s.reasons, *notes.get(s.id, ())))
        for s in sessions
        if s.id not in removed
    ]
    served = {n for s in kept for n in s.need_ids}
    unplaced: dict[str, Unplaced] = {}
    for session in sessions:
        why = removed.get(session.id)
        if why is None:
            continue
        for need_id in session.need_ids:
            if need_id not in served and need_id not in unplaced:
                unplaced[need_id] = Unplaced(
                    kind="need", id=need_id, stage=Stage.COURSES, reasons=(why,)
                )
    return Assembly(
        sessions=tuple(kept),
        unplaced=(*result.unplaced, *(unplaced[k] for k in sorted(unplaced))),
    )
