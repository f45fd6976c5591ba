"""Meeting agenda and minutes: attendance, agenda in order, decisions, new actions, long notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdf_reading import DEMO_DAY, HOSTILE, flat, links_and_images, page_texts, qpdf_ok

from cuspdesk.db import Database
from cuspdesk.reports.meeting import meeting_pdf
from cuspdesk.services import briefing, meetings, units
from cuspdesk.services.findings import FindingFields


def test_demo_minutes_and_agenda(demo_db: Database, tmp_path: Path) -> None:
    unit = units.find_unit(demo_db, None)
    rows = meetings.list_meetings(demo_db, unit.id)
    past = next(m for m in rows if m.meeting_date < DEMO_DAY and m.action_count)
    minutes = briefing.gather_meeting(demo_db, past.id, DEMO_DAY)
    assert not minutes.is_agenda
    pdf = meeting_pdf(minutes)
    qpdf_ok(pdf, tmp_path)
    text = flat(" ".join(page_texts(pdf)))
    assert text.startswith("Meeting minutes: CUSP executive partner meeting")
    assert "Executive partner attended: Yes" in text or "attended: No" in text
    agenda = [item.title for item in minutes.meeting.fields.agenda]
    positions = [text.index(f"{n}. {title}") for n, title in enumerate(agenda, start=1)]
    assert positions == sorted(positions)
    for number, decision in enumerate(minutes.meeting.fields.decisions, start=1):
        assert f"{number}. {decision}" in text
    for action in minutes.actions:
        assert f"#{action.number}" in text and action.owner in text
    for person in minutes.meeting.attendees:
        assert person.full_name in text
    assert "✓ Present" in text

    upcoming = next(m for m in rows if m.meeting_date > DEMO_DAY)
    agenda_data = briefing.gather_meeting(demo_db, upcoming.id, DEMO_DAY)
    assert agenda_data.is_agenda
    text = flat(" ".join(page_texts(meeting_pdf(agenda_data))))
    assert text.startswith("Meeting agenda: Pre-rounds briefing with the executive partner")
    assert f"Open issues to review ({agenda_data.open_items.total})" in text
    assert "✓ Present" not in text


def test_hostile_text_and_a_100000_character_note(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West"))
    owner = units.add_team_member(db, unit.id, units.PersonFields("王芳 & <Ops>"))
    note = "NOTESTART " + "the team talked at length " * 4200 + " NOTEEND"
    assert len(note) > 100_000
    meeting = meetings.create_meeting(
        db,
        unit.id,
        meetings.MeetingFields(
            meeting_date=date(2026, 11, 12),
            title=HOSTILE[0],
            notes=note,
            attendees=[meetings.AttendeeFields(owner.person_id, False)],
            agenda=[meetings.AgendaItemFields(h, presenter="Zoë", minutes=h * 3) for h in HOSTILE],
            decisions=list(HOSTILE),
        ),
        [FindingFields(description=HOSTILE[2], owner_id=owner.person_id)],
    )
    pdf = meeting_pdf(briefing.gather_meeting(db, meeting.id, DEMO_DAY))
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) > 5
    text = flat(" ".join(pages))
    assert text.startswith(f"Meeting minutes: {HOSTILE[0]}")
    for number, hostile in enumerate(HOSTILE, start=1):
        assert f"{number}. {hostile} — Zoë" in text
        assert f"{number}. {hostile}" in text
    assert text.index("NOTESTART") < text.index("NOTEEND")
    assert "✗ Apologies" in text
    assert links_and_images(pdf) == (0, 0)
