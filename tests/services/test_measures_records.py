"""Measures as records: definitions, monthly points, exclusions, annotations and baselines.

The chart maths (limits, rules) is tested with the chart code; here it is what
is stored and refused.
"""

from __future__ import annotations

from datetime import date

import pytest
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.services import measures, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.measures import MeasureFields

FALLS = MeasureFields(
    name="Falls with injury",
    kind="rate",
    multiplier=1000.0,
    unit_label="per 1,000 patient-days",
    numerator_label="falls with injury",
    denominator_label="patient-days",
    chart_kind="u",
    rule_set="we",
    target=0.5,
)


@pytest.fixture
def falls(any_db: Database, unit: units.UnitInfo) -> measures.MeasureInfo:
    return measures.create_measure(any_db, unit.id, FALLS)


@pytest.fixture
def bundle(any_db: Database, unit: units.UnitInfo) -> measures.MeasureInfo:
    return measures.create_measure(
        any_db,
        unit.id,
        MeasureFields(
            "Falls bundle compliance",
            kind="proportion",
            direction="up",
            numerator_label="patients with the bundle",
            denominator_label="patients audited",
        ),
    )


def problems(error: ValidationError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in error.problems]


# --- measures ------------------------------------------------------------------------


def test_a_measure_is_saved_and_listed_in_order(
    any_db: Database, unit: units.UnitInfo, falls: measures.MeasureInfo
) -> None:
    assert falls.fields == FALLS
    assert (falls.point_count, falls.latest_period, falls.latest_value) == (0, None, None)
    assert falls.needs_denominator
    days = measures.create_measure(
        any_db,
        unit.id,
        MeasureFields("Days between pressure injuries", kind="days_between", key_measure=False),
    )
    assert not days.needs_denominator
    assert [m.id for m in measures.list_measures(any_db, unit.id)] == [falls.id, days.id]
    assert [m.id for m in measures.list_measures(any_db, unit.id, key_only=True)] == [falls.id]
    assert measures.get_measure(any_db, falls.id) == falls


def test_measure_form_problems(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        measures.create_measure(
            any_db,
            unit.id,
            MeasureFields(
                " ",
                kind="ratio",
                multiplier=0,
                direction="sideways",
                target=float("nan"),
                chart_kind="pie",
                unit_label="per\nday",
            ),
        )
    assert problems(caught.value) == [
        ("name", "The measure's name is needed."),
        ("kind", "Choose what kind of measure this is."),
        ("multiplier", "The multiplier must be more than 0."),
        ("unit_label", "The unit of measure must fit on one line."),
        ("direction", "Say whether higher or lower is better."),
        ("target", "The target must be a number."),
        ("chart_kind", "Choose a chart type."),
    ]
    for _field, message in problems(caught.value):
        assert_plain_sentence(message)


@pytest.mark.parametrize(
    ("chart", "rules", "message"),
    [
        ("run", "we", "A run chart uses the IHI or the Anhøj rules."),
        ("p", "ihi", "A control chart uses the Western Electric or NHS rules."),
        ("i", "anhoej", "A control chart uses the Western Electric or NHS rules."),
        ("run", "six-sigma", "Choose a rule set."),
    ],
)
def test_the_rules_must_suit_the_chart(
    any_db: Database, unit: units.UnitInfo, chart: str, rules: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        measures.create_measure(
            any_db, unit.id, MeasureFields("Falls", chart_kind=chart, rule_set=rules)
        )
    assert problems(caught.value) == [("rule_set", message)]


def test_measure_names_are_unique_in_a_unit_whatever_the_case(
    any_db: Database, unit: units.UnitInfo, falls: measures.MeasureInfo
) -> None:
    with pytest.raises(ValidationError) as caught:
        measures.create_measure(any_db, unit.id, MeasureFields(" FALLS WITH INJURY "))
    assert problems(caught.value) == [
        ("name", "This unit already has a measure called “FALLS WITH INJURY”.")
    ]
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    assert measures.create_measure(any_db, icu.id, FALLS).fields.name == FALLS.name
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        measures.create_measure(any_db, 999, FALLS)


def test_editing_a_measure_and_a_stale_copy(
    any_db: Database, unit: units.UnitInfo, falls: measures.MeasureInfo
) -> None:
    other = measures.create_measure(any_db, unit.id, MeasureFields("CLABSI"))
    edited = measures.update_measure(
        any_db,
        falls.id,
        MeasureFields(**{**vars(FALLS), "target": 0.3, "name": "falls with injury"}),
        expected_version=falls.version,
    )
    assert (edited.fields.target, edited.fields.name, edited.version) == (
        0.3,
        "falls with injury",
        falls.version + 1,
    )
    with pytest.raises(ConflictError) as caught:
        measures.update_measure(any_db, falls.id, FALLS, expected_version=falls.version)
    assert str(caught.value) == "This measure was changed by someone else after you opened it."
    with pytest.raises(ValidationError, match="already has a measure called “clabsi”"):
        measures.update_measure(
            any_db,
            falls.id,
            MeasureFields(**{**vars(FALLS), "name": "clabsi"}),
            expected_version=edited.version,
        )
    assert measures.get_measure(any_db, other.id).fields.name == "CLABSI"
    with pytest.raises(NotFoundError, match="That measure no longer exists."):
        measures.get_measure(any_db, 4321)


# --- points --------------------------------------------------------------------------


def test_one_point_per_month_entered_again_is_corrected_not_doubled(
    any_db: Database, falls: measures.MeasureInfo
) -> None:
    first = measures.set_point(
        any_db, falls.id, date(2026, 3, 17), numerator=2, denominator=500, note="  Two falls  "
    )
    assert (first.period, first.numerator, first.denominator, first.note) == (
        date(2026, 3, 1),
        2,
        500,
        "Two falls",
    )
    assert first.value == pytest.approx(4.0)
    corrected = measures.set_point(
        any_db, falls.id, date(2026, 3, 31), numerator=1, denominator=500
    )
    assert corrected.id == first.id
    assert corrected.value == pytest.approx(2.0)
    measures.set_point(any_db, falls.id, date(2026, 1, 2), numerator=0, denominator=480)
    points = measures.list_points(any_db, falls.id)
    assert [p.period for p in points] == [date(2026, 1, 1), date(2026, 3, 1)]
    info = measures.get_measure(any_db, falls.id)
    assert (info.point_count, info.latest_period) == (2, date(2026, 3, 1))
    assert info.latest_value == pytest.approx(2.0)


def test_a_rate_needs_both_numbers_and_a_denominator_above_zero(
    any_db: Database, falls: measures.MeasureInfo
) -> None:
    with pytest.raises(ValidationError) as caught:
        measures.set_point(any_db, falls.id, date(2026, 3, 1), denominator=0)
    assert problems(caught.value) == [
        ("numerator", "Enter the falls with injury."),
        ("denominator", "Enter the patient-days (it cannot be 0)."),
    ]
    assert measures.list_points(any_db, falls.id) == []


def test_a_proportion_cannot_have_more_successes_than_cases(
    any_db: Database, bundle: measures.MeasureInfo
) -> None:
    with pytest.raises(ValidationError) as caught:
        measures.set_point(any_db, bundle.id, date(2026, 3, 1), numerator=31, denominator=30)
    assert problems(caught.value) == [
        ("numerator", "The numerator cannot be larger than the denominator.")
    ]
    assert measures.list_points(any_db, bundle.id) == []
    full = measures.set_point(any_db, bundle.id, date(2026, 3, 1), numerator=30, denominator=30)
    assert full.value == pytest.approx(1.0)


def test_a_count_needs_its_value_and_no_number_may_be_negative_or_odd(
    any_db: Database, unit: units.UnitInfo
) -> None:
    count = measures.create_measure(any_db, unit.id, MeasureFields("Pressure injuries"))
    with pytest.raises(ValidationError) as missing:
        measures.set_point(any_db, count.id, date(2026, 3, 1))
    assert problems(missing.value) == [("value", "Enter the value for the month.")]
    with pytest.raises(ValidationError) as odd:
        measures.set_point(
            any_db,
            count.id,
            date(2026, 3, 1),
            value=-1,
            numerator=float("inf"),
            denominator=2e12,
        )
    assert problems(odd.value) == [
        ("numerator", "The numerator must be a number."),
        ("denominator", "The denominator cannot be more than 1,000,000,000,000."),
        ("value", "The value cannot be less than 0."),
    ]
    with pytest.raises(ValidationError, match="The month must be between 1950 and 2100"):
        measures.set_point(any_db, count.id, date(1900, 1, 1), value=1)
    assert measures.set_point(any_db, count.id, date(2026, 3, 1), value=3).value == 3
    # A count typed as a numerator is still the month's count.
    assert measures.set_point(any_db, count.id, date(2026, 4, 1), numerator=2).value == 2


def test_removing_a_month_keeps_what_it_was_in_the_audit(
    any_db: Database, unit: units.UnitInfo
) -> None:
    count = measures.create_measure(any_db, unit.id, MeasureFields("Pressure injuries"))
    point = measures.set_point(any_db, count.id, date(2026, 2, 1), value=4)
    measures.remove_point(any_db, count.id, date(2026, 2, 28))
    assert measures.list_points(any_db, count.id) == []
    removed = list_audit_events(any_db, entity="measure_point", entity_id=point.id)
    assert removed[0].action == "delete"
    assert '"value": "4.0"' in (removed[0].old_value or "")
    assert removed == list_audit_events(
        any_db, entity="measure_point", entity_id=point.id, unit_id=unit.id
    )
    with pytest.raises(NotFoundError) as caught:
        measures.remove_point(any_db, count.id, date(2026, 2, 1))
    assert str(caught.value) == "There is no data for that month."


def test_excluding_a_month_needs_a_reason_and_including_it_clears_the_reason(
    any_db: Database, falls: measures.MeasureInfo
) -> None:
    measures.set_point(any_db, falls.id, date(2026, 3, 1), numerator=9, denominator=500)
    with pytest.raises(ValidationError) as caught:
        measures.exclude_point(any_db, falls.id, date(2026, 3, 1), excluded=True, reason="  ")
    assert problems(caught.value) == [("exclude_reason", "The reason is needed.")]
    excluded = measures.exclude_point(
        any_db, falls.id, date(2026, 3, 9), excluded=True, reason="Norovirus outbreak closed beds."
    )
    assert (excluded.excluded, excluded.exclude_reason) == (True, "Norovirus outbreak closed beds.")
    back = measures.exclude_point(any_db, falls.id, date(2026, 3, 1), excluded=False)
    assert (back.excluded, back.exclude_reason) == (False, "")
    with pytest.raises(NotFoundError, match="There is no data for that month."):
        measures.exclude_point(any_db, falls.id, date(2026, 4, 1), excluded=True, reason="x")


# --- annotations and baselines -------------------------------------------------------


def test_annotations_mark_pdsa_cycles_in_date_order(
    any_db: Database, falls: measures.MeasureInfo
) -> None:
    later = measures.add_annotation(any_db, falls.id, date(2026, 5, 1), "PDSA 2: toileting plan")
    earlier = measures.add_annotation(
        any_db, falls.id, date(2026, 2, 1), "Hourly rounding", "intervention"
    )
    assert measures.list_annotations(any_db, falls.id) == [earlier, later]
    assert measures.ANNOTATION_KINDS[later.kind] == "PDSA cycle"
    with pytest.raises(ValidationError) as caught:
        measures.add_annotation(any_db, falls.id, date(2026, 5, 1), "x" * 301, "party")
    assert problems(caught.value) == [
        ("text", "The annotation is too long (301 characters; the limit is 300)."),
        ("kind", "Choose what kind of annotation this is."),
    ]
    with pytest.raises(NotFoundError):
        measures.add_annotation(any_db, 999, date(2026, 5, 1), "Orphan")


def test_a_new_baseline_supersedes_the_old_one_which_is_kept(
    any_db: Database, falls: measures.MeasureInfo
) -> None:
    for month in range(1, 13):
        measures.set_point(any_db, falls.id, date(2025, month, 1), numerator=1, denominator=600)
    first = measures.set_baseline(
        any_db, falls.id, date(2025, 1, 15), date(2025, 6, 30), "The year before CUSP."
    )
    assert (first.first_period, first.last_period) == (date(2025, 1, 1), date(2025, 6, 1))
    assert first.active
    assert first.created_by == any_db.actor.os_user
    second = measures.set_baseline(
        any_db, falls.id, date(2025, 7, 1), date(2025, 12, 1), "New falls bundle in place."
    )
    assert [(b.id, b.active) for b in measures.list_baselines(any_db, falls.id)] == [
        (first.id, False),
        (second.id, True),
    ]
    assert measures.active_baseline(any_db, falls.id) == second
    measures.clear_baseline(any_db, falls.id, "Unit moved to a new floor.")
    assert measures.active_baseline(any_db, falls.id) is None
    assert len(measures.list_baselines(any_db, falls.id)) == 2
    cleared = [
        e
        for e in list_audit_events(any_db, entity="measure_baseline", entity_id=second.id)
        if e.field == "superseded_at"
    ]
    assert cleared[0].summary == "Baseline removed: Unit moved to a new floor."


def test_baseline_problems(any_db: Database, falls: measures.MeasureInfo) -> None:
    measures.set_point(any_db, falls.id, date(2025, 1, 1), numerator=1, denominator=600)
    with pytest.raises(ValidationError) as caught:
        measures.set_baseline(any_db, falls.id, date(2025, 6, 1), date(2025, 1, 1), " ")
    assert problems(caught.value) == [
        ("reason", "The reason is needed."),
        ("last_period", "The last month cannot be before the first month."),
    ]
    with pytest.raises(ValidationError) as thin:
        measures.set_baseline(any_db, falls.id, date(2025, 1, 1), date(2025, 12, 1), "Too few")
    assert problems(thin.value) == [
        ("last_period", "A baseline needs at least two months of data in the chosen span.")
    ]
    with pytest.raises(ValidationError, match="The reason is needed."):
        measures.clear_baseline(any_db, falls.id, "")
    assert measures.list_baselines(any_db, falls.id) == []
