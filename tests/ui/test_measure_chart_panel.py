"""The Measures screen's chart panel: reading in words, controls, live update after saving."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import measures, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget
from cuspdesk.ui.widgets.measure_chart_panel import MeasureChartPanel


def named(parent: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in parent.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def test_panel_reads_the_chart_and_follows_new_data(qtbot: QtBot, db: Database) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    measure_id = measures.create_measure(
        db, unit_id, measures.MeasureFields(name="Falls", unit_label="falls", target=6.0)
    ).id
    context = AppContext(db, unit_id)
    panel = MeasureChartPanel(context)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    for button in ("Import months from a file", "Freeze or change the baseline"):
        assert not named(panel, QPushButton, button).isEnabled()

    panel.show_measure(measure_id)
    reading = named(panel, QLabel, "What the chart shows")
    assert reading.text() == "No data yet: enter the first month to start the chart."
    assert named(panel, QPushButton, "Import months from a file").isEnabled()
    assert not named(panel, QPushButton, "Leave the chosen month out of the limits").isEnabled()

    for i, v in enumerate([10, 12, 9, 11, 13, 10, 12, 11, 9, 13, 10, 12, 5, 4, 6, 5, 4, 6]):
        measures.set_point(db, measure_id, date(2025 + i // 12, i % 12 + 1, 1), value=v)
    chart = named(panel, MeasureChartWidget, "Chart of Falls")
    assert chart.markers() == ()  # not reloaded until the change is announced
    with qtbot.waitSignal(panel.chart_loaded):
        context.changed("measure")
    assert len(chart.markers()) == 18
    assert reading.text().splitlines()[0] == (
        "Signal of improvement: 6 months in a row below the median since January 2026."
    )
    assert named(panel, QPushButton, "Freeze or change the baseline").isEnabled()
    assert named(panel, QPushButton, "Leave the chosen month out of the limits").isEnabled()

    measures.set_point(db, measure_id, date(2026, 7, 1), value=5)  # a month is saved
    context.changed("measure")
    assert len(chart.markers()) == 19
    assert reading.text().startswith("Signal of improvement: 7 months in a row below the median")
