"""The input gate: load every data file into DuckDB with its explicit schema, and report
everything that does not fit, together, before any stage runs.

Each source becomes a DuckDB table named after it, typed as its schema says, rows in file
order. Rows that fail to parse are dropped at load and reported with their line; every other
check (empty required values, allowed values, ranges, duplicate keys, references between
files, row checks) runs as SQL over the loaded tables, so no Python object is made per row.
A problem's line is worked out only for the rows that have one.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import duckdb

from ccrules._encoding import encoding_hint, guess_encoding
from ccrules._exactpath import exact_path
from ccrules._progress import ProgressCallback, watch
from ccrules._schema import Check, Column, ColumnType, DataSource
from ccrules.errors import InputError, Problem, unreadable

__all__ = ["DATA_DIR", "InputGate", "LoadedSource", "quote_ident"]

DATA_DIR = "data"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SNIFF_BYTES = 1 << 16
#: the longest first line read as a header
_MAX_HEADER = 1 << 24
#: the longest column name or value quoted whole in a message
_CLIP = 80
#: more unknown columns than this are warned about once, not one by one
_MANY_UNKNOWN = 10


def _clip(text: str) -> str:
    """A name as a message quotes it: whole up to :data:`_CLIP` characters, else its start
    and its length."""
    if len(text) <= _CLIP:
        return text
    return f"{text[: _CLIP - 20]}... ({len(text):,} characters)"


def _names(header: Sequence[str], most: int = 30) -> str:
    shown = ", ".join(_clip(name) for name in header[:most])
    return shown + (f" and {len(header) - most:,} more" if len(header) > most else "")


# A key whose last column has at most this many values is checked with bit masks.
_BITMAP_VALUES = 4096


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: files saved from a spreadsheet program instead of exported as CSV (.et: WPS Spreadsheets)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".numbers")
_SAVE_AS_CSV = (
    "In Excel or WPS: 文件 → 另存为 → CSV UTF-8（逗号分隔）(*.csv) (Excel in English: "
    "File → Save As → CSV UTF-8 (Comma delimited))"
)


def _find_nul(path: Path) -> tuple[int, int] | None:
    """Line and column (1-based) of the first NUL byte in a file, or ``None``.

    DuckDB keeps a NUL inside a value, where it would reach the plan and the history.
    """
    offset = 0
    with path.open("rb") as handle:
        # one memchr per chunk; lines are counted only once a NUL is found
        while chunk := handle.read(1 << 20):
            at = chunk.find(b"\0")
            if at >= 0:
                found = offset + at
                break
            offset += len(chunk)
        else:
            return None
        handle.seek(0)
        newlines, line_start, offset = 0, 0, 0
        while offset < found:
            before = handle.read(min(1 << 20, found - offset))
            count = before.count(b"\n")
            if count:
                newlines += count
                line_start = offset + before.rindex(b"\n") + 1
            offset += len(before)
        handle.seek(line_start)
        start = handle.read(found - line_start)
    if newlines == 0 and start.startswith(b"\xef\xbb\xbf"):
        start = start[3:]
    try:
        fields = next(csv.reader([start.decode("utf-8", errors="replace")]), [])
    except csv.Error:
        fields = []
    return newlines + 1, max(1, len(fields))


def _mixed_line_end(path: Path) -> tuple[int, str, str] | None:
    """The first line whose ending differs from the first line's (CRLF after LF, or LF after
    CRLF), with both kinds named, or ``None`` when every line ends alike.

    DuckDB settles the line ending on the first line and cannot read on when it changes;
    rows appended by another program (Notepad, Excel) are the usual cause.
    """
    first: bytes | None = None
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                break  # the last line, without an ending
            ending = b"\r\n" if line.endswith(b"\r\n") else b"\n"
            if first is None:
                first = ending
            elif ending != first:
                names = {b"\r\n": "CRLF (Windows)", b"\n": "LF"}
                return number, names[ending], names[first]
    return None


_SMALL_INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "UINTEGER"})
#: Parquet column types whose every value casts to a column type: no need to look for ones
#: that do not (a BIGINT may not fit DECIMAL(18,4); a DOUBLE may be NaN)
_ALWAYS_CASTS: dict[ColumnType, frozenset[str]] = {
    ColumnType.TEXT: frozenset(),
    ColumnType.INTEGER: _SMALL_INTEGERS,
    ColumnType.NUMBER: _SMALL_INTEGERS,
    ColumnType.DATE: frozenset({"DATE"}),
    ColumnType.TIME: frozenset({"TIME"}),
    ColumnType.BOOLEAN: frozenset({"BOOLEAN"}),
}


def _not_boolean(value: str) -> str:
    """SQL: a text value that is neither true nor false (in any case, spaces around).
    DuckDB itself would take yes, y, t and 1 for true: a plan must not guess."""
    return f"{value} IS NOT NULL AND lower(trim({value})) NOT IN ('true', 'false')"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return _literal(str(value))


class _CsvLines:
    """Maps record numbers (0-based, header excluded) of a CSV file to physical lines.

    Most exports have one record per line, and then a record's line is its number plus two.
    When a quoted value spans lines, or blank lines are left in, the file is read once with
    the csv module to find out.

    DuckDB numbers the rows it rejects its own way: the header is 1 and every line counts
    (blank ones too) except those inside a quoted value. :meth:`from_raw` maps those numbers.
    """

    def __init__(self, path: Path, records: int) -> None:
        self.path = path
        self.records = records
        self._simple: bool | None = None

    def _is_simple(self) -> bool:
        if self._simple is None:
            newlines = 0
            last = b""
            with self.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    newlines += chunk.count(b"\n")
                    last = chunk[-1:]
            lines = newlines + (0 if last == b"\n" else 1)
            self._simple = lines == self.records + 1
        return self._simple

    def _rows(self) -> Iterator[tuple[int, int | None, int]]:
        """Every row after the header: (DuckDB's number, record or ``None`` if blank, line)."""
        with self.path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            raw, record = 1, 0
            try:
                next(reader, None)
                start = reader.line_num + 1
                for row in reader:
                    raw += 1
                    # DuckDB skips blank lines; so do record numbers
                    yield raw, (record if row else None), start
                    record += 1 if row else 0
                    start = reader.line_num + 1
            except csv.Error:  # a runaway quoted value: the row it starts on is still known
                yield raw + 1, record, start

    def lines(self, records: Iterable[int]) -> dict[int, int]:
        wanted = set(records)
        if not wanted:
            return {}
        if self._is_simple():
            return {r: r + 2 for r in wanted}
        found: dict[int, int] = {}
        for _, record, start in self._rows():
            if record in wanted:
                found[record] = start
                if len(found) == len(wanted):
                    break
        return found

    def from_raw(self, raw_lines: Iterable[int]) -> dict[int, tuple[int, int]]:
        """DuckDB's numbers of rejected rows -> (record, physical line)."""
        wanted = set(raw_lines)
        if not wanted:
            return {}
        if self._is_simple():
            return {raw: (raw - 2, raw) for raw in wanted}
        found: dict[int, tuple[int, int]] = {}
        for raw, record, start in self._rows():
            if raw in wanted and record is not None:
                found[raw] = (record, start)
                if len(found) == len(wanted):
                    break
        return found


@attrs.define
class LoadedSource:
    """A source as loaded: where it came from and how to point at its rows."""

    source: DataSource
    display: str
    kind: str  # csv | parquet | memory | absent
    path: Path | None = None
    header: tuple[str, ...] = ()
    rejected: list[int] = attrs.field(factory=list)
    # The text values of rejected rows, so that references to them are not reported as
    # unknown too: the row is there, only a value of it is wrong.
    rejected_values: dict[str, set[str]] = attrs.field(factory=dict)
    lines: _CsvLines | None = None
    ok: bool = True

    @property
    def present(self) -> bool:
        return self.kind != "absent"

    def record_of(self, rowid: int) -> int:
        """The 0-based record number in the file of a row of the loaded table."""
        record = rowid
        for dropped in self.rejected:
            if dropped <= record:
                record += 1
            else:
                break
        return record

    def column_number(self, name: str) -> int | None:
        try:
            return self.header.index(name) + 1
        except ValueError:
            return None


_Reject = tuple[LoadedSource, int | None, int | None, str | None, str, str]


def truncated(max_errors: int) -> Problem:
    """The last line of a refusal cut at ``max_errors`` problems."""
    return Problem(
        file="(more)",
        message=f"stopped after {max_errors} errors; fix these and run again, or raise "
        "--max-errors",
        code="truncated",
    )


class InputGate:
    """Loads sources into a DuckDB connection and collects every problem.

    :param con: the DuckDB connection the tables are created in.
    :param folder: the center folder (file sources are read from its ``data/``).
    :param max_errors: stop collecting after this many errors.
    :param progress: told which file loads and is checked, and how far a long read is.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        folder: Path | None,
        max_errors: int = 200,
        progress: ProgressCallback | None = None,
        allow_outside: bool = False,
    ) -> None:
        self.con = con
        self.allow_outside = allow_outside
        self.progress = progress
        self.folder = folder
        self.max_errors = max_errors
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.loaded: dict[str, LoadedSource] = {}
        self.truncated = False
        # CSV rejects are reported after every file is loaded, with the checks of the rows.
        self._pending_rejects: list[_Reject] = []

    # -- collecting -------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.max_errors

    def add(self, problem: Problem) -> None:
        if problem.severity == "warning":
            self.warnings.append(problem)
        elif self.full:
            self.truncated = True
        else:
            self.problems.append(problem)

    def raise_if_errors(self) -> None:
        if self.problems:
            # file by file in the order they were first reported, then by line and column
            order: dict[str, int] = {}
            for problem in self.problems:
                order.setdefault(problem.file, len(order))
            problems = sorted(
                self.problems,
                key=lambda p: (order[p.file], p.line or 0, p.column or 0),
            )
            if self.truncated:
                problems.append(truncated(self.max_errors))
            raise InputError(problems, self.warnings)

    # -- loading ----------------------------------------------------------------------------

    def load_files(self, sources: Sequence[DataSource]) -> None:
        """Load each source from ``<folder>/data/<name>.csv|.parquet``."""
        assert self.folder is not None
        base = self.folder / DATA_DIR
        try:
            if base.is_dir():
                os.listdir(base)
                os.stat(base / ".")  # listing needs r, opening a file in it needs x
        except OSError as error:
            self.add(unreadable(f"{DATA_DIR}/", error))
            for source in sources:
                self._absent(source, f"{DATA_DIR}/{source.name}.csv", ok=False)
            return
        for source in sources:
            self._load_file(source)
        self._spreadsheets(base, {s.name for s in sources})

    def _spreadsheets(self, base: Path, names: set[str]) -> None:
        """A warning for each spreadsheet in data/ that is not read: one beside the CSV of
        its source, or of no source at all. (One in place of a missing CSV is an error,
        reported by :meth:`_load_file`.)"""
        if not base.is_dir():
            return
        for path in sorted(base.iterdir()):
            stem, suffix = path.stem, path.suffix.lower()
            if suffix not in SPREADSHEET_SUFFIXES or not path.is_file():
                continue
            beside = [base / f"{stem}{ext}" for ext in (".csv", ".parquet")]
            if stem in names and not any(p.is_file() for p in beside):
                continue  # reported as the source's file
            read = next((p.name for p in beside if p.is_file()), None)
            why = (
                f"ccrules reads {DATA_DIR}/{read} and ignores this one. If it holds newer "
                f"data, save it over {DATA_DIR}/{read}"
                if read is not None
                else "ccrules reads CSV (UTF-8) or Parquet files named after their source "
                "(docs/data.md lists them). If it is one, save it under that name"
            )
            self.add(
                Problem(
                    file=f"{DATA_DIR}/{path.name}",
                    message=f"a spreadsheet, not read: {why}. {_SAVE_AS_CSV}",
                    code="spreadsheet-file",
                    severity="warning",
                )
            )

    def _load_file(self, source: DataSource) -> None:
        assert self.folder is not None
        base = self.folder / DATA_DIR
        found = [base / f"{source.name}{ext}" for ext in (".csv", ".parquet")]
        existing = [p for p in found if p.is_file()]
        display = f"{DATA_DIR}/{source.name}.csv"
        if len(existing) > 1:
            self.add(
                Problem(
                    file=f"{DATA_DIR}/{source.name}.*",
                    message=f"both {source.name}.csv and {source.name}.parquet exist; keep one",
                    code="ambiguous-file",
                )
            )
            self._absent(source, display, ok=False)
            return
        if not existing:
            sheets = [
                p
                for p in (sorted(base.iterdir()) if base.is_dir() else ())
                if p.stem == source.name and p.suffix.lower() in SPREADSHEET_SUFFIXES
            ]
            if sheets:
                # saved from Excel or WPS as it came: say which file and how to save it
                self.add(
                    Problem(
                        file=f"{DATA_DIR}/{sheets[0].name}",
                        message=f"a spreadsheet where {display} is expected: ccrules reads "
                        f"CSV (UTF-8) or Parquet, with columns "
                        f"{', '.join(source.column_names)}. Save it as {display}. {_SAVE_AS_CSV}",
                        code="spreadsheet-file",
                    )
                )
                self._absent(source, display, ok=False)
                return
            self._missing(source, display, "file is missing; expected a CSV file")
            return
        path = existing[0]
        display = f"{DATA_DIR}/{path.name}"
        if not self.allow_outside and not path.resolve().is_relative_to(self.folder.resolve()):
            # refused before a byte is read: an error must not echo a file not the center's
            self.add(
                Problem(
                    file=display,
                    message="this file is a link to a file outside the center folder, which "
                    "ccrules does not read. Copy the file into the folder, or set "
                    "allow_outside = true under [evidence] in center.toml",
                    code="outside-folder",
                )
            )
            self._absent(source, display, ok=False)
            return
        try:
            path.open("rb").close()
        except OSError as error:
            self.add(unreadable(display, error))
            self._absent(source, display, ok=False)
            return
        with watch(self.con, f"loading {display}", self.progress), exact_path(path) as exact:
            if path.suffix == ".parquet":
                self._load_parquet(source, path, exact, display)
            else:
                self._load_csv(source, path, exact, display)

    def load_rows(self, source: DataSource, rows: Sequence[Mapping[str, Any]] | None) -> None:
        """Load a source from in-memory rows (mappings of column name to value)."""
        display = f"<memory>/{source.name}"
        if rows is None:
            self._missing(source, display, "no rows given; expected rows")
            return
        header: list[str] = []
        for row in rows:
            for key in row:
                if key not in header:
                    header.append(key)
        if not header:
            header = [c.name for c in source.columns]
        raw = f"_raw_{source.name}"
        columns = ", ".join(f"{quote_ident(name)} VARCHAR" for name in header)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_ident(raw)} ({columns})")
        if rows:
            # one statement, each column a list: row by row (executemany) took 0.6 ms a row
            values = {
                f"c{i}": [_text(row.get(name)) for row in rows] for i, name in enumerate(header)
            }
            unnested = ", ".join(f"unnest(${key}::VARCHAR[])" for key in values)
            self.con.execute(f"INSERT INTO {quote_ident(raw)} SELECT {unnested}", values)
        loaded = LoadedSource(source, display, "memory", header=tuple(header))
        self.loaded[source.name] = loaded
        self._cast_raw(loaded, raw, dict.fromkeys(header, "VARCHAR"))

    def _missing(self, source: DataSource, display: str, what: str) -> None:
        """A source not given at all: an error if it is required, an empty table if not."""
        if source.required:
            self.add(
                Problem(
                    file=display,
                    message=f"{what} with columns {', '.join(source.column_names)}",
                    code="missing-file",
                )
            )
        self._absent(source, display, ok=not source.required)

    def _absent(self, source: DataSource, display: str, ok: bool) -> None:
        create_empty(self.con, source)
        self.loaded[source.name] = LoadedSource(source, display, "absent", ok=ok)

    def _check_header(self, source: DataSource, display: str, header: Sequence[str]) -> bool:
        ok = True
        seen: set[str] = set()
        for number, name in enumerate(header, start=1):
            if name in seen:
                self.add(
                    Problem(
                        file=display,
                        line=1,
                        column=number,
                        path=_clip(name),
                        message=f'column "{_clip(name)}" appears twice in the header',
                        code="duplicate-column",
                    )
                )
                ok = False
            seen.add(name)
        for column in source.columns:
            if column.required and column.name not in seen:
                self.add(
                    Problem(
                        file=display,
                        line=1,
                        path=column.name,
                        message=f'missing column "{column.name}" ({column.doc.rstrip(".")}); '
                        f"the header has: {_names(header)}",
                        code="missing-column",
                    )
                )
                ok = False
        known = set(source.column_names)
        unknown = [(n, name) for n, name in enumerate(header, start=1) if name not in known]
        if len(unknown) > _MANY_UNKNOWN:  # one warning, not one per column of a wide export
            number, _ = unknown[0]
            self.add(
                Problem(
                    file=display,
                    line=1,
                    column=number,
                    message=f"{len(unknown):,} unknown columns are ignored, from column "
                    f"{number}: {_names([name for _, name in unknown], most=5)}; known columns: "
                    + ", ".join(source.column_names),
                    severity="warning",
                    code="unknown-column",
                )
            )
            unknown = []
        for number, name in unknown:
            self.add(
                Problem(
                    file=display,
                    line=1,
                    column=number,
                    path=_clip(name),
                    message=f'unknown column "{_clip(name)}" is ignored; known columns: '
                    + ", ".join(source.column_names),
                    severity="warning",
                    code="unknown-column",
                )
            )
        return ok

    def _read_header(self, source: DataSource, path: Path, display: str) -> list[str] | None:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            # a header longer than the sniff window is read to its end, never cut
            while b"\n" not in head and len(head) <= _MAX_HEADER:
                more = handle.read(_SNIFF_BYTES)
                if not more:
                    break
                head += more
        if b"\n" not in head and len(head) > _MAX_HEADER:
            self.add(
                Problem(
                    file=display,
                    line=1,
                    message=f"the first line is longer than {_MAX_HEADER // (1 << 20)} MiB, "
                    "which no header of a ccrules file is; is this a CSV file? Export it again "
                    "with a header row of column names",
                    code="unreadable",
                )
            )
            return None
        if not head.strip():
            self.add(
                Problem(
                    file=display,
                    message="file is empty; expected a header row with columns "
                    + ", ".join(source.column_names),
                    code="empty-file",
                )
            )
            return None
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not a character cut by the sniff window
                self.add(
                    Problem(
                        file=display,
                        line=head[: error.start].count(b"\n") + 1,
                        message="file is not UTF-8 text; "
                        + encoding_hint(display, guess_encoding(head)),
                        code="encoding",
                    )
                )
                return None
            text = head[: error.start].decode("utf-8")
        first_line = text.splitlines()[0] if text else ""
        header = next(csv.reader(io.StringIO(first_line)), [])
        header = [h.strip() for h in header]
        if len(header) == 1 and len(source.columns) > 1:
            for delimiter, label in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
                if delimiter in header[0]:
                    self.add(
                        Problem(
                            file=display,
                            line=1,
                            message=f"the file looks {label}-separated; ccrules reads "
                            "comma-separated CSV. Export it again with commas, or convert it",
                            code="wrong-delimiter",
                        )
                    )
                    return None
        return header

    def _load_csv(self, source: DataSource, path: Path, exact: str, display: str) -> None:
        header = self._read_header(source, path, display)
        if header is not None:  # a file in UTF-16 is full of NULs: its encoding is told first
            nul = _find_nul(path)
            if nul is not None:
                line, column = nul
                self.add(
                    Problem(
                        file=display,
                        line=line,
                        column=column,
                        message="a NUL byte (\\0) is in this value; no CSV value holds one, so the "
                        "file is damaged or not text. Export it again, or remove the NUL bytes",
                        code="nul-byte",
                    )
                )
                self._absent(source, display, ok=False)
                return
        if header is None or not self._check_header(source, display, header):
            self._absent(source, display, ok=False)
            return
        by_name = {c.name: c for c in source.columns}
        columns = (
            "{"
            + ", ".join(
                f"{_literal(name)}: "
                f"{_literal(by_name[name].type.read_sql if name in by_name else 'VARCHAR')}"
                for name in header
            )
            + "}"
        )
        rejects = f"_rej_{source.name}"
        scans = f"_scan_{source.name}"
        select = self._select_list(source, header)
        read = (
            f"CREATE OR REPLACE TABLE {quote_ident(source.name)} AS SELECT {select} "
            f"FROM read_csv({_literal(exact)}, header=true, auto_detect=false, "
            "delim=',', quote='\"', escape='\"', encoding='utf-8', "
            f"dateformat='%Y-%m-%d', columns={columns}"
        )
        loaded = LoadedSource(source, display, "csv", path=path, header=tuple(header))
        self.loaded[source.name] = loaded
        # Most files are clean: read strictly first, which is faster than keeping rejects;
        # only a file that fails is read again, keeping every row that does not parse.
        try:
            self.con.execute(read + ")")
        except duckdb.Error:
            pass
        else:
            self._after_csv(loaded, rejected=[])
            return
        try:
            self.con.execute(
                read + f", store_rejects=true, rejects_table={_literal(rejects)}, "
                f"rejects_scan={_literal(scans)})"
            )
        except duckdb.Error as error:
            self._unreadable_csv(loaded, error)
            return
        rejected = self.con.execute(
            f"SELECT line, column_idx, column_name, error_type, csv_line "
            f"FROM {quote_ident(rejects)} ORDER BY line, column_idx"
        ).fetchall()
        self.con.execute(f"DROP TABLE IF EXISTS {quote_ident(rejects)}")
        self.con.execute(f"DROP TABLE IF EXISTS {quote_ident(scans)}")
        self._after_csv(loaded, rejected)

    def _unreadable_csv(self, loaded: LoadedSource, error: duckdb.Error) -> None:
        """A CSV file DuckDB cannot read row by row: say why, where it can be told."""
        assert loaded.path is not None
        loaded.ok = False
        mixed = _mixed_line_end(loaded.path)
        if mixed is not None:
            line, ending, first = mixed
            self.add(
                Problem(
                    file=loaded.display,
                    line=line,
                    message=f"this line ends in {ending} while the lines before end in {first}; "
                    "rows were probably added by another program. Save the file again with one "
                    "kind of line ending (an editor's 'line endings' setting, or dos2unix)",
                    code="mixed-line-endings",
                )
            )
            return
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        self.add(
            Problem(
                file=loaded.display,
                message=f"cannot be read as CSV ({reason}); export it again as comma-separated "
                "UTF-8 text",
                code="unreadable",
            )
        )

    def _after_csv(self, loaded: LoadedSource, rejected: list[tuple[Any, ...]]) -> None:
        source, display, path = loaded.source, loaded.display, loaded.path
        assert path is not None
        (count,) = self.con.execute(
            f"SELECT count(*) FROM {quote_ident(source.name)}"
        ).fetchone() or (0,)
        raw_lines = {int(row[0]) for row in rejected}
        loaded.lines = _CsvLines(path, int(count) + len(raw_lines))
        places = loaded.lines.from_raw(raw_lines)
        loaded.rejected = sorted(places.get(raw, (raw - 2, 0))[0] for raw in raw_lines)
        encoding_lines: list[int] = []
        remembered: set[int] = set()
        reported: set[tuple[int, str]] = set()
        for raw, column_idx, column_name, error_type, csv_line in rejected:
            # DuckDB's csv_line starts with the blank lines before the row, if any.
            text = csv_line.lstrip("\r\n")
            if raw not in remembered:
                remembered.add(raw)
                _remember_values(loaded, next(csv.reader(io.StringIO(text)), []))
            if error_type == "INVALID ENCODING":
                encoding_lines.append(int(raw))
                continue
            if error_type != "CAST":  # row-level: DuckDB reports it once per column
                if (raw, error_type) in reported:
                    continue
                reported.add((raw, error_type))
            line = places[int(raw)][1] if int(raw) in places else None
            self._pending_rejects.append((loaded, line, column_idx, column_name, error_type, text))
        if encoding_lines:
            first = min(encoding_lines)
            self.add(
                Problem(
                    file=display,
                    line=places[first][1] if first in places else None,
                    message=f"text is not valid UTF-8 on {len(set(encoding_lines))} line(s), "
                    f"the first here; {encoding_hint(display, guess_encoding(path))}",
                    code="encoding",
                )
            )
        if count == 0 and not rejected and not source.allow_empty:
            loaded.ok = False  # references to it would all be reported as unknown
            self.add(
                Problem(
                    file=display,
                    message="file has a header but no rows; at least one row is needed",
                    code="empty-file",
                )
            )
        self._strict_booleans(loaded)

    def _strict_booleans(self, loaded: LoadedSource) -> None:
        """True/false columns of a CSV file, read as text: a row with any other word is
        reported and dropped, as a value DuckDB cannot cast is; then the columns become
        booleans."""
        source = loaded.source
        columns = [c for c in source.columns if c.type is ColumnType.BOOLEAN]
        if not columns:
            return
        table = quote_ident(source.name)
        present = [c for c in columns if c.name in loaded.header]
        bad = " OR ".join(f"({_not_boolean(quote_ident(c.name))})" for c in present)
        (count,) = (
            self.con.execute(f"SELECT count(*) FROM {table} WHERE {bad}").fetchone() or (0,)
            if bad
            else (0,)
        )
        if count:
            for column in present:
                name = quote_ident(column.name)
                self._report_rows(
                    loaded,
                    f"SELECT rowid, {name} FROM {table} WHERE {_not_boolean(name)}",
                    column.name,
                    partial(_type_message, column),
                    "wrong-type",
                )
            header = ", ".join(f"CAST({quote_ident(n)} AS VARCHAR)" for n in loaded.header)
            dropped: list[int] = []
            for rowid, *values in self.con.execute(
                f"SELECT rowid, {header} FROM {table} WHERE {bad} ORDER BY rowid"
            ).fetchall():
                dropped.append(loaded.record_of(int(rowid)))
                _remember_values(loaded, ["" if v is None else str(v) for v in values])
            self.con.execute(
                f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table} "
                f"WHERE NOT ({bad}) ORDER BY rowid"
            )
            loaded.rejected = sorted([*loaded.rejected, *dropped])
        for column in columns:
            name = quote_ident(column.name)
            self.con.execute(
                f"ALTER TABLE {table} ALTER {name} SET DATA TYPE BOOLEAN "
                f"USING lower(trim({name})) = 'true'"
            )

    def _load_parquet(self, source: DataSource, path: Path, exact: str, display: str) -> None:
        raw = f"_raw_{source.name}"
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {quote_ident(raw)} AS "
                f"SELECT * FROM read_parquet({_literal(exact)})"
            )
        except duckdb.Error as error:
            self.add(
                Problem(
                    file=display,
                    message=f"cannot read this Parquet file ({type(error).__name__}); "
                    "export it again",
                    code="unreadable",
                )
            )
            self._absent(source, display, ok=False)
            return
        types = {
            str(row[0]): str(row[1])
            for row in self.con.execute(f"DESCRIBE {quote_ident(raw)}").fetchall()
        }
        loaded = LoadedSource(source, display, "parquet", path=path, header=tuple(types))
        self.loaded[source.name] = loaded
        self._cast_raw(loaded, raw, types)

    def _cast_raw(self, loaded: LoadedSource, raw: str, types: Mapping[str, str]) -> None:
        """Type a raw table (Parquet or in-memory rows) into the source's table, reporting
        values that do not cast, and dropping their rows like the CSV reader does.

        :param types: the raw table's column types; a typed Parquet column that always
            casts (:data:`_ALWAYS_CASTS`) is not scanned for values that do not.
        """
        source = loaded.source
        if not self._check_header(source, loaded.display, loaded.header):
            self._absent(source, loaded.display, ok=False)
            return
        failures: set[int] = set()
        for column in source.columns:
            if column.name not in loaded.header or column.type is ColumnType.TEXT:
                continue
            if types.get(column.name) in _ALWAYS_CASTS[column.type]:
                continue
            name = quote_ident(column.name)
            fails = f"TRY_CAST({name} AS {column.type.read_sql}) IS NULL"
            if column.type is ColumnType.BOOLEAN:
                fails = _not_boolean(f"CAST({name} AS VARCHAR)")
            rows = self.con.execute(
                f"SELECT rowid, CAST({name} AS VARCHAR) FROM {quote_ident(raw)} "
                f"WHERE {name} IS NOT NULL AND {fails} "
                f"ORDER BY rowid LIMIT {self.max_errors + 1}"
            ).fetchall()
            for rowid, value in rows:
                failures.add(int(rowid))
                self.add(
                    Problem(
                        file=loaded.display,
                        line=int(rowid) + 1,
                        column=loaded.column_number(column.name),
                        path=column.name,
                        message=f'column "{column.name}": {value!r} is not {column.type.expected}',
                        code="wrong-type",
                    )
                )
        if failures:
            text = ", ".join(f"CAST({quote_ident(name)} AS VARCHAR)" for name in loaded.header)
            for values in self.con.execute(
                f"SELECT {text} FROM {quote_ident(raw)} "
                f"WHERE rowid IN ({', '.join(str(r) for r in sorted(failures))})"
            ).fetchall():
                _remember_values(loaded, ["" if v is None else str(v) for v in values])
        select = ", ".join(
            self._column_expr(column, loaded.header, cast=True) for column in source.columns
        )
        where = ""
        if failures:
            where = " WHERE rowid NOT IN (" + ", ".join(str(r) for r in sorted(failures)) + ")"
        # rows keep their order without sorting (preserve_insertion_order, DuckDB's default)
        self.con.execute(
            f"CREATE OR REPLACE TABLE {quote_ident(source.name)} AS SELECT {select} "
            f"FROM {quote_ident(raw)}{where}"
        )
        self.con.execute(f"DROP TABLE IF EXISTS {quote_ident(raw)}")
        loaded.rejected = sorted(failures)
        if not source.allow_empty:
            (count,) = self.con.execute(
                f"SELECT count(*) FROM {quote_ident(source.name)}"
            ).fetchone() or (0,)
            if count == 0 and not failures:
                loaded.ok = False  # references to it would all be reported as unknown
                self.add(
                    Problem(
                        file=loaded.display,
                        message="no rows; at least one row is needed",
                        code="empty-file",
                    )
                )

    def _column_expr(self, column: Column, header: Sequence[str], cast: bool = False) -> str:
        """A column as loaded: typed, an empty value taking the column's default if it has
        one, and the default throughout when the file lacks the column."""
        name = quote_ident(column.name)
        typed = cast and column.type is ColumnType.BOOLEAN
        default = (
            f"CAST({_sql_value(column.default)} AS "
            f"{column.type.sql if typed else column.type.read_sql})"
        )
        if column.name not in header:
            return f"{default} AS {name}"
        value = name
        if typed:
            value = f"(lower(trim(CAST({name} AS VARCHAR))) = 'true')"
        elif cast and column.type is not ColumnType.TEXT:
            value = f"TRY_CAST({name} AS {column.type.read_sql})"
        elif cast:
            value = f"CAST({name} AS VARCHAR)"
        if column.default is not None:
            return f"coalesce({value}, {default}) AS {name}"
        return value if value == name else f"{value} AS {name}"

    def _select_list(self, source: DataSource, header: Sequence[str]) -> str:
        return ", ".join(self._column_expr(column, header) for column in source.columns)

    # -- checking ---------------------------------------------------------------------------

    def check(self) -> None:
        """Run every check on every loaded source, then the references between them."""
        self._finish_rejects()
        for loaded in self.loaded.values():
            if loaded.present and loaded.ok:
                with watch(self.con, f"checking {loaded.display}", self.progress):
                    self._check_values(loaded)
                    self._check_references(loaded)
        if not self.problems:
            self._finish_types()

    def check_across(self, name: str, checks: Sequence[Check]) -> None:
        """Run row checks of source ``name`` that read other files too (a queue of the
        roster must be in the forecast). Call after :meth:`check` found nothing, so every
        table they read is loaded and typed; an absent source is skipped."""
        loaded = self.loaded.get(name)
        if loaded is None or not loaded.present:
            return
        table = quote_ident(name)
        for check in checks:
            select, message = _row_check(check)
            self._report_rows(
                loaded,
                f"SELECT rowid{', ' + select if select else ''} FROM {table} WHERE {check.where}",
                check.column,
                message,
                check.code,
            )

    def _finish_types(self) -> None:
        """Whole-number columns, read as decimals to check them, become integers."""
        for loaded in self.loaded.values():
            table = quote_ident(loaded.source.name)
            for column in loaded.source.columns:
                if column.type is ColumnType.INTEGER and column.type.read_sql != column.type.sql:
                    self.con.execute(
                        f"ALTER TABLE {table} ALTER {quote_ident(column.name)} "
                        f"SET DATA TYPE {column.type.sql}"
                    )

    def _finish_rejects(self) -> None:
        pending, self._pending_rejects = self._pending_rejects, []
        for loaded, line, column_idx, column_name, error_type, csv_line in pending:
            self.add(_reject(loaded, line, column_idx, column_name, error_type, csv_line))

    def _locate(
        self, loaded: LoadedSource, rowids: Sequence[int]
    ) -> dict[int, tuple[int | None, int | None]]:
        """rowid -> (line, row): a line for CSV files, a row number otherwise."""
        records = {rowid: loaded.record_of(rowid) for rowid in rowids}
        if loaded.kind == "csv" and loaded.lines is not None:
            lines = loaded.lines.lines(records.values())
            return {rowid: (lines.get(record), None) for rowid, record in records.items()}
        return {rowid: (record + 1, None) for rowid, record in records.items()}

    def _report_rows(
        self,
        loaded: LoadedSource,
        query: str,
        column: str,
        message: Callable[[tuple[Any, ...]], str],
        code: str,
    ) -> None:
        """Run ``query`` (first selected value: rowid) and report each row it returns."""
        if self.full:
            self.truncated = True
            return
        rows = self.con.execute(f"{query} ORDER BY 1 LIMIT {self.max_errors + 1}").fetchall()
        if not rows:
            return
        places = self._locate(loaded, [int(r[0]) for r in rows])
        for row in rows:
            line, _ = places[int(row[0])]
            self.add(
                Problem(
                    file=loaded.display,
                    line=line,
                    column=loaded.column_number(column),
                    path=column,
                    message=message(row),
                    code=code,
                )
            )

    def _check_values(self, loaded: LoadedSource) -> None:
        """Every value check of a source: counted in one pass over the table, then the rows
        of the checks that failed are fetched with their lines."""
        source = loaded.source
        table = quote_ident(source.name)
        checks: list[tuple[str, str, str, Callable[[tuple[Any, ...]], str], str]] = []
        for column in source.columns:
            name = quote_ident(column.name)
            if column.required:
                checks.append(
                    (
                        f"{name} IS NULL",
                        "",
                        column.name,
                        partial(_empty_message, column),
                        "empty-value",
                    )
                )
            if column.choices:
                allowed = ", ".join(_literal(choice) for choice in column.choices)
                checks.append(
                    (
                        f"{name} IS NOT NULL AND {name} NOT IN ({allowed})",
                        name,
                        column.name,
                        partial(_choice_message, column),
                        "not-allowed",
                    )
                )
            if column.type is ColumnType.INTEGER:
                checks.append(
                    (
                        f"{name} <> trunc({name})",
                        name,
                        column.name,
                        partial(_whole_message, column),
                        "wrong-type",
                    )
                )
            if column.minimum is not None or column.maximum is not None:
                bounds = []
                if column.minimum is not None:
                    bounds.append(f"{name} < {column.minimum!r}")
                if column.maximum is not None:
                    bounds.append(f"{name} > {column.maximum!r}")
                checks.append(
                    (
                        " OR ".join(bounds),
                        name,
                        column.name,
                        partial(_range_message, column),
                        "out-of-range",
                    )
                )
        for check in source.checks:
            select, message = _row_check(check)
            checks.append((check.where, select, check.column, message, check.code))
        if checks:
            counts = (
                self.con.execute(
                    "SELECT "
                    + ", ".join(f"count(*) FILTER (WHERE {where})" for where, *_ in checks)
                    + f" FROM {table}"
                ).fetchone()
                or ()
            )
            for (where, select, column_name, message, code), count in zip(
                checks, counts, strict=True
            ):
                if count:
                    self._report_rows(
                        loaded,
                        f"SELECT rowid{', ' + select if select else ''} FROM {table} WHERE {where}",
                        column_name,
                        message,
                        code,
                    )
        if source.key:
            self._check_key(loaded)

    def _has_duplicates(self, loaded: LoadedSource) -> bool:
        """Whether a source's key has a duplicate.

        A key like (evaluation_id, item_id), whose last column takes its values from a small
        source, is checked with one bit per value, grouped by the other key columns: far
        cheaper than grouping by the whole key over millions of rows. A row whose last key
        value is unknown is left to the reference check, which reports it.
        """
        source = loaded.source
        table = quote_ident(source.name)
        keys = ", ".join(quote_ident(k) for k in source.key)
        last = source.column(source.key[-1])
        target = self.loaded.get(last.references.source) if last.references else None
        clean = target is not None and target.ok and target.present and not target.rejected
        if len(source.key) > 1 and last.required and last.references and clean:
            assert last.references is not None
            ref = quote_ident(last.references.source)
            ref_column = quote_ident(last.references.column)
            (values,) = self.con.execute(
                f"SELECT count(DISTINCT {ref_column}) FROM {ref}"
            ).fetchone() or (0,)
            if int(values) <= _BITMAP_VALUES:
                rest = ", ".join(f"t.{quote_ident(k)}" for k in source.key[:-1])
                (duplicated,) = self.con.execute(
                    f"WITH ix AS (SELECT v, (row_number() OVER (ORDER BY v) - 1)::BIGINT AS n "
                    f"FROM (SELECT DISTINCT {ref_column} AS v FROM {ref})) "
                    f"SELECT count(*) FROM (SELECT count(*) AS c, "
                    "bit_or(1::UBIGINT << (ix.n % 64)::INT) AS m "
                    f"FROM {table} t JOIN ix ON ix.v = t.{quote_ident(last.name)} "
                    f"GROUP BY {rest}, ix.n // 64) WHERE bit_count(m) <> c"
                ).fetchone() or (0,)
                return bool(duplicated)
        (duplicated,) = self.con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {keys} HAVING count(*) > 1)"
        ).fetchone() or (0,)
        return bool(duplicated)

    def _check_key(self, loaded: LoadedSource) -> None:
        source = loaded.source
        table = quote_ident(source.name)
        keys = ", ".join(quote_ident(k) for k in source.key)
        if not self._has_duplicates(loaded):
            return
        rows = self.con.execute(
            f"SELECT rowid, first, {keys} FROM (SELECT rowid, {keys}, "
            f"min(rowid) OVER (PARTITION BY {keys}) AS first FROM {table}) "
            f"WHERE rowid <> first ORDER BY rowid LIMIT {self.max_errors + 1}"
        ).fetchall()
        places = self._locate(loaded, [int(r[0]) for r in rows] + [int(r[1]) for r in rows])
        label = " and ".join(source.key)
        for row in rows:
            line, _ = places[int(row[0])]
            first, _ = places[int(row[1])]
            value = ", ".join("(empty)" if v is None else repr(v) for v in row[2:])
            where = f"line {first}" if loaded.kind == "csv" else f"row {first}"
            self.add(
                Problem(
                    file=loaded.display,
                    line=line,
                    column=loaded.column_number(source.key[0]),
                    path=source.key[0],
                    message=f"duplicate {label} {value} (first at {where})",
                    code="duplicate-key",
                )
            )

    def _check_references(self, loaded: LoadedSource) -> None:
        table = quote_ident(loaded.source.name)
        for column in loaded.source.columns:
            reference = column.references
            if reference is None:
                continue
            target = self.loaded.get(reference.source)
            if target is None or not target.ok:
                continue  # its own problem is reported already
            name = quote_ident(column.name)
            # A row of the target dropped for a wrong value still defines its key.
            dropped = target.rejected_values.get(reference.column, set())
            skip = ""
            if dropped:
                skip = f"AND t.{name} NOT IN ({', '.join(_literal(v) for v in sorted(dropped))}) "
            self._report_rows(
                loaded,
                f"SELECT t.rowid, t.{name} FROM {table} t WHERE t.{name} IS NOT NULL {skip}"
                f"AND NOT EXISTS (SELECT 1 FROM {quote_ident(reference.source)} r "
                f"WHERE r.{quote_ident(reference.column)} = t.{name})",
                column.name,
                partial(_reference_message, column, target.display),
                "unknown-reference",
            )


def _empty_message(column: Column, row: tuple[Any, ...]) -> str:
    return f'column "{column.name}" is empty; expected {column.type.expected}'


def _type_message(column: Column, row: tuple[Any, ...]) -> str:
    return f'column "{column.name}": {row[1]!r} is not {column.type.expected}'


def _whole_message(column: Column, row: tuple[Any, ...]) -> str:
    return f'column "{column.name}": {_number(row[1])!r} is not {column.type.expected}'


def _choice_message(column: Column, row: tuple[Any, ...]) -> str:
    return f'column "{column.name}": {row[1]!r} is not one of ' + ", ".join(column.choices)


def _range_message(column: Column, row: tuple[Any, ...]) -> str:
    value = f'column "{column.name}": {_number(row[1])}'
    low, high = _number(column.minimum), _number(column.maximum)
    if column.maximum is None:
        return f"{value} is below {low}; expected {low} or more"
    if column.minimum is None:
        return f"{value} is above {high}; expected {high} or less"
    return f"{value} is outside {low}..{high}"


def _row_check(check: Check) -> tuple[str, Callable[[tuple[Any, ...]], str]]:
    """The columns a row check's message names, as a select list, and the function that
    writes the message from a fetched row (rowid first)."""
    names = re.findall(r"\{(\w+)\}", check.message)
    return ", ".join(quote_ident(n) for n in names), partial(_check_message, check, names)


def _check_message(check: Check, names: Sequence[str], row: tuple[Any, ...]) -> str:
    return check.message.format(**{k: _number(v) for k, v in zip(names, row[1:], strict=True)})


def _reference_message(column: Column, target: str, row: tuple[Any, ...]) -> str:
    return f'column "{column.name}": unknown {column.name} {row[1]!r}; it is not in {target}'


def _text(value: object) -> str | None:
    if value is None or value == "":  # an empty value is no value, as in a CSV file
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _number(value: object) -> str:
    """Format a number as an operator would write it: 80, not 80.0000."""
    if value is None:
        return ""
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    if number == int(number):
        return str(int(number))
    return f"{number:g}"


def _reject(
    loaded: LoadedSource,
    line: int | None,
    column_idx: int | None,
    column_name: str | None,
    error_type: str,
    csv_line: str,
) -> Problem:
    file = loaded.display
    if error_type == "CAST" and column_name:
        fields = next(csv.reader(io.StringIO(csv_line)), [])
        index = (column_idx or 0) - 1
        value = fields[index] if 0 <= index < len(fields) else ""
        try:
            expected = loaded.source.column(column_name).type.expected
        except KeyError:
            expected = "a valid value"
        return Problem(
            file=file,
            line=line,
            column=column_idx,
            path=column_name,
            message=f'column "{column_name}": {value!r} is not {expected}',
            code="wrong-type",
        )
    if error_type == "MISSING COLUMNS":
        fields = next(csv.reader(io.StringIO(csv_line)), [])
        return Problem(
            file=file,
            line=line,
            message=f"the row has {len(fields)} of {len(loaded.header)} values; is the line "
            "cut short, or a value not quoted?",
            code="missing-values",
        )
    if error_type == "TOO MANY COLUMNS":
        return Problem(
            file=file,
            line=line,
            message=f"the row has more than {len(loaded.header)} values; quote values that "
            'contain commas ("a, b")',
            code="too-many-values",
        )
    if error_type == "UNQUOTED VALUE":
        return Problem(
            file=file,
            line=line,
            message='a quote (") is not closed, or is inside a value that does not start with '
            'one; put the whole value in quotes and double the quotes inside it ("say ""hi""")',
            code="unreadable-row",
        )
    return Problem(
        file=file,
        line=line,
        message=f"cannot read this row ({error_type.lower()})",
        code="unreadable-row",
    )


def _remember_values(loaded: LoadedSource, fields: Sequence[str]) -> None:
    for name, value in zip(loaded.header, fields, strict=False):
        if value:
            loaded.rejected_values.setdefault(name, set()).add(value)


def create_empty(con: duckdb.DuckDBPyConnection, source: DataSource) -> None:
    """The source's table with its typed columns and no row: an absent optional file, or a
    warehouse table's local stand-in (which gives queries over it their types)."""
    columns = ", ".join(f"{quote_ident(c.name)} {c.type.sql}" for c in source.columns)
    con.execute(f"CREATE OR REPLACE TABLE {quote_ident(source.name)} ({columns})")


def check_source_name(name: str) -> bool:
    return bool(_NAME.match(name))
