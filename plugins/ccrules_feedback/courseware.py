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
from ccrules.model import Evaluation, FactValue, Reason, Report, Review, Verdict
from ccrules_feedback._meta import PLUGIN
from ccrules_feedback.settings import CoursewareSettings, Settings
from ccrules_feedback.usability import METRIC as USABILITY
from ccrules_feedback.usability import RULE as USABILITY_RULE

RULE = "feedback.new-hire-courseware"
METRIC = "proven_cycles"
ROOT = "plugins.feedback.courseware"
IMPROVED = Verdict.IMPROVED.value
NOT_ENOUGH = Verdict.NOT_ENOUGH_DATA.value


def _interval(figure: Evaluation) -> str:
    return f"{figure.value:+.4g} (95% interval {figure.low:+.4g} to {figure.high:+.4g})"


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
    found = []
    for course_id in sorted(set(measured) | set(before)):
        earlier = before.get(course_id)
        runs = int(earlier.value or 0) if earlier is not None else 0
        figure = measured.get(course_id)
        unknown = figure is None or figure.verdict in ("", NOT_ENOUGH) or figure.value is None
        if unknown and runs == 0:
            continue  # nothing proven before, nothing measured now: nothing to say or carry
        title = center.courses[course_id].title if course_id in center.courses else course_id
        what = f"{title} ({course_id})"
        had = f"{runs} cycle(s) proven before" + (f" (to {since})" if since else "")
        if unknown or figure is None:
            state = "not taught" if figure is None else "not enough data"
            text = f"{what}: {settings.metric} {state} this cycle; keeps {had}"
        elif figure.verdict == IMPROVED:
            runs += 1
            text = (
                f"{what}: {settings.metric} proven this cycle, an effect of "
                f"{_interval(figure)}; {runs} cycle(s) proven"
            )
        else:
            text = (
                f"{what}: {settings.metric} {figure.verdict} this cycle, an effect of "
                f"{_interval(figure)}; the count starts again (was {runs})"
            )
            runs = 0
        listed = runs >= settings.cycles
        text += (
            f", {settings.cycles} needed: listed for the new-hire courseware."
            if listed
            else f", {settings.cycles} needed for the new-hire courseware."
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
                "held back: the floor finds the method unusable" if held else "listed",
            )
        )
        reasons += e.reasons
        if held:
            reasons += unusable[course.id].reasons
    listed = sum(1 for row in rows if row[-1] == "listed")
    return Report(
        id="feedback.new-hire-courseware",
        title="For the new-hire courseware: courses that proved their effect",
        summary=f"{listed} course(s) proved their {settings.metric} effect (the whole 95% "
        f"interval above 0) in {settings.cycles} or more cycles and go into the new-hire "
        f"courseware; {len(rows) - listed} held back because the floor finds the method "
        "unusable.",
        columns=(
            "course_id",
            "course",
            "competency",
            "format",
            "cycles_proven",
            "effect",
            "low",
            "high",
            "usability",
            "status",
        ),
        rows=tuple(rows),
        reasons=tuple(reasons),
    )
