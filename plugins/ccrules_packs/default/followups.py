"""Evaluation stage: the 50% + 50% check - on-site checks and recordings (seed 001).

Half of the check is on the floor: the agents still weak on the indicator, with a high
test-call error rate, who failed the post-test or missed the session, and, as escalation
rises, their team lead and then their whole team. The other half is recordings: a set
number of QA'd contacts on the topic per trained agent, drawn the same way every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import (
    Escalation,
    Fact,
    FollowUp,
    FollowUpKind,
    Message,
    Need,
    Outcome,
    Plan,
    Session,
)
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import FollowUpSettings, Settings
from ccrules_packs.default.windows import Window, after, before, qa_scores, seated, still_weak

SETTINGS = "plugins.default.follow_up"
ON_SITE = "follow-up.on-site"
RECORDINGS = "follow-up.recordings"


def _test_calls(evidence: Evidence, window: Window) -> dict[tuple[str, str], tuple[int, int]]:
    """(agent, competency) -> (test calls, failed) on the competency's topics in the window."""
    rows = evidence.sql(
        """
        SELECT c.agent_id, t.competency_id, count(*) AS calls,
               count(*) FILTER (WHERE NOT c.passed) AS failed
        FROM test_calls c JOIN topics t USING (topic_id)
        WHERE c.date BETWEEN $from AND $to
        GROUP BY c.agent_id, t.competency_id
        ORDER BY c.agent_id, t.competency_id
        """,
        {"from": window[0], "to": window[1]},
    )
    return {(a, c): (int(n), int(f)) for a, c, n, f in rows}


def _on_site(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    levels: dict[tuple[str, str], int],
    settings: FollowUpSettings,
    pass_mark: float,
) -> list[FollowUp]:
    window = after(plan.cycle)
    scores = qa_scores(evidence, window)
    calls = _test_calls(evidence, window)
    outcome = {(o.session_id, o.agent_id): o for o in outcomes}
    qa = center.source_of("qa")
    test_calls = center.source_of("test_calls")
    found: dict[tuple[str, str, str], FollowUp] = {}

    def item(need: Need, session: Session, why: str, text: Message, *facts: Fact) -> None:
        key = (need.agent_id, need.competency_id, why)
        if key in found:
            return
        level = levels.get((need.agent_id, need.competency_id), 0)
        found[key] = FollowUp(
            FollowUpKind.ON_SITE,
            need.agent_id,
            need.competency_id,
            why,
            escalation=level,
            need_id=need.id,
            session_id=session.id,
            reasons=(PLUGIN.reason(ON_SITE, text, *facts, escalation=level),),
        )

    for need, session in seated(plan):
        agent_id, competency_id = need.agent_id, need.competency_id
        name = center.competencies[competency_id].name
        got = outcome.get((session.id, agent_id))
        if got is None or not got.attended:
            item(
                need,
                session,
                "missed",
                msg(
                    "Missed session {session} on {competency}: check on site.",
                    session=session.id,
                    competency=name,
                ),
            )
        elif got.post_score is not None and got.post_score < pass_mark:
            item(
                need,
                session,
                "failed-test",
                msg(
                    "Post-test {score:g} in {session} is below the pass mark {pass_mark:g}: "
                    "check on site.",
                    score=got.post_score,
                    session=session.id,
                    pass_mark=pass_mark,
                ),
                PLUGIN.fact("post_score", got.post_score),
                PLUGIN.fact("pass_mark", pass_mark, "plugins.default.evaluation.pass_mark"),
            )
        measured = scores.get((agent_id, competency_id))
        if need.target_level is not None and measured is not None and measured[1] >= 1:
            score, evaluations = measured
            if still_weak(score, need.target_level, settings.weak_margin):
                item(
                    need,
                    session,
                    "weak",
                    msg(
                        "Still weak on {competency}: QA {score:g} after the cycle ({evaluations} "
                        "evaluation(s), {start} to {end}) is {gap:g} below the target "
                        "{target:g}.",
                        competency=name,
                        score=round(score, 2),
                        evaluations=evaluations,
                        start=window[0].isoformat(),
                        end=window[1].isoformat(),
                        gap=round(need.target_level - score, 2),
                        target=need.target_level,
                    ),
                    PLUGIN.fact("qa_after", score, qa),
                    PLUGIN.fact("evaluations_after", evaluations, qa),
                    PLUGIN.fact("target_level", need.target_level),
                    PLUGIN.fact("weak_margin", settings.weak_margin, f"{SETTINGS}.weak_margin"),
                )
        tested = calls.get((agent_id, competency_id))
        if tested is not None:
            total, failed = tested
            rate = failed / total
            if total >= settings.min_test_calls and rate >= settings.test_call_error_rate:
                item(
                    need,
                    session,
                    "test-calls",
                    msg(
                        "{failed} of {total} test calls on {competency} failed after the cycle "
                        "({rate:.0%} >= {limit:.0%}).",
                        failed=failed,
                        total=total,
                        competency=name,
                        rate=rate,
                        limit=settings.test_call_error_rate,
                    ),
                    PLUGIN.fact("test_calls", total, test_calls),
                    PLUGIN.fact("failed_test_calls", failed, test_calls),
                    PLUGIN.fact(
                        "test_call_error_rate",
                        settings.test_call_error_rate,
                        f"{SETTINGS}.test_call_error_rate",
                    ),
                    PLUGIN.fact(
                        "min_test_calls", settings.min_test_calls, f"{SETTINGS}.min_test_calls"
                    ),
                )
    return [found[k] for k in sorted(found)]


def _escalated(center: Center, escalations: Sequence[Escalation]) -> list[FollowUp]:
    """Level 2: the team lead is checked; level 3: every active member of the team too."""
    named: dict[tuple[str, str, str], tuple[int, list[Escalation]]] = {}

    def add(agent_id: str, escalation: Escalation, why: str) -> None:
        key = (agent_id, escalation.competency_id, why)
        level, causes = named.get(key, (0, []))
        named[key] = (max(level, escalation.level), [*causes, escalation])

    for escalation in sorted(escalations, key=lambda e: (e.agent_id, e.competency_id)):
        if escalation.level < 2:
            continue
        team = center.teams.get(escalation.team_id)
        lead = team.lead_id if team is not None else None
        if lead is not None and lead != escalation.agent_id:
            add(lead, escalation, "team-lead")
        if escalation.level >= 3:
            for member in center.members(escalation.team_id):
                add(member.id, escalation, "team")
    result = []
    for key in sorted(named):
        agent_id, competency_id, why = key
        level, causes = named[key]
        name = center.competencies[competency_id].name
        who = tuple(
            msg(
                "{agent} ({agent_id}, {failures} failures since {since})",
                agent=center.agents[c.agent_id].name,
                agent_id=c.agent_id,
                failures=c.failures,
                since=c.since,
            )
            for c in causes
        )
        text = (
            msg(
                "The team lead is checked on {competency} and re-delivers it: {who}.",
                competency=name,
                who=who,
            )
            if why == "team-lead"
            else msg("The whole team is checked on {competency}: {who}.", competency=name, who=who)
        )
        result.append(
            FollowUp(
                FollowUpKind.ON_SITE,
                agent_id,
                competency_id,
                why,
                escalation=level,
                reasons=(
                    PLUGIN.reason(
                        ON_SITE,
                        text,
                        PLUGIN.fact("team", causes[0].team_id, center.source_of("teams")),
                        escalated_agents=", ".join(c.agent_id for c in causes),
                        escalation=level,
                    ),
                ),
            )
        )
    return result


def draw_key(cycle_id: str, agent_id: str, contact_id: str) -> str:
    """The order recordings are drawn in: a hash of the cycle, agent and contact, the same on
    every machine and run."""
    return hashlib.sha256(f"{cycle_id}\x1f{agent_id}\x1f{contact_id}".encode()).hexdigest()


def _recordings(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    levels: dict[tuple[str, str], int],
    settings: FollowUpSettings,
) -> list[FollowUp]:
    per_agent = settings.recordings_per_agent
    if per_agent <= 0:
        return []
    came = {(o.session_id, o.agent_id) for o in outcomes if o.attended}
    trained: dict[tuple[str, str], tuple[Need, Session]] = {}
    for need, session in seated(plan):
        if (session.id, need.agent_id) in came:
            trained.setdefault((need.agent_id, need.competency_id), (need, session))
    if not trained:
        return []
    first, last = before(plan.cycle), after(plan.cycle)
    rows = evidence.sql(
        """
        SELECT q.agent_id, i.competency_id, coalesce(q.contact_id, q.evaluation_id) AS contact,
               bool_or(q.date BETWEEN $after_from AND $after_to) AS later
        FROM qa q JOIN qa_items i USING (item_id)
        SEMI JOIN (SELECT unnest($agents) AS agent_id, unnest($competencies) AS competency_id) t
             ON t.agent_id = q.agent_id AND t.competency_id = i.competency_id
        WHERE (q.date BETWEEN $after_from AND $after_to
               OR q.date BETWEEN $before_from AND $before_to)
        GROUP BY q.agent_id, i.competency_id, contact
        ORDER BY q.agent_id, i.competency_id, contact
        """,
        {
            "agents": [a for a, _ in sorted(trained)],
            "competencies": [c for _, c in sorted(trained)],
            "after_from": last[0],
            "after_to": last[1],
            "before_from": first[0],
            "before_to": first[1],
        },
    )
    pools: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for agent_id, competency_id, contact, later in rows:
        if (agent_id, competency_id) in trained:
            pool = pools.setdefault((agent_id, competency_id), ([], []))
            pool[0 if later else 1].append(str(contact))
    qa = center.source_of("qa")
    result = []
    for key in sorted(pools):
        agent_id, competency_id = key
        later, earlier = pools[key]
        contacts, window, afterwards = (later, last, True) if later else (earlier, first, False)
        drawn = sorted(contacts, key=lambda c: draw_key(plan.cycle.id, agent_id, c))[:per_agent]
        need, session = trained[key]
        name = center.competencies[competency_id].name
        for number, contact in enumerate(drawn, start=1):
            result.append(
                FollowUp(
                    FollowUpKind.RECORDING,
                    agent_id,
                    competency_id,
                    "sample",
                    escalation=levels.get(key, 0),
                    need_id=need.id,
                    session_id=session.id,
                    contact_id=contact,
                    reasons=(
                        PLUGIN.reason(
                            RECORDINGS,
                            msg(
                                "Recording {number} of {drawn} drawn from {contacts} QA'd "
                                "contacts on {competency} after the cycle ({start} to {end}).",
                                number=number,
                                drawn=len(drawn),
                                contacts=len(contacts),
                                competency=name,
                                start=window[0].isoformat(),
                                end=window[1].isoformat(),
                            )
                            if afterwards
                            else msg(
                                "Recording {number} of {drawn} drawn from {contacts} QA'd "
                                "contacts on {competency} before the cycle ({start} to {end}).",
                                number=number,
                                drawn=len(drawn),
                                contacts=len(contacts),
                                competency=name,
                                start=window[0].isoformat(),
                                end=window[1].isoformat(),
                            ),
                            PLUGIN.fact("contacts", len(contacts), qa),
                            PLUGIN.fact(
                                "recordings_per_agent",
                                per_agent,
                                f"{SETTINGS}.recordings_per_agent",
                            ),
                            window_from=window[0],
                            window_to=window[1],
                        ),
                    ),
                )
            )
    return result


@ccrules.hookimpl
def ccrules_follow_ups(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    escalations: Sequence[Escalation],
) -> list[FollowUp]:
    pack = center.settings(Settings)
    settings = pack.follow_up
    if not settings.enabled:
        return []
    levels = {(e.agent_id, e.competency_id): e.level for e in escalations}
    return [
        *_on_site(center, evidence, plan, outcomes, levels, settings, pack.evaluation.pass_mark),
        *_escalated(center, escalations),
        *_recordings(center, evidence, plan, outcomes, levels, settings),
    ]
