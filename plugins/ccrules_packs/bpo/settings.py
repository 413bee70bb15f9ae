"""Settings of the BPO pack: the ``[plugins.bpo]`` table of center.toml.

What the client mandates (courses, approval of courses and trainers) and what the vendor's
contract allows (training hours and their rate) live here.
"""

from __future__ import annotations

import attrs

from ccrules.model import TrainerKind


@attrs.frozen
class Mandate:
    """One ``[[plugins.bpo.mandated]]`` entry: a course the client requires (compliance,
    culture, brand), for which roles and how often (seed 000).

    :param course: the course id in courses.csv; its competency is the one examined.
    :param roles: role ids the mandate applies to; empty for every role.
    :param every_days: an agent who passed an exam on the course's competency within this
        many days before the cycle starts is not trained again.
    :param priority: priority of the mandated needs (higher first).
    """

    course: str
    roles: tuple[str, ...] = ()
    every_days: int = 365
    priority: int = 90


@attrs.frozen
class Settings:
    """Every setting of the BPO pack.

    :param trainer_kinds: trainer kinds the vendor may use; trainers of other kinds are
        removed from the pool.
    :param require_certification: keep only the competencies the client certified a trainer
        for in data/certified_trainers.csv; trainers left with none are removed.
    :param require_approval: remove sessions of courses the client has not approved in
        data/approved_courses.csv.
    :param mandated: the client's mandated courses.
    :param contracted_hours: attendee training hours (duration x attendees) the contract
        allows per cycle; 0 for no cap.
    :param cost_per_hour: the contracted rate per attendee training hour, for the cost
        report; 0 when training time is not charged.
    """

    trainer_kinds: tuple[TrainerKind, ...] = (TrainerKind.VENDOR,)
    require_certification: bool = True
    require_approval: bool = True
    mandated: tuple[Mandate, ...] = ()
    contracted_hours: float = 0.0
    cost_per_hour: float = 0.0


SETTINGS = "plugins.bpo"
