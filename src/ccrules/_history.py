"""The history store: SQLite in ``<center>/.ccrules/history.sqlite`` by default, or a
PostgreSQL database many centers share (``[history] store``, :mod:`ccrules._history_pg`).
:class:`History` holds the SQL and the guarantees below once, for every store; a
:class:`Store` holds what differs (connecting, placeholders, schema, locking).

Every write is one transaction, schema creation included, so a crash or a kill at any point
leaves the history as it was before the command:

- ``plan`` records a revision of a cycle's plan: the digest of config and inputs, the plan
  JSON and one row per decision. The same digest as the cycle's latest revision writes
  nothing. A cycle with an approved plan takes a new revision only with a reason.
- ``approve`` publishes a revision (who and when); the revision approved before it becomes
  ``superseded``.
- ``evaluate`` records a review of the approved plan: the review JSON, one row per decision
  and one per figure. The same digest as the cycle's latest review writes nothing.

Plans and reviews are stored as their one-line JSON compressed with zlib (a BLOB; histories
written before hold the text, and both read back the same): a 50,000-agent plan is hundreds
of megabytes of text, encoded and compressed a batch at a time so that it never exists
whole in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ccrules import __version__
from ccrules._convert import converter
from ccrules._planjson import (
    facts_json,
    plan_from_json,
    plan_packed,
    review_from_json,
    review_packed,
    unpacked,
)
from ccrules.errors import InputError, Problem, unreadable
from ccrules.model import Cycle, Plan, Reason, Review

if TYPE_CHECKING:
    from ccrules._center import CenterConfig

__all__ = [
    "HISTORY_DIR",
    "HISTORY_FILE",
    "History",
    "ReviewRecord",
    "Revision",
    "SqliteStore",
    "Store",
]

HISTORY_DIR = ".ccrules"
HISTORY_FILE = "history.sqlite"
#: 3: plans and reviews stored packed (zlib-compressed one-line JSON); 2 held their text
SCHEMA_VERSION = 3
_WHERE = f"{HISTORY_DIR}/{HISTORY_FILE}"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS revisions (
        cycle_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        digest TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL,
        ccrules_version TEXT NOT NULL,
        plugins TEXT NOT NULL,
        summary TEXT NOT NULL,
        plan TEXT NOT NULL,
        reason TEXT,
        approved_by TEXT,
        approved_at TEXT,
        PRIMARY KEY (cycle_id, revision)
    )""",
    """CREATE TABLE IF NOT EXISTS inputs (
        cycle_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (cycle_id, revision, file)
    )""",
    """CREATE TABLE IF NOT EXISTS decisions (
        cycle_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        agent_id TEXT,
        rule TEXT NOT NULL,
        plugin TEXT NOT NULL,
        version TEXT NOT NULL,
        text TEXT NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (cycle_id, revision, seq)
    )""",
    "CREATE INDEX IF NOT EXISTS decisions_agent ON decisions (cycle_id, revision, agent_id)",
    """CREATE TABLE IF NOT EXISTS reviews (
        cycle_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        plan_revision INTEGER NOT NULL,
        digest TEXT NOT NULL,
        previous TEXT,
        created_at TEXT NOT NULL,
        ccrules_version TEXT NOT NULL,
        review TEXT NOT NULL,
        PRIMARY KEY (cycle_id, number)
    )""",
    """CREATE TABLE IF NOT EXISTS review_decisions (
        cycle_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        agent_id TEXT,
        rule TEXT NOT NULL,
        plugin TEXT NOT NULL,
        version TEXT NOT NULL,
        text TEXT NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (cycle_id, number, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS figures (
        cycle_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        subject TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        level INTEGER NOT NULL,
        metric TEXT NOT NULL,
        value REAL,
        n INTEGER NOT NULL,
        low REAL,
        high REAL,
        compared INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        PRIMARY KEY (cycle_id, number, subject, subject_id, metric)
    )""",
)

# Columns added after schema version 1: history files made by 0.1 pre-releases gain them.
_ADDED = {"revisions": (("approved_by", "TEXT"), ("approved_at", "TEXT"))}


@attrs.frozen
class Revision:
    """A recorded plan of a cycle.

    :param status: ``draft``, ``approved`` (the published plan), or ``superseded`` (approved
        once, replaced by a later approved revision).
    :param created: ``True`` when this call wrote it; ``False`` when nothing changed.
    :param reason: why an approved plan was replanned.
    """

    cycle_id: str
    revision: int
    digest: str
    status: str
    created_at: str
    created: bool = False
    reason: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None


@attrs.frozen
class ReviewRecord:
    """A recorded review (evaluation and close) of a cycle.

    :param number: 1 for the cycle's first review; a re-run with changed inputs adds one.
    :param created: ``True`` when this call wrote it; ``False`` when the same review was the
        cycle's latest already.
    """

    cycle_id: str
    number: int
    plan_revision: int
    digest: str
    previous: str | None
    created_at: str
    created: bool = False


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def _refused(error: sqlite3.Error) -> bool:
    """Whether SQLite refused to write for want of permission (a read-only file or folder),
    not for a lock another command holds or a damaged file."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)


def _problem(message: str, code: str, where: str = _WHERE) -> InputError:
    return InputError([Problem(file=where, message=message, code=code)])


def newer_schema(where: str, written: int) -> InputError:
    """A store written by a newer ccrules: refused, and kept."""
    return _problem(
        f"was written by a newer ccrules (history schema {written}; ccrules {__version__} "
        f"reads up to {SCHEMA_VERSION}); upgrade ccrules on this machine (pip install -U "
        "ccrules) and run again. Keep the store",
        "newer-history",
        where,
    )


def _schema_of(con: sqlite3.Connection) -> int | None:
    """The schema version a history file was written with; ``None`` for a new file."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no meta table yet
        return None
    try:
        return int(row[0]) if row is not None else None
    except (TypeError, ValueError):
        return None


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What :class:`History` asks of a store's connection: SQL with ``?`` placeholders."""

    def execute(self, __sql: str, __parameters: Sequence[Any] = ...) -> Cursor: ...
    def executemany(self, __sql: str, __parameters: Iterable[Sequence[Any]]) -> Any: ...


class Store(Protocol):
    """Where a history lives and what differs per database; :class:`History` writes the SQL
    and keeps the guarantees once, for every store.

    :ivar where: the store as shown in messages (never a password).
    :ivar center_column: the column naming the center in a store many centers share (every
        table's first column; every read and write is filtered by it); ``None`` when the
        store holds one center.
    :ivar center: ``(center id,)`` with a ``center_column``, else ``()``: the parameter that
        goes where the SQL names the column.
    """

    @property
    def where(self) -> str: ...
    @property
    def center_column(self) -> str | None: ...
    @property
    def center(self) -> tuple[str, ...]: ...

    def exists(self) -> bool:
        """Whether anything may be recorded (a read of a store that does not exist is
        empty, and creates nothing)."""
        ...

    def problems(self) -> list[Problem]:
        """What is wrong with the store, if anything; nothing is written."""
        ...

    def read(self) -> AbstractContextManager[Connection]: ...

    def write(self) -> AbstractContextManager[Connection]:
        """One transaction, holding the center's write lock and with the schema in place:
        committed when the block ends, rolled back on any error."""
        ...

    def has(self, con: Connection, table: str) -> bool: ...

    def dump(self) -> list[tuple[object, ...]]:
        """Every row of the center, by table, in a stable order."""
        ...


class SqliteStore:
    """The history of one center in ``<center>/.ccrules/history.sqlite``: the default."""

    where: str = _WHERE
    center_column: str | None = None
    center: tuple[str, ...] = ()

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()  # a folder in its place is reported, not taken for none

    def problems(self) -> list[Problem]:
        """Not a database, a folder in its place, unreadable; empty for a sound store or
        none at all."""
        if not self.exists():
            return []
        try:
            with closing(self._connect()):
                pass
        except InputError as error:
            return list(error.problems)
        return []

    def _connect(self) -> sqlite3.Connection:
        """A connection to the store, or :class:`InputError` when the file is no SQLite
        database (a folder in its place, a file overwritten by something else)."""
        shown = f"{HISTORY_DIR}/{HISTORY_FILE}"
        if self.path.is_dir():
            raise InputError(
                [
                    Problem(
                        file=shown,
                        message="is a folder, not the history database; move it away and "
                        "run again (a new history is started)",
                        code="bad-history",
                    )
                ]
            )
        if self.path.exists():
            try:
                self.path.open("rb").close()
            except OSError as error:
                raise InputError([unreadable(shown, error)]) from None
        con = sqlite3.connect(self.path, isolation_level=None)
        try:
            con.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            con.close()
            raise InputError(
                [
                    Problem(
                        file=shown,
                        message=f"not a history database ({error}); restore it from a backup "
                        "or move it away to start a new history",
                        code="bad-history",
                    )
                ]
            ) from None
        written = _schema_of(con)
        if written is not None and written > SCHEMA_VERSION:
            con.close()
            raise newer_schema(shown, written)
        return con

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as con:
            if self._has(con, "revisions"):
                self._migrate_columns(con)
            yield con

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(exist_ok=True)
        except OSError as error:
            raise self._unwritable(error) from None
        with closing(self._connect()) as con:
            try:
                con.execute("BEGIN IMMEDIATE")  # the lock: one writer at a time
            except sqlite3.OperationalError as error:
                raise self._unwritable(error) if _refused(error) else error from None
            try:
                try:
                    for statement in _SCHEMA:
                        con.execute(statement)
                    self._migrate_columns(con)
                    con.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                        (str(SCHEMA_VERSION),),
                    )
                except sqlite3.OperationalError as error:
                    raise self._unwritable(error) if _refused(error) else error from None
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    @staticmethod
    def _unwritable(error: Exception) -> InputError:
        reason = getattr(error, "strerror", None) or str(error)
        return InputError(
            [
                Problem(
                    file=f"{HISTORY_DIR}/{HISTORY_FILE}",
                    message=f"cannot be written ({reason}); give the user running ccrules "
                    f"write access to the {HISTORY_DIR} folder and the file in it, then run again",
                    code="unwritable",
                )
            ]
        )

    def has(self, con: Connection, table: str) -> bool:
        return self._has(con, table)

    @staticmethod
    def _has(con: Connection, table: str) -> bool:
        row = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        return row is not None

    @staticmethod
    def _migrate_columns(con: sqlite3.Connection) -> None:
        for table, columns in _ADDED.items():
            have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
            missing = [(name, kind) for name, kind in columns if name not in have]
            if missing and not con.in_transaction:
                # a read of an old file: add the columns in their own transaction
                con.execute("BEGIN IMMEDIATE")
                for name, kind in missing:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                con.execute("COMMIT")
            else:
                for name, kind in missing:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def dump(self) -> list[tuple[object, ...]]:
        if not self.exists():
            return []
        with closing(self._connect()) as con:
            tables = [
                row[0]
                for row in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            rows: list[tuple[object, ...]] = []
            for table in tables:
                rows.extend(
                    (table, *row) for row in con.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
                )
        return rows


class History:
    """The history store of one center. Nothing is created until the first write.

    ``History(folder)`` is SQLite in ``<folder>/.ccrules/history.sqlite``, whatever
    center.toml says; :meth:`open` is the store center.toml's ``[history] store`` names (or
    ``store=``). Another store is given as ``store`` (a :class:`Store`).
    """

    def __init__(self, folder: str | Path, *, store: Store | None = None) -> None:
        self.path = Path(folder) / HISTORY_DIR / HISTORY_FILE
        self.store: Store = store if store is not None else SqliteStore(self.path)

    @classmethod
    def open(
        cls, folder: str | Path, store: str | None = None, config: CenterConfig | None = None
    ) -> History:
        """The history of the center in ``folder``, where its center.toml's ``[history]
        store`` says: SQLite in the folder by default, or a PostgreSQL store many centers
        share, where the center's rows carry its ``[center] id``.

        :param store: a store URL that wins over center.toml's (``""`` for SQLite in the
            folder; ``"postgresql://user@host:5432/db"``).
        :param config: the center's config, when it is read already (else center.toml is).
        :raises InputError: a bad store URL, no ``[center] id`` for a shared store, or a
            PostgreSQL store that cannot be reached.
        """
        from ccrules._center import history_problems, load_config

        if config is None and (store is None or store):
            config = load_config(Path(folder))[0]
        url = store if store is not None else config.history.store if config else ""
        if not url:
            return cls(folder)
        from ccrules._history_pg import PostgresStore, checked_store

        assert config is not None  # a shared store is asked for: center.toml was read
        if store is None:  # center.toml's store: its problems at their lines
            problems = history_problems(config, Path(folder))
            if problems:
                raise InputError(problems)
        else:
            checked_store(url, config.center_id, "store=")
        return cls(folder, store=PostgresStore(url, config.center_id))

    @property
    def location(self) -> str:
        """The store as shown to the operator: the file, or the URL without a password."""
        if isinstance(self.store, SqliteStore):
            return str(self.path)
        return self.store.where

    def exists(self) -> bool:
        return self.store.exists()

    def problems(self) -> list[Problem]:
        """What is wrong with the store, if anything: not a database, a folder in its place,
        unreadable, unreachable. Empty for a sound store or none at all. Nothing is
        written."""
        return self.store.problems()

    def _write(self) -> AbstractContextManager[Connection]:
        """One transaction: commit when the block ends, roll back on any error."""
        return self.store.write()

    def _scope(self) -> str:
        """``center_id = ? AND `` in a shared store (with :attr:`Store.center` first among
        the parameters), else nothing."""
        column = self.store.center_column
        return f"{column} = ? AND " if column else ""

    def _only(self, alias: str = "") -> str:
        """`` WHERE center_id = ?`` in a shared store, else nothing."""
        column = self.store.center_column
        return f" WHERE {alias}{column} = ?" if column else ""

    def _key(self) -> str:
        """The center's column and the mark of its value, first in an INSERT."""
        column = self.store.center_column
        return f"{column}, " if column else ""

    def _mark(self) -> str:
        return "?, " if self.store.center_column else ""

    # -- plans ------------------------------------------------------------------------------

    _REVISION_COLUMNS = (
        "cycle_id, revision, digest, status, created_at, 0, reason, approved_by, approved_at"
    )

    @classmethod
    def _revision(cls, row: tuple[object, ...]) -> Revision:
        cycle, number, digest, status, created_at, _, reason, by, at = row
        return Revision(
            str(cycle),
            int(number),  # type: ignore[call-overload]
            str(digest),
            str(status),
            str(created_at),
            False,
            reason if reason is None else str(reason),
            by if by is None else str(by),
            at if at is None else str(at),
        )

    def record(
        self,
        plan: Plan,
        inputs: Mapping[str, str],
        now: dt.datetime | None = None,
        reason: str | None = None,
    ) -> Revision:
        """Record a plan in one transaction; a new revision unless it equals the latest or
        the approved one.

        :param reason: why an approved plan is replanned; required when the cycle has one.
        :raises InputError: the cycle has an approved plan and no reason was given.
        """
        created_at = _now(now)
        c = self.store.center
        with self._write() as con:
            latest = con.execute(
                f"SELECT {self._REVISION_COLUMNS} FROM revisions WHERE {self._scope()}"
                "cycle_id = ? ORDER BY revision DESC LIMIT 1",
                (*c, plan.cycle.id),
            ).fetchone()
            if latest is not None and latest[2] == plan.digest:
                return self._revision(latest)
            approved = self._approved_row(con, plan.cycle.id)
            if approved is not None and approved.digest == plan.digest:
                # back to the published plan (a later draft was dropped): nothing changed
                return approved
            if approved is not None and not (reason and reason.strip()):
                raise _problem(
                    f"cycle {plan.cycle.id} has an approved plan (revision {approved.revision}, "
                    f"approved by {approved.approved_by} at {approved.approved_at}) and its "
                    "inputs changed. Replanning it makes a new revision: run again with "
                    '--reason "why", then approve the new revision.',
                    "approved-plan",
                )
            number = 1 if latest is None else int(latest[1]) + 1
            con.execute(
                f"INSERT INTO revisions ({self._key()}cycle_id, revision, digest, status, "
                "created_at, ccrules_version, plugins, summary, plan, reason) "
                f"VALUES ({self._mark()}?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)",
                (
                    *c,
                    plan.cycle.id,
                    number,
                    plan.digest,
                    created_at,
                    plan.ccrules_version,
                    json.dumps(converter.unstructure(plan.plugins)),
                    json.dumps(converter.unstructure(plan.summary), ensure_ascii=False),
                    plan_packed(plan),
                    reason.strip() if reason else None,
                ),
            )
            con.executemany(
                f"INSERT INTO inputs VALUES ({self._mark()}?, ?, ?, ?)",
                [(*c, plan.cycle.id, number, file, sha) for file, sha in sorted(inputs.items())],
            )
            con.executemany(
                f"INSERT INTO decisions VALUES ({self._mark()}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (*c, plan.cycle.id, number, seq, *row)
                    for seq, row in enumerate(_decision_rows(plan), start=1)
                ),
            )
        return Revision(
            plan.cycle.id,
            number,
            plan.digest,
            "draft",
            created_at,
            created=True,
            reason=reason.strip() if reason else None,
        )

    def _approved_row(self, con: Connection, cycle_id: str) -> Revision | None:
        row = con.execute(
            f"SELECT {self._REVISION_COLUMNS} FROM revisions "
            f"WHERE {self._scope()}cycle_id = ? AND status = 'approved'",
            (*self.store.center, cycle_id),
        ).fetchone()
        return self._revision(row) if row is not None else None

    def approve(
        self, cycle_id: str, by: str, revision: int | None = None, now: dt.datetime | None = None
    ) -> Revision:
        """Publish a revision of a cycle's plan (the latest unless ``revision`` is given).

        :raises InputError: no such revision, or a revision older than the approved one.
        """
        if not by.strip():
            raise _problem("give the approver's name with --by NAME", "no-approver")
        if not self.exists():
            raise _problem(
                f"no plan of cycle {cycle_id} is recorded; run `ccrules plan DIR --cycle "
                f"{cycle_id}` first",
                "no-plan",
            )
        at = _now(now)
        c = self.store.center
        with self._write() as con:
            if revision is None:
                row = con.execute(
                    f"SELECT {self._REVISION_COLUMNS} FROM revisions WHERE {self._scope()}"
                    "cycle_id = ? ORDER BY revision DESC LIMIT 1",
                    (*c, cycle_id),
                ).fetchone()
            else:
                row = con.execute(
                    f"SELECT {self._REVISION_COLUMNS} FROM revisions "
                    f"WHERE {self._scope()}cycle_id = ? AND revision = ?",
                    (*c, cycle_id, revision),
                ).fetchone()
            if row is None:
                which = f"revision {revision} of cycle" if revision is not None else "plan of cycle"
                raise _problem(
                    f"no {which} {cycle_id} is recorded; run `ccrules plan DIR --cycle "
                    f"{cycle_id}` first (`ccrules history DIR` lists what is recorded)",
                    "no-plan",
                )
            chosen = self._revision(row)
            if chosen.status == "approved":
                return chosen
            current = self._approved_row(con, cycle_id)
            if current is not None and current.revision > chosen.revision:
                raise _problem(
                    f"revision {chosen.revision} is older than the approved revision "
                    f"{current.revision} of cycle {cycle_id}; approve a newer one",
                    "old-revision",
                )
            con.execute(
                "UPDATE revisions SET status = 'superseded' "
                f"WHERE {self._scope()}cycle_id = ? AND status = 'approved'",
                (*c, cycle_id),
            )
            con.execute(
                "UPDATE revisions SET status = 'approved', approved_by = ?, approved_at = ? "
                f"WHERE {self._scope()}cycle_id = ? AND revision = ?",
                (by.strip(), at, *c, cycle_id, chosen.revision),
            )
        return attrs.evolve(
            chosen, status="approved", approved_by=by.strip(), approved_at=at, created=True
        )

    def revisions(self, cycle_id: str | None = None) -> list[Revision]:
        """Recorded revisions, by cycle and number; of one cycle when ``cycle_id`` is given."""
        where, params = self._where_cycle(cycle_id)
        rows = self._rows(
            "revisions",
            f"SELECT {self._REVISION_COLUMNS} FROM revisions {where} ORDER BY cycle_id, revision",
            params,
        )
        return [self._revision(row) for row in rows]

    def approved(self, cycle_id: str) -> tuple[Revision, Plan] | None:
        """The approved revision of a cycle and its plan, if any."""
        rows = self._rows(
            "revisions",
            f"SELECT {self._REVISION_COLUMNS}, plan FROM revisions "
            f"WHERE {self._scope()}cycle_id = ? AND status = 'approved'",
            (*self.store.center, cycle_id),
        )
        if not rows:
            return None
        return self._revision(rows[0][:-1]), plan_from_json(unpacked(rows[0][-1]))

    def plan(self, cycle_id: str, revision: int | None = None) -> Plan | None:
        """A recorded plan: the latest revision of the cycle unless ``revision`` is given."""
        text = self._document("revisions", "plan", "revision", cycle_id, revision)
        return plan_from_json(text) if text is not None else None

    # -- reviews ----------------------------------------------------------------------------

    def record_review(self, review: Review, now: dt.datetime | None = None) -> ReviewRecord:
        """Record a review in one transaction; nothing when it equals the cycle's latest."""
        created_at = _now(now)
        cycle = review.cycle.id
        c = self.store.center
        with self._write() as con:
            latest = con.execute(
                "SELECT cycle_id, number, plan_revision, digest, previous, created_at "
                f"FROM reviews WHERE {self._scope()}cycle_id = ? ORDER BY number DESC LIMIT 1",
                (*c, cycle),
            ).fetchone()
            if latest is not None and latest[3] == review.digest:
                return ReviewRecord(*latest)
            number = 1 if latest is None else int(latest[1]) + 1
            con.execute(
                f"INSERT INTO reviews VALUES ({self._mark()}?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *c,
                    cycle,
                    number,
                    review.plan_revision,
                    review.digest,
                    review.previous,
                    created_at,
                    review.ccrules_version,
                    review_packed(review),
                ),
            )
            con.executemany(
                f"INSERT INTO review_decisions VALUES ({self._mark()}"
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (*c, cycle, number, seq, *row)
                    for seq, row in enumerate(_review_rows(review), start=1)
                ),
            )
            con.executemany(
                f"INSERT INTO figures VALUES ({self._mark()}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        *c,
                        cycle,
                        number,
                        e.subject,
                        e.subject_id,
                        e.level,
                        e.metric,
                        e.value,
                        e.n,
                        e.low,
                        e.high,
                        int(e.compared),  # 0 or 1 in every store
                        e.verdict,
                    )
                    for e in review.evaluations
                ),
            )
        return ReviewRecord(
            cycle,
            number,
            review.plan_revision,
            review.digest,
            review.previous,
            created_at,
            created=True,
        )

    def review_records(self, cycle_id: str | None = None) -> list[ReviewRecord]:
        """Recorded reviews, by cycle and number."""
        where, params = self._where_cycle(cycle_id)
        rows = self._rows(
            "reviews",
            "SELECT cycle_id, number, plan_revision, digest, previous, created_at FROM reviews "
            f"{where} ORDER BY cycle_id, number",
            params,
        )
        return [ReviewRecord(*row) for row in rows]

    def review(self, cycle_id: str, number: int | None = None) -> Review | None:
        """A recorded review: the cycle's latest unless ``number`` is given."""
        text = self._document("reviews", "review", "number", cycle_id, number)
        return review_from_json(text) if text is not None else None

    def latest_reviews(self) -> list[Review]:
        """The latest review of every reviewed cycle, oldest cycle first."""
        rows = self._rows(
            "reviews",
            "SELECT r.review FROM reviews r JOIN (SELECT cycle_id, max(number) AS number "
            f"FROM reviews{self._only()} GROUP BY cycle_id) m USING (cycle_id, number)"
            f"{self._only('r.')} ORDER BY cycle_id",
            (*self.store.center, *self.store.center),
        )
        reviews = [review_from_json(unpacked(row[0])) for row in rows]
        return sorted(reviews, key=lambda r: (r.cycle.start, r.cycle.id))

    def previous_review(self, cycle: Cycle) -> Review | None:
        """The review a plan of ``cycle`` inherits: the latest review of a cycle that ended
        before ``cycle`` starts. ``ccrules plan``, ``explain`` and ``report`` all plan with it;
        ``engine.plan(previous=history.previous_review(engine.center.cycle))`` plans as they do.
        """
        earlier = [r for r in self.latest_reviews() if r.cycle.end < cycle.start]
        return earlier[-1] if earlier else None

    def _rows(
        self, table: str, query: str, params: tuple[object, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """The rows of a read query; none while the file or the table does not exist."""
        if not self.exists():
            return []
        with self.store.read() as con:
            if not self.store.has(con, table):
                return []
            return list(con.execute(query, params).fetchall())

    def _where_cycle(self, cycle_id: str | None) -> tuple[str, tuple[object, ...]]:
        """The WHERE clause of the center's rows, of one cycle when ``cycle_id`` is given."""
        c = self.store.center
        if cycle_id is not None:
            return f"WHERE {self._scope()}cycle_id = ?", (*c, cycle_id)
        return self._only().strip(), c

    def _document(
        self, table: str, column: str, key: str, cycle_id: str, number: int | None
    ) -> str | None:
        """A cycle's JSON document: the latest, or the one numbered ``number``."""
        if number is None:
            rows = self._rows(
                table,
                f"SELECT {column} FROM {table} WHERE {self._scope()}cycle_id = ? "
                f"ORDER BY {key} DESC LIMIT 1",
                (*self.store.center, cycle_id),
            )
        else:
            rows = self._rows(
                table,
                f"SELECT {column} FROM {table} WHERE {self._scope()}cycle_id = ? AND {key} = ?",
                (*self.store.center, cycle_id, number),
            )
        return unpacked(rows[0][0]) if rows else None

    def dump(self) -> list[tuple[object, ...]]:
        """Every row of every table, in a stable order (to compare two states)."""
        return self.store.dump()


Row = tuple[str, str, str | None, str, str, str, str, str]


def _reason_rows(
    kind: str, subject: str, agent: str | None, reasons: tuple[Reason, ...]
) -> Iterator[Row]:
    for reason in reasons:
        yield (
            kind,
            subject,
            agent,
            reason.rule,
            reason.plugin,
            reason.version,
            reason.text,
            facts_json(reason.facts),
        )


def _decision_rows(plan: Plan) -> Iterator[Row]:
    needs = {need.id: need for need in plan.needs}
    for need in plan.needs:
        yield from _reason_rows("need", need.id, need.agent_id, need.reasons)
    for priority in plan.priorities:
        yield from _reason_rows(
            "priority", priority.need_id, needs[priority.need_id].agent_id, priority.reasons
        )
    for session in plan.sessions:
        yield from _reason_rows("session", session.id, None, session.reasons)
        yield from _reason_rows("trainer", session.id, None, session.trainer_reasons)
        yield from _reason_rows("slot", session.id, None, session.slot_reasons)
    for item in plan.unplaced:
        agent = needs[item.id].agent_id if item.kind == "need" and item.id in needs else None
        yield from _reason_rows(f"unplaced-{item.stage}", item.id, agent, item.reasons)


def _review_rows(review: Review) -> Iterator[Row]:
    for e in review.evaluations:
        subject = f"{e.subject}:{e.subject_id}:{e.metric}"
        yield from _reason_rows("evaluation", subject, None, e.reasons)
    for f in review.follow_ups:
        subject = f"{f.kind}:{f.competency_id}:{f.why}:{f.contact_id or ''}"
        yield from _reason_rows("follow-up", subject, f.agent_id, f.reasons)
    for x in review.escalations:
        yield from _reason_rows("escalation", x.competency_id, x.agent_id, x.reasons)
    for t in review.trainers:
        yield from _reason_rows("trainer", t.trainer_id, None, t.reasons)
    for a in review.attrition:
        yield from _reason_rows("attrition", a.agent_id, a.agent_id, a.reasons)
    for c in review.carried:
        yield from _reason_rows(f"carry-{c.status}", c.need.id, c.need.agent_id, c.reasons)
