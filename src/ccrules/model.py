"""The domain model: frozen attrs classes for everything that crosses a stage.

Every object the training loop passes between stages is defined here, so a plugin author
reads one module to know the vocabulary. All classes are frozen and hashable; collections are
tuples. Every outside boundary (center.toml, data files, plan JSON, history, the Python API)
converts through :data:`ccrules.converter`.

Scales: competency levels and QA scores are on a 0-100 scale (QA item scores are turned into
a share of the item's maximum). Severity is 0-1. Times are the center's local wall-clock time.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import TypeAlias

import attrs

__all__ = [
    "Agent",
    "Assembly",
    "CarryOver",
    "CenterInfo",
    "Competency",
    "CompetencyCategory",
    "CompetencyKind",
    "CompetencyScore",
    "Course",
    "Cycle",
    "Evaluation",
    "Fact",
    "FactValue",
    "Format",
    "KpiValue",
    "Need",
    "OperatingModel",
    "Outcome",
    "Plan",
    "PlanSummary",
    "PluginVersion",
    "Priority",
    "PriorityStatus",
    "QaItem",
    "Reason",
    "Report",
    "Requirement",
    "Role",
    "RuleInfo",
    "ServiceGoal",
    "ServiceInterval",
    "Session",
    "Slot",
    "Stage",
    "Team",
    "Trainer",
    "TrainerAssignment",
    "TrainerKind",
    "TrainerSkill",
    "Unplaced",
]


class Stage(enum.StrEnum):
    """The stages of the training loop, in the order they run."""

    SETUP = "setup"
    EVIDENCE = "evidence"
    NEEDS = "needs"
    PRIORITIES = "priorities"
    COURSES = "courses"
    TRAINERS = "trainers"
    SCHEDULE = "schedule"
    EVALUATION = "evaluation"
    CLOSE = "close"


class OperatingModel(enum.StrEnum):
    """Who runs the center: the company itself, or a vendor for a client."""

    INHOUSE = "inhouse"
    BPO = "bpo"


class CompetencyCategory(enum.StrEnum):
    """Business training (products, processes) or non-business (people, climate)."""

    BUSINESS = "business"
    NON_BUSINESS = "non-business"


class CompetencyKind(enum.StrEnum):
    """What kind of change the training aims at (seed 004)."""

    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    ATTITUDE = "attitude"


class Format(enum.StrEnum):
    """How a course is delivered."""

    PRE_SHIFT = "pre-shift"
    MICRO_VIDEO = "micro-video"
    CLASSROOM = "classroom"
    COACHING = "coaching"
    SHADOWING = "shadowing"
    CASCADE = "cascade"


class TrainerKind(enum.StrEnum):
    """Where a trainer comes from (seeds 000, 001)."""

    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    TEAM_LEAD = "team-lead"
    TOP_AGENT = "top-agent"
    METHOD_PROVIDER = "method-provider"
    VENDOR = "vendor"


class PriorityStatus(enum.StrEnum):
    """Whether a need is trained this cycle or carried to the next."""

    PLANNED = "planned"
    DEFERRED = "deferred"


FactValue: TypeAlias = str | int | float | bool | None


# --------------------------------------------------------------------------------------------
# Explanations


@attrs.frozen
class Fact:
    """One piece of evidence behind a decision.

    :param name: what the value is (``qa_score``, ``required_level``).
    :param value: the value itself.
    :param source: where it came from: a data file and line (``data/qa.csv:17``), an evidence
        table (``competency_scores``) or a setting path (``plugins.default.gaps.threshold``).
    """

    name: str
    value: FactValue
    source: str | None = None


@attrs.frozen
class Reason:
    """Why a decision was made: the rule, the plugin (and version) that applied it, the facts.

    :param rule: the rule id, unique within its plugin (``needs.competency-gap``).
    :param plugin: the plugin's name as enabled in center.toml.
    :param version: the plugin's version.
    :param text: one sentence an operator can read.
    :param facts: the evidence values the rule used.
    """

    rule: str
    plugin: str
    version: str
    text: str
    facts: tuple[Fact, ...] = ()


@attrs.frozen
class RuleInfo:
    """A rule a plugin implements, as listed by ``ccrules rules`` and in docs/rules.md.

    :param id: the rule id used in :class:`Reason`.
    :param stage: the stage the rule decides in.
    :param title: one line saying what it does.
    :param priority: the default priority of what it produces (higher first); centers change
        it in the plugin's settings, so priority is data, not registration order.
    :param source: the seed article(s) of DOMAIN.md the rule comes from (``001``).
    """

    id: str
    stage: Stage
    title: str
    priority: int = 50
    source: str = ""


@attrs.frozen
class PluginVersion:
    """A plugin enabled for a plan: its name in center.toml and its version."""

    name: str
    version: str


# --------------------------------------------------------------------------------------------
# The center: configuration and reference data


@attrs.frozen
class CenterInfo:
    """The center's identity from center.toml ``[center]``.

    :param client: for a BPO center, the client it serves.
    """

    name: str
    model: OperatingModel
    client: str | None = None


@attrs.frozen
class Cycle:
    """One turn of the training loop, and the window of evidence it plans from.

    :param start: first day of training (inclusive).
    :param end: last day of training (inclusive).
    :param evidence_from: first day of evidence considered (inclusive).
    :param evidence_to: last day of evidence considered (inclusive).
    :param planned_on: the day the plan is made, when center.toml gives it; weeks already
        fixed by then take no new sessions.
    """

    id: str
    start: dt.date
    end: dt.date
    evidence_from: dt.date
    evidence_to: dt.date
    planned_on: dt.date | None = None


@attrs.frozen
class Competency:
    """Something an agent must know, be able to do, or hold as an attitude."""

    id: str
    name: str
    category: CompetencyCategory
    kind: CompetencyKind
    description: str = ""


@attrs.frozen
class Requirement:
    """A role's required level (0-100) on one competency."""

    competency_id: str
    level: float


@attrs.frozen
class Role:
    """A post, with the competency levels excellent performance in it needs (seed 002).

    :param track: ``front-line`` or ``management``; the middle-management track of seed 000.
    """

    id: str
    name: str
    track: str = "front-line"
    requirements: tuple[Requirement, ...] = ()

    def required_level(self, competency_id: str) -> float | None:
        for requirement in self.requirements:
            if requirement.competency_id == competency_id:
                return requirement.level
        return None


@attrs.frozen
class Team:
    """A team of agents with its lead and its usual shift.

    :param function: ``front-line`` for teams on the phones, ``support`` for the QA, business,
        ticket, sales and help desks that own KPI uplift (seed 001).
    :param shift_start: when the team's shift starts (local time); ``None`` uses the center's
        default working day.
    :param queue: the queue the team's phone time serves, when the roster does not say.
    """

    id: str
    name: str
    lead_id: str | None = None
    function: str = "front-line"
    shift_start: dt.time | None = None
    shift_end: dt.time | None = None
    queue: str | None = None


@attrs.frozen
class Agent:
    """A person on the floor (team leads and supervisors are agents too)."""

    id: str
    name: str
    team_id: str
    role_id: str
    hire_date: dt.date | None = None
    status: str = "active"


@attrs.frozen
class QaItem:
    """An item of a QA form and the competency it measures."""

    id: str
    competency_id: str
    name: str = ""


@attrs.frozen
class TrainerSkill:
    """A trainer's level (0-100) on a competency they can teach."""

    competency_id: str
    level: float


@attrs.frozen
class Trainer:
    """Someone who can deliver training.

    :param agent_id: when the trainer is also on the floor (team lead, top agent), their agent
        id, so the scheduler never books them twice.
    :param capacity_hours: training hours they can give in one cycle.
    :param cost_per_hour: in the center's currency; 0 for staff whose time is not charged.
    :param score: a quality score (0-5) fed back by the evaluation stage; ``None`` if unknown.
    :param preference: lower is chosen first, before score and cost: an in-house pack puts its
        own staff (method providers, top agents, team leads) ahead of the rest; 0 for none.
    """

    id: str
    name: str
    kind: TrainerKind
    capacity_hours: float
    agent_id: str | None = None
    cost_per_hour: float = 0.0
    score: float | None = None
    preference: int = 0
    skills: tuple[TrainerSkill, ...] = ()

    def level(self, competency_id: str) -> float | None:
        for skill in self.skills:
            if skill.competency_id == competency_id:
                return skill.level
        return None


@attrs.frozen
class Course:
    """A course in the catalogue: one competency, one format.

    :param max_group: largest group one session takes; 1 for coaching.
    :param voluntary: the agent may choose to attend (non-business courses, seed 003).
    """

    id: str
    title: str
    competency_id: str
    format: Format
    duration_minutes: int
    max_group: int = 1
    voluntary: bool = False


# --------------------------------------------------------------------------------------------
# Evidence aggregates


@attrs.frozen
class CompetencyScore:
    """QA evidence for one agent on one competency, aggregated over the cycle's window.

    :param score: points earned as a share of points possible, 0-100.
    :param evaluations: distinct QA evaluations that scored the competency.
    """

    agent_id: str
    competency_id: str
    score: float
    evaluations: int
    items: int
    first_date: dt.date
    last_date: dt.date


@attrs.frozen
class KpiValue:
    """One agent's KPI over the cycle's window: the mean of its period values."""

    agent_id: str
    metric: str
    value: float
    periods: int
    last_period: dt.date


# --------------------------------------------------------------------------------------------
# Needs and priorities


@attrs.frozen
class Need:
    """An agent needs training on a competency, and why.

    :param id: stable within a cycle, derived from source, agent and competency.
    :param source: what found it (``qa``, ``kpi``, ``carried``, ...).
    :param severity: 0-1, how far from the target the agent is.
    :param priority: the priority of the rule that found it (higher first).
    :param owner_team: who owns closing it (``team-lead`` or a support team's id, seed 001).
    :param target_level: the level the agent should reach (0-100), when known.
    :param current_level: the level the evidence shows, when known.
    :param expires: the need lapses after this day without fresh evidence.
    :param attempts: how many earlier cycles planned training for it (0 for a new need).
    :param due: train by this day (a release date, a move's effective date); sooner is more
        urgent.
    :param course_id: the course the rule asks for (a topic's lesson, a mandated course);
        ``None`` lets the courses stage choose.
    :param mandatory: planned whatever the caps and budgets (client-mandated, compliance).
    :param problems: problem contacts in the window the need's competency would solve
        (failed test calls, dissatisfied contacts, floor-help requests); skills are ranked by
        it (seed 004).
    """

    id: str
    agent_id: str
    competency_id: str
    source: str
    severity: float
    priority: int
    owner_team: str
    target_level: float | None = None
    current_level: float | None = None
    expires: dt.date | None = None
    attempts: int = 0
    due: dt.date | None = None
    course_id: str | None = None
    mandatory: bool = False
    problems: int = 0
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Priority:
    """The priority stage's decision on one need."""

    need_id: str
    rank: int
    status: PriorityStatus
    reasons: tuple[Reason, ...] = ()


# --------------------------------------------------------------------------------------------
# Sessions, trainers, slots


@attrs.frozen
class Session:
    """A delivery of a course to a group, as it moves through the courses, trainers and
    schedule stages.

    :param rank: order of importance within the plan (1 first); the best rank of its needs.
    :param team_id: the team a pre-shift share or cascade is delivered to, if any.
    :param after: sessions that must end before this one starts (a cascade: the leads learn
        first, then teach their teams).
    :param due: the session must take place by this day (the earliest due day of its needs).
    :param trainer_id: set by the trainers stage; ``None`` for self-paced formats.
    :param start: set by the schedule stage.
    :param reasons: why this course, format and group.
    :param trainer_reasons: why this trainer.
    :param slot_reasons: why this time.
    """

    id: str
    course_id: str
    competency_id: str
    format: Format
    duration_minutes: int
    attendees: tuple[str, ...]
    need_ids: tuple[str, ...]
    rank: int
    team_id: str | None = None
    after: tuple[str, ...] = ()
    due: dt.date | None = None
    trainer_id: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    reasons: tuple[Reason, ...] = ()
    trainer_reasons: tuple[Reason, ...] = ()
    slot_reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Unplaced:
    """Something the plan could not place, the stage that stopped it, and why.

    :param kind: ``need`` or ``session``.
    :param session: for a session, the session as far as it got (attendees, course, trainer).
    """

    kind: str
    id: str
    stage: Stage
    reasons: tuple[Reason, ...] = ()
    session: Session | None = None


@attrs.frozen
class Assembly:
    """What the courses stage returns: sessions, and needs it could not serve."""

    sessions: tuple[Session, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()


@attrs.frozen
class TrainerAssignment:
    """The trainers stage's decision on one session; ``trainer_id`` ``None`` means none fits
    (the reasons say why) or none is needed (self-paced)."""

    session_id: str
    trainer_id: str | None
    reasons: tuple[Reason, ...] = ()
    required: bool = True


@attrs.frozen
class Slot:
    """The schedule stage's decision on one session; ``start`` ``None`` means no time fits
    (the reasons say which constraint blocked it).

    :param attendees: ``None`` for the whole group. A session split into smaller groups has
        one slot per group, each naming its attendees; together they name each attendee
        once. A group whose ``start`` is ``None`` is left unplaced.
    """

    session_id: str
    start: dt.datetime | None
    end: dt.datetime | None
    reasons: tuple[Reason, ...] = ()
    attendees: tuple[str, ...] | None = None


@attrs.frozen
class ServiceGoal:
    """A queue's service-level goal: ``level`` of contacts answered within
    ``answer_seconds``; training never takes an interval below ``floor``."""

    level: float
    answer_seconds: float
    floor: float
    max_occupancy: float = 1.0


@attrs.frozen
class ServiceInterval:
    """One queue's interval as the plan leaves it: what the forecast needs, what the roster
    gives, what training takes away, and the service level before and after.

    :param required: agents on the phones the floor needs (Erlang C, occupancy cap
        included).
    :param rostered: agents the roster puts on the phones (a segment covering part of the
        interval counts in part).
    :param available: ``rostered`` less shrinkage.
    :param off: agents the plan's sessions take off the phones (in part, likewise).
    :param service_level_before: with ``available`` agents (whole agents only).
    :param service_level_after: with ``available - off`` agents.
    """

    queue: str
    start: dt.datetime
    end: dt.datetime
    contacts: float
    aht_seconds: float
    required: int
    rostered: float
    available: float
    off: float
    service_level_before: float
    service_level_after: float
    floor: float


# --------------------------------------------------------------------------------------------
# The plan


@attrs.frozen
class PlanSummary:
    """Totals an operator reads first.

    :param intervals: queue intervals measured against the forecast (``plan.service``).
    :param intervals_below_floor_before: of those, intervals the roster leaves below the
        floor before any training.
    :param intervals_below_floor: intervals below the floor with the plan's training.
    """

    agents: int
    agents_with_needs: int
    needs: int
    needs_planned: int
    needs_deferred: int
    sessions: int
    unplaced: int
    training_minutes: int
    business_minutes: int
    non_business_minutes: int
    needs_by_source: Mapping[str, int] = attrs.field(factory=dict)
    sessions_by_format: Mapping[str, int] = attrs.field(factory=dict)
    trainer_hours: float = 0.0
    trainer_cost: float = 0.0
    intervals: int = 0
    intervals_below_floor_before: int = 0
    intervals_below_floor: int = 0


@attrs.frozen
class Report:
    """A table a rule adds to the plan for people to act on: the week's share plan, topics
    flagged to their owner teams, the business mix against its target, the plan's cost.

    :param id: unique within the plan; by convention ``<plugin>.<what>``.
    :param title: one line.
    :param summary: one sentence saying what it shows, with the figure that matters.
    :param columns: the columns of ``rows``.
    :param rows: the table, in the order to read it.
    """

    id: str
    title: str
    summary: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[FactValue, ...], ...] = ()
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Plan:
    """A cycle's training plan: stages 1-6 of the loop.

    The same inputs and plugins give an equal plan, and byte-identical JSON.

    :param trainers: the trainers the sessions name, as the pool gave them (trainers found in
        the evidence, such as top agents, are not in trainers.csv).
    :param reports: tables rules add for people to act on, sorted by id.
    :param service: per queue and interval of the cycle with a forecast or a roster, the
        agents required, rostered and taken off by training, and the service level before
        and after; empty without a forecast.
    """

    ccrules_version: str
    center: CenterInfo
    cycle: Cycle
    digest: str
    plugins: tuple[PluginVersion, ...]
    summary: PlanSummary
    needs: tuple[Need, ...]
    priorities: tuple[Priority, ...]
    sessions: tuple[Session, ...]
    unplaced: tuple[Unplaced, ...]
    trainers: tuple[Trainer, ...] = ()
    reports: tuple[Report, ...] = ()
    service: tuple[ServiceInterval, ...] = ()

    def need(self, need_id: str) -> Need:
        for need in self.needs:
            if need.id == need_id:
                return need
        raise KeyError(need_id)

    def sessions_of(self, agent_id: str) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if agent_id in s.attendees)

    def report(self, report_id: str) -> Report:
        for report in self.reports:
            if report.id == report_id:
                return report
        raise KeyError(report_id)


# --------------------------------------------------------------------------------------------
# Evaluation and close


@attrs.frozen
class Outcome:
    """What happened to one attendee of one session.

    :param post_score: post-test score 0-100, ``None`` if no test.
    :param satisfaction: the attendee's rating 1-5, ``None`` if not given.
    """

    session_id: str
    agent_id: str
    attended: bool
    post_score: float | None = None
    satisfaction: float | None = None


@attrs.frozen
class Evaluation:
    """One measured result at one Kirkpatrick level.

    :param subject: ``session``, ``course``, ``trainer`` or ``need``.
    :param level: 1 satisfaction, 2 learning, 3 behaviour, 4 results.
    :param value: ``None`` when there is not enough data (the reasons say so).
    :param n: how many observations the value rests on.
    """

    subject: str
    subject_id: str
    level: int
    metric: str
    value: float | None
    n: int
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class CarryOver:
    """A need that stays open into the next cycle, or is closed, with why.

    :param status: ``open`` (carried) or ``closed``.
    :param attempts: how many cycles have planned it so far.
    """

    need: Need
    status: str
    attempts: int
    reasons: tuple[Reason, ...] = ()
