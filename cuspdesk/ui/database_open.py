"""Open the database for the desktop, turning every failure into a message and a choice.

A database that cannot be written opens read-only with a notice; one that is
locked or otherwise refuses to open offers to try again or to open read-only; a
newer, damaged or foreign file says so plainly. Nothing here ever shows a traceback.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from cuspdesk import APP_NAME
from cuspdesk.db import Database, backup_folder, is_url, open_database, resolve_target
from cuspdesk.errors import (
    CorruptDatabaseError,
    CuspDeskError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
)

TRY_AGAIN = "Try again"
OPEN_READ_ONLY = "Open read-only"
QUIT = "Quit"


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
    buttons: tuple[str, ...] = ("OK",),
) -> str:
    """Show a message with named buttons; return the name of the one pressed."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(f"{APP_NAME} — {title}")
    box.setAccessibleName(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    made: dict[str, QPushButton] = {}
    for index, name in enumerate(buttons):
        last = index == len(buttons) - 1 and len(buttons) > 1
        role = QMessageBox.ButtonRole.RejectRole if last else QMessageBox.ButtonRole.AcceptRole
        button = box.addButton(name, role)
        button.setAccessibleName(name)
        made[name] = button
    box.setDefaultButton(made[buttons[0]])
    box.setEscapeButton(made[buttons[-1]])
    box.exec()
    clicked = box.clickedButton()
    for name, button in made.items():
        if clicked is button:
            return name
    return buttons[-1]


def _restore_hint(target: str | None) -> str:
    resolved = resolve_target(target)
    if is_url(resolved):
        return "Ask whoever runs the database server to restore it from a backup."
    folder = backup_folder(Path(resolved).expanduser())
    if folder.is_dir():
        return (
            f"Backups are kept in {folder}. To put the latest one back, close {APP_NAME} and "
            "run: cuspdesk restore <backup file>"
        )
    return "Restore the file from your own backup, or ask IT to."


def open_for_gui(
    target: str | None, *, read_only: bool = False, parent: QWidget | None = None
) -> Database | None:
    """The open database, or None when the person chose to stop (after being told why)."""
    while True:
        try:
            db = open_database(target, read_only=read_only)
        except NewerDatabaseError as exc:
            _box(
                parent,
                QMessageBox.Icon.Critical,
                "Database from a newer version",
                str(exc),
                "Your records are safe: nothing in the file was changed.",
            )
            return None
        except CorruptDatabaseError as exc:
            _box(
                parent,
                QMessageBox.Icon.Critical,
                "Database damaged",
                str(exc),
                _restore_hint(target),
            )
            return None
        except NotADatabaseError as exc:
            _box(
                parent,
                QMessageBox.Icon.Critical,
                "Not a CUSPDesk database",
                str(exc),
                "Start CUSPDesk with --db and the path of your CUSPDesk database file.",
            )
            return None
        except DatabaseOpenError as exc:
            if read_only:
                _box(parent, QMessageBox.Icon.Critical, "Database not opened", str(exc))
                return None
            choice = _box(
                parent,
                QMessageBox.Icon.Warning,
                "Database not opened",
                str(exc),
                "You can try again, or open it read-only to look at the records and print "
                "them without changing anything.",
                (TRY_AGAIN, OPEN_READ_ONLY, QUIT),
            )
            if choice == QUIT:
                return None
            read_only = choice == OPEN_READ_ONLY
            continue
        except CuspDeskError as exc:
            _box(parent, QMessageBox.Icon.Critical, "Database not opened", str(exc))
            return None
        except Exception as exc:  # never a traceback: one sentence, then stop
            _box(
                parent,
                QMessageBox.Icon.Critical,
                "Database not opened",
                f"The database could not be opened ({type(exc).__name__}: {exc}).",
            )
            return None
        _tell_about(db, parent, asked_read_only=read_only)
        return db


def _tell_about(db: Database, parent: QWidget | None, *, asked_read_only: bool) -> None:
    """Say once, at start, what is unusual about the database that opened."""
    if db.read_only and not asked_read_only:
        _box(
            parent,
            QMessageBox.Icon.Information,
            "Opened read-only",
            db.read_only_reason or "The database is open read-only.",
            "You can look at every record and print, but changes cannot be saved. Ask IT to "
            "give you write access to the file, or copy it somewhere you can write.",
        )
    if db.migrated_from is not None:
        where = (
            f" A copy from before the upgrade is at {db.migration_backup}."
            if (db.migration_backup)
            else ""
        )
        _box(
            parent,
            QMessageBox.Icon.Information,
            "Database upgraded",
            f"The database was brought up to date for this version of {APP_NAME}.{where}",
        )
