"""Backups, the integrity check and restore, on real files (and the server's refusal)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sentences import assert_plain_sentence
from sqlalchemy import create_engine

from cuspdesk.db import (
    BACKUP_FOLDER_NAME,
    Database,
    backup_folder,
    head_revision,
    open_database,
    upgrade_to,
)
from cuspdesk.errors import CuspDeskError, StorageError
from cuspdesk.services import backup, units
from cuspdesk.services.backup import PG_DUMP_HINT, PG_RESTORE_HINT


def unit_names(path: Path) -> list[str]:
    """Read the file with plain sqlite3, bypassing everything CUSPDesk does on open."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM unit ORDER BY name")]
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def closed(db: Database) -> Path:
    """The database file, with every connection closed and the WAL folded in."""
    assert db.path is not None
    db.dispose()
    conn = sqlite3.connect(db.path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return db.path


@pytest.fixture
def live(db: Database) -> Database:
    units.create_unit(db, units.UnitFields(name="5 West Medical"))
    return db


# --- backup --------------------------------------------------------------------------


def test_a_backup_goes_to_the_backups_folder_and_holds_the_data(live: Database) -> None:
    assert live.path is not None
    written = backup.backup_now(live)
    assert written.parent == backup_folder(live.path)
    assert written.parent.name == BACKUP_FOLDER_NAME
    assert written.name.startswith(f"{live.path.stem}-manual-")
    assert written.suffix == ".sqlite3"
    assert unit_names(written) == ["5 West Medical"]
    copy = open_database(written)
    try:
        assert backup.check_database(copy).ok
    finally:
        copy.dispose()


def test_a_backup_to_a_chosen_file_or_folder(live: Database, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    chosen = backup.backup_now(live, target / "before-audit.sqlite3")
    assert chosen == target / "before-audit.sqlite3"
    into_folder = backup.backup_now(live, target)
    assert into_folder.parent == target
    assert into_folder.name.endswith(".sqlite3")
    assert unit_names(chosen) == unit_names(into_folder) == ["5 West Medical"]


def test_a_backup_cannot_overwrite_the_database_or_go_nowhere(
    live: Database, tmp_path: Path
) -> None:
    assert live.path is not None
    with pytest.raises(StorageError) as itself:
        backup.backup_now(live, live.path)
    assert str(itself.value) == "A backup cannot be written over the database itself."
    missing = tmp_path / "no" / "such" / "folder" / "b.sqlite3"
    with pytest.raises(StorageError) as nowhere:
        backup.backup_now(live, missing)
    assert str(nowhere.value) == f"The folder {missing.parent} does not exist."
    assert_plain_sentence(str(itself.value))


def test_a_server_database_is_backed_up_with_pg_dump(pg_db: Database) -> None:
    with pytest.raises(CuspDeskError) as caught:
        backup.backup_now(pg_db)
    assert str(caught.value) == PG_DUMP_HINT


# --- check ---------------------------------------------------------------------------


def test_a_healthy_database_passes_the_check(any_db: Database) -> None:
    report = backup.check_database(any_db)
    assert report.ok
    assert report.problems == ()
    assert report.revision == head_revision()
    assert report.summary() == "The database is in good order."


def test_a_database_left_at_an_older_schema_fails_the_check(tmp_path: Path) -> None:
    path = tmp_path / "older.sqlite3"
    older = Database(create_engine(f"sqlite:///{path.as_posix()}"), path=path)
    try:
        upgrade_to(older, "0001")
        report = backup.check_database(older)
    finally:
        older.dispose()
    assert not report.ok
    assert report.revision == "0001"
    assert report.problems == (f"the schema is at 0001, expected {head_revision()}",)


def test_records_pointing_at_missing_records_fail_the_check(live: Database) -> None:
    path = closed(live)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO issue_note (uuid, issue_id, note_date, text, kind, author, created_at) "
            "VALUES ('u1', 9999, '2026-01-01', 'orphan', 'note', '', '2026-01-01 00:00:00')"
        )
        conn.commit()
    finally:
        conn.close()
    reopened = open_database(path)
    try:
        report = backup.check_database(reopened)
    finally:
        reopened.dispose()
    assert not report.ok
    assert report.problems == ("1 record(s) point at missing records in issue_note",)
    assert report.summary() == (
        "The database has problems: 1 record(s) point at missing records in issue_note."
    )


# --- restore -------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(
    live: Database, tmp_path: Path
) -> None:
    saved = backup.backup_now(live, tmp_path / "monday.sqlite3")
    units.create_unit(live, units.UnitFields(name="Added after the backup"))
    path = closed(live)
    db_path, safety = backup.restore(str(path), saved)
    assert db_path == path
    assert unit_names(path) == ["5 West Medical"]
    assert safety.parent == backup_folder(path)
    assert "before-restore" in safety.name
    assert unit_names(safety) == ["5 West Medical", "Added after the backup"]
    reopened = open_database(path)
    try:
        assert backup.check_database(reopened).ok
        assert [u.name for u in units.list_units(reopened)] == ["5 West Medical"]
    finally:
        reopened.dispose()


def test_restore_while_the_database_is_open_elsewhere(live: Database, tmp_path: Path) -> None:
    saved = backup.backup_now(live, tmp_path / "monday.sqlite3")
    units.create_unit(live, units.UnitFields(name="Added after the backup"))
    assert live.path is not None
    backup.restore(str(live.path), saved)
    assert [u.name for u in units.list_units(live)] == ["5 West Medical"]


def test_an_older_backup_is_brought_up_to_date(tmp_path: Path, live: Database) -> None:
    older = tmp_path / "older.sqlite3"
    engine = create_engine(f"sqlite:///{older.as_posix()}")
    at_0001 = Database(engine, path=older)
    try:
        upgrade_to(at_0001, "0001")
    finally:
        at_0001.dispose()
    path = closed(live)
    backup.restore(str(path), older)
    reopened = open_database(path)
    try:
        assert backup.check_database(reopened).revision == head_revision()
    finally:
        reopened.dispose()


def write_other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    finally:
        conn.close()


def write_newer_cuspdesk(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    finally:
        conn.close()


def write_damaged_copy(path: Path, source: Path) -> None:
    data = bytearray(source.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page):
        data[offset + 100 : offset + 400] = b"\xde\xad" * 150
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("text", "{file} is not a CUSPDesk database, so it was not restored."),
        ("empty", "{file} is not a CUSPDesk database, so it was not restored."),
        ("other program", "{file} is not a CUSPDesk database, so it was not restored."),
        ("newer", "{file} was saved by a newer version of CUSPDesk, so it was not restored."),
        ("damaged", "{file} is damaged, so it was not restored."),
        ("missing", "There is no backup file at {file}."),
        ("folder", "There is no backup file at {file}."),
    ],
)
def test_a_file_that_is_not_a_good_backup_is_refused_and_the_database_untouched(
    live: Database, tmp_path: Path, kind: str, message: str
) -> None:
    good = backup.backup_now(live, tmp_path / "good.sqlite3")
    path = closed(live)
    candidate = tmp_path / f"candidate-{kind.replace(' ', '-')}.sqlite3"
    if kind == "text":
        candidate.write_text("Minutes of the March meeting\n" * 50)
    elif kind == "empty":
        candidate.write_bytes(b"")
    elif kind == "other program":
        write_other_programs_database(candidate)
    elif kind == "newer":
        write_newer_cuspdesk(candidate, good)
    elif kind == "damaged":
        write_damaged_copy(candidate, good)
    elif kind == "folder":
        candidate.mkdir()
    before = sha256(path)
    with pytest.raises(StorageError) as caught:
        backup.restore(str(path), candidate)
    assert str(caught.value) == message.format(file=candidate)
    assert sha256(path) == before
    assert not backup_folder(path).exists() or not list(
        backup_folder(path).glob("*before-restore*")
    )
    assert unit_names(path) == ["5 West Medical"]


def test_restoring_the_database_onto_itself_is_refused(live: Database) -> None:
    path = closed(live)
    with pytest.raises(StorageError) as caught:
        backup.restore(str(path), path)
    assert str(caught.value) == "That file is the database itself; choose a backup to restore."
    assert unit_names(path) == ["5 West Medical"]


def test_a_server_database_is_restored_with_its_own_tools(
    pg_db: Database, live: Database, tmp_path: Path
) -> None:
    good = backup.backup_now(live, tmp_path / "good.sqlite3")
    url = pg_db.engine.url.render_as_string(hide_password=False)
    with pytest.raises(CuspDeskError) as caught:
        backup.restore(url, good)
    assert str(caught.value) == PG_RESTORE_HINT


def test_two_backups_in_the_same_second_are_both_kept(live: Database) -> None:
    first = backup.backup_now(live)
    units.create_unit(live, units.UnitFields(name="Second"))
    second = backup.backup_now(live)
    assert first != second
    assert unit_names(first) == ["5 West Medical"]
    assert unit_names(second) == ["5 West Medical", "Second"]


def test_two_restores_in_quick_succession_keep_both_safety_copies(
    live: Database, tmp_path: Path
) -> None:
    monday = backup.backup_now(live, tmp_path / "monday.sqlite3")
    units.create_unit(live, units.UnitFields(name="Tuesday's work"))
    path = closed(live)
    _db, first_safety = backup.restore(str(path), monday)
    _db, second_safety = backup.restore(str(path), monday)
    assert first_safety != second_safety
    assert unit_names(first_safety) == ["5 West Medical", "Tuesday's work"]
