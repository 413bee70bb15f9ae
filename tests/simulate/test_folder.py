"""The simulated center folder: cycles at the center's cadence, center.toml written back,
data files that grow in their own column order."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE_CENTERS

from ccrules._center import CycleConfig
from ccrules._toml import dump_toml
from ccrules.simulate._folder import Table, cycles_after, drop_from, merge


def test_weekly_cycles_are_named_as_iso_weeks_across_the_year() -> None:
    base = CycleConfig("2026-W52", dt.date(2026, 12, 21), dt.date(2026, 12, 25))
    cycles = cycles_after(base, 3, 7, 14)
    assert [c.id for c in cycles] == ["2026-W52", "2026-W53", "2027-W01"]
    assert cycles[2].start == dt.date(2027, 1, 4) and cycles[2].end == dt.date(2027, 1, 8)
    assert [c.outcomes_to for c in cycles] == [
        dt.date(2027, 1, 8), dt.date(2027, 1, 15), dt.date(2027, 1, 22)
    ]  # fmt: skip
    assert cycles[0].period_end == dt.date(2026, 12, 27)


def test_monthly_cycles_step_by_calendar_month() -> None:
    base = CycleConfig("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 11))
    cycles = cycles_after(base, 3, 30, 14)
    assert [c.id for c in cycles] == ["2026-12", "2027-01", "2027-02"]
    assert [c.start for c in cycles] == [dt.date(2026, 12, 1), dt.date(2027, 1, 1),
                                         dt.date(2027, 2, 1)]  # fmt: skip
    assert cycles[1].end == dt.date(2027, 1, 11)
    assert cycles[1].period_end == dt.date(2027, 1, 31)


def test_other_cadences_count_from_the_base() -> None:
    base = CycleConfig("sprint-4", dt.date(2026, 11, 2), dt.date(2026, 11, 13))
    cycles = cycles_after(base, 2, 14, 7)
    assert [c.id for c in cycles] == ["sprint-4", "sprint-4+1"]
    assert cycles[1].start == dt.date(2026, 11, 16)


def test_a_base_cycles_own_window_is_kept() -> None:
    base = CycleConfig(
        "2026-W48", dt.date(2026, 11, 23), dt.date(2026, 11, 27), outcomes_to=dt.date(2026, 12, 11)
    )
    assert cycles_after(base, 1, 7, 14)[0].outcomes_to == dt.date(2026, 12, 11)


@pytest.mark.parametrize("center", EXAMPLE_CENTERS, ids=lambda p: p.name)
def test_center_toml_survives_being_written_back(center: Path) -> None:
    data = tomllib.loads((center / "center.toml").read_text(encoding="utf-8"))
    assert tomllib.loads(dump_toml(data)) == data


def test_merge_replaces_lists_and_merges_tables() -> None:
    base = {"plugins": {"enabled": ["default", "inhouse"], "default": {"gaps": {"a": 1, "b": 2}}}}
    over = {"plugins": {"enabled": ["default"], "default": {"gaps": {"b": 3}}}}
    assert merge(base, over) == {
        "plugins": {"enabled": ["default"], "default": {"gaps": {"a": 1, "b": 3}}}
    }
    assert base["plugins"]["default"]["gaps"] == {"a": 1, "b": 2}  # not changed


def test_rows_go_in_the_files_own_column_order_and_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_bytes(
        "\ufeffagent_id,date,score,名称\r\nA1,2026-01-01,3,x\r\nA2,2026-01-02,4,y".encode()
    )
    table = Table(path, ("date", "agent_id", "score"))
    table.append([("2026-02-01", "A3", 5), ("2026-02-02", "张伟, Jr", 6)])
    text = path.read_bytes().decode("utf-8-sig")
    assert text.split("\r\n")[2:] == [
        "A2,2026-01-02,4,y", "A3,2026-02-01,5,", '"张伟, Jr",2026-02-02,6,', ""
    ]  # fmt: skip


def test_days_the_model_draws_are_dropped_from_the_copy(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_text("agent_id,date\nA1,2026-11-29\nA1,2026-11-30\nA2,2026-12-01\n", "utf-8")
    drop_from(path, "date", dt.date(2026, 11, 30))
    assert path.read_text("utf-8") == "agent_id,date\nA1,2026-11-29\n"
