"""Every document by name: the right PDF and a file name that is safe on every system."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from pdf_reading import DEMO_DAY, page_texts, qpdf_ok

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.printing import KINDS, make_document, suggested_file_name
from cuspdesk.services import defects, issues, meetings, units


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_builds_its_document(demo_db: Database, kind: str, tmp_path: Path) -> None:
    unit = units.find_unit(demo_db, None)
    record = None
    if kind == "meeting":
        record = meetings.list_meetings(demo_db, unit.id)[-1].id
    elif kind == "defect":
        record = defects.list_reviews(demo_db, unit.id)[0].id
    doc = make_document(
        demo_db,
        kind,
        unit_id=unit.id,
        record_id=record,
        on=DEMO_DAY,
        printed_at=datetime(2026, 11, 24, 7, 5),
    )
    qpdf_ok(doc.pdf, tmp_path)
    first = page_texts(doc.pdf)[0]
    assert first.startswith(f"{doc.title}: ")
    assert "Printed 24 Nov 2026 07:05" in first
    assert doc.file_name.endswith(".pdf") and "5 North Surgical ICU" in doc.file_name


def test_the_tracking_log_takes_the_screens_filters(demo_db: Database) -> None:
    unit = units.find_unit(demo_db, None)
    query = issues.IssueQuery(statuses=["blocked"])
    doc = make_document(demo_db, "tracking_log", unit_id=unit.id, query=query, on=DEMO_DAY)
    assert "status: Blocked" in " ".join(page_texts(doc.pdf)[0].split())


def test_missing_choices_are_plain_sentences(demo_db: Database) -> None:
    with pytest.raises(CuspDeskError, match="Choose a unit first."):
        make_document(demo_db, "briefing")
    with pytest.raises(CuspDeskError, match="Choose the meeting agenda or minutes to print"):
        make_document(demo_db, "meeting")
    with pytest.raises(ValueError):
        make_document(demo_db, "poster", unit_id=1)


def test_file_names_are_safe() -> None:
    name = suggested_file_name('Minutes: "A/B" <test>', "Ward 7\\North?", date(2026, 1, 2))
    assert name == "Minutes_ _A_B_ _test_ - Ward 7_North_ - 2026-01-02.pdf"
    assert suggested_file_name("", " ", date(2026, 1, 2)) == "2026-01-02.pdf"
