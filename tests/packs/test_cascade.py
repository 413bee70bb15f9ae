"""The release-cascade pack (seed 004): leads learn a release first, then share it with their
teams before customers see it, on the tiny center.

The tiny cycle runs Mon 2026-11-30 to Fri 2026-12-04. Unless a test says otherwise the
default pack's own needs are off (no QA gaps, no KPI threshold), so every need is the pack's;
the catalogue gains K6 (pre-shift on C3, 15 min) and K7 (cascade on C3, 30 min, max 10), and
release R1 of 开票软件 5.2 changes two points of C3 on Fri 2026-12-04. Role AG (A2-A5 in T1,
B2 and B3 in T2) requires C3 at 70; role TL (leads A1 and B1) does not ask for C3.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.default_pack.scenario import FRI, MON, THU, TUE, WED, Tiny, fact, placed, rules, text

import ccrules_packs.cascade
from ccrules import InputError, plan_to_json
from ccrules.i18n import text as shown
from ccrules.model import Assembly, Format, Need, Plan, PriorityStatus, Session

T1_AGENTS = ["A2", "A3", "A4", "A5"]
T2_AGENTS = ["B2", "B3"]
PRODUCT = "开票软件 5.2"


def cascade(release_day: dt.date | None = FRI, **settings: Any) -> Tiny:
    """The tiny center with the pack enabled, K6 and K7 in the catalogue and release R1 on
    C3 on ``release_day`` (none when ``None``)."""
    tiny = Tiny()
    tiny.config["plugins"]["enabled"] = ["default", "release-cascade"]
    if settings:
        tiny.config["plugins"]["release-cascade"] = settings
    tiny.pack["gaps"]["enabled"] = False
    del tiny.pack["kpis"]
    tiny.set("courses", share_min_attendees=2)  # T2's share is B2 and B3
    tiny.course("K6", "C3", "pre-shift", 15, 30).course("K7", "C3", "cascade", 30, 10)
    if release_day is not None:
        release(tiny, "R1", release_day, "C3", "滞纳金单列一行", "New QR code on invoices")
    return tiny


def release(tiny: Tiny, release_id: str, day: dt.date, competency_id: str, *changes: str) -> Tiny:
    for change in changes:
        tiny.add(
            "releases",
            release_id=release_id,
            date=day,
            product=PRODUCT,
            change=change,
            competency_id=competency_id,
            topic_id=None,
        )
    return tiny


def needs_of(plan: Plan, source: str) -> dict[str, Need]:
    return {n.id: n for n in plan.needs if n.source == source}


def share_of(plan: Plan, team_id: str) -> Session:
    (found,) = [s for s in plan.sessions if s.team_id == team_id and s.competency_id == "C3"]
    return found


def lead_session(plan: Plan) -> Session:
    (found,) = [s for s in plan.sessions if s.course_id == "K7"]
    return found


def report_row(plan: Plan) -> dict[str, Any]:
    report = plan.report("release-cascade.releases")
    (row,) = report.rows
    return dict(zip(report.columns, row, strict=True))


# --------------------------------------------------------------------------------------------
# cascade.leads-first


def test_each_front_line_lead_learns_the_release_first() -> None:
    plan = cascade().plan()

    leads = needs_of(plan, "release-lead")
    assert sorted(leads) == ["release-lead:R1:A1:C3", "release-lead:R1:B1:C3"]
    need = leads["release-lead:R1:A1:C3"]
    assert (need.agent_id, need.competency_id, need.course_id) == ("A1", "C3", "K7")
    assert need.due == dt.date(2026, 12, 2)  # two days before the release
    assert (need.priority, need.mandatory) == (80, True)
    (reason,) = need.reasons
    assert reason.rule == "cascade.leads-first"
    assert "王建国, lead of Alpha 一组, learns it first" in reason.text
    assert fact(reason, "agents_to_reach") == 4
    assert fact(reason, "changes") == 2


def test_a_lead_learns_in_a_classroom_when_there_is_no_cascade_course() -> None:
    tiny = cascade().remove("courses", course_id="K7")

    plan = tiny.plan()

    assert {n.course_id for n in needs_of(plan, "release-lead").values()} == {"K4"}


@pytest.mark.parametrize(
    ("day", "cascaded"),
    [
        (dt.date(2026, 12, 18), True),  # cycle end + horizon_days (14)
        (dt.date(2026, 12, 19), False),
        (dt.date(2026, 11, 23), True),  # cycle start - grace_days (7)
        (dt.date(2026, 11, 22), False),
    ],
)
def test_only_releases_within_grace_and_horizon_are_cascaded(day: dt.date, cascaded: bool) -> None:
    plan = cascade(day).plan()

    assert bool(needs_of(plan, "release-lead")) is cascaded
    assert bool(needs_of(plan, "release")) is cascaded
    assert any(r.id == "release-cascade.releases" for r in plan.reports) is cascaded


def test_a_shorter_horizon_drops_a_release_it_used_to_reach() -> None:
    plan = cascade(dt.date(2026, 12, 18), horizon_days=13).plan()

    assert not needs_of(plan, "release-lead")


def test_a_release_already_out_is_caught_up_from_the_cycle_start() -> None:
    plan = cascade(dt.date(2026, 11, 25)).plan()

    lead = needs_of(plan, "release-lead")["release-lead:R1:A1:C3"]
    share = needs_of(plan, "release")["release:R1:A2:C3"]
    assert lead.due == MON  # not before the cycle
    assert share.due == TUE  # a day after the lead could learn it
    assert "reached customers on 2026-11-25" in lead.reasons[0].text


def test_a_lead_on_leave_gets_no_need() -> None:
    tiny = cascade().update("agents", {"agent_id": "B1"}, status="leave")

    plan = tiny.plan()

    assert sorted(needs_of(plan, "release-lead")) == ["release-lead:R1:A1:C3"]


# --------------------------------------------------------------------------------------------
# cascade.team-share


def test_the_other_agents_whose_role_asks_learn_it_at_the_pre_shift_meeting() -> None:
    plan = cascade().plan()

    shares = needs_of(plan, "release")
    assert sorted(shares) == [f"release:R1:{a}:C3" for a in T1_AGENTS + T2_AGENTS]
    need = shares["release:R1:A2:C3"]
    assert (need.course_id, need.due, need.priority, need.mandatory) == ("K6", FRI, 75, True)
    assert need.target_level == 70
    assert rules(need.reasons) == ["cascade.team-share"]
    assert "李娜 learns it at Alpha 一组's pre-shift meeting (K6), from 王建国" in text(
        need.reasons
    )


def test_no_share_for_leads_agents_on_leave_roles_not_asking_or_support_teams() -> None:
    tiny = cascade().add(
        "agents",
        agent_id="Q1",
        name="孙琪",
        team_id="QA",
        role_id="AG",
        hire_date=None,
        status="active",
    )

    plan = tiny.plan()

    agents = {n.agent_id for n in needs_of(plan, "release").values()}
    assert agents == set(T1_AGENTS + T2_AGENTS)  # not A1/B1 (TL), B4 (leave), Q1 (support)


def test_a_role_that_does_not_ask_for_the_competency_gets_no_share() -> None:
    plan = cascade().remove("role_profiles", role_id="AG", competency_id="C3").plan()

    assert not needs_of(plan, "release")
    assert not needs_of(plan, "release-lead")  # nobody to cascade to: no team asks


def test_without_a_pre_shift_course_a_team_without_a_lead_gets_the_short_video() -> None:
    tiny = cascade().remove("courses", course_id="K6")
    tiny.update("teams", {"team_id": "T2"}, lead_id=None)

    plan = tiny.plan()

    assert {n.course_id for n in needs_of(plan, "release").values()} == {"K3"}
    videos = [s for s in plan.sessions if s.format is Format.MICRO_VIDEO]
    assert sorted(a for s in videos for a in s.attendees) == sorted(T2_AGENTS)
    assert "from the 10-minute video K3" in text(
        needs_of(plan, "release")["release:R1:B2:C3"].reasons
    )


@pytest.mark.parametrize(("mandatory", "status"), [(True, "planned"), (False, "deferred")])
def test_a_mandatory_release_need_is_never_deferred(mandatory: bool, status: str) -> None:
    # A2-A4 have a QA gap on C1 (priority 60) that outranks the release (50); one
    # competency per agent leaves room for the release only when it is mandatory.
    tiny = cascade(share_priority=50, share_mandatory=mandatory)
    tiny.pack["gaps"]["enabled"] = True
    tiny.set("priorities", max_competencies_per_agent=1)

    plan = tiny.plan()

    (priority,) = [p for p in plan.priorities if p.need_id == "release:R1:A2:C3"]
    assert priority.status is PriorityStatus(status)


# --------------------------------------------------------------------------------------------
# cascade.order


def test_each_team_share_comes_after_its_leads_session() -> None:
    plan = cascade().plan()

    first = lead_session(plan)
    assert set(first.attendees) == {"A1", "B1"}
    for team_id, agents in (("T1", T1_AGENTS), ("T2", T2_AGENTS)):
        share = share_of(plan, team_id)
        assert sorted(share.attendees) == agents
        assert share.after == (first.id,)
        assert first.end is not None and share.start is not None
        assert share.start >= first.end
        assert share.start.date() <= FRI
        (reason,) = [r for r in share.reasons if r.rule == "cascade.order"]
        assert f"learns R1 first in session {first.id}" in reason.text
        assert f"先在场次 {first.id} 中学习 R1。本次分享在 {first.id} 之后开始。" in shown(
            reason, "zh"
        )
        assert fact(reason, "lead_sessions") == first.id
    assert first.after == ()


def test_clauses_join_as_the_language_joins_them() -> None:
    from ccrules.i18n import clauses, msg

    cascade().plan()  # loads the pack, and with it its catalogue
    parts = [msg("{count} lead(s) not trained", count=n) for n in (1, 2, 3)]
    joined = msg("Cascade: {parts}.", parts=clauses(parts))
    assert shown(joined, "en", "release-cascade") == (
        "Cascade: 1 lead(s) not trained; 2 lead(s) not trained; 3 lead(s) not trained."
    )
    assert shown(joined, "zh", "release-cascade") == (
        "逐级传达：1 名组长未培训；2 名组长未培训；3 名组长未培训。"
    )
    assert clauses(parts[:1]) is parts[0]


def test_a_team_without_a_lead_still_gets_its_share_without_waiting() -> None:
    tiny = cascade().update("teams", {"team_id": "T2"}, lead_id=None)

    plan = tiny.plan()

    share = share_of(plan, "T2")
    assert sorted(share.attendees) == T2_AGENTS
    assert share.after == ()
    (reason,) = [r for r in share.reasons if r.rule == "cascade.order"]
    assert "Beta 二组 has no lead" in reason.text
    assert "Beta 二组没有组长，因此无人先学 R1" in shown(reason, "zh")
    assert fact(reason, "teams_without_lead_first") == "T2"
    assert share_of(plan, "T1").after == (lead_session(plan).id,)


def test_a_lead_whose_need_is_deferred_is_not_trained_first() -> None:
    # A1 scores 50 on C1 (TL requires 85): a QA need of priority 60 outranks the lead's 5,
    # and A1 may take one competency this cycle.
    tiny = cascade(lead_priority=5, lead_mandatory=False)
    tiny.set("priorities", max_competencies_per_agent=1)
    tiny.score("A1", "I1", 5).set("gaps", enabled=True)

    plan = tiny.plan()

    share = share_of(plan, "T1")
    assert share.after == ()
    assert "王建国 has no release need planned this cycle" in text(share.reasons)
    assert "the lead is not trained first" in text(share.reasons)
    assert share_of(plan, "T2").after == (lead_session(plan).id,)


def test_a_lead_learning_together_with_agents_sets_no_order() -> None:
    # The default pack keeps leads apart; another assembler might not. A session cannot come
    # after itself, nor after a lead session that is itself a share.
    def need(need_id: str, agent_id: str, source: str) -> Need:
        return Need(need_id, agent_id, "C3", source, 1.0, 80, "team-lead")

    needs = [
        need("release-lead:R1:A1:C3", "A1", "release-lead"),
        need("release-lead:R1:B1:C3", "B1", "release-lead"),
        need("release:R1:A2:C3", "A2", "release"),
        need("release:R1:B2:C3", "B2", "release"),
    ]
    mixed = Session(
        "K7-01",
        "K7",
        "C3",
        Format.CASCADE,
        30,
        ("A1", "A2", "B1"),
        ("release-lead:R1:A1:C3", "release:R1:A2:C3", "release-lead:R1:B1:C3"),
        1,
    )
    share = Session("K6-01", "K6", "C3", Format.PRE_SHIFT, 15, ("B2",), ("release:R1:B2:C3",), 2)
    with cascade().engine() as engine:
        wrapper = ccrules_packs.cascade.ccrules_assemble_sessions(engine.center, needs)
        next(wrapper)
        with pytest.raises(StopIteration) as done:
            wrapper.send(Assembly(sessions=(mixed, share)))

    first, second = done.value.value.sessions
    assert (first.after, second.after) == ((), ())
    assert "王建国 learns R1 in session K7-01 together with agents" in text(first.reasons)
    assert "陈静 learns R1 in session K7-01 together with agents" in text(second.reasons)


# --------------------------------------------------------------------------------------------
# cascade.lead-teaches


def test_each_lead_gives_their_own_teams_share() -> None:
    plan = cascade().plan()

    for team_id, lead_id in (("T1", "A1"), ("T2", "B1")):
        share = share_of(plan, team_id)
        assert share.trainer_id == f"cascade:{lead_id}"
        (reason,) = share.trainer_reasons
        assert reason.rule == "cascade.lead-teaches"
        assert f"learned this release in session {lead_session(plan).id}" in reason.text
    (trainer,) = [t for t in plan.trainers if t.id == "cascade:A1"]
    assert (trainer.kind, trainer.agent_id, trainer.capacity_hours, trainer.cost_per_hour) == (
        "team-lead",
        "A1",
        2.0,
        0.0,
    )
    assert lead_session(plan).trainer_id == "TR1"  # the leads' own lesson: the pool's trainer
    assert "cascade.lead-teaches" not in rules(lead_session(plan).trainer_reasons)


def test_a_share_without_a_lead_keeps_the_trainer_it_was_given() -> None:
    plan = cascade().update("teams", {"team_id": "T2"}, lead_id=None).plan()

    share = share_of(plan, "T2")
    assert share.trainer_id == "TR1"
    assert rules(share.trainer_reasons) == ["trainers.qualified", "cascade.lead-teaches"]
    assert "the trainer chosen before stands" in text(share.trainer_reasons)


@pytest.mark.parametrize(("hours", "trainer"), [(0.25, "cascade:A1"), (0.24, "TR1")])
def test_a_lead_gives_shares_within_their_cascade_hours(hours: float, trainer: str) -> None:
    plan = cascade(lead_capacity_hours=hours).plan()  # a share takes 15 min = 0.25 h

    assert share_of(plan, "T1").trainer_id == trainer


def test_a_short_video_needs_no_lead() -> None:
    tiny = cascade().remove("courses", course_id="K6")
    tiny.set("courses", share_min_attendees=3)  # T2 (two agents) has no meeting: videos

    plan = tiny.plan()

    videos = [s for s in plan.sessions if s.format is Format.MICRO_VIDEO]
    assert sorted(a for s in videos for a in s.attendees) == T2_AGENTS
    for video in videos:
        assert video.trainer_id is None
        assert "cascade.lead-teaches" not in rules(video.trainer_reasons)
        assert video.after == (lead_session(plan).id,)  # the lead still learns first


# --------------------------------------------------------------------------------------------
# cascade.releases


def test_the_report_shows_the_cascade_complete_before_the_release() -> None:
    plan = cascade().plan()

    report = plan.report("release-cascade.releases")
    row = report_row(plan)
    first = lead_session(plan)
    shares = [share_of(plan, "T1"), share_of(plan, "T2")]
    assert row["release"] == "R1"
    assert row["product"] == PRODUCT
    assert (row["date"], row["changes"]) == ("2026-12-04", 2)
    assert (row["leads"], row["leads_trained"], row["lead_sessions"]) == (2, 2, first.id)
    assert row["lead_start"] == f"{first.start:%Y-%m-%d %H:%M}"
    assert (row["shares_placed"], row["shares_total"]) == (2, 2)
    assert row["first_share"] == min(f"{s.start:%Y-%m-%d %H:%M}" for s in shares)
    assert (row["agents_reached"], row["agents_not_reached"], row["not_reached"]) == (6, 0, None)
    assert row["before_release"] is True
    assert shown(report.summary, "en").startswith("Every release in the window (1 per competency)")
    assert shown(report.summary, "zh", "release-cascade").startswith(
        "窗口期内的每个版本（按能力项计 1 个）都完整传达"
    )
    assert rules(report.reasons) == ["cascade.releases"]


def test_the_report_flags_a_cascade_that_lands_after_the_release() -> None:
    plan = cascade(dt.date(2026, 11, 25)).plan()

    row = report_row(plan)
    assert row["shares_placed"] == 2
    assert row["before_release"] is False
    summary = shown(plan.report("release-cascade.releases").summary, "en")
    assert summary.startswith("0 of 1 release(s)")
    assert "after the release" in summary


def test_the_report_counts_agents_a_share_does_not_reach() -> None:
    # Monday is the only working day: the leads learn at 13:00, after T1's pre-shift meeting
    # (09:00) and at T2's (13:00), so neither share can follow them.
    tiny = cascade(THU)
    tiny.set("schedule", workdays=["mon"])

    plan = tiny.plan()

    # nobody is at a meeting after the leads learn: each agent watches the video K3 instead
    row = report_row(plan)
    assert row["leads_trained"] == 2
    assert (row["lead_delivered"], row["video"]) == (0, 6)
    assert all(s.format is Format.MICRO_VIDEO for s in plan.sessions if s.course_id != "K7")
    assert not [s for s in plan.sessions if s.format is Format.PRE_SHIFT]


def video_only(tiny: Tiny) -> Tiny:
    """C3's teams learn a release from the video K3 only: no pre-shift course for it."""
    tiny.remove("courses", course_id="K6")
    return tiny


def test_a_lead_passes_on_a_video_only_release_at_the_teams_meeting() -> None:
    plan = video_only(cascade()).plan()

    lead = lead_session(plan)
    t1, t2 = share_of(plan, "T1"), share_of(plan, "T2")
    for share, team_lead, agents in ((t1, "A1", T1_AGENTS), (t2, "B1", T2_AGENTS)):
        assert (share.format, share.course_id, share.trainer_id) == (
            Format.PRE_SHIFT,
            "K3",
            f"cascade:{team_lead}",
        )
        assert list(share.attendees) == agents
        assert share.after == (lead.id,)
        assert share.start is not None and lead.end is not None and share.start >= lead.end
        assert "cascade.meeting" in rules(share.reasons)
    assert not [s for s in plan.sessions if s.format is Format.MICRO_VIDEO]
    row = report_row(plan)
    assert (row["lead_delivered"], row["video"], row["agents_reached"]) == (6, 0, 6)
    assert "from their lead at a team meeting: 6; from the video: 0" in (
        shown(plan.report("release-cascade.releases").summary, "en")
    )
    needs = needs_of(plan, "release")
    assert all("pre-shift meeting (the content of the" in n.reasons[0].text for n in needs.values())


def test_only_who_misses_the_leads_meeting_gets_the_video() -> None:
    tiny = video_only(cascade())
    tiny.set("courses", share_min_attendees=3)
    for day in (MON, TUE, WED, THU):  # A5 starts late every day: not at T1's meeting
        tiny.add(
            "shifts",
            agent_id="A5",
            date=day,
            start_time="11:00",
            end_time="18:00",
            activity="phone",
            queue=None,
        )
        for agent in ("A1", "A2", "A3", "A4", "B1", "B2", "B3"):
            start = "09:00" if agent[0] == "A" else "13:00"
            end = "18:00" if agent[0] == "A" else "22:00"
            tiny.add(
                "shifts",
                agent_id=agent,
                date=day,
                start_time=start,
                end_time=end,
                activity="phone",
                queue=None,
            )

    plan = tiny.plan()

    t1 = share_of(plan, "T1")
    assert (t1.format, t1.attendees) == (Format.PRE_SHIFT, ("A2", "A3", "A4"))
    (a5,) = [s for s in plan.sessions if "A5" in s.attendees]
    assert (a5.format, a5.course_id, a5.trainer_id) == (Format.MICRO_VIDEO, "K3", None)
    assert "(A5, starts at 11:00) is not at the team's share" in text(a5.slot_reasons)
    # T2's two agents are fewer than three: no meeting for them, the video each
    row = report_row(plan)
    assert (row["lead_delivered"], row["video"]) == (3, 3)


def test_no_release_in_the_window_means_no_report() -> None:
    plan = cascade(None).plan()

    assert not [r for r in plan.reports if r.id.startswith("release-cascade")]
    assert not needs_of(plan, "release")


# --------------------------------------------------------------------------------------------
# checks and determinism


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"lead_days_before": 0}, "plugins.release-cascade.lead_days_before"),
        ({"horizon_days": -1}, "plugins.release-cascade.horizon_days"),
        ({"grace_days": -1}, "plugins.release-cascade.grace_days"),
        ({"lead_capacity_hours": 0.0}, "plugins.release-cascade.lead_capacity_hours"),
        ({"share_formats": []}, "plugins.release-cascade.share_formats"),
        ({"owner": "NOPE"}, "plugins.release-cascade.owner"),
    ],
)
def test_bad_settings_stop_the_run(settings: dict[str, Any], path: str) -> None:
    with pytest.raises(InputError) as raised:
        cascade(**settings).engine()

    assert [p.path for p in raised.value.problems] == [path]


def test_good_boundary_settings_load() -> None:
    with cascade(lead_days_before=1, grace_days=0, horizon_days=0, owner="QA").engine() as e:
        assert not [w for w in e.warnings if w.code == "no-cascade-course"]


def test_a_release_competency_without_a_cascade_course_is_a_warning() -> None:
    tiny = cascade().remove("courses", course_id="K6").remove("courses", course_id="K3")

    with tiny.engine() as engine:
        warnings = [(w.file, w.code, w.message) for w in engine.warnings]

    (found,) = [w for w in warnings if w[1] == "no-cascade-course"]
    assert "pre-shift or micro-video" in found[2]


def test_the_plan_is_identical_when_planned_twice() -> None:
    tiny = cascade()
    release(tiny, "R2", MON + dt.timedelta(days=10), "C1", "新的风险提示")

    assert plan_to_json(tiny.plan()) == plan_to_json(tiny.plan())


def test_chinese_names_survive_into_needs_and_the_report() -> None:
    plan = cascade().update("teams", {"team_id": "T1"}, name="开票一组").plan()

    assert report_row(plan)["product"] == PRODUCT
    lead = needs_of(plan, "release-lead")["release-lead:R1:A1:C3"]
    assert "王建国, lead of 开票一组" in lead.reasons[0].text
    assert placed(plan, share_of(plan, "T1").id).trainer_id == "cascade:A1"


def test_a_session_that_serves_no_need_is_left_as_it_is() -> None:
    # a whole-team session (escalation level 3) seats team members without a need of their
    # own; one such group of one agent is no release video to merge
    tiny = cascade()
    lone = Session("K5-09", "K5", "C1", Format.CLASSROOM, 60, ("A4",), (), 1)
    with tiny.engine() as engine:
        from ccrules_packs.cascade.courses import _meetings

        assert _meetings(engine.center, [lone], {}, {}) == [lone]
