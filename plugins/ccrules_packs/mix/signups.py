"""Reading data/signups.csv for a cycle: who chose which voluntary course, and when."""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules import Center, Evidence
from ccrules_packs.mix.settings import Settings

# One row per agent and course: the earliest signup in the window, and its note.
SIGNUPS_SQL = """
SELECT agent_id, course_id, min(date) AS date, arg_min(coalesce(note, ''), date) AS note
FROM signups
WHERE date <= $high AND ($low IS NULL OR date >= $low)
GROUP BY agent_id, course_id
ORDER BY course_id, date, agent_id
"""


@attrs.frozen
class Signup:
    """An agent's choice of a voluntary course, counted for the cycle."""

    agent_id: str
    course_id: str
    date: dt.date
    note: str = ""


def window(center: Center, settings: Settings) -> tuple[dt.date | None, dt.date]:
    """The first and last day a signup may carry for the cycle (``None``: no first day)."""
    low = (
        center.cycle.start - dt.timedelta(days=settings.signup_days)
        if settings.signup_days > 0
        else None
    )
    return low, center.cycle.end


def signups(center: Center, evidence: Evidence, settings: Settings) -> list[Signup]:
    """The cycle's signups, by course, then date, then agent."""
    low, high = window(center, settings)
    rows = evidence.sql(SIGNUPS_SQL, {"low": low, "high": high})
    return [Signup(str(a), str(c), d, str(n)) for a, c, d, n in rows]


def by_course(found: list[Signup]) -> dict[str, list[Signup]]:
    result: dict[str, list[Signup]] = {}
    for signup in found:
        result.setdefault(signup.course_id, []).append(signup)
    return result


__all__ = ["Signup", "by_course", "signups", "window"]
