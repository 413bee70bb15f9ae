"""Evaluation stage: trainer scorecards, probation and removal (seed 000: rank the pool, drop
the weakest).

A trainer's 0-5 score combines satisfaction, pass rate and trainee improvement against the
comparison group. The bottom group, cycles in a row, puts a trainer on probation and then
out of the pool; the next cycle's trainer stage applies the standing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import N_, msg
from ccrules.model import (
    Evaluation,
    Fact,
    Message,
    Plan,
    Review,
    TrainerReview,
    TrainerStatus,
)
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import ScorecardSettings, Settings

SETTINGS = "plugins.default.scorecards"
RULE = "scorecards.rank"

#: a scored trainer's sentence, and the one the operator's reinstatement opens
SCORED = N_("Score {score:g} of 5 from {figures}; {place}; {standing}.")
REINSTATED = N_("Reinstated by the operator (scorecards.reinstate). {reason}")
#: the bottom group's consequence, per standing
CONSEQUENCE = {
    TrainerStatus.REMOVED: msg("removed from the pool"),
    TrainerStatus.PROBATION: msg("on probation"),
    TrainerStatus.ACTIVE: msg("still active"),
}
BACK_TO_ACTIVE = msg("out of the bottom group: back to active from probation")
NOT_IN_BOTTOM = msg("not in the bottom group: active")
NO_FIGURES = msg("no satisfaction, pass rate or improvement figure")
BACK_IN_POOL = msg("Reinstated by the operator (scorecards.reinstate): back in the pool, active.")
NO_SCORE = msg("none")


def _place(number: int) -> Message:
    """A rank as English writes it (1st, 2nd, 3rd, 4th ... 11th, 21st); its own message ids
    (``{rank}th``), since a place in a ranking is not a count of times (escalation's
    ``{number}th``) in Chinese (第 9 名, 第 9 次)."""
    if 10 <= number % 100 <= 20:
        return msg("{rank}th", rank=number)
    last = number % 10
    if last == 1:
        return msg("{rank}st", rank=number)
    if last == 2:
        return msg("{rank}nd", rank=number)
    if last == 3:
        return msg("{rank}rd", rank=number)
    return msg("{rank}th", rank=number)


def _kept(message: Message, alone: tuple[str, ...]) -> Message | None:
    """A scored trainer's sentence with the standing saying they are kept on probation as
    the last trainer qualified for ``alone``; ``None`` when it is not such a sentence."""
    params = message.params
    if message.id == REINSTATED and isinstance(params["reason"], Message):
        inner = _kept(params["reason"], alone)
        return None if inner is None else msg(REINSTATED, reason=inner)
    if message.id != SCORED:
        return None
    params["standing"] = msg(
        "{standing}; kept on probation, not removed: the last trainer qualified for "
        "{competencies}. Add a trainer for it, then they leave the pool",
        standing=params["standing"],
        competencies=alone,
    )
    return msg(SCORED, **params)


def _trainees(
    trainer_id: str, attendance: Mapping[tuple[str, str], Evaluation], sessions: Sequence[str]
) -> int:
    """Trainees who attended: the trainer's attendance figure (share x invited), or the sum
    over their sessions' attendance figures. ``attendance``: (subject, id) -> figure."""
    found = attendance.get(("trainer", trainer_id))
    if found is not None:
        return round((found.value or 0.0) * found.n)
    return sum(
        round((e.value or 0.0) * e.n)
        for e in (attendance.get(("session", s)) for s in sessions)
        if e is not None
    )


def score_of(
    satisfaction: float | None,
    pass_rate: float | None,
    improvement: float | None,
    settings: ScorecardSettings,
) -> float | None:
    """5 x the weighted mean of the parts measured: (satisfaction - 1) / 4, the pass rate, and
    the improvement as a share of ``gain_scale`` (clamped to 0..1)."""
    weights = settings.weights
    parts: list[tuple[float, float]] = []
    if satisfaction is not None:
        parts.append((weights.satisfaction, (satisfaction - 1) / 4))
    if pass_rate is not None:
        parts.append((weights.pass_rate, pass_rate))
    if improvement is not None and settings.gain_scale > 0:
        parts.append((weights.improvement, min(1.0, max(0.0, improvement / settings.gain_scale))))
    total = sum(w for w, _ in parts)
    if total <= 0:
        return None
    return round(5 * sum(w * p for w, p in parts) / total, 2)


def _status(runs: int, settings: ScorecardSettings) -> TrainerStatus:
    if runs >= settings.remove_after:
        return TrainerStatus.REMOVED
    if runs >= settings.probation_after:
        return TrainerStatus.PROBATION
    return TrainerStatus.ACTIVE


def _setting_facts(settings: ScorecardSettings) -> tuple[Fact, ...]:
    return (
        PLUGIN.fact("probation_after", settings.probation_after, f"{SETTINGS}.probation_after"),
        PLUGIN.fact("remove_after", settings.remove_after, f"{SETTINGS}.remove_after"),
    )


def _keep_the_last(
    center: Center,
    plan: Plan,
    reviews: list[TrainerReview],
    earlier: Mapping[str, TrainerReview],
) -> list[TrainerReview]:
    """A trainer removed this cycle who is the last one qualified for a competency they
    taught stays on probation instead, and the reason asks the operator for a new trainer:
    removing them would leave the competency with nobody."""
    removed = {
        r.trainer_id
        for r in reviews
        if r.status == TrainerStatus.REMOVED
        and (r.trainer_id not in earlier or earlier[r.trainer_id].status != TrainerStatus.REMOVED)
    }
    if not removed:
        return reviews
    gone = {r.trainer_id for r in reviews if r.status == TrainerStatus.REMOVED} | {
        t for t, r in earlier.items() if r.status == TrainerStatus.REMOVED
    }
    pool = {**center.trainers, **{t.id: t for t in plan.trainers}}
    taught: dict[str, set[str]] = defaultdict(set)
    for session in plan.sessions:
        if session.trainer_id is not None:
            taught[session.trainer_id].add(session.competency_id)
    highest: dict[str, float] = {}
    for role in center.roles.values():
        for requirement in role.requirements:
            highest[requirement.competency_id] = max(
                highest.get(requirement.competency_id, 0.0), requirement.level
            )
    kept = []
    for review in reviews:
        if review.trainer_id not in removed:
            kept.append(review)
            continue
        alone = []
        for competency in sorted(taught[review.trainer_id]):
            needed = highest.get(competency, 0.0)
            others = [
                t
                for t in pool.values()
                if t.id not in gone
                and t.id != review.trainer_id
                and (level := t.level(competency)) is not None
                and level >= needed
            ]
            if not others:
                alone.append(f"{center.competencies[competency].name} ({competency})")
        if not alone:
            kept.append(review)
            continue
        (first, *rest) = review.reasons
        fact = PLUGIN.fact("last_qualified_for", ", ".join(alone))
        sentence = _kept(first.message, tuple(alone)) if type(first.message) is Message else None
        reasons = (
            (attrs.evolve(first, message=sentence, facts=(*first.facts, fact)), *rest)
            if sentence is not None
            else (
                first,
                *rest,
                PLUGIN.reason(
                    RULE,
                    msg(
                        "Kept on probation, not removed: the last trainer qualified for "
                        "{competencies}. Add a trainer for it, then they leave the pool.",
                        competencies=tuple(alone),
                    ),
                    fact,
                ),
            )
        )
        kept.append(attrs.evolve(review, status=TrainerStatus.PROBATION, reasons=reasons))
    return kept


@ccrules.hookimpl
def ccrules_review_trainers(
    center: Center,
    plan: Plan,
    evaluations: Sequence[Evaluation],
    previous: Review | None,
) -> list[TrainerReview]:
    settings = center.settings(Settings).scorecards
    if not settings.enabled:
        return []
    earlier = {t.trainer_id: t for t in (previous.trainers if previous is not None else ())}
    reinstate = set(settings.reinstate)
    sessions: dict[str, list[str]] = defaultdict(list)
    for session in plan.sessions:
        if session.trainer_id is not None:
            sessions[session.trainer_id].append(session.id)
    figures: dict[tuple[str, str], Evaluation] = {
        (e.subject_id, e.metric): e for e in evaluations if e.subject == "trainer"
    }

    attendance = {(e.subject, e.subject_id): e for e in evaluations if e.metric == "attendance"}

    def value(trainer_id: str, metric: str) -> float | None:
        found = figures.get((trainer_id, metric))
        return found.value if found is not None else None

    cards: dict[str, tuple[int, float | None, float | None, float | None, float | None]] = {}
    for trainer_id in sorted(sessions):
        trainees = _trainees(trainer_id, attendance, sessions[trainer_id])
        satisfaction = value(trainer_id, "satisfaction")
        pass_rate = value(trainer_id, "pass_rate")
        improvement = value(trainer_id, "behaviour")
        score = (
            score_of(satisfaction, pass_rate, improvement, settings)
            if trainees >= settings.min_trainees
            else None
        )
        cards[trainer_id] = (trainees, satisfaction, pass_rate, improvement, score)

    scored = sorted(
        ((card[4], t) for t, card in cards.items() if card[4] is not None),
        key=lambda p: (-p[0], p[1]),
    )
    rank = {t: number for number, (_, t) in enumerate(scored, start=1)}
    bottom: set[str] = set()
    cut = 0
    if len(scored) >= settings.min_ranked:
        cut = max(1, math.floor(settings.bottom_share * len(scored)))
        bottom |= {t for _, t in scored[-cut:]}  # ties: the later id ranks lower
    bottom |= {t for s, t in scored if s < settings.floor_score}

    result: list[TrainerReview] = []
    for trainer_id in sorted(cards):
        trainees, satisfaction, pass_rate, improvement, score = cards[trainer_id]
        before = earlier.get(trainer_id)
        measured: list[Message] = []
        if satisfaction is not None:
            measured.append(
                msg("satisfaction {satisfaction:g}", satisfaction=round(satisfaction, 2))
            )
        if pass_rate is not None:
            measured.append(msg("pass rate {pass_rate:.0%}", pass_rate=pass_rate))
        if improvement is not None:
            measured.append(
                msg(
                    "improvement {improvement:+g} QA points against the comparison group",
                    improvement=round(improvement, 2),
                )
            )
        facts = (
            PLUGIN.fact("trainees", trainees),
            PLUGIN.fact("sessions", len(sessions[trainer_id])),
            PLUGIN.fact("satisfaction", satisfaction),
            PLUGIN.fact("pass_rate", pass_rate),
            PLUGIN.fact("improvement", improvement),
            PLUGIN.fact("score", score),
            PLUGIN.fact("min_trainees", settings.min_trainees, f"{SETTINGS}.min_trainees"),
            PLUGIN.fact("gain_scale", settings.gain_scale, f"{SETTINGS}.gain_scale"),
            *_setting_facts(settings),
        )
        if before is not None and before.status == TrainerStatus.REMOVED:
            if trainer_id not in reinstate:
                result.append(
                    TrainerReview(
                        trainer_id,
                        TrainerStatus.REMOVED,
                        score if score is not None else before.score,
                        len(sessions[trainer_id]),
                        trainees,
                        pass_rate,
                        satisfaction,
                        improvement,
                        before.bottom_runs,
                        (
                            PLUGIN.reason(
                                RULE,
                                msg(
                                    "Removed from the pool in {cycle} and not in reinstate: "
                                    "stays removed.",
                                    cycle=previous.cycle.id if previous else "?",
                                ),
                                *facts,
                            ),
                        ),
                    )
                )
                continue
            before = None  # reinstated: a fresh start
        if score is None:
            runs = before.bottom_runs if before is not None else 0
            status = before.status if before is not None else TrainerStatus.ACTIVE
            why = (
                msg(
                    "{trainees} trainees, {needed} needed",
                    trainees=trainees,
                    needed=settings.min_trainees,
                )
                if trainees < settings.min_trainees
                else NO_FIGURES
            )
            text = (
                msg(
                    "Not enough data to score: {why}; standing unchanged ({status}, {runs} "
                    "cycle(s) in the bottom group).",
                    why=why,
                    status=status,
                    runs=runs,
                )
                if runs
                else msg(
                    "Not enough data to score: {why}; standing unchanged ({status}).",
                    why=why,
                    status=status,
                )
            )
            if trainer_id in reinstate and trainer_id in earlier:
                text = msg(REINSTATED, reason=text)
            result.append(
                TrainerReview(
                    trainer_id,
                    status,
                    None,
                    len(sessions[trainer_id]),
                    trainees,
                    pass_rate,
                    satisfaction,
                    improvement,
                    runs,
                    (PLUGIN.reason(RULE, text, *facts),),
                )
            )
            continue
        in_bottom = trainer_id in bottom
        runs = (before.bottom_runs if before is not None else 0) + 1 if in_bottom else 0
        status = _status(runs, settings)
        place = msg("{place} of {ranked}", place=_place(rank[trainer_id]), ranked=len(scored))
        standing: Message
        if in_bottom:
            grounds = []
            if cut and rank[trainer_id] > len(scored) - cut:
                grounds.append(msg("bottom {cut} of {ranked}", cut=cut, ranked=len(scored)))
            if score < settings.floor_score:
                grounds.append(msg("below the floor {floor:g}", floor=settings.floor_score))
            standing = msg(
                "bottom group ({grounds}) {runs} cycle(s) running: {consequence}",
                grounds=tuple(grounds),
                runs=runs,
                consequence=CONSEQUENCE[status],
            )
        elif before is not None and before.status == TrainerStatus.PROBATION:
            standing = BACK_TO_ACTIVE
        else:
            standing = NOT_IN_BOTTOM
        text = msg(
            SCORED,
            score=round(score, 2),
            figures=tuple(measured),
            place=place,
            standing=standing,
        )
        if trainer_id in reinstate and trainer_id in earlier:
            text = msg(REINSTATED, reason=text)
        result.append(
            TrainerReview(
                trainer_id,
                status,
                score,
                len(sessions[trainer_id]),
                trainees,
                pass_rate,
                satisfaction,
                improvement,
                runs,
                (
                    PLUGIN.reason(
                        RULE,
                        text,
                        *facts,
                        PLUGIN.fact("rank", rank[trainer_id]),
                        PLUGIN.fact("ranked", len(scored)),
                        PLUGIN.fact("bottom_runs", runs),
                        PLUGIN.fact("min_ranked", settings.min_ranked, f"{SETTINGS}.min_ranked"),
                        PLUGIN.fact(
                            "bottom_share", settings.bottom_share, f"{SETTINGS}.bottom_share"
                        ),
                        PLUGIN.fact("floor_score", settings.floor_score, f"{SETTINGS}.floor_score"),
                    ),
                ),
            )
        )

    result = _keep_the_last(center, plan, result, earlier)

    # trainers who did not teach this cycle keep their standing
    for trainer_id in sorted(earlier):
        if trainer_id in cards:
            continue
        before = earlier[trainer_id]
        status, runs = before.status, before.bottom_runs
        if before.status == TrainerStatus.REMOVED and trainer_id in reinstate:
            status, runs = TrainerStatus.ACTIVE, 0
            text = BACK_IN_POOL
        else:
            text = msg(
                "Gave no session this cycle: keeps the standing of {cycle} ({status}, score "
                "{score}, {runs} cycle(s) in the bottom group).",
                cycle=previous.cycle.id if previous else "?",
                status=status,
                score=NO_SCORE if before.score is None else format(before.score, "g"),
                runs=runs,
            )
        result.append(
            TrainerReview(
                trainer_id,
                status,
                before.score,
                0,
                0,
                bottom_runs=runs,
                reasons=(
                    PLUGIN.reason(
                        RULE,
                        text,
                        PLUGIN.fact("previous_status", str(before.status)),
                        PLUGIN.fact("bottom_runs", runs),
                        PLUGIN.fact("reinstate", trainer_id in reinstate, f"{SETTINGS}.reinstate"),
                    ),
                ),
            )
        )
    return result
