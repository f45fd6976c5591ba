"""Encryption at rest with SQLCipher: the file is unreadable without the key, and still works.

Needs the optional extra (pip install 'cuspdesk[encryption]'), which ``make venv``
installs; without it these tests skip and say why.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from reliability_helpers import assert_plain_message, run_cli

from cuspdesk.db import open_database
from cuspdesk.errors import CuspDeskError, DatabaseOpenError, NotADatabaseError
from cuspdesk.services import backup, issues, units

try:
    import sqlcipher3  # noqa: F401
except ImportError:  # pragma: no cover - the extra is part of make venv
    reason = "SQLCipher support is not installed (pip install 'cuspdesk[encryption]')"
    print(f"\nskipped: {reason}", file=sys.stderr)
    pytest.skip(reason, allow_module_level=True)

KEY = "correct horse 'battery' staple"
SECRET = "Pump alarm unheard in bay 3"
YESTERDAY = date.today() - timedelta(days=1)


def encrypted_url(path: Path, key: str = KEY) -> str:
    return f"sqlite+pysqlcipher://:{key}@/{path.as_posix()}"


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.sqlite3"
    db = open_database(encrypted_url(path))
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    issues.create_issue(
        db, unit.id, issues.IssueFields(description=SECRET, date_identified=YESTERDAY)
    )
    db.dispose()
    return path


def test_the_file_reveals_nothing_without_the_key(encrypted: Path) -> None:
    raw = encrypted.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert SECRET.encode() not in raw and b"5 North" not in raw
    db = open_database(encrypted_url(encrypted))
    assert db.cipher_key == KEY
    assert KEY not in db.describe()
    assert issues.get_issue(db, 1).fields.description == SECRET


def test_a_wrong_or_missing_key_is_refused_in_words(encrypted: Path) -> None:
    with pytest.raises(NotADatabaseError, match="key is wrong") as wrong:
        open_database(encrypted_url(encrypted, "guess"))
    assert_plain_message(str(wrong.value))
    with pytest.raises(NotADatabaseError, match="not a CUSPDesk database"):
        open_database(encrypted)
    with pytest.raises(DatabaseOpenError, match="needs its key"):
        open_database(f"sqlite+pysqlcipher:///{encrypted.as_posix()}")


def test_backups_of_an_encrypted_database_are_encrypted_too(encrypted: Path) -> None:
    db = open_database(encrypted_url(encrypted))
    made = backup.backup_now(db)
    daily = backup.daily_backup_if_due(db, today=date(2026, 3, 2))
    for copy in (made, daily):
        assert copy is not None
        assert SECRET.encode() not in copy.read_bytes()
        reopened = open_database(encrypted_url(copy))
        assert issues.get_issue(reopened, 1).fields.description == SECRET
        reopened.dispose()
    assert backup.check_database(db).ok


def test_the_command_line_works_with_the_key(encrypted: Path, tmp_path: Path) -> None:
    url = encrypted_url(encrypted)
    code, out, err = run_cli("--db", url, "check")
    assert (code, err) == (0, ""), err
    assert KEY not in out
    code, out, err = run_cli("--db", url, "backup", "--out", str(tmp_path / "copy.sqlite3"))
    assert (code, err) == (0, ""), err
    code, out, err = run_cli("--db", url, "restore", str(tmp_path / "copy.sqlite3"))
    assert code == 1 and "restored by hand" in err
    with pytest.raises(CuspDeskError, match="restored by hand"):
        backup.restore(url, tmp_path / "copy.sqlite3")
