"""Keep the column widths (and sort column) a person chose for a table between sessions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

from cuspdesk.ui.settings import app_settings


def _header(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def remember_column_widths(view: QTableView | QTreeView, key: str) -> None:
    """Restore the saved layout of ``view``'s columns now, and save it on every change.

    Call it once the view has its model (so the columns exist). Saving on each
    change rather than at exit means a crash or a killed session keeps the widths.
    """
    header = _header(view)
    settings_key = f"columns/{key}"
    saved = app_settings().value(settings_key)
    if isinstance(saved, QByteArray | bytes) and saved:
        header.restoreState(QByteArray(saved))

    def save(*_args: object) -> None:
        app_settings().setValue(settings_key, header.saveState())

    header.sectionResized.connect(save)
    header.sectionMoved.connect(save)
    header.sortIndicatorChanged.connect(save)
