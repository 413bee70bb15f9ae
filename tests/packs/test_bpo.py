"""The BPO pack (seed 000) on the tiny center: the client's mandates, approvals and
certifications, the vendor's trainer pool, the contracted hours and their cost.

The tiny center as the bpo pack sees it (``vendor()`` below): the client 星河电商 approved
every course K1-K5 and certified vendor trainer V1 (C1 95, C2 90, C3 90; 10 h, 80 an hour)
for every competency. Without mandates the plan trains A2-A4 on C1 (K1 pre-shift, 15 min),
A5 on C2 (K2 coaching, 45 min), B2 and B3 on C3 (K3 micro-video, 10 min each); the tiny
center's own trainers TR1 (full-time) and TR2 (team lead) are not the vendor's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.default_pack.scenario import Tiny, all_sessions, fact, rules, text, unplaced
from tests.test_bad_input import rejected

from ccrules import InputError, plan_to_json
from ccrules.i18n import text as shown
from ccrules.model import Format, Plan, Reason, Report, Session, Stage
from ccrules_packs.bpo import PLUGIN, Settings
from ccrules_packs.bpo.courses import _cap, _cascade

Run = Callable[..., Result]
CLIENT = "星河电商"
START = dt.date(2026, 11, 30)  # the tiny cycle: 2026-11-30 .. 2026-12-04
END = dt.date(2026, 12, 4)
DAY = dt.timedelta(days=1)
AG = ["A2", "A3", "A4", "A5", "B2", "B3"]  # active agents of role AG (B4 is on leave)
COURSES = ["K1", "K2", "K3", "K4", "K5"]


def vendor(
    *,
    approved: dict[str, dt.date | None] | None = None,
    certified: dict[str | None, dt.date | None] | None = None,
    **settings: Any,
) -> Tiny:
    """The tiny center as a BPO center with the bpo pack enabled after the default pack.

    :param approved: course -> approval's valid_until (every course, no end, by default).
    :param certified: V1's certifications, competency (``None``: every one) -> valid_until.
    """
    tiny = Tiny()
    tiny.config["center"].update(model="bpo", client=CLIENT)
    tiny.config["plugins"]["enabled"] = ["default", "bpo"]
    tiny.config["plugins"]["bpo"] = settings
    tiny.trainer("V1", {"C1": 95, "C2": 90, "C3": 90}, kind="vendor", cost_per_hour=80)
    for course_id, until in (approved if approved is not None else dict.fromkeys(COURSES)).items():
        tiny.add(
            "approved_courses", course_id=course_id, approved_by="客户培训部", valid_until=until
        )
    for competency_id, until in (certified if certified is not None else {None: None}).items():
        tiny.add(
            "certified_trainers", trainer_id="V1", competency_id=competency_id, valid_until=until
        )
    return tiny


def exam(tiny: Tiny, agent_id: str, day: dt.date, score: float, competency_id: str = "C1") -> None:
    tiny.add(
        "exams",
        exam_id=f"EX-{agent_id}-{day}",
        agent_id=agent_id,
        date=day,
        competency_id=competency_id,
        score=score,
        pass_mark=80,
        max_score=100,
    )


def mandate(**entry: Any) -> dict[str, Any]:
    return {"mandated": [{"course": "K5", **entry}]}


def attendee_hours(plan: Plan, course_id: str) -> float:
    return sum(
        s.duration_minutes * len(s.attendees) / 60
        for s in plan.sessions
        if s.course_id == course_id
    )


def bpo_rules(plan: Plan) -> set[str]:
    found = {r.rule for n in plan.needs for r in n.reasons}
    found |= {r.rule for s in all_sessions(plan) for r in s.reasons}
    found |= {r.rule for u in plan.unplaced for r in u.reasons}
    return {r for r in found if r.startswith("bpo.")}


def row_of(report: Report, key: str) -> dict[str, Any]:
    (row,) = [r for r in report.rows if r[0] == key]
    return dict(zip(report.columns, row, strict=True))


# -- bpo.vendor-pool ----------------------------------------------------------------------------


def test_only_vendor_trainers_stay_in_the_pool() -> None:
    plan = vendor().plan()
    assert {s.trainer_id for s in plan.sessions} == {"V1", None}  # None: the micro-videos
    assert [t.id for t in plan.trainers] == ["V1"]
    report = plan.report("bpo.trainers")
    assert [(r[0], r[3]) for r in report.rows] == [
        ("TR1", "removed"),
        ("TR2", "removed"),
        ("V1", "kept"),
    ]
    assert row_of(report, "TR1")["why"] == (
        "full-time is not a trainer kind the vendor uses (vendor)."
    )
    assert row_of(report, "TR1")["dropped"] == "C1, C2, C3"
    assert row_of(report, "V1")["teaches"] == "C1, C2, C3"
    assert shown(report.summary, "en") == f"1 of 3 pool trainers kept for {CLIENT}; 2 removed."
    assert (
        shown(report.summary, "zh", "bpo") == f"为{CLIENT}保留培训师池 3 人中的 1 人；移除 2 人。"
    )
    assert rules(report.reasons) == ["bpo.vendor-pool"]
    assert fact(report.reasons[0], "trainer_kinds") == "vendor"


def test_a_listed_trainer_kind_stays_in_the_pool() -> None:
    tiny = vendor(trainer_kinds=["vendor", "full-time"])
    tiny.add("certified_trainers", trainer_id="TR1", competency_id=None, valid_until=None)
    plan = tiny.plan()
    report = plan.report("bpo.trainers")
    assert row_of(report, "TR1")["status"] == "kept"
    assert row_of(report, "TR2")["status"] == "removed"
    # TR1 (score 4.5) is preferred to V1 (no score) for everything it may teach
    assert {s.trainer_id for s in plan.sessions} == {"TR1", None}


def test_only_certified_competencies_stay() -> None:
    plan = vendor(certified={"C1": None}).plan()
    report = plan.report("bpo.trainers")
    assert row_of(report, "V1")["teaches"] == "C1"
    assert row_of(report, "V1")["dropped"] == "C2, C3"
    assert "C2 not certified" in row_of(report, "V1")["why"]
    # K1 (C1) is given by V1; nobody in the pool teaches K2 (C2) any more
    assert {s.course_id: s.trainer_id for s in plan.sessions}["K1"] == "V1"
    assert [u.id for u in plan.unplaced if u.stage is Stage.TRAINERS] == ["K2-01"]


@pytest.mark.parametrize(("until", "kept"), [(START - DAY, False), (START, True)])
def test_a_lapsed_certification_does_not_count(until: dt.date, kept: bool) -> None:
    plan = vendor(certified={None: until}).plan()
    row = row_of(plan.report("bpo.trainers"), "V1")
    assert row["status"] == ("kept" if kept else "removed")
    if kept:
        assert [t.id for t in plan.trainers] == ["V1"]
        assert row["why"] == f"certified by {CLIENT} for every competency until {START}."
    else:
        assert plan.trainers == ()
        assert f"lapsed on {START - DAY}" in row["why"]
        assert {u.id for u in plan.unplaced if u.stage is Stage.TRAINERS} == {"K1-01", "K2-01"}


def test_certification_not_required_needs_no_file() -> None:
    tiny = vendor(require_certification=False)
    del tiny.data["certified_trainers"]
    plan = tiny.plan()
    assert row_of(plan.report("bpo.trainers"), "V1")["status"] == "kept"
    assert row_of(plan.report("bpo.trainers"), "TR1")["status"] == "removed"
    assert [t.id for t in plan.trainers] == ["V1"]


# -- bpo.approved-courses -----------------------------------------------------------------------


def test_sessions_of_an_unapproved_course_are_removed() -> None:
    plan = vendor(approved={c: None for c in COURSES if c != "K2"}).plan()
    assert not [s for s in all_sessions(plan) if s.course_id == "K2"]
    gone = unplaced(plan, "qa:A5:C2")
    assert (gone.kind, gone.stage) == ("need", Stage.COURSES)
    assert rules(gone.reasons) == ["bpo.approved-courses"]
    assert text(gone.reasons) == (
        f"{CLIENT} has not approved course 同理心一对一 (K2): ask {CLIENT} to approve it, or "
        "add it to data/approved_courses.csv."
    )
    # the approved courses are kept, and say who approved them
    k1 = [s for s in plan.sessions if s.course_id == "K1"]
    assert k1
    assert "Course 合规晨会分享 (K1) approved by 客户培训部 with no end date." in text(
        k1[0].reasons
    )


@pytest.mark.parametrize(("until", "approved"), [(START - DAY, False), (START, True)])
def test_a_lapsed_approval_does_not_count(until: dt.date, approved: bool) -> None:
    plan = vendor(approved={**dict.fromkeys(COURSES), "K2": until}).plan()
    k2 = [s for s in plan.sessions if s.course_id == "K2"]
    if approved:
        assert [s.attendees for s in k2] == [("A5",)]
        assert f"approved by 客户培训部 until {START}." in text(k2[0].reasons)
    else:
        assert k2 == []
        assert f"lapsed on {START - DAY}, before the cycle starts on {START}" in text(
            unplaced(plan, "qa:A5:C2").reasons
        )


def test_approval_not_required_keeps_every_course() -> None:
    tiny = vendor(require_approval=False)
    del tiny.data["approved_courses"]
    plan = tiny.plan()
    assert sorted({s.course_id for s in plan.sessions}) == ["K1", "K2", "K3"]
    assert "bpo.approved-courses" not in bpo_rules(plan)


# -- bpo.mandated -------------------------------------------------------------------------------


def test_mandated_course_for_every_agent_without_a_recent_pass() -> None:
    tiny = vendor(**mandate(roles=["AG"], every_days=365))
    exam(tiny, "A2", START - 365 * DAY, 85)  # passed exactly 365 days before: still counts
    exam(tiny, "A3", START - 366 * DAY, 85)  # one day too old
    exam(tiny, "A4", START - 30 * DAY, 70)  # failed
    exam(tiny, "A5", START - 30 * DAY, 90, "C2")  # passed, on another competency
    plan = tiny.plan()
    mandated = [n for n in plan.needs if n.source == "mandate"]
    assert [n.agent_id for n in mandated] == ["A3", "A4", "A5", "B2", "B3"]
    for need in mandated:
        assert need.id == f"mandate:K5:{need.agent_id}"
        assert (need.course_id, need.competency_id, need.due) == ("K5", "C1", END)
        assert (need.mandatory, need.priority, need.owner_team) == (True, 90, "team-lead")
        assert rules(need.reasons) == ["bpo.mandated"]
        # planned, in the mandated course
        (session,) = [s for s in plan.sessions_of(need.agent_id) if need.id in s.need_ids]
        assert (session.course_id, session.due) == ("K5", END)
    a3 = plan.need("mandate:K5:A3")
    assert text(a3.reasons) == (
        f"{CLIENT} mandates 合规精讲 (K5) for AG every 365 days; Emily Chen last passed an "
        f"exam on 合规 Compliance on {START - 366 * DAY}, 366 days before the cycle starts, so "
        f"it is due by {END}."
    )
    assert fact(a3.reasons[0], "last_pass") == str(START - 366 * DAY)
    assert "张伟 has never passed an exam on 合规 Compliance" in text(
        plan.need("mandate:K5:A4").reasons
    )
    assert [n.mandatory for n in plan.needs if n.agent_id == "A2"] == [False]  # qa:A2:C1


def test_a_mandate_without_roles_covers_every_role() -> None:
    plan = vendor(**mandate(every_days=30)).plan()
    mandated = sorted(n.agent_id for n in plan.needs if n.source == "mandate")
    assert mandated == ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3"]
    assert "for every role every 30 days" in text(plan.need("mandate:K5:A1").reasons)


def test_no_mandate_no_mandated_need() -> None:
    tiny = vendor(**mandate(roles=["TL"]))
    exam(tiny, "A1", START - DAY, 85)
    exam(tiny, "B1", START - 100 * DAY, 95)
    plan = tiny.plan()
    assert [n for n in plan.needs if n.source == "mandate"] == []
    assert "bpo.mandated" not in bpo_rules(vendor().plan())


# -- bpo.hours-cap ------------------------------------------------------------------------------
# With K5 mandated for AG, the uncapped plan holds K5 sessions for the six AG agents (6 x 60
# min = 6 attendee hours; the C1 gaps of A2-A4 are served by the same sessions), then by rank
# A5's coaching K2 (45 min = 0.75 h) and two 10-minute micro-videos K3 (B2, B3): 85/12 hours.


def capped(hours: float) -> Plan:
    return vendor(**mandate(roles=["AG"]), contracted_hours=hours).plan()


def mandatory_ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.sessions if any(plan.need(n).mandatory for n in s.need_ids)]


def test_the_uncapped_plan_the_cap_tests_start_from() -> None:
    plan = capped(0)
    assert "bpo.hours-cap" not in bpo_rules(plan)
    assert {s.course_id for s in plan.sessions if s.id in mandatory_ids(plan)} == {"K5"}
    assert attendee_hours(plan, "K5") == 6
    others = sorted((s for s in plan.sessions if s.id not in mandatory_ids(plan)), key=rank)
    assert [(s.course_id, s.attendees) for s in others] == [
        ("K2", ("A5",)),
        ("K3", ("B2",)),
        ("K3", ("B3",)),
    ]


def rank(session: Session) -> tuple[int, str]:
    return (session.rank, session.id)


def test_cap_keeps_what_fits_at_the_boundary() -> None:
    plan = capped(6.75)  # the K5 sessions, then A5's coaching: exactly 6.75 h
    assert attendee_hours(plan, "K5") == 6
    assert sorted({s.course_id for s in plan.sessions}) == ["K2", "K5"]
    for need_id in ("qa:B2:C3", "kpi:fcr:B3:C3"):
        gone = unplaced(plan, need_id)
        assert gone.stage is Stage.COURSES
        assert rules(gone.reasons) == ["bpo.hours-cap"]
    reason = unplaced(plan, "qa:B2:C3").reasons[0]
    assert reason.text == (
        "Over the contracted training hours: this session takes 0.17 attendee hours (1 x 10 "
        f"min) and 6.75 of the 6.75 hours {CLIENT} contracted are already used by sessions "
        "ranked before it; raise plugins.bpo.contracted_hours or train these needs next cycle."
    )
    assert fact(reason, "contracted_hours") == 6.75
    (k2,) = [s for s in plan.sessions if s.course_id == "K2"]
    assert "Within the contracted training hours: 0.75 attendee hours, 6.75 of 6.75 used." in (
        text(k2.reasons)
    )


def test_cap_just_below_drops_the_next_session_and_fits_smaller_ones() -> None:
    plan = capped(6.74)
    assert attendee_hours(plan, "K5") == 6
    assert sorted(s.course_id for s in plan.sessions if s.course_id != "K5") == ["K3", "K3"]
    assert rules(unplaced(plan, "qa:A5:C2").reasons) == ["bpo.hours-cap"]
    assert "0.75 attendee hours (1 x 45 min) and 6 of the 6.74 hours" in text(
        unplaced(plan, "qa:A5:C2").reasons
    )


def test_cap_keeps_mandatory_sessions_over_it() -> None:
    plan = capped(4)
    assert sorted({s.course_id for s in plan.sessions}) == ["K5"]
    assert attendee_hours(plan, "K5") == 6
    assert not [u for u in plan.unplaced if u.id.startswith("mandate:")]
    last = max(plan.sessions, key=rank)
    assert f"Mandated by {CLIENT}: kept although it brings the cycle to 6 of the 4" in text(
        last.reasons
    )
    assert unplaced(plan, "qa:A5:C2").stage is Stage.COURSES


def test_a_cap_everything_fits_in_removes_nothing() -> None:
    exact = capped(85 / 12)  # everything fits exactly
    assert [s.id for s in exact.sessions] == [s.id for s in capped(0).sessions]
    assert not [u for u in exact.unplaced if u.stage is Stage.COURSES]
    assert "7.08 of 7.08 used." in text(max(exact.sessions, key=rank).reasons)


# -- bpo.cost -----------------------------------------------------------------------------------


def test_cost_report_totals() -> None:
    plan = vendor(cost_per_hour=30, contracted_hours=10).plan()
    report = plan.report("bpo.cost")
    # K1: 1 share, 3 x 15 min = 0.75 h x 30 = 22.5; V1 0.25 h x 80 = 20
    # K2: 1 coaching, 45 min = 0.75 h x 30 = 22.5; V1 0.75 h x 80 = 60
    # K3: 2 micro-videos, 2 x 10 min = 1/3 h x 30 = 10; no trainer
    assert report.rows == (
        ("K1", "合规晨会分享", 1, 3, 0.75, 22.5, 0.25, 20.0, 42.5),
        ("K2", "同理心一对一", 1, 1, 0.75, 22.5, 0.75, 60.0, 82.5),
        ("K3", "产品微课", 2, 2, 0.33, 10.0, 0.0, 0.0, 10.0),
        ("total", "", 4, 6, 1.83, 55.0, 1.0, 80.0, 135.0),
    )
    assert shown(report.summary, "en") == (
        f"Training for {CLIENT} costs 135 this cycle: 55 for agents' time and 80 for trainers; "
        "1.83 of the 10 contracted attendee hours used (18%)."
    )
    assert shown(report.summary, "zh", "bpo") == (
        f"本周期{CLIENT}的培训成本为 135：坐席时间 55，培训师 80；"
        "合同受训小时 10 中已用 1.83（18%）。"
    )
    assert rules(report.reasons) == ["bpo.cost"]
    assert fact(report.reasons[0], "cost_per_hour") == 30


def test_cost_report_leaves_out_what_is_not_trained() -> None:
    plan = vendor(approved={"K1": None, "K3": None}).plan()
    report = plan.report("bpo.cost")
    assert [r[0] for r in report.rows] == ["K1", "K3", "total"]
    assert row_of(report, "total")["agent_cost"] == 0  # no rate set
    assert "no contracted cap" in shown(report.summary, "en")
    baseline = Tiny().plan()
    assert [r.id for r in baseline.reports if r.id.startswith("bpo.")] == []


# -- checks -------------------------------------------------------------------------------------


def folder_of(tiny: Tiny, tmp_path: Path) -> Path:
    folder = tmp_path / "center"
    folder.mkdir()
    tiny.write(folder)
    return folder


def test_required_file_absent_is_an_error(tmp_path: Path, cli: Run) -> None:
    tiny = vendor()
    del tiny.data["approved_courses"]
    result = rejected(cli, folder_of(tiny, tmp_path))
    (error,) = [e for e in result.errors if e["path"] == "plugins.bpo.require_approval"]
    assert "data/approved_courses.csv is absent" in error["message"]
    assert "set require_approval = false" in error["message"]


def test_unknown_course_in_a_mandate_is_an_error(tmp_path: Path, cli: Run) -> None:
    tiny = vendor(mandated=[{"course": "K9"}])
    result = rejected(cli, folder_of(tiny, tmp_path))
    (error,) = result.errors
    assert error["path"] == "plugins.bpo.mandated[0].course"
    assert "unknown course 'K9'; it is not in data/courses.csv" in error["message"]
    assert "plugins.bpo.mandated[0].course: unknown course 'K9'" in result.stderr


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        pytest.param(mandate(roles=["AG", "XX"]), "plugins.bpo.mandated[0].roles[1]", id="role"),
        pytest.param(mandate(every_days=0), "plugins.bpo.mandated[0].every_days", id="days"),
        pytest.param({"contracted_hours": -1}, "plugins.bpo.contracted_hours", id="hours"),
        pytest.param({"cost_per_hour": -0.5}, "plugins.bpo.cost_per_hour", id="rate"),
        pytest.param({"trainer_kinds": []}, "plugins.bpo.trainer_kinds", id="no-kinds"),
        pytest.param(
            {"mandated": [{"course": "K5"}, {"course": "K5"}]},
            "plugins.bpo.mandated[1].course",
            id="twice",
        ),
    ],
)
def test_bad_settings_are_errors(settings: dict[str, Any], path: str) -> None:
    with pytest.raises(InputError) as caught:
        vendor(**settings).engine()
    assert [p.path for p in caught.value.problems] == [path]


def test_certification_file_absent_is_an_error() -> None:
    tiny = vendor()
    del tiny.data["certified_trainers"]
    with pytest.raises(InputError) as caught:
        tiny.engine()
    (problem,) = caught.value.problems
    assert problem.path == "plugins.bpo.require_certification"


def test_model_not_bpo_is_a_warning() -> None:
    tiny = vendor()
    tiny.config["center"]["model"] = "inhouse"
    with tiny.engine() as engine:
        assert [(w.path, w.severity) for w in engine.warnings] == [("center.model", "warning")]
    with vendor().engine() as engine:
        assert [w for w in engine.warnings if w.path and w.path.startswith("center.")] == []


def test_unapproved_mandated_course_is_a_warning() -> None:
    tiny = vendor(approved={"K1": None}, **mandate())
    with tiny.engine() as engine:
        (warning,) = [w for w in engine.warnings if w.code == "unapproved-mandate"]
        assert warning.path == "plugins.bpo.mandated[0].course"


def test_plans_are_identical_run_to_run() -> None:
    tiny = vendor(**mandate(roles=["AG"]), contracted_hours=6.75, cost_per_hour=30)
    assert plan_to_json(tiny.plan()) == plan_to_json(tiny.plan())


# -- sessions that come after others (a cascade: leads first, then their teams) -----------------


def session(session_id: str, attendees: int, *after: str, rank: int = 1) -> Session:
    return Session(
        id=session_id,
        course_id="K5",
        competency_id="C1",
        format=Format.CLASSROOM,
        duration_minutes=60,
        attendees=tuple(f"A{i}" for i in range(attendees)),
        need_ids=(f"n-{session_id}",),
        rank=rank,
        after=after,
    )


def test_a_session_after_a_removed_one_is_removed_with_it() -> None:
    sessions = [session("lead", 2), session("team", 4, "lead"), session("other", 1)]
    cause = PLUGIN.reason("bpo.approved-courses", "Not approved.")
    removed = {"lead": cause}
    _cascade(sessions, removed)
    assert sorted(removed) == ["lead", "team"]
    assert removed["team"].rule == "bpo.approved-courses"
    assert removed["team"].text == "Comes after session lead, which was removed: Not approved."


@pytest.mark.parametrize(("cap", "kept"), [(6, ["lead", "team"]), (5.9, ["lead", "other"])])
def test_the_cap_keeps_a_session_with_the_ones_it_comes_after(cap: float, kept: list[str]) -> None:
    # the team session ranks first and needs the leads' session (2 h) too: 6 h together; when
    # that does not fit, the leads' session may still be kept on its own rank
    sessions = [session("lead", 2, rank=3), session("team", 4, "lead", rank=1)]
    sessions.append(session("other", 1, rank=2))
    removed: dict[str, Reason] = {}
    notes: dict[str, list[Reason]] = {}
    with vendor(contracted_hours=cap).engine() as engine:
        center = engine.center
        _cap(center, center.settings(Settings), sessions, {}, removed, notes)
    _cascade(sessions, removed)
    assert sorted(s.id for s in sessions if s.id not in removed) == kept
    if "team" in removed:
        assert "(4 x 60 min, with the sessions it comes after)" in removed["team"].text


# -- bpo.trainer-results ------------------------------------------------------------------------


def test_trainer_results_name_the_trainers_not_in_good_standing() -> None:
    """Messages name trainers by name, the id in brackets; the client's name stays as written
    in every language."""
    import attrs
    from tests.conftest import EXAMPLES

    from ccrules import Engine
    from ccrules.model import TrainerStatus
    from ccrules_packs.bpo.reports import ccrules_review_reports

    with Engine.from_folder(EXAMPLES / "bpo-inbound") as engine:
        review = engine.review(engine.plan())
        center = engine.center
    assert [t.trainer_id for t in review.trainers] == ["VT-01", "VT-03"]
    (good,) = ccrules_review_reports(center, review)
    assert shown(good.summary, "en").endswith("; 2 scored; all in good standing.")
    flagged = attrs.evolve(
        review,
        trainers=(
            attrs.evolve(review.trainers[0], status=TrainerStatus.PROBATION),
            review.trainers[1],
        ),
    )
    (report,) = ccrules_review_reports(center, flagged)
    client = center.info.client
    assert shown(report.summary, "en") == (
        f"2 vendor trainers delivered cycle {review.cycle.id} for {client}; 2 scored; "
        "not in good standing: Rachel Tan (VT-01)."
    )
    assert shown(report.summary, "zh", "bpo") == (
        f"2 名外包服务商培训师为{client}完成了周期 {review.cycle.id} 的培训；2 名已评分；"
        "评级不佳：Rachel Tan (VT-01)。"
    )
    assert shown(report.title, "zh", "bpo") == f"{client}的外包服务商培训师结果"


def test_a_trainer_is_named_with_the_id_in_brackets() -> None:
    from ccrules_packs.bpo.reports import trainer_label

    tiny = vendor()
    tiny.trainer("V2", {"C1": 90}, name="王芳", kind="vendor")
    center = tiny.engine().center
    assert trainer_label(center, "V2") == "王芳 (V2)"
    assert trainer_label(center, "V1") == "V1"  # its name is its id
    assert trainer_label(center, "NOBODY") == "NOBODY"  # not in trainers.csv


def test_a_center_without_a_client_name_says_the_client_in_each_language() -> None:
    tiny = vendor(contracted_hours=10)
    del tiny.config["center"]["client"]
    plan = tiny.plan()
    report = plan.report("bpo.trainers")
    assert shown(report.title, "en", "bpo") == "Trainer pool for the client"
    assert shown(report.title, "zh", "bpo") == "客户方的培训师池"
