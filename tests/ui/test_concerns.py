"""The concerns board: reorder with the keyboard, buttons or a drop, and the risk grid."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import issues
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.models.ranked_issues import RankedIssueModel
from cuspdesk.ui.screens.concerns import ConcernsScreen
from ui.qt_helpers import find, settle, windows


def show_board(qtbot: QtBot, window: MainWindow) -> ConcernsScreen:
    screen = window.show_screen("concerns")
    assert isinstance(screen, ConcernsScreen)
    settle(qtbot)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    return screen


def ranked_numbers(db: Database, unit_id: int) -> list[int]:
    return [r.number for r in issues.list_ranked(db, unit_id)]


def select_row(table: QTableView, row: int) -> None:
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 0))
    table.selectRow(row)


def wait_for_board(qtbot: QtBot, screen: ConcernsScreen, numbers: list[int]) -> None:
    settle(qtbot)
    qtbot.waitUntil(lambda: [r.number for r in screen.model.rows] == numbers)


def test_the_board_lists_open_issues_in_rank_order_with_their_score(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    screen = show_board(qtbot, window)
    unit_id = window.context.unit_id or 0
    ranked = issues.list_ranked(demo_db, unit_id)
    model = screen.model
    assert [r.id for r in model.rows] == [r.id for r in ranked]
    assert [model.data(model.index(row, 0)) for row in range(3)] == ["1", "2", "3"]
    first = ranked[0]
    assert (
        model.data(model.index(0, 1)) == f"{first.risk_score} ({first.likelihood}×{first.severity})"
    )
    assert find(window, QLabel, "How many concerns").text() == f"{len(ranked)} open concerns"


def test_ctrl_up_and_down_move_a_concern_and_keep_it_selected(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    unit_id = window.context.unit_id or 0
    screen = show_board(qtbot, window)
    table = find(window, QTableView, "Concerns in priority order")
    order = ranked_numbers(demo_db, unit_id)
    moving = order[3]

    select_row(table, 3)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    expected = order[:2] + [moving, order[2]] + order[4:]
    wait_for_board(qtbot, screen, expected)
    assert ranked_numbers(demo_db, unit_id) == expected
    assert screen.model.rows[table.currentIndex().row()].number == moving

    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    wait_for_board(qtbot, screen, expected)
    assert ranked_numbers(demo_db, unit_id) == expected


def test_buttons_move_to_top_and_down(qtbot: QtBot, window: MainWindow, demo_db: Database) -> None:
    unit_id = window.context.unit_id or 0
    screen = show_board(qtbot, window)
    table = find(window, QTableView, "Concerns in priority order")
    order = ranked_numbers(demo_db, unit_id)

    select_row(table, 6)
    qtbot.mouseClick(find(window, QPushButton, "Move to top"), Qt.MouseButton.LeftButton)
    expected = [order[6], *order[:6], *order[7:]]
    wait_for_board(qtbot, screen, expected)
    assert not find(window, QPushButton, "Move up").isEnabled()  # already at the top
    qtbot.mouseClick(find(window, QPushButton, "Move down"), Qt.MouseButton.LeftButton)
    expected = [order[0], order[6], *order[1:6], *order[7:]]
    wait_for_board(qtbot, screen, expected)
    assert ranked_numbers(demo_db, unit_id) == expected


def test_a_dropped_row_takes_the_place_it_was_dropped_on(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    unit_id = window.context.unit_id or 0
    screen = show_board(qtbot, window)
    model: RankedIssueModel = screen.model
    order = ranked_numbers(demo_db, unit_id)

    dragged = model.mimeData([model.index(1, 0)])  # what a drag of the second row carries
    assert model.dropMimeData(dragged, Qt.DropAction.MoveAction, 5, 0, QModelIndex())
    expected = [order[0], *order[2:5], order[1], *order[5:]]  # lands above the old sixth row
    wait_for_board(qtbot, screen, expected)

    dragged = model.mimeData([model.index(6, 0)])
    assert model.dropMimeData(dragged, Qt.DropAction.MoveAction, -1, -1, model.index(0, 3))
    wait_for_board(qtbot, screen, [expected[6], *expected[:6], *expected[7:]])


def test_the_matrix_counts_and_filters_by_likelihood_and_severity(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    screen = show_board(qtbot, window)
    ranked = issues.list_ranked(demo_db, window.context.unit_id or 0)
    counts = Counter((r.likelihood, r.severity) for r in ranked if r.likelihood and r.severity)
    (likelihood, severity), count = counts.most_common(1)[0]
    noun = "concern" if count == 1 else "concerns"
    cell = find(
        window, QAbstractButton, f"Likelihood {likelihood}, severity {severity}: {count} {noun}"
    )
    assert f"Score {likelihood * severity}" in cell.accessibleDescription()

    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    assert {(r.likelihood, r.severity) for r in screen.model.rows} == {(likelihood, severity)}
    assert screen.model.rowCount() == count
    notice = find(window, QLabel, "Matrix filter")
    assert f"likelihood {likelihood} × severity {severity}" in notice.text()
    assert cell.isChecked()

    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)  # again: everything back
    assert screen.model.rowCount() == len(ranked)
    assert not notice.isVisible()

    cell.setFocus()
    qtbot.keyClick(cell, Qt.Key.Key_Space)
    assert screen.model.rowCount() == count
    qtbot.mouseClick(find(window, QPushButton, "Show all concerns"), Qt.MouseButton.LeftButton)
    assert screen.model.rowCount() == len(ranked)


def test_moving_inside_a_filtered_view_swaps_with_the_shown_neighbour(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    unit_id = window.context.unit_id or 0
    screen = show_board(qtbot, window)
    ranked = issues.list_ranked(demo_db, unit_id)
    counts = Counter((r.likelihood, r.severity) for r in ranked if r.likelihood and r.severity)
    cell_key = next(k for k, n in counts.items() if n >= 2)
    screen.matrix.choose(*cell_key)
    shown = [r.number for r in screen.model.rows]
    table = find(window, QTableView, "Concerns in priority order")
    select_row(table, 1)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    wait_for_board(qtbot, screen, [shown[1], shown[0], *shown[2:]])
    order = ranked_numbers(demo_db, unit_id)
    assert order.index(shown[1]) < order.index(shown[0])


def test_enter_opens_the_concern(qtbot: QtBot, window: MainWindow) -> None:
    screen = show_board(qtbot, window)
    table = find(window, QTableView, "Concerns in priority order")
    select_row(table, 2)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert [f.issue_id for f in windows(IssueFormDialog)] == [screen.model.rows[2].id]
