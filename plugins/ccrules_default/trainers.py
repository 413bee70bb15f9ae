"""Trainers stage: the pool, and the best qualified trainer with hours left per session."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Format, Session, Trainer, TrainerAssignment, TrainerStatus
from ccrules_default._meta import PLUGIN
from ccrules_default.schedule import working_days
from ccrules_default.settings import Settings

SELF_PACED = (Format.MICRO_VIDEO,)
SETTINGS = "plugins.default.trainers"


@ccrules.hookimpl
def ccrules_trainer_pool(center: Center, evidence: Evidence) -> list[Trainer]:
    return list(center.trainers.values())


def required_level(center: Center, session: Session) -> float:
    """The highest level any attendee's role requires on the session's competency."""
    levels = [
        center.roles[center.agents[a].role_id].required_level(session.competency_id)
        for a in session.attendees
    ]
    return max((level for level in levels if level is not None), default=0.0)


def _free(
    trainer: Trainer,
    level: float,
    needed: float,
    attendees: set[str],
    used: dict[str, float],
    hours: float,
    share_at: dt.time | None,
    share_days: int,
    shares: Counter[tuple[str, dt.time]],
) -> bool:
    """Whether a trainer can give the session: qualified, not attending it, hours left, and
    (for a pre-shift share) a free shift start left."""
    if level < needed or trainer.agent_id in attendees:
        return False
    if used[trainer.id] + hours > trainer.capacity_hours + 1e-9:
        return False
    # with no working day at all the schedule stage says so; do not blame trainers
    return not (
        share_at is not None and share_days and shares[(trainer.id, share_at)] >= share_days
    )


def _static_order(entry: tuple[Trainer, float]) -> tuple[int, int, float, float, float, str]:
    """Best first: lower preference (a pack's own staff), active before on probation, higher
    score, lower cost, higher level; the id breaks ties. (A team's own lead comes before all
    of these for its pre-shift share.)"""
    trainer, level = entry
    return (
        trainer.preference,
        trainer.status == TrainerStatus.PROBATION,
        -(trainer.score if trainer.score is not None else -1.0),
        trainer.cost_per_hour,
        -level,
        trainer.id,
    )


@ccrules.hookimpl
def ccrules_assign_trainers(
    center: Center, sessions: Sequence[Session], trainers: Sequence[Trainer]
) -> list[TrainerAssignment]:
    pack = center.settings(Settings)
    settings = pack.trainers
    used: dict[str, float] = {t.id: 0.0 for t in trainers}
    # A pre-shift share happens at its team's shift start: a trainer gives at most one share
    # per shift start per working day, however many hours they have left.
    share_days = len(working_days(center, pack.schedule))
    shares: Counter[tuple[str, dt.time]] = Counter()
    # Who teaches what, best first (score, then cost, then level): a session takes the first
    # trainer of its competency who is qualified and free, and stops looking. Trainers with
    # no hours left are dropped from the lists as they fill up.
    teaching: dict[str, list[tuple[Trainer, float]]] = {}
    # removed trainers never reach this hook (the engine drops them); skip them anyway
    trainers = [t for t in trainers if t.status != TrainerStatus.REMOVED]
    for trainer in trainers:
        for skill in trainer.skills:
            teaching.setdefault(skill.competency_id, []).append((trainer, skill.level))
    ranked = {c: sorted(entries, key=_static_order) for c, entries in teaching.items()}
    live = {c: list(entries) for c, entries in ranked.items()}
    levels = {c: sorted(level for _, level in entries) for c, entries in teaching.items()}
    by_agent = {t.agent_id: t for t in trainers if t.agent_id is not None}
    spent: set[str] = set()
    shortest = min((s.duration_minutes for s in sessions), default=0) / 60
    result = []
    for session in sessions:
        if session.format in SELF_PACED:
            result.append(
                TrainerAssignment(
                    session.id,
                    None,
                    (
                        PLUGIN.reason(
                            "trainers.self-paced", f"A {session.format} needs no trainer."
                        ),
                    ),
                    required=False,
                )
            )
            continue
        required = required_level(center, session)
        needed = required + settings.margin
        hours = session.duration_minutes / 60
        lead = center.teams[session.team_id].lead_id if session.team_id else None
        share_at = (
            center.teams[session.team_id].shift_start or pack.schedule.day_start
            if session.format is Format.PRE_SHIFT and session.team_id
            else None
        )
        attendees = set(session.attendees)
        competency = session.competency_id
        pool_levels = levels.get(competency, [])
        qualified = len(pool_levels) - bisect.bisect_left(pool_levels, needed)
        best_level = pool_levels[-1] if pool_levels else None

        free = functools.partial(
            _free,
            needed=needed,
            attendees=attendees,
            used=used,
            hours=hours,
            share_at=share_at,
            share_days=share_days,
            shares=shares,
        )
        prefer_lead = lead if settings.team_lead_for_shares else None
        chosen: Trainer | None = None
        own = (
            by_agent.get(prefer_lead)
            if prefer_lead and session.format is Format.PRE_SHIFT
            else None
        )
        if own is not None:
            own_level = own.level(competency)
            if own_level is not None and free(own, own_level):
                chosen = own
        if chosen is None:
            entries = live.get(competency, [])
            if sum(1 for t, _ in entries[:64] if t.id in spent) > 16:
                entries = live[competency] = [e for e in entries if e[0].id not in spent]
            for trainer, level in entries:
                if trainer.id not in spent and free(trainer, level):
                    chosen = trainer
                    break
        if chosen is not None:
            left = chosen.capacity_hours - used[chosen.id]
            used[chosen.id] += hours
            if chosen.capacity_hours - used[chosen.id] < shortest - 1e-9:
                spent.add(chosen.id)
            if share_at is not None:
                shares[(chosen.id, share_at)] += 1
            own_lead = chosen.agent_id is not None and chosen.agent_id == prefer_lead
            level = chosen.level(competency) or 0.0
            probation = chosen.status == TrainerStatus.PROBATION
            text = (
                f"{chosen.name} ({chosen.kind}) "
                + ("leads this team and " if own_lead else "")
                + f"is qualified at {level:g} >= {required:g} "
                f"required + {settings.margin:g} margin, with {left:g} of "
                f"{chosen.capacity_hours:g} hours left; the first free of {qualified} "
                "qualified, by preference, standing, score, then cost"
                + (
                    "; on probation (the previous review): chosen only after the active "
                    "trainers of the same preference."
                    if probation
                    else "."
                )
            )
            reason = PLUGIN.reason(
                "trainers.qualified",
                text,
                PLUGIN.fact("trainer_level", level, center.source_of("trainer_skills")),
                PLUGIN.fact("required_level", required, center.source_of("role_profiles")),
                PLUGIN.fact("margin", settings.margin, f"{SETTINGS}.margin"),
                PLUGIN.fact("score", chosen.score, center.source_of("trainers")),
                PLUGIN.fact("status", str(chosen.status)),
                PLUGIN.fact("cost_per_hour", chosen.cost_per_hour, center.source_of("trainers")),
                PLUGIN.fact("hours_used", round(used[chosen.id], 2)),
                PLUGIN.fact("capacity_hours", chosen.capacity_hours, center.source_of("trainers")),
                PLUGIN.fact("qualified_trainers", qualified),
            )
            result.append(TrainerAssignment(session.id, chosen.id, (reason,)))
            continue
        full = [
            t
            for t, level in ranked.get(competency, [])
            if level >= needed and t.agent_id not in attendees
        ][:3]
        if qualified and not full:
            text = (
                "The only qualified trainers attend this session themselves; add a trainer "
                "or move them to another group."
            )
        elif full:
            text = (
                f"Every qualified trainer ({qualified}) is fully booked this cycle: "
                + ", ".join(
                    f"{t.name} ({used[t.id]:g}/{t.capacity_hours:g} h"
                    + (
                        f", {shares[(t.id, share_at)]} shares at {share_at:%H:%M}"
                        if share_at is not None
                        else ""
                    )
                    + ")"
                    for t in full[:3]
                )
                + ". Add trainer hours or defer the need."
            )
        elif best_level is None:
            name = center.competencies[session.competency_id].name
            text = (
                f"No trainer in the pool teaches {name}; "
                f"add one to {center.source_of('trainer_skills')}."
            )
        else:
            text = (
                f"No trainer is qualified: {needed:g} needed ({required:g} required + "
                f"{settings.margin:g} margin), best in the pool {best_level:g}."
            )
        result.append(
            TrainerAssignment(
                session.id,
                None,
                (
                    PLUGIN.reason(
                        "trainers.qualified",
                        text,
                        PLUGIN.fact("required_level", required),
                        PLUGIN.fact("margin", settings.margin, f"{SETTINGS}.margin"),
                        PLUGIN.fact("best_level_in_pool", best_level),
                        PLUGIN.fact("qualified_but_full", qualified if full else 0),
                    ),
                ),
            )
        )
    return result
