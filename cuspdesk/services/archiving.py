"""Taking a record out of the lists without deleting it: the reason is kept, the audit says who.

Nothing a person can remove is ever deleted; ``archive_record`` is the one way
the top-level records (meetings, rounds, reviews, measures, people, aims...) go.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from cuspdesk.errors import NotFoundError
from cuspdesk.models import Base, utcnow
from cuspdesk.services.validation import Checker

REASON_LIMIT = 2000


class _Archivable(Protocol):
    archived_at: object
    archive_reason: str | None


def clean_reason(reason: str) -> str:
    """Check the reason before any transaction starts; an archive always says why."""
    check = Checker()
    cleaned = check.text("reason", "The reason", reason, required=True, limit=REASON_LIMIT)
    check.raise_if_any()
    return cleaned


def archive_record(
    session: Session, model: type[Base], record_id: int, reason: str, missing: str
) -> None:
    """Mark one record archived with its (already cleaned) reason; archiving twice is a no-op."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(missing)
    archivable: _Archivable = record  # type: ignore[assignment]
    if archivable.archived_at is not None:
        return
    archivable.archived_at = utcnow()
    archivable.archive_reason = reason
