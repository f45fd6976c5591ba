"""The chart side of the Measures screen: the chart, what it says, and the QI controls.

Shows one measure's chart with its plain-words reading, and offers what a quality
lead does to a chart: import months from a file, freeze or change the baseline,
leave a month out of the limits. It reloads whenever measure data change, so a
month saved in the table appears on the chart at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.measure_charts import MeasureChart, chart_for_measure
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.baseline import BaselineDialog
from cuspdesk.ui.dialogs.measure_import import MeasureImportDialog
from cuspdesk.ui.dialogs.point_exclusion import PointExclusionDialog
from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget


class MeasureChartPanel(QWidget):
    """Call ``show_measure(id)`` when the screen's selection changes; the rest is automatic.

    ``chart_loaded`` carries the new ``MeasureChart`` (or None) each time it is redrawn.
    """

    chart_loaded = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        exclusion_button: bool = True,
    ) -> None:
        """``exclusion_button=False`` for a screen that has its own leave-out controls;
        clicking a month on the chart still offers to leave it out."""
        super().__init__(parent)
        self.context = context
        self.measure_id: int | None = None
        self.chart_widget = MeasureChartWidget()
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setAccessibleName("What the chart shows")
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Chart warnings")
        self.warnings.hide()

        self.import_button = QPushButton("&Import data…")
        self.import_button.setAccessibleName("Import months from a file")
        self.baseline_button = QPushButton("Free&ze baseline…")
        self.baseline_button.setAccessibleName("Freeze or change the baseline")
        self.exclude_button = QPushButton("Leave &out or put back…")
        self.exclude_button.setAccessibleName("Leave the chosen month out of the limits")
        self.exclude_button.setToolTip(
            "Choose a month on the chart (click it, or use the arrow keys) first."
        )
        self.import_button.clicked.connect(self.open_import)
        self.baseline_button.clicked.connect(self.open_baseline)
        self.exclude_button.clicked.connect(self._exclude_focused)
        self.chart_widget.point_activated.connect(self.open_exclusion)
        buttons = QHBoxLayout()
        for button in (self.import_button, self.baseline_button, self.exclude_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.exclude_button.setVisible(exclusion_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart_widget, 1)
        layout.addWidget(self.reading)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        context.data_changed.connect(self._on_data_changed)
        self._update_buttons()

    def show_measure(self, measure_id: int | None) -> None:
        self.measure_id = measure_id
        self.reload()

    def reload(self) -> None:
        """Chart the measure again from the database (quick: a few milliseconds)."""
        chart: MeasureChart | None = None
        if self.measure_id is not None:
            try:
                chart = chart_for_measure(self.context.db, self.measure_id)
            except CuspDeskError as error:
                self.chart_widget.set_chart(None)
                self.reading.setText(f"The chart could not be drawn: {error}")
                self._update_buttons()
                self.chart_loaded.emit(None)
                return
        self.chart_widget.set_chart(chart)
        self.reading.setText("\n".join(chart.interpretation) if chart is not None else "")
        shown = chart.warnings if chart is not None else ()
        self.warnings.setText("\n".join(f"⚠ {w}" for w in shown))
        self.warnings.setVisible(bool(shown))
        self._update_buttons()
        self.chart_loaded.emit(chart)

    def open_import(self) -> None:
        if self.measure_id is not None:
            MeasureImportDialog(self.context, self.measure_id, self).exec()

    def open_baseline(self) -> None:
        if self.measure_id is not None:
            BaselineDialog(self.context, self.measure_id, self).exec()

    def open_exclusion(self, index: int) -> None:
        chart = self.chart_widget.chart()
        if chart is None or self.measure_id is None or not 0 <= index < len(chart.periods):
            return
        PointExclusionDialog(self.context, self.measure_id, chart.periods[index], self).exec()

    def _exclude_focused(self) -> None:
        if self.chart_widget.focused_index is None:
            self.chart_widget.setFocus(Qt.FocusReason.OtherFocusReason)  # picks the latest month
        index = self.chart_widget.focused_index
        if index is not None:
            self.open_exclusion(index)

    def _on_data_changed(self, kind: str) -> None:
        if kind == "measure" and self.measure_id is not None:
            self.reload()

    def _update_buttons(self) -> None:
        chart = self.chart_widget.chart()
        writable = self.measure_id is not None and not self.context.read_only
        self.import_button.setEnabled(writable)
        self.baseline_button.setEnabled(writable and chart is not None and len(chart.periods) >= 2)
        self.exclude_button.setEnabled(writable and chart is not None and chart.result is not None)
