"""Fixtures for the desktop tests: clean settings per test, the sample unit, an open window.

Every test starts with empty app settings (so no window layout leaks between
tests) and ends by waiting for background workers and closing the windows it opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database, open_database, sqlite_backup
from cuspdesk.services import demo
from cuspdesk.ui.app import configure_application
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.settings import app_settings
from cuspdesk.ui.worker import wait_for_background_work
from ui.qt_helpers import DialogAnswerer, open_window


@pytest.fixture
def answer() -> Callable[[str], DialogAnswerer]:
    """``answer("Discard")`` presses Discard in the next modal dialog."""
    return lambda button: DialogAnswerer().then(button)


@pytest.fixture(autouse=True)
def _fresh_settings(qapp: QApplication, qtbot: QtBot) -> Iterator[None]:
    configure_application(qapp)
    settings = app_settings()
    settings.clear()
    settings.sync()
    yield
    wait_for_background_work()
    open_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in open_windows:  # first forget unsaved input, so closing asks nothing
        discard = getattr(widget, "discard_changes", None)
        if callable(discard):
            discard()
    for widget in open_windows:
        widget.close()
    wait_for_background_work()
    settings.clear()
    settings.sync()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample unit built once; each test gets its own copy of the file."""
    folder = tmp_path_factory.mktemp("demo-template")
    source = open_database(folder / "build.sqlite3")
    try:
        demo.create_demo_unit(source)
    finally:
        source.dispose()
    return sqlite_backup(folder / "build.sqlite3", folder / "demo.sqlite3")


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    return sqlite_backup(_demo_template, tmp_path / "demo.sqlite3")


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_database(demo_path)
    yield database
    wait_for_background_work()
    database.dispose()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    return open_window(qtbot, demo_db)
