"""What the client has approved and certified, read once per center from the evidence.

The courses stage (``ccrules_assemble_sessions``) receives no evidence, so the approvals are
read when the evidence stage ends (``ccrules_after_stage``) and kept for that center; the
center is the same object for every stage of an engine, and the entry goes with it.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Message, Stage


@attrs.frozen
class Grant:
    """One row of approved_courses.csv or certified_trainers.csv.

    :param subject: the course (approvals) or the trainer (certifications).
    :param scope: who approved it (approvals), or the competency certified, ``None`` for
        every competency (certifications).
    :param valid_until: last day it holds; ``None`` for no end.
    """

    subject: str
    scope: str | None
    valid_until: dt.date | None

    def valid(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day

    def until(self) -> Message:
        """How long it holds, as a clause of a reason."""
        if self.valid_until:
            return msg("until {day}", day=self.valid_until.isoformat())
        return NO_END


#: a grant with no end date, as a clause of a reason
NO_END = msg("with no end date")
#: the client when center.toml names none
THE_CLIENT = msg("the client")


def client(center: Center) -> str | Message:
    """The client's name for reasons and reports (a term when center.toml names none)."""
    return center.info.client or THE_CLIENT


def approvals(evidence: Evidence) -> dict[str, tuple[Grant, ...]]:
    """Course id -> its approval rows, latest end first (no end before any date)."""
    rows = evidence.sql(
        "SELECT course_id, approved_by, valid_until FROM approved_courses "
        "ORDER BY course_id, valid_until DESC NULLS FIRST, approved_by"
    )
    found: dict[str, list[Grant]] = {}
    for course_id, approved_by, valid_until in rows:
        found.setdefault(course_id, []).append(Grant(course_id, approved_by, valid_until))
    return {k: tuple(v) for k, v in found.items()}


def certifications(evidence: Evidence) -> dict[str, tuple[Grant, ...]]:
    """Trainer id -> certification rows, every-competency rows first, latest end first."""
    rows = evidence.sql(
        "SELECT trainer_id, competency_id, valid_until FROM certified_trainers "
        "ORDER BY trainer_id, competency_id NULLS FIRST, valid_until DESC NULLS FIRST"
    )
    found: dict[str, list[Grant]] = {}
    for trainer_id, competency_id, valid_until in rows:
        found.setdefault(trainer_id, []).append(Grant(trainer_id, competency_id, valid_until))
    return {k: tuple(v) for k, v in found.items()}


_APPROVALS: weakref.WeakKeyDictionary[Center, Mapping[str, tuple[Grant, ...]]] = (
    weakref.WeakKeyDictionary()
)


@ccrules.hookimpl
def ccrules_after_stage(center: Center, stage: Stage, result: object) -> None:
    if stage is Stage.EVIDENCE and isinstance(result, Evidence):
        _APPROVALS[center] = approvals(result) if result.has("approved_courses") else {}


def approvals_of(center: Center) -> Mapping[str, tuple[Grant, ...]]:
    """The approvals read for ``center`` when its evidence stage ended."""
    try:
        return _APPROVALS[center]
    except KeyError:
        raise LookupError(
            "the bpo pack has no approvals for this center: its evidence stage has not run"
        ) from None
