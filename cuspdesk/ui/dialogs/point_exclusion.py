"""Leave one month out of a measure's centre line and limits, with a reason, or put it back.

A month is left out when something outside the process explains it (a data error,
a ward closure, an outbreak), never because it is inconvenient; the reason is kept
and shown wherever the chart is.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError, ValidationError
from cuspdesk.services import measures
from cuspdesk.services.measure_charts import format_number, month_label
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.widgets.form_errors import FieldErrors


class PointExclusionDialog(QDialog):
    """For one month: leave it out (reason required) or, if it is out, put it back."""

    def __init__(
        self, context: AppContext, measure_id: int, period: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.measure_id = measure_id
        self.period = period
        point = next(
            (p for p in measures.list_points(context.db, measure_id) if p.period == period), None
        )
        self.excluded = point is not None and point.excluded
        month = month_label(period)
        self.setWindowTitle(f"{month}: in or out of the limits")
        self.setAccessibleName(f"{month}: in or out of the limits")
        value = "no data" if point is None or point.value is None else format_number(point.value)
        if self.excluded and point is not None:
            text = (
                f"{month} ({value}) is left out of the centre line and limits: "
                f"{point.exclude_reason or 'no reason was recorded'}."
            )
        else:
            text = (
                f"{month} ({value}) counts towards the centre line and limits. Leave it out "
                f"only when something outside the process explains it (a data error, a ward "
                f"closure, an outbreak); it stays on the chart, drawn hollow."
            )
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        explanation.setAccessibleName("About this month")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Why this month is left out")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason)
        banner = QLabel()
        self.errors = FieldErrors(banner)
        reason_error = self.errors.add("exclude_reason", self.reason)

        buttons = QDialogButtonBox()
        label = "&Put it back" if self.excluded else "&Leave it out"
        self.apply_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName(
            "Put the month back into the limits" if self.excluded else "Leave the month out"
        )
        self.apply_button.setEnabled(point is not None and not context.read_only)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Close without changing the month")
        self.apply_button.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(banner)
        if not self.excluded:
            layout.addWidget(reason_label)
            layout.addWidget(self.reason)
            layout.addWidget(reason_error)
        else:
            reason_label.hide()
            self.reason.hide()
        layout.addWidget(buttons)
        self.resize(480, 260)

    def apply(self) -> None:
        try:
            measures.exclude_point(
                self.context.db,
                self.measure_id,
                self.period,
                excluded=not self.excluded,
                reason="" if self.excluded else self.reason.toPlainText(),
            )
        except ValidationError as error:
            self.errors.show(error)
            return
        except CuspDeskError as error:
            self.errors.show_message(str(error))
            return
        self.context.changed("measure")
        self.accept()
