"""Plan report: does each release reach every agent before customers see it
(``cascade.releases``)?"""

from __future__ import annotations

import datetime as dt

import ccrules
from ccrules import Center, Evidence
from ccrules.model import FactValue, Format, Plan, Report, Session
from ccrules_cascade._meta import PLUGIN
from ccrules_cascade.releases import SETTINGS, Release, releases, window
from ccrules_cascade.settings import Settings
from ccrules_cascade.trainers import TRAINER_PREFIX

REPORT_ID = "release-cascade.releases"
COLUMNS = (
    "release",
    "competency",
    "date",
    "product",
    "changes",
    "leads",
    "leads_trained",
    "lead_sessions",
    "lead_start",
    "shares_placed",
    "shares_total",
    "first_share",
    "last_share",
    "agents_reached",
    "lead_delivered",
    "video",
    "agents_not_reached",
    "not_reached",
    "before_release",
)


def _when(moment: dt.datetime | None) -> str | None:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else None


class _Holders:
    """Which sessions hold which needs, placed or not."""

    def __init__(self, plan: Plan) -> None:
        self.placed = {s.id for s in plan.sessions}
        every = [*plan.sessions, *(u.session for u in plan.unplaced if u.session is not None)]
        self.of: dict[str, list[Session]] = {}
        for session in every:
            for need_id in session.need_ids:
                self.of.setdefault(need_id, []).append(session)

    def sessions(self, need_ids: list[str]) -> list[Session]:
        found = {s.id: s for n in need_ids for s in self.of.get(n, ())}
        return [found[k] for k in sorted(found)]

    def reached(self, need_id: str, agent_id: str) -> Session | None:
        for session in self.of.get(need_id, ()):
            if session.id in self.placed and agent_id in session.attendees:
                return session
        return None


def _row(release: Release, holders: _Holders) -> tuple[tuple[FactValue, ...], str | None]:
    """The release's row, and what keeps it from being complete (``None`` if nothing)."""
    leads = release.leads
    lead_sessions = holders.sessions([release.lead_need_id(lead) for lead in leads])
    trained = [lead for lead in leads if holders.reached(release.lead_need_id(lead), lead)]
    lead_starts = [s.start for s in lead_sessions if s.id in holders.placed and s.start]
    agents = [a for team in release.teams for a, _ in team.agents]
    share_ids = [release.share_need_id(a) for a in agents]
    shares = holders.sessions(share_ids)
    placed = [s for s in shares if s.id in holders.placed and s.start and s.end]
    by = {a: holders.reached(release.share_need_id(a), a) for a in agents}
    reached = {a for a, s in by.items() if s is not None}
    # from their lead at a team meeting, or from the video (seed 004)
    lead_delivered = sum(
        1 for s in by.values() if s is not None and (s.trainer_id or "").startswith(TRAINER_PREFIX)
    )
    video = sum(1 for s in by.values() if s is not None and s.format is Format.MICRO_VIDEO)
    missing = sorted(set(agents) - reached)
    first = min((s.start for s in placed if s.start), default=None)
    last = max((s.end for s in placed if s.end), default=None)
    late = last is not None and last.date() > release.date
    gaps = []
    if len(trained) < len(leads):
        gaps.append(f"{len(leads) - len(trained)} lead(s) not trained")
    if missing:
        gaps.append(f"{len(missing)} agent(s) not reached")
    if late:
        gaps.append(f"the last share ends {last:%Y-%m-%d}, after the release")
    row: tuple[FactValue, ...] = (
        release.release_id,
        release.competency_id,
        release.date.isoformat(),
        release.product,
        release.changes,
        len(leads),
        len(trained),
        ", ".join(s.id for s in lead_sessions) or None,
        _when(min(lead_starts, default=None)),
        len(placed),
        len(shares),
        _when(first),
        _when(last),
        len(reached),
        lead_delivered,
        video,
        len(missing),
        ", ".join(missing) or None,
        not gaps,
    )
    problem = (
        f"{release.release_id} on {release.competency_id}: {', '.join(gaps)}" if gaps else None
    )
    return row, problem


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    settings = center.settings(Settings)
    found = releases(center, evidence, settings)
    if not found:
        return []
    holders = _Holders(plan)
    rows = []
    problems = []
    for release in found:
        row, problem = _row(release, holders)
        rows.append(row)
        if problem is not None:
            problems.append(problem)
    total = len(found)
    lead = sum(int(str(r[COLUMNS.index("lead_delivered")])) for r in rows)
    video = sum(int(str(r[COLUMNS.index("video")])) for r in rows)
    how = (
        f" Agents who learned a release from their lead at a team meeting: {lead}; from the "
        f"video: {video}."
    )
    if problems:
        summary = (
            f"{total - len(problems)} of {total} release(s) per competency cascade completely "
            f"before customers see them; not complete: {'; '.join(problems)}."
        )
    else:
        summary = (
            f"Every release in the window ({total} per competency) cascades completely: "
            "leads trained, then every agent reached by the release date."
        )
    summary += how
    low, high = window(center, settings)
    reason = PLUGIN.reason(
        "cascade.releases",
        f"Releases dated {low} to {high} (the cycle {settings.grace_days} day(s) back and "
        f"{settings.horizon_days} ahead), checked against the plan's sessions.",
        PLUGIN.fact("releases", total, f"release_changes <- {center.source_of('releases')}"),
        PLUGIN.fact("incomplete", len(problems)),
        PLUGIN.fact("grace_days", settings.grace_days, f"{SETTINGS}.grace_days"),
        PLUGIN.fact("horizon_days", settings.horizon_days, f"{SETTINGS}.horizon_days"),
    )
    return [
        Report(
            id=REPORT_ID,
            title="Release cascade: leads first, then every team, before the release",
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
