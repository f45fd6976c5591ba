"""The audit trail: who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cuspdesk.models.base import Base, utcnow


class AuditEvent(Base):
    """One change to one field (or one whole record for create and archive).

    Written in the same transaction as the change it records; the app never
    updates or deletes these rows.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "entity", "entity_id"),
        Index(None, "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    os_user: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, default=None)
    entity_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), default=None, index=True)
    field: Mapped[str | None] = mapped_column(String(60), default=None)
    old_value: Mapped[str | None] = mapped_column(Text, default=None)
    new_value: Mapped[str | None] = mapped_column(Text, default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
