"""The main window: the sidebar of screens, the unit in use, menus, status bar, safe closing."""

from __future__ import annotations

import html
import importlib
import importlib.util
import platform
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cuspdesk import APP_NAME, __version__
from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.services.issues import IssueCounts, count_issues
from cuspdesk.services.units import list_units
from cuspdesk.ui.app_icon import app_icon
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.issue_form import open_issue_form
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.screens.registry import SCREENS
from cuspdesk.ui.settings import app_settings
from cuspdesk.ui.spreadsheet_files import add_spreadsheet_actions
from cuspdesk.ui.unit_files import add_unit_file_actions
from cuspdesk.ui.widgets.record_table import FOCUS_FRAME
from cuspdesk.ui.widgets.unsaved import HoldsUnsavedWork, SaveChoice, ask_to_save
from cuspdesk.ui.worker import run_in_background

PRINT_MODULE = "cuspdesk.ui.print_preview"
LAST_SCREEN_KEY = "window/last_screen"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


def _printing_available() -> bool:
    return importlib.util.find_spec(PRINT_MODULE) is not None


class MainWindow(QMainWindow):
    """One window per open database; ``context`` is what every screen shares."""

    def __init__(
        self, db: Database, *, unit_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.context = AppContext(db)
        self.setAccessibleName(APP_NAME)
        self._counts_generation = 0
        self._building = True

        self.entries = SCREENS
        self._built: dict[int, Screen] = {}
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setObjectName("sidebar")
        # Roomy rows: an easy target for a hurried click, still nine rows in little height.
        self.sidebar.setStyleSheet(
            FOCUS_FRAME.format(widget="QListWidget") + " QListWidget::item { padding: 5px 4px; }"
        )
        self.stack = QStackedWidget()
        for number, entry in enumerate(self.entries, start=1):
            item = QListWidgetItem(entry.title)
            item.setToolTip(f"{entry.title} (Ctrl+{number})" if number <= 9 else entry.title)
            self.sidebar.addItem(item)
            self.stack.addWidget(QWidget())  # stands in until the screen is first shown
        width = max(self.sidebar.sizeHintForColumn(0) + 24, 200)
        self.sidebar.setFixedWidth(width)

        self.unit_picker = QComboBox()
        self.unit_picker.setAccessibleName("Unit")
        # A long unit name is cut in the picker (its tooltip and list show it whole),
        # so the sidebar keeps its width however many units there are.
        self.unit_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.unit_picker.setMinimumContentsLength(16)
        self.unit_caption = QLabel("&Unit:")
        self.unit_caption.setBuddy(self.unit_picker)
        side = QVBoxLayout()
        side.addWidget(self.unit_caption)
        side.addWidget(self.unit_picker)
        side.addWidget(self.sidebar, 1)
        body = QWidget()
        row = QHBoxLayout(body)
        row.addLayout(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.database_label = QLabel()
        self.database_label.setAccessibleName("Database in use")
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Issue counts")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        read_only = " (read-only)" if db.read_only else ""
        self.database_label.setText(f"Database: {db.describe()}{read_only}")
        if db.read_only:
            self.database_label.setToolTip(db.read_only_reason or "Open read-only.")

        self._build_menus()
        self.sidebar.currentRowChanged.connect(self._show_index)
        self.unit_picker.currentIndexChanged.connect(self._unit_picked)
        self.context.open_record.connect(self.open_record)
        self.context.data_changed.connect(self._data_changed)
        self.context.unit_changed.connect(lambda _unit: self._unit_changed())
        self.context.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))

        self._restore_layout()
        self._fill_units(unit_id)
        self._building = False
        self._update_title()
        self._update_actions()
        self.refresh_counts()

    # --- building --------------------------------------------------------------------

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.new_issue_action = QAction("&New issue…", self)
        self.new_issue_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_issue_action.triggered.connect(self.new_issue)
        self.new_unit_action = QAction("New &unit…", self)
        self.new_unit_action.setStatusTip("Add another unit to this database.")
        self.new_unit_action.triggered.connect(self.new_unit)
        self.print_action = QAction("&Print briefing…", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_briefing)
        if not _printing_available():
            self.print_action.setEnabled(False)
            self.print_action.setToolTip("Printing the briefing is not in this version yet.")
            self.print_action.setStatusTip("Printing the briefing is not in this version yet.")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.new_issue_action)
        file_menu.addAction(self.new_unit_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        add_spreadsheet_actions(self, file_menu)
        add_unit_file_actions(self, file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        file_menu.setToolTipsVisible(True)

        edit_menu = menu.addMenu("&Edit")
        self.find_action = QAction("&Find…", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self.current_screen().focus_search())
        edit_menu.addAction(self.find_action)

        go_menu = menu.addMenu("&Go")
        self.go_actions: list[QAction] = []
        for number, entry in enumerate(self.entries, start=1):
            action = QAction(entry.title, self)
            if number <= 9:  # Ctrl+1 to Ctrl+9; later screens are reached from the menu
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, key=entry.key: self.show_screen(key))
            go_menu.addAction(action)
            self.go_actions.append(action)

        help_menu = menu.addMenu("&Help")
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _restore_layout(self) -> None:
        settings = app_settings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self._default_size()
        state = settings.value(STATE_KEY)
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
        last = str(settings.value(LAST_SCREEN_KEY, "dashboard") or "dashboard")
        keys = [entry.key for entry in self.entries]
        self.sidebar.setCurrentRow(keys.index(last) if last in keys else 0)

    def _default_size(self) -> None:
        screen = QGuiApplication.primaryScreen()
        width, height = 1280, 800
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height())
        self.resize(width, height)

    def _save_layout(self) -> None:
        settings = app_settings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        settings.setValue(LAST_SCREEN_KEY, self.current_screen().key)
        settings.sync()

    # --- screens ---------------------------------------------------------------------

    @property
    def screens(self) -> list[Screen]:
        """Every screen, building those not shown yet (for code that visits them all)."""
        return [self._screen_at(index) for index in range(len(self.entries))]

    def built_screens(self) -> list[Screen]:
        """The screens shown at least once; the others hold nothing yet."""
        return [self._built[index] for index in sorted(self._built)]

    def _index_of(self, key: str) -> int:
        keys = [entry.key for entry in self.entries]
        if key not in keys:
            raise KeyError(key)
        return keys.index(key)

    def _screen_at(self, index: int) -> Screen:
        """The screen in sidebar row ``index``, built on first use."""
        screen = self._built.get(index)
        if screen is None:
            screen = self.entries[index].load()(self.context)
            placeholder = self.stack.widget(index)
            showing = self.stack.currentIndex() == index
            self.stack.insertWidget(index, screen)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            if showing:
                self.stack.setCurrentIndex(index)
            self._built[index] = screen
            self._connect_screen(screen)
        return screen

    def _connect_screen(self, screen: Screen) -> None:
        # Imported here: the module is loaded already, since the screen was just built.
        from cuspdesk.ui.screens.dashboard import DashboardScreen

        if isinstance(screen, DashboardScreen):
            screen.show_overdue_requested.connect(self._show_overdue)
            screen.show_screen_requested.connect(self.show_screen)
        if screen.key == "hospital":
            from cuspdesk.ui.screens.hospital import HospitalScreen

            if isinstance(screen, HospitalScreen):
                screen.show_screen_requested.connect(self.show_screen)

    def screen_by_key(self, key: str) -> Screen | None:
        try:
            return self._screen_at(self._index_of(key))
        except KeyError:
            return None

    def current_screen(self) -> Screen:
        return self._screen_at(max(0, self.sidebar.currentRow()))

    def show_screen(self, key: str) -> Screen:
        index = self._index_of(key)
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)
        return self._screen_at(index)

    def _show_index(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        screen = self._screen_at(index)
        # Refresh before showing: screens that load lazily do so in their showEvent.
        screen.refresh()
        self.stack.setCurrentIndex(index)
        if not self._building:
            app_settings().setValue(LAST_SCREEN_KEY, screen.key)

    def _show_overdue(self) -> None:
        from cuspdesk.ui.screens.tracking_log import TrackingLogScreen

        log = self.show_screen("tracking_log")
        if isinstance(log, TrackingLogScreen):
            log.show_overdue_only()

    # --- units -----------------------------------------------------------------------

    def _unit_setting(self) -> str:
        return f"units/last/{self.db.describe()}"

    def _fill_units(self, wanted: int | None = None) -> None:
        try:
            unit_list = list_units(self.db)
        except CuspDeskError as exc:
            self.statusBar().showMessage(str(exc))
            unit_list = []
        if wanted is None:
            wanted = self.context.unit_id
        if wanted is None:
            saved = app_settings().value(self._unit_setting())
            wanted = int(saved) if saved not in (None, "") else None
        ids = [u.id for u in unit_list]
        if wanted not in ids:
            wanted = ids[0] if ids else None
        self.unit_picker.blockSignals(True)
        self.unit_picker.clear()
        for unit in unit_list:
            label = f"{unit.name} — {unit.hospital}" if unit.hospital else unit.name
            self.unit_picker.addItem(label, unit.id)
            self.unit_picker.setItemData(
                self.unit_picker.count() - 1, label, Qt.ItemDataRole.ToolTipRole
            )
        if wanted is not None:
            self.unit_picker.setCurrentIndex(ids.index(wanted))
        self.unit_picker.blockSignals(False)
        several = len(unit_list) > 1
        self.unit_picker.setVisible(several)
        self.unit_caption.setVisible(several)
        self.unit_names = {u.id: u.name for u in unit_list}
        self.context.set_unit(wanted)

    def _unit_picked(self, index: int) -> None:
        unit_id = self.unit_picker.itemData(index)
        if unit_id is not None:
            self.context.set_unit(int(unit_id))

    def _unit_changed(self) -> None:
        if self.context.unit_id is not None:
            app_settings().setValue(self._unit_setting(), self.context.unit_id)
            # A screen may choose the unit (the hospital view opens a record in its unit).
            index = self.unit_picker.findData(self.context.unit_id)
            if index >= 0 and index != self.unit_picker.currentIndex():
                self.unit_picker.blockSignals(True)
                self.unit_picker.setCurrentIndex(index)
                self.unit_picker.blockSignals(False)
        self._update_title()
        self._update_actions()
        self.refresh_counts()

    def _update_title(self) -> None:
        names = getattr(self, "unit_names", {})
        unit = names.get(self.context.unit_id, "")
        parts = [APP_NAME]
        if unit:
            parts.append(unit)
        title = " — ".join(parts)
        if self.db.read_only:
            title += " (read-only)"
        self.setWindowTitle(title)

    def _update_actions(self) -> None:
        can_write = not self.db.read_only and self.context.unit_id is not None
        self.new_issue_action.setEnabled(can_write)
        self.new_unit_action.setEnabled(not self.db.read_only)
        if self.db.read_only:
            self.new_issue_action.setToolTip("The database is open read-only.")
        if _printing_available():
            self.print_action.setEnabled(self.context.unit_id is not None)

    def _data_changed(self, kind: str) -> None:
        if kind == "issue":
            self.refresh_counts()
        elif kind in ("unit", "team"):
            self._fill_units()

    # --- status bar ------------------------------------------------------------------

    def refresh_counts(self) -> None:
        unit_id = self.context.unit_id
        if unit_id is None:
            self.counts_label.setText("No unit yet")
            return
        self._counts_generation += 1
        generation = self._counts_generation
        db = self.db
        run_in_background(
            lambda: count_issues(db, unit_id),
            on_done=lambda counts: self._show_counts(generation, counts),
            on_error=lambda _error: None,
        )

    def _show_counts(self, generation: int, counts: IssueCounts) -> None:
        if generation != self._counts_generation:
            return
        overdue = f"⚠ {counts.overdue} overdue" if counts.overdue else "0 overdue"
        self.counts_label.setText(f"{counts.open} open · {overdue}")
        self.counts_label.setAccessibleDescription(
            f"{counts.open} open issues, {counts.overdue} overdue"
        )

    # --- actions ---------------------------------------------------------------------

    def open_record(self, kind: str, record_id: int) -> None:
        """Show a record: issues in their form, everything else on its screen."""
        if kind == "issue":
            open_issue_form(self.context, record_id, parent=self)
            return
        for entry in self.entries:
            if kind in entry.record_kinds:
                self.show_screen(entry.key).open_record(record_id)
                return
        self.statusBar().showMessage(f"There is no screen for “{kind}” records.", 8000)

    def new_issue(self) -> None:
        if self.db.read_only or self.context.unit_id is None:
            return
        open_issue_form(self.context, None, unit_id=self.context.unit_id, parent=self)

    def new_unit(self) -> None:
        """Add a unit with the first-start form; the picker then shows it."""
        from cuspdesk.ui.dialogs.welcome import WelcomeDialog

        if self.db.read_only:
            return
        dialog = WelcomeDialog(self.db, self, another_unit=True)
        if dialog.exec() == WelcomeDialog.DialogCode.Accepted and dialog.created_unit_id:
            self._fill_units(dialog.created_unit_id)
            self.context.changed("unit")

    def print_briefing(self) -> None:
        if not _printing_available() or self.context.unit_id is None:
            return
        module: Any = importlib.import_module(PRINT_MODULE)
        module.print_document(self, self.context, "briefing")

    def show_about(self) -> None:
        where = self.db.describe() + (" (open read-only)" if self.db.read_only else "")
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setAccessibleName(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setText(
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>The unit-based patient-safety (CUSP) team's desktop.</p>"
            f"<p><b>Database:</b> {html.escape(where)}</p>"
            f"<p>Python {platform.python_version()} · Qt for Python {pyside_version}</p>"
        )
        ok = box.addButton(QMessageBox.StandardButton.Ok)
        ok.setAccessibleName("OK")
        box.exec()

    # --- closing ---------------------------------------------------------------------

    def unsaved_work(self) -> list[tuple[str, HoldsUnsavedWork]]:
        """Every screen and open window that holds input not yet saved."""
        pending: list[tuple[str, HoldsUnsavedWork]] = []
        for screen in self.built_screens():
            if screen.has_unsaved_changes():
                pending.append((f"the {screen.title} screen", screen))
        for widget in QApplication.topLevelWidgets():
            if (
                widget is not self
                and widget.isVisible()
                and isinstance(widget, HoldsUnsavedWork)
                and widget.has_unsaved_changes()
            ):
                pending.append((widget.windowTitle() or "an open form", widget))
        return pending

    def confirm_close(self) -> bool:
        pending = self.unsaved_work()
        if not pending:
            return True
        choice = ask_to_save(self, [name for name, _holder in pending])
        if choice is SaveChoice.CANCEL:
            return False
        if choice is SaveChoice.SAVE:
            for _name, holder in pending:
                if not holder.save_changes():
                    self._bring_forward(holder)
                    return False
            return True
        for _name, holder in pending:
            discard = getattr(holder, "discard_changes", None)
            if callable(discard):
                discard()
        return True

    def _bring_forward(self, holder: HoldsUnsavedWork) -> None:
        if isinstance(holder, Screen):
            self.show_screen(holder.key)
        elif isinstance(holder, QWidget):
            holder.raise_()
            holder.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_close():
            event.ignore()
            return
        self._save_layout()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and widget.parent() is self:
                widget.close()
        event.accept()
