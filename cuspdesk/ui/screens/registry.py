"""The sidebar's screens, in the order a unit team works through them."""

from __future__ import annotations

from cuspdesk.ui.screens.alignment import AlignmentScreen
from cuspdesk.ui.screens.assessments import AssessmentsScreen
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.screens.concerns import ConcernsScreen
from cuspdesk.ui.screens.dashboard import DashboardScreen
from cuspdesk.ui.screens.defects import DefectsScreen
from cuspdesk.ui.screens.hospital import HospitalScreen
from cuspdesk.ui.screens.measures import MeasuresScreen
from cuspdesk.ui.screens.meetings import MeetingsScreen
from cuspdesk.ui.screens.rounds import RoundsScreen
from cuspdesk.ui.screens.team import TeamScreen
from cuspdesk.ui.screens.tracking_log import TrackingLogScreen

SCREENS: list[type[Screen]] = [
    DashboardScreen,
    TrackingLogScreen,
    ConcernsScreen,
    RoundsScreen,
    MeetingsScreen,
    AssessmentsScreen,
    DefectsScreen,
    MeasuresScreen,
    TeamScreen,
    AlignmentScreen,  # last: Team and Measures open "unit" and "measure" records first
    HospitalScreen,
]
