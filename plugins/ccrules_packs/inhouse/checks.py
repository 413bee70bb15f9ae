"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules_packs.inhouse.settings import MOVE_KINDS, Settings

ROOT = ("plugins", "inhouse")


def _range(
    center: Center,
    path: tuple[str | int, ...],
    value: float,
    low: float,
    high: float | None = None,
    *,
    above: bool = False,
) -> list[Problem]:
    """A problem when ``value`` is below ``low`` (or not above it) or above ``high``."""
    too_low = value <= low if above else value < low
    if too_low or (high is not None and value > high):
        lower = f"above {low:g}" if above else f"{low:g} or more"
        bound = f"must be {lower}" + (f" and at most {high:g}" if high is not None else "")
        return [center.config_problem(path, f"{bound}, not {value:g}")]
    return []


def _owner(center: Center, path: tuple[str | int, ...], owner: str) -> list[Problem]:
    problem = center.owner_problem(path, owner)
    return [problem] if problem is not None else []


@ccrules.hookimpl
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    settings = center.settings(Settings)
    problems: list[Problem] = []
    trainers = settings.trainers
    at = (*ROOT, "trainers")
    problems += _range(center, (*at, "staff_hours"), trainers.staff_hours, 0, above=True)
    problems += _range(center, (*at, "min_evaluations"), trainers.min_evaluations, 1)
    problems += _range(center, (*at, "min_passed_test_calls"), trainers.min_passed_test_calls, 1)
    problems += _range(center, (*at, "mastery_level"), trainers.mastery_level, 0, 100)
    problems += _range(center, (*at, "max_per_topic"), trainers.max_per_topic, 1)
    problems += _range(center, (*at, "top_level"), trainers.top_level, 0, 100)
    problems += _range(center, (*at, "max_per_competency"), trainers.max_per_competency, 1)
    for key in ("method_preference", "top_preference", "lead_preference"):
        value = getattr(trainers, key)
        if value >= 0:
            problems.append(
                center.config_problem(
                    (*at, key),
                    f"{value} is not below 0, so own staff are not chosen before "
                    "trainers.csv's others (preference 0); use a negative number",
                    severity="warning",
                    code="unused-setting",
                )
            )

    strategy = settings.strategy
    at = (*ROOT, "strategy")
    problems += _range(center, (*at, "threshold"), strategy.threshold, 0, 100)
    problems += _owner(center, (*at, "owner"), strategy.owner)
    if strategy.enabled and not evidence.has("strategy_goals"):
        problems.append(
            center.config_problem(
                (*at, "enabled"),
                f"no {center.source_of('strategy_goals')}: the strategy rule finds nothing; "
                "add the company's goals or set enabled = false",
                severity="warning",
                code="unused-setting",
            )
        )

    transfer = settings.transfer
    at = (*ROOT, "transfer")
    for index, kind in enumerate(transfer.track_moves):
        if kind not in MOVE_KINDS:
            problems.append(
                center.config_problem(
                    (*at, "track_moves", index),
                    f"unknown move kind {kind!r}; use one of {', '.join(MOVE_KINDS)}",
                )
            )
    problems += _range(center, (*at, "horizon_days"), transfer.horizon_days, 0)
    problems += _range(center, (*at, "days_before"), transfer.days_before, 0)
    problems += _owner(center, (*at, "owner"), transfer.owner)

    problems += _owner(center, (*ROOT, "management", "owner"), settings.management.owner)

    readiness = settings.readiness
    at = (*ROOT, "readiness")
    problems += _range(center, (*at, "tolerance"), readiness.tolerance, 0, 100)
    problems += _range(center, (*at, "ready_share"), readiness.ready_share, 0, 1, above=True)
    return problems
