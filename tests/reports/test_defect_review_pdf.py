"""The Learning from Defects form: the four questions, factors by group, actions, sharing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdf_reading import HOSTILE, flat, links_and_images, page_texts, qpdf_ok

from cuspdesk.db import Database
from cuspdesk.reports.defect_review import defect_review_pdf
from cuspdesk.services import briefing, defects, units
from cuspdesk.services.findings import FindingFields


def test_demo_review_form(demo_db: Database, tmp_path: Path) -> None:
    unit = units.find_unit(demo_db, None)
    row = defects.list_reviews(demo_db, unit.id)[0]
    data = briefing.gather_defect_form(demo_db, row.id)
    pdf = defect_review_pdf(data)
    qpdf_ok(pdf, tmp_path)
    text = flat(" ".join(page_texts(pdf)))
    f = data.review.fields
    assert text.startswith(f"Learning from Defects: {f.title}")
    headings = [
        "1. What happened?",
        "2. Why did it happen? Contributing factors",
        "3. What did we do to reduce the risk?",
        "4. How do we know the risk is reduced?",
        "5. With whom did we share the learning?",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert flat(f.what_happened) in text
    for factor in f.factors:
        assert flat(factor.description) in text
    for action in data.actions:
        assert f"#{action.number}" in text
    for share in f.shares:
        assert share.audience in text


def test_hostile_review_and_long_text(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West"))
    story = "START " + "the pump was set wrongly " * 4100 + " END"
    review = defects.create_review(
        db,
        unit.id,
        defects.DefectFields(
            review_date=date(2026, 11, 20),
            title=HOSTILE[0],
            event_date=date(2026, 11, 14),
            what_happened=story,
            how_risk_reduced=HOSTILE[3],
            harm_reached_patient=True,
            led_by="Дмитрий Иванов",
            factors=[
                defects.FactorFields("task", HOSTILE[2]),
                defects.FactorFields("team", HOSTILE[1], positive=True),
            ],
            shares=[defects.ShareFields(HOSTILE[4], date(2026, 11, 21), HOSTILE[5])],
        ),
        [FindingFields(description=HOSTILE[1])],
    )
    pdf = defect_review_pdf(briefing.gather_defect_form(db, review.id))
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) > 5
    text = flat(" ".join(pages))
    assert "led by Дмитрий Иванов" in text
    assert "Yes — harm reached the patient" in text
    for hostile in HOSTILE:
        assert hostile in text
    assert text.index("START") < text.index("END")
    assert links_and_images(pdf) == (0, 0)
