"""Show a ValidationError next to the fields it names, in words, without clearing anything."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from cuspdesk.errors import ValidationError

WARNING_SIGN = "⚠"


class FieldErrors:
    """Maps field names to widgets and their error labels.

    ``show(error)`` writes each problem under its field (with a warning sign, so
    it does not rely on colour) and a summary in the banner; ``clear()`` removes
    them. The input itself is never touched.
    """

    def __init__(self, banner: QLabel) -> None:
        self.banner = banner
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Problems with the form")
        self.banner.hide()
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, field: str, widget: QWidget) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setObjectName("fieldError")
        label.setStyleSheet("color: #a40000;")
        label.hide()
        self.fields[field] = (widget, label)
        return label

    def show(self, error: ValidationError, *, as_you_type: bool = False) -> None:
        """Show the problems; ``as_you_type`` keeps the focus where it is and skips the
        "Not saved" banner unless a problem has no field to sit beside."""
        self.clear()
        unplaced: list[str] = []
        first: QWidget | None = None
        for problem in error.problems:
            target = self.fields.get(problem.field or "")
            if target is None:
                unplaced.append(problem.message)
                continue
            widget, label = target
            existing = label.text()
            text = f"{WARNING_SIGN} {problem.message}"
            label.setText(f"{existing}\n{text}" if existing else text)
            label.show()
            widget.setAccessibleDescription(problem.message)
            first = first or widget
        if as_you_type:
            if unplaced:
                self.banner.setText("\n".join(f"{WARNING_SIGN} {m}" for m in unplaced))
                self.banner.show()
            return
        count = len(error.problems)
        heading = (
            "Not saved: one thing needs fixing."
            if count == 1
            else (f"Not saved: {count} things need fixing.")
        )
        self.banner.setText("\n".join([f"{WARNING_SIGN} {heading}", *unplaced]))
        self.banner.show()
        if first is not None:
            first.setFocus()

    def show_message(self, message: str) -> None:
        self.clear()
        self.banner.setText(f"{WARNING_SIGN} {message}")
        self.banner.show()

    def clear(self) -> None:
        self.banner.hide()
        self.banner.clear()
        for widget, label in self.fields.values():
            label.hide()
            label.clear()
            widget.setAccessibleDescription("")

    def messages(self) -> dict[str, str]:
        """What is shown now, per field (tests read it as a screen reader would)."""
        return {name: label.text() for name, (_w, label) in self.fields.items() if label.text()}
