"""Evaluation stage of the default pack: evaluation.basic."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ccrules.model import Evaluation, Outcome, Plan

from .scenario import Tiny, fact, rules

# The tiny plan: K1-01 (A2, A3, A4), K2-01 (A5), K3-01 (B2), K3-02 (B3), courses K1-K3.
OUTCOMES = (
    Outcome("K1-01", "A2", attended=True, post_score=90, satisfaction=4),
    Outcome("K1-01", "A3", attended=True, post_score=79.9, satisfaction=5),
    # A4 missed it; its rating does not count
    Outcome("K1-01", "A4", attended=False, post_score=None, satisfaction=1),
    Outcome("K2-01", "A5", attended=True, post_score=80, satisfaction=3),
    Outcome("K3-01", "B2", attended=True, post_score=80, satisfaction=2),
    Outcome("K3-02", "B3", attended=True, post_score=60, satisfaction=None),
)


def evaluate(tiny: Tiny, outcomes: Sequence[Outcome] = OUTCOMES) -> tuple[Plan, list[Evaluation]]:
    with tiny.engine() as engine:
        plan = engine.plan()
        return plan, list(engine.evaluate(plan, outcomes))


def measure(
    evaluations: list[Evaluation], subject: str, subject_id: str, metric: str
) -> Evaluation:
    (found,) = [
        e
        for e in evaluations
        if (e.subject, e.subject_id, e.metric) == (subject, subject_id, metric)
    ]
    return found


def test_every_session_and_course_gets_the_three_measures() -> None:
    plan, evaluations = evaluate(Tiny())

    subjects = {(e.subject, e.subject_id) for e in evaluations}
    assert subjects == {("session", s.id) for s in plan.sessions} | {
        ("course", c) for c in ("K1", "K2", "K3")
    }
    for subject, subject_id in subjects:
        got = {(e.metric, e.level) for e in evaluations if e.subject_id == subject_id}
        assert got == {("attendance", 1), ("satisfaction", 1), ("pass_rate", 2)}, subject
    for evaluation in evaluations:
        assert rules(evaluation.reasons) == ["evaluation.basic"]


def test_attendance_is_attended_over_invited() -> None:
    _, evaluations = evaluate(Tiny())

    share = measure(evaluations, "session", "K1-01", "attendance")
    assert (share.value, share.n) == (round(2 / 3, 4), 3)
    assert measure(evaluations, "session", "K2-01", "attendance").value == 1.0


def test_no_outcome_means_not_attended() -> None:
    _, evaluations = evaluate(Tiny(), OUTCOMES[:-1])  # nothing heard from B3

    assert measure(evaluations, "session", "K3-02", "attendance").value == 0.0
    assert measure(evaluations, "course", "K3", "attendance").value == 0.5


@pytest.mark.parametrize(("min_responses", "enough"), [(2, True), (3, False)])
def test_not_enough_data_below_min_responses(min_responses: int, enough: bool) -> None:
    # K1-01 has two ratings and two post-tests from the two who attended.
    _, evaluations = evaluate(Tiny().set("evaluation", min_responses=min_responses))

    satisfaction = measure(evaluations, "session", "K1-01", "satisfaction")
    pass_rate = measure(evaluations, "session", "K1-01", "pass_rate")
    assert (satisfaction.n, pass_rate.n) == (2, 2)
    if enough:
        assert satisfaction.value == (4 + 5) / 2
        assert pass_rate.value == 0.5  # 90 passes, 79.9 does not
    else:
        assert satisfaction.value is None and pass_rate.value is None
        assert "Not enough data" in satisfaction.reasons[0].text
        assert fact(satisfaction.reasons[0], "min_responses") == 3


def test_course_figures_pool_the_sessions_of_the_course() -> None:
    # K3 is two sessions of one attendee each: two post-tests, one rating.
    _, evaluations = evaluate(Tiny().set("evaluation", min_responses=2))

    assert measure(evaluations, "session", "K3-01", "pass_rate").value is None  # one each
    pass_rate = measure(evaluations, "course", "K3", "pass_rate")
    assert (pass_rate.value, pass_rate.n) == (0.5, 2)  # 80 passes (the mark), 60 does not
    assert measure(evaluations, "course", "K3", "attendance").n == 2
    satisfaction = measure(evaluations, "course", "K3", "satisfaction")
    assert (satisfaction.value, satisfaction.n) == (None, 1)


@pytest.mark.parametrize(("pass_mark", "rate"), [(79.9, 1.0), (90, 0.5), (90.1, 0.0)])
def test_pass_rate_uses_the_pass_mark(pass_mark: float, rate: float) -> None:
    tiny = Tiny().set("evaluation", min_responses=1, pass_mark=pass_mark)

    _, evaluations = evaluate(tiny)

    assert measure(evaluations, "course", "K1", "pass_rate").value == rate
