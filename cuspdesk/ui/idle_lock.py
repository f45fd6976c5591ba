"""Lock the window after a spell without keyboard or mouse input, as a shared ward PC needs.

When the idle time (a per-database setting, 15 minutes unless changed) passes,
every form's typed input is kept as a draft and a cover hides the window until
the role's passphrase is typed (or, for a role without one, until someone
presses Unlock). Every open window, dialogs included, is covered; nothing is
closed, so nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services import access
from cuspdesk.services.access import Role
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.role_chooser import choose_role
from cuspdesk.ui.drafts import save_all_drafts
from cuspdesk.ui.widgets.form_errors import WARNING_SIGN

# Input that counts as someone being at the computer.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
# Input that must not reach the window behind the cover.
_BLOCKED = _ACTIVITY | {
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Shortcut,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu,
}


class LockDialog(QDialog):
    """Asks for the passphrase above every window; Escape and the close button do nothing."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("CUSPDesk is locked")
        self.setAccessibleName("CUSPDesk is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.title = QLabel("CUSPDesk is locked")
        self.title.setAccessibleName("Locked")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase to unlock")
        self.caption = QLabel("&Passphrase")
        self.caption.setBuddy(self.passphrase)
        self.problem = QLabel()
        self.problem.setAccessibleName("Unlock problem")
        self.problem.hide()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton("&Switch role…")
        self.switch_button.setAccessibleName("Switch role")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.caption)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def reject(self) -> None:
        """Escape or the window's close button: stay locked."""

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class _Cover(QWidget):
    """An opaque sheet over one window, so nothing on it can be read while locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
        self.setPalette(palette)
        self.setAccessibleName("Locked window")
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()


class IdleLock(QObject):
    """Watches the application's input; locks every window after ``minutes`` of none.

    ``minutes`` defaults to the database's setting (0 means never). ``timeout_ms``
    overrides it, for tests.
    """

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        context: AppContext,
        *,
        minutes: int | None = None,
        timeout_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.main_window = window
        self.context = context
        self.dialog = LockDialog(window)
        self.dialog.unlock_button.clicked.connect(self._try_unlock)
        self.dialog.switch_button.clicked.connect(self._switch_role)
        self.covers: dict[QWidget, _Cover] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        if timeout_ms is None:
            chosen = access.idle_lock_minutes(context.db) if minutes is None else minutes
            timeout_ms = chosen * 60_000
        self.set_timeout_ms(timeout_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.dialog.isVisible()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """Change the idle time (0: never lock); counts from now."""
        self._timeout_ms = max(0, timeout_ms)
        self._timer.stop()
        if self._timeout_ms:
            self._timer.start(self._timeout_ms)

    def lock(self) -> None:
        """Keep every draft, cover every window, and ask for the passphrase."""
        if self.locked:
            return
        self._timer.stop()
        save_all_drafts()
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top is not self.dialog and top not in self.covers:
                self.covers[top] = _Cover(top)
        role = _role(self.context)
        needs = access.has_passphrase(self.context.db, role)
        self.dialog.detail.setText(
            f"Working as {role.label.lower()}. Nothing you typed is lost. "
            + (
                "Type the passphrase to carry on."
                if needs
                else "Press Unlock to carry on (this role has no passphrase)."
            )
        )
        self.dialog.caption.setVisible(needs)
        self.dialog.passphrase.setVisible(needs)
        self.dialog.passphrase.clear()
        self.dialog.problem.hide()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        (self.dialog.passphrase if needs else self.dialog.unlock_button).setFocus()
        self.locked_changed.emit(True)

    def unlock(self, passphrase: str = "") -> bool:
        """Uncover everything if ``passphrase`` opens the current role."""
        role = _role(self.context)
        try:
            ok = access.verify_passphrase(self.context.db, role, passphrase)
        except CuspDeskError:
            ok = False
        if not ok:
            self.dialog.problem.setText(f"{WARNING_SIGN} That passphrase is not right; try again.")
            self.dialog.problem.show()
            self.dialog.passphrase.selectAll()
            return False
        self._uncover()
        return True

    def _uncover(self) -> None:
        self.dialog.hide()
        self.dialog.passphrase.clear()
        for cover in self.covers.values():
            cover.deleteLater()
        self.covers.clear()
        if self._timeout_ms:
            self._timer.start(self._timeout_ms)
        self.locked_changed.emit(False)

    def _try_unlock(self) -> None:
        self.unlock(self.dialog.passphrase.text())

    def _switch_role(self) -> None:
        if choose_role(self.dialog, self.context.db) is not None:
            self._uncover()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and isinstance(watched, QWidget) and watched in self.covers:
            self.covers[watched].setGeometry(watched.rect())
        if kind not in _BLOCKED:
            return False
        if self.locked:
            return self._behind_a_cover(watched)
        if kind in _ACTIVITY and self._timeout_ms:
            self._timer.start(self._timeout_ms)
        return False

    def _behind_a_cover(self, watched: QObject) -> bool:
        """Input for a covered window, or a shortcut that is not the lock dialog's own."""
        widget = watched if isinstance(watched, QWidget) else watched.parent()
        if not isinstance(widget, QWidget):
            return True  # an application-wide shortcut: not while locked
        return widget.window() in self.covers


def _role(context: AppContext) -> Role:
    try:
        return Role(context.db.actor.role)
    except ValueError:
        return Role.VIEWER
