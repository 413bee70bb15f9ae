"""Evidence in a warehouse: the large tables read where they live, the gate's checks run
there, and the same plan as from files.

Every test runs against a DuckDB file as the warehouse; the ones marked with the
``postgres_url`` fixture run against PostgreSQL too (CI starts one; elsewhere they skip).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import Result
from tests.conftest import EXAMPLES, written

import ccrules
from ccrules import Engine
from ccrules.errors import InputError

#: sources moved to the warehouse in these tests, by the table name they get there: every
#: source that may live there
MOVED = {
    "qa": "cc.qa_events",
    "kpis": "cc.kpi_values_daily",
    "test_calls": "cc.test_calls",
    "dissatisfied_contacts": "cc.dissatisfied",
    "floor_help": "cc.floor_help",
    "exams": "cc.exam_results",
}
OTHER = "另一个中心"


def _configure(folder: Path, url: str, center: str, tables: dict[str, str]) -> None:
    """Point center.toml's [evidence] at a warehouse: its keys under [evidence], the
    [evidence.tables] sub-table at the end of the file."""
    config = folder / "center.toml"
    text = config.read_text(encoding="utf-8")
    keys = f'warehouse = "{url}"\ncenter_value = "{center}"\n'
    assert "\n[evidence]\n" in text
    text = text.replace("\n[evidence]\n", "\n[evidence]\n" + keys, 1)
    text += "\n[evidence.tables]\n" + "".join(f'{n} = "{t}"\n' for n, t in tables.items())
    config.write_text(text, encoding="utf-8")


class Warehouse:
    """A warehouse for tests: a DuckDB file or a PostgreSQL database."""

    def __init__(self, url: str, path: Path | None = None) -> None:
        self.url = url
        self.path = path

    def put(self, table: str, data: Any, *, append: bool = False) -> None:
        schema, _, name = table.rpartition(".")
        if self.path is not None:
            con = duckdb.connect(str(self.path))
            con.register("data", data)
            if schema:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            if append:
                con.execute(f"INSERT INTO {table} SELECT * FROM data")
            else:
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM data")
            con.close()
        else:
            import ibis

            con = ibis.connect(self.url.replace("postgresql://", "postgres://"))
            if schema:
                con.raw_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}").close()
            if append:
                con.insert(name, obj=data, database=schema or None)
            else:
                con.create_table(name, obj=data, database=schema or None, overwrite=True)
            con.disconnect()

    def execute(self, sql: str) -> None:
        if self.path is not None:
            con = duckdb.connect(str(self.path))
            con.execute(sql)
            con.close()
        else:
            import psycopg

            with psycopg.connect(self.url) as con:
                con.execute(sql)


def _move(folder: Path, warehouse: Warehouse, tables: dict[str, str], center: str) -> None:
    """Move data files of a center folder into warehouse tables with a center column, beside
    the same rows of another center."""
    for name, table in tables.items():
        csv = folder / "data" / f"{name}.csv"
        rows = duckdb.connect()
        for who, append in ((center, False), (OTHER, True)):
            data = rows.sql(f"SELECT '{who}' AS center_id, * FROM read_csv('{csv}')")
            warehouse.put(table, data.to_arrow_table(), append=append)
        csv.unlink()
    _configure(folder, warehouse.url, center, tables)


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    if request.param == "duckdb":
        path = tmp_path / "dw.duckdb"
        duckdb.connect(str(path)).close()
        yield Warehouse(f"duckdb://{path}", path)
    else:
        yield Warehouse(request.getfixturevalue("postgres_url"))


@pytest.fixture
def duckdb_warehouse(tmp_path: Path) -> Warehouse:
    path = tmp_path / "dw.duckdb"
    duckdb.connect(str(path)).close()
    return Warehouse(f"duckdb://{path}", path)


def _copy(tmp_path: Path, name: str, as_: str) -> Path:
    target = tmp_path / as_
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


def _plan_json(cli: Callable[..., Result], folder: Path) -> dict[str, Any]:
    result = cli("plan", folder, "--no-history", "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _without_sources(value: Any, moved: dict[str, str]) -> Any:
    """A plan with each fact's source written as the file it came from."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for name, table in moved.items():
        text = text.replace(f"warehouse:{table}", f"data/{name}.csv")
    return json.loads(text)


@pytest.mark.parametrize(
    "example", ["inhouse-fintech", "bpo-inbound", "telecom-hotline", "tax-software-support"]
)
def test_a_plan_from_the_warehouse_is_the_plan_from_files(
    example: str, warehouse: Warehouse, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    local = _copy(tmp_path, example, "local")
    remote = _copy(tmp_path, example, "remote")
    tables = {k: v for k, v in MOVED.items() if (remote / "data" / f"{k}.csv").exists()}
    _move(remote, warehouse, tables, "这个中心")
    from_files = _plan_json(cli, local)
    from_warehouse = _plan_json(cli, remote)
    # the same decisions, reasons and figures; facts name where their evidence came from
    assert "warehouse:cc.qa_events" in json.dumps(from_warehouse, ensure_ascii=False)
    digest = from_warehouse.pop("digest")
    from_files.pop("digest")
    assert _without_sources(from_warehouse, tables) == _without_sources(from_files, tables)
    # and the same bytes run after run
    again = _plan_json(cli, remote)
    assert again.pop("digest") == digest
    assert again == from_warehouse


def test_the_local_database_never_holds_the_warehouse_rows(
    duckdb_warehouse: Warehouse, tmp_path: Path
) -> None:
    remote = _copy(tmp_path, "inhouse-fintech", "remote")
    moved = {k: v for k, v in MOVED.items() if (remote / "data" / f"{k}.csv").exists()}
    _move(remote, duckdb_warehouse, moved, "这个中心")
    with Engine.from_folder(remote) as engine:
        plan = engine.plan()
        assert plan.needs
        con = engine._con
        for name in moved:
            (rows,) = con.execute(f"SELECT count(*) FROM {name}").fetchone() or (None,)
            assert rows == 0, name  # an empty stand-in: its types, none of its rows
        (scores,) = con.execute("SELECT count(*) FROM competency_scores").fetchone() or (0,)
        assert scores > 0
        assert engine.evidence.source_of("qa") == "warehouse:cc.qa_events"


def test_plugin_queries_over_warehouse_tables_run_there(
    duckdb_warehouse: Warehouse, tmp_path: Path
) -> None:
    local = _copy(tmp_path, "inhouse-fintech", "local")
    remote = _copy(tmp_path, "inhouse-fintech", "remote")
    _move(remote, duckdb_warehouse, {"qa": MOVED["qa"]}, "这个中心")
    query = (
        "SELECT agent_id, count(*) AS evaluations, round(avg(score), 2) AS mean "
        "FROM qa WHERE date BETWEEN $from AND $to AND agent_id <> $skip "
        "GROUP BY agent_id ORDER BY mean DESC, agent_id"
    )
    with Engine.from_folder(local) as a, Engine.from_folder(remote) as b:
        expected = a.evidence.sql(query, {"skip": "nobody"})
        got = b.evidence.sql(query, {"skip": "nobody"})
    assert got == expected
    assert len(got) > 5


def test_the_digest_follows_the_center_s_rows_only(
    duckdb_warehouse: Warehouse, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    remote = _copy(tmp_path, "inhouse-fintech", "remote")
    _move(remote, duckdb_warehouse, {"qa": MOVED["qa"]}, "这个中心")
    first = _plan_json(cli, remote)["digest"]
    # another center's rows change: this center's plan and digest do not
    duckdb_warehouse.execute(f"UPDATE cc.qa_events SET score = 0 WHERE center_id = '{OTHER}'")
    assert _plan_json(cli, remote)["digest"] == first
    # this center's rows change: the digest does
    duckdb_warehouse.execute(
        "UPDATE cc.qa_events SET score = 0 WHERE center_id = '这个中心' AND agent_id = "
        "(SELECT min(agent_id) FROM cc.qa_events)"
    )
    assert _plan_json(cli, remote)["digest"] != first


class SplitPack:
    """A plugin whose query reads QA in a CTE written portably, and finishes in DuckDB-only
    SQL (a list, printf): the CTE runs in the warehouse, the rest locally."""

    QUERY = """
        WITH scored AS (
            SELECT q.agent_id, i.competency_id, count(*) AS items,
                   sum(CAST(q.score AS DECIMAL(18, 4))) AS points
            FROM qa q JOIN qa_items i USING (item_id)
            WHERE q.date BETWEEN $from AND $to
            GROUP BY q.agent_id, i.competency_id
        ),
        shown AS (
            SELECT agent_id, list(competency_id ORDER BY competency_id) AS competencies,
                   printf('%.1f', sum(points)) AS points, sum(items) AS items
            FROM scored GROUP BY agent_id
        )
        SELECT agent_id, competencies, points, items FROM shown ORDER BY agent_id
    """

    @ccrules.hookimpl
    def ccrules_aggregate_evidence(
        self, center: ccrules.Center, evidence: ccrules.Evidence
    ) -> list[ccrules.EvidenceTable]:
        return [ccrules.EvidenceTable("agent_points", self.QUERY, "QA points per agent.")]


class DuckDbOnlyPack:
    """A plugin whose evidence table reads QA in DuckDB-only SQL: refused, named."""

    @ccrules.hookimpl
    def ccrules_aggregate_evidence(
        self, center: ccrules.Center, evidence: ccrules.Evidence
    ) -> list[ccrules.EvidenceTable]:
        sql = "SELECT agent_id, max((date, evaluation_id)) AS last FROM qa GROUP BY agent_id"
        return [ccrules.EvidenceTable("last_evaluations", sql, "The last evaluation.")]


def _enable(folder: Path, name: str) -> None:
    config = folder / "center.toml"
    text = config.read_text(encoding="utf-8")
    found = re.search(r"enabled = \[([^\]]*)\]", text)
    assert found is not None
    config.write_text(
        text.replace(found.group(0), f'enabled = [{found.group(1)}, "{name}"]', 1), "utf-8"
    )


def test_a_query_that_does_not_translate_whole_runs_split_at_its_ctes(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    local = _copy(tmp_path, "inhouse-fintech", "local")
    remote = _copy(tmp_path, "inhouse-fintech", "remote")
    _move(remote, warehouse, {"qa": MOVED["qa"]}, "这个中心")
    for folder in (local, remote):
        _enable(folder, "split-pack")
    pack = {"split-pack": SplitPack()}
    with (
        Engine.from_folder(local, plugins=pack) as a,
        Engine.from_folder(remote, plugins=pack) as b,
    ):
        expected = a.build_evidence().sql("SELECT * FROM agent_points ORDER BY agent_id")
        got = b.build_evidence().sql("SELECT * FROM agent_points ORDER BY agent_id")
        assert got == expected and len(got) > 10
        # an evidence.sql() query the same way
        assert b.evidence.sql(SplitPack.QUERY) == a.evidence.sql(SplitPack.QUERY)


def test_a_plugin_table_that_cannot_run_in_the_warehouse_is_refused_naming_it(
    warehouse: Warehouse, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    remote = _copy(tmp_path, "inhouse-fintech", "remote")
    _move(remote, warehouse, {"qa": MOVED["qa"]}, "这个中心")
    _enable(remote, "duckdb-only")
    pack = {"duckdb-only": DuckDbOnlyPack()}
    if warehouse.path is not None:  # a DuckDB warehouse runs DuckDB's SQL
        with Engine.from_folder(remote, plugins=pack) as engine:
            assert engine.build_evidence().sql("SELECT count(*) FROM last_evaluations")[0][0]
        return
    with Engine.from_folder(remote, plugins=pack) as engine, pytest.raises(InputError) as refused:
        engine.plan()
    (problem,) = refused.value.problems
    assert problem.code == "unportable-evidence"
    assert "plugin 'duckdb-only', evidence table 'last_evaluations'" in problem.message
    assert "max() over a tuple" in problem.message


# -- bad input -------------------------------------------------------------------------


def _refused(cli: Callable[..., Result], folder: Path) -> str:
    result = cli("plan", folder)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert written(folder) == []  # no history, nothing
    return result.stderr


@pytest.fixture
def center(duckdb_warehouse: Warehouse, tmp_path: Path) -> tuple[Path, Warehouse]:
    folder = _copy(tmp_path, "inhouse-fintech", "remote")
    _move(folder, duckdb_warehouse, {"qa": "cc.qa_events"}, "这个中心")
    return folder, duckdb_warehouse


def test_an_unreachable_warehouse_is_named_without_its_password(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    folder = _copy(tmp_path, "inhouse-fintech", "remote")
    (folder / "data" / "qa.csv").unlink()
    _configure(folder, "postgresql://ops:s3cret@127.0.0.1:9/dw", "x", {"qa": "cc.qa_events"})
    stderr = _refused(cli, folder)
    assert "cannot connect to the warehouse postgresql://ops:***@127.0.0.1:9/dw" in stderr
    assert "s3cret" not in stderr
    assert re.search(r"center\.toml:\d+: evidence\.warehouse", stderr)
    assert "check the URL, the user and password, and that the server is up" in stderr
    zh = cli("plan", folder, "--lang", "zh")
    assert zh.exit_code == 2
    assert "→ 检查 URL、用户名和密码" in zh.stderr


def test_a_missing_duckdb_warehouse_file(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = _copy(tmp_path, "inhouse-fintech", "remote")
    (folder / "data" / "qa.csv").unlink()
    _configure(folder, f"duckdb://{tmp_path}/none.duckdb", "x", {"qa": "cc.qa_events"})
    stderr = _refused(cli, folder)
    assert "cannot connect to the warehouse duckdb://" in stderr
    assert "none.duckdb" in stderr


def test_a_missing_table(center: tuple[Path, Warehouse], cli: Callable[..., Result]) -> None:
    folder, warehouse = center
    warehouse.execute("ALTER TABLE cc.qa_events RENAME TO qa_old")
    stderr = _refused(cli, folder)
    assert "warehouse:cc.qa_events" in stderr
    assert "no table cc.qa_events in the warehouse" in stderr


def test_a_missing_column_and_a_missing_center_column(
    center: tuple[Path, Warehouse], cli: Callable[..., Result]
) -> None:
    folder, warehouse = center
    warehouse.execute("ALTER TABLE cc.qa_events DROP COLUMN evaluator")
    warehouse.execute("ALTER TABLE cc.qa_events RENAME COLUMN center_id TO site")
    stderr = _refused(cli, folder)
    assert "warehouse:cc.qa_events" in stderr
    assert "no column 'evaluator' in cc.qa_events" in stderr
    assert "no column 'center_id' (the center column)" in stderr


def test_a_column_of_the_wrong_type(
    center: tuple[Path, Warehouse], cli: Callable[..., Result]
) -> None:
    folder, warehouse = center
    warehouse.execute("ALTER TABLE cc.qa_events ALTER COLUMN date TYPE VARCHAR")
    stderr = _refused(cli, folder)
    assert re.search(r"column 'date' is string in cc\.qa_events; expected a date", stderr)


def test_bad_values_name_the_table_the_column_and_the_row_key(
    center: tuple[Path, Warehouse], cli: Callable[..., Result]
) -> None:
    folder, warehouse = center
    warehouse.execute(
        "UPDATE cc.qa_events SET score = max_score + 5 WHERE center_id = '这个中心' AND "
        "evaluation_id = (SELECT min(evaluation_id) FROM cc.qa_events) AND item_id = "
        "(SELECT min(item_id) FROM cc.qa_events WHERE evaluation_id = "
        "(SELECT min(evaluation_id) FROM cc.qa_events))"
    )
    warehouse.execute(
        "UPDATE cc.qa_events SET channel = 'fax' WHERE center_id = '这个中心' AND "
        "evaluation_id = (SELECT max(evaluation_id) FROM cc.qa_events)"
    )
    # another center's bad rows are not this center's problem
    warehouse.execute(f"UPDATE cc.qa_events SET agent_id = NULL WHERE center_id = '{OTHER}'")
    stderr = _refused(cli, folder)
    assert "warehouse:cc.qa_events" in stderr
    assert re.search(r"score \d+ is outside 0\.\.\d+ \(at evaluation_id '[^']+', item_id", stderr)
    assert "column 'channel': 'fax' is not one of voice, chat, ticket" in stderr
    assert "agent_id" not in stderr.split("fax")[0].split("score")[0]  # no empty agent_id


def test_duplicate_keys_and_unknown_references(
    center: tuple[Path, Warehouse], cli: Callable[..., Result]
) -> None:
    folder, warehouse = center
    warehouse.execute(
        "INSERT INTO cc.qa_events SELECT * FROM cc.qa_events WHERE center_id = '这个中心' "
        "AND evaluation_id = (SELECT min(evaluation_id) FROM cc.qa_events) LIMIT 1"
    )
    warehouse.execute(
        "UPDATE cc.qa_events SET agent_id = '无此人' WHERE center_id = '这个中心' AND "
        "evaluation_id = (SELECT max(evaluation_id) FROM cc.qa_events)"
    )
    stderr = _refused(cli, folder)
    assert "duplicate evaluation_id and item_id" in stderr
    assert "unknown agent_id '无此人'; it is not in data/agents.csv" in stderr


def test_a_source_both_in_data_and_in_the_warehouse(
    center: tuple[Path, Warehouse], cli: Callable[..., Result]
) -> None:
    folder, _ = center
    shutil.copy(EXAMPLES / "inhouse-fintech" / "data" / "qa.csv", folder / "data" / "qa.csv")
    stderr = _refused(cli, folder)
    assert "data/qa.csv" in stderr
    assert "comes from the warehouse table cc.qa_events" in stderr


@pytest.mark.parametrize(
    ("keys", "tables", "expected"),
    [
        ("", 'qa = "cc.qa"', "tables need [evidence] warehouse"),
        ('warehouse = "duckdb:///x.duckdb"', "", "name the warehouse table of each source"),
        ('warehouse = "dw.example.com"', 'qa = "q"', "not a connection URL"),
        (
            'warehouse = "duckdb:///x.duckdb"',
            'agents = "cc.agents"',
            "'agents' cannot come from a warehouse; these can: qa, kpis",
        ),
        ('warehouse = "duckdb:///x.duckdb"', 'qa = "cc.qa; DROP"', "is not a table name"),
        (
            'warehouse = "duckdb:///x.duckdb"\ncenter_column = "center id"',
            'qa = "cc.qa"',
            "'center id' is not a column name",
        ),
    ],
)
def test_warehouse_settings_are_checked(
    keys: str, tables: str, expected: str, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    folder = _copy(tmp_path, "inhouse-fintech", "remote")
    config = folder / "center.toml"
    text = config.read_text(encoding="utf-8").replace("\n[evidence]\n", f"\n[evidence]\n{keys}\n")
    if tables:
        text += f"\n[evidence.tables]\n{tables}\n"
    config.write_text(text, encoding="utf-8")
    stderr = _refused(cli, folder)
    assert expected in stderr
    assert "center.toml" in stderr


def test_a_group_shares_one_warehouse_from_group_toml(
    duckdb_warehouse: Warehouse, tmp_path: Path
) -> None:
    """group.toml's [evidence] serves every center whose center.toml names no warehouse;
    each center reads its own rows (center_value: its [center] name here)."""
    from ccrules._center import load_config
    from ccrules.group import PLANNED, load_group, run_serial

    names = ("inhouse-fintech", "telecom-hotline")
    expected = {}
    for name in names:
        folder = _copy(tmp_path, name, name)
        expected[name] = json.dumps(_files_plan(folder), sort_keys=True)
        center = load_config(folder)[0].center.name
        csv = folder / "data" / "qa.csv"
        data = duckdb.connect().sql(f"SELECT '{center}' AS site, * FROM read_csv('{csv}')")
        duckdb_warehouse.put("cc.qa_all", data.to_arrow_table(), append=name != names[0])
        csv.unlink()
    (tmp_path / "group.toml").write_text(
        f'[evidence]\nwarehouse = "{duckdb_warehouse.url}"\ncenter_column = "site"\n\n'
        '[evidence.tables]\nqa = "cc.qa_all"\n\n'
        + "".join(f'[[centers]]\nname = "{n}"\nfolder = "{n}"\n\n' for n in names),
        encoding="utf-8",
    )
    group = load_group(tmp_path / "group.toml")
    outcomes = run_serial(group.members, record=False, want_json=True)
    for name, outcome in zip(names, outcomes, strict=True):
        assert outcome.status == PLANNED, outcome.problems or outcome.error
        assert outcome.plan_json is not None
        plan = json.loads(outcome.plan_json)
        plan.pop("digest")
        text = json.dumps(_without_sources(plan, {"qa": "cc.qa_all"}), sort_keys=True)
        assert text == expected[name]


def test_a_bad_shared_warehouse_in_group_toml_is_refused_at_its_line(tmp_path: Path) -> None:
    from ccrules.errors import ConfigError
    from ccrules.group import load_group

    shutil.copytree(EXAMPLES / "inhouse-fintech", tmp_path / "a")
    (tmp_path / "group.toml").write_text(
        '[evidence]\nwarehouse = "duckdb:///dw.duckdb"\n\n[evidence.tables]\n'
        'agents = "cc.agents"\n\n[[centers]]\nname = "a"\nfolder = "a"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as refused:
        load_group(tmp_path / "group.toml")
    (problem,) = refused.value.problems
    assert problem.line == 5 and problem.path == "evidence.tables.agents"
    assert "'agents' cannot come from a warehouse" in problem.message


def _files_plan(folder: Path) -> dict[str, Any]:
    with Engine.from_folder(folder) as engine:
        from ccrules._planjson import plan_to_json

        plan: dict[str, Any] = json.loads(plan_to_json(engine.plan()))
    plan.pop("digest")
    return plan


@pytest.mark.parametrize("wrong", ["database", "user"])
def test_a_missing_database_or_a_refused_user_is_named(
    wrong: str, postgres_url: str, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    """PostgreSQL refuses an unknown role as it refuses a wrong password (the test server
    trusts local users, so a password is never checked): both are bad input, exit 2."""
    base, _, database = postgres_url.rpartition("/")
    if wrong == "database":
        url = f"{base}/no_such_dw"
    else:
        url = base.replace("postgres@", "nobody_here:secret@", 1) + f"/{database}"
    folder = _copy(tmp_path, "inhouse-fintech", "remote")
    (folder / "data" / "qa.csv").unlink()
    _configure(folder, url, "x", {"qa": "cc.qa_events"})
    stderr = _refused(cli, folder)
    assert "cannot connect to the warehouse" in stderr
    assert ("no_such_dw" if wrong == "database" else "nobody_here") in stderr
    assert "secret" not in stderr
