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
import string
from collections.abc import Callable, Mapping
from typing import TypeAlias

import attrs

__all__ = [
    "Agent",
    "Assembly",
    "AttritionRisk",
    "CarryOver",
    "CenterInfo",
    "Competency",
    "CompetencyCategory",
    "CompetencyKind",
    "CompetencyScore",
    "Course",
    "Cycle",
    "Escalation",
    "Evaluation",
    "Fact",
    "FactValue",
    "FollowUp",
    "FollowUpKind",
    "Format",
    "KpiValue",
    "Message",
    "MessageValue",
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
    "Review",
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
    "TrainerReview",
    "TrainerSkill",
    "TrainerStatus",
    "Unplaced",
    "Verdict",
    "WarningCheck",
    "message_fields",
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


class TrainerStatus(enum.StrEnum):
    """A trainer's standing in the pool, set by the evaluation of their sessions."""

    ACTIVE = "active"
    PROBATION = "probation"  #: still teaches, chosen after active trainers
    REMOVED = "removed"  #: out of the pool from the next cycle


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


#: a message parameter: a value shown as it is, a message (a term or clause translated in
#: turn) or a tuple of values (a list, joined as the reader's language joins lists)
MessageValue: TypeAlias = "str | int | float | bool | Message | tuple[MessageValue, ...] | None"

#: message id -> the names of its fields, in the order they first appear
_FIELDS_OF: dict[str, tuple[str, ...]] = {}


def message_fields(message_id: str) -> tuple[str, ...]:
    """The distinct ``{name}`` fields of a message id, in the order they first appear.

    :raises ValueError: when the id is not a valid format string or a field is not a plain
        name (``{agent.name}``, ``{0}`` and ``{}`` are refused: a translator sees names).
    """
    found = _FIELDS_OF.get(message_id)
    if found is not None:
        return found
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(message_id):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(
                f"message field {{{name}}} in {message_id!r} is not a plain name: "
                "write {agent_name}, not {agent.name}, {0} or {}"
            )
        if name not in names:
            names.append(name)
    found = _FIELDS_OF[message_id] = tuple(names)
    return found


def _shown(value: MessageValue, translate: Callable[[str], str] | None, separator: str) -> object:
    kind = type(value)
    if kind is Message:
        return value.render(translate, separator)  # type: ignore[union-attr]
    if kind is tuple:
        return separator.join(
            str(_shown(item, translate, separator))
            for item in value  # type: ignore[union-attr]
        )
    return value


@attrs.frozen
class Message:
    """A sentence or a term for an operator, kept as its message id and parameters, so it is
    rendered in the reader's language when it is shown (see :mod:`ccrules.i18n`).

    Make one with :func:`ccrules.i18n.msg`: ``msg("QA {score:g} on {competency}", score=61.5,
    competency="合规话术")``.

    :param id: the message id: the English text with a ``{name}`` field for each parameter
        (format specs such as ``{score:g}`` allowed). It is the key of the gettext catalogues.
    :param values: the parameters' values, one per distinct field of ``id`` in the order the
        fields first appear (:attr:`params` gives them by name).
    """

    id: str
    values: tuple[MessageValue, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(self.values) != len(message_fields(self.id)):
            raise ValueError(
                f"message {self.id!r} has fields {list(message_fields(self.id))}, "
                f"but {len(self.values)} values were given"
            )

    @property
    def params(self) -> dict[str, MessageValue]:
        """The parameters by field name."""
        return dict(zip(message_fields(self.id), self.values, strict=True))

    def render(self, translate: Callable[[str], str] | None = None, separator: str = ", ") -> str:
        """The text: the id (translated by ``translate`` when given) with its fields filled;
        a parameter that is a message is rendered (and translated) in turn, a tuple is
        joined by ``separator``."""
        template = self.id if translate is None else translate(self.id)
        names = message_fields(self.id)
        if not names:
            return template
        return template.format_map(
            {
                name: _shown(value, translate, separator)
                for name, value in zip(names, self.values, strict=True)
            }
        )


@attrs.frozen
class Reason:
    """Why a decision was made: the rule, the plugin (and version) that applied it, the facts.

    :param rule: the rule id, unique within its plugin (``needs.competency-gap``).
    :param plugin: the plugin's name as enabled in center.toml.
    :param version: the plugin's version.
    :param message: one sentence an operator can read: a :class:`Message`, rendered in the
        reader's language from the plugin's catalogue, or plain text shown as it is (not
        translated).
    :param facts: the evidence values the rule used.
    """

    rule: str
    plugin: str
    version: str
    message: str | Message
    facts: tuple[Fact, ...] = ()

    @property
    def text(self) -> str:
        """The sentence in English (:func:`ccrules.i18n.text` renders it in another
        language)."""
        message = self.message
        return message if type(message) is str else message.render()  # type: ignore[union-attr]


@attrs.frozen
class RuleInfo:
    """A rule a plugin implements, as listed by ``ccrules rules`` and in docs/rules.md.

    :param id: the rule id used in :class:`Reason`.
    :param stage: the stage the rule decides in.
    :param title: one line saying what it does.
    :param priority: the default priority of what it produces (higher first); centers change it
        in the plugin's settings, so priority is data, not registration order.
    :param source: the seed article(s) of DOMAIN.md the rule comes from (``001``).
    """

    id: str
    stage: Stage
    title: str
    priority: int = 50
    source: str = ""


@attrs.frozen
class PluginVersion:
    """A plugin enabled for a plan: its name in center.toml and its version.

    :param name: the name center.toml enables it under (its entry-point name).
    :param version: its version, as its reasons name it.
    """

    name: str
    version: str


# --------------------------------------------------------------------------------------------
# The center: configuration and reference data


@attrs.frozen
class CenterInfo:
    """The center's identity from center.toml ``[center]``.

    :param name: the center's name as center.toml writes it; any language.
    :param model: who runs the center: ``inhouse`` or ``bpo``.
    :param client: for a BPO center, the client it serves.
    """

    name: str
    model: OperatingModel
    client: str | None = None


@attrs.frozen
class Cycle:
    """One turn of the training loop, and the window of evidence it plans from.

    :param id: the cycle's id from ``[[cycles]]`` (``2026-W49``).
    :param start: first day of training (inclusive).
    :param end: last day of training (inclusive).
    :param evidence_from: first day of evidence considered (inclusive).
    :param evidence_to: last day of evidence considered (inclusive).
    :param planned_on: the day the plan is made, when center.toml gives it; weeks already fixed
        by then take no new sessions.
    :param outcomes_to: last day of the window after the cycle (from ``end`` + 1) in which the
        evaluation measures behaviour and results.
    """

    id: str
    start: dt.date
    end: dt.date
    evidence_from: dt.date
    evidence_to: dt.date
    planned_on: dt.date | None = None
    outcomes_to: dt.date | None = None


@attrs.frozen
class Competency:
    """Something an agent must know, be able to do, or hold as an attitude.

    :param id: the competency's id (competencies.csv ``competency_id``).
    :param name: its name as operators know it; any language.
    :param category: business or non-business training.
    :param kind: knowledge, skill or attitude.
    :param description: free text; empty when not given.
    """

    id: str
    name: str
    category: CompetencyCategory
    kind: CompetencyKind
    description: str = ""


@attrs.frozen
class Requirement:
    """A role's required level (0-100) on one competency.

    :param competency_id: the competency required.
    :param level: the level excellent performance in the role needs, 0-100.
    """

    competency_id: str
    level: float


@attrs.frozen
class Role:
    """A post, with the competency levels excellent performance in it needs (seed 002).

    :param id: the role's id (roles.csv ``role_id``).
    :param name: its name; any language.
    :param track: ``front-line`` or ``management``; the middle-management track of seed 000.
    :param requirements: the role's profile: one required level per competency
        (role_profiles.csv).
    """

    id: str
    name: str
    track: str = "front-line"
    requirements: tuple[Requirement, ...] = ()

    def required_level(self, competency_id: str) -> float | None:
        """The level the role requires on ``competency_id``, or ``None`` when its
        profile does not name it."""
        for requirement in self.requirements:
            if requirement.competency_id == competency_id:
                return requirement.level
        return None


@attrs.frozen
class Team:
    """A team of agents with its lead and its usual shift.

    :param id: the team's id (teams.csv ``team_id``).
    :param name: its name as operators know it; any language.
    :param lead_id: the agent id of its team lead, if it has one.
    :param function: ``front-line`` for teams on the phones, ``support`` for the QA, business,
        ticket, sales and help desks that own KPI uplift (seed 001).
    :param shift_start: when the team's shift starts (local time); ``None`` uses the center's
        default working day.
    :param shift_end: when the team's shift ends (local time); ``None`` uses the center's
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
    """A person on the floor (team leads and supervisors are agents too).

    :param id: the agent's id (agents.csv ``agent_id``).
    :param name: display name; any language, kept as written.
    :param team_id: the team the agent works in.
    :param role_id: the agent's role, whose profile sets the required levels.
    :param hire_date: first day at the center, when known.
    :param status: ``active``, or ``leave`` (not planned this cycle).
    """

    id: str
    name: str
    team_id: str
    role_id: str
    hire_date: dt.date | None = None
    status: str = "active"


@attrs.frozen
class QaItem:
    """An item of a QA form and the competency it measures.

    :param id: the form item's id (qa_items.csv ``item_id``).
    :param competency_id: the competency the item scores.
    :param name: the item's text; any language; empty when not given.
    """

    id: str
    competency_id: str
    name: str = ""


@attrs.frozen
class TrainerSkill:
    """A trainer's level (0-100) on a competency they can teach.

    :param competency_id: a competency the trainer can teach.
    :param level: the level the trainer is listed at (trainer_skills.csv, or the rule that put
        them in the pool).
    :param measured: for a trainer who is also an agent, their own QA score on it in the
        evidence window, when the pool's rule measured it; ``None`` otherwise.
    """

    competency_id: str
    level: float
    measured: float | None = None

    @property
    def effective(self) -> float:
        """The level they teach at: the listed level, but never above what their own QA
        shows (nobody teaches above the level they work at)."""
        return self.level if self.measured is None else min(self.level, self.measured)


@attrs.frozen
class Trainer:
    """Someone who can deliver training.

    :param id: the trainer's id (trainers.csv ``trainer_id``, or one a pool rule gives).
    :param name: display name; any language.
    :param kind: where the trainer comes from (full-time, team lead, top agent, vendor...).
    :param capacity_hours: training hours they can give in one cycle.
    :param agent_id: when the trainer is also on the floor (team lead, top agent), their agent
        id, so the scheduler never books them twice.
    :param cost_per_hour: in the center's currency; 0 for staff whose time is not charged.
    :param score: a quality score (0-5) fed back by the evaluation stage; ``None`` if unknown.
    :param preference: lower is chosen first, before score and cost: an in-house pack puts its
        own staff (method providers, top agents, team leads) ahead of the rest; 0 for none.
    :param skills: the competencies they teach, each at its level.
    :param status: ``probation`` or ``removed`` when the previous cycle's review said so; the
        engine takes removed trainers out of the pool and sets ``score`` from the review.
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
    status: TrainerStatus = TrainerStatus.ACTIVE

    def level(self, competency_id: str) -> float | None:
        """The level they teach ``competency_id`` at (:attr:`TrainerSkill.effective`), or
        ``None`` when they do not teach it."""
        for skill in self.skills:
            if skill.competency_id == competency_id:
                return skill.effective
        return None

    def skill(self, competency_id: str) -> TrainerSkill | None:
        """The trainer's :class:`TrainerSkill` on ``competency_id``, or ``None``."""
        for skill in self.skills:
            if skill.competency_id == competency_id:
                return skill
        return None


@attrs.frozen
class Course:
    """A course in the catalogue: one competency, one format.

    :param id: the course's id (courses.csv ``course_id``).
    :param title: the course title; any language.
    :param competency_id: the competency it trains.
    :param format: how it is delivered.
    :param duration_minutes: length of one session, minutes.
    :param max_group: largest group one session takes; 1 for coaching.
    :param voluntary: the agent may choose to attend (non-business courses, seed 003).
    :param category: business or non-business for this course alone; ``None`` takes its
        competency's category (see :meth:`ccrules.Center.category_of`).
    """

    id: str
    title: str
    competency_id: str
    format: Format
    duration_minutes: int
    max_group: int = 1
    voluntary: bool = False
    category: CompetencyCategory | None = None


# --------------------------------------------------------------------------------------------
# Evidence aggregates


@attrs.frozen
class CompetencyScore:
    """QA evidence for one agent on one competency, aggregated over the cycle's window.

    The score is raw: evaluators' points as given. Evaluators differ (a lenient one scores
    high, a harsh one low); the evidence table ``evaluator_calibration`` measures each one's
    deviation from the others on the same form items, and the default pack's
    ``needs.competency-gap`` corrects the score by it before comparing with the required
    level (its reason shows ``raw_qa_score``, ``evaluator_bias`` and the corrected
    ``qa_score``). Correct it the same way when a rule of yours decides on QA.

    :param agent_id: the agent scored.
    :param competency_id: the competency the QA items measure.
    :param score: points earned as a share of points possible, 0-100; raw, not corrected for
        evaluator leniency.
    :param evaluations: distinct QA evaluations that scored the competency.
    :param items: QA form items scored on it.
    :param first_date: first evaluation day in the window.
    :param last_date: last evaluation day in the window.
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
    """One agent's KPI over the cycle's window: the mean of its period values.

    :param agent_id: the agent measured.
    :param metric: the metric id, as kpis.csv and the rule pack's settings name it.
    :param value: the mean of the agent's period values within the window.
    :param periods: how many periods the mean rests on.
    :param last_period: the first day of the latest period measured.
    """

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
    :param agent_id: the agent who needs the training.
    :param competency_id: the competency to train.
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
    :param problems: problem contacts in the window the need's competency would solve (failed
        test calls, dissatisfied contacts, floor-help requests); skills are ranked by it (seed
        004).
    :param reasons: why the need was found: the rule, its plugin and the facts it used.
    :param escalation: for a carried need, the agent's escalation level on the competency (seed
        001): 2 means the team lead re-delivers, 3 that the whole team is checked.
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
    escalation: int = 0


@attrs.frozen
class Priority:
    """The priority stage's decision on one need.

    :param need_id: the need decided on.
    :param rank: its order in the plan, 1 first.
    :param status: ``planned`` (trained this cycle) or ``deferred`` (carried to the next).
    :param reasons: why this rank and status.
    """

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

    :param id: unique within the plan (``K-APP-PS-01``).
    :param course_id: the course delivered.
    :param competency_id: the course's competency.
    :param format: how it is delivered (the course's format).
    :param duration_minutes: length of the session, minutes.
    :param attendees: agent ids of those who attend.
    :param need_ids: the needs it serves.
    :param rank: order of importance within the plan (1 first); the best rank of its needs.
    :param team_id: the team a pre-shift share or cascade is delivered to, if any.
    :param after: sessions that must end before this one starts (a cascade: the leads learn
        first, then teach their teams).
    :param due: the session must take place by this day (the earliest due day of its needs).
    :param target_level: the level the session teaches to: the highest target of its needs (the
        role's level, a goal's, a move's); ``None`` when no need names one. A trainer qualifies
        against it.
    :param trainer_from: who must deliver it, set by the courses stage: ``team-lead`` for the
        attendees' own team lead (escalation level 2, a supervisor conversation), or a team id
        whose trainers deliver it (the owner team of an escalated team session, a booster);
        ``None`` lets the trainers stage choose.
    :param trainer_id: set by the trainers stage; ``None`` for self-paced formats.
    :param start: set by the schedule stage.
    :param end: set by the schedule stage with ``start``.
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
    target_level: float | None = None
    trainer_from: str | None = None
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
    :param id: the need's or the session's id.
    :param stage: the stage that could not place it.
    :param reasons: why it could not be placed.
    :param session: for a session, the session as far as it got (attendees, course, trainer).
    """

    kind: str
    id: str
    stage: Stage
    reasons: tuple[Reason, ...] = ()
    session: Session | None = None


@attrs.frozen
class Assembly:
    """What the courses stage returns: sessions, and needs it could not serve.

    :param sessions: the sessions the courses stage makes, best rank first.
    :param unplaced: needs with no course or format that fits; the reasons say why.
    """

    sessions: tuple[Session, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()


@attrs.frozen
class TrainerAssignment:
    """The trainers stage's decision on one session; ``trainer_id`` ``None`` means none fits
    (the reasons say why) or none is needed (self-paced).

    :param session_id: the session decided on.
    :param trainer_id: the trainer who delivers it, or ``None``.
    :param reasons: why this trainer, or why none.
    :param required: ``False`` when the session needs no trainer (a self-paced micro-video); a
        required session with no trainer is left unplaced.
    """

    session_id: str
    trainer_id: str | None
    reasons: tuple[Reason, ...] = ()
    required: bool = True


@attrs.frozen
class Slot:
    """The schedule stage's decision on one session; ``start`` ``None`` means no time fits
    (the reasons say which constraint blocked it).

    :param session_id: the session decided on.
    :param start: when the session (or this group of it) starts; ``None`` when no time fits.
    :param end: when it ends; ``None`` with ``start``.
    :param reasons: why this time, or which constraint blocked every time.
    :param attendees: ``None`` for the whole group. A session split into smaller groups has one
        slot per group, each naming its attendees; together they name each attendee once. A
        group whose ``start`` is ``None`` is left unplaced.
    :param course_id: ``None`` keeps the session's course. Otherwise a micro-video course of the
        session's competency that the group takes instead, self-paced and without the session's
        trainer (its reasons say why): those who miss a pre-shift share watch its video.
    """

    session_id: str
    start: dt.datetime | None
    end: dt.datetime | None
    reasons: tuple[Reason, ...] = ()
    attendees: tuple[str, ...] | None = None
    course_id: str | None = None


@attrs.frozen
class ServiceGoal:
    """A queue's service-level goal: ``level`` of contacts answered within
    ``answer_seconds``; training never takes an interval below ``floor``.

    :param level: share of contacts to answer within ``answer_seconds``, 0-1 (0.8 is 80%).
    :param answer_seconds: the answer time of the goal, seconds.
    :param floor: the lowest service level training may leave an interval at, 0-1.
    :param max_occupancy: the largest share of time agents may be busy with contacts, 0-1.
    """

    level: float
    answer_seconds: float
    floor: float
    max_occupancy: float = 1.0


@attrs.frozen
class ServiceInterval:
    """One queue's interval as the plan leaves it: what the forecast needs, what the roster
    gives, what training takes away, and the service level before and after.

    :param queue: the queue (traffic.csv ``queue``).
    :param start: the interval's start (local time).
    :param end: its end.
    :param contacts: contacts the forecast expects in the interval.
    :param aht_seconds: the forecast average handle time, seconds.
    :param required: agents on the phones the floor needs (Erlang C, occupancy cap included).
    :param rostered: agents the roster puts on the phones (a segment covering part of the
        interval counts in part).
    :param available: ``rostered`` less shrinkage.
    :param off: agents the plan's sessions take off the phones (in part, likewise).
    :param service_level_before: with ``available`` agents (whole agents only).
    :param service_level_after: with ``available - off`` agents.
    :param floor: the queue's floor: the lowest service level training may leave, 0-1.
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

    :param agents: active agents of the center.
    :param agents_with_needs: agents with at least one need.
    :param needs: needs found.
    :param needs_planned: needs trained this cycle.
    :param needs_deferred: needs carried to the next cycle.
    :param sessions: sessions placed (with a time).
    :param unplaced: needs and sessions the plan could not place.
    :param training_minutes: attendee-minutes of the placed sessions (duration x attendees).
    :param business_minutes: of those, minutes of business courses.
    :param non_business_minutes: minutes of non-business courses.
    :param needs_by_source: needs per ``source`` (``qa``, ``kpi``, ``carried``...), sorted.
    :param sessions_by_format: sessions per format, sorted.
    :param trainer_hours: hours the sessions' trainers teach (a session counts once, whatever
        its attendees).
    :param trainer_cost: those hours at each trainer's ``cost_per_hour``, in the center's
        currency.
    :param intervals: queue intervals measured against the forecast (``plan.service``).
    :param intervals_below_floor_before: of those, intervals the roster leaves below the floor
        before any training.
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
    :param title: one line: a :class:`Message` (translated when shown, from the catalogue of
        the plugin that names the report's id) or plain text.
    :param summary: one sentence saying what it shows, with the figure that matters (a
        message or plain text).
    :param columns: the columns of ``rows``: ids (``owner_team``), shown translated from the
        plugin's catalogue when it has them (mark them with :func:`ccrules.i18n.N_`).
    :param rows: the table, in the order to read it.
    :param reasons: the rule that made the report, and the facts it used.
    """

    id: str
    title: str | Message
    summary: str | Message
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[FactValue, ...], ...] = ()
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Plan:
    """A cycle's training plan: stages 1-6 of the loop.

    The same inputs and plugins give an equal plan, and byte-identical JSON.

    :param ccrules_version: the version of ccrules that made the plan.
    :param center: the center's name and operating model.
    :param cycle: the cycle planned, with its evidence window.
    :param digest: ``sha256:...`` over the config, every input, the cycle, the versions and the
        previous review: equal digests mean equal plans.
    :param plugins: each enabled plugin's name and version, in center.toml order.
    :param previous: the cycle whose review this plan inherits (carried needs, trainer
        standing); ``None`` when planned without one.
    :param summary: the totals an operator reads first.
    :param needs: every need found, sorted by id, each with its reasons.
    :param priorities: one priority per need, best rank first.
    :param sessions: the sessions that have a time, in time order.
    :param unplaced: needs with no course, and sessions with no trainer or no time, with why.
    :param trainers: the trainers the sessions name, as the pool gave them (trainers found in
        the evidence, such as top agents, are not in trainers.csv).
    :param reports: tables rules add for people to act on, sorted by id.
    :param service: per queue and interval of the cycle with a forecast or a roster, the agents
        required, rostered and taken off by training, and the service level before and after;
        empty without a forecast.
    """

    ccrules_version: str
    center: CenterInfo
    cycle: Cycle
    digest: str
    plugins: tuple[PluginVersion, ...]
    previous: str | None
    summary: PlanSummary
    needs: tuple[Need, ...]
    priorities: tuple[Priority, ...]
    sessions: tuple[Session, ...]
    unplaced: tuple[Unplaced, ...]
    trainers: tuple[Trainer, ...] = ()
    reports: tuple[Report, ...] = ()
    service: tuple[ServiceInterval, ...] = ()

    def need(self, need_id: str) -> Need:
        """The need with id ``need_id``; ``KeyError`` when the plan has none."""
        for need in self.needs:
            if need.id == need_id:
                return need
        raise KeyError(need_id)

    def sessions_of(self, agent_id: str) -> tuple[Session, ...]:
        """The sessions ``agent_id`` attends, in time order."""
        return tuple(s for s in self.sessions if agent_id in s.attendees)

    def report(self, report_id: str) -> Report:
        """The report with id ``report_id``; ``KeyError`` when the plan has none."""
        for report in self.reports:
            if report.id == report_id:
                return report
        raise KeyError(report_id)


# --------------------------------------------------------------------------------------------
# Evaluation and close


@attrs.frozen
class Outcome:
    """What happened to one attendee of one session.

    :param session_id: the session.
    :param agent_id: the attendee.
    :param attended: whether they attended.
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

    Plain figures (attendance, satisfaction, pass rate) carry ``value`` and ``n``. An effect
    measured against a comparison group (behaviour, results) also carries the 95% interval
    (``low``..``high``), the comparison group's size and a ``verdict``.

    :param subject: ``session``, ``course``, ``trainer``, ``need`` or ``center``.
    :param subject_id: the session, course, trainer or need id; the cycle's id for ``center``.
    :param level: 1 satisfaction, 2 learning, 3 behaviour, 4 results.
    :param metric: what was measured: ``attendance``, ``satisfaction`` (level 1), ``pass_rate``
        (2), ``behaviour`` and ``improvement_rate`` (3), ``results:<kpi>`` (4).
    :param value: ``None`` when there is not enough data (the reasons say so, and ``verdict`` is
        ``not enough data``).
    :param n: how many observations the value rests on (for an effect: trained agents measured
        before and after).
    :param reasons: how the figure was measured, with the facts it rests on.
    :param low: lower end of the 95% interval of an effect; ``None`` for plain figures.
    :param high: upper end of the 95% interval.
    :param compared: agents in the comparison group (untrained, similar baseline).
    :param verdict: for an effect, one of :class:`Verdict`; empty for plain figures.

    Trained agents an effect leaves out (no comparison agent shares their baseline) are named
    by its reasons in a fact ``unmatched_agents``, ids separated by ``", "``:
    :attr:`left_out`; the review's headline and the report show them.
    """

    subject: str
    subject_id: str
    level: int
    metric: str
    value: float | None
    n: int
    reasons: tuple[Reason, ...] = ()
    low: float | None = None
    high: float | None = None
    compared: int = 0
    verdict: str = ""

    @property
    def left_out(self) -> list[str]:
        """The trained agents the effect left out, as its reasons name them; empty when
        none were."""
        for reason in self.reasons:
            for fact in reason.facts:
                if fact.name == "unmatched_agents" and isinstance(fact.value, str) and fact.value:
                    return fact.value.split(", ")
        return []


class Verdict(enum.StrEnum):
    """What an effect against a comparison group says."""

    IMPROVED = "improved"  #: the whole 95% interval is above zero (better)
    WORSE = "worse"  #: the whole interval is on the worse side
    NO_CLEAR_CHANGE = "no clear change"  #: the interval spans zero
    NOT_ENOUGH_DATA = "not enough data"  #: groups too small to say


class FollowUpKind(enum.StrEnum):
    """The two halves of the 50% + 50% check (seed 001)."""

    ON_SITE = "on-site"  #: a personal check on the floor
    RECORDING = "recording"  #: a recorded contact to listen to


@attrs.frozen
class FollowUp:
    """One item of the 50% + 50% check after training (seed 001).

    :param kind: an on-site check of the agent, or a recording to review.
    :param agent_id: the agent to check.
    :param competency_id: the competency checked.
    :param why: what put the item there: ``weak`` (still weak on the indicator), ``failed-test``
        (post-test below the pass mark), ``test-calls`` (high test-call error rate), ``missed``
        (missed the session), ``team-lead`` (second failure: the lead is checked and
        re-delivers), ``team`` (third failure: the whole team is checked), or ``sample`` (a
        recording drawn on the topic).
    :param escalation: the escalation level behind the item (0 none, 1-3).
    :param need_id: the need the check follows, when one.
    :param session_id: the session the check follows, when one.
    :param contact_id: the contact to review, for a recording.
    :param reasons: why the item is on the list.
    """

    kind: FollowUpKind
    agent_id: str
    competency_id: str
    why: str
    escalation: int = 0
    need_id: str | None = None
    session_id: str | None = None
    contact_id: str | None = None
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Escalation:
    """Three-level escalation of one agent on one competency (seed 001).

    :param agent_id: the agent.
    :param competency_id: the competency the checks failed on.
    :param team_id: the agent's team (level 3 checks the whole team).
    :param failures: failed checks in a row, this cycle's included; 0 means cleared.
    :param level: 1 the agent is checked again; 2 (second failure) the team lead is checked and
        re-delivers; 3 (third failure) the whole team is checked; 0 cleared.
    :param since: the cycle of the first failure of the run.
    :param reasons: the failed checks behind the level.
    """

    agent_id: str
    competency_id: str
    team_id: str
    failures: int
    level: int
    since: str
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class TrainerReview:
    """A trainer's scorecard for a cycle and the standing it gives them (seed 000).

    :param trainer_id: the trainer reviewed.
    :param status: their standing for the next cycle: active, probation or removed.
    :param score: 0-5, the figures combined; ``None`` when too few trainees to rank.
    :param sessions: sessions they delivered in the cycle.
    :param trainees: agents they trained in the cycle.
    :param pass_rate: share of their trainees' post-tests at or above the pass mark, 0-1, when
        tested.
    :param satisfaction: their trainees' mean rating, 1-5, when rated.
    :param improvement: trainees' behaviour change against the comparison group (QA points),
        when measured.
    :param bottom_runs: cycles in a row the trainer ranked in the bottom group.
    :param reasons: how the score and status were reached.
    """

    trainer_id: str
    status: TrainerStatus
    score: float | None
    sessions: int
    trainees: int
    pass_rate: float | None = None
    satisfaction: float | None = None
    improvement: float | None = None
    bottom_runs: int = 0
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class AttritionRisk:
    """An agent's risk of leaving within the horizon (seed 003: three months).

    :param agent_id: the agent.
    :param risk: 0-1, the weights of the signals found, capped at 1.
    :param warned: the risk reaches the warning threshold.
    :param horizon_end: the last day the warning covers.
    :param reasons: the signals found, each with its weight.
    """

    agent_id: str
    risk: float
    warned: bool
    horizon_end: dt.date
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class WarningCheck:
    """How earlier attrition warnings turned out, once their horizon has passed.

    :param rounds: earlier reviews whose horizon ended by this review's ``as_of``.
    :param warned: agents warned in those rounds.
    :param warned_left: of them, agents who left within their horizon.
    :param leavers: agents who left within a horizon while being watched.
    :param precision: ``warned_left / warned``; ``None`` when none was warned.
    :param recall: ``warned_left / leavers``; ``None`` when nobody left.
    :param reasons: how the figures were counted.
    """

    rounds: int
    warned: int
    warned_left: int
    leavers: int
    precision: float | None
    recall: float | None
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class CarryOver:
    """A need that stays open into the next cycle, or is closed, with why.

    :param need: the need, as the next cycle's needs stage receives it.
    :param status: ``open`` (carried) or ``closed``.
    :param attempts: how many cycles have planned it so far.
    :param reasons: why it stays open or is closed.
    :param escalation: the agent's escalation level on the need's competency (0-3); the next
        cycle's needs stage carries it on the need.
    """

    need: Need
    status: str
    attempts: int
    reasons: tuple[Reason, ...] = ()
    escalation: int = 0


@attrs.frozen
class Review:
    """A cycle's evaluation and close (stages 7-8): what the plan achieved, what to check,
    and what the next cycle inherits.

    The same plan, outcomes, evidence and rules give an equal review and byte-identical JSON.

    :param ccrules_version: the version of ccrules that made the review.
    :param center: the center's name and operating model.
    :param cycle: the cycle reviewed.
    :param plan_revision: the approved revision of the plan that was evaluated.
    :param plan_digest: that plan's digest.
    :param digest: of everything the review read: config, data, the plan and the previous
        review; re-running on the same inputs records nothing new.
    :param previous: the cycle whose review this one continues (escalations, trainer standing,
        carried needs); ``None`` for the first.
    :param plugins: each enabled plugin's name and version.
    :param as_of: the last day of the window after the cycle that behaviour and results are
        measured in.
    :param evaluations: the figures measured, per session, course, trainer, need and the center.
    :param follow_ups: the 50% + 50% check: on-site checks and recordings to review.
    :param escalations: the escalation level of every agent and competency with a failed check.
    :param trainers: each trainer's scorecard and standing.
    :param attrition: each agent's risk of leaving, with the warned ones flagged.
    :param warnings: how earlier attrition warnings turned out, when history holds them.
    :param carried: one per need of the plan: open needs go to the next cycle's needs stage.
    :param reports: tables rules add for people to act on, sorted by id.
    """

    ccrules_version: str
    center: CenterInfo
    cycle: Cycle
    plan_revision: int
    plan_digest: str
    digest: str
    previous: str | None
    plugins: tuple[PluginVersion, ...]
    as_of: dt.date
    evaluations: tuple[Evaluation, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    trainers: tuple[TrainerReview, ...] = ()
    attrition: tuple[AttritionRisk, ...] = ()
    warnings: WarningCheck | None = None
    carried: tuple[CarryOver, ...] = ()
    reports: tuple[Report, ...] = ()

    @property
    def open(self) -> tuple[CarryOver, ...]:
        """The needs the next cycle inherits."""
        return tuple(c for c in self.carried if c.status == "open")

    def trainer(self, trainer_id: str) -> TrainerReview | None:
        """The scorecard of ``trainer_id``, or ``None`` when the review has none."""
        for review in self.trainers:
            if review.trainer_id == trainer_id:
                return review
        return None
