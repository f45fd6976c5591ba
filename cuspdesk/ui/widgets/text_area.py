"""A multi-line text box that behaves like a form field: Tab moves on, height fits a few lines."""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

# Qt's word wrapping slows to minutes on a pasted run of thousands of characters with
# no space in it (a log line, base64); such text is wrapped anywhere instead.
_UNBROKEN_RUN = re.compile(r"\S{1000}")


class TextArea(QPlainTextEdit):
    """Plain text only (pasted formatting is dropped); ``lines`` sets its resting height."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None, *, lines: int = 4):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom() + 8
        self.setFixedHeight(line * lines + frame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def value(self) -> str:
        return self.toPlainText()

    def setValue(self, text: str) -> None:
        if text != self.toPlainText():
            self._wrap_for(text, replacing=True)
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.End)  # so typing adds to what is there

    def insertFromMimeData(self, source: QMimeData) -> None:
        self._wrap_for(source.text(), replacing=False)
        super().insertFromMimeData(source)

    def _wrap_for(self, incoming: str, *, replacing: bool) -> None:
        if _UNBROKEN_RUN.search(incoming):
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        elif replacing:
            self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
