"""The pack's settings: ``[plugins.night-shift]`` in center.toml."""

from __future__ import annotations

import datetime as dt
import re

import attrs

HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


@attrs.frozen
class Settings:
    """When a team counts as a night team.

    :param ends_from: a team whose shift (teams.csv ``shift_end``) ends at or after this
        time is on the night shift; ``HH:MM``, 00:00 to 23:59.
    :param teams: team ids treated as night teams whatever their shift.
    """

    ends_from: str = "22:00"
    teams: tuple[str, ...] = ()

    def ends_from_time(self) -> dt.time | None:
        """``ends_from`` as a time; ``None`` when it is not ``HH:MM`` (checks say so)."""
        if HH_MM.fullmatch(self.ends_from) is None:
            return None
        hours, minutes = self.ends_from.split(":")
        return dt.time(int(hours), int(minutes))
