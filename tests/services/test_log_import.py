"""Importing a tracking-log spreadsheet: headers as teams write them, per-row problems in
words, all or nothing, no duplicates on a second import, and an exact round trip."""

from __future__ import annotations

import csv
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from cuspdesk.db import Database, open_database
from cuspdesk.errors import PermissionDeniedError, ValidationError
from cuspdesk.services import issues, units
from cuspdesk.services.log_import import (
    UnknownColumnsError,
    import_log,
    preview_log_import,
    read_date,
    resolve_columns,
)
from cuspdesk.services.spreadsheet_export import export_spreadsheet

TODAY = date.today()
DAY = TODAY - timedelta(days=30)


@pytest.fixture
def unit(db: Database) -> units.UnitInfo:
    return units.create_unit(db, units.UnitFields(name="5 West Medical"))


def write_csv(path: Path, rows: list[list[Any]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def log_rows(db: Database, unit_id: int) -> list[issues.IssueRow]:
    return issues.list_issues(db, issues.IssueQuery(unit_id=unit_id)).rows


TEAM_FILE = [
    ["No.", "Date raised", "Issue", "Who", "Due date", "Status", "Category", "Comments"],
    [
        1,
        DAY.strftime("%d/%m/%Y"),
        "Pump alarms too quiet",
        "Daniel Reyes",
        "",
        "Open",
        "equipment",
        "",
    ],
    [
        2,
        DAY.isoformat(),
        "Hand gel empty in bay 3",
        "",
        "",
        "in progress",
        "Infection",
        "done weekly",
    ],
]


# --- headers -------------------------------------------------------------------------


def test_headers_match_ignoring_case_spacing_and_punctuation() -> None:
    fields = resolve_columns(
        ["  DATE-identified ", "issue", "Responsible", "Due", "due date?"], {"due date?": None}
    )
    assert fields == ["date_identified", "description", "owner", "target_date", None]


def test_unknown_headers_are_named_with_what_they_could_be(
    unit: units.UnitInfo, db: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "log.csv",
        [["Date", "Issue", "Ward sister", "Colour"], [DAY.isoformat(), "x", "y", "z"]],
    )
    with pytest.raises(UnknownColumnsError) as caught:
        preview_log_import(db, unit.id, path)
    assert caught.value.unknown == ("Ward sister", "Colour")
    assert ("owner", "Owner") in caught.value.choices
    assert "“Ward sister”, “Colour”" in str(caught.value)
    preview = preview_log_import(
        db, unit.id, path, columns={"ward sister": "Owner", "Colour": None}
    )
    assert preview.columns == (
        ("Date", "date_identified"),
        ("Issue", "description"),
        ("Ward sister", "owner"),
        ("Colour", None),
    )
    assert preview.rows[0].owner == "y"


def test_missing_required_column_and_doubled_columns() -> None:
    with pytest.raises(ValidationError, match="no “Date identified” column"):
        resolve_columns(["Issue", "Owner"])
    with pytest.raises(ValidationError, match="“Due” and “Target date” both hold target date"):
        resolve_columns(["Date", "Issue", "Due", "Target date"])
    with pytest.raises(ValidationError, match="not a field an issue has"):
        resolve_columns(["Date", "Issue", "Extra"], {"Extra": "favourite colour"})


# --- reading rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        ("1.2.2026", date(2026, 2, 1)),
        ("31-03-26", date(2026, 3, 31)),
        ("2026/03/31", date(2026, 3, 31)),
        ("2026-03-31 00:00:00", date(2026, 3, 31)),
        (datetime(2026, 3, 31, 0, 0), date(2026, 3, 31)),
        (46112, date(2026, 3, 31)),
        ("", None),
    ],
)
def test_dates_as_teams_write_them(cell: Any, expected: date | None) -> None:
    assert read_date(cell, "Date identified") == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2026", "Date identified 31/02/2026 does not exist on the calendar."),
        ("2026-13-01", "Date identified 2026-13-01 does not exist on the calendar."),
        (
            "next week",
            "Date identified “next week” is not a date; write it as 2026-03-31 or 31/03/2026.",
        ),
    ],
)
def test_impossible_dates_are_refused_in_words(cell: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_date(cell, "Date identified")
    assert str(caught.value) == message


def test_team_file_preview_names_new_people_and_categories(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "team.csv", TEAM_FILE)
    preview = preview_log_import(db, unit.id, path)
    assert preview.ok and preview.to_add == 2 and preview.already_present == 0
    assert preview.new_people == ("Daniel Reyes",)
    assert preview.new_categories == ()  # "equipment" and "Infection" are on the default list
    assert [r.outcome for r in preview.rows] == ["Will be added", "Will be added"]
    assert [r.number for r in preview.rows] == [1, 2]
    assert preview.summary()[0] == (
        "2 rows read from team.csv: 2 issues will be added, 0 already in the log will be skipped."
    )
    assert log_rows(db, unit.id) == []  # a preview saves nothing


def test_every_row_problem_is_listed_in_plain_words(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    rows = [
        [
            "Date identified",
            "Description",
            "Status",
            "Likelihood",
            "Target date",
            "Needs the executive",
        ],
        ["", "No date", "", "", "", ""],
        [DAY.isoformat(), "", "", "", "", ""],
        [DAY.isoformat(), "Closed without evidence", "Closed", "", "", ""],
        [DAY.isoformat(), "Odd status", "Sorted", "9", "", "maybe"],
        [DAY.isoformat(), "Due before found", "", "", (DAY - timedelta(days=1)).isoformat(), ""],
        [(TODAY + timedelta(days=3)).isoformat(), "From the future", "", "", "", ""],
        [DAY.isoformat(), "Fine", "", "", "", ""],
    ]
    preview = preview_log_import(db, unit.id, write_csv(tmp_path / "bad.csv", rows))
    problems = {r.description: r.problems for r in preview.rows}
    assert problems["No date"] == ("The date identified is needed.",)
    assert problems[""] == ("The description is needed.",)
    assert problems["Closed without evidence"] == (
        "An issue can only be closed once “How we know the risk is reduced” is filled in.",
    )
    assert "The status “Sorted” is not one CUSPDesk knows" in problems["Odd status"][1]
    assert "Likelihood must be from 1 to 5." in problems["Odd status"]
    assert "Needs the executive should be yes or no, not “maybe”." in problems["Odd status"]
    assert problems["Due before found"] == (
        "The target date cannot be before the date the issue was identified.",
    )
    assert problems["From the future"] == ("The date identified cannot be in the future.",)
    assert problems["Fine"] == ()
    assert preview.with_problems == 6 and preview.to_add == 1 and not preview.ok
    assert preview.problem_lines()[0] == "Line 2: The date identified is needed."


def test_import_is_all_or_nothing(db: Database, unit: units.UnitInfo, tmp_path: Path) -> None:
    rows = [["Date", "Issue", "Who"]] + [
        [DAY.isoformat(), f"Issue {n}", "New Person"] for n in range(30)
    ]
    rows.append(["not a date", "Bad one", ""])
    path = write_csv(tmp_path / "log.csv", rows)
    with pytest.raises(ValidationError) as caught:
        import_log(db, unit.id, path)
    assert str(caught.value).startswith("Line 32: Date identified “not a date” is not a date;")
    assert str(caught.value).endswith("Nothing was imported.")
    assert log_rows(db, unit.id) == []
    assert units.list_team(db, unit.id) == []


def test_importing_twice_adds_nothing(db: Database, unit: units.UnitInfo, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "team.csv", TEAM_FILE)
    first = import_log(db, unit.id, path)
    assert (first.added, first.numbers, first.new_people) == (2, (1, 2), ("Daniel Reyes",))
    assert first.summary("5 West Medical") == (
        "Imported 2 issues into “5 West Medical” (numbers 1 to 2). "
        "Added to the unit's team: “Daniel Reyes”."
    )
    again = import_log(db, unit.id, path)
    assert (again.added, again.already_present) == (0, 2)
    assert len(log_rows(db, unit.id)) == 2
    assert [m.full_name for m in units.list_team(db, unit.id)] == ["Daniel Reyes"]
    preview = preview_log_import(db, unit.id, path)
    assert preview.rows[0].present == (
        "Already in the log as issue 1 (same date identified and description)."
    )


def test_rows_repeated_in_the_file_are_added_once(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    rows = [["Date", "Issue"], [DAY.isoformat(), "Same  issue"], [DAY.isoformat(), "same issue"]]
    preview = preview_log_import(db, unit.id, write_csv(tmp_path / "log.csv", rows))
    assert preview.to_add == 1
    assert (
        preview.rows[1].present
        == "The same issue as line 2 (same date identified and description)."
    )


def test_numbers_are_kept_when_free(db: Database, unit: units.UnitInfo, tmp_path: Path) -> None:
    issues.create_issue(
        db, unit.id, issues.IssueFields(description="Already here", date_identified=DAY)
    )
    rows = [
        ["Number", "Date", "Issue"],
        [1, DAY.isoformat(), "Wants 1"],
        [7, DAY.isoformat(), "Wants 7"],
        ["", DAY.isoformat(), "No number"],
    ]
    result = import_log(db, unit.id, write_csv(tmp_path / "log.csv", rows))
    assert result.numbers == (8, 7, 9)
    assert {r.description: r.number for r in log_rows(db, unit.id)} == {
        "Already here": 1,
        "Wants 1": 8,
        "Wants 7": 7,
        "No number": 9,
    }


def test_a_nurse_manager_cannot_add_people_through_an_import(
    db_path: Path, db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    from cuspdesk.db import Actor

    path = write_csv(tmp_path / "team.csv", TEAM_FILE)
    manager = open_database(db_path, actor=Actor("nm", role="nurse_manager"))
    preview = preview_log_import(manager, unit.id, path)
    assert preview.rows[0].problems == (
        "“Daniel Reyes” is not on the unit's team, and only the team leader can add people; "
        "correct the name or ask the team leader to add it first.",
    )
    viewer = open_database(db_path, actor=Actor("v", role="viewer"))
    with pytest.raises(PermissionDeniedError):
        import_log(viewer, unit.id, path)


def test_semicolon_csv_and_xlsx_with_real_dates(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    semicolons = write_csv(
        tmp_path / "eu.csv",
        [["Datum identified", "Issue"], [DAY.strftime("%d.%m.%Y"), "Café"]],
        delimiter=";",
    )
    with pytest.raises(UnknownColumnsError):
        preview_log_import(db, unit.id, semicolons)
    semicolons = write_csv(
        tmp_path / "eu.csv", [["Date", "Issue"], [DAY.strftime("%d.%m.%Y"), "Café"]], delimiter=";"
    )
    assert preview_log_import(db, unit.id, semicolons).rows[0].date_identified == DAY
    book = write_xlsx(
        tmp_path / "log.xlsx",
        [
            ["Date", "Issue", "Due"],
            [datetime(DAY.year, DAY.month, DAY.day), "Real dates", DAY + timedelta(days=5)],
        ],
    )
    result = import_log(db, unit.id, book)
    assert result.added == 1
    detail = issues.get_issue_by_number(db, unit.id, 1)
    assert detail.fields.target_date == DAY + timedelta(days=5)


# --- hostile files -------------------------------------------------------------------


def test_hostile_files_are_refused_in_words(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header_only = write_csv(tmp_path / "header.csv", [["Date", "Issue"]])
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(bytes(range(256)) * 40)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text("Date,Issue\n2026-01-01,x\n", encoding="utf-16")
    cases = {
        empty: "The file empty.csv is empty; it needs a header row",
        header_only: "The file header.csv has a header row but no issues under it",
        junk: "The file junk.xlsx is not an Excel workbook (.xlsx) that can be read",
        utf16: "The file utf16.csv is not CSV text",
        tmp_path / "missing.csv": "does not exist",
        tmp_path / "log.pdf": "can be imported from .csv or .xlsx files, not log.pdf",
    }
    for path, message in cases.items():
        with pytest.raises(ValidationError) as caught:
            preview_log_import(db, unit.id, path)
        assert message in str(caught.value), path


def test_a_workbook_with_formulas_saved_without_results_is_refused_by_cell(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    """Written by a program and never opened, a formula has no value to read: it would
    come in as an empty cell, so the file is refused and nothing is saved."""
    rows: list[list[Any]] = [["Date", "Issue", "Due"], [DAY, "Computed due date", "=A2+14"]]
    rows += [[DAY, f"Row {n}", f"=A{n}+7"] for n in range(3, 30)]
    book = write_xlsx(tmp_path / "computed.xlsx", rows)
    with pytest.raises(ValidationError) as caught:
        preview_log_import(db, unit.id, book)
    messages = [p.message for p in caught.value.problems]
    assert messages[0] == (
        "Row 2: column 3 holds a formula with no saved result; open the file in the "
        "spreadsheet, save it, and import it again."
    )
    assert len(messages) == 21 and messages[-1] == "…and 8 more rows with problems."
    with pytest.raises(ValidationError):
        import_log(db, unit.id, book)
    assert log_rows(db, unit.id) == []


# --- round trip ----------------------------------------------------------------------

HOSTILE_TEXTS = [
    "Café crème — naïve façade, Zoë Lefèvre",
    "病棟の転倒 患者安全 中文字符",
    "سقوط المريض في الليل",
    "Emoji 🚑💉🩺 and ZWJ 👩‍⚕️",
    "<b>bold</b> & <img src=x onerror=alert(1)> <para>",
    '=HYPERLINK("http://evil.example","Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already quoted",
    "  leading spaces kept inside  \n second line\r\n third",
    "x" * 32_000,  # a workbook cell holds at most 32,767 characters; CSV has no limit
]


def _fill(db: Database, unit_id: int, texts: list[str]) -> None:
    owner = units.add_team_member(db, unit_id, units.PersonFields("Zoë Lefèvre")).person_id
    sponsor = units.add_team_member(db, unit_id, units.PersonFields("عائشة رحمن")).person_id
    own_category = units.add_choice(db, units.CATEGORY_LIST, "Pressure injuries", unit_id=unit_id)
    for n, text in enumerate(texts):
        issues.create_issue(
            db,
            unit_id,
            issues.IssueFields(
                description=text,
                date_identified=DAY + timedelta(days=n % 5),
                source="safety_round" if n % 2 else "event_report",
                event_report_ref=f"ER-{n}" if not n % 2 else "",
                category_id=own_category.id if n % 3 == 0 else None,
                location="Bay 4 – بيت",
                likelihood=n % 5 + 1,
                severity=(n + 2) % 5 + 1,
                mitigate_ability=3 if n % 2 else None,
                implement_ability=2 if n % 2 else None,
                owner_id=owner if n % 2 else None,
                sponsor_id=sponsor if n % 3 else None,
                action_plan=text,
                barriers=text if n % 4 == 0 or n % 6 in (2, 3) else "",
                needs_executive=n % 4 == 0,
                target_date=DAY + timedelta(days=40 + n),
                risk_reduced_evidence=text,
                staff_feedback="Told at huddle" if n % 2 else "",
                feedback_date=DAY + timedelta(days=10) if n % 2 else None,
                harm_event=n == 3,
            ),
            status=["open", "in_progress", "blocked", "escalated", "resolved", "closed"][n % 6],
        )
    first = issues.get_issue_by_number(db, unit_id, 1)
    issues.add_note(db, first.id, "First follow-up: رسالة", DAY + timedelta(days=3))
    issues.add_note(db, first.id, "Second follow-up\nover two lines", DAY + timedelta(days=4))


def _comparable(detail: issues.IssueDetail) -> dict[str, Any]:
    data = asdict(detail.fields)
    for key in ("owner_id", "sponsor_id", "category_id"):
        data.pop(key)
    return {
        **data,
        "uuid": detail.uuid,
        "number": detail.number,
        "status": detail.status,
        "date_closed": detail.date_closed,
        "category": detail.category_label,
        "owner": detail.owner_name,
        "sponsor": detail.sponsor_name,
        "notes": [(n.note_date, n.text) for n in detail.notes if n.kind == "note"],
    }


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_into_an_empty_database_gives_the_same_issues(
    db: Database, unit: units.UnitInfo, tmp_path: Path, suffix: str
) -> None:
    texts = HOSTILE_TEXTS + (["y" * 1_000_000] if suffix == ".csv" else [])
    _fill(db, unit.id, texts)
    path = tmp_path / f"log{suffix}"
    export_spreadsheet(db, unit.id, path)
    other = open_database(tmp_path / "other.sqlite3")
    copy = units.create_unit(other, units.UnitFields(name="Copy"))
    preview = preview_log_import(other, copy.id, path)
    assert preview.ok, preview.problem_lines()
    assert preview.new_categories == ("Pressure injuries",)
    assert set(preview.new_people) == {"Zoë Lefèvre", "عائشة رحمن"}
    import_log(other, copy.id, path)
    originals = [issues.get_issue(db, r.id) for r in log_rows(db, unit.id)]
    copies = [issues.get_issue(other, r.id) for r in log_rows(other, copy.id)]
    assert len(copies) == len(texts)
    for before, after in zip(originals, copies, strict=True):
        expected = _comparable(before)
        if suffix == ".xlsx":  # a workbook is XML, which keeps a line break as "\n" alone
            expected = {
                k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in expected.items()
            }
        assert _comparable(after) == expected
    assert [r.priority_rank for r in log_rows(other, copy.id)] == [
        r.priority_rank for r in log_rows(db, unit.id)
    ]
    # And the same file once more changes nothing.
    assert import_log(other, copy.id, path).added == 0


def test_a_name_too_long_for_a_person_is_a_row_problem(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    rows = [["Date", "Issue", "Owner"], [DAY.isoformat(), "Long owner", "N" * 300]]
    preview = preview_log_import(db, unit.id, write_csv(tmp_path / "log.csv", rows))
    assert preview.rows[0].problems == (
        "The owner is too long for a name (300 characters; the limit is 200).",
    )


def test_an_imported_closed_issue_keeps_its_dates_and_says_how_it_was_logged(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    closed_on = DAY + timedelta(days=9)
    rows = [
        ["Date", "Issue", "Status", "Evidence", "Date resolved", "Date closed"],
        [
            DAY.isoformat(),
            "Bed alarms off",
            "Closed",
            "Audit: 20 of 20 set",
            (DAY + timedelta(days=7)).isoformat(),
            closed_on.isoformat(),
        ],
    ]
    import_log(db, unit.id, write_csv(tmp_path / "log.csv", rows))
    detail = issues.get_issue_by_number(db, unit.id, 1)
    assert (detail.status, detail.date_closed) == ("closed", closed_on)
    assert detail.fields.date_resolved == DAY + timedelta(days=7)
    assert detail.priority_rank is None
    assert [(n.note_date, n.text, n.kind) for n in detail.notes] == [
        (closed_on, "Logged as closed.", "status")
    ]


def test_names_are_added_only_for_rows_that_will_be_imported(
    db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    rows = [
        ["Date", "Issue", "Owner", "Category"],
        ["31/02/2026", "Bad date", "Only On A Bad Row", "Bad-row category"],
        [DAY.isoformat(), "Good", "Kept Person", "Pressure injuries"],
    ]
    preview = preview_log_import(db, unit.id, write_csv(tmp_path / "log.csv", rows))
    assert preview.new_people == ("Kept Person",)
    assert preview.new_categories == ("Pressure injuries",)
