"""A digital twin of a center: run its rules forward through many cycles and compare them.

:func:`simulate` keeps a model of the center (each agent's true level per competency, how
training moves it, how it fades, how QA and KPIs observe it, who leaves) and drives the real
engine through every cycle: plan, approve, delivery, evidence, evaluate, plan again. The
model and each parameter's source are in docs/simulation.md.
"""

from __future__ import annotations

from ccrules.simulate._output import render_html, render_table, simulation_schema, to_json
from ccrules.simulate._settings import ModelSettings
from ccrules.simulate._simulate import (
    CURRENT,
    MONTHLY_THEME,
    NONE,
    Band,
    Coverage,
    CycleMeasures,
    Scenario,
    ScenarioResult,
    Simulation,
    simulate,
)

__all__ = [
    "CURRENT",
    "MONTHLY_THEME",
    "NONE",
    "Band",
    "Coverage",
    "CycleMeasures",
    "ModelSettings",
    "Scenario",
    "ScenarioResult",
    "Simulation",
    "render_html",
    "render_table",
    "simulate",
    "simulation_schema",
    "to_json",
]
