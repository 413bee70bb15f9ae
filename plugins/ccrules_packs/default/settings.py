"""Settings of the default pack: the ``[plugins.default]`` table of center.toml.

Every threshold of every rule lives here, with the default a typical center starts from.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ccrules.model import CompetencyKind, Format


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
    :param calibrate: correct each agent's QA score for the leniency or harshness of the
        evaluators who scored it (the evidence table ``evaluator_calibration``), so a strict
        evaluator does not send an agent to training.
    :param min_compared: an evaluator's deviation is used only when it rests on at least this
        many items that other evaluators also scored; fewer leave the score as it is.
    """

    enabled: bool = True
    threshold: float = 10.0
    min_evaluations: int = 3
    priority: int = 60
    owner: str = "team-lead"
    valid_days: int = 90
    calibrate: bool = True
    min_compared: int = 20


@attrs.frozen
class OwnerTeams:
    """``[plugins.default.owner_teams]``: the team that owns each kind of KPI uplift, OKR style
    (seed 001). A KPI threshold without an ``owner`` goes to the team of its ``kind``; a team
    id missing from teams.csv leaves the uplift to the team lead.

    :param satisfaction: overall satisfaction: the QA team.
    :param first_contact_resolution: first-contact resolution: the business team.
    :param sales: sales ability: the sales desk.
    :param error_tickets: error tickets: the ticket team.
    :param dispatch_rate: dispatch rate: the ticket team.
    :param high_frequency_callers: communication with high-frequency callers: the high-skill
        desk.
    :param knowledge: knowledge gaps: the floor help desk.
    """

    satisfaction: str = "QA"
    first_contact_resolution: str = "BUS"
    sales: str = "SALES"
    error_tickets: str = "TKT"
    dispatch_rate: str = "TKT"
    high_frequency_callers: str = "HIGH-SKILL"
    knowledge: str = "HELP"


KPI_KINDS = tuple(f.name for f in attrs.fields(OwnerTeams))

#: metric ids whose kind is known without a ``kind`` setting
METRIC_KINDS: dict[str, str] = {
    "csat": "satisfaction",
    "satisfaction": "satisfaction",
    "nps": "satisfaction",
    "fcr": "first_contact_resolution",
    "first_contact_resolution": "first_contact_resolution",
    "sales": "sales",
    "sales_conversion": "sales",
    "conversion": "sales",
    "error_tickets": "error_tickets",
    "ticket_errors": "error_tickets",
    "dispatch_rate": "dispatch_rate",
    "repeat_contact_rate": "high_frequency_callers",
    "high_frequency_callers": "high_frequency_callers",
}


@attrs.frozen
class ExamSettings:
    """``[plugins.default.exams]``: the monthly skill exam finds who needs targeted coaching
    (seed 004).

    :param enabled: ``false`` turns the rule off.
    :param priority: priority of the needs it finds.
    :param format: the course format the need asks for when the catalogue has one for the
        competency (targeted coaching); otherwise the courses stage chooses.
    :param owner: who owns closing it: ``team-lead`` or a support team's id.
    :param valid_days: a need expires this many days after the exam.
    """

    enabled: bool = True
    priority: int = 65
    format: Format = Format.COACHING
    owner: str = "team-lead"
    valid_days: int = 60


@attrs.frozen
class Recertification:
    """One ``[[plugins.default.recertify]]`` entry: a certification on a competency lapses
    this many days after the agent last passed an exam on it.

    :param competency: the competency certified.
    :param every_days: days a pass stays valid.
    :param roles: roles that must hold it; empty means every role whose profile lists the
        competency.
    :param priority: priority of the needs it finds.
    :param mandatory: planned whatever the caps (a compliance certificate).
    :param course: the course that recertifies; empty lets the courses stage choose.
    """

    competency: str
    every_days: int = 365
    roles: tuple[str, ...] = ()
    priority: int = 70
    mandatory: bool = False
    course: str | None = None


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
    :param owner: who owns the uplift: ``team-lead`` or a support team's id; empty takes the
        team of the KPI's kind from ``[plugins.default.owner_teams]``.
    :param kind: what the KPI measures (``satisfaction``, ``first_contact_resolution``,
        ``sales``, ``error_tickets``, ``dispatch_rate``, ``high_frequency_callers``,
        ``knowledge``); empty infers it from well-known metric ids (csat, fcr, ...).
    :param priority: priority of the needs this threshold finds (higher first).
    :param min_periods: fewer periods of data than this are not enough evidence.
    """

    metric: str
    competency: str
    below: float | None = None
    above: float | None = None
    owner: str | None = None
    kind: str | None = None
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
    :param max_hours_per_agent: training hours one agent is planned for in a cycle, as
        estimated from the course each need would take; needs beyond it are deferred. 0 means
        no budget. Mandatory needs (client mandates, releases) count but are never deferred.
    :param assess_unmeasured: a need with a target but no measured level (the agent was
        never scored on the competency in the window) is not trained on a guessed severity:
        it is deferred and assessed first (a test call, an exam or an on-site spot check),
        listed in the plan report ``default.assessments``; once measured, the gap decides.
        Mandatory needs are trained anyway.
    :param assessment_owner: the team that runs those assessments (seed 001: QA).
    """

    max_competencies_per_agent: int = 2
    max_hours_per_agent: float = 8.0
    assess_unmeasured: bool = True
    assessment_owner: str = "QA"


@attrs.frozen
class CourseSettings:
    """``[plugins.default.courses]``: which format serves which group.

    :param share_min_agents: a gap shared by at least this many agents of a team ...
    :param share_min_ratio: ... and at least this share of the team becomes a pre-shift share.
    :param share_min_attendees: a pre-shift share is held for at least this many attendees
        (seed 001: one share a day, in the team's meeting, not a one-person "meeting"). A
        team's share with fewer (a rule's request for one or two agents) takes the course's
        next format of ``fallback`` instead; in the schedule, a share is held once, on one
        day at the team's shift start, and only when at least this many are at it: those
        who are not watch the competency's micro-video, or are left with the reason.
    :param coaching_gap: an agent this many points or more below the target on a measured
        level gets 1:1 coaching, or a classroom when the catalogue has no coaching, even when
        their team shares the theme: the share serves the team-wide pattern, not the
        individual far behind.
    :param coaching_severity: for a need without measured levels (a KPI past its limit), an
        agent this far behind (severity 0-1) gets 1:1 coaching.
    :param min_group: a group format (classroom, shadowing) is used when at least this many
        agents share the gap; fewer take the next format in ``fallback``. Groups split by
        ``max_group`` or by the team-off-the-phones cap may then be smaller: face-to-face
        still beats multimedia (seed 001).
    :param fallback: formats to try, in order, for agents no share or coaching served.
    :param multimedia_kinds: competency kinds a micro-video may train (seed 004: knowledge
        anchors on what is known, skills can be shown; an attitude changes face to face).
    :param face_to_face_factor: mastery of face-to-face training relative to multimedia (seed
        001 measured about 1.5); at 1 or more, face-to-face formats of the fallback list are
        tried before a micro-video, below 1 a micro-video comes first.
    """

    share_min_agents: int = 3
    share_min_ratio: float = 0.3
    share_min_attendees: int = 3
    coaching_gap: float = 20.0
    coaching_severity: float = 0.3
    min_group: int = 3
    fallback: tuple[Format, ...] = (
        Format.CLASSROOM,
        Format.MICRO_VIDEO,
        Format.COACHING,
        Format.SHADOWING,
    )
    multimedia_kinds: tuple[CompetencyKind, ...] = (CompetencyKind.KNOWLEDGE, CompetencyKind.SKILL)
    face_to_face_factor: float = 1.5


@attrs.frozen
class TrainerSettings:
    """``[plugins.default.trainers]``.

    A trainer qualifies for a session at the level it teaches to: the highest target of its
    needs (the role's required level, a goal's or a move's), else the highest level the
    attendees' roles require. A trainer who is also an agent teaches at their own measured QA
    level when it is lower than the level they are listed at. Nobody teaches a competency
    they are seated on in the same plan, unless that session comes first (a cascade).

    :param margin: trainers at least this many points above the level taught are chosen
        first; when none of them is free, a trainer at the level itself is taken, and the
        reason says so.
    :param team_lead_for_shares: prefer a team's own lead for its pre-shift shares.
    :param measure_staff: cap the level of trainers who are also agents at their own QA score
        (corrected by nothing: raw ``competency_scores``) on the competency, when it rests on
        at least ``gaps.min_evaluations`` evaluations.
    """

    margin: float = 5.0
    team_lead_for_shares: bool = True
    measure_staff: bool = True


@attrs.frozen
class ScheduleSettings:
    """``[plugins.default.schedule]``: when training may take place. With a traffic forecast
    and a roster (data/traffic.csv, data/shifts.csv) no session takes an interval below its
    service-level floor (``[service]``); without them, a share of each team stays on the
    phones.

    :param workdays: days of the week training may be scheduled on (``mon`` ... ``sun``).
    :param day_start: start of the working day of agents the roster does not list, for teams
        without a shift in teams.csv.
    :param day_end: end of that working day.
    :param trainer_start: start of the working day of trainers who are not on the floor
        (full-time, part-time, vendor) and have no row in trainer_availability.csv; early
        enough for the first pre-shift meeting.
    :param trainer_end: end of those trainers' working day.
    :param step_minutes: sessions start on this grid.
    :param max_minutes_per_day: training minutes one agent takes in a day, at most.
    :param spread: spread sessions over the cycle: try the day with the least training
        already booked for the attendees' teams first; ``false`` takes the earliest day.
        Within a day, the quietest time is taken (the most agents to spare above the floor).
    :param max_team_share_off: without a traffic forecast, the share of a front-line team off
        the phones at once, at most (pre-shift shares do not count: they happen before the
        phones open).
    :param max_groups: a session no slot fits whole is split into at most this many groups
        (each at its own time, the trainer's hours permitting); 1 never splits. A pre-shift
        share is never split: see ``[plugins.default.courses] share_min_attendees``.
    :param fixed_days: a week's schedule is fixed this many days before the week starts;
        with ``planned_on`` in ``[[cycles]]``, weeks already fixed take no new sessions.
    :param week_start: the first day of a schedule week (``mon`` ... ``sun``).
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
    max_groups: int = 3
    fixed_days: int = 3
    week_start: str = "mon"


@attrs.frozen
class EvaluationSettings:
    """``[plugins.default.evaluation]``: the four Kirkpatrick levels (seed 000).

    Behaviour (level 3, QA on the trained competency) and results (level 4, the KPI mapped
    to it in ``[[plugins.default.kpis]]``) are measured as a difference in differences: the
    trained agents' change from the cycle's evidence window to the window after the cycle
    (``cycle.end`` + 1 to ``cycle.outcomes_to``, ``[evidence] after_days``), less the change
    of untrained agents whose baseline was similar. Both groups are counted in distinct
    agents (an agent trained on three competencies is one trained agent); the 95% interval
    is clustered by agent, so one agent's several competencies do not count as independent
    evidence; trained agents with no comparison agent in their band are left out and named.

    :param pass_mark: post-test score (0-100) that counts as passed.
    :param min_responses: fewer answers than this give no figure ("not enough data").
    :param band: points of QA baseline (0-100) within which an untrained agent is "similar"
        to a trained one: agents are compared within bands of this width; for a KPI, bands
        are ``band`` per cent of the range of the metric's values before the cycle.
    :param min_group: fewer trained agents, or fewer comparison agents, measured before and
        after give "not enough data" instead of an effect (distinct agents, not agents times
        competencies).
    :param min_evaluations: QA evaluations on the competency an agent needs in each window
        to be measured.
    :param min_gain: QA points an agent must gain to count as improved (the improvement
        rate, seed 000).
    """

    pass_mark: float = 80.0
    min_responses: int = 3
    band: float = 10.0
    min_group: int = 5
    min_evaluations: int = 2
    min_gain: float = 5.0


@attrs.frozen
class FollowUpSettings:
    """``[plugins.default.follow_up]``: the 50% + 50% check after training (seed 001).

    :param enabled: ``false`` turns the check list and the recording plan off.
    :param weak_margin: an agent whose QA on the competency after the cycle is still below the
        need's target, by this many points or more, is "weak on the indicator" (0: any
        score below the target).
    :param test_call_error_rate: share of failed test calls on the competency's topics after
        the cycle at or above which an agent is checked.
    :param min_test_calls: test calls needed before the error rate counts.
    :param recordings_per_agent: contacts drawn per trained agent for review, from QA'd
        contacts on the competency after the cycle (before it when there are none).
    """

    enabled: bool = True
    weak_margin: float = 0.0
    test_call_error_rate: float = 0.3
    min_test_calls: int = 2
    recordings_per_agent: int = 2


@attrs.frozen
class EscalationSettings:
    """``[plugins.default.escalation]``: three-level escalation (seed 001).

    A failure is a check the agent failed (seed 001): a missed session, a failed post-test, a
    failed on-site spot check (``spot_checks``), or no improvement on the indicator: QA after
    the cycle still below the need's target and less than ``min_improvement`` points above
    where it was. An agent who improved, or whose need closed, is not escalated; a voluntary
    course is never a failure. A pass clears the run.

    :param enabled: ``false`` keeps no escalation state.
    :param team_lead_at: failures in a row at which the team lead is checked and
        re-delivers.
    :param team_at: failures in a row at which the whole team is checked.
    :param min_improvement: QA points an agent below the target must have gained, from the
        need's level to QA after the cycle, not to have failed on the indicator.
    """

    enabled: bool = True
    team_lead_at: int = 2
    team_at: int = 3
    min_improvement: float = 5.0


@attrs.frozen
class ScorecardWeights:
    """``[plugins.default.scorecards.weights]``: how the figures of a scorecard combine into
    its 0-5 score.

    :param satisfaction: weight of the trainees' mean rating.
    :param pass_rate: weight of the post-test pass rate.
    :param improvement: weight of the trainees' improvement against the comparison group.
    """

    satisfaction: float = 1.0
    pass_rate: float = 1.0
    improvement: float = 1.0


@attrs.frozen
class ScorecardSettings:
    """``[plugins.default.scorecards]``: trainer scorecards, probation and removal (seed 000:
    rank the pool, drop the weakest).

    :param enabled: ``false`` scores nobody and changes no standing.
    :param min_trainees: trainees (attended) a trainer needs in the cycle to be scored.
    :param min_ranked: scored trainers needed before anyone is ranked into the bottom group.
    :param bottom_share: share of scored trainers in the bottom group (at least one once
        ``min_ranked`` are scored), lowest score first.
    :param floor_score: a score below this is in the bottom group whatever the ranking.
    :param probation_after: cycles in a row in the bottom group that put a trainer on
        probation.
    :param remove_after: cycles in a row that remove them from the pool.
    :param gain_scale: QA points of improvement against the comparison group that count as a
        full mark (and the same below zero as none).
    :param reinstate: trainer ids an operator puts back to active after a removal.
    """

    enabled: bool = True
    min_trainees: int = 5
    min_ranked: int = 5
    bottom_share: float = 0.1
    floor_score: float = 2.5
    probation_after: int = 2
    remove_after: int = 3
    gain_scale: float = 10.0
    weights: ScorecardWeights = ScorecardWeights()
    reinstate: tuple[str, ...] = ()


@attrs.frozen
class AttritionSettings:
    """``[plugins.default.attrition]``: early warning of leavers (seed 003).

    Each signal found adds its weight to the agent's risk (capped at 1); a risk at or above
    ``warn_at`` is a warning for the next ``horizon_days``.

    :param enabled: ``false`` warns about nobody.
    :param horizon_days: how far ahead a warning looks (seed 003: three months).
    :param warn_at: risk that makes a warning.
    :param interruption_days: a team change or transfer within this many days before the
        assessment is a role interruption.
    :param interruption_weight: its weight.
    :param failure_days: a demotion within this many days is a role failure.
    :param failure_weight: its weight.
    :param new_hire_days: tenure below this many days is a signal.
    :param tenure_weight: its weight.
    :param qa_drop: QA points lost from the cycle's evidence window to the window after it
        (over all competencies) that make a falling trend.
    :param qa_weight: its weight.
    :param missed_weight: the weight of missing a session of the cycle.
    :param conversation_course: a 1:1 course (coaching) in courses.csv for the supervisor
        conversation (seed 003: an early warning leads to the supervisor's intervention).
        Each warned agent's next plan holds one with their own team lead, explained by the
        warning's reasons, planned whatever the caps; not again right after one. Empty: no
        conversation is planned and the warning says so.
    :param conversation_priority: the priority of that conversation among the needs.
    """

    enabled: bool = True
    horizon_days: int = 90
    warn_at: float = 0.5
    interruption_days: int = 90
    interruption_weight: float = 0.3
    failure_days: int = 180
    failure_weight: float = 0.5
    new_hire_days: int = 180
    tenure_weight: float = 0.2
    qa_drop: float = 5.0
    qa_weight: float = 0.2
    missed_weight: float = 0.2
    conversation_course: str = ""
    conversation_priority: int = 80


@attrs.frozen
class Settings:
    """Every setting of the default pack; each table below is optional."""

    gaps: GapSettings = GapSettings()
    kpis: tuple[KpiThreshold, ...] = ()
    owner_teams: OwnerTeams = OwnerTeams()
    exams: ExamSettings = ExamSettings()
    recertify: tuple[Recertification, ...] = ()
    carry: CarrySettings = CarrySettings()
    priorities: PrioritySettings = PrioritySettings()
    courses: CourseSettings = CourseSettings()
    trainers: TrainerSettings = TrainerSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    evaluation: EvaluationSettings = EvaluationSettings()
    follow_up: FollowUpSettings = FollowUpSettings()
    escalation: EscalationSettings = EscalationSettings()
    scorecards: ScorecardSettings = ScorecardSettings()
    attrition: AttritionSettings = AttritionSettings()


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
