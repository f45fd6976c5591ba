"""``cuspdesk export`` and ``cuspdesk import`` with spreadsheets: what they print, exit
statuses, and one plain sentence for every failure."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from test_cli import DemoRun, Run, assert_failed_cleanly, run

from cuspdesk.db import open_database
from cuspdesk.services import issues, units

pytest_plugins = ["test_cli"]


@pytest.fixture
def demo_copy(demo_run: DemoRun, tmp_path: Path) -> Path:
    assert demo_run.result.code == 0, demo_run.result
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_run.path, path)
    return path


@pytest.fixture
def empty_unit(tmp_path: Path) -> Path:
    path = tmp_path / "empty.sqlite3"
    db = open_database(path)
    try:
        units.create_unit(db, units.UnitFields(name="Copy"))
    finally:
        db.dispose()
    return path


def issue_count(path: Path) -> int:
    db = open_database(path)
    try:
        return sum(issues.count_issues(db, None).by_status.values())
    finally:
        db.dispose()


def test_export_csv_then_import_into_another_database(
    demo_copy: Path, empty_unit: Path, tmp_path: Path
) -> None:
    out = tmp_path / "log.csv"
    exported = run("--db", str(demo_copy), "export", "--out", str(out))
    assert exported.code == 0, exported
    assert exported.err == ""
    assert exported.out.startswith("Wrote ")
    assert f"issues of “5 North Surgical ICU” to {out}." in exported.out
    count = issue_count(demo_copy)
    dry = run("--db", str(empty_unit), "import", str(out), "--dry-run")
    assert dry.code == 0, dry
    assert dry.out.splitlines()[0] == (
        f"{count} rows read from log.csv: {count} issues will be added, "
        "0 already in the log will be skipped."
    )
    assert dry.out.splitlines()[-1] == "Nothing was saved (--dry-run)."
    assert issue_count(empty_unit) == 0
    imported = run("--db", str(empty_unit), "import", str(out))
    assert imported.code == 0, imported
    assert imported.out.startswith(f"Imported {count} issues into “Copy” (numbers 1 to ")
    assert issue_count(empty_unit) == count
    again = run("--db", str(empty_unit), "import", str(out))
    assert again.out == (
        f"Nothing new to import into “Copy”: all {count} issues in the file are already in the "
        "log.\n"
    )
    assert issue_count(empty_unit) == count


@pytest.mark.parametrize("table", ["log", "meetings", "rounds", "assessments", "measures"])
def test_export_each_table_as_csv(demo_copy: Path, tmp_path: Path, table: str) -> None:
    out = tmp_path / f"{table}.csv"
    result = run("--db", str(demo_copy), "export", "--out", str(out), "--table", table)
    assert result.code == 0, result
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 1


def test_export_xlsx_holds_every_table(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "unit.xlsx"
    result = run("--db", str(demo_copy), "export", "--out", str(out), "--include-archived")
    assert result.code == 0, result
    assert " meetings, " in result.out and " measure data points of " in result.out


def test_unknown_columns_need_map_or_skip(empty_unit: Path, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        "Date raised,Problem text,Ward\n2026-01-05,Pump alarm quiet,5 North\n", encoding="utf-8"
    )
    refused = run("--db", str(empty_unit), "import", str(path))
    message = assert_failed_cleanly(refused)
    assert message.startswith(
        "The file has columns CUSPDesk does not recognise: “Problem text”, “Ward”."
    )
    mapped = run(
        "--db",
        str(empty_unit),
        "import",
        str(path),
        "--map",
        "Problem text=Description",
        "--skip",
        "ward",
    )
    assert mapped.code == 0, mapped
    assert mapped.out == "Imported 1 issue into “Copy” (number 1).\n"


def test_rows_in_error_are_each_named_and_nothing_is_saved(
    empty_unit: Path, tmp_path: Path
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Issue,Status\n31/02/2026,Impossible date,Open\n2026-01-05,Fine,Open\n"
        "2026-01-05,Closed too soon,Closed\n",
        encoding="utf-8",
    )
    result = run("--db", str(empty_unit), "import", str(path))
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines == [
        "cuspdesk: Line 2: Date identified 31/02/2026 does not exist on the calendar.",
        "cuspdesk: Line 4: An issue can only be closed once “How we know the risk is reduced” "
        "is filled in.",
        "cuspdesk: Nothing was imported: 2 of 3 lines have problems; correct them and import "
        "the file again.",
    ]
    assert issue_count(empty_unit) == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "{tmp}/missing.csv"], "does not exist."),
        (["import", "{tmp}/junk.xlsx"], "is not an Excel workbook (.xlsx) that can be read;"),
        (["export", "--out", "{tmp}/no/such/folder/log.csv"], "does not exist."),
        (["import", "{tmp}/x.csv", "--map", "nothing"], "Write each --map as HEADER=FIELD"),
    ],
    ids=["missing", "junk", "no-folder", "bad-map"],
)
def test_failures_are_one_sentence(
    argv: list[str], expected: str, empty_unit: Path, tmp_path: Path
) -> None:
    (tmp_path / "junk.xlsx").write_bytes(b"\x00\x01 not a workbook" * 50)
    (tmp_path / "x.csv").write_text("Date,Issue\n2026-01-01,x\n", encoding="utf-8")
    result: Run = run("--db", str(empty_unit), *[a.format(tmp=tmp_path) for a in argv])
    message = assert_failed_cleanly(result)
    assert expected in message
