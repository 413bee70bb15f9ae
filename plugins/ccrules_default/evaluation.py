"""Evaluation stage: attendance, satisfaction (level 1) and pass rate (level 2).

Seed 000 names the three measures a training system needs: pass rate, satisfaction and
improvement rate. Improvement against a comparison group is a later rule; these two are
measured from the outcomes of every session and course.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import ccrules
from ccrules import Center
from ccrules.model import Evaluation, Outcome, Plan
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import Settings

SETTINGS = "plugins.default.evaluation"


def _measures(
    subject: str,
    subject_id: str,
    outcomes: Sequence[Outcome],
    invited: int,
    pass_mark: float,
    minimum: int,
) -> list[Evaluation]:
    attended = [o for o in outcomes if o.attended]
    ratings = [o.satisfaction for o in attended if o.satisfaction is not None]
    scores = [o.post_score for o in attended if o.post_score is not None]
    result = [
        Evaluation(
            subject,
            subject_id,
            1,
            "attendance",
            round(len(attended) / invited, 4) if invited else None,
            invited,
            (
                PLUGIN.reason(
                    "evaluation.basic",
                    f"{len(attended)} of {invited} invited attended.",
                    PLUGIN.fact("attended", len(attended)),
                    PLUGIN.fact("invited", invited),
                ),
            ),
        )
    ]

    def figure(
        metric: str, level: int, values: list[float], compute: float, what: str
    ) -> Evaluation:
        if len(values) < minimum:
            return Evaluation(
                subject,
                subject_id,
                level,
                metric,
                None,
                len(values),
                (
                    PLUGIN.reason(
                        "evaluation.basic",
                        f"Not enough data: {len(values)} {what}, {minimum} needed.",
                        PLUGIN.fact("min_responses", minimum, f"{SETTINGS}.min_responses"),
                    ),
                ),
            )
        return Evaluation(
            subject,
            subject_id,
            level,
            metric,
            round(compute, 4),
            len(values),
            (PLUGIN.reason("evaluation.basic", f"From {len(values)} {what}."),),
        )

    result.append(
        figure(
            "satisfaction",
            1,
            [float(r) for r in ratings],
            sum(ratings) / len(ratings) if ratings else 0.0,
            "ratings",
        )
    )
    passed = sum(1 for s in scores if s >= pass_mark)
    result.append(
        figure(
            "pass_rate",
            2,
            [float(s) for s in scores],
            passed / len(scores) if scores else 0.0,
            "post-tests",
        )
    )
    return result


@ccrules.hookimpl
def ccrules_evaluate(center: Center, plan: Plan, outcomes: Sequence[Outcome]) -> list[Evaluation]:
    settings = center.settings(Settings).evaluation
    by_session: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_session[outcome.session_id].append(outcome)
    result: list[Evaluation] = []
    by_course: dict[str, list[Outcome]] = defaultdict(list)
    invited_by_course: dict[str, int] = defaultdict(int)
    for session in plan.sessions:
        got = by_session.get(session.id, [])
        result.extend(
            _measures(
                "session",
                session.id,
                got,
                len(session.attendees),
                settings.pass_mark,
                settings.min_responses,
            )
        )
        by_course[session.course_id].extend(got)
        invited_by_course[session.course_id] += len(session.attendees)
    for course_id in sorted(by_course):
        result.extend(
            _measures(
                "course",
                course_id,
                by_course[course_id],
                invited_by_course[course_id],
                settings.pass_mark,
                settings.min_responses,
            )
        )
    return result
