"""Unit files: one unit's records in a single file, and merging such a file back.

An offline laptop exports its unit (``export_unit``); the shared database merges the
file (``merge_unit_file``), and the other way round. Records are matched by uuid.
A record changed on one side only since the two last agreed takes that side's
version; a record changed on both sides becomes a stored conflict for a person to
decide (``list_conflicts``, ``decide_conflict``), never a silent overwrite. Each
database remembers the file versions it has dealt with, so merging the same file
twice changes nothing.

A unit file is a zip archive holding ``unit.json``: the format name and version, the
id of the database it came from, when it was exported, the unit, and every record
(kind, uuid, the content both sides compare, the numbering carried along, the version
last agreed with the other side, and the record's version and time of last change).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid as uuid_module
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cuspdesk import __version__
from cuspdesk.db import Database, storage_reason
from cuspdesk.errors import NotFoundError, UnitFileError, ValidationError
from cuspdesk.models import (
    ACTIVE_STATUSES,
    AgendaItem,
    AppSetting,
    AssessmentResponse,
    Base,
    Choice,
    ContributingFactor,
    Decision,
    DefectReview,
    ExchangeSource,
    ExchangeState,
    ExecutivePartnerAssignment,
    Goal,
    IssueNote,
    LearningShare,
    Measure,
    MeasureAnnotation,
    MeasureBaseline,
    MeasurePoint,
    Meeting,
    MeetingAttendee,
    MergeConflict,
    Person,
    RoundParticipant,
    SafetyIssue,
    SafetyRound,
    StrategicAim,
    TeamMember,
    Unit,
    utcnow,
)
from cuspdesk.models.base import UTCDateTime, new_uuid
from cuspdesk.output_files import atomic_file
from cuspdesk.services.access import require
from cuspdesk.services.audit import entity_label
from cuspdesk.services.settings import get_setting, put_setting
from cuspdesk.services.units import ensure_default_lists

FORMAT = "cuspdesk-unit-file"
FORMAT_VERSION = 1
SUFFIX = ".cuspdesk"
MEMBER = "unit.json"
DATABASE_ID_KEY = "exchange.database_id"
# A unit's records are a few megabytes; anything far larger is not a file we wrote.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
KEEP_CHOICES = ("database", "file")
SUPERSEDED = "superseded"

# Columns that identify a row in one database only, or change on every save.
_LOCAL_COLUMNS = frozenset({"id", "uuid", "updated_at", "version"})
# Columns carried in the file but not compared: they are this database's own order.
_CARRIED_ONLY = frozenset({"created_at"})
FIELD_LABELS = {
    "risk_reduced_evidence": "How we know the risk is reduced",
    "needs_executive": "Needs the executive",
    "harm_answer": "How will the next patient be harmed?",
    "prevention_answer": "What can we do to prevent it?",
    "staff_feedback": "Feedback given to staff",
    "harm_event": "Harm event",
    "archived_at": "Archived",
}


# --- what a unit file holds ----------------------------------------------------------


@dataclass(frozen=True)
class _Child:
    """Rows that belong to one record and travel inside it (a meeting's agenda items)."""

    name: str
    model: type[Base]
    parent_key: str
    as_set: bool = False  # order carries no meaning: compared sorted


@dataclass(frozen=True)
class _Kind:
    """One kind of record in a unit file, in the order a merge must add them."""

    entity: str
    model: type[Base]
    unit_scoped: bool
    children: tuple[_Child, ...] = ()
    carried: tuple[str, ...] = ()  # this database's own numbering: kept when free, not compared
    natural_key: tuple[str, ...] = ()  # what makes two rows the same when their uuids differ


KINDS: tuple[_Kind, ...] = (
    _Kind("person", Person, False),
    _Kind(
        "unit",
        Unit,
        False,
        children=(
            _Child("team_member", TeamMember, "unit_id", as_set=True),
            _Child("executive_assignment", ExecutivePartnerAssignment, "unit_id", as_set=True),
        ),
    ),
    _Kind("strategic_aim", StrategicAim, True, children=(_Child("goal", Goal, "aim_id"),)),
    _Kind(
        "measure",
        Measure,
        True,
        children=(_Child("measure_baseline", MeasureBaseline, "measure_id"),),
    ),
    _Kind(
        "safety_round",
        SafetyRound,
        True,
        children=(_Child("round_participant", RoundParticipant, "round_id", as_set=True),),
    ),
    _Kind(
        "meeting",
        Meeting,
        True,
        children=(
            _Child("meeting_attendee", MeetingAttendee, "meeting_id", as_set=True),
            _Child("agenda_item", AgendaItem, "meeting_id"),
            _Child("decision", Decision, "meeting_id"),
        ),
    ),
    _Kind(
        "defect_review",
        DefectReview,
        True,
        children=(
            _Child("contributing_factor", ContributingFactor, "review_id"),
            _Child("learning_share", LearningShare, "review_id"),
        ),
    ),
    _Kind("safety_issue", SafetyIssue, True, carried=("number", "priority_rank")),
    _Kind("issue_note", IssueNote, False),
    _Kind("assessment_response", AssessmentResponse, True),
    _Kind("measure_point", MeasurePoint, False, natural_key=("measure_id", "period")),
    _Kind("measure_annotation", MeasureAnnotation, False),
)
KIND_BY_ENTITY = {kind.entity: kind for kind in KINDS}


@dataclass(frozen=True)
class PackageRecord:
    """One record as the file holds it: comparable ``content``, ``carried`` local numbering."""

    entity: str
    uuid: str
    content: dict[str, Any]
    carried: dict[str, Any]
    base: str | None
    base_with: str | None = None  # the database the exporter agreed ``base`` with

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.content)


@dataclass(frozen=True)
class UnitPackage:
    """A unit file read and checked, ready to merge."""

    path: Path
    format_version: int
    database_id: str
    exported_at: datetime
    app_version: str
    unit_uuid: str
    unit_name: str
    records: tuple[PackageRecord, ...]

    def count(self, entity: str) -> int:
        return sum(1 for r in self.records if r.entity == entity)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    unit_name: str
    records: int


@dataclass(frozen=True)
class MergeResult:
    """What a merge did (or, with ``dry_run``, would do)."""

    unit_id: int | None
    unit_name: str
    file_name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    dry_run: bool = False

    def sentence(self) -> str:
        counts = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{_plural(self.conflicts, 'conflict')} to decide"
        )
        if self.dry_run:
            return (
                f"Checked “{self.file_name}” against “{self.unit_name}” and saved nothing; "
                f"merging it would give {counts}."
            )
        return f"Merged “{self.file_name}” into “{self.unit_name}”: {counts}."


@dataclass(frozen=True)
class FieldDifference:
    """One field of a conflict, side by side."""

    field: str
    label: str
    database: str
    file: str


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    unit_id: int | None
    entity: str
    entity_label: str
    label: str
    file_name: str
    found_at: datetime
    decided_at: datetime | None
    decision: str | None
    decided_by: str
    differences: tuple[FieldDifference, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        return self.decided_at is None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fingerprint(content: dict[str, Any]) -> str:
    """The same text for the same content in any database: sorted keys, no spacing."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- reading and writing values -------------------------------------------------------


def _columns(model: type[Base]) -> list[tuple[str, sa.Column[Any]]]:
    return [
        (key, col) for key, col in sa.inspect(model).columns.items() if isinstance(col, sa.Column)
    ]


def _target_table(col: sa.Column[Any]) -> str | None:
    for foreign_key in col.foreign_keys:
        return str(foreign_key.column.table.name)
    return None


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Damaged(Exception):
    """A value in the file is not what its column holds."""


def _decode(col: sa.Column[Any], value: Any) -> Any:
    if value is None:
        if not col.nullable:
            raise _Damaged(col.key)
        return None
    kind = col.type
    try:
        if isinstance(kind, UTCDateTime):
            stamp = datetime.fromisoformat(value)
            if stamp.tzinfo is None:
                raise _Damaged(col.key)
            return stamp
        if isinstance(kind, sa.Date):
            return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Damaged(col.key) from None
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise _Damaged(col.key)
        return value
    if isinstance(kind, sa.Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Damaged(col.key)
        return value
    if isinstance(kind, sa.Float):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _Damaged(col.key)
        return float(value)
    if not isinstance(value, str):
        raise _Damaged(col.key)
    return value


class _Refs:
    """Turns this database's ids into uuids and back, and finds or adds list entries."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._uuids: dict[str, dict[int, str]] = {}
        self._ids: dict[str, dict[str, int]] = {}
        self.people: set[str] = set()

    def _load(self, table: str) -> None:
        if table in self._uuids:
            return
        t = Base.metadata.tables[table]
        rows = self.session.execute(select(t.c.id, t.c.uuid)).all()
        self._uuids[table] = {int(i): str(u) for i, u in rows}
        self._ids[table] = {str(u): int(i) for i, u in rows}

    def uuid_of(self, table: str, record_id: int) -> str:
        self._load(table)
        found = self._uuids[table].get(record_id)
        if found is None:  # added in this transaction after the table was loaded
            t = Base.metadata.tables[table]
            found = self.session.scalar(select(t.c.uuid).where(t.c.id == record_id))
            if found is None:
                raise NotFoundError("A record this one points at no longer exists.")
            self.add(table, record_id, str(found))
        if table == "person":
            self.people.add(str(found))
        return str(found)

    def id_of(self, table: str, record_uuid: str) -> int | None:
        self._load(table)
        return self._ids[table].get(record_uuid)

    def add(self, table: str, record_id: int, record_uuid: str) -> None:
        self._load(table)
        self._uuids[table][record_id] = record_uuid
        self._ids[table][record_uuid] = record_id

    def choice_ref(self, choice_id: int) -> dict[str, Any]:
        choice = self.session.get(Choice, choice_id)
        if choice is None:
            raise NotFoundError("A list entry this record uses no longer exists.")
        if choice.key:
            return {"list": choice.list_name, "key": choice.key}
        return {"list": choice.list_name, "label": choice.label}

    def choice_id(self, ref: Any, unit_id: int | None) -> int:
        """The matching entry of this database's list, added to the unit's list when missing."""
        if not isinstance(ref, dict) or not isinstance(ref.get("list"), str):
            raise _Damaged("choice")
        list_name, key, label = ref["list"], ref.get("key"), ref.get("label")
        if (
            not isinstance(key, str | None)
            or not isinstance(label, str | None)
            or not (key or label)
        ):
            raise _Damaged("choice")
        scope = Choice.unit_id.is_(None) | (Choice.unit_id == unit_id)
        query = select(Choice.id).where(Choice.list_name == list_name, scope)
        found = None
        if key:
            found = self.session.scalar(query.where(Choice.key == key).order_by(Choice.id))
        if found is None and label:
            found = self.session.scalar(query.where(Choice.label == label).order_by(Choice.id))
        if found is not None:
            return int(found)
        position = self.session.scalar(
            select(func.max(Choice.position)).where(Choice.list_name == list_name)
        )
        choice = Choice(
            list_name=list_name,
            unit_id=unit_id,
            label=label or str(key).replace("_", " ").capitalize(),
            key=key,
            position=(position or 0) + 1,
        )
        self.session.add(choice)
        self.session.flush()
        return choice.id


def _encode_column(refs: _Refs, col: sa.Column[Any], value: Any) -> Any:
    target = _target_table(col)
    if target is None or value is None:
        return _encode(value)
    if target == "choice":
        return refs.choice_ref(int(value))
    return refs.uuid_of(target, int(value))


def _decode_column(refs: _Refs, col: sa.Column[Any], value: Any, unit_id: int | None) -> Any:
    target = _target_table(col)
    if target is None or value is None:
        return _decode(col, value)
    if target == "choice":
        return refs.choice_id(value, unit_id)
    if not isinstance(value, str):
        raise _Damaged(col.key)
    found = refs.id_of(target, value)
    if found is None:
        raise _Damaged(col.key)
    return found


def _skipped(kind: _Kind, key: str) -> bool:
    return key in _LOCAL_COLUMNS or (key == "unit_id" and kind.unit_scoped)


def _child_content(refs: _Refs, child: _Child, row: Base) -> dict[str, Any]:
    return {
        key: _encode_column(refs, col, getattr(row, key))
        for key, col in _columns(child.model)
        if key not in ("id", child.parent_key)
    }


def _child_rows(session: Session, child: _Child, parent_id: int) -> list[Base]:
    model: Any = child.model
    return list(
        session.scalars(
            select(model).where(getattr(model, child.parent_key) == parent_id).order_by(model.id)
        )
    )


def _children_content(refs: _Refs, child: _Child, rows: Iterable[Base]) -> list[dict[str, Any]]:
    items = [_child_content(refs, child, row) for row in rows]
    if child.as_set:
        items.sort(key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return items


def record_content(refs: _Refs, kind: _Kind, row: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record as both databases would write it: (compared content, carried numbering)."""
    content: dict[str, Any] = {}
    carried: dict[str, Any] = {}
    for key, col in _columns(kind.model):
        if _skipped(kind, key):
            continue
        value = _encode_column(refs, col, getattr(row, key))
        if key in kind.carried or key in _CARRIED_ONLY:
            carried[key] = value
        else:
            content[key] = value
    row_id = int(getattr(row, "id"))  # noqa: B009 - every record kind has an id
    for child in kind.children:
        content[child.name] = _children_content(
            refs, child, _child_rows(refs.session, child, row_id)
        )
    return content, carried


# --- the database's own id -------------------------------------------------------------


def database_id(db: Database) -> str:
    """This database's id in unit files, made the first time it is needed."""
    existing = get_setting(db, DATABASE_ID_KEY)
    if existing:
        return existing
    made = new_uuid()
    if db.read_only:
        return made
    with db.session() as session:
        put_setting(session, DATABASE_ID_KEY, made)
    return made


# --- export ----------------------------------------------------------------------------


def _unit_rows(session: Session, kind: _Kind, unit_id: int) -> list[Base]:
    model: Any = kind.model
    if kind.entity == "unit":
        unit = session.get(Unit, unit_id)
        return [unit] if unit is not None else []
    if kind.unit_scoped:
        query = select(model).where(model.unit_id == unit_id)
    elif kind.entity == "issue_note":
        query = select(model).join(SafetyIssue).where(SafetyIssue.unit_id == unit_id)
    elif kind.entity in ("measure_point", "measure_annotation"):
        query = select(model).join(Measure).where(Measure.unit_id == unit_id)
    else:
        return []
    return list(session.scalars(query.order_by(model.id)))


def export_unit(db: Database, unit_id: int, path: str | os.PathLike[str]) -> ExportResult:
    """Write every record of one unit, and the people it names, to one unit file."""
    target = Path(path)
    source_id = database_id(db)
    with db.reader() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("That unit no longer exists.")
        refs = _Refs(session)
        agreed = {
            state_uuid: (fingerprint_, agreed_with)
            for state_uuid, fingerprint_, agreed_with in session.execute(
                select(
                    ExchangeState.record_uuid,
                    ExchangeState.agreed_fingerprint,
                    ExchangeState.agreed_with,
                )
            )
        }
        records: list[dict[str, Any]] = []

        def add(kind: _Kind, row: Base) -> None:
            content, carried = record_content(refs, kind, row)
            record_uuid = str(getattr(row, "uuid"))  # noqa: B009
            records.append(
                {
                    "entity": kind.entity,
                    "uuid": record_uuid,
                    "content": content,
                    "carried": carried,
                    "base": agreed.get(record_uuid, (None, None))[0],
                    "base_with": agreed.get(record_uuid, (None, None))[1],
                    # For people reading the file; a merge compares content, not these.
                    "version": getattr(row, "version", None),
                    "updated_at": _encode(getattr(row, "updated_at", None)),
                }
            )

        for kind in KINDS[1:]:
            for row in _unit_rows(session, kind, unit_id):
                add(kind, row)
        people = [
            p for p in session.scalars(select(Person).order_by(Person.id)) if p.uuid in refs.people
        ]
        for person in people:
            add(KINDS[0], person)
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            "database_id": source_id,
            "exported_at": utcnow().isoformat(),
            "unit": {"uuid": unit.uuid, "name": unit.name},
            "records": records,
        }
        unit_name = unit.name
    _write_zip(target, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    return ExportResult(target, unit_name, len(records))


def _write_zip(target: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed export never leaves half a file."""
    with (
        atomic_file(target) as partial,
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(MEMBER, data)


# --- reading a file --------------------------------------------------------------------


def read_package(path: str | os.PathLike[str]) -> UnitPackage:
    """Read and check a unit file; every problem is one sentence naming the file."""
    source = Path(path)
    name = source.name
    if source.is_dir():
        raise UnitFileError(f"{source} is a folder, not a unit file.")
    if not source.exists():
        raise UnitFileError(f"There is no file at {source}.")
    damaged = UnitFileError(
        f"“{name}” is damaged (cut short or changed after it was written); export it again."
    )
    not_ours = UnitFileError(f"“{name}” is not a CUSPDesk unit file.")
    try:
        with source.open("rb") as fh:
            start = fh.read(4)
        if not start:
            raise UnitFileError(f"“{name}” is empty, so it is not a CUSPDesk unit file.")
        try:
            with zipfile.ZipFile(source) as archive:
                try:
                    info = archive.getinfo(MEMBER)
                except KeyError:
                    raise not_ours from None
                if info.file_size > MAX_MEMBER_BYTES:
                    raise UnitFileError(f"“{name}” is far too large to be a unit file.")
                data = archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise (damaged if start.startswith(b"PK") else not_ours) from None
    except OSError as exc:
        raise UnitFileError(f"“{name}” cannot be read: {storage_reason(exc)}.") from exc
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise not_ours
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise damaged
    if version > FORMAT_VERSION:
        raise UnitFileError(
            f"“{name}” was written by a newer version of CUSPDesk; install that version "
            "to merge it."
        )
    try:
        return _package(source, version, document)
    except (KeyError, TypeError, ValueError, _Damaged):
        raise damaged from None


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


def _package(source: Path, version: int, document: dict[str, Any]) -> UnitPackage:
    unit = document["unit"]
    exported_at = datetime.fromisoformat(document["exported_at"])
    if exported_at.tzinfo is None:
        raise ValueError("exported_at")
    if not _is_uuid(document["database_id"]) or not _is_uuid(unit["uuid"]):
        raise ValueError("uuid")
    if not isinstance(unit["name"], str) or not isinstance(document["records"], list):
        raise ValueError("unit")
    records: list[PackageRecord] = []
    seen: set[tuple[str, str]] = set()
    for item in document["records"]:
        entity, record_uuid = item["entity"], item["uuid"]
        content, carried, base = item["content"], item.get("carried", {}), item.get("base")
        if entity not in KIND_BY_ENTITY or not _is_uuid(record_uuid):
            raise ValueError("record")
        if not isinstance(content, dict) or not isinstance(carried, dict):
            raise ValueError("record")
        base_with = item.get("base_with")
        if base is not None and not isinstance(base, str):
            raise ValueError("base")
        if base_with is not None and not isinstance(base_with, str):
            raise ValueError("base_with")
        if (entity, record_uuid) in seen:
            raise ValueError("duplicate")
        seen.add((entity, record_uuid))
        records.append(PackageRecord(entity, record_uuid, content, carried, base, base_with))
    if ("unit", unit["uuid"]) not in seen:
        raise ValueError("no unit record")
    return UnitPackage(
        path=source,
        format_version=version,
        database_id=document["database_id"],
        exported_at=exported_at,
        app_version=str(document.get("app_version", "")),
        unit_uuid=unit["uuid"],
        unit_name=unit["name"],
        records=tuple(records),
    )


# --- merging ---------------------------------------------------------------------------


class _Writer:
    """Puts a file's version of a record into this database, inside the caller's session."""

    def __init__(self, session: Session, unit_id: int | None) -> None:
        self.session = session
        self.refs = _Refs(session)
        self.unit_id = unit_id
        # Rows of one kind looked up at once, by uuid (a query per record is slow).
        self._known: dict[str, dict[str, Base]] = {}
        # Rows added but not yet flushed, so not yet known to ``refs``.
        self._added: list[Any] = []
        self._numbers: set[int] | None = None
        self._ranks: set[int] = set()

    def preload(self, kind: _Kind, uuids: Sequence[str]) -> None:
        model: Any = kind.model
        known: dict[str, Base] = {}
        for start in range(0, len(uuids), 500):
            for row in self.session.scalars(
                select(model).where(model.uuid.in_(uuids[start : start + 500]))
            ):
                known[str(row.uuid)] = row
        self._known[kind.entity] = known

    def find(self, kind: _Kind, record_uuid: str, content: dict[str, Any]) -> Base | None:
        model: Any = kind.model
        row: Base | None
        if kind.entity in self._known:
            row = self._known[kind.entity].get(record_uuid)
        else:
            row = self.session.scalar(select(model).where(model.uuid == record_uuid))
        if row is None and kind.natural_key:
            where = []
            for key in kind.natural_key:
                col = sa.inspect(model).columns[key]
                where.append(
                    getattr(model, key) == _decode_column(self.refs, col, content.get(key), None)
                )
            row = self.session.scalar(select(model).where(*where))
        if (
            row is not None
            and kind.unit_scoped
            and self.unit_id is not None
            and getattr(row, "unit_id", None) != self.unit_id
        ):
            raise _Damaged("unit")
        return row

    def assign(self, kind: _Kind, row: Base, content: dict[str, Any]) -> None:
        """Set the record's own fields to the file's values; only changed fields are touched."""
        for key, col in _columns(kind.model):
            if _skipped(kind, key) or key in kind.carried or key in _CARRIED_ONLY:
                continue
            if key not in content:
                continue
            value = _decode_column(self.refs, col, content[key], self.unit_id)
            if getattr(row, key) != value:
                setattr(row, key, value)

    def insert(self, kind: _Kind, record: PackageRecord) -> Base:
        row: Any = kind.model()
        row.uuid = record.uuid
        if kind.unit_scoped:
            row.unit_id = self.unit_id
        self.assign(kind, row, record.content)
        created = record.carried.get("created_at")
        if created is not None:
            row.created_at = _decode(sa.inspect(kind.model).columns["created_at"], created)
        if kind.entity == "safety_issue":
            self._number_issue(row, record.carried)
        self.session.add(row)
        self._added.append(row)
        added: Base = row
        return added

    def _number_issue(self, issue: SafetyIssue, carried: dict[str, Any]) -> None:
        """Keep the file's issue number and rank when this unit has them free."""
        if self._numbers is None:
            in_unit = select(SafetyIssue).where(SafetyIssue.unit_id == self.unit_id)
            numbers = in_unit.with_only_columns(SafetyIssue.number)
            ranks = in_unit.with_only_columns(SafetyIssue.priority_rank)
            self._numbers = set(self.session.scalars(numbers))
            self._ranks = {r for r in self.session.scalars(ranks) if r is not None}
        issue.number = _free(carried.get("number"), self._numbers)
        if issue.status in ACTIVE_STATUSES:
            issue.priority_rank = _free(carried.get("priority_rank"), self._ranks)
        else:
            issue.priority_rank = None

    def replace_children(self, kind: _Kind, row: Base, content: dict[str, Any]) -> None:
        row_id = int(getattr(row, "id"))  # noqa: B009
        for child in kind.children:
            items = content.get(child.name)
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise _Damaged(child.name)
            existing = _child_rows(self.session, child, row_id)
            if _children_content(self.refs, child, existing) == items:
                continue
            for old in existing:
                self.session.delete(old)
            self.flush()
            for item in items:
                new: Any = child.model()
                setattr(new, child.parent_key, row_id)
                for key, col in _columns(child.model):
                    if key in ("id", child.parent_key) or key not in item:
                        continue
                    setattr(new, key, _decode_column(self.refs, col, item[key], self.unit_id))
                self.session.add(new)
            self.flush()

    def flush(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise _Damaged("constraint") from exc
        for row in self._added:
            self.refs.add(row.__tablename__, row.id, row.uuid)
        self._added.clear()


def _free(wanted: Any, taken: set[int]) -> int:
    """``wanted`` when it is a number not yet taken, else the next after the highest; noted."""
    free = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 0
    if free < 1 or free in taken:
        free = max(taken, default=0) + 1
    taken.add(free)
    return free


def merge_unit_file(
    db: Database, path: str | os.PathLike[str], *, dry_run: bool = False
) -> MergeResult:
    """Merge a unit file into this database in one transaction; ``dry_run`` saves nothing."""
    require(db, "unit.merge")
    package = read_package(path)
    name = package.path.name
    with db.session() as session:
        session.info["audit_summary"] = f"Merged from the unit file {name}"
        try:
            result = _Merge(session, package, dry_run=dry_run).run()
        except _Damaged:
            raise UnitFileError(
                f"“{name}” holds a record this database cannot take (a damaged value, a link "
                "to a record neither holds, or a clash with a change saved at the same "
                "moment); nothing was merged."
            ) from None
        if dry_run:
            session.rollback()
    if dry_run and result.added and not _has_unit(db, package):
        result = replace(result, unit_id=None)  # the unit it would add is not there yet
    return result


def _has_unit(db: Database, package: UnitPackage) -> bool:
    with db.reader() as session:
        return session.scalar(select(Unit.id).where(Unit.uuid == package.unit_uuid)) is not None


class _Merge:
    def __init__(self, session: Session, package: UnitPackage, *, dry_run: bool) -> None:
        self.session = session
        self.package = package
        self.dry_run = dry_run
        self.writer = _Writer(session, None)
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
        self.pending_children: list[tuple[_Kind, Base, dict[str, Any]]] = []
        self.states: dict[str, ExchangeState] = {}
        # This database's id in unit files ("" before its first export: nobody agreed with it).
        own = session.get(AppSetting, DATABASE_ID_KEY)
        self.own_id = own.value if own is not None else ""

    def run(self) -> MergeResult:
        package = self.package
        self._check_not_older()
        unit = self.session.scalar(select(Unit).where(Unit.uuid == package.unit_uuid))
        if unit is None:
            clash = self.session.scalar(
                select(Unit.name).where(func.lower(Unit.name) == package.unit_name.lower())
            )
            if clash is not None:
                raise UnitFileError(
                    f"This database already has a unit called “{clash}” that did not come "
                    "from this file's unit; rename one of them, then merge again."
                )
            ensure_default_lists(self.session)
        else:
            self.writer.unit_id = unit.id
        by_entity: dict[str, list[PackageRecord]] = {}
        for record in package.records:
            by_entity.setdefault(record.entity, []).append(record)
        for kind in KINDS:
            records = by_entity.get(kind.entity, [])
            if kind.entity == "unit":
                records = [r for r in records if r.uuid == package.unit_uuid]
            self.writer.preload(kind, [r.uuid for r in records])
            self._preload_states(records)
            # One flush per kind, not per record: thousands of issues merge in seconds.
            with self.session.no_autoflush:
                for record in records:
                    self._merge_record(kind, record)
            self.writer.flush()
        for kind, row, content in self.pending_children:
            self.writer.replace_children(kind, row, content)
        self._remember_source()
        self.writer.flush()
        return MergeResult(
            unit_id=self.writer.unit_id,
            unit_name=package.unit_name,
            file_name=package.path.name,
            dry_run=self.dry_run,
            **self.counts,
        )

    def _preload_states(self, records: Sequence[PackageRecord]) -> None:
        uuids = [r.uuid for r in records]
        for start in range(0, len(uuids), 500):
            for state in self.session.scalars(
                select(ExchangeState).where(
                    ExchangeState.record_uuid.in_(uuids[start : start + 500])
                )
            ):
                self.states[state.record_uuid] = state

    def _check_not_older(self) -> None:
        source = self.session.get(ExchangeSource, self.package.database_id)
        if source is not None and self.package.exported_at < source.last_exported_at:
            raise UnitFileError(
                f"“{self.package.path.name}” was exported on "
                f"{self.package.exported_at:%Y-%m-%d %H:%M} UTC, before a newer file from the "
                f"same database ({source.file_name}) was merged here; merging it would bring "
                "back older versions. Export a new file and merge that."
            )

    def _remember_source(self) -> None:
        package = self.package
        source = self.session.get(ExchangeSource, package.database_id)
        if source is None:
            source = ExchangeSource(
                database_id=package.database_id, last_exported_at=package.exported_at
            )
            self.session.add(source)
        elif source.last_exported_at < package.exported_at:
            source.last_exported_at = package.exported_at
        source.last_merged_at = utcnow()
        source.file_name = package.path.name

    def _merge_record(self, kind: _Kind, record: PackageRecord) -> None:
        writer = self.writer
        file_print = record.fingerprint
        row = writer.find(kind, record.uuid, record.content)
        state = self.states.get(record.uuid)
        if row is None:
            row = writer.insert(kind, record)
            if kind.entity == "unit":
                writer.flush()  # every other record needs the unit's id
                writer.unit_id = int(getattr(row, "id"))  # noqa: B009
            self.pending_children.append((kind, row, record.content))
            self._remember(kind, record, state, agreed=file_print)
            self.counts["added"] += 1
            return
        if kind.entity == "unit":
            writer.unit_id = int(getattr(row, "id"))  # noqa: B009
        content, _carried = record_content(writer.refs, kind, row)
        here = fingerprint(content)
        agreed = state.agreed_fingerprint if state is not None else None
        # What this database agreed with the file's own database: safe ground for an update.
        agreed_with_source = (
            agreed if state is not None and state.agreed_with == self.package.database_id else None
        )
        if file_print == here:
            self._remember(kind, record, state, agreed=file_print)
            self.counts["unchanged"] += 1
        elif state is not None and state.seen_fingerprint == file_print:
            self.counts["unchanged"] += 1
        elif here in (record.base, agreed_with_source):
            # Unchanged here since the two sides last agreed: only the file's side changed.
            writer.assign(kind, row, record.content)
            self.pending_children.append((kind, row, record.content))
            self._remember(kind, record, state, agreed=file_print)
            self.counts["updated"] += 1
        elif file_print == agreed or (
            file_print == record.base and record.base_with == self.own_id
        ):
            # The file holds the version both sides agreed on: only this side changed.
            self._remember(kind, record, state)
            self.counts["unchanged"] += 1
        else:
            self._add_conflict(kind, record, row, content)
            self._remember(kind, record, state)
            self.counts["conflicts"] += 1

    def _remember(
        self,
        kind: _Kind,
        record: PackageRecord,
        state: ExchangeState | None,
        *,
        agreed: str | None = None,
    ) -> None:
        if state is None:
            state = ExchangeState(record_uuid=record.uuid, entity=kind.entity)
            self.session.add(state)
            self.states[record.uuid] = state
        state.seen_fingerprint = record.fingerprint
        if agreed is not None:
            state.agreed_fingerprint = agreed
            state.agreed_with = self.package.database_id

    def _add_conflict(
        self, kind: _Kind, record: PackageRecord, row: Base, content: dict[str, Any]
    ) -> None:
        for older in self.session.scalars(
            select(MergeConflict).where(
                MergeConflict.record_uuid == record.uuid, MergeConflict.decided_at.is_(None)
            )
        ):
            older.decision = SUPERSEDED
            older.decided_at = utcnow()
        self.session.add(
            MergeConflict(
                unit_id=self.writer.unit_id,
                entity=kind.entity,
                record_uuid=record.uuid,
                target_uuid=str(getattr(row, "uuid")),  # noqa: B009
                label=_record_label(kind.entity, content, row),
                source_database=self.package.database_id,
                file_name=self.package.path.name,
                file_exported_at=self.package.exported_at,
                file_fingerprint=record.fingerprint,
                file_payload=json.dumps(
                    {"content": record.content, "carried": record.carried}, ensure_ascii=False
                ),
                database_payload=json.dumps(content, ensure_ascii=False),
            )
        )


def _record_label(entity: str, content: dict[str, Any], row: Base) -> str:
    """What people call the record: "Issue 12: Bed alarm…", "Meeting: March executive meeting"."""
    if isinstance(row, SafetyIssue):
        return f"Issue {row.number}: {_first_line(row.description)}"
    for key in (
        "title",
        "name",
        "full_name",
        "description",
        "text",
        "harm_answer",
        "period",
        "meeting_date",
        "round_date",
        "review_date",
    ):
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return f"{entity_label(entity)}: {_first_line(value)}"
    return entity_label(entity)


def _first_line(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# --- conflicts -------------------------------------------------------------------------


def list_conflicts(
    db: Database, unit_id: int | None = None, *, include_decided: bool = False
) -> list[ConflictInfo]:
    """Conflicts waiting for a decision (oldest first), each field side by side as it is now."""
    query = select(MergeConflict).order_by(MergeConflict.found_at, MergeConflict.id)
    if unit_id is not None:
        query = query.where(MergeConflict.unit_id == unit_id)
    if not include_decided:
        query = query.where(MergeConflict.decided_at.is_(None))
    with db.reader() as session:
        refs = _Refs(session)
        return [_conflict_info(session, refs, c) for c in session.scalars(query)]


def _conflict_info(session: Session, refs: _Refs, conflict: MergeConflict) -> ConflictInfo:
    differences: tuple[FieldDifference, ...] = ()
    kind = KIND_BY_ENTITY.get(conflict.entity)
    if kind is not None and conflict.decided_at is None:
        model: Any = kind.model
        row = session.scalar(select(model).where(model.uuid == conflict.target_uuid))
        theirs = json.loads(conflict.file_payload).get("content", {})
        if row is not None:
            mine, _carried = record_content(refs, kind, row)
            differences = tuple(_differences(session, kind, mine, theirs))
    return ConflictInfo(
        id=conflict.id,
        unit_id=conflict.unit_id,
        entity=conflict.entity,
        entity_label=entity_label(conflict.entity),
        label=conflict.label,
        file_name=conflict.file_name,
        found_at=conflict.found_at,
        decided_at=conflict.decided_at,
        decision=conflict.decision,
        decided_by=conflict.decided_by,
        differences=differences,
    )


def field_label(key: str) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    return key.removesuffix("_id").replace("_", " ").capitalize()


def _differences(
    session: Session, kind: _Kind, mine: dict[str, Any], theirs: dict[str, Any]
) -> Iterable[FieldDifference]:
    columns = dict(_columns(kind.model))
    children = {child.name: child for child in kind.children}
    for key in [*mine, *(k for k in theirs if k not in mine)]:
        if mine.get(key) == theirs.get(key):
            continue
        if key in children:
            child = children[key]
            here = _show_children(session, child, mine.get(key))
            there = _show_children(session, child, theirs.get(key))
        else:
            col = columns.get(key)
            here = _show(session, col, mine.get(key))
            there = _show(session, col, theirs.get(key))
        yield FieldDifference(key, field_label(key), here, there)


def _show_children(session: Session, child: _Child, items: Any) -> str:
    if not isinstance(items, list) or not items:
        return "(none)"
    columns = dict(_columns(child.model))
    lines = []
    for item in items:
        if not isinstance(item, dict):
            continue
        parts = [
            f"{field_label(k)}: {_show(session, columns.get(k), v)}"
            for k, v in item.items()
            if v not in (None, "")
        ]
        lines.append("; ".join(parts))
    return "\n".join(lines)


def _show(session: Session, col: sa.Column[Any] | None, value: Any) -> str:
    """A value as a person reads it: names for people, labels for list entries."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return str(value.get("label") or str(value.get("key", "")).replace("_", " ").capitalize())
    target = _target_table(col) if col is not None else None
    if target is not None and isinstance(value, str):
        kind = KIND_BY_ENTITY.get(target)
        if kind is not None:
            model: Any = kind.model
            row = session.scalar(select(model).where(model.uuid == value))
            if row is not None:
                if isinstance(row, Person):
                    return row.full_name
                refs = _Refs(session)
                content, _carried = record_content(refs, kind, row)
                return _record_label(target, content, row)
        return "(a record not in this database)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and col is not None and isinstance(col.type, UTCDateTime):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def decide_conflict(db: Database, conflict_id: int, keep: str) -> ConflictInfo:
    """Keep this database's version or the file's; the choice and its changes are audited."""
    require(db, "unit.merge")
    if keep not in KEEP_CHOICES:
        raise ValidationError("Choose to keep this database's version or the file's.", "keep")
    with db.session() as session:
        conflict = session.get(MergeConflict, conflict_id)
        if conflict is None:
            raise NotFoundError("That merge conflict no longer exists.")
        if conflict.decided_at is not None:
            raise ValidationError("That merge conflict was already decided.")
        side = "the file's" if keep == "file" else "this database's"
        session.info["audit_summary"] = (
            f"Merge conflict decided: kept {side} version of {conflict.label}"
        )
        kind = KIND_BY_ENTITY.get(conflict.entity)
        if keep == "file" and kind is not None:
            _apply_file_version(session, kind, conflict)
        conflict.decision = keep
        conflict.decided_at = utcnow()
        conflict.decided_by = db.actor.os_user
        state = session.get(ExchangeState, conflict.record_uuid)
        if state is None:
            state = ExchangeState(record_uuid=conflict.record_uuid, entity=conflict.entity)
            session.add(state)
        # Either way this side now knows the file's version: the next file exported from
        # here says so, and the other side takes the decision instead of a new conflict.
        state.agreed_fingerprint = conflict.file_fingerprint
        state.agreed_with = conflict.source_database
        state.seen_fingerprint = conflict.file_fingerprint
        session.flush()
        return _conflict_info(session, _Refs(session), conflict)


def _apply_file_version(session: Session, kind: _Kind, conflict: MergeConflict) -> None:
    model: Any = kind.model
    row = session.scalar(select(model).where(model.uuid == conflict.target_uuid))
    if row is None:
        raise NotFoundError("The record of that merge conflict no longer exists.")
    content = json.loads(conflict.file_payload).get("content", {})
    writer = _Writer(session, conflict.unit_id)
    try:
        writer.assign(kind, row, content)
        writer.flush()
        writer.replace_children(kind, row, content)
    except _Damaged:
        raise UnitFileError(
            "The file's version points at records this database no longer holds; "
            "keep this database's version, or merge a new file."
        ) from None


def suggested_file_name(unit_name: str, on: date) -> str:
    """A file name that says which unit and when, safe on every filesystem."""
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in unit_name).strip() or "unit"
    return f"{safe} {on.isoformat()}{SUFFIX}"


__all__: Sequence[str] = (
    "FORMAT_VERSION",
    "ConflictInfo",
    "ExportResult",
    "FieldDifference",
    "MergeResult",
    "UnitPackage",
    "database_id",
    "decide_conflict",
    "export_unit",
    "list_conflicts",
    "merge_unit_file",
    "read_package",
    "suggested_file_name",
)
