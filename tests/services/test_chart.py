"""compute_chart: the one entry point the CLI, GUI and reports use."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuspdesk.errors import ValidationError
from cuspdesk.services.chart import (
    CHART_KINDS,
    Baseline,
    ChartInput,
    compute_chart,
    describe_signals,
)

ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def months(n: int, start_year: int = 2022) -> list[str]:
    return [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def values(vals: list[float | None]) -> list[ChartInput]:
    return [ChartInput(p, v) for p, v in zip(months(len(vals)), vals, strict=True)]


def test_json_shape_is_exactly_the_contract() -> None:
    r = compute_chart(values([1, 2, 3, 4]), "run")
    d = r.to_json_dict()
    assert list(d) == ["kind", "rules", "signals", "points"]
    assert d["kind"] == "run" and d["rules"] == "ihi"
    assert list(d["points"][0]) == ["period", "value", "centre", "lower", "upper", "signals"]
    assert d["points"][0] == {
        "period": "2022-01",
        "value": 1.0,
        "centre": 2.5,
        "lower": None,
        "upper": None,
        "signals": [],
    }
    json.dumps(d)  # plain JSON types only


def test_p_chart_through_compute_chart_matches_montgomery() -> None:
    """Montgomery (6th ed.) ch. 7 orange-juice cans: centre 0.2313, limits 0.0524 and
    0.4102, samples 15 and 23 above; numerators and denominators kept on the points."""
    pts = [ChartInput(p, None, d, 50) for p, d in zip(months(30), ORANGE_JUICE, strict=True)]
    r = compute_chart(pts, "p")
    assert r.rules == "we"
    first = r.points[0]
    assert (first.numerator, first.denominator) == (12, 50)
    assert first.value == pytest.approx(0.24)
    assert first.centre == pytest.approx(0.2313, abs=5e-5)
    assert (first.lower, first.upper) == (
        pytest.approx(0.0524, abs=5e-5),
        pytest.approx(0.4102, abs=5e-5),
    )
    outside = [i + 1 for i, p in enumerate(r.points) if "outside_limits" in p.signals]
    assert outside == [15, 23]
    assert r.signals == ("outside_limits", "two_of_three", "four_of_five")


def test_excluded_points_leave_the_limits_but_are_still_tested() -> None:
    """Montgomery's revised p-chart: without 15 and 23, 0.2150 / 0.0407 / 0.3893; 21 is out."""
    pts = [
        ChartInput(
            p, None, d, 50, excluded=i + 1 in (15, 23), exclude_reason="new machine operator"
        )
        for i, (p, d) in enumerate(zip(months(30), ORANGE_JUICE, strict=True))
    ]
    r = compute_chart(pts, "p")
    assert r.points[0].centre == pytest.approx(0.2150, abs=5e-5)
    assert r.points[0].upper == pytest.approx(0.3893, abs=5e-5)
    outside = [i + 1 for i, p in enumerate(r.points) if "outside_limits" in p.signals]
    assert outside == [15, 21, 23]
    assert r.points[14].excluded
    assert "2023-03 left out of the centre line and limits: new machine operator" in r.notes


def test_baseline_freezes_centre_and_limits_on_its_periods() -> None:
    """I-chart, baseline = first 6 periods 10 12 11 13 10 12: mean 11.333,
    MRs 2 1 2 3 2 → MR̄ 2; limits 11.333 ± 5.32. The later 20 is outside; the
    later run of values above 11.333 would not move the centre."""
    vals: list[float | None] = [10, 12, 11, 13, 10, 12, 20, 14, 14, 14]
    r = compute_chart(values(vals), "i", baseline=Baseline(0, 5, "before the new huddle"))
    assert all(p.centre == pytest.approx(68 / 6) for p in r.points)
    assert r.points[9].upper == pytest.approx(68 / 6 + 2.66 * 2)
    assert [i for i, p in enumerate(r.points) if "outside_limits" in p.signals] == [6]
    assert (
        r.notes[0] == "Centre line and limits frozen on 2022-01 to 2022-06: before the new huddle"
    )
    assert r.baseline == Baseline(0, 5, "before the new huddle")


def test_run_chart_baseline_median_is_extended_and_later_shift_found() -> None:
    """Baseline median of 5 7 6 8 4 6 5 7 6 8 is 6; the next six points all above 6 are
    a shift against the frozen median (they would not be against the median of all)."""
    base: list[float | None] = [5, 7, 6, 8, 4, 6, 5, 7, 6, 8]
    later: list[float | None] = [9, 10, 9, 11, 10, 9]
    r = compute_chart(values(base + later), "run", baseline=Baseline(0, 9, "pre-CUSP"))
    assert r.points[-1].centre == 6
    # 7 and 8 at index 7 and 9 join the later run; 6 at index 8 is on the median and
    # neither counts nor breaks it: 8 points in the shift
    assert [i for i, p in enumerate(r.points) if "shift" in p.signals] == [
        7, 9, 10, 11, 12, 13, 14, 15
    ]  # fmt: skip


def test_run_chart_from_numerator_and_denominator_with_multiplier() -> None:
    """Falls per 1,000 patient-days: 3/1500 × 1000 = 2.0, 4/1000 × 1000 = 4.0, ..."""
    pts = [
        ChartInput("2024-01", None, 3, 1500),
        ChartInput("2024-02", None, 4, 1000),
        ChartInput("2024-03", None, 1, 1000),
    ]
    r = compute_chart(pts, "run", multiplier=1000)
    assert [p.value for p in r.points] == [2.0, 4.0, 1.0]
    assert r.points[0].centre == 2.0


def test_u_chart_rate_per_thousand() -> None:
    pts = [
        ChartInput(p, None, n, d)
        for p, n, d in zip(months(4), [2, 4, 3, 9], [800, 1000, 1200, 1000], strict=True)
    ]
    r = compute_chart(pts, "u", multiplier=1000)
    assert r.points[0].centre == pytest.approx(4.5)
    assert r.points[0].upper == pytest.approx(11.615, abs=1e-3)


def test_missing_values_are_gaps() -> None:
    r = compute_chart(values([5, None, 7, 6]), "c")
    assert r.points[1].value is None
    assert r.points[1].signals == ()
    assert r.points[0].centre == 6.0


def test_i_chart_returns_moving_ranges() -> None:
    r = compute_chart(values([10, 12, 9, 11]), "i")
    assert r.moving_ranges == (None, 2, 3, 2)
    assert r.mr_upper == pytest.approx(3.267 * 7 / 3)
    other = compute_chart(values([10, 12, 9, 11]), "c")
    assert other.moving_ranges == () and other.mr_upper is None


def test_counts_stored_as_numerator_are_charted() -> None:
    pts = [ChartInput(p, None, n, None) for p, n in zip(months(3), [2, 3, 4], strict=True)]
    assert [p.value for p in compute_chart(pts, "c").points] == [2.0, 3.0, 4.0]


def test_chart_level_signal_goes_top_level_only() -> None:
    """Alternating 1, 9 for 20 points: 20 runs is too many (table: > 16); no point rule."""
    r = compute_chart(values([1, 9] * 10), "run")
    assert r.signals == ("runs",)
    assert all(p.signals == () for p in r.points)
    assert describe_signals(r) == ["runs: too few or too many runs around the median"]


def test_anhoej_crossings_go_top_level() -> None:
    block_low, block_high = [1, 2, 3, 1, 2, 3], [10, 11, 12, 10, 11, 12]
    series: list[float | None] = [*block_low, *block_high, *block_low, *block_high]
    r = compute_chart(values(series), "run", "anhoej")
    assert r.rules == "anhoej"
    assert r.signals == ("crossings",)


def test_top_level_signals_list_every_rule_that_fired_in_a_fixed_order() -> None:
    """Hand check. Median of the 16 values is 11. Moving ranges: nine 1s, four 2s,
    19 and 18; median MR 1, so the astronomical band is 3.145: 30, 15 and 16 are
    beyond it. Index 10-15 (30 12 13 14 15 16) are 6 above the median: a shift;
    12 13 14 15 16 rise 5 times in a row: a trend.
    """
    vals: list[float | None] = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 30, 12, 13, 14, 15, 16]
    r = compute_chart(values(vals), "run")
    fired = {s for p in r.points for s in p.signals}
    assert set(r.signals) == fired
    assert r.signals == ("astronomical", "shift", "trend")
    assert [i for i, p in enumerate(r.points) if "astronomical" in p.signals] == [10, 14, 15]
    assert [i for i, p in enumerate(r.points) if "trend" in p.signals] == [11, 12, 13, 14, 15]
    lines = describe_signals(r)
    assert (
        lines[2]
        == "trend: a trend (points going steadily up or down) (5 points, from 2022-12 to 2023-04)"
    )
    assert lines[0] == (
        "astronomical: an astronomical point (far from the others) "
        "(3 points: 2022-11, 2023-03, 2023-04)"
    )


@pytest.mark.parametrize(
    ("kind", "rules", "message"),
    [
        ("x", None, "Unknown chart kind 'x'"),
        ("run", "we", "The rules 'we' do not apply to a run chart; use ihi or anhoej."),
        ("p", "ihi", "The rules 'ihi' do not apply to a control chart; use we or mdc."),
    ],
)
def test_kind_and_rules_are_checked(kind: str, rules: str | None, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        compute_chart(values([1, 2, 3]), kind, rules)
    assert message in str(exc.value)


def test_input_the_maths_cannot_take() -> None:
    with pytest.raises(ValidationError, match="There is no data to chart."):
        compute_chart([], "run")
    with pytest.raises(ValidationError, match="at least 2 periods"):
        compute_chart(values([4]), "c")
    with pytest.raises(ValidationError, match="2022-02: the denominator is 0"):
        compute_chart([ChartInput("2022-01", None, 1, 10), ChartInput("2022-02", None, 1, 0)], "p")
    with pytest.raises(ValidationError, match="larger than the denominator"):
        compute_chart([ChartInput("2022-01", None, 11, 10), ChartInput("2022-02", None, 1, 5)], "p")
    with pytest.raises(ValidationError, match="the value is not a number"):
        compute_chart(values([1, float("nan")]), "i")
    with pytest.raises(ValidationError, match="multiplier must be a number above 0"):
        compute_chart(values([1, 2]), "run", multiplier=0)
    with pytest.raises(ValidationError, match="baseline must run from period 1"):
        compute_chart(values([1, 2]), "i", baseline=Baseline(1, 5, "x"))
    with pytest.raises(ValidationError, match="Say why the baseline is frozen"):
        compute_chart(values([1, 2]), "i", baseline=Baseline(0, 1, " "))
    with pytest.raises(ValidationError, match="give both numerator and denominator"):
        compute_chart([ChartInput("2022-01", None, 3, None), ChartInput("2022-02", 4)], "run")


def test_multiplier_is_noted_where_it_does_not_apply() -> None:
    r = compute_chart(values([1, 2, 3]), "c", multiplier=1000)
    assert "The multiplier is not used by a c-chart (count)." in r.notes


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.lists(st.integers(0, 40), min_size=2, max_size=40),
    st.sampled_from([k for k in CHART_KINDS if k not in ("p", "u")]),
)
def test_every_point_is_returned_in_order_with_its_period(vals: list[int], kind: str) -> None:
    pts = values([float(v) for v in vals])
    r = compute_chart(pts, kind)
    assert [p.period for p in r.points] == [p.period for p in pts]
    assert [p.value for p in r.points] == [float(v) for v in vals]
    for p in r.points:
        if p.lower is not None and p.upper is not None:
            assert p.lower <= p.centre + 1e-9 <= p.upper + 2e-9
        assert set(p.signals) <= set(r.signals)
