"""The pack's identity and the rules it implements."""

from __future__ import annotations

import ccrules
from ccrules.model import RuleInfo

# The pack ships inside the ccrules distribution, so it carries ccrules' version.
__version__ = ccrules.__version__
PLUGIN = ccrules.PluginRef("release-cascade", __version__)

RULES: tuple[RuleInfo, ...] = ()
