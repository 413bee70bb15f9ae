"""Every decision names a declared rule of its stage, the pack and its version: across whole
plans, evaluations and closes of the example centers (the default pack and the first-party
packs they enable)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

import ccrules_packs.baseline
import ccrules_packs.bpo
import ccrules_packs.cascade
import ccrules_packs.default
import ccrules_packs.feedback
import ccrules_packs.inhouse
import ccrules_packs.mix
from ccrules import Engine
from ccrules.model import Format, Outcome, Reason, Stage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RULE_STAGES = {rule.id: rule.stage for rule in ccrules_packs.default.RULES}
PACK_RULES = {
    pack.PLUGIN.name: {rule.id: rule.stage for rule in pack.RULES}
    for pack in (
        ccrules_packs.default,
        ccrules_packs.inhouse,
        ccrules_packs.bpo,
        ccrules_packs.feedback,
        ccrules_packs.cascade,
        ccrules_packs.mix,
        ccrules_packs.baseline,
    )
}


@pytest.mark.parametrize(
    "name", ["inhouse-fintech", "bpo-inbound", "telecom-hotline", "tax-software-support"]
)
def test_every_reason_names_a_declared_rule_of_its_stage(name: str) -> None:
    with Engine.from_folder(EXAMPLES / name) as engine:
        plan = engine.plan()
        outcomes = [
            Outcome(
                s.id,
                agent,
                attended=index % 3 != 0,
                post_score=60 + 10 * (index % 4),
                satisfaction=1 + index % 5,
            )
            for s in plan.sessions
            for index, agent in enumerate(s.attendees)
        ]
        evaluations = engine.evaluate(plan, outcomes)
        carries = engine.close_cycle(plan, outcomes, evaluations)
        # the open needs come back in the next plan
        again = engine.plan([c for c in carries if c.status == "open"])

    found: list[tuple[Stage, Reason]] = []

    def add(stage: Stage, reasons: Iterable[Reason]) -> None:
        found.extend((stage, reason) for reason in reasons)

    for current in (plan, again):
        for need in current.needs:
            add(Stage.NEEDS, need.reasons)
        for priority in current.priorities:
            add(Stage.PRIORITIES, priority.reasons)
        sessions = [*current.sessions, *(u.session for u in current.unplaced if u.session)]
        for session in sessions:
            add(Stage.COURSES, session.reasons)
            add(Stage.TRAINERS, session.trainer_reasons)
            add(Stage.SCHEDULE, session.slot_reasons)
        for item in current.unplaced:
            add(item.stage, item.reasons)
    for evaluation in evaluations:
        add(Stage.EVALUATION, evaluation.reasons)
    for carry in carries:
        add(Stage.CLOSE, carry.reasons)

    assert "default" in {reason.plugin for _, reason in found}
    assert {reason.version for _, reason in found} == {ccrules_packs.default.__version__}
    for stage, reason in found:
        assert PACK_RULES[reason.plugin].get(reason.rule) is stage, (stage, reason.rule)
        assert reason.text
    # each kind of decision was made, so the checks above ran on something
    assert {stage for stage, _ in found} == {
        Stage.NEEDS,
        Stage.PRIORITIES,
        Stage.COURSES,
        Stage.TRAINERS,
        Stage.SCHEDULE,
        Stage.EVALUATION,
        Stage.CLOSE,
    }
    assert any(r.rule == "needs.carried" for _, r in found)
    # every need and every session has at least one reason
    for current in (plan, again):
        assert all(n.reasons for n in current.needs)
        assert all(
            s.reasons and (s.trainer_reasons or s.format is Format.MICRO_VIDEO) and s.slot_reasons
            for s in current.sessions
        )


def test_every_rule_of_the_pack_has_tests_here() -> None:
    """A rule added to the pack without a test naming it fails here."""
    here = Path(__file__).resolve().parent
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(here.glob("test_*.py"))
        if path.name != Path(__file__).name
    )

    untested = [rule for rule in RULE_STAGES if rule not in sources]

    assert untested == []
