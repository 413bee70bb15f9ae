"""The engine: loads a center, runs the training loop's stages through the hooks, and
assembles the plan.

Loading is all-or-nothing: config, plugins and every data file are checked before any stage
runs, and an :class:`~ccrules.errors.InputError` lists every problem found. Planning writes
nothing; recording a plan in the history is a separate, explicit step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import duckdb

from ccrules import __version__
from ccrules._center import (
    CONFIG_FILE,
    Center,
    CenterConfig,
    config_problems,
    evidence_settings_ok,
    frozen_map,
    load_config,
    parse_config,
)
from ccrules._convert import converter, format_path
from ccrules._evidence import CORE_AGGREGATES, Evidence, EvidenceTable
from ccrules._gc import batched
from ccrules._hooks import Hooks
from ccrules._load import InputGate, check_source_name, create_empty, quote_ident, truncated
from ccrules._manager import LoadedPlugins, PluginInfo, load_plugins
from ccrules._planjson import PLAN_FORMAT
from ccrules._progress import ProgressCallback, enable, watch
from ccrules._schema import CORE_SOURCES, Check, DataSource
from ccrules._toml import key_index
from ccrules._trace import HookCall
from ccrules._warehouse import Warehouse, WarehouseDefaults
from ccrules.errors import ConfigError, InputError, PluginError, Problem, ran_out
from ccrules.i18n import msg
from ccrules.model import (
    Agent,
    Assembly,
    AttritionRisk,
    CarryOver,
    Competency,
    CompetencyCategory,
    CompetencyKind,
    Course,
    Escalation,
    Evaluation,
    FollowUp,
    Format,
    Message,
    Need,
    Outcome,
    Plan,
    PlanSummary,
    Priority,
    PriorityStatus,
    QaItem,
    Reason,
    Report,
    Requirement,
    Review,
    Role,
    ServiceInterval,
    Session,
    Slot,
    Stage,
    Team,
    Trainer,
    TrainerAssignment,
    TrainerKind,
    TrainerReview,
    TrainerSkill,
    TrainerStatus,
    Unplaced,
    WarningCheck,
)
from ccrules.workforce import Workforce

__all__ = ["Engine"]

_EPS = 1e-6

T = TypeVar("T")


def checked_config(
    config: CenterConfig,
    text: str | None,
    file: str,
    locate_key: Callable[[tuple[str | int, ...]], int | None] | None = None,
    plugin_objects: Mapping[str, object] | None = None,
) -> tuple[list[Problem], LoadedPlugins | None]:
    """Every problem of a structured center.toml that types cannot show, and of its enabled
    plugins and their settings; the plugins, loaded, when they could be."""
    problems: list[Problem] = config_problems(config, text, file)
    try:
        plugins: LoadedPlugins | None = load_plugins(
            config.plugins.enabled,
            config.plugins.settings,
            plugin_objects,
            file=file,
            locate=locate_key,
        )
    except InputError as error:
        problems.extend(error.problems)
        plugins = None
    return problems, plugins


class Engine:
    """A center loaded and checked, ready to plan, evaluate and close cycles.

    Build one with :meth:`from_folder` (a center folder of center.toml and CSV or Parquet
    files) or :meth:`from_objects` (config and rows in memory). Both check everything first
    and raise :class:`~ccrules.errors.InputError` listing every problem.

    An engine holds a DuckDB connection; use it as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        *,
        config: CenterConfig,
        plugins: LoadedPlugins,
        center: Center,
        con: duckdb.DuckDBPyConnection,
        evidence: Evidence,
        digest: str,
        warnings: Sequence[Problem],
        inputs: Mapping[str, str],
        progress: ProgressCallback | None = None,
        tempdir: Path | None = None,
    ) -> None:
        self.config = config
        self.center = center
        self.digest = digest
        self.warnings = tuple(warnings)
        self.inputs = dict(inputs)
        self._plugins = plugins
        self._con = con
        self._evidence = evidence
        self._hooks = Hooks(plugins)
        self._evidence_built = False
        self._workforce: Workforce | None = None
        self._progress = progress
        self._gate: InputGate | None = None
        self._inputs_digest = digest
        # what the digests are made of, to make them again when a plugin is registered
        self._digest_parts: tuple[bytes, str, Mapping[str, str], Mapping[str, str]] = (
            b"",
            center.cycle.id,
            {},
            {},
        )
        # plugins registered on the live engine: name -> the settings classes they brought
        self._added: dict[str, tuple[type, ...]] = {}
        # the spill folder goes with the engine, closed or not
        self._cleanup = (
            weakref.finalize(self, shutil.rmtree, tempdir, True) if tempdir is not None else None
        )

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_folder(
        cls,
        folder: str | Path,
        *,
        cycle: str | None = None,
        plugins: Mapping[str, object] | None = None,
        max_errors: int = 200,
        progress: ProgressCallback | None = None,
        warehouse: WarehouseDefaults | None = None,
    ) -> Engine:
        """Load a center folder.

        :param folder: the folder holding center.toml and data/.
        :param cycle: the cycle id to plan; the latest-starting cycle by default.
        :param plugins: plugin objects by name, used instead of installed entry points of
            the same name (still only if center.toml enables them).
        :param max_errors: stop collecting input problems after this many.
        :param progress: called with ``(message, None)`` as each step starts (a file loads,
            an aggregate builds) and with ``(message, fraction)`` while a long query runs.
        :param warehouse: a group's shared warehouse, for a center.toml that names none.
        :raises InputError: listing every problem in config, plugins and data.
        """
        folder = Path(folder)
        try:
            config, raw = load_config(folder)
        except ConfigError as error:
            errors = [p for p in error.problems if p.severity != "warning"]
            if len(errors) <= max_errors:
                raise
            # capped like the data gate: the first problems in the file, then a last line
            first = sorted(errors, key=lambda p: p.line or 0)[:max_errors]
            raise ConfigError([*first, truncated(max_errors)], error.warnings) from None
        text = raw.decode("utf-8-sig")
        if warehouse is not None and warehouse.warehouse and not config.evidence.warehouse:
            shared = attrs.evolve(
                config.evidence,
                warehouse=warehouse.warehouse,
                tables=dict(warehouse.tables),
                center_column=warehouse.center_column,
            )
            config = attrs.evolve(config, evidence=shared)
        return cls._build(
            config,
            folder=folder,
            config_bytes=raw,
            config_text=text,
            locate_key=key_index(text).line,
            cycle=cycle,
            plugin_objects=plugins,
            rows=None,
            max_errors=max_errors,
            progress=progress,
        )

    @classmethod
    def from_objects(
        cls,
        config: CenterConfig | Mapping[str, Any] | str,
        data: Mapping[str, Iterable[Any]],
        *,
        cycle: str | None = None,
        plugins: Mapping[str, object] | None = None,
        max_errors: int = 200,
        progress: ProgressCallback | None = None,
    ) -> Engine:
        """Build a center from objects in memory.

        :param config: a :class:`CenterConfig`, the same as a dict, or center.toml text.
        :param data: rows by source name (``agents``, ``qa``, ...): each row a mapping of
            column name to value as in docs/data.md, or a model object
            (:class:`~ccrules.model.Agent`, :class:`~ccrules.model.Role` with its
            requirements, :class:`~ccrules.model.Trainer` with its skills, ...).
        :param plugins: plugin objects by name; center.toml still decides which run.
        :raises InputError: listing every problem, located as ``<memory>/qa`` and row.
        """
        text: str | None = None
        if isinstance(config, str):
            text = config
            config = parse_config(config)
        elif not isinstance(config, CenterConfig):
            try:
                config = converter.structure(dict(config), CenterConfig)
            except Exception as error:
                from ccrules._convert import structure_problems

                raise ConfigError(structure_problems(error, "<config>")) from None
        rows = _rows_from_objects(data)
        canonical = json.dumps(converter.unstructure(config), sort_keys=True, default=str)
        return cls._build(
            config,
            folder=None,
            config_bytes=canonical.encode(),
            config_text=text,
            locate_key=key_index(text).line if text else None,
            cycle=cycle,
            plugin_objects=plugins,
            rows=rows,
            max_errors=max_errors,
            progress=progress,
        )

    @classmethod
    def _build(
        cls,
        config: CenterConfig,
        *,
        folder: Path | None,
        config_bytes: bytes,
        config_text: str | None,
        locate_key: Callable[[tuple[str | int, ...]], int | None] | None,
        cycle: str | None,
        plugin_objects: Mapping[str, object] | None,
        rows: Mapping[str, list[dict[str, Any]]] | None,
        max_errors: int,
        progress: ProgressCallback | None = None,
    ) -> Engine:
        file = CONFIG_FILE if folder is not None else "<config>"
        problems, plugins = checked_config(config, config_text, file, locate_key, plugin_objects)
        try:
            chosen = config.cycle(cycle)
        except OverflowError:  # reported by checked_config, with the cycle's line
            raise InputError(problems) from None
        sources = list(CORE_SOURCES)
        hooks = Hooks(plugins) if plugins is not None else None
        if hooks is not None:
            sources.extend(_plugin_sources(hooks, config, problems))
        # Files are hashed (for the plan's digest) while DuckDB reads them.
        hashing = _FileDigests(folder, [s.name for s in sources]) if folder is not None else None
        tempdir = Path(tempfile.mkdtemp(prefix="ccrules-"))
        try:
            con = _connect(config, tempdir)
        except _SettingRefused as refused:
            shutil.rmtree(tempdir, ignore_errors=True)
            key = ("evidence", refused.key)
            raise InputError(
                [
                    *problems,
                    Problem(
                        file=file,
                        line=locate_key(key) if locate_key else None,
                        path=".".join(key),
                        message=f"DuckDB refused {refused.key}: {refused.error}",
                        code="bad-setting",
                    ),
                ]
            ) from None
        try:
            return cls._load(
                con,
                tempdir,
                config,
                chosen,
                folder,
                plugins,
                sources,
                hooks,
                problems,
                rows,
                max_errors,
                progress,
                locate_key,
                config_bytes,
                hashing,
            )
        except BaseException:
            con.close()
            shutil.rmtree(tempdir, ignore_errors=True)
            raise

    @classmethod
    def _load(
        cls,
        con: duckdb.DuckDBPyConnection,
        tempdir: Path,
        config: CenterConfig,
        chosen: Any,
        folder: Path | None,
        plugins: LoadedPlugins | None,
        sources: list[DataSource],
        hooks: Hooks | None,
        problems: list[Problem],
        rows: Mapping[str, list[dict[str, Any]]] | None,
        max_errors: int,
        progress: ProgressCallback | None,
        locate_key: Callable[[tuple[str | int, ...]], int | None] | None,
        config_bytes: bytes,
        hashing: _FileDigests | None,
    ) -> Engine:
        if progress is not None:
            enable(con)
        gate = InputGate(
            con,
            folder,
            max_errors=max_errors,
            progress=progress,
            allow_outside=config.evidence.allow_outside,
        )
        for problem in problems:
            gate.add(problem)  # config problems count toward --max-errors too
        remote = {s.name: s for s in sources if s.name in config.evidence.tables}
        if remote:
            sources = [s for s in sources if s.name not in remote]
            if folder is not None:
                _both_places(gate, folder, remote, config)
        if rows is None:
            gate.load_files(sources)
        else:
            unknown = sorted(set(rows) - {s.name for s in sources})
            for name in unknown:
                gate.add(
                    Problem(
                        file=f"<memory>/{name}",
                        message=f"unknown data source {name!r}; known: "
                        + ", ".join(s.name for s in sources),
                        code="unknown-source",
                    )
                )
            for source in sources:
                gate.load_rows(source, rows.get(source.name))
        gate.check()
        gate.raise_if_errors()
        _check_workforce(gate, config, locate_key, folder)
        gate.raise_if_errors()
        assert plugins is not None
        loaded = gate.loaded
        source_files = {name: item.display for name, item in loaded.items()}
        present = frozenset(name for name, item in loaded.items() if item.present)
        warehouse = None
        if remote:
            line = locate_key(("evidence", "warehouse")) if locate_key else None
            warehouse = _open_warehouse(con, config, remote, source_files, gate, max_errors, line)
            source_files.update({name: warehouse.display(name) for name in remote})
            present |= frozenset(remote)
        center = _center_from_tables(con, config, chosen, folder, plugins, source_files)
        center = attrs.evolve(center, locate=locate_key)
        evidence = Evidence(
            con,
            (chosen.evidence_from, chosen.evidence_to),
            source_files,
            present,
            warehouse=warehouse,
        )
        assert hooks is not None
        more = [p for p in hooks.check_inputs(center, evidence) if p is not None]
        for problem in more:
            gate.add(problem)
        gate.raise_if_errors()
        inputs = _input_digests(con, loaded, hashing)
        review_only = {loaded[name].display for name in REVIEW_SOURCES if name in loaded}
        plan_inputs = {k: v for k, v in inputs.items() if k not in review_only}
        digest = _digest(config_bytes, chosen.id, plugins, plan_inputs)
        engine = cls(
            config=config,
            plugins=plugins,
            center=center,
            con=con,
            evidence=evidence,
            digest=digest,
            warnings=gate.warnings,
            inputs=inputs,
            progress=progress,
            tempdir=tempdir,
        )
        engine._hooks.trace.extend([*plugins.trace, *hooks.trace])
        engine._gate = gate
        engine._inputs_digest = _digest(config_bytes, chosen.id, plugins, inputs)
        engine._digest_parts = (config_bytes, chosen.id, plan_inputs, inputs)
        return engine

    # -- resources --------------------------------------------------------------------------

    def close(self) -> None:
        """Release the DuckDB connection, the warehouse's and the spill folder."""
        if self._evidence.warehouse is not None:
            self._evidence.warehouse.close()
        self._con.close()
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- introspection ----------------------------------------------------------------------

    @property
    def evidence(self) -> Evidence:
        """The evidence; aggregates exist once :meth:`plan` has run the evidence stage."""
        return self._evidence

    @property
    def plugins(self) -> tuple[PluginInfo, ...]:
        """The enabled plugins, in center.toml order."""
        return tuple(self._plugins.infos.values())

    @property
    def plugin_manager(self) -> Any:
        """The pluggy PluginManager (for tools that inspect hooks)."""
        return self._plugins.manager

    @property
    def trace(self) -> tuple[HookCall, ...]:
        """Every hook call so far: hook, plugins in call order, duration, result count."""
        return tuple(self._hooks.trace)

    def rules(self) -> dict[str, tuple[Any, ...]]:
        """Rules declared by each enabled plugin."""
        return dict(self._plugins.rules)

    # -- plugins registered on a live engine (ccrules.testing.registered) ------------------

    def _add_plugin(
        self, name: str, plugin: object, settings: Mapping[str, Any] | None = None
    ) -> PluginInfo:
        """Register ``plugin`` as ``name`` on this engine, checked as if center.toml enabled
        it: it is called before every other plugin, and the plan's digest covers it."""
        if name in self._plugins.infos:
            raise ValueError(f"plugin {name!r} is already enabled on this engine")
        extra = load_plugins(
            [name], {name: dict(settings or {})}, {name: plugin}, file="<registered>"
        )
        self._plugins.manager.register(plugin, name=name)
        self._plugins.infos[name] = extra.infos[name]
        self._plugins.rules[name] = extra.rules[name]
        self._plugins.settings.update(extra.settings)
        self._added[name] = tuple(extra.settings)
        self._replugged()
        return extra.infos[name]

    def _remove_plugin(self, name: str) -> None:
        """Undo :meth:`_add_plugin`."""
        if name not in self._added:
            raise ValueError(f"plugin {name!r} was not registered on this engine")
        self._plugins.manager.unregister(name=name)
        del self._plugins.infos[name]
        del self._plugins.rules[name]
        for cls in self._added.pop(name):
            self._plugins.settings.pop(cls, None)
        self._replugged()

    def _replugged(self) -> None:
        self.center = attrs.evolve(
            self.center, plugins=self._plugins.versions, settings=dict(self._plugins.settings)
        )
        self._redigest()

    def _redigest(self) -> None:
        config_bytes, cycle_id, plan_inputs, inputs = self._digest_parts
        fetched = self._fetched()
        self.digest = _digest(config_bytes, cycle_id, self._plugins, {**plan_inputs, **fetched})
        self._inputs_digest = _digest(config_bytes, cycle_id, self._plugins, {**inputs, **fetched})

    def _warehouse_digest(self, *, review: bool = False) -> str:
        """:attr:`digest` (the inputs digest for a review) made again to cover what the
        stages read from a warehouse so far; unchanged without a warehouse."""
        if self._evidence.warehouse is not None:
            self._redigest()
        return self._inputs_digest if review else self.digest

    def _fetched(self) -> dict[str, str]:
        """What the plan read from a warehouse (none for files: their bytes are hashed)."""
        warehouse = self._evidence.warehouse
        return {} if warehouse is None else {"warehouse": warehouse.fingerprint()}

    # -- stages -----------------------------------------------------------------------------

    def _stage(self, stage: Stage, run: Callable[[], T]) -> T:
        self._hooks.before_stage(self.center, stage)
        try:
            result = run()
        except Exception as error:
            self._hooks.on_stage_error(self.center, stage, error)
            raise
        self._hooks.after_stage(self.center, stage, result)
        return result

    def build_evidence(self) -> Evidence:
        """Run the evidence stage (once): core aggregates, then plugins' aggregates."""
        if self._evidence_built:
            return self._evidence

        def run() -> Evidence:
            self._evidence.reset()  # a failed earlier attempt may have left tables behind
            for table in CORE_AGGREGATES:
                with watch(self._con, f"aggregating {table.name}", self._progress):
                    self._evidence.build(table)
            for table in self._plugin_tables():
                if not isinstance(table, EvidenceTable) or not check_source_name(table.name):
                    raise PluginError(
                        "ccrules_aggregate_evidence",
                        None,
                        ValueError(f"not a valid EvidenceTable: {table!r}"),
                    )
                if table.name in self._evidence.tables():
                    raise PluginError(
                        "ccrules_aggregate_evidence",
                        None,
                        ValueError(f"table {table.name!r} already exists"),
                    )
                try:
                    with watch(self._con, f"aggregating {table.name}", self._progress):
                        self._evidence.build(table)
                except (duckdb.Error, ValueError) as error:
                    raise PluginError("ccrules_aggregate_evidence", None, error) from error
            return self._evidence

        result = self._stage(Stage.EVIDENCE, run)
        self._evidence_built = True
        return result

    def _plugin_tables(self) -> list[EvidenceTable]:
        """Plugins' evidence tables. With a warehouse, a table that reads warehouse tables
        must translate to its dialect: those that do not are refused before any is built,
        each with its plugin named."""
        warehouse = self._evidence.warehouse
        if warehouse is None:
            return self._hooks.aggregate_evidence(self.center, self._evidence)
        owned = self._hooks.aggregate_evidence_by_plugin(self.center, self._evidence)
        problems = warehouse.portability_problems(
            (plugin, table)
            for plugin, table in owned
            if isinstance(table, EvidenceTable) and warehouse.reads(table.sql)
        )
        if problems:
            raise InputError(problems)
        return [table for _, table in owned]

    @batched
    def plan(self, carried: Sequence[CarryOver] = (), *, previous: Review | None = None) -> Plan:
        """Run stages 1-6 and return the cycle's plan. Writes nothing.

        :param carried: needs the previous cycle's close stage left open (without a review).
        :param previous: the review of the cycle before: its open needs are carried, and its
            trainer standing applies (score and status set, removed trainers left out of the
            pool). The plan records it, and its digest covers it.
        """
        if previous is not None:
            if carried:
                raise ValueError("give carried or previous, not both")
            if previous.cycle.start >= self.center.cycle.start:
                raise ValueError(
                    f"the review of cycle {previous.cycle.id} does not precede cycle "
                    f"{self.center.cycle.id}"
                )
            carried = previous.open
        center = self.center
        evidence = self.build_evidence()
        needs = self._stage(Stage.NEEDS, lambda: self._needs(evidence, carried))
        priorities = self._stage(Stage.PRIORITIES, lambda: self._priorities(needs))
        by_id = {need.id: need for need in needs}
        planned = tuple(
            by_id[p.need_id]
            for p in sorted(priorities, key=lambda p: (p.rank, p.need_id))
            if p.status is PriorityStatus.PLANNED
        )
        assembly = self._stage(Stage.COURSES, lambda: self._assembly(planned, by_id))
        pool: list[Trainer] = []

        def trainers_stage() -> tuple[TrainerAssignment, ...]:
            pool.extend(_apply_standing(self._pool(evidence), previous))
            return self._assignments(assembly.sessions, pool)

        assignments = self._stage(Stage.TRAINERS, trainers_stage)
        sessions, unplaced = _apply_trainers(assembly, assignments)
        workforce = self.workforce()
        slots = self._stage(Stage.SCHEDULE, lambda: self._slots(sessions, pool, workforce))
        placed, unscheduled = _apply_slots(sessions, slots, by_id, self.center.courses)
        service = workforce.table(placed, pool)
        unplaced_all = tuple(
            sorted(
                (*assembly.unplaced, *unplaced, *unscheduled),
                key=lambda u: (list(Stage).index(u.stage), u.kind, u.id),
            )
        )
        named = {s.trainer_id for s in placed} | {
            u.session.trainer_id for u in unplaced_all if u.session is not None
        }
        trainers = tuple(t for t in pool if t.id in named)
        plan = Plan(
            ccrules_version=__version__,
            center=center.info,
            cycle=center.cycle,
            digest=_chain(self._warehouse_digest(), previous),
            plugins=self._plugins.versions,
            previous=previous.cycle.id if previous is not None else None,
            summary=_summary(center, needs, priorities, placed, unplaced_all, trainers, service),
            needs=needs,
            priorities=tuple(sorted(priorities, key=lambda p: (p.rank, p.need_id))),
            sessions=placed,
            unplaced=unplaced_all,
            trainers=trainers,
            service=service,
        )
        # reports read the finished plan; they are not a stage of their own
        reports = self._reports(evidence, plan)
        return attrs.evolve(plan, reports=reports) if reports else plan

    def workforce(self) -> Workforce:
        """The cycle's forecast, roster and trainers' availability, with the agents each
        interval requires (read once, on first use)."""
        if self._workforce is None:
            with watch(self._con, "reading the forecast and roster", self._progress):
                self._workforce = Workforce.load(self.center, self._evidence)
        return self._workforce

    def outcomes(self, plan: Plan) -> tuple[Outcome, ...]:
        """The ``outcomes`` rows of the plan's cycle, checked against the plan.

        A plan with no session needs no rows (and no file).

        :raises InputError: no outcomes file or no row for the cycle of a plan with sessions;
            a row naming a session the plan does not hold, or an agent the session did not
            seat (file and line).
        """
        cycle = plan.cycle.id
        file = self.center.source_of("outcomes")
        if not self._evidence.has("outcomes"):
            if not plan.sessions:
                return ()  # nothing was delivered, so there is nothing to report
            raise InputError(
                [
                    Problem(
                        file="data/outcomes.csv",
                        message=f"no outcomes file; add one row per attendee of cycle {cycle}'s "
                        "sessions (columns in docs/data.md#outcomes)",
                        code="missing-file",
                    )
                ]
            )
        sessions = [s.id for s in plan.sessions for _ in s.attendees]
        agents = [a for s in plan.sessions for a in s.attendees]
        self._con.execute(
            "CREATE OR REPLACE TEMP TABLE _plan_seats AS "
            "SELECT unnest($s::VARCHAR[]) AS session_id, unnest($a::VARCHAR[]) AS agent_id",
            {"s": sessions, "a": agents},
        )
        literal = "'" + cycle.replace("'", "''") + "'"
        gate = self._gate
        if gate is not None:
            gate.warnings.clear()
            gate.check_across(
                "outcomes",
                (
                    Check(
                        where=f"cycle_id = {literal} AND session_id NOT IN "
                        "(SELECT session_id FROM _plan_seats)",
                        column="session_id",
                        message="session {session_id} is not in the approved plan of cycle "
                        "{cycle_id}; see the plan's sessions with `ccrules history` and "
                        "`ccrules explain --slot`",
                        code="unknown-session",
                    ),
                    Check(
                        where=f"cycle_id = {literal} AND session_id IN "
                        "(SELECT session_id FROM _plan_seats) AND NOT EXISTS (SELECT 1 FROM "
                        "_plan_seats p WHERE p.session_id = outcomes.session_id AND "
                        "p.agent_id = outcomes.agent_id)",
                        column="agent_id",
                        message="agent {agent_id} was not seated in session {session_id} of "
                        "cycle {cycle_id}'s approved plan",
                        code="not-an-attendee",
                    ),
                ),
            )
            gate.raise_if_errors()
        rows = self._con.execute(
            "SELECT session_id, agent_id, attended, post_score, satisfaction FROM outcomes "
            "WHERE cycle_id = $c ORDER BY session_id, agent_id",
            {"c": cycle},
        ).fetchall()
        if not rows and plan.sessions:
            raise InputError(
                [
                    Problem(
                        file=file,
                        message=f"no rows for cycle {cycle}; add one row per attendee of its "
                        "sessions (cycle_id, session_id, agent_id, attended, ...)",
                        code="no-outcomes",
                    )
                ]
            )
        return tuple(
            Outcome(
                session,
                agent,
                bool(came),
                float(score) if score is not None else None,
                float(rating) if rating is not None else None,
            )
            for session, agent, came, score, rating in rows
        )

    @batched
    def review(
        self,
        plan: Plan,
        outcomes: Sequence[Outcome] | None = None,
        *,
        earlier: Sequence[Review] = (),
        plan_revision: int = 0,
    ) -> Review:
        """Run stages 7 and 8 on a delivered plan: evaluation, escalation, the 50% + 50%
        check, trainer scorecards, attrition warnings, and what carries into the next cycle.
        Writes nothing.

        :param plan: the approved plan of the engine's cycle.
        :param outcomes: what happened per session and attendee; read from the ``outcomes``
            data file (rows of the plan's cycle, checked against the plan) when ``None``.
        :param earlier: reviews of earlier cycles: the latest that ended before this cycle
            is its ``previous`` (escalations, trainer standing); all of them give the
            precision and recall of past attrition warnings.
        :param plan_revision: the plan's revision in the history, recorded on the review.
        :raises InputError: bad or missing outcomes.
        """
        center = self.center
        if plan.cycle.id != center.cycle.id:
            raise ValueError(
                f"the plan is of cycle {plan.cycle.id}, the engine was loaded for cycle "
                f"{center.cycle.id}; load it with cycle={plan.cycle.id!r}"
            )
        if outcomes is None:
            outcomes = self.outcomes(plan)
        for outcome in outcomes:
            if not isinstance(outcome, Outcome):
                raise TypeError(f"outcomes must be Outcome objects, not {type(outcome).__name__}")
        outcomes = tuple(sorted(outcomes, key=lambda o: (o.session_id, o.agent_id)))
        before = sorted(
            (r for r in earlier if r.cycle.end < plan.cycle.start), key=lambda r: r.cycle.start
        )
        previous = before[-1] if before else None
        as_of = plan.cycle.outcomes_to or center.cycle.outcomes_to or plan.cycle.end
        evidence = self.build_evidence()
        base = {"center": center, "evidence": evidence, "plan": plan, "outcomes": outcomes}
        found: dict[str, Any] = {}

        def evaluation_stage() -> tuple[Evaluation, ...]:
            found["evaluations"] = evaluations = self._evaluations(base, previous)
            found["escalations"] = escalations = self._escalations(base, evaluations, previous)
            found["follow_ups"] = self._follow_ups(base, evaluations, escalations)
            found["trainers"] = self._trainer_reviews(plan, evaluations, previous)
            found["attrition"] = self._attrition(base, as_of)
            return evaluations

        evaluations = self._stage(Stage.EVALUATION, evaluation_stage)
        carried = self._stage(
            Stage.CLOSE,
            lambda: self._close(
                plan, outcomes, evaluations, found["escalations"], found["attrition"]
            ),
        )
        review = Review(
            ccrules_version=__version__,
            center=center.info,
            cycle=plan.cycle,
            plan_revision=plan_revision,
            plan_digest=plan.digest,
            digest=_review_digest(self._warehouse_digest(review=True), plan, previous, outcomes),
            previous=previous.cycle.id if previous is not None else None,
            plugins=self._plugins.versions,
            as_of=as_of,
            evaluations=evaluations,
            follow_ups=found["follow_ups"],
            escalations=found["escalations"],
            trainers=found["trainers"],
            attrition=found["attrition"],
            warnings=self._warning_check(before, as_of),
            carried=carried,
        )
        reports = self._review_reports(review)
        return attrs.evolve(review, reports=reports) if reports else review

    def evaluate(self, plan: Plan, outcomes: Sequence[Outcome]) -> tuple[Evaluation, ...]:
        """Run only the evaluation hook (``ccrules_evaluate``) on a delivered plan's outcomes;
        :meth:`review` runs the whole of stages 7 and 8."""
        base = {
            "center": self.center,
            "evidence": self.build_evidence(),
            "plan": plan,
            "outcomes": tuple(outcomes),
        }
        return self._stage(Stage.EVALUATION, lambda: self._evaluations(base, None))

    def close_cycle(
        self,
        plan: Plan,
        outcomes: Sequence[Outcome],
        evaluations: Sequence[Evaluation],
        escalations: Sequence[Escalation] = (),
        attrition: Sequence[AttritionRisk] = (),
    ) -> tuple[CarryOver, ...]:
        """Run only the close stage: what each need becomes in the next cycle.

        When several plugins decide on one need, an ``open`` decision wins over ``closed``.
        """
        return self._stage(
            Stage.CLOSE, lambda: self._close(plan, outcomes, evaluations, escalations, attrition)
        )

    # -- stages 7 and 8 ---------------------------------------------------------------------

    def _evaluations(
        self, base: Mapping[str, Any], previous: Review | None
    ) -> tuple[Evaluation, ...]:
        hook = "ccrules_evaluate"
        result = self._hooks.evaluate(**base, previous=previous)
        _require_types(hook, result, Evaluation)
        self._explained(hook, result, "evaluation of")
        return tuple(sorted(result, key=lambda e: (e.subject, e.subject_id, e.level, e.metric)))

    def _escalations(
        self,
        base: Mapping[str, Any],
        evaluations: tuple[Evaluation, ...],
        previous: Review | None,
    ) -> tuple[Escalation, ...]:
        hook = "ccrules_escalate"
        result = self._hooks.escalate(**base, evaluations=evaluations, previous=previous)
        _require_types(hook, result, Escalation)
        self._explained(hook, result, "escalation of")
        return _one_each(result, lambda e: (e.agent_id, e.competency_id), lambda e: -e.level)

    def _follow_ups(
        self,
        base: Mapping[str, Any],
        evaluations: tuple[Evaluation, ...],
        escalations: tuple[Escalation, ...],
    ) -> tuple[FollowUp, ...]:
        hook = "ccrules_follow_ups"
        result = self._hooks.follow_ups(**base, evaluations=evaluations, escalations=escalations)
        _require_types(hook, result, FollowUp)
        self._explained(hook, result, "follow-up of")
        unique = {
            (f.kind, f.agent_id, f.competency_id, f.contact_id or "", f.why): f for f in result
        }
        return tuple(unique[k] for k in sorted(unique))

    def _trainer_reviews(
        self, plan: Plan, evaluations: tuple[Evaluation, ...], previous: Review | None
    ) -> tuple[TrainerReview, ...]:
        hook = "ccrules_review_trainers"
        result = self._hooks.review_trainers(
            center=self.center, plan=plan, evaluations=evaluations, previous=previous
        )
        _require_types(hook, result, TrainerReview)
        self._explained(hook, result, "review of trainer")
        strictness = list(TrainerStatus)
        return _one_each(
            result, lambda t: t.trainer_id, lambda t: -strictness.index(TrainerStatus(t.status))
        )

    def _attrition(self, base: Mapping[str, Any], as_of: dt.date) -> tuple[AttritionRisk, ...]:
        hook = "ccrules_attrition_risk"
        result = self._hooks.attrition_risk(**base, as_of=as_of)
        _require_types(hook, result, AttritionRisk)
        self._explained(hook, result, "attrition risk of")
        for item in result:
            if item.agent_id not in self.center.agents:
                raise _contract(hook, f"risk names unknown agent {item.agent_id!r}")
        return _one_each(result, lambda r: r.agent_id, lambda r: -r.risk)

    def _close(
        self,
        plan: Plan,
        outcomes: Sequence[Outcome],
        evaluations: Sequence[Evaluation],
        escalations: Sequence[Escalation],
        attrition: Sequence[AttritionRisk],
    ) -> tuple[CarryOver, ...]:
        hook = "ccrules_close_cycle"
        result = self._hooks.close_cycle(
            center=self.center,
            plan=plan,
            outcomes=outcomes,
            evaluations=evaluations,
            escalations=escalations,
            attrition=attrition,
        )
        _require_types(hook, result, CarryOver)
        self._explained(hook, result, "carry-over")
        return _one_each(result, lambda c: c.need.id, lambda c: c.status != "open")

    def _review_reports(self, review: Review) -> tuple[Report, ...]:
        hook = "ccrules_review_reports"
        reports = self._hooks.review_reports(self.center, review)
        _require_types(hook, reports, Report)
        self._explained(hook, reports, "report")
        ids = [r.id for r in reports]
        duplicates = sorted(k for k, v in Counter(ids).items() if v > 1)
        if duplicates:
            raise _contract(hook, f"report ids given twice: {', '.join(duplicates)}")
        return tuple(sorted(reports, key=lambda r: r.id))

    def _warning_check(self, earlier: Sequence[Review], as_of: dt.date) -> WarningCheck | None:
        """Earlier attrition warnings against ``leavers``, once their horizon has passed."""
        matured = [
            r for r in earlier if r.attrition and max(a.horizon_end for a in r.attrition) <= as_of
        ]
        if not matured:
            return None
        left = dict(
            self._con.execute("SELECT agent_id, date FROM leavers ORDER BY agent_id").fetchall()
        )
        warned = warned_left = leavers = 0
        for review in matured:
            start = review.as_of
            watched = {a.agent_id: a for a in review.attrition}
            end = max(a.horizon_end for a in review.attrition)
            leavers += sum(1 for day in left.values() if start < day <= end)
            for agent, risk in sorted(watched.items()):
                if risk.warned:
                    warned += 1
                    day = left.get(agent)
                    if day is not None and start < day <= risk.horizon_end:
                        warned_left += 1
        precision = round(warned_left / warned, 4) if warned else None
        recall = round(warned_left / leavers, 4) if leavers else None
        text = msg(
            "Warnings of {cycles}: {warned_left} of {warned} warned agents left within the "
            "horizon (precision {precision}); {warned_left} of {leavers} leavers in it were "
            "warned (recall {recall}).",
            cycles=tuple(r.cycle.id for r in matured),
            warned_left=warned_left,
            warned=warned,
            precision=_pct(precision),
            leavers=leavers,
            recall=_pct(recall),
        )
        return WarningCheck(
            rounds=len(matured),
            warned=warned,
            warned_left=warned_left,
            leavers=leavers,
            precision=precision,
            recall=recall,
            reasons=(
                Reason(
                    rule="core.warning-check",
                    plugin="ccrules",
                    version=__version__,
                    message=text,
                ),
            ),
        )

    # -- stage bodies -----------------------------------------------------------------------

    def _explained(self, hook: str, items: Iterable[Any], what: str) -> None:
        """Every decision explains itself: each item carries at least one reason, naming an
        enabled plugin and, when that plugin declares its rules, one of them."""
        declared = {
            name: {rule.id for rule in rules}
            for name, rules in self._plugins.rules.items()
            if rules
        }
        for item in items:
            reasons = item.reasons
            label = (
                getattr(item, "id", None)
                or getattr(item, "session_id", None)
                or getattr(item, "need_id", None)
                or getattr(item, "subject_id", "?")
            )
            if not reasons:
                raise _contract(hook, f"{what} {label!r} has no reason; every decision needs one")
            for reason in reasons:
                if reason.plugin not in self._plugins.infos:
                    raise _contract(
                        hook,
                        f"{what} {label!r}: reason names plugin {reason.plugin!r}, which is not "
                        "enabled; use the name center.toml enables",
                    )
                rules = declared.get(reason.plugin)
                if rules is not None and reason.rule not in rules:
                    raise _contract(
                        hook,
                        f"{what} {label!r}: rule {reason.rule!r} is not among the rules plugin "
                        f"{reason.plugin!r} declares in ccrules_rules",
                    )

    def _needs(self, evidence: Evidence, carried: Sequence[CarryOver]) -> tuple[Need, ...]:
        hook = "ccrules_needs"
        needs = self._hooks.needs(self.center, evidence, tuple(carried))
        _require_types(hook, needs, Need)
        seen: set[str] = set()
        for need in needs:
            if need.id in seen:
                raise _contract(hook, f"two needs share the id {need.id!r}")
            seen.add(need.id)
            if need.agent_id not in self.center.agents:
                raise _contract(hook, f"need {need.id!r} names unknown agent {need.agent_id!r}")
            if need.competency_id not in self.center.competencies:
                raise _contract(
                    hook, f"need {need.id!r} names unknown competency {need.competency_id!r}"
                )
            if need.course_id is not None and need.course_id not in self.center.courses:
                raise _contract(hook, f"need {need.id!r} names unknown course {need.course_id!r}")
        self._explained(hook, needs, "need")
        return tuple(sorted(needs, key=lambda n: n.id))

    def _priorities(self, needs: tuple[Need, ...]) -> tuple[Priority, ...]:
        hook = "ccrules_prioritize"
        result = self._hooks.prioritize(self.center, needs)
        if result is None:
            if not needs:
                return ()
            raise _contract(hook, "no enabled plugin decided priorities; enable a rule pack")
        _require_types(hook, result, Priority)
        _require_exactly(hook, [p.need_id for p in result], [n.id for n in needs], "need")
        self._explained(hook, result, "priority of need")
        return tuple(result)

    def _assembly(self, planned: tuple[Need, ...], by_id: Mapping[str, Need]) -> Assembly:
        hook = "ccrules_assemble_sessions"
        result = self._hooks.assemble_sessions(self.center, planned)
        if result is None:
            if not planned:
                return Assembly()
            raise _contract(hook, "no enabled plugin assembled sessions; enable a rule pack")
        if not isinstance(result, Assembly):
            raise _contract(hook, f"returned {type(result).__name__}, not an Assembly")
        _require_types(hook, result.sessions, Session)
        ids = [s.id for s in result.sessions]
        known = set(ids)
        if len(known) != len(ids):
            raise _contract(hook, "two sessions share an id")
        for session in result.sessions:
            if session.course_id not in self.center.courses:
                raise _contract(hook, f"session {session.id!r}: unknown course")
            for need_id in session.need_ids:
                if need_id not in by_id:
                    raise _contract(hook, f"session {session.id!r}: unknown need {need_id!r}")
            for agent_id in session.attendees:
                if agent_id not in self.center.agents:
                    raise _contract(hook, f"session {session.id!r}: unknown agent {agent_id!r}")
            for before in session.after:
                if before not in known:
                    raise _contract(
                        hook, f"session {session.id!r}: comes after unknown session {before!r}"
                    )
        self._explained(hook, result.sessions, "session")
        self._explained(hook, result.unplaced, "unplaced")
        return Assembly(
            sessions=tuple(sorted(result.sessions, key=lambda s: (s.rank, s.id))),
            unplaced=tuple(result.unplaced),
        )

    def _pool(self, evidence: Evidence) -> list[Trainer]:
        hook = "ccrules_trainer_pool"
        pool = self._hooks.trainer_pool(self.center, evidence)
        _require_types(hook, pool, Trainer)
        ids = [t.id for t in pool]
        duplicates = sorted(k for k, v in Counter(ids).items() if v > 1)
        if duplicates:
            raise _contract(hook, f"trainer ids given twice: {', '.join(duplicates)}")
        return sorted(pool, key=lambda t: t.id)

    def _assignments(
        self, sessions: Sequence[Session], pool: Sequence[Trainer]
    ) -> tuple[TrainerAssignment, ...]:
        hook = "ccrules_assign_trainers"
        result = self._hooks.assign_trainers(self.center, sessions, pool, self.workforce())
        if result is None:
            if not sessions:
                return ()
            raise _contract(hook, "no enabled plugin assigned trainers; enable a rule pack")
        _require_types(hook, result, TrainerAssignment)
        _require_exactly(hook, [a.session_id for a in result], [s.id for s in sessions], "session")
        known = {t.id for t in pool}
        for assignment in result:
            if assignment.trainer_id is not None and assignment.trainer_id not in known:
                raise _contract(
                    hook,
                    f"session {assignment.session_id!r}: trainer "
                    f"{assignment.trainer_id!r} is not in the pool",
                )
        self._explained(hook, result, "trainer choice for session")
        return tuple(result)

    def _reports(self, evidence: Evidence, plan: Plan) -> tuple[Report, ...]:
        hook = "ccrules_plan_reports"
        result = self._hooks.plan_reports(self.center, evidence, plan)
        _require_types(hook, result, Report)
        ids = [r.id for r in result]
        duplicates = sorted(k for k, v in Counter(ids).items() if v > 1)
        if duplicates:
            raise _contract(hook, f"report ids given twice: {', '.join(duplicates)}")
        for report in result:
            width = len(report.columns)
            for row in report.rows:
                if len(row) != width:
                    raise _contract(
                        hook,
                        f"report {report.id!r}: a row has {len(row)} values for {width} columns",
                    )
        self._explained(hook, result, "report")
        return tuple(sorted(result, key=lambda r: r.id))

    def _slots(
        self, sessions: Sequence[Session], pool: Sequence[Trainer], workforce: Workforce
    ) -> tuple[Slot, ...]:
        hook = "ccrules_schedule"
        result = self._hooks.schedule(self.center, sessions, pool, workforce)
        if result is None:
            if not sessions:
                return ()
            raise _contract(hook, "no enabled plugin scheduled sessions; enable a rule pack")
        _require_types(hook, result, Slot)
        _require_exactly(
            hook,
            sorted({s.session_id for s in result}),
            [s.id for s in sessions],
            "session",
        )
        by_session: dict[str, list[Slot]] = {}
        for slot in result:
            if (slot.start is None) != (slot.end is None):
                raise _contract(hook, f"session {slot.session_id!r}: start and end go together")
            if slot.start is not None and slot.end is not None and slot.end <= slot.start:
                raise _contract(hook, f"session {slot.session_id!r}: end is not after start")
            by_session.setdefault(slot.session_id, []).append(slot)
        for session in sessions:
            _check_groups(hook, session, by_session[session.id])
            for slot in by_session[session.id]:
                if slot.course_id is not None:
                    _check_instead(hook, self.center, session, slot.course_id)
        self._explained(hook, result, "slot of session")
        return tuple(result)


# --------------------------------------------------------------------------------------------
# helpers


def _check_workforce(
    gate: InputGate,
    config: CenterConfig,
    locate_key: Callable[[tuple[str | int, ...]], int | None] | None,
    folder: Path | None,
) -> None:
    """Checks of the forecast and roster that read more than one file or center.toml: the
    interval grid, and that every queue phone time serves has a forecast."""
    minutes = config.service.interval_minutes
    gate.check_across(
        "traffic",
        [
            Check(
                where=f"(hour(start_time) * 60 + minute(start_time)) % {minutes} <> 0 "
                "OR second(start_time) <> 0",
                column="start_time",
                message=f"start_time {{start_time}} is not on the {minutes}-minute grid of "
                "[service] interval_minutes; fix the time or the setting",
                code="off-grid",
            )
        ],
    )
    unknown = (
        "queue IS NOT NULL AND EXISTS (SELECT 1 FROM traffic) "
        "AND queue NOT IN (SELECT queue FROM traffic)"
    )
    message = "queue {queue} has no forecast in traffic; add its intervals or fix the name"
    gate.check_across("teams", [Check(unknown, "queue", message, "unknown-queue")])
    gate.check_across(
        "shifts",
        [
            Check(f"activity = 'phone' AND {unknown}", "queue", message, "unknown-queue"),
            Check(
                where="activity = 'phone' AND queue IS NULL "
                "AND (SELECT count(DISTINCT queue) FROM traffic) > 1 "
                "AND (SELECT t.queue FROM agents AS a JOIN teams AS t ON t.team_id = a.team_id "
                "WHERE a.agent_id = shifts.agent_id) IS NULL",
                column="queue",
                message="{agent_id}'s phone time on {date} names no queue, and neither does "
                "their team; the forecast has several queues: name one here or in teams",
                code="no-queue",
            ),
        ],
    )
    traffic, shifts = gate.loaded["traffic"], gate.loaded["shifts"]
    if traffic.present and not shifts.present:
        gate.add(
            Problem(
                file=traffic.display,
                message="a forecast needs a roster: add data/shifts.csv (who is on which "
                "queue when), or remove the forecast",
                code="missing-roster",
            )
        )
    if config.service.queues and gate.loaded["traffic"].present:
        known = {row[0] for row in _fetch(gate.con, "SELECT DISTINCT queue FROM traffic")}
        for queue in sorted(set(config.service.queues) - known):
            path: tuple[str | int, ...] = ("service", "queues", queue)
            gate.add(
                Problem(
                    file=CONFIG_FILE if folder is not None else "<config>",
                    line=locate_key(path) if locate_key else None,
                    path=format_path(path),
                    message=f"{format_path(path)}: no queue {queue!r} in "
                    f"{gate.loaded['traffic'].display}",
                    code="unknown-queue",
                )
            )


def _check_instead(hook: str, center: Center, session: Session, course_id: str) -> None:
    """A group may take another course only in a micro-video of the session's competency:
    self-paced, so it needs no trainer the trainers stage did not choose."""
    course = center.courses.get(course_id)
    if course is None:
        raise _contract(hook, f"session {session.id!r}: a group takes unknown course {course_id!r}")
    if course.competency_id != session.competency_id or course.format is not Format.MICRO_VIDEO:
        raise _contract(
            hook,
            f"session {session.id!r}: a group may take instead only a micro-video course of "
            f"{session.competency_id}, not {course_id!r}",
        )


def _check_groups(hook: str, session: Session, slots: Sequence[Slot]) -> None:
    """One whole slot, or groups that name every attendee of the session once."""
    if len(slots) == 1 and slots[0].attendees is None:
        return
    named: list[str] = []
    for slot in slots:
        if not slot.attendees:
            raise _contract(
                hook,
                f"session {session.id!r} is split into groups, so each slot must name its "
                "attendees",
            )
        named.extend(slot.attendees)
    if sorted(named) != sorted(session.attendees):
        raise _contract(
            hook,
            f"session {session.id!r}: the groups must name each attendee once; they name "
            f"{sorted(named)}, the session has {sorted(session.attendees)}",
        )


def _contract(hook: str, message: str) -> PluginError:
    return PluginError(hook, None, ValueError(message))


def _require_types(hook: str, items: Iterable[object], cls: type) -> None:
    for item in items:
        if not isinstance(item, cls):
            raise _contract(hook, f"returned {type(item).__name__} where {cls.__name__} belongs")


def _require_exactly(hook: str, got: Sequence[str], wanted: Sequence[str], what: str) -> None:
    counts = Counter(got)
    twice = sorted(k for k, v in counts.items() if v > 1)
    missing = sorted(set(wanted) - set(counts))
    extra = sorted(set(counts) - set(wanted))
    if twice or missing or extra:
        parts = []
        if missing:
            parts.append(f"no decision for {what} {', '.join(missing[:5])}")
        if twice:
            parts.append(f"two decisions for {what} {', '.join(twice[:5])}")
        if extra:
            parts.append(f"decisions for unknown {what} {', '.join(extra[:5])}")
        raise _contract(hook, "; ".join(parts))


def _plugin_sources(
    hooks: Hooks, config: CenterConfig, problems: list[Problem]
) -> list[DataSource]:
    try:
        declared = hooks.data_sources(config)
    except PluginError as error:
        problems.append(Problem(file=CONFIG_FILE, message=str(error), code="plugin-error"))
        return []
    names = {s.name for s in CORE_SOURCES}
    result = []
    for source in declared:
        if not isinstance(source, DataSource) or not check_source_name(source.name):
            problems.append(
                Problem(
                    file=CONFIG_FILE,
                    message=f"a plugin declared an invalid data source: {source!r}",
                    code="plugin-error",
                )
            )
            continue
        if source.name in names:
            problems.append(
                Problem(
                    file=CONFIG_FILE,
                    message=f"data source {source.name!r} is declared twice",
                    code="plugin-error",
                )
            )
            continue
        names.add(source.name)
        result.append(source)
    return sorted(result, key=lambda s: s.name)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _center_from_tables(
    con: duckdb.DuckDBPyConnection,
    config: CenterConfig,
    cycle: Any,
    folder: Path | None,
    plugins: LoadedPlugins,
    sources: Mapping[str, str],
) -> Center:
    requirements: dict[str, list[Requirement]] = {}
    for role_id, competency_id, level in _fetch(
        con,
        "SELECT role_id, competency_id, required_level FROM role_profiles "
        "ORDER BY role_id, competency_id",
    ):
        requirements.setdefault(role_id, []).append(Requirement(competency_id, float(level)))
    skills: dict[str, list[TrainerSkill]] = {}
    for trainer_id, competency_id, level in _fetch(
        con,
        "SELECT trainer_id, competency_id, level FROM trainer_skills "
        "ORDER BY trainer_id, competency_id",
    ):
        skills.setdefault(trainer_id, []).append(TrainerSkill(competency_id, float(level)))
    teams = {
        row[0]: Team(row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        for row in _fetch(
            con,
            "SELECT team_id, name, lead_id, function, shift_start, shift_end, queue FROM teams",
        )
    }
    agents = {
        row[0]: Agent(row[0], row[1], row[2], row[3], row[4], row[5])
        for row in _fetch(
            con, "SELECT agent_id, name, team_id, role_id, hire_date, status FROM agents"
        )
    }
    roles = {
        row[0]: Role(row[0], row[1], row[2], tuple(requirements.get(row[0], ())))
        for row in _fetch(con, "SELECT role_id, name, track FROM roles")
    }
    competencies = {
        row[0]: Competency(
            row[0], row[1], CompetencyCategory(row[2]), CompetencyKind(row[3]), row[4] or ""
        )
        for row in _fetch(
            con, "SELECT competency_id, name, category, kind, description FROM competencies"
        )
    }
    qa_items = {
        row[0]: QaItem(row[0], row[1], row[2] or "")
        for row in _fetch(con, "SELECT item_id, competency_id, name FROM qa_items")
    }
    trainers = {
        row[0]: Trainer(
            id=row[0],
            name=row[1],
            kind=TrainerKind(row[2]),
            agent_id=row[3],
            capacity_hours=float(row[4]),
            cost_per_hour=float(row[5] or 0),
            score=_f(row[6]),
            skills=tuple(skills.get(row[0], ())),
        )
        for row in _fetch(
            con,
            "SELECT trainer_id, name, kind, agent_id, capacity_hours, cost_per_hour, score "
            "FROM trainers",
        )
    }
    courses = {
        row[0]: Course(
            id=row[0],
            title=row[1],
            competency_id=row[2],
            format=Format(row[3]),
            duration_minutes=int(row[4]),
            max_group=int(row[5] if row[5] is not None else 1),
            voluntary=bool(row[6]),
            category=CompetencyCategory(row[7]) if row[7] else None,
        )
        for row in _fetch(
            con,
            "SELECT course_id, title, competency_id, format, duration_minutes, max_group, "
            "voluntary, category FROM courses",
        )
    }
    return Center(
        info=config.center,
        cycle=cycle,
        folder=folder,
        agents=frozen_map(agents),
        teams=frozen_map(teams),
        roles=frozen_map(roles),
        competencies=frozen_map(competencies),
        qa_items=frozen_map(qa_items),
        trainers=frozen_map(trainers),
        courses=frozen_map(courses),
        plugins=plugins.versions,
        sources=dict(sources),
        settings=dict(plugins.settings),
        service=config.service,
        cycles=tuple(
            sorted(
                (config.cycle(c) for c in dict.fromkeys(c.id for c in config.cycles)),
                key=lambda c: (c.start, c.id),
            )
        ),
    )


def _apply_trainers(
    assembly: Assembly, assignments: Sequence[TrainerAssignment]
) -> tuple[tuple[Session, ...], tuple[Unplaced, ...]]:
    by_session = {a.session_id: a for a in assignments}
    ready: list[Session] = []
    unplaced: list[Unplaced] = []
    for session in assembly.sessions:
        assignment = by_session[session.id]
        updated = attrs.evolve(
            session, trainer_id=assignment.trainer_id, trainer_reasons=assignment.reasons
        )
        if assignment.trainer_id is None and assignment.required:
            unplaced.append(
                Unplaced("session", session.id, Stage.TRAINERS, assignment.reasons, updated)
            )
        else:
            ready.append(updated)
    return tuple(ready), tuple(unplaced)


def _apply_slots(
    sessions: Sequence[Session],
    slots: Sequence[Slot],
    needs: Mapping[str, Need],
    courses: Mapping[str, Course],
) -> tuple[tuple[Session, ...], tuple[Unplaced, ...]]:
    by_session: dict[str, list[Slot]] = {}
    for slot in slots:
        by_session.setdefault(slot.session_id, []).append(slot)
    placed: list[Session] = []
    unplaced: list[Unplaced] = []
    for whole in sessions:
        groups = by_session[whole.id]
        for number, slot in enumerate(groups, start=1):
            session = whole
            if slot.attendees is not None and len(groups) > 1:
                # a group serves the needs of its own members only: one who sat in (a far
                # behind agent in the team's share) brings none, and a need is served once
                members = set(slot.attendees)
                session = attrs.evolve(
                    whole,
                    id=f"{whole.id}-{number}",
                    attendees=tuple(a for a in whole.attendees if a in members),
                    need_ids=tuple(
                        n for n in whole.need_ids if n not in needs or needs[n].agent_id in members
                    ),
                )
            if slot.course_id is not None:
                course = courses[slot.course_id]
                session = attrs.evolve(
                    session,
                    course_id=course.id,
                    format=course.format,
                    duration_minutes=course.duration_minutes,
                    team_id=None,
                    trainer_id=None,
                    trainer_reasons=(),  # self-paced: the slot's reasons say why
                )
            if slot.start is None:
                unplaced.append(
                    Unplaced(
                        "session",
                        session.id,
                        Stage.SCHEDULE,
                        slot.reasons,
                        attrs.evolve(session, slot_reasons=slot.reasons),
                    )
                )
            else:
                placed.append(
                    attrs.evolve(session, start=slot.start, end=slot.end, slot_reasons=slot.reasons)
                )
    placed.sort(key=lambda s: (s.start or dt.datetime.min, s.rank, s.id))
    return tuple(placed), tuple(unplaced)


def _summary(
    center: Center,
    needs: Sequence[Need],
    priorities: Sequence[Priority],
    sessions: Sequence[Session],
    unplaced: Sequence[Unplaced],
    trainers: Sequence[Trainer],
    service: Sequence[ServiceInterval] = (),
) -> PlanSummary:
    minutes = 0
    business = 0
    rates = {t.id: t.cost_per_hour for t in trainers}
    trainer_minutes = 0
    trainer_cost = 0.0
    for session in sessions:
        total = session.duration_minutes * len(session.attendees)
        minutes += total
        if session.trainer_id is not None:
            trainer_minutes += session.duration_minutes
            trainer_cost += rates.get(session.trainer_id, 0.0) * session.duration_minutes / 60
        if center.category_of(session.course_id) is CompetencyCategory.BUSINESS:
            business += total
    by_source = Counter(n.source for n in needs)
    by_format = Counter(str(s.format) for s in sessions)
    planned = sum(1 for p in priorities if p.status is PriorityStatus.PLANNED)
    return PlanSummary(
        agents=sum(1 for a in center.agents.values() if a.status == "active"),
        agents_with_needs=len({n.agent_id for n in needs}),
        needs=len(needs),
        needs_planned=planned,
        needs_deferred=len(priorities) - planned,
        sessions=len(sessions),
        unplaced=len(unplaced),
        training_minutes=minutes,
        business_minutes=business,
        non_business_minutes=minutes - business,
        needs_by_source=dict(sorted(by_source.items())),
        sessions_by_format=dict(sorted(by_format.items())),
        trainer_hours=round(trainer_minutes / 60, 2),
        trainer_cost=round(trainer_cost, 2),
        intervals=len(service),
        intervals_below_floor_before=sum(1 for i in service if i.available + _EPS < i.required),
        intervals_below_floor=sum(1 for i in service if i.available - i.off + _EPS < i.required),
    )


class _FileDigests:
    """sha256 of a center's data files, computed in a thread while DuckDB loads them."""

    def __init__(self, folder: Path, names: Sequence[str]) -> None:
        self._paths = [
            folder / "data" / f"{name}{ext}" for name in names for ext in (".csv", ".parquet")
        ]
        self._digests: dict[Path, str] = {}
        self._thread = threading.Thread(target=self._run, name="ccrules-digest", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for path in self._paths:
            try:
                with path.open("rb") as handle:
                    self._digests[path] = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                continue

    def get(self, path: Path) -> str:
        self._thread.join()
        found = self._digests.get(path)
        if found is None:  # appeared after the thread looked
            with path.open("rb") as handle:
                found = hashlib.file_digest(handle, "sha256").hexdigest()
        return found


class _SettingRefused(Exception):
    def __init__(self, key: str, error: duckdb.Error) -> None:
        super().__init__(key)
        self.key = key
        self.error = error


def _connect(config: CenterConfig, tempdir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the center's memory cap, spilling into ``tempdir``.

    A setting out of range is left at DuckDB's default (config_problems reports it): a
    threads count of 100,000 would start them all before the run is refused."""
    memory_ok, threads_ok = evidence_settings_ok(config.evidence)
    settings: dict[str, Any] = {"temp_directory": str(tempdir)}
    if memory_ok:
        settings["memory_limit"] = config.evidence.memory_limit
    try:
        con = duckdb.connect(":memory:", config=settings)
    except duckdb.Error as error:
        if ran_out(error):  # the machine, not the setting
            raise
        raise _SettingRefused("memory_limit", error) from None
    if config.evidence.threads and threads_ok:
        try:
            con.execute(f"SET threads = {int(config.evidence.threads)}")
        except duckdb.Error as error:
            con.close()
            if ran_out(error):
                raise
            raise _SettingRefused("threads", error) from None
    return con


def _both_places(
    gate: InputGate, folder: Path, remote: Mapping[str, DataSource], config: CenterConfig
) -> None:
    """A source named in ``[evidence.tables]`` must not also be a file in data/: which of
    the two a plan read would be a guess."""
    for name in remote:
        for suffix in (".csv", ".parquet"):
            if (folder / "data" / f"{name}{suffix}").exists():
                gate.add(
                    Problem(
                        file=f"data/{name}{suffix}",
                        message=f"{name} comes from the warehouse table "
                        f"{config.evidence.tables[name]} ([evidence.tables]); move this file "
                        "out of data/ or remove the line from [evidence.tables]",
                        code="ambiguous-file",
                    )
                )


def _open_warehouse(
    con: duckdb.DuckDBPyConnection,
    config: CenterConfig,
    remote: Mapping[str, DataSource],
    source_files: Mapping[str, str],
    gate: InputGate,
    max_errors: int,
    line: int | None,
) -> Warehouse:
    """Connect to the center's warehouse, run the input gate's checks there, and create
    the empty local stand-ins that give queries over warehouse tables their types."""
    evidence = config.evidence
    warehouse = Warehouse.connect(
        evidence.warehouse,
        evidence.tables,
        remote,
        evidence.center_column,
        evidence.center_value or config.center_id or config.center.name,
        con,
        CONFIG_FILE,
        line,
    )
    try:
        for problem in warehouse.check(source_files, max_errors):
            gate.add(problem)
        gate.raise_if_errors()
        for source in remote.values():
            create_empty(con, source)
    except BaseException:
        warehouse.close()
        raise
    return warehouse


def _input_digests(
    con: duckdb.DuckDBPyConnection, loaded: Mapping[str, Any], hashing: _FileDigests | None
) -> dict[str, str]:
    """sha256 of every input, by source name: the file's bytes, or the loaded rows."""
    digests: dict[str, str] = {}
    for name in sorted(loaded):
        item = loaded[name]
        if item.path is not None and hashing is not None:
            digests[item.display] = hashing.get(item.path)
        elif item.kind == "memory":
            rows = con.execute(f"SELECT * FROM {quote_ident(name)} ORDER BY ALL").fetchall()
            digests[item.display] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def _one_each(
    items: Iterable[T], key: Callable[[T], Any], rank: Callable[[T], Any]
) -> tuple[T, ...]:
    """One item per key, the best-ranked (lowest ``rank``; ties keep plugin call order),
    sorted by key: how collecting hooks that decide per subject are merged."""
    decided: dict[Any, T] = {}
    for item in sorted(items, key=rank):
        decided.setdefault(key(item), item)
    return tuple(decided[k] for k in sorted(decided))


#: Files only the evaluation reads: adding outcomes does not change a plan's digest.
REVIEW_SOURCES = ("outcomes", "spot_checks", "leavers")


def _chain(digest: str, previous: Review | None) -> str:
    """A plan's digest: its inputs, and the review it inherits from."""
    if previous is None:
        return digest
    joined = f"{digest}\0{previous.cycle.id}\0{previous.digest}".encode()
    return "sha256:" + hashlib.sha256(joined).hexdigest()


def _review_digest(
    inputs: str, plan: Plan, previous: Review | None, outcomes: Sequence[Outcome]
) -> str:
    h = hashlib.sha256(f"{inputs}\0{plan.digest}\0".encode())
    if previous is not None:
        h.update(f"{previous.cycle.id}\0{previous.digest}\0".encode())
    for o in outcomes:
        h.update(f"{o.session_id}\0{o.agent_id}\0{o.attended}\0{o.post_score}\0".encode())
        h.update(f"{o.satisfaction}\0".encode())
    return "sha256:" + h.hexdigest()


def _apply_standing(pool: list[Trainer], previous: Review | None) -> list[Trainer]:
    """The previous review's standing: score and status set, removed trainers left out."""
    if previous is None:
        return pool
    result = []
    for trainer in pool:
        review = previous.trainer(trainer.id)
        if review is None:
            result.append(trainer)
        elif review.status is not TrainerStatus.REMOVED:
            score = review.score if review.score is not None else trainer.score
            result.append(attrs.evolve(trainer, score=score, status=review.status))
    return result


def _pct(value: float | None) -> str | Message:
    return msg("n/a") if value is None else f"{value:.0%}"


def _digest(config: bytes, cycle_id: str, plugins: LoadedPlugins, inputs: Mapping[str, str]) -> str:
    h = hashlib.sha256()
    h.update(PLAN_FORMAT.encode() + b"\0" + __version__.encode() + b"\0")
    h.update(cycle_id.encode() + b"\0")
    for info in plugins.infos.values():
        h.update(f"{info.name}={info.version}\0".encode())
    h.update(hashlib.sha256(config).hexdigest().encode() + b"\0")
    for name in sorted(inputs):
        h.update(f"{name}={inputs[name]}\0".encode())
    return "sha256:" + h.hexdigest()


# --------------------------------------------------------------------------------------------
# objects -> rows, for from_objects


def _rows_from_objects(data: Mapping[str, Iterable[Any]]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}

    def add(name: str, row: dict[str, Any]) -> None:
        rows.setdefault(name, []).append(row)

    for name, items in data.items():
        rows.setdefault(name, [])
        for item in items:
            if isinstance(item, Mapping):
                add(name, dict(item))
            elif isinstance(item, Agent):
                add(name, {"agent_id": item.id, **_fields(item, "id")})
            elif isinstance(item, Team):
                add(name, {"team_id": item.id, **_fields(item, "id")})
            elif isinstance(item, Competency):
                add(name, {"competency_id": item.id, **_fields(item, "id")})
            elif isinstance(item, QaItem):
                add(name, {"item_id": item.id, **_fields(item, "id")})
            elif isinstance(item, Course):
                add(name, {"course_id": item.id, **_fields(item, "id")})
            elif isinstance(item, Role):
                add(name, {"role_id": item.id, "name": item.name, "track": item.track})
                for requirement in item.requirements:
                    add(
                        "role_profiles",
                        {
                            "role_id": item.id,
                            "competency_id": requirement.competency_id,
                            "required_level": requirement.level,
                        },
                    )
            elif isinstance(item, Trainer):
                row = {"trainer_id": item.id, **_fields(item, "id", "skills")}
                add(name, row)
                for skill in item.skills:
                    add(
                        "trainer_skills",
                        {
                            "trainer_id": item.id,
                            "competency_id": skill.competency_id,
                            "level": skill.level,
                        },
                    )
            elif attrs.has(type(item)):
                add(name, converter.unstructure(item))
            else:
                raise TypeError(f"{name}: cannot read a {type(item).__name__} as a row")
    return rows


def _fields(item: Any, *skip: str) -> dict[str, Any]:
    values = converter.unstructure(item)
    return {k: v for k, v in values.items() if k not in skip}
