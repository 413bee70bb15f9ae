"""Settings of the release-cascade pack: the ``[plugins.release-cascade]`` table of center.toml."""

from __future__ import annotations

import attrs

from ccrules.model import Format


@attrs.frozen
class Settings:
    """Releases from ``grace_days`` before the cycle to ``horizon_days`` after it are
    cascaded: leads learn first, then share with their teams (seed 004).

    :param grace_days: a release this many days before the cycle's start or less is still
        cascaded (its agents have not heard of it yet); older ones are not.
    :param horizon_days: a release up to this many days after the cycle's end is cascaded
        this cycle: releases fall in peak traffic, so training comes before them.
    :param lead_days_before: leads learn a release this many days before it reaches
        customers (never before the cycle's start), so the team shares fit in between; at
        least 1, since a pre-shift share opens the day.
    :param lead_priority: priority of a lead's release need (higher first).
    :param share_priority: priority of an agent's release need (higher first).
    :param lead_mandatory: a lead's release need is planned whatever the caps: a release
        cannot wait.
    :param share_mandatory: an agent's release need is planned whatever the caps.
    :param lead_formats: formats a lead learns a release in, in order: the competency's first
        course (by id) of the first format the catalogue has.
    :param share_formats: formats a team learns a release in, in order: the pre-shift
        meeting, or the 10-15 minute video for fragmented time.
    :param lead_capacity_hours: hours of release shares one lead gives in a cycle.
    :param owner: who owns closing release needs: ``team-lead`` or a support team's id.
    """

    grace_days: int = 7
    horizon_days: int = 14
    lead_days_before: int = 2
    lead_priority: int = 80
    share_priority: int = 75
    lead_mandatory: bool = True
    share_mandatory: bool = True
    lead_formats: tuple[Format, ...] = (Format.CASCADE, Format.CLASSROOM)
    share_formats: tuple[Format, ...] = (Format.PRE_SHIFT, Format.MICRO_VIDEO)
    lead_capacity_hours: float = 2.0
    owner: str = "team-lead"
