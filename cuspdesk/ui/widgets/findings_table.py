"""Findings and new actions typed into a round, a meeting or a defect review.

Every row becomes a tracking-log issue when its parent record is saved (the
services do that in one transaction). The issues already made from the record
are listed above the new rows, each one a step away from its issue form.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.models import STATUS_LABELS, IssueStatus
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.rounds import FindingSummary
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList, RatingPicker
from cuspdesk.ui.widgets.form_errors import FieldErrors
from cuspdesk.ui.widgets.repeating_rows import RepeatingRows, RowEditor
from cuspdesk.ui.widgets.text_area import TextArea

Options = Sequence[tuple[int, str]]


class FindingRow(RowEditor):
    """Description, category, location, owner, target date, likelihood and severity."""

    def __init__(self, categories: Options, people: Options) -> None:
        super().__init__()
        self.description = TextArea("Description", lines=2)
        self.category = PickList("Category")
        self.location = QLineEdit()
        self.owner = PickList("Owner")
        self.target_date = OptionalDateEdit("Target date")
        self.likelihood = RatingPicker("Likelihood")
        self.severity = RatingPicker("Severity")
        self.set_options(categories, people)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self._place(grid, 0, 0, "Description", self.description, span=3)
        self._place(grid, 2, 0, "Category", self.category)
        self._place(grid, 2, 1, "Location", self.location)
        self._place(grid, 2, 2, "Owner", self.owner)
        self._place(grid, 4, 0, "Target date", self.target_date)
        self._place(grid, 4, 1, "Likelihood", self.likelihood)
        self._place(grid, 4, 2, "Severity", self.severity)
        self.watcher.watch(*self.controls())

    def _place(
        self, grid: QGridLayout, row: int, column: int, caption: str, widget: QWidget, span: int = 1
    ) -> None:
        """Caption above its field, so three fields fit side by side in a narrow form."""
        label = QLabel(caption)
        label.setBuddy(widget)
        grid.addWidget(label, row, column, 1, span)
        grid.addWidget(widget, row + 1, column, 1, span)

    def set_options(self, categories: Options, people: Options) -> None:
        self.category.set_items(categories)
        self.owner.set_items(people)

    def set_number(self, label: str) -> None:
        for suffix, widget in self.error_targets().items():
            widget.setAccessibleName(f"{label} {_SPOKEN[suffix]}")

    def error_targets(self) -> dict[str, QWidget]:
        return {
            "description": self.description,
            "category_id": self.category,
            "location": self.location,
            "owner_id": self.owner,
            "target_date": self.target_date,
            "likelihood": self.likelihood,
            "severity": self.severity,
        }

    def value(self) -> FindingFields:
        return FindingFields(
            description=self.description.value(),
            category_id=self.category.value(),
            location=self.location.text(),
            owner_id=self.owner.value(),
            target_date=self.target_date.value(),
            likelihood=self.likelihood.value(),
            severity=self.severity.value(),
        )

    def is_blank(self) -> bool:
        return self.value().is_blank()


_SPOKEN = {
    "description": "description",
    "category_id": "category",
    "location": "location",
    "owner_id": "owner",
    "target_date": "target date",
    "likelihood": "likelihood",
    "severity": "severity",
}


class FindingsTable(QWidget):
    """Issues already made from this record, then rows for new ones.

    ``noun`` is what one row is called on this form ("Finding", "Action");
    problems named ``<field_prefix>.<n>.<field>`` appear under row n.
    """

    open_issue = Signal(int)
    changed = Signal()

    def __init__(
        self,
        noun: str = "Finding",
        *,
        field_prefix: str = "findings",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self._categories: list[tuple[int, str]] = []
        self._people: list[tuple[int, str]] = []
        self.existing_heading = QLabel(f"{noun}s already in the tracking log")
        self.existing = QTreeWidget()
        self.existing.setAccessibleName(f"{noun}s already in the tracking log")
        self.existing.setHeaderLabels(["Issue", "Status", "Description"])
        self.existing.setRootIsDecorated(False)
        self.existing.setUniformRowHeights(True)
        self.existing.setAlternatingRowColors(True)
        self.existing.itemActivated.connect(self._open_item)
        self.open_button = QPushButton("Open issue")
        self.open_button.setAccessibleName(f"Open the selected {noun.lower()}'s issue")
        self.open_button.clicked.connect(self._open_current)
        self.existing_heading.setBuddy(self.existing)
        self.new_heading = QLabel(
            f"New {noun.lower()}s — each one becomes an issue in the tracking log when you save"
        )
        self.new_heading.setWordWrap(True)
        self.rows = RepeatingRows(
            noun, self._make_row, field_prefix=field_prefix, add_label=f"Add {noun.lower()}"
        )
        self.rows.changed.connect(self.changed)
        open_row = QHBoxLayout()
        open_row.addWidget(self.existing_heading)
        open_row.addStretch(1)
        open_row.addWidget(self.open_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(open_row)
        column.addWidget(self.existing)
        column.addWidget(self.new_heading)
        column.addWidget(self.rows)
        self.set_existing(())

    def _make_row(self) -> FindingRow:
        return FindingRow(self._categories, self._people)

    # --- data ---------------------------------------------------------------------

    def set_options(self, categories: Options, people: Options) -> None:
        """Categories and people to pick from (each an (id, label) pair)."""
        self._categories = list(categories)
        self._people = list(people)
        for editor in self.rows.editors():
            assert isinstance(editor, FindingRow)
            editor.set_options(self._categories, self._people)

    def set_existing(self, summaries: Sequence[FindingSummary]) -> None:
        self.existing.clear()
        for summary in summaries:
            item = QTreeWidgetItem(
                [
                    f"#{summary.number}",
                    STATUS_LABELS[IssueStatus(summary.status)],
                    summary.description.splitlines()[0] if summary.description else "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, summary.issue_id)
            item.setToolTip(2, summary.description[:1000])
            self.existing.addTopLevelItem(item)
        has_any = bool(summaries)
        for widget in (self.existing_heading, self.existing, self.open_button):
            widget.setVisible(has_any)
        first = self.existing.topLevelItem(0)
        if first is not None:
            self.existing.setCurrentItem(first)
            self.existing.resizeColumnToContents(0)
            self.existing.resizeColumnToContents(1)
            rows = min(len(summaries), 6)
            height = self.existing.sizeHintForRow(0) * rows + self.existing.header().height()
            self.existing.setFixedHeight(height + 2 * self.existing.frameWidth() + 4)

    def existing_issue_ids(self) -> list[int]:
        items = (self.existing.topLevelItem(i) for i in range(self.existing.topLevelItemCount()))
        return [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in items if item is not None]

    def findings(self) -> list[FindingFields]:
        """Every new row in order (blank ones included, so row n is finding n)."""
        return [editor.value() for editor in self.rows.editors() if isinstance(editor, FindingRow)]

    def has_new(self) -> bool:
        return any(not f.is_blank() for f in self.findings())

    def clear_new(self) -> None:
        self.rows.clear()

    def attach_errors(self, errors: FieldErrors) -> None:
        self.rows.attach_errors(errors)

    def _open_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.open_issue.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _open_current(self) -> None:
        item = self.existing.currentItem()
        if item is not None:
            self._open_item(item)
