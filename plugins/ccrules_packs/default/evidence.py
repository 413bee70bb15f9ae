"""Evidence stage: per-team aggregates the courses stage and reports read."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence, EvidenceTable


@ccrules.hookimpl
def ccrules_aggregate_evidence(center: Center, evidence: Evidence) -> list[EvidenceTable]:
    return [
        EvidenceTable(
            name="team_competency_scores",
            doc="QA per team and competency: agents scored, mean score, mean required level "
            "and agents below their role's required level.",
            sql="""
            SELECT a.team_id, s.competency_id,
                   count(*) AS agents,
                   round(avg(s.score), 4) AS score,
                   round(avg(p.required_level), 4) AS required_level,
                   count(CASE WHEN s.score < p.required_level THEN 1 END) AS below_required
            FROM competency_scores s
            JOIN agents a ON a.agent_id = s.agent_id
            LEFT JOIN role_profiles p
                   ON p.role_id = a.role_id AND p.competency_id = s.competency_id
            WHERE a.status = 'active'
            GROUP BY a.team_id, s.competency_id
            """,
        )
    ]
