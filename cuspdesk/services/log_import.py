"""Import a tracking log kept in a spreadsheet (CSV or XLSX) into a unit's log.

Columns are recognised by the names teams give them (see ``log_columns``); a
column the app does not know must be mapped to a field or left out before
anything is read. Every row is checked with the same rules as the issue form and
the preview lists each row's problems in words; the import then saves every new
issue in one transaction, or none. A row whose ID is already in the log, or that
has the same date identified and description as an issue there, is recognised as
already present and skipped, so importing the same file twice adds nothing.

Names the database does not know yet are added rather than refused: a new
category goes on the unit's category list and a new owner or executive sponsor
joins the unit's team (both need the team leader's role); the preview names them.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError, Problem, ValidationError
from cuspdesk.models import (
    SOURCE_LABELS,
    STATUS_LABELS,
    Choice,
    IssueSource,
    IssueStatus,
    Person,
    SafetyIssue,
    TeamMember,
    Unit,
)
from cuspdesk.services import issues
from cuspdesk.services.access import allowed, require
from cuspdesk.services.log_columns import (
    COLUMNS_BY_KEY,
    DATE,
    IMPORTABLE,
    NUMBER,
    RATING,
    YES_NO,
    header_key,
    match_header,
)
from cuspdesk.services.spreadsheet_files import ReadTable, read_table
from cuspdesk.services.units import CATEGORY_LIST, PersonFields, add_choice_in, add_team_member_in
from cuspdesk.services.validation import EARLIEST_DATE, LATEST_DATE, SHORT_TEXT_LIMIT, today

MAX_LISTED_PROBLEMS = 20
REQUIRED = ("description", "date_identified")

_YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
_NO = {"no", "n", "false", "0", ""}
_STATUS_WORDS: dict[str, str] = {
    **{header_key(s.value): s.value for s in IssueStatus},
    **{header_key(label): s.value for s, label in STATUS_LABELS.items()},
    "new": "open",
    "notstarted": "open",
    "todo": "open",
    "ongoing": "in_progress",
    "started": "in_progress",
    "inhand": "in_progress",
    "wip": "in_progress",
    "onhold": "blocked",
    "stuck": "blocked",
    "done": "resolved",
    "fixed": "resolved",
    "complete": "resolved",
    "completed": "resolved",
}
_SOURCE_WORDS: dict[str, str] = {
    **{header_key(s.value): s.value for s in IssueSource},
    **{header_key(label): s.value for s, label in SOURCE_LABELS.items()},
    "ssa": "assessment",
    "staffsafetyassessment": "assessment",
    "staffassessment": "assessment",
    "survey": "assessment",
    "round": "safety_round",
    "rounds": "safety_round",
    "executivesafetyround": "safety_round",
    "executiveround": "safety_round",
    "lfd": "defect_review",
    "defect": "defect_review",
    "defectreview": "defect_review",
    "incident": "event_report",
    "incidentreport": "event_report",
    "eventreport": "event_report",
    "datix": "event_report",
    "huddle": "meeting",
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_ISO_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_NOTE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}): ", re.MULTILINE)
_EXCEL_SERIALS = (1, 2_958_465)  # the day numbers Excel gives 1900-01-01 to 9999-12-31


class UnknownColumnsError(ValidationError):
    """The file has columns CUSPDesk does not recognise; each must be mapped or left out."""

    def __init__(self, unknown: Sequence[str]) -> None:
        self.unknown: tuple[str, ...] = tuple(unknown)
        self.choices: tuple[tuple[str, str], ...] = tuple((c.key, c.header) for c in IMPORTABLE)
        shown = ", ".join(f"“{h}”" for h in self.unknown)
        plural = "columns" if len(self.unknown) > 1 else "column"
        super().__init__(
            f"The file has {plural} CUSPDesk does not recognise: {shown}. Say what each holds "
            '(with --map HEADER=FIELD, for example --map "Issue text=Description") or leave it '
            "out (with --skip HEADER)."
        )


class ImportRefusedError(ValidationError):
    """Some rows have problems, so nothing was imported; ``preview`` lists every row."""

    def __init__(self, preview: LogImportPreview) -> None:
        self.preview = preview
        super().__init__(
            [Problem(None, line) for line in preview.problem_lines()]
            + [Problem(None, "Nothing was imported.")]
        )


@dataclass(frozen=True)
class LogImportRow:
    """One row of the file as the preview shows it: what it will add, or why it cannot."""

    line: int
    number: int | None  # the number it will have, or the present issue's number
    date_identified: date | None
    description: str
    status: str
    owner: str
    problems: tuple[str, ...]
    present: str  # why the row is skipped as already in the log; empty for a new issue

    @property
    def outcome(self) -> str:
        if self.problems:
            return "Cannot import"
        if self.present:
            return "Already in the log"
        return "Will be added"


@dataclass(frozen=True)
class LogImportPreview:
    file_name: str
    row_word: str
    columns: tuple[tuple[str, str | None], ...]  # header -> field, None when left out
    rows: tuple[LogImportRow, ...]
    new_categories: tuple[str, ...]
    new_people: tuple[str, ...]

    @property
    def to_add(self) -> int:
        return sum(1 for r in self.rows if not r.problems and not r.present)

    @property
    def already_present(self) -> int:
        return sum(1 for r in self.rows if not r.problems and r.present)

    @property
    def with_problems(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def ok(self) -> bool:
        return self.with_problems == 0

    def summary(self) -> list[str]:
        """Plain sentences: what would be added, skipped and refused, and what is new."""
        lines = [
            f"{_rows(len(self.rows))} read from {self.file_name}: "
            f"{_issues(self.to_add)} will be added, "
            f"{self.already_present:,} already in the log will be skipped"
            + (f", {self.with_problems:,} cannot be imported." if self.with_problems else ".")
        ]
        if self.new_categories:
            lines.append(
                f"New categories will be added to the unit's list: {_names(self.new_categories)}."
            )
        if self.new_people:
            lines.append(f"New people will join the unit's team: {_names(self.new_people)}.")
        if self.with_problems:
            lines.append(
                "Nothing is imported while any row has a problem: correct the file and "
                "open it again."
            )
        return lines

    def problem_lines(self, limit: int = MAX_LISTED_PROBLEMS) -> list[str]:
        """“Row 5: …” for each row in error, the first ``limit`` of them and a count of the rest."""
        bad = [r for r in self.rows if r.problems]
        lines = [f"{self.row_word} {r.line}: {' '.join(r.problems)}" for r in bad[:limit]]
        if len(bad) > limit:
            lines.append(f"…and {len(bad) - limit:,} more {self.row_word.lower()}s with problems.")
        return lines


@dataclass(frozen=True)
class LogImportResult:
    added: int
    already_present: int
    numbers: tuple[int, ...]
    new_categories: tuple[str, ...]
    new_people: tuple[str, ...]

    def summary(self, unit_name: str) -> str:
        if not self.added:
            return (
                f"Nothing new to import into “{unit_name}”: all {_issues(self.already_present)} "
                "in the file are already in the log."
            )
        sentence = f"Imported {_issues(self.added)} into “{unit_name}”"
        if len(self.numbers) > 1:
            sentence += f" (numbers {min(self.numbers)} to {max(self.numbers)})"
        elif self.numbers:
            sentence += f" (number {self.numbers[0]})"
        if self.already_present:
            sentence += f"; {_issues(self.already_present)} already in the log were skipped"
        sentence += "."
        if self.new_categories:
            sentence += " Added to the category list: " + _names(self.new_categories) + "."
        if self.new_people:
            sentence += " Added to the unit's team: " + _names(self.new_people) + "."
        return sentence


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _issues(n: int) -> str:
    return f"{n:,} issue" if n == 1 else f"{n:,} issues"


# --- public entry points -------------------------------------------------------------


def preview_log_import(
    db: Database,
    unit_id: int,
    path: str | Path,
    *,
    columns: Mapping[str, str | None] | None = None,
) -> LogImportPreview:
    """Read ``path`` and say, row by row, what importing it would do; saves nothing.

    ``columns`` maps a header to a field key (or None to leave the column out), for
    headers CUSPDesk does not recognise; without it such headers raise
    ``UnknownColumnsError``.
    """
    table = read_table(path)
    mapping = resolve_columns(table.headers, columns)
    with db.reader() as session:
        return _plan(session, db.actor.role, unit_id, table, mapping).preview


def import_log(
    db: Database,
    unit_id: int,
    path: str | Path,
    *,
    columns: Mapping[str, str | None] | None = None,
) -> LogImportResult:
    """Add every new issue of ``path`` in one transaction, or none if any row has a problem."""
    require(db, "issues.edit")
    table = read_table(path)
    mapping = resolve_columns(table.headers, columns)
    with db.session() as session:
        plan = _plan(session, db.actor.role, unit_id, table, mapping)
        preview = plan.preview
        if not preview.ok:
            raise ImportRefusedError(preview)
        numbers = _save(session, unit_id, plan)
    return LogImportResult(
        added=len(numbers),
        already_present=preview.already_present,
        numbers=tuple(numbers),
        new_categories=preview.new_categories,
        new_people=preview.new_people,
    )


def field_choices() -> tuple[tuple[str, str, str], ...]:
    """(key, name, what it expects) of each field an unknown column can be mapped to."""
    return tuple((c.key, c.header, c.hint) for c in IMPORTABLE)


def resolve_columns(
    headers: Sequence[str], columns: Mapping[str, str | None] | None = None
) -> list[str | None]:
    """The field each header holds (None: left out); raises for unknown or doubled columns."""
    chosen = {header_key(h): _field_key(f) for h, f in (columns or {}).items()}
    known = {header_key(h) for h in headers}
    for given in columns or {}:
        if header_key(given) not in known:
            raise ValidationError(
                f"The file has no column “{given}”; its columns are "
                + ", ".join(f"“{h}”" for h in headers if h)
                + "."
            )
    result: list[str | None] = []
    unknown: list[str] = []
    for header in headers:
        key = header_key(header)
        if key in chosen:
            result.append(chosen[key])
        elif not header:
            result.append(None)
        else:
            found = match_header(header)
            if found is None:
                unknown.append(header)
            result.append(found if found and COLUMNS_BY_KEY[found].importable else None)
    if unknown:
        raise UnknownColumnsError(unknown)
    seen: dict[str, str] = {}
    for header, held in zip(headers, result, strict=True):
        if held is None:
            continue
        key = held
        if key in seen:
            raise ValidationError(
                f"The columns “{seen[key]}” and “{header}” both hold "
                f"{COLUMNS_BY_KEY[key].header.lower()}; leave one of them out."
            )
        seen[key] = header
    missing = [k for k in REQUIRED if k not in seen]
    if missing:
        names = " and ".join(f"“{COLUMNS_BY_KEY[k].header}”" for k in missing)
        raise ValidationError(
            f"The file has no {names} column; every issue needs "
            f"{' and '.join(COLUMNS_BY_KEY[k].header.lower() for k in missing)}. "
            "Name the column so, or map it to that field."
        )
    return result


def _field_key(value: str | None) -> str | None:
    if value is None or not value.strip() or header_key(value) in {"skip", "none", "leaveout"}:
        return None
    found = match_header(value)
    if found is None or not COLUMNS_BY_KEY[found].importable:
        names = ", ".join(c.header for c in IMPORTABLE)
        raise ValidationError(f"“{value}” is not a field an issue has; choose one of {names}.")
    return found


# --- reading each row ----------------------------------------------------------------


@dataclass
class _Item:
    line: int
    cells: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    data: issues.IssueFields | None = None
    status: str = IssueStatus.OPEN.value
    wanted_number: int | None = None
    number: int | None = None
    uuid: str | None = None
    category: str = ""
    owner: str = ""
    sponsor: str = ""
    notes: list[tuple[date, str]] = field(default_factory=list)
    date_closed: date | None = None
    present: str = ""
    unreadable: set[str] = field(default_factory=set)  # fields whose cell could not be read


@dataclass
class _Plan:
    items: list[_Item]
    preview: LogImportPreview
    categories: dict[str, int]
    people: dict[str, int]
    new_categories: dict[str, str]  # folded name -> name as first written
    new_people: dict[str, str]
    held: list[object]  # the records the checks look up, kept in the session's memory


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _plan(
    session: Session, role: str, unit_id: int, table: ReadTable, mapping: list[str | None]
) -> _Plan:
    """Read and check every row against the database, with a handful of queries in all."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("That unit no longer exists.")
    # Held for the whole plan: the session keeps records only while something refers to
    # them, and every row's checks look these up again.
    held: list[object] = [unit, *_categories(session, unit_id), *_people(session, unit_id)]
    categories = _by_name([r for r in held if isinstance(r, Choice)])
    people = _by_name([r for r in held if isinstance(r, Person)])
    existing = _existing(session, unit_id)
    new_categories: dict[str, str] = {}
    new_people: dict[str, str] = {}
    may_add_names = allowed(role, "unit.manage")
    items: list[_Item] = []
    for line, row in table.rows:
        cells = {key: row[i] for i, key in enumerate(mapping) if key is not None and i < len(row)}
        item = _Item(line, cells)
        _read_cells(item)
        items.append(item)
    _recognise_present(session, items, existing, table.row_word)
    taken = {number for number, _, _ in existing.values()}
    for item in items:
        if item.present:
            continue
        adding: list[tuple[dict[str, str], str, str]] = []
        for kind, name in (
            ("category", item.category),
            ("owner", item.owner),
            ("sponsor", item.sponsor),
        ):
            if not name:
                continue
            known = categories if kind == "category" else people
            pending = new_categories if kind == "category" else new_people
            if _fold(name) in known:
                continue
            if not may_add_names:
                what = (
                    "is not on the unit's category list"
                    if kind == "category"
                    else "is not on the unit's team"
                )
                item.problems.append(
                    f"“{name}” {what}, and only the team leader can add "
                    f"{'categories' if kind == 'category' else 'people'}; "
                    "correct the name or ask the team leader to add it first."
                )
                continue
            written = " ".join(name.split())
            if len(written) > SHORT_TEXT_LIMIT:
                item.problems.append(
                    f"The {COLUMNS_BY_KEY[kind].header.lower()} is too long for a name "
                    f"({len(written):,} characters; the limit is {SHORT_TEXT_LIMIT})."
                )
                continue
            adding.append((pending, _fold(name), written))
        assert item.data is not None
        data = item.data
        data.category_id = categories.get(_fold(item.category)) if item.category else None
        data.owner_id = people.get(_fold(item.owner)) if item.owner else None
        data.sponsor_id = people.get(_fold(item.sponsor)) if item.sponsor else None
        for problem in issues.issue_problems_in(session, unit_id, data, item.status):
            if problem.field not in item.unreadable:  # already said why the cell is wrong
                item.problems.append(problem.message)
        _check_closed(item)
        if not item.problems:  # a name is added only for a row that will be imported
            for pending, folded, written in adding:
                pending.setdefault(folded, written)
    _number(items, taken)
    rows = tuple(_public_row(item) for item in items)
    preview = LogImportPreview(
        file_name=table.file_name,
        row_word=table.row_word,
        columns=tuple(zip(table.headers, mapping, strict=True)),
        rows=rows,
        new_categories=tuple(new_categories.values()),
        new_people=tuple(new_people.values()),
    )
    return _Plan(items, preview, categories, people, new_categories, new_people, held)


def _read_cells(item: _Item) -> None:
    """Turn one row's cells into issue fields, noting every cell that cannot be read."""
    cells = item.cells
    values: dict[str, Any] = {}
    for key, raw in cells.items():
        kind = COLUMNS_BY_KEY[key].kind
        label = COLUMNS_BY_KEY[key].header
        try:
            if kind == DATE:
                values[key] = read_date(raw, label)
            elif kind in (RATING, NUMBER):
                values[key] = _read_whole(raw, label)
            elif kind == YES_NO:
                values[key] = _read_yes_no(raw, label)
            else:
                values[key] = _text(raw)
        except ValidationError as exc:
            item.problems.append(str(exc))
            item.unreadable.add(key)
    item.category = values.get("category", "")
    item.owner = values.get("owner", "")
    item.sponsor = values.get("sponsor", "")
    item.wanted_number = values.get("number")
    if item.wanted_number is not None and item.wanted_number < 1:
        item.problems.append("The number must be 1 or more.")
        item.wanted_number = None
    item.uuid = _uuid_or_none(values.get("uuid", ""))
    status_text = values.get("status", "")
    if status_text:
        status = _STATUS_WORDS.get(header_key(status_text))
        if status is None:
            item.problems.append(
                f"The status “{status_text}” is not one CUSPDesk knows; use "
                + ", ".join(label.lower() for label in STATUS_LABELS.values())
                + "."
            )
        else:
            item.status = status
    source = IssueSource.OTHER.value
    source_text = values.get("source", "")
    if source_text:
        found = _SOURCE_WORDS.get(header_key(source_text))
        if found is None:
            item.problems.append(
                f"The source “{source_text}” is not one CUSPDesk knows; use "
                + ", ".join(label.lower() for label in SOURCE_LABELS.values())
                + "."
            )
        else:
            source = found
    item.notes = _read_notes(values.get("notes", ""), item)
    item.date_closed = values.get("date_closed")
    identified = values.get("date_identified")
    fields = {
        name: values[name]
        for name in (
            "event_report_ref",
            "location",
            "likelihood",
            "severity",
            "mitigate_ability",
            "implement_ability",
            "action_plan",
            "barriers",
            "needs_executive",
            "target_date",
            "date_resolved",
            "risk_reduced_evidence",
            "staff_feedback",
            "feedback_date",
            "harm_event",
        )
        if name in values and values[name] is not None
    }
    item.data = issues.IssueFields(
        description=values.get("description", ""),
        date_identified=identified,  # type: ignore[arg-type]  # None is reported by the check
        source=source,
        **fields,
    )


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def read_date(raw: Any, label: str) -> date | None:
    """A date from a cell: a real spreadsheet date, 2026-03-31, 31/03/2026 or 31.03.2026."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if _EXCEL_SERIALS[0] <= raw <= _EXCEL_SERIALS[1]:
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(raw)
            if isinstance(converted, datetime):
                return converted.date()
            if isinstance(converted, date):
                return converted
        raise ValidationError(f"{label}: {_text(raw)} is not a date.")
    text = str(raw).strip()
    with_time = _ISO_WITH_TIME.match(text)
    if with_time:
        text = with_time[1]
    year = month = day = 0
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        year, month, day = (int(p) for p in text.split("-"))
    elif m := _YEAR_FIRST.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 2000
    else:
        raise ValidationError(
            f"{label} “{text}” is not a date; write it as 2026-03-31 or 31/03/2026."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{label} {text} does not exist on the calendar.") from None


def _read_whole(raw: Any, label: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError(f"{label} must be a whole number, not “{_text(raw)}”.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"[+-]?\d{1,9}(\.0+)?", text):
        return int(float(text))
    raise ValidationError(f"{label} must be a whole number, not “{text}”.")


def _read_yes_no(raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"{label} should be yes or no, not “{_text(raw)}”.")


def _uuid_or_none(text: str) -> str | None:
    """The identifier in an ID cell CUSPDesk wrote; a team's own IDs (1, 2, A-7) are not one."""
    try:
        return str(uuid_module.UUID(text.strip()))
    except ValueError:
        return None


def _read_notes(text: str, item: _Item) -> list[tuple[date, str]]:
    """Notes from one cell: each line starting ``YYYY-MM-DD: `` begins a dated note."""
    if not text.strip():
        return []
    notes: list[tuple[date, str]] = []
    starts = list(_NOTE_LINE.finditer(text))
    leading = text[: starts[0].start()] if starts else text
    if leading.strip():
        notes.append((today(), leading.strip()))
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[match.end() : end].strip()
        try:
            day = read_date(match[1], "A follow-up note's date")
        except ValidationError as exc:
            item.problems.append(str(exc))
            continue
        if day is None or not body:
            continue
        if not EARLIEST_DATE <= day <= LATEST_DATE or day > today():
            item.problems.append(
                f"The follow-up note dated {day.isoformat()} must be dated between "
                f"{EARLIEST_DATE.year} and today."
            )
            continue
        notes.append((day, body))
    return notes


def _check_closed(item: _Item) -> None:
    closed = item.date_closed
    if closed is None:
        return
    if item.status != IssueStatus.CLOSED.value:
        item.problems.append(
            "Only a closed issue has a date closed; clear the date or set the status to closed."
        )
        return
    data = item.data
    assert data is not None
    if closed > today():
        item.problems.append("The date closed cannot be in the future.")
    elif data.date_identified is not None and closed < data.date_identified:
        item.problems.append("The date closed cannot be before the date the issue was identified.")
    elif closed < EARLIEST_DATE:
        item.problems.append(f"The date closed must be after {EARLIEST_DATE.year}.")


# --- what is already there -----------------------------------------------------------


def _categories(session: Session, unit_id: int) -> list[Choice]:
    """The unit's categories, its own entries first, then the active ones."""
    return list(
        session.scalars(
            select(Choice)
            .where(
                Choice.list_name == CATEGORY_LIST,
                (Choice.unit_id.is_(None)) | (Choice.unit_id == unit_id),
            )
            .order_by(Choice.unit_id.is_(None), Choice.active.desc(), Choice.id)
        )
    )


def _people(session: Session, unit_id: int) -> list[Person]:
    """Everyone in the database, the unit's own team first (it wins when names are shared)."""
    team = set(session.scalars(select(TeamMember.person_id).where(TeamMember.unit_id == unit_id)))
    people = session.scalars(
        select(Person).where(Person.archived_at.is_(None)).order_by(Person.id)
    ).all()
    return sorted(people, key=lambda p: (p.id not in team, p.id))


def _by_name(records: Sequence[Choice | Person]) -> dict[str, int]:
    found: dict[str, int] = {}
    for record in records:
        name = record.label if isinstance(record, Choice) else record.full_name
        found.setdefault(_fold(name), record.id)
    return found


def _existing(session: Session, unit_id: int) -> dict[str, tuple[int, date, str]]:
    """The unit's issues (archived too) by identifier: (number, date identified, description)."""
    rows = session.execute(
        select(
            SafetyIssue.uuid,
            SafetyIssue.number,
            SafetyIssue.date_identified,
            SafetyIssue.description,
        ).where(SafetyIssue.unit_id == unit_id)
    )
    return {uuid: (number, day, description) for uuid, number, day, description in rows}


def _recognise_present(
    session: Session,
    items: list[_Item],
    existing: dict[str, tuple[int, date, str]],
    row_word: str,
) -> None:
    """Mark rows already in the log (same ID, else same date and description) or in the file."""
    by_text = {(day, _fold(text)): number for number, day, text in existing.values()}
    seen_ids: dict[str, int] = {}
    seen_text: dict[tuple[date, str], int] = {}
    elsewhere = _ids_in_other_units(session, [i.uuid for i in items if i.uuid], existing)
    for item in items:
        data = item.data
        assert data is not None
        text_key = (data.date_identified, _fold(data.description))
        if item.uuid is not None and item.uuid in existing:
            item.present = f"Already in the log as issue {existing[item.uuid][0]} (same ID)."
            item.number = existing[item.uuid][0]
        elif item.uuid is not None and item.uuid in seen_ids:
            item.present = f"The same issue as {row_word.lower()} {seen_ids[item.uuid]} (same ID)."
        elif text_key in by_text:
            item.present = (
                f"Already in the log as issue {by_text[text_key]} "
                "(same date identified and description)."
            )
            item.number = by_text[text_key]
        elif text_key in seen_text:
            item.present = (
                f"The same issue as {row_word.lower()} {seen_text[text_key]} "
                "(same date identified and description)."
            )
        if item.present:
            item.problems.clear()  # a row that will be skipped is not checked
            continue
        if item.uuid is not None:
            if item.uuid in elsewhere:
                item.uuid = None  # another unit's issue: this copy gets its own identifier
            else:
                seen_ids[item.uuid] = item.line
        if data.date_identified is not None and data.description.strip():
            seen_text.setdefault(text_key, item.line)


def _ids_in_other_units(
    session: Session, ids: list[str], existing: dict[str, tuple[int, date, str]]
) -> set[str]:
    wanted = [i for i in ids if i not in existing]
    found: set[str] = set()
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        found.update(session.scalars(select(SafetyIssue.uuid).where(SafetyIssue.uuid.in_(chunk))))
    return found


def _number(items: list[_Item], taken: set[int]) -> None:
    """Keep each new issue's own number when it is free; the others follow the highest."""
    claimed = set(taken)
    for item in items:
        if item.problems or item.present or item.wanted_number is None:
            continue
        if item.wanted_number not in claimed:
            item.number = item.wanted_number
            claimed.add(item.wanted_number)
    following = max(claimed, default=0)
    for item in items:
        if item.problems or item.present or item.number is not None:
            continue
        following += 1
        item.number = following


def _public_row(item: _Item) -> LogImportRow:
    data = item.data
    return LogImportRow(
        line=item.line,
        number=item.number if not item.problems else None,
        date_identified=data.date_identified if data is not None else None,
        description=data.description if data is not None else "",
        status=STATUS_LABELS[IssueStatus(item.status)],
        owner=item.owner,
        problems=tuple(dict.fromkeys(item.problems)),
        present=item.present,
    )


# --- saving --------------------------------------------------------------------------


def _save(session: Session, unit_id: int, plan: _Plan) -> list[int]:
    """Add the plan's new names, then its new issues with their notes; returns their numbers."""
    categories = dict(plan.categories)
    people = dict(plan.people)
    for folded, name in plan.new_categories.items():
        choice = add_choice_in(session, CATEGORY_LIST, name, unit_id=unit_id)
        plan.held.append(choice)
        categories[folded] = choice.id
    for folded, name in plan.new_people.items():
        member = add_team_member_in(session, unit_id, PersonFields(name))
        plan.held.extend((member, member.person))
        people[folded] = member.person_id
    new = [item for item in plan.items if not item.present]
    entries: list[issues.NewIssue] = []
    for item in new:
        data = item.data
        assert data is not None and item.number is not None
        data.category_id = categories.get(_fold(item.category)) if item.category else None
        data.owner_id = people.get(_fold(item.owner)) if item.owner else None
        data.sponsor_id = people.get(_fold(item.sponsor)) if item.sponsor else None
        entries.append(
            issues.NewIssue(
                data,
                status=item.status,
                number=item.number,
                uuid=item.uuid,
                on=item.date_closed or data.date_resolved,
            )
        )
    created = issues.create_issues_in(session, unit_id, entries)
    for item, issue in zip(new, created, strict=True):
        for day, text in item.notes:
            issues.add_note_in(session, issue, text, day)
    numbers = [issue.number for issue in created]
    session.flush()
    return numbers
