"""Run chart maths: the median centre line and the rules that tell signal from noise.

Two rule sets are offered. The IHI set (Perla, Provost & Murray 2011) is what most
CUSP teams are taught: shift, trend, too few or too many runs, astronomical point.
The Anhøj set (Anhøj & Olesen 2014) keeps its false-alarm rate near 5 % whatever the
number of points: an unusually long run, or unusually few crossings of the median.
Everything here is plain Python so it runs the same in the GUI, the CLI and the PDFs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cuspdesk.errors import ValidationError

RunRules = Literal["ihi", "anhoej"]
RUN_RULES: tuple[RunRules, ...] = ("ihi", "anhoej")

# Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for
# learning from variation in healthcare processes. BMJ Qual Saf 2011;20:46-51,
# table 1 ("based on about a 5% risk of failing the run test for random patterns").
# Key: useful observations (points not on the median). Value: (lower, upper):
# fewer runs than ``lower`` is "too few", more runs than ``upper`` is "too many".
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12),
    15: (5, 12), 16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15),
    20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17), 24: (8, 18),
    25: (8, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20), 29: (10, 20),
    30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23), 34: (12, 24),
    35: (13, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (16, 27), 42: (16, 28), 43: (17, 28), 44: (17, 29),
    45: (17, 30), 46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32),
    50: (19, 33), 51: (20, 33), 52: (20, 34), 53: (21, 34), 54: (21, 35),
    55: (22, 35), 56: (22, 36), 57: (23, 36), 58: (23, 37), 59: (24, 38),
    60: (24, 38),
}  # fmt: skip

IHI_SHIFT_LENGTH = 6
IHI_TREND_LENGTH = 5

# Astronomical points. The IHI rule asks for a point "obviously different"; to make
# that objective we use Wheeler's natural process limits built from the *median*
# moving range: median ± 3.145 × median(MR). 3.145 = 3 / 0.954, where 0.954 is the
# bias constant of the median moving range for normal data (the 1.128 constant
# belongs to the *average* moving range). Medians are used on purpose: an
# astronomical point inflates an average moving range and hides itself; it cannot
# move the medians much.
ASTRONOMICAL_FACTOR = 3.145


def median(values: Sequence[float]) -> float:
    """Middle value (mean of the two middle values for an even count)."""
    if not values:
        raise ValidationError("A median needs at least one value.")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2.0


def sides(
    values: Sequence[float | None], centre: float, tolerance: float = 0.0
) -> list[int | None]:
    """+1 above the centre line, -1 below, 0 on it, None where there is no value.

    ``tolerance`` lets a control chart treat a value that differs from a computed
    mean only by rounding error as lying on it.
    """
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
        elif v > centre + tolerance:
            out.append(1)
        elif v < centre - tolerance:
            out.append(-1)
        else:
            out.append(0)
    return out


def _useful_sides(values: Sequence[float | None], centre: float) -> list[tuple[int, int]]:
    """(index, side) of the points that are neither missing nor on the centre line."""
    return [(i, s) for i, s in enumerate(sides(values, centre)) if s]


def useful_observations(values: Sequence[float | None], centre: float) -> int:
    """Points that count for runs analysis: those not on the median (and not missing)."""
    return len(_useful_sides(values, centre))


def count_crossings(values: Sequence[float | None], centre: float) -> int:
    """How often the line goes from one side of the median to the other."""
    useful = [s for _, s in _useful_sides(values, centre)]
    return sum(1 for a, b in itertools.pairwise(useful) if a != b)


def count_runs(values: Sequence[float | None], centre: float) -> int:
    """Runs on either side of the median; a point on the median starts no run."""
    useful = _useful_sides(values, centre)
    return count_crossings(values, centre) + 1 if useful else 0


def _side_runs(
    values: Sequence[float | None],
    centre: float,
    *,
    on_centre: Literal["skip", "break"],
    tolerance: float = 0.0,
) -> list[list[int]]:
    """Indices of each run of points on one side of the centre line.

    ``on_centre="skip"`` is the IHI/Anhøj reading: a point on the median neither adds
    to nor breaks a run. ``"break"`` is the SPC reading: a point on the mean is on
    neither side, so it ends the run.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    current_side = 0
    for i, s in enumerate(sides(values, centre, tolerance)):
        if s is None:
            continue
        if s == 0:
            if on_centre == "break" and current:
                runs.append(current)
                current, current_side = [], 0
            continue
        if s == current_side:
            current.append(i)
        else:
            if current:
                runs.append(current)
            current, current_side = [i], s
    if current:
        runs.append(current)
    return runs


def longest_run(values: Sequence[float | None], centre: float) -> int:
    """Length of the longest run on one side of the median (median points skipped)."""
    return max((len(r) for r in _side_runs(values, centre, on_centre="skip")), default=0)


def shift_points(
    values: Sequence[float | None],
    centre: float,
    min_length: int,
    *,
    on_centre: Literal["skip", "break"] = "skip",
    tolerance: float = 0.0,
) -> set[int]:
    """Indices of points in runs of at least ``min_length`` on one side of the centre."""
    flagged: set[int] = set()
    for run in _side_runs(values, centre, on_centre=on_centre, tolerance=tolerance):
        if len(run) >= min_length:
            flagged.update(run)
    return flagged


def trend_points(
    values: Sequence[float | None],
    min_length: int,
    *,
    ties: Literal["collapse", "break"] = "collapse",
) -> set[int]:
    """Indices of points in runs of at least ``min_length`` points all rising or all falling.

    ``ties="collapse"`` is the IHI rule: a value equal to the one before counts once,
    so it neither lengthens nor breaks the trend (it is still marked as part of it).
    ``ties="break"`` treats a repeat as the end of the trend (NHS Making Data Count).
    Missing values are skipped.
    """
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    # groups: consecutive equal values collapsed into one step of the sequence
    groups: list[tuple[float, list[int]]] = []
    for i, v in present:
        if groups and groups[-1][0] == v and ties == "collapse":
            groups[-1][1].append(i)
        else:
            groups.append((v, [i]))
    steps: list[int] = []
    for k in range(1, len(groups)):
        diff = groups[k][0] - groups[k - 1][0]
        steps.append((diff > 0) - (diff < 0))
    flagged: set[int] = set()
    k = 0
    while k < len(steps):
        if steps[k] == 0:
            k += 1
            continue
        j = k
        while j + 1 < len(steps) and steps[j + 1] == steps[k]:
            j += 1
        # steps k..j join groups k..j+1: that is j - k + 2 points
        if j - k + 2 >= min_length:
            for _, idx in groups[k : j + 2]:
                flagged.update(idx)
        k = j + 1
    return flagged


def runs_limits(useful: int) -> tuple[int, int] | None:
    """(lower, upper) number of runs from Perla et al. table 1, or None outside 10..60."""
    return RUNS_TABLE.get(useful)


def binomial_quantile(p: float, trials: int, prob: float = 0.5) -> int:
    """Smallest x with P(X <= x) >= p for X ~ Binomial(trials, prob); R's qbinom.

    Computed exactly with integer binomial coefficients when prob is 1/2, so the
    Anhøj crossings limit does not depend on floating-point luck.
    """
    if trials < 0:
        raise ValueError("trials must be >= 0")
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be within [0, 1]")
    if prob == 0.5:
        total = 2**trials
        cumulative = 0
        for x in range(trials + 1):
            cumulative += math.comb(trials, x)
            if cumulative >= p * total:
                return x
        return trials
    cum = 0.0
    for x in range(trials + 1):
        cum += math.comb(trials, x) * prob**x * (1 - prob) ** (trials - x)
        if cum >= p * (1 - 1e-12):
            return x
    return trials


def anhoej_longest_run_limit(useful: int) -> int:
    """Longest run above this is unusually long: round(log2(n) + 3) (Anhøj & Olesen 2014).

    log2(n) is never exactly half-way between two integers for a whole n, so the
    rounding rule (Python's half-to-even, R's) cannot matter.
    """
    if useful < 1:
        return 0
    return round(math.log2(useful) + 3)


def anhoej_min_crossings(useful: int) -> int:
    """Fewer crossings than this is unusually few: qbinom(0.05, n - 1, 0.5)."""
    if useful < 1:
        return 0
    return binomial_quantile(0.05, useful - 1, 0.5)


def astronomical_limit(baseline_values: Sequence[float]) -> float | None:
    """Half-width of the astronomical-point band: 3.145 × median moving range.

    None when the band cannot be worked out (fewer than two values) or would be
    zero (a flat baseline would make every change "astronomical").
    """
    if len(baseline_values) < 2:
        return None
    mrs = [abs(b - a) for a, b in itertools.pairwise(baseline_values)]
    mr_median = median(mrs)
    if mr_median <= 0:
        return None
    return ASTRONOMICAL_FACTOR * mr_median


@dataclass(frozen=True)
class RunChartAnalysis:
    """Outcome of the run chart rules: centre line, per-point and chart-level signals."""

    centre: float
    point_signals: tuple[tuple[str, ...], ...]
    chart_signals: tuple[str, ...]
    useful: int
    runs: int
    crossings: int
    longest_run: int
    astronomical_band: float | None
    notes: tuple[str, ...]


def analyse_run_chart(
    values: Sequence[float | None],
    *,
    in_baseline: Sequence[bool] | None = None,
    rules: RunRules = "ihi",
) -> RunChartAnalysis:
    """Median of the baseline points, then the chosen rule set over every point.

    ``in_baseline[i]`` says whether point i helps set the median; points outside the
    baseline (later periods, excluded points) are still tested against it. Missing
    values (None) are skipped by every rule.
    """
    if rules not in RUN_RULES:
        raise ValidationError(f"Unknown run chart rules '{rules}': use ihi or anhoej.")
    if in_baseline is None:
        in_baseline = [True] * len(values)
    if len(in_baseline) != len(values):
        raise ValueError("in_baseline must be as long as values")
    base = [v for v, b in zip(values, in_baseline, strict=True) if b and v is not None]
    if not base:
        raise ValidationError("A run chart needs at least one value to find the median.")
    centre = median(base)
    useful = useful_observations(values, centre)
    crossings = count_crossings(values, centre)
    runs = count_runs(values, centre)
    longest = longest_run(values, centre)
    per_point: list[list[str]] = [[] for _ in values]
    chart: list[str] = []
    notes: list[str] = []
    band: float | None = None

    if rules == "ihi":
        for i in sorted(shift_points(values, centre, IHI_SHIFT_LENGTH)):
            per_point[i].append("shift")
        for i in sorted(trend_points(values, IHI_TREND_LENGTH, ties="collapse")):
            per_point[i].append("trend")
        limits = runs_limits(useful)
        if limits is None:
            notes.append(
                f"The too few / too many runs test needs 10 to 60 points off the median; "
                f"this chart has {useful}, so it was not applied."
            )
        else:
            lower, upper = limits
            if runs < lower:
                chart.append("runs")
                notes.append(
                    f"Too few runs: {runs} runs in {useful} points off the median "
                    f"(fewer than {lower} is unusual)."
                )
            elif runs > upper:
                chart.append("runs")
                notes.append(
                    f"Too many runs: {runs} runs in {useful} points off the median "
                    f"(more than {upper} is unusual)."
                )
        band = astronomical_limit(base)
        if band is not None:
            for i, v in enumerate(values):
                if v is not None and abs(v - centre) > band:
                    per_point[i].append("astronomical")
        else:
            notes.append(
                "Astronomical points were not checked: the baseline does not vary enough "
                "from one period to the next."
            )
    else:
        limit = anhoej_longest_run_limit(useful)
        for run in _side_runs(values, centre, on_centre="skip"):
            if useful and len(run) > limit:
                for i in run:
                    per_point[i].append("shift")
        min_cross = anhoej_min_crossings(useful)
        if useful and crossings < min_cross:
            chart.append("crossings")
            notes.append(
                f"Too few crossings: the line crosses the median {crossings} times in "
                f"{useful} points (fewer than {min_cross} is unusual)."
            )
        if useful < 10:
            notes.append(
                f"Only {useful} points are off the median; run chart rules are weak with "
                f"fewer than 10."
            )
    return RunChartAnalysis(
        centre=centre,
        point_signals=tuple(tuple(p) for p in per_point),
        chart_signals=tuple(chart),
        useful=useful,
        runs=runs,
        crossings=crossings,
        longest_run=longest,
        astronomical_band=band,
        notes=tuple(notes),
    )
