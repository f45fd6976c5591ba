"""Keep Python's ``None`` alive under a Qt binding that gives back references it never took.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every Qt call that
returns nothing (``QWidget.update``, ``QPainter.drawLine``...). ``None`` starts with
a few thousand references, so an app that paints its own widgets aborts within
minutes with "Fatal Python error: none_dealloc". Python 3.12 made ``None`` immortal,
which is the cure; on 3.11 this gives ``None`` a reference count no session can use
up. ``None`` is a static object that is never freed, so the count means nothing else.
"""

from __future__ import annotations

import ctypes
import sys

# About 2.8e14 calls before it could matter: decades of continuous painting.
RESERVE = 1 << 48


def keep_none_alive() -> None:
    """Top up None's reference count on CPython before 3.12 (where None is immortal)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < RESERVE // 2:
        count.value += RESERVE
