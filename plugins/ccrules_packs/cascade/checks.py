"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules_packs.cascade._meta import PLUGIN
from ccrules_packs.cascade.releases import first_course, window
from ccrules_packs.cascade.settings import Settings

ROOT = ("plugins", PLUGIN.name)


def _settings_problems(center: Center, settings: Settings) -> list[Problem]:
    problems = []
    for key in ("grace_days", "horizon_days"):
        if getattr(settings, key) < 0:
            problems.append(center.config_problem((*ROOT, key), "must be 0 or more"))
    if settings.lead_days_before < 1:
        problems.append(
            center.config_problem(
                (*ROOT, "lead_days_before"),
                "must be 1 or more: a pre-shift share opens the day, so a lead who learns on "
                "the release day cannot share it before customers call",
            )
        )
    if settings.lead_capacity_hours <= 0:
        problems.append(center.config_problem((*ROOT, "lead_capacity_hours"), "must be above 0"))
    for key in ("lead_formats", "share_formats"):
        if not getattr(settings, key):
            problems.append(center.config_problem((*ROOT, key), "list at least one format"))
    owner = center.owner_problem((*ROOT, "owner"), settings.owner)
    if owner is not None:
        problems.append(owner)
    return problems


@ccrules.hookimpl
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    settings = center.settings(Settings)
    problems = _settings_problems(center, settings)
    low, high = window(center, settings)
    if low < center.cycle.evidence_from:
        problems.append(
            center.config_problem(
                (*ROOT, "grace_days"),
                f"reaches back to {low}, before the evidence window starts "
                f"({center.cycle.evidence_from}); releases before that are not seen",
                severity="warning",
                code="unused-setting",
            )
        )
    # aggregates are not built yet: read the releases file itself
    rows = evidence.sql(
        "SELECT DISTINCT competency_id FROM releases WHERE date BETWEEN $low AND $high "
        "ORDER BY competency_id",
        {"low": low, "high": high},
    )
    courses = center.source_of("courses")
    for (competency_id,) in rows:
        for key, formats, whom in (
            ("lead_formats", settings.lead_formats, "leads"),
            ("share_formats", settings.share_formats, "teams"),
        ):
            if first_course(center, competency_id, formats) is None:
                problems.append(
                    Problem(
                        file=courses,
                        path="competency_id",
                        message=f"a release in the cascade window changes {competency_id}, "
                        f"which has no {' or '.join(formats)} course for {whom} to learn it "
                        f"in ({ROOT[0]}.{ROOT[1]}.{key}); the courses stage will choose one",
                        severity="warning",
                        code="no-cascade-course",
                    )
                )
    return problems
