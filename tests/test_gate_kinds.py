"""Every kind of bad input the input gate reports, in the evidence files too.

Each case makes one change to a valid center (the tiny one, with a file of every evidence
kind added), runs ``ccrules plan`` and checks the whole of what it says: exactly the expected
``file:line:column: message`` lines, exit code 2, no plan file, no history. Cases that need
no CLI (a center that must load, many duplicates at once) ask ``Engine.from_folder``.
Cases test_bad_input.py already has (the QA file's types, ranges and encodings, the agents
file's duplicates...) are not repeated; the kinds it lacks, and the same kinds in the
evidence files (topics, test calls, exams, career moves...), are here. So are the duplicate
key check's bit-mask path and the documented example rows, which must form a valid center.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import TINY, append_line, line_of, replace_in, written

from ccrules import Engine, InputError, Problem
from ccrules._schema import CORE_SOURCES, DataSource

Run = Callable[..., Result]

SOURCES: dict[str, DataSource] = {source.name: source for source in CORE_SOURCES}

# Valid rows of every evidence file for the tiny center (its agents, competencies, courses,
# teams and roles), in each file's column order.
EVIDENCE: dict[str, list[str]] = {
    "topics": ["FEE,费用说明,C3,BUS,K3", "RISK,风险提示,C1,QA,K1"],
    "test_calls": ["A2,2026-11-02,FEE,false,2,QA-孙琪", "A3,2026-11-03,RISK,true,0,QA-孙琪"],
    "dissatisfied_contacts": [
        "C0004,A2,2026-10-05,FEE,费用没解释清楚,voice",
        "C0100,A3,2026-11-04,RISK,,chat",
    ],
    "floor_help": ["A4,2026-11-05,FEE,help desk"],
    "exams": [
        "EX-11,A2,2026-11-20,C1,72,80,100",
        "EX-11,A2,2026-11-20,C3,90,80,100",
        "EX-11,A3,2026-11-20,C1,85,80,100",
    ],
    "releases": ["R5.2,2026-12-01,App 5.2,Fee shown on its own line,C3,FEE"],
    "strategy_goals": ["G1,Keep customers,C3,AG,85,2", "G1,Keep customers,C2,,80,1"],
    "career_moves": ["A5,2026-12-15,team-change,T1,T2,,", "A2,2027-01-04,promotion,,,AG,TL"],
}


# -- helpers ----------------------------------------------------------------------------------


def data(folder: Path, name: str) -> Path:
    return folder / "data" / f"{name}.csv"


def column_of(path: Path, name: str) -> int:
    """1-based position of column ``name`` in the header of a CSV file."""
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    return header.index(name) + 1


def write_csv(path: Path, header: Sequence[str], lines: Sequence[str]) -> None:
    path.write_text("\n".join([",".join(header), *lines]) + "\n", encoding="utf-8")


def extend(path: Path, lines: Sequence[str]) -> None:
    """Append lines to a CSV file that ends with a newline."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    path.write_text(text + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def problems(folder: Path) -> tuple[Problem, ...]:
    """The errors the input gate finds in a center folder; none if it loads."""
    try:
        engine = Engine.from_folder(folder)
    except InputError as error:
        return error.problems
    engine.close()
    return ()


def refused(cli: Run, folder: Path, *expected: Problem) -> None:
    """Check that ``ccrules plan`` prints exactly the ``expected`` problems (as
    ``file:line:column: message``), exits 2 and writes nothing."""
    out = folder.parent / "plan.json"
    result = cli("plan", folder, "--out", out)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    *printed, summary = result.stderr.splitlines()
    assert printed == [str(problem) for problem in expected]
    assert re.match(rf"{len(expected)} problems? found; nothing was written", summary), summary
    assert not out.exists()
    assert written(folder) == []


def error(folder: Path, name: str, needle: str, column: str, message: str) -> Problem:
    """The problem expected in ``data/<name>.csv`` on the first line containing ``needle``,
    at ``column``."""
    path = data(folder, name)
    return Problem(
        file=f"data/{name}.csv",
        line=line_of(path, needle),
        column=column_of(path, column),
        path=column,
        message=message,
    )


@pytest.fixture
def evidence(tiny: Path) -> Path:
    """The tiny center with a valid file of every evidence kind."""
    for name, lines in EVIDENCE.items():
        write_csv(data(tiny, name), SOURCES[name].column_names, lines)
    return tiny


def test_the_evidence_center_is_valid(evidence: Path, cli: Run) -> None:
    """The base of the cases below: every change they make is the only problem."""
    assert problems(evidence) == ()
    result = cli("validate", evidence)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "OK. 9 agents in 4 teams" in result.stdout


# -- unknown references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "column", "value", "target"),
    [
        pytest.param(
            "trainer_skills", "TR2,C1,92", "TR9,C1,92", "trainer_id", "TR9", "trainers",
            id="trainer",
        ),
        pytest.param(
            "topics", "RISK,风险提示,C1,QA,K1", "RISK,风险提示,C1,QA,K9", "course_id", "K9",
            "courses", id="course",
        ),
        pytest.param(
            "topics", "FEE,费用说明,C3,BUS,", "FEE,费用说明,C3,客服部,", "owner_team_id",
            "客服部", "teams", id="owner-team",
        ),
        pytest.param(
            "floor_help", "A4,2026-11-05,", "A9,2026-11-05,", "agent_id", "A9", "agents",
            id="agent",
        ),
        pytest.param(
            "test_calls", "A3,2026-11-03,RISK,", "A3,2026-11-03,LOAN,", "topic_id", "LOAN",
            "topics", id="topic",
        ),
        pytest.param(
            "exams", "EX-11,A3,2026-11-20,C1,", "EX-11,A3,2026-11-20,C7,", "competency_id",
            "C7", "competencies", id="competency",
        ),
        pytest.param(
            "career_moves", "team-change,T1,T2,", "team-change,T1,T3,", "to_team_id", "T3",
            "teams", id="to-team",
        ),
        pytest.param(
            "strategy_goals", "C3,AG,85", "C3,QC,85", "role_id", "QC", "roles", id="role",
        ),
    ],
)  # fmt: skip
def test_unknown_reference(
    evidence: Path, cli: Run, name: str, old: str, new: str, column: str, value: str, target: str
) -> None:
    replace_in(data(evidence, name), old, new)
    message = f"column \"{column}\": unknown {column} '{value}'; it is not in data/{target}.csv"
    refused(cli, evidence, error(evidence, name, new, column, message))


# -- impossible dates -------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "2026-04-31", "2025-02-29"])
def test_impossible_date(tiny: Path, cli: Run, date: str) -> None:
    replace_in(data(tiny, "qa"), "EV004,A2,2026-10-05,I1,", f"EV004,A2,{date},I1,")
    message = f"column \"date\": '{date}' is not a date (YYYY-MM-DD)"
    refused(cli, tiny, error(tiny, "qa", f"EV004,A2,{date},", "date", message))


def test_impossible_date_in_an_evidence_file(evidence: Path, cli: Run) -> None:
    replace_in(data(evidence, "floor_help"), "2026-11-05", "2026-11-31")
    message = "column \"date\": '2026-11-31' is not a date (YYYY-MM-DD)"
    refused(cli, evidence, error(evidence, "floor_help", "2026-11-31", "date", message))


# -- numbers out of range ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "column", "message"),
    [
        pytest.param(
            "exams", "C3,90,80,100", "C3,101,80,100", "score", "score 101 is outside 0..100",
            id="exam-score-above-max",
        ),
        pytest.param(
            "exams", "C1,85,80,100", "C1,85,120,100", "pass_mark",
            "pass_mark 120 is above max_score 100", id="pass-mark-above-max",
        ),
        pytest.param(
            "exams", "C1,85,80,100", "C1,-5,80,100", "score",
            'column "score": -5 is below 0; expected 0 or more', id="negative-exam-score",
        ),
        pytest.param(
            "exams", "C1,85,80,100", "C1,0,0,0", "max_score", "max_score 0 must be above 0",
            id="exam-max-0",
        ),
        pytest.param(
            "test_calls", "false,2,QA", "false,-1,QA", "errors",
            'column "errors": -1 is below 0; expected 0 or more', id="negative-errors",
        ),
        pytest.param(
            "strategy_goals", "C3,AG,85,", "C3,AG,120,", "target_level",
            'column "target_level": 120 is outside 0..100', id="target-level-above-100",
        ),
        pytest.param(
            "trainer_skills", "TR1,C2,90", "TR1,C2,100.5", "level",
            'column "level": 100.5 is outside 0..100', id="skill-level-above-100",
        ),
    ],
)  # fmt: skip
def test_number_out_of_range(
    evidence: Path, cli: Run, name: str, old: str, new: str, column: str, message: str
) -> None:
    replace_in(data(evidence, name), old, new)
    refused(cli, evidence, error(evidence, name, new, column, message))


def test_score_above_an_empty_max_score(evidence: Path, cli: Run) -> None:
    """max_score is optional (100 when the column is absent); left empty on a row, the
    score is still checked against something, not let through as 150 out of nothing."""
    replace_in(data(evidence, "exams"), "C3,90,80,100", "C3,150,80,")
    assert problems(evidence) != ()


# -- row checks and choices -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        pytest.param(
            "A5,2026-12-15,team-change,T1,T2,,",
            "A5,2026-12-15,team-change,T1,,,",
            "to_team_id",
            "a team-change needs to_team_id or to_role_id",
            id="no-destination",
        ),
        pytest.param(
            "A2,2027-01-04,promotion,,,AG,TL",
            "A2,2027-01-04,promotion,,T2,AG,",
            "to_role_id",
            "a promotion needs to_role_id",
            id="promotion-without-role",
        ),
        pytest.param(
            "A5,2026-12-15,team-change,T1,T2,,",
            "A5,2026-12-15,demotion,T1,T2,,",
            "to_role_id",
            "a demotion needs to_role_id",
            id="demotion-without-role",
        ),
    ],
)
def test_incomplete_career_move(
    evidence: Path, cli: Run, old: str, new: str, column: str, message: str
) -> None:
    replace_in(data(evidence, "career_moves"), old, new)
    refused(cli, evidence, error(evidence, "career_moves", new, column, message))


def test_career_move_with_nowhere_to_go_breaks_both_checks(evidence: Path, cli: Run) -> None:
    moves = data(evidence, "career_moves")
    replace_in(moves, "A2,2027-01-04,promotion,,,AG,TL", "A2,2027-01-04,promotion,,,AG,")
    needle = "promotion,,,AG,"
    refused(
        cli,
        evidence,
        error(
            evidence,
            "career_moves",
            needle,
            "to_team_id",
            "a promotion needs to_team_id or to_role_id",
        ),
        error(
            evidence,
            "career_moves",
            needle,
            "to_role_id",
            "a promotion needs to_role_id",
        ),
    )


def test_unknown_career_move_kind(evidence: Path, cli: Run) -> None:
    replace_in(data(evidence, "career_moves"), ",team-change,", ",move,")
    message = "column \"kind\": 'move' is not one of transfer, promotion, demotion, team-change"
    refused(cli, evidence, error(evidence, "career_moves", ",move,", "kind", message))


# -- duplicate keys in the evidence files -----------------------------------------------------


def test_duplicate_dissatisfied_contact(evidence: Path, cli: Run) -> None:
    contacts = data(evidence, "dissatisfied_contacts")
    first = line_of(contacts, "C0004,")
    append_line(contacts, "C0004,A4,2026-11-06,RISK,,voice")
    message = f"duplicate contact_id 'C0004' (first at line {first})"
    refused(
        cli,
        evidence,
        error(evidence, "dissatisfied_contacts", "C0004,A4,", "contact_id", message),
    )


def test_duplicate_exam_section(evidence: Path, cli: Run) -> None:
    """Same exam, agent and competency twice (another date and score do not make it new)."""
    exams = data(evidence, "exams")
    first = line_of(exams, "EX-11,A2,2026-11-20,C3,")
    append_line(exams, "EX-11,A2,2026-11-21,C3,60,80,100")
    message = (
        "duplicate exam_id and agent_id and competency_id 'EX-11', 'A2', 'C3' "
        f"(first at line {first})"
    )
    refused(cli, evidence, error(evidence, "exams", "2026-11-21", "exam_id", message))


def test_same_exam_section_for_another_agent_is_no_duplicate(evidence: Path) -> None:
    append_line(data(evidence, "exams"), "EX-11,A4,2026-11-20,C3,60,80,100")
    assert problems(evidence) == ()


def test_duplicate_goal_for_every_role(evidence: Path, cli: Run) -> None:
    """role_id, the key's last column, is optional: two rows leaving it empty are the same
    goal twice."""
    goals = data(evidence, "strategy_goals")
    first = line_of(goals, "G1,Keep customers,C2,,")
    append_line(goals, "G1,Keep customers too,C2,,90,1")
    message = (
        "duplicate goal_id and competency_id and role_id 'G1', 'C2', (empty) "
        f"(first at line {first})"
    )
    refused(
        cli,
        evidence,
        error(evidence, "strategy_goals", "customers too", "goal_id", message),
    )


def test_goal_for_every_role_and_for_one_role_is_no_duplicate(evidence: Path) -> None:
    append_line(data(evidence, "strategy_goals"), "G1,Keep customers,C2,AG,90,1")
    assert problems(evidence) == ()


def test_duplicate_trainer_skill(evidence: Path, cli: Run) -> None:
    skills = data(evidence, "trainer_skills")
    first = line_of(skills, "TR1,C2,")
    append_line(skills, "TR1,C2,60")
    message = f"duplicate trainer_id and competency_id 'TR1', 'C2' (first at line {first})"
    refused(cli, evidence, error(evidence, "trainer_skills", "TR1,C2,60", "trainer_id", message))


# -- the bit-mask duplicate check: a QA form of 130 items, three 64-bit words ------------------

ITEMS = 130
WIDE_EVALUATIONS = ("EW01", "EW02", "EW03")


@pytest.fixture
def wide(tiny: Path) -> tuple[Path, list[str]]:
    """The tiny center with a QA form of 130 items (its 3 and 127 more, mapped to its
    competencies) and three evaluations scoring every item; the item ids sorted."""
    extra = [f"X{n:03d}" for n in range(ITEMS - 3)]
    ids = sorted(["I1", "I2", "I3", *extra])
    assert len(ids) == ITEMS
    extend(
        data(tiny, "qa_items"), [f"{item},C{n % 3 + 1},项目 {n}" for n, item in enumerate(extra)]
    )
    extend(
        data(tiny, "qa"),
        [
            f"{evaluation},A2,2026-11-10,{item},8,10,QA-W,voice,"
            for evaluation in WIDE_EVALUATIONS
            for item in ids
        ],
    )
    return tiny, ids


def test_wide_form_without_duplicates_passes(wide: tuple[Path, list[str]]) -> None:
    """Every evaluation has items on the same bit of different words (3 and 67, 1 and 129):
    none of them is a duplicate."""
    folder, _ = wide
    assert problems(folder) == ()


@pytest.mark.parametrize("position", [3, 63, 64, 70, 129])
def test_wide_form_duplicate_in_each_word(
    wide: tuple[Path, list[str]], cli: Run, position: int
) -> None:
    """Position 3 is in the first word, 70 in the second, 129 in the third; 63 and 64 are the
    last bit of one word and the first of the next."""
    folder, ids = wide
    item = ids[position]
    qa = data(folder, "qa")
    first = line_of(qa, f"EW02,A2,2026-11-10,{item},8,")
    line = append_line(qa, f"EW02,A2,2026-11-10,{item},5,10,QA-W,voice,")
    refused(
        cli,
        folder,
        Problem(
            file="data/qa.csv",
            line=line,
            column=1,
            path="evaluation_id",
            message=f"duplicate evaluation_id and item_id 'EW02', '{item}' (first at line {first})",
        ),
    )


def test_wide_form_duplicates_in_several_words_are_all_reported(
    wide: tuple[Path, list[str]],
) -> None:
    folder, ids = wide
    qa = data(folder, "qa")
    items = [ids[position] for position in (3, 70, 129)]
    firsts = [line_of(qa, f"EW03,A2,2026-11-10,{item},8,") for item in items]
    lines = [append_line(qa, f"EW03,A2,2026-11-10,{item},5,10,QA-W,voice,") for item in items]
    assert [(p.file, p.line, p.code, p.message) for p in problems(folder)] == [
        (
            "data/qa.csv",
            line,
            "duplicate-key",
            f"duplicate evaluation_id and item_id 'EW03', '{item}' (first at line {first})",
        )
        for item, first, line in zip(items, firsts, lines, strict=True)
    ]


def test_wide_form_same_item_in_other_evaluations_is_no_duplicate(
    wide: tuple[Path, list[str]],
) -> None:
    folder, ids = wide
    qa = data(folder, "qa")
    for position in (3, 70, 129):
        append_line(qa, f"EW98,A2,2026-11-11,{ids[position]},5,10,QA-W,voice,")
        append_line(qa, f"EW99,A2,2026-11-12,{ids[position]},5,10,QA-W,voice,")
    assert problems(folder) == ()


def test_wide_form_duplicate_of_an_unknown_item_is_reported_as_unknown(
    wide: tuple[Path, list[str]],
) -> None:
    """An item not on the form is the reference check's to report, once per row."""
    folder, _ = wide
    qa = data(folder, "qa")
    lines = [append_line(qa, "EW02,A2,2026-11-10,ZZ9,5,10,QA-W,voice,") for _ in range(2)]
    found = problems(folder)
    assert [(p.line, p.path, p.code) for p in found] == [
        (line, "item_id", "unknown-reference") for line in lines
    ]


@pytest.mark.parametrize(
    ("old", "new", "refused_at"),
    [
        pytest.param(",", ";", 1, id="form-file-unreadable"),
        pytest.param("风险提示完整", "风险提示,完整", 2, id="form-row-refused"),
    ],
)
def test_qa_duplicate_is_reported_when_its_form_item_is_refused(
    tiny: Path, old: str, new: str, refused_at: int
) -> None:
    """Every problem in one run: the form's, and qa's duplicate on one of its items."""
    line = append_line(data(tiny, "qa"), "EV004,A2,2026-10-05,I1,5,10,QA-孙琪,voice,C0004")
    replace_in(data(tiny, "qa_items"), old, new, count=-1)
    found = [(p.file, p.line) for p in problems(tiny)]
    assert ("data/qa_items.csv", refused_at) in found
    assert ("data/qa.csv", line) in found


# -- the other kinds, in the evidence files ---------------------------------------------------


def test_missing_required_column_in_an_evidence_file(evidence: Path, cli: Run) -> None:
    topics = data(evidence, "topics")
    rows = list(csv.reader(topics.read_text(encoding="utf-8").splitlines()))
    keep = [i for i, name in enumerate(rows[0]) if name != "competency_id"]
    header, *lines = [",".join(row[i] for i in keep) for row in rows]
    write_csv(topics, header.split(","), lines)
    refused(
        cli,
        evidence,
        Problem(
            file="data/topics.csv",
            line=1,
            path="competency_id",
            message='missing column "competency_id" (The competency the topic calls on); '
            "the header has: topic_id, name, owner_team_id, course_id",
        ),
    )


def test_optional_column_absent_takes_its_default(evidence: Path) -> None:
    """exams without max_score: every exam is out of 100, so a score of 90 is fine."""
    exams = data(evidence, "exams")
    write_csv(
        exams,
        SOURCES["exams"].column_names[:-1],
        [line.rsplit(",", 1)[0] for line in EVIDENCE["exams"]],
    )
    assert problems(evidence) == ()


def test_unknown_column_in_an_evidence_file_is_only_a_warning(evidence: Path, cli: Run) -> None:
    exams = data(evidence, "exams")
    write_csv(
        exams,
        [*SOURCES["exams"].column_names, "备注"],
        [f"{line},补考" for line in EVIDENCE["exams"]],
    )
    column = column_of(exams, "备注")
    result = cli("validate", evidence, "--json")
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert document["errors"] == []
    assert document["warnings"] == [
        {
            "file": "data/exams.csv",
            "line": 1,
            "column": column,
            "path": "备注",
            "message": 'unknown column "备注" is ignored; known columns: exam_id, agent_id, '
            "date, competency_id, score, pass_mark, max_score",
            "severity": "warning",
            "code": "unknown-column",
        }
    ]
    assert written(evidence) == []


@pytest.mark.parametrize(
    ("name", "old", "new", "column", "message"),
    [
        pytest.param(
            "test_calls", "RISK,true,0,", "RISK,maybe,0,", "passed",
            "column \"passed\": 'maybe' is not true or false", id="boolean",
        ),
        pytest.param(
            "test_calls", "false,2,QA", "false,2.5,QA", "errors",
            "column \"errors\": '2.5' is not a whole number", id="integer",
        ),
        pytest.param(
            "exams", "C3,90,80", "C3,九十,80", "score",
            "column \"score\": '九十' is not a number", id="number",
        ),
        pytest.param(
            "teams", "T2,Beta 二组,B1,front-line,13:00,", "T2,Beta 二组,B1,front-line,1pm,",
            "shift_start", "column \"shift_start\": '1pm' is not a time of day (HH:MM)",
            id="time",
        ),
    ],
)  # fmt: skip
def test_wrong_type(
    evidence: Path, cli: Run, name: str, old: str, new: str, column: str, message: str
) -> None:
    replace_in(data(evidence, name), old, new)
    refused(cli, evidence, error(evidence, name, new, column, message))


def test_empty_evidence_file(evidence: Path, cli: Run) -> None:
    """An optional file may be left out, but a file with nothing in it is a mistake."""
    data(evidence, "floor_help").write_bytes(b"")
    refused(
        cli,
        evidence,
        Problem(
            file="data/floor_help.csv",
            message="file is empty; expected a header row with columns agent_id, date, "
            "topic_id, helper",
        ),
    )


def test_header_only_evidence_file_is_accepted(evidence: Path) -> None:
    write_csv(data(evidence, "floor_help"), SOURCES["floor_help"].column_names, [])
    assert problems(evidence) == ()


def test_header_only_course_catalogue(evidence: Path, cli: Run) -> None:
    """courses must have rows; what refers to it is then not reported course by course."""
    write_csv(data(evidence, "courses"), SOURCES["courses"].column_names, [])
    refused(
        cli,
        evidence,
        Problem(
            file="data/courses.csv",
            message="file has a header but no rows; at least one row is needed",
        ),
    )


@pytest.mark.parametrize(("delimiter", "label"), [("\t", "tab"), ("|", "pipe")])
def test_wrong_delimiter_in_an_evidence_file(
    evidence: Path, cli: Run, delimiter: str, label: str
) -> None:
    exams = data(evidence, "exams")
    exams.write_text(exams.read_text(encoding="utf-8").replace(",", delimiter), encoding="utf-8")
    refused(
        cli,
        evidence,
        Problem(
            file="data/exams.csv",
            line=1,
            message=f"the file looks {label}-separated; ccrules reads comma-separated CSV. "
            "Export it again with commas, or convert it",
        ),
    )


def test_evidence_file_in_gbk(evidence: Path, cli: Run) -> None:
    contacts = data(evidence, "dissatisfied_contacts")
    line = line_of(contacts, "费用没解释清楚")
    contacts.write_bytes(contacts.read_text(encoding="utf-8").encode("gbk"))
    refused(
        cli,
        evidence,
        Problem(
            file="data/dissatisfied_contacts.csv",
            line=line,
            message="file is not UTF-8 text; it looks like GBK/GB18030 (Chinese Excel's "
            "default); convert it with `iconv -f GB18030 -t UTF-8 "
            "data/dissatisfied_contacts.csv > fixed.csv` or save it from Excel as 'CSV UTF-8'",
        ),
    )


def test_truncated_last_line_of_an_evidence_file(evidence: Path, cli: Run) -> None:
    calls = data(evidence, "test_calls")
    text = calls.read_text(encoding="utf-8")
    calls.write_text(text + "A4,2026-11-06,FEE", encoding="utf-8")  # cut, no newline
    refused(
        cli,
        evidence,
        Problem(
            file="data/test_calls.csv",
            line=text.count("\n") + 1,
            message="the row has 3 of 6 values; is the line cut short, or a value not quoted?",
        ),
    )


# -- several problems, as JSON ----------------------------------------------------------------


def test_validate_json_lists_problems_of_two_evidence_files(evidence: Path, cli: Run) -> None:
    exams, calls = data(evidence, "exams"), data(evidence, "test_calls")
    replace_in(exams, "C3,90,80,100", "C3,101,80,100")
    replace_in(calls, "A3,2026-11-03,RISK,", "A3,2026-11-03,LOAN,")
    result = cli("validate", evidence, "--json")
    assert result.exit_code == 2
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"ok", "errors", "warnings"}
    assert document["ok"] is False
    assert document["warnings"] == []
    # file by file; which file comes first is the gate's business
    assert sorted(document["errors"], key=lambda error: str(error["file"])) == [
        {
            "file": "data/exams.csv",
            "line": line_of(exams, ",101,"),
            "column": column_of(exams, "score"),
            "path": "score",
            "message": "score 101 is outside 0..100",
            "severity": "error",
            "code": "out-of-range",
        },
        {
            "file": "data/test_calls.csv",
            "line": line_of(calls, "LOAN"),
            "column": column_of(calls, "topic_id"),
            "path": "topic_id",
            "message": "column \"topic_id\": unknown topic_id 'LOAN'; it is not in data/topics.csv",
            "severity": "error",
            "code": "unknown-reference",
        },
    ]
    assert written(evidence) == []


# -- the documented example rows --------------------------------------------------------------


def _example(source: str, column: str) -> str:
    return SOURCES[source].column(column).example


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A center whose every data file is its one documented example row."""
    folder = tmp_path / "examples"
    (folder / "data").mkdir(parents=True)
    toml = (TINY / "center.toml").read_text(encoding="utf-8")
    team, competency = _example("teams", "team_id"), _example("competencies", "competency_id")
    for old, new in (('"C3"', competency), ('"QA"', team), ('"BUS"', team)):
        assert old in toml
        toml = toml.replace(old, f'"{new}"')
    (folder / "center.toml").write_text(toml, encoding="utf-8")
    tiny_files = {path.stem for path in (TINY / "data").glob("*.csv")}
    assert tiny_files <= set(SOURCES)  # every file of tiny is replaced
    for source in CORE_SOURCES:
        with data(folder, source.name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(source.column_names)
            writer.writerow([column.example for column in source.columns])
    return folder


def test_every_core_column_has_an_example() -> None:
    """Every required column has an example value, so the example row is complete."""
    for source in CORE_SOURCES:
        for column in source.columns:
            assert column.example or not column.required, f"{source.name}.{column.name}"


def test_example_rows_are_a_valid_center(examples: Path, cli: Run) -> None:
    check = cli("validate", examples, "--json")
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout) == {"ok": True, "errors": [], "warnings": []}
    text = cli("validate", examples)
    assert text.exit_code == 0, text.stderr
    assert f"{examples}: OK. 1 agents in 1 teams, 1 competencies, 1 courses, 1 trainers" in (
        text.stdout
    )
    plan = cli("plan", examples, "--json", "--out", examples.parent / "plan.json")
    assert plan.exit_code == 0, plan.stderr
    assert (examples.parent / "plan.json").is_file()
