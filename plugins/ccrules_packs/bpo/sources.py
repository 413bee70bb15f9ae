"""The two files the client keeps with the vendor: approved courses, certified trainers.

Both are optional; the checks stage refuses a center whose settings require one that is
absent. An approval or certification counts when ``valid_until`` is empty or not before the
cycle's first day.
"""

from __future__ import annotations

import ccrules
from ccrules import Column, ColumnType, DataSource, Reference

APPROVED_COURSES = DataSource(
    name="approved_courses",
    doc="Courses the client has approved for the vendor to deliver (seed 000); a course "
    "may be listed more than once (renewals): any row still valid counts.",
    required=False,
    columns=(
        Column(
            "course_id",
            references=Reference("courses", "course_id"),
            doc="The approved course (a `course_id` of courses).",
            example="BILL-PS",
        ),
        Column("approved_by", doc="Who approved it at the client.", example="Client QA lead"),
        Column(
            "valid_until",
            ColumnType.DATE,
            required=False,
            doc="Last day the approval holds; empty for no end.",
            example="2027-06-30",
        ),
    ),
)

CERTIFIED_TRAINERS = DataSource(
    name="certified_trainers",
    doc="Trainers the client has certified to teach its content (seed 000), per competency "
    "or for every competency.",
    required=False,
    columns=(
        Column(
            "trainer_id",
            references=Reference("trainers", "trainer_id"),
            doc="The certified trainer (a `trainer_id` of trainers).",
            example="TR1",
        ),
        Column(
            "competency_id",
            required=False,
            references=Reference("competencies", "competency_id"),
            doc="The competency certified; empty for every competency.",
            example="BILL",
        ),
        Column(
            "valid_until",
            ColumnType.DATE,
            required=False,
            doc="Last day the certification holds; empty for no end.",
            example="2027-06-30",
        ),
    ),
)


@ccrules.hookimpl
def ccrules_data_sources() -> list[DataSource]:
    return [APPROVED_COURSES, CERTIFIED_TRAINERS]


__all__ = ["APPROVED_COURSES", "CERTIFIED_TRAINERS", "ccrules_data_sources"]
