"""The strategic alignment matrix: marks readable without colour, cells that open their records."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QTableView, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import demo, issues, measures, units
from cuspdesk.services.alignment import gather_alignment
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.alignment import AlignmentScreen

TODAY = date(2026, 11, 24)


def named(screen: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in screen.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def open_screen(qtbot: QtBot, db: Database, unit_id: int) -> tuple[AlignmentScreen, AppContext]:
    context = AppContext(db, unit_id)
    screen = AlignmentScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: not screen.loading and screen.model.rowCount() > 0, timeout=10_000)
    return screen, context


def cell(table: QTableView, row_text: str, header: str) -> QModelIndex:
    model = table.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(row_text)]
    cols = [
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    ]
    assert len(rows) == 1 and len(cols) == 1, (row_text, header)
    return model.index(rows[0], cols[0])


def click(qtbot: QtBot, table: QTableView, index: QModelIndex) -> None:
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )


@pytest.fixture
def demo_unit(db: Database) -> int:
    return demo.create_demo_unit(db, today=TODAY).id


def test_matrix_marks_and_words(qtbot: QtBot, db: Database, demo_unit: int) -> None:
    screen, _ = open_screen(qtbot, db, demo_unit)
    table = named(screen, QTableView, "Strategic alignment matrix")
    summary = named(screen, QLabel, "Alignment summary")
    assert summary.text().startswith("3 aims · 4 goals (2 on track) · ")

    aim = cell(table, "Aim: No preventable harm from falls", "Measure: Falls with injury")
    assert aim.data() == "●"
    assert aim.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Falls with injury serves the aim “No preventable harm from falls”."
    )
    goal = cell(table, "Goal: Falls with injury below 0.5", "Measure: Falls with injury")
    assert goal.data() == "◆"
    assert cell(table, "Goal: Falls with injury below 0.5", "Measure: CLABSI").data() == ""
    name = cell(table, "Goal: At least 36 days", "Aim, the target above it, and its goals")
    assert name.data().splitlines()[1] == (
        "✗ Not on track · October 2026: 28 days; target 36 or higher"
    )
    first_aim = table.model().index(0, 0).data()
    assert first_aim.splitlines()[1].startswith("Sits under: Riverside strategic plan")

    falls = cell(table, "Aim: No preventable harm from falls", "Issues: Falls")
    count = int(falls.data())
    assert count == 5
    assert falls.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "5 active issues in Falls linked to the aim “No preventable harm from falls”."
    )
    data = gather_alignment(db, demo_unit)
    for category, n in zip(data.categories, data.unlinked_issue_counts, strict=True):
        shown = cell(table, "Not linked to any aim", f"Issues: {category.label}").data()
        assert shown == (f"{n:,}" if n else "")


def test_cells_open_their_records(qtbot: QtBot, db: Database, demo_unit: int) -> None:
    # one issue alone in its cell: under the infection aim, in a category it has none of
    data = gather_alignment(db, demo_unit)
    infection = data.aims[1]
    empty = next(c for c, n in zip(data.categories, infection.issue_counts, strict=True) if n == 0)
    lone = issues.create_issue(
        db,
        demo_unit,
        issues.IssueFields(
            "Line dressing packs missing",
            TODAY,
            category_id=empty.category_id,
            aim_id=infection.aim_id,
        ),
    )
    screen, context = open_screen(qtbot, db, demo_unit)
    table = named(screen, QTableView, "Strategic alignment matrix")
    listed = named(screen, QListWidget, "Issues in the selected cell")
    clabsi_id = next(
        m.id for m in measures.list_measures(db, demo_unit) if m.fields.name == "CLABSI"
    )

    with qtbot.waitSignal(context.open_record) as opened:
        click(qtbot, table, cell(table, "Aim: Zero central line", "Measure: CLABSI"))
    assert opened.args == ["measure", clabsi_id]

    with qtbot.waitSignal(context.open_record) as opened:
        click(
            qtbot,
            table,
            cell(table, "Aim: Zero central line", "Aim, the target above it, and its goals"),
        )
    assert opened.args == ["unit", demo_unit]

    # a count of several issues lists them; choosing one opens it
    falls = cell(table, "Aim: No preventable harm from falls", "Issues: Falls")
    click(qtbot, table, falls)
    assert listed.count() == 5
    assert listed.hasFocus()
    item = listed.item(0)
    issue_id = item.data(Qt.ItemDataRole.UserRole)
    assert issues.get_issue(db, issue_id).fields.aim_id is not None
    with qtbot.waitSignal(context.open_record) as opened:
        qtbot.keyClick(listed, Qt.Key.Key_Return)
    assert opened.args == ["issue", issue_id]

    # a count of one opens its issue straight away, from the keyboard too
    single = cell(table, "Aim: Zero central line", f"Issues: {empty.label}")
    assert single.data() == "1"
    table.setFocus()
    table.setCurrentIndex(single)
    with qtbot.waitSignal(context.open_record) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == ["issue", lone.id]


def test_new_issue_updates_the_counts(qtbot: QtBot, db: Database) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    aim = units.create_aim(db, unit_id, units.AimFields("Fewer falls <b>&</b> 転倒", goals=[]))
    falls = next(
        c.id for c in units.list_choices(db, "category", unit_id=unit_id) if c.label == "Falls"
    )
    fields = issues.IssueFields(
        description="Bed alarm broken", date_identified=TODAY, category_id=falls, aim_id=aim.id
    )
    issues.create_issue(db, unit_id, fields)
    screen, context = open_screen(qtbot, db, unit_id)
    table = named(screen, QTableView, "Strategic alignment matrix")
    assert cell(table, "Aim: Fewer falls <b>&</b> 転倒", "Issues: Falls").data() == "1"

    issues.create_issue(db, unit_id, fields)
    context.changed("issue")
    qtbot.waitUntil(
        lambda: cell(table, "Aim: Fewer falls", "Issues: Falls").data() == "2", timeout=5000
    )


def test_unit_without_aims_says_what_to_do(qtbot: QtBot, db: Database) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    context = AppContext(db, unit_id)
    screen = AlignmentScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    summary = named(screen, QLabel, "Alignment summary")
    qtbot.waitUntil(lambda: "No strategic aims yet" in summary.text(), timeout=5000)
