"""Needs stage: the month's theme for everyone, in place of every targeted need (seed 001).

Seed 001 describes the practice it leaves behind: one classroom theme a month, the same for
everybody, whatever the QA and the KPIs say. This wrapper runs around every other rule of the
needs stage. It sets their needs aside (unless ``keep_sources`` keeps a source) and gives each
agent of this cycle's share of the month one need for the theme, in the theme's course.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Need, Reason
from ccrules_baseline._meta import PLUGIN
from ccrules_baseline.calendar import (
    SETTINGS,
    Theme,
    attendees,
    month_cycles,
    slice_of,
    theme_course,
    theme_of,
)
from ccrules_baseline.settings import Settings

RULE = "theme.everyone"
REPLACE = "theme.replace"
#: the source of a theme need (report labels: ``source_theme``)
SOURCE = "theme"


def _levels(evidence: Evidence, competency_id: str) -> dict[str, float]:
    """QA scores on the theme, shown on the need but never used to choose who attends."""
    rows = evidence.sql(
        "SELECT agent_id, score FROM competency_scores WHERE competency_id = $competency "
        "ORDER BY agent_id",
        {"competency": competency_id},
    )
    return {agent_id: float(score) for agent_id, score in rows if score is not None}


def theme_needs(
    center: Center, evidence: Evidence, settings: Settings, set_aside: dict[str, list[Need]]
) -> list[Need]:
    theme = theme_of(center, settings, center.cycle.start)
    if theme is None:
        return []
    cycles = month_cycles(center)
    position = [c.id for c in cycles].index(center.cycle.id)
    course = theme_course(center, theme.competency_id, settings.format)
    competency = center.competencies[theme.competency_id]
    scores = _levels(evidence, theme.competency_id)
    courses = center.source_of("courses")
    if course is None:
        taught = (
            f"no group course of {competency.name} is in {courses}, so the courses stage chooses"
        )
    elif course.format is settings.format:
        taught = (
            f"taught in {course.title} ({course.id}), {course.format} for up to {course.max_group}"
        )
    else:
        taught = (
            f"taught in {course.title} ({course.id}), {course.format} for up to "
            f"{course.max_group}: {courses} has no {settings.format} course of it"
        )
    facts = (
        PLUGIN.fact("theme", theme.competency_id, theme.chosen_by),
        PLUGIN.fact("month", theme.month, "cycle start"),
        PLUGIN.fact("rotation", ", ".join(theme.rotation), theme.chosen_by),
        PLUGIN.fact("rotation_index", theme.index, _index_source(settings)),
        PLUGIN.fact("course_id", course.id if course else None, courses),
        PLUGIN.fact("format", str(settings.format), f"{SETTINGS}.format"),
        PLUGIN.fact("month_cycles", ", ".join(c.id for c in cycles), "center.toml [[cycles]]"),
        PLUGIN.fact("cycle_slice", position),
    )
    needs = []
    for agent in attendees(center, settings):
        if slice_of(theme.month, agent.id, len(cycles)) != position:
            continue
        role = center.roles[agent.role_id]
        target = role.required_level(theme.competency_id)
        current = scores.get(agent.id)
        severity = (
            round(min(1.0, max(0.0, (target - current) / target)), 4)
            if target and current is not None
            else 0.0
        )
        reasons: list[Reason] = [
            PLUGIN.reason(
                RULE,
                f"{theme.month}'s theme is {competency.name} ({theme.competency_id}), "
                f"{taught}; {agent.name}, {role.name}, attends in cycle {center.cycle.id}, "
                f"{position + 1} of the month's {len(cycles)}, whatever the evidence says.",
                *facts,
                PLUGIN.fact("role", agent.role_id, _roles_source(center, settings)),
                PLUGIN.fact("qa_score", current, f"competency_scores <- {center.source_of('qa')}"),
                PLUGIN.fact("required_level", target, center.source_of("role_profiles")),
                PLUGIN.fact("mandatory", settings.mandatory, f"{SETTINGS}.mandatory"),
            )
        ]
        aside = set_aside.get(agent.id, [])
        if aside:
            reasons.append(_set_aside_reason(settings, aside))
        needs.append(
            Need(
                id=f"{SOURCE}:{theme.month}:{agent.id}",
                agent_id=agent.id,
                competency_id=theme.competency_id,
                source=SOURCE,
                severity=severity,
                priority=settings.priority,
                owner_team=settings.owner,
                target_level=target,
                current_level=current,
                # the theme is this cycle's: a missed one is not made up (theme.no-carry)
                expires=center.cycle.end,
                course_id=course.id if course else None,
                mandatory=settings.mandatory,
                reasons=tuple(reasons),
            )
        )
    return needs


def _set_aside_reason(settings: Settings, aside: list[Need]) -> Reason:
    by_source: dict[str, int] = defaultdict(int)
    for need in aside:
        by_source[need.source] += 1
    counts = ", ".join(f"{n} {s}" for s, n in sorted(by_source.items()))
    return PLUGIN.reason(
        REPLACE,
        f"{len(aside)} targeted need(s) of this agent set aside for the theme ({counts}): "
        "the baseline does not target.",
        PLUGIN.fact("set_aside", ", ".join(sorted(n.id for n in aside))),
        PLUGIN.fact("keep_sources", ", ".join(settings.keep_sources), f"{SETTINGS}.keep_sources"),
    )


def _index_source(settings: Settings) -> str:
    return f"{SETTINGS}.first_month" if settings.first_month else "calendar month"


def _roles_source(center: Center, settings: Settings) -> str:
    if settings.roles:
        return f"{SETTINGS}.roles"
    return f"{center.source_of('roles')} (front-line track)"


@ccrules.hookimpl(wrapper=True)
def ccrules_needs(
    center: Center, evidence: Evidence
) -> Generator[None, list[list[Need] | None], list[list[Need]]]:
    parts = yield
    settings = center.settings(Settings)
    keep = set(settings.keep_sources)
    kept: list[list[Need]] = []
    set_aside: dict[str, list[Need]] = defaultdict(list)
    for part in parts:
        mine = []
        for need in part or ():
            if need.source in keep:
                mine.append(need)
            else:
                set_aside[need.agent_id].append(need)
        kept.append(mine)
    return [*kept, theme_needs(center, evidence, settings, set_aside)]


__all__ = ["SOURCE", "Theme", "ccrules_needs", "theme_needs"]
