"""Data file schemas: the columns, types and checks of every input file.

A :class:`DataSource` describes one file of a center's ``data/`` folder. The core declares
its own sources here; plugins add theirs through ``ccrules_data_sources``. The input gate reads
every file with its explicit schema (never a guessed one) and reports what does not fit.
docs/data.md is generated from these declarations.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["CORE_SOURCES", "Check", "Column", "ColumnType", "DataSource", "Reference"]


class ColumnType(enum.StrEnum):
    """The type of a column, and how it is written in a CSV file."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    BOOLEAN = "boolean"

    @property
    def sql(self) -> str:
        return _SQL_TYPES[self]

    @property
    def expected(self) -> str:
        return _EXPECTED[self]

    @property
    def read_sql(self) -> str:
        """The type values are read as: whole numbers as decimals first, so that ``2.5``
        is refused as not whole instead of being rounded; true/false as text first, so
        that ``yes``, ``1`` or ``t`` (which DuckDB would take for true) are refused instead
        of guessed."""
        return _READ_TYPES.get(self, _SQL_TYPES[self])


# Numbers are exact decimals: sums in DuckDB's parallel aggregation are then independent of
# the order rows arrive in, which keeps plans byte-identical run to run.
_SQL_TYPES = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.NUMBER: "DECIMAL(18,4)",
    ColumnType.DATE: "DATE",
    ColumnType.TIME: "TIME",
    ColumnType.BOOLEAN: "BOOLEAN",
}
_READ_TYPES = {ColumnType.INTEGER: "DECIMAL(18,4)", ColumnType.BOOLEAN: "VARCHAR"}
_EXPECTED = {
    ColumnType.TEXT: "text",
    ColumnType.INTEGER: "a whole number",
    ColumnType.NUMBER: "a number",
    ColumnType.DATE: "a date (YYYY-MM-DD)",
    ColumnType.TIME: "a time of day (HH:MM)",
    ColumnType.BOOLEAN: "true or false",
}


@attrs.frozen
class Reference:
    """A column whose values must exist in another source's key column."""

    source: str
    column: str


@attrs.frozen
class Column:
    """One column of a data file.

    :param required: the column must be present and every value filled in; an optional
        column may be absent from the file (every value is then ``default``) or left empty.
    :param choices: the allowed values of a text column.
    :param minimum: smallest allowed value of a number column.
    :param maximum: largest allowed value of a number column.
    :param references: values must exist in this source's key.
    :param default: the value of an absent optional column.
    :param example: a value as it would appear in the file, for the documentation; the
        examples of every core file together form a valid one-agent center (a test checks).
    """

    name: str
    type: ColumnType = ColumnType.TEXT
    doc: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    references: Reference | None = None
    default: str | int | float | bool | None = None
    example: str = ""


@attrs.frozen
class Check:
    """A row-level check in SQL: every row matching ``where`` is an error.

    :param where: an SQL condition over the source's columns.
    :param column: the column the error points at.
    :param message: the error text; ``{column_name}`` placeholders take the row's values.
    :param code: a stable id for the kind of problem.
    """

    where: str
    column: str
    message: str
    code: str = "check"


@attrs.frozen
class DataSource:
    """One input file of a center folder: ``data/<name>.csv`` or ``data/<name>.parquet``.

    :param name: the file stem, and the name of its DuckDB table.
    :param doc: what a row of the file is, for the docs.
    :param columns: the file's columns, each with its type and checks.
    :param required: the file must exist; an absent optional file loads as an empty table.
    :param allow_empty: a file with a header and no rows is accepted.
    :param key: columns whose values must be unique together.
    :param checks: further row checks.
    """

    name: str
    doc: str
    columns: tuple[Column, ...]
    required: bool = True
    allow_empty: bool = True
    key: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()

    def column(self, name: str) -> Column:
        """The column called ``name``; ``KeyError`` when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns' names, in order."""
        return tuple(c.name for c in self.columns)


T = ColumnType


def _ref(source: str, column: str) -> Reference:
    return Reference(source, column)


_BASE_SOURCES: tuple[DataSource, ...] = (
    DataSource(
        name="teams",
        doc="Teams of agents, with their lead and usual shift. Support teams (QA, business, "
        "ticket, sales, help desks) are listed too, with function `support`.",
        allow_empty=False,
        key=("team_id",),
        columns=(
            Column("team_id", doc="Unique team id."),
            Column("name", doc="Team name as operators know it; any language."),
            Column(
                "lead_id",
                required=False,
                doc="Agent id of the team lead (must be in agents).",
                references=_ref("agents", "agent_id"),
            ),
            Column(
                "function",
                required=False,
                default="front-line",
                choices=("front-line", "support"),
                doc="`front-line` (on the phones) or `support` (owns KPI uplift).",
            ),
            Column(
                "shift_start",
                T.TIME,
                required=False,
                doc="Usual shift start, HH:MM; empty uses the schedule's default day.",
            ),
            Column("shift_end", T.TIME, required=False, doc="Usual shift end, HH:MM."),
            Column(
                "queue",
                required=False,
                doc="The queue (or skill) the team's phone time serves, as named in traffic; "
                "empty when the roster names it, or when the forecast has one queue.",
            ),
        ),
        checks=(
            Check(
                where="shift_start IS NOT NULL AND shift_end IS NOT NULL "
                "AND shift_end <= shift_start",
                column="shift_end",
                message="shift_end {shift_end} is not after shift_start {shift_start}",
                code="bad-shift",
            ),
        ),
    ),
    DataSource(
        name="competencies",
        doc="The competency model: what agents must know, do, or hold as an attitude.",
        allow_empty=False,
        key=("competency_id",),
        columns=(
            Column("competency_id", doc="Unique competency id."),
            Column("name", doc="Competency name; any language."),
            Column(
                "category",
                choices=("business", "non-business"),
                doc="`business` (products, processes) or `non-business` (people, climate).",
            ),
            Column(
                "kind",
                choices=("knowledge", "skill", "attitude"),
                doc="`knowledge`, `skill` or `attitude`.",
            ),
            Column("description", required=False, default="", doc="Free text."),
        ),
    ),
    DataSource(
        name="roles",
        doc="Posts agents hold.",
        allow_empty=False,
        key=("role_id",),
        columns=(
            Column("role_id", doc="Unique role id."),
            Column("name", doc="Role name; any language."),
            Column(
                "track",
                required=False,
                default="front-line",
                choices=("front-line", "management"),
                doc="`front-line` or `management` (team leads, supervisors).",
            ),
        ),
    ),
    DataSource(
        name="role_profiles",
        doc="Required competency levels per role (0-100, the scale of QA scores).",
        key=("role_id", "competency_id"),
        columns=(
            Column("role_id", references=_ref("roles", "role_id"), doc="The role."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="The competency.",
            ),
            Column(
                "required_level",
                T.NUMBER,
                minimum=0,
                maximum=100,
                doc="Level excellent performance in the role needs, 0-100.",
            ),
        ),
    ),
    DataSource(
        name="agents",
        doc="Everyone on the floor, team leads and supervisors included.",
        allow_empty=False,
        key=("agent_id",),
        columns=(
            Column("agent_id", doc="Unique agent id (the id used in QA and KPI exports)."),
            Column("name", doc="Display name; any language, kept as written."),
            Column("team_id", references=_ref("teams", "team_id"), doc="The agent's team."),
            Column("role_id", references=_ref("roles", "role_id"), doc="The agent's role."),
            Column("hire_date", T.DATE, required=False, doc="First day at the center."),
            Column(
                "status",
                required=False,
                default="active",
                choices=("active", "leave"),
                doc="`active`, or `leave` (not planned this cycle).",
            ),
        ),
    ),
    DataSource(
        name="qa_items",
        doc="The QA form: each item and the competency it measures.",
        key=("item_id",),
        columns=(
            Column("item_id", doc="Unique form item id, as in qa."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="The competency the item measures.",
            ),
            Column("name", required=False, default="", doc="Item text; any language."),
        ),
    ),
    DataSource(
        name="qa",
        doc="QA evaluations, one row per form item scored.",
        key=("evaluation_id", "item_id"),
        columns=(
            Column("evaluation_id", doc="Id of the evaluation (one contact reviewed)."),
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent evaluated."),
            Column("date", T.DATE, doc="Date of the contact."),
            Column("item_id", references=_ref("qa_items", "item_id"), doc="Form item scored."),
            Column("score", T.NUMBER, minimum=0, doc="Points given."),
            Column("max_score", T.NUMBER, minimum=0, doc="Points possible; above 0."),
            Column("evaluator", doc="Who scored it (for calibration)."),
            Column(
                "channel",
                required=False,
                default="voice",
                choices=("voice", "chat", "ticket"),
                doc="`voice`, `chat` or `ticket`.",
            ),
            Column("contact_id", required=False, doc="Id of the contact, for sampling."),
        ),
        checks=(
            Check(
                where="max_score <= 0",
                column="max_score",
                message="max_score {max_score} must be above 0",
                code="out-of-range",
            ),
            Check(
                where="score > max_score",
                column="score",
                message="score {score} is outside 0..{max_score}",
                code="out-of-range",
            ),
        ),
    ),
    DataSource(
        name="kpis",
        doc="KPI values per agent and period (satisfaction, FCR, sales, dispatch rate...).",
        required=False,
        key=("agent_id", "period", "metric"),
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="The agent."),
            Column("period", T.DATE, doc="First day of the period the value covers."),
            Column("metric", doc="Metric id, as named in the rule pack's settings."),
            Column("value", T.NUMBER, doc="The value, in the metric's own unit."),
        ),
    ),
    DataSource(
        name="trainers",
        doc="The trainer pool: full-time, part-time, team leads, top agents, vendors.",
        key=("trainer_id",),
        columns=(
            Column("trainer_id", doc="Unique trainer id."),
            Column("name", doc="Display name; any language."),
            Column(
                "kind",
                choices=(
                    "full-time",
                    "part-time",
                    "team-lead",
                    "top-agent",
                    "method-provider",
                    "vendor",
                ),
                doc="Where the trainer comes from.",
            ),
            Column(
                "agent_id",
                required=False,
                references=_ref("agents", "agent_id"),
                doc="Their agent id when they also work the floor.",
            ),
            Column(
                "capacity_hours",
                T.NUMBER,
                minimum=0,
                doc="Training hours they can give per cycle.",
            ),
            Column(
                "cost_per_hour",
                T.NUMBER,
                required=False,
                default=0,
                minimum=0,
                doc="Cost per training hour; 0 if not charged.",
            ),
            Column(
                "score",
                T.NUMBER,
                required=False,
                minimum=0,
                maximum=5,
                doc="Quality score 0-5 from past evaluations; empty if unknown.",
            ),
        ),
    ),
    DataSource(
        name="trainer_skills",
        doc="What each trainer can teach, and at what level (0-100).",
        required=False,
        key=("trainer_id", "competency_id"),
        columns=(
            Column("trainer_id", references=_ref("trainers", "trainer_id"), doc="The trainer."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="A competency they teach.",
            ),
            Column("level", T.NUMBER, minimum=0, maximum=100, doc="Their level, 0-100."),
        ),
    ),
    DataSource(
        name="courses",
        doc="The course catalogue: one competency and one format per course.",
        allow_empty=False,
        key=("course_id",),
        columns=(
            Column("course_id", doc="Unique course id."),
            Column("title", doc="Course title; any language."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="The competency it trains.",
            ),
            Column(
                "format",
                choices=(
                    "pre-shift",
                    "micro-video",
                    "classroom",
                    "coaching",
                    "shadowing",
                    "cascade",
                ),
                doc="How it is delivered.",
            ),
            Column(
                "duration_minutes",
                T.INTEGER,
                minimum=1,
                maximum=480,
                doc="Length of one session, minutes.",
            ),
            Column(
                "max_group",
                T.INTEGER,
                required=False,
                default=1,
                minimum=1,
                doc="Largest group per session; 1 for coaching.",
            ),
            Column(
                "voluntary",
                T.BOOLEAN,
                required=False,
                default=False,
                doc="`true` if attendance is the agent's choice.",
            ),
            Column(
                "category",
                required=False,
                choices=("business", "non-business"),
                doc="`business` or `non-business` for this course alone, overriding its "
                "competency's category (a remedial script drill on an attitude competency "
                "is business training); empty takes the competency's category. The plan's "
                "business / non-business minutes count each session by its course's category.",
            ),
        ),
    ),
)

# -- the evidence files beyond QA and KPIs -------------------------------------------------

_TOPIC = Column(
    "topic_id",
    references=_ref("topics", "topic_id"),
    doc="The topic of the contact or question (a `topic_id` of topics).",
)

_EVIDENCE_SOURCES: tuple[DataSource, ...] = (
    DataSource(
        name="topics",
        doc="What contacts are about (a product question, a fee, a process), each mapped to "
        "the competency it calls on, the support team that owns it, and the short lesson "
        "that teaches it. Test calls, dissatisfied contacts and floor-help requests name a "
        "topic.",
        required=False,
        key=("topic_id",),
        columns=(
            Column("topic_id", doc="Unique topic id."),
            Column("name", doc="Topic name; any language."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="The competency the topic calls on.",
            ),
            Column(
                "owner_team_id",
                required=False,
                references=_ref("teams", "team_id"),
                doc="The support team that owns the topic (QA, business, ticket desk...).",
            ),
            Column(
                "course_id",
                required=False,
                references=_ref("courses", "course_id"),
                doc="The course (often a pre-shift share) that teaches it.",
            ),
        ),
    ),
    DataSource(
        name="test_calls",
        doc="Test calls: a call placed by the center to check an agent's answer on a topic.",
        required=False,
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent tested."),
            Column("date", T.DATE, doc="Date of the call."),
            _TOPIC,
            Column("passed", T.BOOLEAN, doc="`true` if the answer was right."),
            Column(
                "errors",
                T.INTEGER,
                required=False,
                default=0,
                minimum=0,
                doc="Mistakes counted on the call.",
            ),
            Column("caller", required=False, doc="Who placed the call."),
        ),
    ),
    DataSource(
        name="dissatisfied_contacts",
        doc="Recordings of contacts the customer rated as dissatisfied, with the reason.",
        required=False,
        key=("contact_id",),
        columns=(
            Column("contact_id", doc="Unique contact id (as in qa.contact_id)."),
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent who handled it."),
            Column("date", T.DATE, doc="Date of the contact."),
            _TOPIC,
            Column("reason", required=False, default="", doc="Why the customer was unhappy."),
            Column(
                "channel",
                required=False,
                default="voice",
                choices=("voice", "chat", "ticket"),
                doc="`voice`, `chat` or `ticket`.",
            ),
        ),
    ),
    DataSource(
        name="floor_help",
        doc="Requests for help raised on the floor (a hand up, a help-desk ticket): what the "
        "agent did not know.",
        required=False,
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent who asked."),
            Column("date", T.DATE, doc="Date of the request."),
            _TOPIC,
            Column("helper", required=False, doc="Who answered (help desk, lead)."),
        ),
    ),
    DataSource(
        name="exams",
        doc="Skill exam results (the monthly exam), one row per agent and competency tested.",
        required=False,
        key=("exam_id", "agent_id", "competency_id"),
        columns=(
            Column("exam_id", doc="Id of the exam sitting (e.g. the month's exam)."),
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent examined."),
            Column("date", T.DATE, doc="Date of the exam."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="Competency the section tests.",
            ),
            Column("score", T.NUMBER, minimum=0, doc="Points scored."),
            Column("pass_mark", T.NUMBER, minimum=0, doc="Points needed to pass."),
            Column(
                "max_score",
                T.NUMBER,
                required=False,
                default=100,
                minimum=0,
                doc="Points possible; above 0.",
            ),
        ),
        checks=(
            Check(
                where="max_score <= 0",
                column="max_score",
                message="max_score {max_score} must be above 0",
                code="out-of-range",
            ),
            Check(
                where="score > max_score",
                column="score",
                message="score {score} is outside 0..{max_score}",
                code="out-of-range",
            ),
            Check(
                where="pass_mark > max_score",
                column="pass_mark",
                message="pass_mark {pass_mark} is above max_score {max_score}",
                code="out-of-range",
            ),
        ),
    ),
    DataSource(
        name="releases",
        doc="Product releases and what they change, one row per changed point, mapped to "
        "the competency agents need for it. Past and coming releases both count.",
        required=False,
        key=("release_id", "change"),
        columns=(
            Column("release_id", doc="Id of the release."),
            Column("date", T.DATE, doc="Day the release reaches customers."),
            Column("product", doc="Product released; any language."),
            Column("change", doc="What changed, as agents will hear it asked."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="The competency the change calls on.",
            ),
            Column(
                "topic_id",
                required=False,
                references=_ref("topics", "topic_id"),
                doc="The topic customers will ask about, when known.",
            ),
        ),
    ),
    DataSource(
        name="strategy_goals",
        doc="The center's development goals and the competencies they need, per role: "
        "training tied to the company's strategy, not only to today's gaps.",
        required=False,
        key=("goal_id", "competency_id", "role_id"),
        columns=(
            Column("goal_id", doc="Id of the goal."),
            Column("name", doc="The goal; any language."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="A competency the goal needs.",
            ),
            Column(
                "role_id",
                required=False,
                references=_ref("roles", "role_id"),
                doc="The role that needs it; empty for every role.",
            ),
            Column(
                "target_level",
                T.NUMBER,
                required=False,
                minimum=0,
                maximum=100,
                doc="Level the goal asks for, 0-100; empty keeps the role profile's.",
            ),
            Column(
                "weight",
                T.NUMBER,
                required=False,
                default=1,
                minimum=0,
                doc="How much the goal counts against others.",
            ),
        ),
    ),
    DataSource(
        name="career_moves",
        doc="Transfers, promotions, demotions and team changes, past and planned.",
        required=False,
        key=("agent_id", "date", "kind"),
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent who moves."),
            Column("date", T.DATE, doc="Day the move takes effect."),
            Column(
                "kind",
                choices=("transfer", "promotion", "demotion", "team-change"),
                doc="`transfer` (lateral, to another post or channel), `promotion`, "
                "`demotion` or `team-change`.",
            ),
            Column(
                "from_team_id",
                required=False,
                references=_ref("teams", "team_id"),
                doc="Team before the move.",
            ),
            Column(
                "to_team_id",
                required=False,
                references=_ref("teams", "team_id"),
                doc="Team after the move.",
            ),
            Column(
                "from_role_id",
                required=False,
                references=_ref("roles", "role_id"),
                doc="Role before the move.",
            ),
            Column(
                "to_role_id",
                required=False,
                references=_ref("roles", "role_id"),
                doc="Role after the move.",
            ),
        ),
        checks=(
            Check(
                where="to_team_id IS NULL AND to_role_id IS NULL",
                column="to_team_id",
                message="a {kind} needs to_team_id or to_role_id",
                code="incomplete-move",
            ),
            Check(
                where="kind IN ('promotion', 'demotion') AND to_role_id IS NULL",
                column="to_role_id",
                message="a {kind} needs to_role_id",
                code="incomplete-move",
            ),
        ),
    ),
    DataSource(
        name="traffic",
        doc="The traffic forecast: contacts and average handle time per queue and interval "
        "(the `[service] interval_minutes` grid, 15 or 30 minutes), as a workforce "
        "management tool exports it. The schedule stage keeps every interval's service "
        "level at or above the floor with it (Erlang C); without it, training is capped by "
        "the share of a team off the phones.",
        required=False,
        key=("queue", "date", "start_time"),
        columns=(
            Column("queue", doc="Queue or skill id; any language."),
            Column("date", T.DATE, doc="Day of the interval."),
            Column("start_time", T.TIME, doc="Start of the interval, HH:MM, on the grid."),
            Column("contacts", T.NUMBER, minimum=0, doc="Contacts forecast in the interval."),
            Column(
                "aht_seconds",
                T.NUMBER,
                minimum=1,
                doc="Average handle time of those contacts, seconds (talk, hold, wrap-up).",
            ),
        ),
    ),
    DataSource(
        name="shifts",
        doc="The roster: each agent's shift segments per day, breaks included where known. "
        "An agent with no row on a day is off that day; an agent with no row at all (a "
        "support team, a lead off the queue) works the team's usual shift, off the phones. "
        "A segment that crosses midnight is written as two rows.",
        required=False,
        key=("agent_id", "date", "start_time"),
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="The agent."),
            Column("date", T.DATE, doc="Day of the segment."),
            Column("start_time", T.TIME, doc="Segment start, HH:MM."),
            Column("end_time", T.TIME, doc="Segment end, HH:MM, after the start."),
            Column(
                "activity",
                required=False,
                default="phone",
                choices=("phone", "offline", "break", "meeting"),
                doc="`phone` (taking contacts: training here takes the agent off the phones), "
                "`offline` (at work off the queue: training costs no service level), `break` "
                "or `meeting` (not available for training).",
            ),
            Column(
                "queue",
                required=False,
                doc="The queue a `phone` segment serves; empty takes the team's queue.",
            ),
        ),
        checks=(
            Check(
                where="end_time <= start_time",
                column="end_time",
                message="end_time {end_time} is not after start_time {start_time}; "
                "write a segment that crosses midnight as two rows",
                code="bad-shift",
            ),
            Check(
                where="EXISTS (SELECT 1 FROM shifts AS other WHERE other.agent_id = "
                "shifts.agent_id AND other.date = shifts.date AND other.start_time < "
                "shifts.start_time AND other.end_time > shifts.start_time)",
                column="start_time",
                message="{agent_id}'s segment at {start_time} on {date} overlaps an earlier "
                "segment of the same day",
                code="overlapping-shift",
            ),
        ),
    ),
    DataSource(
        name="trainer_availability",
        doc="When trainers can teach, per day. A trainer with rows here teaches only within "
        "them; one without follows their agent's roster (team leads, top agents) or the "
        "schedule's trainer day on working days.",
        required=False,
        key=("trainer_id", "date", "start_time"),
        columns=(
            Column("trainer_id", references=_ref("trainers", "trainer_id"), doc="The trainer."),
            Column("date", T.DATE, doc="The day."),
            Column("start_time", T.TIME, doc="Available from, HH:MM."),
            Column("end_time", T.TIME, doc="Available until, HH:MM."),
        ),
        checks=(
            Check(
                where="end_time <= start_time",
                column="end_time",
                message="end_time {end_time} is not after start_time {start_time}",
                code="bad-shift",
            ),
        ),
    ),
    DataSource(
        name="outcomes",
        doc="What happened in each session of an approved plan, per attendee: attendance, "
        "post-test score and satisfaction. Read by `ccrules evaluate`; rows of other cycles "
        "are kept for their own evaluation.",
        required=False,
        key=("cycle_id", "session_id", "agent_id"),
        columns=(
            Column("cycle_id", doc="The cycle whose plan held the session."),
            Column(
                "session_id",
                doc="The session, as in the plan (a split group is `<id>-1`, `<id>-2` ...).",
            ),
            Column("agent_id", references=_ref("agents", "agent_id"), doc="The attendee."),
            Column("attended", T.BOOLEAN, doc="`true` if the agent took part."),
            Column(
                "post_score",
                T.NUMBER,
                required=False,
                minimum=0,
                maximum=100,
                doc="Post-test score 0-100; empty when there was no test.",
            ),
            Column(
                "satisfaction",
                T.NUMBER,
                required=False,
                minimum=1,
                maximum=5,
                doc="The attendee's rating 1-5; empty when not given.",
            ),
        ),
        checks=(
            Check(
                where="NOT attended AND (post_score IS NOT NULL OR satisfaction IS NOT NULL)",
                column="attended",
                message="agent {agent_id} did not attend {session_id} but has a post-test "
                "score or a rating; set attended to true or clear them",
                code="absent-with-score",
            ),
        ),
    ),
    DataSource(
        name="spot_checks",
        doc="Results of on-site checks made after training (the 50% + 50% check list): a "
        "failed check counts toward the agent's escalation on the competency.",
        required=False,
        key=("agent_id", "competency_id", "date"),
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent checked."),
            Column(
                "competency_id",
                references=_ref("competencies", "competency_id"),
                doc="What was checked.",
            ),
            Column("date", T.DATE, doc="Day of the check."),
            Column("passed", T.BOOLEAN, doc="`true` if the agent passed."),
            Column("checker", required=False, doc="Who checked (QA, team lead)."),
        ),
    ),
    DataSource(
        name="leavers",
        doc="Agents who left the center, with the day; attrition warnings are checked "
        "against it once their horizon has passed.",
        required=False,
        key=("agent_id",),
        columns=(
            Column("agent_id", references=_ref("agents", "agent_id"), doc="Agent who left."),
            Column("date", T.DATE, doc="Last day at the center."),
            Column("reason", required=False, default="", doc="Why, as recorded; any language."),
        ),
    ),
)

# Every core file's example row; together they are a valid one-agent center.
_EXAMPLES: dict[str, dict[str, str]] = {
    "teams": {
        "team_id": "T1",
        "name": "账单一组",
        "lead_id": "A001",
        "function": "front-line",
        "shift_start": "08:30",
        "shift_end": "17:30",
        "queue": "账单热线",
    },
    "competencies": {
        "competency_id": "BILL",
        "name": "账单查询 Billing enquiries",
        "category": "business",
        "kind": "knowledge",
        "description": "Reads a bill line by line with the customer",
    },
    "roles": {"role_id": "AG", "name": "Agent", "track": "front-line"},
    "role_profiles": {"role_id": "AG", "competency_id": "BILL", "required_level": "80"},
    "agents": {
        "agent_id": "A001",
        "name": "王芳",
        "team_id": "T1",
        "role_id": "AG",
        "hire_date": "2024-03-01",
        "status": "active",
    },
    "qa_items": {"item_id": "Q1", "competency_id": "BILL", "name": "Explains every fee"},
    "qa": {
        "evaluation_id": "E1001",
        "agent_id": "A001",
        "date": "2026-11-03",
        "item_id": "Q1",
        "score": "8",
        "max_score": "10",
        "evaluator": "QA01",
        "channel": "voice",
        "contact_id": "K778812",
    },
    "kpis": {"agent_id": "A001", "period": "2026-10-01", "metric": "fcr", "value": "0.72"},
    "trainers": {
        "trainer_id": "TR1",
        "name": "李强",
        "kind": "full-time",
        "agent_id": "",
        "capacity_hours": "60",
        "cost_per_hour": "120",
        "score": "4.2",
    },
    "trainer_skills": {"trainer_id": "TR1", "competency_id": "BILL", "level": "92"},
    "courses": {
        "course_id": "BILL-PS",
        "title": "账单三步讲解",
        "competency_id": "BILL",
        "format": "pre-shift",
        "duration_minutes": "15",
        "max_group": "15",
        "voluntary": "false",
        "category": "",
    },
    "topics": {
        "topic_id": "LATE-FEE",
        "name": "Late fee on the bill",
        "competency_id": "BILL",
        "owner_team_id": "T1",
        "course_id": "BILL-PS",
    },
    "test_calls": {
        "agent_id": "A001",
        "date": "2026-11-05",
        "topic_id": "LATE-FEE",
        "passed": "false",
        "errors": "2",
        "caller": "QA02",
    },
    "dissatisfied_contacts": {
        "contact_id": "K778901",
        "agent_id": "A001",
        "date": "2026-11-06",
        "topic_id": "LATE-FEE",
        "reason": "费用没解释清楚",
        "channel": "voice",
    },
    "floor_help": {
        "agent_id": "A001",
        "date": "2026-11-07",
        "topic_id": "LATE-FEE",
        "helper": "help desk",
    },
    "exams": {
        "exam_id": "EX-2026-11",
        "agent_id": "A001",
        "date": "2026-11-20",
        "competency_id": "BILL",
        "score": "72",
        "pass_mark": "80",
        "max_score": "100",
    },
    "releases": {
        "release_id": "R5.2",
        "date": "2026-12-01",
        "product": "开票软件 5.2",
        "change": "Late fee shown on its own line",
        "competency_id": "BILL",
        "topic_id": "LATE-FEE",
    },
    "strategy_goals": {
        "goal_id": "G-RETAIN",
        "name": "Keep customers who downgrade",
        "competency_id": "BILL",
        "role_id": "AG",
        "target_level": "85",
        "weight": "2",
    },
    "career_moves": {
        "agent_id": "A001",
        "date": "2026-12-15",
        "kind": "team-change",
        "from_team_id": "",
        "to_team_id": "T1",
        "from_role_id": "",
        "to_role_id": "",
    },
    "traffic": {
        "queue": "账单热线",
        "date": "2026-12-01",
        "start_time": "09:00",
        "contacts": "100",
        "aht_seconds": "180",
    },
    "shifts": {
        "agent_id": "A001",
        "date": "2026-12-01",
        "start_time": "08:30",
        "end_time": "12:30",
        "activity": "phone",
        "queue": "账单热线",
    },
    "trainer_availability": {
        "trainer_id": "TR1",
        "date": "2026-12-01",
        "start_time": "08:00",
        "end_time": "17:00",
    },
    "outcomes": {
        "cycle_id": "2026-12",
        "session_id": "BILL-PS-T1",
        "agent_id": "A001",
        "attended": "true",
        "post_score": "85",
        "satisfaction": "4.5",
    },
    "spot_checks": {
        "agent_id": "A001",
        "competency_id": "BILL",
        "date": "2027-01-08",
        "passed": "true",
        "checker": "QA01",
    },
    "leavers": {"agent_id": "A001", "date": "2027-03-31", "reason": "转岗 moved away"},
}


def _with_examples(source: DataSource) -> DataSource:
    examples = _EXAMPLES[source.name]
    columns = tuple(attrs.evolve(c, example=examples[c.name]) for c in source.columns)
    return attrs.evolve(source, columns=columns)


#: Every file the core reads, in dependency order; docs/data.md is generated from these.
CORE_SOURCES: tuple[DataSource, ...] = tuple(
    _with_examples(s) for s in (*_BASE_SOURCES, *_EVIDENCE_SOURCES)
)
