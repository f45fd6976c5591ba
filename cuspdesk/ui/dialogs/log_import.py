"""The dialog that imports a tracking log kept in a spreadsheet.

The person chooses a file; unrecognised columns are mapped first; then every row
is listed with what will happen to it and, for a row that cannot be imported,
why, in words. Import stays disabled while any row has a problem, and saves every
new issue at once or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.log_import import (
    ImportRefusedError,
    LogImportPreview,
    LogImportResult,
    LogImportRow,
    UnknownColumnsError,
    field_choices,
    import_log,
    preview_log_import,
)
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.column_mapping import ColumnMappingDialog
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.worker import run_in_background

_Index = QModelIndex | QPersistentModelIndex
_ERROR_BACKGROUND = QColor("#fde2e1")


class ImportRowsModel(QAbstractTableModel):
    """The file's rows as the preview lists them; ``problems_only`` keeps rows in error."""

    HEADERS = ("", "Number", "Date identified", "Description", "Status", "Owner", "What happens")
    WHAT = len(HEADERS) - 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row_word = "Row"
        self.all_rows: tuple[LogImportRow, ...] = ()
        self.rows: list[LogImportRow] = []
        self.problems_only = False

    def set_rows(self, rows: tuple[LogImportRow, ...], row_word: str) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self.row_word = row_word
        self._filter()
        self.endResetModel()

    def show_problems_only(self, on: bool) -> None:
        self.beginResetModel()
        self.problems_only = on
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.rows = [r for r in self.all_rows if r.problems or not self.problems_only]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.row_word if section == 0 else self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and row.problems:
            return QBrush(_ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(row.problems) or row.present or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.cells(row)[index.column()]

    @staticmethod
    def cells(row: LogImportRow) -> list[str]:
        if row.problems:
            what = "⚠ " + " ".join(row.problems)
        elif row.present:
            what = "Skipped: " + row.present
        else:
            what = "Will be added"
        description = row.description.replace("\n", " ")
        if len(description) > 200:
            description = description[:199] + "…"
        return [
            str(row.line),
            "" if row.number is None else str(row.number),
            row.date_identified.isoformat() if row.date_identified else "",
            description,
            row.status,
            row.owner,
            what,
        ]


class LogImportDialog(QDialog):
    """Preview and import a tracking-log spreadsheet; ``imported(result)`` follows a save."""

    imported = Signal(object)

    def __init__(self, context: AppContext, unit_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.unit_name = unit_name
        self.path: Path | None = None
        self.columns: dict[str, str | None] = {}
        self.preview: LogImportPreview | None = None
        self.mapping: ColumnMappingDialog | None = None
        self._busy = False
        self.setWindowTitle(f"Import a tracking log into {unit_name}")
        self.setAccessibleName("Import a tracking log")

        intro = QLabel(
            "Choose a CSV file or an Excel workbook whose first row names the columns (Date "
            "identified, Description, Owner, Status, Target date…, or the names your team "
            "uses). Issues already in the log are recognised and skipped; nothing is saved "
            "until you choose Import."
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton("&Open a file…")
        self.choose_button.setAccessibleName("Choose a file to import")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel("No file chosen.")
        self.file_label.setAccessibleName("Chosen file")
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_button)
        choose_row.addWidget(self.file_label, 1)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import will do")
        self.problems_only = QCheckBox("Show only rows with &problems")
        self.problems_only.setAccessibleName("Show only rows with problems")
        self.model = ImportRowsModel(self)
        self.problems_only.toggled.connect(self._show_problems_only)
        self.table = RecordTable("Rows in the file")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)  # problems are sentences; rows grow to show them
        self.table.horizontalHeader().setStretchLastSection(True)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAccessibleName("Import the new issues")
        self.import_button.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        self.import_button.clicked.connect(self.start_import)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(980, 600)

    @property
    def busy(self) -> bool:
        return self._busy

    def _show_problems_only(self, on: bool) -> None:
        self.model.show_problems_only(on)
        if self.model.rowCount() <= 2000:
            self.table.resizeRowsToContents()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the tracking log to import", "", "CSV or Excel files (*.csv *.xlsx)"
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path, columns: dict[str, str | None] | None = None) -> None:
        """Read ``path`` in the background and list what importing it would do."""
        self.path = Path(path)
        self.columns = dict(columns or {})
        self.preview = None
        self.import_button.setEnabled(False)
        self.model.set_rows((), "Row")
        self.file_label.setText(str(self.path))
        self.summary.setText("Reading the file…")
        self._busy = True
        db, unit_id, file, mapping = self.context.db, self.context.unit_id, self.path, self.columns
        if unit_id is None:
            self._failed(CuspDeskError("Choose a unit first."))
            return
        run_in_background(
            lambda: preview_log_import(db, unit_id, file, columns=mapping),
            on_done=self._previewed,
            on_error=self._failed,
        )

    def _previewed(self, preview: LogImportPreview) -> None:
        self._busy = False
        self.preview = preview
        self.model.set_rows(preview.rows, preview.row_word)
        self._fit_rows()
        self.summary.setText("\n".join(preview.summary()))
        count = preview.to_add
        self.import_button.setText(f"&Import {count:,} {'issue' if count == 1 else 'issues'}")
        can_save = preview.ok and count > 0 and not self.context.read_only
        self.import_button.setEnabled(can_save)
        if not preview.ok:
            self.import_button.setToolTip("Correct the rows with problems first.")
            self.problems_only.setChecked(True)
        else:
            self.import_button.setToolTip("")

    def _fit_rows(self) -> None:
        """Columns to their contents (within reason), and rows tall enough for every problem.

        Row heights are measured only for a few thousand rows: beyond that, measuring
        would keep the window busy for seconds, and the tooltip shows the whole text.
        """
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 300))
        self.table.setColumnWidth(5, min(self.table.columnWidth(5), 160))
        if self.model.rowCount() <= 2000:
            self.table.resizeRowsToContents()

    def _failed(self, error: CuspDeskError) -> None:
        self._busy = False
        if isinstance(error, UnknownColumnsError) and self.path is not None:
            self._ask_columns(error)
            return
        self.summary.setText(f"⚠ This file cannot be imported; nothing was saved. {error}")

    def _ask_columns(self, error: UnknownColumnsError) -> None:
        assert self.path is not None
        self.summary.setText("Say what the unrecognised columns hold.")
        dialog = ColumnMappingDialog(self.path.name, error.unknown, field_choices(), self)
        self.mapping = dialog
        known = dict(self.columns)

        def chosen() -> None:
            if self.path is not None:
                self.load_file(self.path, known | dialog.columns())

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(
            lambda: self.summary.setText("The import was cancelled; nothing was saved.")
        )
        dialog.open()

    def start_import(self) -> None:
        preview, path = self.preview, self.path
        unit_id = self.context.unit_id
        if preview is None or path is None or unit_id is None or self._busy or not preview.ok:
            return
        self._busy = True
        self.import_button.setEnabled(False)
        self.summary.setText("Saving…")
        db, columns = self.context.db, self.columns
        run_in_background(
            lambda: import_log(db, unit_id, path, columns=columns),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, result: LogImportResult) -> None:
        self._busy = False
        self.context.changed("issue")
        if result.new_people:
            self.context.changed("team")
        self.context.status_message.emit(result.summary(self.unit_name))
        self.imported.emit(result)
        self.accept()

    def _save_failed(self, error: CuspDeskError) -> None:
        self._busy = False
        if isinstance(error, ImportRefusedError):  # the file changed since it was read
            self._previewed(error.preview)
            self.summary.setText("⚠ Nothing was saved. " + self.summary.text())
            return
        self.summary.setText(f"⚠ Nothing was saved: {error}")
        self.import_button.setEnabled(self.preview is not None and self.preview.ok)
