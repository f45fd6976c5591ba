"""The hospital view: several units side by side, and what needs attention across them."""

from __future__ import annotations

from datetime import date, timedelta

from builders import issue_fields

from cuspdesk.db import Database
from cuspdesk.services import hospital, issues, measures, units
from cuspdesk.services.dashboard import last_harm_event

ON = date(2026, 6, 15)


def days(n: int) -> date:
    return ON + timedelta(days=n)


def make_unit(db: Database, name: str) -> int:
    return units.create_unit(db, units.UnitFields(name=name, hospital="Riverside")).id


def test_an_empty_database_has_no_units(any_db: Database) -> None:
    overview = hospital.load_hospital_overview(any_db, ON)
    assert overview.units == () and overview.most_overdue == () and overview.off_target == ()
    assert (overview.open, overview.overdue) == (0, 0)


def test_each_unit_stands_on_its_own_and_the_lists_cross_units(any_db: Database) -> None:
    icu = make_unit(any_db, "5 North ICU")
    ward = make_unit(any_db, "4 West Medicine")
    for unit_id, text, target in (
        (icu, "ICU late by a month", days(-30)),
        (icu, "ICU due next week", days(7)),
        (ward, "Ward late by two months", days(-60)),
        (ward, "Ward late by a day", days(-1)),
    ):
        issues.create_issue(
            any_db, unit_id, issue_fields(text, date_identified=days(-90), target_date=target)
        )
    issues.create_issue(
        any_db,
        ward,
        issue_fields("Fall with injury", date_identified=days(-12), harm_event=True),
    )
    falls = measures.create_measure(
        any_db, ward, measures.MeasureFields(name="Falls", target=2.0, direction="down")
    )
    measures.set_point(any_db, falls.id, date(2026, 5, 1), value=5)
    days_between = measures.create_measure(
        any_db,
        icu,
        measures.MeasureFields(
            name="Days between CLABSI", kind="days_between", target=100.0, direction="up"
        ),
    )
    measures.set_point(any_db, days_between.id, date(2026, 5, 1), value=150)
    measures.create_measure(any_db, icu, measures.MeasureFields(name="No data yet", target=1.0))

    overview = hospital.load_hospital_overview(any_db, ON)

    assert [u.name for u in overview.units] == ["4 West Medicine", "5 North ICU"]
    by_name = {u.name: u for u in overview.units}
    assert (by_name["5 North ICU"].open, by_name["5 North ICU"].overdue) == (2, 1)
    assert by_name["5 North ICU"].due_soon == 1
    assert (by_name["4 West Medicine"].open, by_name["4 West Medicine"].overdue) == (3, 2)
    assert (overview.open, overview.overdue) == (5, 3)
    # Days without harm use the dashboard's own definition.
    assert by_name["4 West Medicine"].harm_free_days == 12
    assert by_name["4 West Medicine"].last_harm == last_harm_event(any_db, ward, ON)
    assert by_name["5 North ICU"].harm_free_days is None
    # The most overdue first, whichever unit they are in.
    assert [(o.unit_name, o.issue.description) for o in overview.most_overdue] == [
        ("4 West Medicine", "Ward late by two months"),
        ("5 North ICU", "ICU late by a month"),
        ("4 West Medicine", "Ward late by a day"),
    ]
    assert overview.overdue_total == 3
    standing = {m.name: m for u in overview.units for m in u.measures}
    assert standing["Falls"].on_target is False and standing["Falls"].latest_value == 5
    assert standing["Days between CLABSI"].on_target is True
    assert standing["No data yet"].on_target is None
    assert [m.name for m in overview.off_target] == ["Falls"]
    assert (by_name["4 West Medicine"].off_target, by_name["5 North ICU"].on_target) == (1, 1)


def test_the_overdue_list_is_cut_but_counts_them_all(any_db: Database) -> None:
    unit_id = make_unit(any_db, "3 South")
    for n in range(5):
        issues.create_issue(
            any_db,
            unit_id,
            issue_fields(f"Late {n}", date_identified=days(-90), target_date=days(-n - 1)),
        )
    overview = hospital.load_hospital_overview(any_db, ON, overdue_limit=2)
    assert [o.issue.description for o in overview.most_overdue] == ["Late 4", "Late 3"]
    assert overview.overdue_total == 5


def test_archived_units_are_left_out(any_db: Database) -> None:
    keep = make_unit(any_db, "Open unit")
    gone = make_unit(any_db, "Closed unit")
    issues.create_issue(
        any_db, gone, issue_fields("Old", date_identified=days(-90), target_date=days(-5))
    )
    units.archive_unit(any_db, gone, "Unit closed")
    overview = hospital.load_hospital_overview(any_db, ON)
    assert [u.unit_id for u in overview.units] == [keep]
    assert overview.most_overdue == ()
