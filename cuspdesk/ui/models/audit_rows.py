"""The audit trail as a read-only table: one row per recorded change, in words and local time."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cuspdesk.models import STATUS_LABELS, IssueStatus
from cuspdesk.services.access import ROLE_LABELS, Role
from cuspdesk.services.audit import AuditRow
from cuspdesk.services.issues import FIELD_LABELS

SHOWN_CHARS = 200
_Index = QModelIndex | QPersistentModelIndex


def local_time(row: AuditRow) -> str:
    """When, in the computer's own time zone (the trail keeps UTC)."""
    return row.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def field_label(field: str | None) -> str:
    if not field:
        return ""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def value_text(row: AuditRow, value: str | None) -> str:
    """A stored value in words: statuses by name, whole-record snapshots as "Field: value"."""
    if value is None:
        return ""
    if row.field == "status":
        try:
            return STATUS_LABELS[IssueStatus(value)]
        except ValueError:
            return value
    if row.field is None and value.startswith("{"):
        try:
            snapshot = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(snapshot, dict):
            return _snapshot_text(snapshot)
    return value


# What a person reads first in a whole-record snapshot; ids mean nothing to them.
_LEAD_FIELDS = ("description", "text", "name", "full_name", "title", "label")
_UNSHOWN_FIELDS = frozenset({"author", "kind", "position"})


def _snapshot_text(snapshot: dict[str, object]) -> str:
    keys = [k for k in _LEAD_FIELDS if k in snapshot]
    keys += [
        k for k in snapshot if k not in keys and not k.endswith("_id") and k not in _UNSHOWN_FIELDS
    ]
    return "; ".join(f"{field_label(k)}: {snapshot[k]}" for k in keys)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


COLUMNS: list[tuple[str, Callable[[AuditRow], str]]] = [
    ("When", local_time),
    ("Who", lambda r: r.os_user),
    ("Role", lambda r: role_label(r.role)),
    ("Record", lambda r: r.record),
    ("What", lambda r: r.action_label),
    ("Field", lambda r: field_label(r.field)),
    ("From", lambda r: _short(value_text(r, r.old_value))),
    ("To", lambda r: _short(value_text(r, r.new_value))),
]


class AuditRowsModel(QAbstractTableModel):
    """Rows the audit service returned; never editable (the trail cannot be changed)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (6, 7):
            full = value_text(row, row.old_value if index.column() == 6 else row.new_value)
            return full[:5000] if full else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
