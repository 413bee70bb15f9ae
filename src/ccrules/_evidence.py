"""Evidence: the loaded data and its aggregates, in DuckDB.

The evidence stage turns raw rows (millions of QA items) into per-agent aggregates (tens of
thousands of profiles) in SQL. Rules then read aggregates, either as model objects or with
their own SQL, and create Python objects only for what they decide.

Core aggregates, built for the cycle's evidence window:

``competency_scores``
    one row per agent and competency scored by QA: ``agent_id, competency_id, score`` (points
    earned as a share of points possible, 0-100), ``evaluations, items, first_date,
    last_date, lowest_evaluation_id``.
``kpi_values``
    one row per agent and metric: ``agent_id, metric, value`` (mean of the period values),
    ``periods, last_period``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import duckdb

from ccrules._load import quote_ident
from ccrules.model import CompetencyScore, KpiValue

__all__ = ["CORE_AGGREGATES", "Evidence", "EvidenceTable"]


@attrs.frozen
class EvidenceTable:
    """An aggregate table a plugin adds in the evidence stage.

    :param name: the table's name; lower case letters, digits and ``_``.
    :param sql: a ``SELECT`` over data tables and earlier aggregates. ``$from`` and ``$to``
        are bound to the cycle's evidence window.
    :param doc: what a row of the table is.
    """

    name: str
    sql: str
    doc: str = ""


CORE_AGGREGATES: tuple[EvidenceTable, ...] = (
    EvidenceTable(
        name="competency_scores",
        doc="QA per agent and competency within the window: score 0-100 (points earned as a "
        "share of points possible), evaluations, items, first and last date, and the "
        "evaluation with the lowest share on the competency.",
        sql="""
        SELECT q.agent_id, i.competency_id,
               round(100 * sum(q.score) / sum(q.max_score), 4) AS score,
               count(DISTINCT q.evaluation_id) AS evaluations,
               count(*) AS items,
               min(q.date) AS first_date,
               max(q.date) AS last_date,
               arg_min(q.evaluation_id, (q.score / q.max_score, q.evaluation_id))
                   AS lowest_evaluation_id
        FROM qa q JOIN qa_items i ON i.item_id = q.item_id
        WHERE q.date BETWEEN $from AND $to
        GROUP BY q.agent_id, i.competency_id
        """,
    ),
    EvidenceTable(
        name="kpi_values",
        doc="KPI per agent and metric within the window: the mean of its period values, the "
        "number of periods and the last period.",
        sql="""
        SELECT agent_id, metric,
               round(avg(value), 6) AS value,
               count(*) AS periods,
               max(period) AS last_period
        FROM kpis
        WHERE period BETWEEN $from AND $to
        GROUP BY agent_id, metric
        """,
    ),
)


class Evidence:
    """The cycle's evidence: data tables and aggregates in one DuckDB database.

    Results of :meth:`sql` come back in the order the query gives; order every query that
    feeds a decision (``ORDER BY``), so plans stay byte-identical.

    :ivar window: first and last day of the cycle's evidence window (inclusive).
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        window: tuple[dt.date, dt.date],
        sources: Mapping[str, str],
        present: frozenset[str],
    ) -> None:
        self._con = con
        self.window = window
        self._sources = dict(sources)
        self._present = present
        self._aggregates: list[EvidenceTable] = []

    def sql(
        self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one ``SELECT`` and return all rows.

        ``$from`` and ``$to`` are bound to the evidence window when ``params`` is not given.
        Anything but a single ``SELECT`` is refused: tables are made by
        ``ccrules_aggregate_evidence``, so every plugin sees the same evidence.
        """
        self._require_select(query)
        if params is None:
            params = self._window_params(query)
        return self._con.execute(query, params).fetchall()

    def _require_select(self, query: str) -> None:
        statements = self._con.extract_statements(query)
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            kinds = ", ".join(str(s.type).rsplit(".", 1)[-1] for s in statements)
            raise ValueError(
                f"evidence queries must be one SELECT, not {kinds or 'nothing'}; add tables "
                "with ccrules_aggregate_evidence"
            )

    def _window_params(self, query: str) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if "$from" in query:
            params["from"] = self.window[0]
        if "$to" in query:
            params["to"] = self.window[1]
        return params

    def has(self, source: str) -> bool:
        """Whether the data file ``source`` was given (optional files may be absent)."""
        return source in self._present

    def source_of(self, name: str) -> str:
        """The file a table was read from (``data/qa.csv``), or the table's name."""
        return self._sources.get(name, name)

    @property
    def aggregates(self) -> tuple[EvidenceTable, ...]:
        """Aggregate tables built so far, in order."""
        return tuple(self._aggregates)

    def tables(self) -> tuple[str, ...]:
        """Every table: data tables and aggregates, sorted."""
        rows = self._con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name"
        ).fetchall()
        return tuple(r[0] for r in rows if not r[0].startswith("_"))

    def reset(self) -> None:
        """Drop the aggregates built so far (after a failed evidence stage). Engine use."""
        for table in self._aggregates:
            self._con.execute(f"DROP TABLE IF EXISTS {quote_ident(table.name)}")
        self._aggregates.clear()

    def build(self, table: EvidenceTable) -> int:
        """Create an aggregate table; return its row count. Called by the engine."""
        self._require_select(table.sql)
        self._con.execute(
            f"CREATE OR REPLACE TABLE {quote_ident(table.name)} AS {table.sql}",
            self._window_params(table.sql),
        )
        self._aggregates.append(table)
        row = self._con.execute(f"SELECT count(*) FROM {quote_ident(table.name)}").fetchone()
        return int(row[0]) if row else 0

    def competency_scores(self, agent_id: str | None = None) -> tuple[CompetencyScore, ...]:
        """QA aggregates per agent and competency, sorted; one agent's when ``agent_id``."""
        where = "WHERE agent_id = $agent" if agent_id is not None else ""
        rows = self._con.execute(
            "SELECT agent_id, competency_id, score, evaluations, items, first_date, last_date "
            f"FROM competency_scores {where} ORDER BY agent_id, competency_id",
            {"agent": agent_id} if agent_id is not None else {},
        ).fetchall()
        return tuple(
            CompetencyScore(a, c, float(s), int(e), int(i), f, last)
            for a, c, s, e, i, f, last in rows
        )

    def kpi_values(self, agent_id: str | None = None) -> tuple[KpiValue, ...]:
        """KPI aggregates per agent and metric, sorted; one agent's when ``agent_id``."""
        where = "WHERE agent_id = $agent" if agent_id is not None else ""
        rows = self._con.execute(
            "SELECT agent_id, metric, value, periods, last_period "
            f"FROM kpi_values {where} ORDER BY agent_id, metric",
            {"agent": agent_id} if agent_id is not None else {},
        ).fetchall()
        return tuple(KpiValue(a, m, float(v), int(p), last) for a, m, v, p, last in rows)
