"""The installed Qt binding must not lose references to None.

PySide6-Essentials 6.12.0 on Python 3.11 drops a reference to ``None`` each time a
method that returns nothing is called (``QWidget.update``, ``QPainter.drawLine``...);
after a few thousand calls Python aborts with "deallocating None". A chart repaint
makes hundreds of such calls, so the app would die within minutes of use.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QLineF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    line = QLineF(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.update()
        painter.drawLine(line)
    painter.end()
    assert sys.getrefcount(None) >= before - 10  # a few may come and go; 400 must not
