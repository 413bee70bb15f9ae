"""``data/signups.csv``: who chose which voluntary course (seed 003).

Some non-business courses are voluntary: an agent opts in, and what people choose tells the
center how to improve the catalogue. The file is optional; without it nobody has signed up,
and the plan report says so for every voluntary course.
"""

from __future__ import annotations

import ccrules
from ccrules import Check, Column, ColumnType, DataSource, Reference

SIGNUPS = DataSource(
    name="signups",
    doc="Agents who signed up for a voluntary course (seed 003): the healthy-mix pack offers "
    "a voluntary course's seats to them, first come first served, and measures uptake as "
    "attended out of signed up. A signup counts for the cycles within "
    "`[plugins.healthy-mix] signup_days` of its date (see the pack's settings); an agent who "
    "signs up twice for a course counts once, from the earlier date.",
    required=False,
    columns=(
        Column(
            "agent_id",
            references=Reference("agents", "agent_id"),
            doc="Who signed up (an `agent_id` of agents).",
            example="A001",
        ),
        Column(
            "course_id",
            references=Reference("courses", "course_id"),
            doc="The voluntary course chosen (a `course_id` of courses whose `voluntary` is "
            "`true`).",
            example="STRESS-CR",
        ),
        Column(
            "date",
            ColumnType.DATE,
            doc="The day the agent signed up; earlier signups get the seats first.",
            example="2026-11-20",
        ),
        Column(
            "note",
            required=False,
            default="",
            doc="What the agent wrote when signing up, if anything; any language. Quoted in "
            "the offer's reason.",
            example="高峰期总是很紧张，想学调整方法",
        ),
    ),
    checks=(
        Check(
            where="course_id IN (SELECT course_id FROM courses WHERE NOT voluntary)",
            column="course_id",
            message="course {course_id} is not voluntary (courses.csv `voluntary` is false); "
            "sign up for a voluntary course, or mark the course voluntary",
            code="not-voluntary",
        ),
    ),
)


@ccrules.hookimpl
def ccrules_data_sources() -> list[DataSource]:
    return [SIGNUPS]


__all__ = ["SIGNUPS", "ccrules_data_sources"]
