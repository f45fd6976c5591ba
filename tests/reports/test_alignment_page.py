"""The strategic alignment page of the executive summary, read back from the PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pdf_reading import DEMO_DAY, HOSTILE, flat, links_and_images, page_texts, pdf_text, qpdf_ok

from cuspdesk.db import Database
from cuspdesk.reports.alignment import alignment_flowables
from cuspdesk.reports.document import render_pdf
from cuspdesk.reports.styles import PageInfo
from cuspdesk.reports.summary import summary_pdf
from cuspdesk.services import briefing, issues, measures, units
from cuspdesk.services.alignment import gather_alignment


def page(data_unit: Database, unit_id: int) -> bytes:
    info = PageInfo("Strategic alignment", "4 West", "", datetime(2026, 11, 24, 9, 0))
    return render_pdf(alignment_flowables(gather_alignment(data_unit, unit_id)), info)


def test_demo_summary_ends_with_the_alignment_page(demo_db: Database, tmp_path: Path) -> None:
    unit = units.find_unit(demo_db, None)
    pdf = summary_pdf(briefing.gather_summary(demo_db, unit.id, DEMO_DAY))
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) == 2 and "Page 2 of 2" in pages[1]
    text = flat(pages[1])
    assert "Strategic alignment How the work of 5 North Surgical ICU lines up" in text
    for aim in units.list_aims(demo_db, unit.id):
        assert aim.title in text
        assert f"Sits under: {aim.external_target}" in text
        for goal in aim.goals:
            assert goal.description in text
    assert (
        "✓ On track: Falls with injury below 0.5 per 1,000 patient-days for six months "
        "(October 2026: 0 per 1,000 patient-days; target 0.5 or lower)" in text
    )
    assert (
        "✗ Not on track: At least 36 days between pressure injuries on average "
        "(October 2026: 28 days; target 36 or higher)" in text
    )
    assert "– Not measured: Every staff concern gets feedback within 30 days" in text
    assert "● Falls with injury (goal)" in text
    data = gather_alignment(demo_db, unit.id)
    falls = [c.label for c in data.categories].index("Falls")
    assert f"Falls: {data.aims[0].issue_counts[falls]}" in text
    assert "Not linked to any aim" in text
    for category, count in zip(data.categories, data.unlinked_issue_counts, strict=True):
        if count:
            assert f"{category.label}: {count}" in text
    assert links_and_images(pdf) == (0, 0)


def test_hostile_text_prints_as_typed(db: Database, tmp_path: Path) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    measure = measures.create_measure(db, unit_id, measures.MeasureFields(name=HOSTILE[0]))
    measures.set_point(db, measure.id, DEMO_DAY, value=3)
    aim = units.create_aim(
        db,
        unit_id,
        units.AimFields(
            HOSTILE[2],
            external_target=HOSTILE[3] + " 国家目标 — objectif national",
            goals=[units.GoalFields(HOSTILE[1], measure.id, 2.0)],
        ),
    )
    category = units.list_choices(db, "category", unit_id=unit_id)[0]
    issues.create_issue(
        db,
        unit_id,
        issues.IssueFields(HOSTILE[5], DEMO_DAY, category_id=category.id, aim_id=aim.id),
    )
    pdf = page(db, unit_id)
    qpdf_ok(pdf, tmp_path)
    text = flat(pdf_text(pdf))
    squeezed = "".join(text.split())  # a long link-like word may wrap anywhere
    above = f"{HOSTILE[2]} Sits under: {HOSTILE[3]} 国家目标 — objectif national"
    assert "".join(above.split()) in squeezed
    assert f"✗ Not on track: {HOSTILE[1]} ({DEMO_DAY:%B %Y}: 3; target 2 or lower)" in text
    assert f"◆ {HOSTILE[0]} (goal)" in text
    assert f"{category.label}: 1" in text
    assert links_and_images(pdf) == (0, 0)


def test_a_unit_without_aims(db: Database, tmp_path: Path) -> None:
    unit_id = units.create_unit(db, units.UnitFields(name="4 West")).id
    pdf = page(db, unit_id)
    qpdf_ok(pdf, tmp_path)
    assert "No strategic aims have been recorded yet, so the unit's work cannot be lined up" in (
        flat(pdf_text(pdf))
    )
