"""Close stage: a theme need does not carry into the next cycle (seed 001's old practice).

The default pack keeps a need open when its agent missed the session or failed the post-test,
and an open decision wins over a closed one. A theme is taught once: the agent who missed it
waits for next month's theme rather than catching up, so this wrapper closes every theme need
that another plugin kept open, and says why. Without it a missed theme would come back as a
carried need every cycle (set aside by ``theme.replace``, or planned again when
``keep_sources`` keeps ``carried``).
"""

from __future__ import annotations

from collections.abc import Generator

import attrs

import ccrules
from ccrules.i18n import clauses, msg
from ccrules.model import CarryOver, MessageValue, Reason
from ccrules_packs.baseline._meta import PLUGIN
from ccrules_packs.baseline.needs import SOURCE

RULE = "theme.no-carry"


#: why a theme need was open when no reason says
LEFT_OPEN = msg("left open")


def _why(reasons: tuple[Reason, ...]) -> MessageValue:
    """The reasons that kept the need open, joined by "; " (their messages, so that they are
    shown in the reader's language), or "left open" when there are none."""
    return clauses([reason.message for reason in reasons]) or LEFT_OPEN


def _closed(item: CarryOver) -> CarryOver:
    reason = PLUGIN.reason(
        RULE,
        msg(
            "Closed: {theme} was the theme of its month and is not made up ({why}); next "
            "month brings the next theme.",
            theme=item.need.competency_id,
            why=_why(item.reasons),
        ),
        PLUGIN.fact("theme", item.need.competency_id),
        PLUGIN.fact("kept_open_by", ", ".join(sorted({r.plugin for r in item.reasons}))),
    )
    return attrs.evolve(item, status="closed", reasons=(*item.reasons, reason))


@ccrules.hookimpl(wrapper=True)
def ccrules_close_cycle() -> Generator[None, list[list[CarryOver] | None], list[list[CarryOver]]]:
    parts = yield
    return [
        [
            _closed(item) if item.need.source == SOURCE and item.status == "open" else item
            for item in part or ()
        ]
        for part in parts
    ]


__all__ = ["ccrules_close_cycle"]
