"""A form's typed input survives the app being killed: drafts are kept and offered back."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database, open_database
from cuspdesk.services import drafts
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.drafts import DraftKeeper, DraftOfferDialog, offer_drafts, save_all_drafts

TYPED = "Pump alarm not heard in bay 3 — 日本語 🩺 <b>&amp;"


class LittleForm(QWidget):
    """Stands in for a real form: two fields and a keeper, as the issue form will have."""

    def __init__(self, context: AppContext, delay_ms: int = 50) -> None:
        super().__init__()
        self.location = QLineEdit()
        self.location.setAccessibleName("Location")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        layout = QVBoxLayout(self)
        layout.addWidget(self.location)
        layout.addWidget(self.description)
        self.keeper = DraftKeeper(
            context, "issue", self.collect, self.restore, delay_ms=delay_ms, parent=self
        )
        self.keeper.watch([self.location, self.description])

    def collect(self) -> dict[str, Any]:
        return {
            "description": self.description.toPlainText(),
            "location": self.location.text(),
        }

    def restore(self, payload: dict[str, Any]) -> None:
        self.description.setPlainText(payload.get("description", ""))
        self.location.setText(payload.get("location", ""))


def _field(parent: QWidget, name: str) -> Any:
    found = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def _type_then_crash(qtbot: QtBot, db_path: Path) -> None:
    """Type into a form, wait for the draft, then drop form and database unsaved."""
    first_db = open_database(db_path)
    form = LittleForm(AppContext(first_db))  # not handed to qtbot: the "crash" destroys it
    form.show()
    qtbot.keyClicks(_field(form, "Location"), "Bay 3")
    _field(form, "Description").setPlainText(TYPED)
    qtbot.waitUntil(lambda: drafts.load_draft(first_db, "issue", "new") is not None, timeout=3000)
    qtbot.waitUntil(lambda: not form.keeper.pending, timeout=3000)
    form.hide()
    form.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    first_db.dispose()


def test_typed_input_survives_a_crash_and_is_offered_back(qtbot: QtBot, db_path: Path) -> None:
    _type_then_crash(qtbot, db_path)
    gc.collect()

    context = AppContext(open_database(db_path))
    assert [d.preview for d in drafts.list_drafts(context.db)] == [" ".join(TYPED.split())]

    def tick_and_reopen() -> None:
        dialog = next(
            w for w in qtbot_widgets() if isinstance(w, DraftOfferDialog) and w.isVisible()
        )
        assert dialog.list.accessibleName() == "Unsaved drafts"
        assert dialog.list.item(0).checkState() == Qt.CheckState.Checked
        _field(dialog, "Reopen ticked drafts").click()

    QTimer.singleShot(0, tick_and_reopen)
    chosen = offer_drafts(None, context)
    assert [(d.form, d.record_key) for d in chosen] == [("issue", "new")]

    again = LittleForm(context)
    qtbot.addWidget(again)
    assert again.keeper.restore_if_any()
    assert again.description.toPlainText() == TYPED
    assert again.location.text() == "Bay 3"

    again.keeper.saved()
    assert drafts.list_drafts(context.db) == []


def qtbot_widgets() -> list[QWidget]:
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets())


def test_discarding_from_the_offer_removes_the_drafts(qtbot: QtBot, db: Database) -> None:
    drafts.save_draft(db, "issue", "new", {"description": "throw away"})
    drafts.save_draft(db, "meeting", "4", {"notes": "keep"})
    context = AppContext(db)
    dialog = DraftOfferDialog(drafts.list_drafts(db))
    qtbot.addWidget(dialog)
    meeting_row = next(i for i, d in enumerate(dialog.found) if d.form == "meeting")
    dialog.list.item(meeting_row).setCheckState(Qt.CheckState.Unchecked)
    assert [d.form for d in dialog.ticked()] == ["issue"]
    assert "Meeting 4" in dialog.list.item(meeting_row).text()

    def discard() -> None:
        shown = next(
            w for w in qtbot_widgets() if isinstance(w, DraftOfferDialog) and w.isVisible()
        )
        row = next(i for i, d in enumerate(shown.found) if d.form == "meeting")
        shown.list.item(row).setCheckState(Qt.CheckState.Unchecked)
        _field(shown, "Discard ticked drafts").click()

    QTimer.singleShot(0, discard)
    assert offer_drafts(None, context) == []
    assert [d.form for d in drafts.list_drafts(db)] == ["meeting"]


def test_nothing_to_offer_shows_nothing(db: Database) -> None:
    assert offer_drafts(None, AppContext(db)) == []


def test_later_keeps_every_draft(qtbot: QtBot, db: Database) -> None:
    drafts.save_draft(db, "issue", "new", {"description": "later"})

    def later() -> None:
        shown = next(
            w for w in qtbot_widgets() if isinstance(w, DraftOfferDialog) and w.isVisible()
        )
        _field(shown, "Decide later").click()

    QTimer.singleShot(0, later)
    assert offer_drafts(None, AppContext(db)) == []
    assert len(drafts.list_drafts(db)) == 1


def test_saving_the_form_removes_its_draft_and_stops_the_timer(qtbot: QtBot, db: Database) -> None:
    form = LittleForm(AppContext(db), delay_ms=10_000)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.location, "Bay 9")
    assert form.keeper.pending
    save_all_drafts()  # what the idle lock does before it covers the window
    assert drafts.load_draft(db, "issue", "new") == {"description": "", "location": "Bay 9"}
    form.keeper.saved()
    assert drafts.load_draft(db, "issue", "new") is None
    assert not form.keeper.pending


def test_a_read_only_database_warns_once_and_keeps_the_form(qtbot: QtBot, db_path: Path) -> None:
    open_database(db_path).dispose()
    context = AppContext(open_database(db_path, read_only=True))
    messages: list[str] = []
    context.status_message.connect(messages.append)
    form = LittleForm(context)
    qtbot.addWidget(form)
    for text in ("a", "b"):
        qtbot.keyClicks(form.location, text)
        form.keeper.save_now()
    assert len(messages) == 1 and "could not be kept as a draft" in messages[0]
    assert form.location.text() == "ab"
    assert form.keeper.pending


def test_watch_connects_buttons(qtbot: QtBot, db: Database) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    button = QPushButton("Needs the executive", holder)
    button.setCheckable(True)
    keeper = DraftKeeper(AppContext(db), "issue", dict, lambda _p: None, parent=holder)
    keeper.watch([button])
    button.toggle()
    assert keeper.pending
