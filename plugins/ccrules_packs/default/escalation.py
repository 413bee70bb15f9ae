"""Evaluation stage: three-level escalation per agent and competency (seed 001).

Escalation follows a failed check. A trained agent who missed the session, failed the
post-test, failed an on-site spot check, or did not improve on the indicator (QA after the
cycle still below the need's target and less than ``min_improvement`` points above the
need's level) has failed once more in a row; an agent who improved has not, even below a
stretch target. A voluntary course is the agent's choice: missing it is not a failure. At
the second failure the team lead is checked and re-delivers; at the third the whole team is
checked. A pass clears the run. The state is kept across cycles through the previous review.
"""

from __future__ import annotations

from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import clauses, msg
from ccrules.model import Escalation, Fact, Message, Need, Outcome, Plan, Review, Session
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import EscalationSettings, Settings
from ccrules_packs.default.windows import after, qa_scores, seated, spot_checks, still_weak

SETTINGS = "plugins.default"
RULE = "escalation.three-level"

ORDINALS = (
    msg("first"),
    msg("second"),
    msg("third"),
    msg("fourth"),
    msg("fifth"),
    msg("sixth"),
    msg("seventh"),
    msg("eighth"),
)
#: the same, opening a sentence
CAPITALIZED = (
    msg("First"),
    msg("Second"),
    msg("Third"),
    msg("Fourth"),
    msg("Fifth"),
    msg("Sixth"),
    msg("Seventh"),
    msg("Eighth"),
)


def ordinal(number: int, capitalized: bool = False) -> Message:
    """``second`` for 2 (``Second`` when ``capitalized``); ``12th`` past the words."""
    if 1 <= number <= len(ORDINALS):
        return (CAPITALIZED if capitalized else ORDINALS)[number - 1]
    if 10 <= number % 100 <= 20:
        return msg("{number}th", number=number)
    last = number % 10
    if last == 1:
        return msg("{number}st", number=number)
    if last == 2:
        return msg("{number}nd", number=number)
    if last == 3:
        return msg("{number}rd", number=number)
    return msg("{number}th", number=number)


NO_LEVEL_BEFORE = msg(", with no level before it to compare")


def level_of(failures: int, settings: EscalationSettings) -> int:
    """The escalation level a run of failures reaches: 3 the whole team, 2 the team lead, 1
    the agent, 0 none."""
    if failures <= 0:
        return 0
    if failures >= settings.team_at:
        return 3
    if failures >= settings.team_lead_at:
        return 2
    return 1


WHAT = {
    1: msg("the agent is checked again"),
    2: msg("the team lead is checked and re-delivers"),
    3: msg("the whole team is checked"),
}


def _settings_facts(settings: EscalationSettings) -> tuple[Fact, ...]:
    return (
        PLUGIN.fact("team_lead_at", settings.team_lead_at, f"{SETTINGS}.escalation.team_lead_at"),
        PLUGIN.fact("team_at", settings.team_at, f"{SETTINGS}.escalation.team_at"),
    )


@ccrules.hookimpl
def ccrules_escalate(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    previous: Review | None,
) -> list[Escalation]:
    pack = center.settings(Settings)
    settings = pack.escalation
    if not settings.enabled:
        return []
    pass_mark = pack.evaluation.pass_mark
    margin = pack.follow_up.weak_margin
    window = after(plan.cycle)
    scores = qa_scores(evidence, window)
    checks = spot_checks(evidence, window)
    outcome = {(o.session_id, o.agent_id): o for o in outcomes}
    earlier = {
        (e.agent_id, e.competency_id): e
        for e in (previous.escalations if previous is not None else ())
        if e.failures > 0
    }
    qa = center.source_of("qa")
    spot = center.source_of("spot_checks")
    competency_name = {c: center.competencies[c].name for c in center.competencies}

    # per agent and competency: the needs seated and their sessions
    trained: dict[tuple[str, str], list[tuple[Need, Session]]] = {}
    for need, session in seated(plan):
        trained.setdefault((need.agent_id, need.competency_id), []).append((need, session))

    result: list[Escalation] = []

    def decide(
        key: tuple[str, str], failed: list[Message], facts: list[Fact], passed_text: Message
    ) -> None:
        agent_id, competency_id = key
        agent = center.agents.get(agent_id)
        if agent is None:
            return
        name = competency_name.get(competency_id, competency_id)
        before = earlier.get(key)
        if not failed:
            if before is None:
                return
            result.append(
                Escalation(
                    agent_id,
                    competency_id,
                    agent.team_id,
                    failures=0,
                    level=0,
                    since=before.since,
                    reasons=(
                        PLUGIN.reason(
                            RULE,
                            msg(
                                "{checked}; passed; the escalation from {since} on {competency} "
                                "(level {level}, {failures} failure(s)) is cleared.",
                                checked=passed_text,
                                since=before.since,
                                competency=name,
                                level=before.level,
                                failures=before.failures,
                            ),
                            *facts,
                            PLUGIN.fact("previous_failures", before.failures),
                            PLUGIN.fact("previous_level", before.level),
                        ),
                    ),
                )
            )
            return
        failures = (before.failures if before is not None else 0) + 1
        level = level_of(failures, settings)
        since = before.since if before is not None else plan.cycle.id
        result.append(
            Escalation(
                agent_id,
                competency_id,
                agent.team_id,
                failures=failures,
                level=level,
                since=since,
                reasons=(
                    PLUGIN.reason(
                        RULE,
                        msg(
                            "{nth} failure in a row on {competency} since {since}: {failed}: "
                            "level {level}, {what}.",
                            nth=ordinal(failures, capitalized=True),
                            competency=name,
                            since=since,
                            failed=clauses(failed),
                            level=level,
                            what=WHAT[level],
                        ),
                        *facts,
                        PLUGIN.fact("failures", failures),
                        PLUGIN.fact("previous_failures", failures - 1),
                        PLUGIN.fact("level", level),
                        *_settings_facts(settings),
                    ),
                ),
            )
        )

    def spot_failures(key: tuple[str, str]) -> tuple[list[Message], list[Fact], int]:
        failed: list[Message] = []
        facts: list[Fact] = []
        found = checks.get(key, [])
        for date, passed, checker in found:
            if not passed:
                failed.append(
                    msg(
                        "failed the spot check on {date} by {checker}",
                        date=date.isoformat(),
                        checker=checker,
                    )
                    if checker
                    else msg("failed the spot check on {date}", date=date.isoformat())
                )
                facts.append(PLUGIN.fact("failed_spot_check", date.isoformat(), spot))
        return failed, facts, len(found)

    voluntary = {c.id for c in center.courses.values() if c.voluntary}
    for key in sorted(trained):
        agent_id = key[0]
        failed: list[Message] = []
        facts: list[Fact] = []
        attended_any = False
        # a voluntary course is the agent's choice: missing or failing it is no failure
        # ... and a supervisor conversation is no training to fail
        required = [
            (n, s)
            for n, s in trained[key]
            if s.course_id not in voluntary and s.course_id != pack.attrition.conversation_course
        ]
        if not required and key not in earlier:
            continue
        for _, session in required:
            got = outcome.get((session.id, agent_id))
            if got is None or not got.attended:
                text = msg("missed session {session}", session=session.id)
                if text not in failed:
                    failed.append(text)
                    facts.append(PLUGIN.fact("missed_session", session.id))
                continue
            attended_any = True
            if got.post_score is not None and got.post_score < pass_mark:
                text = msg(
                    "post-test {score:g} below the pass mark {pass_mark:g} in {session}",
                    score=got.post_score,
                    pass_mark=pass_mark,
                    session=session.id,
                )
                if text not in failed:
                    failed.append(text)
                    facts.append(PLUGIN.fact("post_score", got.post_score))
                    facts.append(
                        PLUGIN.fact("pass_mark", pass_mark, f"{SETTINGS}.evaluation.pass_mark")
                    )
        targets = [n.target_level for n, _ in required if n.target_level is not None]
        levels = [n.current_level for n, _ in required if n.current_level is not None]
        measured = scores.get(key)
        if targets and measured is not None and measured[1] >= 1:
            target = max(targets)
            score, evaluations = measured
            start = min(levels) if levels else None
            gained = score - start if start is not None else None
            stuck = gained is None or gained < settings.min_improvement
            if still_weak(score, target, margin) and stuck:
                since = (
                    msg(
                        ", {gained:+.2f} from {start:g} before it",
                        gained=gained,
                        start=round(start, 2),
                    )
                    if gained is not None and start is not None
                    else NO_LEVEL_BEFORE
                )
                failed.append(
                    msg(
                        "QA {score:g} after the cycle ({evaluations} evaluation(s), {start} to "
                        "{end}) is {gap:g} below the target {target:g}{since}, less than the "
                        "{improvement:g} points of improvement asked",
                        score=round(score, 2),
                        evaluations=evaluations,
                        start=window[0].isoformat(),
                        end=window[1].isoformat(),
                        gap=round(target - score, 2),
                        target=target,
                        since=since,
                        improvement=settings.min_improvement,
                    )
                )
                facts += [
                    PLUGIN.fact("qa_after", score, qa),
                    PLUGIN.fact("evaluations_after", evaluations, qa),
                    PLUGIN.fact("target_level", target),
                    PLUGIN.fact("level_before", start),
                    PLUGIN.fact("weak_margin", margin, f"{SETTINGS}.follow_up.weak_margin"),
                    PLUGIN.fact(
                        "min_improvement",
                        settings.min_improvement,
                        f"{SETTINGS}.escalation.min_improvement",
                    ),
                ]
        spot_failed, spot_facts, _ = spot_failures(key)
        failed += spot_failed
        facts += spot_facts
        sessions = tuple(sorted({s.id for _, s in required or trained[key]}))
        decide(
            key,
            failed,
            facts,
            msg("Trained in {sessions}", sessions=sessions)
            if attended_any
            else msg("Seated in {sessions}", sessions=sessions),
        )

    # escalations of agents not retrained this cycle: a spot check may settle them
    for key in sorted(earlier):
        if key in trained:
            continue
        before = earlier[key]
        agent = center.agents.get(key[0])
        if agent is None:
            continue
        spot_failed, spot_facts, checked = spot_failures(key)
        if checked:
            decide(
                key,
                spot_failed,
                spot_facts,
                msg("Spot-checked {checked} time(s) after the cycle", checked=checked),
            )
            continue
        name = competency_name.get(key[1], key[1])
        result.append(
            Escalation(
                key[0],
                key[1],
                agent.team_id,
                failures=before.failures,
                level=before.level,
                since=before.since,
                reasons=(
                    PLUGIN.reason(
                        RULE,
                        msg(
                            "Not retrained on {competency} this cycle and not spot-checked: the "
                            "escalation from {since} stays at level {level} ({failures} "
                            "failure(s) in a row).",
                            competency=name,
                            since=before.since,
                            level=before.level,
                            failures=before.failures,
                        ),
                        PLUGIN.fact("failures", before.failures),
                        PLUGIN.fact("level", before.level),
                        PLUGIN.fact("previous_cycle", previous.cycle.id if previous else None),
                    ),
                ),
            )
        )
    return result
