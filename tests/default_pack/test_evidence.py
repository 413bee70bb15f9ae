"""Evidence stage of the default pack: evidence.team-scores."""

from __future__ import annotations

from .scenario import Tiny


def test_team_competency_scores() -> None:
    with Tiny().engine() as engine:
        engine.build_evidence()
        rows = engine.evidence.sql(
            "SELECT team_id, competency_id, agents, score, required_level, below_required "
            "FROM team_competency_scores ORDER BY team_id, competency_id"
        )

    by_key = {(r[0], r[1]): r[2:] for r in rows}
    # T1 on C1: A1 90 (TL, 85 required), A2-A4 60 and A5 90 (AG, 80 required)
    assert by_key[("T1", "C1")] == (5, (90 + 60 * 3 + 90) / 5, (85 + 80 * 4) / 5, 3)
    # T2 on C3: B1 90 (TL: no requirement), B2 55 and B3 80 (AG, 70); B4 on leave is left out
    assert by_key[("T2", "C3")] == (3, round((90 + 55 + 80) / 3, 4), 70, 1)
    assert {key[0] for key in by_key} == {"T1", "T2"}
