"""Statistics of the evaluation stage, as pure functions over plain floats.

The effect of training is measured as a **difference in differences with baseline
matching**: a unit is one agent measured on one group (a competency) in both windows,
``(group, agent, before, after)``; an agent trained on three competencies is three units of
one agent. Units are put in strata keyed by their group and a band of width ``width`` on the
before value (``floor(before / width)``). In every stratum holding at least one trained and
one comparison unit, the stratum's effect is the mean change of the trained less the mean
change of the comparison units; the overall effect is the mean of the strata's effects
weighted by their trained units. Trained units in a stratum without comparison units are
*unmatched*: left out, and their agents counted and named. Group sizes are distinct agents.

The 95% interval is **clustered by agent**, because one agent's units are not independent
(the same person, the same weeks; for a KPI, the very same figure under each competency it
is mapped to). The effect is a linear sum ``sum_i a_i y_i`` of the units' changes; its
variance is estimated as ``sum_g (sum_{i in g} b_i e_i)^2`` over agents ``g``, with ``e_i``
a unit's change less its stratum side's mean and ``b_i = a_i sqrt(n / (n - 1))`` (``n`` the
units on that side): the CR2 (Bell-McCaffrey) estimator, which for this design, where an
agent has at most one unit on a side, needs no matrix. When every agent has one unit it is
exactly the stratified variance ``sum w_s^2 (var_t/n_t + var_c/n_c)`` (``w_s`` the stratum's
share of matched trained units, variances with ``n - 1``); an agent's units on several sides
add the cross products of their residuals, which widens the interval when an agent's
changes go together. The exact Student t quantile is taken at Satterthwaite degrees of
freedom computed under the working model of independent units, each side with its own
variance: with one unit per agent these are the Welch-Satterthwaite degrees of freedom, and
they fall as agents share sides (fractional degrees of freedom are kept, not rounded; no
table stops at 30). A side of a stratum with a single unit has no variance of its own: it
takes the pooled within-stratum variance of the same side over the matched strata that have
two units or more (with that pooled variance's degrees of freedom), counted as independent
of its agent's other units; when that side has no such stratum, the other side's pooled
variance; when neither has, the interval is unknown.

Nothing here imports the engine, so the functions can be property-tested on their own.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

#: (group, agent, before, after): one agent measured on one group in both windows; the group
#: is what strata are keyed by besides the band (the competency), the agent what the
#: interval is clustered by.
Unit = tuple[str, str, float, float]

#: (group, band index)
Key = tuple[str, int]

#: the normal's 0.975 quantile: Student's t with infinite degrees of freedom
Z975 = 1.959963984540054


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return result


def _beta_regularized(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
        + b * math.log1p(-x)
    )  # fmt: skip
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom (``t`` >= 0)."""
    return 0.5 * _beta_regularized(df / 2.0, 0.5, df / (df + t * t))


@functools.lru_cache(maxsize=4096)
def t975(df: float) -> float:
    """The 0.975 quantile of Student's t for ``df`` degrees of freedom (fractional ones too,
    as Welch-Satterthwaite gives them; below 1 counts as 1; infinite: the normal's)."""
    if math.isinf(df):
        return Z975
    df = max(df, 1.0)
    if df >= 3:
        # the Cornish-Fisher expansion is within 1e-3 here; Newton steps on the exact tail
        z, v = Z975, df
        t = (
            z
            + (z**3 + z) / (4 * v)
            + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        )
        log_density = math.lgamma((v + 1) / 2) - math.lgamma(v / 2) - 0.5 * math.log(v * math.pi)
        for _ in range(20):
            density = math.exp(log_density - (v + 1) / 2 * math.log1p(t * t / v))
            step = (t_tail(t, v) - 0.025) / density
            t += step
            if abs(step) < 1e-12:
                break
        return round(t, 9)
    low, high = Z975, 13.0  # t975 falls from 12.706 (df 1) towards Z975
    for _ in range(200):
        middle = (low + high) / 2
        if t_tail(middle, df) > 0.025:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return round((low + high) / 2, 9)


def band_index(before: float, width: float) -> int:
    """The band a before value falls in: ``floor(before / width)``."""
    return math.floor(before / width)


@attrs.frozen
class Summary:
    """Units of one side of one stratum: how many, their before and after sums, the mean and
    sum of squared deviations of their changes (after - before), and whose they are.

    :param agents: the units' agents, in the order given; ``changes`` is parallel to it.
    """

    n: int
    before: float
    after: float
    change: float
    squares: float
    agents: tuple[str, ...] = ()
    changes: tuple[float, ...] = ()

    @classmethod
    def of(cls, rows: Sequence[tuple[str, float, float]]) -> Summary:
        """The summary of ``(agent, before, after)`` rows."""
        n = len(rows)
        changes = [a - b for _, b, a in rows]
        mean = sum(changes) / n
        return cls(
            n,
            sum(b for _, b, _ in rows),
            sum(a for _, _, a in rows),
            mean,
            sum((c - mean) ** 2 for c in changes),
            tuple(agent for agent, _, _ in rows),
            tuple(changes),
        )


def stratify(units: Iterable[Unit], width: float) -> dict[Key, Summary]:
    """Units summarised per (group, band), keys sorted.

    :raises ValueError: when an agent has two units in one group.
    """
    found: dict[Key, list[tuple[str, float, float]]] = {}
    seen: set[tuple[str, str]] = set()
    for group, agent, before, after in units:
        if (group, agent) in seen:
            raise ValueError(f"agent {agent!r} has two units in group {group!r}")
        seen.add((group, agent))
        found.setdefault((group, band_index(before, width)), []).append((agent, before, after))
    return {key: Summary.of(found[key]) for key in sorted(found)}


@attrs.frozen
class Did:
    """A difference in differences.

    Group sizes count distinct agents; the ``*_units`` counts count units (an agent trained
    on three competencies is one trained agent and three units).

    :param effect: trained-weighted mean over matched strata of (trained mean change -
        comparison mean change); ``None`` when ``enough`` is false.
    :param low: lower end of the 95% interval, clustered by agent; ``None`` when not enough
        data or no variance can be estimated.
    :param se: standard error of ``effect``, clustered by agent.
    :param df: degrees of freedom of the interval (Satterthwaite, see the module).
    :param treated: distinct agents with a matched trained unit (in a stratum with a
        comparison unit).
    :param compared: distinct agents with a comparison unit in a matched stratum.
    :param unmatched: distinct agents with a trained unit in a stratum without comparison
        units, left out (an agent can also be among ``treated`` through another unit).
    :param unused: distinct agents with a comparison unit in a stratum without trained units.
    :param strata: matched strata.
    :param treated_before: mean before value of the matched trained units (``None`` if none);
        the other means likewise.
    :param enough: both ``treated`` and ``compared`` reach ``min_group``.
    :param treated_units: matched trained units; ``compared_units`` and ``unmatched_units``
        likewise.
    :param unmatched_agents: the ``unmatched`` agents' ids, sorted.
    :param repeated: agents with units on more than one side of the matched strata: those
        the clustering of the interval takes together.
    """

    effect: float | None
    low: float | None
    high: float | None
    se: float | None
    df: float | None
    treated: int
    compared: int
    unmatched: int
    unused: int
    strata: int
    treated_before: float | None
    treated_after: float | None
    control_before: float | None
    control_after: float | None
    enough: bool
    treated_units: int = 0
    compared_units: int = 0
    unmatched_units: int = 0
    unmatched_agents: tuple[str, ...] = ()
    repeated: int = 0


def _pooled(sides: Sequence[Summary]) -> tuple[float, int] | None:
    """Pooled within-stratum variance and its degrees of freedom, over summaries of 2+."""
    df = sum(s.n - 1 for s in sides if s.n >= 2)
    if df == 0:
        return None
    return sum(s.squares for s in sides if s.n >= 2) / df, df


@attrs.frozen
class _Group:
    """A comparison group's agents numbered once: each side's agents as numbers, and in how
    many of the group's strata each agent is (an agent listed twice in a side counts twice,
    as in a Counter of the agents)."""

    sides: tuple[Summary, ...]  # kept: their ids stay theirs while cached
    index: dict[str, int]
    numbers: dict[int, npt.NDArray[np.intp]]  # id(side) -> its agents' numbers
    strata: npt.NDArray[np.intp]  # agent number -> strata it is in

    def counts(self, control: Mapping[Key, Summary], keys: Sequence[Key]) -> npt.NDArray[np.intp]:
        """How many of the strata ``keys`` each agent of the group is in."""
        if not keys:
            return np.zeros(len(self.index), dtype=np.intp)
        numbers = np.concatenate([self.numbers[id(control[k])] for k in keys])
        return np.bincount(numbers, minlength=len(self.index))


#: comparison groups by the identity of their sides; an evaluation builds a new mapping per
#: subject from the same side objects, so the group is numbered once per evaluation
_GROUPS: dict[tuple[int, ...], _Group] = {}


def _group(control: Mapping[Key, Summary]) -> _Group:
    sides = tuple(control.values())
    key = tuple(id(side) for side in sides)
    found = _GROUPS.get(key)
    if found is not None and all(a is b for a, b in zip(found.sides, sides, strict=True)):
        return found
    if len(_GROUPS) > 256:
        _GROUPS.clear()
    index: dict[str, int] = {}
    numbers: dict[int, npt.NDArray[np.intp]] = {}
    for side in sides:
        numbers[id(side)] = np.fromiter(
            (index.setdefault(a, len(index)) for a in side.agents),
            dtype=np.intp,
            count=len(side.agents),
        )
    strata = np.bincount(
        np.concatenate(list(numbers.values())) if numbers else np.zeros(0, dtype=np.intp),
        minlength=len(index),
    )
    group = _GROUPS[key] = _Group(sides, index, numbers, strata)
    return group


def compared_agents(control: Mapping[Key, Summary], keys: Sequence[Key]) -> int:
    """Distinct comparison agents in the strata ``keys`` of ``control``."""
    group = _group(control)
    return int(np.count_nonzero(group.counts(control, keys)))


def _agents(sides: Iterable[Summary]) -> set[str]:
    return {agent for side in sides for agent in side.agents}


def did_strata(
    treated: Mapping[Key, Summary], control: Mapping[Key, Summary], min_group: int
) -> Did:
    """Difference in differences from units already summarised per stratum (see the
    module's docstring for the method)."""
    matched = sorted(k for k in treated if k in control)
    left_out = [treated[k] for k in sorted(treated) if k not in control]
    unmatched_agents = tuple(sorted(_agents(left_out)))
    n_t = sum(treated[k].n for k in matched)
    n_c = sum(control[k].n for k in matched)
    agents_t = len(_agents(treated[k] for k in matched))
    # The comparison group is the same for every subject of an evaluation: its agents are
    # numbered once (_group), and a subject counts its matched strata per agent with one
    # bincount. Unused are the agents in some stratum this subject does not match.
    group = _group(control)
    in_matched = group.counts(control, matched)
    agents_c = int(np.count_nonzero(in_matched))
    unused = len(group.index) - int(np.count_nonzero(in_matched == group.strata))
    # in more than one matched stratum, counting both sides (an agent may be on both)
    repeated = int(np.count_nonzero(in_matched > 1))
    for agent, count in Counter(a for k in matched for a in treated[k].agents).items():
        number = group.index.get(agent)
        before = int(in_matched[number]) if number is not None else 0
        repeated += (before + count > 1) - (before > 1)

    def mean(total: float, n: int) -> float | None:
        return total / n if n else None

    means = (
        mean(sum(treated[k].before for k in matched), n_t),
        mean(sum(treated[k].after for k in matched), n_t),
        mean(sum(control[k].before for k in matched), n_c),
        mean(sum(control[k].after for k in matched), n_c),
    )
    unmatched_units = sum(s.n for s in left_out)

    def result(
        effect: float | None,
        low: float | None,
        high: float | None,
        se: float | None,
        df: float | None,
        enough: bool,
    ) -> Did:
        return Did(
            effect,
            low,
            high,
            se,
            df,
            treated=agents_t,
            compared=agents_c,
            unmatched=len(unmatched_agents),
            unused=unused,
            strata=len(matched),
            treated_before=means[0],
            treated_after=means[1],
            control_before=means[2],
            control_after=means[3],
            enough=enough,
            treated_units=n_t,
            compared_units=n_c,
            unmatched_units=unmatched_units,
            unmatched_agents=unmatched_agents,
            repeated=repeated,
        )

    if not (agents_t >= min_group and agents_c >= min_group and n_t > 0 and n_c > 0):
        return result(None, None, None, None, None, False)
    effect = sum(treated[k].n * (treated[k].change - control[k].change) for k in matched) / n_t
    spread = _spread(treated, control, matched, n_t)
    if spread is None:
        low = high = se = dof = None
    else:
        se, dof = spread
        margin = t975(dof) * se
        low, high = round(effect - margin, 6), round(effect + margin, 6)
        se = round(se, 6)
    return result(round(effect, 6), low, high, se, dof, True)


def _spread(
    treated: Mapping[Key, Summary],
    control: Mapping[Key, Summary],
    matched: Sequence[Key],
    n_t: int,
) -> tuple[float, float] | None:
    """Standard error of the stratified effect, clustered by agent, and its Satterthwaite
    degrees of freedom; ``None`` when no side of any matched stratum has two units."""
    pooled_t = _pooled([treated[k] for k in matched])
    pooled_c = _pooled([control[k] for k in matched])
    components: list[tuple[float, float]] = []  # (share of the variance, degrees of freedom)
    # sides of two units or more: (coefficient of a unit's residual, own variance, side)
    cells: list[tuple[float, float, Summary]] = []
    for key in matched:
        weight = treated[key].n / n_t
        for sign, side, own, other in (
            (1.0, treated[key], pooled_t, pooled_c),
            (-1.0, control[key], pooled_c, pooled_t),
        ):
            if side.n >= 2:
                variance, df = side.squares / (side.n - 1), float(side.n - 1)
                cells.append((sign * weight / math.sqrt(side.n * (side.n - 1)), variance, side))
            else:
                fallback = own if own is not None else other
                if fallback is None:
                    return None
                variance, df = fallback[0], float(fallback[1])
            components.append((weight**2 * variance / side.n, df))
    total = sum(share for share, _ in components)
    within, between = _clustered(cells)
    variance_of_effect = max(total + within, 0.0)
    if variance_of_effect <= 0:
        return 0.0, math.inf
    spread = sum(s**2 / df for s, df in components if s > 0) + between
    if total <= 0 or spread <= 0:
        return math.sqrt(variance_of_effect), math.inf
    return math.sqrt(variance_of_effect), total**2 / spread


def _clustered(cells: Sequence[tuple[float, float, Summary]]) -> tuple[float, float]:
    """What clustering by agent adds to the variance of the effect and to the denominator of
    its Satterthwaite degrees of freedom, over the sides of two units or more: both are 0
    when no agent has units on two of those sides.

    The effect is ``sum_i a_i y_i`` over the units' changes ``y_i``. With residuals ``e_i``
    from their side's mean, each scaled by ``sqrt(n / (n - 1))`` (the CR2 adjustment, exact
    here: an agent has at most one unit on a side), the variance is ``sum_g (sum_{i in g}
    b_i e_i)^2`` over agents ``g``: the unclustered sum of squares plus the cross products
    of an agent's own units, returned first. Under the working model (independent units,
    each side with its own variance) the variance estimate is ``sum_k d_k A_k`` with ``A_k``
    the centering matrix of side ``k`` seen per agent and ``d_k`` its variance times its
    coefficient squared; its Satterthwaite denominator ``||sum_k d_k A_k||^2`` adds, for every
    two sides ``k``, ``l`` sharing ``m`` agents, ``2 d_k d_l m (1 - 1/n_k - 1/n_l +
    m / (n_k n_l))``, returned second.
    """
    if len(cells) < 2:
        return 0.0, 0.0  # an agent has at most one unit on a side: nothing is shared
    # Computed with arrays: an evaluation calls this once per subject, each time with the
    # whole comparison group (tens of thousands of agents at 50,000), whose numbering and
    # residuals are kept per side (see _side).
    if len(_SIDES) > 1 << 14 or len(_AGENT_NUMBERS) > 1 << 22:
        _SIDES.clear()  # before numbering any side of this call: numbers stay consistent
        _AGENT_NUMBERS.clear()
    numbered = [_side(side) for _, _, side in cells]
    agent = np.concatenate([ids for ids, _ in numbered])
    terms = np.concatenate(
        [
            coefficient * residuals
            for (coefficient, _, _), (_, residuals) in zip(cells, numbered, strict=True)
        ]
    )
    # per agent present, in the order of their numbers (no sort: the numbers are dense)
    units = np.bincount(agent, minlength=len(_AGENT_NUMBERS))
    present = units > 0
    per_agent = np.bincount(agent, weights=terms, minlength=len(_AGENT_NUMBERS))[present]
    # sum over agents of (their terms' sum)^2 less their squares: the cross products
    within = float(per_agent @ per_agent - terms @ terms)
    # m[k, l]: agents on both sides k and l, from the agents on more than one side
    several = units > 1
    if not several.any():
        return within, 0.0
    cell = np.repeat(np.arange(len(cells)), [len(ids) for ids, _ in numbered])
    chosen = several[agent]
    row = np.cumsum(several) - 1
    shared = np.zeros((int(several.sum()), len(cells)), dtype=np.float32)
    shared[row[agent[chosen]], cell[chosen]] = 1.0
    m_all = (shared.T @ shared).astype(np.float64)
    first, second = np.triu_indices(len(cells), 1)
    m = m_all[first, second]
    d = np.array([variance * coefficient**2 for coefficient, variance, _ in cells])
    n = np.array([side.n for _, _, side in cells], dtype=np.float64)
    d_k, d_l, n_k, n_l = d[first], d[second], n[first], n[second]
    between = float(np.sum(2 * d_k * d_l * m * (1 - 1 / n_k - 1 / n_l + m / (n_k * n_l))))
    return within, between


#: agent -> number, shared by every side (numbers only need to be equal for equal agents)
_AGENT_NUMBERS: dict[str, int] = {}
#: id of a side -> (the side, its agents' numbers, its units' residuals)
_SIDES: dict[int, tuple[Summary, npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}


def _side(side: Summary) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """A side's agents, numbered, and its units' changes less the side's mean, made once per
    side object (the comparison sides are the same for every subject of an evaluation)."""
    found = _SIDES.get(id(side))
    if found is not None and found[0] is side:
        return found[1], found[2]
    ids = np.array(
        [_AGENT_NUMBERS.setdefault(a, len(_AGENT_NUMBERS)) for a in side.agents], dtype=np.int64
    )
    residuals = np.array(side.changes, dtype=np.float64) - side.change
    _SIDES[id(side)] = (side, ids, residuals)
    return ids, residuals


def did(treated: Sequence[Unit], control: Sequence[Unit], band: float, min_group: int) -> Did:
    """Difference in differences of ``treated`` against ``control`` units, matched on bands
    of width ``band`` of the before value (see the module's docstring)."""
    return did_strata(stratify(treated, band), stratify(control, band), min_group)


def share_at_least(changes: Iterable[float], threshold: float) -> tuple[float | None, int]:
    """Share of ``changes`` at or above ``threshold`` and how many there were."""
    values = list(changes)
    if not values:
        return None, 0
    return sum(1 for c in values if c >= threshold) / len(values), len(values)
