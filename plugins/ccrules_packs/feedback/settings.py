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
class UsabilitySettings:
    """``[plugins.feedback.usability]``: how usable agents find the method a course teaches
    (seed 001, the internal customer's view; rule ``feedback.method-usability``), from
    data/method_feedback.csv. Each course rated gets its mean usability and responses as a
    course figure, each trainer the same over the answers of the agents they taught the
    course to this cycle (on their scorecard); a course the floor finds unusable is flagged
    in the review.

    :param enabled: ``false`` leaves method feedback unread.
    :param below: a course whose mean usability (1-5) is below this is flagged unusable.
    :param min_responses: fewer answers than this on a course flag nothing (too few to
        say).
    """

    enabled: bool = True
    below: float = 3.0
    min_responses: int = 3


@attrs.frozen
class CoursewareSettings:
    """``[plugins.feedback.courseware]``: what works goes into the new-hire courseware (seed
    001; rule ``feedback.new-hire-courseware``). A course proves its effect in a cycle when
    its measured effect (``metric``, a course figure of the evaluation) is positive with its
    whole 95% interval above 0 (the verdict ``improved``). The review counts, per course,
    the cycles it proved its effect in; a cycle where it was measured without a clear effect
    starts the count again, a cycle where it was not taught or the data could not say keeps
    it. A course with ``cycles`` or more goes on the review's courseware list, unless the
    floor finds its method unusable (``usability``).

    :param enabled: ``false`` lists nothing and counts nothing.
    :param cycles: cycles with a proven effect a course needs to be listed.
    :param metric: the course figure whose verdict counts: ``behaviour`` (QA) or a KPI's
        ``results:<metric>``.
    """

    enabled: bool = True
    cycles: int = 2
    metric: str = "behaviour"


@attrs.frozen
class BotQuestionSettings:
    """``[plugins.feedback.bot_questions]``: questions the bot could not answer become
    knowledge to write up and teach (seed 002; rule ``feedback.bot-questions``), from
    data/bot_questions.csv, whose ``topic`` is a competency id. A competency whose
    unanswered questions within the evidence window add up to ``min_count`` makes a
    knowledge need for every active agent whose role profile lists it, and its questions
    are listed in the plan as material to write up.

    Severity grows with how far the count is past the threshold, as for topic signals:
    1 - 0.5 / (count / min_count).

    :param enabled: ``false`` leaves bot questions unread.
    :param min_count: unanswered questions on a competency in the window that make needs.
    :param min_question_count: a question asked fewer times than this in the window is left
        off the list of material (it still counts towards ``min_count``).
    :param max_questions: the most-asked questions listed per competency.
    :param owner: who writes the material up and owns the needs: a team id (the floor help
        desk by default, seed 001), or ``team-lead``; a default owner the center lacks falls
        back to the team lead.
    :param priority: priority of the needs this rule finds (higher first).
    :param valid_days: a need expires this many days after the last question on it.
    """

    enabled: bool = True
    min_count: int = 20
    min_question_count: int = 2
    max_questions: int = 10
    owner: str = "HELP"
    priority: int = 45
    valid_days: int = 60


@attrs.frozen
class Settings:
    """Every setting of the feedback pack; each table below is optional."""

    signals: SignalSettings = SignalSettings()
    upstream: UpstreamSettings = UpstreamSettings()
    shadowing: ShadowingSettings = ShadowingSettings()
    share_plan: SharePlanSettings = SharePlanSettings()
    usability: UsabilitySettings = UsabilitySettings()
    courseware: CoursewareSettings = CoursewareSettings()
    bot_questions: BotQuestionSettings = BotQuestionSettings()
