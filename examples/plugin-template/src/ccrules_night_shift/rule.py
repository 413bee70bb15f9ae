"""The rule ``night-shift.micro-video``: a wrapper on the courses stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping, Sequence

import attrs
import ccrules
from ccrules import Center
from ccrules.model import Assembly, Fact, Format, Need, RuleInfo, Session, Stage, Team

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
SETTINGS = "plugins.night-shift"


def _plugin() -> ccrules.PluginRef:
    from ccrules_night_shift import __version__

    return ccrules.PluginRef("night-shift", __version__)


@attrs.frozen
class NightTeam:
    """A team on the night shift, and why: the setting that made it one."""

    team: Team
    why: str
    setting: str


def night_teams(center: Center, settings: Settings) -> dict[str, NightTeam]:
    """Team id -> the night team, for every team on the night shift."""
    ends_from = settings.ends_from_time()
    found: dict[str, NightTeam] = {}
    for team in center.teams.values():
        if team.id in settings.teams:
            found[team.id] = NightTeam(team, f"listed in {SETTINGS}.teams", f"{SETTINGS}.teams")
            continue
        why = _why_night(team, ends_from)
        if why is not None:
            found[team.id] = NightTeam(team, why, f"{SETTINGS}.ends_from")
    return found


def _why_night(team: Team, ends_from: dt.time | None) -> str | None:
    # teams.csv cannot hold a shift that runs past midnight: the input gate requires
    # shift_end after shift_start, so the end of the shift alone says "night".
    end = team.shift_end
    if end is None or ends_from is None:
        return None
    if end >= ends_from:
        return f"its shift ends at {end:%H:%M}, at or after {ends_from:%H:%M}"
    return None


def _team_of(center: Center, session: Session) -> str | None:
    """The team a share is for: its ``team_id``, else the one team of all its attendees."""
    if session.team_id is not None:
        return session.team_id
    teams = {center.agents[a].team_id for a in session.attendees if a in center.agents}
    return teams.pop() if len(teams) == 1 else None


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
    renamed: dict[str, tuple[str, ...]] = {}
    for session in assembly.sessions:
        team_id = _team_of(center, session)
        if session.format is not Format.PRE_SHIFT or team_id not in night:
            sessions.append(session)
            continue
        new = _replace(center, session, night[team_id], agent_of, taken)
        if new[0].id != session.id:
            renamed[session.id] = tuple(s.id for s in new)
        sessions += new
    if renamed:  # a session that came after a replaced share now comes after its videos
        sessions = [_follow(session, renamed) for session in sessions]
    return attrs.evolve(assembly, sessions=tuple(sessions))


def _follow(session: Session, renamed: Mapping[str, tuple[str, ...]]) -> Session:
    after = tuple(sorted({new for old in session.after for new in renamed.get(old, (old,))}))
    return session if after == session.after else attrs.evolve(session, after=after)


def _replace(
    center: Center,
    session: Session,
    night: NightTeam,
    agent_of: Mapping[str, str],
    taken: set[str],
) -> list[Session]:
    """The micro-video sessions that take over a night team's pre-shift share, or the share
    itself, with a reason saying why it stays."""
    plugin = _plugin()
    team = night.team
    video = center.catalogue(session.competency_id).get(Format.MICRO_VIDEO)
    facts: tuple[Fact, ...] = (
        plugin.fact("team", team.id, center.source_of("teams")),
        plugin.fact("shift_end", team.shift_end, center.source_of("teams")),
        plugin.fact("night_because", night.why, night.setting),
        plugin.fact("pre_shift_session", session.id),
    )
    if video is None:
        reason = plugin.reason(
            RULE,
            f"{team.name} is a night team ({night.why}), but {center.source_of('courses')} "
            f"has no micro-video for {session.competency_id}, so the pre-shift share "
            f"{session.id} stays.",
            *facts,
        )
        return [attrs.evolve(session, reasons=(*session.reasons, reason))]
    size = max(video.max_group, 1)  # max_group 1: one session per agent
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
        names = ", ".join(f"{center.agents[a].name} ({a})" for a in group)
        reason = plugin.reason(
            RULE,
            f"{team.name} is a night team ({night.why}): {video.title} ({video.id}) for "
            f"{names} instead of the pre-shift share {session.id}.",
            *facts,
            plugin.fact("course_id", video.id, center.source_of("courses")),
            plugin.fact("max_group", video.max_group, center.source_of("courses")),
            plugin.fact("agents", ", ".join(group)),
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
