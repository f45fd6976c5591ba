"""Time the printed documents: the briefing in-process and as a whole command, the tracking log,
and LibreOffice converting an equivalent tracking-log spreadsheet to PDF, in the same run.

Run from the repository root: ``python -m bench.bench_reports [--runs N]``. Prints a
table and writes ``bench/results/reports.json`` (git-ignored). The LibreOffice rows
are skipped, with a note, when neither ``soffice`` nor ``libreoffice`` is installed
(Debian: ``apt-get install libreoffice-calc-nogui``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins

from bench.common import bench_env, print_table, run_command, timed, write_results
from cuspdesk.db import Database, open_database
from cuspdesk.reports.briefing import briefing_pdf
from cuspdesk.reports.styles import day, priority_text, status_text
from cuspdesk.reports.tracking_log import COLUMNS, tracking_log_pdf
from cuspdesk.services import briefing, issues
from cuspdesk.services.demo import create_demo_unit

ROOT = Path(__file__).resolve().parents[1]
DEMO_DAY = date(2026, 11, 24)
BIG_LOG = 2000


def add_issues(db: Database, unit_id: int, count: int) -> None:
    with db.session() as session:
        for i in range(count):
            issues.create_issue_in(
                session,
                unit_id,
                issues.IssueFields(
                    description=f"Bulk issue {i}: "
                    + "the infusion pump alarm is too quiet at night " * (i % 4 + 1),
                    date_identified=date(2026, 1, 1) + timedelta(days=i % 150),
                    target_date=date(2026, 6, 1) + timedelta(days=i % 200),
                    likelihood=i % 5 + 1,
                    severity=(i * 7) % 5 + 1,
                    action_plan="Biomed to check every pump's alarm volume. " * (i % 3 + 1),
                    needs_executive=i % 50 == 0,
                    barriers="Needs capital funding." if i % 50 == 0 else "",
                ),
            )


def write_log_xlsx(data: briefing.TrackingLogData, path: Path) -> None:
    """The same tracking log as a spreadsheet set up to print: landscape A4, fit to width,
    wrapped text and the header row repeated on every page."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tracking log"
    sheet.append([label for label, _ in COLUMNS])
    for r in data.rows:
        plan = r.action_plan + (f"\nBarrier: {r.barriers}" if r.barriers else "")
        sheet.append(
            [
                f"#{r.number}",
                day(r.date_identified),
                r.description + (f"\n({r.location})" if r.location else ""),
                r.category,
                r.source_label,
                r.owner,
                priority_text(r.risk_score),
                day(r.target_date, ""),
                status_text(r.status),
                plan,
            ]
        )
    for index, (_, width_mm) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width_mm / 2.2
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    book.save(path)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(office: str, xlsx: Path, out_dir: Path, profile: Path) -> None:
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per row (default 7)")
    args = parser.parse_args()
    runs = max(2, args.runs)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "rows": {},
    }
    rows: dict[str, Any] = results["rows"]
    with tempfile.TemporaryDirectory(prefix="cuspdesk-bench-") as temp:
        work = Path(temp)
        demo_path = work / "demo.sqlite3"
        db = open_database(demo_path)
        unit = create_demo_unit(db, today=DEMO_DAY)

        def gather() -> briefing.BriefingData:
            return briefing.gather_briefing(db, unit.id, DEMO_DAY)

        data = gather()
        rows["briefing: gather data (in-process)"] = timed(gather, runs)
        rows["briefing: build PDF (in-process)"] = timed(lambda: briefing_pdf(data), runs)
        rows["briefing: gather + build (in-process)"] = timed(lambda: briefing_pdf(gather()), runs)
        rows["briefing: gather + build (in-process)"]["pages"] = page_count_of(
            briefing_pdf(data), work
        )
        db.dispose()

        command = [
            sys.executable,
            "-m",
            "cuspdesk",
            "--db",
            str(demo_path),
            "briefing",
            "--out",
            str(work / "cmd-briefing.pdf"),
            "--date",
            DEMO_DAY.isoformat(),
        ]
        rows["briefing: whole command (cuspdesk briefing)"] = run_command(
            command, runs, env=bench_env()
        )

        db = open_database(demo_path)
        small_log = briefing.gather_tracking_log(db, unit.id, on=DEMO_DAY)
        rows[f"tracking log PDF, {len(small_log.rows)} issues (in-process)"] = timed(
            lambda: tracking_log_pdf(small_log), runs
        )
        add_issues(db, unit.id, BIG_LOG)
        big_log = briefing.gather_tracking_log(db, unit.id, on=DEMO_DAY)
        big_runs = max(2, runs // 2)
        big_pdf = tracking_log_pdf(big_log)
        big_row = timed(lambda: tracking_log_pdf(big_log), big_runs, warm_up=False)
        big_row["pages"] = page_count_of(big_pdf, work)
        rows[f"tracking log PDF, {len(big_log.rows)} issues (in-process)"] = big_row
        big_briefing = briefing.gather_briefing(db, unit.id, DEMO_DAY)
        rows[f"briefing with {big_briefing.counts.open} open issues: gather + build"] = timed(
            lambda: briefing_pdf(briefing.gather_briefing(db, unit.id, DEMO_DAY)), runs
        )
        db.dispose()

        office = libreoffice()
        for label, log in (("small", small_log), ("big", big_log)):
            name = f"LibreOffice: XLSX to PDF, {len(log.rows)} issues (whole command)"
            if office is None:
                rows[name] = {"skipped": "LibreOffice (soffice) is not installed"}
                continue
            xlsx = work / f"log-{label}.xlsx"
            write_log_xlsx(log, xlsx)
            out_dir = work / f"office-{label}"
            out_dir.mkdir()
            profile = work / "office-profile"
            first = time.perf_counter()
            convert_with_libreoffice(office, xlsx, out_dir, profile)
            first_ms = (time.perf_counter() - first) * 1000.0
            office_runs = max(2, runs // 2) if label == "small" else 2
            row = timed(
                lambda x=xlsx, o=out_dir, p=profile: convert_with_libreoffice(office, x, o, p),
                office_runs,
                warm_up=False,
            )
            row["first_run_ms"] = first_ms
            row["pages"] = page_count(out_dir / f"log-{label}.pdf")
            rows[name] = row

    print_table("Printed documents (ms)", rows)
    out = write_results("reports", {"rows": rows})
    print(f"\nWrote {out}")
    return 0


def page_count_of(pdf: bytes, work: Path) -> int:
    path = work / "count.pdf"
    path.write_bytes(pdf)
    return page_count(path)


if __name__ == "__main__":
    raise SystemExit(main())
