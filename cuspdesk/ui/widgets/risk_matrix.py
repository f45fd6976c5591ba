"""The 5×5 likelihood × severity grid: counts in each cell, click a cell to pick it.

Each cell says its count and its score in text, and the chosen cell gets a thick
frame and a ▶ mark, so the grid reads the same printed in black and white or to
someone who cannot tell the band colours apart.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QLabel, QWidget

SCALE = range(1, 6)
BAND_COLOURS = {"high": "#f4c7c3", "medium": "#fce8b2", "low": "#d9ead3"}


def risk_band(score: int) -> str:
    """High 15–25, medium 8–14, low 1–7: the usual thirds of a 5×5 matrix."""
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


class MatrixCell(QAbstractButton):
    """One cell: the count large, the score small beneath, the band as a light background."""

    def __init__(self, score: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score = score
        self.count = 0
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def _fonts(self) -> tuple[QFont, QFont]:
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(self.font().pointSizeF() * 1.25)
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        return big, small

    def sizeHint(self) -> QSize:
        big, small = self._fonts()
        width = max(
            QFontMetrics(small).horizontalAdvance("score 25"),
            QFontMetrics(big).horizontalAdvance("▶ 888"),
        )
        height = QFontMetrics(big).height() + QFontMetrics(small).height()
        return QSize(width + 14, height + 12)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        band = risk_band(self.score)
        outer = self.rect().adjusted(1, 1, -1, -1)
        painter.fillRect(outer, QColor(BAND_COLOURS[band]))
        chosen = self.isChecked()
        painter.setPen(QPen(QColor("#000000"), 3 if chosen else 1))
        painter.drawRect(outer.adjusted(1, 1, -1, -1) if chosen else outer)
        if self.hasFocus():
            focus = QPen(QColor("#1a4fa0"), 2, Qt.PenStyle.DashLine)
            painter.setPen(focus)
            painter.drawRect(outer.adjusted(4, 4, -4, -4))
        big, small = self._fonts()
        painter.setPen(QColor("#000000"))
        big_height = QFontMetrics(big).height()
        top = outer.adjusted(0, 4, 0, 0)
        painter.setFont(big)
        count = f"▶ {self.count}" if chosen else str(self.count)
        painter.drawText(
            QRect(top.x(), top.y(), top.width(), big_height),
            Qt.AlignmentFlag.AlignCenter,
            count,
        )
        painter.setFont(small)
        painter.drawText(
            QRect(top.x(), top.y() + big_height, top.width(), top.height() - big_height - 4),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            f"score {self.score}",
        )
        painter.end()


class RiskMatrix(QWidget):
    """``cell_chosen(x, y)`` when a cell is picked, ``(0, 0)`` when the pick is cleared."""

    cell_chosen = Signal(int, int)

    def __init__(
        self,
        x_label: str = "Likelihood",
        y_label: str = "Severity",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.x_label = x_label
        self.y_label = y_label
        self.setAccessibleName(f"{x_label} × {y_label} grid")
        grid = QGridLayout(self)
        grid.setSpacing(3)
        grid.setSizeConstraint(QGridLayout.SizeConstraint.SetFixedSize)
        self.cells: dict[tuple[int, int], MatrixCell] = {}
        self._counts: dict[tuple[int, int], int] = {}
        self._chosen: tuple[int, int] | None = None
        y_title = QLabel(f"{y_label} ↑")
        y_title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(y_title, 0, 0, 1, 6)
        for y in SCALE:
            row = 6 - y
            axis = QLabel(str(y))
            axis.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(axis, row, 0)
            for x in SCALE:
                cell = MatrixCell(x * y)
                cell.clicked.connect(lambda _checked=False, x=x, y=y: self._toggle(x, y))
                self.cells[(x, y)] = cell
                grid.addWidget(cell, row, x)
        for x in SCALE:
            axis = QLabel(str(x))
            axis.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(axis, 6, x)
        x_title = QLabel(f"{x_label} →")
        x_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(x_title, 7, 1, 1, 5)
        self.set_counts({})

    @property
    def chosen(self) -> tuple[int, int] | None:
        return self._chosen

    def set_counts(self, counts: Mapping[tuple[int, int], int]) -> None:
        self._counts = dict(counts)
        for (x, y), cell in self.cells.items():
            self._draw(x, y, cell)

    def choose(self, x: int, y: int) -> None:
        """Pick a cell (as a click would); ``choose(0, 0)`` clears the pick."""
        self._chosen = (x, y) if (x, y) in self.cells else None
        for (cx, cy), cell in self.cells.items():
            self._draw(cx, cy, cell)
        chosen = self._chosen or (0, 0)
        self.cell_chosen.emit(*chosen)

    def _toggle(self, x: int, y: int) -> None:
        self.choose(0, 0) if self._chosen == (x, y) else self.choose(x, y)

    def _draw(self, x: int, y: int, cell: MatrixCell) -> None:
        count = self._counts.get((x, y), 0)
        score = x * y
        band = risk_band(score)
        chosen = self._chosen == (x, y)
        cell.count = count
        cell.setChecked(chosen)
        noun = "concern" if count == 1 else "concerns"
        cell.setText(f"{count}")
        cell.setAccessibleName(f"{self.x_label} {x}, {self.y_label.lower()} {y}: {count} {noun}")
        cell.setAccessibleDescription(
            f"Score {score}, {band} risk" + (", chosen" if chosen else "")
        )
        cell.setToolTip(
            f"{self.x_label} {x} × {self.y_label.lower()} {y} = {score} ({band} risk): "
            f"{count} {noun}. Click to show only these."
        )
        cell.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move between cells, so the grid is usable without a mouse."""
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, 1),
            Qt.Key.Key_Down: (0, -1),
        }
        step = moves.get(Qt.Key(event.key()))
        focused = next((k for k, c in self.cells.items() if c.hasFocus()), None)
        if step is None or focused is None:
            super().keyPressEvent(event)
            return
        target = (focused[0] + step[0], focused[1] + step[1])
        if target in self.cells:
            self.cells[target].setFocus(Qt.FocusReason.TabFocusReason)
