"""The rule ``night-shift.micro-video``: a wrapper on the courses stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.model import Assembly, Format, Need, RuleInfo, Session, Stage, Team
from ccrules_night_shift.settings import Settings

RULE = "night-shift.micro-video"
RULES = (
    RuleInfo(
        RULE,
        Stage.COURSES,
        "Agents on a night shift get the competency's micro-video instead of a pre-shift "
        "share; a share with no micro-video to replace it is kept, and says why.",
        priority=50,
    ),
)


def _plugin() -> ccrules.PluginRef:
    from ccrules_night_shift import __version__

    return ccrules.PluginRef("night-shift", __version__)


def night_teams(center: Center, settings: Settings) -> dict[str, str]:
    """Team id -> why it is a night team."""
    ends_from = settings.ends_from_time()
    found: dict[str, str] = {}
    for team in center.teams.values():
        why = _why_night(team, ends_from)
        if team.id in settings.teams:
            why = "listed in plugins.night-shift.teams"
        if why:
            found[team.id] = why
    return found


def _why_night(team: Team, ends_from: dt.time | None) -> str | None:
    start, end = team.shift_start, team.shift_end
    if end is None or ends_from is None:
        return None
    if start is not None and end < start:
        return f"its shift {start:%H:%M}-{end:%H:%M} runs past midnight"
    if end >= ends_from:
        return f"its shift ends at {end:%H:%M}, at or after {ends_from:%H:%M}"
    return None


@ccrules.hookimpl(wrapper=True)
def ccrules_assemble_sessions(
    center: Center, needs: Sequence[Need]
) -> Generator[None, Assembly | None, Assembly | None]:
    assembly = yield
    if assembly is None:
        return None
    night = night_teams(center, center.settings(Settings))
    agent_of = {need.id: need.agent_id for need in needs}
    taken = {session.id for session in assembly.sessions}
    sessions: list[Session] = []
    for session in assembly.sessions:
        team_id = session.team_id
        if session.format is not Format.PRE_SHIFT or team_id not in night:
            sessions.append(session)
            continue
        sessions += _replace(center, session, team_id, night[team_id], agent_of, taken)
    return attrs.evolve(assembly, sessions=tuple(sessions))


def _replace(
    center: Center,
    session: Session,
    team_id: str,
    why: str,
    agent_of: dict[str, str],
    taken: set[str],
) -> list[Session]:
    """The micro-video sessions that take over a night team's pre-shift share, or the share
    itself, with a reason saying why it stays."""
    plugin = _plugin()
    team = center.teams[team_id]
    video = center.catalogue(session.competency_id).get(Format.MICRO_VIDEO)
    facts = {"team": team_id, "pre_shift_session": session.id}
    if video is None:
        reason = plugin.reason(
            RULE,
            f"{team.name} is a night team ({why}), but {center.source_of('courses')} has no "
            f"micro-video for {session.competency_id}, so the pre-shift share stays.",
            **facts,
        )
        return [attrs.evolve(session, reasons=(*session.reasons, reason))]
    size = max(video.max_group, 1)
    attendees = list(session.attendees)
    replaced = []
    number = 0
    for offset in range(0, len(attendees), size):
        group = tuple(attendees[offset : offset + size])
        number += 1
        while f"{video.id}-N{number:02d}" in taken:
            number += 1
        session_id = f"{video.id}-N{number:02d}"
        taken.add(session_id)
        reason = plugin.reason(
            RULE,
            f"{team.name} is a night team ({why}): {video.title} ({video.id}) instead of "
            f"the pre-shift share {session.id}.",
            **facts,
            course_id=video.id,
        )
        replaced.append(
            attrs.evolve(
                session,
                id=session_id,
                course_id=video.id,
                format=Format.MICRO_VIDEO,
                duration_minutes=video.duration_minutes,
                attendees=group,
                need_ids=tuple(n for n in session.need_ids if agent_of.get(n) in group),
                team_id=None,
                reasons=(*session.reasons, reason),
            )
        )
    return replaced
