"""The sidebar's list of screens: what it says of each screen before building it must
be what the screen itself says, and a screen is built once, when first needed."""

from __future__ import annotations

import sys

import pytest
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import issues
from cuspdesk.ui.screens.registry import SCREENS, ScreenEntry
from ui.qt_helpers import open_window, settle


@pytest.mark.parametrize("entry", SCREENS, ids=[entry.key for entry in SCREENS])
def test_each_entry_describes_its_screen_exactly(entry: ScreenEntry) -> None:
    screen_class = entry.load()
    assert (screen_class.key, screen_class.title, screen_class.record_kinds) == (
        entry.key,
        entry.title,
        entry.record_kinds,
    )


def test_keys_are_unique() -> None:
    keys = [entry.key for entry in SCREENS]
    assert len(keys) == len(set(keys))


def test_a_record_opened_from_elsewhere_builds_and_shows_its_screen(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = open_window(qtbot, demo_db)
    window.show_screen("dashboard")
    settle(qtbot)
    assert [s.key for s in window.built_screens()] == ["dashboard"]
    unit_id = window.context.unit_id
    assert unit_id is not None
    window.open_record("measure", _first_measure_id(demo_db, unit_id))
    settle(qtbot)
    shown = window.current_screen()
    assert shown.key == "measures" and shown.isVisible()
    assert [s.key for s in window.built_screens()] == ["dashboard", "measures"]


def test_building_a_screen_twice_gives_the_same_widget(qtbot: QtBot, demo_db: Database) -> None:
    window = open_window(qtbot, demo_db)
    first = window.show_screen("defects")
    settle(qtbot)
    assert window.show_screen("defects") is first
    assert window.stack.indexOf(first) == [e.key for e in SCREENS].index("defects")
    assert window.stack.count() == len(SCREENS)


def test_the_overdue_link_on_the_dashboard_opens_the_log_filtered(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = open_window(qtbot, demo_db)
    dashboard = window.show_screen("dashboard")
    settle(qtbot)
    assert "cuspdesk.ui.screens.dashboard" in sys.modules
    dashboard.show_overdue_requested.emit()  # type: ignore[attr-defined]
    settle(qtbot)
    log = window.current_screen()
    assert log.key == "tracking_log"
    unit_id = window.context.unit_id
    assert unit_id is not None
    overdue = issues.count_issues(demo_db, unit_id).overdue
    assert log.model.rowCount() == overdue  # type: ignore[attr-defined]


def _first_measure_id(db: Database, unit_id: int) -> int:
    from cuspdesk.services.measures import list_measures

    return list_measures(db, unit_id)[0].id
