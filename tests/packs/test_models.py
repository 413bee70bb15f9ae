"""The two operating models of seed 000 on the same data: the `inhouse` pack trains with the
center's own staff; the `bpo` pack with the client's certified vendor trainers, the client's
mandated courses, a contracted hours cap and the plan's cost."""

from __future__ import annotations

from tests.default_pack.scenario import Tiny

from ccrules.i18n import text
from ccrules.model import Plan, PriorityStatus, TrainerKind

OWN_STAFF = {TrainerKind.TEAM_LEAD, TrainerKind.TOP_AGENT, TrainerKind.METHOD_PROVIDER}


def center() -> Tiny:
    """The tiny center with a vendor trainer beside its full-time trainer and team lead."""
    tiny = Tiny().trainer(
        "TRV", {"C1": 96, "C2": 96, "C3": 96}, kind="vendor", capacity_hours=20, cost_per_hour=200
    )
    tiny.add("exams", exam_id="M-11", agent_id="A2", date="2026-11-02", competency_id="C1",
             score=90, pass_mark=70, max_score=100)  # fmt: skip
    return tiny


def inhouse() -> Plan:
    tiny = center()
    tiny.config["plugins"]["enabled"] = ["default", "inhouse"]
    return tiny.plan()


def bpo(contracted_hours: float = 3.0) -> Plan:
    tiny = center()
    tiny.config["center"].update(model="bpo", client="星河电商")
    tiny.config["plugins"]["enabled"] = ["default", "bpo"]
    tiny.config["plugins"]["bpo"] = {
        "contracted_hours": contracted_hours,
        "cost_per_hour": 40,
        "mandated": [{"course": "K1", "every_days": 365}],
    }
    for course in ("K1", "K2", "K3", "K4", "K5"):
        tiny.add("approved_courses", course_id=course, approved_by="星河电商", valid_until=None)
    tiny.add("certified_trainers", trainer_id="TRV", competency_id=None, valid_until=None)
    return tiny.plan()


def test_trainer_kinds_differ() -> None:
    own, vendor = inhouse(), bpo()

    own_kinds = {t.kind for t in own.trainers}
    assert own_kinds & OWN_STAFF  # the center's own people teach
    assert TrainerKind.VENDOR not in own_kinds  # own staff and trainers come first
    assert {t.kind for t in vendor.trainers} == {TrainerKind.VENDOR}
    assert {s.trainer_id for s in vendor.sessions if s.trainer_id} == {"TRV"}


def test_only_the_bpo_pack_plans_the_client_mandate() -> None:
    own, vendor = inhouse(), bpo()

    assert not [n for n in own.needs if n.source == "mandate"]
    mandated = {n.agent_id for n in vendor.needs if n.source == "mandate"}
    # every active agent but A2, who passed the exam on C1 within the year
    assert mandated == {"A1", "A3", "A4", "A5", "B1", "B2", "B3"}
    status = {p.need_id: p.status for p in vendor.priorities}
    assert {status[n.id] for n in vendor.needs if n.source == "mandate"} == {PriorityStatus.PLANNED}
    assert all(n.mandatory for n in vendor.needs if n.source == "mandate")


def test_only_the_bpo_pack_caps_hours_and_reports_cost() -> None:
    own, capped, loose = inhouse(), bpo(3.0), bpo(1000.0)

    assert "bpo.cost" not in {r.id for r in own.reports}
    cost = capped.report("bpo.cost")
    assert "星河电商" in text(cost.summary)
    # the cap unplaces needs the loose contract trains
    cut = [u for u in capped.unplaced if any(r.rule == "bpo.hours-cap" for r in u.reasons)]
    assert cut
    assert not [u for u in loose.unplaced if any(r.rule == "bpo.hours-cap" for r in u.reasons)]
    assert capped.summary.training_minutes < loose.summary.training_minutes
    # the trainer cost is the vendor's rate on the hours given
    assert capped.summary.trainer_cost == round(200 * capped.summary.trainer_hours, 2)
    assert own.summary.trainer_cost < capped.summary.trainer_cost
