"""A history store in PostgreSQL, shared by many centers (``[history] store = URL``).

:class:`~ccrules._history.History` writes the SQL and keeps the guarantees; this module is
what differs from SQLite: connecting (psycopg 3, imported only here, only when used), ``%s``
placeholders, BYTEA for the packed plans and reviews, the schema (a ``ccrules`` schema whose
tables start with ``center_id``), and the lock that keeps a center's revisions consecutive
(a transaction-level advisory lock per center, held until commit or rollback).

A URL names the server and database; a password belongs in ``~/.pgpass`` or ``PGPASSWORD``
and is never shown: messages name the user, host, port and database only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ccrules.errors import CcrulesError, InputError, Problem

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore", "StoreFailed", "center_id_problem", "shown_url", "store_problem"]

#: the PostgreSQL schema of the history tables (kept apart from other tables of the database)
SCHEMA = "ccrules"
#: seconds to wait for the server before saying it cannot be reached
CONNECT_TIMEOUT = 10
#: first key of the advisory locks: 0x63637275 is "ccru"
_LOCK_KEY = 0x63637275
_SCHEMES = ("postgresql", "postgres")
_CENTER_ID = re.compile(r"[^\x00-\x1f\x7f]{1,100}")
#: libpq's and the server's words for a missing database, and for a user it refuses
_NO_DATABASE = re.compile(r'database "[^"]*" does not exist')
_REFUSED_USER = re.compile(
    r'authentication failed|role "[^"]*" does not exist|not permitted to log in|'
    r"no pg_hba\.conf entry|password"
)
_TABLES = ("meta", "revisions", "inputs", "decisions", "reviews", "review_decisions", "figures")


def store_problem(url: str) -> str | None:
    """What is wrong with a ``[history] store`` value, if anything (without connecting)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as error:
        return f"not a PostgreSQL URL ({error}); write postgresql://user@host:5432/database"
    if parts.scheme not in _SCHEMES:
        shown = f"{parts.scheme}://" if parts.scheme else repr(shown_url(url))
        return (
            f"{shown} is not a store ccrules knows; write postgresql://user@host:5432/database "
            "for a PostgreSQL store, or leave [history] out for SQLite in the center folder"
        )
    if not parts.path.strip("/"):
        return f"{shown_url(url)} names no database; write postgresql://user@host:5432/database"
    return None


def center_id_problem(center_id: str, store: str) -> str | None:
    """What is wrong with ``[center] id``: a shared store needs one, printable, short."""
    if not center_id:
        if store:
            return (
                "a shared history store ([history] store) needs the center's id: add "
                'id = "..." to [center] (short and stable, for example "sh-01")'
            )
        return None
    if not _CENTER_ID.fullmatch(center_id) or not center_id.strip():
        return (
            f"{center_id!r} cannot be a center id; use 1 to 100 letters, digits, Chinese, "
            "- or _ (no control characters)"
        )
    return None


def shown_url(url: str) -> str:
    """The URL as shown to the operator: scheme, user, host, port and database; never the
    password or the query."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "(a URL that cannot be read)"
    user = f"{parts.username}@" if parts.username else ""
    host = parts.hostname or "localhost"
    where = f"{host}:{port}" if port else host
    return f"{parts.scheme}://{user}{where}{parts.path}"


def _database(url: str) -> str:
    return urlsplit(url).path.strip("/")


def _connect_problem(url: str, error: Exception) -> InputError:
    """Why a connection failed, as the operator can act on it: which host, port and
    database, never the password."""
    text = str(error)
    reason = text.split("failed: ", 1)[-1].replace("FATAL:  ", "").strip().splitlines()[0]
    shown = shown_url(url)
    if _NO_DATABASE.search(text):
        message = (
            f"the server has no database {_database(url)!r} ({reason}); create it "
            f"(createdb {_database(url)}) or correct the URL's database"
        )
        code = "store-no-database"
    elif _REFUSED_USER.search(text):
        message = (
            f"the server refused the user ({reason}); check the URL's user, its password in "
            "~/.pgpass or PGPASSWORD, and that the role may log in"
        )
        code = "store-credentials"
    else:
        message = (
            f"no PostgreSQL server answered within {CONNECT_TIMEOUT} s ({reason}); start it "
            "or correct the host and port, then run again"
        )
        code = "store-unreachable"
    return InputError([Problem(file=shown, message=message, code=code)])


class _Again(Exception):
    """The schema appeared while this process waited to create it: begin the write again."""


class StoreFailed(CcrulesError):
    """The shared store failed during a command (the server went away, a statement was
    refused): the transaction is rolled back, so nothing was written."""


def checked_store(url: str, center_id: str, source: str = "center.toml") -> None:
    """Refuse a bad store URL or center id before anything connects.

    :param source: where the URL was written, for the message."""
    problems = []
    wrong = store_problem(url)
    if wrong is not None:
        problems.append(Problem(file=source, path="history.store", message=wrong, code="bad-store"))
    wrong = center_id_problem(center_id, url)
    if wrong is not None:
        problems.append(
            Problem(file="center.toml", path="center.id", message=wrong, code="no-center-id")
        )
    if problems:
        raise InputError(problems)


class _Connection:
    """A psycopg connection that takes the ``?`` placeholders the history's SQL is written
    with."""

    def __init__(self, con: psycopg.Connection[Any]) -> None:
        self._con = con

    def execute(self, __sql: str, __parameters: Sequence[Any] = ()) -> Any:
        return self._con.execute(__sql.replace("?", "%s"), tuple(__parameters))

    def executemany(self, __sql: str, __parameters: Iterable[Sequence[Any]]) -> Any:
        with self._con.cursor() as cursor:
            cursor.executemany(__sql.replace("?", "%s"), __parameters)


def _pg_schema() -> list[str]:
    """The SQLite schema, for PostgreSQL: every table but ``meta`` starts with the center's
    id (first in its key), text compares byte by byte as in SQLite (``COLLATE "C"``), plans
    and reviews are BYTEA, figures DOUBLE PRECISION."""
    from ccrules._history import _SCHEMA

    statements = [f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"]
    for statement in _SCHEMA:
        if " meta " not in statement:
            statement = statement.replace("(\n", "(\n        center_id TEXT NOT NULL,\n", 1)
            statement = statement.replace("PRIMARY KEY (", "PRIMARY KEY (center_id, ")
            statement = statement.replace("decisions (cycle_id", "decisions (center_id, cycle_id")
        statement = statement.replace("plan TEXT", "plan BYTEA").replace(
            "review TEXT", "review BYTEA"
        )
        statement = statement.replace("REAL", "DOUBLE PRECISION")
        statement = statement.replace("TEXT", 'TEXT COLLATE "C"')
        statements.append(statement)
    return statements


class PostgresStore:
    """The history of one center in a PostgreSQL database that many centers share; every
    row carries the center's id and every read and write is filtered by it."""

    center_column = "center_id"

    def __init__(self, url: str, center_id: str) -> None:
        self.url = url
        self.center: tuple[str, ...] = (center_id,)
        self.where = shown_url(url)

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - the warehouse extra is not installed
            raise InputError(
                [
                    Problem(
                        file=self.where,
                        message="a PostgreSQL store needs psycopg; install it with "
                        "pip install 'ccrules[warehouse]' and run again",
                        code="bad-store",
                    )
                ]
            ) from None
        try:
            return psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT,
                application_name="ccrules",
                options=f"-c search_path={SCHEMA}",
            )
        except psycopg.OperationalError as error:
            raise _connect_problem(self.url, error) from None

    def exists(self) -> bool:
        return True  # whether the tables exist is asked of the server, on reading

    def problems(self) -> list[Problem]:
        try:
            with self.read():
                pass
        except InputError as error:
            return list(error.problems)
        return []

    def _version(self, con: psycopg.Connection[Any]) -> int | None:
        if not self._has(con, "meta"):
            return None
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row is not None else None

    def _check_version(self, con: psycopg.Connection[Any]) -> int | None:
        from ccrules._history import SCHEMA_VERSION, newer_schema

        written = self._version(con)
        if written is not None and written > SCHEMA_VERSION:
            raise newer_schema(self.where, written)
        return written

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """psycopg's errors as ccrules errors: a refused write is bad input (exit 2), a
        server gone mid-command a failure at run time (exit 1); neither leaves a trace."""
        import psycopg

        try:
            yield
        except psycopg.errors.InsufficientPrivilege as error:
            raise InputError(
                [
                    Problem(
                        file=self.where,
                        message=f"cannot be written ({str(error).strip()}); grant the user "
                        f"CREATE on the database (or USAGE and write on schema {SCHEMA}), "
                        "then run again",
                        code="unwritable",
                    )
                ]
            ) from None
        except psycopg.Error as error:
            raise StoreFailed(
                f"the history store {self.where} failed during the command "
                f"({type(error).__name__}: {str(error).strip()}); nothing was written. "
                "Run again once the server answers"
            ) from None

    @contextmanager
    def read(self) -> Iterator[_Connection]:
        con = self._connect()
        try:
            with self._failures():
                self._check_version(con)
                yield _Connection(con)
        finally:
            con.close()

    @contextmanager
    def write(self) -> Iterator[_Connection]:
        con = self._connect()
        try:
            with self._failures():
                while True:
                    try:
                        with con.transaction():
                            self._prepare(con)
                            yield _Connection(con)
                        return
                    except _Again:
                        continue  # another process created the schema: begin again
        finally:
            con.close()

    def _prepare(self, con: psycopg.Connection[Any]) -> None:
        """The schema in place (created in this transaction by the first write), then the
        center's lock: its writers take turns, other centers' do not wait."""
        from ccrules._history import SCHEMA_VERSION

        if self._check_version(con) is None:
            # one process creates the schema; the others wait here, then begin again
            con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            if self._has(con, "meta"):
                raise _Again
            for statement in _pg_schema():
                con.execute(statement)
            con.execute("INSERT INTO meta VALUES ('schema_version', %s)", (str(SCHEMA_VERSION),))
        con.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_KEY, self.center[0]))

    def has(self, con: Any, table: str) -> bool:
        return self._has(con, table)

    @staticmethod
    def _has(con: Any, table: str) -> bool:
        """Whether the table exists, as the statement's snapshot sees the catalog (a table
        another process created while this one waited for a lock is seen)."""
        row = con.execute(
            "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
            (SCHEMA, table),
        ).fetchone()
        return row is not None

    def dump(self) -> list[tuple[object, ...]]:
        """The schema version and every row of the center, by table, without the center's
        column (the rows of other centers are not read)."""
        rows: list[tuple[object, ...]] = []
        with self.read() as con:
            for table in sorted(_TABLES):
                if not self._has(con, table):
                    continue
                params: tuple[str, ...] = ()
                if table == "meta":
                    query = "SELECT * FROM meta ORDER BY 1"
                else:
                    query = f"SELECT * FROM {table} WHERE center_id = ? ORDER BY 2, 3"
                    params = self.center
                rows.extend(
                    (table, *(row if table == "meta" else row[1:]))
                    for row in con.execute(query, params).fetchall()
                )
        return rows
