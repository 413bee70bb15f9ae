"""Close stage of the default pack: close.carry."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from ccrules.model import CarryOver, Outcome, Plan

from .scenario import Tiny, rules

# The tiny plan: K1-01 (A2, A3, A4), K2-01 (A5), K3-01 (B2), K3-02 (B3); pass mark 80.
OUTCOMES = (
    Outcome("K1-01", "A2", attended=True, post_score=85),
    Outcome("K1-01", "A3", attended=True, post_score=79.5),  # failed
    Outcome("K1-01", "A4", attended=False),  # missed
    # nothing heard from A5: missed
    Outcome("K3-01", "B2", attended=True, post_score=80),  # the pass mark passes
    Outcome("K3-02", "B3", attended=True, post_score=100),
)


def close(
    tiny: Tiny, outcomes: Sequence[Outcome] = OUTCOMES, carried: Sequence[CarryOver] = ()
) -> tuple[Plan, dict[str, CarryOver]]:
    with tiny.engine() as engine:
        plan = engine.plan(carried)
        evaluations = engine.evaluate(plan, outcomes)
        return plan, {c.need.id: c for c in engine.close_cycle(plan, outcomes, evaluations)}


def decided(carry: CarryOver) -> tuple[str, int]:
    return carry.status, carry.attempts


def test_attended_and_passed_closes_missed_and_failed_stay_open() -> None:
    plan, carries = close(Tiny())

    assert set(carries) == {n.id for n in plan.needs}
    assert decided(carries["qa:A2:C1"]) == ("closed", 1)
    assert decided(carries["qa:B2:C3"]) == ("closed", 1)
    assert decided(carries["kpi:fcr:B3:C3"]) == ("closed", 1)
    assert decided(carries["qa:A3:C1"]) == ("open", 1)
    assert "below the pass mark 80" in carries["qa:A3:C1"].reasons[0].text
    assert decided(carries["qa:A4:C1"]) == ("open", 1)
    assert "missed session K1-01" in carries["qa:A4:C1"].reasons[0].text
    assert decided(carries["qa:A5:C2"]) == ("open", 1)
    for carry in carries.values():
        assert rules(carry.reasons) == ["close.carry"]
        need = plan.need(carry.need.id)
        if carry.status == "open":
            # missed or failed: the outcome is fresh evidence, so the need no longer lapses
            assert carry.need == attrs.evolve(need, expires=None)
            assert need.expires is not None
        else:
            assert carry.need == need


@pytest.mark.parametrize(("pass_mark", "b2"), [(80, "closed"), (80.5, "open")])
def test_the_pass_mark_comes_from_settings(pass_mark: float, b2: str) -> None:
    _, carries = close(Tiny().set("evaluation", pass_mark=pass_mark))

    assert carries["qa:B2:C3"].status == b2


def deferred_a5(tiny: Tiny) -> Tiny:
    """A5 is behind on C1 too (severity 0.25), deferred by a budget of one competency."""
    return tiny.score("A5", "I1", 6).set("priorities", max_competencies_per_agent=1)


@pytest.mark.parametrize(
    ("valid_days", "status", "attempts"),
    [
        # A5's latest evaluation is 2026-11-09; the cycle is reviewed to 2027-01-01 (its end
        # 2026-12-04 + [evidence] after_days 28), 53 days later.
        (53, "open", 0),  # deferred: stays open, never planned, no attempt
        (52, "closed", 0),  # expired before the day the review looks to
    ],
)
def test_deferred_needs_stay_open_until_they_expire(
    valid_days: int, status: str, attempts: int
) -> None:
    _, carries = close(deferred_a5(Tiny()).set("gaps", valid_days=valid_days))

    carry = carries["qa:A5:C1"]
    assert decided(carry) == (status, attempts)
    assert ("deferred" if status == "open" else "expired") in carry.reasons[0].text


def test_an_unplaced_need_stays_open() -> None:
    _, carries = close(Tiny().remove("courses", course_id="K2"))

    assert decided(carries["qa:A5:C2"]) == ("open", 0)
    assert "no course" in carries["qa:A5:C2"].reasons[0].text


def test_a_session_without_a_trainer_leaves_its_needs_open() -> None:
    tiny = Tiny().remove("trainer_skills", trainer_id="TR1", competency_id="C2")

    plan, carries = close(tiny)

    assert [u.id for u in plan.unplaced] == ["K2-01"]
    assert decided(carries["qa:A5:C2"]) == ("open", 0)


def test_attempts_add_up_across_cycles() -> None:
    tiny = Tiny()
    _, first = close(tiny)
    still_open = [c for c in first.values() if c.status == "open"]

    # next cycle: A3 fails again, A4 attends and passes, A5 misses again
    plan, second = close(
        tiny,
        [
            Outcome("K1-01", "A3", attended=True, post_score=50),
            Outcome("K1-01", "A4", attended=True, post_score=95),
            Outcome("K1-01", "A2", attended=True, post_score=95),
        ],
        carried=still_open,
    )

    carried = {n.id for n in plan.needs if n.source == "carried"}
    assert carried == {"carried:qa:A3:C1", "carried:qa:A4:C1", "carried:qa:A5:C2"}
    assert decided(second["carried:qa:A3:C1"]) == ("open", 2)
    assert decided(second["carried:qa:A4:C1"]) == ("closed", 2)
    assert decided(second["carried:qa:A5:C2"]) == ("open", 2)
    # the fresh needs found again this cycle count from zero
    assert decided(second["qa:A3:C1"]) == ("open", 1)
