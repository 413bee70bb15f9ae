"""Trainers stage: each lead who learned a release teaches it to their team
(``cascade.lead-teaches``)."""

from __future__ import annotations

from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Message, Reason, Session, Trainer, TrainerAssignment, TrainerKind
from ccrules_packs.cascade._meta import PLUGIN
from ccrules_packs.cascade.releases import SETTINGS, SHARE_SOURCE, releases
from ccrules_packs.cascade.settings import Settings

TRAINER_PREFIX = "cascade:"


def trainer_id(lead_id: str) -> str:
    return f"{TRAINER_PREFIX}{lead_id}"


@ccrules.hookimpl
def ccrules_trainer_pool(center: Center, evidence: Evidence) -> list[Trainer]:
    """A cascade trainer for every active lead whose team has agents to share a release with.

    It teaches nothing else (no skills), so no other assigner picks it.
    """
    settings = center.settings(Settings)
    leads = {
        team.lead_id
        for release in releases(center, evidence, settings)
        for team in release.teams
        if team.lead_id is not None and team.agents
    }
    return [
        Trainer(
            id=trainer_id(lead_id),
            name=center.agents[lead_id].name,
            kind=TrainerKind.TEAM_LEAD,
            capacity_hours=settings.lead_capacity_hours,
            agent_id=lead_id,
            cost_per_hour=0.0,
        )
        for lead_id in sorted(leads)
    ]


def _is_share(session: Session) -> bool:
    return any(n.startswith(f"{SHARE_SOURCE}:") for n in session.need_ids)


def _cascade(
    center: Center,
    session: Session,
    inner: TrainerAssignment,
    pool: dict[str, Trainer],
    by_id: dict[str, Session],
    used: dict[str, float],
) -> TrainerAssignment:
    """The lead's assignment for a release share, or the inner one with why not."""
    teams = sorted({center.agents[a].team_id for a in session.attendees})

    def keep(why: Message) -> TrainerAssignment:
        reason = PLUGIN.reason(
            "cascade.lead-teaches",
            msg(
                "The team's lead does not give this release share: {why}; the trainer chosen "
                "before stands.",
                why=why,
            ),
            PLUGIN.fact("teams", ", ".join(teams)),
        )
        return attrs.evolve(inner, reasons=(*inner.reasons, reason))

    if not inner.required:
        return inner  # self-paced: a short video needs nobody
    if len(teams) != 1:
        return keep(
            msg(
                "its agents come from {count} teams ({teams})", count=len(teams), teams=tuple(teams)
            )
        )
    team = center.teams[teams[0]]
    lead_id = team.lead_id
    trainer = pool.get(trainer_id(lead_id)) if lead_id else None
    if lead_id is None or trainer is None:
        return keep(msg("{team} has no active lead with a release to cascade", team=team.name))
    lead = center.agents[lead_id]
    if lead_id in session.attendees:
        return keep(msg("{lead} attends it", lead=lead.name))
    learned = [s for s in session.after if s in by_id and lead_id in by_id[s].attendees]
    if not learned:
        return keep(
            msg("{lead} is not trained on it first in any session of this cycle", lead=lead.name)
        )
    hours = session.duration_minutes / 60
    if used[trainer.id] + hours > trainer.capacity_hours + 1e-9:
        return keep(
            msg(
                "{lead} has {left:g} of {capacity:g} cascade hours left, and it takes {hours:g}",
                lead=lead.name,
                left=trainer.capacity_hours - used[trainer.id],
                capacity=trainer.capacity_hours,
                hours=hours,
            )
        )
    used[trainer.id] += hours
    reason: Reason = PLUGIN.reason(
        "cascade.lead-teaches",
        msg(
            "{lead} leads {team}, learned this release in session {sessions} and cascades it "
            "to the team ({used:g} of {capacity:g} cascade hours used).",
            lead=lead.name,
            team=team.name,
            sessions=tuple(learned),
            used=used[trainer.id],
            capacity=trainer.capacity_hours,
        ),
        PLUGIN.fact("lead_id", lead_id, center.source_of("teams")),
        PLUGIN.fact("lead_sessions", ", ".join(learned)),
        PLUGIN.fact("hours_used", round(used[trainer.id], 2)),
        PLUGIN.fact(
            "lead_capacity_hours", trainer.capacity_hours, f"{SETTINGS}.lead_capacity_hours"
        ),
    )
    return TrainerAssignment(session.id, trainer.id, (reason,))


@ccrules.hookimpl(wrapper=True)
def ccrules_assign_trainers(
    center: Center, sessions: Sequence[Session], trainers: Sequence[Trainer]
) -> Generator[None, list[TrainerAssignment] | None, list[TrainerAssignment] | None]:
    result = yield
    if result is None:
        return None
    pool = {t.id: t for t in trainers if t.id.startswith(TRAINER_PREFIX)}
    by_id = {s.id: s for s in sessions}
    inner = {a.session_id: a for a in result}
    used = dict.fromkeys(pool, 0.0)
    chosen: dict[str, TrainerAssignment] = {}
    for session in sessions:  # best rank first: the lead's hours go to the best shares
        if _is_share(session) and session.id in inner:
            chosen[session.id] = _cascade(center, session, inner[session.id], pool, by_id, used)
    return [chosen.get(a.session_id, a) for a in result]
