"""File menu: export a unit file, merge one after a dry run, decide merge conflicts side by side."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.models import AuditEvent
from cuspdesk.services import issues, units
from cuspdesk.services import unit_exchange as ux
from cuspdesk.ui.dialogs.merge_conflicts import MergeConflictsDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.unit_files import export_unit_file, merge_unit_file, show_merge_conflicts
from ui.qt_helpers import DialogAnswerer, click, find, open_window, settle, windows


@pytest.fixture
def laptop(tmp_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "laptop.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture
def issue(db: Database, small_unit: dict[str, Any]) -> issues.IssueDetail:
    return issues.create_issue(
        db,
        small_unit["unit"].id,
        issues.IssueFields(
            description="Call bells out of reach", date_identified=date.today(), action_plan="Old"
        ),
    )


def file_actions(window: MainWindow) -> dict[str, QAction]:
    menu = window.menuBar().actions()[0].menu()
    return {a.text().replace("&", ""): a for a in menu.actions() if a.text()}


def set_plan(db: Database, number: int, text: str) -> None:
    unit = units.list_units(db)[0]
    detail = issues.get_issue_by_number(db, unit.id, number)
    issues.update_issue(
        db, detail.id, replace(detail.fields, action_plan=text), expected_version=detail.version
    )


def make_conflict(db: Database, laptop: Database, issue: issues.IssueDetail, folder: Path) -> None:
    ux.export_unit(db, issue.unit_id, folder / "out.cuspdesk")
    ux.merge_unit_file(laptop, folder / "out.cuspdesk")
    set_plan(db, issue.number, "Server plan")
    set_plan(laptop, issue.number, "Laptop plan")
    ux.export_unit(laptop, units.list_units(laptop)[0].id, folder / "back.cuspdesk")


def test_the_file_menu_offers_the_unit_file_actions(qtbot: QtBot, window: MainWindow) -> None:
    actions = file_actions(window)
    for text in ("Export unit file…", "Merge a unit file…", "Merge conflicts…"):
        assert actions[text].isEnabled(), text


def test_exporting_writes_the_file_and_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "icu.cuspdesk"
    export_unit_file(window, path)
    settle(qtbot)
    assert ux.read_package(path).unit_name == "5 North Surgical ICU"
    assert window.statusBar().currentMessage().startswith("Wrote “5 North Surgical ICU”")


def test_merging_shows_what_it_would_do_then_brings_the_unit_in(
    qtbot: QtBot,
    demo_db: Database,
    laptop: Database,
    tmp_path: Path,
    answer: Callable[[str], DialogAnswerer],
) -> None:
    path = tmp_path / "icu.cuspdesk"
    ux.export_unit(demo_db, units.list_units(demo_db)[0].id, path)
    window = open_window(qtbot, laptop)
    answered = answer("Merge")
    merge_unit_file(window, path)
    settle(qtbot)
    assert "saved nothing; merging it would give" in answered.seen[0]
    assert [u.name for u in units.list_units(laptop)] == ["5 North Surgical ICU"]
    assert window.statusBar().currentMessage().startswith("Merged “icu.cuspdesk”")
    assert window.context.unit_id == units.list_units(laptop)[0].id
    assert windows(MergeConflictsDialog) == []


def test_cancelling_the_merge_saves_nothing(
    qtbot: QtBot,
    demo_db: Database,
    laptop: Database,
    tmp_path: Path,
    answer: Callable[[str], DialogAnswerer],
) -> None:
    path = tmp_path / "icu.cuspdesk"
    ux.export_unit(demo_db, units.list_units(demo_db)[0].id, path)
    window = open_window(qtbot, laptop)
    answer("Cancel")
    merge_unit_file(window, path)
    settle(qtbot)
    assert units.list_units(laptop) == []


def test_a_damaged_file_is_explained_in_one_sentence(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, answer: Callable[[str], DialogAnswerer]
) -> None:
    path = tmp_path / "junk.cuspdesk"
    path.write_bytes(b"PK\x03\x04 cut short")
    answered = answer("OK")
    merge_unit_file(window, path)
    settle(qtbot)
    assert answered.seen == [
        "“junk.cuspdesk” is damaged (cut short or changed after it was written); export it again.\n"
    ]


def test_conflicts_open_side_by_side_and_keeping_the_file_applies_it(
    qtbot: QtBot,
    db: Database,
    laptop: Database,
    issue: issues.IssueDetail,
    tmp_path: Path,
    answer: Callable[[str], DialogAnswerer],
) -> None:
    make_conflict(db, laptop, issue, tmp_path)
    window = open_window(qtbot, db)
    answer("Merge")
    merge_unit_file(window, tmp_path / "back.cuspdesk")
    settle(qtbot)
    [dialog] = windows(MergeConflictsDialog)
    table = find(dialog, QTableWidget, "Differences between the two versions")
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert rows == [("Action plan", "Server plan", "Laptop plan")]
    assert find(dialog, QLabel, "Conflict record").text().startswith("Issue 1: Call bells")
    click(find(dialog, QPushButton, "Keep the file's version"))
    assert issues.get_issue(db, issue.id).fields.action_plan == "Laptop plan"
    assert find(dialog, QLabel, "Conflict record").text() == (
        "No conflicts are waiting for a decision."
    )
    assert not find(dialog, QPushButton, "Keep the file's version").isEnabled()
    with db.reader() as session:
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.entity == "merge_conflict")
        ).all()
    assert any("kept the file's version of Issue 1" in s for s in summaries)


def test_keeping_this_databases_version_leaves_the_record(
    qtbot: QtBot, db: Database, laptop: Database, issue: issues.IssueDetail, tmp_path: Path
) -> None:
    make_conflict(db, laptop, issue, tmp_path)
    ux.merge_unit_file(db, tmp_path / "back.cuspdesk")
    window = open_window(qtbot, db)
    show_merge_conflicts(window)
    [dialog] = windows(MergeConflictsDialog)
    click(find(dialog, QPushButton, "Keep this database's version"))
    assert issues.get_issue(db, issue.id).fields.action_plan == "Server plan"
    assert ux.list_conflicts(db) == []
    assert "Kept this database's version" in window.statusBar().currentMessage()
    show_merge_conflicts(window)
    assert windows(MergeConflictsDialog) == [dialog]  # one window, brought forward


def test_a_viewer_sees_conflicts_but_cannot_merge_or_decide(
    qtbot: QtBot,
    db: Database,
    laptop: Database,
    issue: issues.IssueDetail,
    tmp_path: Path,
    answer: Callable[[str], DialogAnswerer],
) -> None:
    make_conflict(db, laptop, issue, tmp_path)
    ux.merge_unit_file(db, tmp_path / "back.cuspdesk")
    db.actor = Actor(os_user=db.actor.os_user, role="viewer")
    window = open_window(qtbot, db)
    menu = window.menuBar().actions()[0].menu()
    menu.aboutToShow.emit()
    merge = file_actions(window)["Merge a unit file…"]
    assert not merge.isEnabled()
    assert "Only the team leader" in merge.toolTip()
    answered = answer("OK")
    merge_unit_file(window, tmp_path / "back.cuspdesk")
    assert answered.seen and "Only the team leader" in answered.seen[0]
    show_merge_conflicts(window)
    [dialog] = windows(MergeConflictsDialog)
    assert not find(dialog, QPushButton, "Keep the file's version").isEnabled()
    assert len(ux.list_conflicts(db)) == 1


def test_a_read_only_database_cannot_merge(qtbot: QtBot, demo_path: Path, tmp_path: Path) -> None:
    read_only = open_database(demo_path, read_only=True)
    window = open_window(qtbot, read_only)
    window.menuBar().actions()[0].menu().aboutToShow.emit()
    actions = file_actions(window)
    assert not actions["Merge a unit file…"].isEnabled()
    assert actions["Export unit file…"].isEnabled()
    export_unit_file(window, tmp_path / "ro.cuspdesk")
    settle(qtbot)
    assert (tmp_path / "ro.cuspdesk").is_file()
    assert find(window, QComboBox, "Unit") is not None
