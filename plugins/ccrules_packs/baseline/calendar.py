"""The month's theme and the month's share-out: which competency a month trains, and which
of the month's cycles each agent attends in.

Everything here is a function of the calendar and the center's reference data, never of the
evidence: the baseline does not look at who needs what.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import attrs

from ccrules import Center
from ccrules.model import Agent, CompetencyCategory, Course, Cycle, Format
from ccrules_packs.baseline.settings import Settings

SETTINGS = "plugins.monthly-theme"
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def parse_month(text: str) -> int | None:
    """``YYYY-MM`` as a month number (year * 12 + month - 1); ``None`` when it is not one."""
    match = MONTH.fullmatch(text)
    if match is None:
        return None
    return int(match[1]) * 12 + int(match[2]) - 1


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def rotation(center: Center, settings: Settings) -> tuple[str, ...]:
    """The competencies the months cycle through: ``themes`` as set, else those that have a
    non-voluntary course in the pack's format and that a role of the pack requires, business
    ones first, then by id."""
    if settings.themes:
        return settings.themes
    required = {
        requirement.competency_id
        for role_id in attending_roles(center, settings)
        for requirement in center.roles[role_id].requirements
    }
    taught = {
        course.competency_id
        for course in center.courses.values()
        if course.format is settings.format and not course.voluntary
    }
    found = [center.competencies[c] for c in sorted(required & taught) if c in center.competencies]
    return tuple(
        c.id
        for c in sorted(found, key=lambda c: (c.category is not CompetencyCategory.BUSINESS, c.id))
    )


@attrs.frozen
class Theme:
    """The theme of one month.

    :param index: the month's place in the rotation (0-based).
    :param chosen_by: the setting path or rule the rotation came from, for facts.
    """

    month: str
    competency_id: str
    index: int
    rotation: tuple[str, ...]
    chosen_by: str


def theme_of(center: Center, settings: Settings, day: dt.date) -> Theme | None:
    """The theme of the month ``day`` falls in; ``None`` when the rotation is empty (the
    checks warn)."""
    themes = rotation(center, settings)
    if not themes:
        return None
    month = day.year * 12 + day.month - 1
    first = parse_month(settings.first_month)
    # an unparsable first_month is an input error (checks); counting from January keeps
    # `ccrules check-plugin`'s own runs meaningful
    start = first if first is not None else day.year * 12
    index = (month - start) % len(themes)
    chosen_by = (
        f"{SETTINGS}.themes"
        if settings.themes
        else f"{center.source_of('courses')} and {center.source_of('role_profiles')} (rotation)"
    )
    return Theme(month_of(day), themes[index], index, themes, chosen_by)


def month_cycles(center: Center) -> tuple[Cycle, ...]:
    """The cycles of center.toml that start in the planned cycle's month, by start then id."""
    start = center.cycle.start
    cycles = [
        c for c in center.cycles if (c.start.year, c.start.month) == (start.year, start.month)
    ]
    if all(c.id != center.cycle.id for c in cycles):  # a center built without its cycles
        cycles.append(center.cycle)
    return tuple(sorted(cycles, key=lambda c: (c.start, c.id)))


def slice_of(month: str, agent_id: str, cycles: int) -> int:
    """Which of the month's ``cycles`` an agent attends in: a stable hash of the month and the
    agent id, modulo the number of cycles. The month is in the hash so that nobody is always
    in the first week; the agent alone decides, so a leaver or a new hire moves nobody else."""
    digest = hashlib.sha256(f"{month}\x00{agent_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % cycles


def attending_roles(center: Center, settings: Settings) -> tuple[str, ...]:
    if settings.roles:
        return tuple(r for r in settings.roles if r in center.roles)
    return tuple(r.id for r in center.roles.values() if r.track == "front-line")


def attendees(center: Center, settings: Settings) -> list[Agent]:
    """Active agents of the pack's roles, by id (agents on leave are not ``active``)."""
    roles = set(attending_roles(center, settings))
    return [a for a in center.agents.values() if a.status == "active" and a.role_id in roles]


def theme_course(center: Center, competency_id: str, fmt: Format) -> Course | None:
    """The course a theme is taught in: the competency's course in ``fmt``, else its group
    course with the most seats (non-voluntary first), else ``None``."""
    course = center.catalogue(competency_id, required=True).get(fmt)
    if course is not None:
        return course
    groups = [
        c for c in center.courses.values() if c.competency_id == competency_id and c.max_group > 1
    ]
    if not groups:
        return None
    return min(groups, key=lambda c: (c.voluntary, -c.max_group, c.id))
