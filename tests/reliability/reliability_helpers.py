"""Small helpers the reliability tests share: records to protect, damage to inflict, checks."""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from cuspdesk.cli import main
from cuspdesk.db import Database
from cuspdesk.services import issues, units

YESTERDAY = date.today() - timedelta(days=1)


def assert_plain_message(message: str) -> None:
    """What a person sees: one line, no traceback, no driver jargon."""
    assert message.strip(), "empty message"
    assert "\n" not in message.strip(), f"message spans lines: {message!r}"
    assert "Traceback" not in message, message
    jargon_words = (
        "sqlite3.Error",
        "sqlite3.Operational",
        "sqlite3.Database",
        "sqlalchemy.",
        "OperationalError",
        "IntegrityError",
        "psycopg.",
        "Errno",
        "(Background on this error",
    )
    for jargon in jargon_words:
        assert jargon not in message, f"{jargon} in {message!r}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Ask the file directly, bypassing everything CUSPDesk does on open."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


def unit_with_issues(
    db: Database, count: int = 3, prefix: str = "Finding"
) -> tuple[int, list[int]]:
    unit = units.create_unit(db, units.UnitFields(name=f"{prefix} unit"))
    made = [
        issues.create_issue(
            db, unit.id, issues.IssueFields(description=f"{prefix} {n}", date_identified=YESTERDAY)
        ).id
        for n in range(1, count + 1)
    ]
    return unit.id, made


def descriptions(path: Path) -> list[str]:
    return [str(r[0]) for r in raw_rows(path, "SELECT description FROM safety_issue ORDER BY id")]


def damage(path: Path, seed: int = 20260105) -> None:
    """Overwrite half the pages with noise, as a failing disk or a bad copy would."""
    size = path.stat().st_size
    page = 4096
    noise = random.Random(seed)
    with path.open("r+b") as fh:
        for number in range(max(1, size // page // 4), size // page * 3 // 4 + 1):
            fh.seek(number * page)
            fh.write(noise.randbytes(page))


def truncated_copy(source: Path, dest: Path) -> Path:
    shutil.copyfile(source, dest)
    with dest.open("r+b") as fh:
        fh.truncate(dest.stat().st_size // 2)
    return dest


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()
