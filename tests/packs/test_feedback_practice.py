"""The feedback pack's view from the floor and the bot (seeds 001, 002): method usability on
the course and trainer scorecards, the new-hire courseware, and the bot's unanswered
questions as knowledge needs.

The tiny plan these tests review: K1-01 (pre-shift on C1 for A2, A3, A4; trainer TR2),
K2-01 (coaching on C2 for A5; TR1), K3-01 and K3-02 (micro-videos on C3 for B2 and B3). The
evidence window of the cycle 2026-11-30..12-04 ends on 2026-11-29. Active agents whose role
lists C1: A1 and B1 (role TL), A2-A5, B2, B3 (role AG); B4 is on leave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import Result
from tests.default_pack.scenario import Tiny, fact, rules
from tests.packs.translated import chinese, data_names, english_in, reasons_in, untranslated
from tests.test_bad_input import rejected

import ccrules
from ccrules import InputError, plan_to_json, review_to_json
from ccrules.i18n import text
from ccrules.model import Evaluation, Outcome, Plan, Report, Review, Verdict
from ccrules_packs.feedback.courseware import proven_cycles
from ccrules_packs.feedback.settings import CoursewareSettings

Run = Callable[..., Result]
C1_AGENTS = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3"]


def center(**settings: Any) -> Tiny:
    tiny = Tiny()
    tiny.config["plugins"]["enabled"] = ["default", "feedback"]
    if settings:
        tiny.config["plugins"]["feedback"] = settings
    return tiny


def report(reports: Sequence[Report], report_id: str) -> Report | None:
    found = [r for r in reports if r.id == report_id]
    return found[0] if found else None


def rows(found: Report | None) -> list[dict[str, Any]]:
    assert found is not None
    return [dict(zip(found.columns, row, strict=True)) for row in found.rows]


# --------------------------------------------------------------------------------------------
# feedback.bot-questions


def asked(tiny: Tiny, topic: str, question: str, count: int, day: dt.date) -> Tiny:
    return tiny.add("bot_questions", question=question, topic=topic, count=count, date=day)


def bot_needs(plan: Plan) -> dict[str, Any]:
    return {n.id: n for n in plan.needs if n.source == "bot"}


@pytest.mark.parametrize(("count", "fires"), [(20, True), (19, False)])
def test_bot_questions_on_a_competency_make_knowledge_needs_at_the_threshold(
    count: int, fires: bool
) -> None:
    tiny = center()
    asked(tiny, "C1", "为什么月初多扣了5元？", count - 5, dt.date(2026, 11, 2))
    asked(tiny, "C1", "How do I read the roaming line?", 5, dt.date(2026, 11, 20))

    plan = tiny.plan()

    needs = bot_needs(plan)
    assert sorted(needs) == ([f"feedback:bot:{a}:C1" for a in C1_AGENTS] if fires else [])
    if fires:
        need = needs["feedback:bot:A2:C1"]
        assert (need.competency_id, need.course_id, need.owner_team) == ("C1", "K1", "team-lead")
        assert need.expires == dt.date(2026, 11, 20) + dt.timedelta(days=60)
        assert need.severity == 0.5
        (reason,) = need.reasons
        assert rules([reason]) == ["feedback.bot-questions"]
        assert fact(reason, "asked") == 20 and fact(reason, "min_count") == 20


def test_bot_questions_outside_the_window_do_not_count_and_the_threshold_is_a_setting() -> None:
    tiny = center(bot_questions={"min_count": 8})
    asked(tiny, "C2", "改套餐要几天生效？", 7, dt.date(2026, 11, 3))
    asked(tiny, "C2", "改套餐要几天生效？", 30, dt.date(2026, 12, 1))  # in the cycle

    assert bot_needs(tiny.plan()) == {}

    asked(tiny, "C2", "改套餐要几天生效？", 1, dt.date(2026, 10, 3))
    plan = tiny.plan()

    # role AG lists C2 (A2-A5, B2, B3); role TL does not
    assert sorted(bot_needs(plan)) == [
        f"feedback:bot:{a}:C2" for a in ["A2", "A3", "A4", "A5", "B2", "B3"]
    ]


def test_the_plan_lists_the_most_asked_questions_to_write_up() -> None:
    tiny = center(bot_questions={"min_count": 10, "min_question_count": 2, "max_questions": 2})
    tiny.add("teams", team_id="HELP", name="现场支持台", lead_id=None, function="support")
    asked(tiny, "C3", "宽带断了怎么报修？", 6, dt.date(2026, 11, 5))
    asked(tiny, "C3", "宽带断了怎么报修？", 2, dt.date(2026, 11, 9))
    asked(tiny, "C3", "Where is my bill?", 3, dt.date(2026, 11, 7))
    asked(tiny, "C3", "Can I keep my number?", 2, dt.date(2026, 11, 8))
    asked(tiny, "C3", "Asked once", 1, dt.date(2026, 11, 8))  # below min_question_count

    plan = tiny.plan()

    found = report(plan.reports, "feedback.bot-questions")
    assert [(r["question"], r["asked"], r["last_asked"]) for r in rows(found)] == [
        ("宽带断了怎么报修？", 8, dt.date(2026, 11, 9)),
        ("Where is my bill?", 3, dt.date(2026, 11, 7)),
    ]
    first = rows(found)[0]
    assert (first["competency_asked"], first["write_up_by"], first["agents"]) == (
        14,
        "现场支持台",
        6,
    )
    assert {n.owner_team for n in bot_needs(plan).values()} == {"HELP"}
    assert "宽带断了怎么报修？" in plan_to_json(plan)


def test_no_bot_questions_no_needs_and_no_report() -> None:
    plan = center().plan()
    assert bot_needs(plan) == {}
    assert report(plan.reports, "feedback.bot-questions") is None


# --------------------------------------------------------------------------------------------
# bad rows: the input gate


def folder_of(tiny: Tiny, tmp_path: Path) -> Path:
    folder = tmp_path / "center"
    folder.mkdir()
    tiny.write(folder)
    return folder


def test_bad_method_feedback_and_bot_rows_are_located(tmp_path: Path, cli: Run) -> None:
    tiny = center()
    tiny.add("method_feedback", agent_id="A2", course_id="K1", usable=4, comment="好用")
    tiny.add("method_feedback", agent_id="A2", course_id="K1", usable=6, comment=None)  # line 3
    tiny.add("method_feedback", agent_id="Z9", course_id="K1", usable=3, comment=None)  # 4
    tiny.add("method_feedback", agent_id="A3", course_id="K99", usable=3, comment=None)  # 5
    asked(tiny, "C1", "ok", 3, dt.date(2026, 11, 2))
    asked(tiny, "C9", "unknown competency", 3, dt.date(2026, 11, 2))  # line 3
    tiny.add("bot_questions", question="bad day", topic="C1", count=2, date="2026-13-01")  # 4
    asked(tiny, "C1", "no count", 0, dt.date(2026, 11, 2))  # line 5

    result = rejected(cli, folder_of(tiny, tmp_path))

    located = sorted((e["file"], e["line"], e["column"], e["path"]) for e in result.errors)
    assert located == [
        ("data/bot_questions.csv", 3, 2, "topic"),
        ("data/bot_questions.csv", 4, 4, "date"),
        ("data/bot_questions.csv", 5, 3, "count"),
        ("data/method_feedback.csv", 3, 3, "usable"),
        ("data/method_feedback.csv", 4, 1, "agent_id"),
        ("data/method_feedback.csv", 5, 2, "course_id"),
    ]


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"usability": {"below": 6}}, "plugins.feedback.usability.below"),
        ({"usability": {"min_responses": 0}}, "plugins.feedback.usability.min_responses"),
        ({"courseware": {"cycles": 0}}, "plugins.feedback.courseware.cycles"),
        ({"courseware": {"metric": "pass_rate"}}, "plugins.feedback.courseware.metric"),
        ({"bot_questions": {"min_count": 0}}, "plugins.feedback.bot_questions.min_count"),
        ({"bot_questions": {"owner": "NOPE"}}, "plugins.feedback.bot_questions.owner"),
    ],
)
def test_bad_settings_are_errors(settings: dict[str, Any], path: str) -> None:
    with pytest.raises(InputError) as raised:
        center(**settings).engine()
    assert path in [p.path for p in raised.value.problems]


# --------------------------------------------------------------------------------------------
# feedback.method-usability


def outcomes(plan: Plan) -> list[Outcome]:
    return [
        Outcome(s.id, a, attended=True, post_score=90, satisfaction=4)
        for s in plan.sessions
        for a in s.attendees
    ]


def reviewed(tiny: Tiny, earlier: Sequence[Review] = (), **plugins: object) -> Review:
    with tiny.engine(**plugins) as engine:
        plan = engine.plan()
        return engine.review(plan, outcomes(plan), earlier=earlier)


def figure(review: Review, subject: str, subject_id: str, metric: str) -> Evaluation:
    (found,) = [
        e
        for e in review.evaluations
        if (e.subject, e.subject_id, e.metric) == (subject, subject_id, metric)
    ]
    return found


def rate(tiny: Tiny, course: str, *ratings: tuple[str, int, str | None]) -> Tiny:
    for agent, usable, comment in ratings:
        tiny.add(
            "method_feedback", agent_id=agent, course_id=course, usable=usable, comment=comment
        )
    return tiny


LOW = (("A2", 2, "话术太长，客户等不及"), ("A3", 2, None), ("B2", 3, "steps unclear"))


@pytest.mark.parametrize(("min_responses", "flagged"), [(3, True), (4, False)])
def test_a_method_rated_below_the_limit_by_enough_agents_is_flagged(
    min_responses: int, flagged: bool
) -> None:
    tiny = rate(center(usability={"min_responses": min_responses}), "K1", *LOW)
    rate(tiny, "K2", ("A5", 5, None), ("B2", 4, None), ("B3", 4, None))

    review = reviewed(tiny)

    k1 = figure(review, "course", "K1", "usability")
    assert k1.n == 3
    assert k1.value == (2.3333 if flagged else None)
    assert figure(review, "course", "K2", "usability").value == (4.3333 if flagged else None)
    found = report(review.reports, "feedback.method-usability")
    if not flagged:
        assert found is None
        assert k1.verdict == Verdict.NOT_ENOUGH_DATA.value
        return
    (row,) = rows(found)  # K2 is usable
    assert (row["course_id"], row["usability"], row["responses"], row["trainers"]) == (
        "K1",
        2.3333,
        3,
        "TR2",
    )
    assert "话术太长，客户等不及" in row["comments"]
    assert "K1" in found.reasons[0].text and "2.33 of 5" in found.reasons[0].text


def test_the_limit_is_a_setting() -> None:
    tiny = rate(center(usability={"below": 2.0}), "K1", *LOW)
    review = reviewed(tiny)
    assert figure(review, "course", "K1", "usability").value == 2.3333
    assert report(review.reports, "feedback.method-usability") is None


def test_the_trainer_scorecard_carries_what_their_trainees_said() -> None:
    # A2 and A3 came to TR2's K1-01; B2 rated K1 but was not taught it by TR2
    tiny = rate(center(usability={"min_responses": 2}), "K1", *LOW)

    review = reviewed(tiny)

    tr2 = figure(review, "trainer", "TR2", "usability")
    assert (tr2.value, tr2.n) == (2.0, 2)
    card = review.trainer("TR2")
    assert card is not None
    (said,) = [r for r in card.reasons if r.rule == "feedback.method-usability"]
    assert fact(said, "usability") == 2.0 and fact(said, "responses") == 2
    assert fact(said, "unusable") is True
    # the trainer by name, the id in brackets
    assert said.text.startswith(
        "Agents rate the methods trainer 王建国 (TR2) taught them (K1) 2.00 of 5 for usability"
    )
    assert text(said, "zh").startswith(
        "坐席对培训师 王建国（TR2）所授课程（K1）的教学方法的实用性平均评分为 2.00（满分 5）"
    )
    # no answers from TR1's trainees: nothing added to TR1's card
    tr1 = review.trainer("TR1")
    assert tr1 is not None and [r.plugin for r in tr1.reasons] == ["default"]


# --------------------------------------------------------------------------------------------
# feedback.new-hire-courseware


class Measured:
    """A stand-in for the evaluation's measured effect on K1 (course figure
    ``results:probe``), with a given verdict."""

    def __init__(self, verdict: str, effect: float | None, low: float | None, high: float | None):
        self.figure = (verdict, effect, low, high)

    @ccrules.hookimpl
    def ccrules_evaluate(self) -> list[Evaluation]:
        verdict, effect, low, high = self.figure
        ref = ccrules.PluginRef("measured", "1")
        return [
            Evaluation(
                "course",
                "K1",
                4,
                "results:probe",
                effect,
                8,
                (ref.reason("probe", "a known effect"),),
                low=low,
                high=high,
                compared=8,
                verdict=verdict,
            )
        ]


PROVEN = Measured(Verdict.IMPROVED.value, 4.0, 1.5, 6.5)
UNCLEAR = Measured(Verdict.NO_CLEAR_CHANGE.value, 1.0, -1.0, 3.0)
UNKNOWN = Measured(Verdict.NOT_ENOUGH_DATA.value, None, None, None)


def earlier_cycle(review: Review, weeks: int) -> Review:
    """``review`` as if it were of ``weeks`` before (reviews chain by their cycles' dates)."""
    shift = dt.timedelta(days=7 * weeks)
    cycle = attrs.evolve(
        review.cycle,
        id=f"before-{weeks}",
        start=review.cycle.start - shift,
        end=review.cycle.end - shift,
    )
    return attrs.evolve(review, cycle=cycle)


def chain(*measured: Measured, tiny: Tiny | None = None) -> Review:
    """Review the tiny plan once per ``measured``, each review the previous of the next."""
    review: Review | None = None
    for index, stand_in in enumerate(measured):
        earlier = [earlier_cycle(review, len(measured) - index)] if review is not None else []
        review = reviewed(tiny or courseware_center(), earlier, measured=stand_in)
    assert review is not None
    return review


def courseware_center(**settings: Any) -> Tiny:
    return center(courseware={"metric": "results:probe", **settings})


def proven(review: Review) -> float | None:
    return figure(review, "course", "K1", "proven_cycles").value


@pytest.mark.parametrize(
    ("measured", "count", "listed"),
    [
        ((PROVEN,), 1, False),
        ((PROVEN, PROVEN), 2, True),
        ((PROVEN, UNKNOWN), 1, False),  # the data could not say: the count holds
        ((PROVEN, UNKNOWN, PROVEN), 2, True),
        ((PROVEN, UNCLEAR), 0, False),  # measured without a clear effect: starts again
        ((PROVEN, UNCLEAR, PROVEN), 1, False),
    ],
)
def test_a_course_proven_over_enough_cycles_goes_into_the_new_hire_courseware(
    measured: tuple[Measured, ...], count: int, listed: bool
) -> None:
    review = chain(*measured)

    assert proven(review) == count
    found = report(review.reports, "feedback.new-hire-courseware")
    if not listed:
        assert found is None
        return
    (row,) = rows(found)
    assert (row["course_id"], row["cycles_proven"], row["effect"], row["low"]) == (
        "K1",
        2,
        4.0,
        1.5,
    )
    assert row["status"] == "listed"
    assert "listed for the new-hire courseware" in found.reasons[0].text


def test_the_cycles_needed_are_a_setting() -> None:
    review = reviewed(courseware_center(cycles=1), measured=PROVEN)
    assert [
        r["course_id"] for r in rows(report(review.reports, "feedback.new-hire-courseware"))
    ] == ["K1"]


def test_a_method_the_floor_finds_unusable_is_held_back() -> None:
    tiny = rate(courseware_center(cycles=1), "K1", *LOW)
    review = reviewed(tiny, measured=PROVEN)
    (row,) = rows(report(review.reports, "feedback.new-hire-courseware"))
    assert row["status"] == "held back: the floor finds the method unusable"
    assert row["usability"] == 2.3333


def test_a_course_not_taught_keeps_its_count() -> None:
    settings = CoursewareSettings(metric="results:probe")
    with courseware_center().engine() as engine:
        before = chain(PROVEN, PROVEN)
        found = proven_cycles(engine.center, settings, [], before)
    (kept,) = found
    assert (kept.subject_id, kept.value, kept.n) == ("K1", 2.0, 0)
    assert "not taught this cycle; keeps 2 cycle(s) proven" in kept.reasons[0].text


# --------------------------------------------------------------------------------------------
# the pack's text in the reader's language


def _questions(help_desk: bool, competencies: tuple[str, ...]) -> tuple[Tiny, Plan | Review]:
    tiny = center(bot_questions={"min_count": 10, "min_question_count": 2})
    if help_desk:
        tiny.add("teams", team_id="HELP", name="现场支持台", lead_id=None, function="support")
    for competency in competencies:
        asked(tiny, competency, "宽带断了怎么报修？", 12, dt.date(2026, 11, 5))
    return tiny, tiny.plan()


def _usability() -> tuple[Tiny, Plan | Review]:
    tiny = rate(center(usability={"min_responses": 2}), "K1", *LOW)
    rate(tiny, "K2", ("A5", 5, None), ("B2", 4, None))  # usable
    rate(tiny, "K3", ("B3", 4, None))  # one answer: not enough data
    return tiny, reviewed(tiny)


def _courseware(*measured: Measured, rated: bool = False) -> tuple[Tiny, Plan | Review]:
    tiny = courseware_center(cycles=1 if rated else 2)
    if rated:
        rate(tiny, "K1", *LOW)
    return tiny, chain(*measured, tiny=tiny)


@pytest.mark.parametrize(
    "build",
    [
        lambda: _questions(False, ("C1",)),
        lambda: _questions(True, ("C1", "C3")),
        _usability,
        lambda: _courseware(PROVEN, PROVEN),
        lambda: _courseware(PROVEN, UNCLEAR),
        lambda: _courseware(PROVEN, UNKNOWN),
        lambda: _courseware(PROVEN, rated=True),
    ],
    ids=["bot-team-lead", "bot-help-desk", "usability", "listed", "unclear", "unknown", "held"],
)
def test_every_reason_and_report_of_the_pack_is_shown_in_chinese(
    build: Callable[[], tuple[Tiny, Plan | Review]],
) -> None:
    tiny, decided = build()
    reasons = [r for r in reasons_in(decided) if r.plugin == "feedback"]
    reports = [r for r in decided.reports if r.id.startswith("feedback.")]
    assert reasons

    assert untranslated("feedback", reasons, reports) == []
    assert english_in(chinese("feedback", reasons, reports), data_names(tiny.data)) == []


def test_the_bot_report_says_competency_or_competencies() -> None:
    one = report(_questions(False, ("C1",))[1].reports, "feedback.bot-questions")
    two = report(_questions(True, ("C1", "C3"))[1].reports, "feedback.bot-questions")
    assert one is not None and two is not None

    assert text(one.summary, "en").startswith("1 competency drew 12 unanswered bot question(s)")
    assert "the team lead writes up the 1 listed" in text(one.summary, "en")
    assert "由 组长 整理" in text(one.summary, "zh", "feedback")
    assert text(two.summary, "en").startswith("2 competencies drew 24 unanswered bot question(s)")
    assert "现场支持台 writes up the 2 listed" in text(two.summary, "en")


def test_a_verdict_and_the_behaviour_metric_are_shown_as_terms() -> None:
    review = chain(PROVEN, UNCLEAR)
    (reason,) = figure(review, "course", "K1", "proven_cycles").reasons

    assert "results:probe no clear change this cycle" in reason.text
    assert "results:probe 无明显变化" in text(reason, "zh")
    behaviour = CoursewareSettings(metric="behaviour")
    measured = Evaluation(
        "course", "K1", 3, "behaviour", 4.0, 8, (), low=1.5, high=6.5, verdict="improved"
    )
    with courseware_center().engine() as engine:
        (found,) = proven_cycles(engine.center, behaviour, [measured], None)
    assert found.reasons[0].text.startswith(
        "合规晨会分享 (K1): behaviour proven this cycle, an effect of +4 (95% interval +1.5 to "
        "+6.5); 1 cycle(s) proven, 2 needed for the new-hire courseware."
    )
    assert text(found.reasons[0], "zh").startswith("合规晨会分享（K1）：本周期 行为 效果得到证实")


# --------------------------------------------------------------------------------------------
# determinism


def test_reviews_and_plans_are_identical_run_to_run() -> None:
    def once() -> tuple[str, str]:
        tiny = rate(courseware_center(cycles=1), "K1", *LOW)
        asked(tiny, "C1", "为什么月初多扣了5元？", 25, dt.date(2026, 11, 2))
        with tiny.engine(measured=PROVEN) as engine:
            plan = engine.plan()
            return plan_to_json(plan), review_to_json(engine.review(plan, outcomes(plan)))

    assert once() == once()
