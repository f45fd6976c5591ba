"""Hostile input typed into the reliability forms: the lock, the role chooser, the audit filters,
the draft keeper and the identifier warning. Nothing crashes and what was typed is kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import access, drafts, sensitive, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.identifiers import identifiers_text
from cuspdesk.ui.dialogs.role_chooser import RoleChooserDialog
from cuspdesk.ui.drafts import DraftKeeper
from cuspdesk.ui.idle_lock import IdleLock
from cuspdesk.ui.screens.audit import AuditScreen

HOSTILE = [
    "",
    "   ",
    "before\x00after",
    "Zoë n̈ ممرضة \u202etxet\u202c 患者 👩🏽\u200d⚕️ 𝔘𝔫𝔦𝔱",
    '<b>bold</b> <img src="x"/> &amp; &#x41; ]]>',
    '=HYPERLINK("http://evil.example")',
    "x" * 200_000,
]


def _named(parent: QWidget, name: str) -> Any:
    found = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def test_the_draft_keeper_keeps_any_typing(qtbot: QtBot, db: Database) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    box = QPlainTextEdit(holder)
    keeper = DraftKeeper(
        AppContext(db),
        "issue",
        lambda: {"description": box.toPlainText()},
        lambda p: box.setPlainText(p["description"]),
        delay_ms=60_000,
        parent=holder,
    )
    keeper.watch([box])
    for text in HOSTILE:
        box.setPlainText(text)
        keeper.save_now()
        box.setPlainText("something else")
        assert keeper.restore_if_any()
        assert box.toPlainText() == text.replace("\x00", "\x00")
        assert drafts.load_draft(db, "issue", "new") == {"description": text}


def test_hostile_passphrases_never_unlock_and_never_crash(qtbot: QtBot, db: Database) -> None:
    access.set_passphrase(db, "champion", "ward 5 north")
    dialog = RoleChooserDialog(db)
    qtbot.addWidget(dialog)
    _named(dialog, "Team leader / unit champion").click()
    for text in HOSTILE:
        field = _named(dialog, "Passphrase")
        assert isinstance(field, QLineEdit)
        field.setText(text)
        dialog.try_sign_in()
        assert dialog.actor is None
        assert "not right" in _named(dialog, "Problem").text()
    context = AppContext(db)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, context, minutes=15)
    lock.lock()
    for text in HOSTILE:
        assert not lock.unlock(text)
        assert lock.locked
    assert lock.unlock("ward 5 north")


def test_the_audit_filters_take_hostile_typing(qtbot: QtBot, db: Database) -> None:
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    screen = AuditScreen(AppContext(db, unit.id))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.refresh()
    number = _named(screen, "Record number")
    assert isinstance(number, QLineEdit)
    for text in ["-1", "0", "99999999999999999999", "١٢", "12abc", "²", " 7 "]:
        number.clear()
        number.insert(text)  # as a paste would; QTest cannot type non-ASCII keys
        qtbot.waitUntil(lambda: "Loading" not in _named(screen, "Audit page").text())
        typed = number.text()
        assert typed == "" or typed.isdecimal(), typed  # the field takes digits only
        status = _named(screen, "Audit page").text()
        assert status.startswith(("Changes", "No changes", "The audit trail could not")), status
    kind = _named(screen, "Record kind")
    assert isinstance(kind, QComboBox)
    assert not kind.isEditable()


@pytest.mark.parametrize("text", HOSTILE)
def test_the_identifier_warning_lists_any_text(text: str) -> None:
    hits = sensitive.find_identifiers(f"{text} MRN 1234567")
    listing = identifiers_text(hits)
    assert "MRN 1234567" in listing
