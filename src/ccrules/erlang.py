"""Erlang C: how many agents an interval needs on the phones to answer in time.

Contacts arrive at random; each takes an average handle time (AHT). The offered load, in
Erlangs, is contacts x AHT / interval length: 100 contacts in 30 minutes at 180 s each keep
10 agents busy on average. With exactly 10 agents the queue never clears, so more are needed.
Erlang C gives, for a number of agents, the probability that a contact has to wait, the share
answered within a target time (the service level, as in "80% within 20 s"), the average speed
of answer and the agents' occupancy. The published example: 100 contacts per 30 min, AHT 180 s,
80% in 20 s needs 14 agents (service level 88.84%; 13 agents give 79.56%), a contact waits
with probability 17.41%, answer takes 7.8 s on average, occupancy is 71.4%; with 30% shrinkage
(breaks, training, absence) 20 agents must be scheduled.

The formula assumes contacts that wait and do not hang up, so it slightly overstates the
agents a center with abandonment needs; that is the usual, cautious planning figure.
Erlang B is computed by its stable recursion, so hundreds or thousands of Erlangs neither
overflow nor lose precision. :func:`required_many` and :func:`service_levels` do many
intervals at once with numpy; their cost is about one numpy step per agent of the largest
interval.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "Staffing",
    "required_agents",
    "required_many",
    "service_levels",
    "staffing",
    "traffic",
]

#: numbers per interval: a list, a tuple or a 1-D numpy array
FloatValues: TypeAlias = Sequence[float] | npt.NDArray[np.float64]
#: agents per interval: a list, a tuple or a 1-D numpy array of whole numbers
IntValues: TypeAlias = Sequence[int] | npt.NDArray[np.int64]

#: a service level this close below the goal counts as meeting it (rounding noise only)
GOAL_TOLERANCE = 1e-12
#: a head count this close above a whole number is that number: 14 / 0.7 is 20 agents, not 21
COUNT_TOLERANCE = 1e-9


@attrs.frozen
class Staffing:
    """The Erlang C figures of one interval for a number of agents.

    :param contacts: contacts offered in the interval (a forecast may be fractional).
    :param aht_seconds: average handle time of a contact, in seconds.
    :param interval_seconds: length of the interval, in seconds.
    :param target_seconds: the service level's answer time: answered within this many seconds.
    :param traffic: offered load in Erlangs, ``contacts * aht_seconds / interval_seconds``.
    :param agents: agents on the phones.
    :param service_level: share of contacts answered within ``target_seconds``, 0-1.
    :param wait_probability: Erlang C: the probability that a contact has to wait, 0-1.
    :param asa_seconds: average speed of answer, in seconds; ``math.inf`` when
        ``agents <= traffic`` (the queue grows without end).
    :param occupancy: share of the agents' time spent on contacts, ``traffic / agents``,
        capped at 1.0; 0 when there is no traffic.
    :param scheduled: agents to roster so that ``agents`` remain on the phones after
        shrinkage: ``ceil(agents / (1 - shrinkage))``; ``agents`` itself when shrinkage is 0.
    :param shrinkage: share of paid time not on the phones (breaks, training, absence), 0-1.
    """

    contacts: float
    aht_seconds: float
    interval_seconds: int
    target_seconds: float
    traffic: float
    agents: int
    service_level: float
    wait_probability: float
    asa_seconds: float
    occupancy: float
    scheduled: int
    shrinkage: float = 0.0


# --------------------------------------------------------------------------------------------
# checks


def _finite(name: str, value: float) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _check_load(contacts: float, aht_seconds: float, where: str = "") -> tuple[float, float]:
    contacts = _finite(f"contacts{where}", contacts)
    aht_seconds = _finite(f"aht_seconds{where}", aht_seconds)
    if contacts < 0:
        raise ValueError(f"contacts{where} must be 0 or more, got {contacts:g}")
    if aht_seconds < 0 or (aht_seconds == 0 and contacts > 0):
        raise ValueError(
            f"aht_seconds{where} must be more than 0 when there are contacts, "
            f"got {aht_seconds:g} (contacts {contacts:g})"
        )
    return contacts, aht_seconds


def _check_interval(interval_seconds: float) -> int:
    seconds = _finite("interval_seconds", interval_seconds)
    if seconds <= 0:
        raise ValueError(f"interval_seconds must be more than 0, got {seconds:g}")
    if seconds != int(seconds):
        raise ValueError(f"interval_seconds must be whole seconds, got {seconds:g}")
    return int(seconds)


def _check_target(target_seconds: float) -> float:
    target = _finite("target_seconds", target_seconds)
    if target < 0:
        raise ValueError(f"target_seconds must be 0 or more, got {target:g}")
    return target


def _check_goal(service_level: float) -> float:
    goal = _finite("service_level", service_level)
    if not 0 < goal < 1:
        raise ValueError(
            f"service_level must be between 0 and 1, exclusive (0.8 for 80%), got {goal:g}"
        )
    return goal


def _check_max_occupancy(max_occupancy: float) -> float:
    cap = _finite("max_occupancy", max_occupancy)
    if not 0 < cap <= 1:
        raise ValueError(
            f"max_occupancy must be more than 0 and at most 1 (0.85 for 85%), got {cap:g}"
        )
    return cap


def _check_shrinkage(shrinkage: float) -> float:
    share = _finite("shrinkage", shrinkage)
    if not 0 <= share < 1:
        raise ValueError(
            f"shrinkage must be 0 or more and less than 1 (0.3 for 30%), got {share:g}"
        )
    return share


def _check_agents(agents: int, where: str = "") -> int:
    try:
        count = operator.index(agents)
    except TypeError:
        raise ValueError(f"agents{where} must be a whole number, got {agents!r}") from None
    if count < 0:
        raise ValueError(f"agents{where} must be 0 or more, got {count}")
    return count


def _float_array(name: str, values: FloatValues) -> npt.NDArray[np.float64]:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of numbers, got {array.ndim} dimensions")
    return array


def _load_arrays(
    contacts: FloatValues, aht_seconds: FloatValues
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    c = _float_array("contacts", contacts)
    h = _float_array("aht_seconds", aht_seconds)
    if c.shape != h.shape:
        raise ValueError(
            f"contacts and aht_seconds must have the same length, got {c.size} and {h.size}"
        )
    bad = ~(np.isfinite(c) & np.isfinite(h)) | (c < 0) | (h < 0) | ((h == 0) & (c > 0))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        _check_load(float(c[first]), float(h[first]), f"[{first}]")
    return c, h


# --------------------------------------------------------------------------------------------
# formulas (the scalar and the vectorised paths do the same float operations in the same order)


def _occupancy_floor(load: float, max_occupancy: float) -> int:
    """Fewest agents whose occupancy ``load / agents`` stays within ``max_occupancy``."""
    if load == 0:
        return 0
    return max(math.ceil(load / max_occupancy - COUNT_TOLERANCE), 0)


def _figures(load: float, agents: int, ratio: float) -> tuple[float, float]:
    """Service level and wait probability for ``load > 0``; ``ratio`` is target / AHT."""
    if agents <= load:
        return 0.0, 1.0
    b = 1.0
    for n in range(1, agents + 1):
        ab = load * b
        b = ab / (n + ab)
    wait = agents * b / (agents - load * (1.0 - b))
    return 1.0 - wait * math.exp(-(agents - load) * ratio), wait


def traffic(contacts: float, aht_seconds: float, interval_seconds: float) -> float:
    """Offered load in Erlangs: ``contacts * aht_seconds / interval_seconds``.

    It is the average number of agents busy with contacts. 100 contacts of 180 s in a
    30-minute interval (1800 s) are 10 Erlangs. Raises ``ValueError`` for negative contacts,
    an AHT of 0 or less with contacts, or an interval of 0 or less.
    """
    contacts, aht_seconds = _check_load(contacts, aht_seconds)
    interval = _finite("interval_seconds", interval_seconds)
    if interval <= 0:
        raise ValueError(f"interval_seconds must be more than 0, got {interval:g}")
    return contacts * aht_seconds / interval


def _staffing(
    contacts: float,
    aht_seconds: float,
    interval: int,
    agents: int,
    target: float,
    shrinkage: float,
) -> Staffing:
    load = contacts * aht_seconds / interval
    if load == 0:
        service, wait, asa, occupancy = 1.0, 0.0, 0.0, 0.0
    else:
        service, wait = _figures(load, agents, target / aht_seconds)
        asa = wait * aht_seconds / (agents - load) if agents > load else math.inf
        occupancy = min(load / agents, 1.0) if agents > 0 else 1.0
    scheduled = (
        agents
        if shrinkage == 0 or agents == 0
        else math.ceil(agents / (1.0 - shrinkage) - COUNT_TOLERANCE)
    )
    return Staffing(
        contacts=contacts,
        aht_seconds=aht_seconds,
        interval_seconds=interval,
        target_seconds=target,
        traffic=load,
        agents=agents,
        service_level=service,
        wait_probability=wait,
        asa_seconds=asa,
        occupancy=occupancy,
        scheduled=scheduled,
        shrinkage=shrinkage,
    )


def staffing(
    contacts: float,
    aht_seconds: float,
    interval_seconds: float,
    agents: int,
    target_seconds: float,
    shrinkage: float = 0.0,
) -> Staffing:
    """The Erlang C figures of one interval for a given number of agents on the phones.

    ``staffing(100, 180, 1800, 14, 20)`` gives service level 0.8884, wait probability 0.1741,
    ASA 7.8 s and occupancy 0.714. With ``agents <= traffic`` the queue grows without end:
    service level 0, wait probability 1, ASA ``math.inf``. With no contacts, everything is
    answered at once: service level 1, wait probability 0, ASA 0, occupancy 0.

    :param contacts: contacts offered in the interval, 0 or more.
    :param aht_seconds: average handle time in seconds; more than 0 when there are contacts.
    :param interval_seconds: interval length in whole seconds (1800 for 30 minutes).
    :param agents: agents on the phones, 0 or more.
    :param target_seconds: answer time of the service level, 0 or more.
    :param shrinkage: share of paid time off the phones, 0 or more and below 1; it only
        changes ``scheduled``.
    :raises ValueError: for any argument out of range; the message names it.
    """
    contacts, aht_seconds = _check_load(contacts, aht_seconds)
    return _staffing(
        contacts,
        aht_seconds,
        _check_interval(interval_seconds),
        _check_agents(agents),
        _check_target(target_seconds),
        _check_shrinkage(shrinkage),
    )


def required_agents(
    contacts: float,
    aht_seconds: float,
    interval_seconds: float,
    target_seconds: float,
    service_level: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents that meet a service level goal, with their Erlang C figures.

    The answer is the smallest number of agents whose service level is at least
    ``service_level`` and whose occupancy is at most ``max_occupancy``.
    ``required_agents(100, 180, 1800, 20, 0.8, shrinkage=0.3)`` gives 14 agents on the phones
    and 20 scheduled. No contacts need 0 agents.

    :param contacts: contacts offered in the interval, 0 or more.
    :param aht_seconds: average handle time in seconds; more than 0 when there are contacts.
    :param interval_seconds: interval length in whole seconds (1800 for 30 minutes).
    :param target_seconds: answer time of the service level, 0 or more.
    :param service_level: the goal, between 0 and 1 exclusive (0.8 for 80%).
    :param max_occupancy: the highest occupancy allowed, above 0 and at most 1 (0.85 keeps
        agents from burning out on a busy line).
    :param shrinkage: share of paid time off the phones, 0 or more and below 1; it sets
        ``scheduled``.
    :raises ValueError: for any argument out of range; the message names it.
    """
    contacts, aht_seconds = _check_load(contacts, aht_seconds)
    interval = _check_interval(interval_seconds)
    target = _check_target(target_seconds)
    goal = _check_goal(service_level) - GOAL_TOLERANCE
    cap = _check_max_occupancy(max_occupancy)
    shrinkage = _check_shrinkage(shrinkage)
    load = contacts * aht_seconds / interval
    agents = 0
    if load > 0:
        ratio = target / aht_seconds
        b = 1.0
        while True:
            agents += 1
            ab = load * b
            b = ab / (agents + ab)
            if agents > load:
                wait = agents * b / (agents - load * (1.0 - b))
                if 1.0 - wait * math.exp(-(agents - load) * ratio) >= goal:
                    break
        agents = max(agents, _occupancy_floor(load, cap))
    return _staffing(contacts, aht_seconds, interval, agents, target, shrinkage)


def service_levels(
    contacts: FloatValues,
    aht_seconds: FloatValues,
    interval_seconds: float,
    agents: IntValues,
    target_seconds: float,
) -> list[float]:
    """The service level of many intervals at once (numpy), each for its own agents.

    Element ``i`` equals ``staffing(contacts[i], aht_seconds[i], interval_seconds,
    agents[i], target_seconds).service_level`` (to the last digit or two). The cost is about
    ``max(agents)`` numpy steps, however many intervals there are.

    :param contacts: contacts offered per interval, 0 or more.
    :param aht_seconds: average handle time per interval, in seconds; same length.
    :param interval_seconds: interval length in whole seconds, the same for all.
    :param agents: agents on the phones per interval, whole numbers, 0 or more; same length.
    :param target_seconds: answer time of the service level, 0 or more.
    :raises ValueError: for lengths that differ or any value out of range; the message
        names the first bad element.
    """
    c, h = _load_arrays(contacts, aht_seconds)
    interval = _check_interval(interval_seconds)
    target = _check_target(target_seconds)
    raw = np.asarray(agents)
    if raw.shape != c.shape:
        raise ValueError(
            f"agents must have the same length as contacts, got {raw.size} and {c.size}"
        )
    if raw.ndim != 1 or (raw.size and not np.issubdtype(raw.dtype, np.integer)):
        for i, value in enumerate(np.ravel(raw).tolist()):
            _check_agents(value, f"[{i}]")  # names the first that is not a whole number
    n_all = raw.astype(np.int64)
    if (n_all < 0).any():
        first = int(np.flatnonzero(n_all < 0)[0])
        _check_agents(int(n_all[first]), f"[{first}]")
    load = c * h / interval
    result = np.where(load == 0, 1.0, 0.0)  # no traffic: all answered; agents <= traffic: none
    todo = np.flatnonzero((load > 0) & (n_all > load))
    if todo.size:
        order = todo[np.argsort(n_all[todo], kind="stable")]
        a = load[order]
        n_sorted = n_all[order]
        ratio = target / h[order]
        b = np.ones(order.size)
        for n in range(1, int(n_sorted[-1]) + 1):
            start = int(np.searchsorted(n_sorted, n, side="left"))  # agents >= n from here
            ab = a[start:] * b[start:]
            b[start:] = ab / (n + ab)
        wait = n_sorted * b / (n_sorted - a * (1.0 - b))
        result[order] = 1.0 - wait * np.exp(-(n_sorted - a) * ratio)
    return [float(x) for x in result]


def required_many(
    contacts: FloatValues,
    aht_seconds: FloatValues,
    interval_seconds: float,
    target_seconds: float,
    service_level: float,
    max_occupancy: float = 1.0,
) -> list[int]:
    """The fewest agents of many intervals at once (numpy), with one goal for all.

    Element ``i`` equals ``required_agents(contacts[i], aht_seconds[i], interval_seconds,
    target_seconds, service_level, max_occupancy).agents``. The intervals are walked together,
    one agent at a time, and each drops out once it meets the goal, so the cost is about as
    many numpy steps as the busiest interval needs agents: 96 intervals x 50 skills of up to
    200 Erlangs take a few milliseconds.

    :param contacts: contacts offered per interval, 0 or more.
    :param aht_seconds: average handle time per interval, in seconds; same length.
    :param interval_seconds: interval length in whole seconds, the same for all.
    :param target_seconds: answer time of the service level, 0 or more.
    :param service_level: the goal, between 0 and 1 exclusive (0.8 for 80%).
    :param max_occupancy: the highest occupancy allowed, above 0 and at most 1.
    :raises ValueError: for lengths that differ or any value out of range; the message
        names the first bad element.
    """
    c, h = _load_arrays(contacts, aht_seconds)
    interval = _check_interval(interval_seconds)
    target = _check_target(target_seconds)
    goal = _check_goal(service_level) - GOAL_TOLERANCE
    cap = _check_max_occupancy(max_occupancy)
    load = c * h / interval
    result = np.zeros(load.size, dtype=np.int64)
    busy = np.flatnonzero(load > 0)
    # sorted by load, the intervals that can meet the goal at n agents (load < n) are a prefix
    order = busy[np.argsort(load[busy], kind="stable")]
    a = load[order]
    ratio = target / h[order]
    b = np.ones(order.size)
    n = 0
    while order.size:
        n += 1
        ab = a * b
        b = ab / (n + ab)
        k = int(np.searchsorted(a, n, side="left"))
        if k == 0:
            continue
        ak, bk = a[:k], b[:k]
        wait = n * bk / (n - ak * (1.0 - bk))
        met = np.flatnonzero(1.0 - wait * np.exp(-(n - ak) * ratio[:k]) >= goal)
        if met.size:
            result[order[met]] = n
            keep = np.ones(order.size, dtype=bool)
            keep[met] = False
            order, a, ratio, b = order[keep], a[keep], ratio[keep], b[keep]
    floor = np.where(load > 0, np.ceil(load / cap - COUNT_TOLERANCE), 0.0)
    return [int(x) for x in np.maximum(result, floor.astype(np.int64))]
