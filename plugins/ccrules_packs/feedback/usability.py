"""Evaluation stage: the internal customer's view of a course (seed 001: the agents must find
the method usable; go and ask them). Rule ``feedback.method-usability``.

From data/method_feedback.csv, every course rated gets a ``usability`` figure (level 1, the
mean 1-5 rating and its responses), and every trainer of the plan the same over the answers
of the agents who attended their sessions of the course. A course rated below the limit by
enough agents is flagged; the review lists it, and the trainer scorecards say what the
agents they taught think of the methods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import (
    Evaluation,
    FactValue,
    Message,
    Outcome,
    Plan,
    Reason,
    Report,
    Review,
    TrainerReview,
    Verdict,
)
from ccrules_packs.feedback._meta import PLUGIN
from ccrules_packs.feedback.settings import Settings, UsabilitySettings

RULE = "feedback.method-usability"
METRIC = "usability"
ROOT = "plugins.feedback.usability"
NOT_ENOUGH = Verdict.NOT_ENOUGH_DATA.value
#: different comments shown per course: those of its lowest ratings first
COMMENTS = 3

Answer = tuple[str, str, int, str | None]  # agent, course, usable, comment


def _answers(evidence: Evidence) -> list[Answer]:
    rows = evidence.sql(
        """
        SELECT agent_id, course_id, usable, comment FROM method_feedback
        ORDER BY course_id, usable, agent_id, comment NULLS LAST
        """
    )
    return [(a, c, int(u), t) for a, c, u, t in rows]


def _figure(
    subject: str,
    subject_id: str,
    ratings: Sequence[int],
    what: Message,
    settings: UsabilitySettings,
    source: str,
    *facts: tuple[str, FactValue],
) -> Evaluation:
    """The mean usability of ``ratings``, or "not enough data" below ``min_responses``."""
    n = len(ratings)
    base = (
        PLUGIN.fact("responses", n, source),
        PLUGIN.fact("min_responses", settings.min_responses, f"{ROOT}.min_responses"),
        PLUGIN.fact("below", settings.below, f"{ROOT}.below"),
        *(PLUGIN.fact(name, value) for name, value in facts),
    )
    if n < settings.min_responses:
        reason = PLUGIN.reason(
            RULE,
            msg(
                "Not enough data on how usable agents find {what}: {answers} answer(s), "
                "{min_responses} needed.",
                what=what,
                answers=n,
                min_responses=settings.min_responses,
            ),
            *base,
            PLUGIN.fact("unusable", False),
        )
        return Evaluation(subject, subject_id, 1, METRIC, None, n, (reason,), verdict=NOT_ENOUGH)
    mean = round(sum(ratings) / n, 4)
    unusable = mean < settings.below - 1e-9
    verdict = (
        msg(
            "below {below:g}: the floor finds it unusable; rework the method with the agents "
            "who use it",
            below=settings.below,
        )
        if unusable
        else msg("not below {below:g}: usable", below=settings.below)
    )
    reason = PLUGIN.reason(
        RULE,
        msg(
            "Agents rate {what} {mean:.2f} of 5 for usability on average from {answers} "
            "answer(s), {verdict}.",
            what=what,
            mean=mean,
            answers=n,
            verdict=verdict,
        ),
        *base,
        PLUGIN.fact("usability", mean, source),
        PLUGIN.fact("unusable", unusable),
    )
    return Evaluation(subject, subject_id, 1, METRIC, mean, n, (reason,))


def usability_figures(
    center: Center, evidence: Evidence, plan: Plan, outcomes: Sequence[Outcome]
) -> list[Evaluation]:
    settings = center.settings(Settings).usability
    if not settings.enabled or not evidence.has("method_feedback"):
        return []
    source = center.source_of("method_feedback")
    answers = _answers(evidence)
    by_course: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_course[answer[1]].append(answer)
    found = []
    for course_id in sorted(by_course):
        rated = by_course[course_id]
        course = center.courses[course_id]
        comments = list(dict.fromkeys(c for _, _, _, c in rated if c))[:COMMENTS]
        found.append(
            _figure(
                "course",
                course_id,
                [u for _, _, u, _ in rated],
                msg(
                    "the method of {course} ({course_id})", course=course.title, course_id=course_id
                ),
                settings,
                source,
                ("course_id", course_id),
                ("comments", " | ".join(comments)),
            )
        )
    # a trainer: the answers of the agents who came to their sessions of the course
    came = {(o.session_id, o.agent_id) for o in outcomes if o.attended}
    taught: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for session in plan.sessions:
        if session.trainer_id is None:
            continue
        for agent_id in session.attendees:
            if (session.id, agent_id) in came:
                taught[session.trainer_id].add((agent_id, session.course_id))
    names = {trainer.id: trainer.name for trainer in center.trainers.values()}
    names.update((trainer.id, trainer.name) for trainer in plan.trainers)
    for trainer_id in sorted(taught):
        rated = [a for a in answers if (a[0], a[1]) in taught[trainer_id]]
        if not rated:
            continue
        courses = sorted({c for _, c, _, _ in rated})
        name = names.get(trainer_id)
        found.append(
            _figure(
                "trainer",
                trainer_id,
                [u for _, _, u, _ in rated],
                msg(
                    "the methods trainer {trainer} ({trainer_id}) taught them ({course_ids})",
                    trainer=name,
                    trainer_id=trainer_id,
                    course_ids=tuple(courses),
                )
                if name and name != trainer_id
                else msg(
                    "the methods trainer {trainer_id} taught them ({course_ids})",
                    trainer_id=trainer_id,
                    course_ids=tuple(courses),
                ),
                settings,
                source,
                ("course_ids", ", ".join(courses)),
            )
        )
    return found


@ccrules.hookimpl
def ccrules_evaluate(
    center: Center, evidence: Evidence, plan: Plan, outcomes: Sequence[Outcome]
) -> list[Evaluation]:
    return usability_figures(center, evidence, plan, outcomes)


@ccrules.hookimpl(wrapper=True, specname="ccrules_review_trainers")
def usability_on_scorecards(
    evaluations: Sequence[Evaluation],
) -> Generator[None, list[list[TrainerReview]], list[list[TrainerReview]]]:
    """Wrap the trainer scorecards: a trainer whose trainees rated the methods carries what
    they said (mean usability and answers) on their scorecard."""
    result = yield
    figures = {
        e.subject_id: e for e in evaluations if e.subject == "trainer" and e.metric == METRIC
    }
    return [
        [
            attrs.evolve(card, reasons=(*card.reasons, *figures[card.trainer_id].reasons))
            if card.trainer_id in figures
            else card
            for card in part or ()
        ]
        for part in result
    ]


# --------------------------------------------------------------------------------------------
# the review's list of methods the floor finds unusable


def _fact(reason: Reason, name: str) -> FactValue:
    return next((f.value for f in reason.facts if f.name == name), None)


def unusable_report(center: Center, review: Review) -> Report | None:
    flagged = [
        e
        for e in review.evaluations
        if e.subject == "course"
        and e.metric == METRIC
        and any(r.rule == RULE and _fact(r, "unusable") is True for r in e.reasons)
    ]
    if not flagged:
        return None
    settings = center.settings(Settings).usability
    # the worst first: what to rework first
    flagged.sort(key=lambda e: (e.value if e.value is not None else 0.0, -e.n, e.subject_id))
    trainers: dict[str, set[str]] = defaultdict(set)
    for e in review.evaluations:
        if e.subject == "trainer" and e.metric == METRIC:
            for reason in e.reasons:
                for course_id in str(_fact(reason, "course_ids") or "").split(", "):
                    trainers[course_id].add(e.subject_id)
    rows: list[tuple[FactValue, ...]] = []
    for e in flagged:
        course = center.courses[e.subject_id]
        rows.append(
            (
                course.id,
                course.title,
                center.competencies[course.competency_id].name,
                str(course.format),
                e.value,
                e.n,
                ", ".join(sorted(trainers.get(course.id, ()))),
                _fact(e.reasons[0], "comments"),
            )
        )
    return Report(
        id="feedback.method-usability",
        title=msg("Methods the floor finds unusable"),
        summary=msg(
            "{courses} course(s) rated below {below:g} of 5 for usability by {min_responses} or "
            "more agents: rework the method with the agents before teaching it again.",
            courses=len(flagged),
            below=settings.below,
            min_responses=settings.min_responses,
        ),
        columns=(
            N_("course_id"),
            N_("course"),
            N_("competency"),
            N_("format"),
            N_("usability"),
            N_("responses"),
            N_("trainers"),
            N_("comments"),
        ),
        rows=tuple(rows),
        reasons=tuple(r for e in flagged for r in e.reasons),
    )
