"""Reading and writing CSV and XLSX tables, safely, for export and import.

A text cell that a spreadsheet would run as a formula (it starts with = + - @, a
tab or a carriage return) is written with an apostrophe in front, and reading
takes that apostrophe off again, so the text comes back exactly as it was. Files
are written to a temporary file beside the target and moved into place only when
complete: a failed export never leaves half a file.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cuspdesk.errors import Problem, ValidationError
from cuspdesk.output_files import atomic_file as replace_when_done
from cuspdesk.output_files import check_writable
from cuspdesk.services.chart_csv import MAX_PROBLEMS, csv_delimiter, read_csv_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
# Excel shows at most this many characters in a cell; longer text is cut short there.
EXCEL_CELL_LIMIT = 32_767
# Text fields may hold up to 2,000,000 characters; a CSV cell must be allowed as many.
_CSV_FIELD_LIMIT = 8_000_000

Cell = str | int | float | bool | date | None
Progress = Callable[[int, int], None]


def neutralise(text: str) -> str:
    """The text to write in a cell so that no spreadsheet reads it as a formula.

    An apostrophe already in front of such text gets one more, so that
    ``restore`` (which takes exactly one off) gives the text back unchanged.
    """
    if text.startswith(FORMULA_STARTS) or (
        text.startswith("'") and text[1:2] != "" and text[1:].startswith((*FORMULA_STARTS, "'"))
    ):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralise``: the apostrophe written in front of formula-looking text."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


@dataclass
class Table:
    """One sheet to write: a title (the sheet's name), headers, widths and the rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    widths: Sequence[int] = ()


@dataclass(frozen=True)
class ReadTable:
    """What a file holds: its header row and each later row with its line or row number."""

    file_name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    row_word: str  # "Line" for CSV, "Row" for a workbook


# --- writing -------------------------------------------------------------------------


def check_spreadsheet_target(path: Path) -> None:
    """Say, before any work is done, why a spreadsheet could not be written at ``path``."""
    if not path.is_dir() and path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise ValidationError(f"{path.name} is not a spreadsheet name; end it with .csv or .xlsx.")
    check_writable(path, example="log.xlsx")


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    check_spreadsheet_target(path)
    with replace_when_done(path) as temp:
        yield temp


def write_csv(path: Path, table: Table, progress: Progress | None = None, total: int = 0) -> int:
    """Write one table as UTF-8 CSV with a byte-order mark; returns the number of rows."""
    count = 0
    with atomic_file(path) as temp, temp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count, total)
    return count


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def write_xlsx(
    path: Path, tables: Sequence[Table], progress: Progress | None = None, total: int = 0
) -> tuple[int, int]:
    """Write each table as a sheet; returns (rows written, cells longer than Excel shows).

    Streams rows (openpyxl's write-only mode) so 10,000 issues need little memory.
    Header row bold and frozen, an auto-filter over the columns, dates as real dates.
    """
    from openpyxl import Workbook  # imported here: only exports need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    count = 0
    too_long = 0
    with atomic_file(path) as temp:
        try:
            for table in tables:
                sheet = book.create_sheet(title=table.title[:31])
                for index, width in enumerate(table.widths, start=1):
                    sheet.column_dimensions[get_column_letter(index)].width = width
                sheet.freeze_panes = "A2"
                last = get_column_letter(max(1, len(table.headers)))
                rows_in_sheet = 0
                header_cells = []
                for header in table.headers:
                    cell = _text_cell(WriteOnlyCell(sheet), header)
                    cell.font = bold
                    header_cells.append(cell)
                sheet.append(header_cells)
                for row in table.rows:
                    values: list[Any] = []
                    for value in row:
                        if isinstance(value, str):
                            text = ILLEGAL_CHARACTERS_RE.sub("", value)
                            if len(text) > EXCEL_CELL_LIMIT:
                                too_long += 1
                            if text.startswith("="):
                                values.append(_text_cell(WriteOnlyCell(sheet), text))
                            else:
                                values.append(text)
                        else:
                            values.append(value)
                    sheet.append(values)
                    rows_in_sheet += 1
                    count += 1
                    if progress is not None and count % 500 == 0:
                        progress(count, total)
                sheet.auto_filter.ref = f"A1:{last}{rows_in_sheet + 1}"
            book.save(temp)
        except BaseException:
            book.close()  # the sheets' temporary files go with it
            raise
    return count, too_long


def _text_cell(cell: Any, text: str) -> Any:
    """A workbook cell holding ``text`` as text, even when it starts with ``=``.

    A workbook says which cells are formulas, so nothing else needs guarding: text
    goes in exactly as typed (no apostrophe, unlike CSV) and no spreadsheet runs it.
    """
    cell.value = text
    cell.data_type = "s"
    return cell


# --- reading -------------------------------------------------------------------------


def read_table(path: str | Path) -> ReadTable:
    """The first sheet (XLSX) or the whole file (CSV) as a header row and data rows.

    Blank rows are left out; text cells have the formula apostrophe taken off.
    Raises ValidationError, in words, for a missing, unreadable, empty or damaged file.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ValidationError(
            f"The tracking log can be imported from .csv or .xlsx files, not {p.name}."
        )
    if not p.exists():
        raise ValidationError(f"The file {p} does not exist.")
    if p.is_dir():
        raise ValidationError(f"{p} is a folder, not a spreadsheet.")
    if suffix == ".csv":
        row_word = "Line"
        raw_rows = _csv_rows(p)
    else:
        row_word = "Row"
        raw_rows = workbook_rows(p)
    numbered = [
        (number, row)
        for number, row in enumerate(raw_rows, start=1)
        if any(_filled(cell) for cell in row)
    ]
    if not numbered:
        raise ValidationError(
            f"The file {p.name} is empty; it needs a header row naming the columns and a row "
            "for each issue."
        )
    header_line, header = numbered[0]
    headers = tuple(_header_text(cell) for cell in header)
    rows = tuple((number, row) for number, row in numbered[1:])
    if not rows:
        raise ValidationError(
            f"The file {p.name} has a header row but no issues under it "
            f"({row_word.lower()} {header_line} is the only one with anything in it)."
        )
    return ReadTable(p.name, headers, rows, row_word)


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _header_text(cell: Any) -> str:
    if cell is None:
        return ""
    return str(cell).strip()


def _csv_rows(path: Path) -> list[tuple[Any, ...]]:
    text = read_csv_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, _CSV_FIELD_LIMIT))
    try:
        reader = csv.reader(text.splitlines(keepends=True), delimiter=csv_delimiter(first))
        return [tuple(restore(cell) for cell in row) for row in reader]
    except csv.Error as exc:
        raise ValidationError(
            f"The file {path.name} is not CSV a spreadsheet can read ({exc}); save it from the "
            "spreadsheet as 'CSV UTF-8' and try again."
        ) from None
    finally:
        csv.field_size_limit(previous)


def workbook_rows(path: Path, max_rows: int | None = None) -> list[tuple[Any, ...]]:
    """The first sheet of an .xlsx workbook, row by row, as the values it was saved with.

    A formula saved without its result (the file was written by a program and never
    opened in a spreadsheet) would read as an empty cell; the file is refused instead,
    by row and column, so nothing a formula stands for is silently lost. Rows past
    ``max_rows`` are read as empty tuples: counted, never looked at.
    """
    from openpyxl import load_workbook  # imported here: only imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    books: list[Any] = []
    try:
        # The formulas are read in a second pass, which doubles the time: only when the
        # file holds any.
        for data_only in (True, False) if _holds_formulas(path) else (True,):
            books.append(load_workbook(path, read_only=True, data_only=data_only))
    except PermissionError:
        _close(books)
        raise ValidationError(
            f"The file {path.name} could not be read: it is locked or you may not open it. "
            "Close it in the spreadsheet and try again."
        ) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        _close(books)
        raise ValidationError(
            f"The file {path.name} is not an Excel workbook (.xlsx) that can be read; save it "
            f"from the spreadsheet as .xlsx or as CSV UTF-8 and try again."
        ) from None
    values, formulas = books[0], books[-1]
    try:
        if not values.worksheets:
            return []
        rows: list[tuple[Any, ...]] = []
        unsaved: list[Problem] = []
        value_rows = values.worksheets[0].iter_rows(values_only=True)
        source_rows = (
            formulas.worksheets[0].iter_rows(values_only=True)
            if formulas is not values
            else itertools.repeat(())
        )
        pairs = zip(value_rows, source_rows, strict=False)
        for number, (row, sources) in enumerate(pairs, start=1):
            if max_rows is not None and number > max_rows:
                rows.append(())
                continue
            for column, (value, source) in enumerate(zip(row, sources, strict=False), start=1):
                if value is None and isinstance(source, str) and source.startswith("="):
                    unsaved.append(
                        Problem(
                            None,
                            f"Row {number}: column {column} holds a formula with no saved "
                            "result; open the file in the spreadsheet, save it, and import it "
                            "again.",
                        )
                    )
            rows.append(tuple(row))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ValidationError(
            f"The file {path.name} is damaged: its first sheet cannot be read. Open it in the "
            "spreadsheet, save it again, and try again."
        ) from None
    finally:
        _close(books)
    if unsaved:
        raise ValidationError(capped_problems(unsaved, "Row"))
    return rows


def capped_problems(problems: Sequence[Problem], row_word: str) -> list[Problem]:
    """The first problems of a file and a count of the rest, as every reader lists them."""
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    rest = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(None, f"…and {rest:,} more {row_word.lower()}s with problems."),
    ]


# A formula cell in a worksheet's XML: <f>, <f t="shared" ...>, or with a prefix, <x:f>.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _holds_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook has a formula cell (True when unsure)."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            return any(_FORMULA_TAG.search(archive.read(name)) for name in sheets)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return True  # let the workbook reader say what is wrong with the file


def _close(books: list[Any]) -> None:
    for book in books:
        book.close()
