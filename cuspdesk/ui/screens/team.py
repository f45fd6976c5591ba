"""Team & unit screen: a placeholder until the real screen is merged."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.base import Screen


class TeamScreen(Screen):
    key = "team"
    title = "Team & unit"
    record_kinds = ("unit", "team")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        QVBoxLayout(self).addWidget(QLabel("This screen is being built"))
