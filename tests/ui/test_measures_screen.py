"""The measures screen: define a measure, type in months, see the computed value, leave one out."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QPushButton, QTableView

from cuspdesk.services import measures
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.measures import MeasuresScreen
from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget
from ui.qt_helpers import (
    DialogAnswerer,
    click,
    click_row,
    find,
    mnemonic_clashes,
    pick,
    type_into,
    unnamed_controls,
)


def open_screen(qtbot: Any, context: AppContext) -> MeasuresScreen:
    screen = MeasuresScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def cells(view: QTableView, column: str) -> list[str]:
    model = view.model()
    number = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == column
    )
    return [model.index(r, number).data() for r in range(model.rowCount())]


def enter_month(screen: MeasuresScreen, month: date, **numbers: str) -> None:
    find(screen, QDateEdit, "Month").setDate(QDate(month.year, month.month, 1))
    for name, text in numbers.items():
        box = find(screen, QLineEdit, name.capitalize())
        box.clear()
        type_into(box, text)
    click(find(screen, QPushButton, "Save this month"))


def test_a_rate_measure_is_defined_and_its_months_show_the_computed_rate(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    click(find(screen, QPushButton, "New measure"))
    type_into(find(screen, QLineEdit, "Name"), "Falls with injury")
    pick(find(screen, QComboBox, "Kind"), "Rate")
    type_into(find(screen, QLineEdit, "Numerator counts"), "Falls with injury")
    type_into(find(screen, QLineEdit, "Denominator counts"), "Patient-days")
    rate_per = find(screen, QLineEdit, "Rate per")
    rate_per.clear()
    type_into(rate_per, "1,000")
    type_into(find(screen, QLineEdit, "Target"), "0.5")
    pick(find(screen, QComboBox, "Chart type"), "u chart (rates)")
    rules = find(screen, QComboBox, "Rules")
    assert [rules.itemText(i) for i in range(rules.count())] == [
        "Western Electric rules",
        "NHS Making Data Count rules",
    ]
    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Save measure"))
    assert screen.errors.messages() == {}

    [info] = measures.list_measures(context.db, small_unit["unit"].id)
    assert (info.fields.kind, info.fields.multiplier, info.fields.target) == ("rate", 1000.0, 0.5)
    assert info.fields.rule_set == "we"

    enter_month(screen, date(2025, 3, 1), numerator="2", denominator="640")
    enter_month(screen, date(2025, 4, 1), numerator="1", denominator="1 250")
    assert screen.errors.messages() == {}
    table = find(screen, QTableView, "Monthly values")
    assert cells(table, "Month") == ["2025-04", "2025-03"]
    assert cells(table, "Value") == ["0.8", "3.13"]
    assert [p.value for p in measures.list_points(context.db, info.id)] == [2 / 640 * 1000, 0.8]

    # Correct March: picking the month fills the boxes, ready to edit.
    click_row(table, "2025-03")
    assert find(screen, QLineEdit, "Numerator").text() == "2"
    assert find(screen, QLineEdit, "Denominator").text() == "640"
    enter_month(screen, date(2025, 3, 1), numerator="3")
    assert cells(table, "Value") == ["0.8", "4.69"]

    # Leaving a month out needs a reason, shown beside the reason box.
    click_row(table, "2025-04")
    click(find(screen, QPushButton, "Leave the selected month out of the limits"))
    assert "reason is needed" in screen.errors.messages()["exclude_reason"]
    type_into(find(screen, QLineEdit, "Reason to leave out"), "Census data incomplete")
    click(find(screen, QPushButton, "Leave the selected month out of the limits"))
    assert cells(table, "Left out") == ["Left out", ""]
    assert cells(table, "Reason / note")[0] == "Census data incomplete"
    april = measures.list_points(context.db, info.id)[1]
    assert (april.excluded, april.exclude_reason) == (True, "Census data incomplete")
    click(find(screen, QPushButton, "Put the selected month back"))
    assert not measures.list_points(context.db, info.id)[1].excluded
    assert not screen.has_unsaved_changes()


def test_bad_numbers_are_refused_beside_their_boxes_and_kept(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    measures.create_measure(
        context.db, unit_id, measures.MeasureFields("Pressure injuries", kind="proportion")
    )
    measures.create_measure(context.db, unit_id, measures.MeasureFields("Falls", kind="count"))
    screen = open_screen(qtbot, context)
    click_row(find(screen, QTableView, "Measures"), "Pressure injuries")

    enter_month(screen, date(2025, 5, 1), numerator="two", denominator="40")
    assert "must be a number" in screen.errors.messages()["numerator"]
    assert find(screen, QLineEdit, "Numerator").text() == "two"
    enter_month(screen, date(2025, 5, 1), numerator="50")
    assert "cannot be larger than the denominator" in screen.errors.messages()["numerator"]
    assert measures.list_points(context.db, measures.list_measures(context.db, unit_id)[0].id) == []
    assert screen.has_unsaved_changes()

    # A count has one box for the month's value; leaving the measure asks about the typing.
    answer_discard = DialogAnswerer().then("Discard")
    click_row(find(screen, QTableView, "Measures"), "Falls")
    assert answer_discard.seen
    assert not find(screen, QLineEdit, "Numerator").isVisibleTo(screen)
    enter_month(screen, date(2025, 5, 1), value="3")
    falls = next(m for m in measures.list_measures(context.db, unit_id) if m.fields.name == "Falls")
    assert [(p.period, p.value) for p in measures.list_points(context.db, falls.id)] == [
        (date(2025, 5, 1), 3.0)
    ]


def test_every_control_on_a_demo_measure_has_a_name(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context)
    click_row(find(screen, QTableView, "Measures"), "Falls with injury")
    assert find(screen, QTableView, "Monthly values").model().rowCount() > 12
    chart = find(screen, MeasureChartWidget, "Chart of Falls with injury")
    assert len(chart.markers()) > 12
    assert unnamed_controls(screen) == []
    assert mnemonic_clashes(screen) == []
