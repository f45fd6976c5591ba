"""The tracking log at 100,000 issues: open, filter, search, sort and scroll, each beside
the single raw SQL query that answers the same question.

Three figures per interaction: the raw query through Python's ``sqlite3`` (the floor),
the service call (``list_issues``: the query plus turning rows into plain data), and
the screen (from the person's action until the rows are in the table, with the
work done on the worker thread and handed back to the UI thread). Run from the
repository root: ``python -m bench.bench_gui [--runs N]``; writes
``bench/results/gui.json``. Qt runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import Row, own_peak_rss_mb, print_table, timed, write_results
from bench.fixtures import BIG_LOG, big_log_database
from cuspdesk.db import Database, open_database
from cuspdesk.services import dashboard, issues

PAGE = 500
# The columns a tracking-log row shows, as the raw reference query reads them.
ROW_COLUMNS = (
    "i.id, i.number, i.date_identified, i.description, i.status, i.target_date, "
    "i.priority_rank, i.likelihood, i.severity, i.source, i.location, i.owner_id, i.category_id"
)
BASE = f"SELECT {ROW_COLUMNS} FROM safety_issue i WHERE i.unit_id = ? AND i.archived_at IS NULL"
COUNT = "SELECT count(*) FROM safety_issue i WHERE i.unit_id = ? AND i.archived_at IS NULL"


def _search(word: str) -> str:
    return f" AND i.id IN (SELECT rowid FROM issue_search WHERE body LIKE '%{word}%')"


# "heparin" is in one finding in sixty; "night" in many (a worst case, not a usual one).
RARE, COMMON = "heparin", "night"
RAW_QUERIES: dict[str, tuple[str, str]] = {
    "open (first 500 by number)": (f"{BASE} ORDER BY i.number LIMIT {PAGE}", COUNT),
    "filter: status open": (
        f"{BASE} AND i.status = 'open' ORDER BY i.number LIMIT {PAGE}",
        f"{COUNT} AND i.status = 'open'",
    ),
    f"search '{RARE}'": (
        f"{BASE}{_search(RARE)} ORDER BY i.number LIMIT {PAGE}",
        f"{COUNT}{_search(RARE)}",
    ),
    f"search '{COMMON}'": (
        f"{BASE}{_search(COMMON)} ORDER BY i.number LIMIT {PAGE}",
        f"{COUNT}{_search(COMMON)}",
    ),
    "overdue only": (
        f"{BASE} AND i.status IN ('open', 'in_progress', 'blocked', 'escalated') "
        f"AND i.target_date < date('now') ORDER BY i.number LIMIT {PAGE}",
        f"{COUNT} AND i.status IN ('open', 'in_progress', 'blocked', 'escalated') "
        "AND i.target_date < date('now')",
    ),
    "sort: owner, descending": (
        f"SELECT {ROW_COLUMNS}, p.full_name FROM safety_issue i LEFT JOIN person p "
        "ON p.id = i.owner_id WHERE i.unit_id = ? AND i.archived_at IS NULL "
        f"ORDER BY p.full_name DESC, i.number LIMIT {PAGE}",
        COUNT,
    ),
    "scroll: next 500 rows": (f"{BASE} ORDER BY i.number LIMIT {PAGE} OFFSET {PAGE}", ""),
}


def raw_rows(path: Path, unit_id: int, runs: int) -> dict[str, Row]:
    connection = sqlite3.connect(path)
    try:

        def run(sql: str, count: str) -> None:
            connection.execute(sql, (unit_id,)).fetchall()
            if count:
                connection.execute(count, (unit_id,)).fetchone()

        return {
            f"{name}: raw SQL": timed(lambda s=sql, c=count: run(s, c), runs)
            for name, (sql, count) in RAW_QUERIES.items()
        }
    finally:
        connection.close()


def service_rows(db: Database, unit_id: int, runs: int) -> dict[str, Row]:
    def query(**options: object) -> Callable[[], object]:
        wanted = issues.IssueQuery(unit_id=unit_id, limit=PAGE, **options)  # type: ignore[arg-type]
        return lambda: issues.list_issues(db, wanted)

    cases: dict[str, Callable[[], object]] = {
        "open (first 500 by number): service": query(),
        "filter: status open: service": query(statuses=["open"]),
        f"search '{RARE}': service": query(text=RARE),
        f"search '{COMMON}': service": query(text=COMMON),
        "sort: owner, descending: service": query(sort="owner", descending=True),
        "scroll: next 500 rows: service": query(offset=PAGE),
        "overdue only: service": query(overdue_only=True),
        "status bar counts: service": lambda: issues.count_issues(db, unit_id),
        "dashboard: service": lambda: dashboard.load_dashboard(db, unit_id),
        "concerns board, all active issues: service": lambda: issues.list_ranked(db, unit_id),
    }
    return {name: timed(fn, runs) for name, fn in cases.items()}


def screen_rows(db: Database, runs: int) -> dict[str, Row]:
    """From each action on the real screen until its rows are in the table."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from cuspdesk.ui.app import configure_application
    from cuspdesk.ui.main_window import MainWindow
    from cuspdesk.ui.models.issue_table import COLUMN_KEYS
    from cuspdesk.ui.screens.tracking_log import TrackingLogScreen
    from cuspdesk.ui.worker import wait_for_background_work

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)

    def until_loaded(screen: TrackingLogScreen, action: Callable[[], object]) -> None:
        """Until the rows are in the table (a full first chunk is counted after)."""
        loop = QEventLoop()
        screen.model.loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        action()
        loop.exec()
        screen.model.loaded.disconnect(loop.quit)

    def until_counted(screen: TrackingLogScreen, action: Callable[[], object]) -> None:
        """Until the rows are in and the count beside them is up to date."""
        until_loaded(screen, action)
        if screen.model.loading:
            loop = QEventLoop()
            screen.model.total_changed.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
            screen.model.total_changed.disconnect(loop.quit)

    windows: list[MainWindow] = []

    def new_window_on_dashboard() -> None:
        for old in windows:
            old.close()
            old.deleteLater()
        windows.clear()
        wait_for_background_work()
        app.processEvents()
        window = MainWindow(db)
        window.resize(1280, 800)
        window.show()
        window.show_screen("dashboard")
        wait_for_background_work()
        app.processEvents()
        windows.append(window)

    def open_log() -> None:
        window = windows[0]
        screen = window.screen_by_key("tracking_log")  # built here the first time
        assert isinstance(screen, TrackingLogScreen)
        until_loaded(screen, lambda: window.show_screen("tracking_log"))
        assert screen.model.rowCount() == PAGE

    def to_dashboard() -> None:
        windows[0].show_screen("dashboard")
        wait_for_background_work()
        app.processEvents()

    def back_to_log() -> None:
        window = windows[0]
        screen = window.screen_by_key("tracking_log")
        assert isinstance(screen, TrackingLogScreen)
        until_loaded(screen, lambda: window.show_screen("tracking_log"))

    out = {
        "open (first 500 by number), first time: screen": timed(
            open_log, runs, before=new_window_on_dashboard
        ),
        "open (first 500 by number), again: screen": timed(back_to_log, runs, before=to_dashboard),
    }
    for old in windows:
        old.close()
    wait_for_background_work()

    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    screen = window.screen_by_key("tracking_log")
    assert isinstance(screen, TrackingLogScreen)
    until_loaded(screen, lambda: window.show_screen("tracking_log"))
    header = screen.table.horizontalHeader()
    owner_column = COLUMN_KEYS.index("owner")
    number_column = COLUMN_KEYS.index("number")
    status_open = screen.status_filter.findData("open")

    def set_status(index: int) -> Callable[[], None]:
        return lambda: until_loaded(screen, lambda: screen.status_filter.setCurrentIndex(index))

    def set_search(text: str, *, counted: bool = False) -> Callable[[], None]:
        # Typing waits SEARCH_DELAY_MS for the person to stop; measured from then.
        wait = until_counted if counted else until_loaded

        def search() -> None:
            screen.search.blockSignals(True)
            screen.search.setText(text)
            screen.search.blockSignals(False)
            wait(screen, screen.apply_filters)

        return search

    def set_sort(column: int, order: Qt.SortOrder) -> Callable[[], None]:
        return lambda: until_loaded(screen, lambda: header.setSortIndicator(column, order))

    def settled(step: Callable[[], None]) -> Callable[[], None]:
        """A step before a measured one, done with its count too, so none is left running."""

        def run() -> None:
            step()
            while screen.model.loading:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

        return run

    descending = Qt.SortOrder.DescendingOrder
    ascending = Qt.SortOrder.AscendingOrder
    out["filter: status open: screen"] = timed(
        set_status(status_open), runs, before=settled(set_status(0))
    )
    out["sort: owner, descending: screen"] = timed(
        set_sort(owner_column, descending),
        runs,
        before=settled(set_sort(number_column, ascending)),
    )
    # Searches and scrolling start from the whole log in number order, as the raw SQL
    # and service figures do.
    settled(set_status(0))()
    settled(set_sort(number_column, ascending))()
    for word in (RARE, COMMON):
        out[f"search '{word}': screen"] = timed(
            set_search(word), runs, before=settled(set_search(""))
        )
        out[f"search '{word}', count shown: screen"] = timed(
            set_search(word, counted=True), runs, before=set_search("", counted=True)
        )
    set_search("")()

    def scroll() -> None:
        before = screen.model.rowCount()
        until_loaded(screen, screen.table.scrollToBottom)
        assert screen.model.rowCount() == before + PAGE

    scrolled = timed(scroll, runs, warm_up=False)
    scrolled["rows"] = screen.model.rowCount()
    out["scroll: next 500 rows: screen"] = scrolled
    window.close()
    wait_for_background_work()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cuspdesk-bench-") as folder:
        start = time.perf_counter()
        path, unit_id = big_log_database(Path(folder) / "big.sqlite3")
        fill_s = time.perf_counter() - start
        rows = raw_rows(path, unit_id, args.runs)
        db = open_database(path)
        rows |= service_rows(db, unit_id, args.runs)
        rows |= screen_rows(db, args.runs)
        db.dispose()
    ordered = dict(sorted(rows.items(), key=lambda item: item[0].rsplit(":", 1)[0]))
    print(f"{BIG_LOG:,} issues inserted in {fill_s:.1f} s")
    print_table(f"Tracking log at {BIG_LOG:,} issues (ms)", ordered)
    peak = own_peak_rss_mb()
    print(f"\npeak memory of this process: {peak:.0f} MB")
    path = write_results(
        "gui", {"issues": BIG_LOG, "rows": ordered, "peak_rss_mb": peak, "fill_s": fill_s}
    )
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
