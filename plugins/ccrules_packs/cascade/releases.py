"""The releases to cascade this cycle: who leads, who learns, read in one query.

The needs, trainers and reports stages all start from the same picture, so a release's
leads, teams and agents are decided in one place.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Course, Format, Message
from ccrules_packs.cascade.settings import Settings

SETTINGS = "plugins.release-cascade"
LEAD_SOURCE = "release-lead"
SHARE_SOURCE = "release"


@attrs.frozen
class TeamCascade:
    """A front-line team with agents whose role needs a release's competency.

    :param lead_id: the team's active lead, who learns first; ``None`` when there is none.
    :param no_lead: why there is no lead to learn first (a message; ``None`` when there is
        one).
    :param agents: the agents (not leads) who learn it from the share, with the level their
        role requires, sorted by agent id.
    """

    team_id: str
    lead_id: str | None
    no_lead: Message | None
    agents: tuple[tuple[str, float], ...]


@attrs.frozen
class Release:
    """One release's changes on one competency, and the teams it cascades to."""

    release_id: str
    competency_id: str
    date: dt.date
    product: str
    changes: int
    change_list: str
    teams: tuple[TeamCascade, ...]

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(sorted({t.lead_id for t in self.teams if t.lead_id is not None}))

    def lead_need_id(self, lead_id: str) -> str:
        return f"{LEAD_SOURCE}:{self.release_id}:{lead_id}:{self.competency_id}"

    def share_need_id(self, agent_id: str) -> str:
        return f"{SHARE_SOURCE}:{self.release_id}:{agent_id}:{self.competency_id}"


def window(center: Center, settings: Settings) -> tuple[dt.date, dt.date]:
    """First and last release day cascaded this cycle."""
    cycle = center.cycle
    return (
        cycle.start - dt.timedelta(days=settings.grace_days),
        cycle.end + dt.timedelta(days=settings.horizon_days),
    )


def release_of(need_id: str, agent_id: str, competency_id: str) -> str | None:
    """The release id of a share need id made by :meth:`Release.share_need_id`."""
    prefix, suffix = f"{SHARE_SOURCE}:", f":{agent_id}:{competency_id}"
    if need_id.startswith(prefix) and need_id.endswith(suffix):
        return need_id[len(prefix) : -len(suffix)] or None
    return None


def lead_need_id(release_id: str, lead_id: str, competency_id: str) -> str:
    return f"{LEAD_SOURCE}:{release_id}:{lead_id}:{competency_id}"


def first_course(center: Center, competency_id: str, formats: tuple[Format, ...]) -> Course | None:
    """The competency's first course (by id) of the first of ``formats`` the catalogue has."""
    found = center.catalogue(competency_id, required=True)
    for fmt in formats:
        if fmt in found:
            return found[fmt]
    return None


#: agent statuses (agents.csv) as terms of a reason
STATUS_TERMS: dict[str, Message] = {"leave": msg("leave")}


def status_term(status: str) -> Message | str:
    """An agent's status as a reason shows it: a term, or the status as written."""
    return STATUS_TERMS.get(status, status)


def _lead(center: Center, team_id: str) -> tuple[str | None, Message | None]:
    team = center.teams[team_id]
    teams = center.source_of("teams")
    if team.lead_id is None:
        return None, msg("{team} has no lead in {source}", team=team.name, source=teams)
    lead = center.agents[team.lead_id]
    if lead.status != "active":
        return None, msg(
            "{team}'s lead {lead} is on {status}",
            team=team.name,
            lead=lead.name,
            status=status_term(lead.status),
        )
    return lead.id, None


def releases(center: Center, evidence: Evidence, settings: Settings) -> list[Release]:
    """Releases (per competency) dated within the cascade window, soonest first, with the
    front-line teams whose active agents' role profile asks for the competency."""
    low, high = window(center, settings)
    rows = evidence.sql(
        """
        WITH asked AS (
            SELECT p.competency_id, a.team_id, a.agent_id, p.required_level
            FROM role_profiles p JOIN agents a ON a.role_id = p.role_id
            WHERE a.status = 'active'
        )
        SELECT r.release_id, r.competency_id, r.date, r.product, r.changes, r.change_list,
               s.team_id, s.agent_id, s.required_level
        FROM release_changes r LEFT JOIN asked s ON s.competency_id = r.competency_id
        WHERE r.date BETWEEN $low AND $high
        ORDER BY r.date, r.release_id, r.competency_id, s.team_id, s.agent_id
        """,
        {"low": low, "high": high},
    )
    heads: dict[tuple[str, str], tuple[dt.date, str, int, str]] = {}
    asked: dict[tuple[str, str], dict[str, list[tuple[str, float]]]] = {}
    for release_id, competency_id, date, product, changes, change_list, team, agent, level in rows:
        key = (release_id, competency_id)
        heads.setdefault(key, (date, product, int(changes), change_list))
        by_team = asked.setdefault(key, {})
        if agent is not None and center.teams[team].function == "front-line":
            by_team.setdefault(team, []).append((agent, float(level)))
    result = []
    for key, (date, product, changes, change_list) in heads.items():
        leads = {team_id: _lead(center, team_id) for team_id in sorted(asked[key])}
        # a lead learns first, so never sits in a share, not even in another team's
        leading = {lead for lead, _ in leads.values() if lead is not None}
        teams = []
        for team_id, agents in sorted(asked[key].items()):
            lead, why = leads[team_id]
            learners = tuple((a, level) for a, level in agents if a not in leading)
            teams.append(TeamCascade(team_id, lead, why, learners))
        result.append(Release(key[0], key[1], date, product, changes, change_list, tuple(teams)))
    return result
