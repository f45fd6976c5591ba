"""Every printable document by name: gather its data, build its PDF, suggest a file name.

The app's print preview and any other caller ask for a document by kind
("briefing", "summary", "tracking_log", "meeting", "defect") instead of knowing
which service gathers and which report module lays out each one. It sits outside
``cuspdesk/reports`` because the reports themselves never see the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.reports import briefing as briefing_report
from cuspdesk.reports import defect_review, meeting, summary, tracking_log
from cuspdesk.services import briefing
from cuspdesk.services.issues import IssueQuery
from cuspdesk.services.validation import today

KINDS: dict[str, str] = {
    "briefing": "Pre-rounds briefing",
    "summary": "Executive summary",
    "tracking_log": "Tracking log",
    "meeting": "Meeting agenda or minutes",
    "defect": "Learning from Defects review",
}
_NEEDS_RECORD = ("meeting", "defect")


@dataclass(frozen=True)
class PrintedDocument:
    """A finished PDF and what to call it."""

    kind: str
    title: str
    file_name: str
    pdf: bytes


def make_document(
    db: Database,
    kind: str,
    *,
    unit_id: int | None = None,
    record_id: int | None = None,
    query: IssueQuery | None = None,
    on: date | None = None,
    printed_at: datetime | None = None,
) -> PrintedDocument:
    """Build the ``kind`` document for a unit (or, for meetings and reviews, one record)."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    when = on or today()
    if kind in _NEEDS_RECORD:
        if record_id is None:
            raise CuspDeskError(f"Choose the {KINDS[kind].lower()} to print first.")
        if kind == "meeting":
            m = briefing.gather_meeting(db, record_id, when)
            pdf = meeting.meeting_pdf(m, printed_at=printed_at)
            title = meeting.document_title(m)
            return _done(kind, title, m.unit.name, m.meeting.fields.meeting_date, pdf)
        d = briefing.gather_defect_form(db, record_id)
        pdf = defect_review.defect_review_pdf(d, printed_at=printed_at)
        title = defect_review.TITLE_TEXT
        return _done(kind, title, d.unit.name, d.review.fields.review_date, pdf)
    if unit_id is None:
        raise CuspDeskError("Choose a unit first.")
    if kind == "briefing":
        b = briefing.gather_briefing(db, unit_id, when)
        pdf = briefing_report.briefing_pdf(b, printed_at=printed_at)
        return _done(kind, briefing_report.TITLE_TEXT, b.unit.name, when, pdf)
    if kind == "summary":
        s = briefing.gather_summary(db, unit_id, when)
        pdf = summary.summary_pdf(s, printed_at=printed_at)
        return _done(kind, summary.TITLE_TEXT, s.unit.name, when, pdf)
    t = briefing.gather_tracking_log(db, unit_id, query, on=when)
    pdf = tracking_log.tracking_log_pdf(t, printed_at=printed_at)
    return _done(kind, tracking_log.TITLE_TEXT, t.unit.name, when, pdf)


def _done(kind: str, title: str, unit_name: str, day: date, pdf: bytes) -> PrintedDocument:
    return PrintedDocument(kind, title, suggested_file_name(title, unit_name, day), pdf)


def suggested_file_name(title: str, unit_name: str, day: date) -> str:
    """``Pre-rounds briefing - 5 North Surgical ICU - 2026-11-24.pdf``, safe on every system."""
    parts = [part.strip() for part in (title, unit_name) if part.strip()]
    name = " - ".join([*parts, day.isoformat()])
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", name).strip(" .")
    return (name[:150] or "CUSPDesk document") + ".pdf"
