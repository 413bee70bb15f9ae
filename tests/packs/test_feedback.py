"""The feedback pack (seed 001): topic signals, upstream flags, shadowing, the share plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ccrules import InputError, plan_to_json
from ccrules.i18n import text
from ccrules.model import Format, Need, Plan, Report
from default_pack.scenario import FRI, MON, THU, TUE, WED, Tiny, fact, rules
from packs.translated import chinese, data_names, english_in, reasons_in, untranslated


def center(**settings: Any) -> Tiny:
    """Tiny with the feedback pack on, the default pack's own needs off (so only this pack's
    needs are planned), and three topics: LATE (C1, owner BUS, lesson K1), PLAN (C3, owner
    QA, no lesson) and WIFI (C3, no owner, no lesson)."""
    tiny = Tiny()
    tiny.config["plugins"]["enabled"] = ["default", "feedback"]
    if settings:
        tiny.config["plugins"]["feedback"] = settings
    tiny.set("gaps", enabled=False)
    tiny.set("courses", share_min_attendees=1)  # shares of one or two agents, as asked
    tiny.pack["kpis"] = []
    topic(tiny, "LATE", "滞纳金 Late fee", "C1", owner="BUS", course="K1")
    topic(tiny, "PLAN", "套餐变更 Plan change", "C3", owner="QA")
    topic(tiny, "WIFI", "Wi-Fi setup", "C3")
    return tiny


def topic(
    tiny: Tiny,
    topic_id: str,
    name: str,
    competency: str,
    owner: str | None = None,
    course: str | None = None,
) -> Tiny:
    return tiny.add(
        "topics",
        topic_id=topic_id,
        name=name,
        competency_id=competency,
        owner_team_id=owner,
        course_id=course,
    )


def failed(tiny: Tiny, agent: str, topic_id: str, n: int = 1, day: int = 10) -> Tiny:
    for _ in range(n):
        tiny.add(
            "test_calls",
            agent_id=agent,
            date=dt.date(2026, 11, day),
            topic_id=topic_id,
            passed="false",
            errors=2,
            caller="QA-孙琪",
        )
    return tiny


def passed(tiny: Tiny, agent: str, topic_id: str, n: int = 1) -> Tiny:
    for _ in range(n):
        tiny.add(
            "test_calls",
            agent_id=agent,
            date=dt.date(2026, 11, 10),
            topic_id=topic_id,
            passed="true",
            errors=0,
            caller="QA-孙琪",
        )
    return tiny


def unhappy(tiny: Tiny, agent: str, topic_id: str, n: int = 1, day: int = 11) -> Tiny:
    for _ in range(n):
        tiny.add(
            "dissatisfied_contacts",
            contact_id=f"D{len(tiny.data.get('dissatisfied_contacts', [])) + 1:05d}",
            agent_id=agent,
            date=dt.date(2026, 11, day),
            topic_id=topic_id,
            reason="没解释清楚",
            channel="voice",
        )
    return tiny


def helped(tiny: Tiny, agent: str, topic_id: str, n: int = 1, day: int = 12) -> Tiny:
    for _ in range(n):
        tiny.add(
            "floor_help",
            agent_id=agent,
            date=dt.date(2026, 11, day),
            topic_id=topic_id,
            helper="help desk",
        )
    return tiny


def feedback_needs(plan: Plan) -> dict[str, Need]:
    return {n.id: n for n in plan.needs if n.source == "feedback"}


def report(plan: Plan, report_id: str) -> Report | None:
    found = [r for r in plan.reports if r.id == report_id]
    return found[0] if found else None


def rows(found: Report | None) -> list[dict[str, Any]]:
    assert found is not None
    return [dict(zip(found.columns, row, strict=True)) for row in found.rows]


# --------------------------------------------------------------------------------------------
# feedback.topic-signals


@pytest.mark.parametrize(
    ("signal", "fires"),
    [
        (lambda t: failed(t, "A2", "LATE", 1), True),  # failed test calls >= 1
        (lambda t: passed(t, "A2", "LATE", 3), False),  # test calls, none failed
        (lambda t: unhappy(t, "A2", "LATE", 2), True),  # dissatisfied >= 2
        (lambda t: unhappy(t, "A2", "LATE", 1), False),
        (lambda t: helped(t, "A2", "LATE", 3), True),  # floor help >= 3
        (lambda t: helped(t, "A2", "LATE", 2), False),
        # below every threshold on each signal: they do not add up
        (
            lambda t: helped(unhappy(passed(t, "A2", "LATE"), "A2", "LATE", 1), "A2", "LATE", 2),
            False,
        ),
    ],
)
def test_topic_signals_fire_at_any_threshold(signal: Callable[[Tiny], Tiny], fires: bool) -> None:
    tiny = center()
    signal(tiny)

    plan = tiny.plan()

    assert set(feedback_needs(plan)) == ({"feedback:A2:LATE"} if fires else set())


@pytest.mark.parametrize(("count", "fires"), [(2, True), (1, False)])
def test_topic_signal_thresholds_are_settings(count: int, fires: bool) -> None:
    tiny = center(signals={"failed_test_calls": 2, "dissatisfied": 0})
    failed(tiny, "A2", "LATE", count)
    unhappy(tiny, "A2", "LATE", 5)  # dissatisfied is off

    plan = tiny.plan()

    assert set(feedback_needs(plan)) == ({"feedback:A2:LATE"} if fires else set())


def test_a_topic_need_carries_the_topic_lesson_owner_and_evidence() -> None:
    tiny = center()
    failed(tiny, "A2", "LATE", 2, day=9)
    unhappy(tiny, "A2", "LATE", 1, day=14)

    plan = tiny.plan()
    need = plan.need("feedback:A2:LATE")

    assert (need.agent_id, need.competency_id, need.source) == ("A2", "C1", "feedback")
    assert need.course_id == "K1"
    assert need.owner_team == "BUS"
    assert need.priority == 55
    assert need.problems == 3  # 2 failed test calls + 1 dissatisfied contact
    assert need.severity == 0.75  # 1 - 0.5 / (2 failed / threshold 1)
    assert need.expires == dt.date(2026, 11, 14) + dt.timedelta(days=60)
    (reason,) = need.reasons
    assert reason.rule == "feedback.topic-signals"
    assert fact(reason, "test_calls_failed") == 2
    assert fact(reason, "dissatisfied") == 1
    assert fact(reason, "topic") == "滞纳金 Late fee"
    assert reason.text.startswith(
        "李娜 had 2 failed test call(s) of 2 (4 error(s)) and 1 dissatisfied contact(s) on "
        "滞纳金 Late fee (LATE) up to 2026-11-14"
    )
    sources = {f.name: f.source for f in reason.facts}
    assert sources["min_failed_test_calls"] == "plugins.feedback.signals.failed_test_calls"
    assert sources["topic_id"] == "data/topics.csv"


@pytest.mark.parametrize(("count", "severity"), [(1, 0.5), (4, 0.875)])
def test_severity_grows_past_the_threshold(count: int, severity: float) -> None:
    tiny = center()
    failed(tiny, "A2", "LATE", count)

    assert tiny.plan().need("feedback:A2:LATE").severity == severity


def test_priority_and_validity_are_settings() -> None:
    tiny = center(signals={"priority": 70, "valid_days": 10})
    failed(tiny, "A2", "LATE", 1, day=20)

    need = tiny.plan().need("feedback:A2:LATE")

    assert (need.priority, need.expires) == (70, dt.date(2026, 11, 30))


def test_a_topic_need_is_seated_in_the_topics_share_for_the_team() -> None:
    tiny = center()
    failed(tiny, "A2", "LATE")
    failed(tiny, "A3", "LATE")

    plan = tiny.plan()

    (session,) = [s for s in plan.sessions if "A2" in s.attendees]
    assert (session.course_id, session.format, session.team_id) == ("K1", Format.PRE_SHIFT, "T1")
    assert set(session.attendees) == {"A2", "A3"}


def test_agents_on_leave_get_no_topic_need() -> None:
    tiny = center()
    failed(tiny, "B4", "LATE", 3)

    assert feedback_needs(tiny.plan()) == {}


@pytest.mark.parametrize(
    ("help_team", "signals", "owner"),
    [
        (True, "help", "HELP"),  # floor help alone: a knowledge gap, the help desk owns it
        (False, "help", "team-lead"),  # no help desk in this center
        (True, "help+failed", "team-lead"),  # not floor help alone: the team lead
    ],
)
def test_a_topic_without_owner_team_goes_to_the_knowledge_owner_or_team_lead(
    help_team: bool, signals: str, owner: str
) -> None:
    tiny = center()
    if help_team:
        tiny.add(
            "teams",
            team_id="HELP",
            name="现场支持 Floor help",
            lead_id=None,
            function="support",
            shift_start=None,
            shift_end=None,
        )
    helped(tiny, "B2", "WIFI", 3)
    if "failed" in signals:
        failed(tiny, "B2", "WIFI", 1)

    need = tiny.plan().need("feedback:B2:WIFI")

    assert need.owner_team == owner
    assert need.course_id is None
    assert need.competency_id == "C3"


def test_the_knowledge_owner_is_a_setting() -> None:
    tiny = center(signals={"knowledge_owner": "QA"})
    helped(tiny, "B2", "WIFI", 3)

    assert tiny.plan().need("feedback:B2:WIFI").owner_team == "QA"


# --------------------------------------------------------------------------------------------
# feedback.upstream-flag

HOT_AGENTS = ("A2", "A3", "A4", "A5", "B2")


def upstream(calls: dict[str, int] | None = None, **settings: Any) -> Tiny:
    """A hot topic BILL-SMS (owner BUS) with 2 failed test calls for each of five agents (10
    contacts) against a baseline of LATE 2, PLAN 1, WIFI 3 contacts: median 2, so 5x."""
    tiny = center(**({"upstream": settings} if settings else {}))
    topic(tiny, "BILL-SMS", "账单短信提醒 Billing SMS", "C1", owner="BUS", course="K1")
    for agent, n in (calls or dict.fromkeys(HOT_AGENTS, 2)).items():
        failed(tiny, agent, "BILL-SMS", n)
    unhappy(tiny, "B3", "LATE", 2)
    helped(tiny, "B1", "PLAN", 1)
    helped(tiny, "B3", "WIFI", 3)
    return tiny


def hot_needs(plan: Plan) -> set[str]:
    return {n for n in feedback_needs(plan) if n.endswith(":BILL-SMS")}


def test_a_topic_at_five_times_the_others_is_flagged_upstream_not_trained() -> None:
    plan = upstream().plan()

    assert hot_needs(plan) == set()
    # the other topics still train their agents
    assert set(feedback_needs(plan)) == {"feedback:B3:LATE", "feedback:B3:WIFI"}
    flags = report(plan, "feedback.upstream-flags")
    (row,) = rows(flags)
    assert row["topic_id"] == "BILL-SMS"
    assert row["topic"] == "账单短信提醒 Billing SMS"
    assert (row["owner_team_id"], row["owner_team"]) == ("BUS", "业务支持组")
    assert (row["contacts"], row["baseline"], row["ratio"]) == (10, 2.0, 5.0)
    assert (row["agents"], row["agent_share"], row["needs_withheld"]) == (5, 0.625, 5)
    assert flags is not None
    assert "fix them upstream" in text(flags.summary, "en")
    assert "5 agent need(s) on them were withheld" in text(flags.summary, "en")
    assert rules(flags.reasons) == ["feedback.upstream-flag"]
    assert "账单短信提醒 Billing SMS (BILL-SMS) had 10 problem contacts" in flags.reasons[0].text


def test_a_topic_below_five_times_the_others_trains_its_agents() -> None:
    plan = upstream({**dict.fromkeys(HOT_AGENTS, 2), "B2": 1}).plan()  # 9 contacts: 4.5x

    assert hot_needs(plan) == {f"feedback:{a}:BILL-SMS" for a in HOT_AGENTS}
    assert report(plan, "feedback.upstream-flags") is None


def test_the_same_signals_on_fewer_agents_train_them() -> None:
    # 10 contacts, 5x, but from four agents: agents' own gaps, not the topic
    plan = upstream({"A2": 2, "A3": 2, "A4": 2, "A5": 4}).plan()

    assert hot_needs(plan) == {f"feedback:{a}:BILL-SMS" for a in ("A2", "A3", "A4", "A5")}
    assert report(plan, "feedback.upstream-flags") is None


@pytest.mark.parametrize(
    ("settings", "flagged"),
    [
        ({"min_agent_share": 0.625}, True),  # 5 of 8 active agents
        ({"min_agent_share": 0.63}, False),
        ({"min_topics": 4}, True),  # topics.csv holds 4 topics
        ({"min_topics": 5}, False),
        ({"ratio": 6.0}, False),
        ({"min_agents": 6}, False),
        ({"enabled": False}, False),
    ],
)
def test_upstream_conditions_are_settings(settings: dict[str, Any], flagged: bool) -> None:
    plan = upstream(**settings).plan()

    assert (report(plan, "feedback.upstream-flags") is not None) == flagged
    assert hot_needs(plan) == (set() if flagged else {f"feedback:{a}:BILL-SMS" for a in HOT_AGENTS})


def test_a_flagged_topic_without_owner_team_is_still_reported() -> None:
    tiny = upstream()
    tiny.update("topics", {"topic_id": "BILL-SMS"}, owner_team_id=None)

    (row,) = rows(report(tiny.plan(), "feedback.upstream-flags"))

    assert row["owner_team_id"] is None
    assert "no owner team" in row["owner_team"]


# --------------------------------------------------------------------------------------------
# feedback.shadowing


def shadowing(values: tuple[float, ...] = (0.3, 0.3, 0.3), **settings: Any) -> Tiny:
    """A ticket team TKT, a shadowing course K6 on C3, and B2's dispatch rate."""
    tiny = center(shadowing={"competency": "C3", "above": 0.25, **settings})
    tiny.add(
        "teams",
        team_id="TKT",
        name="工单组 Tickets",
        lead_id=None,
        function="support",
        shift_start=None,
        shift_end=None,
    )
    tiny.course("K6", "C3", "shadowing", 60, max_group=4)
    tiny.kpi_values("B2", "dispatch_rate", *values)
    tiny.kpi_values("B3", "dispatch_rate", 0.1, 0.1, 0.1)
    return tiny


def test_a_high_dispatch_rate_shadows_the_ticket_team() -> None:
    plan = shadowing().plan()

    assert set(feedback_needs(plan)) == {"feedback:shadowing:B2:C3"}
    need = plan.need("feedback:shadowing:B2:C3")
    assert (need.course_id, need.owner_team, need.priority) == ("K6", "TKT", 50)
    assert need.expires == dt.date(2026, 11, 1) + dt.timedelta(days=60)
    (reason,) = need.reasons
    assert reason.rule == "feedback.shadowing"
    assert fact(reason, "value") == 0.3
    assert "shadows 工单组 Tickets" in reason.text
    (session,) = [s for s in plan.sessions if "B2" in s.attendees]
    assert (session.course_id, session.format) == ("K6", Format.SHADOWING)


@pytest.mark.parametrize(
    ("values", "settings", "fires"),
    [
        ((0.25, 0.25, 0.25), {}, False),  # at the limit: not above it
        ((0.26, 0.26, 0.26), {}, True),
        ((0.3,), {}, False),  # one period: fewer than min_periods 2
        ((0.3, 0.3), {}, True),
        ((0.3, 0.3), {"min_periods": 3}, False),
    ],
)
def test_shadowing_boundaries(
    values: tuple[float, ...], settings: dict[str, Any], fires: bool
) -> None:
    plan = shadowing(values, **settings).plan()

    assert set(feedback_needs(plan)) == ({"feedback:shadowing:B2:C3"} if fires else set())


def test_shadowing_is_off_without_a_competency() -> None:
    tiny = shadowing()
    tiny.config["plugins"]["feedback"] = {}

    assert feedback_needs(tiny.plan()) == {}


# --------------------------------------------------------------------------------------------
# feedback.share-plan


def test_the_share_plan_lists_each_share_with_its_topics_and_trainer() -> None:
    tiny = center()
    for agent in ("A2", "A3", "A4"):
        failed(tiny, agent, "LATE")

    plan = tiny.plan()
    shares = report(plan, "feedback.share-plan")

    (row,) = rows(shares)
    (session,) = [s for s in plan.sessions if s.format is Format.PRE_SHIFT]
    assert session.start is not None
    assert row["date"] == session.start.date().isoformat()
    assert row["weekday"] == session.start.strftime("%a")
    assert (row["start"], row["team_id"], row["team"]) == ("09:00", "T1", "Alpha 一组")
    assert (row["course_id"], row["course"], row["competency"]) == (
        "K1",
        "合规晨会分享",
        "合规 Compliance",
    )
    assert (row["topic_ids"], row["topics"]) == ("LATE", "滞纳金 Late fee")
    assert row["trainer"] == "王建国"  # the team's lead gives its share
    assert (row["agents"], row["rank"], row["status"]) == (3, session.rank, "planned")
    assert shares is not None
    assert text(shares.summary, "en").startswith(
        f"1 pre-shift share(s) for 1 team(s) from {row['weekday']} {row['date']}"
    )
    assert rules(shares.reasons) == ["feedback.share-plan"]


def test_no_share_plan_without_a_share() -> None:
    tiny = center()
    helped(tiny, "B2", "PLAN", 3)  # C3 has no pre-shift course

    plan = tiny.plan()

    assert set(feedback_needs(plan)) == {"feedback:B2:PLAN"}
    assert report(plan, "feedback.share-plan") is None


def test_the_share_plan_can_be_left_out() -> None:
    tiny = center(share_plan={"enabled": False})
    failed(tiny, "A2", "LATE")

    plan = tiny.plan()

    assert [s.format for s in plan.sessions] == [Format.PRE_SHIFT]
    assert report(plan, "feedback.share-plan") is None


def many_shares(count: int) -> Tiny:
    """``count`` topics for team T1, each with its own competency and pre-shift lesson;
    topic S<k> has k failed test calls per agent, so a higher k is more urgent."""
    tiny = center()
    tiny.set("priorities", max_competencies_per_agent=count, max_hours_per_agent=0)
    for k in range(1, count + 1):
        competency = f"S{k}"
        tiny.add(
            "competencies",
            competency_id=competency,
            name=f"话题{k} Topic {k}",
            category="business",
            kind="knowledge",
            description="",
        )
        tiny.course(f"PS{k}", competency, "pre-shift", 15, max_group=30)
        tiny.add("trainer_skills", trainer_id="TR1", competency_id=competency, level=95)
        topic(tiny, f"S{k}", f"分享{k}", competency, owner="BUS", course=f"PS{k}")
        for agent in ("A2", "A3", "A4"):
            failed(tiny, agent, f"S{k}", k)
    return tiny


def test_more_shares_than_days_places_the_most_urgent_and_lists_the_rest() -> None:
    plan = many_shares(6).plan()

    table = rows(report(plan, "feedback.share-plan"))

    placed = [r for r in table if r["status"] == "planned"]
    missed = [r for r in table if r["status"] != "planned"]
    # one share a day for T1 over the five working days, most urgent (most failures) first
    assert sorted(r["course_id"] for r in placed) == ["PS2", "PS3", "PS4", "PS5", "PS6"]
    assert [r["date"] for r in placed] == [d.isoformat() for d in (MON, TUE, WED, THU, FRI)]
    assert [r["weekday"] for r in placed] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    (left,) = missed
    assert left["course_id"] == "PS1"
    assert left["date"] is None
    assert left["status"].startswith("not placed")
    assert max(r["rank"] for r in placed) < left["rank"]
    found = report(plan, "feedback.share-plan")
    assert found is not None
    assert text(found.summary, "en") == (
        "5 pre-shift share(s) for 1 team(s) from Mon 2026-11-30 to Fri 2026-12-04, at most "
        "one a day per team at its shift start, most urgent first; 1 share(s) could not be "
        "placed."
    )


def test_as_many_shares_as_days_are_all_placed() -> None:
    table = rows(report(many_shares(5).plan(), "feedback.share-plan"))

    assert [r["status"] for r in table] == ["planned"] * 5


# --------------------------------------------------------------------------------------------
# checks and determinism


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"signals": {"floor_help": -1}}, "plugins.feedback.signals.floor_help"),
        (
            {"signals": {"failed_test_calls": 0, "dissatisfied": 0, "floor_help": 0}},
            "plugins.feedback.signals",
        ),
        ({"signals": {"knowledge_owner": "NOPE"}}, "plugins.feedback.signals.knowledge_owner"),
        ({"signals": {"valid_days": 0}}, "plugins.feedback.signals.valid_days"),
        ({"upstream": {"ratio": 0.5}}, "plugins.feedback.upstream.ratio"),
        ({"upstream": {"min_agent_share": 1.5}}, "plugins.feedback.upstream.min_agent_share"),
        ({"upstream": {"min_topics": 1}}, "plugins.feedback.upstream.min_topics"),
        (
            {"shadowing": {"competency": "C9", "above": 0.2, "course": "K4"}},
            "plugins.feedback.shadowing.competency",
        ),
        ({"shadowing": {"competency": "C3"}}, "plugins.feedback.shadowing.above"),
        (
            {"shadowing": {"competency": "C2", "above": 0.2}},
            "plugins.feedback.shadowing.competency",
        ),
        (
            {"shadowing": {"competency": "C3", "above": 0.2, "course": "K4"}},
            "plugins.feedback.shadowing.course",
        ),
        (
            {"shadowing": {"competency": "C3", "above": 0.2, "course": "K9"}},
            "plugins.feedback.shadowing.course",
        ),
        (
            {"shadowing": {"competency": "C3", "above": 0.2, "owner": "NOPE"}},
            "plugins.feedback.shadowing.owner",
        ),
    ],
)
def test_bad_settings_stop_the_run(settings: dict[str, Any], path: str) -> None:
    tiny = center(**settings)
    tiny.course("K6", "C3", "shadowing", 60, max_group=4)
    tiny.add(
        "teams",
        team_id="TKT",
        name="工单组",
        lead_id=None,
        function="support",
        shift_start=None,
        shift_end=None,
    )

    with pytest.raises(InputError) as raised:
        tiny.engine()

    assert path in [p.path for p in raised.value.problems]


def test_default_settings_pass_the_checks_without_a_help_desk() -> None:
    with center().engine() as engine:
        assert [w.path for w in engine.warnings if "feedback" in (w.path or "")] == []


def test_shadowing_settings_while_it_is_off_are_a_warning() -> None:
    with center(shadowing={"above": 0.3}).engine() as engine:
        warnings = [(w.path, w.code) for w in engine.warnings]

    assert ("plugins.feedback.shadowing.above", "unused-setting") in warnings


def test_the_same_inputs_give_the_same_plan() -> None:
    def build() -> Tiny:
        tiny = upstream(dict.fromkeys(HOT_AGENTS, 4))  # 20 contacts: 5x the median of 4
        failed(tiny, "A2", "LATE")
        failed(tiny, "A3", "LATE")
        helped(tiny, "B2", "WIFI", 4)
        return tiny

    first, second = build().plan(), build().plan()

    assert plan_to_json(first) == plan_to_json(second)
    assert {r.id for r in first.reports} >= {"feedback.upstream-flags", "feedback.share-plan"}


# --------------------------------------------------------------------------------------------
# the pack's text in the reader's language


def all_signals() -> Tiny:
    """A2 with all three signals on LATE (owner BUS, lesson K1), B2 with floor help alone on
    WIFI (no owner team: the team lead), and three agents' shares on T1."""
    tiny = center()
    failed(tiny, "A2", "LATE", 2)
    unhappy(tiny, "A2", "LATE", 2)
    helped(tiny, "A2", "LATE", 1)
    helped(tiny, "B2", "WIFI", 3)
    return tiny


def no_owner() -> Tiny:
    tiny = upstream()
    tiny.update("topics", {"topic_id": "BILL-SMS"}, owner_team_id=None)
    return tiny


@pytest.mark.parametrize(
    "build",
    [all_signals, upstream, no_owner, shadowing, lambda: many_shares(6)],
    ids=["signals", "upstream", "no-owner", "shadowing", "shares"],
)
def test_every_reason_and_report_of_the_pack_is_shown_in_chinese(
    build: Callable[[], Tiny],
) -> None:
    tiny = build()
    plan = tiny.plan()
    reasons = [r for r in reasons_in(plan) if r.plugin == "feedback"]
    reports = [r for r in plan.reports if r.id.startswith("feedback.")]
    assert reasons

    assert untranslated("feedback", reasons, reports) == []
    assert english_in(chinese("feedback", reasons, reports), data_names(tiny.data)) == []


def test_the_signals_read_as_a_list_in_either_language() -> None:
    plan = all_signals().plan()
    (reason,) = plan.need("feedback:A2:LATE").reasons

    assert reason.text.startswith(
        "李娜 had 2 failed test call(s) of 2 (4 error(s)), 2 dissatisfied contact(s) and 1 "
        "floor-help request(s) on 滞纳金 Late fee (LATE)"
    )
    assert "(failed test calls 2 >= 1, dissatisfied 2 >= 2)" in reason.text
    shown = text(reason, "zh")
    assert "2 次测试来电中 2 次未通过（4 处错误）、2 次不满意来电和 1 次现场求助" in shown
    assert "（测试来电未通过 2 >= 1、不满意 2 >= 2）" in shown
    assert "滞纳金 Late fee（LATE）" in shown  # the topic's name as written
    (help_only,) = plan.need("feedback:B2:WIFI").reasons
    assert help_only.text.endswith(
        "a course on the topic's competency, owned by the team lead (the topic has no owner team)."
    )
    assert text(help_only, "zh").endswith(
        "该话题所属能力项的一门课程，由 组长（该话题没有责任班组） 负责。"
    )


def test_the_share_plan_names_its_weekdays_in_the_readers_language() -> None:
    found = report(many_shares(6).plan(), "feedback.share-plan")
    assert found is not None

    assert text(found.title, "en") == "Pre-shift share plan, 2026-11-30 to 2026-12-04"
    assert text(found.title, "zh", "feedback") == "班前会分享计划，2026-11-30 至 2026-12-04"
    assert text(found.summary, "zh", "feedback").startswith(
        "1 个班组共 5 场班前会分享，从 2026-11-30（周一）到 2026-12-04（周五）"
    )
