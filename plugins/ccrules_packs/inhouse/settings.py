"""Settings of the in-house pack: the ``[plugins.inhouse]`` table of center.toml.

Company A of seed 000 owns its staff and its trainers: its trainer pool is drawn from the
front line and its team leads (seed 001: the best trainer is whoever found the method), its
training must follow the company's strategy, lateral transfers and promotions are trained
before they take effect, and middle managers have a curriculum of their own (seed 002: assess
readiness before moving staff to a new role).
"""

from __future__ import annotations

import attrs

#: Move kinds of career_moves.csv.
MOVE_KINDS = ("transfer", "promotion", "demotion", "team-change")

#: Severity of a need on a competency with no QA evidence at all (strategy, transfer and
#: management tracks): halfway, so that a measured gap of more than half the target ranks
#: above it and a smaller one below.
NO_EVIDENCE_SEVERITY = 0.5


@attrs.frozen
class TrainerSettings:
    """``[plugins.inhouse.trainers]``: the center's own staff in the trainer pool.

    Own staff cost nothing and are chosen before trainers.csv's others (``preference``,
    lower first; 0 is everyone else's). An agent is one trainer at most: a method provider
    before a top agent before a team lead, with the skills of each merged. Agents already in
    trainers.csv (by agent id) keep their entry, which gets the preference of its kind; agents
    on leave are never trainers.

    :param method_providers: ``false`` leaves method providers out of the pool.
    :param top_agents: ``false`` leaves top agents out of the pool.
    :param team_leads: ``false`` leaves team leads out of the pool.
    :param staff_hours: training hours each of them gives in a cycle, beside their own work.
    :param min_evaluations: fewer QA evaluations than this on a competency are not enough to
        teach it.
    :param min_passed_test_calls: a method provider passed at least this many test calls on
        the topic in the window (and failed none, with no dissatisfied contact or floor-help
        request on it).
    :param mastery_level: a method provider's QA score (0-100) on the topic's competency.
    :param max_per_topic: method providers kept per topic, best QA score first.
    :param top_level: a top agent's QA score (0-100) on a competency they teach.
    :param max_per_competency: top agents kept per competency, best QA score first.
    :param method_preference: preference of method providers (lower is chosen first).
    :param top_preference: preference of top agents.
    :param lead_preference: preference of team leads.
    """

    method_providers: bool = True
    top_agents: bool = True
    team_leads: bool = True
    staff_hours: float = 2.0
    min_evaluations: int = 3
    min_passed_test_calls: int = 1
    mastery_level: float = 90.0
    max_per_topic: int = 2
    top_level: float = 90.0
    max_per_competency: int = 3
    method_preference: int = -3
    top_preference: int = -2
    lead_preference: int = -1


@attrs.frozen
class StrategySettings:
    """``[plugins.inhouse.strategy]``: training tied to the company's strategy (seed 000).

    The target is the goal's ``target_level`` (the highest of the role's goals on the
    competency) or else the role profile's level; a competency with neither is skipped. A need
    with no QA evidence has severity 0.5.

    :param enabled: ``false`` turns the rule off.
    :param threshold: points (0-100) below the target that make a need.
    :param train_without_evidence: a goal competency with no QA evidence in the window is a
        need too (strategy competencies are often new, so nobody has been scored on them).
    :param priority: priority of the needs this rule finds (higher first).
    :param owner: who owns closing them: ``team-lead`` or a support team's id.
    """

    enabled: bool = True
    threshold: float = 5.0
    train_without_evidence: bool = True
    priority: int = 55
    owner: str = "team-lead"


@attrs.frozen
class TransferSettings:
    """``[plugins.inhouse.transfer]``: lateral transfers and promotions (seeds 000, 002).

    A move counts when it is the agent's next one (career_moves.csv, after the evidence
    window), of a kind listed, names the role moved to, and takes effect from the cycle's
    start to ``horizon_days`` after it. Moves already effective and moves after the horizon
    make no need. A competency with no QA evidence has severity 0.5.

    :param enabled: ``false`` turns the rule (and the readiness report) off.
    :param track_moves: move kinds that are trained: ``transfer``, ``promotion``,
        ``demotion``, ``team-change``.
    :param horizon_days: moves taking effect at most this many days after the cycle's start.
    :param days_before: train this many days before the move takes effect (the due day is
        kept within the cycle).
    :param priority: priority of the needs this rule finds (higher first).
    :param owner: who owns closing them: ``team-lead`` or a support team's id.
    """

    enabled: bool = True
    track_moves: tuple[str, ...] = ("transfer", "promotion")
    horizon_days: int = 30
    days_before: int = 0
    priority: int = 70
    owner: str = "team-lead"


@attrs.frozen
class ManagementSettings:
    """``[plugins.inhouse.management]``: a plan for middle managers (seed 000).

    Team leads (teams.csv ``lead_id``) and agents in roles whose track is ``management`` are
    trained on each competency of their role profile that QA has not scored in the window;
    competencies with evidence are left to the default pack's gap rule. These needs have
    severity 0.5.

    :param enabled: ``false`` turns the rule off.
    :param priority: priority of the needs this rule finds (higher first).
    :param owner: who owns closing them: ``team-lead`` or a support team's id.
    """

    enabled: bool = True
    priority: int = 45
    owner: str = "team-lead"


@attrs.frozen
class ReadinessSettings:
    """``[plugins.inhouse.readiness]``: the readiness report of moving agents (seed 002).

    It lists the moves the transfer rule counts (same kinds and horizon).

    :param enabled: ``false`` leaves the report out.
    :param tolerance: a required competency is met at the new role's level minus this many
        points (0-100).
    :param ready_share: an agent is ready when at least this share (0-1) of the new role's
        competencies is met.
    """

    enabled: bool = True
    tolerance: float = 0.0
    ready_share: float = 1.0


@attrs.frozen
class Settings:
    """Every setting of the in-house pack; each table below is optional."""

    trainers: TrainerSettings = TrainerSettings()
    strategy: StrategySettings = StrategySettings()
    transfer: TransferSettings = TransferSettings()
    management: ManagementSettings = ManagementSettings()
    readiness: ReadinessSettings = ReadinessSettings()
