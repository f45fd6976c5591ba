"""The tracking log PDF: landscape, every issue in order, the header row on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from pdf_reading import DEMO_DAY, HOSTILE, flat, links_and_images, page_texts, qpdf_ok, reader

from cuspdesk.db import Database
from cuspdesk.reports.tracking_log import tracking_log_pdf, write_tracking_log
from cuspdesk.services import briefing, issues, units


def _numbers(pages: list[str]) -> list[int]:
    return [int(n) for page in pages for n in re.findall(r"^#(\d+) ", page, re.MULTILINE)]


def test_demo_log_lists_every_issue_in_order_on_landscape_pages(
    demo_db: Database, tmp_path: Path
) -> None:
    unit = units.find_unit(demo_db, None)
    data = briefing.gather_tracking_log(demo_db, unit.id, on=DEMO_DAY)
    out = tmp_path / "log.pdf"
    write_tracking_log(out, data)
    qpdf_ok(out, tmp_path)
    pages = page_texts(out)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "# Identified Issue Category Source Owner Priority Target date Status" in page
        assert f"Page {number} of {len(pages)}" in page
    for page in reader(out).pages:
        assert page.mediabox.width > page.mediabox.height
    every = issues.list_issues(demo_db, issues.IssueQuery(unit_id=unit.id)).rows
    assert _numbers(pages) == [r.number for r in every]
    text = flat(" ".join(pages))
    assert f"{len(every)} issues as of 24 Nov 2026" in text
    overdue = [r for r in every if r.overdue]
    assert text.count("days overdue") + text.count("1 day overdue") >= len(overdue) > 0


def test_filters_are_printed_in_words(demo_db: Database) -> None:
    unit = units.find_unit(demo_db, None)
    query = issues.IssueQuery(active_only=True, overdue_only=True, text="alarm")
    data = briefing.gather_tracking_log(demo_db, unit.id, query, on=DEMO_DAY)
    text = flat(" ".join(page_texts(tracking_log_pdf(data))))
    assert "active issues only; overdue only; matching “alarm”" in text
    assert all(r.overdue for r in data.rows)
    assert f"({len(data.rows)} of {data.total_in_log} in the log)" in text


def test_two_thousand_issues_and_long_text(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West"))
    long_word = "y" * 500
    with db.session() as session:
        for i in range(2000):
            issues.create_issue_in(
                session,
                unit.id,
                issues.IssueFields(
                    description=(long_word if i == 7 else HOSTILE[i % len(HOSTILE)])
                    + " — "
                    + "very long description " * (i % 8),
                    date_identified=date(2026, 1, 1) + timedelta(days=i % 300),
                    action_plan="Plan " * (i % 20) + ("Long plan " * 100 if i == 9 else ""),
                    barriers=HOSTILE[1] if i % 3 == 0 else "",
                ),
            )
    data = briefing.gather_tracking_log(db, unit.id, on=DEMO_DAY)
    pdf = tracking_log_pdf(data)
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) > 40
    assert _numbers(pages) == list(range(1, 2001))
    assert all("# Identified Issue" in page for page in pages)
    text = flat(" ".join(pages))
    for hostile in HOSTILE:
        assert hostile in text
    assert long_word in "".join(" ".join(pages).split())
    assert links_and_images(pdf) == (0, 0)


def test_an_empty_log(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West"))
    pdf = tracking_log_pdf(briefing.gather_tracking_log(db, unit.id, on=DEMO_DAY))
    qpdf_ok(pdf, tmp_path)
    assert "No issues match." in page_texts(pdf)[0]
