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
from ccrules.i18n import msg
from ccrules.model import Message, Need, Reason
from ccrules_packs.baseline._meta import PLUGIN
from ccrules_packs.baseline.calendar import (
    SETTINGS,
    Theme,
    attendees,
    month_cycles,
    slice_of,
    theme_course,
    theme_of,
)
from ccrules_packs.baseline.settings import Settings

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
    taught: Message
    if course is None:
        taught = msg(
            "no group course of {competency} is in {courses}, so the courses stage chooses",
            competency=competency.name,
            courses=courses,
        )
    elif course.format is settings.format:
        taught = msg(
            "taught in {course} ({course_id}), {format} for up to {max_group}",
            course=course.title,
            course_id=course.id,
            format=course.format,
            max_group=course.max_group,
        )
    else:
        taught = msg(
            "taught in {course} ({course_id}), {format} for up to {max_group}: {courses} has "
            "no {wanted} course of it",
            course=course.title,
            course_id=course.id,
            format=course.format,
            max_group=course.max_group,
            courses=courses,
            wanted=settings.format,
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
                msg(
                    "{month}'s theme is {competency} ({competency_id}), {taught}; {agent}, "
                    "{role}, attends in cycle {cycle}, {place} of the month's {cycles}, "
                    "whatever the evidence says.",
                    month=theme.month,
                    competency=competency.name,
                    competency_id=theme.competency_id,
                    taught=taught,
                    agent=agent.name,
                    role=role.name,
                    cycle=center.cycle.id,
                    place=position + 1,
                    cycles=len(cycles),
                ),
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
    return PLUGIN.reason(
        REPLACE,
        msg(
            "{count} targeted need(s) of this agent set aside for the theme ({by_source}): "
            "the baseline does not target.",
            count=len(aside),
            by_source=tuple(f"{n} {s}" for s, n in sorted(by_source.items())),
        ),
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
