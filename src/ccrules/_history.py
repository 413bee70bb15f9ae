"""The history store: SQLite in ``<center>/.ccrules/history.sqlite``.

Each planning run of a cycle is recorded in one transaction: the digest of config and
inputs, the plan JSON, and one row per decision (need, priority, session, trainer choice,
slot, unplaced item) with its rule, plugin and version. Replanning never overwrites: a plan
whose digest differs from the cycle's latest revision becomes a new revision; the same digest
means the same plan, and nothing new is written.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path

import attrs

from ccrules._convert import converter
from ccrules._planjson import plan_from_json, plan_to_json
from ccrules.model import Plan, Reason

__all__ = ["HISTORY_DIR", "HISTORY_FILE", "History", "Revision"]

HISTORY_DIR = ".ccrules"
HISTORY_FILE = "history.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revisions (
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
    PRIMARY KEY (cycle_id, revision)
);
CREATE TABLE IF NOT EXISTS inputs (
    cycle_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (cycle_id, revision, file)
);
CREATE TABLE IF NOT EXISTS decisions (
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
);
CREATE INDEX IF NOT EXISTS decisions_agent ON decisions (cycle_id, revision, agent_id);
"""


@attrs.frozen
class Revision:
    """A recorded plan of a cycle.

    :param created: ``True`` when this call wrote it; ``False`` when the same plan was
        already the cycle's latest revision.
    """

    cycle_id: str
    revision: int
    digest: str
    status: str
    created_at: str
    created: bool = False


class History:
    """The history store of one center folder. Nothing is created until the first write."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / HISTORY_DIR / HISTORY_FILE

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        if write:
            self.path.parent.mkdir(exist_ok=True)
        with closing(sqlite3.connect(self.path, isolation_level=None)) as con:
            con.execute("PRAGMA foreign_keys = ON")
            if write:
                con.executescript(_SCHEMA)
                con.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            yield con

    def exists(self) -> bool:
        return self.path.is_file()

    def record(
        self, plan: Plan, inputs: Mapping[str, str], now: dt.datetime | None = None
    ) -> Revision:
        """Record a plan in one transaction; a new revision unless it equals the latest."""
        created_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        with self._connect(write=True) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                latest = con.execute(
                    "SELECT revision, digest, status, created_at FROM revisions "
                    "WHERE cycle_id = ? ORDER BY revision DESC LIMIT 1",
                    (plan.cycle.id,),
                ).fetchone()
                if latest is not None and latest[1] == plan.digest:
                    con.execute("ROLLBACK")
                    return Revision(plan.cycle.id, latest[0], latest[1], latest[2], latest[3])
                number = 1 if latest is None else int(latest[0]) + 1
                con.execute(
                    "INSERT INTO revisions (cycle_id, revision, digest, status, created_at, "
                    "ccrules_version, plugins, summary, plan) "
                    "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
                    (
                        plan.cycle.id,
                        number,
                        plan.digest,
                        created_at,
                        plan.ccrules_version,
                        json.dumps(converter.unstructure(plan.plugins)),
                        json.dumps(converter.unstructure(plan.summary), ensure_ascii=False),
                        plan_to_json(plan),
                    ),
                )
                con.executemany(
                    "INSERT INTO inputs VALUES (?, ?, ?, ?)",
                    [(plan.cycle.id, number, file, sha) for file, sha in sorted(inputs.items())],
                )
                con.executemany(
                    "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (plan.cycle.id, number, seq, *row)
                        for seq, row in enumerate(_decision_rows(plan), start=1)
                    ],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return Revision(plan.cycle.id, number, plan.digest, "draft", created_at, created=True)

    def revisions(self, cycle_id: str | None = None) -> list[Revision]:
        """Recorded revisions, oldest first; of one cycle when ``cycle_id`` is given."""
        if not self.exists():
            return []
        with self._connect(write=False) as con:
            query = "SELECT cycle_id, revision, digest, status, created_at FROM revisions"
            params: tuple[str, ...] = ()
            if cycle_id is not None:
                query += " WHERE cycle_id = ?"
                params = (cycle_id,)
            rows = con.execute(query + " ORDER BY cycle_id, revision", params).fetchall()
        return [Revision(*row) for row in rows]

    def plan(self, cycle_id: str, revision: int | None = None) -> Plan | None:
        """A recorded plan: the latest revision of the cycle unless ``revision`` is given."""
        if not self.exists():
            return None
        with self._connect(write=False) as con:
            if revision is None:
                row = con.execute(
                    "SELECT plan FROM revisions WHERE cycle_id = ? ORDER BY revision DESC LIMIT 1",
                    (cycle_id,),
                ).fetchone()
            else:
                row = con.execute(
                    "SELECT plan FROM revisions WHERE cycle_id = ? AND revision = ?",
                    (cycle_id, revision),
                ).fetchone()
        return plan_from_json(row[0]) if row else None


def _reason_rows(
    kind: str, subject: str, agent: str | None, reasons: tuple[Reason, ...]
) -> Iterator[tuple[str, str, str | None, str, str, str, str, str]]:
    for reason in reasons:
        yield (
            kind,
            subject,
            agent,
            reason.rule,
            reason.plugin,
            reason.version,
            reason.text,
            json.dumps(converter.unstructure(reason.facts), ensure_ascii=False),
        )


def _decision_rows(plan: Plan) -> Iterator[tuple[str, str, str | None, str, str, str, str, str]]:
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
