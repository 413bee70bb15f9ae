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
            cells.append(el("td", {"class": "num" if is_number else None}, cell))
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


def _clip(text: str, size: int) -> str:
    """At most ``size`` display cells (a CJK character counts two); a name is replaced by
    its pseudonym before it is cut, or the cut would leave part of it unreplaced."""
    redact = _REDACT.get()
    if redact is not None:
        text = redact(text)
    cells = 0
    for index, char in enumerate(text):
        cells += 2 if ord(char) > 0x2E7F else 1
        if cells > size:
            return text[:index] + "…"
    return text


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
                _text(label_width - 6, y + 15, _clip(bar.label, 34), anchor="end"),
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


def heatmap(
    label: str, rows: Sequence[str], columns: Sequence[str], cells: dict[tuple[int, int], Cell]
) -> Markup:
    """A grid of rows × columns, each cell coloured by its share (0 to 1)."""
    left, cell_w, cell_h = 200, 58, 28
    top = 130  # room for the slanted column labels
    width = left + cell_w * len(columns) + 20
    height = top + cell_h * len(rows) + 10
    parts: list[Markup] = []
    for j, name in enumerate(columns):
        x = left + j * cell_w + cell_w / 2
        parts.append(
            _text(x, top - 8, _clip(name, 24), transform=f"rotate(-40 {number(x, 1)} {top - 8})")
        )
    for i, name in enumerate(rows):
        y = top + i * cell_h
        parts.append(_text(left - 6, y + cell_h / 2 + 4, _clip(name, 30), anchor="end"))
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


def calendar(
    label: str, days: Sequence[str], blocks: Sequence[Block], *, width: int = 960
) -> Markup:
    """Day columns × hours, sessions as blocks; overlapping sessions share a column side by
    side."""
    left, top, hour_h = 44, 24, 44
    first = min((b.start for b in blocks), default=9 * 60) // 60
    last = -(-max((b.end for b in blocks), default=18 * 60) // 60)
    last = max(last, first + 1)
    height = top + (last - first) * hour_h + 8
    col_w = (width - left - 4) / max(len(days), 1)
    parts: list[Markup] = []
    for hour in range(first, last + 1):
        y = top + (hour - first) * hour_h
        parts.append(_line(left, y, width - 4, y, "grid"))
        parts.append(_text(left - 4, y + 4, f"{hour:02d}:00", anchor="end", cls="axis"))
    for index, day in enumerate(days):
        x = left + index * col_w
        parts.append(_text(x + col_w / 2, 14, day, anchor="middle", cls="axis"))
        parts.append(_line(x, top, x, height - 8, "grid"))
        todays = sorted(
            (b for b in blocks if b.day == index), key=lambda b: (b.start, b.end, b.text)
        )
        lanes: list[int] = []  # end minute of each lane's last block
        placed: list[tuple[Block, int]] = []
        for block in todays:
            for lane, end in enumerate(lanes):
                if end <= block.start:
                    lanes[lane] = block.end
                    placed.append((block, lane))
                    break
            else:
                lanes.append(block.end)
                placed.append((block, len(lanes) - 1))
        lane_w = col_w / max(len(lanes), 1)
        for block, lane in placed:
            bx = x + lane * lane_w + 1
            by = top + (block.start / 60 - first) * hour_h
            bh = max((block.end - block.start) / 60 * hour_h, 3.0)
            parts.append(
                el(
                    "g",
                    None,
                    el("title", None, block.tip),
                    el(
                        "rect",
                        {
                            "x": number(bx, 1),
                            "y": number(by, 1),
                            "width": number(max(lane_w - 2, 1.0), 1),
                            "height": number(bh, 1),
                            "rx": 2,
                            "class": block.cls,
                        },
                    ),
                    _text(bx + 2, by + 11, _clip(block.text, int(lane_w / 7)), cls="on-dark")
                    if bh >= 14 and lane_w >= 30
                    else None,
                )
            )
    return _svg(width, height, label, parts)
