"""Settings of the monthly-theme pack: the ``[plugins.monthly-theme]`` table of center.toml.

Seed 001 names the practice it moves away from: one classroom theme a month, for everyone.
"""

from __future__ import annotations

import attrs

from ccrules.model import Format


@attrs.frozen
class Settings:
    """``[plugins.monthly-theme]``: which theme each month, who attends, what else is kept.

    :param themes: competency ids, one theme per month, cycled month by month. Empty: every
        competency that has a non-voluntary course in ``format`` and that a role of ``roles``
        requires (role_profiles.csv), business competencies first, then by id.
    :param first_month: the month (``YYYY-MM``) that takes the first theme; the list is
        cycled forwards and backwards from it. Empty: January takes the first theme, so the
        theme of a month is ``themes[(month - 1) % len(themes)]``.
    :param roles: role ids whose agents attend. Empty: every role on the ``front-line`` track
        (roles.csv). Agents not ``active`` (on leave) never attend.
    :param format: the course format the theme is taught in; a competency with no course in
        it falls back to its group course with the most seats (``max_group`` above 1), and
        with none, to the courses stage's own choice.
    :param keep_sources: sources of other rules' needs (``qa``, ``kpi``, ``carried``...) that
        stay in the plan beside the theme. Empty: none, the theme is all that is trained.
    :param priority: priority of a theme need (higher first).
    :param mandatory: a theme need is planned whatever the per-agent caps (the default pack's
        ``max_competencies_per_agent`` and hour budget).
    :param owner: who owns the theme needs: ``team-lead`` or a support team's id.
    """

    themes: tuple[str, ...] = ()
    first_month: str = ""
    roles: tuple[str, ...] = ()
    format: Format = Format.CLASSROOM
    keep_sources: tuple[str, ...] = ()
    priority: int = 60
    mandatory: bool = True
    owner: str = "team-lead"
