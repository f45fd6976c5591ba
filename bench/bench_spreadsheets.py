"""Time the spreadsheet round trip at 10,000 issues: export to CSV and to XLSX, the import
preview and the import itself, each as a whole ``cuspdesk`` command with its peak memory.

Every measurement runs in a process of its own so its peak resident memory is its own.
The export reads a unit of 10,000 issues; the import reads a tracking log of 10,000
rows written as a team would (their own column names, dd/mm/yyyy dates) into a unit
with an empty log, copied afresh before every run. Run from the repository root:
``python -m bench.bench_spreadsheets [--runs N]``; writes ``bench/results/spreadsheets.json``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.common import Row, bench_env, print_table, run_once, summarise, write_results
from bench.fixtures import SPREADSHEET_LOG, build_in_child

# Imports are the slow part; a few runs tell as much as many.
IMPORT_RUNS = 3
STATUSES = ("Open", "In progress", "Resolved", "Closed")
OWNERS = ("Daniel Reyes", "Maria Okafor", "Priya Natarajan", "Aisha Rahman")


def write_team_files(folder: Path, count: int = SPREADSHEET_LOG) -> tuple[Path, Path]:
    """A team's tracking log of ``count`` rows as CSV and XLSX (run in a child process)."""
    import csv

    from openpyxl import Workbook

    today = date.today()
    header = [
        "No.",
        "Date raised",
        "Issue",
        "Category",
        "Who",
        "Due date",
        "Status",
        "Action plan",
        "How do we know",
        "Comments",
    ]
    rows = []
    for n in range(1, count + 1):
        status = STATUSES[n % len(STATUSES)]
        raised = today - timedelta(days=400 - n % 300)
        rows.append(
            [
                n,
                raised.strftime("%d/%m/%Y"),
                f"Infusion pump alarm too quiet at night in bay {n % 12} (report {n})",
                ("Equipment", "Medication", "Falls", "Handoffs")[n % 4],
                OWNERS[n % len(OWNERS)],
                (raised + timedelta(days=30 + n % 50)).isoformat(),
                status,
                "Biomed to check every pump's alarm volume; re-audit in a month.",
                "Audit of 20 alarms: all audible at the desk." if status == "Closed" else "",
                "Shared at the safety huddle." if n % 3 == 0 else "",
            ]
        )
    csv_path = folder / "team-log.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tracking log")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    xlsx_path = folder / "team-log.xlsx"
    book.save(xlsx_path)
    return csv_path, xlsx_path


def measure(command: list[str], runs: int, before: tuple[Path, Path] | None = None) -> Row:
    """Run ``command`` ``runs`` times (after one warm-up); ``before`` copies a file into place."""
    times: list[float] = []
    peaks: list[float] = []
    for attempt in range(runs + 1):
        if before is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(before[1]) + suffix).unlink(missing_ok=True)
            shutil.copyfile(*before)
        elapsed, peak = run_once(command, bench_env())
        if attempt:  # the first run warms the disk cache and is not counted
            times.append(elapsed)
            peaks.append(peak)
    row = summarise(times)
    row["peak_rss_mb"] = max(peaks)
    row["rows"] = SPREADSHEET_LOG
    return row


def collect(runs: int, work: Path) -> dict[str, Row]:
    log = build_in_child("big", work / "log.sqlite3", count=SPREADSHEET_LOG)
    empty = build_in_child("empty", work / "empty.sqlite3")
    subprocess.run(
        [sys.executable, "-m", "bench.bench_spreadsheets", "--make-files", str(work)],
        check=True,
        env=bench_env(),
    )
    team_csv, team_xlsx = work / "team-log.csv", work / "team-log.xlsx"
    target = work / "target.sqlite3"
    cuspdesk = [sys.executable, "-m", "cuspdesk"]
    rows: dict[str, Row] = {}
    rows["export CSV (tracking log)"] = measure(
        [*cuspdesk, "--db", str(log), "export", "--out", str(work / "out.csv")], runs
    )
    rows["export XLSX (every table)"] = measure(
        [*cuspdesk, "--db", str(log), "export", "--out", str(work / "out.xlsx")], runs
    )
    for name, source in (("CSV", team_csv), ("XLSX", team_xlsx)):
        rows[f"preview {name} (import --dry-run)"] = measure(
            [*cuspdesk, "--db", str(target), "import", str(source), "--dry-run"],
            runs,
            before=(empty, target),
        )
        rows[f"import {name}"] = measure(
            [*cuspdesk, "--db", str(target), "import", str(source)],
            min(runs, IMPORT_RUNS),
            before=(empty, target),
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--make-files", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.make_files is not None:
        write_team_files(args.make_files)
        return 0
    with tempfile.TemporaryDirectory(prefix="cuspdesk-bench-") as folder:
        rows = collect(args.runs, Path(folder))
    print_table(f"Spreadsheets, {SPREADSHEET_LOG:,} rows, whole command (ms)", rows)
    path = write_results("spreadsheets", {"rows": rows})
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
