"""Print preview: build a document off the UI thread, show it, then save it or print it.

``print_document(parent, context, kind, record_id)`` is what Ctrl+P and every
Print button call. The PDF is built in the background (the window stays
responsive, a busy bar shows progress), shown with QtPdf, and then saved as a
PDF file or sent to a printer through the system print dialog; printing draws
each page of that same PDF, so paper matches the preview exactly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QPageLayout, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.printing import KINDS, PrintedDocument, make_document
from cuspdesk.reports.document import write_pdf
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.worker import run_in_background

# Pages are drawn for the printer at this resolution at most: sharp on paper,
# without holding a 1200-dpi bitmap of every page in memory.
PRINT_DPI = 300


def print_document(
    parent: QWidget | None,
    context: AppContext,
    kind: str,
    record_id: int | None = None,
    *,
    query: IssueQuery | None = None,
) -> None:
    """Build the ``kind`` document in the background and open its preview.

    ``query`` lets the tracking log print what its screen shows (filters and sort).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    dialog = PrintPreviewDialog(KINDS[kind], parent)
    db, unit_id = context.db, context.unit_id
    run_in_background(
        lambda: make_document(db, kind, unit_id=unit_id, record_id=record_id, query=query),
        on_done=dialog.show_document,
        on_error=dialog.show_error,
    )
    dialog.open()


class PrintPreviewDialog(QDialog):
    """Shows a finished PDF and offers Save PDF, Print and Close."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Print preview — {what}")
        self.setAccessibleName("Print preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 1000)
        self.document: PrintedDocument | None = None
        self._pdf = QPdfDocument(self)
        self._buffer: QBuffer | None = None

        self.status = QLabel(f"Preparing the {what.lower()}…")
        self.status.setAccessibleName("Print status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the build has no steps to count
        self.progress.setAccessibleName("Preparing the document")
        self.view = QPdfView(self)
        self.view.setAccessibleName("Document preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._pdf)

        self.save_button = QPushButton("&Save PDF…")
        self.save_button.setAccessibleName("Save PDF")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        for button in (self.save_button, self.print_button):
            button.setEnabled(False)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.close_button.clicked.connect(self.reject)
        print_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_shortcut.activated.connect(self.print_with_dialog)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.view, self.save_button)
        self.setTabOrder(self.save_button, self.print_button)
        self.setTabOrder(self.print_button, self.close_button)

    # --- showing -------------------------------------------------------------------

    def show_document(self, document: PrintedDocument) -> None:
        self.document = document
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(document.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf.load(self._buffer)
        pages = self.page_count()
        self.progress.hide()
        self.status.setText(f"{document.title}: {pages} page{'s' if pages != 1 else ''}.")
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(pages > 0)
        self.print_button.setDefault(True)
        self.print_button.setFocus()

    def show_error(self, error: CuspDeskError) -> None:
        self.progress.hide()
        self.status.setText(f"The document could not be made: {error}")

    def page_count(self) -> int:
        return int(self._pdf.pageCount())

    # --- saving --------------------------------------------------------------------

    def save_as(self) -> None:
        if self.document is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / self.document.file_name)
        path, _ = QFileDialog.getSaveFileName(self, "Save PDF", suggested, "PDF documents (*.pdf)")
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the PDF (atomically); say so, or say why not."""
        assert self.document is not None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_pdf(path, self.document.pdf)
        except CuspDeskError as exc:
            QMessageBox.warning(self, "Save PDF", str(exc))
            return False
        self.status.setText(f"Saved to {path}.")
        return True

    # --- printing ------------------------------------------------------------------

    def print_with_dialog(self) -> None:
        if self.page_count() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self._first_page_is_landscape():
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.document.file_name if self.document else "CUSPDesk")
        printer.setFromTo(1, self.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            printed = self.print_to(printer)
            self.status.setText(f"Sent {printed} page{'s' if printed != 1 else ''} to the printer.")

    def print_to(self, printer: QPrinter) -> int:
        """Draw the chosen pages onto ``printer``; returns how many were printed."""
        first, last = printer.fromPage(), printer.toPage()
        if first == 0:
            first, last = 1, self.page_count()
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Print", "The printer could not be started.")
            return 0
        printed = 0
        try:
            for number in range(first, min(last, self.page_count()) + 1):
                if printed:
                    printer.newPage()
                self._draw_page(painter, printer, number - 1)
                printed += 1
        finally:
            painter.end()
        return printed

    def _draw_page(self, painter: QPainter, printer: QPrinter, index: int) -> None:
        target = painter.viewport()
        page_points = self._pdf.pagePointSize(index)
        dpi = min(printer.resolution(), PRINT_DPI)
        size = QSize(round(page_points.width() / 72 * dpi), round(page_points.height() / 72 * dpi))
        image = self._pdf.render(index, size)
        fitted = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = target.x() + (target.width() - fitted.width()) // 2
        y = target.y() + (target.height() - fitted.height()) // 2
        painter.drawImage(QRect(x, y, fitted.width(), fitted.height()), image)

    def _first_page_is_landscape(self) -> bool:
        size = self._pdf.pagePointSize(0)
        return bool(size.width() > size.height())
