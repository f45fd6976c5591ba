"""Unsaved form input, kept in the database so a crash, a power cut or the idle lock loses nothing.

A draft belongs to one form, one record ("new" for a record not saved yet) and
one computer user: a colleague opening the same database never sees it. Drafts
are not records, so they are not audited and are removed outright once the form
is saved or the person discards them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from cuspdesk.db import Database
from cuspdesk.models import Draft, utcnow

NEW_RECORD = "new"
KEY_LIMIT = 60
PREVIEW_CHARS = 80


@dataclass(frozen=True)
class DraftInfo:
    """One kept draft, with a short preview so the person recognises it."""

    form: str
    record_key: str
    saved_at: datetime
    preview: str
    payload: dict[str, Any]


def save_draft(db: Database, form: str, record_key: str, payload: dict[str, Any]) -> None:
    """Keep (or replace) this user's draft of one form; one small transaction."""
    _check_keys(form, record_key)
    text = json.dumps(payload, ensure_ascii=False, default=_encode)
    user = db.actor.os_user
    with db.session() as session:
        draft = session.scalar(_query(form, record_key, user))
        if draft is None:
            session.add(
                Draft(
                    form=form, record_key=record_key, os_user=user, payload=text, saved_at=utcnow()
                )
            )
        else:
            draft.payload = text
            draft.saved_at = utcnow()


def load_draft(db: Database, form: str, record_key: str) -> dict[str, Any] | None:
    """This user's draft of one form, or ``None`` when there is none."""
    _check_keys(form, record_key)
    with db.reader() as session:
        draft = session.scalar(_query(form, record_key, db.actor.os_user))
        return _decode(draft.payload) if draft is not None else None


def list_drafts(db: Database) -> list[DraftInfo]:
    """Every draft this user left behind in this database, newest first."""
    with db.reader() as session:
        drafts = session.scalars(
            select(Draft)
            .where(Draft.os_user == db.actor.os_user)
            .order_by(Draft.saved_at.desc(), Draft.id.desc())
        ).all()
        infos = []
        for d in drafts:
            payload = _decode(d.payload)
            infos.append(DraftInfo(d.form, d.record_key, d.saved_at, _preview(payload), payload))
        return infos


def discard_draft(db: Database, form: str, record_key: str) -> None:
    """Forget a draft (the form was saved, or the person chose to throw it away)."""
    _check_keys(form, record_key)
    with db.session() as session:
        draft = session.scalar(_query(form, record_key, db.actor.os_user))
        if draft is not None:
            session.delete(draft)


def _query(form: str, record_key: str, user: str) -> Any:
    return select(Draft).where(
        Draft.form == form, Draft.record_key == record_key, Draft.os_user == user
    )


def _check_keys(form: str, record_key: str) -> None:
    # Keys come from code, not from people: a bad one is a programming error.
    for value in (form, record_key):
        if not value or len(value) > KEY_LIMIT:
            raise ValueError(f"draft keys must be 1 to {KEY_LIMIT} characters, got {value!r}")


def _encode(value: object) -> object:
    """Dates survive the round trip; a form hands back what it collected."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"a draft cannot hold {type(value).__name__}")


def _decode(text: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text, object_hook=_decode_object)
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _decode_object(obj: dict[str, Any]) -> object:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        try:
            if key == "$date":
                return date.fromisoformat(value)
            if key == "$datetime":
                return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return obj
    return obj


def _preview(payload: dict[str, Any]) -> str:
    """The first words the person typed, so the offer says which draft this is."""
    for value in payload.values():
        if isinstance(value, str) and value.strip():
            line = " ".join(value.split())
            if len(line) > PREVIEW_CHARS:
                return line[: PREVIEW_CHARS - 1] + "…"
            return line
    return ""
