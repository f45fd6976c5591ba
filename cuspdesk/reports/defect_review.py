"""The Learning from Defects form, filled in: the tool's four questions and who learned.

Laid out as the CUSP tool asks them: what happened; why it happened (the
contributing factors by group, both those that made it worse and those that
kept it from being worse); what was done to reduce the risk; how we know the
risk is reduced; and with whom the learning was shared.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from cuspdesk.models import FactorGroup
from cuspdesk.reports import text
from cuspdesk.reports.document import render_pdf, write_pdf
from cuspdesk.reports.styles import (
    BODY,
    NOTE,
    SUBTITLE,
    TITLE,
    PageInfo,
    cell,
    data_table,
    day,
    header_cells,
    section,
    status_text,
)
from cuspdesk.services.briefing import DefectFormData
from cuspdesk.services.defects import factor_group_label

TITLE_TEXT = "Learning from Defects"


def write_defect_review(
    target: str | os.PathLike[str] | BinaryIO,
    data: DefectFormData,
    *,
    printed_at: datetime | None = None,
) -> None:
    write_pdf(target, defect_review_pdf(data, printed_at=printed_at))


def defect_review_pdf(data: DefectFormData, *, printed_at: datetime | None = None) -> bytes:
    info = PageInfo(
        title=TITLE_TEXT,
        unit_name=data.unit.name,
        hospital=data.unit.hospital,
        footer=data.footer,
        printed_at=printed_at or datetime.now(),
    )
    return render_pdf(defect_review_story(data), info)


def defect_review_story(data: DefectFormData) -> list[Flowable]:
    f = data.review.fields
    story: list[Flowable] = [text.paragraph(f.title, TITLE, prefix=f"{TITLE_TEXT}: ")]
    facts = [f"Reviewed {day(f.review_date)}", f"event on {day(f.event_date, 'date not known')}"]
    if f.led_by:
        facts.append(f"led by {f.led_by}")
    story.append(text.paragraph(" · ".join(facts), SUBTITLE))
    harm = (
        "Yes — harm reached the patient"
        if f.harm_reached_patient
        else "No — harm did not reach the patient"
    )
    story.append(Paragraph(f"<b>Did harm reach the patient?</b> {harm}", BODY))

    story += section(
        "1. What happened?", *text.long_text(f.what_happened, BODY, empty="Not written yet.")
    )
    story += _factors(data)
    story += _actions(data)
    story += section(
        "4. How do we know the risk is reduced?",
        *text.long_text(f.how_risk_reduced, BODY, empty="Not written yet."),
    )
    story += _shares(data)
    return story


def _factors(data: DefectFormData) -> list[Flowable]:
    title = "2. Why did it happen? Contributing factors"
    factors = data.review.fields.factors
    if not factors:
        return section(title, Paragraph("No contributing factors recorded.", NOTE))
    rows: list[list[object]] = [
        header_cells(["Factor group", "Made it worse (−)", "Kept it from being worse (+)"])
    ]
    for group in FactorGroup:
        worse = [x.description for x in factors if x.group == group.value and not x.positive]
        better = [x.description for x in factors if x.group == group.value and x.positive]
        if not worse and not better:
            continue
        rows.append(
            [
                factor_group_label(group.value),
                [cell(text.clip(w, 1500)) for w in worse] or "",
                [cell(text.clip(b, 1500)) for b in better] or "",
            ]
        )
    intro = Paragraph(
        "Patient, task, caregiver, team, environment and organisation factors, as in the "
        "CUSP Learning from Defects tool.",
        NOTE,
    )
    return section(title, intro, data_table(rows, [30 * mm, 75 * mm, 75 * mm]))


def _actions(data: DefectFormData) -> list[Flowable]:
    title = "3. What did we do to reduce the risk?"
    if not data.actions:
        return section(title, Paragraph("No actions recorded yet.", NOTE))
    rows: list[list[object]] = [
        header_cells(["#", "Action (on the tracking log)", "Owner", "Follow-up", "Status"])
    ]
    for a in data.actions:
        rows.append(
            [
                f"#{a.number}",
                cell(text.clip(a.description, 800)),
                cell(a.owner or "No owner"),
                day(a.target_date),
                status_text(a.status),
            ]
        )
    return section(title, data_table(rows, [12 * mm, 92 * mm, 32 * mm, 22 * mm, 22 * mm]))


def _shares(data: DefectFormData) -> list[Flowable]:
    title = "5. With whom did we share the learning?"
    shares = data.review.fields.shares
    if not shares:
        return section(title, Paragraph("Not shared yet.", NOTE))
    rows: list[list[object]] = [header_cells(["Who", "When", "How"])]
    for s in shares:
        rows.append([cell(s.audience), day(s.shared_on), cell(s.method)])
    return section(title, data_table(rows, [80 * mm, 25 * mm, 75 * mm]))
