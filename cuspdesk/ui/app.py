"""Start the desktop: set up Qt, open the database (with a clear message if it will not
open), welcome a first-time user, then show the main window."""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from cuspdesk import APP_NAME, APP_ORG, __version__
from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.services.units import list_units
from cuspdesk.ui.app_icon import app_icon
from cuspdesk.ui.database_open import open_for_gui
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.worker import background_work_pending, wait_for_background_work

# Set to any value, the desktop quits as soon as its first screen has loaded and says
# how long that took: the installed-app check and the start-up benchmark use it.
EXIT_WHEN_READY = "CUSPDESK_EXIT_WHEN_READY"


def configure_application(app: QApplication) -> None:
    """Names for QSettings and the window system. The system font and its size are kept."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("cuspdesk")
    app.setWindowIcon(app_icon())


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        configure_application(existing)
        return existing
    # Fractional scaling (125 %, 150 %) as the system asks, instead of rounding to 1× or 2×.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(list(argv if argv is not None else sys.argv))
    configure_application(app)
    return app


def install_error_hook(debug: bool) -> None:
    """An unexpected error becomes a message box, never a silent crash or a traceback."""

    def show(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if debug:
            traceback.print_exception(kind, error, tb, file=sys.stderr)
        text = (
            str(error)
            if isinstance(error, CuspDeskError)
            else (f"Something went wrong ({kind.__name__}: {error}).")
        )
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text)
        box.setInformativeText(
            "Everything already saved is safe. Forms you have open keep what you typed; "
            "save them, then restart if the app misbehaves."
        )
        box.setAccessibleName("Something went wrong")
        box.exec()

    sys.excepthook = show


def ensure_unit(db: Database) -> bool:
    """On an empty database, welcome the person; False if they chose not to start."""
    try:
        if list_units(db):
            return True
    except CuspDeskError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return False
    if db.read_only:
        QMessageBox.information(
            None,
            APP_NAME,
            "This database has no unit yet, and it is open read-only, so none can be added.",
        )
        return True
    # Only a first start needs the welcome (and the sample unit behind it).
    from cuspdesk.ui.dialogs.welcome import WelcomeDialog

    return WelcomeDialog(db).exec() == WelcomeDialog.DialogCode.Accepted


def _quit_when_ready(app: QApplication, window: MainWindow) -> None:
    """Quit once the window is on screen and its first screen's data has arrived."""
    poll = QTimer(window)

    def check() -> None:
        if window.isVisible() and not background_work_pending():
            poll.stop()
            print(f"{APP_NAME} ready in {_seconds_since_start() * 1000:.0f} ms", file=sys.stderr)
            app.quit()

    poll.timeout.connect(check)
    poll.start(5)


def _seconds_since_start() -> float:
    """Time since this process started (Linux: from the kernel's record, to 10 ms)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        return since_boot - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED_AT


_IMPORTED_AT = time.perf_counter()


def run_gui(db_target: str | None, *, read_only: bool = False, debug: bool = False) -> int:
    app = create_application()
    install_error_hook(debug)
    db = open_for_gui(db_target, read_only=read_only)
    if db is None:
        return 1
    try:
        if not ensure_unit(db):
            return 0
        window = MainWindow(db)
        window.show()
        if os.environ.get(EXIT_WHEN_READY):
            _quit_when_ready(app, window)
        return int(app.exec())
    finally:
        wait_for_background_work()
        db.dispose()
