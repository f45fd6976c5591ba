"""Time the record screens on the sample unit: opening each one, showing a record, saving.

Run from the repository root: ``QT_QPA_PLATFORM=offscreen python -m bench.bench_screens
[--runs N]``. Prints a table and writes ``bench/results/screens.json`` (git-ignored).
Each figure is the median over the runs, in milliseconds, with the events the step
queued processed, so it is what a person waits for.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from bench.common import Row, print_table, timed, write_results
from cuspdesk.db import open_database
from cuspdesk.services.demo import create_demo_unit
from cuspdesk.services.findings import FindingFields
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.assessments import AssessmentsScreen
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.screens.defects import DefectsScreen
from cuspdesk.ui.screens.list_form import ListFormScreen
from cuspdesk.ui.screens.measures import MeasuresScreen
from cuspdesk.ui.screens.meetings import MeetingsScreen
from cuspdesk.ui.screens.rounds import RoundsScreen
from cuspdesk.ui.screens.team import TeamScreen

ROOT = Path(__file__).resolve().parents[1]
DEMO_DAY = date(2026, 11, 24)
SCREENS: list[type[Screen]] = [
    RoundsScreen,
    MeetingsScreen,
    AssessmentsScreen,
    DefectsScreen,
    MeasuresScreen,
    TeamScreen,
]


def settled(fn: Callable[[], object]) -> Callable[[], None]:
    """``fn`` plus the events it queued: what a person waits for."""
    app = QApplication.instance()
    assert app is not None

    def step() -> None:
        fn()
        app.processEvents()

    return step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    _app = QApplication.instance() or QApplication(sys.argv)  # kept alive for the run
    folder = Path(tempfile.mkdtemp(prefix="cuspdesk-bench-screens-"))
    db = open_database(folder / "demo.sqlite3")
    unit = create_demo_unit(db, today=DEMO_DAY)
    context = AppContext(db, unit.id)
    rows: dict[str, Row] = {}
    for screen_class in SCREENS:

        def open_screen(cls: type[Screen] = screen_class) -> None:
            screen = cls(context)
            screen.resize(1080, 800)
            screen.show()
            screen.refresh()
            screen.close()
            screen.deleteLater()

        rows[f"{screen_class.title}: build and show"] = timed(settled(open_screen), args.runs)
        screen = screen_class(context)
        screen.resize(1080, 800)
        screen.show()
        screen.refresh()
        rows[f"{screen_class.title}: refresh"] = timed(settled(screen.refresh), args.runs)
        if isinstance(screen, ListFormScreen):
            first = screen.browser.model.row_at(1)
            if first is not None:
                record_id = screen.browser.model.row_id(first)
                rows[f"{screen_class.title}: show a record"] = timed(
                    settled(lambda s=screen, r=record_id: s._show(r)), args.runs
                )
        screen.close()
    round_screen = RoundsScreen(context)
    round_screen.show()
    round_screen.refresh()

    def save_round() -> None:
        round_screen.start_new()
        round_screen.round_date.setValue(DEMO_DAY - timedelta(days=1))
        round_screen.area.setText("Bench area")
        editor = round_screen.findings.rows.editors()[0]
        assert isinstance(editor.value(), FindingFields)
        editor.description.setPlainText("Bench finding")
        assert round_screen.save_changes()

    rows["Safety rounds: save a round with a finding"] = timed(settled(save_round), args.runs)
    print_table("Record screens on the sample unit (ms)", rows)
    path = write_results("screens", {"rows": rows})
    print(f"Wrote {path}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
