"""The tracking log screen: filters, sorting, overdue marks, opening issues, bulk status,
and a log of 100,000 issues that still opens and filters correctly."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from cuspdesk.db import Database
from cuspdesk.models import ACTIVE_STATUSES, SafetyIssue
from cuspdesk.services import issues, units
from cuspdesk.services.issue_search import rebuild_search_index
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.models.issue_table import COLUMN_KEYS, IssueTableModel
from cuspdesk.ui.screens.tracking_log import TrackingLogScreen
from ui.qt_helpers import DialogAnswerer, find, open_window, pick, settle, type_into, windows


def show_log(qtbot: QtBot, window: MainWindow) -> TrackingLogScreen:
    screen = window.show_screen("tracking_log")
    assert isinstance(screen, TrackingLogScreen)
    settle(qtbot)
    qtbot.waitUntil(lambda: not screen.model.loading)
    return screen


def wait_for_rows(qtbot: QtBot, screen: TrackingLogScreen) -> IssueTableModel:
    qtbot.wait(350)  # the search box waits for a pause in typing
    settle(qtbot)
    qtbot.waitUntil(lambda: not screen.model.loading)
    return screen.model


def column_texts(model: IssueTableModel, key: str) -> list[str]:
    column = COLUMN_KEYS.index(key)
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def unit_of(window: MainWindow) -> int:
    assert window.context.unit_id is not None
    return window.context.unit_id


def test_the_log_shows_every_issue_and_marks_overdue_in_words_and_bold(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    screen = show_log(qtbot, window)
    total = issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit_of(window))).total
    assert find(window, QLabel, "How many issues are shown").text() == f"{total} issues"
    model = screen.model
    assert model.rowCount() == total
    overdue_rows = [r for r in range(model.rowCount()) if model.row_at(r).overdue]
    assert overdue_rows
    for row in overdue_rows:
        issue = model.row_at(row)
        text = model.data(model.index(row, COLUMN_KEYS.index("overdue")))
        assert text == f"⚠ {issue.days_overdue} days overdue" or text == "⚠ 1 day overdue"
        assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).bold()
    calm = next(r for r in range(model.rowCount()) if not model.row_at(r).overdue)
    assert model.data(model.index(calm, COLUMN_KEYS.index("overdue"))) == ""
    assert model.data(model.index(calm, 0), Qt.ItemDataRole.FontRole) is None


def test_filters_ask_the_service_again(qtbot: QtBot, window: MainWindow, demo_db: Database) -> None:
    screen = show_log(qtbot, window)
    unit_id = unit_of(window)

    pick(find(window, QComboBox, "Status filter"), "Blocked")
    model = wait_for_rows(qtbot, screen)
    expected = issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit_id, statuses=["blocked"]))
    assert [r.id for r in model.rows] == [r.id for r in expected.rows]
    assert set(column_texts(model, "status")) == {"Blocked"}

    pick(find(window, QComboBox, "Status filter"), "Still open (not resolved or closed)")
    pick(find(window, QComboBox, "Category filter"), "Equipment")
    model = wait_for_rows(qtbot, screen)
    assert model.rowCount() > 0
    assert set(column_texts(model, "category")) == {"Equipment"}
    assert not {"Resolved", "Closed"} & set(column_texts(model, "status"))

    find(window, QPushButton, "Clear filters").click()
    owner = "Tomás Álvarez"
    pick(find(window, QComboBox, "Owner filter"), owner)
    pick(find(window, QComboBox, "Source filter"), "Meeting")
    model = wait_for_rows(qtbot, screen)
    assert set(column_texts(model, "owner")) <= {owner}
    assert set(column_texts(model, "source")) <= {"Meeting"}

    find(window, QPushButton, "Clear filters").click()
    find(window, QCheckBox, "Overdue only").setChecked(True)
    model = wait_for_rows(qtbot, screen)
    counts = issues.count_issues(demo_db, unit_id)
    assert model.rowCount() == counts.overdue
    assert all(r.overdue for r in model.rows)
    assert find(window, QLabel, "How many issues are shown").text() == f"{counts.overdue} issues"

    find(window, QPushButton, "Clear filters").click()
    model = wait_for_rows(qtbot, screen)
    assert model.rowCount() == issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit_id)).total


def test_search_finds_words_in_descriptions_action_plans_and_notes(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    unit_id = unit_of(window)
    noted = issues.get_issue_by_number(demo_db, unit_id, 3)
    issues.add_note(demo_db, noted.id, "Biomed says the zébra-crossing part arrives Friday")
    planned = issues.get_issue_by_number(demo_db, unit_id, 5)
    fields = planned.fields
    fields.action_plan = "Order 50% more wipes; 管理 by the charge nurse"
    issues.update_issue(demo_db, planned.id, fields, expected_version=planned.version)
    screen = show_log(qtbot, window)
    search = find(window, QLineEdit, "Search the log")

    type_into(search, "zébra-crossing")
    assert [r.number for r in wait_for_rows(qtbot, screen).rows] == [3]
    search.clear()
    type_into(search, "50%")
    assert [r.number for r in wait_for_rows(qtbot, screen).rows] == [5]
    search.clear()
    type_into(search, "管理")
    assert [r.number for r in wait_for_rows(qtbot, screen).rows] == [5]
    search.clear()
    type_into(search, "no-such-words-anywhere")
    assert wait_for_rows(qtbot, screen).rowCount() == 0
    assert find(window, QLabel, "Nothing matches").isVisible()
    for hostile in ("%", "_", "<img src=x onerror=alert(1)>", "🙂", "مريض", "' OR 1=1 --"):
        search.clear()
        type_into(search, hostile)
        model = wait_for_rows(qtbot, screen)
        expected = issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit_id, text=hostile))
        assert [r.id for r in model.rows] == [r.id for r in expected.rows]
        assert not find(window, QLabel, "Problem loading the log").isVisible()


def click_header(qtbot: QtBot, table: QTableView, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_clicking_a_header_sorts_by_that_column_in_sql(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    screen = show_log(qtbot, window)
    table = find(window, QTableView, "Tracking log issues")
    owner_column = COLUMN_KEYS.index("owner")

    click_header(qtbot, table, owner_column)
    model = wait_for_rows(qtbot, screen)
    owners = [r.owner for r in model.rows]
    named = [o for o in owners if o]
    assert named == sorted(named, key=str.lower)
    assert owners[: len(named)] == named  # issues without an owner come last

    click_header(qtbot, table, owner_column)
    model = wait_for_rows(qtbot, screen)
    named = [r.owner for r in model.rows if r.owner]
    assert named == sorted(named, key=str.lower, reverse=True)
    assert screen.model.query.sort == "owner" and screen.model.query.descending

    click_header(qtbot, table, COLUMN_KEYS.index("target_date"))
    model = wait_for_rows(qtbot, screen)
    dates = [r.target_date for r in model.rows if r.target_date is not None]
    assert dates == sorted(dates)


def test_enter_or_double_click_opens_the_issue(qtbot: QtBot, window: MainWindow) -> None:
    screen = show_log(qtbot, window)
    table = find(window, QTableView, "Tracking log issues")
    table.setFocus()
    table.setCurrentIndex(screen.model.index(4, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    forms = windows(IssueFormDialog)
    assert [f.issue_id for f in forms] == [screen.model.row_at(4).id]

    rect = table.visualRect(screen.model.index(7, 3))
    # A real double-click is a click followed by a second press that Qt reports as double.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert {f.issue_id for f in windows(IssueFormDialog)} == {
        screen.model.row_at(4).id,
        screen.model.row_at(7).id,
    }


def test_bulk_status_change_saves_what_it_may_and_says_why_not_for_the_rest(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    unit_id = unit_of(window)
    ready = issues.get_issue_by_number(demo_db, unit_id, 22)
    fields = ready.fields
    fields.risk_reduced_evidence = "Audit of 20 handovers: all used the escalation card."
    issues.update_issue(demo_db, ready.id, fields, expected_version=ready.version)
    not_ready = issues.get_issue_by_number(demo_db, unit_id, 25)
    assert not not_ready.fields.risk_reduced_evidence

    screen = show_log(qtbot, window)
    table = find(window, QTableView, "Tracking log issues")
    rows = [r for r in range(screen.model.rowCount()) if screen.model.row_at(r).number in (22, 25)]
    selection = table.selectionModel()
    for row in rows:
        selection.select(
            screen.model.index(row, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )
    button = find(window, QPushButton, "Change status of selected issues")
    assert button.isEnabled()

    def choose_closed() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        pick(find(dialog, QComboBox, "New status"), "Closed")

    DialogAnswerer().then("Change status", before=choose_closed)
    button.click()
    qtbot.waitUntil(lambda: getattr(screen, "last_result_box", None) is not None)
    text = screen.last_result_box.text()
    assert "1 issue changed." in text
    assert "Issue 25: An issue can only be closed once “How we know the risk is reduced”" in text
    assert issues.get_issue(demo_db, ready.id).status == "closed"
    assert issues.get_issue(demo_db, not_ready.id).status == not_ready.status
    screen.last_result_box.close()


@pytest.mark.slow
def test_a_log_of_100000_issues_opens_pages_and_filters_correctly(
    qtbot: QtBot, db: Database
) -> None:
    unit = units.create_unit(db, units.UnitFields(name="Big Unit"))
    owner = units.add_team_member(db, unit.id, units.PersonFields("Nurse Owner")).person_id
    category = units.list_choices(db, units.CATEGORY_LIST)[0].id
    today = date.today()
    now = datetime.now(UTC)
    statuses = ["open", "in_progress", "blocked", "escalated", "resolved", "closed"]
    rows = []
    rank = 0
    for number in range(1, 100_001):
        status = statuses[number % 6]
        active = status in ACTIVE_STATUSES
        rank += 1 if active else 0
        rows.append(
            {
                "uuid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "unit_id": unit.id,
                "number": number,
                "date_identified": today - timedelta(days=400),
                "source": "safety_round" if number % 2 else "other",
                "description": f"Issue text {number}"
                + (" needle-in-haystack" if number == 4242 else ""),
                "event_report_ref": "",
                "category_id": category if number % 3 == 0 else None,
                "location": "",
                "owner_id": owner if number % 5 == 0 else None,
                "action_plan": "",
                "barriers": "",
                "needs_executive": False,
                "target_date": today - timedelta(days=number % 30 - 10),
                "status": status,
                "priority_rank": rank if active else None,
                "risk_reduced_evidence": "",
                "staff_feedback": "",
                "harm_event": False,
            }
        )
    with db.engine.begin() as conn:
        conn.execute(insert(SafetyIssue.__table__), rows)
        rebuild_search_index(conn)
    expected_overdue = sum(
        1 for r in rows if r["status"] in ACTIVE_STATUSES and r["target_date"] < today
    )
    del rows

    window = open_window(qtbot, db)
    screen = show_log(qtbot, window)
    model = screen.model
    assert model.total == 100_000
    assert model.rowCount() == 500  # one chunk; the rest arrive as the person scrolls
    assert find(window, QLabel, "How many issues are shown").text() == "100,000 issues"

    table = find(window, QTableView, "Tracking log issues")
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 1000, timeout=20_000)
    assert [r.number for r in model.rows[:1000]] == list(range(1, 1001))

    type_into(find(window, QLineEdit, "Search the log"), "needle-in-haystack")
    model = wait_for_rows(qtbot, screen)
    assert [r.number for r in model.rows] == [4242]

    find(window, QPushButton, "Clear filters").click()
    find(window, QCheckBox, "Overdue only").setChecked(True)
    model = wait_for_rows(qtbot, screen)
    assert model.total == expected_overdue
    assert all(r.overdue for r in model.rows)

    pick(find(window, QComboBox, "Owner filter"), "Nurse Owner")
    pick(find(window, QComboBox, "Status filter"), "Blocked")
    model = wait_for_rows(qtbot, screen)
    assert model.total == sum(
        1
        for n in range(1, 100_001)
        if n % 5 == 0 and n % 6 == 2 and today - timedelta(days=n % 30 - 10) < today
    )
    assert {r.owner for r in model.rows} == {"Nurse Owner"}
    assert {r.status for r in model.rows} == {"blocked"}


def test_the_owner_and_category_lists_follow_the_team_and_the_unit(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """The filter lists are kept between visits, and refilled when what they list changes."""
    screen = show_log(qtbot, window)
    owners = find(window, QComboBox, "Owner filter")
    categories = find(window, QComboBox, "Category filter")

    def texts(combo: QComboBox) -> list[str]:
        return [combo.itemText(i) for i in range(combo.count())]

    unit_id = unit_of(window)
    units.add_team_member(demo_db, unit_id, units.PersonFields("Zainab Haddad"))
    window.context.changed("team")
    window.show_screen("dashboard")
    show_log(qtbot, window)
    assert "Zainab Haddad" in texts(owners)

    units.add_choice(demo_db, units.CATEGORY_LIST, "Oxygen supply", unit_id=unit_id)
    window.context.changed("unit")
    window.show_screen("dashboard")
    show_log(qtbot, window)
    assert "Oxygen supply" in texts(categories)

    other = units.create_unit(demo_db, units.UnitFields(name="4 West Medicine"))
    window.context.changed("unit")
    window.context.set_unit(other.id)
    settle(qtbot)
    qtbot.waitUntil(lambda: not screen.model.loading)
    assert texts(owners) == ["Anyone"]


def test_a_full_first_chunk_is_shown_before_its_matches_are_counted(
    qtbot: QtBot, demo_db: Database
) -> None:
    unit_id = units.list_units(demo_db)[0].id
    everything = issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit_id))
    model = IssueTableModel(demo_db, chunk=10)
    seen: list[tuple[int, int, bool]] = []
    model.loaded.connect(lambda: seen.append((model.rowCount(), model.total, model.loading)))
    counted: list[int] = []
    model.total_changed.connect(counted.append)

    model.set_query(issues.IssueQuery(unit_id=unit_id))
    qtbot.waitUntil(lambda: bool(counted))
    # The rows came first, still busy and not yet counted; the count followed.
    assert seen == [(10, 10, True)]
    assert counted == [everything.total] and everything.total > 10
    assert not model.loading and model.canFetchMore()

    model.fetchMore()
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 20)
    assert [r.number for r in model.rows] == [r.number for r in everything.rows[:20]]
    assert model.total == everything.total

    # A chunk shorter than a full one is the whole answer: no count is needed.
    seen.clear()
    counted.clear()
    model.set_query(issues.IssueQuery(unit_id=unit_id, text="zzz-no-such-words"))
    qtbot.waitUntil(lambda: bool(counted))
    assert seen == [(0, 0, False)] and counted == [0]

    # Scrolling on while the count is on its way fetches the next chunk, and the count
    # still arrives.
    counted.clear()
    model.loaded.connect(lambda: model.fetchMore() if model.rowCount() == 10 else None)
    model.set_query(issues.IssueQuery(unit_id=unit_id))
    qtbot.waitUntil(lambda: bool(counted) and not model.loading and model.rowCount() == 20)
    assert counted == [everything.total]
    assert [r.number for r in model.rows] == [r.number for r in everything.rows[:20]]


def test_rows_shown_before_their_count_never_sit_beside_the_last_count(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    screen = show_log(qtbot, window)
    label = find(window, QLabel, "How many issues are shown")
    everything = label.text()
    screen.model.chunk = 5
    labels: list[str] = []
    screen.model.loaded.connect(lambda: labels.append(label.text()))
    type_into(find(window, QLineEdit, "Search the log"), "patient")
    wait_for_rows(qtbot, screen)
    # The view then fetches more to fill itself; none of it is ever shown beside the
    # count of the whole log.
    assert labels[0] == "5+ issues, counting…" and everything not in labels
    expected = issues.count_matching_issues(
        demo_db, issues.IssueQuery(unit_id=unit_of(window), text="patient")
    )
    assert expected > 5 and label.text() == f"{expected:,} issues" != everything
