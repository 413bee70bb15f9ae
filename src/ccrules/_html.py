"""HTML and SVG building blocks for the cycle report: escaping by construction, and charts.

Every piece of text becomes HTML through :func:`esc`, so data can never turn into markup:
an agent named ``<script>`` stays text. Only :class:`Markup` (what these functions build)
passes through unescaped. While a report is rendered, :func:`redacting` installs a function
that every data string passes through first, so no name escapes ``--redact`` either.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import attrs

_REDACT: ContextVar[Callable[[str], str] | None] = ContextVar("ccrules_redact", default=None)


class Markup(str):
    """Text that is already HTML."""

    __slots__ = ()


@contextmanager
def redacting(function: Callable[[str], str] | None) -> Iterator[None]:
    """Pass every data string through ``function`` while the block runs."""
    token = _REDACT.set(function)
    try:
        yield
    finally:
        _REDACT.reset(token)


def esc(value: object) -> Markup:
    """``value`` as HTML text (attribute-safe)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        return Markup(number(value))
    else:
        text = str(value)
        redact = _REDACT.get()
        if redact is not None:
            text = redact(text)
    return Markup(html.escape(text, quote=True))


def number(value: float | int | None, digits: int = 2) -> str:
    """A number as short, stable text: integers without a point, others rounded."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(share: float | None, digits: int = 1) -> str:
    if share is None or not math.isfinite(share):
        return "–"
    return f"{share * 100:.{digits}f}%"


def _flatten(children: Iterable[object]) -> Iterator[Markup]:
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (str, int, float)):
            yield esc(child)
        elif isinstance(child, Iterable):
            yield from _flatten(child)
        else:
            yield esc(child)


def join(*children: object) -> Markup:
    return Markup("".join(_flatten(children)))


_VOID = frozenset({"meta", "br", "hr", "img", "link", "input", "col"})


def el(tag: str, attributes: dict[str, object] | None = None, *children: object) -> Markup:
    """``<tag attributes>children</tag>``; attribute values and text children are escaped.
    An attribute that is ``None`` or ``False`` is left out; ``True`` is written bare."""
    parts = [tag]
    for name, value in (attributes or {}).items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(name)
        else:
            parts.append(f'{name}="{esc(value)}"')
    opening = "<" + " ".join(parts) + ">"
    if tag in _VOID:
        return Markup(opening)
    return Markup(opening + join(*children) + f"</{tag}>")


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Sequence[bool] | None = None,
    limit: int | None = None,
    more: Callable[[int], str] | None = None,
    caption: str | None = None,
) -> Markup:
    """A table of cells; numbers right-aligned. With ``limit``, the rows past it are counted
    in a last line (``more(count)``)."""
    body: list[Markup] = []
    hidden = 0
    for index, row in enumerate(rows):
        if limit is not None and index >= limit:
            hidden += 1
            continue
        cells = []
        for column, cell in enumerate(row):
            is_number = numeric[column] if numeric is not None else isinstance(cell, (int, float))
            if is_number:
                kind: str | None = "num"
            else:
                kind = "text" if display_cells(_visible(cell)) > LONG_CELL else None
            cells.append(el("td", {"class": kind}, cell))
        body.append(el("tr", None, cells))
    if hidden and more is not None:
        body.append(el("tr", {"class": "more"}, el("td", {"colspan": len(headers)}, more(hidden))))
    head = el("thead", None, el("tr", None, [el("th", {"scope": "col"}, h) for h in headers]))
    return el(
        "table",
        None,
        el("caption", None, caption) if caption else None,
        head,
        el("tbody", None, body),
    )


#: A table cell longer than this (in display cells, a CJK character counting two) is running
#: text, wrapped like a paragraph; shorter ones (names, labels) keep their words whole.
LONG_CELL = 32

_TAG = re.compile(r"<[^>]*>")


def _visible(cell: object) -> str:
    """The text a cell shows (markup stripped)."""
    if isinstance(cell, Markup):
        return html.unescape(_TAG.sub("", cell))
    return "" if cell is None else str(cell)


def _wide(char: str) -> bool:
    """A character drawn a full em wide: CJK ideographs, kana, hangul, full-width forms."""
    return ord(char) > 0x2E7F


def display_cells(text: str) -> int:
    """Width of ``text`` in terminal-style cells: a CJK character counts two."""
    return sum(2 if _wide(char) else 1 for char in text)


def scrolling(*children: object) -> Markup:
    """``children`` (a chart, a table) at their own size, in a box that scrolls sideways
    on a narrow screen: a chart scaled down to a phone's width has text too small to read,
    and a table squeezed into it breaks Chinese names one character per line."""
    return el("div", {"class": "scroll"}, *children)


def legend(items: Sequence[tuple[str, str, str]]) -> Markup:
    """A chart's key: ``(key, swatch, text)`` per item. ``key`` is the CSS class the chart
    draws with (written as ``data-key`` and as the swatch's class, which gives its colour);
    ``swatch`` is ``box``, ``line``, ``dashed`` or ``dot``, a colour ``#rrggbb`` (a step of
    a colour scale), or ``none`` (a caption before the items)."""
    spans = []
    for key, swatch, text in items:
        if swatch.startswith("#"):
            mark = el("i", {"class": "box", "style": f"background: {swatch}"})
        else:
            mark = el("i", {"class": f"{swatch} {key}"})
        spans.append(el("span", {"data-key": key}, mark, text))
    return el("div", {"class": "legend"}, spans)


# --- charts -------------------------------------------------------------------------------

FONT = 12


def _svg(width: float, height: float, label: str, *children: object) -> Markup:
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "role": "img",
            "aria-label": label,
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "width": number(width),
            "height": number(height),
            "class": "chart",
        },
        el("title", None, label),
        *children,
    )


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is drawn at ``size`` px, erring wide: a CJK character is an
    em; Latin letters and digits are measured for DejaVu Sans, the widest sans-serif a
    reader's system falls back to."""
    width = 0.0
    for char in text:
        if _wide(char):
            width += 1.0
        elif char == " ":
            width += 0.33
        elif char.isupper() or char.isdigit() or char in "mwMW@%":
            width += 0.78
        else:
            width += 0.62
    return width * size


def _cut(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` px at ``size``."""
    if text_width(text, size) <= width:
        return text
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip() + "…"
        if text_width(cut, size) <= width:
            return cut
    return "…" if width >= size else ""


def _redacted(text: str) -> str:
    """``text`` as the page shows it: a name replaced by its pseudonym before the text is
    cut, or the cut could leave part of it unreplaced."""
    redact = _REDACT.get()
    return redact(text) if redact is not None else text


def _lines(text: str, width: float, size: float, most: int) -> list[str]:
    """``text`` broken into at most ``most`` lines that fit ``width`` px at ``size``: at a
    space inside Latin text, else between any two characters (Chinese has no spaces); the
    last line cut with an ellipsis when the text does not fit."""
    lines: list[str] = []
    rest = _redacted(text).strip()
    while rest and len(lines) < most:
        if len(lines) == most - 1 or text_width(rest, size) <= width:
            lines.append(_cut(rest, width, size))
            break
        end = 1
        while end < len(rest) and text_width(rest[: end + 1], size) <= width:
            end += 1
        inside_word = not (rest[end].isspace() or _wide(rest[end]) or _wide(rest[end - 1]))
        space = rest.rfind(" ", 0, end)
        if inside_word and space > 0:
            end = space
        lines.append(rest[:end].rstrip())
        rest = rest[end:].lstrip()
    lines = [line for line in lines if line]
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2 and _wide(lines[-2][-1]):
        # no lone character on the last line (一对一辅 / 导): it takes one from above
        lines[-2:] = [lines[-2][:-1], lines[-2][-1] + lines[-1]]
    return lines


def _text(
    x: float,
    y: float,
    text: object,
    *,
    anchor: str = "start",
    cls: str | None = None,
    **more: object,
) -> Markup:
    attributes: dict[str, object] = {
        "x": number(x, 1),
        "y": number(y, 1),
        "text-anchor": anchor,
        "class": cls,
    }
    attributes.update({k.replace("_", "-"): v for k, v in more.items()})
    return el("text", attributes, text)


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> Markup:
    return el(
        "line",
        {
            "x1": number(x1, 1),
            "x2": number(x2, 1),
            "y1": number(y1, 1),
            "y2": number(y2, 1),
            "class": cls,
        },
    )


@attrs.frozen
class Bar:
    """One bar: its label, value, the text shown at its end, its tooltip and CSS class."""

    label: str
    value: float
    shown: str
    tip: str
    cls: str = "bar"


def bar_chart(
    label: str, bars: Sequence[Bar], *, width: int = 760, marker: float | None = None
) -> Markup:
    """Horizontal bars, longest scale at the largest value; ``marker`` draws a dashed line
    at that value (a target)."""
    label_width, value_width, row = 230, 170, 22
    top = 6
    height = top + row * len(bars) + 8
    top_value = max([b.value for b in bars] + [marker or 0.0, 0.0])
    scale = (width - label_width - value_width) / top_value if top_value > 0 else 0.0
    parts: list[Markup] = []
    for index, bar in enumerate(bars):
        y = top + index * row
        length = max(bar.value * scale, 0.0)
        parts.append(
            el(
                "g",
                {"class": "row"},
                el("title", None, bar.tip),
                _text(
                    label_width - 6,
                    y + 15,
                    _cut(_redacted(bar.label), label_width - 10, FONT),
                    anchor="end",
                ),
                el(
                    "rect",
                    {
                        "x": label_width,
                        "y": y + 3,
                        "width": number(max(length, 1.0), 1),
                        "height": row - 6,
                        "class": bar.cls,
                    },
                ),
                _text(label_width + length + 4, y + 15, bar.shown, cls="value"),
            )
        )
    if marker is not None and scale:
        x = label_width + marker * scale
        parts.append(_line(x, 0, x, height, "target"))
    return _svg(width, height, label, parts)


def heat_colour(share: float) -> str:
    """White (0) through orange to deep red (1)."""
    share = min(max(share, 0.0), 1.0)
    stops = ((0.0, (255, 247, 236)), (0.5, (252, 141, 89)), (1.0, (179, 0, 0)))
    for (a, ca), (b, cb) in itertools.pairwise(stops):
        if share <= b:
            t = (share - a) / (b - a)
            rgb = tuple(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#b30000"


@attrs.frozen
class Cell:
    share: float
    shown: str
    tip: str


#: The slant of a heatmap's column labels, in degrees above the horizontal.
SLANT = 40
#: Row labels of a heatmap are cut to at most this width (px); column labels never are.
ROW_LABEL_MOST = 260


def heatmap(
    label: str, rows: Sequence[str], columns: Sequence[str], cells: dict[tuple[int, int], Cell]
) -> Markup:
    """A grid of rows × columns, each cell coloured by its share (0 to 1). Column labels are
    slanted and shown whole: the chart grows above and to the right to hold the longest."""
    cell_w, cell_h = 58, 28
    shown_rows = [_redacted(name) for name in rows]
    shown_columns = [_redacted(name) for name in columns]
    row_width = max((text_width(n) for n in shown_rows), default=0.0)
    left = round(min(max(row_width, 48.0), ROW_LABEL_MOST)) + 12
    cos, sin = math.cos(math.radians(SLANT)), math.sin(math.radians(SLANT))
    # a slanted label of length w, anchored at its start, reaches w·cos right and w·sin up,
    # plus its own height (an em) turned by the slant
    reach = [text_width(n) for n in shown_columns]
    top = math.ceil(max((w * sin + FONT * cos for w in reach), default=0.0)) + 14
    right = max(
        (left + j * cell_w + cell_w / 2 + w * cos + FONT * sin for j, w in enumerate(reach)),
        default=0.0,
    )
    width = math.ceil(max(left + cell_w * len(columns) + 20, right + 8))
    height = top + cell_h * len(rows) + 10
    parts: list[Markup] = []
    for j, name in enumerate(shown_columns):
        x = left + j * cell_w + cell_w / 2
        parts.append(
            _text(
                x,
                top - 8,
                name,
                cls="column",
                transform=f"rotate(-{SLANT} {number(x, 1)} {top - 8})",
            )
        )
    for i, name in enumerate(shown_rows):
        y = top + i * cell_h
        parts.append(
            _text(
                left - 6,
                y + cell_h / 2 + 4,
                _cut(name, left - 12, FONT),
                anchor="end",
                cls="row",
            )
        )
        for j in range(len(columns)):
            cell = cells.get((i, j))
            x = left + j * cell_w
            if cell is None:
                parts.append(
                    el(
                        "rect",
                        {"x": x, "y": y, "width": cell_w - 2, "height": cell_h - 2, "class": "nil"},
                    )
                )
                continue
            dark = cell.share > 0.6
            parts.append(
                el(
                    "g",
                    None,
                    el("title", None, cell.tip),
                    el(
                        "rect",
                        {
                            "x": x,
                            "y": y,
                            "width": cell_w - 2,
                            "height": cell_h - 2,
                            "fill": heat_colour(cell.share),
                            "class": "heat",
                        },
                    ),
                    _text(
                        x + (cell_w - 2) / 2,
                        y + cell_h / 2 + 3,
                        cell.shown,
                        anchor="middle",
                        cls="on-dark" if dark else "cell",
                    ),
                )
            )
    return _svg(width, height, label, parts)


#: The shares a heatmap's key shows a colour for.
HEAT_STEPS = (0.0, 0.25, 0.5, 0.75, 1.0)


@attrs.frozen
class Part:
    label: str
    share: float
    tip: str
    cls: str


def share_bar(
    label: str, parts: Sequence[Part], marks: Sequence[tuple[float, str]], *, width: int = 720
) -> Markup:
    """One 100% bar split into parts, with labelled marks (targets, benchmarks) above it."""
    left, bar_w, top, bar_h = 10, width - 20, 40, 34
    height = top + bar_h + 30
    pieces: list[Markup] = []
    merged: dict[float, list[str]] = {}
    for share, text in marks:  # marks at the same place share one label
        merged.setdefault(round(share, 4), []).append(text)
    x = float(left)
    for part in parts:
        w = bar_w * max(part.share, 0.0)
        pieces.append(
            el(
                "g",
                None,
                el("title", None, part.tip),
                el(
                    "rect",
                    {
                        "x": number(x, 1),
                        "y": top,
                        "width": number(w, 1),
                        "height": bar_h,
                        "class": part.cls,
                    },
                ),
                _text(x + 6, top + 22, f"{part.label} {percent(part.share)}", cls="on-dark")
                if w > 120
                else None,
            )
        )
        x += w
    for index, (share, texts) in enumerate(sorted(merged.items())):
        text = " · ".join(texts)
        mx = left + bar_w * share
        y = 14 + (index % 2) * 14
        pieces.append(
            el(
                "g",
                None,
                el("title", None, text),
                _line(mx, y + 3, mx, top + bar_h + 4, "target"),
                _text(
                    mx,
                    y,
                    text,
                    anchor="middle" if 0.1 < share < 0.9 else ("start" if share <= 0.1 else "end"),
                    cls="mark",
                ),
            )
        )
    return _svg(width, height, label, pieces)


@attrs.frozen
class Series:
    name: str
    values: tuple[float | None, ...]
    cls: str


def line_chart(
    label: str,
    series: Sequence[Series],
    *,
    floor: float | None,
    ticks: Sequence[tuple[int, str]],
    marks: Sequence[tuple[int, float, str]] = (),
    width: int = 960,
    low: float = 0.0,
) -> Markup:
    """Lines over equally spaced points (shares, 0 to 1 scaled from ``low``), with a dashed
    floor, vertical ticks (``(index, label)``), and marked points with tooltips."""
    left, right, top, bottom = 44, 10, 10, 28
    height = 200
    count = max((len(s.values) for s in series), default=0)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = 1.0 - low

    def px(index: int) -> float:
        return left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def py(value: float) -> float:
        return top + plot_h * (1 - (min(max(value, low), 1.0) - low) / span)

    parts: list[Markup] = []
    for fraction in (0.0, 0.5, 1.0):
        value = low + span * fraction
        y = py(value)
        parts.append(_line(left, y, width - right, y, "grid"))
        parts.append(_text(left - 4, y + 4, percent(value, 0), anchor="end", cls="axis"))
    for index, text in ticks:
        x = px(index)
        parts.append(_line(x, top, x, top + plot_h, "grid"))
        parts.append(_text(x + 3, height - 10, text, cls="axis"))
    if floor is not None:
        y = py(floor)
        parts.append(_line(left, y, width - right, y, "floor"))
    for one in series:
        segments: list[list[str]] = [[]]
        for index, point in enumerate(one.values):
            if point is None:
                segments.append([])
                continue
            segments[-1].append(f"{number(px(index), 1)},{number(py(point), 1)}")
        for points in segments:
            if points:
                parts.append(
                    el(
                        "polyline",
                        {"points": " ".join(points), "class": one.cls},
                        el("title", None, one.name),
                    )
                )
    for index, value, tip in marks:
        parts.append(
            el(
                "circle",
                {"cx": number(px(index), 1), "cy": number(py(value), 1), "r": 3, "class": "mark"},
                el("title", None, tip),
            )
        )
    return _svg(width, height, label, parts)


@attrs.frozen
class Block:
    """A session on the calendar: its day column, start and end in minutes of the day."""

    day: int
    start: int
    end: int
    text: str
    tip: str
    cls: str


#: Calendar geometry: an hour's height; the least height of a session's block, so that a
#: ten-minute session still holds a line of its name; the least width of a block, so
#: that a name shows several characters on a busy day (the day's column widens for it).
HOUR_PX = 48
BLOCK_MIN_PX = 17
LANE_MIN_PX = 76
#: Size and line height of the names written on calendar blocks.
BLOCK_FONT = 11
BLOCK_LINE = 13


def calendar(
    label: str, days: Sequence[str], blocks: Sequence[Block], *, width: int = 960
) -> Markup:
    """Day columns × hours, sessions as blocks with their names written on them (as many
    lines as the block holds, the whole text in its tooltip); overlapping sessions share a
    column side by side, and a day with many side by side gets a wider column."""
    left, top = 44, 24
    shortest = math.ceil(BLOCK_MIN_PX / HOUR_PX * 60)  # minutes a block is drawn at least

    def drawn_end(block: Block) -> int:
        return max(block.end, block.start + shortest)

    first = min((b.start for b in blocks), default=9 * 60) // 60
    last = -(-max((drawn_end(b) for b in blocks), default=18 * 60) // 60)
    last = max(last, first + 1)
    height = top + (last - first) * HOUR_PX + 8
    placed: list[list[tuple[Block, int]]] = []
    lanes_of: list[int] = []
    for index in range(len(days)):
        todays = sorted(
            (b for b in blocks if b.day == index), key=lambda b: (b.start, b.end, b.text)
        )
        lanes: list[int] = []  # drawn end minute of each lane's last block
        day: list[tuple[Block, int]] = []
        for block in todays:
            for lane, end in enumerate(lanes):
                if end <= block.start:
                    lanes[lane] = drawn_end(block)
                    day.append((block, lane))
                    break
            else:
                lanes.append(drawn_end(block))
                day.append((block, len(lanes) - 1))
        placed.append(day)
        lanes_of.append(max(len(lanes), 1))
    even = (width - left - 4) / max(len(days), 1)
    widths = [max(even, lanes * LANE_MIN_PX) for lanes in lanes_of]
    width = math.ceil(left + sum(widths) + 4)
    parts: list[Markup] = []
    for hour in range(first, last + 1):
        y = top + (hour - first) * HOUR_PX
        parts.append(_line(left, y, width - 4, y, "grid"))
        parts.append(_text(left - 4, y + 4, f"{hour:02d}:00", anchor="end", cls="axis"))
    x = float(left)
    for index, day_name in enumerate(days):
        col_w = widths[index]
        parts.append(_text(x + col_w / 2, 14, day_name, anchor="middle", cls="axis"))
        parts.append(_line(x, top, x, height - 8, "grid"))
        lane_w = col_w / lanes_of[index]
        for block, lane in placed[index]:
            bx = x + lane * lane_w + 1
            by = top + (block.start / 60 - first) * HOUR_PX
            bh = (drawn_end(block) - block.start) / 60 * HOUR_PX
            bw = max(lane_w - 2, 1.0)
            most = max(int((bh - 4) // BLOCK_LINE), 1)
            lines = _lines(block.text, bw - 6, BLOCK_FONT, most)
            parts.append(
                el(
                    "g",
                    {"class": "session"},
                    el("title", None, block.tip),
                    el(
                        "rect",
                        {
                            "x": number(bx, 1),
                            "y": number(by, 1),
                            "width": number(bw, 1),
                            "height": number(bh, 1),
                            "rx": 2,
                            "class": block.cls,
                        },
                    ),
                    _text(
                        bx + 3,
                        by + BLOCK_LINE - 1,
                        [
                            el(
                                "tspan",
                                {"x": number(bx + 3, 1), "dy": BLOCK_LINE if n else None},
                                line,
                            )
                            for n, line in enumerate(lines)
                        ],
                        cls="on-dark label",
                    ),
                )
            )
        x += col_w
    return _svg(width, height, label, parts)
