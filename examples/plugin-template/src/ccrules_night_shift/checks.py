"""Checks of the settings against the center's data, reported with the input gate's."""

from __future__ import annotations

import ccrules
from ccrules import Center, Problem

from ccrules_night_shift.settings import Settings

ROOT = ("plugins", "night-shift")


@ccrules.hookimpl
def ccrules_check_inputs(center: Center) -> list[Problem]:
    settings = center.settings(Settings)
    problems = []
    if settings.ends_from_time() is None:
        problems.append(
            center.config_problem(
                (*ROOT, "ends_from"),
                f'{settings.ends_from!r} is not a time of day; write it as HH:MM, like "22:00"',
            )
        )
    for index, team_id in enumerate(settings.teams):
        if team_id not in center.teams:
            known = ", ".join(sorted(center.teams))
            problems.append(
                center.config_problem(
                    (*ROOT, "teams", index),
                    f"unknown team {team_id!r}; {center.source_of('teams')} has {known}",
                )
            )
    return problems
