"""Export a unit's records to a spreadsheet: the tracking log, meetings, rounds, assessments
and measures.

An Excel workbook holds every table, one sheet each; a CSV file holds one table.
The tracking log's columns are those that ``log_import`` reads back, so an exported
log can be imported into another database without a mapping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.models import (
    SOURCE_LABELS,
    STATUS_LABELS,
    AgendaItem,
    AssessmentResponse,
    Choice,
    Decision,
    IssueNote,
    IssueSource,
    IssueStatus,
    Measure,
    MeasurePoint,
    Meeting,
    MeetingAttendee,
    Person,
    RoundParticipant,
    SafetyIssue,
    SafetyRound,
)
from cuspdesk.services.log_columns import LOG_COLUMNS, LogColumn
from cuspdesk.services.spreadsheet_files import (
    Cell,
    Progress,
    Table,
    check_spreadsheet_target,
    write_csv,
    write_xlsx,
)
from cuspdesk.services.units import get_unit

TABLES = ("log", "meetings", "rounds", "assessments", "measures")
TABLE_TITLES = {
    "log": "Tracking log",
    "meetings": "Meetings",
    "rounds": "Safety rounds",
    "assessments": "Staff safety assessments",
    "measures": "Measures",
}
ARCHIVED_HEADER = "Archived"


@dataclass(frozen=True)
class ExportResult:
    """What was written, in numbers and in one sentence for the person."""

    path: Path
    rows: dict[str, int]  # table -> rows written
    long_cells: int  # cells longer than Excel shows (XLSX only)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self, unit_name: str) -> str:
        parts = [f"{_count(n, _NOUNS[t])}" for t, n in self.rows.items()]
        what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentence = f"Wrote {what} of “{unit_name}” to {self.path}."
        if self.long_cells:
            sentence += (
                f" {_count(self.long_cells, ('cell holds', 'cells hold'))} more than 32,767 "
                "characters, more than a workbook cell can keep, and were cut short there; "
                "export to CSV to keep them whole."
            )
        return sentence


_NOUNS = {
    "log": ("issue", "issues"),
    "meetings": ("meeting", "meetings"),
    "rounds": ("safety round", "safety rounds"),
    "assessments": ("assessment response", "assessment responses"),
    "measures": ("measure data point", "measure data points"),
}


def _count(n: int, nouns: tuple[str, str]) -> str:
    return f"{n:,} {nouns[0] if n == 1 else nouns[1]}"


def export_spreadsheet(
    db: Database,
    unit_id: int,
    path: str | Path,
    *,
    table: str = "log",
    include_archived: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``path`` (.xlsx: every table; .csv: ``table`` only); the file appears whole or not.

    ``progress(done, total)`` is called now and then with rows written so far.
    """
    target = Path(path)
    check_spreadsheet_target(target)
    if table not in TABLES:
        raise ValidationError(f"There is no table called “{table}”; choose {', '.join(TABLES)}.")
    get_unit(db, unit_id)
    xlsx = target.suffix.lower() == ".xlsx"
    chosen = TABLES if xlsx else (table,)
    with db.reader() as session:
        counts = {name: _row_count(session, name, unit_id, include_archived) for name in chosen}
        total = sum(counts.values())
        tables = [_table(session, name, unit_id, include_archived) for name in chosen]
        if xlsx:
            written, long_cells = write_xlsx(target, tables, progress, total)
        else:
            written, long_cells = write_csv(target, tables[0], progress, total), 0
    if progress is not None:
        progress(written, total)
    return ExportResult(target, counts, long_cells)


def _table(session: Session, name: str, unit_id: int, include_archived: bool) -> Table:
    if name == "log":
        columns = _log_columns(include_archived)
        return Table(
            TABLE_TITLES[name],
            [c.header for c in columns],
            _log_rows(session, unit_id, include_archived),
            [c.width for c in columns],
        )
    headers, widths, rows = {
        "meetings": _meeting_table,
        "rounds": _round_table,
        "assessments": _assessment_table,
        "measures": _measure_table,
    }[name](session, unit_id)
    return Table(TABLE_TITLES[name], headers, rows, widths)


def _row_count(session: Session, name: str, unit_id: int, include_archived: bool) -> int:
    if name == "log":
        query = select(func.count()).where(SafetyIssue.unit_id == unit_id)
        if not include_archived:
            query = query.where(SafetyIssue.archived_at.is_(None))
    elif name == "meetings":
        query = select(func.count()).where(
            Meeting.unit_id == unit_id, Meeting.archived_at.is_(None)
        )
    elif name == "rounds":
        query = select(func.count()).where(
            SafetyRound.unit_id == unit_id, SafetyRound.archived_at.is_(None)
        )
    elif name == "assessments":
        query = select(func.count()).where(
            AssessmentResponse.unit_id == unit_id, AssessmentResponse.archived_at.is_(None)
        )
    else:
        query = (
            select(func.count())
            .select_from(MeasurePoint)
            .join(Measure, Measure.id == MeasurePoint.measure_id)
            .where(Measure.unit_id == unit_id, Measure.archived_at.is_(None))
        )
    return session.scalar(query) or 0


# --- the tracking log ----------------------------------------------------------------


def _log_columns(include_archived: bool) -> list[LogColumn]:
    columns = list(LOG_COLUMNS)
    if include_archived:
        columns.append(LogColumn("archived", ARCHIVED_HEADER, "yes/no", 10, importable=False))
    return columns


def format_notes(notes: Sequence[tuple[object, str]]) -> str:
    """Follow-up notes as one cell: each note on its own line after its date."""
    return "\n".join(f"{day}: {text}" for day, text in notes)


def _log_rows(session: Session, unit_id: int, include_archived: bool) -> Iterator[list[Cell]]:
    """Every issue of the unit in number order, as the export's cells, read in one pass."""
    owner = aliased(Person)
    sponsor = aliased(Person)
    category = aliased(Choice)
    where = [SafetyIssue.unit_id == unit_id]
    if not include_archived:
        where.append(SafetyIssue.archived_at.is_(None))
    notes: dict[int, list[tuple[object, str]]] = defaultdict(list)
    note_query = (
        select(IssueNote.issue_id, IssueNote.note_date, IssueNote.text)
        .join(SafetyIssue, SafetyIssue.id == IssueNote.issue_id)
        .where(*where, IssueNote.kind == "note")
        .order_by(IssueNote.issue_id, IssueNote.note_date, IssueNote.id)
    )
    for issue_id, day, text in session.execute(note_query):
        notes[issue_id].append((day.isoformat(), text))
    query = (
        select(
            SafetyIssue,
            func.coalesce(category.label, ""),
            func.coalesce(owner.full_name, ""),
            func.coalesce(sponsor.full_name, ""),
        )
        .outerjoin(category, category.id == SafetyIssue.category_id)
        .outerjoin(owner, owner.id == SafetyIssue.owner_id)
        .outerjoin(sponsor, sponsor.id == SafetyIssue.sponsor_id)
        .where(*where)
        .order_by(SafetyIssue.number)
        .execution_options(yield_per=500)
    )
    columns = _log_columns(include_archived)
    for issue, category_label, owner_name, sponsor_name in session.execute(query):
        values: dict[str, Cell] = {
            "uuid": issue.uuid,
            "category": category_label,
            "source": SOURCE_LABELS[IssueSource(issue.source)],
            "risk_score": issue.risk_score,
            "feasibility_score": issue.feasibility_score,
            "owner": owner_name,
            "sponsor": sponsor_name,
            "status": STATUS_LABELS[IssueStatus(issue.status)],
            "notes": format_notes(notes.pop(issue.id, [])),
            "archived": issue.archived_at is not None,
        }
        row = [values[c.key] if c.key in values else getattr(issue, c.key) for c in columns]
        session.expunge(issue)
        yield row


# --- the other tables ----------------------------------------------------------------

_TableParts = tuple[list[str], list[int], Iterator[list[Cell]]]


def _names_by(session: Session, query: object) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in session.execute(query):  # type: ignore[call-overload]
        found[owner_id].append(name)
    return found


def _meeting_table(session: Session, unit_id: int) -> _TableParts:
    mine = select(Meeting.id).where(Meeting.unit_id == unit_id)
    attendees = _names_by(
        session,
        select(MeetingAttendee.meeting_id, Person.full_name)
        .join(Person, Person.id == MeetingAttendee.person_id)
        .where(MeetingAttendee.meeting_id.in_(mine), MeetingAttendee.attended.is_(True))
        .order_by(MeetingAttendee.meeting_id, Person.full_name),
    )
    agenda = _names_by(
        session,
        select(AgendaItem.meeting_id, AgendaItem.title)
        .where(AgendaItem.meeting_id.in_(mine))
        .order_by(AgendaItem.meeting_id, AgendaItem.position),
    )
    decisions = _names_by(
        session,
        select(Decision.meeting_id, Decision.text)
        .where(Decision.meeting_id.in_(mine))
        .order_by(Decision.meeting_id, Decision.position),
    )
    actions = _names_by(
        session,
        select(SafetyIssue.meeting_id, SafetyIssue.number)
        .where(SafetyIssue.meeting_id.in_(mine), SafetyIssue.archived_at.is_(None))
        .order_by(SafetyIssue.meeting_id, SafetyIssue.number),
    )
    query = (
        select(Meeting, func.coalesce(Choice.label, ""))
        .outerjoin(Choice, Choice.id == Meeting.kind_id)
        .where(Meeting.unit_id == unit_id, Meeting.archived_at.is_(None))
        .order_by(Meeting.meeting_date, Meeting.id)
    )

    def rows() -> Iterator[list[Cell]]:
        for meeting, kind in session.execute(query):
            yield [
                meeting.meeting_date,
                kind,
                meeting.title,
                meeting.location,
                meeting.executive_attended,
                "; ".join(attendees.get(meeting.id, [])),
                "\n".join(agenda.get(meeting.id, [])),
                meeting.notes,
                "\n".join(decisions.get(meeting.id, [])),
                ", ".join(str(n) for n in actions.get(meeting.id, [])),
                meeting.next_meeting_date,
            ]

    headers = [
        "Date",
        "Kind",
        "Title",
        "Location",
        "Executive attended",
        "Attendees",
        "Agenda",
        "Notes",
        "Decisions",
        "New actions (issue numbers)",
        "Next meeting",
    ]
    return headers, [12, 22, 30, 16, 10, 40, 40, 50, 40, 16, 12], rows()


def _round_table(session: Session, unit_id: int) -> _TableParts:
    mine = select(SafetyRound.id).where(SafetyRound.unit_id == unit_id)
    participants = _names_by(
        session,
        select(RoundParticipant.round_id, Person.full_name)
        .join(Person, Person.id == RoundParticipant.person_id)
        .where(RoundParticipant.round_id.in_(mine))
        .order_by(RoundParticipant.round_id, Person.full_name),
    )
    findings = _names_by(
        session,
        select(SafetyIssue.round_id, SafetyIssue.number)
        .where(SafetyIssue.round_id.in_(mine), SafetyIssue.archived_at.is_(None))
        .order_by(SafetyIssue.round_id, SafetyIssue.number),
    )
    query = (
        select(SafetyRound, func.coalesce(Person.full_name, ""))
        .outerjoin(Person, Person.id == SafetyRound.executive_id)
        .where(SafetyRound.unit_id == unit_id, SafetyRound.archived_at.is_(None))
        .order_by(SafetyRound.round_date, SafetyRound.id)
    )

    def rows() -> Iterator[list[Cell]]:
        for rnd, executive in session.execute(query):
            yield [
                rnd.round_date,
                rnd.area,
                executive,
                "; ".join(participants.get(rnd.id, [])),
                rnd.questions_asked,
                rnd.notes,
                ", ".join(str(n) for n in findings.get(rnd.id, [])),
            ]

    headers = [
        "Date",
        "Area",
        "Executive",
        "Participants",
        "Questions asked",
        "Notes",
        "Findings (issue numbers)",
    ]
    return headers, [12, 20, 22, 40, 50, 50, 16], rows()


def _assessment_table(session: Session, unit_id: int) -> _TableParts:
    query = (
        select(AssessmentResponse, func.coalesce(Choice.label, ""), SafetyIssue.number)
        .outerjoin(Choice, Choice.id == AssessmentResponse.category_id)
        .outerjoin(SafetyIssue, SafetyIssue.id == AssessmentResponse.issue_id)
        .where(AssessmentResponse.unit_id == unit_id, AssessmentResponse.archived_at.is_(None))
        .order_by(AssessmentResponse.response_date, AssessmentResponse.id)
    )

    def rows() -> Iterator[list[Cell]]:
        for response, category, number in session.execute(query):
            yield [
                response.response_date,
                response.respondent_role,
                response.harm_answer,
                response.prevention_answer,
                category,
                number,
            ]

    headers = [
        "Date",
        "Role",
        "How will the next patient on our unit be harmed?",
        "What can we do to prevent it?",
        "Category",
        "Issue number",
    ]
    return headers, [12, 18, 60, 60, 16, 10], rows()


def _measure_table(session: Session, unit_id: int) -> _TableParts:
    query = (
        select(Measure.name, Measure.kind, MeasurePoint)
        .join(Measure, Measure.id == MeasurePoint.measure_id)
        .where(Measure.unit_id == unit_id, Measure.archived_at.is_(None))
        .order_by(Measure.position, Measure.id, MeasurePoint.period)
    )

    def rows() -> Iterator[list[Cell]]:
        for name, kind, point in session.execute(query):
            yield [
                name,
                kind,
                point.period,
                point.numerator,
                point.denominator,
                point.value,
                point.excluded,
                point.exclude_reason,
                point.note,
            ]

    headers = [
        "Measure",
        "Kind",
        "Period",
        "Numerator",
        "Denominator",
        "Value",
        "Excluded",
        "Reason excluded",
        "Note",
    ]
    return headers, [30, 14, 12, 12, 12, 12, 10, 30, 30], rows()
