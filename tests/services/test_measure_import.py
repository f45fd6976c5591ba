"""Importing a measure's months from CSV and Excel files: previews, row errors, all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import audit, measures, units
from cuspdesk.services.measure_import import MAX_ROWS, import_preview, preview_import


@pytest.fixture
def unit_id(any_db: Database) -> int:
    return units.create_unit(any_db, units.UnitFields(name="4 West")).id


@pytest.fixture
def rate_id(any_db: Database, unit_id: int) -> int:
    return measures.create_measure(
        any_db,
        unit_id,
        measures.MeasureFields(
            name="Falls",
            kind="rate",
            multiplier=1000.0,
            numerator_label="Falls",
            denominator_label="Patient-days",
            unit_label="per 1,000 patient-days",
            chart_kind="u",
            rule_set="we",
        ),
    ).id


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def messages(db: Database, measure_id: int, path: Path) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        preview_import(db, measure_id, path)
    return [p.message for p in exc.value.problems]


def test_csv_preview_then_import_updates_existing_months(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    measures.set_point(any_db, rate_id, date(2025, 2, 1), numerator=1, denominator=500, note="Kept")
    measures.exclude_point(any_db, rate_id, date(2025, 2, 1), excluded=True, reason="Audit")
    path = write(
        tmp_path,
        "falls.csv",
        "\ufeffPeriod,Numerator,Denominator\n"
        "2025-01,2,640\n"
        "2025-02-28,3,600\n"
        "2025-03,,\n"
        "2025-04,0,610\n",
    )
    preview = preview_import(any_db, rate_id, path)
    assert [r.period for r in preview.rows] == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 4, 1),
    ]
    assert [r.line for r in preview.rows] == [2, 3, 5]
    assert preview.new_months == 2
    assert [r.period for r in preview.updated] == [date(2025, 2, 1)]
    assert preview.skipped_lines == (4,)
    summary = preview.summary()
    assert summary[0] == "3 months read from falls.csv, from January 2025 to April 2025."
    assert summary[1] == "2 new months will be added."
    assert summary[2] == "1 month already entered will be updated: February 2025 (2 → 5)."
    assert summary[3] == "1 line with a month but no figures will be skipped (line 4)."
    assert measures.list_points(any_db, rate_id)[0].value == 2.0  # nothing saved yet

    assert import_preview(any_db, preview) == 3
    points = {p.period: p for p in measures.list_points(any_db, rate_id)}
    assert points[date(2025, 1, 1)].value == pytest.approx(2 / 640 * 1000)
    feb = points[date(2025, 2, 1)]
    assert (feb.numerator, feb.denominator, feb.note, feb.excluded) == (3, 600, "Kept", True)
    assert date(2025, 3, 1) not in points
    events = audit.list_audit_events(any_db, entity="measure_point")
    assert any(e.summary == "Imported 3 months of data" for e in events)


def test_saving_is_all_or_nothing(any_db: Database, rate_id: int) -> None:
    measures.set_point(any_db, rate_id, date(2025, 1, 1), numerator=1, denominator=500)
    entries = [
        measures.PointEntry(date(2025, 1, 1), numerator=4, denominator=400),
        measures.PointEntry(date(2025, 2, 1), numerator=2, denominator=450),
        measures.PointEntry(date(2025, 3, 1), numerator=2, denominator=0),
    ]
    with pytest.raises(ValidationError, match="2025-03: Enter the Patient-days"):
        measures.set_points(any_db, rate_id, entries)
    points = measures.list_points(any_db, rate_id)
    assert [(p.period, p.numerator) for p in points] == [(date(2025, 1, 1), 1.0)]


def test_row_errors_name_the_line_and_the_reason(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "period,numerator,denominator\n"
        "2026-01,2,600\n"
        "2026-02-30,1,600\n"
        "2026-03,lots,600\n"
        "2026-04,1,\n"
        "2026-05,1,600\n"
        "2026-06,1,600\n"
        "2026-07,1,0\n",
    )
    assert messages(any_db, rate_id, path) == [
        "Line 3: the period '2026-02-30' is not a date like 2024-03 or 2024-03-31.",
        "Line 4: the numerator 'lots' is not a number.",
        "Line 5: the denominator is empty but the numerator is not.",
        "Line 8: the denominator is 0.",
    ]
    assert measures.list_points(any_db, rate_id) == []


def test_two_dates_in_one_month(any_db: Database, rate_id: int, tmp_path: Path) -> None:
    path = write(
        tmp_path, "days.csv", "period,numerator,denominator\n2026-03-01,1,600\n2026-03-31,2,610\n"
    )
    assert messages(any_db, rate_id, path) == [
        "Line 3: March 2026 is already on line 2 (one line per month)."
    ]


def test_a_proportion_cannot_exceed_its_denominator(
    any_db: Database, unit_id: int, tmp_path: Path
) -> None:
    measure_id = measures.create_measure(
        any_db,
        unit_id,
        measures.MeasureFields(name="Bundle", kind="proportion", chart_kind="p", rule_set="we"),
    ).id
    path = write(tmp_path, "p.csv", "period,numerator,denominator\n2026-01,12,10\n")
    assert messages(any_db, measure_id, path) == [
        "Line 2: the numerator (12) is larger than the denominator (10)."
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "The file is empty"),
        ("\n\n", "The file is empty"),
        ("period,numerator,denominator\n", "The file has a header row but no months under it."),
        (
            "期間,分子,分母\n2026-01,1,600\n",
            "The first row must name the columns period, numerator, denominator (Falls and "
            "Patient-days for each month); this file's first row has: 期間, 分子, 分母.",
        ),
        (
            "period,value\n2026-01,3\n",
            "The first row must name the columns period, numerator, denominator",
        ),
        (
            "period,numerator,denominator\n"
            + "".join(f"{2000 + i // 12}-{i % 12 + 1:02d},1,600\n" for i in range(10_000)),
            f"The file has 10,000 data rows; a measure has one row per month, so at most "
            f"{MAX_ROWS:,} are read.",
        ),
    ],
)
def test_hostile_csv_files(
    any_db: Database, rate_id: int, tmp_path: Path, content: str, expected: str
) -> None:
    path = write(tmp_path, "data.csv", content)
    (message,) = messages(any_db, rate_id, path)
    assert message.startswith(expected)
    assert measures.list_points(any_db, rate_id) == []


def test_not_a_csv_file(any_db: Database, rate_id: int, tmp_path: Path) -> None:
    png = write(tmp_path, "chart.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert messages(any_db, rate_id, png) == [
        "The file chart.csv is not CSV text; save it from the spreadsheet as 'CSV UTF-8' and "
        "try again."
    ]
    book = Workbook()
    book.active.append(["period", "numerator", "denominator"])
    book.save(tmp_path / "real.xlsx")
    renamed = tmp_path / "renamed.csv"
    (tmp_path / "real.xlsx").rename(renamed)
    assert messages(any_db, rate_id, renamed)[0].startswith(
        "The file renamed.csv is a spreadsheet workbook, not CSV text"
    )
    latin1 = write(
        tmp_path, "latin1.csv", "period,numerator,denominator\n2026-01,1,600 é\n".encode("latin-1")
    )
    assert "is not UTF-8 text" in messages(any_db, rate_id, latin1)[0]
    text = write(tmp_path, "data.txt", "period,numerator,denominator\n")
    assert messages(any_db, rate_id, text) == [
        "Measure data can be imported from .csv or .xlsx files, not '.txt'."
    ]
    assert "does not exist" in messages(any_db, rate_id, tmp_path / "missing.csv")[0]


def test_european_csv_with_semicolons_and_decimal_commas(
    any_db: Database, unit_id: int, tmp_path: Path
) -> None:
    measure_id = measures.create_measure(
        any_db,
        unit_id,
        measures.MeasureFields(name="Days between falls", kind="days_between", unit_label="days"),
    ).id
    path = write(tmp_path, "eu.csv", "Period;Value\n2026-01;12,5\n2026-02;30\n")
    preview = preview_import(any_db, measure_id, path)
    assert [(r.period, r.value, r.charted) for r in preview.rows] == [
        (date(2026, 1, 1), 12.5, 12.5),
        (date(2026, 2, 1), 30.0, 30.0),
    ]
    import_preview(any_db, preview)
    assert [p.value for p in measures.list_points(any_db, measure_id)] == [12.5, 30.0]
    negative = write(tmp_path, "neg.csv", "period,value\n2026-03,-4\n")
    assert messages(any_db, measure_id, negative) == ["Line 2: the value cannot be below 0."]


def test_xlsx_with_dates_numbers_and_unicode(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Period", "Numerator", "Denominator", "Note 📝"])
    sheet.append([datetime(2026, 1, 1), 2, 640.0, "Chutes <b>&</b>"])
    sheet.append(["2026-02", 1.0, 600, "転倒"])
    sheet.append([None, None, None, None])
    sheet.append([date(2026, 3, 15), 0, 610, None])
    book.save(tmp_path / "falls.xlsx")
    preview = preview_import(any_db, rate_id, tmp_path / "falls.xlsx")
    assert preview.row_word == "Row"
    assert [(r.line, r.period, r.numerator, r.denominator) for r in preview.rows] == [
        (2, date(2026, 1, 1), 2.0, 640.0),
        (3, date(2026, 2, 1), 1.0, 600.0),
        (5, date(2026, 3, 1), 0.0, 610.0),
    ]
    assert import_preview(any_db, preview) == 3


def test_xlsx_row_errors_and_formulas_without_results(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["period", "numerator", "denominator"])
    sheet.append(["2026-01", 2, 640])
    sheet.append(["2026-02", "=B2*2", 600])  # saved by a program: no result stored
    sheet.append(["2026-03", "two", 600])
    book.save(tmp_path / "formulas.xlsx")
    assert messages(any_db, rate_id, tmp_path / "formulas.xlsx") == [
        "Row 3: column 2 holds a formula with no saved result; open the file in the "
        "spreadsheet, save it, and import it again."
    ]
    sheet["B3"] = 4
    book.save(tmp_path / "text.xlsx")
    assert messages(any_db, rate_id, tmp_path / "text.xlsx") == [
        "Row 4: the numerator 'two' is not a number."
    ]
    not_zip = write(tmp_path, "fake.xlsx", "period,numerator,denominator\n")
    assert messages(any_db, rate_id, not_zip)[0].startswith(
        "The file fake.xlsx is not an Excel workbook (.xlsx) that can be read"
    )
    empty = Workbook()
    empty.save(tmp_path / "empty.xlsx")
    assert messages(any_db, rate_id, tmp_path / "empty.xlsx")[0].startswith("The file is empty")


def test_many_problems_are_counted_not_all_listed(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    rows = "".join(f"{2000 + i // 12}-{i % 12 + 1:02d},x,600\n" for i in range(60))
    found = messages(
        any_db, rate_id, write(tmp_path, "many.csv", "period,numerator,denominator\n" + rows)
    )
    assert len(found) == 21
    assert found[-1] == "…and 40 more lines with problems."


def test_a_long_valid_history_imports_in_one_go(
    any_db: Database, rate_id: int, tmp_path: Path
) -> None:
    rows = "".join(f"{1960 + i // 12}-{i % 12 + 1:02d},{i % 4},600\n" for i in range(1200))
    path = write(tmp_path, "long.csv", "period,numerator,denominator\n" + rows)
    preview = preview_import(any_db, rate_id, path)
    assert len(preview.rows) == 1200
    assert import_preview(any_db, preview) == 1200
    assert len(measures.list_points(any_db, rate_id)) == 1200
