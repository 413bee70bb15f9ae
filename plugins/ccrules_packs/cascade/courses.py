"""Courses stage: a team's release share comes after its lead's lesson (``cascade.order``),
and a lead passes on a release that has only a video at the team's pre-shift meeting
(``cascade.meeting``)."""

from __future__ import annotations

from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import clauses, msg
from ccrules.model import Assembly, Format, Message, Need, Reason, Session
from ccrules_packs.cascade._meta import PLUGIN
from ccrules_packs.cascade.releases import (
    LEAD_SOURCE,
    SHARE_SOURCE,
    lead_need_id,
    release_of,
    status_term,
)


def _shares(session: Session, needs: dict[str, Need]) -> list[tuple[str, Need]]:
    """The release needs a session serves, with their release id."""
    found = []
    for need_id in session.need_ids:
        need = needs.get(need_id)
        if need is None or need.source != SHARE_SOURCE:
            continue
        release_id = release_of(need.id, need.agent_id, need.competency_id)
        if release_id is not None:
            found.append((release_id, need))
    return found


def _order(
    center: Center,
    session: Session,
    shares: list[tuple[str, Need]],
    session_of: dict[str, Session],
    needs: dict[str, Need],
) -> Session:
    """The session with ``after`` set to its leads' sessions, and a reason saying so."""
    teams = sorted({(center.agents[n.agent_id].team_id, r, n.competency_id) for r, n in shares})
    after: set[str] = set()
    parts: list[Message] = []
    followed: list[str] = []
    missing: list[str] = []
    for team_id, release_id, competency_id in teams:
        team = center.teams[team_id]
        lead = center.agents.get(team.lead_id) if team.lead_id else None
        if lead is None:
            missing.append(team_id)
            parts.append(
                msg(
                    "{team} has no lead in {source}, so nobody learns {release} first and its "
                    "share goes ahead alone",
                    team=team.name,
                    source=center.source_of("teams"),
                    release=release_id,
                )
            )
            continue
        need_id = lead_need_id(release_id, lead.id, competency_id)
        first = session_of.get(need_id)
        if first is None:
            missing.append(team_id)
            if lead.status != "active":
                part = msg(
                    "{team}'s lead {lead} is on {status}, so the lead is not trained first on "
                    "{release} and the share goes ahead alone",
                    team=team.name,
                    lead=lead.name,
                    status=status_term(lead.status),
                    release=release_id,
                )
            elif need_id in needs:
                part = msg(
                    "{team}'s lead {lead} has no session for it this cycle, so the lead is not "
                    "trained first on {release} and the share goes ahead alone",
                    team=team.name,
                    lead=lead.name,
                    release=release_id,
                )
            else:
                part = msg(
                    "{team}'s lead {lead} has no release need planned this cycle, so the lead "
                    "is not trained first on {release} and the share goes ahead alone",
                    team=team.name,
                    lead=lead.name,
                    release=release_id,
                )
            parts.append(part)
        elif first.id == session.id or _shares(first, needs):
            missing.append(team_id)
            parts.append(
                msg(
                    "{team}'s lead {lead} learns {release} in session {session} together with "
                    "agents, so it cannot come first",
                    team=team.name,
                    lead=lead.name,
                    release=release_id,
                    session=first.id,
                )
            )
        else:
            after.add(first.id)
            followed.append(team_id)
            parts.append(
                msg(
                    "{team}'s lead {lead} learns {release} first in session {session}",
                    team=team.name,
                    lead=lead.name,
                    release=release_id,
                    session=first.id,
                )
            )
    text = (
        msg(
            "Cascade: {parts}. This share starts after {sessions}.",
            parts=clauses(parts),
            sessions=tuple(sorted(after)),
        )
        if after
        else msg("Cascade: {parts}.", parts=clauses(parts))
    )
    reason: Reason = PLUGIN.reason(
        "cascade.order",
        text,
        PLUGIN.fact("lead_sessions", ", ".join(sorted(after)) or None),
        PLUGIN.fact("teams_after_lead", ", ".join(followed) or None),
        PLUGIN.fact(
            "teams_without_lead_first", ", ".join(missing) or None, center.source_of("teams")
        ),
    )
    return attrs.evolve(
        session,
        after=tuple(sorted(set(session.after) | after)),
        reasons=(*session.reasons, reason),
    )


def _meetings(
    center: Center,
    sessions: Sequence[Session],
    needs: dict[str, Need],
    session_of: dict[str, Session],
) -> list[Session]:
    """Release videos of a team whose lead learns the release first, merged into one share at
    the team's pre-shift meeting: the lead presents the video's content there (seed 004: leads
    learn first and cascade at morning and team meetings); the video is for those who miss
    the meeting (the schedule's ``schedule.share-once``)."""
    groups: dict[tuple[str, str, str], list[Session]] = {}
    for session in sessions:
        shares = _shares(session, needs) if session.format is Format.MICRO_VIDEO else []
        # only a one-agent video that serves release needs alone (a session may serve no
        # need at all: the members of a whole-team session)
        if not shares or len(shares) != len(session.need_ids) or len(session.attendees) != 1:
            continue
        release_id, need = shares[0]
        team = center.teams[center.agents[need.agent_id].team_id]
        lead_id = team.lead_id
        if (
            lead_id is None
            or lead_need_id(release_id, lead_id, need.competency_id) not in session_of
        ):
            continue  # nobody learns it first: the video it is
        groups.setdefault((team.id, release_id, session.course_id), []).append(session)
    merged: dict[str, Session] = {}
    gone: set[str] = set()
    for (team_id, release_id, course_id), members in groups.items():
        team = center.teams[team_id]
        lead = center.agents[team.lead_id or ""]
        course = center.courses[course_id]
        first = members[0]
        dues = [m.due for m in members if m.due is not None]
        reason = PLUGIN.reason(
            "cascade.meeting",
            msg(
                "{team}'s lead {lead} learns {release} first and presents it at the team's "
                "pre-shift meeting ({minutes} min, the content of {course} ({course_id})) to "
                "{agents} agent(s); the video is only for those who miss the meeting.",
                team=team.name,
                lead=lead.name,
                release=release_id,
                minutes=course.duration_minutes,
                course=course.title,
                course_id=course.id,
                agents=len(members),
            ),
            PLUGIN.fact("lead_id", lead.id, center.source_of("teams")),
            PLUGIN.fact("course_id", course.id, center.source_of("courses")),
            PLUGIN.fact("agents", len(members)),
        )
        merged[first.id] = attrs.evolve(
            first,
            format=Format.PRE_SHIFT,
            team_id=team_id,
            attendees=tuple(sorted(a for m in members for a in m.attendees)),
            need_ids=tuple(n for m in members for n in m.need_ids),
            rank=min(m.rank for m in members),
            due=min(dues) if dues else None,
            reasons=(reason,),
        )
        gone.update(m.id for m in members[1:])
    return [merged.get(s.id, s) for s in sessions if s.id not in gone]


@ccrules.hookimpl(wrapper=True)
def ccrules_assemble_sessions(
    center: Center, needs: Sequence[Need]
) -> Generator[None, Assembly | None, Assembly | None]:
    assembly = yield
    if assembly is None:
        return None
    by_id = {n.id: n for n in needs}
    session_of: dict[str, Session] = {}
    for session in assembly.sessions:
        for need_id in session.need_ids:
            need = by_id.get(need_id)
            if need is not None and need.source == LEAD_SOURCE:
                session_of.setdefault(need_id, session)
    sessions = []
    for session in _meetings(center, assembly.sessions, by_id, session_of):
        shares = _shares(session, by_id)
        sessions.append(_order(center, session, shares, session_of, by_id) if shares else session)
    return attrs.evolve(assembly, sessions=tuple(sessions))
