"""Three consecutive cycles of one center, through ``Engine.review`` and
``Engine.plan(previous=...)``: escalation, trainer probation and removal, and carry-over.

The tiny center, changed so that:

- cycles W1 (2026-11-30..12-04), W2 (12-14..12-18), W3 (12-28..2027-01-01), each measured
  for a week after it;
- every agent is trained on one competency a cycle; a gap shared by one agent of a team is
  a pre-shift share (T1: A2, A3, A4 on C1; T2: B3 on C1);
- C1 is taught by TRX (score 5.0 from trainers.csv, so first choice) and TR2 (the T1 lead,
  hours for one share a cycle); TR1 teaches only C2 (coaching A5 and B2);
- A3 fails the post-test every cycle; A4 misses W1 and passes W2; B2 has a C2 gap (trained)
  and a C3 gap (deferred) whose QA is so old that the C3 need expires on 2026-12-16;
- TRX's trainees rate it 1 of 5, TR1's 5 of 5: TRX is below the floor score every cycle.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ccrules import Engine
from ccrules.model import FollowUpKind, Format, Outcome, Plan, Review, TrainerStatus

from .scenario import Tiny, text

W1, W2, W3 = "W1", "W2", "W3"

# per agent: attended, post-test, satisfaction (anyone not named attends and scores 90)
RESULTS: dict[str, dict[str, tuple[bool, float | None, float | None]]] = {
    W1: {
        "A3": (True, 50.0, 1.0),
        "A4": (False, None, None),
        "B2": (True, 50.0, 5.0),
    },
    W2: {"A3": (True, 50.0, 1.0)},
    W3: {"A3": (True, 50.0, 1.0)},
}
RATING = {"A5": 5.0, "B2": 5.0}  # TR1's trainees; everyone else rates 1


def center() -> Tiny:
    tiny = Tiny()
    tiny.config["cycles"] = [
        {
            "id": W1,
            "start": dt.date(2026, 11, 30),
            "end": dt.date(2026, 12, 4),
            "outcomes_to": dt.date(2026, 12, 11),
        },
        {
            "id": W2,
            "start": dt.date(2026, 12, 14),
            "end": dt.date(2026, 12, 18),
            "outcomes_to": dt.date(2026, 12, 25),
        },
        {
            "id": W3,
            "start": dt.date(2026, 12, 28),
            "end": dt.date(2027, 1, 1),
            "outcomes_to": dt.date(2027, 1, 8),
        },
    ]
    tiny.set("priorities", max_competencies_per_agent=1)
    tiny.set("courses", share_min_agents=1, share_min_ratio=0.3, share_min_attendees=1)
    tiny.set("trainers", team_lead_for_shares=False)
    tiny.set("evaluation", min_responses=1)
    tiny.set(
        "scorecards",
        min_trainees=1,
        floor_score=2.6,
        remove_after=3,
        weights={"satisfaction": 1.0, "pass_rate": 1.0, "improvement": 0.0},
    )
    # B3: a C1 gap (planned) besides its FCR need (deferred)
    tiny.score("B3", "I1", 6)
    # B2: a C2 gap (planned) and its C3 gap (deferred), on QA of September only
    tiny.score("B2", "I2", 2)
    for number, evaluation in enumerate(
        sorted({r["evaluation_id"] for r in tiny.rows("qa", agent_id="B2")})
    ):
        tiny.update("qa", {"evaluation_id": evaluation}, date=dt.date(2026, 9, 3 + 7 * number))
    # trainers: TRX first for C1, TR2 one share a cycle, TR1 C2 only
    tiny.trainer("TRX", {"C1": 95}, name="徐老师", score=5.0)
    tiny.update("trainers", {"trainer_id": "TR2"}, capacity_hours=0.25)
    tiny.remove("trainer_skills", trainer_id="TR1", competency_id="C1")
    return tiny


def engine(tiny: Tiny, folder: Path, cycle: str) -> Engine:
    where = folder / cycle
    where.mkdir()
    tiny.write(where)
    return Engine.from_folder(where, cycle=cycle)


def outcomes(plan: Plan) -> list[Outcome]:
    results = RESULTS[plan.cycle.id]
    found = []
    for session in plan.sessions:
        for agent in session.attendees:
            came, score, rating = results.get(agent, (True, 90.0, RATING.get(agent, 1.0)))
            found.append(Outcome(session.id, agent, came, score, rating))
    return found


def run(tmp_path: Path) -> tuple[list[Plan], list[Review]]:
    tiny = center()
    plans: list[Plan] = []
    reviews: list[Review] = []
    for cycle in (W1, W2, W3):
        with engine(tiny, tmp_path, cycle) as loaded:
            plan = loaded.plan(previous=reviews[-1] if reviews else None)
            assert not plan.unplaced, [(u.id, u.reasons) for u in plan.unplaced]
            plans.append(plan)
            reviews.append(loaded.review(plan, outcomes(plan), earlier=reviews))
    return plans, reviews


def trainer_of(plan: Plan, team_id: str) -> str | None:
    (session,) = [s for s in plan.sessions if s.competency_id == "C1" and s.team_id == team_id]
    return session.trainer_id


def test_three_cycles(tmp_path: Path) -> None:
    (p1, p2, p3), (r1, r2, r3) = run(tmp_path)

    # -- escalation: A3 fails three times in a row ------------------------------------------
    levels = [
        {(e.agent_id, e.competency_id): (e.failures, e.level) for e in r.escalations}
        for r in (r1, r2, r3)
    ]
    assert levels[0][("A3", "C1")] == (1, 1)
    assert levels[1][("A3", "C1")] == (2, 2)
    assert levels[2][("A3", "C1")] == (3, 3)
    assert {e.since for e in r3.escalations if e.agent_id == "A3"} == {W1}

    def checks(review: Review, why: str) -> set[str]:
        return {
            f.agent_id
            for f in review.follow_ups
            if f.kind is FollowUpKind.ON_SITE and f.competency_id == "C1" and f.why == why
        }

    assert checks(r1, "team-lead") == set()
    assert checks(r2, "team-lead") == {"A1"}  # T1's lead
    assert checks(r2, "team") == set()
    assert checks(r3, "team") == {"A1", "A2", "A3", "A4", "A5"}
    assert "A3" in checks(r3, "failed-test")

    # the carried need in W3 is the team lead's, and says why
    carried = p3.need("carried:qa:A3:C1")
    assert (carried.escalation, carried.owner_team, carried.attempts) == (2, "team-lead", 2)
    assert "second failure: the team lead re-delivers face to face (seed 001)" in (
        carried.reasons[0].text
    )
    # ... and the W3 plan has T1's lead give it, face to face, not the share it failed in
    (again,) = [s for s in p3.sessions if carried.id in s.need_ids]
    assert again.format is not Format.PRE_SHIFT and again.format is not Format.MICRO_VIDEO
    assert again.trainer_from == "team-lead"
    (open_a3,) = [c for c in r3.open if c.need.id == "carried:qa:A3:C1"]
    assert open_a3.escalation == 3
    assert "the whole team is checked" in text(open_a3.reasons)

    # -- A4 misses W1, passes W2: carried with attempts 1 and level 1, then cleared ------------
    a4 = p2.need("carried:qa:A4:C1")
    assert (a4.attempts, a4.escalation, a4.owner_team) == (1, 1, "QA")
    assert levels[0][("A4", "C1")] == (1, 1)
    assert levels[1][("A4", "C1")] == (0, 0)
    (cleared,) = [e for e in r2.escalations if e.agent_id == "A4"]
    assert "passed; the escalation from W1" in text(cleared.reasons)
    assert ("A4", "C1") not in levels[2]  # nothing left to carry

    # -- the expiring need: deferred in W1 and W2, dropped at the end of W2 with a reason -----
    assert p2.need("carried:qa:B2:C3").attempts == 0
    (expired,) = [c for c in r2.carried if c.need.id == "carried:qa:B2:C3"]
    assert expired.status == "closed"
    assert "expired on 2026-12-16" in text(expired.reasons)
    assert not [n for n in p3.needs if n.agent_id == "B2" and n.competency_id == "C3"]

    # -- trainers: TRX in the bottom group W1 and W2 -> probation, W3 -> removed ---------------
    trx = [r.trainer("TRX") for r in (r1, r2, r3)]
    assert [(t.status, t.bottom_runs) for t in trx if t is not None] == [
        (TrainerStatus.ACTIVE, 1),
        (TrainerStatus.PROBATION, 2),
        (TrainerStatus.REMOVED, 3),
    ]
    assert "on probation" in text(trx[1].reasons if trx[1] else ())
    tr1 = [r.trainer("TR1") for r in (r1, r2)]
    assert [t.status for t in tr1 if t is not None] == [TrainerStatus.ACTIVE] * 2

    # W1 and W2: TRX (best score) gives both C1 shares; W3: TR2, active, comes first
    assert (trainer_of(p1, "T1"), trainer_of(p1, "T2")) == ("TRX", "TRX")
    assert (trainer_of(p2, "T1"), trainer_of(p2, "T2")) == ("TRX", "TRX")
    assert {trainer_of(p3, "T1"), trainer_of(p3, "T2")} == {"TR2", "TRX"}
    # TRX also gives A3's re-delivery: T1's lead, asked for, has no hours left for it
    on_probation = [s for s in p3.sessions if s.trainer_id == "TRX"]
    assert all("on probation" in text(s.trainer_reasons) for s in on_probation)
    (redelivery,) = [s for s in on_probation if s.trainer_from == "team-lead"]
    assert "was asked for but is not qualified" in text(redelivery.trainer_reasons)
    (share,) = [s for s in on_probation if s.team_id is not None]
    (first,) = [s for s in p3.sessions if s.trainer_id == "TR2"]
    assert first.rank < share.rank  # TR2 was free for the more important share
