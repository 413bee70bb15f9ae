"""Trainers stage: the pool, and the best qualified trainer with hours left per session."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Generator, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import (
    Format,
    Message,
    MessageValue,
    Session,
    Trainer,
    TrainerAssignment,
    TrainerStatus,
)
from ccrules.workforce import Workforce
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.schedule import at_work, clock, named, working_days
from ccrules_packs.default.settings import Settings

SELF_PACED = (Format.MICRO_VIDEO,)
SETTINGS = "plugins.default.trainers"

#: why a self-paced format has no trainer, per format
NO_TRAINER = {kind: msg("A {format} needs no trainer.", format=kind) for kind in SELF_PACED}
# where the level a session teaches to comes from
TARGET_OF_NEEDS = msg("the target of its needs")
ROLE_LEVEL = msg("the level the attendees' roles require")
# the parts of a trainer's reason
LEADS_THIS_TEAM = msg("leads this team and ")
CONVERSATION = msg("leads the agent's team: a supervisor conversation is theirs")
ASKED_BY_COURSES = msg("asked for by the courses stage")
OWNER_TEAM = msg("the owner team")


@ccrules.hookimpl
def ccrules_trainer_pool(center: Center, evidence: Evidence) -> list[Trainer]:
    return list(center.trainers.values())


@ccrules.hookimpl(wrapper=True, specname="ccrules_trainer_pool")
def measure_staff(
    center: Center, evidence: Evidence
) -> Generator[None, list[list[Trainer] | None], list[list[Trainer] | None]]:
    """Wrap the pool, whoever put a trainer in it: a trainer who is also an agent carries
    their own QA score on each competency they teach, and teaches at the lower of the two."""
    parts = yield
    pack = center.settings(Settings)
    if not pack.trainers.measure_staff:
        return parts
    staff = sorted({t.agent_id for part in parts for t in part or () if t.agent_id is not None})
    if not staff:
        return parts
    rows = evidence.sql(
        """
        SELECT agent_id, competency_id, score FROM competency_scores
        WHERE evaluations >= $min_evaluations AND list_contains($staff, agent_id)
        ORDER BY agent_id, competency_id
        """,
        {"min_evaluations": pack.gaps.min_evaluations, "staff": staff},
    )
    scores = {(a, c): round(float(v), 4) for a, c, v in rows}
    result: list[list[Trainer] | None] = []
    for part in parts:
        if part is None:
            result.append(part)
            continue
        measured = []
        for trainer in part:
            if trainer.agent_id is not None:
                trainer = attrs.evolve(
                    trainer,
                    skills=tuple(
                        attrs.evolve(
                            skill, measured=scores.get((trainer.agent_id, skill.competency_id))
                        )
                        for skill in trainer.skills
                    ),
                )
            measured.append(trainer)
        result.append(measured)
    return result


def required_level(center: Center, session: Session) -> float:
    """The highest level any attendee's role requires on the session's competency."""
    levels = [
        center.roles[center.agents[a].role_id].required_level(session.competency_id)
        for a in session.attendees
    ]
    return max((level for level in levels if level is not None), default=0.0)


def taught_to(center: Center, session: Session) -> tuple[float, Message]:
    """The level a session teaches to, and where it comes from."""
    if session.target_level is not None:
        return session.target_level, TARGET_OF_NEEDS
    return required_level(center, session), ROLE_LEVEL


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
    learning: dict[tuple[str, str], set[str]],
    competency: str,
    after: frozenset[str],
    present: Callable[[Trainer], bool] | None = None,
) -> bool:
    """Whether a trainer can give the session: qualified, not attending it, not seated on the
    same competency elsewhere in the plan (unless that session comes first), hours left, and
    (for a pre-shift share) a free shift start left."""
    if level < needed or trainer.agent_id in attendees:
        return False
    if trainer.agent_id is not None:
        seated = learning.get((trainer.agent_id, competency))
        if seated and not seated <= after:
            return False
    if used[trainer.id] + hours > trainer.capacity_hours + 1e-9:
        return False
    if present is not None and not present(trainer):
        return False
    # with no working day at all the schedule stage says so; do not blame trainers
    return not (
        share_at is not None and share_days and shares[(trainer.id, share_at)] >= share_days
    )


def _present_at(
    check: Callable[[Trainer, dt.time, int], bool],
    start: dt.time,
    minutes: int,
    trainer: Trainer,
) -> bool:
    return check(trainer, start, minutes)


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


def _lead_of(center: Center, session: Session) -> str | None:
    """The own team lead of a session's attendees: its team's, else the lead of the one team
    all attendees belong to."""
    if session.team_id is not None:
        return center.teams[session.team_id].lead_id
    teams = {center.agents[a].team_id for a in session.attendees}
    if len(teams) == 1:
        return center.teams[teams.pop()].lead_id
    return None


def _level_text(trainer: Trainer, competency: str) -> MessageValue:
    skill = trainer.skill(competency)
    if skill is None:
        return "0"
    if skill.measured is not None and skill.measured < skill.level:
        return msg(
            "{effective:g} (their own QA; listed at {level:g})",
            effective=skill.effective,
            level=skill.level,
        )
    return f"{skill.effective:g}"


def _agent_named(center: Center, agent_id: str | None) -> MessageValue:
    """An agent as reasons name them: ``张伟 (IN007)`` (the id alone when unknown)."""
    agent = center.agents.get(agent_id or "")
    return named(agent.name, agent.id) if agent is not None else str(agent_id)


@ccrules.hookimpl
def ccrules_assign_trainers(
    center: Center, sessions: Sequence[Session], trainers: Sequence[Trainer], workforce: Workforce
) -> list[TrainerAssignment]:
    pack = center.settings(Settings)
    settings = pack.trainers
    # a share opens the team's shift: its trainer must be at work then (on some day)
    at_shift_start = at_work(center, workforce, trainers, pack.schedule)
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
            teaching.setdefault(skill.competency_id, []).append((trainer, skill.effective))
    ranked = {c: sorted(entries, key=_static_order) for c, entries in teaching.items()}
    levels = {c: sorted(level for _, level in entries) for c, entries in teaching.items()}
    by_agent = {t.agent_id: t for t in trainers if t.agent_id is not None}
    team_of = {
        t.id: center.agents[t.agent_id].team_id
        for t in trainers
        if t.agent_id is not None and t.agent_id in center.agents
    }
    # (agent, competency) -> the sessions the agent attends on it: they do not teach it
    # unless those come first
    learning: dict[tuple[str, str], set[str]] = {}
    for session in sessions:
        for agent_id in session.attendees:
            if agent_id in by_agent:
                learning.setdefault((agent_id, session.competency_id), set()).add(session.id)
    spent: set[str] = set()
    shortest = min((s.duration_minutes for s in sessions), default=0) / 60
    # The trainers a session looks through, in rank order: those at the floor's level, and
    # (for a session that waits for no other) not seated on the competency themselves.
    # Filtering first keeps the first free trainer the same and spares looking at thousands
    # who could never qualify; trainers with no hours left are dropped as they fill up.
    pools: dict[tuple[str, float, bool, float], list[tuple[Trainer, float]]] = {}
    looked: Counter[tuple[str, float, bool, float]] = Counter()

    def candidates(
        competency: str, floor: float, waits: bool, hours: float
    ) -> list[tuple[Trainer, float]]:
        def short(trainer: Trainer) -> bool:  # too few hours left for this session
            return trainer.capacity_hours - used[trainer.id] < hours - 1e-9

        key = (competency, floor, waits, hours)
        entries = pools.get(key)
        if entries is None:
            entries = pools[key] = [
                (t, level)
                for t, level in ranked.get(competency, [])
                if level >= floor
                and not short(t)
                and (waits or t.agent_id is None or (t.agent_id, competency) not in learning)
            ]
        else:
            # a trainer short of hours for this length stays short: drop them when the first
            # one is, or (looked at every 16th time) when many of the first 64 are
            looked[key] += 1
            if (entries and short(entries[0][0])) or (
                looked[key] % 16 == 0 and sum(1 for t, _ in entries[:64] if short(t)) > 16
            ):
                entries = pools[key] = [e for e in entries if not short(e[0])]
        return entries

    margin_source = f"{SETTINGS}.margin"
    result = []
    for session in sessions:
        if session.format in SELF_PACED:
            result.append(
                TrainerAssignment(
                    session.id,
                    None,
                    (PLUGIN.reason("trainers.self-paced", NO_TRAINER[session.format]),),
                    required=False,
                )
            )
            continue
        target, target_from = taught_to(center, session)
        needed = target + settings.margin
        hours = session.duration_minutes / 60
        share_at = (
            center.teams[session.team_id].shift_start or pack.schedule.day_start
            if session.format is Format.PRE_SHIFT and session.team_id
            else None
        )
        attendees = set(session.attendees)
        competency = session.competency_id
        pool_levels = levels.get(competency, [])
        qualified = len(pool_levels) - bisect.bisect_left(pool_levels, needed)
        at_level = len(pool_levels) - bisect.bisect_left(pool_levels, target)
        best_level = pool_levels[-1] if pool_levels else None

        free = functools.partial(
            _free,
            attendees=attendees,
            used=used,
            hours=hours,
            share_at=share_at,
            share_days=share_days,
            shares=shares,
            learning=learning,
            competency=competency,
            after=frozenset(session.after),
        )
        present: Callable[[Trainer], bool] | None = (
            functools.partial(_present_at, at_shift_start, share_at, session.duration_minutes)
            if share_at is not None
            else None
        )
        # who the courses stage asked for, else the team's own lead for its share
        wanted = session.trainer_from
        if wanted is None and settings.team_lead_for_shares and session.format is Format.PRE_SHIFT:
            wanted = "team-lead"
        lead = _lead_of(center, session) if wanted == "team-lead" else None
        preferred: list[Trainer] = []
        if lead is not None and lead in by_agent:
            preferred = [by_agent[lead]]
        elif wanted is not None and wanted in center.teams and wanted != "team-lead":
            preferred = [t for t, _ in ranked.get(competency, []) if team_of.get(t.id) == wanted]
        asked: MessageValue = ""
        chosen: Trainer | None = None
        tier = needed
        for candidate in preferred:
            level = candidate.level(competency)
            conversation = session.target_level is None and session.trainer_from == "team-lead"
            if level is None and conversation:
                level = 0.0
                floor = 0.0  # a lead's conversation with their own agent teaches no level
            else:
                floor = target
            if level is not None and free(candidate, level, needed=floor, present=present):
                chosen = candidate
                tier = floor
                break
        if preferred and chosen is None and session.trainer_from is not None:
            who = (
                msg("their own team lead {name}", name=preferred[0].name)
                if lead is not None
                else msg("a trainer of {team}", team=center.teams[wanted].name)
                if wanted
                else OWNER_TEAM
            )
            asked = msg(
                "; {who} was asked for but is not qualified at {target:g} or has no hours left",
                who=who,
                target=target,
            )
        elif session.trainer_from is not None and not preferred:
            asked = (
                msg(
                    "; the own team lead {lead} is not in the trainer pool",
                    lead=_agent_named(center, lead),
                )
                if session.trainer_from == "team-lead"
                else msg(
                    "; {team} has no trainer in the pool",
                    team=center.teams[wanted].name if wanted in center.teams else wanted,
                )
                if wanted
                else ""
            )
        absent: MessageValue = ""
        if chosen is None:
            floors = (needed, target) if settings.margin > 0 else (needed,)
            passes = [(f, present) for f in floors]
            if present is not None:
                # nobody qualified is at work at the shift start: the schedule says so
                passes += [(f, None) for f in floors]
            for floor, check in passes:
                for trainer, level in candidates(competency, floor, bool(session.after), hours):
                    if trainer.id not in spent and free(
                        trainer, level, needed=floor, present=check
                    ):
                        chosen = trainer
                        tier = floor
                        if share_at is not None and check is None:
                            absent = msg(
                                "; nobody qualified and free is at work at the team's shift "
                                "start ({time})",
                                time=clock(share_at),
                            )
                        break
                if chosen is not None:
                    break
        if chosen is not None:
            left = chosen.capacity_hours - used[chosen.id]
            used[chosen.id] += hours
            if chosen.capacity_hours - used[chosen.id] < shortest - 1e-9:
                spent.add(chosen.id)
            if share_at is not None:
                shares[(chosen.id, share_at)] += 1
            own_lead = chosen.agent_id is not None and chosen.agent_id == lead
            from_team = (
                wanted is not None and wanted != "team-lead" and team_of.get(chosen.id) == wanted
            )
            level = chosen.level(competency) or 0.0
            probation = chosen.status == TrainerStatus.PROBATION
            standing: Message
            if own_lead and tier == 0.0 and session.target_level is None:
                standing = CONVERSATION
            elif tier >= needed:
                standing = msg(
                    "is qualified at {level} >= {target:g} ({target_from}) + {margin:g} margin",
                    level=_level_text(chosen, competency),
                    target=target,
                    target_from=target_from,
                    margin=settings.margin,
                )
            else:
                standing = msg(
                    "is at {level}, at least the {target:g} taught ({target_from}); nobody "
                    "free is {margin:g} points above it",
                    level=_level_text(chosen, competency),
                    target=target,
                    target_from=target_from,
                    margin=settings.margin,
                )
            team_part: MessageValue = (
                LEADS_THIS_TEAM
                if own_lead
                else msg("belongs to the owner team {team} and ", team=wanted)
                if from_team
                else ""
            )
            how = (
                ASKED_BY_COURSES
                if (own_lead or from_team) and session.trainer_from is not None
                else msg(
                    "the first free of {qualified} qualified, by preference, standing, score, "
                    "then cost",
                    qualified=qualified,
                )
            )
            text = (
                msg(
                    "{trainer} ({kind}) {team_part}{standing}, with {left:g} of {capacity:g} "
                    "hours left; {how}{asked}{absent}; on probation (the previous review): "
                    "chosen only after the active trainers of the same preference.",
                    trainer=chosen.name,
                    kind=chosen.kind,
                    team_part=team_part,
                    standing=standing,
                    left=left,
                    capacity=chosen.capacity_hours,
                    how=how,
                    asked=asked,
                    absent=absent,
                )
                if probation
                else msg(
                    "{trainer} ({kind}) {team_part}{standing}, with {left:g} of {capacity:g} "
                    "hours left; {how}{asked}{absent}.",
                    trainer=chosen.name,
                    kind=chosen.kind,
                    team_part=team_part,
                    standing=standing,
                    left=left,
                    capacity=chosen.capacity_hours,
                    how=how,
                    asked=asked,
                    absent=absent,
                )
            )
            chosen_skill = chosen.skill(competency)
            reason = PLUGIN.reason(
                "trainers.qualified",
                text,
                PLUGIN.fact("trainer_level", level, center.source_of("trainer_skills")),
                PLUGIN.fact(
                    "trainer_own_qa",
                    chosen_skill.measured if chosen_skill is not None else None,
                    "competency_scores",
                ),
                PLUGIN.fact("required_level", target),
                PLUGIN.fact("margin", settings.margin, margin_source),
                PLUGIN.fact("trainer_from", session.trainer_from),
                PLUGIN.fact("score", chosen.score, center.source_of("trainers")),
                PLUGIN.fact("status", str(chosen.status)),
                PLUGIN.fact("cost_per_hour", chosen.cost_per_hour, center.source_of("trainers")),
                PLUGIN.fact("hours_used", round(used[chosen.id], 2)),
                PLUGIN.fact("capacity_hours", chosen.capacity_hours, center.source_of("trainers")),
                PLUGIN.fact("qualified_trainers", qualified),
            )
            result.append(TrainerAssignment(session.id, chosen.id, (reason,)))
            continue
        # Why nobody: the first three qualified trainers who are booked up, else the first
        # three seated on this competency themselves. One pass that stops once three booked
        # ones are found: every unplaced session asks, and a pool may hold thousands.
        able = False
        learners: list[Trainer] = []
        full: list[Trainer] = []
        after = set(session.after)
        for t, level in ranked.get(competency, []):
            if level < target or t.agent_id in attendees:
                continue
            able = True
            if t.agent_id is not None and not learning.get((t.agent_id, competency), set()) <= (
                after
            ):
                if len(learners) < 3:
                    learners.append(t)
            else:
                full.append(t)
                if len(full) == 3:
                    break
        # each sentence ends with what the courses stage asked for, if anyone
        if at_level and not able:
            text = msg(
                "The only qualified trainers attend this session themselves; add a trainer "
                "or move them to another group{asked}.",
                asked=asked,
            )
        elif able and not full:
            text = msg(
                "The only qualified trainers are seated on this competency themselves in this "
                "plan ({trainers}); add a trainer, or teach them first in a session this one "
                "waits for{asked}.",
                trainers=tuple(t.name for t in learners[:3]),
                asked=asked,
            )
        elif full:
            text = msg(
                "Every qualified trainer ({qualified}) is fully booked this cycle: {trainers}. "
                "Add trainer hours or defer the need{asked}.",
                qualified=at_level,
                trainers=tuple(
                    msg(
                        "{trainer} ({used:g}/{capacity:g} h, {shares} shares at {time})",
                        trainer=t.name,
                        used=used[t.id],
                        capacity=t.capacity_hours,
                        shares=shares[(t.id, share_at)],
                        time=clock(share_at),
                    )
                    if share_at is not None
                    else msg(
                        "{trainer} ({used:g}/{capacity:g} h)",
                        trainer=t.name,
                        used=used[t.id],
                        capacity=t.capacity_hours,
                    )
                    for t in full
                ),
                asked=asked,
            )
        elif best_level is None:
            text = msg(
                "No trainer in the pool teaches {competency}; add one to {source}{asked}.",
                competency=center.competencies[session.competency_id].name,
                source=center.source_of("trainer_skills"),
                asked=asked,
            )
        else:
            text = msg(
                "No trainer is qualified: {target:g} taught ({target_from}), best in the pool "
                "{best:g} (a trainer who is also an agent counts at their own QA){asked}.",
                target=target,
                target_from=target_from,
                best=best_level,
                asked=asked,
            )
        result.append(
            TrainerAssignment(
                session.id,
                None,
                (
                    PLUGIN.reason(
                        "trainers.qualified",
                        text,
                        PLUGIN.fact("required_level", target),
                        PLUGIN.fact("margin", settings.margin, margin_source),
                        PLUGIN.fact("best_level_in_pool", best_level),
                        PLUGIN.fact("qualified_but_full", at_level if full else 0),
                    ),
                ),
            )
        )
    return result
