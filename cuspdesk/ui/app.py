"""Start the desktop: open the database, then show the main window or a clear error."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cuspdesk import APP_NAME, APP_ORG, __version__
from cuspdesk.db import Database, open_database
from cuspdesk.errors import DatabaseOpenError
from cuspdesk.services import units


class MainWindow(QMainWindow):
    """The app's main window: the unit list for now."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"{APP_NAME} — {db.describe()}")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(f"<h2>{APP_NAME}</h2>"))
        self.unit_list = QListWidget()
        self.unit_list.setAccessibleName("Units")
        for unit in units.list_units(db):
            self.unit_list.addItem(f"{unit.name} — {unit.hospital}")
        layout.addWidget(self.unit_list)
        self.setCentralWidget(body)
        self.resize(900, 600)


def run_gui(db_target: str | None, *, read_only: bool = False, debug: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(__version__)
    try:
        db = open_database(db_target, read_only=read_only)
    except DatabaseOpenError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = MainWindow(db)
    window.show()
    code = app.exec()
    db.dispose()
    return int(code)
