"""Questions the bot could not answer become knowledge needs and material to write up (seed
002: bots feed humans; unknown questions go to agents to write up, and the bot's knowledge
becomes training material). Rule ``feedback.bot-questions``.

The ``topic`` of data/bot_questions.csv is a competency id (the gate checks it against
competencies.csv), so a topic needs no mapping of its own.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules import Center, Evidence
from ccrules.model import FactValue, Format, Need, Plan, Report
from ccrules_feedback._meta import PLUGIN
from ccrules_feedback.settings import TEAM_LEAD, BotQuestionSettings

RULE = "feedback.bot-questions"
SOURCE = "bot"
ROOT = "plugins.feedback.bot_questions"


@attrs.frozen
class TopicQuestions:
    """A competency whose unanswered bot questions in the window reach ``min_count``."""

    competency_id: str
    asked: int
    questions: int
    first_date: dt.date
    last_date: dt.date


def busy_topics(evidence: Evidence, settings: BotQuestionSettings) -> list[TopicQuestions]:
    """Competencies at or past the threshold within the window, by competency id."""
    if not settings.enabled or not evidence.has("bot_questions"):
        return []
    rows = evidence.sql(
        """
        SELECT topic, sum("count") AS asked, count(DISTINCT question), min(date), max(date)
        FROM bot_questions
        WHERE date BETWEEN $from AND $to
        GROUP BY topic
        HAVING sum("count") >= $min_count
        ORDER BY topic
        """,
        {"min_count": settings.min_count},
    )
    return [TopicQuestions(t, int(a), int(q), first, last) for t, a, q, first, last in rows]


def owner_of(center: Center, settings: BotQuestionSettings) -> tuple[str, str]:
    """Who writes the material up and owns the needs, and who that is in words."""
    if settings.owner in center.teams:
        return settings.owner, center.teams[settings.owner].name
    return TEAM_LEAD, "the team lead"  # team-lead, or a default team the center lacks


def _lesson(center: Center, competency_id: str) -> str | None:
    """The competency's pre-shift share, where the catalogue has one (seed 001: knowledge is
    shared at the pre-shift meeting); else the courses stage chooses."""
    course = center.catalogue(competency_id).get(Format.PRE_SHIFT)
    return course.id if course is not None else None


def bot_needs(center: Center, evidence: Evidence, settings: BotQuestionSettings) -> list[Need]:
    topics = busy_topics(evidence, settings)
    if not topics:
        return []
    owner, owner_name = owner_of(center, settings)
    source = center.source_of("bot_questions")
    start, end = evidence.window
    needs = []
    for topic in topics:
        agents = [
            row[0]
            for row in evidence.sql(
                """
                SELECT a.agent_id FROM agents a JOIN role_profiles p USING (role_id)
                WHERE a.status = 'active' AND p.competency_id = $competency
                ORDER BY a.agent_id
                """,
                {"competency": topic.competency_id},
            )
        ]
        competency = center.competencies[topic.competency_id].name
        course_id = _lesson(center, topic.competency_id)
        lesson = (
            f"the share {center.courses[course_id].title} ({course_id})"
            if course_id is not None
            else "a course on the competency"
        )
        severity = round(min(1.0, max(0.0, 1 - 0.5 * settings.min_count / topic.asked)), 4)
        for agent_id in agents:
            reason = PLUGIN.reason(
                RULE,
                f"The bot could not answer {topic.asked} question(s) on {competency} "
                f"({topic.competency_id}), {topic.questions} different, from {topic.first_date} "
                f"to {topic.last_date}, at or past {settings.min_count}; "
                f"{center.agents[agent_id].name}'s role lists the competency: {lesson}, the "
                f"material written up by {owner_name}.",
                PLUGIN.fact("competency_id", topic.competency_id, source),
                PLUGIN.fact("asked", topic.asked, source),
                PLUGIN.fact("questions", topic.questions, source),
                PLUGIN.fact("window_from", start),
                PLUGIN.fact("window_to", end),
                PLUGIN.fact("last_date", topic.last_date, source),
                PLUGIN.fact("min_count", settings.min_count, f"{ROOT}.min_count"),
                PLUGIN.fact("owner_team", owner, f"{ROOT}.owner"),
                PLUGIN.fact("course_id", course_id, center.source_of("courses")),
                PLUGIN.fact("valid_days", settings.valid_days, f"{ROOT}.valid_days"),
            )
            needs.append(
                Need(
                    id=f"feedback:bot:{agent_id}:{topic.competency_id}",
                    agent_id=agent_id,
                    competency_id=topic.competency_id,
                    source=SOURCE,
                    severity=severity,
                    priority=settings.priority,
                    owner_team=owner,
                    expires=topic.last_date + dt.timedelta(days=settings.valid_days),
                    course_id=course_id,
                    reasons=(reason,),
                )
            )
    return needs


COLUMNS = (
    "competency_id",
    "competency",
    "question",
    "asked",
    "last_asked",
    "competency_asked",
    "agents",
    "write_up_by",
    "course_id",
)


def bot_report(
    center: Center, evidence: Evidence, plan: Plan, settings: BotQuestionSettings
) -> Report | None:
    """The material to write up: the most-asked unanswered questions of each competency past
    the threshold, with the agents who will learn it."""
    topics = busy_topics(evidence, settings)
    if not topics:
        return None
    owner, owner_name = owner_of(center, settings)
    learners: dict[str, int] = {}
    for need in plan.needs:
        if need.source == SOURCE:
            learners[need.competency_id] = learners.get(need.competency_id, 0) + 1
    rows: list[tuple[FactValue, ...]] = []
    reasons = []
    for topic in topics:
        found = evidence.sql(
            """
            SELECT question, sum("count") AS asked, max(date)
            FROM bot_questions
            WHERE date BETWEEN $from AND $to AND topic = $topic
            GROUP BY question
            HAVING sum("count") >= $min_question
            ORDER BY asked DESC, question
            LIMIT $most
            """,
            {
                "topic": topic.competency_id,
                "min_question": settings.min_question_count,
                "most": settings.max_questions,
            },
        )
        competency = center.competencies[topic.competency_id].name
        agents = learners.get(topic.competency_id, 0)
        course_id = _lesson(center, topic.competency_id)
        for question, asked, last in found:
            rows.append(
                (
                    topic.competency_id,
                    competency,
                    question,
                    int(asked),
                    last,
                    topic.asked,
                    agents,
                    owner_name,
                    course_id,
                )
            )
        reasons.append(
            PLUGIN.reason(
                RULE,
                f"{competency} ({topic.competency_id}): {topic.asked} unanswered question(s), "
                f"{topic.questions} different, at or past {settings.min_count}; {len(found)} "
                f"listed to write up (asked {settings.min_question_count} or more times, the "
                f"{settings.max_questions} most asked), for {agents} agent(s).",
                PLUGIN.fact("competency_id", topic.competency_id),
                PLUGIN.fact("asked", topic.asked, center.source_of("bot_questions")),
                PLUGIN.fact("listed", len(found)),
                PLUGIN.fact("agents", agents),
                PLUGIN.fact("owner_team", owner, f"{ROOT}.owner"),
                PLUGIN.fact("min_count", settings.min_count, f"{ROOT}.min_count"),
                PLUGIN.fact(
                    "min_question_count",
                    settings.min_question_count,
                    f"{ROOT}.min_question_count",
                ),
            )
        )
    return Report(
        id="feedback.bot-questions",
        title="Knowledge to write up: questions the bot could not answer",
        summary=f"{len(topics)} competenc{'y' if len(topics) == 1 else 'ies'} drew "
        f"{sum(t.asked for t in topics)} unanswered bot question(s) in the window, at least "
        f"{settings.min_count} each: {owner_name} writes up the {len(rows)} listed and the "
        f"agents learn them ({sum(learners.values())} knowledge need(s)).",
        columns=COLUMNS,
        rows=tuple(rows),
        reasons=tuple(reasons),
    )
