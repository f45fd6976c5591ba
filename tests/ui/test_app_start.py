"""Starting the desktop as a person does: the whole program, its icon, and a start that
loads only what the first screen needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cuspdesk import __version__
from cuspdesk.db import Database
from cuspdesk.ui.app import EXIT_WHEN_READY, configure_application
from cuspdesk.ui.app_icon import app_icon
from cuspdesk.ui.screens.list_form import ListFormScreen
from ui.qt_helpers import DialogAnswerer, open_window, settle


def test_the_whole_program_starts_on_the_sample_unit_and_says_when_it_is_ready(
    demo_path: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env[EXIT_WHEN_READY] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "cuspdesk", "--db", str(demo_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "CUSPDesk ready in " in done.stderr
    assert "Traceback" not in done.stderr


def test_the_application_carries_the_cuspdesk_icon_at_every_size(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 48, 256}
    configure_application(qapp)
    assert not qapp.windowIcon().isNull()


def test_only_the_screen_on_show_loads_at_start_the_others_when_first_opened(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = open_window(qtbot, demo_db)
    settle(qtbot)
    shown = window.current_screen()
    assert shown.isVisible() and not shown._stale
    assert window.built_screens() == [shown], "the other screens are built when first opened"

    rounds = window.show_screen("rounds")
    settle(qtbot)
    assert rounds.isVisible() and not rounds._stale
    assert window.built_screens() == [shown, rounds]
    assert isinstance(rounds, ListFormScreen)
    assert rounds.browser.model.rowCount() > 0, "the sample unit's rounds are listed"


def test_the_about_box_names_the_version_and_the_database_in_use(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = open_window(qtbot, demo_db)
    answered = DialogAnswerer().then("OK")
    window.about_action.trigger()
    assert f"CUSPDesk {__version__}" in answered.seen[0]
    assert str(demo_db.path) in answered.seen[0]
