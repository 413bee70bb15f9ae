"""Hook specifications: the training loop as a contract between the engine and plugins.

Hooks are grouped by stage, in the order they fire within one cycle. Every hook is called on
a whole population (all agents, all needs, all sessions), never once per evidence row.

Three kinds of hooks:

- **collecting** hooks: every enabled plugin may return a list; the engine merges the lists
  and sorts the merged result by a stable key, so plugin load order never changes a plan;
- **deciding** hooks (``firstresult``): one policy answers for the whole population; the
  first implementation returning non-``None`` wins;
- **stage hooks** (``ccrules_before_stage``, ``ccrules_after_stage``,
  ``ccrules_on_stage_error``) observe each stage with the same arguments.

To adjust what another plugin produced, implement the stage's hook as a pluggy wrapper
(``@hookimpl(wrapper=True)``): ``result = yield`` receives the inner result, and what the
wrapper returns replaces it. For a collecting hook the inner result is a list holding one list
per implementation; for a deciding hook it is the winning answer.

Hook implementations must not declare default values for parameters: pluggy does not pass
arguments to parameters with defaults. The engine refuses to load such a plugin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from ccrules.model import Stage

if TYPE_CHECKING:
    from ccrules._center import Center, CenterConfig
    from ccrules._evidence import Evidence, EvidenceTable
    from ccrules._schema import DataSource
    from ccrules.errors import Problem
    from ccrules.model import (
        Assembly,
        AttritionRisk,
        CarryOver,
        Escalation,
        Evaluation,
        FollowUp,
        Need,
        Outcome,
        Plan,
        Priority,
        Report,
        Review,
        RuleInfo,
        Session,
        Slot,
        Trainer,
        TrainerAssignment,
        TrainerReview,
    )
    from ccrules.workforce import Workforce

__all__ = ["hookspec"]

hookspec = pluggy.HookspecMarker("ccrules")

_F = TypeVar("_F", bound=Callable[..., Any])

#: hook name -> the stage it belongs to, filled in by :func:`_stage` in the order of this file.
HOOK_STAGES: dict[str, Stage] = {}


def _stage(stage: Stage) -> Callable[[_F], _F]:
    def mark(function: _F) -> _F:
        HOOK_STAGES[function.__name__] = stage
        return function

    return mark


# --------------------------------------------------------------------------------------------
# Setup: once per center, before any stage runs


@_stage(Stage.SETUP)
@hookspec
def ccrules_plugin_settings() -> type | None:
    """Return the attrs class this plugin's settings are read into.

    Called once for each enabled plugin separately (not as one merged call) when a center is
    loaded, before any data is read. The engine structures the table ``[plugins.<name>]`` of
    center.toml into the class, with unknown keys and wrong types reported as errors naming
    the key path; the instance is then available to every hook as
    ``center.settings(TheClass)``.

    :return: a class whose every field has a default, so an absent table means the defaults.
        ``None`` when the plugin takes no settings; then a ``[plugins.<name>]`` table in
        center.toml is an error.

    .. versionadded:: 0.1
    """


@_stage(Stage.SETUP)
@hookspec
def ccrules_rules() -> list[RuleInfo]:
    """Return the rules this plugin implements.

    Called once for each enabled plugin separately when a center is loaded. The list feeds
    ``ccrules rules``, docs/rules.md and the check that every :class:`~ccrules.model.Reason`
    a plugin produces names one of its declared rules.

    :return: the plugin's rules; an empty list if it makes no decisions (an observer).

    .. versionadded:: 0.1
    """


@_stage(Stage.SETUP)
@hookspec
def ccrules_data_sources(config: CenterConfig) -> list[DataSource]:
    """Declare data files this plugin reads, beyond the core's.

    Called once when a center is loaded, before any data is read. Each declared source is
    read from ``data/<name>.csv`` (or ``.parquet``) with its explicit schema, checked by the
    input gate like the core's files, and loaded as a DuckDB table of the same name.

    :param config: the center's parsed center.toml.
    :return: the sources to load; names must not clash with the core's or another plugin's.

    .. versionadded:: 0.1
    """


@_stage(Stage.SETUP)
@hookspec
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    """Check the loaded inputs against this plugin's settings and needs.

    Called once after every data file has been read and passed the core's checks, and before
    the evidence stage. Problems returned here join the input gate's report: any with
    severity ``error`` stop the run with exit code 2 before a stage runs or anything is
    written. Use it for what types cannot say, such as a KPI threshold naming a competency
    that ``competencies.csv`` does not define.

    :param center: the center, its reference data and every plugin's settings.
    :param evidence: the loaded data tables (aggregates are not built yet).
    :return: the problems found; an empty list if none.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Every stage: observation


@_stage(Stage.SETUP)
@hookspec
def ccrules_before_stage(center: Center, stage: Stage) -> None:
    """Called before a stage's hooks run.

    :param center: the center being planned or evaluated.
    :param stage: the stage about to run.

    .. versionadded:: 0.1
    """


@_stage(Stage.SETUP)
@hookspec
def ccrules_after_stage(center: Center, stage: Stage, result: object) -> None:
    """Called after a stage's hooks ran and their results were merged, before the next stage
    sees them. Nothing has been written yet: a plan and its history are written only after
    the last stage succeeds.

    To change a stage's result, wrap the stage's hook instead (see the module docs).

    :param center: the center being planned or evaluated.
    :param stage: the stage that ran.
    :param result: what the stage produced: the :class:`~ccrules.Evidence` (evidence), a tuple
        of :class:`~ccrules.model.Need` (needs), of :class:`~ccrules.model.Priority`
        (priorities), an :class:`~ccrules.model.Assembly` (courses), a tuple of
        :class:`~ccrules.model.TrainerAssignment` (trainers), of :class:`~ccrules.model.Slot`
        (schedule), of :class:`~ccrules.model.Evaluation` (evaluation) or of
        :class:`~ccrules.model.CarryOver` (close).

    .. versionadded:: 0.1
    """


@_stage(Stage.SETUP)
@hookspec
def ccrules_on_stage_error(center: Center, stage: Stage, error: BaseException) -> None:
    """Called when a stage's hook raised. The error then propagates and the run stops;
    nothing is written.

    :param center: the center being planned or evaluated.
    :param stage: the stage that failed.
    :param error: the exception raised.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 1: evidence - what do we know?


@_stage(Stage.EVIDENCE)
@hookspec
def ccrules_aggregate_evidence(center: Center, evidence: Evidence) -> list[EvidenceTable]:
    """Add aggregate tables to the evidence, in SQL.

    Called once per cycle after the core has built its aggregates
    (``competency_scores``, ``kpi_values``) from the data within the cycle's evidence window.
    Each returned table is created in DuckDB, in the order returned, from its ``SELECT``;
    it may read the data tables, the core's aggregates and tables this plugin returned
    earlier in the list. Later stages read it with ``evidence.sql(...)``.

    :param center: the center being planned.
    :param evidence: the evidence so far; ``evidence.window`` is the cycle's window.
    :return: the tables to create; an empty list if none.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 2: needs - who needs what, and why?


@_stage(Stage.NEEDS)
@hookspec
def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
    """Find training needs.

    Called once per cycle after the evidence stage. Each rule returns the needs it finds on
    the whole population; the engine merges every plugin's list and sorts it by need id.
    Two rules may find a need on the same agent and competency: both are kept, with their
    own reasons, and the courses stage seats the agent once.

    :param center: the center being planned.
    :param evidence: the cycle's evidence and aggregates.
    :param carried: needs left open by the previous cycle's close stage (empty in a first
        cycle); a rule decides whether they still hold.
    :return: the needs found; an empty list if none.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 3: priorities - what first?


@_stage(Stage.PRIORITIES)
@hookspec(firstresult=True)
def ccrules_prioritize(center: Center, needs: Sequence[Need]) -> list[Priority] | None:
    """Rank the needs and decide which are trained this cycle.

    Called once per cycle after the needs stage, with every need found.

    :param center: the center being planned.
    :param needs: all needs, sorted by id.
    :return: one :class:`~ccrules.model.Priority` per need, ``planned`` or ``deferred``
        with its rank; ``None`` to leave the decision to another plugin.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 4: courses - in what form?


@_stage(Stage.COURSES)
@hookspec(firstresult=True)
def ccrules_assemble_sessions(center: Center, needs: Sequence[Need]) -> Assembly | None:
    """Turn the planned needs into sessions: a course, a format and a group of attendees.

    Called once per cycle after the priorities stage.

    :param center: the center being planned; ``center.courses`` is the catalogue.
    :param needs: the needs planned for this cycle, best rank first.
    :return: an :class:`~ccrules.model.Assembly` of sessions (no trainer or time yet) and
        the needs it could not serve, with reasons; ``None`` to leave the decision to
        another plugin.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 5: trainers - who teaches?


@_stage(Stage.TRAINERS)
@hookspec
def ccrules_trainer_pool(center: Center, evidence: Evidence) -> list[Trainer]:
    """Contribute trainers to the cycle's pool.

    Called once per cycle after the courses stage. The merged list, sorted by trainer id, is
    what :func:`ccrules_assign_trainers` chooses from. A wrapper can filter the pool (a BPO
    pack keeping only vendor trainers, say).

    :param center: the center being planned; ``center.trainers`` holds ``trainers.csv``.
    :param evidence: the cycle's evidence, to find trainers in it (top agents, method
        providers).
    :return: trainers to add; ids must be unique across plugins.

    .. versionadded:: 0.1
    """


@_stage(Stage.TRAINERS)
@hookspec(firstresult=True)
def ccrules_assign_trainers(
    center: Center,
    sessions: Sequence[Session],
    trainers: Sequence[Trainer],
    workforce: Workforce,
) -> list[TrainerAssignment] | None:
    """Choose a trainer for every session.

    Called once per cycle after :func:`ccrules_trainer_pool`.

    :param center: the center being planned.
    :param sessions: the sessions of the courses stage, best rank first.
    :param trainers: the cycle's pool.
    :param workforce: the roster and the trainers' availability the schedule stage will
        read, so a trainer is chosen who is at work when the session can take place (a
        team's pre-shift share opens its shift).
    :return: one :class:`~ccrules.model.TrainerAssignment` per session, with ``trainer_id``
        ``None`` when none fits (reasons say why) or none is needed; ``None`` to leave the
        decision to another plugin.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 6: schedule - when, without hurting the phones?


@_stage(Stage.SCHEDULE)
@hookspec(firstresult=True)
def ccrules_schedule(
    center: Center,
    sessions: Sequence[Session],
    trainers: Sequence[Trainer],
    workforce: Workforce,
) -> list[Slot] | None:
    """Place every session in time within the cycle.

    Called once per cycle after the trainers stage, with the sessions that have a trainer
    (or need none). After it, the engine measures the plan against the forecast with
    :meth:`Workforce.table <ccrules.workforce.Workforce.table>` (``plan.service``), whichever
    plugin placed the sessions.

    :param center: the center being planned; ``center.cycle`` bounds the dates and
        ``center.service`` holds the service-level goals.
    :param sessions: sessions with ``trainer_id`` set, best rank first.
    :param trainers: the cycle's pool, for the trainers' own constraints.
    :param workforce: the traffic forecast, the roster and trainers' availability of the
        cycle, with the agents each interval requires for its floor (Erlang C).
    :return: one :class:`~ccrules.model.Slot` per session, with ``start`` ``None`` when no
        time fits (reasons say which constraint blocked it). A session split into smaller
        groups gets one slot per group, each naming its ``attendees``. ``None`` leaves the
        decision to another plugin.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@_stage(Stage.SCHEDULE)
@hookspec
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    """Add reports to the finished plan: tables for people to act on.

    Called once per cycle after the schedule stage, with the plan as the stages made it (its
    ``reports`` empty). Use it for what a plan shows rather than decides: the week's share
    plan, topics flagged to their owner teams as process problems, the business mix against
    its target, the plan's cost against a contracted cap. The engine merges every plugin's
    list and sorts it by report id.

    :param center: the center being planned.
    :param evidence: the cycle's evidence and aggregates.
    :param plan: the plan; its sessions are scheduled and its unplaced items known.
    :return: the reports; ids must be unique across plugins.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 7: evaluation - did it work?
#
# Stages 7 and 8 run once the outcomes of an approved plan are known (``ccrules evaluate``,
# ``Engine.review``). ``evidence`` then holds every row of the data files, the window after
# the cycle included: ``evidence.window`` is still the plan's evidence window (the "before"
# window); pass ``{"from": ..., "to": ...}`` to ``evidence.sql`` to read another window.
# ``previous`` is the review of the cycle before (its escalations, trainer standing and
# carried needs), ``None`` in a first cycle.


@_stage(Stage.EVALUATION)
@hookspec
def ccrules_evaluate(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    previous: Review | None,
) -> list[Evaluation]:
    """Measure the results of a cycle's plan, at the four Kirkpatrick levels.

    Called once per evaluation, on the whole plan. Each implementation returns the figures
    it measures (per session, course, trainer, need, or the center); the engine merges them
    and sorts by subject, subject id, level and metric. An effect measured against a
    comparison group carries its interval, the group sizes and a verdict; a figure the data
    cannot support says "not enough data" instead of a number.

    :param center: the center, as loaded for the evaluation.
    :param evidence: every data row, before and after the cycle.
    :param plan: the approved plan that was delivered.
    :param outcomes: attendance, post-test score and satisfaction per session and attendee.
    :param previous: the previous cycle's review, or ``None``.
    :return: the evaluations measured; an empty list if none.

    .. versionadded:: 0.1
    """


@_stage(Stage.EVALUATION)
@hookspec
def ccrules_escalate(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    evaluations: Sequence[Evaluation],
    previous: Review | None,
) -> list[Escalation]:
    """Decide each agent's escalation level per competency (seed 001's three levels).

    Called once after :func:`ccrules_evaluate`. A failure this cycle on top of
    ``previous.escalations`` raises the level; a pass clears it (return the escalation with
    ``failures=0`` and ``level=0`` so the review says so). When two plugins decide on the same
    agent and competency, the higher level wins.

    :param center: the center.
    :param evidence: every data row, before and after the cycle.
    :param plan: the approved plan.
    :param outcomes: what happened per session and attendee.
    :param evaluations: the figures of :func:`ccrules_evaluate`.
    :param previous: the previous cycle's review, or ``None``.
    :return: escalations decided; an empty list if none.

    .. versionadded:: 0.1
    """


@_stage(Stage.EVALUATION)
@hookspec
def ccrules_follow_ups(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    evaluations: Sequence[Evaluation],
    escalations: Sequence[Escalation],
) -> list[FollowUp]:
    """The 50% + 50% check (seed 001): on-site checks of priority targets and a plan of
    recordings to review.

    Called once after :func:`ccrules_escalate`. The engine merges and sorts the items
    (kind, agent, competency, contact) and drops exact duplicates.

    :param center: the center.
    :param evidence: every data row, before and after the cycle.
    :param plan: the approved plan.
    :param outcomes: what happened per session and attendee.
    :param evaluations: the figures of :func:`ccrules_evaluate`.
    :param escalations: this cycle's escalations (merged).
    :return: check-list items and recordings; an empty list if none.

    .. versionadded:: 0.1
    """


@_stage(Stage.EVALUATION)
@hookspec
def ccrules_review_trainers(
    center: Center,
    plan: Plan,
    evaluations: Sequence[Evaluation],
    previous: Review | None,
) -> list[TrainerReview]:
    """Score the trainers who delivered the plan, and set their standing (seed 000: the pool
    is ranked and the weakest dropped).

    Called once after :func:`ccrules_evaluate`. The next cycle's trainer stage applies the
    result: the engine sets each trainer's ``score`` and ``status`` and takes ``removed``
    trainers out of the pool. When two plugins review the same trainer, the stricter status
    wins.

    :param center: the center.
    :param plan: the approved plan.
    :param evaluations: the figures of :func:`ccrules_evaluate` (per trainer among them).
    :param previous: the previous cycle's review (its ``trainers``), or ``None``.
    :return: one review per trainer decided on; an empty list if none.

    .. versionadded:: 0.1
    """


@_stage(Stage.EVALUATION)
@hookspec
def ccrules_attrition_risk(
    center: Center,
    evidence: Evidence,
    plan: Plan,
    outcomes: Sequence[Outcome],
    as_of: dt.date,
) -> list[AttritionRisk]:
    """Name the agents likely to leave in the coming months, each with its reasons (seed 003).

    Called once per evaluation. The engine keeps one risk per agent (the highest) and, once
    the horizon of earlier warnings has passed, checks them against ``leavers`` (precision
    and recall in the review's ``warnings``).

    :param center: the center.
    :param evidence: every data row, before and after the cycle.
    :param plan: the approved plan.
    :param outcomes: what happened per session and attendee (a missed session is a signal).
    :param as_of: the day the risk is assessed on.
    :return: agents at risk; an empty list if none.

    .. versionadded:: 0.1
    """


# --------------------------------------------------------------------------------------------
# Stage 8: close - what carries into the next cycle?


@_stage(Stage.CLOSE)
@hookspec
def ccrules_close_cycle(
    center: Center,
    plan: Plan,
    outcomes: Sequence[Outcome],
    evaluations: Sequence[Evaluation],
    escalations: Sequence[Escalation],
    attrition: Sequence[AttritionRisk],
) -> list[CarryOver]:
    """Decide what each need of the plan becomes in the next cycle.

    Called once after the evaluation stage. Open carry-overs are handed to
    :func:`ccrules_needs` of the next cycle as ``carried``, with the agent's escalation
    level on the need's competency. A rule may also open a new need here for the next
    cycle (the default pack's supervisor conversation for a warned agent).

    :param center: the center, as loaded for the evaluation.
    :param plan: the plan that was delivered.
    :param outcomes: what happened per session and attendee.
    :param evaluations: the evaluation stage's results.
    :param escalations: this cycle's escalations.
    :param attrition: this cycle's attrition risks, one per agent (the warned among them).
    :return: a :class:`~ccrules.model.CarryOver` per need this plugin decides on; when two
        plugins decide on the same need, the one that keeps it open wins.

    .. versionadded:: 0.1
    """


@_stage(Stage.CLOSE)
@hookspec
def ccrules_review_reports(center: Center, review: Review) -> list[Report]:
    """Add tables to a finished review for people to act on (a client's view of vendor
    trainers, the check list by team).

    Called once, after the close stage, on the whole review.

    :param center: the center.
    :param review: the review, without reports.
    :return: reports, each with a unique id; an empty list if none.

    .. versionadded:: 0.1
    """
