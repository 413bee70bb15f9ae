"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import attrs

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules.model import Format
from ccrules_packs.default.settings import KPI_KINDS, WEEKDAYS, Settings


def _owner(center: Center, path: tuple[str | int, ...], owner: str) -> list[Problem]:
    problem = center.owner_problem(path, owner)
    return [problem] if problem is not None else []


@ccrules.hookimpl
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    settings = center.settings(Settings)
    root = ("plugins", "default")
    problems: list[Problem] = []
    metrics = {row[0] for row in evidence.sql("SELECT DISTINCT metric FROM kpis")}
    for index, threshold in enumerate(settings.kpis):
        path = (*root, "kpis", index)
        if (threshold.below is None) == (threshold.above is None):
            problems.append(
                center.config_problem(path, "give exactly one of below (higher is better) or above")
            )
        if threshold.competency not in center.competencies:
            problems.append(
                center.config_problem(
                    (*path, "competency"),
                    f"unknown competency {threshold.competency!r}; it is not in "
                    f"{center.source_of('competencies')}",
                )
            )
        if threshold.kind is not None and threshold.kind not in KPI_KINDS:
            problems.append(
                center.config_problem(
                    (*path, "kind"),
                    f"unknown kind {threshold.kind!r}; use one of {', '.join(KPI_KINDS)}",
                )
            )
        if threshold.owner is not None:
            problems += _owner(center, (*path, "owner"), threshold.owner)
        if evidence.has("kpis") and threshold.metric not in metrics:
            problems.append(
                center.config_problem(
                    (*path, "metric"),
                    f"metric {threshold.metric!r} does not occur in "
                    f"{center.source_of('kpis')}; this threshold finds nothing",
                    severity="warning",
                    code="unused-setting",
                )
            )
    problems += _owner(center, (*root, "gaps", "owner"), settings.gaps.owner)
    schedule = settings.schedule
    for index, day in enumerate(schedule.workdays):
        if day not in WEEKDAYS:
            problems.append(
                center.config_problem(
                    (*root, "schedule", "workdays", index),
                    f"{day!r} is not one of {', '.join(WEEKDAYS)}",
                )
            )
    if schedule.day_end <= schedule.day_start:
        problems.append(
            center.config_problem((*root, "schedule", "day_end"), "must be after day_start")
        )
    if not 0 < schedule.max_team_share_off <= 1:
        problems.append(
            center.config_problem(
                (*root, "schedule", "max_team_share_off"), "must be above 0 and at most 1"
            )
        )
    if schedule.week_start not in WEEKDAYS:
        problems.append(
            center.config_problem(
                (*root, "schedule", "week_start"),
                f"{schedule.week_start!r} is not one of {', '.join(WEEKDAYS)}",
            )
        )
    if schedule.max_groups < 1:
        problems.append(
            center.config_problem(
                (*root, "schedule", "max_groups"), "must be 1 (never split) or more"
            )
        )
    if schedule.fixed_days < 0:
        problems.append(
            center.config_problem((*root, "schedule", "fixed_days"), "must be 0 or more")
        )
    if schedule.trainer_end <= schedule.trainer_start:
        problems.append(
            center.config_problem((*root, "schedule", "trainer_end"), "must be after trainer_start")
        )
    if schedule.step_minutes < 5:
        problems.append(
            center.config_problem((*root, "schedule", "step_minutes"), "must be 5 or more")
        )
    courses = settings.courses
    if not 0 < courses.share_min_ratio <= 1:
        problems.append(
            center.config_problem(
                (*root, "courses", "share_min_ratio"), "must be above 0 and at most 1"
            )
        )
    if settings.priorities.max_competencies_per_agent < 1:
        problems.append(
            center.config_problem(
                (*root, "priorities", "max_competencies_per_agent"), "must be 1 or more"
            )
        )
    if settings.priorities.max_hours_per_agent < 0:
        problems.append(
            center.config_problem(
                (*root, "priorities", "max_hours_per_agent"), "must be 0 (no budget) or more"
            )
        )
    if settings.courses.face_to_face_factor <= 0:
        problems.append(
            center.config_problem(
                (*root, "courses", "face_to_face_factor"), "must be above 0 (1.5 in seed 001)"
            )
        )
    if settings.gaps.min_compared < 1:
        problems.append(center.config_problem((*root, "gaps", "min_compared"), "must be 1 or more"))
    problems += _owner(center, (*root, "exams", "owner"), settings.exams.owner)
    for index, entry in enumerate(settings.recertify):
        path = (*root, "recertify", index)
        if entry.competency not in center.competencies:
            problems.append(
                center.config_problem(
                    (*path, "competency"),
                    f"unknown competency {entry.competency!r}; it is not in "
                    f"{center.source_of('competencies')}",
                )
            )
        if entry.every_days < 1:
            problems.append(center.config_problem((*path, "every_days"), "must be 1 or more"))
        for number, role in enumerate(entry.roles):
            if role not in center.roles:
                problems.append(
                    center.config_problem(
                        (*path, "roles", number),
                        f"unknown role {role!r}; it is not in {center.source_of('roles')}",
                    )
                )
        if entry.course is not None:
            course = center.courses.get(entry.course)
            if course is None:
                problems.append(
                    center.config_problem(
                        (*path, "course"),
                        f"unknown course {entry.course!r}; it is not in "
                        f"{center.source_of('courses')}",
                    )
                )
            elif course.competency_id != entry.competency:
                problems.append(
                    center.config_problem(
                        (*path, "course"),
                        f"course {entry.course!r} trains {course.competency_id}, not "
                        f"{entry.competency}",
                    )
                )
    problems += _loop_problems(center, settings)
    talk = settings.attrition.conversation_course
    if talk:
        course = center.courses.get(talk)
        where = ("plugins", "default", "attrition", "conversation_course")
        if course is None:
            problems.append(
                center.config_problem(
                    where, f"unknown course {talk!r}; it is not in {center.source_of('courses')}"
                )
            )
        elif course.format is not Format.COACHING:
            problems.append(
                center.config_problem(
                    where,
                    f"course {talk!r} is {course.format}; a supervisor conversation is a 1:1 "
                    "coaching course",
                )
            )
    return problems


def _loop_problems(center: Center, settings: Settings) -> list[Problem]:
    """The settings of stages 7 and 8: evaluation, follow-up, escalation, scorecards and
    attrition."""
    root = ("plugins", "default")
    problems: list[Problem] = []

    def bad(section: str, key: str, message: str) -> None:
        problems.append(center.config_problem((*root, section, key), message))

    evaluation = settings.evaluation
    if not 0 <= evaluation.pass_mark <= 100:
        bad("evaluation", "pass_mark", "must be 0-100 (a post-test score)")
    if evaluation.min_responses < 1:
        bad("evaluation", "min_responses", "must be 1 or more")
    if evaluation.band <= 0:
        bad("evaluation", "band", "must be above 0 (QA points)")
    if evaluation.min_group < 2:
        bad("evaluation", "min_group", "must be 2 or more: an interval needs two agents a group")
    if evaluation.min_evaluations < 1:
        bad("evaluation", "min_evaluations", "must be 1 or more")
    if evaluation.min_gain < 0:
        bad("evaluation", "min_gain", "must be 0 or more (QA points)")
    follow_up = settings.follow_up
    if follow_up.weak_margin < 0:
        bad("follow_up", "weak_margin", "must be 0 or more (QA points)")
    if not 0 < follow_up.test_call_error_rate <= 1:
        bad("follow_up", "test_call_error_rate", "must be above 0 and at most 1")
    if follow_up.min_test_calls < 1:
        bad("follow_up", "min_test_calls", "must be 1 or more")
    if follow_up.recordings_per_agent < 0:
        bad("follow_up", "recordings_per_agent", "must be 0 (no recordings) or more")
    escalation = settings.escalation
    if escalation.team_lead_at < 1:
        bad("escalation", "team_lead_at", "must be 1 or more")
    if not escalation.min_improvement >= 0:
        bad("escalation", "min_improvement", "must be 0 or more (QA points)")
    if escalation.team_at < escalation.team_lead_at:
        bad(
            "escalation",
            "team_at",
            f"must be at least team_lead_at ({escalation.team_lead_at}): the whole team is "
            "checked after the team lead",
        )
    cards = settings.scorecards
    if cards.min_trainees < 1:
        bad("scorecards", "min_trainees", "must be 1 or more")
    if cards.min_ranked < 1:
        bad("scorecards", "min_ranked", "must be 1 or more")
    if not 0 < cards.bottom_share < 1:
        bad("scorecards", "bottom_share", "must be above 0 and below 1")
    if not 0 <= cards.floor_score <= 5:
        bad("scorecards", "floor_score", "must be 0-5 (scores are 0-5)")
    if cards.probation_after < 1:
        bad("scorecards", "probation_after", "must be 1 or more")
    if cards.remove_after < cards.probation_after:
        bad(
            "scorecards",
            "remove_after",
            f"must be at least probation_after ({cards.probation_after}): probation comes "
            "before removal",
        )
    if cards.gain_scale <= 0:
        bad("scorecards", "gain_scale", "must be above 0 (QA points for a full mark)")
    weights = attrs.asdict(cards.weights)
    for name in sorted(weights):
        if weights[name] < 0:
            problems.append(
                center.config_problem((*root, "scorecards", "weights", name), "must be 0 or more")
            )
    if all(w <= 0 for w in weights.values()):
        problems.append(
            center.config_problem(
                (*root, "scorecards", "weights"), "at least one weight must be above 0"
            )
        )
    for index, trainer_id in enumerate(cards.reinstate):
        if trainer_id not in center.trainers:
            problems.append(
                center.config_problem(
                    (*root, "scorecards", "reinstate", index),
                    f"unknown trainer {trainer_id!r}; it is not in {center.source_of('trainers')}",
                )
            )
    attrition = settings.attrition
    for name in (
        "interruption_weight",
        "failure_weight",
        "tenure_weight",
        "qa_weight",
        "missed_weight",
    ):
        if not 0 <= getattr(attrition, name) <= 1:
            bad("attrition", name, "must be 0-1")
    for name in ("horizon_days", "interruption_days", "failure_days", "new_hire_days"):
        if getattr(attrition, name) < 1:
            bad("attrition", name, "must be 1 or more")
    if not 0 < attrition.warn_at <= 1:
        bad("attrition", "warn_at", "must be above 0 and at most 1")
    if attrition.qa_drop <= 0:
        bad("attrition", "qa_drop", "must be above 0 (QA points)")
    return problems
