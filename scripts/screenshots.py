"""Take a picture of every screen of the desktop on the sample unit, at 1280×800.

Run under a real X server or Xvfb to see what a person sees, for example:
``xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py shots/``.
Each screen is saved as ``NN-<screen>.png`` once its data has loaded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from cuspdesk.db import open_database
from cuspdesk.services.demo import create_demo_unit
from cuspdesk.ui.app import configure_application, create_application
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.worker import background_work_pending


def settle(app: QApplication, ms: int = 150) -> None:
    """Process events until background loads are done, then a moment more for painting."""
    for _ in range(400):
        app.processEvents()
        if not background_work_pending():
            break
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where to save the pictures")
    parser.add_argument("--db", help="database to show (default: a fresh sample unit)")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1])
    configure_application(app)
    with tempfile.TemporaryDirectory(prefix="cuspdesk-shots-") as work:
        if args.db:
            db = open_database(args.db)
        else:
            db = open_database(Path(work) / "sample.sqlite3")
            create_demo_unit(db, today=date.today())
        window = MainWindow(db)
        window.resize(1280, 800)
        window.show()
        settle(app)
        for number, screen in enumerate(window.screens, start=1):
            window.show_screen(screen.key)
            settle(app)
            path = args.folder / f"{number:02d}-{screen.key}.png"
            window.grab().save(str(path))
            print(path)
        window.close()
        settle(app, 10)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
