"""What merging unit files remembers: each record's last agreed version, files merged, conflicts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cuspdesk.models.base import Base, utcnow


class ExchangeState(Base):
    """Per record (by the uuid it has in unit files): the versions both sides have seen.

    ``agreed_fingerprint`` is the content this database and the other side last held
    alike; a unit file exported from here carries it, so the merging side can tell
    who changed what since. ``seen_fingerprint`` is the newest file version already
    dealt with, so merging the same file twice changes nothing.
    """

    __tablename__ = "exchange_state"

    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    agreed_fingerprint: Mapped[str | None] = mapped_column(String(64), default=None)
    # The database it was agreed with: only that database's next file may take this
    # record over on the strength of it (another laptop's edit of the same version
    # is a conflict, not an update).
    agreed_with: Mapped[str | None] = mapped_column(String(36), default=None)
    seen_fingerprint: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ExchangeSource(Base):
    """A database whose unit files were merged here, and the newest export merged from it."""

    __tablename__ = "exchange_source"

    database_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_exported_at: Mapped[datetime]
    last_merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(Text, default="")


class MergeConflict(Base):
    """A record changed both here and in a unit file, waiting for a person to choose.

    ``file_payload`` is the file's version of the record (JSON); the database's
    version is read afresh when the conflict is shown, so the choice is made with
    what is there now. ``decision`` is "database" or "file" once decided.
    """

    __tablename__ = "merge_conflict"
    __table_args__ = (Index(None, "unit_id", "decided_at"), Index(None, "record_uuid"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), default=None)
    entity: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(36))
    target_uuid: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(Text, default="")
    source_database: Mapped[str] = mapped_column(String(36), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    file_exported_at: Mapped[datetime | None] = mapped_column(default=None)
    file_fingerprint: Mapped[str] = mapped_column(String(64))
    file_payload: Mapped[str] = mapped_column(Text)
    database_payload: Mapped[str] = mapped_column(Text, default="")
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str | None] = mapped_column(String(20), default=None)
