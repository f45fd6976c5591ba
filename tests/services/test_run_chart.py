"""Run chart maths: median, runs, crossings, and the IHI and Anhøj rule sets."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuspdesk.errors import ValidationError
from cuspdesk.services.run_chart import (
    ASTRONOMICAL_FACTOR,
    RUNS_TABLE,
    analyse_run_chart,
    anhoej_longest_run_limit,
    anhoej_min_crossings,
    astronomical_limit,
    binomial_quantile,
    count_crossings,
    count_runs,
    longest_run,
    median,
    runs_limits,
    shift_points,
    trend_points,
    useful_observations,
)

# ---------------------------------------------------------------- median, runs


def test_median_odd_and_even() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([7]) == 7
    with pytest.raises(ValidationError):
        median([])


@settings(deadline=None)  # timing varies on a shared machine
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=60), st.randoms())
def test_median_does_not_depend_on_order(values: list[int], rnd: random.Random) -> None:
    shuffled = values[:]
    rnd.shuffle(shuffled)
    assert median(shuffled) == median(values)


def test_runs_and_crossings_skip_points_on_the_median() -> None:
    """Hand count. Centre 5: sides - - 0 + + 0 0 - + (0 = on the median, ignored).

    Useful points 6; sides without zeros: - - + + - +, so 3 crossings, 4 runs; the
    longest run is 2.
    """
    values = [1, 2, 5, 7, 8, 5, 5, 3, 9]
    assert useful_observations(values, 5) == 6
    assert count_crossings(values, 5) == 3
    assert count_runs(values, 5) == 4
    assert longest_run(values, 5) == 2


def test_missing_values_are_skipped() -> None:
    values = [1.0, None, 2.0, 9.0, None, 8.0]
    assert useful_observations(values, 5) == 4
    assert count_runs(values, 5) == 2
    assert count_runs([5, 5], 5) == 0


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=0, max_size=80),
    st.integers(0, 20),
)
def test_runs_are_crossings_plus_one(values: list[int | None], centre: int) -> None:
    vals = [None if v is None else float(v) for v in values]
    useful = useful_observations(vals, centre)
    if useful == 0:
        assert count_runs(vals, centre) == 0
    else:
        assert count_runs(vals, centre) == count_crossings(vals, centre) + 1
        assert 1 <= longest_run(vals, centre) <= useful


# ---------------------------------------------------------------- shift and trend


def test_shift_of_six_counts_and_points_on_the_median_neither_count_nor_break() -> None:
    """IHI shift: 6 or more on one side. Point 3 is on the median: skipped, not breaking."""
    assert shift_points([6, 6, 6, 5, 6, 6, 6], 5, 6) == {0, 1, 2, 4, 5, 6}
    assert shift_points([6, 6, 6, 5, 6, 6], 5, 6) == set()  # only 5 off the median
    assert shift_points([6, 6, 6, 4, 6, 6, 6], 5, 6) == set()  # broken by the other side
    assert shift_points([4, 4, 4, 4, 4, 4, 6], 5, 6) == {0, 1, 2, 3, 4, 5}


def test_trend_of_five_and_repeats_count_once() -> None:
    """IHI trend: 5 or more all up or all down; an equal neighbour counts once."""
    assert trend_points([1, 2, 3, 4, 5], 5) == {0, 1, 2, 3, 4}
    assert trend_points([1, 2, 3, 4], 5) == set()
    # 1 2 2 3 4 5: five distinct rising values; the repeat is marked but adds nothing
    assert trend_points([1, 2, 2, 3, 4, 5], 5) == {0, 1, 2, 3, 4, 5}
    # 1 2 2 3 4: only four distinct values, so no trend
    assert trend_points([1, 2, 2, 3, 4], 5) == set()
    # down then up, sharing the low point
    assert trend_points([9, 7, 5, 3, 1, 2, 4, 6, 8], 5) == set(range(9))
    # a later stretch after noise
    assert trend_points([5, 1, 5, 10, 9, 8, 7, 6, 20], 5) == {3, 4, 5, 6, 7}
    # missing values are skipped
    assert trend_points([1, None, 2, 3, None, 4, 5], 5) == {0, 2, 3, 5, 6}


def test_trend_with_ties_breaking_for_making_data_count() -> None:
    assert trend_points([1, 2, 3, 4, 5, 5, 6], 6, ties="break") == set()
    assert trend_points([1, 2, 3, 4, 5, 5, 6], 6, ties="collapse") == set(range(7))
    assert trend_points([6, 5, 4, 3, 2, 1], 6, ties="break") == set(range(6))


# ---------------------------------------------------------------- IHI runs table


def _runs_distribution(m: int, n: int) -> dict[int, float]:
    """Swed & Eisenhart (1943) exact distribution of the number of runs, m + n points.

    Written here independently of the module, to check the transcribed table.
    """
    total = math.comb(m + n, m)
    out: dict[int, float] = {}
    for r in range(2, m + n + 1):
        k = r // 2
        if r % 2 == 0:
            ways = 2 * math.comb(m - 1, k - 1) * math.comb(n - 1, k - 1)
        else:
            ways = math.comb(m - 1, k - 1) * math.comb(n - 1, k) + math.comb(m - 1, k) * math.comb(
                n - 1, k - 1
            )
        out[r] = ways / total
    return out


def test_runs_table_rows_from_the_paper() -> None:
    """Perla, Provost & Murray, BMJ Qual Saf 2011;20:46-51, table 1, rows checked by eye.

    10 useful points: fewer than 3 runs is too few, more than 9 too many; 20: 6 and 16;
    24: 8 and 18; 30: 11 and 21.
    """
    assert runs_limits(10) == (3, 9)
    assert runs_limits(20) == (6, 16)
    assert runs_limits(24) == (8, 18)
    assert runs_limits(30) == (11, 21)
    assert runs_limits(9) is None
    assert runs_limits(61) is None
    assert sorted(RUNS_TABLE) == list(range(10, 61))


def test_every_runs_table_row_keeps_each_tail_under_five_percent() -> None:
    """Typo guard for the 51 transcribed rows: under the exact runs distribution (half
    the points above, half below the median) the chance of a random series having
    fewer runs than the lower limit, or more than the upper, is under 5 % on each
    side; and no row is so loose that one run tighter would still leave both sides
    under 0.9 %.
    """
    for n_points, (lower, upper) in RUNS_TABLE.items():
        dist = _runs_distribution(n_points // 2, n_points - n_points // 2)
        too_few = sum(p for r, p in dist.items() if r < lower)
        too_many = sum(p for r, p in dist.items() if r > upper)
        assert too_few < 0.05, n_points
        assert too_many < 0.05, n_points
        assert lower < upper
        tighter_few = sum(p for r, p in dist.items() if r < lower + 1)
        tighter_many = sum(p for r, p in dist.items() if r > upper - 1)
        assert max(tighter_few, tighter_many) > 0.009, n_points


def test_too_few_runs_flags_the_chart() -> None:
    """20 points, 10 low then 10 high: 2 runs, below the table's 6 for 20 points.

    Median = (5 + 11) / 2 = 8. Every point is also in a shift (two runs of 10).
    No trend: neither half has 5 steadily rising or falling values.
    """
    low = [3, 1, 4, 1, 5, 2, 3, 1, 4, 2]
    high = [13, 11, 14, 11, 15, 12, 13, 11, 14, 12]
    a = analyse_run_chart(low + high)
    assert a.centre == 8
    assert (a.useful, a.runs, a.crossings, a.longest_run) == (20, 2, 1, 10)
    assert a.chart_signals == ("runs",)
    assert all(s == ("shift",) for s in a.point_signals)
    assert any("Too few runs: 2 runs in 20 points" in n for n in a.notes)


def test_too_many_runs_flags_the_chart() -> None:
    """Alternating 1, 9 for 20 points: 20 runs, above the table's 16."""
    a = analyse_run_chart([1, 9] * 10)
    assert a.runs == 20
    assert a.chart_signals == ("runs",)
    assert all(s == () for s in a.point_signals)


def test_runs_test_is_skipped_outside_the_table() -> None:
    a = analyse_run_chart([1, 9] * 4)
    assert a.chart_signals == ()
    assert any("needs 10 to 60 points" in n for n in a.notes)


# ---------------------------------------------------------------- astronomical


def test_astronomical_point_uses_median_moving_range() -> None:
    """Hand calculation of the documented criterion (|x − median| > 3.145 × median MR).

    Baseline 10 11 9 10 12 10 11 9 10 11: median 10; moving ranges 1 2 1 2 2 1 2 1 1,
    median 1; band 3.145. 30 is 20 away: astronomical. 12 is 2 away: not.
    """
    base = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11]
    assert astronomical_limit(base) == pytest.approx(ASTRONOMICAL_FACTOR * 1)
    a = analyse_run_chart([*base, 30, 12], in_baseline=[True] * 10 + [False, False], rules="ihi")
    assert a.centre == 10
    assert a.point_signals[10] == ("astronomical",)
    assert a.point_signals[11] == ()


def test_astronomical_point_inside_the_baseline_is_still_found() -> None:
    """With 30 in the baseline: median still 10, median MR (1 + 2) / 2 = 1.5, band 4.72."""
    a = analyse_run_chart([10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 30])
    assert a.astronomical_band == pytest.approx(3.145 * 1.5)
    assert [i for i, s in enumerate(a.point_signals) if "astronomical" in s] == [10]


def test_flat_baseline_skips_the_astronomical_check() -> None:
    assert astronomical_limit([4, 4, 4, 4]) is None
    assert astronomical_limit([4]) is None
    a = analyse_run_chart([4, 4, 4, 4, 9])
    assert "astronomical" not in a.point_signals[4]
    assert any("Astronomical points were not checked" in n for n in a.notes)


# ---------------------------------------------------------------- Anhøj


def test_anhoej_longest_run_limits() -> None:
    """round(log2(n) + 3), as tabulated (n = 10..59, 90, 91) in the unaettie.com run
    chart FAQ "Critical values for run length": 10 → 6, 12 → 7, 23 → 8, 24 → 8
    (Anhøj: a run of more than 8 in 24 points signals), 46 → 9, 91 → 10.
    """
    expected = {10: 6, 11: 6, 12: 7, 22: 7, 23: 8, 24: 8, 45: 8, 46: 9, 59: 9, 90: 9, 91: 10}
    for n, limit in expected.items():
        assert anhoej_longest_run_limit(n) == limit, n


def test_anhoej_min_crossings_by_hand() -> None:
    """qbinom(0.05, n − 1, 0.5), worked out by hand.

    n = 10: P(X ≤ 1) = 10/512 = 0.0195, P(X ≤ 2) = 46/512 = 0.090 → 2.
    n = 13: P(X ≤ 2) = 79/4096 = 0.019, P(X ≤ 3) = 299/4096 = 0.073 → 3 (fewer than 3
    crossings in 13 points signals, as in Anhøj's rules).
    n = 24: C(23, 0..7) sum to 390,656; / 2^23 = 0.0466 < 0.05; adding C(23, 8) = 490,314
    gives 0.105 → 8.
    """
    assert anhoej_min_crossings(10) == 2
    assert anhoej_min_crossings(13) == 3
    assert anhoej_min_crossings(24) == 8
    assert anhoej_min_crossings(1) == 0


@settings(deadline=None)  # timing varies on a shared machine
@given(st.integers(1, 200))
def test_binomial_quantile_matches_a_float_sum(trials: int) -> None:
    x = binomial_quantile(0.05, trials)
    cdf = [sum(math.comb(trials, k) for k in range(j + 1)) / 2**trials for j in range(trials + 1)]
    assert cdf[x] >= 0.05
    assert x == 0 or cdf[x - 1] < 0.05


def test_anhoej_long_run() -> None:
    """24 points, 12 low (1-3) and 12 high (10-13), so the median is (3 + 10) / 2 = 6.5.

    a: a run of 9 low first. round(log2(24) + 3) = 8 and 9 > 8, so those 9 points are
    a shift. Sides afterwards: H L HH L HH L HHHHHHH, so 7 crossings in all, fewer
    than qbinom(0.05, 23, 0.5) = 8: the chart also has too few crossings.
    b: a run of exactly 8 low: not more than 8, no shift; sides then
    H L HH L HH L HH L HHHHH give 9 crossings, not too few.
    """
    a_values = [1, 2, 3, 2, 1, 2, 3, 2, 1] + [
        10,
        2,
        11,
        12,
        3,
        13,
        10,
        1,
        11,
        12,
        13,
        10,
        11,
        12,
        13,
    ]
    a = analyse_run_chart(a_values, rules="anhoej")
    assert (a.centre, a.useful, a.crossings, a.longest_run) == (6.5, 24, 7, 9)
    assert [i for i, s in enumerate(a.point_signals) if "shift" in s] == list(range(9))
    assert a.chart_signals == ("crossings",)

    b_values = [1, 2, 3, 2, 1, 2, 3, 2] + [
        10,
        2,
        11,
        12,
        3,
        13,
        10,
        1,
        11,
        12,
        2,
        13,
        10,
        11,
        12,
        13,
    ]
    b = analyse_run_chart(b_values, rules="anhoej")
    assert (b.centre, b.useful, b.crossings, b.longest_run) == (6.5, 24, 9, 8)
    assert all(s == () for s in b.point_signals)
    assert b.chart_signals == ()


def test_anhoej_too_few_crossings() -> None:
    """24 points in four blocks of 6 (low, high, low, high): 3 crossings < 8."""
    block_low, block_high = [1, 2, 3, 1, 2, 3], [10, 11, 12, 10, 11, 12]
    a = analyse_run_chart(block_low + block_high + block_low + block_high, rules="anhoej")
    assert a.crossings == 3
    assert a.chart_signals == ("crossings",)
    assert all(s == () for s in a.point_signals)  # runs of 6 are not longer than 8


def test_unknown_rules_and_empty_data_are_refused() -> None:
    with pytest.raises(ValidationError, match="use ihi or anhoej"):
        analyse_run_chart([1, 2], rules="we")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least one value"):
        analyse_run_chart([None, None])


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.integers(1, 40), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["ihi", "anhoej"])
)
def test_constant_series_has_no_signals(n: int, value: float, rules: str) -> None:
    a = analyse_run_chart([value] * n, rules=rules)  # type: ignore[arg-type]
    assert a.chart_signals == ()
    assert all(s == () for s in a.point_signals)
    assert a.useful == 0
