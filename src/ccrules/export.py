"""Schedules people use: a plan's sessions per team, trainer or agent, as a workbook (xlsx),
CSV files or iCalendar files (ics).

Times in a plan are the center's wall-clock time (``[center] timezone``): the workbook and
the CSV files show them as they are; a calendar's events carry the zone (``TZID`` with its
``VTIMEZONE``), so Outlook, WPS, DingTalk and Feishu put them at the right hour wherever the
reader is. Output is deterministic: the same plan gives byte-identical files (the workbook's
and the calendar's time stamps come from the plan's approval, or the cycle's first day).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import tomllib
import zipfile
import zoneinfo
from collections.abc import Mapping, Sequence
from importlib import resources

import attrs

from ccrules._center import Center
from ccrules.model import Plan, Session

__all__ = [
    "BYS",
    "FORMATS",
    "LABELS",
    "ExportSource",
    "Group",
    "default_lang",
    "export_files",
    "file_name",
    "groups",
    "local_time",
    "sheet_names",
]

FORMATS = ("xlsx", "csv", "ics")
BYS = ("team", "trainer", "agent")
LANGS = ("en", "zh")
#: the columns of a schedule, in order
COLUMNS = (
    "date",
    "weekday",
    "start",
    "end",
    "minutes",
    "course",
    "format",
    "trainer",
    "attendees",
    "count",
    "teams",
    "session",
)


def _labels() -> Mapping[str, Mapping[str, object]]:
    text = resources.files("ccrules").joinpath("export_labels.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


#: Label texts by language, from ``export_labels.toml`` beside this module.
LABELS = _labels()


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when ``CCRULES_LANG`` (else ``LANG``) names Chinese (``zh``, ``zh_CN.UTF-8``),
    else ``en``."""
    env = os.environ if environ is None else environ
    value = env.get("CCRULES_LANG") or env.get("LANG") or ""
    return "zh" if value.strip().lower().startswith("zh") else "en"


def local_time(stamp: str | None, zone: zoneinfo.ZoneInfo) -> str:
    """A stored UTC time (``2026-11-27T02:00:00+00:00``) as the center's wall-clock time
    with its offset: ``2026-11-27 10:00 +08:00``; ``?`` when there is none."""
    if not stamp:
        return "?"
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


@attrs.frozen
class ExportSource:
    """Which plan is exported: the cycle's approved revision, or a draft made now."""

    approved: bool = False
    revision: int | None = None
    approved_by: str | None = None
    approved_at: str | None = None


@attrs.frozen
class Group:
    """One team, trainer or agent, and the placed sessions that are theirs, by start.

    :param lead: for a team, its lead as ``name (id)``; empty otherwise.
    """

    id: str
    name: str
    sessions: tuple[Session, ...]
    lead: str = ""

    @property
    def title(self) -> str:
        return f"{self.name} ({self.id})" if self.name and self.name != self.id else self.id


def _placed(plan: Plan) -> list[Session]:
    return sorted(
        (s for s in plan.sessions if s.start is not None and s.end is not None),
        key=lambda s: (s.start, s.end, s.id),
    )


def _trainer_names(plan: Plan, center: Center) -> dict[str, str]:
    names = {t.id: t.name for t in center.trainers.values()}
    names.update({t.id: t.name for t in plan.trainers})  # the plan's own, as it was made
    return names


def groups(plan: Plan, center: Center, by: str) -> list[Group]:
    """The plan's placed sessions per team (every team of the center, also one without
    sessions, so its lead sees that), per trainer or per agent (those with sessions), sorted
    by id."""
    placed = _placed(plan)
    if by == "team":
        found: dict[str, list[Session]] = {}
        for session in placed:
            teams = {session.team_id} if session.team_id else set()
            teams |= {center.agents[a].team_id for a in session.attendees if a in center.agents}
            for team in teams:
                if team is not None:
                    found.setdefault(team, []).append(session)
        result = []
        for team_id in sorted(set(center.teams) | set(found)):
            known = center.teams.get(team_id)
            lead = ""
            if known is not None and known.lead_id:
                agent = center.agents.get(known.lead_id)
                lead = f"{agent.name} ({agent.id})" if agent is not None else known.lead_id
            result.append(
                Group(
                    id=team_id,
                    name=known.name if known is not None else team_id,
                    sessions=tuple(found.get(team_id, ())),
                    lead=lead,
                )
            )
        return result
    if by == "trainer":
        names = _trainer_names(plan, center)
        taught: dict[str, list[Session]] = {}
        for session in placed:
            if session.trainer_id is not None:
                taught.setdefault(session.trainer_id, []).append(session)
        return [
            Group(id=t, name=names.get(t, t), sessions=tuple(taught[t])) for t in sorted(taught)
        ]
    if by == "agent":
        attended: dict[str, list[Session]] = {}
        for session in placed:
            for agent_id in session.attendees:
                attended.setdefault(agent_id, []).append(session)
        return [
            Group(
                id=a,
                name=center.agents[a].name if a in center.agents else a,
                sessions=tuple(attended[a]),
            )
            for a in sorted(attended)
        ]
    raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(BYS)}")


@attrs.frozen
class _Context:
    plan: Plan
    center: Center
    lang: str
    zone: zoneinfo.ZoneInfo
    timezone: str
    source: ExportSource
    trainers: Mapping[str, str]

    def t(self, key: str) -> str:
        value = LABELS[self.lang][key]
        assert isinstance(value, str)
        return value

    def format_name(self, session: Session) -> str:
        formats = LABELS[self.lang]["formats"]
        assert isinstance(formats, dict)
        return str(formats.get(session.format.value, session.format.value))

    def person(self, agent_id: str) -> str:
        agent = self.center.agents.get(agent_id)
        return f"{agent.name} ({agent_id})" if agent is not None else agent_id

    def trainer(self, session: Session) -> str:
        if session.trainer_id is None:
            return self.t("self_paced") if session.format.value == "micro-video" else ""
        name = self.trainers.get(session.trainer_id)
        return f"{name} ({session.trainer_id})" if name else session.trainer_id

    def course(self, session: Session) -> str:
        course = self.center.courses.get(session.course_id)
        return course.title if course is not None else session.course_id

    def teams(self, session: Session) -> str:
        ids = {session.team_id} if session.team_id else set()
        ids |= {self.center.agents[a].team_id for a in session.attendees if a in self.center.agents}
        shown = []
        for team_id in sorted(i for i in ids if i is not None):
            team = self.center.teams.get(team_id)
            shown.append(f"{team.name} ({team_id})" if team is not None else team_id)
        return "; ".join(shown)

    def row(self, session: Session) -> dict[str, object]:
        assert session.start is not None and session.end is not None
        weekdays = self.t("weekdays").split(",")
        return {
            "date": session.start.date(),
            "weekday": weekdays[session.start.weekday()],
            "start": session.start.time(),
            "end": session.end.time(),
            "minutes": int((session.end - session.start).total_seconds() // 60),
            "course": self.course(session),
            "format": self.format_name(session),
            "trainer": self.trainer(session),
            "attendees": "; ".join(self.person(a) for a in session.attendees),
            "count": len(session.attendees),
            "teams": self.teams(session),
            "session": session.id,
        }

    def source_text(self) -> str:
        if self.source.approved:
            return self.t("approved").format(
                revision=self.source.revision,
                by=self.source.approved_by or "?",
                at=local_time(self.source.approved_at, self.zone),
            )
        return self.t("draft")

    def stamp(self) -> dt.datetime:
        """The time stamp every file carries: the approval time, else the cycle's first day
        at midnight in the center's zone; as UTC, to the second."""
        if self.source.approved and self.source.approved_at:
            try:
                moment = dt.datetime.fromisoformat(self.source.approved_at)
            except ValueError:
                moment = None
            if moment is not None:
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=dt.UTC)
                return moment.astimezone(dt.UTC).replace(microsecond=0)
        start = dt.datetime.combine(self.plan.cycle.start, dt.time(), tzinfo=self.zone)
        return start.astimezone(dt.UTC)


# --------------------------------------------------------------------------------------------
# Names that work as file and sheet names

_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
#: longest file name stem kept (Windows allows 255 UTF-16 units per name; leave room)
_MOST_STEM = 80
_MOST_SHEET = 31


def file_name(title: str, taken: set[str], suffix: str) -> str:
    """``title`` as a file name Windows, macOS and Linux accept, Chinese kept: characters
    Windows forbids become ``_``, no trailing dot or space, no reserved device name (CON,
    NUL ...), at most 80 characters; unique among ``taken`` without regard to case (which
    Windows ignores), with `` (2)``, `` (3)`` ... when needed. Adds the result to ``taken``."""
    stem = _WINDOWS_BAD.sub("_", title).strip().rstrip(". ")[:_MOST_STEM].rstrip(". ")
    if not stem or stem.split(".")[0].lower() in _RESERVED:
        stem = f"_{stem}"
    name, number = f"{stem}{suffix}", 1
    while name.casefold() in taken:
        number += 1
        name = f"{stem} ({number}){suffix}"
    taken.add(name.casefold())
    return name


def sheet_names(titles: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel sheet names for ``titles``, in order: ``[]:*?/\\`` become ``_``, at most 31
    characters (a trailing ``(id)`` kept when it fits), no leading or trailing apostrophe,
    unique without regard to case (as Excel compares them), none equal to ``reserved``."""
    taken = {r.casefold() for r in reserved}
    names = []
    for title in titles:
        clean = _SHEET_BAD.sub("_", title).strip().strip("'") or "_"
        base = _shorten(clean, _MOST_SHEET)
        name, number = base, 1
        while name.casefold() in taken or name.casefold() == "history":
            number += 1
            tail = f" ~{number}"
            name = _shorten(clean, _MOST_SHEET - len(tail)) + tail
        taken.add(name.casefold())
        names.append(name)
    return names


def _shorten(text: str, most: int) -> str:
    if len(text) <= most:
        return text
    match = re.search(r" \([^()]*\)$", text)
    if match and len(match.group()) < most - 1:
        return text[: most - len(match.group())].rstrip() + match.group()
    return text[:most].rstrip()


# --------------------------------------------------------------------------------------------
# Writers


def _cell_text(value: object) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    """A spreadsheet opening the CSV runs a cell that starts with ``=``, ``+``, ``-`` or
    ``@`` as a formula: such a cell is kept as text by a leading apostrophe."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_csv(context: _Context, group: Group) -> bytes:
    """One group's sessions as CSV: UTF-8 with a byte-order mark (so Excel on Chinese
    Windows reads it as UTF-8), CRLF line ends, a header row in the chosen language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([context.t(c) for c in COLUMNS])
    for session in group.sessions:
        row = context.row(session)
        writer.writerow([_csv_safe(_cell_text(row[c])) for c in COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _uid(context: _Context, session: Session) -> str:
    """The same session of the same center and cycle has the same UID in every file and
    every export, so a calendar updates the event instead of adding a second one."""
    center = hashlib.sha256(context.center.info.name.encode("utf-8")).hexdigest()[:12]
    return f"{context.plan.cycle.id}.{session.id}.{center}@ccrules"


def write_ics(context: _Context, group: Group) -> bytes:
    """One group's sessions as an iCalendar file (RFC 5545): events in the center's time
    zone with its VTIMEZONE, METHOD:PUBLISH (what Outlook imports as appointments), a stable
    UID per session and SEQUENCE from the plan's revision."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//ccrules//schedule export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{context.t('calendar')} {context.plan.cycle.id}: {group.title}"
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", context.timezone)
    stamp = context.stamp()
    labels = {key: context.t(key) for key in COLUMNS}
    for session in group.sessions:
        assert session.start is not None and session.end is not None
        row = context.row(session)
        event = icalendar.Event()
        event.add("uid", _uid(context, session))
        event.add("dtstamp", stamp)
        event.add("sequence", (context.source.revision or 0) if context.source.approved else 0)
        event.add("dtstart", session.start.replace(tzinfo=context.zone))
        event.add("dtend", session.end.replace(tzinfo=context.zone))
        event.add("summary", f"{row['course']} · {row['format']}")
        lines = [
            f"{labels[key]}: {_cell_text(row[key])}"
            for key in ("course", "format", "trainer", "attendees", "count", "teams", "session")
            if row[key] != ""
        ]
        event.add("description", "\n".join(lines))
        event.add("categories", [str(row["format"])])
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    if context.timezone != "UTC":
        first = min((s.start.date() for s in group.sessions if s.start), default=None)
        day = first or context.plan.cycle.start
        calendar.add_missing_timezones(
            first_date=dt.date(day.year - 1, 1, 1), last_date=dt.date(day.year + 2, 1, 1)
        )
    data: bytes = calendar.to_ical()
    return data


def _width(text: str) -> int:
    """Columns a text takes on screen: a Chinese character takes two."""
    return sum(2 if ord(c) >= 0x1100 else 1 for c in text)


def write_xlsx(context: _Context, found: Sequence[Group], by: str) -> bytes:
    """One workbook: an overview sheet, then one sheet per group with its sessions. Dates
    and times are real date and time cells; text cells are text (a name starting with ``=``
    stays a name, never a formula). The workbook's creation and modification times are the
    export's time stamp and every part of the file has a fixed date, so the same plan gives
    the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview_title = context.t("overview")
    overview.title = overview_title
    bold = Font(bold=True)
    cycle = context.plan.cycle
    unplaced = sum(1 for s in context.plan.sessions if s.start is None or s.end is None)
    meta = [
        (context.t("center"), context.center.info.name),
        (context.t("cycle"), cycle.id),
        (context.t("dates"), f"{cycle.start.isoformat()} - {cycle.end.isoformat()}"),
        (context.t("timezone"), context.timezone),
        (context.t("plan"), context.source_text()),
        (context.t("unplaced"), unplaced),
    ]
    for label, value in meta:
        _append(overview, [label, value])
        overview.cell(overview.max_row, 1).font = bold
    overview.append([])
    names = sheet_names([g.title for g in found], reserved=[overview_title])
    head = [context.t(f"group_{by}")]
    if by == "team":
        head.append(context.t("lead"))
    head += [context.t(k) for k in ("sessions", "hours", "first_day", "last_day")]
    _append(overview, head)
    for cell in overview[overview.max_row]:
        cell.font = bold
    for group, sheet_name in zip(found, names, strict=True):
        minutes = sum(
            int((s.end - s.start).total_seconds() // 60)
            for s in group.sessions
            if s.start is not None and s.end is not None
        )
        days = [s.start.date() for s in group.sessions if s.start is not None]
        line: list[object] = [group.title]
        if by == "team":
            line.append(group.lead)
        line += [len(group.sessions), round(minutes / 60, 2)]
        line += [min(days) if days else None, max(days) if days else None]
        _append(overview, line)
        cell = overview.cell(overview.max_row, 1)
        cell.hyperlink = f"#'{sheet_name.replace(chr(39), chr(39) * 2)}'!A1"
    _format_sheet(overview)

    for group, sheet_name in zip(found, names, strict=True):
        sheet = workbook.create_sheet(sheet_name)
        _append(sheet, [context.t(c) for c in COLUMNS])
        for cell in sheet[1]:
            cell.font = bold
        for session in group.sessions:
            row = context.row(session)
            _append(sheet, [row[c] for c in COLUMNS])
        sheet.freeze_panes = "A2"
        _format_sheet(sheet)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(vertical="top", wrap_text=False)

    stamp = context.stamp().replace(tzinfo=None)
    workbook.properties.creator = "ccrules"
    workbook.properties.title = f"{context.center.info.name} {cycle.id}"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the file with the current time
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return _fixed_zip(buffer.getvalue(), stamp)


def _append(sheet: object, values: Sequence[object]) -> None:
    """Append a row whose text cells stay text: openpyxl reads a string starting with ``=``
    as a formula."""
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _format_sheet(sheet: object) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
                text = "2026-01-01"
            elif isinstance(value, dt.time):
                cell.number_format = "hh:mm"
                text = "00:00"
            else:
                text = "" if value is None else str(value)
            column = cell.column
            assert isinstance(column, int)
            widths[column] = max(widths.get(column, 0), min(_width(text), 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width + 2


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The zip ``data`` again, its members in the same order with the same content, each
    dated ``stamp`` (zip dates start in 1980) instead of the time it was written."""
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


def export_files(
    plan: Plan,
    center: Center,
    *,
    by: str,
    fmt: str,
    lang: str,
    timezone: str,
    source: ExportSource,
) -> dict[str, bytes]:
    """The files of an export, by path relative to the output folder: ``schedule-by-<by>.
    xlsx`` for a workbook, ``<by>-<format>/<name (id)>.<format>`` per group for CSV and
    ics; deterministic."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    context = _Context(
        plan=plan,
        center=center,
        lang=lang,
        zone=zoneinfo.ZoneInfo(timezone),
        timezone=timezone,
        source=source,
        trainers=_trainer_names(plan, center),
    )
    found = groups(plan, center, by)
    if fmt == "xlsx":
        return {f"schedule-by-{by}.xlsx": write_xlsx(context, found, by)}
    taken: set[str] = set()
    files = {}
    for group in found:
        name = file_name(group.title, taken, f".{fmt}")
        data = write_csv(context, group) if fmt == "csv" else write_ics(context, group)
        files[f"{by}-{fmt}/{name}"] = data
    return files
