"""Evaluation stage: what works goes into the new-hire courseware (seed 001). Rule
``feedback.new-hire-courseware``.

A course proves its effect in a cycle when the evaluation's measured effect on it (the course
figure ``courseware.metric``, ``behaviour`` by default) is ``improved``: positive, with its
whole 95% interval above 0. Each review carries, per course, the cycles it proved its effect
in (the course figure ``proven_cycles``), read from the previous review as escalations are: a
cycle where the course was measured without a clear effect starts the count again; one where
it was not taught, or the data could not say, keeps it. The review lists the courses with
``courseware.cycles`` or more for the new-hire courseware, unless the floor finds the method
unusable (rule ``feedback.method-usability``).

The effect is measured by another pack's evaluation, so the count wraps the evaluation hook
and reads the figures it returned.
"""

from __future__ import annotations

from collections.abc import Generator

import ccrules
from ccrules import Center
from ccrules.i18n import N_, msg
from ccrules.model import (
    Evaluation,
    FactValue,
    Message,
    MessageValue,
    Reason,
    Report,
    Review,
    Verdict,
)
from ccrules_packs.feedback._meta import PLUGIN
from ccrules_packs.feedback.settings import CoursewareSettings, Settings
from ccrules_packs.feedback.usability import METRIC as USABILITY
from ccrules_packs.feedback.usability import RULE as USABILITY_RULE

RULE = "feedback.new-hire-courseware"
METRIC = "proven_cycles"
ROOT = "plugins.feedback.courseware"
IMPROVED = Verdict.IMPROVED.value
NOT_ENOUGH = Verdict.NOT_ENOUGH_DATA.value


def _interval(figure: Evaluation) -> Message:
    return msg(
        "{effect:+.4g} (95% interval {low:+.4g} to {high:+.4g})",
        effect=figure.value,
        low=figure.low,
        high=figure.high,
    )


#: a course's count this cycle when it was not taught, and when the data could not say
NOT_TAUGHT = N_("{course} ({course_id}): {metric} not taught this cycle; keeps {had}")
NOT_MEASURED = N_("{course} ({course_id}): {metric} not enough data this cycle; keeps {had}")
VERDICTS = frozenset(v.value for v in Verdict)
BEHAVIOUR = msg("behaviour")


def _metric(metric: str) -> MessageValue:
    """The measured effect's name: ``behaviour`` as a term, a ``results:<metric>`` as it is."""
    return BEHAVIOUR if metric == "behaviour" else metric


def _verdict(verdict: str) -> MessageValue:
    """A verdict as a term (translated from ccrules' catalogue) when it is one of
    :class:`~ccrules.model.Verdict`'s."""
    return Message(verdict) if verdict in VERDICTS else verdict


def proven_cycles(
    center: Center,
    settings: CoursewareSettings,
    figures: list[Evaluation],
    previous: Review | None,
) -> list[Evaluation]:
    """Per course measured this cycle or counted before, the cycles it proved its effect."""
    measured = {
        e.subject_id: e for e in figures if e.subject == "course" and e.metric == settings.metric
    }
    before = {
        e.subject_id: e
        for e in (previous.evaluations if previous is not None else ())
        if e.subject == "course" and e.metric == METRIC
    }
    since = previous.cycle.id if previous is not None else None
    metric = _metric(settings.metric)
    found = []
    for course_id in sorted(set(measured) | set(before)):
        earlier = before.get(course_id)
        runs = int(earlier.value or 0) if earlier is not None else 0
        figure = measured.get(course_id)
        unknown = figure is None or figure.verdict in ("", NOT_ENOUGH) or figure.value is None
        if unknown and runs == 0:
            continue  # nothing proven before, nothing measured now: nothing to say or carry
        title = center.courses[course_id].title if course_id in center.courses else course_id
        had = (
            msg("{runs} cycle(s) proven before (to {since})", runs=runs, since=since)
            if since
            else msg("{runs} cycle(s) proven before", runs=runs)
        )
        state: Message
        if unknown or figure is None:
            state = msg(
                NOT_TAUGHT if figure is None else NOT_MEASURED,
                course=title,
                course_id=course_id,
                metric=metric,
                had=had,
            )
        elif figure.verdict == IMPROVED:
            runs += 1
            state = msg(
                "{course} ({course_id}): {metric} proven this cycle, an effect of {effect}; "
                "{runs} cycle(s) proven",
                course=title,
                course_id=course_id,
                metric=metric,
                effect=_interval(figure),
                runs=runs,
            )
        else:
            state = msg(
                "{course} ({course_id}): {metric} {verdict} this cycle, an effect of {effect}; "
                "the count starts again (was {runs})",
                course=title,
                course_id=course_id,
                metric=metric,
                verdict=_verdict(figure.verdict),
                effect=_interval(figure),
                runs=runs,
            )
            runs = 0
        listed = runs >= settings.cycles
        text = (
            msg(
                "{state}, {cycles} needed: listed for the new-hire courseware.",
                state=state,
                cycles=settings.cycles,
            )
            if listed
            else msg(
                "{state}, {cycles} needed for the new-hire courseware.",
                state=state,
                cycles=settings.cycles,
            )
        )
        level = figure.level if figure is not None else earlier.level if earlier else 3
        reason = PLUGIN.reason(
            RULE,
            text,
            PLUGIN.fact("metric", settings.metric, f"{ROOT}.metric"),
            PLUGIN.fact("verdict", figure.verdict if figure is not None else None),
            PLUGIN.fact("effect", figure.value if figure is not None else None),
            PLUGIN.fact("low", figure.low if figure is not None else None),
            PLUGIN.fact("high", figure.high if figure is not None else None),
            PLUGIN.fact("proven_before", int(earlier.value or 0) if earlier else 0, since),
            PLUGIN.fact("cycles", settings.cycles, f"{ROOT}.cycles"),
            PLUGIN.fact("listed", listed),
        )
        found.append(
            Evaluation(
                "course",
                course_id,
                level,
                METRIC,
                float(runs),
                figure.n if figure is not None else 0,
                (reason,),
            )
        )
    return found


@ccrules.hookimpl(wrapper=True, specname="ccrules_evaluate")
def count_proven_courses(
    center: Center, previous: Review | None
) -> Generator[None, list[list[Evaluation]], list[list[Evaluation]]]:
    """Wrap the evaluation: count, per course, the cycles its measured effect was proven."""
    result = yield
    settings = center.settings(Settings).courseware
    if not settings.enabled:
        return result
    figures = [e for part in result for e in part or ()]
    return [*result, proven_cycles(center, settings, figures, previous)]


# --------------------------------------------------------------------------------------------
# the review's list for the new-hire courseware


#: a course's status in the report
LISTED = N_("listed")
HELD_BACK = N_("held back: the floor finds the method unusable")


def _fact(reason: Reason, name: str) -> FactValue:
    return next((f.value for f in reason.facts if f.name == name), None)


def courseware_report(center: Center, review: Review) -> Report | None:
    settings = center.settings(Settings).courseware
    if not settings.enabled:
        return None
    counted = [
        e
        for e in review.evaluations
        if e.subject == "course"
        and e.metric == METRIC
        and (e.value or 0) >= settings.cycles
        and e.subject_id in center.courses
    ]
    if not counted:
        return None
    unusable: dict[str, Evaluation] = {
        e.subject_id: e
        for e in review.evaluations
        if e.subject == "course"
        and e.metric == USABILITY
        and any(r.rule == USABILITY_RULE and _fact(r, "unusable") is True for r in e.reasons)
    }
    usability = {
        e.subject_id: e.value
        for e in review.evaluations
        if e.subject == "course" and e.metric == USABILITY
    }
    effects = {
        e.subject_id: e
        for e in review.evaluations
        if e.subject == "course" and e.metric == settings.metric
    }
    counted.sort(key=lambda e: (-(e.value or 0), e.subject_id))
    rows: list[tuple[FactValue, ...]] = []
    reasons: list[Reason] = []
    for e in counted:
        course = center.courses[e.subject_id]
        effect = effects.get(course.id)
        held = course.id in unusable
        rows.append(
            (
                course.id,
                course.title,
                center.competencies[course.competency_id].name,
                str(course.format),
                int(e.value or 0),
                effect.value if effect is not None else None,
                effect.low if effect is not None else None,
                effect.high if effect is not None else None,
                usability.get(course.id),
                HELD_BACK if held else LISTED,
            )
        )
        reasons += e.reasons
        if held:
            reasons += unusable[course.id].reasons
    listed = sum(1 for row in rows if row[-1] == LISTED)
    return Report(
        id="feedback.new-hire-courseware",
        title=msg("For the new-hire courseware: courses that proved their effect"),
        summary=msg(
            "{listed} course(s) proved their {metric} effect (the whole 95% interval above 0) in "
            "{cycles} or more cycles and go into the new-hire courseware; {held} held back "
            "because the floor finds the method unusable.",
            listed=listed,
            metric=_metric(settings.metric),
            cycles=settings.cycles,
            held=len(rows) - listed,
        ),
        columns=(
            N_("course_id"),
            N_("course"),
            N_("competency"),
            N_("format"),
            N_("cycles_proven"),
            N_("effect"),
            N_("low"),
            N_("high"),
            N_("usability"),
            N_("status"),
        ),
        rows=tuple(rows),
        reasons=tuple(reasons),
    )
