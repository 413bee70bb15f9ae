"""night-shift: agents on a night shift get micro-videos instead of pre-shift shares.

A night team has no quiet start of shift with its lead on the floor, so a pre-shift share
planned for it is replaced by the competency's micro-video, one per agent, which the agent
watches in a lull of the night. Enable it in center.toml ahead of the pack that assembles
the sessions::

    [plugins]
    enabled = ["night-shift", "default"]

    [plugins.night-shift]
    ends_from = "22:00"   # a shift ending at or after this time is a night shift
    teams = []            # team ids to treat as night teams whatever their shift
"""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo

from ccrules_night_shift.checks import ccrules_check_inputs
from ccrules_night_shift.rule import RULES, ccrules_assemble_sessions
from ccrules_night_shift.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Settings",
    "__version__",
    "ccrules_assemble_sessions",
    "ccrules_check_inputs",
    "ccrules_plugin_settings",
    "ccrules_rules",
]


@ccrules.hookimpl
def ccrules_plugin_settings() -> type:
    return Settings


@ccrules.hookimpl
def ccrules_rules() -> list[RuleInfo]:
    return list(RULES)
