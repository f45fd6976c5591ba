"""The pre-rounds briefing, read back from the PDF: the right issues, in the right order."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

from pdf_reading import (
    DEMO_DAY,
    HOSTILE,
    flat,
    links_and_images,
    page_texts,
    pdf_text,
    qpdf_ok,
    reader,
)

from cuspdesk.db import Database
from cuspdesk.reports import fonts
from cuspdesk.reports import text as text_module
from cuspdesk.reports.briefing import briefing_pdf, write_briefing
from cuspdesk.reports.styles import plural
from cuspdesk.services import briefing, issues, rounds, units

PRINTED = datetime(2026, 11, 23, 18, 30)


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"#(\d+)", text)]


def test_demo_briefing_reads_right(demo_db: Database, tmp_path: Path) -> None:
    unit = units.find_unit(demo_db, None)
    data = briefing.gather_briefing(demo_db, unit.id, DEMO_DAY)
    pdf = briefing_pdf(data, printed_at=PRINTED)
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) == 2, "the sample unit's briefing is meant to fit on two pages"
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of 2" in page
        assert "Pre-rounds briefing" in page and "5 North Surgical ICU" in page
        assert "Printed 23 Nov 2026 18:30" in page
        assert "Confidential patient safety work product." in page
    text = pdf_text(pdf)
    assert "Executive partner: Carol Whitfield, Chief Nursing Officer" in text
    assert "Briefing for 24 Nov 2026" in text

    counts = issues.count_issues(demo_db, unit.id, on=DEMO_DAY)
    assert f"Open and overdue issues ({counts.open} open, {counts.overdue} overdue)" in text

    ranked = issues.list_ranked(demo_db, unit.id)
    top = _between(text, "Top prioritised concerns", "Open and overdue issues")
    assert _numbers(top) == [r.number for r in ranked[:5]]

    barriers = _between(text, "Barriers that need you", "Top prioritised concerns")
    needing = [r for r in ranked if r.needs_executive or r.status == "blocked"]
    assert f"Barriers that need you ({len(needing)})" in barriers
    assert _numbers(barriers) == [r.number for r in needing[:5]]

    others = _between(text, "Open and overdue issues", "Key measures")
    listed = _numbers(others)
    assert not set(listed) & {r.number for r in ranked[:5]}, "top concerns are not repeated"
    overdue_days = [int(d.replace(",", "")) for d in re.findall(r"([\d,]+) days\s+overdue", others)]
    assert overdue_days == sorted(overdue_days, reverse=True), "most overdue first"
    more = data.other_open.more
    assert f"… and {more} more open issues in the tracking log." in others

    flat_text = flat(text)
    for name in ("Falls with injury", "CLABSI", "Days between pressure injuries"):
        assert name in flat_text
    for question in rounds.STANDARD_QUESTIONS:
        assert question in flat_text
    assert "Recent learning from defects" in text
    assert links_and_images(pdf) == (0, 0)


def test_changes_since_the_last_meeting_are_counted(demo_db: Database) -> None:
    unit = units.find_unit(demo_db, None)
    data = briefing.gather_briefing(demo_db, unit.id, DEMO_DAY)
    text = pdf_text(briefing_pdf(data))
    since = data.since
    assert since.label == "since the last meeting" and since.start < DEMO_DAY
    expected = (
        f"{plural(data.opened.total, 'issue')} opened, {data.resolved_total} resolved, "
        f"{data.closed_total} closed."
    )
    assert expected in flat(text)
    opened = issues.list_issues(
        demo_db,
        issues.IssueQuery(
            unit_id=unit.id, identified_from=since.start + timedelta(days=1), identified_to=DEMO_DAY
        ),
    ).rows
    assert data.opened.total == len(opened)
    assert [r.number for r in data.opened.rows] == [r.number for r in opened][:5]


def test_an_empty_unit_still_gives_a_clean_briefing(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West", hospital="St Elsewhere"))
    data = briefing.gather_briefing(db, unit.id, date(2026, 11, 24))
    out = tmp_path / "empty.pdf"
    write_briefing(out, data)
    qpdf_ok(out, tmp_path)
    text = pdf_text(out)
    assert "Pre-rounds briefing: 4 West" in text
    assert "Executive partner: none assigned yet" in text
    assert "There are no open issues." in text
    assert "No barrier is waiting for the executive." in text
    assert "No key measure has been set up yet." in text
    assert "No review in the last three months." in text
    assert "in the last 30 days: 0 issues opened, 0 resolved, 0 closed." in flat(text).lower()
    assert len(reader(out).pages) <= 2


def _add_issues(db: Database, unit_id: int, count: int, owner_id: int | None = None) -> None:
    with db.session() as session:
        for i in range(count):
            issues.create_issue_in(
                session,
                unit_id,
                issues.IssueFields(
                    description=f"Bulk issue {i}: the pump alarm is too quiet at night.",
                    date_identified=date(2026, 1, 1) + timedelta(days=i % 150),
                    target_date=date(2026, 6, 1) + timedelta(days=i % 200),
                    likelihood=i % 5 + 1,
                    severity=(i * 7) % 5 + 1,
                    owner_id=owner_id,
                    needs_executive=i % 40 == 0,
                    barriers="Needs capital funding." if i % 40 == 0 else "",
                ),
            )


def test_two_thousand_issues_list_the_most_important_and_say_how_many_more(
    demo_db: Database, tmp_path: Path
) -> None:
    unit = units.find_unit(demo_db, None)
    _add_issues(demo_db, unit.id, 2000)
    data = briefing.gather_briefing(demo_db, unit.id, DEMO_DAY)
    pdf = briefing_pdf(data)
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) <= 3, "the briefing stays short however long the log is"
    text = pdf_text(pdf)
    counts = issues.count_issues(demo_db, unit.id, on=DEMO_DAY)
    assert counts.open > 2000
    assert f"({counts.open:,} open, {counts.overdue:,} overdue)" in text
    assert f"… and {data.other_open.more:,} more open issues in the tracking log." in text
    assert f"… and {data.barriers.more:,} more barriers in the tracking log." in text
    # The most overdue issue (other than the top concerns) is the first line of the list.
    others = _between(text, "Open and overdue issues", "Key measures")
    worst = max(
        (DEMO_DAY - r.target_date).days
        for r in issues.list_ranked(demo_db, unit.id)[5:]
        if r.target_date is not None and r.target_date < DEMO_DAY
    )
    first = re.search(r"([\d,]+) days\s+overdue", others)
    assert first is not None and int(first.group(1).replace(",", "")) == worst


def test_hostile_and_non_latin_text_prints_literally(db: Database, tmp_path: Path) -> None:
    footer = "Confidential <b>not bold</b> & <img src='/etc/passwd'/>"
    unit = units.create_unit(
        db, units.UnitFields(name="Ward <7> & Co", confidentiality_footer=footer)
    )
    owners = ["Ελένη Παπαδοπούλου", "Дмитрий Иванов", "Zoë Lefèvre", "محمد", "王芳"]
    owner_ids = [
        units.add_team_member(db, unit.id, units.PersonFields(name)).person_id for name in owners
    ]
    long_word = "".join(chr(ord("a") + i % 26) for i in range(500))
    for index, hostile in enumerate([*HOSTILE, long_word]):
        issues.create_issue(
            db,
            unit.id,
            issues.IssueFields(
                description=hostile,
                date_identified=date(2026, 11, 1),
                target_date=date(2026, 11, 10),
                owner_id=owner_ids[index % len(owner_ids)],
                barriers=hostile,
                needs_executive=True,
            ),
        )
    data = briefing.gather_briefing(db, unit.id, date(2026, 11, 24))
    pdf = briefing_pdf(data)
    qpdf_ok(pdf, tmp_path)
    text = pdf_text(pdf)
    for hostile in HOSTILE:
        assert hostile in text, hostile
    for name in owners[:3]:
        assert name in text
    if text_module.SHAPING_AVAILABLE:
        assert "محمد" in unicodedata.normalize("NFKC", text)
    if fonts.cjk_fallback() is not None:
        assert "王芳" in text
    else:
        assert text_module.REPLACEMENT * 2 in text
    assert "Ward <7> & Co" in text
    assert footer in flat(text)
    assert long_word[:100] in "".join(text.split())
    assert links_and_images(pdf) == (0, 0)
