"""A titled group of labelled fields, each with its problems shown right underneath it."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from cuspdesk.ui.widgets.form_errors import FieldErrors


def plain_label(text: str) -> str:
    """The words of a caption without its mnemonic ampersand or trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(": ")


class FormSection(QGroupBox):
    """Rows of caption + field; a caption's mnemonic (``&Date``) jumps to its field.

    Fields without an accessible name get their caption's words, so a screen
    reader says the same as the screen shows.
    """

    def __init__(
        self, title: str, errors: FieldErrors | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.errors = errors
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    def add(
        self, caption: str, widget: QWidget, field: str | None = None, *, hint: str = ""
    ) -> QWidget:
        """Add a captioned row; ``field`` is the name the services use in their problems."""
        if not widget.accessibleName():
            widget.setAccessibleName(plain_label(caption))
        label = QLabel(caption)
        label.setBuddy(widget)
        self.form.addRow(label, self._cell(widget, field, hint))
        return widget

    def add_wide(self, widget: QWidget, field: str | None = None, *, hint: str = "") -> QWidget:
        """Add a row that spans the whole width (check boxes, lists, tables)."""
        if isinstance(widget, QAbstractButton) and not widget.accessibleName():
            widget.setAccessibleName(plain_label(widget.text()))
        self.form.addRow(self._cell(widget, field, hint))
        return widget

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        """Show or hide a field together with its caption (fields that do not apply)."""
        cell = widget.parentWidget()
        if cell is not None:
            self.form.setRowVisible(cell, visible)

    def _cell(self, widget: QWidget, field: str | None, hint: str) -> QWidget:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setObjectName("fieldHint")
            note.setStyleSheet("color: palette(placeholder-text);")
            column.addWidget(note)
        if field is not None and self.errors is not None:
            column.addWidget(self.errors.add(field, widget))
        return cell
