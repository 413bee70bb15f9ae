"""The two files the floor and the bot feed back: how usable agents find a course's method
(seed 001, the internal customer's view), and the questions the bot could not answer (seed
002).

Both are optional: without them the rules that read them find nothing. The input gate checks
them like the core's files (a rating outside 1-5, an unknown agent, course or competency, a
bad date: file, line and column, exit 2).
"""

from __future__ import annotations

import ccrules
from ccrules import Column, ColumnType, DataSource, Reference

METHOD_FEEDBACK = DataSource(
    name="method_feedback",
    doc="Agents' ratings of the method a course teaches: can they use it on the phones? "
    "(seed 001: the internal customer's view; go and ask the agents). One row per answer.",
    required=False,
    columns=(
        Column(
            "agent_id",
            references=Reference("agents", "agent_id"),
            doc="The agent who answered (an `agent_id` of agents).",
            example="A001",
        ),
        Column(
            "course_id",
            references=Reference("courses", "course_id"),
            doc="The course whose method is rated (a `course_id` of courses).",
            example="BILL-PS",
        ),
        Column(
            "usable",
            ColumnType.INTEGER,
            minimum=1,
            maximum=5,
            doc="How usable the method is on the phones: 1 not at all .. 5 fully.",
            example="4",
        ),
        Column(
            "comment",
            required=False,
            doc="What the agent said, in any language.",
            example="话术太长，客户等不及",
        ),
    ),
)

BOT_QUESTIONS = DataSource(
    name="bot_questions",
    doc="Questions the bot could not answer, handed to agents (seed 002): the knowledge to "
    "write up and teach. The topic is the competency the question calls on.",
    required=False,
    columns=(
        Column(
            "question",
            doc="The question as customers asked it, in any language.",
            example="为什么月初多扣了5元？",
        ),
        Column(
            "topic",
            references=Reference("competencies", "competency_id"),
            doc="The competency the question calls on (a `competency_id` of competencies).",
            example="BILL",
        ),
        Column(
            "count",
            ColumnType.INTEGER,
            minimum=1,
            doc="How many times the bot could not answer it on that day.",
            example="12",
        ),
        Column(
            "date",
            ColumnType.DATE,
            doc="The day the bot logged it.",
            example="2026-11-02",
        ),
    ),
)


@ccrules.hookimpl
def ccrules_data_sources() -> list[DataSource]:
    return [METHOD_FEEDBACK, BOT_QUESTIONS]


__all__ = ["BOT_QUESTIONS", "METHOD_FEEDBACK", "ccrules_data_sources"]
