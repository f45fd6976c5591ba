"""The audit trail: every insert, change and removal is recorded in the same transaction.

One session hook sees every flush, so no service can forget to audit; services
only choose the action name for special changes (a status change, an archive)
by setting ``session.info["audit_action"]`` before they flush.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, event, func, inspect, or_, select
from sqlalchemy.orm import Session, UOWTransaction

from cuspdesk.db import CuspSession, Database
from cuspdesk.models import (
    AppSetting,
    AuditEvent,
    Base,
    Draft,
    ExchangeSource,
    ExchangeState,
    IssueNote,
    SafetyIssue,
)

# Columns that change on every save and say nothing a reader needs.
_NOISE = {"updated_at", "version", "created_at", "id", "uuid"}
# Drafts are half-typed input kept for the typist, not records: they never enter the trail,
# which cannot be changed afterwards, so an identifier typed by mistake does not stay forever.
# The merge bookkeeping (which version each side last saw) is not a record either; what a
# merge changes in the records is audited as usual.
_NOT_AUDITED = (AuditEvent, Draft, ExchangeState, ExchangeSource)
# Settings whose values are secrets (passphrase hashes) are audited as "changed" only.
SECRET_SETTING_PREFIXES = ("access.passphrase.",)
SECRET_SHOWN = "(hidden)"
_FIELD_ACTIONS = {"status": "status", "archived_at": "archive", "priority_rank": "rank"}


def _render(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _columns(obj: Base) -> Iterable[str]:
    return (attr.key for attr in inspect(obj).mapper.column_attrs)


def _unit_id(obj: Base) -> int | None:
    unit_id = getattr(obj, "unit_id", None)
    if isinstance(unit_id, int):
        return unit_id
    if obj.__tablename__ == "unit":
        value = getattr(obj, "id", None)
        return value if isinstance(value, int) else None
    for parent in ("issue", "meeting", "safety_round", "review", "measure", "aim"):
        related = getattr(obj, parent, None)
        if related is not None:
            return _unit_id(related)
    return None


def _is_secret(obj: Base) -> bool:
    return isinstance(obj, AppSetting) and obj.key.startswith(SECRET_SETTING_PREFIXES)


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED)


def _event(session: CuspSession, obj: Base, action: str, **values: Any) -> AuditEvent:
    actor = session.actor
    if isinstance(obj, AppSetting) and not values.get("summary"):
        values["summary"] = f"Setting {obj.key}"
    return AuditEvent(
        os_user=actor.os_user,
        role=actor.role,
        action=action,
        entity=obj.__tablename__,
        entity_id=getattr(obj, "id", None),
        entity_uuid=getattr(obj, "uuid", None),
        unit_id=_unit_id(obj),
        **values,
    )


def _snapshot(obj: Base) -> str:
    data = {
        key: _render(getattr(obj, key))
        for key in _columns(obj)
        if key not in _NOISE and getattr(obj, key) not in (None, "")
    }
    if _is_secret(obj) and "value" in data:
        data["value"] = SECRET_SHOWN
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _record_changes(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    if not isinstance(session, CuspSession):
        return
    events: list[tuple[Base, str, dict[str, Any]]] = []
    for obj in list(session.dirty):
        if not isinstance(obj, Base) or not _audited(obj):
            continue
        state = inspect(obj)
        for key in _columns(obj):
            if key in _NOISE:
                continue
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _render(old) == _render(new):
                continue
            if _is_secret(obj):
                old, new = (SECRET_SHOWN if v is not None else None for v in (old, new))
            action = _FIELD_ACTIONS.get(key, "update")
            if key == "archived_at" and new is None:
                action = "restore"
            events.append(
                (obj, action, {"field": key, "old_value": _render(old), "new_value": _render(new)})
            )
    for obj in list(session.deleted):
        if isinstance(obj, Base) and _audited(obj):
            events.append((obj, "delete", {"old_value": _snapshot(obj)}))
    session.info.setdefault("_audit_pending", []).extend(events)
    new_objects = [o for o in session.new if isinstance(o, Base) and _audited(o)]
    session.info.setdefault("_audit_new", []).extend(new_objects)


def _write_events(session: Session, _ctx: UOWTransaction) -> None:
    """After the flush ids exist, so create events can name the new record."""
    if not isinstance(session, CuspSession):
        return
    pending: list[tuple[Base, str, dict[str, Any]]] = session.info.pop("_audit_pending", [])
    created: list[Base] = session.info.pop("_audit_new", [])
    summary = str(session.info.get("audit_summary", ""))
    rows = [_event(session, obj, "create", new_value=_snapshot(obj)) for obj in created]
    rows += [_event(session, obj, action, summary=summary, **vals) for obj, action, vals in pending]
    if rows:
        session.add_all(rows)


event.listen(CuspSession, "before_flush", _record_changes)
event.listen(CuspSession, "after_flush_postexec", _write_events)


# What each kind of record is called on screen, and which child rows belong to it.
ENTITY_LABELS: dict[str, str] = {
    "safety_issue": "Issue",
    "issue_note": "Issue note",
    "safety_round": "Safety round",
    "round_participant": "Round participant",
    "meeting": "Meeting",
    "meeting_attendee": "Meeting attendee",
    "agenda_item": "Agenda item",
    "decision": "Decision",
    "assessment_response": "Staff safety assessment",
    "defect_review": "Defect review",
    "contributing_factor": "Contributing factor",
    "learning_share": "Learning shared",
    "measure": "Measure",
    "measure_point": "Measure data point",
    "measure_annotation": "Measure annotation",
    "measure_baseline": "Measure baseline",
    "unit": "Unit",
    "person": "Person",
    "team_member": "Team member",
    "executive_assignment": "Executive partner",
    "choice": "List entry",
    "strategic_aim": "Strategic aim",
    "goal": "Goal",
    "app_setting": "Setting",
    "merge_conflict": "Merge conflict",
}
ACTION_LABELS: dict[str, str] = {
    "create": "Created",
    "update": "Changed",
    "status": "Status changed",
    "archive": "Archived",
    "restore": "Restored",
    "rank": "Priority moved",
    "delete": "Removed",
}
_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "safety_issue": (("issue_note", "issue_id"),),
    "safety_round": (("round_participant", "round_id"),),
    "meeting": (
        ("meeting_attendee", "meeting_id"),
        ("agenda_item", "meeting_id"),
        ("decision", "meeting_id"),
    ),
    "defect_review": (("contributing_factor", "review_id"), ("learning_share", "review_id")),
    "measure": (
        ("measure_point", "measure_id"),
        ("measure_annotation", "measure_id"),
        ("measure_baseline", "measure_id"),
    ),
    "strategic_aim": (("goal", "aim_id"),),
}
DEFAULT_PAGE_SIZE = 200


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.capitalize())


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: datetime
    os_user: str
    role: str
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    summary: str
    record: str = ""

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    @property
    def action_label(self) -> str:
        return action_label(self.action)


@dataclass
class AuditQuery:
    """The audit screen's filters; dates are whole UTC days, both ends included."""

    unit_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    record_number: int | None = None
    os_user: str | None = None
    since: date | None = None
    until: date | None = None
    newest_first: bool = True
    offset: int = 0
    limit: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int


def _where(session: Session, query: AuditQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.unit_id is not None:
        where.append(AuditEvent.unit_id == query.unit_id)
    if query.entity:
        where.append(AuditEvent.entity == query.entity)
    if query.entity_id is not None:
        where.append(AuditEvent.entity_id == query.entity_id)
    if query.record_number is not None:
        where.append(_record_number_filter(query))
    if query.os_user:
        where.append(func.lower(AuditEvent.os_user) == query.os_user.strip().lower())
    if query.since is not None:
        where.append(AuditEvent.occurred_at >= _day_start(query.since))
    if query.until is not None:
        where.append(AuditEvent.occurred_at < _day_start(query.until + timedelta(days=1)))
    return where


def _record_number_filter(query: AuditQuery) -> ColumnElement[bool]:
    """Issues are known by their log number; every other record by its id."""
    number = query.record_number
    issue_ids = select(SafetyIssue.id).where(SafetyIssue.number == number)
    if query.unit_id is not None:
        issue_ids = issue_ids.where(SafetyIssue.unit_id == query.unit_id)
    by_issue = and_(AuditEvent.entity == "safety_issue", AuditEvent.entity_id.in_(issue_ids))
    if query.entity == "safety_issue":
        return by_issue
    if query.entity:
        return AuditEvent.entity_id == number
    return or_(by_issue, and_(AuditEvent.entity != "safety_issue", AuditEvent.entity_id == number))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _clamp_day(day: date | None) -> date | None:
    """Far dates (year 1, year 9999) would overflow a day's end; clamp them."""
    if day is None:
        return None
    return min(max(day, date(1, 1, 2)), date(9999, 12, 30))


def find_audit_events(db: Database, query: AuditQuery) -> AuditPage:
    """One page of the trail, filtered and counted in SQL."""
    query = AuditQuery(
        **{**query.__dict__, "since": _clamp_day(query.since), "until": _clamp_day(query.until)}
    )
    limit = max(1, min(query.limit, 10_000))
    order = (
        (AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        if query.newest_first
        else (AuditEvent.occurred_at.asc(), AuditEvent.id.asc())
    )
    with db.reader() as session:
        where = _where(session, query)
        events = session.scalars(
            select(AuditEvent)
            .where(*where)
            .order_by(*order)
            .limit(limit)
            .offset(max(0, query.offset))
        ).all()
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
        return AuditPage(_rows(session, events), total)


def list_audit_events(
    db: Database,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    unit_id: int | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[AuditRow]:
    """The history, newest first, optionally for one record or one unit."""
    query = AuditQuery(
        unit_id=unit_id, entity=entity, entity_id=entity_id, limit=limit, offset=offset
    )
    return find_audit_events(db, query).rows


def record_history(db: Database, entity: str, entity_id: int) -> list[AuditRow]:
    """Everything that happened to one record and its parts (notes, points...), oldest first."""
    with db.reader() as session:
        matches: list[ColumnElement[bool]] = [
            and_(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        ]
        for child, parent_key in _CHILDREN.get(entity, ()):
            table = Base.metadata.tables[child]
            child_ids = select(table.c.id).where(table.c[parent_key] == entity_id)
            # A removed part no longer points at its parent; its snapshot still names it.
            snapshot = f'%"{parent_key}": "{entity_id}"%'
            matches.append(
                and_(
                    AuditEvent.entity == child,
                    or_(
                        AuditEvent.entity_id.in_(child_ids),
                        AuditEvent.old_value.like(snapshot),
                        AuditEvent.new_value.like(snapshot),
                    ),
                )
            )
        events = session.scalars(
            select(AuditEvent)
            .where(or_(*matches))
            .order_by(AuditEvent.occurred_at.asc(), AuditEvent.id.asc())
        ).all()
        return _rows(session, events)


def audit_users(db: Database) -> list[str]:
    """Everyone who appears in the trail, for the user filter."""
    with db.reader() as session:
        return list(
            session.scalars(
                select(AuditEvent.os_user).distinct().order_by(AuditEvent.os_user)
            ).all()
        )


def _rows(session: Session, events: Sequence[AuditEvent]) -> list[AuditRow]:
    issue_ids = {e.entity_id for e in events if e.entity == "safety_issue" and e.entity_id}
    note_ids = {e.entity_id for e in events if e.entity == "issue_note" and e.entity_id}
    note_issue: dict[int, int] = {}
    if note_ids:
        note_issue = {
            int(n): int(i)
            for n, i in session.execute(
                select(IssueNote.id, IssueNote.issue_id).where(IssueNote.id.in_(note_ids))
            ).all()
        }
        issue_ids |= set(note_issue.values())
    numbers: dict[int, int] = {}
    if issue_ids:
        numbers = {
            int(i): int(n)
            for i, n in session.execute(
                select(SafetyIssue.id, SafetyIssue.number).where(SafetyIssue.id.in_(issue_ids))
            ).all()
        }
    return [
        AuditRow(
            id=e.id,
            occurred_at=e.occurred_at,
            os_user=e.os_user,
            role=e.role,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            field=e.field,
            old_value=e.old_value,
            new_value=e.new_value,
            summary=e.summary,
            record=_record_name(e, numbers, note_issue),
        )
        for e in events
    ]


def _record_name(
    event: AuditEvent, issue_numbers: dict[int, int], note_issue: dict[int, int]
) -> str:
    """What people call the record: "Issue 12", "Note on issue 12", "Meeting #4"."""
    label = entity_label(event.entity)
    if event.entity == "safety_issue" and event.entity_id in issue_numbers:
        return f"{label} {issue_numbers[event.entity_id]}"
    if event.entity == "issue_note" and event.entity_id in note_issue:
        number = issue_numbers.get(note_issue[event.entity_id])
        if number is not None:
            return f"Note on issue {number}"
    if event.entity_id is not None:
        return f"{label} #{event.entity_id}"
    return event.summary or label
