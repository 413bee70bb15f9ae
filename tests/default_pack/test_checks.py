"""The default pack's checks of its settings against the center's data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccrules import InputError

from .scenario import Tiny


def both_limits(tiny: Tiny) -> None:
    tiny.pack["kpis"][0]["above"] = 0.9


def no_limit(tiny: Tiny) -> None:
    del tiny.pack["kpis"][0]["below"]


def unknown_competency(tiny: Tiny) -> None:
    tiny.pack["kpis"][0]["competency"] = "C9"


def unknown_kpi_owner(tiny: Tiny) -> None:
    tiny.pack["kpis"][0]["owner"] = "NOPE"


def unknown_gap_owner(tiny: Tiny) -> None:
    tiny.set("gaps", owner="NOPE")


def bad_workday(tiny: Tiny) -> None:
    tiny.set("schedule", workdays=["mon", "funday"])


def no_team_off(tiny: Tiny) -> None:
    tiny.set("schedule", max_team_share_off=0.0)


def zero_budget(tiny: Tiny) -> None:
    tiny.set("priorities", max_competencies_per_agent=0)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (both_limits, "plugins.default.kpis[0]"),
        (no_limit, "plugins.default.kpis[0]"),
        (unknown_competency, "plugins.default.kpis[0].competency"),
        (unknown_kpi_owner, "plugins.default.kpis[0].owner"),
        (unknown_gap_owner, "plugins.default.gaps.owner"),
        (bad_workday, "plugins.default.schedule.workdays[1]"),
        (no_team_off, "plugins.default.schedule.max_team_share_off"),
        (zero_budget, "plugins.default.priorities.max_competencies_per_agent"),
    ],
)
def test_bad_settings_stop_the_run(change: Callable[[Tiny], None], path: str) -> None:
    tiny = Tiny()
    change(tiny)

    with pytest.raises(InputError) as raised:
        tiny.engine()

    assert [p.path for p in raised.value.problems] == [path]


def test_a_kpi_metric_missing_from_the_data_is_a_warning() -> None:
    tiny = Tiny().kpi(metric="csat", below=4.0, competency="C2")

    with tiny.engine() as engine:
        warnings = [(w.path, w.code) for w in engine.warnings]

    assert ("plugins.default.kpis[1].metric", "unused-setting") in warnings
