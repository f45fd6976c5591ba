"""The tracking log on paper: every issue in a landscape table, its header on every page.

Long descriptions wrap inside their cell (the list service already cuts them at
500 characters, and says so), so a row never outgrows a page.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from cuspdesk.reports import fonts, text
from cuspdesk.reports.document import render_pdf, write_pdf
from cuspdesk.reports.styles import (
    BODY,
    CELL_BOLD,
    LANDSCAPE,
    NOTE,
    SUBTITLE,
    TITLE,
    PageInfo,
    cell,
    data_table,
    day,
    header_cells,
    overdue_text,
    plural,
    priority_text,
    status_text,
)
from cuspdesk.services.briefing import TrackingLogData
from cuspdesk.services.issues import ROW_DESCRIPTION_CHARS, IssueRow

TITLE_TEXT = "Tracking log"
COLUMNS = (
    ("#", 12),
    ("Identified", 18),
    ("Issue", 61),
    ("Category", 24),
    ("Source", 21),
    ("Owner", 25),
    ("Priority", 22),
    ("Target date", 20),
    ("Status", 19),
    ("Action plan · barriers", 45),
)
WIDTHS = {label: width * mm for label, width in COLUMNS}


def write_tracking_log(
    target: str | os.PathLike[str] | BinaryIO,
    data: TrackingLogData,
    *,
    printed_at: datetime | None = None,
) -> None:
    write_pdf(target, tracking_log_pdf(data, printed_at=printed_at))


def tracking_log_pdf(data: TrackingLogData, *, printed_at: datetime | None = None) -> bytes:
    info = PageInfo(
        title=TITLE_TEXT,
        unit_name=data.unit.name,
        hospital=data.unit.hospital,
        footer=data.footer,
        printed_at=printed_at or datetime.now(),
    )
    return render_pdf(tracking_log_story(data), info, pagesize=LANDSCAPE)


def tracking_log_story(data: TrackingLogData) -> list[Flowable]:
    story: list[Flowable] = [text.paragraph(data.unit.name, TITLE, prefix=f"{TITLE_TEXT}: ")]
    shown = plural(len(data.rows), "issue")
    line = f"{shown} as of {day(data.printed_on)}"
    if data.filters:
        line += f" ({len(data.rows):,} of {data.total_in_log:,} in the log) · " + "; ".join(
            data.filters
        )
    story.append(text.paragraph(line, SUBTITLE))
    story.append(
        Paragraph(
            "Status: ○ open · ◐ in progress · ■ blocked · ▲ escalated · ✓ resolved · ✔ closed. "
            "Priority is likelihood × severity (1–25). Overdue lines are shaded and say so.",
            NOTE,
        )
    )
    story.append(Spacer(1, 2 * mm))
    if not data.rows:
        story.append(Paragraph("No issues match.", BODY))
        return story
    rows: list[list[object]] = [header_cells([label for label, _ in COLUMNS])]
    alerts = []
    for index, row in enumerate(data.rows, start=1):
        if row.overdue:
            alerts.append(index)
        rows.append(_row(row))
    table = data_table(rows, [w * mm for _, w in COLUMNS], alert_rows=alerts)
    table.setStyle([("FONT", (0, 1), (0, -1), fonts.CONDENSED_BOLD, 8, 9.8)])
    story.append(table)
    return story


def _row(r: IssueRow) -> list[object]:
    target = day(r.target_date, "")
    if r.overdue:
        target += f"\n{overdue_text(r.days_overdue)}"
    plan = r.action_plan
    if r.barriers:
        plan = (plan + "\n" if plan else "") + f"Barrier: {r.barriers}"
    if r.needs_executive:
        plan = (plan + "\n" if plan else "") + "Needs the executive."
    location = f"\n({r.location})" if r.location else ""
    cut = " …" if len(r.description) >= ROW_DESCRIPTION_CHARS else ""
    # App-written words are plain strings (fast to lay out); user text goes through cell().
    return [
        f"#{r.number}",
        day(r.date_identified),
        cell(r.description + cut + location, width=WIDTHS["Issue"]),
        cell(r.category, width=WIDTHS["Category"]),
        r.source_label,
        cell(r.owner or "No owner", width=WIDTHS["Owner"]),
        priority_text(r.risk_score),
        cell(target, CELL_BOLD) if r.overdue else target,
        status_text(r.status),
        cell(text.clip(plan, 300), width=WIDTHS["Action plan · barriers"]),
    ]
