"""Control charts checked against published worked examples and by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuspdesk.errors import ValidationError
from cuspdesk.services.spc import (
    c_chart,
    detect_signals,
    g_chart,
    i_chart,
    moving_ranges,
    p_chart,
    t_chart,
    u_chart,
)

# Montgomery DC. Introduction to Statistical Quality Control, 6th ed. Wiley, 2009,
# chapter 7: frozen orange-juice concentrate cans, 30 samples of n = 50, number of
# nonconforming cans per sample.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip

# Same book, chapter 7: nonconformities in 26 successive samples of 100 printed
# circuit boards.
CIRCUIT_BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
                  19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]  # fmt: skip

# Same book, chapter 7: nonconformities in 20 samples of 5 personal computers.
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]

# Same book, chapter 6 (individual measurements): weekly mortgage-loan processing
# costs for 20 weeks.
LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
              294, 299, 297, 299, 314, 295, 293, 306, 301, 304]  # fmt: skip


def _flagged(signals: tuple[tuple[str, ...], ...], name: str) -> list[int]:
    """1-based sample numbers flagged by ``name``, as textbooks number them."""
    return [i + 1 for i, s in enumerate(signals) if name in s]


# ---------------------------------------------------------------- p-chart


def test_p_chart_orange_juice_trial_limits() -> None:
    """Montgomery (6th ed.) ch. 7, orange-juice cans: p̄ = 347/1500 = 0.2313,
    UCL = 0.4102, LCL = 0.0524; samples 15 and 23 are above the upper limit.
    """
    r = p_chart(ORANGE_JUICE, [50] * 30)
    assert r.centre[0] == pytest.approx(0.2313, abs=5e-5)
    assert r.upper[0] == pytest.approx(0.4102, abs=5e-5)
    assert r.lower[0] == pytest.approx(0.0524, abs=5e-5)
    assert _flagged(r.signals, "outside_limits") == [15, 23]


def test_p_chart_orange_juice_revised_limits_without_15_and_23() -> None:
    """Montgomery (6th ed.) ch. 7: with samples 15 and 23 left out (assignable causes),
    p̄ = 301/1400 = 0.2150, UCL = 0.3893, LCL = 0.0407, and sample 21 (0.40) now
    lies above the revised upper limit. Excluded samples are still tested.
    """
    mask = [i + 1 not in (15, 23) for i in range(30)]
    r = p_chart(ORANGE_JUICE, [50] * 30, in_baseline=mask)
    assert r.centre[0] == pytest.approx(0.2150, abs=5e-5)
    assert r.upper[0] == pytest.approx(0.3893, abs=5e-5)
    assert r.lower[0] == pytest.approx(0.0407, abs=5e-5)
    assert _flagged(r.signals, "outside_limits") == [15, 21, 23]


def test_p_chart_orange_juice_zone_rules_by_hand() -> None:
    """Trial limits, σ = √(0.2313 × 0.7687 / 50) = 0.0596. z of samples 20-25:
    0.22 → −0.19, 0.40 → 2.83, 0.36 → 2.16, 0.48 → 4.17, 0.30 → 1.15, 0.18 → −0.86.
    Two of three beyond 2σ: 21, 22, 23. Four of five beyond 1σ (20-24): 21-24.
    Hand check; the textbook discusses only the limits.
    """
    r = p_chart(ORANGE_JUICE, [50] * 30)
    assert _flagged(r.signals, "two_of_three") == [21, 22, 23]
    assert _flagged(r.signals, "four_of_five") == [21, 22, 23, 24]
    assert _flagged(r.signals, "eight_side") == []
    assert r.signals[14] == ("outside_limits",)


def test_p_chart_limits_step_with_the_denominator() -> None:
    """p̄ = 30/300 = 0.1. n = 50: σ = √(0.09/50) = 0.04243, limits 0 (floored) and 0.2273.
    n = 200: σ = 0.02121, limits 0.03636 and 0.16364.
    """
    r = p_chart([5, 25], [50, 250])
    assert r.centre == (0.1, 0.1)
    r2 = p_chart([5, 20, 5], [50, 200, 50])
    assert r2.lower[0] == 0.0
    assert r2.upper[0] == pytest.approx(0.1 + 3 * math.sqrt(0.09 / 50))
    assert r2.lower[1] == pytest.approx(0.1 - 3 * math.sqrt(0.09 / 200))
    assert r2.upper[1] == pytest.approx(0.16364, abs=1e-5)


def test_p_chart_as_percentage() -> None:
    r = p_chart(ORANGE_JUICE, [50] * 30, multiplier=100)
    assert r.centre[0] == pytest.approx(23.133, abs=1e-3)
    assert r.values[0] == pytest.approx(24.0)
    assert _flagged(r.signals, "outside_limits") == [15, 23]


@pytest.mark.parametrize(
    ("nums", "dens", "message"),
    [
        ([1, 2], [10, 0], "Point 2: the denominator is 0; it must be above 0."),
        ([11, 2], [10, 10], "Point 1: the numerator (11) is larger than the denominator (10)"),
        ([1, -2], [10, 10], "Point 2: the numerator cannot be below 0."),
        ([1, None], [10, 10], "Point 2: give both numerator and denominator."),
        ([1, None], [10, None], "at least 2 periods with data"),
    ],
)
def test_p_chart_refuses_impossible_rows(
    nums: list[float | None], dens: list[float | None], message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        p_chart(nums, dens)
    assert message in str(exc.value)


def test_p_chart_reports_every_bad_row_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        p_chart([1, 5, 1], [0, 2, 3], labels=["2024-01", "2024-02", "2024-03"])
    assert [p.message for p in exc.value.problems] == [
        "2024-01: the denominator is 0; it must be above 0.",
        (
            "2024-02: the numerator (5) is larger than the denominator (2), so it cannot be a "
            "proportion."
        ),
    ]


# ---------------------------------------------------------------- u and c charts


def test_c_chart_circuit_boards() -> None:
    """Montgomery (6th ed.) ch. 7: c̄ = 516/26 = 19.85, UCL = 33.22, LCL = 6.48
    (the book rounds c̄ first); samples 6 (5) and 20 (39) are outside the limits.
    Sample 21 (30, z = 2.28) with 20 also makes two of three beyond 2σ (hand check).
    """
    r = c_chart(CIRCUIT_BOARDS)
    assert r.centre[0] == pytest.approx(19.85, abs=5e-3)
    assert r.upper[0] == pytest.approx(33.22, abs=0.01)
    assert r.lower[0] == pytest.approx(6.48, abs=0.01)
    assert _flagged(r.signals, "outside_limits") == [6, 20]
    assert _flagged(r.signals, "two_of_three") == [20, 21]


def test_u_chart_personal_computers() -> None:
    """Montgomery (6th ed.) ch. 7: ū = 193/100 = 1.93, UCL = 3.79, LCL = 0.07, in control."""
    r = u_chart(COMPUTERS, [5] * 20)
    assert r.centre[0] == pytest.approx(1.93)
    assert r.upper[0] == pytest.approx(3.79, abs=5e-3)
    assert r.lower[0] == pytest.approx(0.07, abs=5e-3)
    assert all(s == () for s in r.signals)


def test_u_chart_varying_exposure_and_multiplier() -> None:
    """Rates per 1,000 patient-days, hand calculation.

    Falls 2, 4, 3, 9 in 800, 1,000, 1,200, 1,000 patient-days: ū = 18/4000 = 0.0045
    per day = 4.5 per 1,000. For 800 days σ = √(0.0045/800) = 0.0023717, so
    UCL = 4.5 + 3 × 2.3717 = 11.615 per 1,000 and LCL = max(0, 4.5 − 7.115) = 0.
    """
    r = u_chart([2, 4, 3, 9], [800, 1000, 1200, 1000], multiplier=1000)
    assert r.centre[0] == pytest.approx(4.5)
    assert r.values[0] == pytest.approx(2.5)
    assert r.upper[0] == pytest.approx(11.615, abs=1e-3)
    assert r.lower[0] == 0.0
    assert r.upper[2] < r.upper[0]  # more exposure, narrower limits


def test_c_and_g_and_t_refuse_negative_values() -> None:
    with pytest.raises(ValidationError, match="Point 2: a count cannot be below 0"):
        c_chart([1, -1, 3])
    with pytest.raises(ValidationError, match="cases between events cannot be below 0"):
        g_chart([1, -1, 3])
    with pytest.raises(ValidationError, match="time between events cannot be below 0"):
        t_chart([1, -1, 3])


# ---------------------------------------------------------------- I-MR chart


def test_i_mr_chart_loan_processing_costs() -> None:
    """Montgomery (6th ed.) ch. 6: x̄ = 300.5, MR̄ = 7.79, UCL = 321.22, LCL = 279.78,
    moving-range chart UCL = 3.267 × 7.79 = 25.45; no point outside either chart.
    """
    r = i_chart(LOAN_COSTS)
    assert r.centre[0] == pytest.approx(300.5)
    assert r.upper[0] == pytest.approx(321.22, abs=5e-3)
    assert r.lower[0] == pytest.approx(279.78, abs=5e-3)
    assert r.mr_upper == pytest.approx(25.45, abs=5e-3)
    assert r.moving_ranges[:4] == (None, 22, 9, 1)
    assert max(m for m in r.moving_ranges if m is not None) < r.mr_upper
    assert all(s == () for s in r.signals)


def test_moving_ranges_skip_missing_values() -> None:
    assert moving_ranges([1.0, None, 4.0, 2.0]) == [None, None, 3.0, 2.0]


def test_i_chart_baseline_steps_over_excluded_points() -> None:
    """Baseline 10, 12, (50 excluded), 11, 13: mean 11.5, MRs 2, 1, 2 → MR̄ 5/3;
    limits 11.5 ± 2.66 × 5/3 = 7.0667 and 15.9333; 50 is tested and is outside.
    """
    r = i_chart([10, 12, 50, 11, 13], in_baseline=[True, True, False, True, True])
    assert r.centre[0] == pytest.approx(11.5)
    assert r.upper[0] == pytest.approx(11.5 + 2.66 * 5 / 3)
    assert r.lower[0] == pytest.approx(11.5 - 2.66 * 5 / 3)
    assert _flagged(r.signals, "outside_limits") == [3]


# ---------------------------------------------------------------- g and t charts


def test_g_chart_benneyan_limits_by_hand() -> None:
    """Cases between events 10, 30, 5, 50, 20, 15, 40, 25, 35, 20: ḡ = 25,
    σ = √(25 × 26) = 25.495, UCL = 25 + 76.485 = 101.49, LCL = max(0, 25 − 76.5) = 0.
    A later stretch of 120 cases is above the limit; zone rules are not applied.
    """
    base = [10, 30, 5, 50, 20, 15, 40, 25, 35, 20]
    r = g_chart([*base, 120, 26, 27, 28, 29, 30, 31, 32, 33], in_baseline=[True] * 10 + [False] * 9)
    assert r.centre[0] == 25
    assert r.upper[0] == pytest.approx(25 + 3 * math.sqrt(650))
    assert r.lower[0] == 0.0
    assert _flagged(r.signals, "outside_limits") == [11]
    # eight in a row above the mean would fire on a normal chart; not here
    assert all(s in ((), ("outside_limits",)) for s in r.signals)


def test_t_chart_nelson_transform_by_hand() -> None:
    """Times chosen so y = t^(1/3.6) is 2, 3, 2, 3, 2, 3: ȳ = 2.5, MR̄ = 1,
    y-limits 2.5 ± 2.66 = −0.16 (floored to 0) and 5.16; back-transformed the
    centre is 2.5^3.6 = 27.08, the upper limit 5.16^3.6 = 367.7, the lower 0.
    A later time of 6^3.6 = 632.9 (y = 6) is above the limit.
    """
    ys = [2, 3, 2, 3, 2, 3]
    times = [y**3.6 for y in ys] + [6**3.6]
    r = t_chart(times, in_baseline=[True] * 6 + [False])
    assert r.centre[0] == pytest.approx(2.5**3.6)
    assert r.centre[0] == pytest.approx(27.08, abs=0.01)
    assert r.upper[0] == pytest.approx(5.16**3.6)
    assert r.upper[0] == pytest.approx(367.7, abs=0.1)
    assert r.lower[0] == 0.0
    assert _flagged(r.signals, "outside_limits") == [7]
    assert r.values[6] == pytest.approx(632.9, abs=0.1)


# ---------------------------------------------------------------- rule sets


def _rules(values: list[float | None], rules: str = "we") -> list[list[str]]:
    """Rules on a standardised scale: centre 0, σ 1, limits ±3."""
    n = len(values)
    return detect_signals(
        values,
        0.0,
        [1.0] * n,
        rules,
        lower=[-3.0] * n,
        upper=[3.0] * n,  # type: ignore[arg-type]
    )


def _where(flags: list[list[str]], name: str) -> list[int]:
    return [i for i, f in enumerate(flags) if name in f]


def test_outside_limits_is_strict() -> None:
    f = _rules([3.0, 3.01, -3.2, -3.0])
    assert _where(f, "outside_limits") == [1, 2]


def test_two_of_three_same_side() -> None:
    assert _where(_rules([0, 2.5, 0.5, 2.5, 0]), "two_of_three") == [1, 3]
    assert _where(_rules([2.5, 0, -2.5]), "two_of_three") == []
    assert _where(_rules([2.5, 0, 0, 2.5]), "two_of_three") == []  # 4 apart, not 2 of 3
    assert _where(_rules([-2.1, -2.2, 1]), "two_of_three") == [0, 1]
    # a point beyond 3σ counts as beyond 2σ as well
    assert _where(_rules([3.5, 0, 2.1]), "two_of_three") == [0, 2]


def test_four_of_five_beyond_one_sigma() -> None:
    assert _where(_rules([1.5, 1.5, 0, 1.5, 1.5]), "four_of_five") == [0, 1, 3, 4]
    assert _where(_rules([1.5, 1.5, 0, 0, 1.5, 1.5]), "four_of_five") == []
    assert _where(_rules([-1.2, -1.1, -1.3, 0.5, -1.01]), "four_of_five") == [0, 1, 2, 4]


def test_eight_on_one_side_and_points_on_the_centre_break_it() -> None:
    assert _where(_rules([0.5] * 8), "eight_side") == list(range(8))
    assert _where(_rules([0.5] * 7), "eight_side") == []
    assert _where(_rules([0.5] * 4 + [0.0] + [0.5] * 4), "eight_side") == []
    assert _where(_rules([-0.1] * 9 + [0.2]), "eight_side") == list(range(9))


def test_fifteen_inner() -> None:
    hugging = [0.5, -0.5] * 7 + [0.5]
    assert _where(_rules(hugging), "fifteen_inner") == list(range(15))
    assert _where(_rules(hugging[:14]), "fifteen_inner") == []
    assert _where(_rules([*hugging[:14], 1.0]), "fifteen_inner") == []  # 1σ is not within


def test_missing_values_neither_count_nor_break() -> None:
    f = _rules([0.5, 0.5, 0.5, 0.5, None, 0.5, 0.5, 0.5, 0.5])
    assert _where(f, "eight_side") == [0, 1, 2, 3, 5, 6, 7, 8]


def test_making_data_count_rules() -> None:
    """NHS Making Data Count: 7 on one side is a shift, 6 rising or falling a trend
    (a repeated value ends it), 2 of 3 beyond 2σ, and WE-only rules are not used."""
    f = _rules([0.5] * 7, "mdc")
    assert _where(f, "shift") == list(range(7))
    assert _where(_rules([0.5] * 6, "mdc"), "shift") == []
    assert _where(_rules([-1, -0.5, 0.1, 0.5, 1, 1.5], "mdc"), "trend") == list(range(6))
    assert _where(_rules([-1, -0.5, 0.1, 0.5, 1], "mdc"), "trend") == []
    assert _where(_rules([-1, -0.5, -0.5, 0.1, 0.5, 1], "mdc"), "trend") == []
    assert _where(_rules([0, 2.5, 2.2], "mdc"), "two_of_three") == [1, 2]
    everything = _rules([1.5] * 15, "mdc")
    assert {n for f_ in everything for n in f_} == {"shift"}


def test_unknown_rules_are_refused() -> None:
    with pytest.raises(ValidationError, match="use we or mdc"):
        _rules([1, 2], "ihi")


def test_fewer_than_two_points_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 2 periods"):
        c_chart([3])
    with pytest.raises(ValidationError, match="I-chart needs at least 2"):
        i_chart([3, None])


# ---------------------------------------------------------------- properties

_counts = st.lists(st.integers(0, 60), min_size=2, max_size=40)


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 200)), min_size=2, max_size=40),
    st.sampled_from(["we", "mdc"]),
)
def test_p_chart_limits_stay_within_0_and_1(rows: list[tuple[int, int]], rules: str) -> None:
    nums = [min(a, b) for a, b in rows]
    dens = [b for _, b in rows]
    r = p_chart(nums, dens, rules=rules)  # type: ignore[arg-type]
    for lo, c, hi in zip(r.lower, r.centre, r.upper, strict=True):
        assert lo is not None and hi is not None
        assert 0.0 <= lo <= c <= hi <= 1.0


@settings(deadline=None)  # timing varies on a shared machine
@given(_counts, st.sampled_from(["c", "g", "i", "t", "u"]))
def test_lower_centre_upper_are_in_order(values: list[int], kind: str) -> None:
    vals: list[float | None] = [float(v) for v in values]
    if kind == "c":
        r = c_chart(vals)
    elif kind == "g":
        r = g_chart(vals)
    elif kind == "i":
        r = i_chart(vals)
    elif kind == "t":
        r = t_chart(vals)
    else:
        r = u_chart(vals, [float(v + 1) for v in values])
    for lo, c, hi in zip(r.lower, r.centre, r.upper, strict=True):
        assert lo is not None and hi is not None
        assert lo <= c + 1e-9 and c <= hi + 1e-9
        if kind in ("c", "g", "t", "u"):
            assert lo >= 0.0


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.lists(st.integers(-500, 500), min_size=2, max_size=40),
    st.integers(-10_000, 10_000),
    st.sampled_from(["we", "mdc"]),
)
def test_i_chart_moves_with_a_constant_and_keeps_its_signals(
    values: list[int], shift: int, rules: str
) -> None:
    a = i_chart([float(v) for v in values], rules=rules)  # type: ignore[arg-type]
    b = i_chart([float(v + shift) for v in values], rules=rules)  # type: ignore[arg-type]
    assert b.centre[0] == pytest.approx(a.centre[0] + shift, abs=1e-6)
    assert b.upper[0] == pytest.approx((a.upper[0] or 0) + shift, abs=1e-6)
    assert b.lower[0] == pytest.approx((a.lower[0] or 0) + shift, abs=1e-6)
    assert b.signals == a.signals
    assert b.moving_ranges == a.moving_ranges


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(50, 100)), min_size=2, max_size=30),
    st.sampled_from([100.0, 1000.0]),
)
def test_multiplier_scales_but_keeps_signals(rows: list[tuple[int, int]], mult: float) -> None:
    nums = [a for a, _ in rows]
    dens = [b for _, b in rows]
    for chart in (p_chart, u_chart):
        one = chart(nums, dens)
        many = chart(nums, dens, multiplier=mult)
        assert many.centre[0] == pytest.approx(one.centre[0] * mult)
        assert many.signals == one.signals


@settings(deadline=None)  # timing varies on a shared machine
@given(st.integers(2, 40), st.integers(0, 50), st.sampled_from(["we", "mdc"]))
def test_constant_series_has_no_signals_except_stratification(
    n: int, value: int, rules: str
) -> None:
    """A flat series breaks no rule, with one documented exception: on a c-, p- or
    u-chart, where σ comes from the mean rather than from the data, 15 or more
    identical values hug the centre line and are flagged ``fifteen_inner``
    (Western Electric only). That is a real signal: counts never vary that little.
    """
    v = float(value)
    flat: list[float | None] = [v] * n
    for r in (i_chart(flat, rules=rules), g_chart(flat, rules=rules), t_chart(flat, rules=rules)):  # type: ignore[arg-type]
        assert all(s == () for s in r.signals)
    for r in (
        c_chart(flat, rules=rules),  # type: ignore[arg-type]
        u_chart(flat, [10.0] * n, rules=rules),  # type: ignore[arg-type]
        p_chart([min(v, 60.0)] * n, [60.0] * n, rules=rules),  # type: ignore[arg-type]
    ):
        fired = {name for s in r.signals for name in s}
        sigma_positive = r.upper[0] is not None and r.upper[0] > r.centre[0]
        if rules == "we" and n >= 15 and sigma_positive:
            assert fired == {"fifteen_inner"}
        else:
            assert fired == set()


@settings(deadline=None)  # timing varies on a shared machine
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(40, 80)), min_size=2, max_size=30))
def test_same_proportion_with_different_denominators_is_on_the_centre(
    rows: list[tuple[int, int]],
) -> None:
    """Rounding must not put identical proportions 'below the mean' (an eight_side)."""
    dens = [b for _, b in rows]
    nums = [b * 0.3 for b in dens]
    r = p_chart(nums, dens)
    assert not any("eight_side" in s or "outside_limits" in s for s in r.signals)


def test_flat_decimal_series_is_not_below_its_own_mean() -> None:
    """fsum([0.1] * 12) / 12 is not exactly 0.1 in floating point (nor [3.3] * 6, nor
    [0.7] * 24); without rounding slack every point would sit "below the mean" and
    fire outside_limits (zero-width limits) or eight_side."""
    assert math.fsum([0.1] * 12) / 12 != 0.1  # the premise of this test
    for values in ([0.1] * 12, [3.3] * 6):
        assert all(s == () for s in i_chart(values).signals), values
    r = c_chart([0.7] * 24)
    assert not any("eight_side" in s or "outside_limits" in s for s in r.signals)
