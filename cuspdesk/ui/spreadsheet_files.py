"""File-menu actions for spreadsheets (export, import the tracking log).

``MainWindow`` calls ``add_spreadsheet_actions`` while building its File menu; dialogs and
services are imported only when an action runs, so the window opens as fast as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMenu

    from cuspdesk.ui.main_window import MainWindow

READ_ONLY_TIP = "The database is open read-only, so nothing can be imported."
NO_UNIT_TIP = "Choose a unit first."


def add_spreadsheet_actions(window: MainWindow, menu: QMenu) -> None:
    """Add this part's actions to ``menu`` (the File menu)."""
    export = QAction("&Export…", window)
    export.setObjectName("export_spreadsheet")
    export.setStatusTip("Export the unit's records to an Excel workbook or a CSV file.")
    export.triggered.connect(lambda: open_export_dialog(window))
    import_ = QAction("&Import tracking log…", window)
    import_.setObjectName("import_tracking_log")
    import_.setStatusTip("Add the issues of a tracking log kept in a spreadsheet.")
    import_.triggered.connect(lambda: open_import_dialog(window, choose=True))
    menu.addAction(export)
    menu.addAction(import_)

    def update() -> None:
        refusal = import_refusal(window)
        import_.setEnabled(refusal is None)
        import_.setToolTip(refusal or "")
        export.setEnabled(window.context.unit_id is not None)
        export.setToolTip("" if window.context.unit_id is not None else NO_UNIT_TIP)

    menu.aboutToShow.connect(update)
    window.context.unit_changed.connect(lambda _unit: update())
    update()


def import_refusal(window: MainWindow) -> str | None:
    """Why the tracking log cannot be imported here, or None when it can."""
    if window.db.read_only:
        return READ_ONLY_TIP
    if window.context.unit_id is None:
        return NO_UNIT_TIP
    from cuspdesk.services.access import PERMISSIONS, allowed

    if not allowed(window.db.actor.role, "issues.edit"):
        return f"Your role cannot {PERMISSIONS['issues.edit'][1]}, so it cannot import issues."
    return None


def _unit_name(window: MainWindow) -> str:
    names: dict[int, str] = getattr(window, "unit_names", {})
    return names.get(window.context.unit_id or -1, "the unit")


def open_export_dialog(window: MainWindow) -> QDialog | None:
    if window.context.unit_id is None:
        return None
    from cuspdesk.ui.dialogs.spreadsheet_export import SpreadsheetExportDialog

    dialog = SpreadsheetExportDialog(window.context, _unit_name(window), window)
    dialog.open()
    return dialog


def open_import_dialog(window: MainWindow, *, choose: bool = False) -> QDialog | None:
    """Open the import dialog (and, from the menu, the file chooser straight away)."""
    if import_refusal(window) is not None:
        return None
    from cuspdesk.ui.dialogs.log_import import LogImportDialog

    dialog = LogImportDialog(window.context, _unit_name(window), window)
    dialog.open()
    if choose:
        dialog.choose_file()
    return dialog
