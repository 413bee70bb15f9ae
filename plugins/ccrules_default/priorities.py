"""Priorities stage: rank by rule priority and severity, cap competencies per agent."""

from __future__ import annotations

from collections.abc import Sequence

import ccrules
from ccrules import Center
from ccrules.model import Fact, Need, Priority, PriorityStatus
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import Settings


def rank_key(need: Need) -> tuple[int, float, str, str]:
    """Higher priority first, then higher severity; ids break ties."""
    return (-need.priority, -need.severity, need.agent_id, need.id)


@ccrules.hookimpl
def ccrules_prioritize(center: Center, needs: Sequence[Need]) -> list[Priority]:
    limit = center.settings(Settings).priorities.max_competencies_per_agent
    chosen: dict[str, list[str]] = {}  # agent -> competencies planned, in rank order
    result = []
    for rank, need in enumerate(sorted(needs, key=rank_key), start=1):
        planned = chosen.setdefault(need.agent_id, [])
        facts: tuple[Fact, ...] = (
            PLUGIN.fact("priority", need.priority),
            PLUGIN.fact("severity", need.severity),
        )
        if need.competency_id in planned:
            status = PriorityStatus.PLANNED
            text = (
                f"Rank {rank}; the agent is already planned on this competency, so this "
                "need is served by the same session."
            )
        elif len(planned) < limit:
            planned.append(need.competency_id)
            status = PriorityStatus.PLANNED
            text = f"Rank {rank} by priority {need.priority}, severity {need.severity:g}."
        else:
            status = PriorityStatus.DEFERRED
            text = (
                f"Rank {rank}; deferred: the agent already has {limit} competencies planned "
                f"this cycle ({', '.join(planned)})."
            )
            facts = (
                *facts,
                PLUGIN.fact(
                    "max_competencies_per_agent",
                    limit,
                    "plugins.default.priorities.max_competencies_per_agent",
                ),
            )
        result.append(
            Priority(
                need_id=need.id,
                rank=rank,
                status=status,
                reasons=(PLUGIN.reason("priorities.rank", text, *facts),),
            )
        )
    return result
