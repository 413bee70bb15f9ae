"""Evaluation stage of the default pack: evaluation.basic and evaluation.comparison.

Levels 1 and 2 are tested on the tiny plan. Levels 3 and 4 are tested on constructed
centers whose true effect is known: the tiny center plus agents with QA on C1 (out of 100,
two evaluations in each window) before the cycle (2026-09-01..2026-11-29) and after it
(2026-12-05..2027-01-01), and a hand-made plan that seats the trained group in one session.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from collections.abc import Sequence

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccrules._render import render_review
from ccrules.model import Evaluation, Format, Need, Outcome, Plan, Session, Verdict
from ccrules_packs.default.evaluation import ccrules_evaluate
from ccrules_packs.default.stats import did, t975

from .scenario import Tiny, fact, rules

# The tiny plan: K1-01 (A2, A3, A4; trainer TR2), K2-01 (A5; TR1), K3-01 (B2), K3-02 (B3),
# courses K1-K3; K3 is self-paced (no trainer).
OUTCOMES = (
    Outcome("K1-01", "A2", attended=True, post_score=90, satisfaction=4),
    Outcome("K1-01", "A3", attended=True, post_score=79.9, satisfaction=5),
    # A4 missed it; its rating does not count
    Outcome("K1-01", "A4", attended=False, post_score=None, satisfaction=1),
    Outcome("K2-01", "A5", attended=True, post_score=80, satisfaction=3),
    Outcome("K3-01", "B2", attended=True, post_score=80, satisfaction=2),
    Outcome("K3-02", "B3", attended=True, post_score=60, satisfaction=None),
)

BASIC = {"attendance", "satisfaction", "pass_rate"}
NOT_ENOUGH = Verdict.NOT_ENOUGH_DATA.value


def evaluate(
    tiny: Tiny,
    outcomes: Sequence[Outcome] = OUTCOMES,
    sessions: Sequence[Session] | None = None,
    needs: Sequence[Need] = (),
    via: str = "engine",
) -> tuple[Plan, list[Evaluation]]:
    """Plan the center (or take ``sessions`` and ``needs`` as the plan's) and evaluate
    ``outcomes``: through ``Engine.evaluate`` (``engine``), the whole ``Engine.review``
    (``review``), or the hook called directly (``hook``)."""
    with tiny.engine() as engine:
        plan = engine.plan()
        if sessions is not None:
            plan = attrs.evolve(
                plan, sessions=tuple(sessions), needs=tuple(needs), priorities=(), unplaced=()
            )
        if via == "review":
            return plan, list(engine.review(plan, outcomes).evaluations)
        if via == "engine":
            return plan, list(engine.evaluate(plan, outcomes))
        evidence = engine.build_evidence()
        found = ccrules_evaluate(
            center=engine.center, evidence=evidence, plan=plan, outcomes=outcomes
        )
        return plan, found


def measure(
    evaluations: Sequence[Evaluation], subject: str, subject_id: str, metric: str
) -> Evaluation:
    (found,) = [
        e
        for e in evaluations
        if (e.subject, e.subject_id, e.metric) == (subject, subject_id, metric)
    ]
    return found


# --------------------------------------------------------------------------------------------
# Levels 1 and 2 on the tiny plan


def test_every_subject_gets_the_three_basic_measures() -> None:
    plan, evaluations = evaluate(Tiny())

    subjects = {(e.subject, e.subject_id) for e in evaluations if e.metric in BASIC}
    assert subjects == (
        {("session", s.id) for s in plan.sessions}
        | {("course", c) for c in ("K1", "K2", "K3")}
        | {("trainer", "TR1"), ("trainer", "TR2")}
        | {("need", n.id) for n in plan.needs}
    )
    for subject, subject_id in subjects:
        got = {
            (e.metric, e.level)
            for e in evaluations
            if (e.subject, e.subject_id) == (subject, subject_id) and e.metric in BASIC
        }
        assert got == {("attendance", 1), ("satisfaction", 1), ("pass_rate", 2)}, subject
    for evaluation in evaluations:
        expected = "evaluation.basic" if evaluation.metric in BASIC else "evaluation.comparison"
        assert rules(evaluation.reasons) == [expected]


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
        assert satisfaction.verdict == ""
    else:
        assert satisfaction.value is None and pass_rate.value is None
        assert satisfaction.verdict == NOT_ENOUGH
        assert "Not enough data: 2 ratings, 3 needed" in satisfaction.reasons[0].text
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


def test_a_trainer_is_measured_on_the_sessions_they_gave() -> None:
    # TR2 gave K1-01 (two attended of three), TR1 gave K2-01 (A5); K3 is self-paced.
    _, evaluations = evaluate(Tiny().set("evaluation", min_responses=1))

    assert measure(evaluations, "trainer", "TR2", "attendance").value == round(2 / 3, 4)
    assert measure(evaluations, "trainer", "TR2", "satisfaction").value == 4.5
    assert measure(evaluations, "trainer", "TR1", "pass_rate").value == 1.0
    assert not [e for e in evaluations if e.subject == "trainer" and e.subject_id == "None"]


def test_a_need_has_its_agents_own_figures_without_a_minimum() -> None:
    _, evaluations = evaluate(Tiny())  # min_responses 3 does not apply to one agent

    assert measure(evaluations, "need", "qa:A2:C1", "satisfaction").value == 4.0
    assert measure(evaluations, "need", "qa:A2:C1", "pass_rate").value == 1.0
    failed = measure(evaluations, "need", "qa:A3:C1", "pass_rate")
    assert (failed.value, failed.n) == (0.0, 1)
    assert "below the pass mark 80" in failed.reasons[0].text
    missed = measure(evaluations, "need", "qa:A4:C1", "attendance")
    assert missed.value == 0.0
    absent = measure(evaluations, "need", "qa:A4:C1", "pass_rate")
    assert (absent.value, absent.n, absent.verdict) == (None, 0, NOT_ENOUGH)
    assert measure(evaluations, "need", "kpi:fcr:B3:C3", "satisfaction").value is None


def test_the_tiny_center_has_no_qa_after_the_cycle_so_no_effect() -> None:
    _, evaluations = evaluate(Tiny())

    behaviour = measure(evaluations, "course", "K1", "behaviour")
    assert (behaviour.value, behaviour.verdict, behaviour.n) == (None, NOT_ENOUGH, 0)
    assert behaviour.reasons[0].text.startswith("Not enough data on QA on C1: 0 trained")
    center = measure(evaluations, "center", "2026-W49", "behaviour")
    assert center.verdict == NOT_ENOUGH
    # fcr is mapped to C3 (K3); no KPI after the cycle either
    assert measure(evaluations, "course", "K3", "results:fcr").verdict == NOT_ENOUGH
    assert not [e for e in evaluations if e.subject_id == "K1" and e.metric.startswith("result")]


# --------------------------------------------------------------------------------------------
# Constructed centers for levels 3 and 4

BEFORE_DAYS = (dt.date(2026, 10, 5), dt.date(2026, 11, 9))
AFTER_DAYS = (dt.date(2026, 12, 10), dt.date(2026, 12, 21))


def with_agents(
    tiny: Tiny, agents: Sequence[tuple[str, float, float]], item_id: str = "I1"
) -> Tiny:
    """Add active agents to T1, each with a QA score (of 100) on ``item_id`` in two
    evaluations before the cycle and two after it."""
    for agent_id, before, after in agents:
        tiny.add(
            "agents",
            agent_id=agent_id,
            name=f"坐席{agent_id}",
            team_id="T1",
            role_id="AG",
            hire_date=dt.date(2024, 1, 8),
            status="active",
        )
        scored(tiny, agent_id, before, after, item_id)
    return tiny


def scored(tiny: Tiny, agent_id: str, before: float, after: float, item_id: str) -> Tiny:
    """QA of ``agent_id`` on ``item_id``: two evaluations before the cycle, two after."""
    for days, score in ((BEFORE_DAYS, before), (AFTER_DAYS, after)):
        for day in days:
            tiny.add(
                "qa",
                evaluation_id=f"E-{agent_id}-{day:%m%d}",
                agent_id=agent_id,
                date=day,
                item_id=item_id,
                score=round(score, 2),
                max_score=100,
                evaluator="QA-孙琪",
                channel="voice",
                contact_id=f"CT-{agent_id}-{day:%m%d}",
            )
    return tiny


def session(attendees: Sequence[str], need_ids: Sequence[str] = ()) -> Session:
    return Session(
        "K5-01",
        "K5",
        "C1",
        Format.CLASSROOM,
        60,
        tuple(attendees),
        tuple(need_ids),
        rank=1,
        trainer_id="TR1",
    )


def attended(attendees: Sequence[str]) -> list[Outcome]:
    return [Outcome("K5-01", a, attended=True, post_score=90, satisfaction=4) for a in attendees]


def trial(
    trained: Sequence[tuple[float, float]],
    untrained: Sequence[tuple[float, float]],
    tiny: Tiny | None = None,
    via: str = "engine",
) -> list[Evaluation]:
    """Trained agents T000.. seated and attending K5-01 (C1), untrained U000.. not seated."""
    ids = [f"T{i:03}" for i in range(len(trained))]
    agents = [(a, b, c) for a, (b, c) in zip(ids, trained, strict=True)] + [
        (f"U{i:03}", b, a) for i, (b, a) in enumerate(untrained)
    ]
    center = with_agents(tiny or Tiny(), agents)
    _, evaluations = evaluate(center, attended(ids), [session(ids)], via=via)
    return evaluations


def drifted(
    rng: random.Random, n: int, low: float, high: float, gain: float, sd: float = 3.0
) -> list[tuple[float, float]]:
    """``n`` agents with a baseline uniform in [low, high) and QA after = before + gain +
    noise."""
    result = []
    for _ in range(n):
        before = rng.uniform(low, high)
        result.append((before, before + gain + rng.gauss(0, sd)))
    return result


def test_a_known_effect_is_recovered() -> None:
    rng = random.Random(6)
    season, effect = 4.0, 8.0
    trained = drifted(rng, 40, 50, 80, season + effect)
    untrained = drifted(rng, 60, 50, 80, season)

    evaluations = trial(trained, untrained, via="review")

    behaviour = measure(evaluations, "course", "K5", "behaviour")
    assert behaviour.value is not None and behaviour.low is not None and behaviour.high is not None
    assert abs(behaviour.value - effect) < 2
    assert behaviour.low < effect < behaviour.high
    assert behaviour.verdict == Verdict.IMPROVED
    # a trainee whose band holds no untrained agent is left out
    assert behaviour.level == 3 and behaviour.n + fact(behaviour.reasons[0], "unmatched") == 40
    assert 55 <= behaviour.compared <= 60 and behaviour.n >= 38
    # the trained group's own before/after says about 12: season and training together
    reason = behaviour.reasons[0]
    naive = fact(reason, "treated_after") - fact(reason, "treated_before")
    assert abs(naive - (season + effect)) < 2
    assert abs(behaviour.value - effect) < abs(behaviour.value - naive)
    assert "an effect of +" in reason.text and "improved" in reason.text
    assert fact(reason, "band") == 10.0
    # the same figure for the session, its trainer and the cycle as a whole
    for subject, subject_id in (("session", "K5-01"), ("trainer", "TR1"), ("center", "2026-W49")):
        same = measure(evaluations, subject, subject_id, "behaviour")
        assert (same.value, same.low, same.high) == (
            behaviour.value,
            behaviour.low,
            behaviour.high,
        )


def test_no_real_effect_is_not_reported_as_improved() -> None:
    # Everybody regresses towards 65 and drifts +4; the trained start lower, so they gain more
    # without any training effect.
    rng = random.Random(11)

    def regressing(n: int, low: float, high: float) -> list[tuple[float, float]]:
        result = []
        for _ in range(n):
            before = rng.uniform(low, high)
            result.append((before, before + 4 + 0.3 * (65 - before) + rng.gauss(0, 3)))
        return result

    trained = regressing(40, 40, 60)
    untrained = regressing(80, 40, 90)
    naive = statistics.mean(a - b for b, a in trained) - statistics.mean(
        a - b for b, a in untrained
    )
    assert naive > 3  # a comparison without matching would call it an effect

    behaviour = measure(trial(trained, untrained), "course", "K5", "behaviour")

    assert behaviour.low is not None and behaviour.high is not None
    assert behaviour.low <= 0 <= behaviour.high
    assert behaviour.verdict == Verdict.NO_CLEAR_CHANGE
    # one band wide enough to hold everybody is no matching at all: then it would say so
    unmatched = trial(trained, untrained, Tiny().set("evaluation", band=1000))
    assert measure(unmatched, "course", "K5", "behaviour").verdict == Verdict.IMPROVED


def test_only_untrained_agents_with_a_similar_baseline_are_compared() -> None:
    rng = random.Random(3)
    # the trained gain 10; similar untrained agents 4 (a true effect of 6); untrained agents
    # near the ceiling lose 10 and must not be used, nor may the trained 70s without a match
    trained = drifted(rng, 10, 40, 50, 10, 1) + drifted(rng, 10, 50, 60, 10, 1)
    trained += drifted(rng, 5, 70, 80, 15, 1)
    untrained = drifted(rng, 10, 40, 50, 4, 1) + drifted(rng, 10, 50, 60, 4, 1)
    untrained += drifted(rng, 20, 85, 95, -10, 1)

    behaviour = measure(trial(trained, untrained), "course", "K5", "behaviour")

    assert (behaviour.n, behaviour.compared) == (20, 20)
    assert fact(behaviour.reasons[0], "unmatched") == 5
    assert behaviour.reasons[0].text.endswith(
        "5 trained agent(s) had no comparison agent in their band and are left out: T020, "
        "T021, T022, T023 and T024."
    )
    assert behaviour.value is not None and abs(behaviour.value - 6) < 1


def test_left_out_trainees_are_named_in_the_reason_and_the_headline() -> None:
    rng = random.Random(4)
    # T000-T007 have comparison agents in 40-50; T008-T019 start in 70-80, where nobody does
    trained = drifted(rng, 8, 40, 50, 10, 1) + drifted(rng, 12, 70, 80, 10, 1)
    untrained = drifted(rng, 10, 40, 50, 4, 1)
    ids = [f"T{i:03}" for i in range(20)]
    agents = [(a, b, c) for a, (b, c) in zip(ids, trained, strict=True)]
    agents += [(f"U{i:03}", b, a) for i, (b, a) in enumerate(untrained)]
    tiny = with_agents(Tiny(), agents)

    with tiny.engine() as engine:
        plan = attrs.evolve(
            engine.plan(), sessions=(session(ids),), needs=(), priorities=(), unplaced=()
        )
        review = engine.review(plan, attended(ids))
        headline = render_review(review, engine.center).splitlines()[1]

    behaviour = measure(review.evaluations, "center", "2026-W49", "behaviour")
    reason = behaviour.reasons[0]
    assert (behaviour.n, behaviour.compared, fact(reason, "unmatched")) == (8, 10, 12)
    assert reason.text.endswith(
        "12 trained agent(s) had no comparison agent in their band and are left out: T008, "
        "T009, T010, T011, T012, T013, T014, T015, T016, T017 and 2 more."
    )
    assert fact(reason, "unmatched_agents") == ", ".join(ids[8:])
    assert behaviour.left_out == ids[8:]
    assert headline.startswith("Behaviour (L3, QA points vs comparison group): +")
    assert ", 8 trained vs 10 compared agents: " in headline
    assert headline.endswith(
        "; 12 trained agent(s) left out, no comparison agent in their band: T008 坐席T008, "
        "T009 坐席T009, T010 坐席T010, T011 坐席T011, T012 坐席T012 and 7 more"
    )


def test_an_agent_trained_on_two_competencies_is_one_trained_agent() -> None:
    # T000-T005 attend K5-01 (C1) and K2-01 (C2); U000-U009 are measured on both, untrained
    rng = random.Random(9)
    ids = [f"T{i:03}" for i in range(6)]
    on_c1 = drifted(rng, 6, 60, 70, 9) + drifted(rng, 10, 60, 70, 3)
    on_c2 = drifted(rng, 6, 60, 70, 9) + drifted(rng, 10, 60, 70, 3)
    names = ids + [f"U{i:03}" for i in range(10)]
    tiny = with_agents(Tiny(), [(a, b, c) for a, (b, c) in zip(names, on_c1, strict=True)])
    for agent_id, (before, after) in zip(names, on_c2, strict=True):
        scored(tiny, agent_id, before, after, "I2")
    coaching = attrs.evolve(session(ids), id="K2-01", course_id="K2", competency_id="C2")
    outcomes = attended(ids) + [attrs.evolve(o, session_id="K2-01") for o in attended(ids)]

    _, found = evaluate(tiny, outcomes, [session(ids), coaching])

    center = measure(found, "center", "2026-W49", "behaviour")
    assert (center.n, center.compared) == (6, 10)  # not 12 and 20 agent-competency pairs
    reason = center.reasons[0]
    assert (fact(reason, "n_units"), fact(reason, "compared_units")) == (12, 20)
    assert (fact(reason, "clustered_agents")) == 16
    assert "for 6 trained agents (12 agent-competency measures)" in reason.text
    assert "for 10 untrained agents (20 agent-competency measures)" in reason.text
    assert "clustered by agent: 16 agents are measured on more than one competency" in (reason.text)
    rate = measure(found, "center", "2026-W49", "improvement_rate")
    assert (rate.n, rate.compared) == (12, 10)
    assert "of 12 measures of 6 measured trained agents" in rate.reasons[0].text
    # a course trains one competency: its trainees are measured once each
    course = measure(found, "course", "K5", "behaviour")
    assert (course.n, course.compared) == (6, 10)
    assert "clustered" not in course.reasons[0].text


@pytest.mark.parametrize(
    ("trained", "untrained", "enough"),
    [(5, 20, True), (4, 20, False), (10, 5, True), (10, 4, False)],
)
def test_not_enough_data_below_min_group(trained: int, untrained: int, enough: bool) -> None:
    rng = random.Random(5)
    evaluations = trial(drifted(rng, trained, 60, 70, 8), drifted(rng, untrained, 60, 70, 2))

    behaviour = measure(evaluations, "course", "K5", "behaviour")
    rate = measure(evaluations, "course", "K5", "improvement_rate")
    assert (behaviour.n, behaviour.compared) == (trained, untrained)
    if enough:
        assert behaviour.value is not None and behaviour.verdict != NOT_ENOUGH
    else:
        assert (behaviour.value, behaviour.low, behaviour.high) == (None, None, None)
        assert behaviour.verdict == NOT_ENOUGH
        text = behaviour.reasons[0].text
        assert f"{trained} trained and {untrained} comparison agents" in text
        assert "5 of each are needed" in text
    # the improvement rate needs min_group trainees only
    assert (rate.value is None) == (trained < 5)


@pytest.mark.parametrize(
    ("trained", "untrained", "enough"),
    [
        # the 60s and the 70s each hold one trainee and one comparison agent: no spread
        ([(60.0, 70.0), (71.0, 80.0)], [(61.0, 65.0), (71.0, 74.0)], False),
        # all four in the 60s: two on each side
        ([(60.0, 70.0), (62.0, 80.0)], [(61.0, 65.0), (63.0, 74.0)], True),
    ],
)
def test_no_interval_without_spread_is_not_enough_data(
    trained: list[tuple[float, float]], untrained: list[tuple[float, float]], enough: bool
) -> None:
    found = trial(trained, untrained, Tiny().set("evaluation", min_group=2))

    behaviour = measure(found, "course", "K5", "behaviour")
    assert (behaviour.n, behaviour.compared) == (2, 2)
    if enough:
        assert behaviour.value is not None and behaviour.low is not None
    else:
        assert (behaviour.value, behaviour.low, behaviour.verdict) == (None, None, NOT_ENOUGH)
        assert "interval cannot be estimated" in behaviour.reasons[0].text


@pytest.mark.parametrize(("evaluations", "measured"), [(2, 5), (3, 0)])
def test_agents_need_min_evaluations_in_each_window(evaluations: int, measured: int) -> None:
    rng = random.Random(2)
    tiny = Tiny().set("evaluation", min_evaluations=evaluations)  # everyone has two

    found = trial(drifted(rng, 5, 60, 70, 8), drifted(rng, 5, 60, 70, 2), tiny)

    behaviour = measure(found, "course", "K5", "behaviour")
    assert (behaviour.n, behaviour.compared) == (measured, measured)


@pytest.mark.parametrize(("min_gain", "improved"), [(5.0, 3), (5.01, 1)])
def test_the_improvement_rate_counts_gains_of_min_gain(min_gain: float, improved: int) -> None:
    trained = [(60, 65), (60, 70), (61, 66), (62, 63), (60, 60)]  # gains 5, 10, 5, 1, 0
    untrained = [(60, 65), (62, 62), (63, 64), (64, 65), (65, 66), (66, 67)]  # one gains 5

    found = trial(trained, untrained, Tiny().set("evaluation", min_gain=min_gain))

    rate = measure(found, "course", "K5", "improvement_rate")
    assert (rate.value, rate.n, rate.level) == (improved / 5, 5, 3)
    reason = rate.reasons[0]
    assert fact(reason, "comparison_rate") == (round(1 / 6, 4) if min_gain == 5.0 else 0.0)
    assert f"{improved} of 5 measured trained agents" in reason.text


def test_a_session_nobody_attended_has_no_effect() -> None:
    rng = random.Random(1)
    trained = drifted(rng, 10, 60, 70, 8)
    agents = [(f"T{i:03}", b, a) for i, (b, a) in enumerate(trained)]
    ids = [a for a, _, _ in agents]
    tiny = with_agents(Tiny(), agents + [(f"U{i}", 65, 67) for i in range(10)])

    _, found = evaluate(tiny, [Outcome("K5-01", a, attended=False) for a in ids], [session(ids)])

    behaviour = measure(found, "session", "K5-01", "behaviour")
    assert (behaviour.value, behaviour.n, behaviour.verdict) == (None, 0, NOT_ENOUGH)


# -- a need's own behaviour -------------------------------------------------------------------


def need(agent_id: str) -> Need:
    return Need(f"qa:{agent_id}:C1", agent_id, "C1", "qa", 0.2, 60, "QA", target_level=80)


@pytest.mark.parametrize("comparison", [5, 4])
def test_a_needs_behaviour_is_its_change_against_its_band(comparison: int) -> None:
    # The untrained in the 60-70 band all gain 4; N1 gains 9 (5 more: improved, the
    # boundary), N2 8.9, N3 loses 1 (5 less: worse); N4 starts in a band with nobody;
    # N5 missed the session.
    trained = {"N1": (62, 71), "N2": (62, 70.9), "N3": (62, 61), "N4": (85, 95), "N5": (62, 70)}
    agents = [(a, b, c) for a, (b, c) in trained.items()]
    agents += [(f"U{i}", 65, 69) for i in range(comparison)]
    ids = sorted(trained)
    outcomes = [o for o in attended(ids) if o.agent_id != "N5"]

    _, found = evaluate(
        with_agents(Tiny(), agents),
        outcomes,
        [session(ids, [need(a).id for a in ids])],
        [need(a) for a in ids],
    )

    def of(agent_id: str) -> Evaluation:
        return measure(found, "need", need(agent_id).id, "behaviour")

    if comparison < 5:
        assert of("N1").verdict == NOT_ENOUGH and of("N1").compared == 4
        assert "4 untrained agents with a QA baseline on C1 of 60-70" in of("N1").reasons[0].text
        return
    assert (of("N1").value, of("N1").verdict, of("N1").compared) == (5.0, Verdict.IMPROVED, 5)
    assert (of("N2").value, of("N2").verdict) == (4.9, Verdict.NO_CLEAR_CHANGE)
    assert (of("N3").value, of("N3").verdict) == (-5.0, Verdict.WORSE)
    assert (of("N4").value, of("N4").verdict, of("N4").compared) == (None, NOT_ENOUGH, 0)
    assert of("N5").verdict == NOT_ENOUGH
    assert "N5 did not attend K5-01" in of("N5").reasons[0].text
    assert fact(of("N1").reasons[0], "comparison_change") == 4.0


# -- level 4 ----------------------------------------------------------------------------------


def with_kpi(tiny: Tiny, values: Sequence[tuple[str, float, float]], metric: str) -> Tiny:
    """One period of ``metric`` per agent before the cycle (October) and one after
    (January 2027, in the window after the cycle)."""
    for agent_id, before, after in values:
        for period, value in ((dt.date(2026, 10, 1), before), (dt.date(2027, 1, 1), after)):
            tiny.add("kpis", agent_id=agent_id, period=period, metric=metric, value=value)
    return tiny


@pytest.mark.parametrize(("direction", "sign"), [("above", 1), ("below", -1)])
def test_results_on_a_lower_is_better_kpi_flip_the_sign(direction: str, sign: int) -> None:
    # handle time rises 10 s for everybody; training cuts a true 30 s: with ``above`` (lower
    # is better) that is +30, better; were higher better (``below``), -30, worse
    rng = random.Random(8)
    qa = drifted(rng, 100, 60, 70, 0)
    ids = [f"T{i:03}" for i in range(40)]
    agents = [(a, b, c) for a, (b, c) in zip(ids, qa, strict=False)]
    agents += [(f"U{i:03}", b, c) for i, (b, c) in enumerate(qa[40:])]
    handle = []
    for agent_id, _, _ in agents:
        before = round(rng.uniform(280, 360), 1)
        cut = 30 if agent_id.startswith("T") else 0
        handle.append((agent_id, before, round(before + 10 - cut + rng.gauss(0, 5), 1)))
    tiny = with_kpi(with_agents(Tiny(), agents), handle, "aht")
    tiny.kpi(metric="aht", competency="C1", owner="BUS", **{direction: 300})

    _, found = evaluate(tiny, attended(ids), [session(ids)], via="review")

    results = measure(found, "course", "K5", "results:aht")
    assert results.level == 4 and (results.n, results.compared) == (40, 60)
    assert results.value is not None and abs(results.value - sign * 30) < 4
    assert results.low is not None and results.high is not None
    assert results.low < sign * 30 < results.high
    expected = Verdict.IMPROVED if sign > 0 else Verdict.WORSE
    assert results.verdict == expected
    reason = results.reasons[0]
    assert fact(reason, "higher_is_better") is (sign < 0)
    assert ("sign flipped" in reason.text) is (sign > 0)
    assert fact(reason, "band_width") == pytest.approx(0.1 * 80, abs=1)  # 10% of the range
    assert measure(found, "trainer", "TR1", "results:aht").value == results.value
    assert not [e for e in found if e.subject == "center" and e.metric.startswith("results")]


# -- determinism ------------------------------------------------------------------------------


def test_the_same_inputs_give_equal_evaluations() -> None:
    rng = random.Random(6)
    trained = drifted(rng, 12, 50, 80, 10)
    untrained = drifted(rng, 20, 50, 80, 4)

    first = trial(trained, untrained, via="hook")
    assert first == trial(trained, untrained, via="hook")
    assert sorted(first, key=lambda e: (e.subject, e.subject_id, e.level, e.metric)) == trial(
        trained, untrained
    )


# --------------------------------------------------------------------------------------------
# stats.did on its own

units = st.lists(
    st.tuples(
        st.sampled_from(["C1", "C2"]),
        st.floats(0, 100, allow_nan=False),
        st.floats(0, 100, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
)

Unit = tuple[str, str, float, float]


def own(found: Sequence[tuple[str, float, float]], prefix: str) -> list[Unit]:
    """Every unit its own agent."""
    return [(g, f"{prefix}{i}", b, a) for i, (g, b, a) in enumerate(found)]


def shifted(found: Sequence[Unit], by: float) -> list[Unit]:
    return [(g, agent, b, a + by) for g, agent, b, a in found]


@given(units, units, st.floats(-20, 20, allow_nan=False), st.sampled_from([5.0, 10.0, 50.0]))
def test_did_is_unmoved_by_a_common_shift_and_moved_by_a_trained_one(
    trained: list[tuple[str, float, float]],
    untrained: list[tuple[str, float, float]],
    c: float,
    band: float,
) -> None:
    treated, control = own(trained, "T"), own(untrained, "U")
    base = did(treated, control, band, 1)
    common = did(shifted(treated, c), shifted(control, c), band, 1)
    moved = did(shifted(treated, c), control, band, 1)

    assert (base.treated, base.compared, base.unmatched) == (
        common.treated,
        common.compared,
        common.unmatched,
    )
    if base.effect is None:
        assert common.effect is None and moved.effect is None
        return
    assert common.effect == pytest.approx(base.effect, abs=1e-4)
    assert moved.effect == pytest.approx(base.effect + c, abs=1e-4)
    for result in (base, common, moved):
        assert result.effect is not None
        if result.low is not None and result.high is not None:
            assert result.low <= result.effect <= result.high


def test_did_weights_strata_by_their_trained_agents() -> None:
    # band 60-70: trained gain 6 and 8, comparison 2 and 4 -> 4; band 70-80: one trained
    # gains 1, comparison 1 and 3 -> -1; weights 2/3 and 1/3
    result = did(
        own([("C1", 60, 66), ("C1", 61, 69), ("C1", 75, 76)], "T"),
        own([("C1", 62, 64), ("C1", 63, 67), ("C1", 71, 72), ("C1", 72, 75), ("C1", 95, 80)], "U"),
        10,
        2,
    )

    assert result.effect == pytest.approx((2 * 4 + 1 * -1) / 3)
    assert (result.treated, result.compared, result.unused, result.strata) == (3, 4, 1, 2)
    assert result.low is not None and result.high is not None and result.df is not None
    # the single trained agent of 70-80 takes the pooled variance of the trained (2, 1 df)
    variance = (2 / 3) ** 2 * (2 / 2 + 2 / 2) + (1 / 3) ** 2 * (2 / 1 + 2 / 2)
    assert result.se == pytest.approx(variance**0.5, abs=1e-6)
    assert result.high - result.effect == pytest.approx(t975(result.df) * variance**0.5, 1e-5)


def test_an_agent_on_three_competencies_is_one_trained_agent() -> None:
    # T1 is trained on C1, C2 and C3, T2 on C1 only: two trained agents, four units; U1 is
    # compared on all three
    treated = [
        ("C1", "T1", 60.0, 70.0),
        ("C2", "T1", 60.0, 68.0),
        ("C3", "T1", 60.0, 66.0),
        ("C1", "T2", 61.0, 65.0),
    ]
    control = [(c, "U1", 62.0, 63.0) for c in ("C1", "C2", "C3")] + [("C1", "U2", 60, 61)]

    result = did(treated, control, 10, 2)

    assert (result.treated, result.treated_units) == (2, 4)
    assert (result.compared, result.compared_units) == (2, 4)
    assert result.repeated == 2  # T1 and U1 have units on more than one side
    # min_group counts agents: three units of T1 are not three trainees
    assert not did(treated, control, 10, 3).enough


def test_an_agent_has_one_unit_per_competency() -> None:
    # the clustered variance assumes it; two units of one agent in a group are a mistake
    with pytest.raises(ValueError, match="'T1' has two units in group 'C1'"):
        did([("C1", "T1", 60.0, 70.0), ("C1", "T1", 75.0, 80.0)], [], 10, 1)


def test_unmatched_trainees_are_counted_as_agents_and_named() -> None:
    treated = [
        ("C1", "T1", 60.0, 70.0),
        ("C1", "T2", 61.0, 65.0),
        ("C1", "T3", 95.0, 99.0),  # nobody untrained in 90-100 on C1
        ("C2", "T3", 60.0, 65.0),  # nobody untrained on C2 at all
        ("C2", "T4", 61.0, 66.0),
    ]
    control = [("C1", "U1", 62.0, 63.0), ("C1", "U2", 60, 61)]

    result = did(treated, control, 10, 2)

    assert (result.unmatched, result.unmatched_units) == (2, 3)
    assert result.unmatched_agents == ("T3", "T4")
    assert (result.treated, result.compared) == (2, 2)


def test_the_interval_is_clustered_by_agent() -> None:
    # T1-T3 are trained on C1 and C2 and change together: residuals +4, 0, -4 on both. The
    # comparison agents differ per competency. Effect 0.5 (8 - 2) + 0.5 (7 - 2) = 5.5.
    treated = [
        (c, agent, 60.0, 60.0 + gain - (c == "C2"))
        for c in ("C1", "C2")
        for agent, gain in (("T1", 12), ("T2", 8), ("T3", 4))
    ]
    control = [("C1", f"U{i}", 60.0, 60.0 + 2 * i) for i in range(3)]
    control += [("C2", f"V{i}", 60.0, 61.0 + i) for i in range(3)]
    # the same units, each trainee-competency its own agent
    apart = [(c, f"{agent}-{c}", b, a) for c, agent, b, a in treated]

    clustered = did(treated, control, 10, 1)
    naive = did(apart, control, 10, 1)

    assert clustered.effect == naive.effect == 5.5
    # unclustered: w^2 var / n per side = 16/12 + 16/12 + 4/12 + 1/12 = 37/12, each with 2 df
    assert naive.se == pytest.approx(math.sqrt(37 / 12), abs=1e-6)
    assert naive.df == pytest.approx((37 / 12) ** 2 / (529 / 288))
    # clustered: each trainee's two residuals, scaled by sqrt(3/2) / 6, add 2 * (4b)(4b) for
    # T1 and T3: 2 * 2 * 16 * 1.5 / 36 = 32/12; the degrees of freedom lose 2 d^2 m (1 - 1/3
    # - 1/3 + 3/9) = 16/9 in their denominator (d = 16 * 0.25 / 6, m = 3 shared agents)
    assert clustered.se == pytest.approx(math.sqrt(69 / 12), abs=1e-6)
    assert clustered.df == pytest.approx((37 / 12) ** 2 / (529 / 288 + 16 / 9))
    assert clustered.repeated == 3 and naive.repeated == 0
    assert clustered.low is not None and clustered.high is not None
    assert naive.low is not None and naive.high is not None
    assert clustered.high - clustered.low > naive.high - naive.low
    assert clustered.high == pytest.approx(5.5 + t975(clustered.df) * math.sqrt(69 / 12), 1e-6)
    assert clustered.low < 0 < naive.low  # the naive interval claimed an effect


def welch(treated: Sequence[Unit], control: Sequence[Unit], band: float) -> tuple[float, float]:
    """The stratified Welch-Satterthwaite standard error and degrees of freedom, by hand,
    for strata whose sides all have two units or more."""
    strata: dict[tuple[str, int], tuple[list[float], list[float]]] = {}
    for side, found in ((0, treated), (1, control)):
        for g, _, b, a in found:
            strata.setdefault((g, math.floor(b / band)), ([], []))[side].append(a - b)
    matched = [s for s in strata.values() if s[0] and s[1]]
    n_t = sum(len(t) for t, _ in matched)
    parts = [
        ((len(t) / n_t) ** 2 * statistics.variance(x) / len(x), len(x) - 1)
        for t, c in matched
        for x in (t, c)
    ]
    total = sum(p for p, _ in parts)
    if total == 0:
        return 0.0, math.inf
    return math.sqrt(total), total**2 / sum(p * p / df for p, df in parts)


changes = st.floats(-20, 20, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def designs(draw: st.DrawFn, shared: bool) -> tuple[list[Unit], list[Unit]]:
    """Trained and comparison units on one to three competencies, each matched side of
    two to four units; with ``shared`` the agents come from a pool of 16 (one unit per agent
    and competency), otherwise every unit is its own agent."""
    treated: list[Unit] = []
    control: list[Unit] = []
    groups = st.lists(st.sampled_from(["C1", "C2", "C3"]), min_size=1, max_size=3, unique=True)
    bands = st.lists(st.sampled_from([55.0, 65.0]), min_size=1, max_size=2, unique=True)
    for g in draw(groups):
        pool = iter(draw(st.permutations(range(16))))
        for b in draw(bands):
            for prefix, side in (("T", treated), ("U", control)):
                for i in range(draw(st.integers(2, 4))):
                    agent = f"A{next(pool)}" if shared else f"{prefix}{g}-{b:g}-{i}"
                    side.append((g, agent, b, b + draw(changes)))
    return treated, control


@given(designs(shared=False))
def test_one_unit_per_agent_gives_the_unclustered_interval(
    design: tuple[list[Unit], list[Unit]],
) -> None:
    treated, control = design

    result = did(treated, control, 10, 1)

    se, df = welch(treated, control, 10)
    assert result.repeated == 0
    assert result.se == pytest.approx(se, abs=1e-6)
    if se > 1e-6 and result.df is not None and math.isfinite(result.df):
        assert result.df == pytest.approx(df, rel=1e-9)


@given(designs(shared=True))
def test_the_clustered_interval_is_the_cr2_matrix_form(
    design: tuple[list[Unit], list[Unit]],
) -> None:
    # the closed form equals CR2 (Bell-McCaffrey) computed with matrices, and its degrees
    # of freedom Satterthwaite's under independent units with per-side variances
    treated, control = design

    result = did(treated, control, 10, 1)

    se, df = cr2(treated, control, 10)
    assert result.se == pytest.approx(se, abs=1e-6)
    if se > 1e-6 and result.df is not None and math.isfinite(result.df):
        assert result.df == pytest.approx(df, rel=1e-6)


def cr2(treated: Sequence[Unit], control: Sequence[Unit], band: float) -> tuple[float, float]:
    """CR2 standard error of the stratified difference in differences and its Satterthwaite
    degrees of freedom, with matrices, for matched sides of two units or more."""
    cells: dict[tuple[int, str, int], list[tuple[str, float]]] = {}
    for side, found in ((0, treated), (1, control)):
        for g, agent, b, a in found:
            cells.setdefault((side, g, math.floor(b / band)), []).append((agent, a - b))
    keys = sorted({k[1:] for k in cells if (0, *k[1:]) in cells and (1, *k[1:]) in cells})
    n_t = sum(len(cells[(0, *k)]) for k in keys)
    rows = []  # (agent, cell index, coefficient, change)
    sizes, variances = [], []
    for k in keys:
        weight = len(cells[(0, *k)]) / n_t
        for side, sign in ((0, 1.0), (1, -1.0)):
            members = cells[(side, *k)]
            sizes.append(len(members))
            variances.append(statistics.variance([y for _, y in members]))
            rows += [
                (agent, len(sizes) - 1, sign * weight / len(members), y) for agent, y in members
            ]
    size = len(rows)
    a = np.array([r[2] for r in rows])
    y = np.array([r[3] for r in rows])
    same = np.array([[r[1] == q[1] for q in rows] for r in rows], dtype=float)
    hat = same / np.array([sizes[r[1]] for r in rows])[:, None]
    residual = (np.eye(size) - hat) @ y
    scores = np.zeros((size, size))
    variance = 0.0
    for agent in sorted({r[0] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r[0] == agent]
        values, vectors = np.linalg.eigh(np.eye(len(idx)) - hat[np.ix_(idx, idx)])
        adjust = vectors @ np.diag(values**-0.5) @ vectors.T
        variance += float(a[idx] @ adjust @ residual[idx]) ** 2
        c = np.zeros(size)
        c[idx] = adjust @ a[idx]
        scores += np.outer(c, c)
    centre = np.eye(size) - hat
    product = centre @ scores @ centre @ np.diag([variances[r[1]] for r in rows])
    spread = float(np.trace(product @ product))
    if spread == 0:
        return math.sqrt(variance), math.inf
    return math.sqrt(variance), float(np.trace(product) ** 2) / spread


def test_did_says_not_enough_below_min_group() -> None:
    treated = own([("C1", 60.0, 66.0), ("C1", 61.0, 69.0)], "T")
    control = own([("C1", 62.0, 64.0), ("C1", 63.0, 67.0)], "U")

    assert did(treated, control, 10, 2).effect is not None
    short = did(treated, control, 10, 3)
    assert (short.effect, short.low, short.enough, short.treated) == (None, None, False, 2)


@pytest.mark.parametrize(
    ("df", "quantile"),
    [  # Student's t, 0.975, as printed in statistical tables (7 significant digits)
        (1, 12.70620), (2, 4.302653), (3, 3.182446), (5, 2.570582), (10, 2.228139),
        (29, 2.045230), (30, 2.042272), (31, 2.039513), (40, 2.021075), (60, 2.000298),
        (120, 1.979930), (1000, 1.962339), (float("inf"), 1.959964),
    ],
)  # fmt: skip
def test_t_quantiles_are_exact(df: float, quantile: float) -> None:
    # a table that stopped at 30 df (then 1.96) made intervals 2-4% too narrow above it
    assert t975(df) == pytest.approx(quantile, abs=5e-6)


@given(st.floats(1.0, 500.0), st.floats(0.01, 50.0))
def test_t_quantiles_fall_with_the_degrees_of_freedom(df: float, more: float) -> None:
    # fractional df (Welch) are kept: between the whole numbers on either side, not rounded
    assert t975(df + more) <= t975(df)
    assert t975(math.ceil(df)) <= t975(df) <= t975(math.floor(df))
