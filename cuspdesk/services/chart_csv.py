"""Read chart data from a CSV file a person typed or exported from a spreadsheet.

Spreadsheets differ in what they write (a byte-order mark, semicolons in European
locales, trailing blank lines), so the reader accepts all of these and reports
every bad row at once, by line number, in words the person can act on.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cuspdesk.chart_kinds import CHART_KINDS
from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services.chart import ChartInput

MAX_PROBLEMS = 20

_PERIOD_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PERIOD_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_YES = {"1", "yes", "y", "true", "x"}
_NO = {"", "0", "no", "n", "false"}


def read_chart_csv(path: str | Path, kind: str) -> list[ChartInput]:
    """Read ``path`` for a chart of ``kind``; see ``parse_chart_csv`` for the columns."""
    return parse_chart_csv(read_csv_text(path), kind)


def read_csv_text(path: str | Path) -> str:
    """The text of a CSV file, or a ValidationError saying plainly why it cannot be read."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"The file {p} does not exist.") from None
    except IsADirectoryError:
        raise ValidationError(f"{p} is a folder, not a CSV file.") from None
    except OSError as exc:
        raise ValidationError(f"The file {p} could not be read ({exc.strerror}).") from None
    if raw.startswith(b"PK\x03\x04"):
        raise ValidationError(
            f"The file {p.name} is a spreadsheet workbook, not CSV text; give it the name "
            f"ending .xlsx, or save it from the spreadsheet as CSV."
        )
    if b"\x00" in raw[:4096]:
        raise ValidationError(
            f"The file {p.name} is not CSV text; save it from the spreadsheet as "
            f"'CSV UTF-8' and try again."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"The file {p} is not UTF-8 text; save it from the spreadsheet as "
            f"'CSV UTF-8' and try again."
        ) from None


def parse_chart_csv(text: str, kind: str) -> list[ChartInput]:
    """Rows of a CSV text as chart input, in file order.

    Columns (header names in any case): ``period`` and ``value`` for run, c, i, g
    and t charts; ``period``, ``numerator`` and ``denominator`` for p and u charts
    (a run chart takes either). Optional ``excluded`` (yes/no) and
    ``exclude_reason`` columns mark periods to leave out of the centre line.
    An empty value (or empty numerator and denominator) is a period with no data.
    Periods are 'YYYY-MM-DD' or 'YYYY-MM' and must run forward in time.
    """
    if kind not in CHART_KINDS:
        raise ValidationError(f"Unknown chart kind '{kind}': use one of {', '.join(CHART_KINDS)}.")
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        raise ValidationError("The file is empty; it needs a header row and at least one row.")
    delimiter = csv_delimiter(lines[0])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]]
    columns = _columns(header, kind)

    problems: list[Problem] = []
    total_bad = 0
    out: list[ChartInput] = []
    last_period: tuple[str, int] | None = None
    seen: dict[str, int] = {}
    for offset, row in enumerate(rows[1:]):
        line = offset + 2
        if not any(cell.strip() for cell in row):
            continue
        reasons: list[tuple[str, str]] = []
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        period = cells["period"]
        if not period:
            reasons.append(("period", "the period is empty"))
        elif not _valid_period(period):
            reasons.append(
                ("period", f"the period '{period}' is not a date like 2024-03 or 2024-03-31")
            )
        elif period in seen:
            reasons.append(("period", f"the period {period} is already on line {seen[period]}"))
        elif last_period is not None and period < last_period[0]:
            reasons.append(
                (
                    "period",
                    (
                        f"the period {period} comes before {last_period[0]} on line "
                        f"{last_period[1]}; put the rows in time order"
                    ),
                )
            )
        numbers: dict[str, float | None] = {}
        for name in ("value", "numerator", "denominator"):
            if name in cells:
                number, why = _number(cells[name], name, delimiter)
                if why:
                    reasons.append((name, why))
                numbers[name] = number
        value = numbers.get("value")
        num = numbers.get("numerator")
        den = numbers.get("denominator")
        has_ratio = "numerator" in columns and "denominator" in columns
        if has_ratio and not any(r[0] in ("numerator", "denominator") for r in reasons):
            reasons.extend(_ratio_problems(kind, num, den))
        if kind in ("c", "g", "t") and value is not None and value < 0:
            reasons.append(("value", "the value cannot be below 0"))
        excluded = False
        if "excluded" in cells:
            flag = cells["excluded"].lower()
            if flag in _YES:
                excluded = True
            elif flag not in _NO:
                reasons.append(("excluded", f"'excluded' should be yes or no, not '{flag}'"))
        if reasons:
            total_bad += 1
            if len(problems) < MAX_PROBLEMS:
                text_ = "; ".join(r for _, r in reasons)
                problems.append(Problem(reasons[0][0], f"Line {line}: {text_}."))
        if period and _valid_period(period):
            seen.setdefault(period, line)
            if last_period is None or period > last_period[0]:
                last_period = (period, line)
        reason = cells.get("exclude_reason") or None
        out.append(
            ChartInput(
                period=period,
                value=value,
                numerator=num,
                denominator=den,
                excluded=excluded,
                exclude_reason=reason,
            )
        )
    if total_bad > len(problems):
        problems.append(
            Problem(None, f"…and {total_bad - len(problems)} more lines with problems.")
        )
    if problems:
        raise ValidationError(problems)
    if not out:
        raise ValidationError("The file has a header row but no data rows.")
    return out


def csv_delimiter(header_line: str) -> str:
    """Semicolon when the header uses it (European spreadsheets), else comma."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _columns(header: Sequence[str], kind: str) -> dict[str, int]:
    """Column positions by name, checking the ones this kind of chart needs."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in index:
            raise ValidationError(f"The header names the column '{name}' twice.")
        if name:
            index[name] = i
    wanted = ["period"]
    has_value = "value" in index
    has_ratio = "numerator" in index and "denominator" in index
    if kind in ("p", "u"):
        wanted += ["numerator", "denominator"]
    elif kind == "run":
        if not has_value and not has_ratio:
            raise ValidationError(
                "A run chart file needs a 'value' column, or 'numerator' and 'denominator' "
                "columns, after 'period'."
            )
        if has_value and has_ratio:
            raise ValidationError(
                "The file has both a 'value' column and 'numerator'/'denominator' columns; "
                "keep one or the other."
            )
    else:
        wanted.append("value")
    missing = [w for w in wanted if w not in index]
    if missing:
        names = " and ".join(f"'{m}'" for m in missing)
        needs = ", ".join(wanted)
        raise ValidationError(
            f"The header row has no {names} column; a {kind} chart file needs: {needs}."
        )
    keep = set(wanted) | {"excluded", "exclude_reason"}
    if kind == "run":
        keep |= {"value"} if has_value else {"numerator", "denominator"}
    return {name: i for name, i in index.items() if name in keep}


def _valid_period(text: str) -> bool:
    m = _PERIOD_DAY.match(text)
    if m:
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return False
        return True
    m = _PERIOD_MONTH.match(text)
    return m is not None and 1 <= int(m[2]) <= 12


def _number(cell: str, name: str, delimiter: str) -> tuple[float | None, str | None]:
    """(number, None) or (None, reason); an empty cell is (None, None)."""
    if not cell:
        return None, None
    text = cell
    if delimiter == ";" and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        x = float(text)
    except ValueError:
        return None, f"the {name} '{cell}' is not a number"
    if not math.isfinite(x):
        return None, f"the {name} '{cell}' is not an ordinary number"
    return x, None


def _ratio_problems(kind: str, num: float | None, den: float | None) -> list[tuple[str, str]]:
    if num is None and den is None:
        return []
    if num is None:
        return [("numerator", "the numerator is empty but the denominator is not")]
    if den is None:
        return [("denominator", "the denominator is empty but the numerator is not")]
    out: list[tuple[str, str]] = []
    if den == 0:
        out.append(("denominator", "the denominator is 0"))
    elif den < 0:
        out.append(("denominator", "the denominator is below 0"))
    if num < 0:
        out.append(("numerator", "the numerator is below 0"))
    if kind == "p" and den > 0 and num > den:
        out.append(
            (
                "numerator",
                f"the numerator ({_plain(num)}) is larger than the denominator ({_plain(den)})",
            )
        )
    return out


def _plain(x: float) -> str:
    return str(int(x)) if x.is_integer() else f"{x:g}"
