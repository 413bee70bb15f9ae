"""The center: its center.toml, and the reference data every hook reads.

:class:`CenterConfig` is center.toml, structured. :class:`Center` is what hooks receive: the
config, the chosen cycle, the reference data (agents, teams, roles, competencies, courses,
trainers) as frozen model objects keyed by id, and every enabled plugin's settings.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError

from ccrules._convert import converter, format_path, structure_problems
from ccrules._encoding import encoding_hint, guess_encoding
from ccrules._toml import locate, read_toml
from ccrules.errors import ConfigError, Problem, unreadable
from ccrules.model import (
    Agent,
    CenterInfo,
    Competency,
    CompetencyCategory,
    Course,
    Cycle,
    Format,
    OperatingModel,
    PluginVersion,
    QaItem,
    Role,
    ServiceGoal,
    Team,
    Trainer,
)

__all__ = [
    "CONFIG_FILE",
    "Center",
    "CenterConfig",
    "CycleConfig",
    "HistoryConfig",
    "QueueGoal",
    "ServiceConfig",
    "add_cycles",
    "center_zone",
    "load_config",
]

CONFIG_FILE = "center.toml"
#: ``[center] timezone`` when center.toml gives none: the wall-clock times stay as written,
#: and an export's calendar shows them as UTC, which an operator sees and corrects.
DEFAULT_TIMEZONE = "UTC"
#: keys of ``[center]`` that are settings of the center folder, not of the plan's
#: :class:`~ccrules.model.CenterInfo` (so a plan's JSON does not change with them)
_CENTER_SETTINGS = ("timezone", "currency", "id")
#: the :class:`CenterConfig` attribute of each of those keys
_SETTING_ATTRIBUTE = {"timezone": "timezone", "currency": "currency", "id": "center_id"}
_CURRENCY = re.compile(r"[A-Z]{3}")
#: The owner of a need its agent's own team lead closes (:attr:`Need.owner_team`, seed 001).
TEAM_LEAD_OWNER = "team-lead"
T = TypeVar("T")


@attrs.frozen
class CycleConfig:
    """One ``[[cycles]]`` entry of center.toml.

    :param evidence_from: first day of evidence; defaults to ``evidence.window_days`` before
        ``evidence_to``.
    :param evidence_to: last day of evidence; defaults to the day before ``start``.
    :param planned_on: the day the plan is made; weeks whose schedule was already fixed by
        then (``[plugins.default.schedule] fixed_days``) get no new sessions. Empty: none is.
    :param outcomes_to: last day of the window after the cycle in which ``ccrules evaluate``
        measures behaviour and results; defaults to ``evidence.after_days`` after ``end``.
    """

    id: str
    start: dt.date
    end: dt.date
    evidence_from: dt.date | None = None
    evidence_to: dt.date | None = None
    planned_on: dt.date | None = None
    outcomes_to: dt.date | None = None


_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)
_UNIT = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNIT |= {"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
#: what [evidence] may ask of DuckDB: beyond these a typo takes the machine down
MEMORY_RANGE = (16 * 10**6, 2**40)
MAX_THREADS = 256


def memory_bytes(limit: str) -> int | None:
    """Bytes of a ``memory_limit`` such as ``"512MB"``; ``None`` when it is not a size."""
    match = _MEMORY.match(limit)
    if match is None:
        return None
    return int(float(match.group(1)) * _UNIT[match.group(2).lower()])


def evidence_settings_ok(evidence: EvidenceConfig) -> tuple[bool, bool]:
    """Whether ``memory_limit`` and ``threads`` are within range, in that order."""
    size = memory_bytes(evidence.memory_limit)
    memory = size is not None and MEMORY_RANGE[0] <= size <= MEMORY_RANGE[1]
    return memory, 0 <= evidence.threads <= MAX_THREADS


@attrs.frozen
class EvidenceConfig:
    """``[evidence]``: how far back the evidence of a cycle reaches, and what DuckDB may use.

    :param window_days: days of evidence before a cycle, unless the cycle sets its own.
    :param after_days: days after a cycle's last day in which its outcomes are measured
        (behaviour and results), unless the cycle sets ``outcomes_to``.
    :param memory_limit: the most memory DuckDB holds (``"512MB"``, ``"4GB"``); beyond it,
        data spills to a temporary folder that is removed afterwards.
    :param threads: DuckDB threads; 0 uses every core.
    :param allow_outside: read data files that are links to files outside the center folder.
        Off, such a file is refused, so that a link cannot make ccrules read, plan from or
        print a file that is not the center's.
    :param warehouse: an Ibis connection URL (``postgres://user@host:5432/dw``,
        ``duckdb:///data/dw.duckdb``, ``snowflake://...``) where the large evidence tables
        live; empty reads every source from ``data/``. Needs ``pip install
        'ccrules[warehouse]'``; docs/scale.md tells what runs where.
    :param tables: ``[evidence.tables]``: the warehouse table (``schema.table``) of each
        source read from the warehouse: ``qa``, ``kpis``, ``test_calls``,
        ``dissatisfied_contacts``, ``floor_help`` or ``exams``. The table has the columns of
        the file it stands for, plus the center column.
    :param center_column: the column of every warehouse table that says which center a row
        belongs to.
    :param center_value: this center's value in ``center_column``; empty uses
        ``[center] id``, else ``[center] name``.
    """

    window_days: int = 90
    after_days: int = 28
    memory_limit: str = "512MB"
    threads: int = 0
    allow_outside: bool = False
    warehouse: str = ""
    tables: Mapping[str, str] = attrs.field(factory=dict)
    center_column: str = "center_id"
    center_value: str = ""


@attrs.frozen
class HistoryConfig:
    """``[history]``: where the center's plans and reviews are recorded.

    :param store: empty (the default) for SQLite in ``.ccrules/history.sqlite`` of the center
        folder; a PostgreSQL URL (``"postgresql://user@host:5432/db"``) for a store that many
        centers share, each named by its ``[center] id``. Write no password here: libpq reads
        it from ``~/.pgpass`` or ``PGPASSWORD``.
    """

    store: str = ""


@attrs.frozen
class QueueGoal:
    """One ``[service.queues.<queue>]`` table: a queue whose goal differs from the center's.
    An empty key takes the center's value."""

    level: float | None = None
    answer_seconds: float | None = None
    floor: float | None = None
    max_occupancy: float | None = None


@attrs.frozen
class ServiceConfig:
    """``[service]``: the service-level goal the schedule stage protects (seed 001: hold the
    15-second answer rate with fixed headcount), and how the forecast is read.

    :param interval_minutes: length of a forecast interval in traffic.csv: 15, 30 or 60.
    :param level: share of contacts to answer within ``answer_seconds`` (0.8 for 80/20).
    :param answer_seconds: the T of the goal, seconds.
    :param floor: the service level no interval may fall below because of training; empty
        uses ``level``.
    :param max_occupancy: the busiest agents may be (0-1); more agents are required when
        the goal alone would let occupancy pass it. 1 puts no cap.
    :param shrinkage: share of rostered phone time lost to what the roster does not show
        (sickness, lateness); 0 when the roster already shows it.
    :param queues: goals of queues that differ from the center's.
    """

    interval_minutes: int = 30
    level: float = 0.8
    answer_seconds: float = 20.0
    floor: float | None = None
    max_occupancy: float = 1.0
    shrinkage: float = 0.0
    queues: Mapping[str, QueueGoal] = attrs.field(factory=dict)

    def goal(self, queue: str) -> ServiceGoal:
        """The goal of ``queue``, with the center's values where the queue sets none."""
        own = self.queues.get(queue, QueueGoal())
        level = own.level if own.level is not None else self.level
        floor = own.floor if own.floor is not None else self.floor
        return ServiceGoal(
            level=level,
            answer_seconds=(
                own.answer_seconds if own.answer_seconds is not None else self.answer_seconds
            ),
            floor=floor if floor is not None else level,
            max_occupancy=(
                own.max_occupancy if own.max_occupancy is not None else self.max_occupancy
            ),
        )


@attrs.frozen
class PluginsConfig:
    """``[plugins]``: the allow-list, and each plugin's settings table.

    :param enabled: the only plugins that run for this center, by entry-point name.
    :param settings: ``[plugins.<name>]`` tables, as written, until each plugin structures
        its own.
    """

    enabled: tuple[str, ...]
    settings: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)


@attrs.frozen
class CenterConfig:
    """center.toml, structured."""

    center: CenterInfo
    cycles: tuple[CycleConfig, ...]
    plugins: PluginsConfig
    evidence: EvidenceConfig = EvidenceConfig()
    service: ServiceConfig = ServiceConfig()
    history: HistoryConfig = HistoryConfig()
    #: ``[simulation]``: the outcome model of ``ccrules simulate``, as written; checked by
    #: :func:`config_problems` against :class:`ccrules.simulate.ModelSettings`
    simulation: Mapping[str, Any] = attrs.field(factory=dict)
    #: ``[center] timezone``: the IANA name of the zone the center works in
    #: (``"Asia/Shanghai"``); every time in the data and the plan is its wall-clock time.
    #: Exports give their calendars this zone; approval times are shown in it.
    timezone: str = DEFAULT_TIMEZONE
    #: ``[center] currency``: the ISO 4217 code of the currency costs are in (``"CNY"``);
    #: empty shows costs as plain numbers.
    currency: str = ""
    #: ``[center] id``: the center's short, stable id (``"sh-01"``); names its rows in a
    #: history store that many centers share (required with a PostgreSQL ``[history] store``)
    center_id: str = ""

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """:attr:`timezone` as a zone (checked by :func:`config_problems`)."""
        return zoneinfo.ZoneInfo(self.timezone)

    def cycle(self, cycle_id: str | None = None) -> Cycle:
        """The cycle ``cycle_id`` with its evidence window resolved; by default the cycle
        that starts last."""
        if cycle_id is None:
            chosen = max(self.cycles, key=lambda c: (c.start, c.id))
        else:
            matches = [c for c in self.cycles if c.id == cycle_id]
            if not matches:
                known = ", ".join(c.id for c in self.cycles)
                raise ConfigError(
                    [
                        Problem(
                            file=CONFIG_FILE,
                            path="cycles",
                            message=f"no cycle {cycle_id!r} in [[cycles]]; known: {known}",
                            code="unknown-cycle",
                        )
                    ]
                )
            chosen = matches[0]
        return _resolve(chosen, self.evidence)


def _resolve(chosen: CycleConfig, evidence: EvidenceConfig) -> Cycle:
    """A cycle with its evidence window; :class:`OverflowError` when the window or the
    outcomes period falls outside the calendar (years 1 to 9999)."""
    evidence_to = chosen.evidence_to or chosen.start - dt.timedelta(days=1)
    evidence_from = chosen.evidence_from or evidence_to - dt.timedelta(
        days=evidence.window_days - 1
    )
    return Cycle(
        id=chosen.id,
        start=chosen.start,
        end=chosen.end,
        evidence_from=evidence_from,
        evidence_to=evidence_to,
        planned_on=chosen.planned_on,
        outcomes_to=chosen.outcomes_to or chosen.end + dt.timedelta(days=evidence.after_days),
    )


def _structure_plugins(value: object, _: type) -> PluginsConfig:
    if not isinstance(value, dict):
        raise TypeError("expected a table [plugins]")
    rest = dict(value)
    enabled = rest.pop("enabled", None)
    try:
        names = converter.structure(enabled, tuple[str, ...]) if enabled is not None else ()
    except Exception as error:  # put it at plugins.enabled, as cattrs does for attributes
        note = AttributeValidationNote("Structuring enabled", "enabled", tuple[str, ...])
        error.__notes__ = [*getattr(error, "__notes__", []), note]
        raise ClassValidationError(
            "While structuring PluginsConfig", [error], PluginsConfig
        ) from None
    return PluginsConfig(enabled=names, settings=rest)


converter.register_structure_hook(PluginsConfig, _structure_plugins)
converter.register_unstructure_hook(
    PluginsConfig,
    lambda p: {"enabled": list(p.enabled), **{k: dict(v) for k, v in p.settings.items()}},
)


_config_fields: Callable[[Mapping[str, Any], Any], CenterConfig] = (
    converter.gen_structure_attrs_fromdict(CenterConfig)
)


def _noted(error: Exception, name: str, cls: type) -> Exception:
    note = AttributeValidationNote(f"Structuring {name}", name, cls)
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


@attrs.frozen
class _CenterTable:
    """The keys ``[center]`` may hold (for the message naming an unknown one)."""

    name: str
    model: OperatingModel
    client: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    currency: str = ""
    id: str = ""


def _structure_config(value: object, cls: type) -> CenterConfig:
    """center.toml's tables; ``timezone`` and ``currency`` of ``[center]`` go to
    :class:`CenterConfig`, the rest of ``[center]`` to :class:`CenterInfo`."""
    if not isinstance(value, Mapping):
        raise TypeError("expected a table")
    rest = {k: v for k, v in value.items() if k not in _CENTER_SETTINGS}
    errors: list[Exception] = []
    for key in _CENTER_SETTINGS:
        if key in value:  # written at the top, where it is not read
            errors.append(
                _noted(
                    ValueError(f"write {key} in the [center] table, not at the top of the file"),
                    key,
                    str,
                )
            )
    own: dict[str, str] = {}
    center = value.get("center")
    if isinstance(center, Mapping):
        known = {f.name for f in attrs.fields(_CenterTable)}
        rest["center"] = {k: v for k, v in center.items() if k in known - set(_CENTER_SETTINGS)}
        inner: list[Exception] = []
        extra = set(center) - known
        if extra:  # named here, so the message lists timezone and currency as known keys
            inner.append(ForbiddenExtraKeysError("", _CenterTable, extra))
        for key in _CENTER_SETTINGS:
            if key in center:
                try:
                    own[key] = converter.structure(center[key], str)
                except Exception as error:
                    inner.append(_noted(error, key, str))
        if inner:
            errors.append(
                _noted(
                    ClassValidationError("While structuring CenterInfo", inner, CenterInfo),
                    "center",
                    CenterInfo,
                )
            )
    try:
        config = _config_fields(rest, cls)
    except ClassValidationError as error:
        if not errors:
            raise
        raise ClassValidationError(
            "While structuring CenterConfig", [*error.exceptions, *errors], CenterConfig
        ) from None
    if errors:
        raise ClassValidationError("While structuring CenterConfig", errors, CenterConfig)
    return attrs.evolve(
        config,
        timezone=own.get("timezone", config.timezone),
        currency=own.get("currency", config.currency),
        center_id=own.get("id", config.center_id),
    )


def _unstructure_config(config: CenterConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        f.name: converter.unstructure(getattr(config, f.name), f.type)
        for f in attrs.fields(CenterConfig)
        if f.name not in _SETTING_ATTRIBUTE.values()
    }
    defaults = {f.name: f.default for f in attrs.fields(CenterConfig)}
    for key, name in _SETTING_ATTRIBUTE.items():
        if getattr(config, name) != defaults[name]:
            data["center"][key] = getattr(config, name)
    if config.history == defaults["history"]:  # a config's digest is as before [history]
        del data["history"]
    return data


converter.register_structure_hook(CenterConfig, _structure_config)
converter.register_unstructure_hook(CenterConfig, _unstructure_config)


def load_config(folder: Path) -> tuple[CenterConfig, bytes]:
    """Read and check ``folder/center.toml``; return the config and the file's bytes."""
    path = folder / CONFIG_FILE
    if not folder.is_dir():
        raise ConfigError(
            [Problem(file=str(folder), message="no such center folder", code="missing-folder")]
        )
    if not path.is_file():
        raise ConfigError(
            [
                Problem(
                    file=CONFIG_FILE,
                    message=f"no {CONFIG_FILE} in {folder}; a center folder needs one "
                    "(see docs/data.md)",
                    code="missing-file",
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError([unreadable(CONFIG_FILE, error)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        hint = encoding_hint(
            CONFIG_FILE, guess_encoding(raw), fixed="fixed.toml", save="save it as UTF-8"
        )
        raise ConfigError(
            [
                Problem(
                    file=CONFIG_FILE,
                    line=raw[: error.start].count(b"\n") + 1,
                    message=f"not UTF-8 text; {hint}",
                    code="encoding",
                )
            ]
        ) from None
    return parse_config(text), raw


def parse_config(text: str, file: str = CONFIG_FILE) -> CenterConfig:
    """Structure center.toml text into a :class:`CenterConfig`, or raise :class:`ConfigError`
    naming the line and key path of every problem."""
    data = read_toml(text, file)

    def where(path: tuple[str | int, ...]) -> int | None:
        return locate(text, path)

    try:
        config = converter.structure(data, CenterConfig)
    except Exception as error:  # cattrs raises an exception group of every wrong value
        raise ConfigError(structure_problems(error, file, locate=where)) from None
    return config


def config_problems(
    config: CenterConfig, text: str | None, file: str = CONFIG_FILE
) -> list[Problem]:
    """What types cannot say about a center.toml: duplicate cycles, dates in the wrong
    order, settings for plugins that are not enabled. Reported with every other input
    problem, so one run shows them all."""

    def where(path: tuple[str | int, ...]) -> int | None:
        return locate(text, path) if text is not None else None

    problems = []
    seen: set[str] = set()
    for index, cycle in enumerate(config.cycles):
        path: tuple[str | int, ...] = ("cycles", index)
        if cycle.id in seen:
            problems.append(
                _problem(file, where, (*path, "id"), f"duplicate cycle id {cycle.id!r}")
            )
        seen.add(cycle.id)
        if cycle.end < cycle.start:
            problems.append(
                _problem(
                    file, where, (*path, "end"), f"end {cycle.end} is before start {cycle.start}"
                )
            )
        if cycle.evidence_from and cycle.evidence_to and cycle.evidence_to < cycle.evidence_from:
            problems.append(
                _problem(file, where, (*path, "evidence_to"), "evidence_to is before evidence_from")
            )
        if cycle.outcomes_to is not None and cycle.outcomes_to <= cycle.end:
            problems.append(
                _problem(
                    file,
                    where,
                    (*path, "outcomes_to"),
                    f"outcomes_to {cycle.outcomes_to} must be after the cycle's end {cycle.end}",
                )
            )
    if not config.cycles:
        problems.append(
            _problem(file, where, ("cycles",), "at least one [[cycles]] entry is needed")
        )
    problems.extend(_center_setting_problems(config, file, where))
    problems.extend(warehouse_problems(config.evidence, file, where))
    for key in ("window_days", "after_days"):
        days = getattr(config.evidence, key)
        if not 1 <= days <= MAX_DAYS:
            problems.append(
                _problem(
                    file,
                    where,
                    ("evidence", key),
                    f"{key} must be from 1 to {MAX_DAYS} (ten years), not {days}",
                )
            )
    if not problems:
        problems.extend(_calendar_problems(config, file, where))
        problems.extend(_overlapping_cycles(config, file, where))
    size = memory_bytes(config.evidence.memory_limit)
    if size is None:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "memory_limit"),
                f"memory_limit {config.evidence.memory_limit!r} is not a size; write it like "
                '"512MB" or "4GB"',
            )
        )
    elif not evidence_settings_ok(config.evidence)[0]:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "memory_limit"),
                f"memory_limit {config.evidence.memory_limit!r} is out of range; give from "
                '"16MB" to "1TiB"',
            )
        )
    if not evidence_settings_ok(config.evidence)[1]:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "threads"),
                f"threads must be from 0 (every core) to {MAX_THREADS}, not "
                f"{config.evidence.threads}",
            )
        )
    problems.extend(_service_problems(config.service, file, where))
    problems.extend(_history_problems(config, file, where))
    if config.simulation:
        from ccrules.simulate._settings import model_settings

        try:
            model_settings(config.simulation, file, where)
        except ConfigError as error:
            problems.extend(error.problems)
    if not config.plugins.enabled:
        problems.append(
            _problem(
                file,
                where,
                ("plugins", "enabled"),
                'no plugins enabled; add enabled = ["default"] to [plugins]',
            )
        )
    for name in config.plugins.settings:
        if name not in config.plugins.enabled:
            listed = ", ".join(repr(n) for n in config.plugins.enabled) or "nothing"
            problems.append(
                _problem(
                    file,
                    where,
                    ("plugins", name),
                    f"settings for plugin {name!r}, which is not in plugins.enabled (it lists "
                    f"{listed}); enable the plugin, fix the name, or remove the table",
                )
            )
        elif not isinstance(config.plugins.settings[name], dict):
            problems.append(
                _problem(file, where, ("plugins", name), "plugin settings must be a table")
            )
    return problems


def history_problems(config: CenterConfig, folder: Path) -> list[Problem]:
    """The problems of center.toml's ``[history] store`` and ``[center] id``, at their lines,
    for the commands that read center.toml without the full check (``approve``,
    ``history``)."""
    try:
        text: str | None = (folder / CONFIG_FILE).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = None

    def where(path: tuple[str | int, ...]) -> int | None:
        return locate(text, path) if text is not None else None

    return _history_problems(config, CONFIG_FILE, where)


def _history_problems(config: CenterConfig, file: str, where: Any) -> list[Problem]:
    """``[history] store`` names a store ccrules can use; a shared store needs ``[center] id``."""
    from ccrules._history_pg import center_id_problem, store_problem

    problems = []
    wrong = store_problem(config.history.store)
    if wrong is not None:
        problem = _problem(file, where, ("history", "store"), wrong)
        problems.append(attrs.evolve(problem, code="bad-store"))
    if config.history.store or config.center_id:
        wrong = center_id_problem(config.center_id, config.history.store)
        if wrong is not None:
            problem = _problem(file, where, ("center", "id"), wrong)
            if problem.line is None:  # no id written: the line of [history] store
                problem = attrs.evolve(problem, line=where(("history", "store")))
            problems.append(attrs.evolve(problem, code="no-center-id"))
    return problems


def known_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (``Asia/Shanghai``)."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def center_zone(config: CenterConfig, text: str | None = None) -> zoneinfo.ZoneInfo:
    """The center's time zone, for commands that read center.toml without the full check
    (``approve``, ``history``); :class:`ConfigError` at ``center.timezone`` when unknown."""
    if not known_zone(config.timezone):
        where = (lambda path: locate(text, path)) if text is not None else (lambda path: None)
        raise ConfigError(_center_setting_problems(config, CONFIG_FILE, where)[:1])
    return config.zone


def _center_setting_problems(config: CenterConfig, file: str, where: Any) -> list[Problem]:
    problems = []
    if not known_zone(config.timezone):
        problems.append(
            _problem(
                file,
                where,
                ("center", "timezone"),
                f"unknown time zone {config.timezone!r}; give an IANA name such as "
                '"Asia/Shanghai", "Asia/Hong_Kong" or "UTC"',
            )
        )
    if config.currency and not _CURRENCY.fullmatch(config.currency):
        problems.append(
            _problem(
                file,
                where,
                ("center", "currency"),
                f"currency {config.currency!r} is not an ISO 4217 code; write three capital "
                'letters such as "CNY", "HKD" or "USD"',
            )
        )
    return problems


def _service_problems(service: ServiceConfig, file: str, where: Any) -> list[Problem]:
    problems = []
    if service.interval_minutes not in (15, 30, 60):
        problems.append(
            _problem(
                file,
                where,
                ("service", "interval_minutes"),
                f"interval_minutes {service.interval_minutes} is not 15, 30 or 60",
            )
        )
    if not 0 <= service.shrinkage < 1:
        problems.append(
            _problem(
                file,
                where,
                ("service", "shrinkage"),
                f"shrinkage {service.shrinkage} is not a share from 0 up to (not including) 1",
            )
        )
    tables: list[tuple[tuple[str | int, ...], QueueGoal | ServiceConfig]] = [
        (("service",), service)
    ]
    tables.extend((("service", "queues", q), g) for q, g in sorted(service.queues.items()))
    for path, table in tables:
        for key, value, high_closed in (
            ("level", table.level, False),
            ("floor", table.floor, True),
            ("max_occupancy", table.max_occupancy, True),
        ):
            if value is None:
                continue
            if not (0 < value < 1 or (high_closed and value == 1)):
                problems.append(
                    _problem(
                        file,
                        where,
                        (*path, key),
                        f"{key} {value} is not a share between 0 and 1"
                        + (" (1 allowed)" if high_closed else ""),
                    )
                )
        if table.answer_seconds is not None and table.answer_seconds <= 0:
            problems.append(
                _problem(
                    file,
                    where,
                    (*path, "answer_seconds"),
                    f"answer_seconds {table.answer_seconds} must be more than 0",
                )
            )
    for queue in sorted(service.queues):
        goal = service.goal(queue)
        if goal.floor > goal.level:
            problems.append(
                _problem(
                    file,
                    where,
                    ("service", "queues", queue, "floor"),
                    f"floor {goal.floor} is above the queue's level {goal.level}",
                )
            )
    if service.floor is not None and service.floor > service.level:
        problems.append(
            _problem(
                file,
                where,
                ("service", "floor"),
                f"floor {service.floor} is above level {service.level}; the floor is the "
                "least the schedule accepts",
            )
        )
    return problems


#: the longest evidence window or outcomes period, in days
MAX_DAYS = 3660


def _calendar_problems(config: CenterConfig, file: str, where: Any) -> list[Problem]:
    """Cycles whose evidence window or outcomes period would fall outside years 1-9999."""
    problems = []
    for index, cycle in enumerate(config.cycles):
        try:
            _resolve(cycle, config.evidence)
        except OverflowError:
            problems.append(
                _problem(
                    file,
                    where,
                    ("cycles", index, "start"),
                    f"cycle {cycle.id!r}: its evidence window (window_days before start) or "
                    "outcomes period (after_days after end) falls outside years 1 to 9999; "
                    "check its dates",
                )
            )
    return problems


def _overlapping_cycles(config: CenterConfig, file: str, where: Any) -> list[Problem]:
    """A warning for each cycle that starts before an earlier one has ended: its agents can
    be planned twice for the same days, and a review counts outcomes and evidence that the
    other cycle's review counts too. Allowed (a re-plan of a week under another id is a
    choice), but never silently."""
    warnings = []
    latest: tuple[dt.date, str] | None = None
    for index, cycle in sorted(enumerate(config.cycles), key=lambda ic: (ic[1].start, ic[0])):
        if latest is not None and cycle.start <= latest[0]:
            end, other = latest
            warnings.append(
                attrs.evolve(
                    _problem(
                        file,
                        where,
                        ("cycles", index, "start"),
                        f"cycle {cycle.id!r} ({cycle.start} to {cycle.end}) overlaps cycle "
                        f"{other!r}, which ends {end}: agents may be planned twice for the "
                        "same days. Start it after the other ends, unless that is intended",
                    ),
                    severity="warning",
                    code="overlapping-cycles",
                )
            )
        if latest is None or cycle.end > latest[0]:
            latest = (cycle.end, cycle.id)
    return warnings


#: a warehouse table or column name: ``qa_events``, ``cc.qa_events``, ``dw.cc.qa_events``
_WAREHOUSE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}")


def warehouse_problems(evidence: EvidenceConfig, file: str, where: Any) -> list[Problem]:
    """``[evidence] warehouse`` and ``[evidence.tables]``: given together, sources that may
    live in a warehouse, names that are names."""
    from ccrules._warehouse import WAREHOUSE_SOURCES

    problems = []
    if evidence.warehouse and "://" not in evidence.warehouse:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "warehouse"),
                f"{evidence.warehouse!r} is not a connection URL; write it like "
                '"postgres://user@host:5432/dw" or "duckdb:///path/dw.duckdb"',
            )
        )
    if evidence.warehouse and not evidence.tables:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "warehouse"),
                "name the warehouse table of each source it holds in [evidence.tables], "
                'like qa = "cc.qa_events"',
            )
        )
    if evidence.tables and not evidence.warehouse:
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "tables"),
                "tables need [evidence] warehouse, the connection URL they are read through",
            )
        )
    for name, table in evidence.tables.items():
        if name not in WAREHOUSE_SOURCES:
            problems.append(
                _problem(
                    file,
                    where,
                    ("evidence", "tables", name),
                    f"{name!r} cannot come from a warehouse; these can: "
                    + ", ".join(WAREHOUSE_SOURCES),
                )
            )
        elif not _WAREHOUSE_NAME.fullmatch(table):
            problems.append(
                _problem(
                    file,
                    where,
                    ("evidence", "tables", name),
                    f'{table!r} is not a table name; write it like "qa_events" or '
                    '"schema.qa_events"',
                )
            )
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", evidence.center_column):
        problems.append(
            _problem(
                file,
                where,
                ("evidence", "center_column"),
                f"{evidence.center_column!r} is not a column name",
            )
        )
    return problems


def _problem(file: str, where: Any, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(
        file=file,
        line=where(path),
        path=format_path(path),
        message=f"{format_path(path)}: {message}",
    )


@attrs.frozen(eq=False)
class Center:
    """A loaded center, as every hook sees it.

    Reference data is keyed by id and sorted by id. Read-only: hooks return new objects
    instead of changing these.

    :ivar info: name, operating model and client.
    :ivar cycle: the cycle being planned, with its evidence window.
    :ivar cycles: every cycle center.toml lists, the planned one among them, sorted by start
        then id; for rules that spread work over a calendar period (a month's cycles).
    :ivar folder: the center folder, or ``None`` for a center built from objects.
    :ivar agents: agent id -> :class:`~ccrules.model.Agent`, every agent (on leave too).
    :ivar teams: team id -> :class:`~ccrules.model.Team`, support teams included.
    :ivar roles: role id -> :class:`~ccrules.model.Role`, with its profile.
    :ivar competencies: competency id -> :class:`~ccrules.model.Competency`.
    :ivar qa_items: QA form item id -> :class:`~ccrules.model.QaItem`.
    :ivar trainers: trainer id -> :class:`~ccrules.model.Trainer`, as trainers.csv and
        trainer_skills.csv list them (the cycle's pool is what ``ccrules_trainer_pool``
        returns).
    :ivar courses: course id -> :class:`~ccrules.model.Course`, the catalogue.
    :ivar plugins: each enabled plugin's name and version, in center.toml order.
    :ivar sources: data source name -> the file it was read from (``data/qa.csv``).
    :ivar service: the ``[service]`` table: the service-level goal per queue, the forecast's
        interval, shrinkage and occupancy cap.
    """

    info: CenterInfo
    cycle: Cycle
    folder: Path | None
    agents: Mapping[str, Agent]
    teams: Mapping[str, Team]
    roles: Mapping[str, Role]
    competencies: Mapping[str, Competency]
    qa_items: Mapping[str, QaItem]
    trainers: Mapping[str, Trainer]
    courses: Mapping[str, Course]
    plugins: tuple[PluginVersion, ...] = ()
    sources: Mapping[str, str] = attrs.field(factory=dict)
    service: ServiceConfig = ServiceConfig()
    cycles: tuple[Cycle, ...] = ()
    _settings: Mapping[type, object] = attrs.field(factory=dict, alias="settings")
    _locate: Callable[[tuple[str | int, ...]], int | None] | None = attrs.field(
        default=None, alias="locate"
    )
    # team id -> its active agents; rules ask per team, often, on tens of thousands of agents
    _members: Mapping[str, tuple[Agent, ...]] = attrs.field(init=False, repr=False)
    # competency id -> format -> its first course by id; asked per need
    _catalogue: Mapping[str, Mapping[Format, Course]] = attrs.field(init=False, repr=False)
    _required: Mapping[str, Mapping[Format, Course]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        members: dict[str, list[Agent]] = {}
        for agent in self.agents.values():
            if agent.status == "active":
                members.setdefault(agent.team_id, []).append(agent)
        object.__setattr__(
            self, "_members", MappingProxyType({t: tuple(a) for t, a in members.items()})
        )
        catalogue: dict[str, dict[Format, Course]] = {}
        required: dict[str, dict[Format, Course]] = {}
        for course in self.courses.values():  # sorted by id: the first of a format wins
            catalogue.setdefault(course.competency_id, {}).setdefault(course.format, course)
            if not course.voluntary:
                required.setdefault(course.competency_id, {}).setdefault(course.format, course)
        object.__setattr__(
            self,
            "_required",
            MappingProxyType({c: MappingProxyType(f) for c, f in required.items()}),
        )
        object.__setattr__(
            self,
            "_catalogue",
            MappingProxyType({c: MappingProxyType(f) for c, f in catalogue.items()}),
        )

    @property
    def model(self) -> OperatingModel:
        """The operating model, ``info.model``: in-house or BPO."""
        return self.info.model

    def settings(self, cls: type[T]) -> T:
        """The settings of the plugin that declared ``cls`` in ``ccrules_plugin_settings``."""
        try:
            value = self._settings[cls]
        except KeyError:
            raise LookupError(
                f"no enabled plugin declared settings class {cls.__qualname__}"
            ) from None
        assert isinstance(value, cls)
        return value

    def members(self, team_id: str) -> tuple[Agent, ...]:
        """Active agents of a team, sorted by id."""
        return self._members.get(team_id, ())

    def catalogue(self, competency_id: str, *, required: bool = False) -> Mapping[Format, Course]:
        """The courses that train a competency: the first course (by id) of each format.

        :param required: leave out voluntary courses (seed 003: a voluntary course is the
            agent's choice, so a need a rule found is not trained in one).
        """
        table = self._required if required else self._catalogue
        return table.get(competency_id, MappingProxyType({}))

    def category_of(self, course_id: str) -> CompetencyCategory:
        """Whether a course is business or non-business training: its own ``category`` in
        courses.csv when set, else its competency's (seed 003's 70/30 mix counts by this)."""
        course = self.courses[course_id]
        if course.category is not None:
            return course.category
        return self.competencies[course.competency_id].category

    def source_of(self, name: str) -> str:
        """The file a data source was read from, for facts in reasons."""
        return self.sources.get(name, name)

    def config_problem(
        self,
        path: tuple[str | int, ...],
        message: str,
        *,
        severity: str = "error",
        code: str = "invalid",
    ) -> Problem:
        """A :class:`Problem` pointing at a key of center.toml, with its line when known.

        For ``ccrules_check_inputs``: ``center.config_problem(("plugins", "mine", "limit"),
        "limit must be below 10")``.
        """
        key = format_path(path)
        return Problem(
            file=CONFIG_FILE if self.folder is not None else "<config>",
            line=self._locate(path) if self._locate else None,
            path=key,
            message=f"{key}: {message}",
            severity=severity,
            code=code,
        )

    def owner_problem(
        self, path: tuple[str | int, ...], owner: str, hint: str = ""
    ) -> Problem | None:
        """The problem with an owner-team setting, or ``None`` when it is ``team-lead`` or a
        team id of teams.csv (what :attr:`~ccrules.model.Need.owner_team` may hold).

        :param hint: added to the message, e.g. ``" (the ticket team)"``.
        """
        if owner == TEAM_LEAD_OWNER or owner in self.teams:
            return None
        return self.config_problem(
            path,
            f"unknown owner {owner!r}; use {TEAM_LEAD_OWNER} or a team id of "
            f"{self.source_of('teams')}{hint}",
        )


def frozen_map(items: Mapping[str, T]) -> Mapping[str, T]:
    return MappingProxyType(dict(sorted(items.items())))


# --------------------------------------------------------------------------------------------
# Adding cycles to center.toml

_CYCLES_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*cycles[ \t]*\]\][ \t]*(#.*)?$")
_TABLE_HEADER = re.compile(r"^[ \t]*\[")
_WEEK_ID = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
_MONTH_ID = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_NUMBER_ID = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def _add_months(day: dt.date, months: int, month_end: bool) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, last if month_end else min(day.day, last))


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def _cycle_problem(message: str, line: int | None = None) -> ConfigError:
    return ConfigError(
        [Problem(file=CONFIG_FILE, line=line, path="cycles", message=message, code="invalid")]
    )


def _next_ids(last_id: str, count: int) -> tuple[str, list[str]]:
    """The kind of ``last_id`` (``week``, ``month`` or ``number``) and the ``count`` ids
    after it."""
    week = _WEEK_ID.match(last_id)
    if week is not None:
        try:
            monday = dt.date.fromisocalendar(int(week["year"]), int(week["week"]), 1)
        except ValueError:
            raise _cycle_problem(f"cycle id {last_id!r} names no ISO week") from None
        ids = []
        for step in range(1, count + 1):
            year, number, _ = (monday + dt.timedelta(weeks=step)).isocalendar()
            ids.append(f"{year}-W{number:02d}")
        return "week", ids
    month = _MONTH_ID.match(last_id)
    if month is not None and 1 <= int(month["month"]) <= 12:
        first = dt.date(int(month["year"]), int(month["month"]), 1)
        return "month", [
            f"{d.year}-{d.month:02d}"
            for d in (_add_months(first, step, False) for step in range(1, count + 1))
        ]
    numbered = _NUMBER_ID.match(last_id)
    if numbered is not None:
        digits = numbered["number"]
        return "number", [
            f"{numbered['prefix']}{int(digits) + step:0{len(digits)}d}"
            for step in range(1, count + 1)
        ]
    raise _cycle_problem(
        f"cannot continue the cycle id {last_id!r}: ccrules continues an ISO week "
        '("2026-W49"), a month ("2026-12") or an id ending in a number ("run-7"); add the '
        "next [[cycles]] entry by hand with such an id, then run `ccrules cycle add` again"
    )


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    raise TypeError(value)


def add_cycles(text: str, count: int) -> tuple[str, list[CycleConfig]]:
    """center.toml ``text`` with ``count`` cycles after its last ``[[cycles]]`` entry, and
    those cycles. Each continues the last one's id and moves its dates: by weeks for ISO
    week ids, by months for month ids, else by the distance between the last two starts (or
    the last cycle's length, a week at least). The new entries are inserted as text right
    after the last key of the last entry, so everything else (comments, blank lines, the
    order and spelling of keys) stays byte for byte; the result is checked to read as the
    same file with the new cycles added.

    :raises ConfigError: when there is no ``[[cycles]]`` table to continue, or its id
        cannot be continued.
    """
    data = read_toml(text, CONFIG_FILE)
    cycles = data.get("cycles")
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if _CYCLES_HEADER.match(line)]
    if not isinstance(cycles, list) or not cycles or not headers:
        raise _cycle_problem(
            "no [[cycles]] table to continue; write the first cycle as a [[cycles]] table "
            '(id = "2026-W49", start = 2026-11-30, end = 2026-12-04), then add the next ones'
        )
    last = cycles[-1]
    header = headers[-1]
    if not isinstance(last, dict) or not isinstance(last.get("id"), str):
        raise _cycle_problem("the last [[cycles]] entry has no id to continue", header + 1)
    start, end = last.get("start"), last.get("end")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise _cycle_problem(
            f"cycle {last['id']!r} needs a start and an end date to continue from", header + 1
        )
    kind, ids = _next_ids(last["id"], count)
    if kind == "week":
        spacing = dt.timedelta(weeks=1)
    else:
        before = cycles[-2] if len(cycles) >= 2 else None
        earlier = before.get("start") if isinstance(before, dict) else None
        if isinstance(earlier, dt.date) and earlier < start:
            spacing = start - earlier
        else:
            spacing = max(end - start + dt.timedelta(days=1), dt.timedelta(weeks=1))
    month_ends = {k: _is_month_end(v) for k, v in last.items() if isinstance(v, dt.date)}
    blocks = []
    added = []
    for step, new_id in enumerate(ids, start=1):
        values: dict[str, object] = {}
        for key, value in last.items():
            if key == "id":
                values[key] = new_id
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                if kind == "month":
                    values[key] = _add_months(value, step, month_ends[key])
                else:
                    values[key] = value + spacing * step
            else:
                values[key] = value
        try:
            body = "".join(f"{key} = {_toml_value(value)}\n" for key, value in values.items())
        except TypeError:
            raise _cycle_problem(
                f"cycle {last['id']!r} holds a value ccrules cannot continue; add the next "
                "cycle by hand",
                header + 1,
            ) from None
        blocks.append(f"\n[[cycles]]\n{body}")
        added.append(converter.structure(values, CycleConfig))
    # the entry ends at its last key line before the next table header (comments and blank
    # lines after it belong to what follows)
    stop = next(
        (i for i in range(header + 1, len(lines)) if _TABLE_HEADER.match(lines[i])), len(lines)
    )
    end_line = header
    for i in range(header + 1, stop):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            end_line = i
    head, tail = "".join(lines[: end_line + 1]), "".join(lines[end_line + 1 :])
    if not head.endswith("\n"):
        head += "\n"
    new_text = head + "".join(blocks) + tail
    expected = dict(data)
    expected["cycles"] = [*cycles, *(read_toml(b, CONFIG_FILE)["cycles"][0] for b in blocks)]
    if read_toml(new_text, CONFIG_FILE) != expected:  # pragma: no cover - a key outside lines
        raise _cycle_problem(
            "the [[cycles]] entries are written in a way ccrules cannot append to safely; "
            "add the next cycle by hand",
            header + 1,
        )
    return new_text, added
