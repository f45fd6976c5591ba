"""The chart on the Measures screen: the demo's charts, and a month typed in shows at once."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from cuspdesk.services import measures
from cuspdesk.services.measure_charts import chart_for_measure
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.measures import MeasuresScreen
from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget
from ui.qt_helpers import click, click_row, find, type_into


def open_screen(qtbot: QtBot, context: AppContext) -> MeasuresScreen:
    screen = MeasuresScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_each_demo_measure_shows_its_chart_and_reading(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    unit_id = demo_context.unit_id or 0
    for info in measures.list_measures(demo_context.db, unit_id):
        click_row(find(screen, QTableView, "Measures"), info.fields.name)
        chart = find(screen, MeasureChartWidget, f"Chart of {info.fields.name}")
        expected = chart_for_measure(demo_context.db, info.id)
        assert expected.result is not None
        flagged = {i for i, p in enumerate(expected.result.points) if p.signals}
        assert {m.index for m in chart.markers() if m.shape == "diamond"} == flagged
        reading = find(screen, QLabel, "What the chart shows").text()
        assert reading.splitlines()[0] == expected.headline


def test_a_month_saved_on_the_screen_is_on_the_chart_at_once(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    click_row(find(screen, QTableView, "Measures"), "Days between pressure injuries")
    chart = find(screen, MeasureChartWidget, "Chart of Days between pressure injuries")
    before = len(chart.markers())
    # The current month: the sample unit's data always stops at last month.
    this_month = date.today().replace(day=1)
    find(screen, QDateEdit, "Month").setDate(QDate(this_month.year, this_month.month, 1))
    box = find(screen, QLineEdit, "Value")
    box.clear()
    type_into(box, "95")
    click(find(screen, QPushButton, "Save this month"))
    markers = chart.markers()
    assert len(markers) == before + 1
    newest = markers[-1]
    assert chart.chart() is not None
    assert chart.chart().periods[newest.index] == this_month  # type: ignore[union-attr]
    assert newest.shape == "diamond"  # far above the median: astronomical, on the good side
