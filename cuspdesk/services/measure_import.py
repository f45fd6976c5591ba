"""Import a measure's monthly figures from a CSV file or an Excel workbook.

People keep these numbers in spreadsheets, so the reader takes what spreadsheets
write and names every bad row with its line (CSV) or row (workbook) number and a
reason. Nothing is saved until the person has seen a preview, and then every month
is saved in one transaction: a file is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cuspdesk.db import Database
from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services import measures
from cuspdesk.services.chart_csv import csv_delimiter, parse_chart_csv, read_csv_text
from cuspdesk.services.measure_charts import format_number, month_label
from cuspdesk.services.measure_values import MEASURE_UNITS, period_value
from cuspdesk.services.spreadsheet_files import capped_problems, workbook_rows
from cuspdesk.services.validation import EARLIEST_DATE, LATEST_DATE

# One row per month: 2,000 rows is over 160 years, more than any real measure.
MAX_ROWS = 2_000
MAX_FILE_BYTES = 20_000_000
FILE_TYPES = (".csv", ".xlsx")
# The chart whose reading rules fit each kind of measure (what columns, what is refused).
_PARSE_AS = {
    "proportion": "p",
    "rate": "u",
    "count": "c",
    "days_between": "t",
    "cases_between": "g",
}
_LARGEST = 1e12  # the biggest figure a month may hold, as when typed in by hand


@dataclass(frozen=True)
class ImportRow:
    """One month read from the file, and what it will do to the stored data."""

    line: int
    period: date
    numerator: float | None
    denominator: float | None
    value: float | None
    charted: float | None
    replaces: float | None  # the month's current charted value, if it already has data
    existing: bool


@dataclass(frozen=True)
class ImportPreview:
    """What an import would save: new months, months whose figures change, rows skipped."""

    measure_id: int
    measure_name: str
    file_name: str
    rows: tuple[ImportRow, ...]
    skipped_lines: tuple[int, ...]  # rows with a month but no figures
    row_word: str  # "Line" for CSV, "Row" for a workbook

    @property
    def new_months(self) -> int:
        return sum(1 for r in self.rows if not r.existing)

    @property
    def updated(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.existing)

    def summary(self) -> list[str]:
        """Plain sentences for the preview: what is new, what is replaced, what is skipped."""
        lines = [
            f"{len(self.rows):,} {'month' if len(self.rows) == 1 else 'months'} read from "
            f"{self.file_name}, from {month_label(self.rows[0].period)} to "
            f"{month_label(self.rows[-1].period)}."
            if self.rows
            else f"No months with figures were found in {self.file_name}."
        ]
        if self.new_months:
            lines.append(f"{self.new_months:,} new {_months(self.new_months)} will be added.")
        updated = self.updated
        if updated:
            shown = ", ".join(
                f"{month_label(r.period)} ({_number(r.replaces)} → {_number(r.charted)})"
                for r in updated[:6]
            )
            more = f" and {len(updated) - 6:,} more" if len(updated) > 6 else ""
            lines.append(
                f"{len(updated):,} {_months(len(updated))} already entered will be updated: "
                f"{shown}{more}."
            )
        if self.skipped_lines:
            where = ", ".join(str(n) for n in self.skipped_lines[:10])
            lines.append(
                f"{len(self.skipped_lines):,} {self.row_word.lower()}"
                f"{'s' if len(self.skipped_lines) != 1 else ''} with a month but no figures "
                f"will be skipped ({self.row_word.lower()} {where}"
                f"{', …' if len(self.skipped_lines) > 10 else ''})."
            )
        return lines


def _months(n: int) -> str:
    return "month" if n == 1 else "months"


def _number(x: float | None) -> str:
    return "nothing" if x is None else format_number(x)


def preview_import(db: Database, measure_id: int, path: str | Path) -> ImportPreview:
    """Read ``path`` for the measure and say what importing it would do; saves nothing.

    Raises ValidationError listing every bad row (up to a limit) when the file
    cannot be imported as it is.
    """
    info = measures.get_measure(db, measure_id)
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in FILE_TYPES:
        raise ValidationError(
            f"Measure data can be imported from .csv or .xlsx files, not '{p.suffix or p.name}'."
        )
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"The file {p} does not exist.") from None
    except OSError as exc:
        raise ValidationError(f"The file {p} could not be read ({exc.strerror}).") from None
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"The file {p.name} is {size / 1e6:,.0f} MB; a measure's monthly figures fit in far "
            f"less. Check that this is the right file."
        )
    if suffix == ".csv":
        text = read_csv_text(p)
        row_word = "Line"
    else:
        text = _workbook_as_csv(p)
        row_word = "Row"
    kind = info.fields.kind
    if kind not in MEASURE_UNITS:
        raise ValidationError(f"Data cannot be imported for a measure of kind '{kind}'.")
    _check_header(text, kind, info)
    _check_row_count(text)
    try:
        inputs = parse_chart_csv(text, _PARSE_AS[kind])
    except ValidationError as exc:
        raise ValidationError(
            [Problem(pr.field, _as_rows(pr.message, row_word)) for pr in exc.problems]
        ) from None

    existing = {pt.period: pt for pt in measures.list_points(db, measure_id)}
    lines = _data_lines(text)
    rows: list[ImportRow] = []
    skipped: list[int] = []
    problems: list[Problem] = []
    seen: dict[date, int] = {}
    for line, item in zip(lines, inputs, strict=True):
        month = _month_of(item.period)
        figures = (item.value, item.numerator, item.denominator)
        if all(x is None for x in figures):
            skipped.append(line)
            continue
        reasons: list[str] = []
        if month in seen:
            reasons.append(
                f"{month_label(month)} is already on {row_word.lower()} {seen[month]} "
                f"(one {row_word.lower()} per month)"
            )
        if not EARLIEST_DATE <= month <= LATEST_DATE:
            reasons.append(f"the month must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}")
        if any(x is not None and abs(x) > _LARGEST for x in figures):
            reasons.append(f"a figure is larger than {_LARGEST:,.0f}")
        charted: float | None = None
        if not reasons:
            try:
                charted = period_value(
                    kind,
                    numerator=item.numerator,
                    denominator=item.denominator,
                    value=item.value,
                    multiplier=info.fields.multiplier,
                )
            except ValidationError as exc:
                reasons.append(_lower_first(str(exc).rstrip(".")))
        if reasons:
            problems.append(Problem(None, f"{row_word} {line}: {'; '.join(reasons)}."))
            continue
        seen[month] = line
        old = existing.get(month)
        ratio = kind in ("rate", "proportion")
        rows.append(
            ImportRow(
                line=line,
                period=month,
                numerator=item.numerator if ratio else None,
                denominator=item.denominator if ratio else None,
                value=None if ratio else item.value,
                charted=charted,
                replaces=old.value if old is not None else None,
                existing=old is not None,
            )
        )
    if problems:
        raise ValidationError(capped_problems(problems, row_word))
    rows.sort(key=lambda r: r.period)
    return ImportPreview(
        measure_id=measure_id,
        measure_name=info.fields.name,
        file_name=p.name,
        rows=tuple(rows),
        skipped_lines=tuple(skipped),
        row_word=row_word,
    )


def import_preview(db: Database, preview: ImportPreview) -> int:
    """Save every month of a preview in one transaction; returns how many were written."""
    if not preview.rows:
        raise ValidationError("There is nothing to import: the file has no months with figures.")
    entries = [
        measures.PointEntry(
            r.period, numerator=r.numerator, denominator=r.denominator, value=r.value
        )
        for r in preview.rows
    ]
    return measures.set_points(db, preview.measure_id, entries)


# ---------------------------------------------------------------- reading


def _check_header(text: str, kind: str, info: measures.MeasureInfo) -> None:
    """Say in the measure's own terms which columns the file needs."""
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    header = [
        h.strip().lower() for h in next(csv.reader([first], delimiter=csv_delimiter(first)), [])
    ]
    if kind in ("rate", "proportion"):
        needed = ["period", "numerator", "denominator"]
        what = (
            f"{info.fields.numerator_label or 'numerator'} and "
            f"{info.fields.denominator_label or 'denominator'} for each month"
        )
    else:
        needed = ["period", "value"]
        what = "one value for each month"
    if not first.strip():
        raise ValidationError("The file is empty; it needs a header row and a row for each month.")
    missing = [n for n in needed if n not in header]
    if missing:
        shown = ", ".join(h for h in header if h) or "(nothing)"
        raise ValidationError(
            f"The first row must name the columns {', '.join(needed)} ({what}); "
            f"this file's first row has: {shown}."
        )


def _check_row_count(text: str) -> None:
    rows = sum(1 for line in text.splitlines()[1:] if line.strip())
    if rows > MAX_ROWS:
        raise ValidationError(
            f"The file has {rows:,} data rows; a measure has one row per month, so at most "
            f"{MAX_ROWS:,} are read. Check that this is the right file."
        )
    if rows == 0:
        raise ValidationError("The file has a header row but no months under it.")


def _data_lines(text: str) -> list[int]:
    """The line number of each non-blank data row, numbered as ``parse_chart_csv`` numbers them."""
    lines = text.lstrip("\ufeff").splitlines()
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=csv_delimiter(lines[0])))
    return [offset + 2 for offset, row in enumerate(rows[1:]) if any(c.strip() for c in row)]


def _month_of(period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, 1)


def _as_rows(message: str, row_word: str) -> str:
    return f"{row_word} {message[5:]}" if message.startswith("Line ") else message


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _workbook_as_csv(path: Path) -> str:
    """The first sheet of an .xlsx workbook as CSV text, one line per sheet row, so the
    CSV reader's checks apply to it unchanged."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    read = MAX_ROWS + 1  # the header and the most rows a measure import takes
    for number, row in enumerate(workbook_rows(path, max_rows=read), start=1):
        # A row past the limit is only counted by the row check, never parsed.
        writer.writerow([_cell_text(value) for value in row] if number <= read else ["…"])
    return out.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"  # not a number: the reader refuses it by row
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
