"""The audit trail: every insert, change and removal is recorded in the same transaction.

One session hook sees every flush, so no service can forget to audit; services
only choose the action name for special changes (a status change, an archive)
by setting ``session.info["audit_action"]`` before they flush.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from cuspdesk.db import CuspSession, Database
from cuspdesk.models import AuditEvent, Base

# Columns that change on every save and say nothing a reader needs.
_NOISE = {"updated_at", "version", "created_at", "id", "uuid"}
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


def _event(session: CuspSession, obj: Base, action: str, **values: Any) -> AuditEvent:
    actor = session.actor
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
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _record_changes(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    if not isinstance(session, CuspSession):
        return
    events: list[tuple[Base, str, dict[str, Any]]] = []
    for obj in list(session.dirty):
        if isinstance(obj, AuditEvent) or not isinstance(obj, Base):
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
            action = _FIELD_ACTIONS.get(key, "update")
            if key == "archived_at" and new is None:
                action = "restore"
            events.append(
                (obj, action, {"field": key, "old_value": _render(old), "new_value": _render(new)})
            )
    for obj in list(session.deleted):
        if isinstance(obj, Base) and not isinstance(obj, AuditEvent):
            events.append((obj, "delete", {"old_value": _snapshot(obj)}))
    session.info.setdefault("_audit_pending", []).extend(events)
    new_objects = [o for o in session.new if isinstance(o, Base) and not isinstance(o, AuditEvent)]
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
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if unit_id is not None:
        query = query.where(AuditEvent.unit_id == unit_id)
    with db.reader() as session:
        events = session.scalars(query.limit(limit).offset(offset)).all()
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
            )
            for e in events
        ]
