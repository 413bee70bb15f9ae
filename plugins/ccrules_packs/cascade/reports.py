"""Plan report: does each release reach every agent before customers see it
(``cascade.releases``)?"""

from __future__ import annotations

import datetime as dt

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, clauses, msg
from ccrules.model import FactValue, Format, Message, Plan, Report, Session
from ccrules_packs.cascade._meta import PLUGIN
from ccrules_packs.cascade.releases import SETTINGS, Release, releases, window
from ccrules_packs.cascade.settings import Settings
from ccrules_packs.cascade.trainers import TRAINER_PREFIX

REPORT_ID = "release-cascade.releases"
COLUMNS = (
    N_("release"),
    N_("competency"),
    N_("date"),
    N_("product"),
    N_("changes"),
    N_("leads"),
    N_("leads_trained"),
    N_("lead_sessions"),
    N_("lead_start"),
    N_("shares_placed"),
    N_("shares_total"),
    N_("first_share"),
    N_("last_share"),
    N_("agents_reached"),
    N_("lead_delivered"),
    N_("video"),
    N_("agents_not_reached"),
    N_("not_reached"),
    N_("before_release"),
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


def _row(release: Release, holders: _Holders) -> tuple[tuple[FactValue, ...], Message | None]:
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
    gaps: list[Message] = []
    if len(trained) < len(leads):
        gaps.append(msg("{count} lead(s) not trained", count=len(leads) - len(trained)))
    if missing:
        gaps.append(msg("{count} agent(s) not reached", count=len(missing)))
    if late and last is not None:
        gaps.append(
            msg("the last share ends {day}, after the release", day=last.date().isoformat())
        )
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
        msg(
            "{release} on {competency}: {gaps}",
            release=release.release_id,
            competency=release.competency_id,
            gaps=tuple(gaps),
        )
        if gaps
        else None
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
    problems: list[Message] = []
    for release in found:
        row, problem = _row(release, holders)
        rows.append(row)
        if problem is not None:
            problems.append(problem)
    total = len(found)
    lead = sum(int(str(r[COLUMNS.index("lead_delivered")])) for r in rows)
    video = sum(int(str(r[COLUMNS.index("video")])) for r in rows)
    if problems:
        summary = msg(
            "{complete} of {total} release(s) per competency cascade completely before "
            "customers see them; not complete: {problems}. Agents who learned a release from "
            "their lead at a team meeting: {lead}; from the video: {video}.",
            complete=total - len(problems),
            total=total,
            problems=clauses(problems),
            lead=lead,
            video=video,
        )
    else:
        summary = msg(
            "Every release in the window ({total} per competency) cascades completely: leads "
            "trained, then every agent reached by the release date. Agents who learned a "
            "release from their lead at a team meeting: {lead}; from the video: {video}.",
            total=total,
            lead=lead,
            video=video,
        )
    low, high = window(center, settings)
    reason = PLUGIN.reason(
        "cascade.releases",
        msg(
            "Releases dated {low} to {high} (the cycle {grace} day(s) back and {horizon} "
            "ahead), checked against the plan's sessions.",
            low=low.isoformat(),
            high=high.isoformat(),
            grace=settings.grace_days,
            horizon=settings.horizon_days,
        ),
        PLUGIN.fact("releases", total, f"release_changes <- {center.source_of('releases')}"),
        PLUGIN.fact("incomplete", len(problems)),
        PLUGIN.fact("grace_days", settings.grace_days, f"{SETTINGS}.grace_days"),
        PLUGIN.fact("horizon_days", settings.horizon_days, f"{SETTINGS}.horizon_days"),
    )
    return [
        Report(
            id=REPORT_ID,
            title=msg("Release cascade: leads first, then every team, before the release"),
            summary=summary,
            columns=COLUMNS,
            rows=tuple(rows),
            reasons=(reason,),
        )
    ]
