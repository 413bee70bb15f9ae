"""Settings of the healthy-mix pack: the ``[plugins.healthy-mix]`` table of center.toml.

Seed 003: in-service training is business plus non-business training; a typical center runs
92% / 8%, a healthy one 70% / 30%, and some non-business courses are voluntary.
"""

from __future__ import annotations

import attrs

#: The seed's figures: non-business share of training in a typical and in a healthy center.
TYPICAL_SHARE = 0.08
HEALTHY_SHARE = 0.30

OFFER_TO = ("profile", "all")


@attrs.frozen
class Settings:
    """``[plugins.healthy-mix]``: voluntary offers, the non-business target, uptake.

    A course counts as business or non-business by its own ``category`` in courses.csv when
    set, else by its competency's (:meth:`ccrules.Center.category_of`).

    :param offer_to: whose signups (data/signups.csv) for a voluntary non-business course are
        offered a seat: ``profile`` (active agents whose role profile lists the course's
        competency) or ``all`` (every active agent who signed up). Nobody is offered a
        voluntary course without signing up for it.
    :param max_offers_per_course: seats offered per voluntary course in a cycle, in signup
        order; 0 offers the course's ``max_group`` (one full session). Later signups wait.
    :param signup_days: a signup counts for a cycle when dated at most this many days before
        the cycle's first day and not after its last; 0 counts every signup up to the last
        day.
    :param offer_priority: priority of the offers (higher first); low by default, so offers
        take what the per-agent cap leaves after business gaps.
    :param no_evidence_severity: severity (0-1) of an offer to an agent with no QA score on
        the competency or no required level for it; with evidence, severity is the gap to the
        role's required level divided by that level.
    :param owner: who owns the offers: ``team-lead`` or a support team's id.
    :param target: the non-business share (0-1) of planned training minutes to reach; 0.30 is
        the healthy center's figure of seed 003 (a typical center runs 0.08).
    :param max_extra_per_agent: deferred non-business needs (one per competency) one agent may
        have planned to reach the target, beyond what the priorities stage planned.
    :param min_signups: fewer signups for a voluntary course than this give no uptake figure
        ("not enough data").
    """

    offer_to: str = "all"
    max_offers_per_course: int = 0
    signup_days: int = 60
    offer_priority: int = 30
    no_evidence_severity: float = 0.1
    owner: str = "team-lead"
    target: float = HEALTHY_SHARE
    max_extra_per_agent: int = 1
    min_signups: int = 3
