"""The in-house pack (seed 000 company A, seeds 001 and 002) on the tiny center.

Tiny's QA, as these tests rely on it: A1 (lead of T1, also trainer TR2 in trainers.csv) and
B1 (lead of T2) score 90 on C1-C3; A2-A4 60 on C1, 80 on C2 and C3; A5 90 on C1, 20 on C2,
80 on C3; B2 90 on C1, 80 on C2, 55 on C3; B3 90 on C1, 80 on C2 and C3; B4 (on leave) 30.
Three evaluations each. Role AG requires C1 80, C2 75, C3 70; role TL (management) C1 85.
The cycle is 2026-11-30 to 2026-12-04.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ccrules import InputError, plan_to_json
from ccrules.i18n import text as shown
from ccrules.model import Message, Need, Plan, Trainer, TrainerKind
from default_pack.scenario import Tiny, fact, rules, session_of_agent

START = dt.date(2026, 11, 30)
END = dt.date(2026, 12, 4)
DAY = dt.date(2026, 11, 10)  # inside the evidence window


def inhouse() -> Tiny:
    tiny = Tiny()
    tiny.config["plugins"]["enabled"] = ["default", "inhouse"]
    return tiny


def setting(tiny: Tiny, table: str, **values: Any) -> Tiny:
    tiny.config["plugins"].setdefault("inhouse", {}).setdefault(table, {}).update(values)
    return tiny


def topic(tiny: Tiny, topic_id: str, competency_id: str) -> Tiny:
    return tiny.add(
        "topics",
        topic_id=topic_id,
        name=f"话题 {topic_id}",
        competency_id=competency_id,
        owner_team_id="QA",
        course_id=None,
    )


def add_test_call(tiny: Tiny, agent_id: str, topic_id: str, passed: bool = True) -> Tiny:
    return tiny.add(
        "test_calls",
        agent_id=agent_id,
        date=DAY,
        topic_id=topic_id,
        passed="true" if passed else "false",
        errors=0 if passed else 1,
        caller="QA02",
    )


def move(
    tiny: Tiny, agent_id: str, day: dt.date, kind: str = "promotion", to_role: str = "TL"
) -> Tiny:
    return tiny.add(
        "career_moves",
        agent_id=agent_id,
        date=day,
        kind=kind,
        from_team_id="T1",
        to_team_id="T1",
        from_role_id="AG",
        to_role_id=to_role,
    )


def goal(
    tiny: Tiny,
    goal_id: str,
    competency_id: str,
    role_id: str | None,
    target: float | None,
    weight: float = 1,
) -> Tiny:
    return tiny.add(
        "strategy_goals",
        goal_id=goal_id,
        name=f"目标 {goal_id}",
        competency_id=competency_id,
        role_id=role_id,
        target_level=target,
        weight=weight,
    )


def new_competency(tiny: Tiny, competency_id: str = "C4") -> Tiny:
    """A competency nobody is scored on (no QA item measures it)."""
    return tiny.add(
        "competencies",
        competency_id=competency_id,
        name="辅导 Coaching",
        category="non-business",
        kind="skill",
        description="",
    )


def pool(tiny: Tiny) -> dict[str, Trainer]:
    """The cycle's trainer pool as the engine merges it (wrappers applied)."""
    with tiny.engine() as engine:
        evidence = engine.build_evidence()
        parts = engine.plugin_manager.hook.ccrules_trainer_pool(
            center=engine.center, evidence=evidence
        )
    return {t.id: t for part in parts for t in part}


def needs_of(plan: Plan, source: str) -> dict[str, Need]:
    return {n.id: n for n in plan.needs if n.source == source}


# --------------------------------------------------------------------------------------------
# inhouse.method-providers


def test_method_provider_at_the_mastery_level() -> None:
    tiny = topic(inhouse(), "TP1", "C1")
    add_test_call(tiny, "A5", "TP1")

    trainers = pool(tiny)

    provider = trainers["method:A5"]
    assert provider.kind is TrainerKind.METHOD_PROVIDER
    assert provider.agent_id == "A5"
    assert provider.name == "刘洋"
    assert (provider.capacity_hours, provider.cost_per_hour, provider.preference) == (2.0, 0, -3)
    assert [(s.competency_id, s.level) for s in provider.skills] == [("C1", 90.0)]
    assert "top:A5" not in trainers  # one trainer per agent: the method provider


def test_no_method_provider_below_the_mastery_level() -> None:
    tiny = topic(inhouse(), "TP1", "C1").score("A5", "I1", 8.99)  # QA 89.9
    add_test_call(tiny, "A5", "TP1")

    trainers = pool(tiny)

    assert not any(t.agent_id == "A5" for t in trainers.values())


def failed_call(tiny: Tiny) -> None:
    add_test_call(tiny, "A5", "TP1", passed=False)


def dissatisfied(tiny: Tiny) -> None:
    tiny.add(
        "dissatisfied_contacts",
        contact_id="K1",
        agent_id="A5",
        date=DAY,
        topic_id="TP1",
        reason="没解释清楚",
        channel="voice",
    )


def asked_for_help(tiny: Tiny) -> None:
    tiny.add("floor_help", agent_id="A5", date=DAY, topic_id="TP1", helper="help desk")


def two_passes_needed(tiny: Tiny) -> None:
    setting(tiny, "trainers", min_passed_test_calls=2)


@pytest.mark.parametrize("spoil", [failed_call, dissatisfied, asked_for_help, two_passes_needed])
def test_no_method_provider_without_clean_mastery_of_the_topic(spoil: Any) -> None:
    tiny = topic(inhouse(), "TP1", "C1")
    add_test_call(tiny, "A5", "TP1")
    spoil(tiny)

    trainers = pool(tiny)

    assert "method:A5" not in trainers
    assert trainers["top:A5"].kind is TrainerKind.TOP_AGENT  # still a top agent on C1


@pytest.mark.parametrize(("limit", "expected"), [(2, ["B3", "A5"]), (3, ["B3", "A5", "B2"])])
def test_method_providers_per_topic_by_score(limit: int, expected: list[str]) -> None:
    tiny = topic(inhouse(), "TP1", "C1").score("B3", "I1", 9.5)  # B3 95, A5 and B2 90
    for agent_id in ("A5", "B2", "B3"):
        add_test_call(tiny, agent_id, "TP1")
    setting(tiny, "trainers", max_per_topic=limit)

    trainers = pool(tiny)

    found = [t.agent_id for t in trainers.values() if t.kind is TrainerKind.METHOD_PROVIDER]
    assert sorted(found) == sorted(expected)


def test_a_method_provider_keeps_skills_of_other_kinds() -> None:
    tiny = topic(inhouse(), "TP3", "C3")
    add_test_call(tiny, "B1", "TP3")

    trainers = pool(tiny)

    provider = trainers["method:B1"]
    # method provider on C3, top agent on C1 and C2, and T2's lead: one trainer
    assert [(s.competency_id, s.level) for s in provider.skills] == [
        ("C1", 90.0),
        ("C2", 90.0),
        ("C3", 90.0),
    ]
    assert "top:B1" not in trainers
    assert "lead:B1" not in trainers


# --------------------------------------------------------------------------------------------
# inhouse.top-agents


def test_top_agents_at_the_top_level_capped_per_competency() -> None:
    trainers = pool(inhouse())

    tops = {t.id: t for t in trainers.values() if t.kind is TrainerKind.TOP_AGENT}
    # C1 at 90: A5, B1, B2, B3 (A1 is TR2 of trainers.csv); three kept, by score then id
    assert sorted(tops) == ["top:A5", "top:B1", "top:B2"]
    assert [s.competency_id for s in tops["top:B1"].skills] == ["C1", "C2", "C3"]
    assert tops["top:A5"].preference == -2
    assert not any(t.id.endswith(":A1") for t in trainers.values())


def test_no_top_agent_just_below_the_top_level() -> None:
    trainers = pool(inhouse().score("B2", "I1", 8.999))  # B2 89.99 on C1

    tops = sorted(t.id for t in trainers.values() if t.kind is TrainerKind.TOP_AGENT)
    assert tops == ["top:A5", "top:B1", "top:B3"]  # B3 takes the third place


def test_more_top_agents_when_the_cap_allows() -> None:
    trainers = pool(setting(inhouse(), "trainers", max_per_competency=4))

    tops = sorted(t.id for t in trainers.values() if t.kind is TrainerKind.TOP_AGENT)
    assert tops == ["top:A5", "top:B1", "top:B2", "top:B3"]


# --------------------------------------------------------------------------------------------
# inhouse.team-leads


def test_team_leads_teach_what_their_qa_shows() -> None:
    trainers = pool(setting(inhouse(), "trainers", top_agents=False))

    lead = trainers["lead:B1"]
    assert lead.kind is TrainerKind.TEAM_LEAD
    assert lead.preference == -1
    assert [(s.competency_id, s.level) for s in lead.skills] == [
        ("C1", 90.0),
        ("C2", 90.0),
        ("C3", 90.0),
    ]
    assert "lead:A1" not in trainers  # A1 is TR2 of trainers.csv ...
    assert trainers["TR2"].preference == -1  # ... which gets a team lead's preference
    assert trainers["TR1"].preference == 0


def test_no_lead_trainer_for_an_agent_who_leads_no_team() -> None:
    tiny = setting(inhouse(), "trainers", top_agents=False)
    tiny.update("teams", {"team_id": "T2"}, lead_id=None)

    trainers = pool(tiny)

    assert not any(t.agent_id == "B1" for t in trainers.values())


def test_listed_staff_keep_preference_0_when_the_rule_is_off() -> None:
    trainers = pool(setting(inhouse(), "trainers", team_leads=False, top_agents=False))

    assert trainers["TR2"].preference == 0
    assert not any(t.kind is TrainerKind.TEAM_LEAD and t.id != "TR2" for t in trainers.values())


def test_an_agent_on_leave_is_never_a_trainer() -> None:
    tiny = topic(inhouse(), "TP1", "C1")
    for item in ("I1", "I2", "I3"):
        tiny.score("B4", item, 9.5)
    tiny.update("teams", {"team_id": "T2"}, lead_id="B4")
    add_test_call(tiny, "B4", "TP1")
    tiny.trainer("TR9", {"C2": 95}, kind="top-agent", agent_id="B4", cost_per_hour=0)

    on_leave = pool(tiny)
    tiny.update("agents", {"agent_id": "B4"}, status="active")
    active = pool(tiny)

    assert not any(t.agent_id == "B4" for t in on_leave.values())
    assert active["TR9"].preference == -2  # listed, so not found again in the evidence
    assert not any(t.agent_id == "B4" and t.id != "TR9" for t in active.values())


# --------------------------------------------------------------------------------------------
# preference: method provider > top agent > team lead > trainers.csv


@pytest.mark.parametrize(
    ("off", "kind", "rule"),
    [
        ((), TrainerKind.METHOD_PROVIDER, "inhouse.method-providers"),
        (("method_providers",), TrainerKind.TOP_AGENT, "inhouse.top-agents"),
        (("method_providers", "top_agents"), TrainerKind.TEAM_LEAD, "inhouse.team-leads"),
        (("method_providers", "top_agents", "team_leads"), TrainerKind.FULL_TIME, None),
    ],
)
def test_own_staff_before_a_full_time_trainer_of_equal_level(
    off: tuple[str, ...], kind: TrainerKind, rule: str | None
) -> None:
    # A5's C2 coaching needs 75 + 5. TR1 (full-time, score 4.5) teaches C2 at 90; so do
    # A3 (method provider on TP2), top agents A3 and B1, and B1 as T2's lead.
    tiny = topic(inhouse(), "TP2", "C2").score("A3", "I2", 9)
    add_test_call(tiny, "A3", "TP2")
    setting(tiny, "trainers", **dict.fromkeys(off, False))

    plan = tiny.plan()

    session = session_of_agent(plan, "A5", "C2")
    (trainer,) = [t for t in plan.trainers if t.id == session.trainer_id]
    assert trainer.kind is kind
    assert trainer.level("C2") == 90
    inhouse_rules = [r for r in rules(session.trainer_reasons) if r.startswith("inhouse.")]
    assert inhouse_rules == ([rule] if rule else [])


# --------------------------------------------------------------------------------------------
# inhouse.strategy


def test_strategy_need_at_the_threshold() -> None:
    tiny = goal(inhouse(), "G1", "C3", "AG", 85, weight=2)  # A2 80: 5 below

    needs = needs_of(tiny.plan(), "strategy")

    need = needs["strategy:A2:C3"]
    assert (need.priority, need.target_level, need.current_level) == (55, 85, 80)
    assert need.severity == round(5 / 85, 4)
    (reason,) = need.reasons
    assert reason.rule == "inhouse.strategy"
    assert fact(reason, "goals") == "G1"
    assert fact(reason, "weight") == 2
    assert "目标 G1" in reason.text
    assert sorted(needs) == [f"strategy:{a}:C3" for a in ("A2", "A3", "A4", "A5", "B2", "B3")]


def test_no_strategy_need_below_the_threshold() -> None:
    tiny = goal(inhouse(), "G1", "C3", "AG", 85)
    setting(tiny, "strategy", threshold=5.5, priority=58)

    needs = needs_of(tiny.plan(), "strategy")

    assert sorted(needs) == ["strategy:B2:C3"]  # 30 below; the others are 5 below
    assert needs["strategy:B2:C3"].priority == 58


def test_strategy_target_from_the_role_profile() -> None:
    tiny = goal(inhouse(), "G1", "C3", "AG", None)  # AG requires C3 at 70

    needs = needs_of(tiny.plan(), "strategy")

    assert sorted(needs) == ["strategy:B2:C3"]  # 55; everyone else has 80
    assert needs["strategy:B2:C3"].target_level == 70


@pytest.mark.parametrize("train", [True, False])
def test_strategy_competency_without_evidence(train: bool) -> None:
    tiny = goal(new_competency(inhouse()), "G2", "C4", None, 70)  # every role
    setting(tiny, "strategy", train_without_evidence=train)

    needs = needs_of(tiny.plan(), "strategy")

    if train:
        active = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3"]  # not B4, on leave
        assert sorted(needs) == [f"strategy:{a}:C4" for a in active]
        assert {n.severity for n in needs.values()} == {0.5}
        assert {n.current_level for n in needs.values()} == {None}
    else:
        assert needs == {}


# --------------------------------------------------------------------------------------------
# inhouse.transfer-track


@pytest.mark.parametrize(
    ("day", "fires"),
    [
        (START - dt.timedelta(days=1), False),  # already effective
        (START, True),
        (START + dt.timedelta(days=30), True),  # the horizon's last day
        (START + dt.timedelta(days=31), False),
    ],
)
def test_transfer_track_within_the_horizon(day: dt.date, fires: bool) -> None:
    plan = move(inhouse(), "A2", day).plan()

    needs = needs_of(plan, "career")

    if fires:
        # TL requires C1 85 (A2 has 60); A2 has no other gap on TL's profile
        assert sorted(needs) == ["career:A2:C1"]
        need = needs["career:A2:C1"]
        assert (need.priority, need.target_level, need.current_level) == (70, 85, 60)
        assert need.reasons[0].rule == "inhouse.transfer-track"
        assert fact(need.reasons[0], "move_date") == day.isoformat()
    else:
        assert needs == {}


@pytest.mark.parametrize(
    ("day", "before", "due"),
    [
        (dt.date(2026, 12, 3), 0, dt.date(2026, 12, 3)),
        (dt.date(2026, 12, 3), 2, dt.date(2026, 12, 1)),
        (dt.date(2026, 12, 1), 5, START),  # clamped to the cycle's start
        (dt.date(2026, 12, 20), 3, END),  # clamped to the cycle's end
    ],
)
def test_transfer_due_dates(day: dt.date, before: int, due: dt.date) -> None:
    tiny = setting(move(inhouse(), "A2", day), "transfer", days_before=before)

    plan = tiny.plan()

    need = plan.need("career:A2:C1")
    assert need.due == due
    assert need.expires == day
    session = session_of_agent(plan, "A2", "C1")
    assert session.due is not None and session.due <= due
    assert session.start is not None and session.start.date() <= due


def test_transfer_track_covers_every_competency_of_the_new_role() -> None:
    tiny = new_competency(inhouse())
    tiny.add("role_profiles", role_id="TL", competency_id="C2", required_level=80)  # A2: 80
    tiny.add("role_profiles", role_id="TL", competency_id="C4", required_level=60)  # no QA
    move(tiny, "A2", dt.date(2026, 12, 10))

    needs = needs_of(tiny.plan(), "career")

    assert sorted(needs) == ["career:A2:C1", "career:A2:C4"]  # C2 is met at exactly 80
    assert needs["career:A2:C4"].severity == 0.5
    assert needs["career:A2:C1"].severity == round(25 / 85, 4)


@pytest.mark.parametrize(("kind", "fires"), [("transfer", True), ("demotion", False)])
def test_transfer_track_move_kinds(kind: str, fires: bool) -> None:
    plan = move(inhouse(), "A2", dt.date(2026, 12, 10), kind=kind).plan()

    assert ("career:A2:C1" in needs_of(plan, "career")) is fires


# --------------------------------------------------------------------------------------------
# inhouse.management-track


def test_management_track_for_competencies_without_evidence() -> None:
    tiny = new_competency(inhouse())
    tiny.add("role_profiles", role_id="TL", competency_id="C4", required_level=75)

    needs = needs_of(tiny.plan(), "management")

    # A1 and B1 lead teams in role TL; C1 has QA evidence, so the default pack's gap rule
    # judges it instead
    assert sorted(needs) == ["management:A1:C4", "management:B1:C4"]
    need = needs["management:A1:C4"]
    assert (need.priority, need.severity, need.target_level) == (45, 0.5, 75)
    assert need.reasons[0].rule == "inhouse.management-track"


def test_management_track_for_a_lead_in_a_front_line_role() -> None:
    tiny = new_competency(inhouse())
    tiny.add("role_profiles", role_id="AG", competency_id="C4", required_level=70)
    tiny.update("teams", {"team_id": "T1"}, lead_id="A2")

    needs = needs_of(tiny.plan(), "management")

    assert sorted(needs) == ["management:A2:C4"]  # A3-A5, B2, B3 lead nothing
    assert "lead of T1" in needs["management:A2:C4"].reasons[0].text


def test_no_management_need_when_qa_shows_the_competency() -> None:
    assert needs_of(inhouse().plan(), "management") == {}


# --------------------------------------------------------------------------------------------
# inhouse.readiness


def readiness_rows(plan: Plan) -> list[dict[str, Any]]:
    report = plan.report("inhouse.readiness")
    return [dict(zip(report.columns, row, strict=True)) for row in report.rows]


def test_readiness_report_rows() -> None:
    tiny = inhouse()
    tiny.add("role_profiles", role_id="TL", competency_id="C2", required_level=80)
    move(tiny, "A2", dt.date(2026, 12, 10))
    move(tiny, "B3", dt.date(2026, 12, 2), kind="transfer", to_role="TL")
    move(tiny, "A3", dt.date(2027, 2, 1))  # after the horizon

    plan = tiny.plan()

    rows = readiness_rows(plan)
    share = session_of_agent(plan, "A2", "C1").id
    assert rows == [
        {
            "agent_id": "B3",
            "name": "赵磊",
            "move": "transfer",
            "date": "2026-12-02",
            "from_role": "AG",
            "to_role": "TL",
            "met": 2,
            "required": 2,
            "missing": "",
            "ready": True,
            "sessions": "",
            "not_planned": "",
        },
        {
            "agent_id": "A2",
            "name": "李娜",
            "move": "promotion",
            "date": "2026-12-10",
            "from_role": "AG",
            "to_role": "TL",
            "met": 1,
            "required": 2,
            "missing": "C1",
            "ready": False,
            "sessions": share,
            "not_planned": "",
        },
    ]
    report = plan.report("inhouse.readiness")
    assert shown(report.summary, "en").startswith("1 of 2 agent(s) moving by 2026-12-30")
    assert "supervisor" in shown(report.summary, "en")
    # the Chinese page: the pack's own catalogue, numbers formatted as in English
    assert shown(report.summary, "zh", "inhouse").startswith("在 2026-12-30 前调动的 2 名坐席中")
    assert "主管" in shown(report.summary, "zh", "inhouse")
    assert shown(report.title, "zh", "inhouse") == "调往新岗位坐席的准备度"
    assert rules(report.reasons) == ["inhouse.readiness"]


@pytest.mark.parametrize(
    ("settings", "ready"),
    [
        ({"tolerance": 24.9}, False),
        ({"tolerance": 25}, True),  # A2's 60 on C1 meets TL's 85 - 25
        ({"ready_share": 0.5}, True),  # C2 met, C1 not: half
        ({"ready_share": 0.51}, False),
    ],
)
def test_readiness_tolerance_and_share(settings: dict[str, float], ready: bool) -> None:
    tiny = inhouse()
    tiny.add("role_profiles", role_id="TL", competency_id="C2", required_level=80)
    setting(move(tiny, "A2", dt.date(2026, 12, 10)), "readiness", **settings)

    (row,) = readiness_rows(tiny.plan())

    assert row["ready"] is ready


def test_no_readiness_report_without_moves() -> None:
    plan = move(inhouse(), "A2", dt.date(2027, 1, 15)).plan()

    assert [r.id for r in plan.reports if r.id.startswith("inhouse.")] == []


# --------------------------------------------------------------------------------------------
# the whole pack


def everything() -> Tiny:
    tiny = new_competency(topic(inhouse(), "TP1", "C1"))
    add_test_call(tiny, "A5", "TP1")
    goal(tiny, "G1", "C3", "AG", 85, weight=2)
    goal(tiny, "G2", "C4", None, 70)
    tiny.add("role_profiles", role_id="TL", competency_id="C4", required_level=75)
    move(tiny, "A2", dt.date(2026, 12, 10))
    move(tiny, "B3", dt.date(2026, 12, 2), kind="transfer", to_role="TL")
    return tiny


def test_plans_are_byte_identical() -> None:
    first = plan_to_json(everything().plan())
    second = plan_to_json(everything().plan())

    assert first == second
    assert '"inhouse.readiness"' in first
    assert '"method:A5"' in first or '"top:' in first


def test_every_inhouse_decision_explains_itself() -> None:
    tiny = everything()
    plan = tiny.plan()
    names = {row["agent_id"]: row["name"] for row in tiny.data["agents"]}

    ours = [n for n in plan.needs if n.source in ("strategy", "career", "management")]
    assert {n.source for n in ours} == {"strategy", "career", "management"}
    for need in ours:
        for reason in need.reasons:
            assert reason.plugin == "inhouse"
            assert reason.facts, reason.text
            # a message translated from the pack's catalogue, the names from the data intact
            assert isinstance(reason.message, Message)
            chinese = shown(reason, "zh")
            assert chinese != reason.text
            assert names[need.agent_id] in reason.text
            assert names[need.agent_id] in chinese


def test_a_move_reads_in_chinese_with_its_kind_translated() -> None:
    plan = move(inhouse(), "A2", dt.date(2026, 12, 10), kind="transfer").plan()

    (reason,) = needs_of(plan, "career")["career:A2:C1"].reasons
    assert "moves (transfer) to" in reason.text
    assert "（调岗）" in shown(reason, "zh")
    assert reason.message.params["kind"] == Message("transfer")  # type: ignore[union-attr]


def bad(**tables: dict[str, Any]) -> Tiny:
    tiny = inhouse()
    for table, values in tables.items():
        setting(tiny, table, **values)
    return tiny


@pytest.mark.parametrize(
    ("tables", "path"),
    [
        ({"trainers": {"staff_hours": 0}}, "plugins.inhouse.trainers.staff_hours"),
        ({"trainers": {"mastery_level": 101}}, "plugins.inhouse.trainers.mastery_level"),
        ({"trainers": {"max_per_topic": 0}}, "plugins.inhouse.trainers.max_per_topic"),
        ({"strategy": {"owner": "NOPE"}}, "plugins.inhouse.strategy.owner"),
        ({"transfer": {"track_moves": ["transfer", "sideways"]}}, "track_moves[1]"),
        ({"transfer": {"horizon_days": -1}}, "plugins.inhouse.transfer.horizon_days"),
        ({"readiness": {"ready_share": 0}}, "plugins.inhouse.readiness.ready_share"),
        ({"readiness": {"tolerance": -1}}, "plugins.inhouse.readiness.tolerance"),
    ],
)
def test_bad_settings_are_reported(tables: dict[str, dict[str, Any]], path: str) -> None:
    with pytest.raises(InputError) as caught:
        bad(**tables).engine()

    assert any(path in (p.path or "") for p in caught.value.problems)


def test_good_settings_pass() -> None:
    tiny = bad(
        trainers={"staff_hours": 0.5, "mastery_level": 100, "max_per_topic": 1},
        transfer={"track_moves": ["transfer", "team-change"], "horizon_days": 0},
        readiness={"ready_share": 1, "tolerance": 0},
    )
    with tiny.engine() as engine:
        assert engine.center.trainers  # loaded


def test_warnings_for_settings_that_find_nothing() -> None:
    tiny = setting(inhouse(), "trainers", lead_preference=0)

    with tiny.engine() as engine:
        warned = sorted(p.path or "" for p in engine.warnings if p.path)

    assert "plugins.inhouse.trainers.lead_preference" in warned
    assert "plugins.inhouse.strategy.enabled" in warned  # tiny has no strategy_goals.csv
    with goal(inhouse(), "G1", "C3", "AG", 85).engine() as engine:
        assert not [p for p in engine.warnings if (p.path or "").startswith("plugins.inhouse")]
