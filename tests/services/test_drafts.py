"""Drafts: unsaved input kept per form, per record and per computer user, never audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.errors import ReadOnlyDatabaseError
from cuspdesk.models import AuditEvent
from cuspdesk.services import drafts

TEXTS = "Ünïcødé, 日本語, العربية, emoji 🩺, NUL \x00 and <b>markup</b> &amp;"


def test_a_draft_round_trips_exactly(any_db: Database) -> None:
    payload = {
        "description": TEXTS,
        "likelihood": 4,
        "needs_executive": True,
        "target_date": date(2026, 3, 31),
        "opened_at": datetime(2026, 3, 1, 9, 30),
        "owner_id": None,
        "tags": ["a", "b"],
    }
    drafts.save_draft(any_db, "issue", "new", payload)
    assert drafts.load_draft(any_db, "issue", "new") == payload


def test_saving_again_replaces_the_draft(any_db: Database) -> None:
    drafts.save_draft(any_db, "issue", "12", {"description": "first"})
    drafts.save_draft(any_db, "issue", "12", {"description": "second"})
    found = drafts.list_drafts(any_db)
    assert [(d.form, d.record_key, d.preview) for d in found] == [("issue", "12", "second")]


def test_drafts_are_per_user(db_path: object) -> None:
    alex = open_database(str(db_path), actor=Actor("alex"))
    blake = open_database(str(db_path), actor=Actor("blake"))
    drafts.save_draft(alex, "issue", "new", {"description": "Alex's words"})
    assert drafts.load_draft(blake, "issue", "new") is None
    assert drafts.list_drafts(blake) == []
    drafts.discard_draft(blake, "issue", "new")
    assert drafts.load_draft(alex, "issue", "new") == {"description": "Alex's words"}


def test_discard_removes_only_that_draft(any_db: Database) -> None:
    drafts.save_draft(any_db, "issue", "new", {"description": "keep me"})
    drafts.save_draft(any_db, "meeting", "new", {"notes": "drop me"})
    drafts.discard_draft(any_db, "meeting", "new")
    drafts.discard_draft(any_db, "meeting", "new")  # twice is fine
    assert [d.form for d in drafts.list_drafts(any_db)] == ["issue"]


def test_newest_first_and_a_short_preview(db: Database) -> None:
    drafts.save_draft(db, "issue", "1", {"owner_id": 3, "description": "  word " * 100})
    drafts.save_draft(db, "issue", "2", {"description": ""})
    found = drafts.list_drafts(db)
    assert [d.record_key for d in found] == ["2", "1"]
    assert found[0].preview == ""
    assert found[1].preview.startswith("word word") and found[1].preview.endswith("…")
    assert len(found[1].preview) == drafts.PREVIEW_CHARS
    assert found[1].saved_at > datetime.now(found[1].saved_at.tzinfo) - timedelta(minutes=1)


def test_drafts_never_enter_the_audit_trail(any_db: Database) -> None:
    drafts.save_draft(any_db, "issue", "new", {"description": "MRN 12345678 typed by mistake"})
    drafts.discard_draft(any_db, "issue", "new")
    with any_db.reader() as session:
        values = session.scalars(select(AuditEvent.new_value)).all()
        entities = session.scalars(select(AuditEvent.entity)).all()
    assert "draft" not in entities
    assert not any("12345678" in (v or "") for v in values)


def test_any_role_may_keep_drafts(db: Database) -> None:
    db.actor = Actor(db.actor.os_user, "viewer")
    drafts.save_draft(db, "note", "7", {"text": "a comment to come"})
    assert drafts.load_draft(db, "note", "7") == {"text": "a comment to come"}


def test_a_read_only_database_refuses_drafts_in_one_sentence(db: Database) -> None:
    path = db.path
    assert path is not None
    reader = open_database(path, read_only=True)
    with pytest.raises(ReadOnlyDatabaseError):
        drafts.save_draft(reader, "issue", "new", {"description": "x"})
    assert drafts.list_drafts(reader) == []


def test_a_damaged_draft_reads_as_empty(db: Database) -> None:
    drafts.save_draft(db, "issue", "new", {"description": "x"})
    with db.session() as session:
        from cuspdesk.models import Draft

        draft = session.scalars(select(Draft)).one()
        draft.payload = "{not json"
    assert drafts.load_draft(db, "issue", "new") == {}
    assert drafts.list_drafts(db)[0].payload == {}


@pytest.mark.parametrize(("form", "key"), [("", "new"), ("issue", ""), ("x" * 61, "new")])
def test_bad_keys_are_a_programming_error(db: Database, form: str, key: str) -> None:
    with pytest.raises(ValueError, match="draft keys"):
        drafts.save_draft(db, form, key, {})


def test_values_a_draft_cannot_hold_are_refused(db: Database) -> None:
    with pytest.raises(TypeError, match="cannot hold"):
        drafts.save_draft(db, "issue", "new", {"x": object()})
    assert drafts.list_drafts(db) == []
