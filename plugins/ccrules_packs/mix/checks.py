"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Problem
from ccrules.model import CompetencyCategory
from ccrules_packs.mix.settings import OFFER_TO, Settings

ROOT = ("plugins", "healthy-mix")


@ccrules.hookimpl
def ccrules_check_inputs(center: Center) -> list[Problem]:
    settings = center.settings(Settings)
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(center.config_problem((*ROOT, key), message))

    if settings.offer_to not in OFFER_TO:
        bad("offer_to", f"{settings.offer_to!r} is not one of {', '.join(OFFER_TO)}")
    if settings.max_offers_per_course < 0:
        bad("max_offers_per_course", "must be 0 (the course's max_group) or more")
    if not 0 <= settings.no_evidence_severity <= 1:
        bad("no_evidence_severity", "must be between 0 and 1")
    owner = center.owner_problem((*ROOT, "owner"), settings.owner)
    if owner is not None:
        problems.append(owner)
    if not 0 <= settings.target <= 1:
        bad("target", f"{settings.target:g} is not a share between 0 and 1 (0.30 is healthy)")
    if settings.max_extra_per_agent < 0:
        bad("max_extra_per_agent", "must be 0 (promote nothing) or more")
    if settings.min_signups < 1:
        bad("min_signups", "must be 1 or more")
    if settings.signup_days < 0:
        bad("signup_days", "must be 0 (every signup up to the cycle's last day) or more")
    if settings.target > 0 and not any(
        center.category_of(c) is CompetencyCategory.NON_BUSINESS for c in center.courses
    ):
        problems.append(
            center.config_problem(
                (*ROOT, "target"),
                f"no course of {center.source_of('courses')} is non-business (by its "
                f"competency's category or its own), so the {settings.target:.0%} target "
                "cannot be reached; add non-business courses",
                severity="warning",
                code="unreachable-setting",
            )
        )
    return problems


__all__ = ["ccrules_check_inputs"]
