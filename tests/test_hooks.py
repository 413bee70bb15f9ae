"""One test per hook (``test_hook_<name>``): what the engine does with each hook's answer.

tests/test_docs.py fails when a hook has no test here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.conftest import line_of, replace_in

import ccrules
from ccrules import (
    Center,
    Column,
    ColumnType,
    DataSource,
    Engine,
    Evidence,
    EvidenceTable,
    plan_from_json,
    plan_to_json,
)
from ccrules._planjson import review_from_json, review_to_json
from ccrules.errors import InputError, PluginError, PluginInterrupted
from ccrules.model import (
    Assembly,
    AttritionRisk,
    CarryOver,
    Escalation,
    Evaluation,
    FollowUp,
    FollowUpKind,
    Format,
    Need,
    Outcome,
    Plan,
    Priority,
    PriorityStatus,
    Reason,
    Report,
    Review,
    RuleInfo,
    Session,
    Slot,
    Stage,
    Trainer,
    TrainerAssignment,
    TrainerKind,
    TrainerReview,
    TrainerStatus,
    Unplaced,
)
from ccrules.workforce import Workforce

MINE = ccrules.PluginRef("mine", "9.9")


def enable(folder: Path, *names: str, settings: str = "") -> None:
    """Enable plugins after the default pack in the center's center.toml."""
    listed = ", ".join(f'"{n}"' for n in ("default", *names))
    replace_in(folder / "center.toml", 'enabled = ["default"]', f"enabled = [{listed}]")
    if settings:
        with (folder / "center.toml").open("a", encoding="utf-8") as handle:
            handle.write("\n" + settings + "\n")


def plan_with(folder: Path, **plugins: object) -> Plan:
    with Engine.from_folder(folder, plugins=plugins) as engine:
        return engine.plan()


# --------------------------------------------------------------------------------------------
# setup


@attrs.frozen
class MineSettings:
    limit: int = 3
    label: str = "x"


class WithSettings:
    def __init__(self) -> None:
        self.seen: list[MineSettings] = []

    @ccrules.hookimpl
    def ccrules_plugin_settings(self) -> type:
        return MineSettings

    @ccrules.hookimpl
    def ccrules_needs(self, center: Center) -> list[Need]:
        self.seen.append(center.settings(MineSettings))
        return []


def test_hook_ccrules_plugin_settings(tiny: Path) -> None:
    enable(tiny, "mine", settings="[plugins.mine]\nlimit = 7")
    plugin = WithSettings()
    plan_with(tiny, mine=plugin)
    assert plugin.seen == [MineSettings(limit=7, label="x")]

    replace_in(tiny / "center.toml", "limit = 7", 'limit = "seven"')
    with pytest.raises(InputError) as info:
        plan_with(tiny, mine=WithSettings())
    (problem,) = info.value.problems
    assert problem.path == "plugins.mine.limit"
    assert problem.line == line_of(tiny / "center.toml", 'limit = "seven"')
    assert "expected a whole number" in problem.message


@pytest.mark.parametrize("escape", [SystemExit(0), GeneratorExit(), KeyboardInterrupt()])
def test_a_setup_hook_that_escapes_is_named(tiny: Path, escape: BaseException) -> None:
    class Exits:
        @ccrules.hookimpl
        def ccrules_plugin_settings(self) -> type:
            raise escape

    enable(tiny, "exits")
    expected = PluginInterrupted if isinstance(escape, KeyboardInterrupt) else PluginError
    with pytest.raises(expected) as info:
        plan_with(tiny, exits=Exits())
    assert (info.value.plugin, info.value.hook) == ("exits", "ccrules_plugin_settings")
    assert info.value.__cause__ is escape
    assert not (tiny / ".ccrules").exists()


def test_plugin_without_settings_refuses_a_table(tiny: Path) -> None:
    class NoSettings:
        @ccrules.hookimpl
        def ccrules_needs(self) -> list[Need]:
            return []

    enable(tiny, "mine", settings="[plugins.mine]\nlimit = 7")
    with pytest.raises(InputError, match="takes no settings"):
        plan_with(tiny, mine=NoSettings())


def test_hook_ccrules_rules(tiny: Path) -> None:
    rules = [RuleInfo("needs.mine", Stage.NEEDS, "Mine.", priority=70, source="001")]

    class Declares:
        @ccrules.hookimpl
        def ccrules_rules(self) -> list[RuleInfo]:
            return rules

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Declares()}) as engine:
        declared = engine.rules()
    assert declared["mine"] == tuple(rules)
    assert "needs.competency-gap" in {r.id for r in declared["default"]}


class Walkarounds:
    """Declares a data file of floor-help requests and turns them into needs."""

    @ccrules.hookimpl
    def ccrules_data_sources(self) -> list[DataSource]:
        return [
            DataSource(
                name="walkarounds",
                doc="Walk-around observations.",
                required=False,
                columns=(
                    Column(
                        "agent_id",
                        references=ccrules.Reference("agents", "agent_id"),
                        doc="Who asked.",
                    ),
                    Column("date", ColumnType.DATE, doc="When."),
                    Column("competency_id", doc="What about."),
                ),
            )
        ]

    @ccrules.hookimpl
    def ccrules_needs(self, center: Center, evidence: Evidence) -> list[Need]:
        rows = evidence.sql(
            "SELECT agent_id, competency_id, count(*) FROM walkarounds "
            "WHERE date BETWEEN $from AND $to GROUP BY ALL HAVING count(*) >= 2 ORDER BY ALL"
        )
        return [
            Need(
                id=f"help:{agent}:{competency}",
                agent_id=agent,
                competency_id=competency,
                source="floor-help",
                severity=0.5,
                priority=55,
                owner_team="team-lead",
                reasons=(MINE.reason("needs.help", f"{n} requests", requests=n),),
            )
            for agent, competency, n in rows
        ]


def test_hook_ccrules_data_sources(tiny: Path) -> None:
    enable(tiny, "mine")
    (tiny / "data" / "walkarounds.csv").write_text(
        "agent_id,date,competency_id\nB3,2026-11-02,C2\nB3,2026-11-03,C2\nA2,2026-11-03,C2\n",
        encoding="utf-8",
    )
    plan = plan_with(tiny, mine=Walkarounds())
    assert [n.id for n in plan.needs if n.source == "floor-help"] == ["help:B3:C2"]

    # the plugin's file goes through the same input gate as the core's
    line = 2
    replace_in(tiny / "data" / "walkarounds.csv", "B3,2026-11-02", "ZZ9,2026-11-02")
    with pytest.raises(InputError) as info:
        plan_with(tiny, mine=Walkarounds())
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == ("data/walkarounds.csv", line, 1)
    assert "'ZZ9'" in problem.message


def test_plugin_data_source_is_optional_when_declared_so(tiny: Path) -> None:
    enable(tiny, "mine")
    plan = plan_with(tiny, mine=Walkarounds())
    assert not [n for n in plan.needs if n.source == "floor-help"]


def test_hook_ccrules_check_inputs(tiny: Path) -> None:
    class Checks:
        @ccrules.hookimpl
        def ccrules_plugin_settings(self) -> type:
            return MineSettings

        @ccrules.hookimpl
        def ccrules_check_inputs(self, center: Center) -> list[ccrules.Problem]:
            limit = center.settings(MineSettings).limit
            if limit > len(center.agents):
                return [
                    center.config_problem(
                        ("plugins", "mine", "limit"), f"{limit} is more than the agents"
                    )
                ]
            return []

    enable(tiny, "mine", settings="[plugins.mine]\nlimit = 99")
    with pytest.raises(InputError) as info:
        plan_with(tiny, mine=Checks())
    (problem,) = info.value.problems
    assert problem.file == "center.toml"
    assert problem.line == line_of(tiny / "center.toml", "limit = 99")
    assert problem.message == "plugins.mine.limit: 99 is more than the agents"
    assert not (tiny / ".ccrules").exists()


# --------------------------------------------------------------------------------------------
# stage observers


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Stage, object]] = []

    @ccrules.hookimpl
    def ccrules_before_stage(self, stage: Stage) -> None:
        self.events.append(("before", stage, None))

    @ccrules.hookimpl
    def ccrules_after_stage(self, stage: Stage, result: object) -> None:
        self.events.append(("after", stage, result))

    @ccrules.hookimpl
    def ccrules_on_stage_error(self, stage: Stage, error: BaseException) -> None:
        self.events.append(("error", stage, error))


PLAN_STAGES = [
    Stage.EVIDENCE,
    Stage.NEEDS,
    Stage.PRIORITIES,
    Stage.COURSES,
    Stage.TRAINERS,
    Stage.SCHEDULE,
]


def test_hook_ccrules_before_stage(tiny: Path) -> None:
    enable(tiny, "rec")
    recorder = Recorder()
    plan_with(tiny, rec=recorder)
    assert [(e[0], e[1]) for e in recorder.events] == [
        (moment, stage) for stage in PLAN_STAGES for moment in ("before", "after")
    ]


def test_hook_ccrules_after_stage(tiny: Path) -> None:
    enable(tiny, "rec")
    recorder = Recorder()
    plan = plan_with(tiny, rec=recorder)
    results = {stage: result for moment, stage, result in recorder.events if moment == "after"}
    assert isinstance(results[Stage.EVIDENCE], Evidence)
    assert results[Stage.NEEDS] == plan.needs
    assert {p.need_id for p in results[Stage.PRIORITIES]} == {n.id for n in plan.needs}
    assert isinstance(results[Stage.COURSES], Assembly)
    assert all(isinstance(a, TrainerAssignment) for a in results[Stage.TRAINERS])
    slots = results[Stage.SCHEDULE]
    assert {s.session_id: s.start for s in slots} == {s.id: s.start for s in plan.sessions}


def test_hook_ccrules_on_stage_error(tiny: Path) -> None:
    class Boom:
        @ccrules.hookimpl
        def ccrules_needs(self) -> list[Need]:
            raise ZeroDivisionError("bad rule")

    enable(tiny, "rec", "boom")
    recorder = Recorder()
    with pytest.raises(PluginError) as info:
        plan_with(tiny, rec=recorder, boom=Boom())
    assert info.value.plugin == "boom"
    assert info.value.hook == "ccrules_needs"
    assert "ZeroDivisionError: bad rule" in str(info.value)
    kind, stage, error = recorder.events[-1]
    assert (kind, stage) == ("error", Stage.NEEDS)
    assert isinstance(error, PluginError)
    assert not (tiny / ".ccrules").exists()


# --------------------------------------------------------------------------------------------
# stages 1-6


def test_hook_ccrules_aggregate_evidence(tiny: Path) -> None:
    seen: list[list[tuple[Any, ...]]] = []

    class Aggregates:
        @ccrules.hookimpl
        def ccrules_aggregate_evidence(self) -> list[EvidenceTable]:
            return [
                EvidenceTable(
                    "evaluator_counts",
                    "SELECT evaluator, count(DISTINCT evaluation_id) AS n FROM qa "
                    "WHERE date BETWEEN $from AND $to GROUP BY evaluator",
                )
            ]

        @ccrules.hookimpl
        def ccrules_needs(self, evidence: Evidence) -> list[Need]:
            seen.append(evidence.sql("SELECT * FROM evaluator_counts ORDER BY ALL"))
            return []

    enable(tiny, "mine")
    plan_with(tiny, mine=Aggregates())
    assert seen == [[("QA-孙琪", 27)]]


def test_aggregate_evidence_refuses_a_clash(tiny: Path) -> None:
    class Clash:
        @ccrules.hookimpl
        def ccrules_aggregate_evidence(self) -> list[EvidenceTable]:
            return [EvidenceTable("competency_scores", "SELECT 1")]

    enable(tiny, "mine")
    with pytest.raises(PluginError, match="already exists"):
        plan_with(tiny, mine=Clash())


def test_hook_ccrules_needs(tiny: Path) -> None:
    class Extra:
        @ccrules.hookimpl
        def ccrules_needs(self, center: Center) -> list[Need]:
            return [
                Need(
                    id="aaa:B2:C2",
                    agent_id="B2",
                    competency_id="C2",
                    source="mine",
                    severity=0.9,
                    priority=99,
                    owner_team="team-lead",
                    reasons=(MINE.reason("needs.mine", "Because."),),
                )
            ]

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=Extra())
    ids = [n.id for n in plan.needs]
    assert ids == sorted(ids)
    assert "aaa:B2:C2" in ids
    assert plan.priorities[0].need_id == "aaa:B2:C2"  # priority 99 ranks first
    assert any("B2" in s.attendees and s.competency_id == "C2" for s in plan.sessions)


def test_needs_naming_an_unknown_agent_are_a_plugin_error(tiny: Path) -> None:
    class Wrong:
        @ccrules.hookimpl
        def ccrules_needs(self) -> list[Need]:
            return [Need("x", "NOBODY", "C1", "mine", 0.5, 1, "team-lead")]

    enable(tiny, "mine")
    with pytest.raises(PluginError, match="unknown agent 'NOBODY'"):
        plan_with(tiny, mine=Wrong())


def test_hook_ccrules_prioritize(tiny: Path) -> None:
    class DeferAll:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_prioritize(self, needs: Sequence[Need]) -> list[Priority]:
            return [
                Priority(n.id, i, PriorityStatus.DEFERRED, (MINE.reason("p", "later"),))
                for i, n in enumerate(needs, start=1)
            ]

    class Abstains:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_prioritize(self) -> None:
            return None

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=DeferAll())
    assert plan.needs and not plan.sessions
    assert {p.status for p in plan.priorities} == {PriorityStatus.DEFERRED}

    abstaining = plan_with(tiny, mine=Abstains())
    assert abstaining.sessions  # None left the decision to the default pack


def test_hook_ccrules_assemble_sessions(tiny: Path) -> None:
    class NoCoaching:
        """A wrapper adjusting the default pack's answer: coaching becomes unplaced."""

        @ccrules.hookimpl(wrapper=True)
        def ccrules_assemble_sessions(self) -> Generator[None, Assembly, Assembly]:
            assembly = yield
            kept = tuple(s for s in assembly.sessions if s.format is not Format.COACHING)
            dropped = tuple(
                Unplaced("need", need_id, Stage.COURSES, (MINE.reason("no-1v1", "No 1:1."),))
                for s in assembly.sessions
                if s.format is Format.COACHING
                for need_id in s.need_ids
            )
            return Assembly(kept, (*assembly.unplaced, *dropped))

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=NoCoaching())
    assert plan.sessions and all(s.format is not Format.COACHING for s in plan.sessions)
    (item,) = [u for u in plan.unplaced if u.stage is Stage.COURSES]
    assert item.id == "qa:A5:C2"
    assert item.reasons[0].plugin == "mine"


def test_hook_ccrules_trainer_pool(tiny: Path) -> None:
    class NoTeamLeads:
        """A BPO-style wrapper: keep only trainers who are not team leads."""

        @ccrules.hookimpl(wrapper=True)
        def ccrules_trainer_pool(self) -> Generator[None, list[list[Trainer]], list[list[Trainer]]]:
            parts = yield
            return [[t for t in part if t.kind is not TrainerKind.TEAM_LEAD] for part in parts]

    baseline = plan_with(tiny)
    share = next(s for s in baseline.sessions if s.format is Format.PRE_SHIFT)
    assert share.trainer_id == "TR2"

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=NoTeamLeads())
    share = next(s for s in plan.sessions if s.format is Format.PRE_SHIFT)
    assert share.trainer_id == "TR1"
    assert "TR2" not in {s.trainer_id for s in plan.sessions}


def test_hook_ccrules_assign_trainers(tiny: Path) -> None:
    class Everyone:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_assign_trainers(self, sessions: Sequence[Session]) -> list[TrainerAssignment]:
            return [
                TrainerAssignment(s.id, "TR1", (MINE.reason("t", "always TR1"),)) for s in sessions
            ]

    class Forgets:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_assign_trainers(self, sessions: Sequence[Session]) -> list[TrainerAssignment]:
            return []

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=Everyone())
    assert {s.trainer_id for s in plan.sessions} == {"TR1"}
    with pytest.raises(PluginError, match="no decision for session"):
        plan_with(tiny, mine=Forgets())


def test_hook_ccrules_plan_reports(tiny: Path) -> None:
    class Hours:
        @ccrules.hookimpl
        def ccrules_plan_reports(self, evidence: Evidence, plan: Plan) -> list[Report]:
            assert plan.sessions and not plan.reports  # the finished plan, reports not yet in
            agents = evidence.sql("SELECT count(*) FROM agents")[0][0]
            return [
                Report(
                    "mine.minutes",
                    "Minutes per session",
                    f"{len(plan.sessions)} sessions for {agents} agents.",
                    ("session", "minutes"),
                    tuple((s.id, s.duration_minutes) for s in plan.sessions),
                    (MINE.reason("r", "counted"),),
                ),
                Report("mine.a-first", "Sorted first", "by id", (), (), (MINE.reason("r", "x"),)),
            ]

    class Twice:
        @ccrules.hookimpl
        def ccrules_plan_reports(self) -> list[Report]:
            report = Report("same", "t", "s", (), (), (MINE.reason("r", "x"),))
            return [report, report]

    class Ragged:
        @ccrules.hookimpl
        def ccrules_plan_reports(self) -> list[Report]:
            return [Report("r", "t", "s", ("a", "b"), (("x",),), (MINE.reason("r", "x"),))]

    class Silent:
        @ccrules.hookimpl
        def ccrules_plan_reports(self) -> list[Report]:
            return [Report("r", "t", "s")]

    assert [r.id for r in plan_with(tiny).reports] == ["default.weeks"]
    enable(tiny, "mine")
    plan = plan_with(tiny, mine=Hours())
    assert [r.id for r in plan.reports] == ["default.weeks", "mine.a-first", "mine.minutes"]
    minutes = plan.report("mine.minutes")
    assert minutes.rows == tuple((s.id, s.duration_minutes) for s in plan.sessions)
    assert plan_from_json(plan_to_json(plan)) == plan
    with pytest.raises(PluginError, match="report ids given twice: same"):
        plan_with(tiny, mine=Twice())
    with pytest.raises(PluginError, match="1 values for 2 columns"):
        plan_with(tiny, mine=Ragged())
    with pytest.raises(PluginError, match="has no reason"):
        plan_with(tiny, mine=Silent())


def test_hook_ccrules_schedule(tiny: Path) -> None:
    class AllAtSeven:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_schedule(self, center: Center, sessions: Sequence[Session]) -> list[Slot]:
            start = dt.datetime.combine(center.cycle.start, dt.time(7, 0))
            return [
                Slot(
                    s.id,
                    start,
                    start + dt.timedelta(minutes=s.duration_minutes),
                    (MINE.reason("s", "seven"),),
                )
                for s in sessions
            ]

    class Refuses:
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_schedule(self, sessions: Sequence[Session]) -> list[Slot]:
            return [Slot(s.id, None, None, (MINE.reason("s", "full"),)) for s in sessions]

    enable(tiny, "mine")
    plan = plan_with(tiny, mine=AllAtSeven())
    assert {s.start for s in plan.sessions} == {dt.datetime(2026, 11, 30, 7, 0)}
    refused = plan_with(tiny, mine=Refuses())
    assert not refused.sessions
    stuck = [u for u in refused.unplaced if u.stage is Stage.SCHEDULE]
    assert len(stuck) == len(plan.sessions)
    assert all(u.session is not None and u.reasons[0].text == "full" for u in stuck)

    class OneByOne:
        """Splits every session into one group per attendee, an hour apart."""

        @ccrules.hookimpl(tryfirst=True)
        def ccrules_schedule(self, sessions: Sequence[Session], workforce: Workforce) -> list[Slot]:
            assert not workforce.has_forecast and not workforce.has_roster
            origin = workforce.start_of(9 * 60 // workforce.minutes)  # day one, 09:00
            slots = []
            for s in sessions:
                for i, agent in enumerate(s.attendees):
                    start = origin + dt.timedelta(hours=i)
                    length = dt.timedelta(minutes=s.duration_minutes)
                    slots.append(
                        Slot(s.id, start, start + length, (MINE.reason("s", "one"),), (agent,))
                    )
            return slots

    class LosesOne(OneByOne):
        @ccrules.hookimpl(tryfirst=True)
        def ccrules_schedule(self, sessions: Sequence[Session], workforce: Workforce) -> list[Slot]:
            slots = super().ccrules_schedule(sessions, workforce)
            shared = next(s.id for s in sessions if len(s.attendees) > 1)
            dropped = next(i for i, slot in enumerate(slots) if slot.session_id == shared)
            return slots[:dropped] + slots[dropped + 1 :]

    split = plan_with(tiny, mine=OneByOne())
    share = next(s for s in plan.sessions if len(s.attendees) > 1)
    groups = [s for s in split.sessions if s.id.startswith(f"{share.id}-")]
    assert [g.attendees for g in groups] == [(a,) for a in share.attendees]
    assert split.service == ()
    with pytest.raises(PluginError, match="must name each attendee once"):
        plan_with(tiny, mine=LosesOne())

    class Watches(OneByOne):
        """Every group of a C3 session watches the video K3 instead; ``course`` otherwise."""

        course = "K3"

        @ccrules.hookimpl(tryfirst=True)
        def ccrules_schedule(self, sessions: Sequence[Session], workforce: Workforce) -> list[Slot]:
            slots = super().ccrules_schedule(sessions, workforce)
            c3 = {s.id for s in sessions if s.competency_id == "C3"}
            return [
                attrs.evolve(slot, course_id=self.course) if slot.session_id in c3 else slot
                for slot in slots
            ]

    class WatchesAClassroom(Watches):
        course = "K4"  # a classroom needs a trainer the trainers stage did not choose

    watched = plan_with(tiny, mine=Watches())
    videos = [s for s in watched.sessions if s.competency_id == "C3"]
    assert videos
    assert {(s.course_id, s.format, s.trainer_id, s.team_id) for s in videos} == {
        ("K3", Format.MICRO_VIDEO, None, None)
    }
    with pytest.raises(PluginError, match="only a micro-video course of C3, not 'K4'"):
        plan_with(tiny, mine=WatchesAClassroom())


# --------------------------------------------------------------------------------------------
# stages 7-8


def _outcomes(plan: Plan, *, missed: str, failed: str) -> list[Outcome]:
    outcomes = []
    for session in plan.sessions:
        for agent in session.attendees:
            outcomes.append(
                Outcome(
                    session.id,
                    agent,
                    attended=agent != missed,
                    post_score=60.0 if agent == failed else 90.0,
                    satisfaction=4.0,
                )
            )
    return outcomes


def test_hook_ccrules_evaluate(tiny: Path) -> None:
    class Behaviour:
        @ccrules.hookimpl
        def ccrules_evaluate(self, plan: Plan) -> list[Evaluation]:
            return [
                Evaluation("need", n.id, 3, "qa_change", None, 0, (MINE.reason("e", "later"),))
                for n in plan.needs
            ]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Behaviour()}) as engine:
        plan = engine.plan()
        evaluations = engine.evaluate(plan, _outcomes(plan, missed="A2", failed="A3"))
    share = next(s for s in plan.sessions if s.format is Format.PRE_SHIFT)
    by_key = {(e.subject, e.subject_id, e.metric): e for e in evaluations}
    assert by_key[("session", share.id, "attendance")].value == pytest.approx(2 / 3, abs=1e-4)
    assert by_key[("session", share.id, "pass_rate")].value is None  # 2 post-tests < 3
    assert by_key[("need", "qa:A5:C2", "qa_change")].level == 3
    keys = [(e.subject, e.subject_id, e.level, e.metric) for e in evaluations]
    assert keys == sorted(keys)


def test_hook_ccrules_close_cycle(tiny: Path) -> None:
    class KeepsA4Open:
        @ccrules.hookimpl
        def ccrules_close_cycle(self, plan: Plan) -> list[CarryOver]:
            need = plan.need("qa:A4:C1")
            return [CarryOver(need, "open", 1, (MINE.reason("c", "recheck"),))]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": KeepsA4Open()}) as engine:
        plan = engine.plan()
        outcomes = _outcomes(plan, missed="A2", failed="A3")
        closed = engine.close_cycle(plan, outcomes, engine.evaluate(plan, outcomes))
        status = {c.need.id: c.status for c in closed}
        assert status["qa:A2:C1"] == "open"  # missed
        assert status["qa:A3:C1"] == "open"  # failed
        assert status["qa:A4:C1"] == "open"  # the plugin's open beats the default's closed
        assert status["qa:A5:C2"] == "closed"
        again = engine.plan(carried=closed)
    carried = {n.id: n for n in again.needs if n.source == "carried"}
    assert set(carried) == {"carried:qa:A2:C1", "carried:qa:A3:C1", "carried:qa:A4:C1"}
    assert carried["carried:qa:A2:C1"].attempts == 1
    assert carried["carried:qa:A2:C1"].priority == 60 + 10


def _earlier(review: Review) -> Review:
    """The same review, as if it were of the week before (to plan the tiny center after
    it)."""
    cycle = attrs.evolve(
        review.cycle,
        id="2026-W48",
        start=review.cycle.start - dt.timedelta(days=7),
        end=review.cycle.end - dt.timedelta(days=7),
    )
    return attrs.evolve(review, cycle=cycle)


def test_hook_ccrules_escalate(tiny: Path) -> None:
    class Escalates:
        @ccrules.hookimpl
        def ccrules_escalate(self, plan: Plan, previous: Review | None) -> list[Escalation]:
            assert previous is None
            reason = (MINE.reason("x", "failed again"),)
            return [
                Escalation("A2", "C1", "T1", 1, 1, "2026-W49", reason),
                Escalation("A2", "C1", "T1", 3, 3, "2026-W47", reason),
            ]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Escalates()}) as engine:
        plan = engine.plan()
        review = engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))
    mine = [e for e in review.escalations if e.reasons[0].plugin == "mine"]
    assert [(e.agent_id, e.level) for e in mine] == [("A2", 3)]  # the higher level wins
    keys = [(e.agent_id, e.competency_id) for e in review.escalations]
    assert keys == sorted(set(keys))
    # the close stage sees the merged level
    carried = {c.need.id: c for c in review.carried}
    assert carried["qa:A2:C1"].escalation == 3


def test_hook_ccrules_follow_ups(tiny: Path) -> None:
    seen: list[Sequence[Escalation]] = []

    class Checks:
        @ccrules.hookimpl
        def ccrules_follow_ups(self, escalations: Sequence[Escalation]) -> list[FollowUp]:
            seen.append(escalations)
            reason = (MINE.reason("f", "listen"),)
            item = FollowUp(
                FollowUpKind.RECORDING, "A5", "C2", "sample", contact_id="K9", reasons=reason
            )
            return [item, item, FollowUp(FollowUpKind.ON_SITE, "A1", "C1", "weak", reasons=reason)]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Checks()}) as engine:
        plan = engine.plan()
        review = engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))
    mine = [f for f in review.follow_ups if f.reasons[0].plugin == "mine"]
    assert [(f.kind, f.agent_id) for f in mine] == [
        (FollowUpKind.ON_SITE, "A1"),
        (FollowUpKind.RECORDING, "A5"),
    ]  # the duplicate is dropped, and items sort by kind
    assert seen and seen[0] == review.escalations


def test_hook_ccrules_review_trainers(tiny: Path) -> None:
    class Strict:
        @ccrules.hookimpl
        def ccrules_review_trainers(self, plan: Plan) -> list[TrainerReview]:
            reason = (MINE.reason("t", "bottom of the pool"),)
            return [
                TrainerReview("TR2", TrainerStatus.PROBATION, 1.5, 1, 3, reasons=reason),
                TrainerReview("TR1", TrainerStatus.REMOVED, 0.5, 1, 3, reasons=reason),
            ]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Strict()}) as engine:
        plan = engine.plan()
        review = engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))
        standing = {t.trainer_id: t.status for t in review.trainers}
        assert standing["TR2"] is TrainerStatus.PROBATION  # stricter than the default's
        assert standing["TR1"] is TrainerStatus.REMOVED
        following = engine.plan(previous=_earlier(review))
    assert following.previous == "2026-W48"
    assert following.digest != plan.digest  # the inherited review is part of the digest
    by_id = {t.id: t for t in following.trainers}
    assert "TR1" not in by_id  # removed: out of the pool
    assert all(s.trainer_id != "TR1" for s in following.sessions)
    assert by_id["TR2"].status is TrainerStatus.PROBATION
    assert by_id["TR2"].score == 1.5


def test_hook_ccrules_attrition_risk(tiny: Path) -> None:
    days: list[dt.date] = []

    class Risky:
        def __init__(self, agent: str) -> None:
            self.agent = agent

        @ccrules.hookimpl
        def ccrules_attrition_risk(self, as_of: dt.date) -> list[AttritionRisk]:
            days.append(as_of)
            reason = (MINE.reason("a", "moved team"),)
            horizon = as_of + dt.timedelta(days=90)
            return [
                AttritionRisk(self.agent, 0.4, False, horizon, reason),
                AttritionRisk(self.agent, 0.7, True, horizon, reason),
            ]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Risky("A4")}) as engine:
        plan = engine.plan()
        review = engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))
    (a4,) = [a for a in review.attrition if a.agent_id == "A4"]
    assert (a4.risk, a4.warned) == (0.7, True)  # the highest risk is kept
    assert days == [plan.cycle.outcomes_to] == [review.as_of]
    with Engine.from_folder(tiny, plugins={"mine": Risky("NOBODY")}) as engine:
        plan = engine.plan()
        with pytest.raises(PluginError, match="unknown agent 'NOBODY'"):
            engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))


def test_hook_ccrules_review_reports(tiny: Path) -> None:
    class Reports:
        def __init__(self, ids: tuple[str, ...]) -> None:
            self.ids = ids

        @ccrules.hookimpl
        def ccrules_review_reports(self, review: Review) -> list[Report]:
            reason = (MINE.reason("r", "for the client"),)
            return [
                Report(i, "Checks", f"{len(review.follow_ups)} items", reasons=reason)
                for i in self.ids
            ]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": Reports(("mine.b", "mine.a"))}) as engine:
        plan = engine.plan()
        review = engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))
    assert [r.id for r in review.reports] == ["mine.a", "mine.b"]
    with Engine.from_folder(tiny, plugins={"mine": Reports(("mine.a", "mine.a"))}) as engine:
        plan = engine.plan()
        with pytest.raises(PluginError, match=r"report ids given twice: mine\.a"):
            engine.review(plan, _outcomes(plan, missed="A2", failed="A3"))


def test_review_is_deterministic_and_round_trips(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
        outcomes = _outcomes(plan, missed="A2", failed="A3")
        first = engine.review(plan, outcomes)
        second = engine.review(plan, list(reversed(outcomes)))
    assert review_to_json(first) == review_to_json(second)
    assert review_from_json(review_to_json(first)) == first
    assert first.digest == second.digest


def test_review_refuses_a_plan_of_another_cycle(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
        other = attrs.evolve(plan, cycle=attrs.evolve(plan.cycle, id="2026-W50"))
        with pytest.raises(ValueError, match="load it with cycle='2026-W50'"):
            engine.review(other, [])


def test_evidence_sql_is_read_only(tiny: Path) -> None:
    with Engine.from_folder(tiny) as engine:
        evidence = engine.build_evidence()
        assert evidence.sql("SELECT count(*) FROM agents") == [(9,)]
        for statement in (
            "CREATE TABLE x AS SELECT 1",
            "DELETE FROM agents",
            "SELECT 1; DROP TABLE agents",
        ):
            with pytest.raises(ValueError, match="must be one SELECT"):
                evidence.sql(statement)
        assert evidence.sql("SELECT count(*) FROM agents") == [(9,)]


def test_a_failed_evidence_stage_can_be_run_again(tiny: Path) -> None:
    class FailsOnce:
        def __init__(self) -> None:
            self.calls = 0

        @ccrules.hookimpl
        def ccrules_aggregate_evidence(self) -> list[EvidenceTable]:
            self.calls += 1
            broken = "SELECT * FROM no_such_table" if self.calls == 1 else "SELECT 1 AS one"
            return [EvidenceTable("mine_first", "SELECT 2 AS two"), EvidenceTable("mine", broken)]

    enable(tiny, "mine")
    with Engine.from_folder(tiny, plugins={"mine": FailsOnce()}) as engine:
        with pytest.raises(PluginError, match="no_such_table"):
            engine.plan()
        plan = engine.plan()  # no "table already exists" from the first attempt
        assert engine.evidence.sql("SELECT * FROM mine") == [(1,)]
    assert plan.sessions


def test_earlier_warnings_are_checked_against_leavers_once_their_horizon_passed(
    tiny: Path,
) -> None:
    """Precision and recall of earlier attrition warnings (seed 003): A2 and A3 were warned,
    A2 left within the horizon, B2 left unwarned, B3 left after the horizon."""
    (tiny / "data" / "leavers.csv").write_text(
        "agent_id,date,reason\nA2,2026-10-20,转岗\nB2,2026-11-01,\nB3,2027-06-01,\n",
        encoding="utf-8",
    )
    with Engine.from_folder(tiny) as engine:
        plan = engine.plan()
        outcomes = _outcomes(plan, missed="A2", failed="A3")
        review = engine.review(plan, outcomes)
        as_of = review.as_of
        reason = (Reason("attrition.warning", "default", "1", "moved team"),)

        def earlier(cycle_id: str, start: dt.date, horizon: dt.date) -> Review:
            cycle = attrs.evolve(
                review.cycle, id=cycle_id, start=start, end=start + dt.timedelta(days=4)
            )
            return attrs.evolve(
                review,
                cycle=cycle,
                as_of=start + dt.timedelta(days=10),
                attrition=(
                    AttritionRisk("A2", 0.8, True, horizon, reason),
                    AttritionRisk("A3", 0.6, True, horizon, reason),
                    AttritionRisk("A4", 0.2, False, horizon, reason),
                ),
            )

        matured = earlier("2026-W36", dt.date(2026, 9, 1), dt.date(2026, 12, 1))
        pending = earlier("2026-W45", dt.date(2026, 11, 2), as_of + dt.timedelta(days=30))
        checked = engine.review(plan, outcomes, earlier=[matured, pending])
        nothing = engine.review(plan, outcomes, earlier=[pending])
    warnings = checked.warnings
    assert warnings is not None
    assert (warnings.rounds, warnings.warned, warnings.warned_left) == (1, 2, 1)
    assert warnings.leavers == 2  # A2 and B2 left within W36's horizon; B3 after it
    assert (warnings.precision, warnings.recall) == (0.5, 0.5)
    assert "1 of 2 warned agents left" in warnings.reasons[0].text
    assert nothing.warnings is None  # the horizon of W45's warnings has not passed yet
    assert checked.previous == "2026-W45"  # the latest earlier review is the previous one
