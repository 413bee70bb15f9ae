"""A simulation as JSON (``ccrules.simulation/1``), as a table for the terminal, and as one
self-contained HTML page of trajectory charts (the report's escaping SVG builder)."""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from ccrules._convert import converter
from ccrules._html import Markup, _line, _svg, _text, el, number, table
from ccrules.simulate._simulate import (
    NONE,
    Band,
    ScenarioResult,
    Simulation,
)

#: measures per cycle, in the order the page draws them: (key, unit)
MEASURES: tuple[tuple[str, str], ...] = (
    ("gap", "points"),
    ("gap_median", "points"),
    ("gap_p90", "points"),
    ("gap_closed_per_hour", "points/hour"),
    ("training_hours", "hours"),
    ("hours_without_gap", "hours"),
    ("trainer_hours", "hours"),
    ("cost", "cost"),
    ("needs_opened", "needs"),
    ("needs_closed", "needs"),
    ("days_to_close", "days"),
    ("below_floor", "intervals"),
    ("escalations", "agents"),
    ("leavers", "agents"),
    ("l3_estimate", "points"),
    ("l3_truth", "points"),
)
LANGS = ("en", "zh")
#: the totals the table and the page show per scenario, in order (the table leaves out
#: escalations); counts are shown with one decimal, the rest with two
TOTALS = (
    "gap_end",
    "gap_change",
    "training_hours",
    "hours_without_gap",
    "gap_closed_per_hour",
    "vs_monthly_theme",
    "below_floor",
    "needs_closed",
    "escalations",
    "leavers",
)
_COUNTS = frozenset(
    {"training_hours", "hours_without_gap", "below_floor", "needs_closed", "escalations", "leavers"}
)


@functools.cache
def labels(lang: str) -> Mapping[str, str]:
    """The table's and page's words in ``lang`` (``labels.toml``)."""
    text = resources.files("ccrules.simulate").joinpath("labels.toml").read_text("utf-8")
    table: Mapping[str, str] = tomllib.loads(text)[lang]
    return table


_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _band(band: Band) -> dict[str, Any]:
    return {"mean": band.mean, "low": band.low, "high": band.high}


def to_data(sim: Simulation) -> dict[str, Any]:
    """The simulation as plain data, keys in a fixed order."""
    return {
        "format": sim.format,
        "ccrules_version": sim.ccrules_version,
        "center": sim.center,
        "base_cycle": sim.base_cycle,
        "seed": sim.seed,
        "runs": sim.runs,
        "cycles": [
            {
                "id": c.id,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "outcomes_to": c.outcomes_to.isoformat(),
            }
            for c in sim.cycles
        ],
        "model": converter.unstructure(sim.model),
        "calibration": sim.calibration,
        "scenarios": [
            {
                "name": s.name,
                "source": s.source,
                "packs": list(s.packs),
                "totals": {k: _band(v) for k, v in s.totals.items()},
                "coverage": {
                    "checks": s.coverage.checks,
                    "covered": s.coverage.covered,
                    "coverage": s.coverage.coverage,
                    "bias": s.coverage.bias,
                    "by_subject": {
                        k: {"checks": n, "coverage": cov, "bias": bias}
                        for k, (n, cov, bias) in s.coverage.by_subject.items()
                    },
                },
                "cycles": [
                    {"cycle": c.cycle, **{k: _band(v) for k, v in c.measures.items()}}
                    for c in s.cycles
                ],
            }
            for s in sim.scenarios
        ],
    }


def to_json(sim: Simulation) -> str:
    """The simulation as JSON text; the same simulation always gives the same bytes."""
    return json.dumps(to_data(sim), ensure_ascii=False, indent=2) + "\n"


def simulation_schema() -> dict[str, Any]:
    """The JSON Schema of ``ccrules.simulation/1`` (``ccrules schema simulation``)."""
    text = (
        resources.files("ccrules")
        .joinpath("schemas/simulation.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- the terminal ---------------------------------------------------------------------------


def _fmt(band: Band, digits: int = 2) -> str:
    if band.mean is None:
        return "–"
    if band.low == band.high:
        return number(band.mean, digits)
    return f"{number(band.mean, digits)} [{number(band.low, digits)}, {number(band.high, digits)}]"


def render_table(sim: Simulation, lang: str = "en") -> str:
    """The comparison: one line per scenario, then each scenario's gap by cycle, then the
    evaluation stage and the attrition warnings against the model's truth."""
    words = labels(lang)
    lines = [
        words["title"].format(
            center=sim.center,
            cycles=len(sim.cycles),
            first=sim.cycles[0].id,
            start=sim.cycles[0].start,
            end=sim.cycles[-1].end,
            runs=sim.runs,
            seed=sim.seed,
        ),
        words["legend"],
        "",
    ]
    columns = tuple(key for key in TOTALS if key != "escalations")
    rows = [(s.name, *_totals(s, columns)) for s in sim.scenarios]
    lines.extend(_columns((words["scenario"], *(words[key] for key in columns)), rows))
    lines.append("")
    lines.append(words["gap_by_cycle"])
    ids = [c.id for c in sim.cycles]
    gap_rows = [
        (s.name, *(number(c.measures["gap"].mean, 2) for c in s.cycles)) for s in sim.scenarios
    ]
    lines.extend(_columns((words["scenario"], *ids), gap_rows))
    lines.append("")
    lines.append(words["evaluation"])
    for s in sim.scenarios:
        cov = s.coverage
        if cov.checks == 0:
            continue
        lines.append(
            "  "
            + words["evaluation_line"].format(
                scenario=s.name,
                covered=cov.covered,
                checks=cov.checks,
                share=number((cov.coverage or 0) * 100, 1),
                bias=number(cov.bias, 2),
            )
        )
    lines.append(words["warnings"])
    for s in sim.scenarios:
        precision, recall = s.totals["warning_precision"], s.totals["warning_recall"]
        if precision.mean is None and recall.mean is None:
            continue
        lines.append(
            "  "
            + words["warnings_line"].format(
                scenario=s.name, precision=_fmt(precision), recall=_fmt(recall)
            )
        )
    return "\n".join(lines)


def _totals(scenario: ScenarioResult, keys: Sequence[str]) -> list[str]:
    """A scenario's totals as cells: mean [5%, 95%], or a dash where it has none."""
    return [
        _fmt(scenario.totals[key], 1 if key in _COUNTS else 2) if key in scenario.totals else "–"
        for key in keys
    ]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = widths[i] - _width(str(cell))
            out.append(str(cell) + " " * pad if i == 0 else " " * pad + str(cell))
        return "  " + "  ".join(out).rstrip()

    return [line(headers), *(line(r) for r in rows)]


# -- the page ---------------------------------------------------------------------------------


def _trajectory(
    label: str, ids: Sequence[str], scenarios: Sequence[ScenarioResult], key: str, empty: str
) -> Markup:
    """Mean per cycle, one line per scenario, the 90% band as a shaded area."""
    width, height = 720, 240
    left, right, top, bottom = 56, 150, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [
        v
        for s in scenarios
        for c in s.cycles
        for v in (c.measures[key].low, c.measures[key].high, c.measures[key].mean)
        if v is not None
    ]
    if not values:
        return el("p", {"class": "empty"}, empty)
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    count = len(ids)

    def px(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    parts: list[Markup] = []
    for fraction in (0.0, 0.5, 1.0):
        value = low + (high - low) * fraction
        parts.append(_line(left, py(value), left + plot_w, py(value), "grid"))
        parts.append(_text(left - 4, py(value) + 4, number(value, 2), anchor="end", cls="axis"))
    step = max(1, count // 8)
    for i in range(0, count, step):
        parts.append(_text(px(i), height - 14, ids[i], anchor="middle", cls="axis"))
    for n, s in enumerate(scenarios):
        colour = _COLOURS[n % len(_COLOURS)]
        band = [
            (i, c.measures[key]) for i, c in enumerate(s.cycles) if c.measures[key].low is not None
        ]
        if band:
            upper = [f"{number(px(i), 1)},{number(py(b.high or 0), 1)}" for i, b in band]
            lower = [f"{number(px(i), 1)},{number(py(b.low or 0), 1)}" for i, b in reversed(band)]
            parts.append(
                el(
                    "polygon",
                    {
                        "points": " ".join(upper + lower),
                        "fill": colour,
                        "fill-opacity": "0.12",
                        "stroke": "none",
                    },
                )
            )
        points = [
            (i, c.measures[key].mean)
            for i, c in enumerate(s.cycles)
            if c.measures[key].mean is not None
        ]
        if points:
            parts.append(
                el(
                    "polyline",
                    {
                        "points": " ".join(
                            f"{number(px(i), 1)},{number(py(v or 0), 1)}" for i, v in points
                        ),
                        "fill": "none",
                        "stroke": colour,
                        "stroke-width": "2",
                    },
                    el("title", None, s.name),
                )
            )
            for i, v in points:
                tip = f"{s.name}, {ids[i]}: {number(v, 2)}"
                parts.append(
                    el(
                        "circle",
                        {
                            "cx": number(px(i), 1),
                            "cy": number(py(v or 0), 1),
                            "r": 2.5,
                            "fill": colour,
                        },
                        el("title", None, tip),
                    )
                )
        parts.append(_text(width - right + 8, top + 14 + 16 * n, s.name, cls="legend", fill=colour))
    return _svg(width, height, label, parts)


def render_html(sim: Simulation, lang: str = "en") -> str:
    """The comparison as one page: the totals, then a trajectory chart per measure, each
    with its numbers in a table."""
    words = labels(lang)
    ids = [c.id for c in sim.cycles]
    scenarios = list(sim.scenarios)
    headers = [
        words["scenario"],
        words["packs"],
        *(words[key] for key in TOTALS),
        words["coverage"],
        words["bias"],
    ]
    rows = []
    for s in scenarios:
        cov = s.coverage
        rows.append(
            [
                s.name,
                ", ".join(s.packs) or (words["no_training"] if s.name == NONE else "–"),
                *_totals(s, TOTALS),
                number((cov.coverage or 0) * 100, 1) + "%" if cov.checks else "–",
                number(cov.bias, 2) if cov.checks else "–",
            ]
        )
    sections: list[Markup] = [
        el(
            "section",
            {"class": "section", "id": "totals", "data-state": "data"},
            el("h2", None, words["side_by_side"]),
            el(
                "p",
                {"class": "reading"},
                words["reading"].format(
                    cycles=len(ids), first=ids[0], runs=sim.runs, seed=sim.seed
                ),
            ),
            table(headers, rows, numeric=[False] * len(headers)),
        ),
    ]
    for key, unit in MEASURES:
        label = words[f"measure_{key}"]
        data_rows = [[s.name, *(_fmt(c.measures[key]) for c in s.cycles)] for s in scenarios]
        last = [
            f"{s.name} {_fmt(s.cycles[-1].measures[key])}"
            for s in scenarios
            if s.cycles[-1].measures[key].mean is not None
        ]
        sections.append(
            el(
                "section",
                {"class": "section", "id": key, "data-state": "data" if last else "empty"},
                el("h2", None, label),
                el(
                    "p",
                    {"class": "reading"},
                    words["reading_measure"].format(cycle=ids[-1], values="; ".join(last)),
                )
                if last
                else None,
                _trajectory(f"{label} ({unit})", ids, scenarios, key, words["no_data"]),
                el(
                    "details",
                    None,
                    el("summary", None, words["numbers"]),
                    table([words["scenario"], *ids], data_rows, numeric=[False] * (len(ids) + 1)),
                ),
            )
        )
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;margin:2em;"
        "color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:2px 6px;font-size:13px}.grid{stroke:#e5e5e5}.axis,.legend{font-size:11px}"
        ".reading{color:#444}svg{max-width:100%;height:auto}"
    )
    page = el(
        "html",
        {"lang": "zh-Hans" if lang == "zh" else "en"},
        el(
            "head",
            None,
            el("meta", {"charset": "utf-8"}),
            el("meta", {"http-equiv": "Content-Security-Policy", "content": _CSP}),
            el("title", None, words["page_title"].format(center=sim.center)),
            el("style", None, Markup(style)),
        ),
        el(
            "body",
            None,
            el("h1", None, words["page_title"].format(center=sim.center)),
            el("p", None, words["made_by"].format(version=sim.ccrules_version)),
            *sections,
        ),
    )
    return "<!DOCTYPE html>\n" + page + "\n"
