"""Exporting to CSV and XLSX: the columns, the formula apostrophe, dates, and failing cleanly."""

from __future__ import annotations

import csv
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError, StorageError, ValidationError
from cuspdesk.services import issues, units
from cuspdesk.services.log_columns import LOG_COLUMNS
from cuspdesk.services.spreadsheet_export import export_spreadsheet
from cuspdesk.services.spreadsheet_files import neutralise, restore

DAY = date.today() - timedelta(days=20)


@pytest.fixture
def unit(db: Database) -> units.UnitInfo:
    unit = units.create_unit(db, units.UnitFields(name="4 East Oncology"))
    owner = units.add_team_member(db, unit.id, units.PersonFields("Zoë Lefèvre")).person_id
    issues.create_issue(
        db,
        unit.id,
        issues.IssueFields(
            description='=HYPERLINK("http://x")',
            date_identified=DAY,
            target_date=DAY + timedelta(days=30),
            owner_id=owner,
            likelihood=4,
            severity=3,
        ),
    )
    closed = issues.create_issue(
        db,
        unit.id,
        issues.IssueFields(
            description="Falls at night",
            date_identified=DAY,
            action_plan="- hourly rounding\n- bed alarms",
            risk_reduced_evidence="No falls in 60 days",
        ),
        status="closed",
    )
    issues.add_note(db, closed.id, "Shared at huddle", DAY + timedelta(days=2))
    return unit


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "''", "'tis", "'", "", "plain", "''=x"],
)
def test_neutralise_is_undone_by_restore(text: str) -> None:
    written = neutralise(text)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(written) == text


def test_csv_has_bom_the_log_columns_and_apostrophes(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = tmp_path / "log.csv"
    result = export_spreadsheet(db, unit.id, path)
    assert result.rows == {"log": 2}
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(path)
    assert rows[0] == [c.header for c in LOG_COLUMNS]
    by_header = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert by_header[0]["Description"] == '\'=HYPERLINK("http://x")'
    assert by_header[0]["Owner"] == "Zoë Lefèvre"
    assert by_header[0]["Date identified"] == DAY.isoformat()
    assert by_header[0]["Risk score"] == "12"
    assert by_header[1]["Status"] == "Closed"
    assert by_header[1]["Action plan"] == "'- hourly rounding\n- bed alarms"
    assert (
        by_header[1]["Follow-up notes"]
        == f"{(DAY + timedelta(days=2)).isoformat()}: Shared at huddle"
    )
    assert result.summary(unit.name) == f"Wrote 2 issues of “4 East Oncology” to {path}."


def test_xlsx_has_every_table_bold_frozen_header_dates_and_filter(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = tmp_path / "unit.xlsx"
    result = export_spreadsheet(db, unit.id, path)
    assert set(result.rows) == {"log", "meetings", "rounds", "assessments", "measures"}
    book = load_workbook(path)
    assert book.sheetnames == [
        "Tracking log",
        "Meetings",
        "Safety rounds",
        "Staff safety assessments",
        "Measures",
    ]
    sheet = book["Tracking log"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(LOG_COLUMNS)).column_letter}3"
    assert sheet.column_dimensions["C"].width == 50
    identified = sheet.cell(2, 2)
    assert identified.is_date and identified.value.date() == DAY
    # A workbook marks formulas itself: the text goes in as typed, typed as text.
    assert sheet.cell(2, 3).value == '=HYPERLINK("http://x")'
    assert sheet.cell(2, 3).data_type == "s"
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_archived_issues_only_when_asked(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    first = issues.list_issues(db, issues.IssueQuery(unit_id=unit.id)).rows[0]
    issues.archive_issue(db, first.id, "Entered twice")
    assert export_spreadsheet(db, unit.id, tmp_path / "a.csv").rows == {"log": 1}
    result = export_spreadsheet(db, unit.id, tmp_path / "b.csv", include_archived=True)
    assert result.rows == {"log": 2}
    rows = read_csv(tmp_path / "b.csv")
    assert rows[0][-1] == "Archived"
    assert [r[-1] for r in rows[1:]] == ["yes", "no"]


def test_other_tables_as_csv(db: Database, unit: units.UnitInfo, tmp_path: Path) -> None:
    from cuspdesk.services import assessments

    assessments.create_response(
        db, unit.id, assessments.AssessmentFields(response_date=DAY, harm_answer="+ a fall")
    )
    result = export_spreadsheet(db, unit.id, tmp_path / "ssa.csv", table="assessments")
    assert result.rows == {"assessments": 1}
    rows = read_csv(tmp_path / "ssa.csv")
    assert rows[1][:3] == [DAY.isoformat(), "", "'+ a fall"]


def test_unwritable_folder_is_refused_and_leaves_nothing(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root writes anywhere, but not into /proc
            with pytest.raises(StorageError, match="Cannot write /proc/log.xlsx"):
                export_spreadsheet(db, unit.id, Path("/proc/log.xlsx"))
        else:
            with pytest.raises(StorageError, match="read-only"):
                export_spreadsheet(db, unit.id, folder / "log.xlsx")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_missing_folder_and_wrong_names(db: Database, unit: units.UnitInfo, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        export_spreadsheet(db, unit.id, tmp_path / "nowhere" / "log.csv")
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        export_spreadsheet(db, unit.id, tmp_path / "log.pdf")
    with pytest.raises(StorageError, match="is a folder"):
        export_spreadsheet(db, unit.id, tmp_path)
    with pytest.raises(CuspDeskError, match="no table"):
        export_spreadsheet(db, unit.id, tmp_path / "x.csv", table="people")


def test_a_failed_export_keeps_the_old_file(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = tmp_path / "log.csv"
    path.write_text("the old export", encoding="utf-8")

    def fail(done: int, total: int) -> None:
        raise RuntimeError("disk pulled out")

    for n in range(600):
        issues.create_issue(
            db, unit.id, issues.IssueFields(description=f"Issue {n}", date_identified=DAY)
        )
    with pytest.raises(RuntimeError):
        export_spreadsheet(db, unit.id, path, progress=fail)
    assert path.read_text(encoding="utf-8") == "the old export"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_text_too_long_for_a_workbook_is_reported(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    issues.create_issue(
        db, unit.id, issues.IssueFields(description="z" * 40_000, date_identified=DAY)
    )
    result = export_spreadsheet(db, unit.id, tmp_path / "log.xlsx")
    assert result.long_cells == 1
    assert "1 cell holds more than 32,767 characters" in result.summary(unit.name)
    assert export_spreadsheet(db, unit.id, tmp_path / "log.csv").long_cells == 0
