"""Databases the benchmarks measure: the sample unit, and a unit with 100,000 issues."""

from __future__ import annotations

import argparse
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from cuspdesk.db import Database, open_database
from cuspdesk.models import ACTIVE_STATUSES, SafetyIssue
from cuspdesk.services import units
from cuspdesk.services.demo import create_demo_unit, sample_records
from cuspdesk.services.issue_search import rebuild_search_index

DEMO_DAY = date(2026, 11, 24)
BIG_LOG = 100_000
SPREADSHEET_LOG = 10_000  # the tracking log exported and imported by bench_spreadsheets
# Of every 21 issues: 14 closed, 3 resolved, one each open, in progress, blocked and
# escalated, so about 80 % of the log is done with, as in a log kept for years.
MIX = ("closed",) * 14 + ("resolved",) * 3 + ("open", "in_progress", "blocked", "escalated")


def demo_database(path: Path) -> Path:
    """The sample unit, as ``cuspdesk demo`` makes it."""
    db = open_database(path)
    try:
        create_demo_unit(db, today=DEMO_DAY)
    finally:
        db.dispose()
    return path


def big_log_database(path: Path, count: int = BIG_LOG) -> tuple[Path, int]:
    """A unit with ``count`` issues; returns the file and the unit's id."""
    db = open_database(path)
    try:
        unit_id = fill_issues(db, count)
    finally:
        db.dispose()
    return path, unit_id


# Findings with no barrier or evidence of their own still follow the status rules when
# blocked or closed, as every issue saved through the app does.
STANDING_BARRIER = "Waiting on the equipment budget decision."
STANDING_EVIDENCE = "Re-audit a month later found no repeat."


def empty_unit_database(path: Path) -> Path:
    """A database with one unit and nothing in its log, for imports to fill."""
    db = open_database(path)
    try:
        units.create_unit(db, units.UnitFields(name="Benchmark Unit"))
    finally:
        db.dispose()
    return path


def fill_issues(db: Database, count: int) -> int:
    """A unit with ``count`` issues, mixed as a long-kept log is: mostly closed.

    Descriptions cycle through the sample unit's sixty findings, so words occur as
    they would (a word like "heparin" in a few issues in sixty, "night" in many);
    about 80 % are resolved or closed, and a third of the rest are overdue. Inserted in
    one statement (the services would take minutes for 100,000), then the search
    index is rebuilt as a migration would.
    """
    unit = units.create_unit(db, units.UnitFields(name="Benchmark Unit"))
    owners = [
        units.add_team_member(db, unit.id, units.PersonFields(name)).person_id
        for name in ("Daniel Reyes", "Maria Okafor", "Priya Natarajan", "Aisha Rahman")
    ]
    categories = [c.id for c in units.list_choices(db, units.CATEGORY_LIST)]
    findings = sample_records().findings
    today = date.today()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    rank = 0
    for number in range(1, count + 1):
        status = MIX[number % len(MIX)]
        active = status in ACTIVE_STATUSES
        rank += 1 if active else 0
        finding = findings[number % len(findings)]
        # Active issues: every third one past its target date, the rest due later.
        late = number % 3 == 0
        identified = today - timedelta(days=(count - number) // 30 + 1)
        target = (
            max(identified, today - timedelta(days=number % 40 + 1))
            if late
            else today + timedelta(days=number % 60 + 1)
        )
        rows.append(
            {
                "uuid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "unit_id": unit.id,
                "number": number,
                "date_identified": identified,
                "source": "safety_round" if number % 2 else "other",
                "description": f"{finding.description} (bay {number % 9})",
                "event_report_ref": "",
                "category_id": categories[number % len(categories)] if number % 4 else None,
                "location": finding.location,
                "owner_id": owners[number % len(owners)] if number % 5 else None,
                "action_plan": finding.action_plan,
                "barriers": (finding.barrier or STANDING_BARRIER)
                if status in ("blocked", "escalated")
                else "",
                "needs_executive": status in ("blocked", "escalated"),
                "target_date": target,
                "status": status,
                "priority_rank": rank if active else None,
                "likelihood": number % 5 + 1,
                "severity": number % 4 + 1,
                "risk_reduced_evidence": (finding.evidence or STANDING_EVIDENCE)
                if status == "closed"
                else "",
                "staff_feedback": "",
                "harm_event": False,
            }
        )
    with db.engine.begin() as conn:
        conn.execute(insert(SafetyIssue.__table__), rows)
        rebuild_search_index(conn)
    return unit.id


def build_in_child(kind: str, path: Path, *, count: int = BIG_LOG) -> Path:
    """Build a fixture database in a separate process.

    The benchmark process stays small that way: a child's peak-memory figure
    starts at the size of the process that spawned it, so a parent holding
    100,000 rows would make every command it measures look as large.
    """
    command = [sys.executable, "-m", "bench.fixtures", kind, str(path), "--count", str(count)]
    subprocess.run(command, check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build a benchmark database.")
    parser.add_argument("kind", choices=("demo", "big", "empty"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=BIG_LOG, help="issues in a big log")
    args = parser.parse_args(argv)
    if args.kind == "demo":
        demo_database(args.path)
    elif args.kind == "empty":
        empty_unit_database(args.path)
    else:
        big_log_database(args.path, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
