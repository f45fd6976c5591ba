"""The dialog that imports a measure's monthly figures from a CSV or Excel file.

The person chooses a file, sees what it would change (new months, months whose
figures are replaced, rows skipped) or every problem by row, and only then
imports: all months in one go, or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError, ValidationError
from cuspdesk.services import measures
from cuspdesk.services.measure_charts import format_number, month_label
from cuspdesk.services.measure_import import ImportPreview, import_preview, preview_import
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.worker import run_in_background

_Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The months an import would write, one row each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.ratio = False
        self.headers: list[str] = []

    def set_preview(self, preview: ImportPreview | None, info: measures.MeasureInfo) -> None:
        self.beginResetModel()
        self.preview = preview
        self.ratio = info.needs_denominator
        f = info.fields
        figures = (
            [f.numerator_label or "Numerator", f.denominator_label or "Denominator"]
            if self.ratio
            else ["Value"]
        )
        self.headers = ["Row", "Month", *figures, "Charted value", "What happens"]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.preview is None else len(self.preview.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.preview is None:
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.preview.rows[index.row()]
        figures = (
            [_number(row.numerator), _number(row.denominator)]
            if self.ratio
            else [_number(row.value)]
        )
        what = f"Updates (was {_number(row.replaces)})" if row.existing else "New month"
        cells = [str(row.line), month_label(row.period), *figures, _number(row.charted), what]
        return cells[index.column()]


def _number(x: float | None) -> str:
    return "" if x is None else format_number(x)


class MeasureImportDialog(QDialog):
    """Import figures into one measure; ``imported(count)`` is emitted after saving."""

    imported = Signal(int)

    def __init__(self, context: AppContext, measure_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.measure_id = measure_id
        self.info = measures.get_measure(context.db, measure_id)
        self.preview: ImportPreview | None = None
        self._busy = False
        f = self.info.fields
        self.setWindowTitle(f"Import data for {f.name}")
        self.setAccessibleName(f"Import data for {f.name}")

        if self.info.needs_denominator:
            columns = (
                f"period, numerator and denominator ({f.numerator_label or 'numerator'} and "
                f"{f.denominator_label or 'denominator'} for each month)"
            )
        else:
            columns = "period and value (one value for each month)"
        intro = QLabel(
            f"Choose a CSV file or an Excel workbook (.xlsx) whose first row names the columns "
            f"{columns}. Months are written like 2026-03 or 2026-03-31. Months already "
            f"entered are updated; nothing is saved until you choose Import."
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setAccessibleName("Choose a file to import")
        self.choose_button.clicked.connect(self._choose)
        self.file_label = QLabel("No file chosen.")
        self.file_label.setAccessibleName("Chosen file")
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_button)
        choose_row.addWidget(self.file_label, 1)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import will do")
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.model = PreviewModel(self)
        self.model.set_preview(None, self.info)
        self.table = RecordTable("Months to import")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAccessibleName("Import the months")
        self.import_button.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        self.import_button.clicked.connect(self._import)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self.setTabOrder(self.choose_button, self.table)

    @property
    def busy(self) -> bool:
        return self._busy

    def load_file(self, path: str | Path) -> None:
        """Read ``path`` in the background and show what importing it would do."""
        self.preview = None
        self.import_button.setEnabled(False)
        self.problems.clear()
        self.problems.hide()
        self.model.set_preview(None, self.info)
        self.file_label.setText(str(path))
        self.summary.setText("Reading the file…")
        self._busy = True
        db, measure_id = self.context.db, self.measure_id
        run_in_background(
            lambda: preview_import(db, measure_id, path),
            on_done=self._previewed,
            on_error=self._preview_failed,
        )

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the file to import", "", "CSV or Excel files (*.csv *.xlsx)"
        )
        if path:
            self.load_file(path)

    def _previewed(self, preview: ImportPreview) -> None:
        self._busy = False
        self.preview = preview
        self.model.set_preview(preview, self.info)
        self.table.resizeColumnsToContents()
        self.summary.setText("\n".join(preview.summary()))
        count = len(preview.rows)
        self.import_button.setEnabled(count > 0 and not self.context.read_only)
        self.import_button.setText(f"&Import {count:,} {'month' if count == 1 else 'months'}")

    def _preview_failed(self, error: CuspDeskError) -> None:
        self._busy = False
        messages = (
            [p.message for p in error.problems]
            if isinstance(error, ValidationError)
            else [str(error)]
        )
        self.summary.setText(
            "⚠ This file cannot be imported as it is; nothing was saved. Fix these rows in the "
            "file and choose it again:"
        )
        self.problems.clear()
        self.problems.addItems(messages)
        self.problems.show()
        self.problems.setFocus(Qt.FocusReason.OtherFocusReason)

    def _import(self) -> None:
        preview = self.preview
        if preview is None or self._busy:
            return
        self._busy = True
        self.import_button.setEnabled(False)
        self.summary.setText("Saving…")
        db = self.context.db
        run_in_background(
            lambda: import_preview(db, preview), on_done=self._saved, on_error=self._save_failed
        )

    def _saved(self, count: int) -> None:
        self._busy = False
        self.context.changed("measure")
        months = "month" if count == 1 else "months"
        self.context.status_message.emit(
            f"Imported {count:,} {months} into {self.info.fields.name}."
        )
        self.imported.emit(count)
        self.accept()

    def _save_failed(self, error: CuspDeskError) -> None:
        self._preview_failed(error)
        self.summary.setText(f"⚠ Nothing was saved: {error}")
        self.import_button.setEnabled(self.preview is not None)
