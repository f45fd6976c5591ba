"""Per-database settings and the drafts that keep unsaved form input safe."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cuspdesk.models.base import Base, utcnow


class AppSetting(Base):
    """A setting that belongs to the database rather than to one computer."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Draft(Base):
    """Form input not yet saved, kept so a crash or a lock does not lose it."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("form", "record_key", "os_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(60))
    record_key: Mapped[str] = mapped_column(String(60), default="new")
    os_user: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
