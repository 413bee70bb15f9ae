"""Synthetic centers: a center folder of any size that ``ccrules plan`` accepts.

``ccrules synth OUT_DIR --agents N --qa-rows M --seed S`` writes teams of 10-20 agents with
their leads and shifts, roles with competency profiles, a few weak competencies per team,
lenient and harsh QA evaluators, every evidence file, a trainer pool and a course catalogue.

The small files are made in Python; the large ones (QA, KPIs, test calls...) are written by
DuckDB straight from a ``range()``, so rows stream to disk and memory stays flat however many
QA rows are asked for. Randomness is an integer hash of (seed, row, purpose), the same on
every machine and DuckDB version: a seed always gives the same files, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import attrs
import duckdb

from ccrules._exactpath import exact_path
from ccrules._schema import CORE_SOURCES

__all__ = ["SynthSpec", "write_center"]

_COLUMNS = {source.name: source.column_names for source in CORE_SOURCES}

Model = Literal["inhouse", "bpo"]
Format = Literal["csv", "parquet"]

#: The cycle a synthetic center plans: one working week. Evidence is the 90 days before.
CYCLE_START = dt.date(2026, 12, 7)
CYCLE_END = dt.date(2026, 12, 11)
#: QA and other evidence reach this many days back (a third of it outside the window).
HISTORY_DAYS = 120

# competency id, name, category, kind
COMPETENCIES: tuple[tuple[str, str, str, str], ...] = (
    ("C-BILL", "账单查询 Billing enquiries", "business", "knowledge"),
    ("C-PLAN", "套餐变更 Plan changes", "business", "knowledge"),
    ("C-COMPLY", "合规话术 Compliance scripts", "business", "knowledge"),
    ("C-SYSTEM", "系统操作 System use", "business", "skill"),
    ("C-RESOLVE", "一次解决 First-contact resolution", "business", "skill"),
    ("C-RETAIN", "降档挽留 Retention on downgrade", "business", "skill"),
    ("C-SALES", "需求挖掘 Needs discovery", "business", "skill"),
    ("C-TICKET", "工单派发 Ticket dispatch", "business", "skill"),
    ("C-EMPATHY", "同理心 Empathy", "non-business", "attitude"),
    ("C-CALM", "安抚情绪 Calming an angry caller", "non-business", "skill"),
    ("C-TEAM", "团队协作 Teamwork", "non-business", "attitude"),
    ("C-STRESS", "压力管理 Stress management", "non-business", "skill"),
    ("C-COACH", "辅导他人 Coaching others", "non-business", "skill"),
    ("C-LEAD", "班组管理 Leading a team", "non-business", "skill"),
)
#: The QA form: two items per competency an agent is scored on.
QA_COMPETENCIES = tuple(c[0] for c in COMPETENCIES[:10])
ITEMS_PER_COMPETENCY = 2
#: Roles: id, name, track, level offset over the agent profile, extra competencies.
ROLES: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("AG", "坐席 Agent", "front-line", 0, ()),
    ("SA", "资深坐席 Senior agent", "front-line", 5, ("C-COACH",)),
    ("TL", "组长 Team lead", "management", 5, ("C-COACH", "C-LEAD")),
)
SHIFTS = (("07:00", "16:00"), ("09:00", "18:00"), ("11:00", "20:00"), ("14:00", "23:00"))
METRICS = (("csat", 4.5, 0.4), ("fcr", 0.78, 0.08), ("dispatch_rate", 0.14, 0.05))
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"

# The hash: lowbias32 over (seed, row, purpose), in SQL and in Python alike.
_MASK = 0xFFFFFFFF


def _mix(row: int, purpose: int, seed: int) -> int:
    x = ((row % 1000000007) * 2654435761 + purpose * 40503 + seed * 97 + 1) & _MASK
    for _ in range(2):
        x ^= x >> 16
        x = (x * 73244475) & _MASK
    return x ^ (x >> 16)


def _macros(seed: int) -> str:
    """``h(a, b)``: :func:`_mix` in SQL; ``u(a, b)``: the same as a number in [0, 1)."""
    mix = f"((a::BIGINT % 1000000007) * 2654435761 + (b) * 40503 + {seed * 97 + 1}) % 4294967296"
    return (
        f"CREATE OR REPLACE MACRO _h0(a, b) AS ({mix})::UBIGINT;"
        "CREATE OR REPLACE MACRO _h1(x) AS ((xor(x, x >> 16)) * 73244475) % 4294967296;"
        "CREATE OR REPLACE MACRO h(a, b) AS "
        "xor(_h1(_h1(_h0(a, b))), _h1(_h1(_h0(a, b))) >> 16);"
        "CREATE OR REPLACE MACRO u(a, b) AS (h(a, b) / 4294967296.0);"
    )


@attrs.frozen
class SynthSpec:
    """What to generate.

    :param agents: agents on the floor, team leads included (at least 20).
    :param qa_rows: QA rows (scored form items); evaluations have 20 items each.
    :param seed: the same seed gives the same files.
    :param model: ``inhouse`` (own trainers, team leads, top agents) or ``bpo`` (a vendor
        running the center for a client, with contracted, charged trainers).
    :param format: ``csv`` or ``parquet`` for the large files.
    """

    agents: int
    qa_rows: int
    seed: int = 1
    model: Model = "inhouse"
    format: Format = "csv"


class _Writer:
    def __init__(self, folder: Path, spec: SynthSpec, report: Callable[[str], None]) -> None:
        self.data = folder / "data"
        self.spec = spec
        self.report = report
        self.con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
        self.con.execute(_macros(spec.seed))

    def rows(self, name: str, rows: Sequence[Sequence[object]]) -> None:
        """A small file, written from Python rows in its schema's column order (always CSV:
        they are tiny)."""
        with (self.data / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(_COLUMNS[name])
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        self.report(f"wrote data/{name}.csv ({len(rows):,} rows)")

    def query(self, name: str, sql: str) -> None:
        """A large file, streamed by DuckDB from a query, in the spec's format."""
        started = time.perf_counter()
        path = self.data / f"{name}.{self.spec.format}"
        options = "FORMAT parquet" if self.spec.format == "parquet" else "HEADER, DELIMITER ','"
        target = str(path).replace("'", "''")
        self.con.execute(f"COPY ({sql}) TO '{target}' ({options})")
        self.report(f"wrote data/{path.name} in {time.perf_counter() - started:.1f} s")

    def table(self, name: str) -> None:
        """Make a small file just written queryable by the large queries."""
        with exact_path(self.data / (name + ".csv")) as exact:
            self.con.execute(
                f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv($p, "
                "header=true, all_varchar=true)",
                {"p": exact},
            )


def write_center(
    folder: Path, spec: SynthSpec, report: Callable[[str], None] = lambda _: None
) -> None:
    """Write a synthetic center folder (``center.toml`` and ``data/``) to ``folder``.

    The folder must not exist yet, or be empty.
    """
    if spec.agents < 20:
        raise ValueError("a synthetic center needs at least 20 agents")
    if spec.qa_rows < 0:
        raise ValueError("qa_rows must be 0 or more")
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    (folder / "data").mkdir()
    rng = random.Random(spec.seed)
    w = _Writer(folder, spec, report)
    try:
        teams = _people(w, rng)
        _catalogue(w)
        _trainers(w, rng, teams)
        _evidence(w)
        _workforce(w)
    finally:
        w.con.close()
    (folder / "center.toml").write_text(_center_toml(spec), encoding="utf-8")


# -- people -------------------------------------------------------------------------------


def _team_sizes(agents: int, rng: random.Random) -> list[int]:
    sizes: list[int] = []
    left = agents
    while left > 0:
        size = 10 + int(rng.random() * 11)
        if left - size < 10:
            size = left if left <= 20 else left - 10
        sizes.append(size)
        left -= size
    return sizes


def _name(index: int, seed: int) -> str:
    h = _mix(index, 11, seed)
    return FAMILY[h % len(FAMILY)] + GIVEN[(h >> 8) % len(GIVEN)] + GIVEN[(h >> 16) % len(GIVEN)]


def _people(w: _Writer, rng: random.Random) -> list[tuple[str, int, int]]:
    """teams, roles, role profiles, agents; returns (team id, first agent, size) per team."""
    spec = w.spec
    sizes = _team_sizes(spec.agents, rng)
    teams: list[tuple[str, int, int]] = []
    first = 0
    for number, size in enumerate(sizes, start=1):
        teams.append((f"T{number:04d}", first, size))
        first += size
    team_rows: list[tuple[object, ...]] = []
    agent_rows: list[tuple[object, ...]] = []
    for number, (team_id, first, size) in enumerate(teams):
        start, end = SHIFTS[number % len(SHIFTS)]
        team_rows.append(
            (
                team_id,
                f"{_name(number, spec.seed + 1)[0]}组 {team_id}",
                _agent_id(first),
                "front-line",
                start,
                end,
                f"Q{number // 8 + 1:02d}",
            )
        )
        for offset in range(size):
            index = first + offset
            role = "TL" if offset == 0 else ("SA" if offset <= 2 else "AG")
            hired = CYCLE_START - dt.timedelta(days=30 + _mix(index, 12, spec.seed) % 2500)
            status = "leave" if _mix(index, 13, spec.seed) % 50 == 0 else "active"
            agent_rows.append(
                (_agent_id(index), _name(index, spec.seed), team_id, role, hired, status)
            )
    # support teams own KPI uplift (seed 001); they have no agents of their own here
    for team_id, name in (
        ("QA", "质检组 QA team"),
        ("BUS", "业务组 Business team"),
        ("TKT", "工单组 Ticket team"),
        ("HELP", "现场支持 Floor help desk"),
    ):
        team_rows.append((team_id, name, None, "support", None, None, None))
    w.rows("teams", team_rows)
    w.rows("roles", [r[:3] for r in ROLES])
    profiles = []
    for role_id, _, _, offset, extra in ROLES:
        for competency_id, _, category, _ in COMPETENCIES:
            if competency_id in QA_COMPETENCIES or competency_id in extra:
                base = 80 if category == "business" else 75
                profiles.append((role_id, competency_id, base + offset))
    w.rows("role_profiles", profiles)
    w.rows("agents", agent_rows)
    w.table("agents")
    w.con.execute(
        "CREATE OR REPLACE TABLE _agents AS SELECT row_number() OVER () - 1 AS i, "
        "agent_id, team_id, role_id, h(substr(team_id, 2)::BIGINT, 90) % 8 AS th FROM agents"
    )
    return teams


def _agent_id(index: int) -> str:
    return f"A{index + 1:06d}"


# -- catalogue, trainers --------------------------------------------------------------------

FORMATS = (
    ("PS", "晨会分享", "pre-shift", 15, 20),
    ("MV", "微课视频", "micro-video", 12, 1),
    ("CL", "课堂", "classroom", 90, 16),
    ("CO", "一对一辅导", "coaching", 45, 1),
)


def _catalogue(w: _Writer) -> None:
    w.rows(
        "competencies",
        [(*c, "") for c in COMPETENCIES],
    )
    items = []
    for competency_id in QA_COMPETENCIES:
        for n in range(1, ITEMS_PER_COMPETENCY + 1):
            items.append((f"Q-{competency_id[2:]}-{n}", competency_id, f"{competency_id} #{n}"))
    w.rows("qa_items", items)
    w.table("qa_items")
    # a team is weak on a competency when (team hash + competency hash) % 8 == 0; about half
    # of its agents show it
    w.con.execute(
        "CREATE OR REPLACE TABLE _comp AS SELECT competency_id, h(n, 91) % 8 AS ch FROM "
        "(VALUES "
        + ", ".join(f"({n}, '{c}')" for n, c in enumerate(QA_COMPETENCIES))
        + ") v(n, competency_id)"
    )
    w.con.execute(
        "CREATE OR REPLACE TABLE _items AS SELECT row_number() OVER (ORDER BY item_id) - 1 "
        "AS ik, item_id, competency_id, ch FROM qa_items JOIN _comp USING (competency_id)"
    )
    courses = []
    for competency_id, name, category, _ in COMPETENCIES:
        short = name.split(" ", 1)[0]
        for code, label, fmt, minutes, group in FORMATS:
            voluntary = "true" if category == "non-business" and fmt == "classroom" else "false"
            courses.append(
                (
                    f"K-{competency_id[2:]}-{code}",
                    f"{short}{label}",
                    competency_id,
                    fmt,
                    minutes,
                    group,
                    voluntary,
                    None,  # category: the competency's
                )
            )
    courses.append(
        (
            "K-TICKET-SH",
            "跟岗工单组 Shadow the ticket team",
            "C-TICKET",
            "shadowing",
            120,
            2,
            "false",
            None,
        )
    )
    courses.append(
        (
            "K-SYSTEM-CA",
            "新版本组长先学 Release cascade",
            "C-SYSTEM",
            "cascade",
            30,
            20,
            "false",
            None,
        )
    )
    w.rows(
        "courses",
        courses,
    )
    topics = []
    owners = {
        "C-BILL": "BUS",
        "C-PLAN": "BUS",
        "C-TICKET": "TKT",
        "C-SYSTEM": "HELP",
        "C-EMPATHY": "QA",
        "C-CALM": "QA",
    }
    for competency_id, name, _, _ in COMPETENCIES[:10]:
        short = name.split(" ", 1)[1]
        for n, what in enumerate(("question", "mistake", "complaint"), start=1):
            topics.append(
                (
                    f"TP-{competency_id[2:]}-{n}",
                    f"{short}: {what}",
                    competency_id,
                    owners.get(competency_id, "HELP"),
                    f"K-{competency_id[2:]}-PS",
                )
            )
    w.rows("topics", topics)


def _trainers(w: _Writer, rng: random.Random, teams: list[tuple[str, int, int]]) -> None:
    spec = w.spec
    rows: list[tuple[object, ...]] = []
    skills: list[tuple[str, str, int]] = []
    business = [c[0] for c in COMPETENCIES if c[2] == "business"]
    others = [c[0] for c in COMPETENCIES if c[2] == "non-business"]
    full_time = max(2, spec.agents // 150)
    kind = "vendor" if spec.model == "bpo" else "full-time"
    cost = 260 if spec.model == "bpo" else 150
    for n in range(full_time):
        trainer_id = f"TR{n + 1:04d}"
        rows.append(
            (
                trainer_id,
                _name(n, spec.seed + 7),
                kind,
                None,
                60,
                cost,
                round(3.5 + rng.random() * 1.4, 1),
            )
        )
        pool = business if n % 2 == 0 else others
        for competency_id in dict.fromkeys((*pool, business[n % len(business)])):
            skills.append((trainer_id, competency_id, 85 + int(rng.random() * 14)))
    # every team lead teaches their team's daily share; every fifth team has a top agent
    for number, (_, first, size) in enumerate(teams):
        lead = _agent_id(first)
        trainer_id = f"TL{number + 1:04d}"
        rows.append((trainer_id, _name(first, spec.seed), "team-lead", lead, 12, 0, None))
        for competency_id in business[number % 3 :: 3]:
            skills.append((trainer_id, competency_id, 86 + int(rng.random() * 10)))
        if number % 5 == 0 and size > 3:
            top = _agent_id(first + 3)
            trainer_id = f"TA{number + 1:04d}"
            rows.append((trainer_id, _name(first + 3, spec.seed), "top-agent", top, 8, 0, None))
            skills.append((trainer_id, business[number % len(business)], 92))
    if spec.model == "bpo":
        rows.append(("TRX01", "Client trainer 客户方讲师", "part-time", None, 16, 400, 4.8))
        skills.append(("TRX01", "C-COMPLY", 98))
    w.rows(
        "trainers",
        rows,
    )
    w.rows("trainer_skills", skills)
    # trainers off the floor teach on weekdays, a morning or an afternoon-evening day
    days = [CYCLE_START + dt.timedelta(days=i) for i in range((CYCLE_END - CYCLE_START).days + 1)]
    w.rows(
        "trainer_availability",
        [
            (row[0], day, *(("08:00", "17:00") if i % 2 == 0 else ("12:00", "21:00")))
            for i, row in enumerate(r for r in rows if r[3] is None)
            for day in days
            if day.weekday() < 5
        ],
    )


# -- evidence -------------------------------------------------------------------------------


def _date(offset_sql: str) -> str:
    """A date ``offset_sql`` days before the cycle (0..HISTORY_DAYS-1 -> 1..HISTORY_DAYS)."""
    return f"(DATE '{CYCLE_START.isoformat()}' - (1 + ({offset_sql}))::INT)"


def _evidence(w: _Writer) -> None:
    spec = w.spec
    items = len(QA_COMPETENCIES) * ITEMS_PER_COMPETENCY
    evaluators = max(4, spec.agents // 250)
    # QA: evaluation e scores every form item; its agent, date, evaluator and channel are
    # hashes of e. An agent's item score is a base ability, lowered on the team's weak
    # competencies (one or two per team, in about half its agents), shifted by the
    # evaluator's bias (evaluator 0 is lenient, 1 harsh), plus noise.
    w.query(
        "qa",
        f"""
        WITH r AS (
            SELECT i, i // {items} AS e, i % {items} AS k FROM range({spec.qa_rows}) t(i)
        ),
        e AS (
            SELECT r.*, h(e, 1) % {spec.agents} AS a, h(e, 3) % {evaluators} AS ev,
                   h(e, 5) % 10 AS ch
            FROM r
        ),
        s AS (
            SELECT e.*, x.agent_id, x.team_id, it.item_id, it.competency_id,
                   CASE WHEN e.k % 4 = 3 THEN 5 ELSE 10 END AS mx,
                   0.86 + (u(e.a, 4) - 0.5) * 0.16
                   - CASE WHEN (x.th + it.ch) % 8 = 0 AND u(e.a * 16 + it.ch, 7) < 0.5
                          THEN 0.2 ELSE 0 END
                   + CASE ev WHEN 0 THEN 0.08 WHEN 1 THEN -0.08 ELSE 0 END
                   + (u(e.i, 6) - 0.5) * 0.2 AS p
            FROM e JOIN _agents x ON x.i = e.a JOIN _items it ON it.ik = e.k
        )
        SELECT 'E' || lpad(e::VARCHAR, 9, '0') AS evaluation_id, agent_id,
               {_date(f"h(e, 2) % {HISTORY_DAYS}")} AS date, item_id,
               round(greatest(0, least(1, p)) * mx)::INT AS score, mx AS max_score,
               'QA' || lpad(ev::VARCHAR, 3, '0') AS evaluator,
               CASE WHEN ch < 7 THEN 'voice' WHEN ch < 9 THEN 'chat' ELSE 'ticket' END
                   AS channel,
               'K' || lpad(e::VARCHAR, 9, '0') AS contact_id
        FROM s ORDER BY s.i
        """,
    )
    agents = spec.agents
    w.query(
        "kpis",
        f"""
        SELECT x.agent_id, (DATE '{CYCLE_START.isoformat()}' - INTERVAL (m + 1) MONTH)::DATE
                   AS period, metric,
               round(base + (u(x.i, 20 + m * 3 + mi) - 0.5) * 2 * spread, 3) AS value
        FROM _agents x, range(3) t(m),
             (VALUES {", ".join(f"({n}, '{m}', {b}, {s})" for n, (m, b, s) in enumerate(METRICS))})
                 v(mi, metric, base, spread)
        ORDER BY x.i, m, mi
        """,
    )
    w.query(
        "test_calls",
        f"""
        SELECT x.agent_id, {_date(f"h(x.i * 4 + n, 30) % {HISTORY_DAYS}")} AS date,
               'TP-' || substr(it.competency_id, 3) || '-' || (1 + h(x.i, 31 + n) % 3)
                   AS topic_id,
               (u(x.i * 4 + n, 32) > CASE WHEN (x.th + it.ch) % 8 = 0 THEN 0.55 ELSE 0.15 END)
                   AS passed,
               (h(x.i * 4 + n, 33) % 3)::INT AS errors,
               'QA' || lpad((h(x.i, 34) % {evaluators})::VARCHAR, 3, '0') AS caller
        FROM _agents x, range(2) t(n)
        JOIN _items it ON it.ik = h(x.i * 4 + n, 35) % {items}
        ORDER BY x.i, n
        """,
    )
    w.query(
        "dissatisfied_contacts",
        f"""
        SELECT 'D' || lpad((x.i * 2 + n)::VARCHAR, 9, '0') AS contact_id, x.agent_id,
               {_date(f"h(x.i * 2 + n, 40) % {HISTORY_DAYS}")} AS date,
               'TP-' || substr(it.competency_id, 3) || '-3' AS topic_id,
               CASE h(x.i, 41 + n) % 3 WHEN 0 THEN '问题没解决 not resolved'
                   WHEN 1 THEN '态度生硬 stiff tone' ELSE '等待太久 waited too long' END AS reason,
               'voice' AS channel
        FROM _agents x, range(2) t(n)
        JOIN _items it ON it.ik = h(x.i * 2 + n, 42) % {items}
        WHERE u(x.i * 2 + n, 43) < 0.6
        ORDER BY x.i, n
        """,
    )
    w.query(
        "floor_help",
        f"""
        SELECT x.agent_id, {_date(f"h(x.i * 3 + n, 50) % {HISTORY_DAYS}")} AS date,
               'TP-' || substr(it.competency_id, 3) || '-1' AS topic_id,
               'help desk' AS helper
        FROM _agents x, range(3) t(n)
        JOIN _items it ON it.ik = h(x.i * 3 + n, 51) % {items}
        WHERE u(x.i * 3 + n, 52) < 0.5
        ORDER BY x.i, n
        """,
    )
    w.query(
        "exams",
        f"""
        SELECT 'EX-' || strftime(d, '%Y-%m') AS exam_id, x.agent_id, d AS date,
               c.competency_id,
               round(greatest(0, least(100, 84 + (u(x.i * 8 + m * 3 + c.n, 60) - 0.5) * 30
                   - CASE WHEN (x.th + c.ch) % 8 = 0 THEN 15 ELSE 0 END)))::INT
                   AS score,
               80 AS pass_mark, 100 AS max_score
        FROM _agents x, range(3) t(m),
             (SELECT (DATE '{CYCLE_START.isoformat()}' - INTERVAL (m + 1) MONTH)::DATE + 19 AS d,
                     m AS mm FROM range(3) q(m)) dd,
             (SELECT * FROM (VALUES (0, 'C-BILL'), (1, 'C-PLAN'), (2, 'C-SYSTEM'))
                  v(n, competency_id) JOIN _comp USING (competency_id)) c
        WHERE dd.mm = m
        ORDER BY x.i, m, c.n
        """,
    )
    w.query(
        "career_moves",
        f"""
        SELECT x.agent_id, (DATE '{CYCLE_START.isoformat()}' + (h(x.i, 70) % 200)::INT - 150)
                   AS date,
               CASE h(x.i, 71) % 4 WHEN 0 THEN 'transfer' WHEN 1 THEN 'promotion'
                   WHEN 2 THEN 'demotion' ELSE 'team-change' END AS kind,
               x.team_id AS from_team_id,
               CASE WHEN h(x.i, 71) % 4 IN (0, 3) THEN y.team_id END AS to_team_id,
               x.role_id AS from_role_id,
               CASE h(x.i, 71) % 4 WHEN 1 THEN 'SA' WHEN 2 THEN 'AG' END AS to_role_id
        FROM _agents x JOIN _agents y ON y.i = (x.i + 97) % {agents}
        WHERE h(x.i, 72) % 40 = 0
        ORDER BY x.i
        """,
    )
    w.rows(
        "releases",
        [
            (
                "R7.1",
                CYCLE_START - dt.timedelta(days=20),
                "账单系统 7.1",
                "New late-fee line on the bill",
                "C-BILL",
                "TP-BILL-1",
            ),
            (
                "R7.1",
                CYCLE_START - dt.timedelta(days=20),
                "账单系统 7.1",
                "Instalments shown per month",
                "C-BILL",
                "TP-BILL-2",
            ),
            (
                "R7.2",
                CYCLE_START + dt.timedelta(days=10),
                "客服工作台 7.2",
                "One-click ticket dispatch",
                "C-SYSTEM",
                "TP-SYSTEM-1",
            ),
            (
                "R7.2",
                CYCLE_START + dt.timedelta(days=10),
                "客服工作台 7.2",
                "Plan change wizard",
                "C-PLAN",
                None,
            ),
        ],
    )
    w.rows(
        "strategy_goals",
        [
            ("G-RETAIN", "降档挽留 Keep downgrading customers", "C-RETAIN", None, 85, 2),
            ("G-SALES", "交叉销售 Cross-selling", "C-SALES", "SA", 85, 1),
            ("G-LEAD", "中层梯队 Middle-management pipeline", "C-LEAD", "TL", 85, 1),
        ],
    )


# A nine-hour shift from its start: phone, short break, phone, lunch, phone, short break,
# phone (minutes from the start of the shift).
_DAY_PLAN = (
    (0, 120, "phone"),
    (120, 135, "break"),
    (135, 240, "phone"),
    (240, 270, "break"),
    (270, 405, "phone"),
    (405, 420, "break"),
    (420, 540, "phone"),
)


def _workforce(w: _Writer) -> None:
    """The roster (shifts: every active agent of a front-line team, about one day off a
    week, starts staggered by 0 or 30 minutes) and a forecast per queue and 30-minute
    interval sized to it: the busiest intervals leave about one agent to spare above the
    80/20 floor, the quiet ones several."""
    w.table("teams")
    w.con.execute(
        "CREATE OR REPLACE MACRO hhmm(m) AS "
        "lpad((m // 60)::VARCHAR, 2, '0') || ':' || lpad((m % 60)::VARCHAR, 2, '0')"
    )
    days = (CYCLE_END - CYCLE_START).days + 1
    plan = " UNION ALL ".join(
        f"SELECT {a} AS a0, {b} AS b0, '{kind}' AS activity" for a, b, kind in _DAY_PLAN
    )
    w.query(
        "shifts",
        f"""
        WITH ag AS (
            SELECT x.i, x.agent_id,
                   hour(t.shift_start::TIME) * 60 + minute(t.shift_start::TIME)
                       + h(x.i, 41) % 2 * 30 AS base
            FROM _agents AS x JOIN agents AS a ON a.agent_id = x.agent_id
            JOIN teams AS t ON t.team_id = x.team_id
            WHERE a.status = 'active' AND t.function = 'front-line'
        ),
        d AS (SELECT day FROM range({days}) r(day)),
        p AS ({plan})
        SELECT ag.agent_id,
               DATE '{CYCLE_START.isoformat()}' + d.day::INT AS date,
               hhmm(ag.base + p.a0) AS start_time, hhmm(ag.base + p.b0) AS end_time,
               p.activity, NULL AS queue
        FROM ag, d, p
        WHERE h(ag.i * 31 + d.day, 43) % 7 <> 0
        ORDER BY ag.agent_id, date, start_time
        """,
    )
    with exact_path(w.data / ("shifts." + w.spec.format)) as exact:
        _traffic(w, "'" + exact.replace("'", "''") + "'")


def _traffic(w: _Writer, source: str) -> None:
    reader = (
        f"read_parquet({source})"
        if w.spec.format == "parquet"
        else f"read_csv({source}, header=true, all_varchar=true)"
    )
    w.query(
        "traffic",
        f"""
        WITH s AS (
            SELECT sh.date::DATE AS date, sh.start_time::TIME AS s0, sh.end_time::TIME AS s1,
                   t.queue
            FROM {reader} AS sh JOIN agents AS a ON a.agent_id = sh.agent_id
            JOIN teams AS t ON t.team_id = a.team_id
            WHERE sh.activity = 'phone'
        ),
        slots AS (SELECT hhmm(m * 30)::TIME AS k0 FROM range(48) r(m)),
        r AS (
            SELECT s.queue, s.date, slots.k0,
                   sum(date_diff('minute',
                       greatest(s.s0, slots.k0),
                       least(s.s1, slots.k0 + INTERVAL 30 MINUTE))) / 30.0 AS agents
            FROM s JOIN slots ON s.s0 < slots.k0 + INTERVAL 30 MINUTE AND slots.k0 < s.s1
            GROUP BY ALL
        )
        SELECT queue, date, hhmm(hour(k0) * 60 + minute(k0)) AS start_time,
               greatest(0, round((floor(agents) - 1.6 * sqrt(floor(agents)) - 1
                   - h(hour(k0) * 7 + dayofweek(date), 47) % 3)
                   * 1800 / (240 + h(hash(queue) % 1000, 49) % 5 * 30)))::BIGINT AS contacts,
               240 + h(hash(queue) % 1000, 49) % 5 * 30 AS aht_seconds
        FROM r
        ORDER BY queue, date, start_time
        """,
    )


def _center_toml(spec: SynthSpec) -> str:
    client = '\nclient = "Client Co. 客户公司"' if spec.model == "bpo" else ""
    return f"""# A synthetic center written by `ccrules synth` (seed {spec.seed}):
# {spec.agents:,} agents, {spec.qa_rows:,} QA rows, {spec.model} model.

[center]
name = "Synthetic {spec.model} center {spec.seed}"
model = "{spec.model}"{client}

[[cycles]]
id = "{CYCLE_START.isocalendar().year}-W{CYCLE_START.isocalendar().week:02d}"
start = {CYCLE_START.isoformat()}
end = {CYCLE_END.isoformat()}

[evidence]
window_days = 90

[service]
interval_minutes = 30
level = 0.8
answer_seconds = 20

[plugins]
enabled = ["default"]

[plugins.default.gaps]
threshold = 10
min_evaluations = 3
owner = "QA"

[[plugins.default.kpis]]
metric = "csat"
below = 4.2
competency = "C-EMPATHY"
owner = "QA"

[[plugins.default.kpis]]
metric = "fcr"
below = 0.7
competency = "C-RESOLVE"
owner = "BUS"

[[plugins.default.kpis]]
metric = "dispatch_rate"
above = 0.2
competency = "C-TICKET"
owner = "TKT"
"""
