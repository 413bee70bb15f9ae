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
from ccrules.model import Escalation, Fact, Need, Outcome, Plan, Review, Session
from ccrules_default._meta import PLUGIN
from ccrules_default.settings import EscalationSettings, Settings
from ccrules_default.windows import after, qa_scores, seated, spot_checks, still_weak

SETTINGS = "plugins.default"
RULE = "escalation.three-level"

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def ordinal(number: int) -> str:
    """``second`` for 2; ``12th`` past the words."""
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


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
    1: "the agent is checked again",
    2: "the team lead is checked and re-delivers",
    3: "the whole team is checked",
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
        key: tuple[str, str], failed: list[str], facts: list[Fact], passed_text: str
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
                            f"{passed_text}; passed; the escalation from {before.since} on "
                            f"{name} (level {before.level}, {before.failures} failure(s)) is "
                            "cleared.",
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
                        f"{ordinal(failures).capitalize()} failure in a row on {name} since "
                        f"{since}: {'; '.join(failed)}: level {level}, {WHAT[level]}.",
                        *facts,
                        PLUGIN.fact("failures", failures),
                        PLUGIN.fact("previous_failures", failures - 1),
                        PLUGIN.fact("level", level),
                        *_settings_facts(settings),
                    ),
                ),
            )
        )

    def spot_failures(key: tuple[str, str]) -> tuple[list[str], list[Fact], int]:
        failed: list[str] = []
        facts: list[Fact] = []
        found = checks.get(key, [])
        for date, passed, checker in found:
            if not passed:
                by = f" by {checker}" if checker else ""
                failed.append(f"failed the spot check on {date}{by}")
                facts.append(PLUGIN.fact("failed_spot_check", date.isoformat(), spot))
        return failed, facts, len(found)

    voluntary = {c.id for c in center.courses.values() if c.voluntary}
    for key in sorted(trained):
        agent_id = key[0]
        failed: list[str] = []
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
                text = f"missed session {session.id}"
                if text not in failed:
                    failed.append(text)
                    facts.append(PLUGIN.fact("missed_session", session.id))
                continue
            attended_any = True
            if got.post_score is not None and got.post_score < pass_mark:
                text = (
                    f"post-test {got.post_score:g} below the pass mark {pass_mark:g} "
                    f"in {session.id}"
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
                    f", {gained:+.2f} from {round(start, 2):g} before it"
                    if gained is not None and start is not None
                    else ", with no level before it to compare"
                )
                failed.append(
                    f"QA {round(score, 2):g} after the cycle ({evaluations} evaluation(s), "
                    f"{window[0]} to {window[1]}) is {round(target - score, 2):g} below the "
                    f"target {target:g}{since}, less than the "
                    f"{settings.min_improvement:g} points of improvement asked"
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
        sessions = ", ".join(sorted({s.id for _, s in required or trained[key]}))
        decide(
            key,
            failed,
            facts,
            f"Trained in {sessions}" if attended_any else f"Seated in {sessions}",
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
            decide(key, spot_failed, spot_facts, f"Spot-checked {checked} time(s) after the cycle")
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
                        f"Not retrained on {name} this cycle and not spot-checked: the "
                        f"escalation from {before.since} stays at level {before.level} "
                        f"({before.failures} failure(s) in a row).",
                        PLUGIN.fact("failures", before.failures),
                        PLUGIN.fact("level", before.level),
                        PLUGIN.fact("previous_cycle", previous.cycle.id if previous else None),
                    ),
                ),
            )
        )
    return result
