"""``ccrules explain DIR --slot SESSION_ID``: why a session has its time, with the numbers of
the queue intervals it takes agents from; and the service-level line of ``ccrules plan``.

The center is the tiny one with a roster and a forecast of one queue Q, every 30 minutes
from 09:00 to 22:00: 20 contacts before 13:00 (4 agents required, T1's 5 on the phones),
50 until 18:00 (8 required, T1 and T2's 8), 15 after (4 required, T2's 3: below the floor
before any training). So T1's sessions fit the morning one agent at a time (the pre-shift
share K1-01 is split into K1-01-1..3) and T2's micro-videos K3-01 and K3-02 fit nowhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import Result
from tests.default_pack.scenario import Tiny

from ccrules._render import render_slot
from ccrules.model import ServiceInterval

Run = Callable[..., Result]
DAYS = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)]
SHIFTS = {"T1": ("09:00", "18:00"), "T2": ("13:00", "22:00")}


def _contacts(start: str) -> int:
    return 20 if start < "13:00" else 50 if start < "18:00" else 15


def busy_tiny() -> Tiny:
    t = Tiny()
    for day in DAYS:
        for agent in t.data["agents"]:
            if agent["team_id"] in SHIFTS and agent["status"] == "active":
                start, end = SHIFTS[agent["team_id"]]
                t.add(
                    "shifts",
                    agent_id=agent["agent_id"],
                    date=day,
                    start_time=start,
                    end_time=end,
                    activity="phone",
                    queue=None,
                )
        for minute in range(9 * 60, 22 * 60, 30):
            start = f"{minute // 60:02d}:{minute % 60:02d}"
            t.add(
                "traffic",
                queue="Q",
                date=day,
                start_time=start,
                contacts=_contacts(start),
                aht_seconds=180,
            )
    t.config["service"] = {"interval_minutes": 30, "level": 0.8, "answer_seconds": 20}
    return t


@pytest.fixture(scope="module")
def busy_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The center, written once; the tests here only read it (explain writes nothing)."""
    folder = tmp_path_factory.mktemp("busy") / "busy"
    folder.mkdir()
    busy_tiny().write(folder)
    return folder


@pytest.fixture
def busy(busy_center: Path, tmp_path: Path) -> Path:
    """A copy of the center to plan in (plan records its history in the folder)."""
    target = tmp_path / "busy"
    shutil.copytree(busy_center, target)
    return target


def _rows(out: str) -> list[list[str]]:
    """The interval rows of the table, split on runs of two spaces or more."""
    return [re.split(r" {2,}", line.strip()) for line in out.splitlines() if line[:5] == "  Q  "]


def test_slot_of_a_placed_session(busy_center: Path, cli: Run) -> None:
    result = cli("explain", busy_center, "--slot", "K2-01")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Session K2-01: 同理心一对一 [K2] (coaching, 45 min), Mon 2026-11-30 09:00-09:45\n"
    )
    assert "Attendees (1): 刘洋 (A5)\n" in out
    assert "Trainer: 周老师 (full-time)\n" in out
    assert (
        "Why this time\n  schedule.service-floor (default 0.1.0): Mon 2026-11-30 09:00-09:45" in out
    )
    assert "      tightest_interval = 2026-11-30 09:00:00\n" in out
    assert "      floor = 0.8  [service.floor]\n" in out
    header = next(line for line in out.splitlines() if "SL before" in line)
    assert re.split(r" {2,}", header.strip()) == [
        *("queue", "interval", "contacts", "required", "rostered", "available", "off"),
        *("SL before", "SL after", "floor"),
    ]
    # 45 minutes from 09:00: the whole first interval off, half the second
    assert _rows(out) == [
        ["Q", "Mon 2026-11-30 09:00-09:30", "20", "4", "5", "5", "1", "95.7%", "86.1%", "80.0%"],
        ["Q", "Mon 2026-11-30 09:30-10:00", "20", "4", "5", "5", "0.5", "95.7%", "86.1%", "80.0%"],
    ]
    assert "below floor" not in out
    assert result.stderr == ""
    assert not (busy_center / ".ccrules").exists()


def test_slot_json_has_the_numbers(busy_center: Path, cli: Run) -> None:
    result = cli("explain", busy_center, "--slot", "K2-01", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["placed"] is True and data["unplaced"] is None
    assert data["session"]["id"] == "K2-01" and data["session"]["start"] == "2026-11-30T09:00"
    assert data["attendees"] == [{"agent_id": "A5", "name": "刘洋", "team_id": "T1"}]
    assert data["trainer"]["name"] == "周老师"
    assert data["course"]["title"] == "同理心一对一"
    (reason,) = data["slot_reasons"]
    assert reason["rule"] == "schedule.service-floor" and reason["plugin"] == "default"
    facts = {f["name"]: f["value"] for f in reason["facts"]}
    assert facts["queue"] == "Q" and facts["floor"] == 0.8
    assert data["intervals_with_training_only"] is True
    first, second = data["intervals"]
    assert first == {
        "queue": "Q",
        "start": "2026-11-30T09:00",
        "end": "2026-11-30T09:30",
        "contacts": 20.0,
        "aht_seconds": 180.0,
        "required": 4,
        "rostered": 5.0,
        "available": 5.0,
        "off": 1.0,
        "service_level_before": 0.9572,
        "service_level_after": 0.8607,
        "floor": 0.8,
        "below_floor": False,
    }
    assert second["off"] == 0.5 and second["start"] == "2026-11-30T09:30"
    assert all(i["off"] > 0 for i in data["intervals"])


def test_slot_of_a_share_no_meeting_gathers(busy_center: Path, cli: Run) -> None:
    # the floor lets one of A2-A4 off the phones at 09:00: a share is never split into
    # one-person meetings, so it is not held, and says why
    result = cli("explain", busy_center, "--slot", "K1-01", "--cycle", "2026-W49")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Session K1-01: 合规晨会分享 [K1] (pre-shift, 15 min), not placed (stopped at schedule)\n"
    )
    assert "Attendees (3): 李娜 (A2), Emily Chen (A3), 张伟 (A4); team Alpha 一组\n" in out
    assert (
        "schedule.share-once (default 0.1.0): No pre-shift meeting of Alpha 一组 this cycle "
        "gathers at least 3 of the 3 attendees at the team's shift start (at most 1 of them on "
        "Tue 2026-12-01 09:00)" in out
    )
    assert "      min_attendees = 3  [plugins.default.courses.share_min_attendees]\n" in out


def test_slot_of_an_unplaced_session(busy_center: Path, cli: Run) -> None:
    result = cli("explain", busy_center, "--slot", "K3-01")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Session K3-01: 产品微课 [K3] (micro-video, 10 min), not placed (stopped at schedule)\n"
    )
    assert "Attendees (1): David Wang (B2)\n" in out
    assert "Why it has no time\n  schedule.service-floor (default 0.1.0): No time fits" in out
    assert "Least harm: Mon 2026-11-30 13:00 would take Q to 0.74" in out  # the nearest
    assert "SL before" not in out  # its reasons only
    data = json.loads(cli("explain", busy_center, "--slot", "K3-01", "--json").stdout)
    assert data["placed"] is False and data["intervals"] == []
    assert data["unplaced"]["stage"] == "schedule"
    assert data["slot_reasons"] == data["unplaced"]["reasons"]
    assert data["session"]["start"] is None


def test_unknown_session_exits_2(busy_center: Path, cli: Run) -> None:
    result = cli("explain", busy_center, "--slot", "K9-01")
    assert result.exit_code == 2
    assert "no session 'K9-01' in the plan; sessions: K2-01, K1-01, K3-01, K3-02" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_slot_rule_and_agent_exclude_each_other(busy_center: Path, cli: Run) -> None:
    for args in (
        ("A5", "--slot", "K2-01"),
        ("--rule", "schedule.service-floor", "--slot", "K2-01"),
        ("A5", "--rule", "schedule.service-floor"),
        (),
    ):
        result = cli("explain", busy_center, *args)
        assert result.exit_code == 2, args
        assert "give an AGENT_ID or --rule RULE_ID or --slot SESSION_ID" in result.stderr
        assert result.stdout == ""


def test_slot_of_a_recorded_revision(busy: Path, cli: Run) -> None:
    assert cli("plan", busy, "--quiet").exit_code == 0
    result = cli("explain", busy, "--slot", "K2-01", "--revision", "1")
    assert result.exit_code == 0, result.stderr
    assert "Mon 2026-11-30 09:00-09:45" in result.stdout and _rows(result.stdout)
    missing = cli("explain", busy, "--slot", "K9", "--revision", "1")
    assert missing.exit_code == 2
    assert ".ccrules/history.sqlite: no session 'K9' in the plan" in missing.stderr


def test_plan_text_has_the_service_line(busy: Path, cli: Run) -> None:
    result = cli("plan", busy, "--no-history")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[5] == (
        "Service level: 130 queue intervals checked against the forecast; training leaves 40 "
        "below the floor (40 were below before training); lowest with training 86.1% "
        "(Q, Mon 2026-11-30 09:00, floor 80.0%)."
    )
    assert lines[4].startswith("Mix: ")
    assert "--slot SESSION_ID" in lines[-1] and lines[-1].startswith("Next: ccrules explain")


def test_plan_text_without_a_forecast_has_no_service_line(tiny: Path, cli: Run) -> None:
    result = cli("plan", tiny, "--no-history")
    assert result.exit_code == 0, result.stderr
    assert "Service level" not in result.stdout


def test_slot_marks_intervals_below_the_floor_and_falls_back_to_all() -> None:
    t = busy_tiny()
    with t.engine() as engine:
        plan = engine.plan()
        center = engine.center
    session = next(s for s in plan.sessions if s.id == "K2-01")
    start, end = session.start, session.end
    assert start is not None and end is not None

    def touched(i: ServiceInterval) -> bool:
        return i.start < end and start < i.end

    # an interval left below the floor is marked, and said so
    worse = attrs.evolve(
        plan,
        service=tuple(
            attrs.evolve(i, service_level_after=0.7) if touched(i) else i for i in plan.service
        ),
    )
    out = render_slot(worse, center, "K2-01")
    assert [row[-1] for row in _rows(out)] == ["below floor", "below floor"]
    assert "2 of these interval(s) below the floor with training." in out
    # with no interval taking agents off, every overlapping interval shows
    idle = attrs.evolve(
        plan,
        service=tuple(attrs.evolve(i, off=0.0) if touched(i) else i for i in plan.service),
    )
    out = render_slot(idle, center, "K2-01")
    assert "no training takes agents off the phones there" in out
    assert [row[6] for row in _rows(out)] == ["0", "0"]
