"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Problem
from ccrules_packs.baseline.calendar import parse_month, rotation, theme_course
from ccrules_packs.baseline.settings import Settings

ROOT = ("plugins", "monthly-theme")


@ccrules.hookimpl
def ccrules_check_inputs(center: Center) -> list[Problem]:
    settings = center.settings(Settings)
    problems: list[Problem] = []
    competencies = center.source_of("competencies")
    for index, competency_id in enumerate(settings.themes):
        if competency_id not in center.competencies:
            known = ", ".join(sorted(center.competencies))
            problems.append(
                center.config_problem(
                    (*ROOT, "themes", index),
                    f"unknown competency {competency_id!r}; {competencies} has {known}",
                )
            )
        elif theme_course(center, competency_id, settings.format) is None:
            problems.append(
                center.config_problem(
                    (*ROOT, "themes", index),
                    f"{competency_id} has no {settings.format} course and no group course in "
                    f"{center.source_of('courses')}; its month's needs go to whatever format "
                    "the courses stage chooses",
                    severity="warning",
                    code="unreachable-setting",
                )
            )
    if settings.first_month and parse_month(settings.first_month) is None:
        problems.append(
            center.config_problem(
                (*ROOT, "first_month"),
                f'{settings.first_month!r} is not a month; write it as YYYY-MM, like "2026-01"',
            )
        )
    for index, role_id in enumerate(settings.roles):
        if role_id not in center.roles:
            known = ", ".join(sorted(center.roles))
            problems.append(
                center.config_problem(
                    (*ROOT, "roles", index),
                    f"unknown role {role_id!r}; {center.source_of('roles')} has {known}",
                )
            )
    owner = center.owner_problem((*ROOT, "owner"), settings.owner)
    if owner is not None:
        problems.append(owner)
    if not settings.themes and not rotation(center, settings):
        problems.append(
            center.config_problem(
                (*ROOT, "themes"),
                f"no competency has a {settings.format} course that the attending roles "
                "require, so no month has a theme; list the themes",
                severity="warning",
                code="unreachable-setting",
            )
        )
    return problems


__all__ = ["ccrules_check_inputs"]
