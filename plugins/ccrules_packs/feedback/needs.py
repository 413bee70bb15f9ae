"""Needs stage: topic signals (test calls, dissatisfied contacts, floor help), topics flagged
upstream, and shadowing the ticket team on a high KPI (seed 001); knowledge needs from the
bot's unanswered questions live in :mod:`ccrules_packs.feedback.bot_questions` (seed 002)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import Course, Format, Message, MessageValue, Need
from ccrules_packs.feedback._meta import PLUGIN
from ccrules_packs.feedback.bot_questions import bot_needs
from ccrules_packs.feedback.settings import TEAM_LEAD, Settings, SignalSettings, UpstreamSettings

SETTINGS = "plugins.feedback"
TOPIC_RULE = "feedback.topic-signals"
UPSTREAM_RULE = "feedback.upstream-flag"
SHADOWING_RULE = "feedback.shadowing"


def _severity(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


# --------------------------------------------------------------------------------------------
# feedback.upstream-flag


@attrs.frozen
class TopicLoad:
    """One topic's problem contacts in the window, against the other topics' median."""

    topic_id: str
    name: str
    competency_id: str
    owner_team_id: str | None
    failed: int
    dissatisfied: int
    floor_help: int
    agents: int
    active_agents: int
    baseline: float
    ratio: float
    flagged: bool

    @property
    def contacts(self) -> int:
        return self.failed + self.dissatisfied + self.floor_help

    @property
    def agent_share(self) -> float:
        return self.agents / self.active_agents if self.active_agents else 0.0


def _median_without(ordered: Sequence[int], value: int) -> float:
    """The median of ``ordered`` (sorted) with one occurrence of ``value`` taken out."""
    size = len(ordered) - 1
    if size <= 0:
        return 0.0
    gone = bisect.bisect_left(ordered, value)

    def at(index: int) -> int:
        return ordered[index if index < gone else index + 1]

    return (at((size - 1) // 2) + at(size // 2)) / 2


def topic_loads(center: Center, evidence: Evidence, settings: UpstreamSettings) -> list[TopicLoad]:
    """Every topic of topics.csv with its problem contacts, baseline and flag, by topic id."""
    rows = evidence.sql(
        """
        WITH per AS (
            SELECT s.topic_id,
                   sum(s.test_calls_failed) AS failed,
                   sum(s.dissatisfied) AS dissatisfied,
                   sum(s.floor_help) AS floor_help,
                   count(*) FILTER (
                       WHERE a.status = 'active'
                         AND s.test_calls_failed + s.dissatisfied + s.floor_help > 0
                   ) AS agents
            FROM topic_signals s JOIN agents a USING (agent_id)
            GROUP BY s.topic_id
        )
        SELECT t.topic_id, t.name, t.competency_id, t.owner_team_id,
               coalesce(p.failed, 0), coalesce(p.dissatisfied, 0), coalesce(p.floor_help, 0),
               coalesce(p.agents, 0),
               (SELECT count(*) FROM agents WHERE status = 'active') AS active_agents
        FROM topics t LEFT JOIN per p USING (topic_id)
        ORDER BY t.topic_id
        """
    )
    ordered = sorted(int(r[4]) + int(r[5]) + int(r[6]) for r in rows)
    enough_topics = len(rows) >= settings.min_topics
    loads = []
    for topic_id, name, competency_id, owner, failed, dissatisfied, helped, agents, active in rows:
        contacts = int(failed) + int(dissatisfied) + int(helped)
        baseline = _median_without(ordered, contacts)
        ratio = contacts / max(baseline, 1.0)
        share = int(agents) / int(active) if active else 0.0
        flagged = (
            settings.enabled
            and enough_topics
            and ratio >= settings.ratio - 1e-9
            and int(agents) >= settings.min_agents
            and share >= settings.min_agent_share - 1e-9
        )
        loads.append(
            TopicLoad(
                topic_id=topic_id,
                name=name,
                competency_id=competency_id,
                owner_team_id=owner,
                failed=int(failed),
                dissatisfied=int(dissatisfied),
                floor_help=int(helped),
                agents=int(agents),
                active_agents=int(active),
                baseline=baseline,
                ratio=round(ratio, 4),
                flagged=flagged,
            )
        )
    return loads


# --------------------------------------------------------------------------------------------
# feedback.topic-signals


@attrs.frozen
class TopicSignal:
    """One active agent's signals on one topic that reach a threshold."""

    agent_id: str
    topic_id: str
    topic_name: str
    competency_id: str
    owner_team_id: str | None
    course_id: str | None
    test_calls: int
    failed: int
    errors: int
    dissatisfied: int
    floor_help: int
    last_date: dt.date

    @property
    def problems(self) -> int:
        return self.failed + self.dissatisfied + self.floor_help


def signal_rows(center: Center, evidence: Evidence, settings: SignalSettings) -> list[TopicSignal]:
    """Agent x topic signals at or past a threshold, by agent then topic."""
    if not settings.enabled:
        return []
    rows = evidence.sql(
        """
        SELECT s.agent_id, s.topic_id, t.name, t.competency_id, t.owner_team_id, t.course_id,
               s.test_calls, s.test_calls_failed, s.test_call_errors, s.dissatisfied,
               s.floor_help, s.last_date
        FROM topic_signals s
        JOIN agents a USING (agent_id)
        JOIN topics t USING (topic_id)
        WHERE a.status = 'active'
          AND (($failed > 0 AND s.test_calls_failed >= $failed)
            OR ($dissatisfied > 0 AND s.dissatisfied >= $dissatisfied)
            OR ($help > 0 AND s.floor_help >= $help))
        ORDER BY s.agent_id, s.topic_id
        """,
        {
            "failed": settings.failed_test_calls,
            "dissatisfied": settings.dissatisfied,
            "help": settings.floor_help,
        },
    )
    return [
        TopicSignal(a, t, n, c, o, k, int(calls), int(f), int(e), int(d), int(h), last)
        for a, t, n, c, o, k, calls, f, e, d, h, last in rows
    ]


def _reached(signal: TopicSignal, settings: SignalSettings) -> list[tuple[str, int, int]]:
    """(signal, count, threshold) of the signals that are on, in a fixed order."""
    found = [
        ("failed_test_calls", signal.failed, settings.failed_test_calls),
        ("dissatisfied", signal.dissatisfied, settings.dissatisfied),
        ("floor_help", signal.floor_help, settings.floor_help),
    ]
    return [entry for entry in found if entry[2] > 0]


def _owner(
    center: Center, signal: TopicSignal, settings: SignalSettings, help_only: bool
) -> tuple[str, str, Message]:
    """Who owns the need, the fact's source, and why, in words."""
    topics = center.source_of("topics")
    if signal.owner_team_id is not None:
        team = center.teams[signal.owner_team_id]
        return signal.owner_team_id, topics, msg("the topic's owner team {team}", team=team.name)
    path = f"{SETTINGS}.signals.knowledge_owner"
    if help_only and settings.knowledge_owner in center.teams:
        team = center.teams[settings.knowledge_owner]
        return (
            settings.knowledge_owner,
            path,
            msg("{team}, who owns knowledge gaps", team=team.name),
        )
    return TEAM_LEAD, path, TEAM_LEAD_NO_OWNER


#: who owns a topic's need when the topic has no owner team
TEAM_LEAD_NO_OWNER = msg("the team lead (the topic has no owner team)")
#: a signal at or past its threshold, by the signal's setting name
REACHED = {
    "failed_test_calls": N_("failed test calls {count} >= {limit}"),
    "dissatisfied": N_("dissatisfied {count} >= {limit}"),
    "floor_help": N_("floor help {count} >= {limit}"),
}


def _and(parts: Sequence[Message]) -> MessageValue:
    """``parts`` as a list in words: "a", "a and b", "a, b and c"."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return msg("{first} and {last}", first=parts[0], last=parts[1])
    return msg("{items} and {last}", items=tuple(parts[:-1]), last=parts[-1])


def _signal_text(signal: TopicSignal) -> MessageValue:
    """The agent's signals on the topic in words, leaving out what did not occur."""
    parts = []
    if signal.test_calls:
        parts.append(
            msg(
                "{failed} failed test call(s) of {calls} ({errors} error(s))",
                failed=signal.failed,
                calls=signal.test_calls,
                errors=signal.errors,
            )
        )
    if signal.dissatisfied:
        parts.append(msg("{count} dissatisfied contact(s)", count=signal.dissatisfied))
    if signal.floor_help:
        parts.append(msg("{count} floor-help request(s)", count=signal.floor_help))
    return _and(parts)


A_TOPIC_COURSE = msg("a course on the topic's competency")


def topic_needs(
    center: Center, signals: Sequence[TopicSignal], flagged: set[str], settings: SignalSettings
) -> list[Need]:
    root = f"{SETTINGS}.signals"
    topics = center.source_of("topics")
    needs = []
    for signal in signals:
        if signal.topic_id in flagged:
            continue  # the upstream flag reports it to the owner team instead
        entries = _reached(signal, settings)
        reached = [(name, count, limit) for name, count, limit in entries if count >= limit]
        help_only = [name for name, _, _ in reached] == ["floor_help"]
        owner, owner_source, owner_text = _owner(center, signal, settings, help_only)
        past = max(count / limit for _, count, limit in entries)
        severity = _severity(1 - 0.5 / past)
        agent = center.agents[signal.agent_id]
        why = tuple(msg(REACHED[name], count=count, limit=limit) for name, count, limit in reached)
        lesson = (
            msg(
                "the lesson {course} ({course_id})",
                course=center.courses[signal.course_id].title,
                course_id=signal.course_id,
            )
            if signal.course_id is not None
            else A_TOPIC_COURSE
        )
        reason = PLUGIN.reason(
            TOPIC_RULE,
            msg(
                "{agent} had {signals} on {topic} ({topic_id}) up to {last_date}, at or past the "
                "threshold ({why}): {lesson}, owned by {owner}.",
                agent=agent.name,
                signals=_signal_text(signal),
                topic=signal.topic_name,
                topic_id=signal.topic_id,
                last_date=signal.last_date.isoformat(),
                why=why,
                lesson=lesson,
                owner=owner_text,
            ),
            PLUGIN.fact("topic_id", signal.topic_id, topics),
            PLUGIN.fact("topic", signal.topic_name, topics),
            PLUGIN.fact(
                "test_calls_failed",
                signal.failed,
                f"topic_signals <- {center.source_of('test_calls')}",
            ),
            PLUGIN.fact(
                "test_call_errors",
                signal.errors,
                f"topic_signals <- {center.source_of('test_calls')}",
            ),
            PLUGIN.fact(
                "dissatisfied",
                signal.dissatisfied,
                f"topic_signals <- {center.source_of('dissatisfied_contacts')}",
            ),
            PLUGIN.fact(
                "floor_help",
                signal.floor_help,
                f"topic_signals <- {center.source_of('floor_help')}",
            ),
            PLUGIN.fact("last_date", signal.last_date, "topic_signals"),
            *(PLUGIN.fact(f"min_{name}", limit, f"{root}.{name}") for name, _, limit in entries),
            PLUGIN.fact("owner_team", owner, owner_source),
            PLUGIN.fact("course_id", signal.course_id, topics),
            PLUGIN.fact("valid_days", settings.valid_days, f"{root}.valid_days"),
        )
        needs.append(
            Need(
                id=f"feedback:{signal.agent_id}:{signal.topic_id}",
                agent_id=signal.agent_id,
                competency_id=signal.competency_id,
                source="feedback",
                severity=severity,
                priority=settings.priority,
                owner_team=owner,
                expires=signal.last_date + dt.timedelta(days=settings.valid_days),
                course_id=signal.course_id,
                problems=signal.problems,
                reasons=(reason,),
            )
        )
    return needs


# --------------------------------------------------------------------------------------------
# feedback.shadowing


def shadowing_course(center: Center, settings: Settings) -> Course | None:
    """The course the shadowing rule seats agents in: the ``course`` setting, else the
    competency's first shadowing course by id."""
    shadowing = settings.shadowing
    if shadowing.course:
        return center.courses.get(shadowing.course)
    return center.catalogue(shadowing.competency, required=True).get(Format.SHADOWING)


def shadowing_needs(center: Center, evidence: Evidence, settings: Settings) -> list[Need]:
    shadowing = settings.shadowing
    course = shadowing_course(center, settings)
    if not shadowing.competency or shadowing.above is None or course is None:
        return []  # off, or misconfigured (ccrules_check_inputs has said so)
    limit = shadowing.above
    rows = evidence.sql(
        """
        SELECT k.agent_id, k.value, k.periods, k.last_period
        FROM kpi_values k JOIN agents a USING (agent_id)
        WHERE a.status = 'active' AND k.metric = $metric
          AND k.periods >= $min_periods AND k.value > $limit
        ORDER BY k.agent_id
        """,
        {"metric": shadowing.metric, "min_periods": shadowing.min_periods, "limit": limit},
    )
    root = f"{SETTINGS}.shadowing"
    kpis = center.source_of("kpis")
    owner: MessageValue = (
        center.teams[shadowing.owner].name
        if shadowing.owner in center.teams
        else msg(TEAM_LEAD)  # ccrules' term for team-lead
        if shadowing.owner == TEAM_LEAD
        else shadowing.owner
    )
    needs = []
    for agent_id, value, periods, last_period in rows:
        value = float(value)
        agent = center.agents[agent_id]
        reason = PLUGIN.reason(
            SHADOWING_RULE,
            msg(
                "{agent}'s {metric} {value:g} over {periods} period(s) is above {limit:g}: "
                "shadows {owner} in {course} ({course_id}).",
                agent=agent.name,
                metric=shadowing.metric,
                value=value,
                periods=periods,
                limit=limit,
                owner=owner,
                course=course.title,
                course_id=course.id,
            ),
            PLUGIN.fact("metric", shadowing.metric, f"{root}.metric"),
            PLUGIN.fact("value", value, f"kpi_values <- {kpis}"),
            PLUGIN.fact("periods", int(periods), kpis),
            PLUGIN.fact("last_period", last_period, kpis),
            PLUGIN.fact("limit_above", limit, f"{root}.above"),
            PLUGIN.fact("min_periods", shadowing.min_periods, f"{root}.min_periods"),
            PLUGIN.fact(
                "course_id",
                course.id,
                f"{root}.course" if shadowing.course else center.source_of("courses"),
            ),
            PLUGIN.fact("owner_team", shadowing.owner, f"{root}.owner"),
        )
        needs.append(
            Need(
                id=f"feedback:shadowing:{agent_id}:{shadowing.competency}",
                agent_id=agent_id,
                competency_id=shadowing.competency,
                source="feedback",
                severity=_severity((value - limit) / abs(limit) if limit else 1.0),
                priority=shadowing.priority,
                owner_team=shadowing.owner,
                expires=last_period + dt.timedelta(days=shadowing.valid_days),
                course_id=course.id,
                reasons=(reason,),
            )
        )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence) -> list[Need]:
    settings = center.settings(Settings)
    signals = signal_rows(center, evidence, settings.signals)
    flagged = (
        {load.topic_id for load in topic_loads(center, evidence, settings.upstream) if load.flagged}
        if signals and settings.upstream.enabled
        else set()
    )
    return [
        *topic_needs(center, signals, flagged, settings.signals),
        *shadowing_needs(center, evidence, settings),
        *bot_needs(center, evidence, settings.bot_questions),
    ]
