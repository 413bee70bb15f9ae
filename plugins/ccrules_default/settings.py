"""Settings of the default pack: the ``[plugins.default]`` table of center.toml.

Every threshold of every rule lives here, with the default a typical center starts from.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules.model import Format


@attrs.frozen
class GapSettings:
    """``[plugins.default.gaps]``: needs from QA against the role profile.

    :param enabled: ``false`` turns the rule off.
    :param threshold: points (0-100) below the role's required level that make a need.
    :param min_evaluations: fewer QA evaluations than this on a competency are not enough
        evidence to send anyone to training.
    :param priority: priority of the needs this rule finds (higher first).
    :param owner: who owns closing them: ``team-lead`` or a support team's id.
    :param valid_days: a need expires this many days after its latest evidence (QA date, or
        a KPI's last period: KPI needs use this window too).
    """

    enabled: bool = True
    threshold: float = 10.0
    min_evaluations: int = 3
    priority: int = 60
    owner: str = "team-lead"
    valid_days: int = 90


@attrs.frozen
class KpiThreshold:
    """One ``[[plugins.default.kpis]]`` entry: a KPI limit, the competency that closes the
    gap, and the team that owns the uplift (seed 001).

    Give ``below`` for metrics where higher is better (satisfaction, FCR) or ``above`` where
    lower is better (dispatch rate, error tickets).

    :param metric: the metric id as it appears in kpis.csv.
    :param competency: the competency whose training closes the gap.
    :param below: a value under this is a need (higher is better).
    :param above: a value over this is a need (lower is better).
    :param owner: who owns the uplift: ``team-lead`` or a support team's id.
    :param priority: priority of the needs this threshold finds (higher first).
    :param min_periods: fewer periods of data than this are not enough evidence.
    """

    metric: str
    competency: str
    below: float | None = None
    above: float | None = None
    owner: str = "team-lead"
    priority: int = 50
    min_periods: int = 1


@attrs.frozen
class CarrySettings:
    """``[plugins.default.carry]``: needs carried over from the previous cycle.

    :param enabled: ``false`` drops what the previous cycle left open.
    :param priority_boost: added to a carried need's priority each cycle it is carried, so
        what was left comes first, and what was left twice before that.
    """

    enabled: bool = True
    priority_boost: int = 10


@attrs.frozen
class PrioritySettings:
    """``[plugins.default.priorities]``.

    :param max_competencies_per_agent: competencies one agent is trained on in a cycle; the
        rest are deferred to the next cycle.
    """

    max_competencies_per_agent: int = 2


@attrs.frozen
class CourseSettings:
    """``[plugins.default.courses]``: which format serves which group.

    :param share_min_agents: a gap shared by at least this many agents of a team ...
    :param share_min_ratio: ... and at least this share of the team becomes a pre-shift share.
    :param coaching_severity: an agent this far behind (severity 0-1) gets 1:1 coaching.
    :param min_group: a group format (classroom, shadowing) is used when at least this many
        agents share the gap; fewer take the next format in ``fallback``. Groups split by
        ``max_group`` or by the team-off-the-phones cap may then be smaller: face-to-face
        still beats multimedia (seed 001).
    :param fallback: formats to try, in order, for agents no share or coaching served.
    """

    share_min_agents: int = 3
    share_min_ratio: float = 0.3
    coaching_severity: float = 0.3
    min_group: int = 3
    fallback: tuple[Format, ...] = (
        Format.CLASSROOM,
        Format.MICRO_VIDEO,
        Format.COACHING,
        Format.SHADOWING,
    )


@attrs.frozen
class TrainerSettings:
    """``[plugins.default.trainers]``.

    :param margin: a trainer qualifies at the attendees' required level plus this margin.
    :param team_lead_for_shares: prefer a team's own lead for its pre-shift shares.
    """

    margin: float = 5.0
    team_lead_for_shares: bool = True


@attrs.frozen
class ScheduleSettings:
    """``[plugins.default.schedule]``: the working week and how much time training may take.

    :param workdays: days of the week training may be scheduled on (``mon`` ... ``sun``).
    :param day_start: start of the working day for teams without a shift in teams.csv.
    :param day_end: end of that working day.
    :param trainer_start: start of the working day of trainers who are not on the floor
        (full-time, part-time, vendor); early enough for the first pre-shift meeting.
    :param trainer_end: end of those trainers' working day.
    :param step_minutes: sessions start on this grid.
    :param max_minutes_per_day: training minutes one agent takes in a day, at most.
    :param spread: spread sessions over the cycle: try the day with the least training
        already booked for the attendees' teams first; ``false`` takes the earliest day.
    :param max_team_share_off: share of a front-line team off the phones at once, at most
        (pre-shift shares do not count: they happen before the phones open).
    """

    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    day_start: dt.time = dt.time(9, 0)
    day_end: dt.time = dt.time(18, 0)
    trainer_start: dt.time = dt.time(8, 0)
    trainer_end: dt.time = dt.time(20, 0)
    step_minutes: int = 30
    max_minutes_per_day: int = 90
    max_team_share_off: float = 0.34
    spread: bool = True


@attrs.frozen
class EvaluationSettings:
    """``[plugins.default.evaluation]``.

    :param pass_mark: post-test score (0-100) that counts as passed.
    :param min_responses: fewer answers than this give no figure ("not enough data").
    """

    pass_mark: float = 80.0
    min_responses: int = 3


@attrs.frozen
class Settings:
    """Every setting of the default pack; each table below is optional."""

    gaps: GapSettings = GapSettings()
    kpis: tuple[KpiThreshold, ...] = ()
    carry: CarrySettings = CarrySettings()
    priorities: PrioritySettings = PrioritySettings()
    courses: CourseSettings = CourseSettings()
    trainers: TrainerSettings = TrainerSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    evaluation: EvaluationSettings = EvaluationSettings()


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
