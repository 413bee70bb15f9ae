"""Evidence: the loaded data and its aggregates, in DuckDB.

The evidence stage turns raw rows (millions of QA items) into per-agent aggregates (tens of
thousands of profiles) in SQL. Rules then read aggregates, either as model objects or with
their own SQL, and create Python objects only for what they decide.

The core aggregates (``CORE_AGGREGATES`` below, each with its columns in its ``doc``, listed
in docs/data.md) are built for the cycle's evidence window: QA per agent and competency,
evaluator calibration, KPIs, topic signals from test calls, dissatisfied contacts and floor
help, exams, releases, strategy goals and career moves. An absent optional file gives an
empty aggregate, so rules can always query it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import duckdb

from ccrules._dialects import NotPortable
from ccrules._load import quote_ident
from ccrules._warehouse import Warehouse
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
        "share of points possible), evaluations (distinct evaluations that scored the "
        "competency), items scored, first and last date. The score is raw: every evaluator's "
        "points as given, not corrected for evaluators who score high (lenient) or low "
        "(harsh). `evaluator_calibration` measures each evaluator's deviation; the default "
        "pack's `needs.competency-gap` subtracts it (`[plugins.default.gaps] calibrate`) and "
        "shows both figures in its facts (`raw_qa_score`, `evaluator_bias`, `qa_score`). "
        "A rule that reads this table directly decides on the raw score.",
        # Evaluations are counted from a bit mask of the competencies each evaluation scored:
        # one pass grouped by evaluation instead of a DISTINCT over every row. A mask is a
        # word of 62 bits (0-61) in a signed BIGINT, a type and bit operations every
        # warehouse has; a competency's bit is computed once per competency, not per row.
        # The window's rows are joined to their competency once (w), for both aggregates.
        sql="""
        WITH numbered AS (
            SELECT competency_id,
                   CAST(row_number() OVER (ORDER BY competency_id) - 1 AS BIGINT) AS n
            FROM (SELECT DISTINCT competency_id FROM qa_items) AS d
        ),
        comp AS (
            SELECT competency_id, CAST(floor(n / 62) AS BIGINT) AS word,
                   CAST(power(2, n % 62) AS BIGINT) AS bit
            FROM numbered
        ),
        w AS (
            SELECT q.evaluation_id, q.agent_id, q.score, q.max_score, q.date,
                   c.competency_id, c.word, c.bit
            FROM qa q
            JOIN qa_items i ON i.item_id = q.item_id
            JOIN comp c ON c.competency_id = i.competency_id
            WHERE q.date BETWEEN $from AND $to
        ),
        scored AS (
            SELECT agent_id, competency_id,
                   sum(score) AS points, sum(max_score) AS possible,
                   count(*) AS items, min(date) AS first_date, max(date) AS last_date
            FROM w
            GROUP BY agent_id, competency_id
        ),
        masks AS (
            SELECT evaluation_id, agent_id, word, bit_or(bit) AS mask
            FROM w
            GROUP BY evaluation_id, agent_id, word
        ),
        counted AS (
            SELECT m.agent_id, c.competency_id, count(*) AS evaluations
            FROM masks m
            JOIN comp c ON c.word = m.word AND (m.mask & c.bit) <> 0
            GROUP BY m.agent_id, c.competency_id
        )
        SELECT s.agent_id, s.competency_id,
               round(100 * s.points / s.possible, 4) AS score,
               c.evaluations, s.items, s.first_date, s.last_date
        FROM scored s
        JOIN counted c ON c.agent_id = s.agent_id AND c.competency_id = s.competency_id
        """,
    ),
    EvidenceTable(
        name="evaluator_calibration",
        doc="QA evaluators compared with each other within the window: for each evaluator, "
        "the items scored, the items that other evaluators also scored (on the same form "
        "item), the mean deviation of its item scores (0-100) from the mean of every "
        "evaluator on the same item (above 0: lenient; below 0: harsh; the center's "
        "evaluators together set the norm, so the deviations weighted by items sum to 0), "
        "and the spread "
        "(standard deviation) of those deviations.",
        # Per item and evaluator: n, sum and sum of squares of the 0-100 scores, exact
        # decimals; the deviations' mean and spread follow from those sums without a second
        # pass over the rows.
        sql="""
        WITH x AS (
            SELECT item_id, evaluator,
                   CAST(100 * score / max_score AS DECIMAL(18, 6)) AS v
            FROM qa WHERE date BETWEEN $from AND $to
        ),
        g AS (
            SELECT item_id, evaluator, count(*) AS n, sum(v) AS sx, sum(v * v) AS sxx
            FROM x GROUP BY item_id, evaluator
        ),
        t AS (SELECT item_id, sum(n) AS tn, sum(sx) AS tsx FROM g GROUP BY item_id),
        d AS (
            SELECT g.evaluator, g.n, g.sx, g.sxx,
                   CAST(t.tsx / t.tn AS DECIMAL(18, 6)) AS o
            FROM g JOIN t USING (item_id)
            WHERE t.tn > g.n
        ),
        e AS (
            SELECT evaluator, sum(n) AS compared, count(*) AS compared_items,
                   sum(sx - n * o) AS sd, sum(sxx - 2 * o * sx + n * o * o) AS sdd
            FROM d GROUP BY evaluator
        ),
        a AS (SELECT evaluator, sum(n) AS items FROM g GROUP BY evaluator)
        SELECT a.evaluator, a.items, coalesce(e.compared, 0) AS compared,
               round(e.sd / e.compared, 4) AS deviation,
               CASE WHEN e.compared > 1 THEN round(sqrt(greatest(0,
                   (e.sdd - e.sd * e.sd / e.compared) / (e.compared - 1))), 4) END AS spread
        FROM a LEFT JOIN e USING (evaluator)
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
    EvidenceTable(
        name="topic_signals",
        doc="Per agent and topic within the window: test calls, failed test calls, errors "
        "on test calls, dissatisfied contacts and floor-help requests, with the topic's "
        "competency and owner team, and the last date of any of them.",
        sql="""
        WITH s AS (
            SELECT agent_id, topic_id, date, 1 AS test_call, CASE WHEN passed THEN 0 ELSE 1
                   END AS failed, errors, 0 AS dissatisfied, 0 AS help
            FROM test_calls
            UNION ALL
            SELECT agent_id, topic_id, date, 0, 0, 0, 1, 0 FROM dissatisfied_contacts
            UNION ALL
            SELECT agent_id, topic_id, date, 0, 0, 0, 0, 1 FROM floor_help
        )
        SELECT s.agent_id, s.topic_id, t.competency_id, t.owner_team_id,
               sum(test_call) AS test_calls, sum(failed) AS test_calls_failed,
               sum(errors) AS test_call_errors, sum(dissatisfied) AS dissatisfied,
               sum(help) AS floor_help, max(s.date) AS last_date
        FROM s JOIN topics t USING (topic_id)
        WHERE s.date BETWEEN $from AND $to
        GROUP BY s.agent_id, s.topic_id, t.competency_id, t.owner_team_id
        """,
    ),
    EvidenceTable(
        name="topic_totals",
        doc="Per topic within the window, across agents: agents with any signal, test "
        "calls and failures, dissatisfied contacts, floor-help requests, and the share of "
        "active agents involved.",
        sql="""
        SELECT s.topic_id, s.competency_id, s.owner_team_id,
               count(*) AS agents,
               sum(test_calls) AS test_calls, sum(test_calls_failed) AS test_calls_failed,
               sum(dissatisfied) AS dissatisfied, sum(floor_help) AS floor_help,
               round(count(*) / greatest(1, (SELECT count(*) FROM agents
                    WHERE status = 'active')), 4) AS agent_share
        FROM topic_signals s
        GROUP BY s.topic_id, s.competency_id, s.owner_team_id
        """,
    ),
    EvidenceTable(
        name="exam_results",
        doc="Per agent and competency, the latest exam within the window: exam, date, "
        "score as 0-100, pass mark as 0-100, whether it passed, and how many of the "
        "window's exams on the competency were failed.",
        # The latest exam is the first by date and exam id, descending (DuckDB's arg_max
        # over a tuple, written so every warehouse runs it).
        sql="""
        WITH e AS (
            SELECT agent_id, competency_id, exam_id, date, score, pass_mark, max_score,
                   row_number() OVER (PARTITION BY agent_id, competency_id
                                      ORDER BY date DESC, exam_id DESC) AS latest
            FROM exams
            WHERE date BETWEEN $from AND $to
        ),
        n AS (
            SELECT agent_id, competency_id, count(*) AS exams,
                   count(CASE WHEN score < pass_mark THEN 1 END) AS failed
            FROM e
            GROUP BY agent_id, competency_id
        )
        SELECT e.agent_id, e.competency_id, e.exam_id, e.date,
               round(100 * (e.score / e.max_score), 4) AS score,
               round(100 * (e.pass_mark / e.max_score), 4) AS pass_mark,
               e.score >= e.pass_mark AS passed,
               n.exams, n.failed
        FROM e JOIN n ON n.agent_id = e.agent_id AND n.competency_id = e.competency_id
        WHERE e.latest = 1
        """,
    ),
    EvidenceTable(
        name="release_changes",
        doc="Releases from the start of the window on, coming ones included, per release "
        "and competency: date, product, the changes and topics, and the active agents whose "
        "role profile asks for the competency.",
        sql="""
        SELECT r.release_id, r.competency_id, min(r.date) AS date, min(r.product) AS product,
               count(*) AS changes,
               string_agg(r.change, '; ' ORDER BY r.change) AS change_list,
               string_agg(DISTINCT r.topic_id, ', ' ORDER BY r.topic_id) AS topics,
               (SELECT count(*) FROM agents a JOIN role_profiles p USING (role_id)
                WHERE a.status = 'active' AND p.competency_id = r.competency_id) AS agents
        FROM releases r
        WHERE r.date >= $from
        GROUP BY r.release_id, r.competency_id
        """,
    ),
    EvidenceTable(
        name="strategy_targets",
        doc="Strategy goals per role and competency (a goal without a role applies to "
        "every role): goals, total weight, and the highest target level set.",
        sql="""
        SELECT r.role_id, g.competency_id,
               string_agg(DISTINCT g.goal_id, ', ' ORDER BY g.goal_id) AS goals,
               sum(g.weight) AS weight,
               max(g.target_level) AS target_level
        FROM strategy_goals g JOIN roles r ON g.role_id IS NULL OR g.role_id = r.role_id
        GROUP BY r.role_id, g.competency_id
        """,
    ),
    EvidenceTable(
        name="career_changes",
        doc="Per agent, career moves from the start of the window on (planned ones "
        "included): moves, team changes, transfers, promotions and demotions, the last "
        "move before the cycle, and the next move from the cycle's start.",
        # The last move up to the cycle is the first by date and kind, descending; the next
        # move the first by date and kind, ascending (DuckDB's arg_max/arg_min over a tuple,
        # written so every warehouse runs it).
        sql="""
        WITH m AS (
            SELECT agent_id, date, kind, to_team_id, to_role_id,
                   row_number() OVER (PARTITION BY agent_id ORDER BY
                       CASE WHEN date <= $to THEN 0 ELSE 1 END, date DESC, kind DESC) AS last_rank,
                   row_number() OVER (PARTITION BY agent_id ORDER BY
                       CASE WHEN date > $to THEN 0 ELSE 1 END, date, kind) AS next_rank
            FROM career_moves
            WHERE date >= $from
        )
        SELECT agent_id,
               count(*) AS moves,
               count(CASE WHEN kind = 'team-change' THEN 1 END) AS team_changes,
               count(CASE WHEN kind = 'transfer' THEN 1 END) AS transfers,
               count(CASE WHEN kind = 'promotion' THEN 1 END) AS promotions,
               count(CASE WHEN kind = 'demotion' THEN 1 END) AS demotions,
               max(CASE WHEN date <= $to THEN date END) AS last_move_date,
               max(CASE WHEN date <= $to AND last_rank = 1 THEN kind END) AS last_move_kind,
               min(CASE WHEN date > $to THEN date END) AS next_move_date,
               max(CASE WHEN date > $to AND next_rank = 1 THEN kind END) AS next_move_kind,
               max(CASE WHEN date > $to AND next_rank = 1 THEN to_team_id END) AS next_team_id,
               max(CASE WHEN date > $to AND next_rank = 1 THEN to_role_id END) AS next_role_id
        FROM m
        GROUP BY agent_id
        """,
    ),
)


_FROM = re.compile(r"\$from\b")
_TO = re.compile(r"\$to\b")


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
        warehouse: Warehouse | None = None,
    ) -> None:
        self._con = con
        self.window = window
        self._sources = dict(sources)
        self._present = present
        self._aggregates: list[EvidenceTable] = []
        #: where the large tables live when center.toml names a warehouse: a query that
        #: reads one runs there (see :mod:`ccrules._warehouse`)
        self.warehouse = warehouse

    def sql(
        self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one ``SELECT`` and return all rows.

        ``$from`` and ``$to`` are bound to the evidence window unless ``params`` is a
        sequence (positional parameters) or names them itself. Anything but a single
        ``SELECT`` is refused: tables are made by ``ccrules_aggregate_evidence``, so every
        plugin sees the same evidence.
        """
        self._require_select(query)
        if params is None:
            params = self._window_params(query)
        elif isinstance(params, Mapping):
            params = {**self._window_params(query), **params}
        if self.warehouse is not None and self.warehouse.reads(query):
            if not isinstance(params, Mapping):
                raise NotPortable(
                    "positional parameters (a query over warehouse tables names them: $name)",
                    self.warehouse.dialect,
                )
            return self.warehouse.fetch(query, params)
        return self._con.execute(query, params).fetchall()

    def _columns(self, query: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one ``SELECT`` and return its columns as numpy arrays (for the engine's own
        bulk reads, such as a roster of millions of segments)."""
        self._require_select(query)
        if self.warehouse is not None and self.warehouse.reads(query):
            raise NotPortable("a bulk read of a warehouse table", self.warehouse.dialect)
        return dict(
            self._con.execute(query, {**self._window_params(query), **(params or {})}).fetchnumpy()
        )

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
        if _FROM.search(query):
            params["from"] = self.window[0]
        if _TO.search(query):  # not $top_level
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
        if self.warehouse is not None:
            self.warehouse.forget(t.name for t in self._aggregates)
        self._aggregates.clear()

    def build(self, table: EvidenceTable) -> int:
        """Create an aggregate table; return its row count. Called by the engine."""
        self._require_select(table.sql)
        if self.warehouse is not None and self.warehouse.reads(table.sql):
            self.warehouse.materialize(table.name, table.sql, self._window_params(table.sql))
        else:
            self._con.execute(
                f"CREATE OR REPLACE TABLE {quote_ident(table.name)} AS {table.sql}",
                self._window_params(table.sql),
            )
        self._aggregates.append(table)
        row = self._con.execute(f"SELECT count(*) FROM {quote_ident(table.name)}").fetchone()
        return int(row[0]) if row else 0

    def competency_scores(self, agent_id: str | None = None) -> tuple[CompetencyScore, ...]:
        """QA aggregates per agent and competency, sorted; one agent's when ``agent_id``.
        Raw scores, not corrected for evaluator leniency (see ``evaluator_calibration``)."""
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
