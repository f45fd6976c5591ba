"""The look every printed document shares: fonts, colours, paragraph and table styles, page frame.

Documents are photocopied and printed in black and white, so colour only ever
repeats what words and symbols already say: a status is "✔ Closed", a priority
is "●●● High", an overdue line says how many days it is overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from cuspdesk.models import IssueStatus
from cuspdesk.reports import fonts, text

# --- colours -------------------------------------------------------------------------

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A5A5A")
ACCENT = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#9AA5B1")
HEADER_FILL = colors.HexColor("#E3E8EE")
ZEBRA_FILL = colors.HexColor("#F6F7F9")
ALERT_FILL = colors.HexColor("#FBE4E1")
ALERT_INK = colors.HexColor("#9B1C1C")
GOOD_INK = colors.HexColor("#1E6B34")
BOX_FILL = colors.HexColor("#F1F4F7")
GROUP_FILL = colors.HexColor("#E9EEF4")

# Styles name these fonts, and ReportLab looks fonts up as each paragraph is made.
fonts.register_fonts()

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 15 * mm
HEADER_UNIT_WIDTH = 115 * mm
# Room the page frame keeps above and below the body for the header and footer.
HEADER_SPACE = 22 * mm
FOOTER_SPACE = 21 * mm

# --- paragraph styles ----------------------------------------------------------------


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": fonts.SANS,
        "fontSize": 9,
        "leading": 11.5,
        "textColor": INK,
        "splitLongWords": 1,
        "alignment": TA_LEFT,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


TITLE = _style("Title", fontName=fonts.SANS_BOLD, fontSize=17, leading=21, textColor=ACCENT)
SUBTITLE = _style("Subtitle", fontSize=10, leading=13, textColor=MUTED)
HEADING = _style(
    "Heading",
    fontName=fonts.SANS_BOLD,
    fontSize=11.5,
    leading=14,
    textColor=ACCENT,
    spaceBefore=7,
    spaceAfter=3,
)
SUBHEADING = _style("Subheading", fontName=fonts.SANS_BOLD, fontSize=9.5, leading=12, spaceBefore=4)
BODY = _style("Body", spaceAfter=3)
SMALL = _style("Small", fontSize=8, leading=10)
NOTE = _style("Note", fontName=fonts.SANS_OBLIQUE, fontSize=8, leading=10, textColor=MUTED)
CELL = _style("Cell", fontName=fonts.CONDENSED, fontSize=8, leading=9.8)
CELL_BOLD = _style("CellBold", fontName=fonts.CONDENSED_BOLD, fontSize=8, leading=9.8)
CELL_RIGHT = _style(
    "CellRight", fontName=fonts.CONDENSED, fontSize=8, leading=9.8, alignment=TA_RIGHT
)
BIG_NUMBER = _style(
    "BigNumber", fontName=fonts.SANS_BOLD, fontSize=18, leading=21, textColor=ACCENT
)
BIG_LABEL = _style("BigLabel", fontSize=7.5, leading=9, textColor=MUTED)
FOOTER = _style("Footer", fontSize=7, leading=8.5, textColor=MUTED)

# --- words and symbols for states ----------------------------------------------------

STATUS_SYMBOLS = {
    IssueStatus.OPEN.value: "○",
    IssueStatus.IN_PROGRESS.value: "◐",
    IssueStatus.BLOCKED.value: "■",
    IssueStatus.ESCALATED.value: "▲",
    IssueStatus.RESOLVED.value: "✓",
    IssueStatus.CLOSED.value: "✔",
}


def status_text(status: str) -> str:
    """A status in a symbol and a word, readable without colour."""
    label = IssueStatus(status).label
    return f"{STATUS_SYMBOLS.get(status, '')} {label}".strip()


def priority_text(risk_score: int | None) -> str:
    """Risk (likelihood × severity) as dots and a word: ●●● High 20, ●● Medium 12, ● Low 4."""
    if risk_score is None:
        return "Not rated"
    if risk_score >= 15:
        return f"●●● High {risk_score}"
    if risk_score >= 8:
        return f"●● Medium {risk_score}"
    return f"● Low {risk_score}"


def overdue_text(days: int) -> str:
    if days <= 0:
        return ""
    return "1 day overdue" if days == 1 else f"{days:,} days overdue"


def day(value: date | None, empty: str = "—") -> str:
    """A date nobody can misread, whatever their country: 24 Nov 2026."""
    if value is None:
        return empty
    return f"{value.day} {value:%b %Y}"


def plural(count: int, one: str, many: str | None = None) -> str:
    word = one if count == 1 else (many or one + "s")
    return f"{count:,} {word}"


# --- tables --------------------------------------------------------------------------


def cell(value: str | None, style: ParagraphStyle = CELL, *, width: float | None = None) -> Any:
    """A table cell holding user text (escaped like every other piece of user text).

    Given the column ``width``, text in the plain cell style that needs nothing a
    Paragraph offers is returned as a plain string wrapped to the column; tables draw
    those without reading markup or laying out a paragraph.
    """
    if width is not None and value and style is CELL:
        lines = text.plain_lines(value, style.fontName, style.fontSize, width - 6)
        if lines is not None:
            return lines
    return text.paragraph(value, style)


def header_cells(labels: Sequence[str]) -> list[Any]:
    """Column headings: the app's own words, drawn as plain strings in the header font."""
    return list(labels)


def data_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    alert_rows: Sequence[int] = (),
    header_rows: int = 1,
    bold_columns: Sequence[int] = (0,),
) -> Table:
    """A list with a shaded header row repeated on every page, light zebra stripes and rules.

    ``alert_rows`` (0-based, header included) get a pale red background; the row's
    own words must already say why (overdue, blocked...), as colour may not print.
    Plain-string cells in ``bold_columns`` (the issue number, usually) print in bold.
    """
    table = Table(
        [list(row) for row in rows],
        colWidths=list(col_widths),
        repeatRows=header_rows,
        splitByRow=1,
        hAlign="LEFT",
    )
    commands: list[tuple[Any, ...]] = [
        # Plain-string cells (numbers, dates, status words the app writes) skip paragraph
        # layout, which keeps a 2,000-line log quick; they get the cell font here.
        ("FONT", (0, 0), (-1, -1), fonts.CONDENSED, 8, 9.8),
        *(("FONT", (c, 0), (c, -1), fonts.CONDENSED_BOLD, 8, 9.8) for c in bold_columns),
        ("FONT", (0, 0), (-1, header_rows - 1), fonts.CONDENSED_BOLD, 8, 9.8),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
    ]
    for index in range(header_rows, len(rows)):
        if index in alert_rows:
            commands.append(("BACKGROUND", (0, index), (-1, index), ALERT_FILL))
        elif (index - header_rows) % 2 == 1:
            commands.append(("BACKGROUND", (0, index), (-1, index), ZEBRA_FILL))
    table.setStyle(TableStyle(commands))
    return table


def figure_boxes(figures: Sequence[tuple[str, str]], width: float) -> Table:
    """A row of key figures (big number over a short label), e.g. 14 open · 5 overdue."""
    cells = [
        [Paragraph(text.markup(number), BIG_NUMBER), Paragraph(text.markup(label), BIG_LABEL)]
        for number, label in figures
    ]
    col = width / max(len(cells), 1)
    table = Table([cells], colWidths=[col] * len(cells), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BOX_FILL),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


# --- the page frame ------------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """What every page shows: the document's title, the unit, when it was printed, the footer."""

    title: str
    unit_name: str
    footer: str
    printed_at: datetime
    hospital: str = ""


def frame_canvas(info: PageInfo, pagesize: tuple[float, float]) -> type[Canvas]:
    """A canvas class that draws header and footer once it knows the page count ("Page 2 of 5")."""

    class FramedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_page_frame(self, info, pagesize, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return FramedCanvas


def draw_page_frame(
    canvas: Canvas, info: PageInfo, pagesize: tuple[float, float], number: int, total: int
) -> None:
    width, height = pagesize
    canvas.saveState()
    top = height - MARGIN + 2 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(fonts.SANS_BOLD, 9)
    canvas.drawString(MARGIN, top, info.title)
    unit_line = info.unit_name + (f" · {info.hospital}" if info.hospital else "")
    unit_line = _one_line(unit_line, HEADER_UNIT_WIDTH, 9)
    _draw_right(canvas, width - MARGIN, top, unit_line, 9)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)

    bottom = MARGIN - 6 * mm
    canvas.line(MARGIN, bottom + 9 * mm, width - MARGIN, bottom + 9 * mm)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.SANS, 7.5)
    page_label = f"Page {number} of {total}"
    canvas.drawRightString(width - MARGIN, bottom + 5.5 * mm, page_label)
    printed = f"Printed {day(info.printed_at.date())} {info.printed_at:%H:%M}"
    canvas.drawRightString(width - MARGIN, bottom + 2.2 * mm, printed)
    if info.footer:
        footer = text.paragraph(text.clip(info.footer, 300), FOOTER)
        avail = width - 2 * MARGIN - 45 * mm
        _, h = footer.wrapOn(canvas, avail, 9 * mm)
        footer.drawOn(canvas, MARGIN, bottom + 8 * mm - h)
    canvas.restoreState()


def _one_line(value: str, width: float, size: float) -> str:
    """Shorten ``value`` with an ellipsis to fit one header line (the body names it in full)."""
    if stringWidth(value, fonts.SANS, size) <= width:
        return value
    while value and stringWidth(value + "…", fonts.SANS, size) > width:
        value = value[: max(len(value) * 9 // 10, len(value) - 20)]
    return value.rstrip() + "…"


def _draw_right(canvas: Canvas, x: float, y: float, value: str, size: float) -> None:
    """Right-aligned user text in the header, in the same fonts the body uses."""
    para = text.paragraph(
        value, _style("HeaderRight", fontSize=size, textColor=MUTED, alignment=TA_RIGHT)
    )
    w, h = para.wrapOn(canvas, 120 * mm, 10 * mm)
    para.drawOn(canvas, x - 120 * mm, y - 2)


def section(title: str, *extra: Flowable) -> list[Flowable]:
    return [Paragraph(text.markup(title), HEADING), *extra]
