"""Print preview: the PDF is built in the background, shown, saved and printed."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import defects, meetings, units
from cuspdesk.services.demo import create_demo_unit
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.print_preview import PrintPreviewDialog, print_document


@pytest.fixture(autouse=True)
def _close_previews() -> Iterator[None]:
    """Previews delete themselves when closed; close any a test left open."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PrintPreviewDialog):
            widget.close()


@pytest.fixture
def context(db: Database) -> AppContext:
    unit = create_demo_unit(db, today=date(2026, 11, 24))
    return AppContext(db, unit.id)


def _preview(qtbot: QtBot) -> PrintPreviewDialog:
    dialogs = [
        w for w in QApplication.topLevelWidgets()
        if isinstance(w, PrintPreviewDialog) and w.accessibleName() == "Print preview"
        and w.isVisible()
    ]  # fmt: skip
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(
        lambda: dialog.document is not None or "could not" in _status(dialog), timeout=30_000
    )
    return dialog


def _status(dialog: QWidget) -> str:
    label = next(w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Print status")
    return label.text()


def _button(dialog: QWidget, name: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.accessibleName() == name)


def test_briefing_preview_save_and_print(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    print_document(parent, context, "briefing")
    dialog = _preview(qtbot)
    assert dialog.page_count() == 2
    assert _status(dialog).startswith("Pre-rounds briefing: 2 pages")
    save, print_, close = (_button(dialog, n) for n in ("Save PDF", "Print", "Close"))
    assert save.isEnabled() and print_.isEnabled() and close.isEnabled()
    assert dialog.document is not None
    assert dialog.document.file_name.startswith("Pre-rounds briefing - 5 North Surgical ICU - ")

    target = tmp_path / "saved briefing"
    assert dialog.save_to(str(target))
    saved = tmp_path / "saved briefing.pdf"
    text = subprocess.run(
        ["pdftotext", "-raw", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Pre-rounds briefing: 5 North Surgical ICU" in text
    assert f"Saved to {saved}." == _status(dialog)

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert dialog.print_to(printer) == 2
    assert len(PdfReader(str(printed)).pages) == 2

    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            not any(
                isinstance(w, PrintPreviewDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
    )


def test_saving_to_a_missing_folder_says_why(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    print_document(None, context, "summary")
    dialog = _preview(qtbot)
    shown: list[str] = []
    monkeypatch.setattr(
        "cuspdesk.ui.print_preview.QMessageBox.warning",
        lambda _p, _t, message: shown.append(message),
    )
    assert not dialog.save_to(str(tmp_path / "nowhere" / "s.pdf"))
    assert shown and "does not exist" in shown[0]


@pytest.mark.parametrize("kind", ["tracking_log", "meeting", "defect"])
def test_every_document_kind_previews(qtbot: QtBot, context: AppContext, kind: str) -> None:
    unit_id = context.unit_id
    assert unit_id is not None
    record = None
    if kind == "meeting":
        record = meetings.list_meetings(context.db, unit_id)[0].id
    elif kind == "defect":
        record = defects.list_reviews(context.db, unit_id)[0].id
    print_document(None, context, kind, record)
    dialog = _preview(qtbot)
    assert dialog.page_count() >= 1
    if kind == "tracking_log":
        assert dialog._first_page_is_landscape()


def test_the_tracking_log_prints_what_the_screen_shows(qtbot: QtBot, context: AppContext) -> None:
    print_document(None, context, "tracking_log", query=IssueQuery(statuses=["blocked"]))
    dialog = _preview(qtbot)
    assert dialog.document is not None
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=dialog.document.pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "status: Blocked" in " ".join(text.split())


def test_a_record_that_is_gone_shows_a_sentence_not_a_crash(
    qtbot: QtBot, context: AppContext
) -> None:
    print_document(None, context, "meeting", 999_999)
    dialog = _preview(qtbot)
    assert _status(dialog) == "The document could not be made: That meeting no longer exists."
    assert not _button(dialog, "Print").isEnabled()
    assert not _button(dialog, "Save PDF").isEnabled()


def test_no_unit_chosen(qtbot: QtBot, db: Database) -> None:
    units.create_unit(db, units.UnitFields(name="4 West"))
    print_document(None, AppContext(db, None), "briefing")
    dialog = _preview(qtbot)
    assert _status(dialog) == "The document could not be made: Choose a unit first."
