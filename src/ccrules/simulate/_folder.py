"""The simulated center as a center folder: center.toml with the simulated cycles, and data
files that grow as the simulated weeks pass. ``ccrules`` reads it like any center, so an
operator can open any cycle's plan, report and ``explain`` in a kept folder."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import duckdb

#: data files whose rows of the base cycle's days repeat every simulated cycle
REPEATED = ("traffic", "trainer_availability")
#: files the simulation writes to (created with these columns when the center has none)
COLUMNS = {
    "qa": (
        "evaluation_id",
        "agent_id",
        "date",
        "item_id",
        "score",
        "max_score",
        "evaluator",
        "channel",
        "contact_id",
    ),
    "kpis": ("agent_id", "period", "metric", "value"),
    "outcomes": ("cycle_id", "session_id", "agent_id", "attended", "post_score", "satisfaction"),
    "spot_checks": ("agent_id", "competency_id", "date", "passed", "checker"),
    "leavers": ("agent_id", "date", "reason"),
    "agents": ("agent_id", "name", "team_id", "role_id", "hire_date", "status"),
    "shifts": ("agent_id", "date", "start_time", "end_time", "activity", "queue"),
}


@attrs.frozen
class SimCycle:
    id: str
    start: dt.date
    end: dt.date
    outcomes_to: dt.date
    #: the last day before the next cycle starts: where the cycle's measures are read
    period_end: dt.date


def _months_on(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def cycles_after(base: Any, count: int, period: int, measure: int) -> list[SimCycle]:
    """The base cycle and ``count - 1`` cycles after it at the center's cadence: weeks
    named as ISO weeks, calendar months named ``YYYY-MM`` (a cadence of 28 days or more
    from a cycle so named), else every ``period`` days named ``<base>+<n>``."""
    weekly = period == 7 and re.fullmatch(r"\d{4}-W\d{2}", base.id) is not None
    monthly = period >= 28 and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", base.id) is not None
    length = base.end - base.start

    def start_of(j: int) -> dt.date:
        first: dt.date = base.start
        if monthly:
            return _months_on(first, j)
        return first + dt.timedelta(days=period * j)

    result = []
    for j in range(count):
        start = start_of(j)
        end = start + length
        if j == 0:
            cycle_id = base.id
        elif weekly:
            year, week, _ = start.isocalendar()
            cycle_id = f"{year}-W{week:02d}"
        elif monthly:
            cycle_id = f"{start.year}-{start.month:02d}"
        else:
            cycle_id = f"{base.id}+{j}"
        outcomes_to = end + dt.timedelta(days=measure)
        if j == 0 and base.outcomes_to is not None and measure == (base.outcomes_to - end).days:
            outcomes_to = base.outcomes_to
        period_end = start_of(j + 1) - dt.timedelta(days=1)
        result.append(SimCycle(cycle_id, start, end, outcomes_to, period_end))
    return result


# -- center.toml ---------------------------------------------------------------------------


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def dump_toml(data: Mapping[str, Any]) -> str:
    """TOML text for a parsed center.toml (tables, arrays of tables, scalars)."""
    out: list[str] = []

    def table(path: list[str], body: Mapping[str, Any], header: str | None) -> None:
        scalars = [
            (k, v) for k, v in body.items() if not isinstance(v, Mapping) and not _is_tables(v)
        ]
        if header is not None and (
            scalars or not any(isinstance(v, Mapping) or _is_tables(v) for v in body.values())
        ):
            out.append(header)
        for key, value in scalars:
            out.append(f"{_key(key)} = {_value(value)}")
        if scalars or header is not None:
            out.append("")
        for key, value in body.items():
            sub = [*path, _key(key)]
            if isinstance(value, Mapping):
                table(sub, value, f"[{'.'.join(sub)}]")
            elif _is_tables(value):
                for entry in value:
                    table(sub, entry, f"[[{'.'.join(sub)}]]")

    table([], data, None)
    return "\n".join(out).rstrip("\n") + "\n"


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: tables merge key by key, anything else is replaced."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def center_toml(config: Mapping[str, Any], cycles: Sequence[SimCycle]) -> str:
    """The scenario's config with the simulated cycles (earlier cycles of the center kept)."""
    data = {k: v for k, v in config.items() if k != "simulation"}
    first = cycles[0]
    kept = [dict(c) for c in data.get("cycles", []) if c.get("start") < first.start]
    base = next((dict(c) for c in data.get("cycles", []) if c.get("id") == first.id), {})
    listed = []
    for j, cycle in enumerate(cycles):
        entry = dict(base) if j == 0 else {}
        entry.update(id=cycle.id, start=cycle.start, end=cycle.end, outcomes_to=cycle.outcomes_to)
        if j > 0:
            entry.pop("planned_on", None)
        listed.append(entry)
    data["cycles"] = kept + listed
    return (
        "# A simulated center written by `ccrules simulate`; the cycles after the first are\n"
        "# simulated (docs/simulation.md).\n\n" + dump_toml(data)
    )


# -- data files ------------------------------------------------------------------------------


class Table:
    """A CSV data file that rows are appended to, in the file's own column order."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        if path.exists():
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
            self.header = (
                [h.strip() for h in _split(text.splitlines()[0])] if text else list(columns)
            )
            self.newline = "\r\n" if b"\r\n" in raw[:4096] else "\n"
            self.ends_clean = raw.endswith(b"\n") or not raw
        else:
            self.header = list(columns)
            self.newline = "\n"
            path.write_text(",".join(columns) + "\n", encoding="utf-8")
            self.ends_clean = True
        self.columns = list(columns)
        self.order = [self.columns.index(h) if h in self.columns else -1 for h in self.header]

    def append(self, rows: Iterable[Sequence[Any]]) -> int:
        lines = [",".join(_cell(row[i]) if i >= 0 else "" for i in self.order) for row in rows]
        if not lines:
            return 0
        with self.path.open("a", encoding="utf-8", newline="") as out:
            if not self.ends_clean:
                out.write(self.newline)
                self.ends_clean = True
            out.write(self.newline.join(lines) + self.newline)
        return len(lines)

    def rewrite(self, rows: Iterable[Sequence[Any]]) -> None:
        lines = [",".join(self.header)]
        lines.extend(",".join(_cell(row[i]) if i >= 0 else "" for i in self.order) for row in rows)
        self.path.write_text(self.newline.join(lines) + self.newline, encoding="utf-8")
        self.ends_clean = True


def _split(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def copy_center(source: Path, target: Path) -> None:
    """Copy the center's data; Parquet files become CSV so the simulation can append."""
    if target.exists():
        shutil.rmtree(target)
    (target / "data").mkdir(parents=True)
    for path in sorted((source / "data").iterdir()):
        if path.suffix == ".parquet":
            con = duckdb.connect()
            try:
                con.execute(
                    "COPY (SELECT * FROM read_parquet($p)) TO '"
                    + str(target / "data" / (path.stem + ".csv")).replace("'", "''")
                    + "' (HEADER, DELIMITER ',')",
                    {"p": str(path)},
                )
            finally:
                con.close()
        elif path.is_file():
            shutil.copyfile(path, target / "data" / path.name)


#: dated files whose rows from the first simulated day on the model makes instead
FROM_THE_MODEL = {"qa": "date", "kpis": "period", "spot_checks": "date", "leavers": "date"}


def drop_from(path: Path, column: str, first: dt.date) -> None:
    """Remove the rows of ``path`` dated ``first`` or later: from then on the model draws
    them (a center's export may already hold the weeks after its latest cycle)."""
    if not path.exists():
        return
    import csv

    raw = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(raw.splitlines()))
    if not rows or column not in rows[0]:
        return
    at = rows[0].index(column)
    cut = first.isoformat()
    kept = [rows[0], *(r for r in rows[1:] if len(r) <= at or r[at] < cut)]
    if len(kept) == len(rows):
        return
    path.write_text(
        "\n".join(",".join(_cell(v) for v in row) for row in kept) + "\n", encoding="utf-8"
    )


def drop_outcomes(path: Path, cycles: Sequence[str]) -> None:
    """Remove outcome rows of the simulated cycles: the model delivers those."""
    if not path.exists():
        return
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    if not rows or "cycle_id" not in rows[0]:
        return
    at = rows[0].index("cycle_id")
    wanted = set(cycles)
    kept = [rows[0], *(r for r in rows[1:] if len(r) <= at or r[at] not in wanted)]
    if len(kept) != len(rows):
        path.write_text(
            "\n".join(",".join(_cell(v) for v in row) for row in kept) + "\n", encoding="utf-8"
        )


def repeat_rows(path: Path, days: Sequence[dt.date], shifts: Sequence[int]) -> None:
    """Append, for each shift in days, a copy of the rows dated on ``days``, moved on."""
    if not path.exists():
        return
    import csv

    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(text.splitlines())
    header = next(reader)
    if "date" not in header:
        return
    at = header.index("date")
    wanted = {d.isoformat() for d in days}
    base = [row for row in reader if len(row) > at and row[at] in wanted]
    out = []
    for offset in shifts:
        for row in base:
            moved = list(row)
            moved[at] = (dt.date.fromisoformat(row[at]) + dt.timedelta(days=offset)).isoformat()
            out.append(",".join(_cell(v) for v in moved))
    if out:
        with path.open("a", encoding="utf-8", newline="") as f:
            if text and not text.endswith("\n"):
                f.write("\n")
            f.write("\n".join(out) + "\n")


def roster_rows(path: Path, days: Sequence[dt.date]) -> dict[str, list[list[str]]]:
    """The base cycle's roster by agent: shifts.csv rows dated on ``days``."""
    if not path.exists():
        return {}
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0]
    if "date" not in header or "agent_id" not in header:
        return {}
    at, who = header.index("date"), header.index("agent_id")
    wanted = {d.isoformat() for d in days}
    by_agent: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        if len(row) > at and row[at] in wanted:
            by_agent.setdefault(row[who], []).append(row)
    return by_agent
