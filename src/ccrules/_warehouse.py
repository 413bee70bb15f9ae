"""Evidence in a warehouse: the large evidence tables stay where they live.

A center's ``[evidence] warehouse`` names an Ibis connection (``postgres://...``,
``duckdb:///path``, ``snowflake://...``), and ``[evidence.tables]`` the warehouse table of each
large source (``qa``, ``kpis``, ``test_calls``...). Those sources are not read into the local
DuckDB. Instead:

- every query that reads one of them (a core aggregate, a plugin's ``EvidenceTable``, a
  plugin's ``evidence.sql()``) runs in the warehouse. It is written once in DuckDB SQL and
  transpiled by sqlglot to the warehouse's dialect; each warehouse table in it becomes the
  center's rows only (``WHERE <center_column> = <center>``), its columns cast to the types of
  the file they stand for; the small tables it joins (``agents``, ``qa_items``, an aggregate)
  are sent to the warehouse as temporary tables;
- only the result comes back: an aggregate becomes a local DuckDB table with the types DuckDB
  gives the same query over the files, so every rule after it runs unchanged, and the ccrules
  process never holds the raw rows;
- the input gate's checks (types, required values, choices, ranges, row checks, keys,
  references) run as SQL in the warehouse too, and name the table, the column and the
  offending row's key.

The plan's digest covers what was fetched: the same warehouse rows give the same plan and
the same digest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs
import duckdb

from ccrules._dialects import (
    NotPortable,
    _first_line,
    tables_read,
    transpile,
    unportable_problem,
)
from ccrules._load import _literal, _number, quote_ident
from ccrules._schema import Column, ColumnType, DataSource
from ccrules.errors import CcrulesError, InputError, Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "WAREHOUSE_SOURCES",
    "Warehouse",
    "WarehouseDefaults",
    "WarehouseFailed",
    "backend_of",
]

#: Sources that may live in a warehouse: the large event tables, read only by SQL. The
#: reference files a plan builds Python objects from (agents, teams, courses, the roster...)
#: stay in the center folder.
WAREHOUSE_SOURCES = (
    "qa",
    "kpis",
    "test_calls",
    "dissatisfied_contacts",
    "floor_help",
    "exams",
)

#: Ibis backend name by URL scheme, where they differ
_SCHEMES = {"postgresql": "postgres", "pg": "postgres"}
#: sqlglot's dialect by Ibis backend name, where they differ
_DIALECTS = {"mssql": "tsql", "pyspark": "spark", "impala": "hive"}
#: pyarrow.types predicates a column type accepts, by the warehouse column's Arrow type
_ACCEPTS = {
    ColumnType.TEXT: ("is_string", "is_large_string", "is_string_view"),
    ColumnType.INTEGER: ("is_integer", "is_decimal", "is_floating"),
    ColumnType.NUMBER: ("is_integer", "is_decimal", "is_floating"),
    ColumnType.DATE: ("is_date", "is_timestamp"),
    ColumnType.TIME: ("is_time",),
    ColumnType.BOOLEAN: ("is_boolean",),
}
_REMOTE_ROWS = "_ccrules_remote"
#: rows fetched from a warehouse at a time
_BATCH_ROWS = 50_000


@attrs.frozen
class WarehouseDefaults:
    """``[evidence]`` of group.toml: the warehouse the group's centers read their large
    tables from, for each center whose center.toml names no warehouse of its own.

    :param warehouse: the Ibis connection URL, as center.toml's ``[evidence] warehouse``.
    :param tables: ``[evidence.tables]``: the warehouse table of each source.
    :param center_column: the column naming the center; each center's value is its
        ``[center] id`` (else name), or its own ``[evidence] center_value``.
    """

    warehouse: str = ""
    tables: Mapping[str, str] = attrs.field(factory=dict)
    center_column: str = "center_id"


class WarehouseFailed(CcrulesError):
    """The warehouse failed a query at run time (the connection dropped, a timeout)."""


def backend_of(url: str) -> str:
    """The Ibis backend a connection URL names (``postgres`` for ``postgresql://``)."""
    scheme = urlsplit(url).scheme.lower()
    return _SCHEMES.get(scheme, scheme)


def dialect_of(backend: str) -> str:
    """sqlglot's name for a backend's SQL dialect."""
    return _DIALECTS.get(backend, backend)


def safe_url(url: str) -> str:
    """A connection URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


class _Connection:
    """What ccrules asks of a warehouse: rows of a query as Arrow, a temporary table, its
    removal. Through Ibis for every backend Ibis knows; DuckDB files directly."""

    def arrow(self, sql: str) -> pa.Table:
        raise NotImplementedError

    def upload(self, name: str, data: pa.Table) -> None:
        raise NotImplementedError

    def drop(self, name: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _IbisConnection(_Connection):
    def __init__(self, con: Any, dialect: str) -> None:
        self._con = con
        self._dialect = dialect

    def arrow(self, sql: str) -> pa.Table:
        # in batches: a driver that fetches Python rows holds one batch of them at a time
        expression = self._con.sql(sql, dialect=self._dialect)
        return expression.to_pyarrow_batches(chunk_size=_BATCH_ROWS).read_all()

    def upload(self, name: str, data: pa.Table) -> None:
        self._con.create_table(name, obj=data, temp=True)

    def drop(self, name: str) -> None:
        self._con.drop_table(name, force=True)

    def close(self) -> None:
        self._con.disconnect()


class _DuckDBConnection(_Connection):
    """A DuckDB file as a warehouse (a small group's, or a test's), read-only: Ibis' DuckDB
    backend lags DuckDB's releases, and DuckDB is ccrules' own engine already."""

    def __init__(self, path: str) -> None:
        self._con = duckdb.connect(path, read_only=True)

    def arrow(self, sql: str) -> pa.Table:
        return self._con.sql(sql).to_arrow_table()

    def upload(self, name: str, data: pa.Table) -> None:
        self._con.register("_ccrules_upload", data)
        try:
            self._con.execute(
                f"CREATE TEMP TABLE {quote_ident(name)} AS SELECT * FROM _ccrules_upload"
            )
        finally:
            self._con.unregister("_ccrules_upload")

    def drop(self, name: str) -> None:
        self._con.execute(f"DROP TABLE IF EXISTS temp.{quote_ident(name)}")

    def close(self) -> None:
        self._con.close()


def _open(url: str) -> _Connection:
    backend = backend_of(url)
    if backend == "duckdb":
        path = urlsplit(url).path
        if not Path(path).is_file():
            raise FileNotFoundError(f"no DuckDB file {path}")
        return _DuckDBConnection(path)
    import ibis

    return _IbisConnection(ibis.connect(_ibis_url(url)), dialect_of(backend))


class Warehouse:
    """A center's warehouse connection and the routing of evidence queries to it."""

    def __init__(
        self,
        con: _Connection,
        url: str,
        tables: Mapping[str, str],
        sources: Mapping[str, DataSource],
        center_column: str,
        center: str,
        local: duckdb.DuckDBPyConnection,
    ) -> None:
        self._con = con
        self.url = url
        self.backend = backend_of(url)
        self.dialect = dialect_of(self.backend)
        self.tables = dict(tables)
        self.sources = {name: sources[name] for name in tables}
        self.center_column = center_column
        self.center = center
        # a cursor of its own: the engine's connection may hold a result still open
        self._local = local.cursor()
        self._present: dict[str, frozenset[str]] = {}
        self._uploaded: dict[str, str] = {}
        self._temps = itertools.count()
        # sha256 of each query sent, by its text: what was fetched, for the plan's digest
        self._fetched: dict[str, str] = {}

    # -- connecting ---------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        url: str,
        tables: Mapping[str, str],
        sources: Mapping[str, DataSource],
        center_column: str,
        center: str,
        local: duckdb.DuckDBPyConnection,
        where: str,
        line: int | None = None,
    ) -> Warehouse:
        """Open the connection; :class:`InputError` naming the warehouse when Ibis is not
        installed, the backend is unknown, or the server refuses or cannot be reached."""
        try:
            con = _open(url)
        except ImportError:
            raise InputError(
                [
                    Problem(
                        file=where,
                        line=line,
                        path="evidence.warehouse",
                        message="a warehouse needs the warehouse extra: "
                        "pip install 'ccrules[warehouse]'",
                        code="unreachable-warehouse",
                    )
                ]
            ) from None
        except Exception as error:  # each driver raises its own kind
            raise InputError(
                [
                    Problem(
                        file=where,
                        line=line,
                        path="evidence.warehouse",
                        message=f"cannot connect to the warehouse {safe_url(url)}: "
                        + _first_line(error)
                        + "; check the URL, the user and password, and that the server is up",
                        code="unreachable-warehouse",
                    )
                ]
            ) from None
        return cls(con, url, tables, sources, center_column, center, local)

    def close(self) -> None:
        """Close the warehouse connection (temporary tables go with it)."""
        # closing a broken connection is not an error worth raising
        with contextlib.suppress(Exception):
            self._con.close()
        self._local.close()

    def display(self, name: str) -> str:
        """How messages name a source's warehouse table: ``warehouse:cc.qa_events``."""
        return f"warehouse:{self.tables[name]}"

    # -- routing ------------------------------------------------------------------------

    def reads(self, query: str) -> bool:
        """Whether a query reads a warehouse table (so it must run there)."""
        if not any(re.search(rf"\b{re.escape(name)}\b", query) for name in self.tables):
            return False  # most queries: no parse needed
        return bool(tables_read(query) & set(self.tables))

    def _parse(self, query: str) -> Any:
        import sqlglot

        try:
            return sqlglot.parse_one(query, read="duckdb")
        except sqlglot.errors.ParseError as error:
            reason = f"SQL sqlglot cannot read ({_first_line(error)})"
            raise NotPortable(reason, self.dialect) from None

    def remote_sql(self, query: str, params: Mapping[str, Any], *, tables: bool = True) -> str:
        """The query in the warehouse's dialect: see :meth:`_translate`."""
        return self._translate(query, params, tables=tables)[0]

    def _translate(
        self, query: str, params: Mapping[str, Any], *, tables: bool = True
    ) -> tuple[str, frozenset[str]]:
        """The query in the warehouse's dialect (:func:`ccrules._dialects.transpile`):
        parameters as literals, warehouse tables as the center's rows, local tables as their
        copies there (not with ``tables=False``: the gate's queries name warehouse tables as
        they are); and the local tables it reads, to send before it runs (:meth:`_arrow`).
        :class:`NotPortable` when it cannot be translated faithfully."""
        import sqlglot.expressions as exp

        tree = self._parse(query)
        ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}

        unnamed = iter(range(1_000_000))
        local: set[str] = set()

        def name_subqueries(node: Any) -> Any:
            if (
                isinstance(node, exp.Subquery)
                and not node.alias
                and isinstance(node.parent, exp.From | exp.Join)
            ):
                # DuckDB reads FROM (SELECT ...) without a name; most warehouses do not
                node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_s{next(unnamed)}")))
            return node

        def rewrite(node: Any) -> Any:
            if tables and isinstance(node, exp.Table) and node.name and not node.db:
                name = node.name
                if name in ctes:
                    return node
                alias = node.alias or name
                if name in self.tables:
                    return self._rows_of(name).subquery(alias)
                local.add(name)
                return exp.to_table(_uploaded(name)).as_(alias)
            return node

        tree = _name_outputs(tree.transform(name_subqueries).transform(rewrite))
        try:
            return transpile(tree.sql("duckdb"), self.dialect, params), frozenset(local)
        except NotPortable:
            raise
        except ValueError as error:  # a parameter without a value, or without a literal
            raise NotPortable(str(error), self.dialect) from None

    def _rows_of(self, name: str) -> Any:
        """A warehouse table as the center's rows, each column cast to its file type (an
        optional column the table lacks takes its default)."""
        import sqlglot.expressions as exp

        columns = self._columns_of(name)
        select = []
        for column in self.sources[name].columns:
            type_ = exp.DataType.build(column.type.sql, dialect="duckdb")
            if column.name in columns:
                value: Any = exp.column(column.name, quoted=True)
            else:
                default = column.default if column.default != "" else None
                value = exp.null() if default is None else exp.Literal.string(str(default))
            select.append(exp.cast(value, type_).as_(column.name, quoted=True))
        return (
            exp.select(*select)
            .from_(exp.to_table(self.tables[name], dialect=self.dialect))
            .where(exp.column(self.center_column, quoted=True).eq(exp.Literal.string(self.center)))
        )

    def _columns_of(self, name: str) -> frozenset[str]:
        if name not in self._present:
            self._present[name] = frozenset(self._schema(name))
        return self._present[name]

    def _schema(self, name: str) -> Mapping[str, Any]:
        """A warehouse table's columns and their Arrow types."""
        import sqlglot.expressions as exp

        probe = (
            exp.select("*").from_(exp.to_table(self.tables[name], dialect=self.dialect)).limit(0)
        )
        schema = self._con.arrow(probe.sql(dialect=self.dialect)).schema
        return {field.name: field.type for field in schema}

    def _upload(self, name: str) -> None:
        """Copy a small local table to the warehouse as a temporary table, once."""
        if name not in self._uploaded:
            remote = _uploaded(name)
            data = self._local.sql(f"SELECT * FROM {quote_ident(name)}").to_arrow_table()
            self._con.upload(remote, data)
            self._uploaded[name] = remote

    def portability_problems(self, tables: Iterable[tuple[str, Any]]) -> list[Problem]:
        """Plugins' evidence tables, as ``(plugin, EvidenceTable)``, whose SQL cannot run
        in this warehouse: one problem each, naming the plugin and the table."""
        problems = []
        for plugin, table in tables:
            params = {"from": dt.date(2000, 1, 1), "to": dt.date(2000, 12, 31)}
            try:
                self.remote_sql(table.sql, params)
            except NotPortable as whole:
                try:
                    self._split(table.sql, params, whole, run=False)
                except NotPortable as error:
                    problems.append(unportable_problem(plugin, table.name, self.dialect, error))
        return problems

    def forget(self, names: Iterable[str]) -> None:
        """Local tables dropped (a failed evidence stage): their uploads are stale."""
        for name in names:
            remote = self._uploaded.pop(name, None)
            if remote is not None:
                self._con.drop(remote)

    # -- running --------------------------------------------------------------------------

    def _arrow(self, translated: tuple[str, frozenset[str]]) -> pa.Table:
        """Run a query :meth:`_translate` made, its local tables sent first."""
        remote, local = translated
        for name in sorted(local):
            self._upload(name)
        try:
            return self._con.arrow(remote)
        except Exception as error:  # each driver raises its own kind
            raise WarehouseFailed(
                f"the warehouse {safe_url(self.url)} failed a query: {_first_line(error)}"
            ) from error

    def _local_types(self, query: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Names and DuckDB types of a query's columns over the local (empty) stand-ins."""
        rows = self._local.execute(f"DESCRIBE {query}", dict(params)).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def _typed(self, query: str, params: Mapping[str, Any], table: pa.Table) -> str:
        """A SELECT over the fetched rows (registered as ``_ccrules_remote``) giving them
        the names and types DuckDB gives the query over files."""
        types = self._local_types(query, params)
        if len(types) != table.num_columns:
            raise WarehouseFailed(
                f"the warehouse {safe_url(self.url)} returned {table.num_columns} columns "
                f"where DuckDB gives {len(types)}"
            )
        names = [f"c{i}" for i in range(table.num_columns)]
        self._local.register(_REMOTE_ROWS, table.rename_columns(names))
        return "SELECT " + ", ".join(
            f"CAST({n} AS {t}) AS {quote_ident(name)}"
            for n, (name, t) in zip(names, types, strict=True)
        )

    def fetch(self, query: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run a SELECT in the warehouse; its rows typed as DuckDB types them, in its
        ``ORDER BY`` as DuckDB orders (strings by code point, whatever the warehouse's
        collation). A query that does not translate as a whole is split (:meth:`_split`)."""
        translated, split = self._route(query, params)
        if split is not None:
            local, temps = split
            try:
                rows = self._local.execute(local, _used(local, params)).fetchall()
            finally:
                self._drop(temps)
            self._fetched[query] = _rows_digest(rows)
            return rows
        assert translated is not None
        table = self._arrow(translated)
        select = self._typed(query, params, table)
        order = self._order_by(query)
        try:
            rows = self._local.execute(
                f"SELECT * FROM ({select} FROM {_REMOTE_ROWS}){order}"
            ).fetchall()
        finally:
            self._local.unregister(_REMOTE_ROWS)
        self._fetched[translated[0]] = _rows_digest(rows)
        return rows

    def materialize(self, name: str, query: str, params: Mapping[str, Any]) -> None:
        """Create the local table ``name`` from a query run in the warehouse (split when it
        does not translate as a whole)."""
        translated, split = self._route(query, params)
        if split is not None:
            local, temps = split
            try:
                self._local.execute(
                    f"CREATE OR REPLACE TABLE {quote_ident(name)} AS {local}",
                    _used(local, params),
                )
            finally:
                self._drop(temps)
            key = query
        else:
            assert translated is not None
            key = translated[0]
            table = self._arrow(translated)
            select = self._typed(query, params, table)
            try:
                self._local.execute(
                    f"CREATE OR REPLACE TABLE {quote_ident(name)} AS {select} FROM {_REMOTE_ROWS}"
                )
            finally:
                self._local.unregister(_REMOTE_ROWS)
        # the rows' hashes summed: the same rows in any order give the same figure
        (count, hashed) = self._local.execute(
            f"SELECT count(*), sum(hash(r)) FROM {quote_ident(name)} r"
        ).fetchall()[0]
        self._fetched[key] = f"{name}:{count}:{hashed}"

    # -- a query split at its CTEs --------------------------------------------------------

    def _route(
        self, query: str, params: Mapping[str, Any]
    ) -> tuple[tuple[str, frozenset[str]] | None, tuple[str, list[str]] | None]:
        """The query translated whole, to run in the warehouse; or, when it does not
        translate, split at its CTEs (:meth:`_split`, which raises the whole query's refusal
        when it cannot be split either). One of the two is ``None``."""
        try:
            return self._translate(query, params), None
        except NotPortable as whole:
            return None, self._split(query, params, whole, run=True)

    def _split(
        self, query: str, params: Mapping[str, Any], whole: NotPortable, *, run: bool
    ) -> tuple[str, list[str]] | None:
        """Run a query that does not translate as a whole one CTE at a time: each CTE that
        reads a warehouse table runs there (its SQL must translate), every other one in
        DuckDB, each kept as a temporary table the later ones read; the query's own SELECT
        then runs in DuckDB. So only the part of a plugin's query that reads the large
        tables has to be portable. Returns the local SELECT and the temporary tables (drop
        them after); with ``run=False`` only checks that it can, returning ``None``.
        Raises ``whole`` when the query has no CTE to split at, or reads a warehouse table
        outside them."""
        import sqlglot.expressions as exp

        tree = self._parse(query)
        with_ = tree.args.get("with_") or tree.args.get("with")
        if with_ is None or with_.args.get("recursive"):
            raise whole
        main = tree.copy()
        main.set("with_" if "with_" in main.args else "with", None)
        names = [cte.alias_or_name for cte in with_.expressions]
        if _direct_reads(main, names) & set(self.tables):
            raise whole
        made: dict[str, str] = {}
        temps: list[str] = []

        def local_names(node: Any) -> Any:
            if isinstance(node, exp.Table) and not node.db and node.name in made:
                return exp.to_table(made[node.name]).as_(node.alias or node.name)
            return node

        try:
            for cte in with_.expressions:
                name = cte.alias_or_name
                body = cte.this.copy().transform(local_names)
                sql = body.sql("duckdb")
                temp = f"_ccrules_cte_{next(self._temps)}"
                remote = bool(_direct_reads(body, names) & set(self.tables))
                if not run:
                    if remote:
                        self.remote_sql(sql, params)
                elif remote:
                    used = _used(sql, params)
                    table = self._arrow(self._translate(sql, used))
                    select = self._typed(sql, used, table)
                    try:
                        self._local.execute(
                            f"CREATE TEMP TABLE {temp} AS {select} FROM {_REMOTE_ROWS}"
                        )
                    finally:
                        self._local.unregister(_REMOTE_ROWS)
                else:
                    self._local.execute(f"CREATE TEMP TABLE {temp} AS {sql}", _used(sql, params))
                made[name] = temp
                temps.append(temp)
        except BaseException:
            if run:
                self._drop(temps)
            raise
        if not run:
            return None
        return main.transform(local_names).sql("duckdb"), temps

    def _drop(self, temps: Sequence[str]) -> None:
        self.forget(temps)
        for temp in temps:
            self._local.execute(f"DROP TABLE IF EXISTS {temp}")

    def _order_by(self, query: str) -> str:
        """The query's top-level ORDER BY over its output columns, for DuckDB to apply to
        the fetched rows; empty when it has none or orders by what it does not output."""
        import sqlglot.expressions as exp

        tree: Any = self._parse(query)
        order = tree.args.get("order")
        if order is None or tree.args.get("limit") is not None:
            return ""
        outputs = [e.alias_or_name for e in tree.selects]
        unaliased = [e.unalias().sql("duckdb") for e in tree.selects]
        terms = []
        for ordered in order.expressions:
            key = ordered.this
            position: int | None = None
            if isinstance(key, exp.Literal) and key.is_int:
                position = int(key.this) - 1
            elif key.sql("duckdb") in unaliased:
                position = unaliased.index(key.sql("duckdb"))
            elif isinstance(key, exp.Column) and not key.table and key.name in outputs:
                position = outputs.index(key.name)
            if position is None or not 0 <= position < len(outputs):
                return ""
            term = ordered.copy()
            term.set("this", exp.Literal.number(position + 1))
            terms.append(term.sql("duckdb"))
        return " ORDER BY " + ", ".join(terms)

    def fingerprint(self) -> str:
        """sha256 of the queries sent so far and the rows each fetched (in any order)."""
        digest = hashlib.sha256()
        for query in sorted(self._fetched):
            digest.update(f"{query}\0{self._fetched[query]}\0".encode())
        return digest.hexdigest()

    # -- the input gate, in the warehouse -----------------------------------------------

    def check(self, display_of: Mapping[str, str], max_errors: int) -> list[Problem]:
        """The input gate's checks of every warehouse table, as SQL run there.

        ``display_of`` names the local file of each source (for reference messages)."""
        problems: list[Problem] = []
        for name in self.tables:
            problems.extend(self._check_table(name, display_of, max_errors))
            if len(problems) >= max_errors:
                break
        return problems

    def _check_table(
        self, name: str, display_of: Mapping[str, str], max_errors: int
    ) -> list[Problem]:
        source = self.sources[name]
        file = self.display(name)
        try:
            schema = self._schema(name)
        except Exception as error:  # each backend has its own "no such table"
            return [
                Problem(
                    file=file,
                    message=f"no table {self.tables[name]} in the warehouse "
                    f"{safe_url(self.url)}: {_first_line(error)}",
                    code="missing-table",
                )
            ]
        problems: list[Problem] = []
        if self.center_column not in schema:
            problems.append(
                Problem(
                    file=file,
                    path=self.center_column,
                    message=f"no column {self.center_column!r} (the center column) in "
                    f"{self.tables[name]}; it has " + ", ".join(schema),
                    code="missing-column",
                )
            )
        for column in source.columns:
            dtype = schema.get(column.name)
            if dtype is None:
                if column.required:
                    problems.append(
                        Problem(
                            file=file,
                            path=column.name,
                            message=f"no column {column.name!r} in {self.tables[name]}; "
                            f"expected {column.type.expected}",
                            code="missing-column",
                        )
                    )
                continue
            if not _accepts(column.type, dtype):
                problems.append(
                    Problem(
                        file=file,
                        path=column.name,
                        message=f"column {column.name!r} is {dtype} in {self.tables[name]}; "
                        f"expected {column.type.expected}",
                        code="wrong-type",
                    )
                )
        if problems:
            return problems
        self._present[name] = frozenset(schema)
        problems.extend(self._value_checks(name, schema, max_errors))
        if source.key and len(problems) < max_errors:
            problems.extend(self._key_check(name, max_errors - len(problems)))
        for column in source.columns:
            if column.references is not None and len(problems) < max_errors:
                problems.extend(
                    self._reference_check(name, column, display_of, max_errors - len(problems))
                )
        return problems

    def _raw(self, name: str, schema: Iterable[str]) -> str:
        """The center's rows of a warehouse table, as written there (uncast), in DuckDB SQL
        for :meth:`remote_sql` to transpile: ``$center`` is the center."""
        table = self.tables[name]
        columns = ", ".join(
            quote_ident(c.name) for c in self.sources[name].columns if c.name in set(schema)
        )
        return (
            f"SELECT {columns} FROM {_qualified(table)} "
            f"WHERE {quote_ident(self.center_column)} = $center"
        )

    def _run(self, sql: str) -> list[tuple[Any, ...]]:
        remote = self.remote_sql(sql, {"center": self.center}, tables=False)
        try:
            result = self._con.arrow(remote)
        except Exception as error:  # each driver raises its own kind
            raise WarehouseFailed(
                f"the warehouse {safe_url(self.url)} failed a check: {_first_line(error)}"
            ) from error
        return [tuple(row.values()) for row in result.to_pylist()]

    def _key_text(self, name: str, row: Sequence[Any]) -> str:
        key = self.sources[name].key
        return ", ".join(f"{k} {_shown(v)}" for k, v in zip(key, row, strict=False))

    def _value_checks(self, name: str, schema: Mapping[str, Any], max_errors: int) -> list[Problem]:
        source = self.sources[name]
        checks: list[tuple[str, str, str, str]] = []  # where, column, message, code
        for column in source.columns:
            if column.name not in schema:
                continue
            q = quote_ident(column.name)
            if column.required:
                checks.append(
                    (
                        f"{q} IS NULL",
                        column.name,
                        f"column {column.name!r} is empty; expected {column.type.expected}",
                        "empty-value",
                    )
                )
            if column.choices:
                allowed = ", ".join(_literal(c) for c in column.choices)
                checks.append(
                    (
                        f"{q} IS NOT NULL AND {q} NOT IN ({allowed})",
                        column.name,
                        f"column {column.name!r}: {{value}} is not one of "
                        + ", ".join(column.choices),
                        "not-allowed",
                    )
                )
            if column.type is ColumnType.INTEGER and not _is_integer(schema[column.name]):
                checks.append(
                    (
                        f"{q} <> floor({q})",
                        column.name,
                        f"column {column.name!r}: {{value}} is not {column.type.expected}",
                        "wrong-type",
                    )
                )
            if column.minimum is not None:
                checks.append(
                    (
                        f"{q} < {column.minimum!r}",
                        column.name,
                        f"column {column.name!r}: {{value}} is below "
                        f"{_shown(column.minimum)}; expected {_shown(column.minimum)} or more",
                        "out-of-range",
                    )
                )
            if column.maximum is not None:
                checks.append(
                    (
                        f"{q} > {column.maximum!r}",
                        column.name,
                        f"column {column.name!r}: {{value}} is above "
                        f"{_shown(column.maximum)}; expected {_shown(column.maximum)} or less",
                        "out-of-range",
                    )
                )
        for check in source.checks:
            if all(c in schema for c in re.findall(r"\{(\w+)\}", check.message)):
                checks.append((check.where, check.column, check.message, check.code))
        if not checks:
            return []
        raw = self._raw(name, schema)
        counts = self._run(
            "SELECT "
            + ", ".join(f"sum(CASE WHEN {w} THEN 1 ELSE 0 END)" for w, *_ in checks)
            + f" FROM ({raw}) AS t"
        )[0]
        keys = ", ".join(quote_ident(k) for k in source.key)
        problems: list[Problem] = []
        for (where, column_name, message, code), count in zip(checks, counts, strict=True):
            if not count:
                continue
            names = re.findall(r"\{(\w+)\}", message)
            shown = [n for n in names if n != "value"]
            select = ", ".join([keys, quote_ident(column_name), *map(quote_ident, shown)])
            rows = self._run(
                f"SELECT {select} FROM ({raw}) AS t WHERE {where} "
                f"ORDER BY {keys} LIMIT {max_errors - len(problems)}"
            )
            width = len(source.key)
            for row in rows:
                values = {"value": _shown(row[width])}
                values.update({n: _shown(v) for n, v in zip(shown, row[width + 1 :], strict=True)})
                problems.append(
                    Problem(
                        file=self.display(name),
                        path=column_name,
                        message=message.format(**values)
                        + f" (at {self._key_text(name, row[:width])}; {int(count)} rows)",
                        code=code,
                    )
                )
            if len(problems) >= max_errors:
                break
        return problems

    def _key_check(self, name: str, most: int) -> list[Problem]:
        source = self.sources[name]
        keys = ", ".join(quote_ident(k) for k in source.key)
        raw = self._raw(name, self._columns_of(name))
        rows = self._run(
            f"SELECT {keys}, count(*) AS n FROM ({raw}) AS t GROUP BY {keys} "
            f"HAVING count(*) > 1 ORDER BY {keys} LIMIT {most}"
        )
        label = " and ".join(source.key)
        return [
            Problem(
                file=self.display(name),
                path=source.key[0],
                message=f"duplicate {label} "
                + ", ".join(_shown(v) for v in row[:-1])
                + f" ({int(row[-1])} rows)",
                code="duplicate-key",
            )
            for row in rows
        ]

    def _reference_check(
        self, name: str, column: Column, display_of: Mapping[str, str], most: int
    ) -> list[Problem]:
        reference = column.references
        assert reference is not None
        if reference.source in self.tables:
            return []  # between two warehouse tables: not a center-folder reference
        q = quote_ident(column.name)
        raw = self._raw(name, self._columns_of(name))
        used = {r[0] for r in self._run(f"SELECT DISTINCT {q} FROM ({raw}) AS t")}
        used.discard(None)
        known = {
            r[0]
            for r in self._local.execute(
                f"SELECT DISTINCT {quote_ident(reference.column)} "
                f"FROM {quote_ident(reference.source)}"
            ).fetchall()
        }
        unknown = sorted(str(v) for v in used - known)[:most]
        if not unknown:
            return []
        keys = ", ".join(quote_ident(k) for k in self.sources[name].key)
        listed = ", ".join(_literal(v) for v in unknown)
        rows = self._run(
            f"SELECT {q}, min({keys.split(', ')[0]}), count(*) FROM ({raw}) AS t "
            f"WHERE {q} IN ({listed}) GROUP BY {q} ORDER BY {q}"
        )
        target = display_of.get(reference.source, reference.source)
        first = self.sources[name].key[0]
        return [
            Problem(
                file=self.display(name),
                path=column.name,
                message=f"column {column.name!r}: unknown {column.name} {_shown(value)}; it "
                f"is not in {target} (at {first} {_shown(example)}; {int(n)} rows)",
                code="unknown-reference",
            )
            for value, example, n in rows
        ]


def _uploaded(name: str) -> str:
    """The name of a local table's temporary copy in the warehouse."""
    return f"ccrules_local_{name}"


def _rows_digest(rows: Sequence[tuple[Any, ...]]) -> str:
    """sha256 of a result's rows in any order: rows a query's ORDER BY leaves tied come from
    a warehouse in any order (parallel workers), and the same rows must give one digest."""
    digest = hashlib.sha256()
    for text in sorted(repr(row) for row in rows):
        digest.update(text.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _direct_reads(tree: Any, ctes: Sequence[str]) -> set[str]:
    """Names of the tables a query reads itself: not its CTEs' nor the ``ctes`` given."""
    import sqlglot.expressions as exp

    own = {cte.alias_or_name for cte in tree.find_all(exp.CTE)} | set(ctes)
    return {t.name for t in tree.find_all(exp.Table) if not t.db and t.name not in own}


def _used(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a query names: DuckDB refuses values for others."""
    return {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql)}


def _name_outputs(tree: Any) -> Any:
    """Give every output column of a query a distinct name: a warehouse client wraps the
    query (a view, a subquery), where ``count(*), count(*)`` or two ``id`` columns are
    refused. Columns are read back by position, so the names are the client's only."""
    import sqlglot.expressions as exp

    if not isinstance(tree, exp.Select):
        return tree
    seen: set[str] = set()
    named = []
    for index, expression in enumerate(tree.expressions):
        name = expression.alias_or_name
        if isinstance(expression, exp.Star) or (
            isinstance(expression, exp.Column) and isinstance(expression.this, exp.Star)
        ):
            named.append(expression)
            continue
        if not name or name in seen or not isinstance(expression, exp.Alias | exp.Column):
            name = f"_c{index}"
            expression = exp.alias_(expression.unalias(), name, quoted=True)
        seen.add(name)
        named.append(expression)
    return tree.select(*named, append=False)


def _accepts(kind: ColumnType, dtype: Any) -> bool:
    import pyarrow.types

    return any(getattr(pyarrow.types, test)(dtype) for test in _ACCEPTS[kind])


def _is_integer(dtype: Any) -> bool:
    import pyarrow.types

    return bool(pyarrow.types.is_integer(dtype))


def _qualified(table: str) -> str:
    return ".".join(quote_ident(part) for part in table.split("."))


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float | decimal.Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _ibis_url(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return parts._replace(scheme=_SCHEMES.get(scheme, scheme)).geturl()
