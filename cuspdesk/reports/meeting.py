"""A meeting on paper: the agenda before it happens, the minutes once notes or decisions exist.

The agenda also lists the open issues the meeting should look at; the minutes
list who came, what was said under each item, what was decided and the new
actions (tracking-log issues) with their owners and dates.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from cuspdesk.reports import text
from cuspdesk.reports.document import render_pdf, write_pdf
from cuspdesk.reports.styles import (
    BODY,
    CELL_BOLD,
    MARGIN,
    NOTE,
    PORTRAIT,
    SUBHEADING,
    SUBTITLE,
    TITLE,
    PageInfo,
    cell,
    data_table,
    day,
    header_cells,
    overdue_text,
    section,
    status_text,
)
from cuspdesk.services.briefing import ActionLine, MeetingData

WIDTH = PORTRAIT[0] - 2 * MARGIN


def document_title(data: MeetingData) -> str:
    return "Meeting agenda" if data.is_agenda else "Meeting minutes"


def write_meeting(
    target: str | os.PathLike[str] | BinaryIO,
    data: MeetingData,
    *,
    printed_at: datetime | None = None,
) -> None:
    write_pdf(target, meeting_pdf(data, printed_at=printed_at))


def meeting_pdf(data: MeetingData, *, printed_at: datetime | None = None) -> bytes:
    info = PageInfo(
        title=document_title(data),
        unit_name=data.unit.name,
        hospital=data.unit.hospital,
        footer=data.footer,
        printed_at=printed_at or datetime.now(),
    )
    return render_pdf(meeting_story(data), info)


def meeting_story(data: MeetingData) -> list[Flowable]:
    m = data.meeting
    f = m.fields
    name = f.title or m.kind_label or "Meeting"
    story: list[Flowable] = [text.paragraph(name, TITLE, prefix=f"{document_title(data)}: ")]
    facts = [day(f.meeting_date)]
    if m.kind_label:
        facts.append(m.kind_label)
    if f.location:
        facts.append(f.location)
    story.append(text.paragraph(" · ".join(facts), SUBTITLE))
    if not data.is_agenda:
        attended = "Yes" if f.executive_attended else "No"
        story.append(Paragraph(f"<b>Executive partner attended:</b> {attended}", BODY))
    story += _attendees(data)
    story += _agenda(data)
    if not data.is_agenda:
        story += section("Notes", *text.long_text(f.notes, BODY, empty="No notes recorded."))
        story += _decisions(data)
        story += _actions(data.actions)
    else:
        story += _open_items(data)
    next_line = day(f.next_meeting_date, "not set yet")
    story += [Spacer(1, 3 * mm), Paragraph(f"<b>Next meeting:</b> {next_line}", BODY)]
    return story


def _attendees(data: MeetingData) -> list[Flowable]:
    people = data.meeting.attendees
    title = "Invited" if data.is_agenda else "Attendance"
    if not people:
        return section(title, Paragraph("No one recorded.", NOTE))
    if data.is_agenda:
        invited: list[list[object]] = [header_cells(["Name", "Title"])]
        invited += [[cell(a.full_name), cell(a.title)] for a in people]
        return section(title, data_table(invited, [70 * mm, 110 * mm]))
    rows: list[list[object]] = [header_cells(["Name", "Title", "Present"])]
    for a in people:
        present = "✓ Present" if a.attended else "✗ Apologies"
        rows.append([cell(a.full_name), cell(a.title), present])
    return section(title, data_table(rows, [60 * mm, 85 * mm, 35 * mm]))


def _agenda(data: MeetingData) -> list[Flowable]:
    items = data.meeting.fields.agenda
    if not items:
        return section("Agenda", Paragraph("No agenda items.", NOTE))
    out: list[Flowable] = []
    for number, item in enumerate(items, start=1):
        presenter = f" — {item.presenter}" if item.presenter else ""
        head = text.paragraph(item.title + presenter, SUBHEADING, prefix=f"{number}. ")
        body = text.long_text(item.minutes, BODY)
        if data.is_agenda or not body:
            out.append(head)
        else:
            out += [KeepTogether([head, body[0]]), *body[1:]]
    return section("Agenda", *out)


def _decisions(data: MeetingData) -> list[Flowable]:
    decisions = data.meeting.fields.decisions
    if not decisions:
        return section("Decisions", Paragraph("No decisions recorded.", NOTE))
    out: list[Flowable] = []
    for number, decision in enumerate(decisions, start=1):
        out += text.long_text(decision, BODY, prefix=f"{number}. ")
    return section("Decisions", *out)


def _actions(actions: tuple[ActionLine, ...]) -> list[Flowable]:
    title = "New actions (added to the tracking log)"
    if not actions:
        return section(title, Paragraph("No new actions.", NOTE))
    rows: list[list[object]] = [header_cells(["#", "Action", "Owner", "Target date", "Status"])]
    for a in actions:
        rows.append(
            [
                f"#{a.number}",
                cell(text.clip(a.description, 600)),
                cell(a.owner or "No owner"),
                day(a.target_date),
                status_text(a.status),
            ]
        )
    return section(title, data_table(rows, [12 * mm, 90 * mm, 32 * mm, 24 * mm, 22 * mm]))


def _open_items(data: MeetingData) -> list[Flowable]:
    items = data.open_items
    title = f"Open issues to review ({items.total:,})"
    if not items.rows:
        return section(title, Paragraph("There are no open issues.", NOTE))
    rows: list[list[object]] = [header_cells(["#", "Issue", "Owner", "Target date", "Status"])]
    alerts = []
    for index, r in enumerate(items.rows, start=1):
        target = day(r.target_date, "No date")
        if r.overdue:
            alerts.append(index)
            target += f"\n{overdue_text(r.days_overdue)}"
        rows.append(
            [
                f"#{r.number}",
                cell(text.clip(r.description, 300)),
                cell(r.owner or "No owner"),
                cell(target, CELL_BOLD) if r.overdue else target,
                status_text(r.status),
            ]
        )
    out: list[Flowable] = [
        data_table(rows, [12 * mm, 90 * mm, 32 * mm, 24 * mm, 22 * mm], alert_rows=alerts)
    ]
    if items.more > 0:
        out.append(Paragraph(f"… and {items.more:,} more in the tracking log.", NOTE))
    return section(title, *out)
