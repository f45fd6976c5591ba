"""The dashboard: what needs attention now, readable in the minute a charge nurse has.

Four numbers across the top, then short lists; every line opens its record.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.dashboard import DUE_SOON_DAYS, Dashboard, load_dashboard
from cuspdesk.services.issues import IssuePage, IssueRow
from cuspdesk.services.units import get_unit
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.issue_table import first_line, overdue_text
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.busy import BusyIndicator
from cuspdesk.ui.widgets.record_list import RecordItem, RecordList
from cuspdesk.ui.worker import run_in_background

SHORT_TEXT = 70


def _short(text: str, limit: int = SHORT_TEXT) -> str:
    line = first_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _issue_item(row: IssueRow, detail: str, *, strong: bool = True) -> RecordItem:
    owner = row.owner or "no owner"
    return RecordItem(
        text=f"{detail} · Issue {row.number}: {_short(row.description)} ({owner})",
        kind="issue",
        record_id=row.id,
        tooltip=row.description,
        strong=strong and row.overdue,
    )


def _more(page: IssuePage, what: str) -> list[RecordItem]:
    hidden = page.total - len(page.rows)
    return [RecordItem(f"…and {hidden} more {what} (see the Tracking log)")] if hidden > 0 else []


def _when(days_away: int) -> str:
    if days_away == 0:
        return "today"
    if days_away == 1:
        return "tomorrow"
    return f"in {days_away} days"


class Tile(QPushButton):
    """A big number with its meaning, clickable; reads as one sentence to a screen reader."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(self.fontMetrics().height() * 4)
        self.setAutoDefault(False)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.setFont(font)
        self.set_value("…", "")

    def minimumSizeHint(self) -> QSize:
        # Let the tiles share a narrow window; the text wraps onto its own lines anyway.
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 160), hint.height())

    def set_value(self, value: str, detail: str) -> None:
        self.setText(f"{value}\n{self.caption}" + (f"\n{detail}" if detail else ""))
        self.setAccessibleName(f"{self.caption}: {value}" + (f", {detail}" if detail else ""))


class DashboardScreen(Screen):
    key = "dashboard"
    title = "Dashboard"
    record_kinds = ()

    show_overdue_requested = Signal()
    show_screen_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        self._generation = 0
        self.data: Dashboard | None = None

        self.heading = QLabel(f"<h2>{self.title}</h2>")
        self.heading.setAccessibleName("Dashboard heading")
        self.busy = BusyIndicator("Loading…")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.busy)
        top.addStretch(1)

        self.open_tile = Tile("open issues")
        self.overdue_tile = Tile("overdue")
        self.due_tile = Tile(f"due in {DUE_SOON_DAYS} days")
        self.harm_tile = Tile("days since a patient was harmed")
        self.open_tile.clicked.connect(lambda: self.show_screen_requested.emit("tracking_log"))
        self.overdue_tile.clicked.connect(self.show_overdue_requested.emit)
        self.due_tile.clicked.connect(lambda: self.show_screen_requested.emit("tracking_log"))
        self.harm_tile.clicked.connect(self._open_harm)
        tiles = QHBoxLayout()
        for tile in (self.open_tile, self.overdue_tile, self.due_tile, self.harm_tile):
            tiles.addWidget(tile)

        self.overdue_list = RecordList("Overdue issues", "Nothing is overdue.")
        self.due_list = RecordList(
            f"Issues due in the next {DUE_SOON_DAYS} days",
            f"Nothing is due in the next {DUE_SOON_DAYS} days.",
        )
        self.executive_list = RecordList(
            "Barriers waiting on the executive", "No barrier is waiting on the executive."
        )
        self.coming_list = RecordList(
            "Next meeting and round", "No meeting or round is planned yet."
        )
        self.concerns_list = RecordList("Top five concerns", "No open concerns.")
        self.reviews_list = RecordList(
            "Recent learning from defects", "No learning-from-defects review yet."
        )
        self.lists = (
            self.overdue_list,
            self.due_list,
            self.executive_list,
            self.coming_list,
            self.concerns_list,
            self.reviews_list,
        )
        for record_list in self.lists:
            record_list.record_chosen.connect(self.context.open_record.emit)
        self.show_overdue_button = QPushButton("&Show all overdue in the log")
        self.show_overdue_button.setAccessibleName("Show all overdue issues in the tracking log")
        self.show_overdue_button.clicked.connect(self.show_overdue_requested.emit)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        grid.addWidget(self._panel("&Overdue", self.overdue_list, self.show_overdue_button), 0, 0)
        grid.addWidget(self._panel(f"&Due in {DUE_SOON_DAYS} days", self.due_list), 0, 1)
        grid.addWidget(self._panel("Waiting on the e&xecutive", self.executive_list), 0, 2)
        grid.addWidget(self._panel("&Coming up", self.coming_list), 1, 0)
        grid.addWidget(self._panel("&Top five concerns", self.concerns_list), 1, 1)
        grid.addWidget(self._panel("Recent &learning from defects", self.reviews_list), 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)

    @staticmethod
    def _panel(title: str, record_list: RecordList, extra: QWidget | None = None) -> QGroupBox:
        box = QGroupBox(title.replace("&", ""))
        caption = QLabel(title)
        caption.setBuddy(record_list)
        caption.setStyleSheet("font-weight: bold;")
        box.setTitle("")
        layout = QVBoxLayout(box)
        layout.addWidget(caption)
        layout.addWidget(record_list, 1)
        if extra is not None:
            layout.addWidget(extra, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    # --- Screen contract -------------------------------------------------------------

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        unit_id = self.context.unit_id
        if unit_id is None:
            return
        self._generation += 1
        generation = self._generation
        db = self.context.db
        self.busy.start()
        run_in_background(
            lambda: (get_unit(db, unit_id).name, load_dashboard(db, unit_id)),
            on_done=lambda result: self._arrived(generation, *result),
            on_error=lambda error: self._failed(generation, error),
        )

    def _on_data_changed(self, kind: str) -> None:
        # Everything the unit records shows up here somewhere.
        self.refresh_when_shown()

    # --- drawing ---------------------------------------------------------------------

    def _failed(self, generation: int, error: CuspDeskError) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self.problem.setText(f"⚠ The dashboard could not be loaded: {error}")
        self.problem.show()

    def _arrived(self, generation: int, unit_name: str, data: Dashboard) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self.problem.hide()
        self.data = data
        day = data.today.strftime("%A %d %B %Y").replace(" 0", " ")
        self.heading.setText(f"<h2>{unit_name}</h2>{day}")
        self.heading.setAccessibleName(f"Dashboard for {unit_name}, {day}")
        counts = data.counts
        self.open_tile.set_value(str(counts.open), "")
        self.overdue_tile.set_value(
            f"⚠ {counts.overdue}" if counts.overdue else "0", "click to list them"
        )
        self.due_tile.set_value(str(counts.due_soon), "")
        harm = data.last_harm
        if harm is None:
            self.harm_tile.set_value("–", "none recorded")
        else:
            self.harm_tile.set_value(str(harm.days_since), f"last: {harm.on.isoformat()}")
        self.harm_tile.setEnabled(harm is not None)

        self.overdue_list.set_records(
            [_issue_item(r, overdue_text(r.days_overdue), strong=False) for r in data.overdue.rows]
            + _more(data.overdue, "overdue")
        )
        self.show_overdue_button.setVisible(data.overdue.total > 0)
        self.due_list.set_records(
            [
                _issue_item(r, f"Due {r.target_date.isoformat()}")
                for r in data.due_soon.rows
                if r.target_date is not None
            ]
            + _more(data.due_soon, "due soon")
        )
        self.executive_list.set_records(
            [
                RecordItem(
                    text=f"Issue {r.number}: {_short(r.barriers or r.description)}"
                    + (f" · {overdue_text(r.days_overdue)}" if r.overdue else ""),
                    kind="issue",
                    record_id=r.id,
                    tooltip=r.barriers or r.description,
                    strong=r.overdue,
                )
                for r in data.needs_executive.rows
            ]
            + _more(data.needs_executive, "waiting on the executive")
        )
        coming: list[RecordItem] = []
        for label, event in (("Meeting", data.next_meeting), ("Safety round", data.next_round)):
            if event is None:
                coming.append(RecordItem(f"{label}: none planned yet"))
                continue
            days = event.days_away(data.today)
            coming.append(
                RecordItem(
                    text=f"{label} {_when(days)} ({event.on.isoformat()}): {event.title}",
                    kind=event.kind if event.record_id is not None else None,
                    record_id=event.record_id,
                    strong=days <= 7,
                )
            )
        if harm is not None:
            coming.append(
                RecordItem(
                    text=f"Last harm event {harm.on.isoformat()}: {_short(harm.title)}",
                    kind=harm.kind,
                    record_id=harm.record_id,
                    tooltip=harm.title,
                )
            )
        self.coming_list.set_records(coming)
        self.concerns_list.set_records(
            [
                RecordItem(
                    text=f"{r.priority_rank}. Issue {r.number}: {_short(r.description)}"
                    + (f" (score {r.risk_score})" if r.risk_score is not None else ""),
                    kind="issue",
                    record_id=r.id,
                    tooltip=r.description,
                )
                for r in data.top_concerns.rows
            ]
        )
        self.reviews_list.set_records(
            [
                RecordItem(
                    text=f"{r.review_date.isoformat()}: {_short(r.title)}"
                    + (" · harm reached the patient" if r.harm_reached_patient else "")
                    + (
                        f" · {_plural(r.open_action_count, 'open action')}"
                        if r.open_action_count
                        else ""
                    ),
                    kind="defect",
                    record_id=r.id,
                    tooltip=r.title,
                )
                for r in data.recent_reviews
            ]
        )

    def _open_harm(self) -> None:
        if self.data is not None and self.data.last_harm is not None:
            harm = self.data.last_harm
            self.context.open_record.emit(harm.kind, harm.record_id)
