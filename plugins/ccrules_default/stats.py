"""Statistics of the evaluation stage, as pure functions over plain floats.

The effect of training is measured as a **difference in differences with baseline
matching**: each agent is a unit ``(group, before, after)``; units are put in strata keyed by
their group (a competency) and a band of width ``width`` on the before value
(``floor(before / width)``). In every stratum holding at least one trained and one comparison
unit, the stratum's effect is the mean change of the trained less the mean change of the
comparison units; the overall effect is the mean of the strata's effects weighted by their
trained units. Trained units in a stratum without comparison units are *unmatched*: counted,
not used.

The 95% interval comes from the stratified variance ``sum w_s^2 (var_t/n_t + var_c/n_c)``
(``w_s`` the stratum's share of matched trained units, variances with ``n - 1``), with the
exact Student t quantile at the Welch-Satterthwaite degrees of freedom (fractional degrees of
freedom are kept, not rounded; no table stops at 30). A side of a stratum with a
single unit has no variance of its own: it takes the pooled within-stratum variance of the
same side over the matched strata that have two units or more (with that pooled variance's
degrees of freedom); when that side has no such stratum, the other side's pooled variance;
when neither has, the interval is unknown.

Nothing here imports the engine, so the functions can be property-tested on their own.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

#: (group, before, after): one agent measured in both windows; the group is what strata are
#: keyed by besides the band (the competency).
Unit = tuple[str, float, float]

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
    """Units of one side of one stratum: how many, their before and after sums, and the mean
    and sum of squared deviations of their changes (after - before)."""

    n: int
    before: float
    after: float
    change: float
    squares: float

    @classmethod
    def of(cls, pairs: Sequence[tuple[float, float]]) -> Summary:
        n = len(pairs)
        changes = [a - b for b, a in pairs]
        mean = sum(changes) / n
        return cls(
            n,
            sum(b for b, _ in pairs),
            sum(a for _, a in pairs),
            mean,
            sum((c - mean) ** 2 for c in changes),
        )


def stratify(units: Iterable[Unit], width: float) -> dict[Key, Summary]:
    """Units summarised per (group, band), keys sorted."""
    found: dict[Key, list[tuple[float, float]]] = {}
    for group, before, after in units:
        found.setdefault((group, band_index(before, width)), []).append((before, after))
    return {key: Summary.of(found[key]) for key in sorted(found)}


@attrs.frozen
class Did:
    """A difference in differences.

    :param effect: trained-weighted mean over matched strata of (trained mean change -
        comparison mean change); ``None`` when ``enough`` is false.
    :param low: lower end of the 95% interval; ``None`` when not enough data or no variance
        can be estimated.
    :param treated: matched trained units (in a stratum with a comparison unit).
    :param compared: comparison units in matched strata.
    :param unmatched: trained units in strata without comparison units, left out.
    :param unused: comparison units in strata without trained units, left out.
    :param strata: matched strata.
    :param treated_before: mean before value of the matched trained units (``None`` if none);
        the other means likewise.
    :param df: Welch-Satterthwaite degrees of freedom of the interval.
    :param enough: both ``treated`` and ``compared`` reach ``min_group``.
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


def _pooled(sides: Sequence[Summary]) -> tuple[float, int] | None:
    """Pooled within-stratum variance and its degrees of freedom, over summaries of 2+."""
    df = sum(s.n - 1 for s in sides if s.n >= 2)
    if df == 0:
        return None
    return sum(s.squares for s in sides if s.n >= 2) / df, df


def did_strata(
    treated: Mapping[Key, Summary], control: Mapping[Key, Summary], min_group: int
) -> Did:
    """Difference in differences from units already summarised per stratum."""
    matched = sorted(k for k in treated if k in control)
    unmatched = sum(treated[k].n for k in treated if k not in control)
    unused = sum(control[k].n for k in control if k not in treated)
    n_t = sum(treated[k].n for k in matched)
    n_c = sum(control[k].n for k in matched)

    def mean(total: float, n: int) -> float | None:
        return total / n if n else None

    means = (
        mean(sum(treated[k].before for k in matched), n_t),
        mean(sum(treated[k].after for k in matched), n_t),
        mean(sum(control[k].before for k in matched), n_c),
        mean(sum(control[k].after for k in matched), n_c),
    )
    enough = n_t >= min_group and n_c >= min_group and n_t > 0 and n_c > 0
    if not enough:
        return Did(
            None, None, None, None, None, n_t, n_c, unmatched, unused, len(matched), *means, False
        )
    effect = sum(treated[k].n * (treated[k].change - control[k].change) for k in matched) / n_t
    spread = _spread(treated, control, matched, n_t)
    if spread is None:
        low = high = se = dof = None
    else:
        se, dof = spread
        margin = t975(dof) * se
        low, high = round(effect - margin, 6), round(effect + margin, 6)
        se = round(se, 6)
    return Did(
        round(effect, 6),
        low,
        high,
        se,
        dof,
        n_t,
        n_c,
        unmatched,
        unused,
        len(matched),
        *means,
        True,
    )


def _spread(
    treated: Mapping[Key, Summary],
    control: Mapping[Key, Summary],
    matched: Sequence[Key],
    n_t: int,
) -> tuple[float, float] | None:
    """Standard error of the stratified effect and its Welch-Satterthwaite degrees of
    freedom; ``None`` when no side of any matched stratum has two units."""
    pooled_t = _pooled([treated[k] for k in matched])
    pooled_c = _pooled([control[k] for k in matched])
    components: list[tuple[float, float]] = []  # (share of the variance, degrees of freedom)
    for key in matched:
        weight = treated[key].n / n_t
        for side, own, other in (
            (treated[key], pooled_t, pooled_c),
            (control[key], pooled_c, pooled_t),
        ):
            if side.n >= 2:
                variance, df = side.squares / (side.n - 1), float(side.n - 1)
            else:
                fallback = own if own is not None else other
                if fallback is None:
                    return None
                variance, df = fallback[0], float(fallback[1])
            components.append((weight**2 * variance / side.n, df))
    total = sum(share for share, _ in components)
    if total <= 0:
        return 0.0, math.inf
    return math.sqrt(total), total**2 / sum(s**2 / df for s, df in components if s > 0)


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
