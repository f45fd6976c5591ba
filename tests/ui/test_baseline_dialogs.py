"""Freezing a baseline and leaving a month out, by hand and with a reason, from the dialogs."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import measures, units
from cuspdesk.services.measure_charts import chart_for_measure
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.baseline import BaselineDialog
from cuspdesk.ui.dialogs.point_exclusion import PointExclusionDialog


def named(parent: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in parent.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def month(i: int) -> date:
    return date(2025 + i // 12, i % 12 + 1, 1)


@pytest.fixture
def falls(db: Database) -> tuple[AppContext, int]:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    measure_id = measures.create_measure(
        db, unit_id, measures.MeasureFields(name="Falls", chart_kind="c", rule_set="we")
    ).id
    for i, v in enumerate([4, 5, 3, 6, 4, 5, 4, 3, 5, 4, 6, 5, 2, 1, 2, 30, 1]):
        measures.set_point(db, measure_id, month(i), value=v)
    return AppContext(db, unit_id), measure_id


def test_freeze_needs_a_reason_then_freezes(qtbot: QtBot, falls: tuple[AppContext, int]) -> None:
    context, measure_id = falls
    dialog = BaselineDialog(context, measure_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert named(dialog, QLabel, "Current baseline").text().startswith("No baseline is frozen")
    first = named(dialog, QComboBox, "First month of the baseline")
    last = named(dialog, QComboBox, "Last month of the baseline")
    assert first.currentText() == "January 2025" and last.currentText() == "December 2025"
    freeze = named(dialog, QPushButton, "Freeze the baseline on these months")
    remove = named(dialog, QPushButton, "Remove the frozen baseline")
    assert not remove.isEnabled()

    qtbot.mouseClick(freeze, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "reason" in dialog.errors.messages()
    assert measures.active_baseline(context.db, measure_id) is None

    named(dialog, QPlainTextEdit, "Why the baseline is frozen, changed or removed").setPlainText(
        "The year before the bed alarms <b>&</b>"
    )
    with qtbot.waitSignal(context.data_changed) as changed:
        qtbot.mouseClick(freeze, Qt.MouseButton.LeftButton)
    assert changed.args == ["measure"]
    active = measures.active_baseline(context.db, measure_id)
    assert active is not None
    assert (active.first_period, active.last_period) == (month(0), month(11))
    assert active.reason == "The year before the bed alarms <b>&</b>"
    chart = chart_for_measure(context.db, measure_id)
    assert chart.result is not None and chart.result.baseline is not None


def test_rebaseline_and_remove_keep_history(qtbot: QtBot, falls: tuple[AppContext, int]) -> None:
    context, measure_id = falls
    measures.set_baseline(context.db, measure_id, month(0), month(11), "Before the change.")
    dialog = BaselineDialog(context, measure_id)
    qtbot.addWidget(dialog)
    assert "Before the change." in named(dialog, QLabel, "Current baseline").text()
    named(dialog, QComboBox, "First month of the baseline").setCurrentIndex(12)
    named(dialog, QComboBox, "Last month of the baseline").setCurrentIndex(16)
    named(dialog, QPlainTextEdit, "Why the baseline is frozen, changed or removed").setPlainText(
        "New process since January 2026."
    )
    qtbot.mouseClick(
        named(dialog, QPushButton, "Freeze the baseline on these months"), Qt.MouseButton.LeftButton
    )
    reasons = [(b.reason, b.active) for b in measures.list_baselines(context.db, measure_id)]
    assert reasons == [("Before the change.", False), ("New process since January 2026.", True)]

    again = BaselineDialog(context, measure_id)
    qtbot.addWidget(again)
    history = again.history
    assert history.accessibleName() == "Earlier baselines"
    assert history.item(0).text().startswith("January 2025 to December 2025, by ")
    named(again, QPlainTextEdit, "Why the baseline is frozen, changed or removed").setPlainText(
        "Chart every month again."
    )
    qtbot.mouseClick(
        named(again, QPushButton, "Remove the frozen baseline"), Qt.MouseButton.LeftButton
    )
    assert measures.active_baseline(context.db, measure_id) is None


def test_leave_a_month_out_and_put_it_back(qtbot: QtBot, falls: tuple[AppContext, int]) -> None:
    context, measure_id = falls
    outbreak = month(15)
    dialog = PointExclusionDialog(context, measure_id, outbreak)
    qtbot.addWidget(dialog)
    assert (
        named(dialog, QLabel, "About this month")
        .text()
        .startswith("April 2026 (30) counts towards the centre line and limits.")
    )
    leave_out = named(dialog, QPushButton, "Leave the month out")
    qtbot.mouseClick(leave_out, Qt.MouseButton.LeftButton)
    assert "exclude_reason" in dialog.errors.messages()
    named(dialog, QPlainTextEdit, "Why this month is left out").setPlainText("Norovirus outbreak")
    qtbot.mouseClick(leave_out, Qt.MouseButton.LeftButton)
    chart = chart_for_measure(context.db, measure_id)
    assert chart.result is not None and chart.result.points[15].excluded
    assert [e.reason for e in chart.exclusions] == ["Norovirus outbreak"]

    back = PointExclusionDialog(context, measure_id, outbreak)
    qtbot.addWidget(back)
    assert "left out of the centre line and limits: Norovirus outbreak" in (
        named(back, QLabel, "About this month").text()
    )
    qtbot.mouseClick(
        named(back, QPushButton, "Put the month back into the limits"), Qt.MouseButton.LeftButton
    )
    chart = chart_for_measure(context.db, measure_id)
    assert chart.result is not None and not chart.result.points[15].excluded
