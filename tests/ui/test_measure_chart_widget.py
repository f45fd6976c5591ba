"""The QPainter chart widget: shapes for signals, hover and keyboard descriptions, live updates."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import measures, units
from cuspdesk.services.measure_charts import MeasureChart, chart_for_measure
from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget

# 12 ordinary months, then a fall in falls: a shift below the median (improvement)
VALUES = [10.0, 12, 9, 11, 13, 10, 12, 11, 9, 13, 10, 12, 5, 4, 6, 5, 4, 6, 5]


def month(i: int) -> date:
    y, m = divmod(i, 12)
    return date(2025 + y, m + 1, 1)


@pytest.fixture
def falls(db: Database) -> int:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    measure_id = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="Falls <b>&</b> 転倒",
            kind="count",
            unit_label="falls",
            chart_kind="run",
            rule_set="ihi",
            direction="down",
            target=6.0,
        ),
    ).id
    for i, v in enumerate(VALUES):
        measures.set_point(db, measure_id, month(i), value=v)
    measures.add_annotation(db, measure_id, month(12), "PDSA 1: bed alarms", "pdsa")
    return measure_id


_windows: list[QWidget] = []


def shown(qtbot: QtBot, chart: MeasureChart) -> MeasureChartWidget:
    """The widget in a window, found by its accessible name as a screen reader would."""
    window = QWidget()
    _windows[:] = [window]  # keep it alive for the test
    layout = QVBoxLayout(window)
    layout.addWidget(MeasureChartWidget())
    qtbot.addWidget(window)
    window.resize(900, 420)
    window.show()
    qtbot.waitExposed(window)
    for w in window.findChildren(MeasureChartWidget):
        w.set_chart(chart)
    found = [
        w for w in window.findChildren(QWidget) if w.accessibleName() == f"Chart of {chart.name}"
    ]
    assert len(found) == 1 and isinstance(found[0], MeasureChartWidget)
    return found[0]


def test_flagged_points_are_diamonds_and_the_rest_circles(
    qtbot: QtBot, db: Database, falls: int
) -> None:
    chart = chart_for_measure(db, falls)
    assert chart.result is not None
    widget = shown(qtbot, chart)
    markers = widget.markers()
    assert [m.index for m in markers] == list(range(len(VALUES)))
    flagged = {i for i, p in enumerate(chart.result.points) if p.signals}
    assert flagged == set(range(12, 19))
    assert {m.index for m in markers if m.shape == "diamond"} == flagged
    assert all(m.shape == "circle" for m in markers if m.index not in flagged)
    assert not any(m.hollow for m in markers)
    # points sit inside the plot, in time order, lower values lower on screen
    xs = [m.centre.x() for m in markers]
    assert xs == sorted(xs)
    assert markers[12].centre.y() > markers[0].centre.y()
    assert all(0 <= m.centre.x() <= widget.width() for m in markers)


def test_excluded_points_are_hollow(qtbot: QtBot, db: Database, falls: int) -> None:
    measures.exclude_point(db, falls, month(13), excluded=True, reason="Data not validated")
    measures.exclude_point(db, falls, month(2), excluded=True, reason="Ward closed")
    widget = shown(qtbot, chart_for_measure(db, falls))
    diamond = widget.marker_for(13)
    circle = widget.marker_for(2)
    assert diamond is not None and diamond.shape == "diamond" and diamond.hollow
    assert circle is not None and circle.shape == "circle" and circle.hollow


def test_hover_shows_value_numbers_limits_and_rules(qtbot: QtBot, db: Database, falls: int) -> None:
    chart = chart_for_measure(db, falls)
    widget = shown(qtbot, chart)
    marker = widget.marker_for(12)
    assert marker is not None
    qtbot.mouseMove(widget, marker.centre.toPoint())
    qtbot.waitUntil(lambda: widget.hovered_index == 12)
    qtbot.waitUntil(QToolTip.isVisible)
    text = QToolTip.text()
    assert text == chart.point_text(12)
    assert text.startswith("January 2026: 5 falls")
    assert "\nMedian 10\n" in text
    assert "a shift" in text
    assert "PDSA cycle: PDSA 1: bed alarms" in text
    # outside the plot nothing is hovered
    qtbot.mouseMove(widget, QPoint(2, 2))
    qtbot.waitUntil(lambda: widget.hovered_index is None)


def test_keyboard_moves_the_focused_point_and_describes_it(
    qtbot: QtBot, db: Database, falls: int
) -> None:
    chart = chart_for_measure(db, falls)
    widget = shown(qtbot, chart)
    assert widget.accessibleDescription().startswith("Signal of improvement")
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    assert widget.focused_index == len(VALUES) - 1  # the latest month first
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    assert widget.focused_index == 0
    assert widget.accessibleDescription() == chart.point_text(0)
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.focused_index == 1
    assert widget.accessibleDescription().startswith("February 2025: 12 falls")
    qtbot.keyClick(widget, Qt.Key.Key_Left)
    qtbot.keyClick(widget, Qt.Key.Key_Left)  # stays on the first point
    assert widget.focused_index == 0
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.focused_index == len(VALUES) - 1
    with qtbot.waitSignal(widget.point_activated) as activated:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert activated.args == [len(VALUES) - 1]


def test_keyboard_skips_months_without_data(qtbot: QtBot, db: Database, falls: int) -> None:
    measures.set_point(db, falls, month(len(VALUES) + 2), value=5)  # a gap of two months
    chart = chart_for_measure(db, falls)
    widget = shown(qtbot, chart)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_End)
    qtbot.keyClick(widget, Qt.Key.Key_Left)
    assert widget.focused_index == len(VALUES) - 1
    assert widget.marker_for(len(VALUES)) is None  # the gap has no marker


def test_entering_a_month_updates_the_chart_at_once(qtbot: QtBot, db: Database, falls: int) -> None:
    widget = shown(qtbot, chart_for_measure(db, falls))
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    before = len(widget.markers())
    measures.set_point(db, falls, month(len(VALUES)), value=25)
    widget.set_chart(chart_for_measure(db, falls))
    markers = widget.markers()
    assert len(markers) == before + 1
    newest = markers[-1]
    assert newest.index == len(VALUES) and newest.shape == "diamond"  # astronomical
    assert widget.focused_index == 0  # the same measure keeps the focused month
    assert widget.accessibleName() == "Chart of Falls <b>&</b> 転倒"


def test_no_chart_and_no_data_say_so(qtbot: QtBot, db: Database) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    empty = measures.create_measure(
        db, unit_id, measures.MeasureFields(name="Pressure injuries")
    ).id
    widget = shown(qtbot, chart_for_measure(db, empty))
    assert widget.markers() == ()
    assert (
        widget.accessibleDescription() == "No data yet: enter the first month to start the chart."
    )
    widget.set_chart(None)
    assert widget.accessibleName() == "Chart"
    assert widget.accessibleDescription() == "No measure chosen."
    widget.grab()  # paints without data
