"""Scenarios for the default pack: tests/centers/tiny in memory, to change one thing and plan.

The tiny center, as the tests rely on it:

- team T1 (shift 09:00-18:00, lead A1 = trainer TR2): A1 (role TL), A2-A5 (role AG);
  team T2 (shift 13:00-22:00, lead B1): B1 (TL), B2, B3 (AG) and B4 on leave;
- QA: three evaluations per agent (2026-10-05, 10-19, 11-09), one item per competency out
  of 10 points (I1 -> C1, I2 -> C2, I3 -> C3); A2-A4 score 6 on I1, A5 2 on I2, B2 5.5 on
  I3, B4 3 everywhere, every other score 8 or 9;
- role AG requires C1 80, C2 75, C3 70; role TL requires C1 85;
- KPI fcr 0.8 for everyone but B3 (0.6), three monthly periods; threshold fcr below 0.7
  -> C3, owner BUS;
- courses K1 pre-shift C1 (15 min), K2 coaching C2 (45), K3 micro-video C3 (10), K4
  classroom C3 (60, max 10), K5 classroom C1 (60, max 12);
- trainers TR1 (full-time, C1 95, C2 90, C3 90, 10 h, cost 150, score 4.5) and TR2 (team
  lead A1, C1 92, 2 h, cost 0, no score).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ccrules import Engine
from ccrules.model import CarryOver, Plan, Reason, Session, Stage, Unplaced

TINY = Path(__file__).resolve().parents[1] / "centers" / "tiny"
Row = dict[str, Any]


def _read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        # An empty CSV cell is a missing value; in memory that is None.
        return [
            {k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)
        ]


class Tiny:
    """The tiny center as a config dict and rows by source, ready to change and plan."""

    def __init__(self) -> None:
        self.config: dict[str, Any] = tomllib.loads((TINY / "center.toml").read_text("utf-8"))
        self.data: dict[str, list[Row]] = {
            path.stem: _read_rows(path) for path in sorted((TINY / "data").glob("*.csv"))
        }

    # -- settings ---------------------------------------------------------------------------

    @property
    def pack(self) -> dict[str, Any]:
        """``[plugins.default]``."""
        settings: dict[str, Any] = self.config["plugins"]["default"]
        return settings

    def set(self, table: str, **values: Any) -> Tiny:
        """Set keys of ``[plugins.default.<table>]``."""
        self.pack.setdefault(table, {}).update(values)
        return self

    def kpi(self, **threshold: Any) -> Tiny:
        """Add a ``[[plugins.default.kpis]]`` entry."""
        self.pack.setdefault("kpis", []).append(threshold)
        return self

    def cycle(self, start: dt.date, end: dt.date) -> Tiny:
        self.config["cycles"][0].update(start=start, end=end)
        return self

    @property
    def cycle_start(self) -> dt.date:
        start: dt.date = self.config["cycles"][0]["start"]
        return start

    @property
    def cycle_end(self) -> dt.date:
        end: dt.date = self.config["cycles"][0]["end"]
        return end

    # -- data -------------------------------------------------------------------------------

    def rows(self, source: str, **match: Any) -> list[Row]:
        """Rows of ``source`` whose columns equal ``match``."""
        found = [r for r in self.data[source] if all(r[k] == v for k, v in match.items())]
        assert found, f"no row of {source} matches {match}"
        return found

    def row(self, source: str, **match: Any) -> Row:
        (found,) = self.rows(source, **match)
        return found

    def update(self, source: str, match: dict[str, Any], **values: Any) -> Tiny:
        for row in self.rows(source, **match):
            row.update(values)
        return self

    def add(self, source: str, **row: Any) -> Tiny:
        self.data.setdefault(source, []).append(row)
        return self

    def remove(self, source: str, **match: Any) -> Tiny:
        doomed = self.rows(source, **match)
        self.data[source] = [r for r in self.data[source] if r not in doomed]
        return self

    def course(
        self, course_id: str, competency_id: str, format: str, minutes: int, max_group: int = 1
    ) -> Tiny:
        """Add a course to the catalogue."""
        return self.add(
            "courses",
            course_id=course_id,
            title=f"{format} on {competency_id}",
            competency_id=competency_id,
            format=format,
            duration_minutes=minutes,
            max_group=max_group,
            voluntary="false",
        )

    def trainer(self, trainer_id: str, skills: dict[str, float], **row: Any) -> Tiny:
        """Add a trainer (full-time, 10 h, 100 an hour, no score unless ``row`` says)."""
        defaults = {
            "name": trainer_id,
            "kind": "full-time",
            "agent_id": None,
            "capacity_hours": 10,
            "cost_per_hour": 100,
            "score": None,
        }
        self.add("trainers", trainer_id=trainer_id, **(defaults | row))
        for competency_id, level in skills.items():
            self.add(
                "trainer_skills", trainer_id=trainer_id, competency_id=competency_id, level=level
            )
        return self

    def score(self, agent_id: str, item_id: str, points: float) -> Tiny:
        """Give ``agent_id`` ``points`` (of 10) on ``item_id`` in every QA evaluation."""
        return self.update("qa", {"agent_id": agent_id, "item_id": item_id}, score=points)

    def kpi_values(self, agent_id: str, metric: str, *values: float) -> Tiny:
        """Replace an agent's values of ``metric`` by one per month, Sep, Oct, Nov 2026."""
        self.data["kpis"] = [
            r for r in self.data["kpis"] if (r["agent_id"], r["metric"]) != (agent_id, metric)
        ]
        for month, value in zip((9, 10, 11), values, strict=False):
            self.add(
                "kpis",
                agent_id=agent_id,
                period=dt.date(2026, month, 1),
                metric=metric,
                value=value,
            )
        return self

    # -- running ----------------------------------------------------------------------------

    def engine(self, **plugins: object) -> Engine:
        """The center loaded from a folder written for it (the folder is gone once loaded);
        ``plugins`` are extra plugin objects by name, enabled after the configured ones."""
        if plugins:
            enabled = self.config["plugins"]["enabled"]
            enabled.extend(name for name in plugins if name not in enabled)
        with tempfile.TemporaryDirectory(prefix="tiny-") as folder:
            self.write(Path(folder))
            return Engine.from_folder(folder, plugins=plugins or None)

    def write(self, folder: Path) -> None:
        """Write center.toml and data/*.csv of this center into ``folder``."""
        (folder / "center.toml").write_text("\n".join(_toml_table(self.config, ())), "utf-8")
        (folder / "data").mkdir()
        for name, rows in self.data.items():
            columns = list(dict.fromkeys(key for row in rows for key in row))
            with (folder / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, columns)
                writer.writeheader()
                writer.writerows(rows)

    def plan(self, carried: Sequence[CarryOver] = (), **plugins: object) -> Plan:
        with self.engine(**plugins) as engine:
            return engine.plan(carried)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _toml_table(table: dict[str, Any], path: tuple[str, ...]) -> list[str]:
    """Lines of a TOML table: its values, then its sub-tables and arrays of tables."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in table.items() if not _is_table(v)]
    for key, value in table.items():
        where = ".".join((*path, key))
        if isinstance(value, dict):
            lines += ["", f"[{where}]", *_toml_table(value, (*path, key))]
        elif _is_table(value):
            for item in value:
                lines += ["", f"[[{where}]]", *_toml_table(item, (*path, key))]
    return lines


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


@functools.cache
def baseline() -> Plan:
    """The plan of the unchanged tiny center (plans are frozen: safe to share)."""
    return Tiny().plan()


# --------------------------------------------------------------------------------------------
# reading plans


def all_sessions(plan: Plan) -> list[Session]:
    """Placed sessions and unplaced ones as far as they got."""
    return [*plan.sessions, *(u.session for u in plan.unplaced if u.session is not None)]


def sessions_for(plan: Plan, competency_id: str) -> list[Session]:
    return [s for s in all_sessions(plan) if s.competency_id == competency_id]


def placed(plan: Plan, session_id: str) -> Session:
    (found,) = [s for s in plan.sessions if s.id == session_id]
    return found


def unplaced(plan: Plan, item_id: str) -> Unplaced:
    (found,) = [u for u in plan.unplaced if u.id == item_id]
    return found


def unplaced_at(plan: Plan, stage: Stage) -> list[Unplaced]:
    return [u for u in plan.unplaced if u.stage is stage]


def session_of_agent(plan: Plan, agent_id: str, competency_id: str) -> Session:
    (found,) = [
        s
        for s in all_sessions(plan)
        if agent_id in s.attendees and s.competency_id == competency_id
    ]
    return found


def rules(reasons: Iterable[Reason]) -> list[str]:
    return [r.rule for r in reasons]


def text(reasons: Iterable[Reason]) -> str:
    return " ".join(r.text for r in reasons)


def fact(reason: Reason, name: str) -> Any:
    (value,) = [f.value for f in reason.facts if f.name == name]
    return value


MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5))
"""The days of the tiny cycle 2026-W49."""


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))
