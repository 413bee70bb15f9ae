"""The pack's settings: ``[plugins.night-shift]`` in center.toml."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Settings:
    """When a team counts as a night team.

    :param ends_from: a team whose shift (teams.csv ``shift_end``) ends at or after this
        time, or runs past midnight, is on the night shift; ``HH:MM``.
    :param teams: team ids treated as night teams whatever their shift.
    """

    ends_from: str = "22:00"
    teams: tuple[str, ...] = ()

    def ends_from_time(self) -> dt.time | None:
        """``ends_from`` as a time; ``None`` when it is not ``HH:MM`` (checks say so)."""
        try:
            parsed = dt.datetime.strptime(self.ends_from, "%H:%M")
        except ValueError:
            return None
        return parsed.time()
