"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules_default.settings import KPI_KINDS, WEEKDAYS, Settings


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
    return problems
