"""Evidence read over the two windows an evaluation compares: the plan's evidence window
("before") and the window after the cycle ("after", ``cycle.end`` + 1 to
``cycle.outcomes_to``). One SQL query per window and population, never per agent.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping

from ccrules import Evidence
from ccrules.model import Cycle, Need, Outcome, Plan, Session

#: (agent id, competency id or metric) -> (value, how many evaluations or periods)
Measures = dict[tuple[str, str], tuple[float, int]]

Window = tuple[dt.date, dt.date]


def before(cycle: Cycle) -> Window:
    """The plan's evidence window."""
    return (cycle.evidence_from, cycle.evidence_to)


def after(cycle: Cycle) -> Window:
    """The window after the cycle that outcomes are measured in."""
    end = cycle.outcomes_to or cycle.end + dt.timedelta(days=28)
    return (cycle.end + dt.timedelta(days=1), end)


#: the QA scores of a review's windows, asked for by evaluation, escalation and follow-ups
#: alike: each window read once per evidence (the tables do not change once built)
_QA_SCORES: weakref.WeakKeyDictionary[Evidence, dict[Window, Measures]] = (
    weakref.WeakKeyDictionary()
)


def qa_scores(evidence: Evidence, window: Window) -> Measures:
    """QA score 0-100 per agent and competency in the window (points earned as a share of
    points possible, as the core's ``competency_scores``), with distinct evaluations.
    Do not change the mapping returned: it is shared by every caller."""
    known = _QA_SCORES.setdefault(evidence, {})
    found = known.get(window)
    if found is None:
        found = known[window] = _qa_scores(evidence, window)
    return found


def _qa_scores(evidence: Evidence, window: Window) -> Measures:
    if window == evidence.window:
        # the evidence window's are the core's competency_scores, already aggregated
        rows = evidence.sql(
            "SELECT agent_id, competency_id, score, evaluations FROM competency_scores "
            "ORDER BY agent_id, competency_id"
        )
        return {(a, c): (float(s), int(n)) for a, c, s, n in rows}
    rows = evidence.sql(
        """
        SELECT q.agent_id, i.competency_id,
               round(100 * sum(q.score) / sum(q.max_score), 4) AS score,
               count(DISTINCT q.evaluation_id) AS evaluations
        FROM qa q JOIN qa_items i USING (item_id)
        WHERE q.date BETWEEN $from AND $to
        GROUP BY q.agent_id, i.competency_id
        ORDER BY q.agent_id, i.competency_id
        """,
        {"from": window[0], "to": window[1]},
    )
    return {(a, c): (float(s), int(n)) for a, c, s, n in rows}


def qa_overall(evidence: Evidence, window: Window) -> dict[str, tuple[float, int]]:
    """QA score 0-100 per agent over every competency in the window, with evaluations."""
    rows = evidence.sql(
        """
        SELECT agent_id, round(100 * sum(score) / sum(max_score), 4),
               count(DISTINCT evaluation_id)
        FROM qa WHERE date BETWEEN $from AND $to
        GROUP BY agent_id ORDER BY agent_id
        """,
        {"from": window[0], "to": window[1]},
    )
    return {a: (float(s), int(n)) for a, s, n in rows}


def kpi_means(evidence: Evidence, window: Window, metrics: Iterable[str]) -> Measures:
    """Mean KPI value per agent and metric over the periods starting in the window."""
    wanted = sorted(set(metrics))
    if not wanted or not evidence.has("kpis"):
        return {}
    rows = evidence.sql(
        """
        SELECT agent_id, metric, avg(value)::DOUBLE, count(*)
        FROM kpis
        WHERE period BETWEEN $from AND $to AND list_contains($metrics, metric)
        GROUP BY agent_id, metric ORDER BY agent_id, metric
        """,
        {"from": window[0], "to": window[1], "metrics": wanted},
    )
    return {(a, m): (round(float(v), 6), int(n)) for a, m, v, n in rows}


def attended(outcomes: Iterable[Outcome]) -> set[tuple[str, str]]:
    """(session id, agent id) of every attendee who took part."""
    return {(o.session_id, o.agent_id) for o in outcomes if o.attended}


def invited_by_competency(plan: Plan) -> Mapping[str, frozenset[str]]:
    """Competency -> every agent the plan seated in a session on it (trained or not): they
    are never part of a comparison group for that competency."""
    seated: dict[str, set[str]] = {}
    for session in plan.sessions:
        seated.setdefault(session.competency_id, set()).update(session.attendees)
    return {c: frozenset(a) for c, a in seated.items()}


def seated(plan: Plan) -> list[tuple[Need, Session]]:
    """Every need the plan seated in a placed session, with that session, by agent,
    competency and need id (a need named by a session its agent does not attend, as after a
    split, is left out)."""
    needs = {need.id: need for need in plan.needs}
    found: dict[str, tuple[Need, Session]] = {}
    for session in plan.sessions:
        attendees = set(session.attendees)
        for need_id in session.need_ids:
            need = needs.get(need_id)
            if need is not None and need.agent_id in attendees:
                found.setdefault(need_id, (need, session))
    return sorted(found.values(), key=lambda p: (p[0].agent_id, p[0].competency_id, p[0].id))


def still_weak(score: float, target: float, margin: float) -> bool:
    """Whether a QA score after the cycle is still weak on the indicator: below the need's
    target by ``margin`` points or more (``[plugins.default.follow_up] weak_margin``)."""
    return score < target and target - score >= margin


#: (agent id, competency id) -> spot checks in the window: (date, passed, checker), by date
SpotChecks = dict[tuple[str, str], list[tuple[dt.date, bool, str | None]]]


def spot_checks(evidence: Evidence, window: Window) -> SpotChecks:
    """On-site spot checks per agent and competency in the window (one query)."""
    rows = evidence.sql(
        """
        SELECT agent_id, competency_id, date, passed, checker
        FROM spot_checks WHERE date BETWEEN $from AND $to
        ORDER BY agent_id, competency_id, date
        """,
        {"from": window[0], "to": window[1]},
    )
    found: SpotChecks = {}
    for agent_id, competency_id, date, passed, checker in rows:
        found.setdefault((agent_id, competency_id), []).append((date, bool(passed), checker))
    return found
