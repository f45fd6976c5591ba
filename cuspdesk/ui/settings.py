"""Where the app keeps per-computer preferences: window layout, last screen, column widths."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from cuspdesk import APP_NAME, APP_ORG


def app_settings() -> QSettings:
    """The app's QSettings, named explicitly so tests and the app read the same place."""
    return QSettings(APP_ORG, APP_NAME)
