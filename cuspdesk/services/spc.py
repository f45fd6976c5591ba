"""Shewhart (SPC) charts: centre line, 3-sigma limits and special-cause rules.

One function per chart kind returns plain tuples the GUI, the CLI and the PDFs can
draw. Limits are worked out from the baseline points only (``in_baseline``) and
extended to every point; all points, baseline or not, are tested against them.

Formulas (sigma is per point where the denominator varies):

* p  (proportions): p̄ = Σnum / Σden;  σᵢ = √(p̄(1 − p̄)/nᵢ); limits clipped to [0, 1].
* u  (rates):       ū = Σnum / Σden;  σᵢ = √(ū/nᵢ); lower limit floored at 0.
* c  (counts):      c̄ = mean;         σ = √c̄; lower limit floored at 0.
* i  (individuals): x̄ = mean; MR̄ = mean |xᵢ − xᵢ₋₁| over consecutive baseline values;
  limits x̄ ± 2.66 MR̄ (so σ = 2.66 MR̄ / 3); moving-range chart upper limit 3.267 MR̄.
* g  (cases between events, geometric): Benneyan (2001) limits for a count that can
  be 0: ḡ ± 3√(ḡ(ḡ + 1)), lower floored at 0 (so it is always 0). Only the
  outside-limits rule is applied, because the skewed geometric distribution does
  not give the sigma zones or the runs about the mean their usual probabilities.
* t  (time between events): Nelson's (1994) transform y = t^(1/3.6) turns the
  exponential into a near-normal Weibull; an I-chart is run on y, its limits are
  floored at 0 and back-transformed (t = y^3.6) for drawing. Rules are tested on y.

Rule sets:

* ``we`` Western Electric (1956): ``outside_limits`` (beyond 3σ), ``two_of_three``
  (2 of 3 consecutive beyond 2σ on one side), ``four_of_five`` (4 of 5 beyond 1σ on
  one side), ``eight_side`` (8 in a row on one side of the centre line), plus
  ``fifteen_inner`` (15 in a row within 1σ of the centre: stratification).
* ``mdc`` NHS Making Data Count (2019): ``outside_limits``, ``shift`` (7 in a row on
  one side of the mean), ``trend`` (6 in a row all rising or all falling; an equal
  value ends the trend), ``two_of_three`` (2 of 3 near or beyond 2σ on one side).

A point exactly on the centre line is on neither side, so it ends a one-side run.
Where σ is 0 the zone rules (two_of_three, four_of_five, fifteen_inner) are skipped
for that point: with no spread there are no zones.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services.run_chart import shift_points, trend_points

SpcRules = Literal["we", "mdc"]
SPC_RULES: tuple[SpcRules, ...] = ("we", "mdc")

I_CHART_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two
MR_UCL_FACTOR = 3.267  # D4 for moving ranges of two
T_CHART_EXPONENT = 3.6  # Nelson (1994)


@dataclass(frozen=True)
class SpcResult:
    """Everything needed to draw or report one control chart."""

    values: tuple[float | None, ...]
    centre: tuple[float, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    signals: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    moving_ranges: tuple[float | None, ...] = ()
    mr_upper: float | None = None


# ---------------------------------------------------------------- rules

RULE_ORDER: dict[str, tuple[str, ...]] = {
    "we": ("outside_limits", "two_of_three", "four_of_five", "eight_side", "fifteen_inner"),
    "mdc": ("outside_limits", "shift", "trend", "two_of_three"),
}


def _tolerance(x: float) -> float:
    """Rounding slack for comparing a value with a computed mean or limit.

    A baseline of identical values, or of identical proportions with different
    denominators, gives a mean that can differ from those values in the last bit;
    without slack every point would sit "below the mean" and fire a run rule.
    """
    return 1e-9 * max(1.0, abs(x))


def _flag_long(stretch: list[int], length: int, name: str, flags: list[set[str]]) -> None:
    if len(stretch) >= length:
        for j in stretch:
            flags[j].add(name)


def detect_signals(
    values: Sequence[float | None],
    centre: float,
    sigma: Sequence[float | None],
    rules: SpcRules,
    *,
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    zone_rules: bool = True,
) -> list[list[str]]:
    """Names of the rules that flag each point, in the rule set's order.

    All four sequences are on the scale the rules are tested on (for a t-chart the
    transformed scale). Missing values (None) are skipped: they neither count for
    nor break a pattern.
    """
    if rules not in SPC_RULES:
        raise ValidationError(f"Unknown control chart rules '{rules}': use we or mdc.")
    n = len(values)
    flags: list[set[str]] = [set() for _ in range(n)]
    present = [i for i in range(n) if values[i] is not None]
    tol = _tolerance(centre)

    def z(i: int) -> float | None:
        v, s = values[i], sigma[i]
        if v is None or s is None or s <= 0:
            return None
        return 0.0 if abs(v - centre) <= tol else (v - centre) / s

    for i in present:
        v = values[i]
        lo, hi = lower[i], upper[i]
        assert v is not None
        if (hi is not None and v > hi + _tolerance(hi)) or (
            lo is not None and v < lo - _tolerance(lo)
        ):
            flags[i].add("outside_limits")

    zs = {i: z(i) for i in present}

    def k_of_m(k: int, m: int, bound: float, name: str) -> None:
        for start in range(len(present) - m + 1):
            window = present[start : start + m]
            for sign in (1.0, -1.0):
                hits = [i for i in window if (zi := zs[i]) is not None and sign * zi > bound]
                if len(hits) >= k:
                    for i in hits:
                        flags[i].add(name)

    if zone_rules:
        k_of_m(2, 3, 2.0, "two_of_three")
    if rules == "we":
        if zone_rules:
            k_of_m(4, 5, 1.0, "four_of_five")
        for i in shift_points(values, centre, 8, on_centre="break", tolerance=tol):
            flags[i].add("eight_side")
        if zone_rules:
            stretch: list[int] = []
            for i in present:
                zi = zs[i]
                if zi is not None and abs(zi) < 1.0:
                    stretch.append(i)
                    continue
                _flag_long(stretch, 15, "fifteen_inner", flags)
                stretch = []
            _flag_long(stretch, 15, "fifteen_inner", flags)
    else:
        for i in shift_points(values, centre, 7, on_centre="break", tolerance=tol):
            flags[i].add("shift")
        for i in trend_points(values, 6, ties="break"):
            flags[i].add("trend")

    order = RULE_ORDER[rules]
    return [[name for name in order if name in f] for f in flags]


# ---------------------------------------------------------------- helpers


def _labels(labels: Sequence[str] | None, n: int) -> list[str]:
    return list(labels) if labels is not None else [f"Point {i + 1}" for i in range(n)]


def _mask(in_baseline: Sequence[bool] | None, n: int) -> list[bool]:
    if in_baseline is None:
        return [True] * n
    if len(in_baseline) != n:
        raise ValueError("in_baseline must be as long as the data")
    return list(in_baseline)


def _need_two(count: int, kind: str) -> None:
    if count < 2:
        raise ValidationError(
            f"A {kind} needs at least 2 periods with data to set its centre line and "
            f"limits; it has {count}."
        )


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs)


# ---------------------------------------------------------------- attribute charts


def p_chart(
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
    multiplier: float = 1.0,
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Proportion chart; limits step with each period's denominator.

    ``multiplier=100`` draws percentages; the limits are then clipped to [0, 100].
    """
    n = len(numerators)
    names = _labels(labels, n)
    mask = _mask(in_baseline, n)
    problems: list[Problem] = []
    for name, num, den in zip(names, numerators, denominators, strict=True):
        if num is None and den is None:
            continue
        if num is None or den is None:
            problems.append(Problem("numerator", f"{name}: give both numerator and denominator."))
        elif den <= 0:
            problems.append(
                Problem(
                    "denominator", f"{name}: the denominator is {_fmt(den)}; it must be above 0."
                )
            )
        elif num < 0:
            problems.append(Problem("numerator", f"{name}: the numerator cannot be below 0."))
        elif num > den:
            problems.append(
                Problem(
                    "numerator",
                    f"{name}: the numerator ({_fmt(num)}) is larger than the denominator "
                    f"({_fmt(den)}), so it cannot be a proportion.",
                )
            )
    _raise(problems)
    rows = list(zip(numerators, denominators, strict=True))
    base = [
        (a, b)
        for (a, b), m in zip(rows, mask, strict=True)
        if m and a is not None and b is not None
    ]
    _need_two(len(base), "p-chart")
    total_den = math.fsum(b for _, b in base if b is not None)
    pbar = math.fsum(a for a, _ in base if a is not None) / total_den
    values: list[float | None] = []
    sigma: list[float | None] = []
    lower: list[float | None] = []
    upper: list[float | None] = []
    for num, den in rows:
        if num is None or den is None:
            values.append(None)
            sigma.append(None)
            lower.append(None)
            upper.append(None)
            continue
        s = math.sqrt(pbar * (1.0 - pbar) / den)
        values.append(num / den * multiplier)
        sigma.append(s * multiplier)
        lower.append(max(0.0, pbar - 3 * s) * multiplier)
        upper.append(min(1.0, pbar + 3 * s) * multiplier)
    centre = pbar * multiplier
    notes = []
    if pbar in (0.0, 1.0):
        notes.append("Every baseline case had the same outcome, so the limits have no width.")
    signals = detect_signals(values, centre, sigma, rules, lower=lower, upper=upper)
    return SpcResult(
        values=tuple(values),
        centre=(centre,) * n,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=tuple(tuple(s) for s in signals),
        notes=tuple(notes),
    )


def u_chart(
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
    multiplier: float = 1.0,
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Rate chart (events per unit of exposure); limits step with each denominator."""
    n = len(numerators)
    names = _labels(labels, n)
    mask = _mask(in_baseline, n)
    problems: list[Problem] = []
    for name, num, den in zip(names, numerators, denominators, strict=True):
        if num is None and den is None:
            continue
        if num is None or den is None:
            problems.append(Problem("numerator", f"{name}: give both numerator and denominator."))
        elif den <= 0:
            problems.append(
                Problem(
                    "denominator", f"{name}: the denominator is {_fmt(den)}; it must be above 0."
                )
            )
        elif num < 0:
            problems.append(Problem("numerator", f"{name}: the numerator cannot be below 0."))
    _raise(problems)
    rows = list(zip(numerators, denominators, strict=True))
    base = [
        (a, b)
        for (a, b), m in zip(rows, mask, strict=True)
        if m and a is not None and b is not None
    ]
    _need_two(len(base), "u-chart")
    ubar = math.fsum(a for a, _ in base if a is not None) / math.fsum(
        b for _, b in base if b is not None
    )
    values: list[float | None] = []
    sigma: list[float | None] = []
    lower: list[float | None] = []
    upper: list[float | None] = []
    for num, den in rows:
        if num is None or den is None:
            values.append(None)
            sigma.append(None)
            lower.append(None)
            upper.append(None)
            continue
        s = math.sqrt(ubar / den)
        values.append(num / den * multiplier)
        sigma.append(s * multiplier)
        lower.append(max(0.0, ubar - 3 * s) * multiplier)
        upper.append((ubar + 3 * s) * multiplier)
    centre = ubar * multiplier
    notes = []
    if ubar == 0:
        notes.append("No events in the baseline, so the limits have no width.")
    signals = detect_signals(values, centre, sigma, rules, lower=lower, upper=upper)
    return SpcResult(
        values=tuple(values),
        centre=(centre,) * n,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=tuple(tuple(s) for s in signals),
        notes=tuple(notes),
    )


def _non_negative(values: Sequence[float | None], names: Sequence[str], what: str) -> None:
    problems = [
        Problem("value", f"{name}: {what} cannot be below 0 (got {_fmt(v)}).")
        for name, v in zip(names, values, strict=True)
        if v is not None and v < 0
    ]
    _raise(problems)


def c_chart(
    values: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Count chart for events in equal-sized opportunities (Poisson: σ = √c̄)."""
    n = len(values)
    names = _labels(labels, n)
    _non_negative(values, names, "a count")
    mask = _mask(in_baseline, n)
    base = [v for v, m in zip(values, mask, strict=True) if m and v is not None]
    _need_two(len(base), "c-chart")
    cbar = _mean(base)
    s = math.sqrt(cbar)
    lo, hi = max(0.0, cbar - 3 * s), cbar + 3 * s
    sigma = [s if v is not None else None for v in values]
    lower = [lo] * n
    upper = [hi] * n
    signals = detect_signals(list(values), cbar, sigma, rules, lower=lower, upper=upper)
    return SpcResult(
        values=tuple(values),
        centre=(cbar,) * n,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=tuple(tuple(x) for x in signals),
    )


# ---------------------------------------------------------------- individuals


def moving_ranges(values: Sequence[float | None]) -> list[float | None]:
    """|xᵢ − previous present value|; None for the first value and for missing ones."""
    out: list[float | None] = []
    prev: float | None = None
    for v in values:
        if v is None:
            out.append(None)
            continue
        out.append(abs(v - prev) if prev is not None else None)
        prev = v
    return out


def _individuals(
    values: Sequence[float | None], mask: Sequence[bool], kind: str
) -> tuple[float, float]:
    """(mean, average moving range) of the baseline values.

    Moving ranges are taken between successive baseline values, stepping over
    excluded or missing periods, as if those periods had not been recorded.
    """
    base = [v for v, m in zip(values, mask, strict=True) if m and v is not None]
    _need_two(len(base), kind)
    mrs = [abs(b - a) for a, b in itertools.pairwise(base)]
    return _mean(base), _mean(mrs)


def i_chart(
    values: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
) -> SpcResult:
    """Individuals chart with its moving-range companion (``moving_ranges``, ``mr_upper``)."""
    n = len(values)
    mask = _mask(in_baseline, n)
    xbar, mrbar = _individuals(values, mask, "I-chart")
    half = I_CHART_FACTOR * mrbar
    s = half / 3.0
    sigma = [s if v is not None else None for v in values]
    lower = [xbar - half] * n
    upper = [xbar + half] * n
    signals = detect_signals(list(values), xbar, sigma, rules, lower=lower, upper=upper)
    notes = []
    if mrbar == 0:
        notes.append("The baseline values do not vary, so the limits have no width.")
    return SpcResult(
        values=tuple(values),
        centre=(xbar,) * n,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=tuple(tuple(x) for x in signals),
        notes=tuple(notes),
        moving_ranges=tuple(moving_ranges(values)),
        mr_upper=MR_UCL_FACTOR * mrbar,
    )


# ---------------------------------------------------------------- rare events


def g_chart(
    values: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Cases between events (Benneyan 2001): ḡ ± 3√(ḡ(ḡ + 1)), lower floored at 0.

    Higher is better when the event is harm: a point above the upper limit means an
    unusually long stretch without the event.
    """
    n = len(values)
    names = _labels(labels, n)
    _non_negative(values, names, "the number of cases between events")
    mask = _mask(in_baseline, n)
    base = [v for v, m in zip(values, mask, strict=True) if m and v is not None]
    _need_two(len(base), "g-chart")
    gbar = _mean(base)
    s = math.sqrt(gbar * (gbar + 1.0))
    lo, hi = max(0.0, gbar - 3 * s), gbar + 3 * s
    sigma = [s if v is not None else None for v in values]
    lower = [lo] * n
    upper = [hi] * n
    signals = detect_signals(
        list(values), gbar, sigma, rules, lower=lower, upper=upper, zone_rules=False
    )
    # only outside_limits is meaningful on a geometric chart (see module docstring)
    kept = [tuple(x for x in s_ if x == "outside_limits") for s_ in signals]
    return SpcResult(
        values=tuple(values),
        centre=(gbar,) * n,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=tuple(kept),
        notes=(
            (
                "g-chart: only points outside the limits are flagged; run and zone rules do "
                "not fit its skewed distribution."
            ),
        ),
    )


def t_chart(
    values: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: SpcRules = "we",
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Time between events via Nelson's y = t^(1/3.6) transform and an I-chart on y."""
    n = len(values)
    names = _labels(labels, n)
    _non_negative(values, names, "the time between events")
    mask = _mask(in_baseline, n)
    ys: list[float | None] = [
        v ** (1.0 / T_CHART_EXPONENT) if v is not None else None for v in values
    ]
    ybar, mrbar = _individuals(ys, mask, "t-chart")
    half = I_CHART_FACTOR * mrbar
    s = half / 3.0
    y_lo, y_hi = max(0.0, ybar - half), ybar + half
    sigma = [s if y is not None else None for y in ys]
    signals = detect_signals(ys, ybar, sigma, rules, lower=[y_lo] * n, upper=[y_hi] * n)
    back = T_CHART_EXPONENT
    return SpcResult(
        values=tuple(values),
        centre=(ybar**back,) * n,
        lower=(y_lo**back,) * n,
        upper=(y_hi**back,) * n,
        signals=tuple(tuple(x) for x in signals),
        notes=(
            (
                "t-chart: limits worked out on t^(1/3.6) (Nelson's transform) and shown "
                "back on the original scale; the centre line is the back-transformed mean."
            ),
        ),
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
