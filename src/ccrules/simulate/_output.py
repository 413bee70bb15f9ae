"""A simulation as JSON (``ccrules.simulation/1``), as a table for the terminal, and as one
self-contained HTML page of trajectory charts (the report's escaping SVG builder)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from ccrules._convert import converter
from ccrules._html import Markup, _line, _svg, _text, el, esc, number, table
from ccrules.simulate._simulate import (
    MONTHLY_THEME,
    NONE,
    Band,
    ScenarioResult,
    Simulation,
)

#: measures per cycle, in the order the page draws them: (key, label, unit)
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("gap", "Competency gap: mean points below the role's level (true levels)", "points"),
    ("gap_median", "Competency gap, median", "points"),
    ("gap_p90", "Competency gap, 90th percentile", "points"),
    (
        "gap_closed_per_hour",
        "Gap closed against no training, per attendee-hour (cumulative)",
        "points/hour",
    ),
    ("training_hours", "Training hours (attendees) in the cycle", "hours"),
    ("hours_without_gap", "Attendee-hours on agents already at their role's level there", "hours"),
    ("trainer_hours", "Trainer hours in the cycle", "hours"),
    ("cost", "Trainer cost in the cycle", "cost"),
    ("needs_opened", "Needs opened", "needs"),
    ("needs_closed", "Needs closed by the cycle's review", "needs"),
    ("days_to_close", "Median days from a need's first plan to its close", "days"),
    ("below_floor", "Intervals pushed below the service-level floor by training", "intervals"),
    ("escalations", "Escalations (level 1 or more)", "agents"),
    ("leavers", "Leavers in the cycle", "agents"),
    ("l3_estimate", "The review's L3 behaviour effect of the cycle (QA points)", "points"),
    ("l3_truth", "The model's true effect of the cycle's training on the same agents", "points"),
)
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


def render_table(sim: Simulation) -> str:
    """The comparison: one line per scenario, then each scenario's gap by cycle."""
    lines = [
        f"Simulation of {sim.center}: {len(sim.cycles)} cycles from {sim.cycles[0].id} "
        f"({sim.cycles[0].start} to {sim.cycles[-1].end}), {sim.runs} run(s), seed {sim.seed}",
        "Mean [5%, 95%] across runs; every scenario sees the same agents and the same draws.",
        "",
    ]
    headers = (
        "scenario",
        "gap at end",
        "change",
        "attendee-hours",
        "no gap",
        "closed/hour",
        "vs monthly-theme",
        "below floor",
        "needs closed",
        "leavers",
    )
    rows = []
    for s in sim.scenarios:
        t = s.totals
        rows.append(
            (
                s.name,
                _fmt(t["gap_end"]),
                _fmt(t["gap_change"]),
                _fmt(t["training_hours"], 1),
                _fmt(t["hours_without_gap"], 1),
                _fmt(t["gap_closed_per_hour"]),
                _fmt(t["vs_monthly_theme"]) if "vs_monthly_theme" in t else "–",
                _fmt(t["below_floor"], 1),
                _fmt(t["needs_closed"], 1),
                _fmt(t["leavers"], 1),
            )
        )
    lines.extend(_columns(headers, rows))
    lines.append("")
    lines.append("Gap by cycle (mean points below the role's level):")
    ids = [c.id for c in sim.cycles]
    gap_rows = [
        (s.name, *(number(c.measures["gap"].mean, 2) for c in s.cycles)) for s in sim.scenarios
    ]
    lines.extend(_columns(("scenario", *ids), gap_rows))
    lines.append("")
    lines.append("Evaluation stage against the model's true effects (L3 behaviour, 95% intervals):")
    for s in sim.scenarios:
        cov = s.coverage
        if cov.checks == 0:
            continue
        lines.append(
            f"  {s.name}: {cov.covered} of {cov.checks} intervals hold the true effect "
            f"({number((cov.coverage or 0) * 100, 1)}%); mean estimate - truth "
            f"{number(cov.bias, 2)} points"
        )
    lines.append("Attrition warnings against the model's leavers (within each warning's horizon):")
    for s in sim.scenarios:
        precision, recall = s.totals["warning_precision"], s.totals["warning_recall"]
        if precision.mean is None and recall.mean is None:
            continue
        lines.append(f"  {s.name}: precision {_fmt(precision)}, recall {_fmt(recall)}")
    return "\n".join(lines)


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
    label: str, ids: Sequence[str], scenarios: Sequence[ScenarioResult], key: str
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
        return el("p", {"class": "empty"}, "No data for this measure.")
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


def render_html(sim: Simulation) -> str:
    """The comparison as one page: the totals, then a trajectory chart per measure, each
    with its numbers in a table."""
    ids = [c.id for c in sim.cycles]
    scenarios = list(sim.scenarios)
    headers = [
        "scenario",
        "packs",
        "gap at end",
        "change",
        "attendee-hours",
        "closed/hour",
        "vs monthly-theme",
        "below floor",
        "needs closed",
        "escalations",
        "leavers",
        "L3 interval coverage",
        "L3 bias",
    ]
    rows = []
    for s in scenarios:
        t = s.totals
        rows.append(
            [
                s.name,
                ", ".join(s.packs) or ("no training" if s.name == NONE else "–"),
                _fmt(t["gap_end"]),
                _fmt(t["gap_change"]),
                _fmt(t["training_hours"], 1),
                _fmt(t["gap_closed_per_hour"]),
                _fmt(t["vs_monthly_theme"]) if "vs_monthly_theme" in t else "–",
                _fmt(t["below_floor"], 1),
                _fmt(t["needs_closed"], 1),
                _fmt(t["escalations"], 1),
                _fmt(t["leavers"], 1),
                number((s.coverage.coverage or 0) * 100, 1) + "%" if s.coverage.checks else "–",
                number(s.coverage.bias, 2) if s.coverage.checks else "–",
            ]
        )
    sections: list[Markup] = [
        el(
            "section",
            {"id": "totals"},
            el("h2", None, "Scenarios side by side"),
            el(
                "p",
                {"class": "reading"},
                f"{len(ids)} cycles from {ids[0]}, {sim.runs} run(s), seed {sim.seed}. Mean "
                f"[5%, 95%] across runs. Every scenario sees the same agents and draws, so a "
                f"difference comes from the rules. {MONTHLY_THEME}: one classroom theme a month "
                f"for everyone; {NONE}: no training.",
            ),
            table(headers, rows, numeric=[False] * len(headers)),
        ),
    ]
    for key, label, unit in MEASURES:
        data_rows = [[s.name, *(_fmt(c.measures[key]) for c in s.cycles)] for s in scenarios]
        sections.append(
            el(
                "section",
                {"id": key},
                el("h2", None, label),
                _trajectory(f"{label} ({unit})", ids, scenarios, key),
                el(
                    "details",
                    None,
                    el("summary", None, "Numbers"),
                    table(["scenario", *ids], data_rows, numeric=[False] * (len(ids) + 1)),
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
        {"lang": "en"},
        el(
            "head",
            None,
            el("meta", {"charset": "utf-8"}),
            el("meta", {"http-equiv": "Content-Security-Policy", "content": _CSP}),
            el("title", None, f"Simulation: {sim.center}"),
            el("style", None, Markup(style)),
        ),
        el(
            "body",
            None,
            el("h1", None, f"Simulation of {sim.center}"),
            el(
                "p",
                None,
                "Made by ccrules ",
                esc(sim.ccrules_version),
                ". The model and the source of each parameter: docs/simulation.md.",
            ),
            *sections,
        ),
    )
    return "<!DOCTYPE html>\n" + page + "\n"
