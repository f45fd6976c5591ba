"""The one-page executive summary for senior leadership and the Board.

Progress against the unit's aims and goals, the trend of open issues, wins worth
sharing and the help the unit needs. Lists are short by design (the service
caps them), so the summary stays on one page however big the log grows.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from cuspdesk.reports import text
from cuspdesk.reports.chart_drawing import chart_drawing
from cuspdesk.reports.document import render_pdf, write_pdf
from cuspdesk.reports.styles import (
    ACCENT,
    BODY,
    CELL,
    CELL_BOLD,
    GROUP_FILL,
    MARGIN,
    NOTE,
    PORTRAIT,
    SMALL,
    SUBHEADING,
    SUBTITLE,
    TITLE,
    PageInfo,
    cell,
    data_table,
    day,
    figure_boxes,
    header_cells,
    section,
    status_text,
)
from cuspdesk.services.briefing import GoalProgress, MeasureChart, SummaryData

TITLE_TEXT = "Executive summary"
WIDTH = PORTRAIT[0] - 2 * MARGIN
CLIP = 150


def write_summary(
    target: str | os.PathLike[str] | BinaryIO,
    data: SummaryData,
    *,
    printed_at: datetime | None = None,
) -> None:
    write_pdf(target, summary_pdf(data, printed_at=printed_at))


def summary_pdf(data: SummaryData, *, printed_at: datetime | None = None) -> bytes:
    info = PageInfo(
        title=TITLE_TEXT,
        unit_name=data.unit.name,
        hospital=data.unit.hospital,
        footer=data.footer,
        printed_at=printed_at or datetime.now(),
    )
    return render_pdf(summary_story(data), info)


def summary_story(data: SummaryData) -> list[Flowable]:
    story: list[Flowable] = [text.paragraph(data.unit.name, TITLE, prefix=f"{TITLE_TEXT}: ")]
    facts = [f"As of {day(data.summary_date)}"]
    if data.executive is not None:
        facts.append(f"executive partner {data.executive.full_name}")
        if data.executive.title:
            facts[-1] += f", {data.executive.title}"
    if data.unit.service_line:
        facts.append(data.unit.service_line)
    story.append(text.paragraph(" · ".join(facts), SUBTITLE))
    story.append(Spacer(1, 2 * mm))
    c = data.counts
    harm = "—" if data.days_since_harm is None else f"{data.days_since_harm:,}"
    recent_closed = sum(m.closed for m in data.trend[-3:])
    story.append(
        figure_boxes(
            [
                (f"{c.open:,}", "open issues"),
                (f"{c.overdue:,}", "overdue"),
                (f"{recent_closed:,}", "resolved or closed in the last 3 months"),
                (f"{c.needs_executive:,}", "need executive help"),
                (harm, "days since harm reached a patient"),
            ],
            WIDTH,
        )
    )
    story += _aims(data)
    story += _trend(data)
    story += _wins_and_help(data)
    return story


def _aims(data: SummaryData) -> list[Flowable]:
    title = "Progress against our aims"
    if not data.aims:
        return section(title, Paragraph("No strategic aims have been recorded yet.", BODY))
    rows: list[list[object]] = [
        header_cells(["Aim and measurable goal", "Latest", "Target", "Met?"])
    ]
    aim_rows: list[int] = []
    for aim in data.aims:
        aim_rows.append(len(rows))
        issues_line = f"{aim.open_issues:,} open · {aim.closed_issues:,} closed issues"
        above = (
            f" — {text.markup(text.clip(aim.external_target, CLIP))}" if aim.external_target else ""
        )
        rows.append(
            [
                Paragraph(
                    f"{text.markup(text.clip(aim.title, CLIP))}"
                    f"<font size=7 color='#5A5A5A'>{above}</font>",
                    CELL_BOLD,
                ),
                cell(issues_line),
                "",
                "",
            ]
        )
        for goal in aim.goals:
            rows.append(_goal_row(goal))
        if not aim.goals:
            rows.append([cell("No measurable goal yet."), "", "", ""])
    table = data_table(rows, [112 * mm, 28 * mm, 20 * mm, 20 * mm])
    table.setStyle(
        TableStyle(
            [("SPAN", (1, r), (-1, r)) for r in aim_rows]
            + [("BACKGROUND", (0, r), (-1, r), GROUP_FILL) for r in aim_rows]
        )
    )
    return section(title, table)


def _goal_row(goal: GoalProgress) -> list[object]:
    measure = f" ({goal.measure_name})" if goal.measure_name else ""
    due = f" by {day(goal.due_date)}" if goal.due_date else ""
    latest = "No data"
    if goal.latest_value is not None:
        latest = f"{_num(goal.latest_value)} ({goal.latest_period})"
    target = _num(goal.target) if goal.target is not None else "—"
    met = {True: "✓ Met", False: "✗ Not yet", None: "— No data"}[goal.met]
    if goal.target is None and goal.latest_value is None:
        met = "— Not measured"
    return [
        text.paragraph(text.clip(goal.description, CLIP) + measure + due, CELL, prefix="• "),
        cell(latest),
        cell(target),
        cell(met, CELL_BOLD),
    ]


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"


def _trend(data: SummaryData) -> list[Flowable]:
    title = "Open issues, month by month"
    if data.trend_chart is None or not data.trend:
        return section(title, Paragraph("Not enough history yet.", BODY))
    first, last = data.trend[0], data.trend[-1]
    opened = sum(m.opened for m in data.trend)
    closed = sum(m.closed for m in data.trend)
    words = (
        f"Open at month end: <b>{last.open_at_end:,}</b> now, {first.open_at_end:,} in "
        f"{first.month:%b %Y}. Over these {len(data.trend)} months the team opened "
        f"{opened:,} issues and resolved or closed {closed:,}."
    )
    drawing = chart_drawing(data.trend_chart, WIDTH * 0.62, 38 * mm, compact=True)
    table = Table(
        [[drawing, [Paragraph(words, SMALL), Spacer(1, 2 * mm), _month_table(data)]]],
        colWidths=[WIDTH * 0.64, WIDTH * 0.36],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return section(title, table)


def _month_table(data: SummaryData) -> Table:
    rows: list[list[object]] = [header_cells(["Month", "Opened", "Closed", "Open"])]
    for m in data.trend[-4:]:
        rows.append(
            [
                cell(f"{m.month:%b %Y}"),
                cell(f"{m.opened:,}"),
                cell(f"{m.closed:,}"),
                cell(f"{m.open_at_end:,}"),
            ]
        )
    return data_table(rows, [20 * mm, 14 * mm, 14 * mm, 14 * mm])


def _wins_and_help(data: SummaryData) -> list[Flowable]:
    half = WIDTH / 2 - 3 * mm
    wins: list[Flowable] = [Paragraph("Wins worth sharing", SUBHEADING)]
    for w in data.wins:
        wins.append(
            text.paragraph(text.clip(w.description, CLIP), SMALL, prefix=f"<b>✔ #{w.number}</b> ")
        )
        if w.evidence:
            wins.append(text.paragraph(text.clip(w.evidence, CLIP), NOTE, prefix="How we know: "))
    for m in data.improving:
        wins.append(_improving_line(m))
    if len(wins) == 1:
        wins.append(Paragraph("Nothing closed in the last three months yet.", NOTE))
    help_: list[Flowable] = [Paragraph("Help needed from senior leadership", SUBHEADING)]
    for r in data.help_needed.rows:
        help_.append(
            text.paragraph(
                text.clip(r.description, CLIP),
                SMALL,
                prefix=f"<b>{status_text(r.status)} #{r.number}</b> ",
            )
        )
        if r.barriers:
            help_.append(text.paragraph(text.clip(r.barriers, CLIP), NOTE, prefix="Needed: "))
    if data.help_needed.more > 0:
        help_.append(Paragraph(f"… and {data.help_needed.more:,} more in the tracking log.", NOTE))
    if not data.help_needed.rows:
        help_.append(Paragraph("No barrier is waiting for senior leadership.", NOTE))
    table = Table([[wins, help_]], colWidths=[half + 3 * mm, half + 3 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 6 * mm),
                ("LINEBEFORE", (1, 0), (1, -1), 0.5, ACCENT),
                ("LEFTPADDING", (1, 0), (1, -1), 4 * mm),
            ]
        )
    )
    return [Spacer(1, 3 * mm), table]


def _improving_line(m: MeasureChart) -> Flowable:
    latest = f"latest {_num(m.latest_value)}" if m.latest_value is not None else ""
    words = f"{m.name}: special-cause improvement on the chart" + (f" ({latest})" if latest else "")
    return text.paragraph(words, SMALL, prefix="<b>Improving:</b> ")
