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
from ccrules.i18n import N_, msg
from ccrules.model import FactValue, Format, MessageValue, Need, Plan, Report
from ccrules_packs.feedback._meta import PLUGIN
from ccrules_packs.feedback.settings import TEAM_LEAD, BotQuestionSettings

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


#: who writes the material up when no team does
THE_TEAM_LEAD = N_("the team lead")
THE_TEAM_LEAD_TERM = msg(THE_TEAM_LEAD)


def owner_of(center: Center, settings: BotQuestionSettings) -> tuple[str, str]:
    """Who writes the material up and owns the needs, and who that is in words."""
    if settings.owner in center.teams:
        return settings.owner, center.teams[settings.owner].name
    return TEAM_LEAD, THE_TEAM_LEAD  # team-lead, or a default team the center lacks


def _owner_words(center: Center, settings: BotQuestionSettings) -> MessageValue:
    """:func:`owner_of`'s words for a message: a team's name, or the team lead as a term."""
    name = owner_of(center, settings)[1]
    return name if settings.owner in center.teams else THE_TEAM_LEAD_TERM


def _lesson(center: Center, competency_id: str) -> str | None:
    """The competency's pre-shift share, where the catalogue has one (seed 001: knowledge is
    shared at the pre-shift meeting); else the courses stage chooses."""
    course = center.catalogue(competency_id).get(Format.PRE_SHIFT)
    return course.id if course is not None else None


def bot_needs(center: Center, evidence: Evidence, settings: BotQuestionSettings) -> list[Need]:
    topics = busy_topics(evidence, settings)
    if not topics:
        return []
    owner, _ = owner_of(center, settings)
    owner_words = _owner_words(center, settings)
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
            msg(
                "the share {course} ({course_id})",
                course=center.courses[course_id].title,
                course_id=course_id,
            )
            if course_id is not None
            else A_COURSE
        )
        severity = round(min(1.0, max(0.0, 1 - 0.5 * settings.min_count / topic.asked)), 4)
        for agent_id in agents:
            reason = PLUGIN.reason(
                RULE,
                msg(
                    "The bot could not answer {asked} question(s) on {competency} "
                    "({competency_id}), {questions} different, from {first_date} to "
                    "{last_date}, at or past {min_count}; {agent}'s role lists the competency: "
                    "{lesson}, the material written up by {owner}.",
                    asked=topic.asked,
                    competency=competency,
                    competency_id=topic.competency_id,
                    questions=topic.questions,
                    first_date=topic.first_date.isoformat(),
                    last_date=topic.last_date.isoformat(),
                    min_count=settings.min_count,
                    agent=center.agents[agent_id].name,
                    lesson=lesson,
                    owner=owner_words,
                ),
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
    N_("competency_id"),
    N_("competency"),
    N_("question"),
    N_("asked"),
    N_("last_asked"),
    N_("competency_asked"),
    N_("agents"),
    N_("write_up_by"),
    N_("course_id"),
)
A_COURSE = msg("a course on the competency")
#: the report's summary for one competency and for several
SUMMARY = (
    N_(
        "{competencies} competency drew {asked} unanswered bot question(s) in the window, at "
        "least {min_count} each: {owner} writes up the {listed} listed and the agents learn "
        "them ({needs} knowledge need(s))."
    ),
    N_(
        "{competencies} competencies drew {asked} unanswered bot question(s) in the window, at "
        "least {min_count} each: {owner} writes up the {listed} listed and the agents learn "
        "them ({needs} knowledge need(s))."
    ),
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
                msg(
                    "{competency} ({competency_id}): {asked} unanswered question(s), "
                    "{questions} different, at or past {min_count}; {listed} listed to write up "
                    "(asked {min_question_count} or more times, the {max_questions} most "
                    "asked), for {agents} agent(s).",
                    competency=competency,
                    competency_id=topic.competency_id,
                    asked=topic.asked,
                    questions=topic.questions,
                    min_count=settings.min_count,
                    listed=len(found),
                    min_question_count=settings.min_question_count,
                    max_questions=settings.max_questions,
                    agents=agents,
                ),
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
        title=msg("Knowledge to write up: questions the bot could not answer"),
        summary=msg(
            SUMMARY[len(topics) != 1],
            competencies=len(topics),
            asked=sum(t.asked for t in topics),
            min_count=settings.min_count,
            owner=_owner_words(center, settings),
            listed=len(rows),
            needs=sum(learners.values()),
        ),
        columns=COLUMNS,
        rows=tuple(rows),
        reasons=tuple(reasons),
    )
