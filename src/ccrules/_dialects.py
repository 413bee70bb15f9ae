"""Evidence SQL beyond DuckDB: transpiling to a warehouse's dialect with sqlglot.

Evidence tables (``EvidenceTable.sql``) are written in DuckDB SQL, with ``$from`` and ``$to``
for the cycle's evidence window. When a center's large tables live in a warehouse
(PostgreSQL, Spark, Trino, BigQuery, Snowflake, ...), the queries that read them run there:
:func:`transpile` translates a query to the warehouse's dialect, with its parameters as typed
literals, and refuses (:class:`NotPortable`) what it cannot translate faithfully, so a query
is refused when the center loads rather than answering differently in the warehouse.
:func:`tables_read` names the tables a query reads, to route it to where they live.

sqlglot does the translation. Some DuckDB constructs it passes through unchanged although
the target has no such thing (``UBIGINT``, struct literals, ``arg_max`` on PostgreSQL,
``FILTER`` on BigQuery, functions it does not know); those are refused here by name. A
function sqlglot knows may still be missing from one warehouse (it writes DuckDB's
``list_reverse_sort`` as ``SORT_ARRAY`` on PostgreSQL, which has none): the warehouse itself
is the last check, so the first-party tables are also run on a real PostgreSQL in the tests.

sqlglot is imported when a function here is first called (the ``warehouse`` extra).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ccrules._center import CONFIG_FILE
from ccrules.errors import Problem

if TYPE_CHECKING:
    from sqlglot import exp

    from ccrules._evidence import EvidenceTable

__all__ = [
    "WINDOW_PLACEHOLDERS",
    "NotPortable",
    "portability_problems",
    "tables_read",
    "transpile",
    "unportable_problem",
]

#: what ``$from`` and ``$to`` stand for when a query is checked without a cycle (at load)
WINDOW_PLACEHOLDERS: Mapping[str, object] = {
    "from": dt.date(2000, 1, 1),
    "to": dt.date(2000, 12, 31),
}


class NotPortable(ValueError):
    """A query cannot run on a dialect: what construct, and which dialect.

    :ivar construct: what in the query has no faithful translation.
    :ivar dialect: the target dialect.
    """

    def __init__(self, construct: str, dialect: str) -> None:
        self.construct = construct
        self.dialect = dialect
        super().__init__(f"{construct}: not supported on {dialect}")


# DuckDB types no warehouse dialect has: sqlglot writes them unchanged.
_DUCKDB_TYPES = frozenset(
    {
        "UTINYINT",
        "USMALLINT",
        "UMEDIUMINT",
        "UINT",
        "UBIGINT",
        "UINT128",
        "UINT256",
        "INT128",
        "INT256",
        "UDECIMAL",
        "UDOUBLE",
        "UNION",
    }
)
_DUCKDB_TYPE_NAMES = {"INT128": "HUGEINT", "UINT128": "UHUGEINT"}
# How each dialect orders NULLs when an ORDER BY does not say (sqlglot's NULL_ORDERING).
_NULLS_FIRST_ASC = {"nulls_are_small": True, "nulls_are_large": False, "nulls_are_last": False}
_NULLS_FIRST_DESC = {"nulls_are_small": False, "nulls_are_large": True, "nulls_are_last": False}


def transpile(sql: str, dialect: str, params: Mapping[str, object] | None = None) -> str:
    """Translate one DuckDB query to ``dialect`` (a sqlglot dialect name).

    Each ``$name`` parameter becomes a typed literal of ``params[name]``: a date as a
    ``DATE``, a datetime as a ``TIMESTAMP``, text quoted for the dialect, int, float, Decimal,
    bool and None as themselves. With ``params=None``, ``$from`` and ``$to`` get
    :data:`WINDOW_PLACEHOLDERS`, so a query can be checked before a cycle is known.

    :raises NotPortable: what sqlglot cannot translate faithfully to ``dialect`` (its
        unsupported-level errors, and the DuckDB constructs it would pass through
        unchanged), or what it cannot read as DuckDB SQL.
    :raises ValueError: an unknown dialect, a parameter without a value, or a value that has
        no SQL literal (a NaN, an object).
    """
    import sqlglot
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

    try:
        target = Dialect.get_or_raise(dialect)
    except ValueError as error:
        raise ValueError(f"unknown SQL dialect {dialect!r}: {error}") from None
    values = dict(WINDOW_PLACEHOLDERS if params is None else params)
    tree = _parse(sql, dialect)
    tree = tree.transform(lambda node: _bind(node, values))
    if dialect != "duckdb":
        _refuse_duckdb_only(tree, dialect)
        tree = _fit(tree, target, dialect)
    try:
        out = tree.sql(
            dialect=target, unsupported_level=ErrorLevel.RAISE, max_unsupported=1, pretty=False
        )
    except UnsupportedError as error:
        raise NotPortable(_first_line(error), dialect) from None
    try:  # what the target cannot read back was not translated
        sqlglot.parse(out, read=target, error_level=ErrorLevel.RAISE)
    except ParseError as error:
        problem = f"the translation does not parse ({_first_line(error)})"
        raise NotPortable(problem, dialect) from None
    return out


def tables_read(sql: str) -> frozenset[str]:
    """The tables a DuckDB query reads: CTE names excluded, subqueries and joins included.

    A qualified name keeps its qualifier (``schema.table``); unquoted names are lower case
    (DuckDB matches them without regard to case), quoted names are kept as written.

    :raises NotPortable: a query sqlglot cannot read as DuckDB SQL.
    """
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    tree = _parse(sql, "duckdb")
    names: set[str] = set()
    for scope in traverse_scope(tree):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
                names.add(_table_name(source))
    return frozenset(names)


def unportable_problem(plugin: str, table_name: str, dialect: str, error: NotPortable) -> Problem:
    """The load-time refusal of an evidence table whose SQL cannot run on the warehouse."""
    return Problem(
        file=CONFIG_FILE,
        path="evidence.warehouse",
        message=(
            f"plugin {plugin!r}, evidence table {table_name!r}: {error.construct} cannot run "
            f"on the warehouse ({dialect}); rewrite the table's SQL without it (docs/hooks.md, "
            "ccrules_aggregate_evidence), or read this table from local files"
        ),
        code="unportable-evidence",
    )


def portability_problems(
    tables: Iterable[tuple[str, EvidenceTable]], dialect: str
) -> list[Problem]:
    """The load-time check of evidence tables against a warehouse's dialect: one
    ``unportable-evidence`` problem for each table, given as ``(plugin, table)``, whose SQL
    cannot be translated (checked with :data:`WINDOW_PLACEHOLDERS` for the window)."""
    problems = []
    for plugin, table in tables:
        try:
            transpile(table.sql, dialect)
        except NotPortable as error:
            problems.append(unportable_problem(plugin, table.name, dialect, error))
        except ValueError as error:  # a parameter other than $from and $to
            problems.append(
                unportable_problem(plugin, table.name, dialect, NotPortable(str(error), dialect))
            )
    return problems


# -- internals --------------------------------------------------------------------------------


def _parse(sql: str, dialect: str) -> exp.Expression:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError

    try:
        trees = sqlglot.parse(sql, read="duckdb", error_level=ErrorLevel.RAISE)
    except ParseError as error:
        raise NotPortable(f"SQL sqlglot cannot read ({_first_line(error)})", dialect) from None
    statements = [t for t in trees if isinstance(t, exp.Expression)]
    if len(statements) != 1:
        raise ValueError(f"one SQL statement expected, not {len(statements)}")
    return statements[0]


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _bind(node: exp.Expression, values: Mapping[str, object]) -> exp.Expression:
    from sqlglot import exp

    if not isinstance(node, exp.Placeholder):
        return node
    name = str(node.args.get("this") or "")
    if not name or name.isdigit():
        raise ValueError("positional parameters (?, $1) cannot be transpiled; name them ($name)")
    if name not in values:
        raise ValueError(f"no value for the parameter ${name}")
    return _literal(values[name], name)


def _literal(value: object, name: str) -> exp.Expression:
    from sqlglot import exp

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.Type.DATE)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"the parameter ${name} holds a NUL character, which SQL text cannot")
        return exp.Literal.string(value)
    if isinstance(value, int):
        return _number(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"the parameter ${name} is {value}, which has no SQL literal")
        return _number(repr(value))
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"the parameter ${name} is {value}, which has no SQL literal")
        return _number(format(value, "f"))
    if isinstance(value, list | tuple) and value:
        # a list of values (``list_contains($ids, x)``): an array literal of the same kind
        items = [_literal(item, name) for item in value]
        if len({type(item) for item in value}) > 1 or any(
            isinstance(item, list | tuple) for item in value
        ):
            raise ValueError(f"the parameter ${name} mixes kinds of values or nests lists")
        return exp.Array(expressions=items)
    raise ValueError(
        f"the parameter ${name} is a {type(value).__name__}; give a date, datetime, str, int, "
        "float, Decimal, bool, None or a non-empty list of one of them"
    )


def _number(text: str) -> exp.Expression:
    from sqlglot import exp

    if text.startswith("-"):
        return exp.Paren(this=exp.Neg(this=exp.Literal.number(text[1:])))
    return exp.Literal.number(text)


def _table_name(table: exp.Table) -> str:
    from sqlglot import exp

    parts = [p for p in table.parts if isinstance(p, exp.Identifier)]
    return ".".join(p.name if p.quoted else p.name.lower() for p in parts)


def _refuse_duckdb_only(tree: exp.Expression, dialect: str) -> None:
    """Refuse what sqlglot would write unchanged although ``dialect`` has no such thing."""
    from sqlglot import exp

    for node in tree.walk():
        if isinstance(node, exp.DataType) and node.this.name in _DUCKDB_TYPES:
            kind = _DUCKDB_TYPE_NAMES.get(node.this.name, node.this.name)
            raise NotPortable(f"the DuckDB type {kind}", dialect)
        if isinstance(node, exp.Struct):
            raise NotPortable("a DuckDB struct literal ({'key': value})", dialect)
        if isinstance(node, exp.Anonymous):
            raise NotPortable(
                f"the function {node.name}() (sqlglot does not know it, so cannot translate it)",
                dialect,
            )
        if isinstance(node, (exp.ArgMax, exp.ArgMin)):
            name = "arg_max" if isinstance(node, exp.ArgMax) else "arg_min"
            if isinstance(node.expression, exp.Tuple):
                raise NotPortable(f"{name}() ordered by a tuple", dialect)
            if dialect in ("postgres", "redshift", "sqlite", "tsql"):
                raise NotPortable(f"{name}() (max_by/min_by)", dialect)
        if isinstance(node, (exp.Min, exp.Max)) and isinstance(node.this, exp.Tuple):
            name = "min" if isinstance(node, exp.Min) else "max"
            raise NotPortable(
                f"{name}() over a tuple (pick the row with row_number() OVER (... ORDER BY ...))",
                dialect,
            )
        if isinstance(node, exp.Filter) and dialect == "bigquery":
            raise NotPortable(
                "an aggregate's FILTER (WHERE ...) clause (write count(CASE WHEN ... THEN 1 END))",
                dialect,
            )


def _fit(tree: exp.Expression, target: object, dialect: str) -> exp.Expression:
    """Rewrite what sqlglot translates literally but the target reads differently."""
    from sqlglot import exp

    ordering = str(getattr(target, "NULL_ORDERING", "nulls_are_last"))

    def fit(node: exp.Expression) -> exp.Expression:
        # PostgreSQL rounds to n places only a numeric (round(double precision, int) does not
        # exist); sqlglot turns DuckDB's / into a double division.
        if (
            dialect == "postgres"
            and isinstance(node, exp.Round)
            and node.args.get("decimals")
            and not (
                isinstance(node.this, exp.Cast) and node.this.to.is_type(exp.DataType.Type.DECIMAL)
            )
        ):
            node.set("this", exp.cast(node.this, exp.DataType.Type.DECIMAL))
        # string_agg(x ORDER BY x) skips NULL values, so where NULLs sort does not matter: the
        # target's default order is as good as DuckDB's (BigQuery cannot write NULLS LAST
        # there).
        if isinstance(node, exp.GroupConcat):
            order = node.this if isinstance(node.this, exp.Order) else None
            if order is not None:
                value = order.this
                if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
                    value = value.expressions[0]
                for key in order.expressions:
                    if isinstance(key, exp.Ordered) and key.this == value:
                        desc = bool(key.args.get("desc"))
                        table = _NULLS_FIRST_DESC if desc else _NULLS_FIRST_ASC
                        key.set("nulls_first", table.get(ordering, False))
        return node

    return tree.transform(fit)
