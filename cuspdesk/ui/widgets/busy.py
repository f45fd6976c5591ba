"""A quiet "Loading…" sign for background work: appears only if the work takes a moment."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

SHOW_AFTER_MS = 150


class BusyIndicator(QWidget):
    """Call ``start()`` when work begins and ``stop()`` when it ends; calls may nest.

    It stays hidden for quick work so the screen does not flicker.
    """

    def __init__(self, text: str = "Loading…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Busy")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(90)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Working")
        self.label = QLabel(text)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.default_text = text
        self._depth = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_AFTER_MS)
        self._timer.timeout.connect(self.show)
        self.hide()

    @property
    def busy(self) -> bool:
        return self._depth > 0

    def start(self, text: str | None = None) -> None:
        self.label.setText(text or self.default_text)
        self._depth += 1
        if self._depth == 1:
            self._timer.start()

    def stop(self) -> None:
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            self._timer.stop()
            self.hide()
