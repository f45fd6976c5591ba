"""``cuspdesk export --out FILE.cuspdesk`` and ``cuspdesk import FILE.cuspdesk``."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sentences import assert_plain_sentence

from cuspdesk.cli import EXIT_FAILED, EXIT_OK, main
from cuspdesk.db import open_database
from cuspdesk.services import issues, units
from cuspdesk.services.demo import create_demo_unit


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def error_sentence(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("cuspdesk: ")
    message = lines[0].removeprefix("cuspdesk: ")
    assert_plain_sentence(message)
    return message


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-units") / "demo.sqlite3"
    db = open_database(path)
    try:
        create_demo_unit(db, today=date(2026, 11, 24))
    finally:
        db.dispose()
    return path


def test_export_writes_a_unit_file_and_import_merges_it(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "icu.cuspdesk"
    code, stdout, stderr = run("--db", str(demo_file), "export", "--out", str(out))
    assert (code, stderr) == (EXIT_OK, "")
    assert "5 North Surgical ICU" in stdout and str(out) in stdout
    assert out.is_file()

    laptop = tmp_path / "laptop.sqlite3"
    code, stdout, stderr = run("--db", str(laptop), "import", str(out), "--dry-run")
    assert (code, stderr) == (EXIT_OK, "")
    assert "saved nothing" in stdout
    code, stdout, stderr = run("--db", str(laptop), "import", str(out))
    assert (code, stderr) == (EXIT_OK, "")
    assert stdout.startswith("Merged “icu.cuspdesk” into “5 North Surgical ICU”:")
    assert "0 conflicts" in stdout
    code, stdout, _ = run("--db", str(laptop), "import", str(out))
    assert code == EXIT_OK and " 0 added, 0 updated," in stdout

    db = open_database(laptop)
    try:
        assert [u.name for u in units.list_units(db)] == ["5 North Surgical ICU"]
        assert issues.count_issues(db, None).open > 0
    finally:
        db.dispose()


def test_a_conflict_says_where_to_decide_it(demo_file: Path, tmp_path: Path) -> None:
    server = tmp_path / "server.sqlite3"
    server.write_bytes(demo_file.read_bytes())
    first = tmp_path / "first.cuspdesk"
    assert run("--db", str(server), "export", "--out", str(first))[0] == EXIT_OK
    laptop = tmp_path / "laptop.sqlite3"
    assert run("--db", str(laptop), "import", str(first))[0] == EXIT_OK
    for path, text in ((server, "Server plan"), (laptop, "Laptop plan")):
        db = open_database(path)
        try:
            unit = units.list_units(db)[0]
            detail = issues.get_issue_by_number(db, unit.id, 1)
            issues.update_issue(
                db,
                detail.id,
                issues.IssueFields(**{**detail.fields.__dict__, "action_plan": text}),
                expected_version=detail.version,
            )
        finally:
            db.dispose()
    back = tmp_path / "back.cuspdesk"
    assert run("--db", str(laptop), "export", "--out", str(back))[0] == EXIT_OK
    code, stdout, stderr = run("--db", str(server), "import", str(back))
    assert (code, stderr) == (EXIT_OK, "")
    assert "1 conflict to decide" in stdout
    assert "File › Merge conflicts…" in stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "is empty"), (b"not a zip at all" * 10, "is not a CUSPDesk unit file")],
    ids=["empty", "junk"],
)
def test_a_bad_file_fails_in_one_sentence(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.cuspdesk"
    path.write_bytes(content)
    database = tmp_path / "untouched.sqlite3"
    code, stdout, stderr = run("--db", str(database), "import", str(path))
    assert code == EXIT_FAILED and stdout == ""
    assert expected in error_sentence(stderr)
    assert not database.exists()


def test_a_missing_file_fails_in_one_sentence(tmp_path: Path) -> None:
    code, _stdout, stderr = run(
        "--db", str(tmp_path / "x.sqlite3"), "import", str(tmp_path / "gone.cuspdesk")
    )
    assert code == EXIT_FAILED
    assert error_sentence(stderr).startswith("There is no file at")


def test_import_refuses_a_unit_name_the_file_does_not_hold(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "icu.cuspdesk"
    run("--db", str(demo_file), "export", "--out", str(out))
    code, _stdout, stderr = run(
        "--db", str(tmp_path / "l.sqlite3"), "import", str(out), "--unit", "4 West"
    )
    assert code == EXIT_FAILED
    assert "holds the unit “5 North Surgical ICU”, not “4 West”" in error_sentence(stderr)


def test_export_of_an_unknown_unit_fails_in_one_sentence(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.cuspdesk"
    code, _stdout, stderr = run(
        "--db", str(demo_file), "export", "--out", str(out), "--unit", "Nowhere"
    )
    assert code == EXIT_FAILED
    assert "no unit called “Nowhere”" in error_sentence(stderr)
    assert not out.exists()


def test_the_real_command_line_round_trips(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "real.cuspdesk"
    done = subprocess.run(
        [sys.executable, "-m", "cuspdesk", "--db", str(demo_file), "export", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "cuspdesk", "--db", str(tmp_path / "l.sqlite3"), "import", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "Merged “real.cuspdesk”" in done.stdout
