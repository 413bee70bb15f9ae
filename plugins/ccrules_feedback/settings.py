"""Settings of the feedback pack: the ``[plugins.feedback]`` table of center.toml.

Seed 001, "back-feeding": gaps found through test calls, dissatisfied-call recordings and
walk-around floor help become short lessons, one share a day at the pre-shift meeting; a
topic whose contacts run several times the others points to a fix upstream instead.
"""

from __future__ import annotations

import attrs

#: the owner of needs that no support team owns (seed 001: team leads take what no team covers)
TEAM_LEAD = "team-lead"


@attrs.frozen
class SignalSettings:
    """``[plugins.feedback.signals]``: an agent's problem contacts on a topic make a need on
    the topic's competency (rule ``feedback.topic-signals``). Any one threshold suffices; a
    threshold of 0 turns that signal off.

    Severity grows with how far the agent is past the threshold: with ``r`` the largest of
    count / threshold over the signals that are on, severity = 1 - 0.5 / r (0.5 at the
    threshold, 0.75 at twice it, towards 1 beyond).

    :param enabled: ``false`` turns the rule off.
    :param failed_test_calls: failed test calls on a topic that make a need.
    :param dissatisfied: dissatisfied contacts (rated recordings) on a topic that make a need.
    :param floor_help: floor-help requests on a topic that make a need.
    :param priority: priority of the needs this rule finds (higher first).
    :param valid_days: a need expires this many days after the agent's last signal on the
        topic.
    :param knowledge_owner: who owns a need on a topic without an owner team in topics.csv
        when floor help alone made it (a knowledge gap: the floor help desk, seed 001); when
        no team has this id the team lead owns it, as they own every other need on a topic
        without an owner team.
    """

    enabled: bool = True
    failed_test_calls: int = 1
    dissatisfied: int = 2
    floor_help: int = 3
    priority: int = 55
    valid_days: int = 60
    knowledge_owner: str = "HELP"


@attrs.frozen
class UpstreamSettings:
    """``[plugins.feedback.upstream]``: a topic whose problem contacts (failed test calls,
    dissatisfied contacts, floor-help requests) run several times the others points to a fix
    upstream (a billing reminder, IVR self-service), not to agent training (rule
    ``feedback.upstream-flag``). A flagged topic is reported to its owner team and makes no
    agent needs. Every condition must hold.

    :param enabled: ``false`` never flags a topic: every topic trains agents.
    :param ratio: the topic's contacts are at least this many times the baseline: the median
        of the other topics' contacts in topics.csv (a topic without any signal counts 0; a
        baseline under 1 counts as 1). The seed's figure is 5-10x.
    :param min_agents: at least this many active agents had problem contacts on the topic.
    :param min_agent_share: ... and at least this share (0-1) of the active agents.
    :param min_topics: topics.csv holds at least this many topics (the flagged one included);
        with fewer there is no baseline to compare with.
    """

    enabled: bool = True
    ratio: float = 5.0
    min_agents: int = 5
    min_agent_share: float = 0.2
    min_topics: int = 3


@attrs.frozen
class ShadowingSettings:
    """``[plugins.feedback.shadowing]``: agents whose KPI runs high (a high dispatch rate)
    shadow the ticket team (rule ``feedback.shadowing``). Off while ``competency`` is empty.

    :param metric: the KPI, as in kpis.csv, where lower is better.
    :param above: an agent whose mean value over the window is above this shadows; required
        once ``competency`` is set (the seed gives no figure).
    :param competency: the competency the shadowing trains; empty turns the rule off.
    :param course: the shadowing course; empty takes the competency's first shadowing-format
        course in courses.csv.
    :param owner: who owns the need: the ticket team's id, or ``team-lead``.
    :param min_periods: fewer KPI periods than this in the window are not enough evidence.
    :param priority: priority of the needs this rule finds (higher first).
    :param valid_days: a need expires this many days after the KPI's last period.
    """

    metric: str = "dispatch_rate"
    above: float | None = None
    competency: str = ""
    course: str = ""
    owner: str = "TKT"
    min_periods: int = 2
    priority: int = 50
    valid_days: int = 60


@attrs.frozen
class SharePlanSettings:
    """``[plugins.feedback.share_plan]``: the week's share plan, published ahead (rule
    ``feedback.share-plan``): every pre-shift share of the plan by day and team, and the
    shares that could not be placed.

    :param enabled: ``false`` leaves the report out of the plan.
    """

    enabled: bool = True


@attrs.frozen
class Settings:
    """Every setting of the feedback pack; each table below is optional."""

    signals: SignalSettings = SignalSettings()
    upstream: UpstreamSettings = UpstreamSettings()
    shadowing: ShadowingSettings = ShadowingSettings()
    share_plan: SharePlanSettings = SharePlanSettings()
