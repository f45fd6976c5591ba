"""The reference for start-up: a bare PySide6 main window, shown, then the app quits.

What any Qt for Python desktop pays before doing anything of its own.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare window")
window.resize(1280, 800)
window.show()


def ready() -> None:
    # Said where the app says "ready": once the window is up and the event loop runs.
    print("bare window ready", file=sys.stderr, flush=True)
    app.quit()


QTimer.singleShot(0, ready)
sys.exit(app.exec())
