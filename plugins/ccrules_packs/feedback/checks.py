"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import attrs

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules.model import Format
from ccrules_packs.feedback.needs import shadowing_course
from ccrules_packs.feedback.settings import (
    BotQuestionSettings,
    Settings,
    ShadowingSettings,
    SignalSettings,
)

ROOT = ("plugins", "feedback")


def _signals(center: Center, settings: SignalSettings) -> list[Problem]:
    path = (*ROOT, "signals")
    problems = []
    limits = {
        "failed_test_calls": settings.failed_test_calls,
        "dissatisfied": settings.dissatisfied,
        "floor_help": settings.floor_help,
    }
    for key, value in limits.items():
        if value < 0:
            problems.append(center.config_problem((*path, key), "must be 0 (signal off) or more"))
    if settings.enabled and all(value <= 0 for value in limits.values()):
        problems.append(
            center.config_problem(
                path,
                "every signal threshold is 0, so the rule finds nothing; set one of "
                "failed_test_calls, dissatisfied, floor_help above 0 or set enabled = false",
            )
        )
    if settings.valid_days < 1:
        problems.append(center.config_problem((*path, "valid_days"), "must be 1 or more"))
    owner = settings.knowledge_owner
    default = attrs.fields(SignalSettings).knowledge_owner.default
    # The default ("HELP") falls back to the team lead where a center has no such team.
    problem = center.owner_problem((*path, "knowledge_owner"), owner)
    if owner != default and problem is not None:
        problems.append(problem)
    return problems


def _upstream(center: Center, settings: Settings) -> list[Problem]:
    path = (*ROOT, "upstream")
    upstream = settings.upstream
    problems = []
    if upstream.ratio < 1:
        problems.append(
            center.config_problem(
                (*path, "ratio"),
                f"must be 1 or more (the seed's figure is 5-10), not {upstream.ratio:g}",
            )
        )
    if upstream.min_agents < 1:
        problems.append(center.config_problem((*path, "min_agents"), "must be 1 or more"))
    if not 0 <= upstream.min_agent_share <= 1:
        problems.append(
            center.config_problem((*path, "min_agent_share"), "must be between 0 and 1")
        )
    if upstream.min_topics < 2:
        problems.append(
            center.config_problem(
                (*path, "min_topics"), "must be 2 or more: a topic needs others to compare with"
            )
        )
    return problems


def _shadowing(center: Center, evidence: Evidence, settings: Settings) -> list[Problem]:
    path = (*ROOT, "shadowing")
    shadowing = settings.shadowing
    defaults = ShadowingSettings()
    if not shadowing.competency:
        changed = [
            key for key in ("above", "course") if getattr(shadowing, key) != getattr(defaults, key)
        ]
        return [
            center.config_problem(
                (*path, key),
                "set, but the rule is off while shadowing.competency is empty",
                severity="warning",
                code="unused-setting",
            )
            for key in changed
        ]
    problems = []
    competency = shadowing.competency
    if competency not in center.competencies:
        problems.append(
            center.config_problem(
                (*path, "competency"),
                f"unknown competency {competency!r}; it is not in "
                f"{center.source_of('competencies')}",
            )
        )
    if shadowing.above is None:
        problems.append(
            center.config_problem(
                (*path, "above"),
                f"give the {shadowing.metric} value above which an agent shadows",
            )
        )
    course = shadowing_course(center, settings)
    courses = center.source_of("courses")
    if shadowing.course and course is None:
        problems.append(
            center.config_problem(
                (*path, "course"), f"unknown course {shadowing.course!r}; it is not in {courses}"
            )
        )
    elif course is None:
        problems.append(
            center.config_problem(
                (*path, "competency"),
                f"no shadowing course for {competency!r} in {courses}; add one or set "
                "shadowing.course",
            )
        )
    elif course.format is not Format.SHADOWING or course.competency_id != competency:
        problems.append(
            center.config_problem(
                (*path, "course"),
                f"course {course.id!r} is a {course.format} course on "
                f"{course.competency_id!r}; it must be a shadowing course on {competency!r}",
            )
        )
    problem = center.owner_problem((*path, "owner"), shadowing.owner, " (the ticket team)")
    if problem is not None:
        problems.append(problem)
    if shadowing.min_periods < 1:
        problems.append(center.config_problem((*path, "min_periods"), "must be 1 or more"))
    if shadowing.valid_days < 1:
        problems.append(center.config_problem((*path, "valid_days"), "must be 1 or more"))
    if evidence.has("kpis"):
        found = evidence.sql(
            "SELECT count(*) FROM kpis WHERE metric = $metric", {"metric": shadowing.metric}
        )
        if not found[0][0]:
            problems.append(
                center.config_problem(
                    (*path, "metric"),
                    f"metric {shadowing.metric!r} does not occur in "
                    f"{center.source_of('kpis')}; the shadowing rule finds nothing",
                    severity="warning",
                    code="unused-setting",
                )
            )
    return problems


def _usability(center: Center, settings: Settings) -> list[Problem]:
    path = (*ROOT, "usability")
    usability = settings.usability
    problems = []
    if not 1 < usability.below <= 5:
        problems.append(
            center.config_problem(
                (*path, "below"),
                f"must be above 1 and at most 5 (ratings are 1-5), not {usability.below:g}",
            )
        )
    if usability.min_responses < 1:
        problems.append(center.config_problem((*path, "min_responses"), "must be 1 or more"))
    return problems


def _courseware(center: Center, settings: Settings) -> list[Problem]:
    path = (*ROOT, "courseware")
    courseware = settings.courseware
    problems = []
    if courseware.cycles < 1:
        problems.append(center.config_problem((*path, "cycles"), "must be 1 or more"))
    metric = courseware.metric
    if metric != "behaviour" and not (metric.startswith("results:") and len(metric) > 8):
        problems.append(
            center.config_problem(
                (*path, "metric"),
                f"must be behaviour or results:<metric> (a course's measured effect), not "
                f"{metric!r}",
            )
        )
    return problems


def _bot_questions(center: Center, settings: BotQuestionSettings) -> list[Problem]:
    path = (*ROOT, "bot_questions")
    problems = []
    for key in ("min_count", "min_question_count", "max_questions", "valid_days"):
        if getattr(settings, key) < 1:
            problems.append(center.config_problem((*path, key), "must be 1 or more"))
    default = attrs.fields(BotQuestionSettings).owner.default
    # The default ("HELP") falls back to the team lead where a center has no such team.
    problem = center.owner_problem((*path, "owner"), settings.owner)
    if settings.owner != default and problem is not None:
        problems.append(problem)
    return problems


@ccrules.hookimpl
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    settings = center.settings(Settings)
    return [
        *_signals(center, settings.signals),
        *_upstream(center, settings),
        *_shadowing(center, evidence, settings),
        *_usability(center, settings),
        *_courseware(center, settings),
        *_bot_questions(center, settings.bot_questions),
    ]
