"""Automatic and manual backups, their rotation, and getting the data back with restore."""

from __future__ import annotations

import shlex
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from reliability_helpers import (
    assert_plain_message,
    damage,
    descriptions,
    raw_rows,
    run_cli,
    sha256,
    truncated_copy,
    unit_with_issues,
)

from cuspdesk.db import Database, backup_folder, open_database
from cuspdesk.errors import CuspDeskError, StorageError
from cuspdesk.services import backup, issues
from cuspdesk.services.backup import Retention


@pytest.fixture
def filled(db: Database) -> Path:
    """A closed database file holding one unit and three issues."""
    unit_with_issues(db)
    assert db.path is not None
    db.dispose()
    return db.path


def _healthy(path: Path) -> bool:
    return raw_rows(path, "PRAGMA integrity_check") == [("ok",)]


# --- the daily backup ----------------------------------------------------------------


def test_the_first_start_of_the_day_takes_a_backup_and_later_starts_do_not(filled: Path) -> None:
    db = open_database(filled)
    day = date(2026, 3, 2)
    made = backup.daily_backup_if_due(db, today=day)
    assert made == backup.daily_backup_path(filled, day)
    assert made is not None and _healthy(made)
    assert descriptions(made) == ["Finding 1", "Finding 2", "Finding 3"]
    assert backup.daily_backup_if_due(db, today=day) is None
    assert not list(made.parent.glob("*.partial"))
    following = backup.daily_backup_if_due(db, today=day + timedelta(days=1))
    assert following is not None and following != made and made.exists()


def test_the_daily_backup_is_consistent_while_someone_saves(filled: Path) -> None:
    """The online backup API copies a consistent snapshot, even mid-write by another process."""
    db = open_database(filled)
    other = sqlite3.connect(filled, timeout=10)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE safety_issue SET description = 'half-written' WHERE id = 1")
        made = backup.daily_backup_if_due(db, today=date(2026, 3, 2))
        other.rollback()
    finally:
        other.close()
    assert made is not None and _healthy(made)
    assert "half-written" not in descriptions(made)


def test_no_daily_backup_for_a_server_database(pg_db: Database) -> None:
    assert backup.daily_backup_if_due(pg_db) is None


def test_a_daily_backup_that_cannot_be_written_says_so(filled: Path) -> None:
    db = open_database(filled)
    backup_folder(filled).write_text("a file where the backups folder should be")
    with pytest.raises(StorageError) as caught:
        backup.daily_backup_if_due(db, today=date(2026, 3, 2))
    assert_plain_message(str(caught.value))
    assert "could not be written" in str(caught.value)


# --- rotation ------------------------------------------------------------------------


def test_retention_keeps_the_newest_of_each_day_week_and_month() -> None:
    today = date(2026, 6, 30)
    days = [today - timedelta(days=n) for n in range(400)]
    kept = backup.backups_to_keep(days, Retention(daily=7, weekly=4, monthly=12))
    assert {today - timedelta(days=n) for n in range(7)} <= kept
    sundays = sorted({d for d in kept if d.isoweekday() == 7 and d < today - timedelta(days=6)})
    assert len(sundays) >= 2  # newest of earlier weeks: their Sundays
    months = {(d.year, d.month) for d in kept}
    assert len(months) == 12
    assert min(kept) == date(2025, 7, 31)  # the newest backup of the 12th month back
    assert len(kept) <= 7 + 4 + 12


def test_rotation_removes_only_old_automatic_backups(filled: Path) -> None:
    folder = backup_folder(filled)
    folder.mkdir()
    today = date(2026, 6, 30)
    for n in range(60):
        backup.daily_backup_path(filled, today - timedelta(days=n)).write_bytes(b"x")
    never_rotated = [
        folder / f"{filled.stem}-manual-20250101T000000Z.sqlite3",
        folder / f"{filled.stem}-before-restore-20250101T000000Z.sqlite3",
        folder / f"{filled.stem}-before-upgrade-0001-20250101T000000000000Z.sqlite3",
        folder / f"other-{backup.DAILY_LABEL}-2020-01-01.sqlite3",  # another database's
        folder / "notes.txt",
    ]
    for path in never_rotated:
        path.write_bytes(b"x")
    future = backup.daily_backup_path(filled, today + timedelta(days=3))
    future.write_bytes(b"x")

    removed = backup.rotate_backups(filled, today=today)

    assert removed
    assert all(p.exists() for p in never_rotated)
    assert future.exists()
    daily = sorted(p.name for p in folder.glob(f"{filled.stem}-daily-*"))
    assert (
        len(daily)
        == len(backup.backups_to_keep([today - timedelta(days=n) for n in range(60)], Retention()))
        + 1
    )
    assert backup.daily_backup_path(filled, today).exists()
    assert not any(p.exists() for p in removed)


def test_the_daily_backup_rotates_as_it_goes(filled: Path) -> None:
    db = open_database(filled)
    start = date(2026, 1, 1)
    for n in range(40):
        backup.daily_backup_if_due(db, today=start + timedelta(days=n))
    dailies = list(backup_folder(filled).glob(f"{filled.stem}-daily-*.sqlite3"))
    assert 7 <= len(dailies) <= 7 + 4 + 12
    assert backup.daily_backup_path(filled, date(2026, 1, 31)).exists()  # January's newest
    assert not backup.daily_backup_path(filled, start).exists()


# --- finding a backup ----------------------------------------------------------------


def test_latest_good_backup_skips_damaged_ones(filled: Path) -> None:
    db = open_database(filled)
    good = backup.backup_now(db)
    newer_but_broken = backup.daily_backup_if_due(db, today=date(2026, 3, 2))
    assert newer_but_broken is not None
    damage(newer_but_broken)
    found = backup.find_backups(filled)
    assert {b.path for b in found} == {good, newer_but_broken}
    assert found[0].taken_at >= found[1].taken_at
    assert {b.kind for b in found} == {"manual", "daily"}
    assert backup.latest_good_backup(filled) == good


def test_no_backups_at_all(db_path: Path) -> None:
    assert backup.find_backups(db_path) == []
    assert backup.latest_good_backup(db_path) is None
    assert "No good backup" in backup.recovery_advice(db_path)


def test_two_backups_in_the_same_second_never_overwrite_each_other(filled: Path) -> None:
    db = open_database(filled)
    made = {backup.backup_now(db) for _ in range(3)}
    assert len(made) == 3


# --- the command line ----------------------------------------------------------------


def test_cli_backup_to_the_folder_and_to_a_named_file(filled: Path, tmp_path: Path) -> None:
    code, out, err = run_cli("--db", str(filled), "backup")
    assert (code, err) == (0, "")
    assert "Backed up" in out
    out_file = tmp_path / "handover copy.sqlite3"
    code, out, _ = run_cli("--db", str(filled), "backup", "--out", str(out_file))
    assert code == 0 and str(out_file) in out
    assert descriptions(out_file) == descriptions(filled)


def test_cli_backup_of_a_server_database_points_to_pg_dump(pg_db: Database) -> None:
    url = pg_db.engine.url.render_as_string(hide_password=False)
    code, _, err = run_cli("--db", url, "backup")
    assert code == 1 and "pg_dump" in err
    code, _, err = run_cli("--db", url, "restore", "whatever.dump")
    assert code == 1 and "pg_restore" in err


def test_cli_check_passes_a_healthy_database(filled: Path) -> None:
    code, out, err = run_cli("--db", str(filled), "check")
    assert (code, err) == (0, "")
    assert "good order" in out


def test_cli_check_finds_orphans_and_a_lost_audit_guard(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE safety_issue SET owner_id = 4242 WHERE id = 1")
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.commit()
    conn.close()
    code, _, err = run_cli("--db", str(filled), "check")
    assert code == 1
    assert "point at missing records in safety_issue" in err
    assert "audit trail has lost its protection" in err


def test_a_damaged_database_names_the_backup_and_the_exact_command(filled: Path) -> None:
    db = open_database(filled)
    good = backup.backup_now(db)
    db.dispose()
    damage(filled)
    code, _, err = run_cli("--db", str(filled), "check")
    assert code == 1
    message = err.removeprefix("cuspdesk: ").strip()
    assert_plain_message(message)
    assert good.name in message
    command = message.split("run: ", 1)[1]
    argv = shlex.split(command)
    assert argv[0] == "cuspdesk"
    # The command, run as printed, brings the data back.
    code, out, err = run_cli(*argv[1:])
    assert (code, err) == (0, "")
    assert descriptions(filled) == ["Finding 1", "Finding 2", "Finding 3"]
    kept = [b for b in backup.find_backups(filled) if b.kind == "before-restore"]
    assert len(kept) == 1 and kept[0].path.name.endswith(".damaged.sqlite3")
    code, _, _ = run_cli("--db", str(filled), "check")
    assert code == 0


# --- restore -------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(filled: Path) -> None:
    db = open_database(filled)
    snapshot = backup.backup_now(db)
    unit_id = issues.get_issue(db, 1).unit_id
    issues.create_issue(
        db, unit_id, issues.IssueFields(description="Added after", date_identified=date.today())
    )
    db.dispose()
    code, out, err = run_cli("--db", str(filled), "restore", str(snapshot))
    assert (code, err) == (0, "")
    assert "what it held before is kept in" in out
    assert descriptions(filled) == ["Finding 1", "Finding 2", "Finding 3"]
    kept = next(b.path for b in backup.find_backups(filled) if b.kind == "before-restore")
    assert "Added after" in descriptions(kept)


def test_restore_while_the_app_has_the_database_open(filled: Path) -> None:
    app = open_database(filled)
    snapshot = backup.backup_now(app)
    issues.add_note(app, 1, "Written before the restore")
    backup.restore(str(filled), snapshot)
    # The open app sees the restored data at once, whole.
    assert issues.get_issue(app, 1).notes == ()
    assert _healthy(filled)


def test_restore_into_a_new_place(filled: Path, tmp_path: Path) -> None:
    db = open_database(filled)
    snapshot = backup.backup_now(db)
    fresh = tmp_path / "new home" / "cusp.sqlite3"
    fresh.parent.mkdir()
    restored, kept = backup.restore(str(fresh), snapshot)
    assert restored == fresh and kept is None
    assert descriptions(fresh) == descriptions(filled)


def test_restore_of_an_older_backup_upgrades_it(filled: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite3"
    from cuspdesk.db import _sqlite_engine, upgrade_to

    old_db = Database(_sqlite_engine(older, read_only=False), path=older)
    upgrade_to(old_db, "0001")
    old_db.dispose()
    backup.restore(str(filled), older)
    from cuspdesk.db import head_revision

    assert raw_rows(filled, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


@pytest.mark.parametrize(
    "make_bad",
    ["not a database", "zero bytes", "truncated", "damaged", "newer schema", "a folder", "missing"],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    filled: Path, tmp_path: Path, make_bad: str
) -> None:
    bad = tmp_path / "bad.sqlite3"
    if make_bad == "not a database":
        bad.write_text("Shift handover notes, not a database\n" * 50)
    elif make_bad == "zero bytes":
        bad.write_bytes(b"")
    elif make_bad == "truncated":
        truncated_copy(filled, bad)
    elif make_bad == "damaged":
        bad.write_bytes(filled.read_bytes())
        damage(bad)
    elif make_bad == "newer schema":
        bad.write_bytes(filled.read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
        conn.close()
    elif make_bad == "a folder":
        bad.mkdir()
    before = sha256(filled)
    code, out, err = run_cli("--db", str(filled), "restore", str(bad))
    assert code == 1 and out == ""
    message = err.removeprefix("cuspdesk: ").strip()
    assert_plain_message(message)
    assert "not restored" in message or "no backup file" in message.lower()
    assert sha256(filled) == before
    assert not [b for b in backup.find_backups(filled) if b.kind == "before-restore"]


def test_restore_refuses_the_database_itself(filled: Path) -> None:
    with pytest.raises(StorageError, match="the database itself"):
        backup.restore(str(filled), filled)


def test_restore_refuses_a_folder_as_the_target(filled: Path, tmp_path: Path) -> None:
    db = open_database(filled)
    snapshot = backup.backup_now(db)
    with pytest.raises(StorageError, match="is a folder"):
        backup.restore(str(tmp_path), snapshot)


def test_restore_to_a_server_url_points_to_pg_restore(filled: Path) -> None:
    with pytest.raises(CuspDeskError, match="pg_restore"):
        backup.restore("postgresql+psycopg://nobody@/cusp", filled)
