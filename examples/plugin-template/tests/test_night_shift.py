"""Tests of the night-shift rule, with the fixtures of ccrules.testing (loaded by pytest
from the installed ccrules: no conftest needed).

They run on the template's own small center, ``tests/center`` (15 agents; the night team T6
works 14:30-23:30), so the folder works wherever it is copied. Each test plans a copy of it
in its temporary folder; the files themselves are never changed."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

import attrs
import ccrules
import pytest
from ccrules.model import Format, Plan
from ccrules.strategies import CenterData, centers
from ccrules.testing import CenterFolder, HookRecorder, assert_plugin_contract
from hypothesis import given, settings

import ccrules_night_shift
from ccrules_night_shift.rule import night_teams
from ccrules_night_shift.settings import Settings

CENTER = Path(__file__).resolve().parent / "center"
RULE = "night-shift.micro-video"
PLUGINS = {"night-shift": ccrules_night_shift}


def by_rule(plan: Plan) -> list[ccrules.model.Session]:
    return [s for s in plan.sessions if any(r.rule == RULE for r in s.reasons)]


def facts(reason: ccrules.model.Reason) -> dict[str, object]:
    return {fact.name: fact.value for fact in reason.facts}


def set_team_shift(center: CenterFolder, team_id: str, end: str, start: str | None = None) -> None:
    rows = center.rows("teams")
    for row in rows:
        if row["team_id"] == team_id:
            row["shift_end"] = end
            row["shift_start"] = start or row["shift_start"]
    center.write_rows("teams", rows)


def test_night_team_shares_become_micro_videos(
    ccrules_center: Callable[..., CenterFolder],
    ccrules_engine: Callable[..., ccrules.Engine],
    ccrules_recorder: HookRecorder,
) -> None:
    center = ccrules_center(CENTER)
    plan = ccrules_engine(center, plugins=PLUGINS).plan()
    videos = [s for s in by_rule(plan) if s.format is Format.MICRO_VIDEO]
    # T6's share K-APP-PS-02 for three agents becomes one video each
    assert [(s.id, s.attendees) for s in sorted(videos, key=lambda s: s.id)] == [
        ("K-APP-MV-N01", ("N02",)),
        ("K-APP-MV-N02", ("N03",)),
        ("K-APP-MV-N03", ("N04",)),
    ]
    assert all(s.trainer_id is None for s in videos)
    assert "K-APP-PS-02" not in {s.id for s in plan.sessions}
    (app,) = [s for s in videos if s.id == "K-APP-MV-N01"]
    reason = next(r for r in app.reasons if r.rule == RULE)
    assert (reason.plugin, reason.version) == ("night-shift", ccrules_night_shift.__version__)
    assert "夜班组 Night shift is a night team (its shift ends at 23:30" in reason.text
    assert facts(reason)["team"] == "T6" and facts(reason)["shift_end"] == "23:30"
    assert facts(reason)["pre_shift_session"] == "K-APP-PS-02"
    # the wrapper ran around the default pack's courses stage
    call = ccrules_recorder.last("ccrules_assemble_sessions")
    assert call.plugins == ("night-shift", "default")

    # a video keeps the share's agents, needs, rank, due and order; it is self-paced and
    # still gets a time; ids stay unique
    plain = ccrules_center(CENTER)
    plain.disable("night-shift")
    without = ccrules_engine(plain).plan()
    share = next(s for s in without.sessions if s.id == "K-APP-PS-02")
    assert tuple(a for v in videos for a in v.attendees) == share.attendees
    assert {n for v in videos for n in v.need_ids} == set(share.need_ids)
    for video in videos:
        assert (video.rank, video.due, video.after) == (share.rank, share.due, share.after)
        assert video.start is not None
    # the day team's share stays a share
    assert "K-APP-PS-01" in {s.id for s in plan.sessions}
    ids = [s.id for s in plan.sessions]
    assert len(ids) == len(set(ids))

    # a share whose competency has no micro-video stays, and says why
    (kept,) = [s for s in by_rule(plan) if s.format is Format.PRE_SHIFT]
    assert kept.id == "K-HFC-PS-01" and kept.team_id == "T6"
    assert kept.reasons[-1].rule == RULE
    assert "has no micro-video for C-HFC, so the pre-shift share K-HFC-PS-01 stays" in (
        kept.reasons[-1].text
    )


def test_day_teams_and_a_shift_ending_just_before_the_threshold_keep_their_shares(
    ccrules_center: Callable[..., CenterFolder], ccrules_engine: Callable[..., ccrules.Engine]
) -> None:
    center = ccrules_center(CENTER)
    set_team_shift(center, "T6", "21:59")
    plan = ccrules_engine(center, plugins=PLUGINS).plan()
    assert by_rule(plan) == []
    assert "K-APP-PS-02" in {s.id for s in plan.sessions}
    set_team_shift(center, "T6", "22:00")
    assert by_rule(ccrules_engine(center, plugins=PLUGINS).plan())
    # teams.csv cannot hold a shift past midnight, so the end of the shift decides
    set_team_shift(center, "T6", "01:30", start="16:30")
    with pytest.raises(ccrules.InputError, match="shift_end 01:30:00 is not after shift_start"):
        ccrules_engine(center, plugins=PLUGINS)


def test_settings_decide_which_teams_are_night_teams(
    ccrules_center: Callable[..., CenterFolder], ccrules_engine: Callable[..., ccrules.Engine]
) -> None:
    center = ccrules_center(CENTER)
    center.enable("night-shift", {"ends_from": "23:45", "teams": ["T2"]})
    plan = ccrules_engine(center, plugins=PLUGINS).plan()
    teams = {facts(r)["team"] for s in by_rule(plan) for r in s.reasons if r.rule == RULE}
    assert teams == {"T2"}  # T6 ending at 23:30 now counts as a day team; T2 is listed
    assert {"K-ROAM-MV-N01", "K-ROAM-MV-N02", "K-ROAM-MV-N03"} <= {s.id for s in plan.sessions}
    because = {
        facts(r)["night_because"] for s in by_rule(plan) for r in s.reasons if r.rule == RULE
    }
    assert because == {"listed in plugins.night-shift.teams"}


def test_bad_settings_are_config_errors_with_their_key(
    ccrules_center: Callable[..., CenterFolder], ccrules_engine: Callable[..., ccrules.Engine]
) -> None:
    center = ccrules_center(CENTER)
    center.enable("night-shift", {"ends_from": "10pm", "teams": ["T6", "NOPE"]})
    with pytest.raises(ccrules.InputError) as caught:
        ccrules_engine(center, plugins=PLUGINS)
    messages = [p.message for p in caught.value.problems]
    assert any(
        m.startswith("plugins.night-shift.ends_from: '10pm' is not a time") for m in messages
    )
    assert any(m.startswith("plugins.night-shift.teams[1]: unknown team 'NOPE'") for m in messages)
    assert all(p.line for p in caught.value.problems)

    for value in ("7:00", "24:00", "22:60", "22h00", ""):  # HH:MM, 00:00 to 23:59
        center.enable("night-shift", {"ends_from": value})
        with pytest.raises(ccrules.InputError) as caught:
            ccrules_engine(center, plugins=PLUGINS)
        (problem,) = caught.value.problems
        assert (problem.file, problem.path) == ("center.toml", "plugins.night-shift.ends_from")
        assert problem.line

    # types and unknown keys are checked by the engine, with the same key paths
    center.enable("night-shift", {"teams": "T6", "ends_at": "22:00"})
    with pytest.raises(ccrules.InputError) as caught:
        ccrules_engine(center, plugins=PLUGINS)
    paths = {p.path for p in caught.value.problems}
    assert {"plugins.night-shift.teams", "plugins.night-shift.ends_at"} <= paths


class Follower:
    """A pack inside the wrapper whose session comes after the share the rule replaces."""

    @ccrules.hookimpl(wrapper=True)
    def ccrules_assemble_sessions(
        self, center: ccrules.Center, needs: object
    ) -> Generator[None, ccrules.model.Assembly | None, ccrules.model.Assembly | None]:
        assembly = yield
        if assembly is None:
            return None
        sessions = tuple(
            attrs.evolve(s, after=("K-APP-PS-02",)) if s.id == "K-ROAM-PS-01" else s
            for s in assembly.sessions
        )
        return attrs.evolve(assembly, sessions=sessions)


def test_a_session_after_a_replaced_share_comes_after_its_videos(
    ccrules_center: Callable[..., CenterFolder], ccrules_engine: Callable[..., ccrules.Engine]
) -> None:
    plugins = {**PLUGINS, "follower": Follower()}
    plan = ccrules_engine(ccrules_center(CENTER), plugins=plugins).plan()
    (late,) = [s for s in plan.sessions if s.id == "K-ROAM-PS-01"]
    assert late.after == ("K-APP-MV-N01", "K-APP-MV-N02", "K-APP-MV-N03")


def test_plugin_keeps_the_hook_contracts() -> None:
    report = assert_plugin_contract(ccrules_night_shift, name="night-shift", center=CENTER)
    assert "ccrules_assemble_sessions" in report.exercised


@settings(max_examples=25, deadline=None)
@given(centers(max_teams=3, max_agents_per_team=10, plugins=("night-shift", "default")))
def test_no_night_share_is_left_without_a_reason(center: CenterData) -> None:
    with center.engine(plugins=PLUGINS) as engine:
        night = night_teams(engine.center, engine.center.settings(Settings))
        plan = engine.plan()
    for session in plan.sessions:
        if session.format is Format.PRE_SHIFT and session.team_id in night:
            assert session.reasons[-1].rule == RULE
            assert "has no micro-video" in session.reasons[-1].text
    for session in by_rule(plan):
        assert session.format is Format.MICRO_VIDEO or session.team_id in night
