"""The pre-rounds briefing: what an executive partner reads in five minutes before a round.

Most important first: the figures, the barriers only the executive can remove,
the team's top concerns, what is overdue; then the measures, what changed since
the last meeting, recent learning from defects, and the questions for the round.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cuspdesk.reports import text
from cuspdesk.reports.chart_drawing import chart_drawing
from cuspdesk.reports.document import render_pdf, write_pdf
from cuspdesk.reports.styles import (
    BODY,
    CELL,
    CELL_BOLD,
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
    overdue_text,
    plural,
    priority_text,
    section,
    status_text,
)
from cuspdesk.services.briefing import (
    BriefingData,
    IssueChange,
    MeasureChart,
    ReviewSummary,
    Shortlist,
    improvement,
)

TITLE_TEXT = "Pre-rounds briefing"
WIDTH = PORTRAIT[0] - 2 * MARGIN
DESCRIPTION_CHARS = 160
CHART_HEIGHT = 36 * mm
CHARTS_PER_ROW = 3
# The team is listed leaders first, as the executive will look for them.
ROLE_ORDER = {
    "champion": 0,
    "nurse_manager": 1,
    "physician_champion": 2,
    "executive_partner": 3,
    "staff": 4,
}


def write_briefing(
    target: str | os.PathLike[str] | BinaryIO,
    data: BriefingData,
    *,
    printed_at: datetime | None = None,
) -> None:
    write_pdf(target, briefing_pdf(data, printed_at=printed_at))


def briefing_pdf(data: BriefingData, *, printed_at: datetime | None = None) -> bytes:
    info = PageInfo(
        title=TITLE_TEXT,
        unit_name=data.unit.name,
        hospital=data.unit.hospital,
        footer=data.footer,
        printed_at=printed_at or datetime.now(),
    )
    return render_pdf(briefing_story(data), info)


def briefing_story(data: BriefingData) -> list[Flowable]:
    story: list[Flowable] = []
    story += _heading(data)
    story += _figures(data)
    story += _barriers(data)
    story += _top_concerns(data)
    story += _open_and_overdue(data)
    story += _measures(data)
    story += _since_last_meeting(data)
    story += _reviews(data)
    story += _questions(data)
    return story


# --- heading and figures -------------------------------------------------------------


def _heading(data: BriefingData) -> list[Flowable]:
    unit = data.unit
    out: list[Flowable] = [
        text.paragraph(unit.name, TITLE, prefix=f"{TITLE_TEXT}: "),
    ]
    facts = [f"Briefing for {day(data.briefing_date)}"]
    if data.next_round is not None:
        area = f" ({data.next_round_area})" if data.next_round_area else ""
        facts.append(f"next safety round {day(data.next_round)}{area}")
    if data.next_meeting is not None:
        facts.append(f"next meeting {day(data.next_meeting)}")
    out.append(text.paragraph(" · ".join(facts), SUBTITLE))
    if data.executive is not None:
        exec_line = data.executive.full_name + (
            f", {data.executive.title}" if data.executive.title else ""
        )
        out.append(text.paragraph(exec_line, BODY, prefix="<b>Executive partner:</b> "))
    else:
        out.append(Paragraph("<b>Executive partner:</b> none assigned yet", BODY))
    if data.team:
        members = sorted(data.team, key=lambda m: ROLE_ORDER.get(m.role_key or "", 99))
        team = "; ".join(
            m.full_name + (f" ({m.role_label})" if m.role_label else "") for m in members
        )
        out.append(text.paragraph(team, SMALL, prefix="<b>CUSP team:</b> "))
    out.append(Spacer(1, 3 * mm))
    return out


def _figures(data: BriefingData) -> list[Flowable]:
    c = data.counts
    harm = "—" if data.days_since_harm is None else f"{data.days_since_harm:,}"
    figures = [
        (f"{c.open:,}", "open issues"),
        (f"{c.overdue:,}", "overdue"),
        (f"{c.needs_executive:,}", "need the executive"),
        (
            f"{data.opened.total:,} / {data.closed_total:,}",
            f"opened / closed {data.since.label}",
        ),
        (harm, "days since harm reached a patient"),
    ]
    since = data.since
    where = f" ({since.meeting_title}, {day(since.start)})" if since.meeting_title else ""
    line = (
        f"<b>{since.label.capitalize()}</b>{text.markup(where)}: "
        f"{plural(data.opened.total, 'issue')} opened, "
        f"{data.resolved_total:,} resolved, {data.closed_total:,} closed."
    )
    return [figure_boxes(figures, WIDTH), Spacer(1, 1.5 * mm), Paragraph(line, SMALL)]


# --- issue lists ---------------------------------------------------------------------


def _more(shortlist: Shortlist, what: str) -> list[Flowable]:
    if shortlist.more <= 0:
        return []
    return [Paragraph(f"… and {shortlist.more:,} more {what} in the tracking log.", NOTE)]


def _number(n: int) -> str:
    return f"#{n}"


def _barriers(data: BriefingData) -> list[Flowable]:
    rows = data.barriers
    title = f"Barriers that need you ({rows.total:,})"
    if not rows.rows:
        return section(title, Paragraph("No barrier is waiting for the executive.", BODY))
    table_rows: list[list[object]] = [
        header_cells(["#", "Issue", "Barrier: what is needed", "Owner", "Status"])
    ]
    for r in rows.rows:
        table_rows.append(
            [
                _number(r.number),
                cell(text.clip(r.description, DESCRIPTION_CHARS)),
                cell(text.clip(r.barriers, DESCRIPTION_CHARS) or "Not described yet"),
                cell(r.owner or "No owner"),
                status_text(r.status),
            ]
        )
    widths = [11 * mm, 62 * mm, 62 * mm, 26 * mm, 19 * mm]
    return [*section(title, data_table(table_rows, widths)), *_more(rows, "barriers")]


def _top_concerns(data: BriefingData) -> list[Flowable]:
    rows = data.top_concerns
    title = "Top prioritised concerns"
    if not rows.rows:
        return section(title, Paragraph("No active issue is ranked.", BODY))
    table_rows: list[list[object]] = [
        header_cells(["Rank", "#", "Concern", "Priority (risk)", "Owner", "Target", "Status"])
    ]
    alerts = []
    for index, r in enumerate(rows.rows, start=1):
        target = day(r.target_date)
        if r.overdue:
            target += f"\n{overdue_text(r.days_overdue)}"
            alerts.append(index)
        table_rows.append(
            [
                cell(str(r.priority_rank or ""), CELL_BOLD),
                _number(r.number),
                cell(text.clip(r.description, DESCRIPTION_CHARS)),
                priority_text(r.risk_score),
                cell(r.owner or "No owner"),
                cell(target),
                status_text(r.status),
            ]
        )
    widths = [10 * mm, 11 * mm, 71 * mm, 22 * mm, 25 * mm, 21 * mm, 20 * mm]
    return section(title, data_table(table_rows, widths, alert_rows=alerts))


def _open_and_overdue(data: BriefingData) -> list[Flowable]:
    rows = data.other_open
    c = data.counts
    title = f"Open and overdue issues ({c.open:,} open, {c.overdue:,} overdue)"
    if not rows.rows:
        empty = "There are no open issues." if not c.open else "No other open issues."
        return section(title, Paragraph(empty, BODY))
    intro = Paragraph(
        "Other than the top concerns above: overdue first, most overdue at the top; "
        "then by target date.",
        NOTE,
    )
    table_rows: list[list[object]] = [
        header_cells(["#", "Issue", "Owner", "Target date", "Overdue", "Status"])
    ]
    alerts = []
    for index, r in enumerate(rows.rows, start=1):
        if r.overdue:
            alerts.append(index)
        table_rows.append(
            [
                _number(r.number),
                cell(text.clip(r.description, DESCRIPTION_CHARS)),
                cell(r.owner or "No owner"),
                day(r.target_date, "No date"),
                cell(overdue_text(r.days_overdue) or "On time", CELL_BOLD if r.overdue else CELL),
                status_text(r.status),
            ]
        )
    widths = [11 * mm, 79 * mm, 27 * mm, 21 * mm, 22 * mm, 20 * mm]
    return [
        *section(title, intro, data_table(table_rows, widths, alert_rows=alerts)),
        *_more(rows, "open issues"),
    ]


# --- measures ------------------------------------------------------------------------


def _measures(data: BriefingData) -> list[Flowable]:
    title = "Key measures"
    if not data.measures:
        return [
            CondPageBreak(40 * mm),
            *section(title, Paragraph("No key measure has been set up yet.", BODY)),
        ]
    per_row = CHARTS_PER_ROW
    col = WIDTH / per_row
    cells: list[list[Flowable]] = [_measure_cell(m, col - 4 * mm) for m in data.measures]
    while len(cells) % per_row:
        cells.append([])
    grid = Table(
        [cells[i : i + per_row] for i in range(0, len(cells), per_row)],
        colWidths=[col] * per_row,
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    legend = Paragraph(
        "● monthly value · solid line: median (run chart) or mean · dashed: control limits · "
        "dash-dot: target · ◆ special-cause signal",
        NOTE,
    )
    return [CondPageBreak(CHART_HEIGHT + 30 * mm), *section(title, grid, legend)]


def _measure_cell(m: MeasureChart, width: float) -> list[Flowable]:
    name = m.name + (f" ({m.unit_label})" if m.unit_label else "")
    out: list[Flowable] = [text.paragraph(name, SUBHEADING)]
    if m.chart is None:
        out.append(text.paragraph(m.reading, NOTE))
        return out
    out.append(
        chart_drawing(
            m.chart,
            width,
            CHART_HEIGHT,
            target=m.target,
            annotations=m.annotations,
            compact=True,
        )
    )
    out.append(Paragraph(_latest_line(m), SMALL))
    out.append(text.paragraph(m.reading, SMALL if improvement(m) else NOTE))
    return out


def _latest_line(m: MeasureChart) -> str:
    if m.latest_value is None:
        return "No value for the latest month."
    value = _number_text(m.latest_value)
    line = f"<b>Latest:</b> {value} ({text.markup(m.latest_period or '')})"
    if m.target is not None:
        met = m.latest_value >= m.target if m.direction == "up" else m.latest_value <= m.target
        mark = "✓ meets the target" if met else "✗ not yet at the target"
        line += f" · <b>Target:</b> {_number_text(m.target)} — {mark}"
    return line


def _number_text(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{x:,.0f}"
    return f"{x:,.2f}"


# --- since the last meeting, defects, questions --------------------------------------


def _since_last_meeting(data: BriefingData) -> list[Flowable]:
    since = data.since
    title = f"What changed {since.label} ({day(since.start)} to {day(data.briefing_date)})"
    out: list[Flowable] = []
    out.append(
        Paragraph(
            f"<b>Closed ({data.closed_total:,})</b> — with how we know the risk is reduced",
            SUBHEADING,
        )
    )
    if data.closed:
        out.append(_changes_table(data.closed, evidence=True))
        if data.closed_total > len(data.closed):
            out.append(Paragraph(f"… and {data.closed_total - len(data.closed):,} more.", NOTE))
    else:
        out.append(Paragraph("None closed.", NOTE))
    out.append(
        Paragraph(
            f"<b>Resolved, awaiting proof before closing ({data.resolved_total:,})</b>", SUBHEADING
        )
    )
    if data.resolved:
        out.append(_changes_table(data.resolved, evidence=False))
        if data.resolved_total > len(data.resolved):
            out.append(Paragraph(f"… and {data.resolved_total - len(data.resolved):,} more.", NOTE))
    else:
        out.append(Paragraph("None resolved.", NOTE))
    out.append(Paragraph(f"<b>Newly opened ({data.opened.total:,})</b>", SUBHEADING))
    if data.opened.rows:
        rows: list[list[object]] = [header_cells(["#", "Issue", "Source", "Owner", "Priority"])]
        for r in data.opened.rows:
            rows.append(
                [
                    _number(r.number),
                    cell(text.clip(r.description, DESCRIPTION_CHARS)),
                    cell(r.source_label),
                    cell(r.owner or "No owner"),
                    priority_text(r.risk_score),
                ]
            )
        out.append(data_table(rows, [11 * mm, 88 * mm, 29 * mm, 28 * mm, 24 * mm]))
        out += _more(data.opened, "new issues")
    else:
        out.append(Paragraph("No new issues.", NOTE))
    return [CondPageBreak(45 * mm), *section(title, *out)]


def _changes_table(changes: tuple[IssueChange, ...], *, evidence: bool) -> Table:
    labels = ["#", "Issue", "How we know" if evidence else "Owner", "Date"]
    rows: list[list[object]] = [header_cells(labels)]
    for c in changes:
        third = text.clip(c.evidence, DESCRIPTION_CHARS) if evidence else (c.owner or "No owner")
        rows.append(
            [
                _number(c.number),
                cell(text.clip(c.description, DESCRIPTION_CHARS)),
                cell(third or "Not recorded"),
                day(c.on),
            ]
        )
    if evidence:
        return data_table(rows, [11 * mm, 80 * mm, 70 * mm, 19 * mm])
    return data_table(rows, [11 * mm, 120 * mm, 30 * mm, 19 * mm])


def _reviews(data: BriefingData) -> list[Flowable]:
    title = "Recent learning from defects"
    if not data.reviews:
        return section(title, Paragraph("No review in the last three months.", BODY))
    out: list[Flowable] = []
    for review in data.reviews:
        out.append(KeepTogether(_review_block(review)))
    return [CondPageBreak(35 * mm), *section(title, *out)]


def _review_block(r: ReviewSummary) -> list[Flowable]:
    harm = "Harm reached the patient" if r.harm_reached_patient else "No harm reached the patient"
    head = text.paragraph(r.title, SUBHEADING, prefix=f"{day(r.review_date)} — ")
    lines: list[Flowable] = [
        head,
        Paragraph(
            f"{harm}. Actions: {r.action_count:,} ({r.open_action_count:,} still open).", SMALL
        ),
    ]
    if r.what_happened:
        lines.append(
            text.paragraph(text.clip(r.what_happened, 300), SMALL, prefix="<b>What happened:</b> ")
        )
    if r.factors_against:
        lines.append(
            text.paragraph(
                text.clip("; ".join(r.factors_against), 300), SMALL, prefix="<b>Why:</b> "
            )
        )
    if r.how_risk_reduced:
        lines.append(
            text.paragraph(
                text.clip(r.how_risk_reduced, 300),
                SMALL,
                prefix="<b>How we know risk is less:</b> ",
            )
        )
    shared = ", ".join(r.shared_with) if r.shared_with else "not yet"
    lines.append(
        text.paragraph(text.clip(shared, 200), SMALL, prefix="<b>Learning shared with:</b> ")
    )
    lines.append(Spacer(1, 2 * mm))
    return lines


def _questions(data: BriefingData) -> list[Flowable]:
    items = [
        text.paragraph(q, SMALL, prefix=f"☐ {number}. ")
        for number, q in enumerate(data.questions, start=1)
    ]
    half = (len(items) + 1) // 2
    rows = [[items[i], items[i + half] if i + half < len(items) else ""] for i in range(half)]
    grid = Table(rows, colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    return [
        CondPageBreak(25 * mm),
        *section("Questions to ask on the round", grid),
        Paragraph(
            "Write each finding on the tracking log with an owner and a follow-up date.", NOTE
        ),
    ]
