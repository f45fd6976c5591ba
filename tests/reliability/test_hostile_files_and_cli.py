"""Bad files and bad command lines: every command answers in one plain line and touches nothing.

"Something went wrong" is the command line's last line of defence for an
exception nobody expected; no case here may reach it.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from reliability_helpers import (
    assert_plain_message,
    damage,
    run_cli,
    sha256,
    truncated_copy,
    unit_with_issues,
)

from cuspdesk.db import Database
from cuspdesk.services import issues, units

YESTERDAY = date.today() - timedelta(days=1)


def assert_refused_plainly(code: int, out: str, err: str) -> str:
    """One line on stderr, a failure status, no traceback and no catch-all."""
    assert code in (1, 2), (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    message = lines[0]
    assert "Something went wrong" not in message, message
    assert_plain_message(message)
    return message


@pytest.fixture
def good_file(db: Database) -> Path:
    unit_with_issues(db, count=2)
    assert db.path is not None
    db.dispose()
    return db.path


BadFile = Callable[[Path, Path], Path]


def _text(good: Path, folder: Path) -> Path:
    path = folder / "notes.sqlite3"
    path.write_text("Handover notes: bed 12 alarm.\n" * 200)
    return path


def _png(good: Path, folder: Path) -> Path:
    path = folder / "photo.sqlite3"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    return path


def _truncated(good: Path, folder: Path) -> Path:
    return truncated_copy(good, folder / "cut.sqlite3")


def _damaged(good: Path, folder: Path) -> Path:
    path = folder / "damaged.sqlite3"
    shutil.copyfile(good, path)
    damage(path)
    return path


def _newer(good: Path, folder: Path) -> Path:
    path = folder / "newer.sqlite3"
    shutil.copyfile(good, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    return path


def _other_program(good: Path, folder: Path) -> Path:
    path = folder / "recipes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipe (name TEXT)")
    conn.execute("INSERT INTO recipe VALUES ('soup')")
    conn.commit()
    conn.close()
    return path


def _directory(good: Path, folder: Path) -> Path:
    path = folder / "a-folder.sqlite3"
    path.mkdir()
    return path


def _device(good: Path, folder: Path) -> Path:
    return Path("/dev/null")


def _through_a_file(good: Path, folder: Path) -> Path:
    return good / "inside.sqlite3"


def _name_too_long(good: Path, folder: Path) -> Path:
    return folder / ("n" * 300 + ".sqlite3")


BAD_FILES: dict[str, BadFile] = {
    "a text file": _text,
    "a picture": _png,
    "a truncated database": _truncated,
    "a damaged database": _damaged,
    "a newer CUSPDesk's database": _newer,
    "another program's database": _other_program,
    "a folder": _directory,
    "a device": _device,
    "a path through a file": _through_a_file,
    "a name too long": _name_too_long,
}

COMMANDS = [
    ["check"],
    ["backup"],
    ["demo"],
    ["briefing", "--out", "{out}/b.pdf"],
    ["summary", "--out", "{out}/s.pdf"],
]


def _fingerprint(path: Path) -> str | None:
    try:
        return sha256(path) if path.is_file() else None
    except OSError:
        return None


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_every_command_refuses_a_bad_file_and_leaves_it_alone(
    good_file: Path, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    bad = BAD_FILES[kind](good_file, folder)
    before = _fingerprint(bad)
    for command in COMMANDS:
        argv = [part.replace("{out}", str(tmp_path)) for part in command]
        code, out, err = run_cli("--db", str(bad), *argv)
        assert_refused_plainly(code, out, err)
        assert _fingerprint(bad) == before, f"{kind}: {command[0]} changed the file"
    assert not list(tmp_path.glob("*.pdf"))


def test_a_zero_byte_file_becomes_a_new_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    code, out, err = run_cli("--db", str(empty), "check")
    assert (code, err) == (0, "")
    code, out, err = run_cli("--db", str(empty), "demo")
    assert (code, err) == (0, "")


def test_odd_characters_in_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "Unit #5 ? 100% — 日本 🩺"
    folder.mkdir()
    path = folder / "cusp data.sqlite3"
    code, out, err = run_cli("--db", str(path), "demo")
    assert (code, err) == (0, ""), err
    assert path.is_file() and [p.name for p in tmp_path.iterdir()] == [folder.name]
    code, out, err = run_cli("--db", str(path), "check")
    assert (code, err) == (0, "")
    code, out, err = run_cli("--db", str(path), "backup")
    assert code == 0 and "cuspdesk-backups" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["briefing"],
        ["briefing", "--out", "{tmp}/b.pdf", "--date", "2023-02-29"],
        ["briefing", "--out", "{tmp}/b.pdf", "--date", "0001-01-01"],
        ["briefing", "--out", "{tmp}/b.pdf", "--date", "9999-12-31"],
        ["briefing", "--out", "{tmp}/b.pdf", "--date", "yesterday"],
        ["briefing", "--out", "{tmp}"],
        ["briefing", "--out", "{tmp}/missing/b.pdf"],
        ["briefing", "--out", "{tmp}/b.pdf", "--unit", "No Such Unit"],
        ["briefing", "--out", "{tmp}/b.pdf", "--unit", "<b>x</b> & ' \" ; DROP"],
        ["briefing", "--out", "{tmp}/b.pdf", "--unit", "nul\x00inside"],
        ["demo", "--date", "2023-02-29"],
        ["demo", "--date", "0001-01-01"],
        ["demo", "--date", "9999-12-31"],
        ["backup", "--out", "{tmp}/missing/copy.sqlite3"],
        ["backup", "--out", "{db}"],
        ["restore", "{tmp}/missing.sqlite3"],
        ["restore", "{tmp}"],
        ["chart", "{tmp}/missing.csv", "--kind", "run"],
        ["chart", "{tmp}", "--kind", "run"],
        ["chart", "{tmp}/garbage.csv", "--kind", "run"],
        ["chart", "{tmp}/garbage.csv", "--kind", "nonsense"],
        ["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "check"],
        ["--db", "not-a-scheme://x", "check"],
        ["--db", "sqlite://", "check"],
    ],
    ids=lambda argv: " ".join(argv)[:60],
)
def test_bad_command_lines_get_one_plain_line(
    db: Database, tmp_path: Path, argv: list[str]
) -> None:
    unit_with_issues(db, count=1)
    assert db.path is not None
    db.dispose()
    (tmp_path / "garbage.csv").write_bytes(b'\x00\xff=HYPERLINK("x")\n,,,\n' * 10)
    before = sha256(db.path)
    filled = [a.replace("{tmp}", str(tmp_path)).replace("{db}", str(db.path)) for a in argv]
    if filled[0] != "--db":
        filled = ["--db", str(db.path), *filled]
    code, out, err = run_cli(*filled)
    assert_refused_plainly(code, out, err)
    assert sha256(db.path) == before
    assert not list(tmp_path.glob("*.pdf"))


HOSTILE_WORDS = [
    '<b>bold</b> <img src="/etc/passwd"/> <para>x</para>',
    "&amp; &lt;tag&gt; &#x41; &bogus; ]]>",
    "ممرضة الليل \u202etxet desrever\u202c",
    "👩🏽\u200d⚕️ 🩺 患者安全 𝔘𝔫𝔦𝔱",
    '=HYPERLINK("http://evil.example","Click")',
    "Zoë Lefèvre n̈ é",
    "Long " + "word " * 20_000,
]


def test_reports_print_hostile_text_as_typed(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="Ward <b>7</b> & Co"))
    for text in HOSTILE_WORDS:
        issues.create_issue(
            db,
            unit.id,
            issues.IssueFields(
                description=text, date_identified=YESTERDAY, needs_executive=True, barriers=text
            ),
        )
    assert db.path is not None
    for command, name in (("briefing", "b.pdf"), ("summary", "s.pdf")):
        out_file = tmp_path / name
        code, out, err = run_cli("--db", str(db.path), command, "--out", str(out_file))
        assert (code, err) == (0, ""), err
        if shutil.which("qpdf"):
            checked = subprocess.run(["qpdf", "--check", str(out_file)], capture_output=True)
            assert checked.returncode == 0, checked.stdout
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-raw", str(out_file), "-"], capture_output=True, text=True
            ).stdout
            assert "Ward <b>7</b> & Co" in text
            if command == "briefing":
                assert "<b>bold</b>" in text
                assert "&amp; &lt;tag&gt;" in text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_exported_cells_never_start_a_formula(db: Database, tmp_path: Path) -> None:
    """Skips, saying why, until the command line can export."""
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    dangerous = [
        '=HYPERLINK("http://evil.example","Click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
        "'=already quoted",
    ]
    for text in dangerous:
        issues.create_issue(
            db, unit.id, issues.IssueFields(description=text, date_identified=YESTERDAY)
        )
    assert db.path is not None
    out_file = tmp_path / "log.csv"
    code, out, err = run_cli("--db", str(db.path), "export", "--out", str(out_file))
    if code == 2 and "not available" in err:
        reason = f"export is not in this version yet ({err.strip()})"
        print(f"\nskipped: {reason}", file=sys.stderr)
        pytest.skip(reason)
    assert (code, err) == (0, ""), err
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    for text in dangerous:
        assert "'" + text in cells, f"{text!r} was not exported readably"
