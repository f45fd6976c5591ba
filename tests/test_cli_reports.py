"""``cuspdesk briefing`` and ``cuspdesk summary``: the PDFs, and one-sentence errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cuspdesk.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from cuspdesk.db import open_database
from cuspdesk.services import units
from cuspdesk.services.demo import create_demo_unit


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def one_sentence(message: str) -> None:
    lines = message.strip().splitlines()
    assert len(lines) == 1, message
    assert lines[0].startswith("cuspdesk") and lines[0].endswith("."), message
    assert "Traceback" not in message


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    db = open_database(path)
    try:
        create_demo_unit(db, today=date(2026, 11, 24))
    finally:
        db.dispose()
    return path


def test_briefing_writes_the_pdf(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    code, stdout, stderr = run(
        "--db", str(demo_file), "briefing", "--out", str(out), "--date", "2026-11-24"
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert str(out) in stdout and "5 North Surgical ICU" in stdout
    text = pdf_text(out)
    assert "Pre-rounds briefing: 5 North Surgical ICU" in text
    assert "Briefing for 24 Nov 2026" in text
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"], "no temporary file is left behind"


def test_unit_is_found_by_name_in_any_case(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    code, _, stderr = run(
        "--db", str(demo_file), "summary", "--out", str(out), "--unit", "5 north surgical icu"
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert "Executive summary: 5 North Surgical ICU" in pdf_text(out)


def test_a_missing_unit_is_one_sentence(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    for command in ("briefing", "summary"):
        code, _, stderr = run(
            "--db", str(demo_file), command, "--out", str(out), "--unit", "7 South"
        )
        assert code == EXIT_FAILED
        one_sentence(stderr)
        assert "There is no unit called “7 South”" in stderr
    assert not out.exists()


def test_an_empty_database_says_how_to_start(tmp_path: Path) -> None:
    code, _, stderr = run(
        "--db", str(tmp_path / "new.sqlite3"), "briefing", "--out", str(tmp_path / "b.pdf")
    )
    assert code == EXIT_FAILED
    one_sentence(stderr)
    assert "no unit yet" in stderr


def test_several_units_need_a_name(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "two.sqlite3"
    copy.write_bytes(demo_file.read_bytes())
    db = open_database(copy)
    try:
        units.create_unit(db, units.UnitFields(name="4 West"))
    finally:
        db.dispose()
    code, _, stderr = run("--db", str(copy), "briefing", "--out", str(tmp_path / "b.pdf"))
    assert code == EXIT_FAILED
    one_sentence(stderr)
    assert "--unit" in stderr and "4 West" in stderr


@pytest.mark.parametrize("bad", ["2026-02-30", "24/11/2026", "tomorrow"])
def test_a_bad_date_is_a_usage_error(demo_file: Path, tmp_path: Path, bad: str) -> None:
    code, _, _ = run(
        "--db", str(demo_file), "briefing", "--out", str(tmp_path / "b.pdf"), "--date", bad
    )
    assert code == EXIT_USAGE
    # argparse writes its message to the real stderr, so read it from a real process.
    result = subprocess.run(
        [sys.executable, "-m", "cuspdesk", "--db", str(demo_file), "briefing", "--out",
         str(tmp_path / "b.pdf"), "--date", bad],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE
    one_sentence(result.stderr)
    assert f"“{bad}” is not a date" in result.stderr
    assert not (tmp_path / "b.pdf").exists()


def test_output_in_a_missing_folder(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "no such folder" / "b.pdf"
    code, _, stderr = run("--db", str(demo_file), "briefing", "--out", str(out))
    assert code == EXIT_FAILED
    one_sentence(stderr)
    assert "does not exist" in stderr


def test_output_path_is_a_folder(demo_file: Path, tmp_path: Path) -> None:
    code, _, stderr = run("--db", str(demo_file), "summary", "--out", str(tmp_path))
    assert code == EXIT_FAILED
    one_sentence(stderr)
    assert "is a folder" in stderr


def test_output_in_a_read_only_folder(demo_file: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # Root ignores folder modes; /sys refuses new files even to root.
        out = Path("/sys/briefing.pdf")
        if not Path("/sys").is_dir():
            pytest.skip("no /sys here to stand in for a read-only folder")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        out = folder / "b.pdf"
    try:
        code, _, stderr = run("--db", str(demo_file), "briefing", "--out", str(out))
    finally:
        if os.geteuid() != 0:
            out.parent.chmod(0o755)
    assert code == EXIT_FAILED
    one_sentence(stderr)
    assert str(out) in stderr
    assert not out.exists()


def test_an_existing_pdf_is_replaced_whole(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    out.write_bytes(b"old contents")
    code, _, _ = run("--db", str(demo_file), "briefing", "--out", str(out))
    assert code == EXIT_OK
    assert out.read_bytes().startswith(b"%PDF-")
