"""Trainers stage: the pool, and the best qualified trainer with hours left per session."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Format, Session, Trainer, TrainerAssignment
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


def preference(
    trainer: Trainer, session: Session, lead: str | None
) -> tuple[bool, float, float, float, str]:
    """Sort key, best first: the team's own lead for its pre-shift share, then higher
    score, lower cost, higher level; the id breaks ties."""
    own_lead = (
        session.format is Format.PRE_SHIFT
        and trainer.agent_id is not None
        and trainer.agent_id == lead
    )
    return (
        not own_lead,
        -(trainer.score if trainer.score is not None else -1.0),
        trainer.cost_per_hour,
        -(trainer.level(session.competency_id) or 0.0),
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
        qualified: list[Trainer] = []
        full: list[Trainer] = []
        best_level = None
        for trainer in trainers:
            level = trainer.level(session.competency_id)
            if level is None or trainer.agent_id in session.attendees:
                continue
            best_level = level if best_level is None else max(best_level, level)
            if level < needed:
                continue
            if used[trainer.id] + hours > trainer.capacity_hours + 1e-9:
                full.append(trainer)
                continue
            # with no working day at all the schedule stage says so; do not blame trainers
            if share_at is not None and share_days and shares[(trainer.id, share_at)] >= share_days:
                full.append(trainer)
                continue
            qualified.append(trainer)
        if qualified:
            prefer_lead = lead if settings.team_lead_for_shares else None
            chosen = min(qualified, key=lambda t: preference(t, session, prefer_lead))
            left = chosen.capacity_hours - used[chosen.id]
            used[chosen.id] += hours
            if share_at is not None:
                shares[(chosen.id, share_at)] += 1
            own_lead = chosen.agent_id is not None and chosen.agent_id == prefer_lead
            text = (
                f"{chosen.name} ({chosen.kind}) "
                + ("leads this team and " if own_lead else "")
                + f"is qualified at {chosen.level(session.competency_id):g} >= {required:g} "
                f"required + {settings.margin:g} margin, with {left:g} of "
                f"{chosen.capacity_hours:g} hours left; chosen among {len(qualified)} "
                "qualified by score, then cost."
            )
            reason = PLUGIN.reason(
                "trainers.qualified",
                text,
                PLUGIN.fact(
                    "trainer_level",
                    chosen.level(session.competency_id),
                    center.source_of("trainer_skills"),
                ),
                PLUGIN.fact("required_level", required, center.source_of("role_profiles")),
                PLUGIN.fact("margin", settings.margin, f"{SETTINGS}.margin"),
                PLUGIN.fact("score", chosen.score, center.source_of("trainers")),
                PLUGIN.fact("cost_per_hour", chosen.cost_per_hour, center.source_of("trainers")),
                PLUGIN.fact("hours_used", round(used[chosen.id], 2)),
                PLUGIN.fact("capacity_hours", chosen.capacity_hours, center.source_of("trainers")),
                PLUGIN.fact("qualified_trainers", len(qualified)),
            )
            result.append(TrainerAssignment(session.id, chosen.id, (reason,)))
            continue
        if full:
            text = (
                "Every qualified trainer is fully booked this cycle: "
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
                        PLUGIN.fact("qualified_but_full", len(full)),
                    ),
                ),
            )
        )
    return result
