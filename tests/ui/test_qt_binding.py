"""The app survives a Qt binding that drops references to None.

PySide6-Essentials 6.12.0 on Python 3.11 gives back a reference to ``None`` each
time a method that returns nothing is called; after a few thousand calls Python
aborts. A chart repaint makes hundreds of such calls, so without the guard in
``cuspdesk.ui`` the app would die within minutes of use.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QLineF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import cuspdesk.ui  # noqa: F401  # importing the UI package installs the guard
from cuspdesk.ui.binding_guard import RESERVE, keep_none_alive


def test_many_void_calls_leave_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    line = QLineF(0, 0, 10, 10)
    for _ in range(20_000):  # four times what None starts with on Python 3.11
        widget.update()
        painter.drawLine(line)
    painter.end()
    assert sys.getrefcount(None) > 10_000


def test_the_guard_tops_up_only_when_needed() -> None:
    keep_none_alive()
    before = sys.getrefcount(None)
    keep_none_alive()  # a second call must not add another reserve
    if sys.version_info < (3, 12):
        assert RESERVE // 2 < before < RESERVE * 2
    assert abs(sys.getrefcount(None) - before) < 100
