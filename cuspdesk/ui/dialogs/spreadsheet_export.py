"""The dialog that exports the unit's records to an Excel workbook or a CSV file.

A workbook holds every table, one sheet each; a CSV file holds the one table the
person chooses. The export runs off the UI thread with a progress bar, and the
file appears only once it is complete.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.spreadsheet_export import TABLE_TITLES, ExportResult, export_spreadsheet
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.worker import run_in_background


class _Progress(QObject):
    """Carries the worker's progress to the UI thread (a queued signal)."""

    moved = Signal(int, int)


class SpreadsheetExportDialog(QDialog):
    """Choose a file and what goes in it, then export; ``exported(path)`` follows success."""

    exported = Signal(str)

    def __init__(self, context: AppContext, unit_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.unit_name = unit_name
        self._busy = False
        self.result_info: ExportResult | None = None
        self.setWindowTitle(f"Export {unit_name}")
        self.setAccessibleName("Export to a spreadsheet")

        intro = QLabel(
            "An Excel workbook holds the tracking log, meetings, safety rounds, staff safety "
            "assessments and measures, one sheet each. A CSV file holds one of them; CSV files "
            "are written as UTF-8 so accents and other scripts survive."
        )
        intro.setWordWrap(True)

        self.workbook = QRadioButton("Excel &workbook (.xlsx): every table")
        self.workbook.setAccessibleName("Excel workbook with every table")
        self.csv = QRadioButton("C&SV file (.csv): one table")
        self.csv.setAccessibleName("CSV file with one table")
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.workbook)
        self.kind.addButton(self.csv)
        self.workbook.setChecked(True)

        self.table = QComboBox()
        self.table.setAccessibleName("Table to export")
        for key, title in TABLE_TITLES.items():
            self.table.addItem(title, key)
        self.include_archived = QCheckBox("Include &archived issues")
        self.include_archived.setAccessibleName("Include archived issues")

        self.path = QLineEdit()
        self.path.setAccessibleName("File to write")
        self.path.setText(str(Path.home() / f"{_file_stem(unit_name)}.xlsx"))
        self.browse = QPushButton("&Browse…")
        self.browse.setAccessibleName("Choose where to save")
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        table_label = QLabel("&Table:")
        table_label.setBuddy(self.table)
        path_label = QLabel("Fi&le:")
        path_label.setBuddy(self.path)
        form.addRow(self.workbook)
        form.addRow(self.csv)
        form.addRow(table_label, self.table)
        form.addRow("", self.include_archived)
        form.addRow(path_label, path_row)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Export result")

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "E&xport", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.setAccessibleName("Export")
        self.export_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(620, 360)

        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.workbook.toggled.connect(self._kind_changed)
        self.table.currentIndexChanged.connect(self._table_changed)
        self._kind_changed()

    @property
    def busy(self) -> bool:
        return self._busy

    def _table_changed(self) -> None:
        """Archived issues are a choice only where the tracking log is written."""
        self.include_archived.setEnabled(
            not self.csv.isChecked() or self.table.currentData() == "log"
        )

    def _kind_changed(self) -> None:
        csv = self.csv.isChecked()
        self.table.setEnabled(csv)
        self._table_changed()
        text = self.path.text().strip()
        if text:
            self.path.setText(str(Path(text).with_suffix(".csv" if csv else ".xlsx")))

    def _browse(self) -> None:
        csv = self.csv.isChecked()
        filters = "CSV file (*.csv)" if csv else "Excel workbook (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), filters)
        if path:
            self.path.setText(path)

    def start_export(self) -> None:
        if self._busy:
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText("⚠ Choose the file to write first.")
            self.path.setFocus()
            return
        path = Path(text)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(".csv" if self.csv.isChecked() else ".xlsx")
            self.path.setText(str(path))
        unit_id = self.context.unit_id
        if unit_id is None:
            self.status.setText("⚠ Choose a unit first.")
            return
        self._busy = True
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Exporting…")
        db = self.context.db
        table = str(self.table.currentData())
        archived = self.include_archived.isChecked()
        signal = self._progress.moved
        run_in_background(
            lambda: export_spreadsheet(
                db,
                unit_id,
                path,
                table=table,
                include_archived=archived,
                progress=lambda done, total: signal.emit(done, total),
            ),
            on_done=self._done,
            on_error=self._failed,
        )

    def _moved(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _done(self, result: ExportResult) -> None:
        self._busy = False
        self.result_info = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.export_button.setEnabled(True)
        message = result.summary(self.unit_name)
        self.status.setText(message)
        self.context.status_message.emit(message)
        self.exported.emit(str(result.path))
        self.close_button.setFocus()

    def _failed(self, error: CuspDeskError) -> None:
        self._busy = False
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText(f"⚠ Nothing was exported: {error}")


def _file_stem(name: str) -> str:
    """A unit's name as a file name: letters, digits and single hyphens."""
    kept = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")
    while "--" in kept:
        kept = kept.replace("--", "-")
    return f"{kept or 'unit'}-records"
