"""Erlang C (`ccrules.erlang`) and `ccrules staffing`: the published example, figures checked
against an exact second computation, the vectorised functions against the scalar ones."""

from __future__ import annotations

import inspect
import itertools
import json
import math
from collections.abc import Callable
from fractions import Fraction

import attrs
import numpy as np
import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from ccrules import erlang
from ccrules.erlang import (
    Staffing,
    required_agents,
    required_many,
    service_levels,
    staffing,
    traffic,
)

Run = Callable[..., Result]

# --------------------------------------------------------------------------------------------
# a second, independent computation: Erlang C from its textbook sum, in exact fractions


def exact_wait_probability(load: Fraction, agents: int) -> Fraction:
    """C(N, A) = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A))."""
    if agents <= load:
        return Fraction(1)
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


def exact_figures(
    contacts: int, aht: int, interval: int, agents: int, target: float
) -> tuple[float, float, float]:
    """Service level, wait probability and ASA, computed the textbook way."""
    load = Fraction(contacts * aht, interval)
    wait = exact_wait_probability(load, agents)
    if agents <= load:
        return 0.0, 1.0, math.inf
    excess = float(agents - load)
    return (
        1 - float(wait) * math.exp(-excess * target / aht),
        float(wait),
        float(wait) * aht / excess,
    )


def exact_required(contacts: int, aht: int, interval: int, target: float, goal: float) -> int:
    agents = 0
    while exact_figures(contacts, aht, interval, agents, target)[0] < goal:
        agents += 1
    return agents


# --------------------------------------------------------------------------------------------
# the published example: 100 contacts per 30 min, AHT 180 s, 80% in 20 s


def test_published_example() -> None:
    result = required_agents(100, 180, 1800, 20, 0.8, shrinkage=0.3)
    assert result.traffic == 10.0
    assert result.agents == 14
    assert round(result.service_level, 4) == 0.8884
    assert round(staffing(100, 180, 1800, 13, 20).service_level, 4) == 0.7956
    assert round(result.wait_probability, 4) == 0.1741
    assert round(result.asa_seconds, 1) == 7.8
    assert round(result.occupancy, 3) == 0.714
    assert result.scheduled == 20  # 14 / 0.7 = 20.000000000000004 in floats: still 20
    assert result.shrinkage == 0.3
    assert required_agents(100, 180, 1800, 20, 0.8).scheduled == 14


def test_published_example_equals_the_exact_computation() -> None:
    for agents in (11, 12, 13, 14, 15, 20):
        ours = staffing(100, 180, 1800, agents, 20)
        service, wait, asa = exact_figures(100, 180, 1800, agents, 20)
        assert ours.service_level == pytest.approx(service, rel=1e-12)
        assert ours.wait_probability == pytest.approx(wait, rel=1e-12)
        assert ours.asa_seconds == pytest.approx(asa, rel=1e-12)
        assert ours.occupancy == pytest.approx(10 / agents, rel=1e-15)


def test_traffic() -> None:
    assert traffic(100, 180, 1800) == 10.0
    assert traffic(0, 0, 900) == 0.0
    assert traffic(50, 300, 900) == pytest.approx(50 / 3)


# --------------------------------------------------------------------------------------------
# more cases, each checked against the exact computation


@pytest.mark.parametrize(
    ("contacts", "aht", "interval", "target", "goal", "agents", "service", "fewer"),
    [
        # 90% in 15 s, 200 contacts per 30 min of 240 s: 26.67 Erlangs
        (200, 240, 1800, 15, 0.9, 34, 0.9230, 0.8848),
        # a 15-minute interval: 50 contacts of 300 s, 80% in 20 s: 16.67 Erlangs
        (50, 300, 900, 20, 0.8, 21, 0.8263, 0.7293),
        # an hour of 1000 contacts of 180 s: 50 Erlangs
        (1000, 180, 3600, 20, 0.8, 56, 0.8412, 0.7794),
        # answered on arrival (target 0): the service level is 1 - P(wait)
        (100, 180, 1800, 0, 0.8, 14, 0.8259, 0.7147),
    ],
)
def test_cases_against_the_exact_computation(
    contacts: int,
    aht: int,
    interval: int,
    target: float,
    goal: float,
    agents: int,
    service: float,
    fewer: float,
) -> None:
    result = required_agents(contacts, aht, interval, target, goal)
    assert result.agents == agents == exact_required(contacts, aht, interval, target, goal)
    assert round(result.service_level, 4) == service
    assert round(staffing(contacts, aht, interval, agents - 1, target).service_level, 4) == fewer
    exact_service, exact_wait, exact_asa = exact_figures(contacts, aht, interval, agents, target)
    assert result.service_level == pytest.approx(exact_service, rel=1e-12)
    assert result.wait_probability == pytest.approx(exact_wait, rel=1e-12)
    assert result.asa_seconds == pytest.approx(exact_asa, rel=1e-12)
    if target == 0:
        assert result.service_level == pytest.approx(1 - result.wait_probability, rel=1e-15)


def test_zero_contacts() -> None:
    for aht in (0, 180):
        result = required_agents(0, aht, 1800, 20, 0.8, max_occupancy=0.85, shrinkage=0.3)
        assert (result.traffic, result.agents, result.scheduled) == (0.0, 0, 0)
        assert result.service_level == 1.0
        assert result.wait_probability == 0.0
        assert result.asa_seconds == 0.0
        assert result.occupancy == 0.0
    five = staffing(0, 180, 900, 5, 20)
    assert (five.service_level, five.wait_probability, five.asa_seconds, five.occupancy) == (
        1.0,
        0.0,
        0.0,
        0.0,
    )
    assert required_many([0, 0.0], [0, 300], 900, 20, 0.8) == [0, 0]
    assert service_levels([0], [0], 900, [0], 20) == [1.0]


def test_agents_at_or_below_traffic() -> None:
    for agents in (0, 5, 10):
        result = staffing(100, 180, 1800, agents, 20)
        assert result.service_level == 0.0
        assert result.wait_probability == 1.0
        assert result.asa_seconds == math.inf
        assert result.occupancy == 1.0


def test_occupancy_cap_binds() -> None:
    # 100 Erlangs: the service level alone needs 107 agents, busy 93.5% of the time
    alone = required_agents(1000, 180, 1800, 20, 0.8)
    assert alone.agents == 107 == exact_required(1000, 180, 1800, 20, 0.8)
    assert alone.occupancy > 0.85
    capped = required_agents(1000, 180, 1800, 20, 0.8, max_occupancy=0.85)
    assert capped.agents == 118 == math.ceil(100 / 0.85)
    assert capped.occupancy <= 0.85 < staffing(1000, 180, 1800, 117, 20).occupancy
    assert capped.service_level > alone.service_level
    # not binding in the published example (occupancy 71.4%)
    assert required_agents(100, 180, 1800, 20, 0.8, max_occupancy=0.85).agents == 14


@pytest.mark.parametrize("load", [500, 2000])
def test_large_loads(load: int) -> None:
    contacts = load * 10  # per 30 min, AHT 180 s
    result = required_agents(contacts, 180, 1800, 20, 0.8)
    assert result.traffic == load
    assert load < result.agents < load * 1.05
    assert math.isfinite(result.asa_seconds)
    assert 0 < result.wait_probability < 1
    assert 0.8 <= result.service_level < 1
    assert staffing(contacts, 180, 1800, result.agents - 1, 20).service_level < 0.8
    assert required_many([contacts], [180], 1800, 20, 0.8) == [result.agents]
    assert service_levels([contacts], [180], 1800, [result.agents], 20) == [
        pytest.approx(result.service_level, rel=1e-12)
    ]


def test_shrinkage_rounds_up_without_float_noise() -> None:
    assert staffing(100, 180, 1800, 14, 20, shrinkage=0.3).scheduled == 20
    assert staffing(100, 180, 1800, 15, 20, shrinkage=0.3).scheduled == 22  # 21.43
    assert staffing(100, 180, 1800, 14, 20, shrinkage=0.5).scheduled == 28
    assert staffing(100, 180, 1800, 0, 20, shrinkage=0.5).scheduled == 0


def test_vectorised_functions_take_numpy_arrays() -> None:
    contacts = np.array([100.0, 0.0, 1000.0])
    aht = np.array([180.0, 180.0, 180.0])
    assert required_many(contacts, aht, 1800, 20, 0.8) == [14, 0, 107]
    levels = service_levels(contacts, aht, 1800, np.array([13, 2, 107]), 20)
    assert [round(x, 4) for x in levels] == [0.7956, 1.0, 0.8238]
    assert required_many([], [], 1800, 20, 0.8) == []
    assert service_levels([], [], 1800, [], 20) == []


# --------------------------------------------------------------------------------------------
# bad arguments


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: staffing(-1, 180, 1800, 10, 20), "contacts must be 0 or more"),
        (lambda: staffing(100, 0, 1800, 10, 20), "aht_seconds must be more than 0"),
        (lambda: staffing(100, -5, 1800, 10, 20), "aht_seconds must be more than 0"),
        (lambda: staffing(100, 180, 0, 10, 20), "interval_seconds must be more than 0"),
        (lambda: staffing(100, 180, 900.5, 10, 20), "interval_seconds must be whole seconds"),
        (lambda: staffing(100, 180, 1800, -1, 20), "agents must be 0 or more"),
        (lambda: staffing(100, 180, 1800, 10, -1), "target_seconds must be 0 or more"),
        (lambda: staffing(100, 180, 1800, 10, 20, 1.0), "shrinkage must be 0 or more and less"),
        (lambda: staffing(math.nan, 180, 1800, 10, 20), "contacts must be a finite number"),
        (lambda: required_agents(100, 180, 1800, 20, 80), "service_level must be between 0"),
        (lambda: required_agents(100, 180, 1800, 20, 0), "service_level must be between 0"),
        (lambda: required_agents(100, 180, 1800, 20, 1), "service_level must be between 0"),
        (lambda: required_agents(100, 180, 1800, 20, 0.8, 0), "max_occupancy must be more"),
        (lambda: required_agents(100, 180, 1800, 20, 0.8, 1.2), "max_occupancy must be more"),
        (lambda: required_agents(100, 180, 1800, 20, 0.8, 1, -0.1), "shrinkage must be 0"),
        (lambda: traffic(100, 180, 0), "interval_seconds must be more than 0"),
        (lambda: required_many([1, 2], [180], 1800, 20, 0.8), "same length"),
        (lambda: required_many([1, 2, -3], [180] * 3, 1800, 20, 0.8), r"contacts\[2\]"),
        (lambda: required_many([1, 2], [180, 0], 1800, 20, 0.8), r"aht_seconds\[1\]"),
        (lambda: required_many([1], [180], 1800, 20, 1.5), "service_level must be between"),
        (lambda: service_levels([1, 2], [180, 180], 1800, [3], 20), "same length"),
        (lambda: service_levels([1, 2], [180, 180], 1800, [3, -1], 20), r"agents\[1\] must"),
        (lambda: service_levels([1], [180], 1800, [2.5], 20), "whole number"),
    ],
)
def test_bad_arguments_raise_value_error(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_every_public_name_is_documented() -> None:
    assert erlang.__doc__ and "14 agents" in erlang.__doc__
    for name in erlang.__all__:
        assert inspect.getdoc(getattr(erlang, name)), name
    assert all(f":param {p}:" in (erlang.staffing.__doc__ or "") for p in ("agents", "shrinkage"))


# --------------------------------------------------------------------------------------------
# properties

contacts_st = st.one_of(st.just(0.0), st.floats(0, 400, allow_nan=False))
aht_st = st.floats(30, 900, allow_nan=False)
interval_st = st.sampled_from([900, 1800, 3600])
target_st = st.floats(0, 60, allow_nan=False)
goal_st = st.floats(0.05, 0.99, allow_nan=False)
cap_st = st.one_of(st.just(1.0), st.floats(0.5, 1.0, allow_nan=False))


@given(
    st.lists(st.tuples(contacts_st, aht_st), max_size=12),
    interval_st,
    target_st,
    goal_st,
    cap_st,
)
@settings(max_examples=150, deadline=None)
def test_required_many_equals_required_agents(
    loads: list[tuple[float, float]], interval: int, target: float, goal: float, cap: float
) -> None:
    contacts = [c for c, _ in loads]
    aht = [h for _, h in loads]
    expected = [required_agents(c, h, interval, target, goal, cap).agents for c, h in loads]
    assert required_many(contacts, aht, interval, target, goal, cap) == expected


@given(
    st.lists(st.tuples(contacts_st, aht_st, st.integers(0, 200)), max_size=12),
    interval_st,
    target_st,
)
@settings(max_examples=150, deadline=None)
def test_service_levels_equals_staffing(
    rows: list[tuple[float, float, int]], interval: int, target: float
) -> None:
    levels = service_levels(
        [c for c, _, _ in rows], [h for _, h, _ in rows], interval, [n for _, _, n in rows], target
    )
    expected = [staffing(c, h, interval, n, target).service_level for c, h, n in rows]
    assert levels == [pytest.approx(x, rel=1e-12, abs=1e-15) for x in expected]


@given(contacts_st, aht_st, interval_st, target_st)
@settings(max_examples=100, deadline=None)
def test_service_level_never_falls_with_more_agents(
    contacts: float, aht: float, interval: int, target: float
) -> None:
    load = contacts * aht / interval
    levels = [
        staffing(contacts, aht, interval, n, target).service_level for n in range(0, int(load) + 30)
    ]
    assert all(later >= earlier - 1e-12 for earlier, later in itertools.pairwise(levels))
    assert all(0.0 <= x <= 1.0 for x in levels)


@given(contacts_st, aht_st, interval_st, target_st, goal_st, cap_st)
@settings(max_examples=150, deadline=None)
def test_required_agents_is_the_fewest(
    contacts: float, aht: float, interval: int, target: float, goal: float, cap: float
) -> None:
    result = required_agents(contacts, aht, interval, target, goal, cap)
    n = result.agents
    assert result.service_level >= goal - 1e-12
    assert result.occupancy <= cap * (1 + 1e-9)
    if n == 0:
        assert result.traffic == 0
        return
    fewer = staffing(contacts, aht, interval, n - 1, target)
    forced_by_occupancy = fewer.occupancy > cap * (1 + 1e-9)
    assert forced_by_occupancy or fewer.service_level < goal


# --------------------------------------------------------------------------------------------
# the CLI

PUBLISHED = ("staffing", "--contacts", "100", "--interval", "30m", "--aht", "180")


def test_cli_published_example(cli: Run) -> None:
    result = cli(*PUBLISHED, "--target", "20", "--service-level", "0.8", "--shrinkage", "0.3")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Traffic            10.00 Erlangs (100 contacts x 180 s / 30 min)",
        "Required agents    14 on the phones (80% answered within 20 s)",
        "Service level      88.84% within 20 s   (13 agents: 79.56%)",
        "Wait probability   17.41%",
        "Avg speed answer   7.8 s",
        "Occupancy          71.4%",
        "Scheduled          20 with 30% shrinkage",
    ]
    assert result.stderr == ""


def test_cli_published_example_json(cli: Run) -> None:
    result = cli(*PUBLISHED, "--shrinkage", "0.3", "--max-occupancy", "0.85", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fields = [field.name for field in attrs.fields(Staffing)]
    assert list(data) == [*fields, "fewer_agents_service_level"]
    assert data["agents"] == 14 and data["scheduled"] == 20
    assert data["interval_seconds"] == 1800 and data["traffic"] == 10.0
    assert round(data["service_level"], 4) == 0.8884
    assert round(data["fewer_agents_service_level"], 4) == 0.7956
    assert round(data["wait_probability"], 4) == 0.1741
    assert round(data["asa_seconds"], 1) == 7.8
    assert round(data["occupancy"], 3) == 0.714
    assert data["shrinkage"] == 0.3


def test_cli_given_agents(cli: Run) -> None:
    result = cli(*PUBLISHED, "--agents", "13")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[1] == "Agents             13 on the phones (14 needed for 80% answered within 20 s)"
    )
    assert lines[2] == "Service level      79.56% within 20 s   (12 agents: 64.02%)"
    data = json.loads(cli(*PUBLISHED, "--agents", "13", "--json").stdout)
    assert data["agents"] == 13 and round(data["service_level"], 4) == 0.7956
    queue = json.loads(cli(*PUBLISHED, "--agents", "10", "--json").stdout)
    assert queue["asa_seconds"] is None  # infinite: 10 agents for 10 Erlangs
    assert queue["service_level"] == 0.0 and queue["wait_probability"] == 1.0


def test_cli_other_intervals_and_zero_contacts(cli: Run) -> None:
    quarter = json.loads(
        cli("staffing", "--contacts", "50", "--aht", "300", "--interval", "900s", "--json").stdout
    )
    assert quarter["interval_seconds"] == 900 and quarter["agents"] == 21
    hour = json.loads(
        cli("staffing", "--contacts", "1000", "--aht", "180", "--interval", "1h", "--json").stdout
    )
    assert hour["interval_seconds"] == 3600 and hour["agents"] == 56
    zero = cli("staffing", "--contacts", "0", "--aht", "180", "--json")
    assert zero.exit_code == 0
    data = json.loads(zero.stdout)
    assert data["agents"] == 0 and data["service_level"] == 1.0
    assert data["fewer_agents_service_level"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--contacts", "100", "--aht", "180", "--service-level", "80"), "--service-level"),
        (("--contacts", "100", "--aht", "180", "--interval", "30"), "write it as 15m"),
        (("--contacts", "100", "--aht", "180", "--interval", "0m"), "--interval"),
        (("--contacts", "100", "--aht", "0"), "--aht"),
        (("--contacts", "-1", "--aht", "180"), "--contacts"),
        (("--contacts", "nan", "--aht", "180"), "is not a number"),
        (("--contacts", "100", "--aht", "180", "--shrinkage", "1"), "--shrinkage"),
        (("--contacts", "100", "--aht", "180", "--max-occupancy", "0"), "--max-occupancy"),
        (("--contacts", "100", "--aht", "180", "--agents", "-2"), "--agents"),
        (
            (
                "--aht",
                "180",
            ),
            "--contacts",
        ),
    ],
)
def test_cli_bad_input_exits_2(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli("staffing", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
