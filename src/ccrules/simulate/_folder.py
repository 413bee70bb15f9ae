"""The simulated center as a center folder: center.toml with the simulated cycles, and data
files that grow as the simulated weeks pass. ``ccrules`` reads it like any center, so an
operator can open any cycle's plan, report and ``explain`` in a kept folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import duckdb

from ccrules._exactpath import exact_path
from ccrules._schema import CORE_SOURCES
from ccrules._toml import dump_toml

#: data files whose rows of the base cycle's days repeat every simulated cycle
REPEATED = ("traffic", "trainer_availability")
#: files the simulation writes to, and their columns as the input schema lists them: rows
#: are given in this order, and a file the center lacks is made with this header
COLUMNS = {
    source.name: tuple(column.name for column in source.columns)
    for source in CORE_SOURCES
    if source.name in ("qa", "kpis", "outcomes", "spot_checks", "leavers", "agents", "shifts")
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
                [h.strip() for h in next(csv.reader([text.splitlines()[0]]))]
                if text
                else list(columns)
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
                with exact_path(path) as exact:
                    con.execute(
                        "COPY (SELECT * FROM read_parquet($p)) TO '"
                        + str(target / "data" / (path.stem + ".csv")).replace("'", "''")
                        + "' (HEADER, DELIMITER ',')",
                        {"p": exact},
                    )
            finally:
                con.close()
        elif path.is_file():
            shutil.copyfile(path, target / "data" / path.name)


#: dated files whose rows from the first simulated day on the model makes instead
FROM_THE_MODEL = {"qa": "date", "kpis": "period", "spot_checks": "date", "leavers": "date"}


def _rows(path: Path) -> list[list[str]]:
    """A CSV data file's rows, header first; none when there is no file."""
    if not path.exists():
        return []
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _keep_rows(path: Path, column: str, keep: Callable[[str], bool]) -> None:
    """Rewrite ``path`` without the rows whose ``column`` fails ``keep``."""
    rows = _rows(path)
    if not rows or column not in rows[0]:
        return
    at = rows[0].index(column)
    kept = [row for row in rows[1:] if len(row) <= at or keep(row[at])]
    if len(kept) < len(rows) - 1:
        Table(path, rows[0]).rewrite(kept)


def drop_from(path: Path, column: str, first: dt.date) -> None:
    """Remove the rows of ``path`` dated ``first`` or later: from then on the model draws
    them (a center's export may already hold the weeks after its latest cycle)."""
    cut = first.isoformat()
    _keep_rows(path, column, lambda day: day < cut)


def drop_outcomes(path: Path, cycles: Sequence[str]) -> None:
    """Remove outcome rows of the simulated cycles: the model delivers those."""
    simulated = set(cycles)
    _keep_rows(path, "cycle_id", lambda cycle: cycle not in simulated)


def _dated(path: Path, days: Sequence[dt.date]) -> tuple[list[str], list[list[str]]]:
    """The header of ``path`` and its rows dated on one of ``days``."""
    rows = _rows(path)
    if not rows or "date" not in rows[0]:
        return [], []
    at = rows[0].index("date")
    wanted = {d.isoformat() for d in days}
    return rows[0], [row for row in rows[1:] if len(row) > at and row[at] in wanted]


def repeat_rows(path: Path, days: Sequence[dt.date], shifts: Sequence[int]) -> None:
    """Append, for each shift in days, a copy of the rows dated on ``days``, moved on."""
    header, base = _dated(path, days)
    if not base:
        return
    at = header.index("date")
    moved = []
    for offset in shifts:
        for row in base:
            copy = list(row)
            copy[at] = (dt.date.fromisoformat(row[at]) + dt.timedelta(days=offset)).isoformat()
            moved.append(copy)
    Table(path, header).append(moved)


def roster_rows(path: Path, days: Sequence[dt.date]) -> dict[str, list[list[str]]]:
    """The base cycle's roster by agent: shifts.csv rows dated on ``days``."""
    header, rows = _dated(path, days)
    if "agent_id" not in header:
        return {}
    who = header.index("agent_id")
    by_agent: dict[str, list[list[str]]] = {}
    for row in rows:
        by_agent.setdefault(row[who], []).append(row)
    return by_agent
