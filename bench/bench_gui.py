"""Time what the desktop asks of the database with 100,000 issues, and the window itself.

Run from the repository root: ``python -m bench.bench_gui [--runs N]``. Prints a table
and writes ``bench/results/gui.json`` (git-ignored). The Qt rows run offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert

from cuspdesk.db import Database, open_database
from cuspdesk.models import ACTIVE_STATUSES, SafetyIssue
from cuspdesk.services import dashboard, issues, units
from cuspdesk.services.issue_search import rebuild_search_index

ROOT = Path(__file__).resolve().parents[1]
ISSUES = 100_000
STATUSES = ("open", "in_progress", "blocked", "escalated", "resolved", "closed")


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    """Median and spread in milliseconds over ``runs`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "min_ms": times[0],
        "max_ms": times[-1],
        "runs": runs,
    }


def fill(db: Database) -> int:
    """A unit with 100,000 issues, a sixth in each status, a third overdue, some owned."""
    unit = units.create_unit(db, units.UnitFields(name="Benchmark Unit"))
    owner = units.add_team_member(db, unit.id, units.PersonFields("Owner One")).person_id
    category = units.list_choices(db, units.CATEGORY_LIST)[0].id
    today = date.today()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    rank = 0
    for number in range(1, ISSUES + 1):
        status = STATUSES[number % 6]
        active = status in ACTIVE_STATUSES
        rank += 1 if active else 0
        rows.append(
            {
                "uuid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "unit_id": unit.id,
                "number": number,
                "date_identified": today - timedelta(days=400),
                "source": "safety_round" if number % 2 else "other",
                "description": f"Issue {number}: pump alarm not heard at night in bay {number % 9}",
                "event_report_ref": "",
                "category_id": category if number % 3 == 0 else None,
                "location": f"Bay {number % 9}",
                "owner_id": owner if number % 5 == 0 else None,
                "action_plan": "Check the alarm volume every shift",
                "barriers": "",
                "needs_executive": number % 50 == 0,
                "target_date": today - timedelta(days=number % 30 - 10),
                "status": status,
                "priority_rank": rank if active else None,
                "likelihood": number % 5 + 1,
                "severity": number % 4 + 1,
                "risk_reduced_evidence": "",
                "staff_feedback": "",
                "harm_event": False,
            }
        )
    with db.engine.begin() as conn:
        conn.execute(insert(SafetyIssue.__table__), rows)
        rebuild_search_index(conn)
    return unit.id


def service_rows(db: Database, unit_id: int, runs: int) -> dict[str, dict[str, float]]:
    page = issues.IssueQuery(unit_id=unit_id, limit=500)
    cases: dict[str, Callable[[], object]] = {
        "log: first 500, by number": lambda: issues.list_issues(db, page),
        "log: first 500, by owner descending": lambda: issues.list_issues(
            db, issues.IssueQuery(unit_id=unit_id, limit=500, sort="owner", descending=True)
        ),
        "log: overdue only": lambda: issues.list_issues(
            db, issues.IssueQuery(unit_id=unit_id, limit=500, overdue_only=True)
        ),
        "log: text search 'bay 7'": lambda: issues.list_issues(
            db, issues.IssueQuery(unit_id=unit_id, limit=500, text="bay 7")
        ),
        "log: rows 50,000-50,500": lambda: issues.list_issues(
            db, issues.IssueQuery(unit_id=unit_id, limit=500, offset=50_000)
        ),
        "status bar counts": lambda: issues.count_issues(db, unit_id),
        "dashboard": lambda: dashboard.load_dashboard(db, unit_id),
        "concerns board (all active issues)": lambda: issues.list_ranked(db, unit_id),
    }
    return {name: timed(fn, runs) for name, fn in cases.items()}


def window_rows(db: Database, runs: int) -> dict[str, dict[str, float]]:
    """Wall-clock time until the main window shows the log's first page."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cuspdesk.ui.app import configure_application
    from cuspdesk.ui.main_window import MainWindow
    from cuspdesk.ui.worker import wait_for_background_work

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)

    def open_log() -> None:
        window = MainWindow(db)
        window.show()
        screen = window.show_screen("tracking_log")
        loop = QEventLoop()
        screen.model.loaded.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        assert screen.model.rowCount() == 500  # type: ignore[attr-defined]
        window.close()
        wait_for_background_work()
        window.deleteLater()
        app.processEvents()

    return {"window opens on the tracking log (first 500 shown)": timed(open_log, runs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        start = time.perf_counter()
        unit_id = fill(db)
        fill_s = time.perf_counter() - start
        results = service_rows(db, unit_id, args.runs)
        results |= window_rows(db, max(3, args.runs // 2))
        db.dispose()
    width = max(len(name) for name in results)
    print(
        f"{ISSUES:,} issues inserted in {fill_s:.1f} s on {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    for name, row in results.items():
        print(
            f"{name:<{width}}  median {row['median_ms']:8.1f} ms  (min {row['min_ms']:.1f}, "
            f"max {row['max_ms']:.1f}, {row['runs']} runs)"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "gui.json").write_text(
        json.dumps({"issues": ISSUES, "cpu_count": os.cpu_count(), "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
