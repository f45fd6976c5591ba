"""Learning from Defects: the four-part review form and who the learning was shared with.

(1) what happened; (2) why — contributing factors by group, each marked as having
made things worse or helped; (3) what we did — actions that become tracking-log
issues; (4) how we know the risk is reduced.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from cuspdesk.models import FACTOR_GROUP_LABELS, FactorGroup
from cuspdesk.services import defects, units
from cuspdesk.services.defects import DefectFields, DefectRow, FactorFields, ShareFields
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column
from cuspdesk.ui.screens.list_form import ListFormScreen
from cuspdesk.ui.screens.options import choice_options, team_options
from cuspdesk.ui.widgets.fields import OptionalDateEdit
from cuspdesk.ui.widgets.findings_table import FindingsTable
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.repeating_rows import RepeatingRows, RowEditor
from cuspdesk.ui.widgets.text_area import TextArea

COLUMNS: list[Column[DefectRow]] = [
    Column("Reviewed", lambda r: r.review_date),
    Column("Title", lambda r: r.title, stretch=True, tooltip=lambda r: r.title),
    Column("Harm", lambda r: r.harm_reached_patient, header_tip="Harm reached the patient"),
    Column(
        "Open",
        lambda r: f"{r.open_action_count} of {r.action_count}",
        sort_key=lambda r: r.open_action_count,
        header_tip="Actions still open, of all the review's actions",
    ),
    Column("Shared", lambda r: r.shared, header_tip="Learning shared with someone"),
]

NEGATIVE = "Contributed to the defect (negative)"
POSITIVE = "Helped or reduced harm (positive)"


def _caption(grid: QGridLayout, row: int, column: int, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    grid.addWidget(label, row, column)


class FactorRow(RowEditor):
    """One contributing factor: what it was, and whether it made things worse or helped."""

    def __init__(self) -> None:
        super().__init__()
        self.description = QLineEdit()
        self.effect = QComboBox()
        self.effect.addItems([NEGATIVE, POSITIVE])
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        _caption(grid, 0, 0, "Factor", self.description)
        grid.addWidget(self.description, 0, 1)
        _caption(grid, 1, 0, "Effect", self.effect)
        grid.addWidget(self.effect, 1, 1)
        self.watcher.watch(self.description, self.effect)

    def set_number(self, label: str) -> None:
        self.description.setAccessibleName(f"{label} description")
        self.effect.setAccessibleName(f"{label} effect")

    def error_targets(self) -> dict[str, QWidget]:
        return {"": self.description}

    def controls(self) -> list[QWidget]:
        return [self.description, self.effect]

    def value(self, group: str) -> FactorFields:
        return FactorFields(group, self.description.text(), self.effect.currentIndex() == 1)

    def set_value(self, factor: FactorFields) -> None:
        self.description.setText(factor.description)
        self.effect.setCurrentIndex(1 if factor.positive else 0)

    def is_blank(self) -> bool:
        return not self.description.text().strip()


class ShareRow(RowEditor):
    """Who learned from the review, when, and how (huddle, newsletter, grand rounds...)."""

    def __init__(self) -> None:
        super().__init__()
        self.audience = QLineEdit()
        self.audience.setPlaceholderText("e.g. night shift nurses")
        self.shared_on = OptionalDateEdit("When")
        self.method = QLineEdit()
        self.method.setPlaceholderText("e.g. safety huddle, unit newsletter")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, (text, widget) in enumerate(
            (("With whom", self.audience), ("When", self.shared_on), ("How", self.method))
        ):
            _caption(grid, row, 0, text, widget)
            grid.addWidget(widget, row, 1)
        self.watcher.watch(self.audience, self.shared_on, self.method)

    def set_number(self, label: str) -> None:
        self.audience.setAccessibleName(f"{label} with whom")
        self.shared_on.setAccessibleName(f"{label} when")
        self.method.setAccessibleName(f"{label} how")

    def error_targets(self) -> dict[str, QWidget]:
        return {"": self.audience}

    def controls(self) -> list[QWidget]:
        return [self.audience, self.shared_on, self.method]

    def value(self) -> ShareFields:
        return ShareFields(self.audience.text(), self.shared_on.value(), self.method.text())

    def set_value(self, share: ShareFields) -> None:
        self.audience.setText(share.audience)
        self.shared_on.setValue(share.shared_on)
        self.method.setText(share.method)

    def is_blank(self) -> bool:
        share = self.value()
        return not (share.audience.strip() or share.method.strip() or share.shared_on)


class DefectsScreen(ListFormScreen):
    key = "defects"
    title = "Learning from defects"
    record_kinds = ("defect",)
    related_kinds = ("unit", "team", "issue")
    noun = "review"
    plural = "reviews"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, COLUMNS, lambda r: r.id, parent)
        self._saved_actions = False
        errors = self.errors

        happened = FormSection("1. What happened?", errors)
        self.review_title = QLineEdit()
        self.review_title.setPlaceholderText("A short name for the defect")
        self.event_date = OptionalDateEdit("Date of the event")
        self.review_date = OptionalDateEdit("Review date", optional=False)
        self.led_by = QLineEdit()
        self.harm = QCheckBox("Harm reached the patient")
        self.what_happened = TextArea("What happened", lines=5)
        happened.add("&Title:", self.review_title, "title")
        happened.add("Date of the e&vent:", self.event_date, "event_date")
        happened.add("&Review date:", self.review_date, "review_date")
        happened.add("Review &led by:", self.led_by, "led_by")
        happened.add_wide(self.harm, "harm_reached_patient")
        happened.add("What ha&ppened:", self.what_happened, "what_happened")

        why = FormSection("2. Why did it happen?", errors)
        intro = QLabel(
            "For each group, list what contributed to the defect (negative) and what "
            "helped or reduced harm (positive)."
        )
        intro.setWordWrap(True)
        why.add_wide(intro)
        self.factor_groups: dict[str, RepeatingRows] = {}
        for group in FactorGroup:
            label = FACTOR_GROUP_LABELS[group]
            rows = RepeatingRows(f"{label} factor", FactorRow, field_prefix="factors")
            rows.rows_changed.connect(self._number_factor_problems)
            box = FormSection(f"{label} factors")
            box.add_wide(rows)
            why.add_wide(box)
            self.factor_groups[group.value] = rows
        self._number_factor_problems()

        did = FormSection("3. What did we do to reduce the risk?", errors)
        did.add_wide(QLabel("Each action becomes an issue in the tracking log, with its owner."))
        self.new_actions = FindingsTable("Action", field_prefix="findings")
        self.new_actions.attach_errors(errors)
        self.new_actions.open_issue.connect(lambda issue: context.open_record.emit("issue", issue))
        did.add_wide(self.new_actions)

        know = FormSection("4. How do we know the risk is reduced?", errors)
        self.how_reduced = TextArea("How we know the risk is reduced", lines=4)
        know.add_wide(self.how_reduced, "how_risk_reduced")

        shared = FormSection("Learning shared with", errors)
        self.shares = RepeatingRows("Share", ShareRow, field_prefix="shares")
        self.shares.attach_errors(errors)
        shared.add_wide(self.shares)

        for section in (happened, why, did, know, shared):
            self.form_layout.addWidget(section)
        self.form_layout.addStretch(1)
        self.watcher.watch(
            self.review_title,
            self.event_date,
            self.review_date,
            self.led_by,
            self.harm,
            self.what_happened,
            *self.factor_groups.values(),
            self.new_actions,
            self.how_reduced,
            self.shares,
        )

    def _number_factor_problems(self) -> None:
        """Factors are numbered across all groups, in the order the service receives them."""
        number = 1
        for rows in getattr(self, "factor_groups", {}).values():
            rows.attach_errors(self.errors, number_from=number)
            number += len(rows.editors())

    # --- ListFormScreen ---------------------------------------------------------------

    def fetch_rows(self, unit_id: int, text: str) -> Sequence[DefectRow]:
        return defects.list_reviews(self.context.db, unit_id, text=text)

    def reload_options(self, unit_id: int) -> None:
        db = self.context.db
        self.new_actions.set_options(
            choice_options(db, units.CATEGORY_LIST, unit_id), team_options(db, unit_id)
        )

    def first_field(self) -> QWidget | None:
        return self.review_title

    def heading_for(self, record_id: int | None) -> str:
        if record_id is None:
            return "New learning from defects review"
        row = self.browser.row_for(record_id)
        if row is None:
            return "Learning from defects review"
        return f"{row.title} (reviewed {row.review_date.isoformat()})"

    def fill_new(self, unit_id: int) -> None:
        self.review_title.clear()
        self.event_date.setValue(None)
        self.review_date.setValue(None)
        self.led_by.clear()
        self.harm.setChecked(False)
        self.what_happened.clear()
        for rows in self.factor_groups.values():
            rows.clear()
        self.new_actions.set_existing(())
        self.new_actions.clear_new()
        self.new_actions.rows.add_row()
        self.how_reduced.clear()
        self.shares.clear()

    def fill_record(self, record_id: int) -> None:
        detail = defects.get_review(self.context.db, record_id)
        fields = detail.fields
        self.current_version = detail.version
        self.review_title.setText(fields.title)
        self.event_date.setValue(fields.event_date)
        self.review_date.setValue(fields.review_date)
        self.led_by.setText(fields.led_by)
        self.harm.setChecked(fields.harm_reached_patient)
        self.what_happened.setValue(fields.what_happened)
        for group, rows in self.factor_groups.items():
            rows.clear()
            for factor in detail.factors_in(group):
                editor = rows.add_row()
                assert isinstance(editor, FactorRow)
                editor.set_value(factor)
        self.new_actions.set_existing(detail.actions)
        self.new_actions.clear_new()
        self.how_reduced.setValue(fields.how_risk_reduced)
        self.shares.clear()
        for share in fields.shares:
            share_row = self.shares.add_row()
            assert isinstance(share_row, ShareRow)
            share_row.set_value(share)

    def save_record(self, unit_id: int) -> int:
        review_date = self.review_date.value()
        assert review_date is not None  # this date box cannot be empty
        fields = DefectFields(
            review_date=review_date,
            title=self.review_title.text(),
            event_date=self.event_date.value(),
            what_happened=self.what_happened.value(),
            how_risk_reduced=self.how_reduced.value(),
            harm_reached_patient=self.harm.isChecked(),
            led_by=self.led_by.text(),
            factors=[
                editor.value(group)
                for group, rows in self.factor_groups.items()
                for editor in rows.editors()
                if isinstance(editor, FactorRow)
            ],
            shares=[e.value() for e in self.shares.editors() if isinstance(e, ShareRow)],
        )
        actions = self.new_actions.findings()
        self._saved_actions = self.new_actions.has_new()
        db = self.context.db
        if self.current_id is None:
            detail = defects.create_review(db, unit_id, fields, actions)
        else:
            assert self.current_version is not None
            detail = defects.update_review(
                db,
                self.current_id,
                fields,
                expected_version=self.current_version,
                new_actions=actions,
            )
        return detail.id

    def changed_kinds(self) -> tuple[str, ...]:
        return ("defect", "issue") if self._saved_actions else ("defect",)
