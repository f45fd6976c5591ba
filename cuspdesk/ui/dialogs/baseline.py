"""Freeze a measure's centre line and limits on a span of months, or remove the freeze.

Done the QI way: a baseline is frozen or changed only by hand, always with a reason,
and the earlier baselines stay on record (the audit keeps who and when).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError, ValidationError
from cuspdesk.services import measures
from cuspdesk.services.measure_charts import month_label
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.widgets.fields import PickList
from cuspdesk.ui.widgets.form_errors import FieldErrors

ADVICE = (
    "Freeze the centre line and limits on a stable stretch before a change (usually 12 to "
    "20 months), so later months are judged against it. Change the baseline only when the "
    "chart shows a lasting shift after a deliberate change, and say why."
)


class BaselineDialog(QDialog):
    """Freeze, re-freeze or remove a measure's baseline; the reason is required every time."""

    def __init__(self, context: AppContext, measure_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.measure_id = measure_id
        db = context.db
        info = measures.get_measure(db, measure_id)
        self.months = [p.period for p in measures.list_points(db, measure_id)]
        self.active = measures.active_baseline(db, measure_id)
        history = [b for b in measures.list_baselines(db, measure_id) if not b.active]
        self.setWindowTitle(f"Baseline for {info.fields.name}")
        self.setAccessibleName(f"Baseline for {info.fields.name}")

        advice = QLabel(ADVICE)
        advice.setWordWrap(True)
        self.current = QLabel(self._current_text())
        self.current.setWordWrap(True)
        self.current.setAccessibleName("Current baseline")

        items = [(i, month_label(m)) for i, m in enumerate(self.months)]
        self.first = PickList("First month of the baseline", empty_label=None)
        self.first.set_items(items)
        self.last = PickList("Last month of the baseline", empty_label=None)
        self.last.set_items(items)
        if self.active is not None and self.active.first_period in self.months:
            self.first.setValue(self.months.index(self.active.first_period))
        if self.active is not None and self.active.last_period in self.months:
            self.last.setValue(self.months.index(self.active.last_period))
        elif self.months:
            self.last.setValue(min(11, len(self.months) - 1))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Why the baseline is frozen, changed or removed")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)

        banner = QLabel()
        self.errors = FieldErrors(banner)
        form = QFormLayout()
        first_label = QLabel("&First month:")
        first_label.setBuddy(self.first)
        last_label = QLabel("&Last month:")
        last_label.setBuddy(self.last)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason)
        form.addRow(
            first_label, _with_error(self.first, self.errors.add("first_period", self.first))
        )
        form.addRow(last_label, _with_error(self.last, self.errors.add("last_period", self.last)))
        form.addRow(reason_label, _with_error(self.reason, self.errors.add("reason", self.reason)))

        self.history = QListWidget()
        self.history.setAccessibleName("Earlier baselines")
        for b in reversed(history):
            self.history.addItem(
                f"{month_label(b.first_period)} to {month_label(b.last_period)}, by "
                f"{b.created_by or 'unknown'}: {b.reason}"
            )
        history_label = QLabel("Earlier baselines (kept on record):")
        history_label.setBuddy(self.history)

        buttons = QDialogButtonBox()
        self.freeze_button = buttons.addButton(
            "&Freeze on these months", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.freeze_button.setAccessibleName("Freeze the baseline on these months")
        self.remove_button = buttons.addButton(
            "Re&move baseline", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setAccessibleName("Remove the frozen baseline")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Close without changing the baseline")
        self.freeze_button.clicked.connect(self.freeze)
        self.remove_button.clicked.connect(self.remove)
        cancel.clicked.connect(self.reject)
        self.remove_button.setEnabled(self.active is not None and not context.read_only)
        self.freeze_button.setEnabled(len(self.months) >= 2 and not context.read_only)

        layout = QVBoxLayout(self)
        layout.addWidget(advice)
        layout.addWidget(self.current)
        layout.addWidget(banner)
        layout.addLayout(form)
        if history:
            layout.addWidget(history_label)
            layout.addWidget(self.history)
        else:
            history_label.hide()
            self.history.hide()
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _current_text(self) -> str:
        b = self.active
        if b is None:
            return (
                "No baseline is frozen: the centre line and limits are worked out from every month."
            )
        return (
            f"Frozen on {month_label(b.first_period)} to {month_label(b.last_period)} by "
            f"{b.created_by or 'unknown'}: {b.reason}"
        )

    def freeze(self) -> None:
        first, last = self.first.value(), self.last.value()
        if first is None or last is None:
            return
        self._save(
            lambda: measures.set_baseline(
                self.context.db,
                self.measure_id,
                self.months[first],
                self.months[last],
                self.reason.toPlainText(),
            )
        )

    def remove(self) -> None:
        self._save(
            lambda: measures.clear_baseline(
                self.context.db, self.measure_id, self.reason.toPlainText()
            )
        )

    def _save(self, action: Callable[[], object]) -> None:
        try:
            action()
        except ValidationError as error:
            self.errors.show(error)
            return
        except CuspDeskError as error:
            self.errors.show_message(str(error))
            return
        self.context.changed("measure")
        self.accept()


def _with_error(field: QWidget, error: QLabel) -> QWidget:
    """A field with its error line under it; the line takes no room until it has text."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(error)
    return box
