"""`ccrules export` (xlsx, csv, ics per team, trainer or agent), `ccrules cycle add`,
[center] timezone and currency, and the hint for a spreadsheet saved in data/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
import tomllib
import zipfile
import zoneinfo
from collections.abc import Callable
from pathlib import Path

import icalendar
import openpyxl
import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import line_of, replace_in, written

from ccrules._center import add_cycles, config_problems, parse_config
from ccrules._history import History
from ccrules.export import LABELS, default_lang, file_name, local_time, sheet_names

Run = Callable[..., Result]
CYCLE = "2026-W49"


def _zone(folder: Path, zone: str = "Asia/Shanghai", currency: str = "CNY") -> None:
    replace_in(
        folder / "center.toml",
        'model = "inhouse"\n',
        f'model = "inhouse"\ntimezone = "{zone}"\ncurrency = "{currency}"\n',
    )


def _export(cli: Run, folder: Path, *args: str | Path) -> Result:
    return cli("export", folder, "--cycle", CYCLE, "-q", *args)


def _agents(folder: Path) -> dict[str, str]:
    with (folder / "data" / "agents.csv").open(encoding="utf-8") as handle:
        return {row["agent_id"]: row["name"] for row in csv.DictReader(handle)}


# -------------------------------------------------------------------------------------------
# xlsx


def test_xlsx_round_trip_by_team(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    result = _export(cli, tiny, "--format", "xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert "导出周期 2026-W49 的草案" in result.stderr  # --lang zh: the status line too
    path = tiny / "exports" / CYCLE / "schedule-by-team.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "总览"
    assert "Alpha 一组 (T1)" in book.sheetnames and "Beta 二组 (T2)" in book.sheetnames
    overview = [row for row in book["总览"].iter_rows(values_only=True)]
    assert overview[3][:2] == ("时区", "Asia/Shanghai")
    assert overview[4][1] == "按中心目录现做的草稿，未批准"
    names = _agents(tiny)
    sheet = book["Alpha 一组 (T1)"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("日期", "星期", "开始", "结束")
    assert len(rows) > 1
    plan_result = cli("plan", tiny, "--json", "--no-history", "-q")
    plan = json.loads(plan_result.stdout)
    t1 = {a for a, n in names.items() if a.startswith("A")}
    expected = sorted(s["id"] for s in plan["sessions"] if s["start"] and t1 & set(s["attendees"]))
    assert sorted(r[-1] for r in rows[1:]) == expected
    for row in rows[1:]:
        session = next(s for s in plan["sessions"] if s["id"] == row[-1])
        start = dt.datetime.fromisoformat(session["start"])
        assert row[0] == dt.datetime.combine(start.date(), dt.time())  # a real date cell
        assert row[2] == start.time()
        for agent in session["attendees"]:
            assert f"{names[agent]} ({agent})" in row[8]  # Chinese names intact
    # team leads in the overview
    assert any(r[0] == "Alpha 一组 (T1)" and r[1] == "王建国 (A1)" for r in overview)


def test_xlsx_is_byte_identical_and_dated_by_the_plan(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    assert _export(cli, tiny, "--format", "xlsx").exit_code == 0
    path = tiny / "exports" / CYCLE / "schedule-by-team.xlsx"
    first = path.read_bytes()
    assert _export(cli, tiny, "--format", "xlsx").exit_code == 0
    assert path.read_bytes() == first
    book = openpyxl.load_workbook(path)
    # a draft is dated by the cycle's first day, midnight in Shanghai, as UTC
    assert book.properties.created == dt.datetime(2026, 11, 29, 16, 0)
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 29, 16, 0, 0)}


def test_xlsx_of_an_approved_plan_says_so(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    assert cli("plan", tiny, "-q").exit_code == 0
    assert cli("approve", tiny, "--cycle", CYCLE, "--by", "王芳").exit_code == 0
    result = _export(cli, tiny, "--format", "xlsx", "--by", "trainer", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "exporting the approved plan of cycle 2026-W49 (revision 1, approved by 王芳" in (
        result.stderr
    )
    assert "+08:00)" in result.stderr
    (revision,) = History(tiny).revisions(CYCLE)
    assert revision.approved_at is not None
    book = openpyxl.load_workbook(tiny / "exports" / CYCLE / "schedule-by-trainer.xlsx")
    stamp = dt.datetime.fromisoformat(revision.approved_at).astimezone(dt.UTC)
    assert book.properties.modified == stamp.replace(tzinfo=None)
    plan_row = next(r for r in book["Overview"].iter_rows(values_only=True) if r[0] == "Plan")
    assert plan_row[1].startswith("approved revision 1, by 王芳 at ")
    assert "周老师 (TR1)" in book.sheetnames


def test_a_name_that_looks_like_a_formula_stays_text(tiny: Path, cli: Run) -> None:
    replace_in(tiny / "data" / "agents.csv", "A2,李娜,", "A2,=HYPERLINK(1),")
    assert _export(cli, tiny, "--format", "xlsx", "--by", "agent").exit_code == 0
    book = openpyxl.load_workbook(tiny / "exports" / CYCLE / "schedule-by-agent.xlsx")
    sheet = book["=HYPERLINK(1) (A2)"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.column == 9]
    assert cells and all(c.data_type == "s" for c in cells)
    assert any("=HYPERLINK(1) (A2)" in str(c.value) for c in cells)
    assert _export(cli, tiny, "--format", "csv", "--by", "agent").exit_code == 0
    text = (tiny / "exports" / CYCLE / "agent-csv" / "=HYPERLINK(1) (A2).csv").read_text(
        encoding="utf-8-sig"
    )
    cells = [r[8] for r in csv.reader(io.StringIO(text, newline=""))][1:]
    assert cells and all(c.startswith("'=HYPERLINK(1) (A2)") for c in cells)  # kept as text


# -------------------------------------------------------------------------------------------
# csv


def test_csv_per_trainer_reads_back(tiny: Path, cli: Run) -> None:
    result = _export(cli, tiny, "--format", "csv", "--by", "trainer", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    folder = tiny / "exports" / CYCLE / "trainer-csv"
    files = sorted(p.name for p in folder.iterdir())
    assert "周老师 (TR1).csv" in files
    raw = (folder / "周老师 (TR1).csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows and all(r["培训师"] == "周老师 (TR1)" for r in rows)
    assert all(r["开始"] < r["结束"] for r in rows)
    assert [r["日期"] + r["开始"] for r in rows] == sorted(r["日期"] + r["开始"] for r in rows)


def test_a_second_export_replaces_the_folder_whole(tiny: Path, cli: Run) -> None:
    folder = tiny / "exports" / CYCLE / "team-csv"
    assert _export(cli, tiny, "--format", "csv").exit_code == 0
    (folder / "stale (OLD).csv").write_text("old", encoding="utf-8")
    first = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "stale (OLD).csv"}
    assert _export(cli, tiny, "--format", "csv").exit_code == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


# -------------------------------------------------------------------------------------------
# ics


def test_ics_events_carry_the_zone_and_a_stable_uid(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    result = _export(cli, tiny, "--format", "ics", "--by", "team")
    assert result.exit_code == 0, result.stderr
    path = tiny / "exports" / CYCLE / "team-ics" / "Alpha 一组 (T1).ics"
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["method"]) == "PUBLISH"
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = calendar.walk("VEVENT")
    assert events
    csv_result = _export(cli, tiny, "--format", "csv", "--by", "team")
    assert csv_result.exit_code == 0
    table = list(
        csv.DictReader(
            io.StringIO(
                (tiny / "exports" / CYCLE / "team-csv" / "Alpha 一组 (T1).csv").read_text(
                    encoding="utf-8-sig"
                ),
                newline="",
            )
        )
    )
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    for event, row in zip(events, table, strict=True):
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
        local = start.astimezone(shanghai)
        assert (local.date().isoformat(), f"{local:%H:%M}") == (row["Date"], row["Start"])
        assert row["Session"] in str(event["description"])
        assert str(event["uid"]).startswith(f"{CYCLE}.{row['Session']}.")
        assert "\n" in str(event["description"])  # lines, not one escaped line
    names = _agents(tiny)
    assert any(names["A1"] in str(e["description"]) for e in events)
    # stable: same UIDs and bytes again, and the same UID for the session in a trainer's file
    assert _export(cli, tiny, "--format", "ics", "--by", "team").exit_code == 0
    assert path.read_bytes() == raw
    assert _export(cli, tiny, "--format", "ics", "--by", "trainer").exit_code == 0
    trainer = icalendar.Calendar.from_ical(
        (tiny / "exports" / CYCLE / "trainer-ics" / "周老师 (TR1).ics").read_bytes()
    )
    uids = {str(e["uid"]) for e in events}
    assert {str(e["uid"]) for e in trainer.walk("VEVENT")} & uids


def test_ics_in_utc_by_default(tiny: Path, cli: Run) -> None:
    assert _export(cli, tiny, "--format", "ics", "--by", "trainer").exit_code == 0
    calendar = icalendar.Calendar.from_ical(
        (tiny / "exports" / CYCLE / "trainer-ics" / "周老师 (TR1).ics").read_bytes()
    )
    assert not calendar.walk("VTIMEZONE")
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)
        assert event.decoded("dtstamp") == dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


# -------------------------------------------------------------------------------------------
# bad input: exit 2, nothing written


def _nothing_exported(folder: Path) -> bool:
    return not (folder / "exports").exists() and written(folder) == []


def test_unknown_cycle_exits_2(tiny: Path, cli: Run) -> None:
    result = cli("export", tiny, "--cycle", "2099-W01", "--format", "csv")
    assert result.exit_code == 2
    assert "no cycle '2099-W01' in [[cycles]]; known: 2026-W49" in result.stderr
    assert _nothing_exported(tiny)


def test_bad_format_exits_2(tiny: Path, cli: Run) -> None:
    result = cli("export", tiny, "--cycle", CYCLE, "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of 'xlsx', 'csv', 'ics'" in result.stderr
    assert _nothing_exported(tiny)


def test_unknown_time_zone_exits_2_at_its_line(tiny: Path, cli: Run) -> None:
    _zone(tiny, zone="Asia/Beijing")
    line = line_of(tiny / "center.toml", "timezone")
    for args in (
        ("export", tiny, "--cycle", CYCLE, "--format", "ics"),
        ("validate", tiny),
        ("history", tiny),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert (
            f"center.toml:{line}: center.timezone: unknown time zone 'Asia/Beijing'"
            in result.stderr
        )
    assert _nothing_exported(tiny)


def test_an_unknown_center_key_lists_timezone_and_currency(tiny: Path, cli: Run) -> None:
    replace_in(
        tiny / "center.toml", 'model = "inhouse"\n', 'model = "inhouse"\ntime_zone = "UTC"\n'
    )
    result = cli("validate", tiny)
    assert result.exit_code == 2
    line = line_of(tiny / "center.toml", "time_zone")
    assert (
        f"center.toml:{line}: center.time_zone: unknown key 'time_zone'; expected one of: "
        "name, model, client, timezone, currency"
    ) in result.stderr


def test_bad_currency_exits_2(tiny: Path, cli: Run) -> None:
    _zone(tiny, currency="rmb")
    result = cli("validate", tiny)
    assert result.exit_code == 2
    assert "center.currency: currency 'rmb' is not an ISO 4217 code" in result.stderr


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_unwritable_out_exits_2(tiny: Path, cli: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = _export(cli, tiny, "--format", "csv", "--out", locked / "sub")
        assert result.exit_code == 2
        assert "cannot write the export there" in result.stderr
        assert "choose another --out" in result.stderr
        assert list(locked.iterdir()) == []
        result = _export(cli, tiny, "--format", "xlsx", "--out", locked)
        assert result.exit_code == 2
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_out_under_a_file_exits_2(tiny: Path, cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("mine", encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        result = _export(cli, tiny, "--format", fmt, "--out", blocker / "sub")
        assert result.exit_code == 2, result.stderr
        assert "cannot write the export there" in result.stderr
        assert "choose another --out" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "mine"
    assert _nothing_exported(tiny)


def test_out_that_is_a_file_exits_2(tiny: Path, cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("mine", encoding="utf-8")
    result = _export(cli, tiny, "--format", "csv", "--out", target)
    assert result.exit_code == 2
    assert "--out must be a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"


# -------------------------------------------------------------------------------------------
# names, labels, language


def test_labels_cover_both_languages() -> None:
    assert set(LABELS["en"]) == set(LABELS["zh"])
    assert set(LABELS["en"]["formats"]) == set(LABELS["zh"]["formats"])  # type: ignore[arg-type]


def test_default_lang_follows_the_environment() -> None:
    assert default_lang({"CCRULES_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"CCRULES_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({}) == "en"


def test_local_time_shows_the_centers_clock() -> None:
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert local_time("2026-11-27T02:00:00+00:00", shanghai) == "2026-11-27 10:00 +08:00"
    assert local_time(None, shanghai) == "?"


def test_file_names_are_safe_on_windows_and_keep_chinese() -> None:
    taken: set[str] = set()
    assert file_name("一组: A/B (T1)", taken, ".csv") == "一组_ A_B (T1).csv"
    assert file_name("CON", taken, ".csv") == "_CON.csv"
    assert file_name("一组_ a_b (t1)", taken, ".csv") == "一组_ a_b (t1) (2).csv"
    assert file_name("end. ", taken, ".ics") == "end.ics"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=12))
def test_sheet_names_are_valid_and_unique(titles: list[str]) -> None:
    names = sheet_names(titles, reserved=["总览"])
    assert len(names) == len(titles)
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(folded) and "总览" not in folded
    for name in names:
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")


def test_sheet_names_keep_the_id_when_cut() -> None:
    (name,) = sheet_names(["客户服务中心第一事业部综合业务受理一组夜班 (T-0001)"])
    assert name.endswith(" (T-0001)") and len(name) <= 31


# -------------------------------------------------------------------------------------------
# cycle add

_TOML = """\
# A center; comments stay where they are.
[center]
name = "某中心"
model = "inhouse"

[[cycles]]   # the first week
id = "2026-W52"
start = 2026-12-21
end = 2026-12-25
outcomes_to = 2027-01-08

# this comment is about [plugins], below
[plugins]
enabled = ["default"]
"""


def test_cycle_add_rolls_over_the_iso_year_and_keeps_the_rest() -> None:
    text, added = add_cycles(_TOML, 3)
    assert [c.id for c in added] == ["2026-W53", "2027-W01", "2027-W02"]
    assert [c.start for c in added] == [
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 11),
    ]
    assert added[1].outcomes_to == dt.date(2027, 1, 22)
    head, _, rest = _TOML.partition("\n# this comment")
    assert text.startswith(head) and text.endswith("\n# this comment" + rest)
    data = tomllib.loads(text)
    assert [c["id"] for c in data["cycles"]] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert config_problems(parse_config(text), text) == []


def test_cycle_add_months_and_numbers() -> None:
    months = _TOML.replace('"2026-W52"', '"2026-12"').replace("2026-12-21", "2026-12-01")
    months = months.replace("end = 2026-12-25", "end = 2026-12-31")
    _, added = add_cycles(months, 2)
    assert [(c.id, c.start, c.end) for c in added] == [
        ("2027-01", dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
        ("2027-02", dt.date(2027, 2, 1), dt.date(2027, 2, 28)),
    ]
    numbered = _TOML.replace('"2026-W52"', '"run-09"')
    _, added = add_cycles(numbered, 2)
    assert [(c.id, c.start) for c in added] == [
        ("run-10", dt.date(2026, 12, 28)),
        ("run-11", dt.date(2027, 1, 4)),
    ]


def test_cycle_add_on_the_example_round_trips(example: Callable[[str], Path], cli: Run) -> None:
    folder = example("inhouse-fintech")
    before = (folder / "center.toml").read_text(encoding="utf-8")
    result = cli("cycle", "add", folder, "--weeks", "2")
    assert result.exit_code == 0, result.stderr
    assert "added cycle 2026-W50: 2026-12-07 to 2026-12-11" in result.stdout
    after = (folder / "center.toml").read_text(encoding="utf-8")
    assert len(after) > len(before)
    # removing the added block gives the file back, byte for byte
    added = after[after.index('\n[[cycles]]\nid = "2026-W50"') :]
    block = added[: added.index("\n[evidence]")]
    assert after.replace(block, "", 1) == before
    assert cli("validate", folder, "--cycle", "2026-W51").exit_code == 0


def test_cycle_add_refuses_an_id_it_cannot_continue(tiny: Path, cli: Run) -> None:
    replace_in(tiny / "center.toml", 'id = "2026-W49"', 'id = "last-week"')
    before = (tiny / "center.toml").read_bytes()
    result = cli("cycle", "add", tiny)
    assert result.exit_code == 2
    assert "cannot continue the cycle id 'last-week'" in result.stderr
    assert "add the next [[cycles]] entry by hand" in result.stderr
    assert (tiny / "center.toml").read_bytes() == before


# -------------------------------------------------------------------------------------------
# currency, approval times


def test_costs_show_the_currency(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    result = cli("plan", tiny, "--no-history", "-q")
    assert result.exit_code == 0
    assert " CNY" in next(line for line in result.stdout.splitlines() if "cost" in line)
    report = cli("report", tiny, "--out", "-", "-q")
    assert report.exit_code == 0
    assert " CNY" in report.stdout


def test_history_shows_times_in_the_centers_zone(tiny: Path, cli: Run) -> None:
    _zone(tiny)
    assert cli("plan", tiny, "-q").exit_code == 0
    assert cli("approve", tiny, "--cycle", CYCLE, "--by", "王芳").exit_code == 0
    shown = cli("history", tiny).stdout
    assert "+08:00  approved by 王芳 at " in shown
    (revision,) = History(tiny).revisions(CYCLE)
    assert revision.approved_at is not None and revision.approved_at.endswith("+00:00")
    shanghai = local_time(revision.approved_at, zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert shanghai.endswith("+08:00")
    page = cli("report", tiny, "--out", "-", "-q").stdout
    assert f"approved by 王芳 on {shanghai}" in page


# -------------------------------------------------------------------------------------------
# a spreadsheet in data/


def test_xlsx_in_place_of_a_csv_gets_a_hint(tiny: Path, cli: Run) -> None:
    (tiny / "data" / "qa.csv").rename(tiny / "data" / "qa.xlsx")
    result = cli("validate", tiny)
    assert result.exit_code == 2
    assert "data/qa.xlsx: a spreadsheet where data/qa.csv is expected" in result.stderr
    assert "CSV UTF-8" in result.stderr and "另存为" in result.stderr
    report = json.loads(cli("validate", tiny, "--json").stdout)
    assert [(e["file"], e["code"]) for e in report["errors"]] == [
        ("data/qa.xlsx", "spreadsheet-file")
    ]


def test_xlsx_beside_a_csv_is_a_warning(tiny: Path, cli: Run) -> None:
    (tiny / "data" / "qa.XLSX").write_bytes(b"PK")
    (tiny / "data" / "notes.ods").write_bytes(b"PK")
    result = cli("validate", tiny)
    assert result.exit_code == 0
    assert "data/qa.XLSX: warning: a spreadsheet, not read: ccrules reads data/qa.csv" in (
        result.stderr
    )
    assert "data/notes.ods: warning: a spreadsheet, not read" in result.stderr
