"""A list of small repeated forms (agenda items, findings, factors, goals) with add/remove/move.

Each row is a ``RowEditor``; ``RepeatingRows`` numbers them, gives every control
a spoken name that includes the number ("Agenda item 2 title"), keeps Tab order
top to bottom, and places the services' per-row problems ("agenda.2") under the
row they belong to.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.ui.widgets.change_watcher import ChangeWatcher
from cuspdesk.ui.widgets.form_errors import FieldErrors


class RowEditor(QWidget):
    """The fields of one row. Subclasses build them and say how to name and check them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self.changed)

    def set_number(self, label: str) -> None:
        """Give each control a spoken name that starts with ``label`` ("Finding 2")."""
        raise NotImplementedError

    def error_targets(self) -> dict[str, QWidget]:
        """Field suffix → widget; "" is the row as a whole ("agenda.2")."""
        raise NotImplementedError

    def is_blank(self) -> bool:
        raise NotImplementedError

    def controls(self) -> list[QWidget]:
        """The row's controls in Tab order (by default, its error targets)."""
        return list(dict.fromkeys(self.error_targets().values()))

    def focus_first(self) -> None:
        controls = self.controls()
        if controls:
            controls[0].setFocus()


class _RowFrame(QFrame):
    """One numbered row: heading, move and remove buttons, the editor, its problems."""

    def __init__(self, editor: RowEditor, movable: bool) -> None:
        super().__init__()
        self.editor = editor
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Parented at once: showing a parentless button would open it as a window.
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.up = QPushButton("Move up", self)
        self.down = QPushButton("Move down", self)
        self.remove = QPushButton("Remove", self)
        self.up.setVisible(movable)
        self.down.setVisible(movable)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.up)
        top.addWidget(self.down)
        top.addWidget(self.remove)
        self.problems = QVBoxLayout()
        self.problems.setSpacing(0)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.addLayout(top)
        column.addWidget(editor)
        column.addLayout(self.problems)


class RepeatingRows(QWidget):
    """Rows made by ``make_row``; ``noun`` names one row ("Agenda item") for people."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(
        self,
        noun: str,
        make_row: Callable[[], RowEditor],
        *,
        field_prefix: str,
        movable: bool = False,
        add_label: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.make_row = make_row
        self.field_prefix = field_prefix
        self.movable = movable
        self._frames: list[_RowFrame] = []
        self._errors: FieldErrors | None = None
        self._registered: list[str] = []
        self._number_from = 1
        self.setAccessibleName(f"{noun}s")
        self.list_layout = QVBoxLayout()
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_note = QLabel(f"No {noun.lower()}s yet.")
        self.empty_note.setStyleSheet("color: palette(placeholder-text);")
        self.add_button = QPushButton(add_label or f"Add {noun.lower()}")
        self.add_button.setAccessibleName(add_label or f"Add {noun.lower()}")
        self.add_button.clicked.connect(self._add_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.empty_note)
        column.addLayout(self.list_layout)
        column.addLayout(bottom)

    # --- rows -------------------------------------------------------------------------

    def editors(self) -> list[RowEditor]:
        return [frame.editor for frame in self._frames]

    def add_row(self) -> RowEditor:
        editor = self.make_row()
        frame = _RowFrame(editor, self.movable)
        frame.remove.clicked.connect(lambda: self._remove(frame))
        frame.up.clicked.connect(lambda: self._move(frame, -1))
        frame.down.clicked.connect(lambda: self._move(frame, 1))
        editor.changed.connect(self.changed)
        self._frames.append(frame)
        self.list_layout.addWidget(frame)
        self._renumber()
        return editor

    def clear(self) -> None:
        self._forget_errors()
        for frame in self._frames:
            self.list_layout.removeWidget(frame)
            frame.setParent(None)
            frame.deleteLater()
        self._frames = []
        self._renumber()

    def drop_blank_rows(self) -> None:
        """Remove rows nothing was typed into, so row n is the n-th thing saved."""
        blank = [frame for frame in self._frames if frame.editor.is_blank()]
        if not blank:
            return
        self._forget_errors()
        for frame in blank:
            self._frames.remove(frame)
            self.list_layout.removeWidget(frame)
            frame.setParent(None)
            frame.deleteLater()
        self._renumber()

    def _add_clicked(self) -> None:
        editor = self.add_row()
        self.changed.emit()
        editor.focus_first()

    def _remove(self, frame: _RowFrame) -> None:
        index = self._frames.index(frame)
        self._forget_errors()
        self._frames.pop(index)
        self.list_layout.removeWidget(frame)
        frame.setParent(None)
        frame.deleteLater()
        self._renumber()
        self.changed.emit()
        if self._frames:
            self._frames[min(index, len(self._frames) - 1)].editor.focus_first()
        else:
            self.add_button.setFocus()

    def _move(self, frame: _RowFrame, offset: int) -> None:
        index = self._frames.index(frame)
        target = index + offset
        if not 0 <= target < len(self._frames):
            return
        self._forget_errors()
        self._frames.insert(target, self._frames.pop(index))
        self.list_layout.removeWidget(frame)
        self.list_layout.insertWidget(target, frame)
        self._renumber()
        self.changed.emit()
        # Keep the focus on the moved row: on the same button while it can move further.
        for button in (frame.up if offset < 0 else frame.down, frame.down, frame.up):
            if button.isEnabled():
                button.setFocus()
                return
        frame.editor.focus_first()

    def _renumber(self) -> None:
        chain: list[QWidget] = []
        for number, frame in enumerate(self._frames, start=1):
            label = f"{self.noun} {number}"
            frame.heading.setText(label)
            frame.editor.set_number(label)
            frame.up.setAccessibleName(f"Move {label.lower()} up")
            frame.down.setAccessibleName(f"Move {label.lower()} down")
            frame.remove.setAccessibleName(f"Remove {label.lower()}")
            frame.up.setEnabled(number > 1)
            frame.down.setEnabled(number < len(self._frames))
            chain += [frame.up, frame.down, frame.remove, *frame.editor.controls()]
        # Tab goes through the rows in the order they are shown, after a move too.
        chain.append(self.add_button)
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.empty_note.setVisible(not self._frames)
        self._register_errors()
        self.rows_changed.emit()

    # --- problems ---------------------------------------------------------------------

    def attach_errors(self, errors: FieldErrors, *, number_from: int = 1) -> None:
        """Show problems named ``<prefix>.<n>[.<field>]`` under row n (counting from
        ``number_from``, for lists split over several boxes)."""
        self._forget_errors()
        self._errors = errors
        self._number_from = number_from
        self._register_errors()

    def _forget_errors(self) -> None:
        if self._errors is not None:
            for key in self._registered:
                self._errors.forget(key)
        self._registered = []

    def _register_errors(self) -> None:
        if self._errors is None:
            return
        self._forget_errors()
        for offset, frame in enumerate(self._frames):
            number = self._number_from + offset
            for suffix, widget in frame.editor.error_targets().items():
                key = f"{self.field_prefix}.{number}" + (f".{suffix}" if suffix else "")
                frame.problems.addWidget(self._errors.add(key, widget))
                self._registered.append(key)
