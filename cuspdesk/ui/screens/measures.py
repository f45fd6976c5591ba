"""Measures screen: a placeholder until the real screen is merged."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.base import Screen


class MeasuresScreen(Screen):
    key = "measures"
    title = "Measures"
    record_kinds = ("measure",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        QVBoxLayout(self).addWidget(QLabel("This screen is being built"))
