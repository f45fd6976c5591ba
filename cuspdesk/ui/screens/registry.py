"""The sidebar's screens, in the order a unit team works through them.

Each entry names its screen's module rather than importing it: the main window
lists every screen in the sidebar at start but builds a screen (and imports its
widgets) only when it is first shown, so opening the app costs one screen, not ten.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from cuspdesk.ui.screens.base import Screen


@dataclass(frozen=True)
class ScreenEntry:
    """What the sidebar and menus need to know of a screen before it is built."""

    key: str
    title: str
    record_kinds: tuple[str, ...]
    module: str
    class_name: str

    def load(self) -> type[Screen]:
        """Import the screen's module and return its class."""
        module = importlib.import_module(f"cuspdesk.ui.screens.{self.module}")
        return cast("type[Screen]", getattr(module, self.class_name))


SCREENS: list[ScreenEntry] = [
    ScreenEntry("dashboard", "Dashboard", (), "dashboard", "DashboardScreen"),
    ScreenEntry("tracking_log", "Tracking log", ("issue",), "tracking_log", "TrackingLogScreen"),
    ScreenEntry("concerns", "Concerns", ("issue",), "concerns", "ConcernsScreen"),
    ScreenEntry("rounds", "Safety rounds", ("round",), "rounds", "RoundsScreen"),
    ScreenEntry("meetings", "Meetings", ("meeting",), "meetings", "MeetingsScreen"),
    ScreenEntry(
        "assessments",
        "Staff safety assessments",
        ("assessment",),
        "assessments",
        "AssessmentsScreen",
    ),
    ScreenEntry("defects", "Learning from defects", ("defect",), "defects", "DefectsScreen"),
    ScreenEntry("measures", "Measures", ("measure",), "measures", "MeasuresScreen"),
    ScreenEntry("team", "Team & unit", ("unit", "team"), "team", "TeamScreen"),
    # Last: Team and Measures open "unit" and "measure" records first.
    ScreenEntry(
        "alignment",
        "Strategic alignment",
        ("unit", "measure", "issue"),
        "alignment",
        "AlignmentScreen",
    ),
    ScreenEntry("hospital", "Hospital view", (), "hospital", "HospitalScreen"),
]
