"""``ccrules group evaluate`` and ``ccrules group report``: each center's review and report a
task on Dask distributed, byte-identical to ``ccrules evaluate`` and ``ccrules report`` on that
center alone; the group page linking them.

The example centers are planned and approved on their first cycle once per module; each test
works on its own copy (history included). One LocalCluster of two worker processes serves the
module (``--scheduler`` points at it).
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner, Result
from tests.conftest import EXAMPLE_CENTERS, append_line, written

from ccrules._history import History
from ccrules.cli import main
from ccrules.group import (
    BAD_INPUT,
    EVALUATED,
    FAILED,
    REPORTED,
    Member,
    local_cluster_options,
    report_center,
)
from ccrules.group_report import render_group_page
from ccrules.report import LABELS

CLI = Callable[..., Result]

#: the group's name of each example center, in EXAMPLE_CENTERS' order
NAMES = ("fintech-金融", "bpo", "telecom", "tax")


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _first_cycle(folder: Path) -> str:
    config = tomllib.loads((folder / "center.toml").read_text(encoding="utf-8"))
    return str(min(config["cycles"], key=lambda c: c["start"])["id"])


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two single-threaded worker processes."""
    from distributed import LocalCluster

    with LocalCluster(**local_cluster_options(2)) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the example centers, each with its first cycle planned and approved."""
    root = tmp_path_factory.mktemp("approved")
    for source in EXAMPLE_CENTERS:
        folder = root / source.name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".ccrules"))
        cycle = _first_cycle(folder)
        for args in (
            ("plan", folder, "--cycle", cycle, "-q"),
            ("approve", folder, "--cycle", cycle, "--by", "培训经理 Lin"),
        ):
            done = _run(*args)
            assert done.exit_code == 0, done.stderr
    return root


def _centers(approved: Path, target: Path) -> dict[str, Path]:
    """Copies of the approved example centers (history included), by group name."""
    return {
        name: Path(shutil.copytree(approved / source.name, target / source.name))
        for name, source in zip(NAMES, EXAMPLE_CENTERS, strict=True)
    }


def _group_file(folder: Path, centers: dict[str, Path]) -> Path:
    lines = []
    for name, center in centers.items():
        lines += ["[[centers]]", f'name = "{name}"', f'folder = "{center.name}"', ""]
    path = folder / "group.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _break(center: Path) -> int:
    """A QA row that is not QA: the center's input is refused; its line number."""
    return append_line(center / "data" / "qa.csv", "this,row,is,not,qa")


# --- group evaluate ---------------------------------------------------------------------------


def test_each_example_center_evaluates_byte_identical_to_evaluating_it_alone(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    centers = _centers(approved, tmp_path / "group")
    alone = _centers(approved, tmp_path / "alone")
    group = _group_file(tmp_path / "group", centers)
    out = tmp_path / "reviews"
    # no cycle given: each center's latest cycle with an approved plan (its first)
    result = cli("group", "evaluate", group, "--scheduler", scheduler, "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [c["name"] for c in summary["centers"]] == list(NAMES)
    assert {c["status"] for c in summary["centers"]} == {EVALUATED}
    for name in NAMES:
        cycle = _first_cycle(alone[name])
        single = cli("evaluate", alone[name], "--cycle", cycle, "--json")
        assert single.exit_code == 0, single.stderr
        assert (out / f"{name}.json").read_bytes() == single.stdout_bytes, name
        review = json.loads(single.stdout)
        entry = next(c for c in summary["centers"] if c["name"] == name)
        assert entry["cycle"] == cycle
        assert entry["digest"] == review["digest"]
        assert (entry["review_number"], entry["review_recorded"]) == (1, True)
        # recorded in the center's own history, as `ccrules evaluate` records it
        records = History(centers[name]).review_records(cycle)
        assert [r.digest for r in records] == [review["digest"]]
        figures = entry["review"]
        open_needs = [c for c in review["carried"] if c["status"] == "open"]
        assert figures["needs"] == len(review["carried"])
        assert figures["needs_carried"] == len(open_needs)
        assert figures["needs_met"] == len(review["carried"]) - len(open_needs)
        assert figures["on_site_checks"] == sum(
            1 for f in review["follow_ups"] if f["kind"] == "on-site"
        )
        headline = [e for e in review["evaluations"] if e["subject"] == "center"]
        assert [f["metric"] for f in figures["figures"]] == [e["metric"] for e in headline]
        assert [f["value"] for f in figures["figures"]] == [e["value"] for e in headline]
    totals = summary["review_total"]
    assert totals["centers"] == 4
    for key in ("sessions", "needs_met", "needs_carried", "on_site_checks"):
        assert totals[key] == sum(c["review"][key] for c in summary["centers"]), key
    # the same inputs again: the same summary, nothing new recorded
    again = cli("group", "evaluate", group, "--scheduler", scheduler, "--json")
    assert again.exit_code == 0, again.stderr
    repeated = json.loads(again.stdout)
    assert [c["review_recorded"] for c in repeated["centers"]] == [False] * 4
    assert [c["review"] for c in repeated["centers"]] == [c["review"] for c in summary["centers"]]


def test_a_broken_center_does_not_stop_the_others_from_being_evaluated(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    bpo = approved / "bpo-inbound"
    good = Path(shutil.copytree(bpo, tmp_path / "good"))
    broken = Path(shutil.copytree(bpo, tmp_path / "broken"))
    unapproved = Path(shutil.copytree(bpo, tmp_path / "unapproved", ignore=_no_history))
    line = _break(broken)
    before = History(broken).dump()
    group = _group_file(tmp_path, {"好中心": good, "broken": broken, "未审批": unapproved})
    out = tmp_path / "reviews"
    result = cli("group", "evaluate", group, "--scheduler", scheduler, "--out", out, "--json")
    assert result.exit_code == 2, result.stderr
    assert "center broken (" in result.stderr
    assert f"broken: data/qa.csv:{line}" in result.stderr
    assert "未审批: .ccrules/history.sqlite: no cycle has an approved plan" in result.stderr
    assert "2 of 3 centers not evaluated" in result.stderr
    summary = json.loads(result.stdout)
    statuses = {c["name"]: c["status"] for c in summary["centers"]}
    assert statuses == {"好中心": EVALUATED, "broken": BAD_INPUT, "未审批": BAD_INPUT}
    unapproved_entry = summary["centers"][2]
    assert [p["code"] for p in unapproved_entry["problems"]] == ["nothing-to-evaluate"]
    assert (summary["evaluated"], summary["bad_input"], summary["exit_code"]) == (1, 2, 2)
    # only the good center's review was written and recorded
    assert sorted(p.name for p in out.iterdir()) == ["好中心.json"]
    assert len(History(good).review_records()) == 1
    assert History(broken).dump() == before
    assert written(unapproved) == []
    table = cli("group", "evaluate", group, "--scheduler", scheduler, "--lang", "zh")
    assert table.exit_code == 2
    rows = table.stdout.splitlines()
    assert rows[0].split()[:3] == ["中心", "周期", "状态"]
    assert "已评估" in rows[1] and "输入有误" in rows[2]
    assert "3 个中心中有 2 个未完成评估" in table.stderr


def _no_history(folder: str, names: list[str]) -> list[str]:
    return [".ccrules"] if ".ccrules" in names else []


def test_no_history_evaluates_without_recording(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    center = Path(shutil.copytree(approved / "bpo-inbound", tmp_path / "bpo"))
    group = _group_file(tmp_path, {"bpo": center})
    before = History(center).dump()
    result = cli("group", "evaluate", group, "--scheduler", scheduler, "--no-history", "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["centers"]
    assert entry["status"] == EVALUATED
    assert (entry["review_number"], entry["review_recorded"]) == (None, False)
    assert History(center).dump() == before


# --- group report -----------------------------------------------------------------------------


def _links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"#]+)">', page)


def test_each_center_report_is_byte_identical_and_the_group_page_links_them(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    centers = _centers(approved, tmp_path / "group")
    alone = _centers(approved, tmp_path / "alone")
    for folder in (centers["bpo"], alone["bpo"]):  # one center evaluated: its review shows
        cycle = _first_cycle(folder)
        assert _run("evaluate", folder, "--cycle", cycle, "-q").exit_code == 0
    broken = Path(shutil.copytree(approved / "bpo-inbound", tmp_path / "group" / "broken"))
    line = _break(broken)
    group = _group_file(tmp_path / "group", {**centers, "坏中心": broken})
    before = {name: written(folder) for name, folder in {**centers, "坏中心": broken}.items()}
    out = tmp_path / "pages"
    result = cli(
        "group", "report", group, "--scheduler", scheduler, "--out", out, "--lang", "zh", "--json"
    )
    assert result.exit_code == 2, result.stderr
    assert f"坏中心: data/qa.csv:{line}" in result.stderr
    summary = json.loads(result.stdout)
    assert [c["status"] for c in summary["centers"]] == [REPORTED] * 4 + [BAD_INPUT]
    for name in NAMES:
        single = tmp_path / f"{name}.html"
        done = cli("report", alone[name], "--lang", "zh", "--out", single, "-q")
        assert done.exit_code == 0, done.stderr
        (written_page,) = (out / name).iterdir()
        assert written_page.name.endswith(".zh.html")
        assert written_page.read_bytes() == single.read_bytes(), name
    # nothing for the broken center; nothing recorded in any center
    assert sorted(p.name for p in out.iterdir()) == sorted([*NAMES, "index.html"])
    assert {n: written(f) for n, f in {**centers, "坏中心": broken}.items()} == before
    page = (out / "index.html").read_text(encoding="utf-8")
    links = [unquote(link) for link in _links(page)]
    assert len(links) == 4
    assert all((out / link).is_file() for link in links)
    assert sorted(link.split("/")[0] for link in links) == sorted(NAMES)
    assert [c["page"] for c in summary["centers"]] == [*links, None]
    # the page in Chinese: labels, the Chinese names, the failed center with its error
    zh = LABELS["zh"]
    assert '<html lang="zh-Hans">' in page
    for key in ("group_summary", "group_centers", "group_needs_met", "group_bad_input"):
        assert zh[key] in page, key
    assert "fintech-金融" in page and "坏中心" in page
    assert f"data/qa.csv:{line}" in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    # the review figures of the one evaluated center
    assert f"<b>1</b><span>{zh['group_reviewed']}</span>" in page
    bpo = next(c for c in summary["centers"] if c["name"] == "bpo")
    assert bpo["review"] is not None and bpo["approved_revision"] == 1
    assert summary["review_total"]["centers"] == 1
    # the same inputs again: the same bytes
    again = tmp_path / "again"
    cli("group", "report", group, "--scheduler", scheduler, "--out", again, "--lang", "zh")
    assert (again / "index.html").read_bytes() == (out / "index.html").read_bytes()


def test_the_group_page_in_english_and_its_default_folder(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    center = Path(shutil.copytree(approved / "telecom-hotline", tmp_path / "telecom"))
    group = _group_file(tmp_path, {"电信 hotline": center})
    result = cli("group", "report", group, "--scheduler", scheduler, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "group-report"
    page = (out / "index.html").read_text(encoding="utf-8")
    en = LABELS["en"]
    assert '<html lang="en">' in page and en["group_title"].format(group=tmp_path.name) in page
    (link,) = _links(page)
    assert link.startswith("%E7%94%B5%E4%BF%A1%20hotline/report-")  # percent-encoded
    assert (out / unquote(link)).is_file() and not unquote(link).endswith(".zh.html")
    assert "电信 hotline" in page
    assert en["group_reviewed"] not in page  # no center evaluated: no review figures
    assert "group page written to" in result.stderr


def test_a_run_time_failure_of_a_report_names_the_center(
    approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ccrules.report

    center = Path(shutil.copytree(approved / "bpo-inbound", tmp_path / "bpo"))

    def fail(*_: object, **__: object) -> str:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(ccrules.report, "render_report", fail)
    outcome = report_center(Member("一号", center, None), "zh")
    assert outcome.status == FAILED
    assert outcome.error == "RuntimeError: the disk went away"
    assert outcome.page is None
    page = render_group_page("集团", [outcome], "zh")
    assert "RuntimeError: the disk went away" in page and LABELS["zh"]["group_failed"] in page
    assert "<a href" not in page


# --- the JSON summaries ---------------------------------------------------------------------

CENTER_KEYS = {"name", "folder", "cycle", "status", "digest", "problems", "error"}
REVIEW_KEYS = {
    "plan_revision",
    "sessions",
    "needs",
    "needs_met",
    "needs_carried",
    "escalated",
    "on_site_checks",
    "recordings",
    "escalations",
    "trainers_scored",
    "trainers_on_probation",
    "trainers_removed",
    "attrition_warned",
    "figures",
}
FIGURE_KEYS = {"metric", "level", "value", "n", "low", "high", "compared", "verdict"}
PLAN_KEYS = {
    "needs",
    "sessions",
    "attendee_hours",
    "trainer_hours",
    "cost",
    "currency",
    "intervals_below_floor",
}


def test_the_json_summaries_have_their_documented_keys(
    approved: Path, tmp_path: Path, cli: CLI, scheduler: str
) -> None:
    center = Path(shutil.copytree(approved / "bpo-inbound", tmp_path / "bpo"))
    group = _group_file(tmp_path, {"bpo": center})
    evaluated = json.loads(
        cli("group", "evaluate", group, "--scheduler", scheduler, "--json").stdout
    )
    assert set(evaluated) == {
        "group",
        "centers",
        "review_total",
        "evaluated",
        "bad_input",
        "failed",
        "exit_code",
    }
    (entry,) = evaluated["centers"]
    assert set(entry) == CENTER_KEYS | {
        "approved_revision",
        "review",
        "review_number",
        "review_recorded",
    }
    assert set(entry["review"]) == REVIEW_KEYS
    assert entry["review"]["figures"]
    assert all(set(f) == FIGURE_KEYS for f in entry["review"]["figures"])
    assert set(evaluated["review_total"]) == (
        REVIEW_KEYS - {"plan_revision", "figures", "trainers_scored"}
    ) | {"centers"}
    reported = json.loads(
        cli(
            "group", "report", group, "--scheduler", scheduler, "--out", tmp_path / "o", "--json"
        ).stdout
    )
    assert set(reported) == {
        "group",
        "centers",
        "total",
        "review_total",
        "reported",
        "bad_input",
        "failed",
        "exit_code",
    }
    (entry,) = reported["centers"]
    assert set(entry) == CENTER_KEYS | {"summary", "approved_revision", "review", "page"}
    assert set(entry["summary"]) == PLAN_KEYS
    assert set(entry["review"]) == REVIEW_KEYS  # evaluated above
    assert reported["exit_code"] == evaluated["exit_code"] == 0


def test_an_unwritable_out_folder_is_refused_before_anything_runs(
    approved: Path, tmp_path: Path, cli: CLI
) -> None:
    center = Path(shutil.copytree(approved / "bpo-inbound", tmp_path / "bpo"))
    group = _group_file(tmp_path, {"bpo": center})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    before = written(center)
    for command in ("report", "evaluate"):
        result = cli("group", command, group, "--out", blocker / "pages")
        assert result.exit_code == 2, (command, result.stderr)
        assert f"{blocker / 'pages'}: cannot write the" in result.stderr
        assert "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"
    assert written(center) == before
    assert not (tmp_path / "group-report").exists()
