"""The measure import dialog: preview first, row problems in words, import all at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import measures, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.measure_import import MeasureImportDialog


def named(parent: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in parent.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


@pytest.fixture
def dialog(qtbot: QtBot, db: Database) -> MeasureImportDialog:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    measure_id = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="Falls",
            kind="rate",
            multiplier=1000.0,
            numerator_label="Falls",
            denominator_label="Patient-days",
            chart_kind="u",
            rule_set="we",
        ),
    ).id
    measures.set_point(db, measure_id, date(2026, 1, 1), numerator=1, denominator=500)
    window = MeasureImportDialog(AppContext(db, unit_id), measure_id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_preview_then_import(qtbot: QtBot, dialog: MeasureImportDialog, tmp_path: Path) -> None:
    path = tmp_path / "falls.csv"
    path.write_text("period,numerator,denominator\n2026-01,2,640\n2026-02,0,600\n", "utf-8")
    button = named(dialog, QPushButton, "Import the months")
    assert not button.isEnabled()
    dialog.load_file(path)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    summary = named(dialog, QLabel, "What the import will do")
    assert "1 new month will be added." in summary.text()
    assert "1 month already entered will be updated: January 2026 (2 → 3.12)." in summary.text()
    table = named(dialog, QTableView, "Months to import")
    model = table.model()
    assert model.rowCount() == 2
    assert model.index(0, 5).data() == "Updates (was 2)"
    assert model.index(1, 5).data() == "New month"
    assert button.isEnabled() and button.text() == "&Import 2 months"

    with (
        qtbot.waitSignal(dialog.context.data_changed) as changed,
        qtbot.waitSignal(dialog.imported) as imported,
    ):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert changed.args == ["measure"] and imported.args == [2]
    points = measures.list_points(dialog.context.db, dialog.measure_id)
    assert [(p.numerator, p.denominator) for p in points] == [(2.0, 640.0), (0.0, 600.0)]


def test_bad_rows_are_listed_and_nothing_can_be_imported(
    qtbot: QtBot, dialog: MeasureImportDialog, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("period,numerator,denominator\n2026-02-30,1,600\n2026-03,1,0\n", "utf-8")
    dialog.load_file(path)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    problems = named(dialog, QListWidget, "Problems in the file")
    assert [problems.item(i).text() for i in range(problems.count())] == [
        "Line 2: the period '2026-02-30' is not a date like 2024-03 or 2024-03-31.",
        "Line 3: the denominator is 0.",
    ]
    assert problems.isVisible()
    assert not named(dialog, QPushButton, "Import the months").isEnabled()
    points = measures.list_points(dialog.context.db, dialog.measure_id)
    assert [p.period for p in points] == [date(2026, 1, 1)]
