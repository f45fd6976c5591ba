"""The strategic alignment page of the executive summary.

One row per aim: the target it sits under, its measurable goals judged on the
latest month, the measures and the active issues that serve it; then what is not
linked to any aim. States are words and symbols (✓ on track, ✗ not yet), so the
page reads the same photocopied in black and white.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, TableStyle

from cuspdesk.reports import text
from cuspdesk.reports.styles import (
    CELL,
    CELL_BOLD,
    GROUP_FILL,
    MARGIN,
    NOTE,
    PORTRAIT,
    data_table,
    header_cells,
    section,
)
from cuspdesk.services.alignment import Alignment, GoalState, GoalStatus, Link

TITLE_TEXT = "Strategic alignment"
WIDTH = PORTRAIT[0] - 2 * MARGIN
CLIP = 180
STATE_SYMBOLS = {
    GoalState.ON_TRACK: "✓",
    GoalState.NOT_ON_TRACK: "✗",
    GoalState.NOT_MEASURED: "–",
    GoalState.NO_DATA: "–",
    GoalState.NO_TARGET: "–",
}
LINK_WORDS = {
    Link.SERVES: "● {name}",
    Link.GOAL: "◆ {name} (goal)",
    Link.BOTH: "● {name} (goal)",
}
LEGEND = (
    "Goals are judged on their measure's latest month: ✓ meets the target, ✗ not yet, "
    "– not measured or no data. ● a measure of the aim; ◆ a measure a goal is read off. "
    "Issue counts are the active issues (not resolved or closed) linked to each aim."
)


def alignment_flowables(data: Alignment, width: float = WIDTH) -> list[Flowable]:
    """The alignment section: a heading, one row per aim, the unlinked work, a legend.

    Styles come from ``reports.styles`` like every other document's, so there is
    nothing to pass in but the data and the width of the page's frame.
    """
    if not data.aims:
        return section(
            TITLE_TEXT,
            Paragraph(
                "No strategic aims have been recorded yet, so the unit's work cannot be "
                "lined up against them.",
                NOTE,
            ),
        )
    widths = [width * 0.27, width * 0.36, width * 0.19, width * 0.18]
    rows: list[list[object]] = [
        header_cells(
            [
                "Aim, and the target it sits under",
                "Measurable goals (latest month)",
                "Measures",
                "Active issues",
            ]
        )
    ]
    for aim in data.aims:
        above = (
            text.paragraph(text.clip(aim.external_target, CLIP), NOTE, prefix="Sits under: ")
            if aim.external_target
            else Paragraph("No target above it recorded.", NOTE)
        )
        goals: list[Flowable] = [_goal(g) for g in aim.goals] or [
            Paragraph("No measurable goal yet.", NOTE)
        ]
        measures = [
            text.paragraph(
                LINK_WORDS[data.link(aim.aim_id, m.measure_id)].format(name=m.name), CELL
            )
            for m in data.measures_for(aim.aim_id)
        ] or [Paragraph("None linked.", NOTE)]
        rows.append(
            [
                [text.paragraph(text.clip(aim.title, CLIP), CELL_BOLD), above],
                goals,
                measures,
                _issue_lines(data, aim.issue_counts),
            ]
        )
    unlinked_row: int | None = None
    if data.unlinked_measures or any(data.unlinked_issue_counts):
        unlinked_row = len(rows)
        rows.append(
            [
                Paragraph("Not linked to any aim", CELL_BOLD),
                Paragraph("Work the team may want to tie to an aim, or question.", NOTE),
                [text.paragraph(f"○ {m.name}", CELL) for m in data.unlinked_measures]
                or [Paragraph("None.", NOTE)],
                _issue_lines(data, data.unlinked_issue_counts),
            ]
        )
    table = data_table(rows, widths)
    if unlinked_row is not None:
        table.setStyle(
            TableStyle([("BACKGROUND", (0, unlinked_row), (-1, unlinked_row), GROUP_FILL)])
        )
    intro = Paragraph(
        f"How the work of {text.markup(data.unit_name)} lines up with its strategic aims.", NOTE
    )
    return [*section(TITLE_TEXT, intro), table, Paragraph(LEGEND, NOTE)]


def _goal(goal: GoalStatus) -> Flowable:
    detail = f" ({goal.detail})" if goal.detail else ""
    prefix = f"<b>{STATE_SYMBOLS[goal.state]} {goal.state_words}:</b> "
    return text.paragraph(text.clip(goal.description, CLIP) + detail, CELL, prefix=prefix)


def _issue_lines(data: Alignment, counts: tuple[int, ...]) -> list[Flowable]:
    lines: list[Flowable] = [
        text.paragraph(f"{c.label}: {n:,}", CELL)
        for c, n in zip(data.categories, counts, strict=True)
        if n
    ]
    return lines or [Paragraph("None.", NOTE)]
