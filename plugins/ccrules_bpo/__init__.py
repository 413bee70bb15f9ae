"""Rule pack (being written; see docs/rules.md)."""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo
from ccrules_bpo._meta import PLUGIN, RULES, __version__


@ccrules.hookimpl
def ccrules_rules() -> list[RuleInfo]:
    return list(RULES)


__all__ = ["PLUGIN", "RULES", "__version__", "ccrules_rules"]
