"""Team & unit: the unit's details, its team, its executive partner, its lists and its aims."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.team.aims_panel import AimsPanel
from cuspdesk.ui.team.lists_panel import ListsPanel
from cuspdesk.ui.team.members_panel import MembersPanel
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.team.partner_panel import PartnerPanel
from cuspdesk.ui.team.unit_panel import UnitPanel


class TeamScreen(Screen):
    key = "team"
    title = "Team & unit"
    record_kinds = ("unit", "team")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        self.unit_panel = UnitPanel(context)
        self.members_panel = MembersPanel(context)
        self.partner_panel = PartnerPanel(context)
        self.lists_panel = ListsPanel(context)
        self.aims_panel = AimsPanel(context)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Team and unit sections")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName("Team and unit sections")
        for panel, label in (
            (self.unit_panel, "Unit &details"),
            (self.members_panel, "&Team"),
            (self.partner_panel, "E&xecutive partner"),
            (self.lists_panel, "&Lists"),
            (self.aims_panel, "&Aims and goals"),
        ):
            panel.setAccessibleName(label.replace("&", ""))
            panel.saved.connect(self._panel_saved)
            self.tabs.addTab(panel, label)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.tabs)

    @property
    def panels(self) -> list[Panel]:
        return [
            self.unit_panel,
            self.members_panel,
            self.partner_panel,
            self.lists_panel,
            self.aims_panel,
        ]

    def refresh(self) -> None:
        self._stale = False
        unit_id = self.context.unit_id
        self.setEnabled(unit_id is not None)
        if unit_id is None:
            return
        for panel in self.panels:
            panel.refresh(unit_id)

    def has_unsaved_changes(self) -> bool:
        return any(panel.has_unsaved_changes() for panel in self.panels)

    def save_changes(self) -> bool:
        for panel in self.panels:
            if panel.has_unsaved_changes() and not panel.save_changes():
                self.tabs.setCurrentWidget(panel)
                return False
        return True

    def discard_changes(self) -> None:
        for panel in self.panels:
            panel.discard_changes()

    def open_record(self, record_id: int) -> None:
        """Units and team members open here; the unit details are the first tab."""
        if self._stale:
            self.refresh()
        self.tabs.setCurrentWidget(self.unit_panel)

    def _panel_saved(self, kinds: tuple[str, ...]) -> None:
        unit_id = self.context.unit_id
        if unit_id is not None:
            # Other parts show the same people and lists (roles, the partner picker).
            for panel in self.panels:
                if panel is not self.sender():
                    panel.refresh(unit_id)
        self.announce(*kinds)

    def _on_data_changed(self, kind: str) -> None:
        if self._announcing or kind not in (*self.record_kinds, "measure"):
            return
        self.refresh_when_shown()
