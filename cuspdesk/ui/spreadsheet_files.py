"""File-menu actions for spreadsheets (export, import the tracking log).

``MainWindow`` calls ``add_spreadsheet_actions`` while building its File menu; dialogs and
services are imported only when an action runs, so the window opens as fast as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from cuspdesk.ui.main_window import MainWindow


def add_spreadsheet_actions(window: MainWindow, menu: QMenu) -> None:
    """Add this part's actions to ``menu`` (the File menu)."""
