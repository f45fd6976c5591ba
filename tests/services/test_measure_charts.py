"""chart_for_measure: a stored measure's chart, baseline, exclusions, annotations and reading."""

from __future__ import annotations

import statistics
from datetime import date

import pytest

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError, ValidationError
from cuspdesk.services import audit, demo, measures, units
from cuspdesk.services.measure_charts import (
    chart_for_measure,
    format_number,
    key_measure_charts,
    month_label,
)

TODAY = date(2026, 11, 24)


def month(i: int, start: date = date(2025, 1, 1)) -> date:
    y, m = divmod(start.month - 1 + i, 12)
    return date(start.year + y, m + 1, 1)


def new_unit(db: Database) -> int:
    return units.create_unit(db, units.UnitFields(name="4 West")).id


def count_measure(db: Database, unit_id: int, values: list[float], **overrides: object) -> int:
    fields = measures.MeasureFields(
        name=str(overrides.pop("name", "Falls")),
        kind="count",
        chart_kind=str(overrides.pop("chart_kind", "run")),
        rule_set=str(overrides.pop("rule_set", "ihi")),
        direction=str(overrides.pop("direction", "down")),
        unit_label="falls",
    )
    for key, value in overrides.items():
        setattr(fields, key, value)
    measure_id = measures.create_measure(db, unit_id, fields).id
    for i, v in enumerate(values):
        measures.set_point(db, measure_id, month(i), value=v)
    return measure_id


def rate_measure(db: Database, unit_id: int, rows: list[tuple[float, float]]) -> int:
    measure_id = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="Falls rate",
            kind="rate",
            multiplier=1000.0,
            unit_label="per 1,000 patient-days",
            numerator_label="Falls",
            denominator_label="Patient-days",
            chart_kind="u",
            rule_set="we",
            target=1.0,
        ),
    ).id
    for i, (num, den) in enumerate(rows):
        measures.set_point(db, measure_id, month(i), numerator=num, denominator=den)
    return measure_id


# --- the demo unit's three measures ---------------------------------------------------


def test_demo_measures_chart_as_their_settings_say(any_db: Database) -> None:
    unit = demo.create_demo_unit(any_db, today=TODAY)
    charts = {c.name: c for c in key_measure_charts(any_db, unit.id)}
    assert list(charts) == ["Falls with injury", "CLABSI", "Days between pressure injuries"]

    falls = charts["Falls with injury"]
    assert falls.result is not None and falls.result.kind == "u" and falls.result.rules == "we"
    assert falls.periods[0] == date(2024, 12, 1) and falls.periods[-1] == date(2026, 10, 1)
    # frozen on the year before CUSP: Dec 2024 to Nov 2025, with the reason kept
    assert falls.result.baseline is not None
    assert (falls.result.baseline.first_period_index, falls.result.baseline.last_period_index) == (
        0,
        11,
    )
    assert falls.baseline is not None
    assert falls.baseline.reason == "The year before the unit started CUSP."
    stored = measures.list_points(any_db, falls.measure_id)
    base = stored[:12]
    hand_centre = sum(p.numerator or 0 for p in base) / sum(p.denominator or 0 for p in base)
    assert falls.result.points[-1].centre == pytest.approx(hand_centre * 1000)
    flagged = [p.period for p in falls.result.points if "eight_side" in p.signals]
    assert flagged[0] == "2025-11" and flagged[-1] == "2026-10" and len(flagged) == 12
    assert falls.headline == (
        "Signal of improvement: 12 months in a row below the mean since November 2025."
    )
    assert [(a.text, a.period_index) for a in falls.annotations] == [
        ("PDSA 1: hourly rounding on nights", 14),
        ("Scheduled toileting for patients on diuretics", 15),
    ]
    assert falls.drawing_annotations()[0] == ("2026-02", "PDSA 1: hourly rounding on nights")
    assert "meeting the target of 0.5" in falls.interpretation[-1]

    clabsi = charts["CLABSI"]
    assert clabsi.result is not None and clabsi.result.kind == "run"
    assert clabsi.result.points[0].centre == 0.0
    assert any("rare events" in s for s in clabsi.interpretation)
    assert not any(s.startswith("Signal of") for s in clabsi.interpretation)

    pressure = charts["Days between pressure injuries"]
    assert pressure.result is not None
    assert pressure.direction == "up"
    shift = [p.period for p in pressure.result.points if "shift" in p.signals]
    assert shift[0] == "2026-02" and shift[-1] == "2026-10"
    # above the median is good news for days between injuries
    assert pressure.headline == (
        "Signal of improvement: 9 months in a row above the median since February 2026."
    )
    assert any(
        s.startswith("Signal of deterioration: 5 months going steadily down")
        for s in pressure.interpretation
    )
    assert "not yet meeting the target of 36" in pressure.interpretation[-1]


def test_every_value_is_the_one_list_points_gives(any_db: Database) -> None:
    """One place computes a period's value: the table and the chart cannot disagree."""
    unit_id = new_unit(any_db)
    measure_id = measures.create_measure(
        any_db,
        unit_id,
        measures.MeasureFields(
            name="Bundle compliance",
            kind="proportion",
            multiplier=100.0,
            unit_label="%",
            chart_kind="p",
            rule_set="we",
            direction="up",
        ),
    ).id
    for i, (num, den) in enumerate([(18, 20), (15, 20), (19, 25), (20, 20), (11, 16)]):
        measures.set_point(any_db, measure_id, month(i), numerator=num, denominator=den)
    chart = chart_for_measure(any_db, measure_id)
    stored = measures.list_points(any_db, measure_id)
    assert chart.result is not None
    assert [p.value for p in chart.result.points] == pytest.approx([p.value for p in stored])
    assert stored[0].value == pytest.approx(90.0)  # a percentage, as the multiplier says
    assert measures.get_measure(any_db, measure_id).latest_value == pytest.approx(68.75)


# --- baselines and exclusions ---------------------------------------------------------


def test_frozen_baseline_sets_centre_and_limits_from_its_months_only(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    rows = [(3, 600), (4, 640), (2, 610), (5, 700), (3, 620), (4, 650), (1, 630), (0, 600)]
    measure_id = rate_measure(any_db, unit_id, rows)
    measures.set_baseline(any_db, measure_id, month(0), month(5), "Before the bundle.")
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None
    u_bar = sum(n for n, _ in rows[:6]) / sum(d for _, d in rows[:6])
    assert chart.result.points[7].centre == pytest.approx(u_bar * 1000)
    upper = (u_bar + 3 * (u_bar / 600) ** 0.5) * 1000
    assert chart.result.points[7].upper == pytest.approx(upper)
    assert "In the frozen baseline" in chart.point_text(0)
    assert "In the frozen baseline" not in chart.point_text(7)

    # re-baselining is done by hand with a reason; the old baseline is kept
    measures.set_baseline(any_db, measure_id, month(4), month(7), "New process since May.")
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None and chart.baseline is not None
    assert chart.baseline.reason == "New process since May."
    u_new = sum(n for n, _ in rows[4:]) / sum(d for _, d in rows[4:])
    assert chart.result.points[0].centre == pytest.approx(u_new * 1000)
    history = measures.list_baselines(any_db, measure_id)
    assert [(b.reason, b.active) for b in history] == [
        ("Before the bundle.", False),
        ("New process since May.", True),
    ]

    measures.clear_baseline(any_db, measure_id, "Wrong months chosen.")
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None and chart.result.baseline is None and chart.baseline is None
    u_all = sum(n for n, _ in rows) / sum(d for _, d in rows)
    assert chart.result.points[0].centre == pytest.approx(u_all * 1000)


def test_baseline_changes_and_their_reasons_are_in_the_audit(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    measure_id = count_measure(any_db, unit_id, [3, 4, 2, 5, 3, 4])
    measures.set_baseline(any_db, measure_id, month(0), month(3), "Year before CUSP.")
    measures.set_baseline(any_db, measure_id, month(2), month(5), "Bundle changed in March.")
    measures.clear_baseline(any_db, measure_id, "Chart the whole run again.")
    events = audit.list_audit_events(any_db, entity="measure_baseline")
    created = [e.new_value or "" for e in events if e.action == "create"]
    assert any("Year before CUSP." in v for v in created)
    assert any("Bundle changed in March." in v for v in created)
    summaries = {e.summary for e in events if e.action == "update"}
    assert "Baseline frozen: Bundle changed in March." in summaries
    assert "Baseline removed: Chart the whole run again." in summaries
    with pytest.raises(NotFoundError, match="no frozen baseline"):
        measures.clear_baseline(any_db, measure_id, "Again.")
    with pytest.raises(ValidationError, match="reason"):
        measures.set_baseline(any_db, measure_id, month(0), month(3), "   ")


def test_excluded_month_leaves_the_limits_but_stays_on_the_chart(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    values = [4.0, 5, 3, 6, 4, 30, 5, 4, 3, 5]
    measure_id = count_measure(any_db, unit_id, values, chart_kind="c", rule_set="we")
    before = chart_for_measure(any_db, measure_id)
    assert before.result is not None
    assert before.result.points[0].centre == pytest.approx(statistics.mean(values))

    measures.exclude_point(
        any_db, measure_id, month(5), excluded=True, reason="Norovirus outbreak <b>&</b>"
    )
    after = chart_for_measure(any_db, measure_id)
    assert after.result is not None
    kept = [v for i, v in enumerate(values) if i != 5]
    assert after.result.points[0].centre == pytest.approx(statistics.mean(kept))
    outbreak = after.result.points[5]
    assert outbreak.excluded and outbreak.value == 30 and "outside_limits" in outbreak.signals
    assert [(e.period, e.reason) for e in after.exclusions] == [
        (month(5), "Norovirus outbreak <b>&</b>")
    ]
    text = after.point_text(5)
    assert "Left out of the centre line and limits: Norovirus outbreak <b>&</b>" in text
    assert "a point outside the control limits" in text
    assert after.headline == "Signal of deterioration: June 2025 is above the upper control limit."

    measures.exclude_point(any_db, measure_id, month(5), excluded=False)
    again = chart_for_measure(any_db, measure_id)
    assert again.result is not None and again.exclusions == ()
    assert again.result.points[0].centre == pytest.approx(statistics.mean(values))


def test_baseline_with_no_usable_months_falls_back_and_says_so(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    measure_id = count_measure(any_db, unit_id, [3, 4, 2, 5, 3, 4], chart_kind="c", rule_set="we")
    measures.set_baseline(any_db, measure_id, month(0), month(1), "First two months.")
    for i in (0, 1):
        measures.exclude_point(any_db, measure_id, month(i), excluded=True, reason="Typo month")
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None and chart.result.baseline is None
    assert chart.baseline is None
    assert chart.warnings and "frozen baseline could not be used" in chart.warnings[0]


# --- what the chart says --------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "verdict"), [("down", "improvement"), ("up", "deterioration")]
)
def test_the_same_shift_reads_by_which_way_is_better(
    any_db: Database, direction: str, verdict: str
) -> None:
    unit_id = new_unit(any_db)
    values = [10.0, 12, 9, 11, 13, 10, 12, 11, 9, 13, 5, 4, 6, 5, 4, 6, 5]
    measure_id = count_measure(any_db, unit_id, values, direction=direction)
    chart = chart_for_measure(any_db, measure_id)
    assert chart.headline == (
        f"Signal of {verdict}: 7 months in a row below the median since November 2025."
    )


def test_no_signal_says_common_cause_and_where_the_target_sits(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    values = [20.0, 23, 19, 21, 18, 22, 20, 24, 19, 21, 20, 22]
    measure_id = count_measure(
        any_db, unit_id, values, chart_kind="c", rule_set="we", target=2.0, direction="down"
    )
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None and chart.result.signals == ()
    assert chart.headline.startswith("No signal: common-cause variation around a mean of 20.75")
    assert "The target is below the lower limit" in chart.interpretation[-1]


def test_anhoej_rules_on_request(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    measure_id = count_measure(any_db, unit_id, [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    chart = chart_for_measure(any_db, measure_id, rules="anhoej")
    assert chart.result is not None and chart.result.rules == "anhoej"
    assert chart.rule_set == "anhoej"
    with pytest.raises(ValidationError, match="do not fit"):
        chart_for_measure(any_db, measure_id, rules="we")


def test_missing_months_are_gaps_and_far_annotations_are_off_the_chart(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    measure_id = count_measure(any_db, unit_id, [3, 4, 2])
    measures.set_point(any_db, measure_id, month(5), value=6)
    measures.add_annotation(any_db, measure_id, date(2025, 2, 14), "Huddle started", "pdsa")
    measures.add_annotation(any_db, measure_id, date(2024, 6, 1), "Long ago", "other")
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None
    assert [p.period for p in chart.result.points] == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    assert chart.result.points[3].value is None and chart.result.points[4].value is None
    assert chart.point_text(3).startswith("April 2025: no data")
    assert [(a.text, a.period_index) for a in chart.annotations] == [
        ("Long ago", None),
        ("Huddle started", 1),
    ]
    assert chart.drawing_annotations() == [("2025-02", "Huddle started")]
    assert "PDSA cycle: Huddle started (2025-02-14)" in chart.point_text(1)


def test_not_enough_data_gives_a_reason_instead_of_a_chart(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    empty = count_measure(any_db, unit_id, [], name="Empty", chart_kind="c", rule_set="we")
    chart = chart_for_measure(any_db, empty)
    assert chart.result is None and chart.periods == ()
    assert chart.headline == "No data yet: enter the first month to start the chart."
    assert chart.point_text(0) == "" and chart.drawing_annotations() == []

    one = count_measure(any_db, unit_id, [3], name="One month", chart_kind="c", rule_set="we")
    chart = chart_for_measure(any_db, one)
    assert chart.result is None
    assert "at least 2 periods" in chart.unavailable

    with pytest.raises(NotFoundError):
        chart_for_measure(any_db, 9999)


def test_tooltip_text_names_numerator_denominator_limits_and_rules(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    measure_id = rate_measure(any_db, unit_id, [(3, 600), (4, 640), (2, 610), (14, 620)])
    chart = chart_for_measure(any_db, measure_id)
    assert chart.result is not None
    lines = chart.point_text(3).splitlines()
    assert lines[0] == "April 2025: 22.58 per 1,000 patient-days"
    assert lines[1] == "Falls: 14; Patient-days: 620"
    assert lines[2] == "Mean 9.31; control limits 0 to 20.94"  # 23 / 2,470; 3 sqrt(u/620)
    assert lines[3] == "Special cause: a point outside the control limits"


def test_a_chart_that_does_not_fit_the_measure_is_refused(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    with pytest.raises(ValidationError, match="does not fit a measure of this kind"):
        measures.create_measure(
            any_db,
            unit_id,
            measures.MeasureFields(name="Falls", kind="count", chart_kind="p", rule_set="we"),
        )


def test_names_pass_through_untouched(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    name = "Chutes <img src=x> & 転倒 🚑"
    measure_id = count_measure(any_db, unit_id, [1, 2, 3], name=name)
    chart = chart_for_measure(any_db, measure_id)
    assert chart.name == name and chart.title == f"{name} (falls)"


def test_number_and_month_wording() -> None:
    assert [format_number(x) for x in (0.0, 3.0, 1234.0, 2.345, 0.04567, 153.26)] == [
        "0",
        "3",
        "1,234",
        "2.35",
        "0.046",
        "153.3",
    ]
    assert month_label(date(2026, 3, 9)) == "March 2026"


def test_a_long_history_names_the_newest_signals_only(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    # six stretches of six months, alternately high and low: six shifts around the median
    values = ([8.0] * 6 + [2.0] * 6) * 3
    measure_id = count_measure(any_db, unit_id, values)
    chart = chart_for_measure(any_db, measure_id)
    signals = [s for s in chart.interpretation if s.startswith("Signal of")]
    assert len(signals) == 3
    assert "…and 3 earlier signals; the chart marks them all." in chart.interpretation
