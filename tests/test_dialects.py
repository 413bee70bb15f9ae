"""Evidence SQL beyond DuckDB (ccrules._dialects): every first-party evidence table transpiles
to the warehouse dialects, runs on a real PostgreSQL with DuckDB's results, and DuckDB-only
constructs are refused with the plugin named; parameters become safely quoted literals;
tables_read names what a query reads."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib.metadata
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp
from tests.conftest import EXAMPLE_CENTERS

import ccrules
from ccrules import Center, Engine, Evidence, EvidenceTable
from ccrules._dialects import (
    NotPortable,
    portability_problems,
    tables_read,
    transpile,
    unportable_problem,
)
from ccrules._evidence import CORE_AGGREGATES
from ccrules._manager import ENTRY_POINT_GROUP, new_manager
from ccrules.errors import code_text

WAREHOUSES = ("postgres", "spark", "trino", "bigquery", "snowflake")


# -- the first-party evidence tables, found through the plugin manager ---------------------


def _first_party_packs() -> list[tuple[str, object]]:
    """Every installed first-party pack (the ccrules_packs entry points), imported."""
    packs = []
    for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if point.value.startswith("ccrules_packs."):
            packs.append((point.name, point.load()))
    assert {name for name, _ in packs} >= {"default", "inhouse", "bpo"}
    return sorted(packs, key=lambda pack: pack[0])


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[Center, Evidence]]:
    """A center and its evidence, for calling the packs' ccrules_aggregate_evidence."""
    with Engine.from_folder(EXAMPLE_CENTERS[0]) as engine:
        yield engine.center, engine.build_evidence()


def first_party_tables(center: Center, evidence: Evidence) -> list[tuple[str, EvidenceTable]]:
    """(plugin, table) for the core aggregates and every pack's evidence tables."""
    manager = new_manager()
    for name, module in _first_party_packs():
        manager.register(module, name=name)
    tables = [("core", table) for table in CORE_AGGREGATES]
    for impl in manager.hook.ccrules_aggregate_evidence.get_hookimpls():
        for table in impl.function(center=center, evidence=evidence):
            tables.append((impl.plugin_name, table))
    return tables


def test_the_packs_add_evidence_tables(loaded: tuple[Center, Evidence]) -> None:
    tables = first_party_tables(*loaded)
    assert ("default", "team_competency_scores") in {(p, t.name) for p, t in tables}
    assert len(tables) > len(CORE_AGGREGATES)


@pytest.mark.parametrize("dialect", [*WAREHOUSES, "duckdb"])
def test_every_first_party_table_transpiles(loaded: tuple[Center, Evidence], dialect: str) -> None:
    tables = first_party_tables(*loaded)
    assert portability_problems(tables, dialect) == []
    for _, table in tables:
        out = transpile(table.sql, dialect)
        assert "$" not in out and "::" not in out
        assert "UBIGINT" not in out.upper()


def test_the_translation_keeps_the_windows_dates() -> None:
    table = next(t for t in CORE_AGGREGATES if t.name == "kpi_values")
    window = {"from": dt.date(2026, 9, 1), "to": dt.date(2026, 11, 29)}
    out = transpile(table.sql, "postgres", window)
    assert "CAST('2026-09-01' AS DATE)" in out and "CAST('2026-11-29' AS DATE)" in out


# -- refusals ---------------------------------------------------------------------------------


DUCKDB_ONLY = [
    ("SELECT bit_or(1::UBIGINT << n) AS m FROM t", "UBIGINT"),
    ("SELECT CAST(x AS HUGEINT) AS h FROM t", "HUGEINT"),
    ("SELECT {'kind': kind} AS s FROM t", "struct"),
    ("SELECT arg_max(kind, (date, kind)) AS k FROM t", "arg_max() ordered by a tuple"),
    ("SELECT list_grade_up(xs) AS k FROM t", "list_grade_up()"),
    ("SELECT min((score / max_score, evaluation_id)) AS low FROM t", "min() over a tuple"),
    ("SELECT max((date, kind)) AS last FROM t", "max() over a tuple"),
]


@pytest.mark.parametrize("dialect", WAREHOUSES)
@pytest.mark.parametrize(("sql", "construct"), DUCKDB_ONLY)
def test_duckdb_only_constructs_are_refused(sql: str, construct: str, dialect: str) -> None:
    with pytest.raises(NotPortable) as caught:
        transpile(sql, dialect)
    assert caught.value.dialect == dialect
    assert construct in caught.value.construct
    assert dialect in str(caught.value) and construct in str(caught.value)


@pytest.mark.parametrize(
    ("sql", "dialect", "construct"),
    [
        ("SELECT arg_max(kind, date) AS k FROM t", "postgres", "arg_max()"),
        ("SELECT count(*) FILTER (WHERE x > 1) AS n FROM t", "bigquery", "FILTER"),
    ],
)
def test_what_one_dialect_lacks_is_refused_there(sql: str, dialect: str, construct: str) -> None:
    with pytest.raises(NotPortable, match=construct):
        transpile(sql, dialect)
    transpile(sql, "trino")  # others have it


def test_what_sqlglot_cannot_translate_is_refused() -> None:
    # sqlglot's own unsupported-level error, not a silent translation
    sql = "SELECT string_agg(c, ', ' ORDER BY k) AS s FROM t"
    with pytest.raises(NotPortable, match="bigquery"):
        transpile(sql, "bigquery")


def test_sql_sqlglot_cannot_read_is_refused() -> None:
    with pytest.raises(NotPortable, match="cannot read"):
        transpile("SELECT FROM WHERE (", "postgres")


class DuckDbOnly:
    """A pack whose evidence table uses DuckDB-only constructs."""

    @ccrules.hookimpl
    def ccrules_aggregate_evidence(self, center: Center, evidence: Evidence) -> list[EvidenceTable]:
        return [
            EvidenceTable(
                name="eval_masks",
                sql="SELECT evaluation_id, bit_or(1::UBIGINT << 3) AS mask FROM qa "
                "WHERE date BETWEEN $from AND $to GROUP BY evaluation_id",
            )
        ]


def test_a_packs_duckdb_only_table_is_refused_with_the_plugin_named(
    loaded: tuple[Center, Evidence],
) -> None:
    manager = new_manager()
    manager.register(DuckDbOnly(), name="masks-pack")
    tables = [
        (impl.plugin_name, table)
        for impl in manager.hook.ccrules_aggregate_evidence.get_hookimpls()
        for table in impl.function(center=loaded[0], evidence=loaded[1])
    ]
    assert transpile(tables[0][1].sql, "duckdb")  # DuckDB itself runs it
    problems = portability_problems(tables, "snowflake")
    assert len(problems) == 1
    problem = problems[0]
    assert problem.code == "unportable-evidence"
    assert problem.file == "center.toml" and problem.path == "evidence.warehouse"
    for word in ("'masks-pack'", "'eval_masks'", "UBIGINT", "snowflake", "rewrite"):
        assert word in problem.message
    assert code_text("unportable-evidence", "zh") is not None
    shown = problem.shown("zh")
    assert "DuckDB" in shown and "'masks-pack'" in shown


def test_unportable_problem_names_plugin_table_and_construct() -> None:
    error = NotPortable("the DuckDB type UBIGINT", "trino")
    problem = unportable_problem("团队包", "团队_masks", "trino", error)
    assert "'团队包'" in problem.message and "'团队_masks'" in problem.message
    assert "UBIGINT cannot run on the warehouse (trino)" in problem.message
    assert str(problem).startswith("center.toml: evidence.warehouse: plugin")


def test_other_parameters_and_bad_input() -> None:
    with pytest.raises(ValueError, match=r"no value for the parameter \$agent"):
        transpile("SELECT * FROM qa WHERE agent_id = $agent", "postgres")
    with pytest.raises(ValueError, match="positional"):
        transpile("SELECT * FROM qa WHERE agent_id = ?", "postgres", {})
    with pytest.raises(ValueError, match="unknown SQL dialect 'postgress'"):
        transpile("SELECT 1", "postgress")
    with pytest.raises(ValueError, match="one SQL statement"):
        transpile("SELECT 1; SELECT 2", "postgres")
    with pytest.raises(ValueError, match=r"nan"):
        transpile("SELECT $x", "postgres", {"x": float("nan")})
    with pytest.raises(ValueError, match="NUL"):
        transpile("SELECT $x", "postgres", {"x": "a\x00b"})
    with pytest.raises(ValueError, match="give a date"):
        transpile("SELECT $x", "postgres", {"x": object()})
    with pytest.raises(ValueError, match="give a date"):
        transpile("SELECT $x", "postgres", {"x": []})
    with pytest.raises(ValueError, match="mixes kinds"):
        transpile("SELECT $x", "postgres", {"x": ["a", 1]})


@pytest.mark.parametrize("dialect", WAREHOUSES)
def test_a_list_parameter_is_an_array(dialect: str) -> None:
    sql = transpile(
        "SELECT * FROM exams WHERE list_contains($ids, competency_id)",
        dialect,
        {"ids": ["C-合规", "C-o'clock"]},
    )
    assert "C-合规" in sql
    assert "ARRAY" in sql.upper() or "[" in sql
    table = EvidenceTable(name="by_agent", sql="SELECT * FROM qa WHERE agent_id = $agent")
    (problem,) = portability_problems([("p", table)], "postgres")
    assert "$agent" in problem.message and "'p'" in problem.message


# -- parameters -------------------------------------------------------------------------------

VALUES: list[object] = [
    dt.date(2026, 2, 28),
    dt.datetime(2026, 2, 28, 13, 45, 7),
    "它's a \\ test",
    0,
    -17,
    2**62,
    2.5,
    -0.125,
    decimal.Decimal("-12.3400"),
    True,
    False,
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_parameters_become_typed_literals_duckdb_reads_back(value: object) -> None:
    out = transpile("SELECT $x AS v", "duckdb", {"x": value})
    assert duckdb.sql(out).fetchall() == [(value,)]


def _literal_value(sql: str, dialect: str) -> str:
    tree = sqlglot.parse_one(sql, read=dialect)
    (literal,) = [node for node in tree.find_all(exp.Literal) if node.is_string]
    return str(literal.this)


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("'\"\\\n\r\t%$-/*`")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_text_parameters_are_quoted_safely(text: str) -> None:
    for dialect in (*WAREHOUSES, "duckdb"):
        out = transpile("SELECT $s AS v FROM t WHERE k = 1", dialect, {"s": text})
        # one literal with the text, and the rest of the query intact
        assert _literal_value(out, dialect) == text
        assert out.endswith("FROM t WHERE k = 1")
    assert duckdb.sql(transpile("SELECT $s AS v", "duckdb", {"s": text})).fetchall() == [(text,)]


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_text_parameters_reach_postgres_unchanged(postgres_server: str, text: str) -> None:
    import psycopg

    with psycopg.connect(postgres_server, autocommit=True) as con:
        row = con.execute(transpile("SELECT $s AS v", "postgres", {"s": text})).fetchone()
    assert row == (text,)


# -- tables_read ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("SELECT * FROM qa", {"qa"}),
        ("SELECT * FROM QA q JOIN qa_items i USING (item_id)", {"qa", "qa_items"}),
        # a CTE is not a table, and shadows a table of its name
        (
            "WITH qa AS (SELECT * FROM raw_qa) SELECT * FROM qa JOIN agents USING (agent_id)",
            {"raw_qa", "agents"},
        ),
        ("WITH a AS (SELECT 1 AS x), b AS (SELECT * FROM a) SELECT * FROM b", set()),
        (
            "SELECT * FROM (SELECT * FROM kpis) k WHERE agent_id IN (SELECT agent_id FROM agents)",
            {"kpis", "agents"},
        ),
        (
            "SELECT (SELECT count(*) FROM roles r WHERE r.role_id = a.role_id) FROM agents a",
            {"roles", "agents"},
        ),
        (
            "SELECT * FROM test_calls UNION ALL SELECT * FROM floor_help",
            {"test_calls", "floor_help"},
        ),
        ('SELECT * FROM "质检 Items" JOIN "Agents" USING (id)', {"质检 Items", "Agents"}),
        ("SELECT * FROM warehouse.QA", {"warehouse.qa"}),
        ("SELECT * FROM t1 LEFT JOIN t2 ON t1.a = t2.a CROSS JOIN t3", {"t1", "t2", "t3"}),
    ],
)
def test_tables_read(sql: str, tables: set[str]) -> None:
    assert tables_read(sql) == frozenset(tables)


def test_tables_read_of_the_core_aggregates() -> None:
    by_name = {t.name: tables_read(t.sql) for t in CORE_AGGREGATES}
    assert by_name["competency_scores"] == {"qa", "qa_items"}
    assert by_name["topic_totals"] == {"topic_signals", "agents"}
    assert by_name["career_changes"] == {"career_moves"}


# -- the competency masks: more competencies than one 62-bit word ---------------------------


def _mask_tables(con: Any, competencies: int, seed: int) -> None:
    rng = random.Random(seed)
    con.execute("CREATE TABLE qa_items (item_id VARCHAR, competency_id VARCHAR)")
    con.executemany(
        "INSERT INTO qa_items VALUES (?, ?)",
        [(f"i{n}", f"c{n // 2:03d}") for n in range(2 * competencies)],
    )
    con.execute(
        "CREATE TABLE qa (evaluation_id VARCHAR, agent_id VARCHAR, date DATE, item_id VARCHAR,"
        " score DECIMAL(18, 4), max_score DECIMAL(18, 4))"
    )
    rows = []
    for e in range(300):
        agent = f"a{rng.randrange(7)}"
        for item in rng.sample(range(2 * competencies), rng.randrange(1, 12)):
            rows.append((f"e{e}", agent, dt.date(2026, 3, 1), f"i{item}", rng.randrange(5), 4))
    con.executemany("INSERT INTO qa VALUES (?, ?, ?, ?, ?, ?)", rows)


def test_evaluations_are_counted_across_mask_words() -> None:
    table = next(t for t in CORE_AGGREGATES if t.name == "competency_scores")
    con = duckdb.connect()
    _mask_tables(con, competencies=150, seed=3)  # three words
    window = {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 12, 31)}
    got = con.execute(
        f"SELECT agent_id, competency_id, evaluations FROM ({table.sql}) ORDER BY 1, 2", window
    ).fetchall()
    expected = con.execute(
        "SELECT agent_id, competency_id, count(DISTINCT evaluation_id) FROM qa "
        "JOIN qa_items USING (item_id) GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert got == expected
    assert len({c for _, c, _ in got}) > 124  # past the second word


# -- on a real PostgreSQL: the same rows as DuckDB --------------------------------------------

_PG_TYPES = {
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
}


def _pg_type(duck: str) -> str:
    if duck.startswith("DECIMAL"):
        return "numeric" + duck[len("DECIMAL") :]
    return _PG_TYPES[duck]


def _copy_to_postgres(duck: Any, pg: Any, name: str) -> None:
    from psycopg import sql

    columns = duck.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "ORDER BY column_index",
        [name],
    ).fetchall()
    pg.execute(
        sql.SQL("CREATE TABLE {} ({})").format(
            sql.Identifier(name),
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_pg_type(t))) for c, t in columns
            ),
        )
    )
    rows = duck.execute(f'SELECT * FROM "{name}"').fetchall()
    query = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(name))
    with pg.cursor() as cur, cur.copy(query) as copy:
        for row in rows:
            copy.write_row(row)


def _normal(value: object) -> object:
    """Numbers as floats rounded to the 4 places the aggregates round to; the rest as is."""
    if isinstance(value, (float, decimal.Decimal)) and not isinstance(value, bool):
        return round(float(value), 4)
    return value


def _same_rows(duck_rows: Sequence[tuple[Any, ...]], pg_rows: Sequence[tuple[Any, ...]]) -> None:
    def key(row: tuple[Any, ...]) -> tuple[str, ...]:
        return tuple(repr(_normal(v)) for v in row)

    duck_sorted = sorted(duck_rows, key=key)
    pg_sorted = sorted(pg_rows, key=key)
    assert len(duck_sorted) == len(pg_sorted)
    for d, p in zip(duck_sorted, pg_sorted, strict=True):
        for a, b in zip(d, p, strict=True):
            if isinstance(a, (float, decimal.Decimal)) or isinstance(b, (float, decimal.Decimal)):
                assert a is not None and b is not None, (d, p)
                assert abs(float(a) - float(b)) <= 1.01e-4, (d, p)
            else:
                assert a == b, (d, p)


@pytest.mark.parametrize("center", EXAMPLE_CENTERS, ids=lambda path: path.name)
def test_first_party_tables_on_postgres_give_duckdbs_rows(postgres_url: str, center: Path) -> None:
    import psycopg

    with Engine.from_folder(center) as engine:
        evidence = engine.build_evidence()
        tables = first_party_tables(engine.center, evidence)
        built = {t.name for _, t in tables}
        window = {"from": evidence.window[0], "to": evidence.window[1]}
        duck = engine._con
        with psycopg.connect(postgres_url, autocommit=True) as pg:
            sources = set().union(*(tables_read(t.sql) for _, t in tables)) - built
            for name in sorted(sources):
                _copy_to_postgres(duck, pg, name)
            compared = 0
            for _, table in tables:
                out = transpile(table.sql, "postgres", window)
                pg.execute(f'CREATE TABLE "{table.name}" AS {out}')
                pg_rows = pg.execute(f'SELECT * FROM "{table.name}"').fetchall()
                duck_rows = duck.execute(f'SELECT * FROM "{table.name}"').fetchall()
                _same_rows(duck_rows, pg_rows)
                compared += len(duck_rows)
            assert compared > 0


def test_the_four_examples_fill_every_core_aggregate() -> None:
    """Together the examples give rows to every core aggregate, so the PostgreSQL
    comparison above checks each of them on data."""
    filled: set[str] = set()
    for center in EXAMPLE_CENTERS:
        with Engine.from_folder(center) as engine:
            evidence = engine.build_evidence()
            for table in CORE_AGGREGATES:
                if evidence.sql(f"SELECT count(*) FROM {table.name}")[0][0]:
                    filled.add(table.name)
    assert filled == {t.name for t in CORE_AGGREGATES}


def test_rounding_a_division_runs_on_postgres(postgres_server: str) -> None:
    import psycopg

    # DuckDB's / is a double division, and PostgreSQL rounds only numerics to n places
    out = transpile("SELECT round(7 / 3, 4) AS a, round(CAST(2 AS DOUBLE) / 3, 2) AS b", "postgres")
    with psycopg.connect(postgres_server, autocommit=True) as con:
        row = con.execute(out).fetchone()
    assert row is not None
    assert (float(row[0]), float(row[1])) == (2.3333, 0.67)


def test_string_agg_ordered_by_its_value_keeps_its_order_on_bigquery() -> None:
    out = transpile("SELECT string_agg(DISTINCT c, ', ' ORDER BY c DESC) AS s FROM t", "bigquery")
    assert "ORDER BY c DESC" in out and "NULLS" not in out
    # ordered by another column, where NULLs sort matters: refused, not reordered
    with pytest.raises(NotPortable):
        transpile("SELECT string_agg(c, ', ' ORDER BY k) AS s FROM t", "bigquery")
