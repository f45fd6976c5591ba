"""Opening, checking, upgrading and backing up databases, on real files and a real server.

The promise under test: a CUSPDesk database opens in a safe state or not at all,
the user gets one plain sentence when it cannot open, and a file that is not ours
(or is newer than us) is never changed.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

import cuspdesk.db as dbmod
from cuspdesk.db import (
    BACKUP_FOLDER_NAME,
    ENV_VAR,
    SCHEMA_HEAD,
    Actor,
    Database,
    backup_folder,
    current_revision,
    default_database_path,
    head_revision,
    known_revisions,
    open_database,
    resolve_target,
    sqlite_backup,
    translate_error,
    upgrade_to,
)
from cuspdesk.errors import (
    ConflictError,
    CorruptDatabaseError,
    CuspDeskError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StorageError,
)
from cuspdesk.models import Base, Unit
from cuspdesk.models.base import HAND_KEPT_TABLE_PREFIX

PREVIOUS_REVISION = "0001"
FUTURE_REVISION = "9999_future"
AUDIT_TRIGGER_MESSAGE = "audit events cannot be changed or deleted"


# --- helpers -------------------------------------------------------------------------


def assert_one_sentence(message: str) -> None:
    """What the user sees must be a single plain line, never a driver dump."""
    assert message, "empty message"
    assert "\n" not in message, f"message spans lines: {message!r}"
    assert "Traceback" not in message, message
    assert message.rstrip() == message, f"trailing space: {message!r}"
    assert message.endswith("."), f"message does not end with a full stop: {message!r}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    """SQLite's -wal / -shm / -journal files left beside a database."""
    return [
        p
        for suffix in ("-wal", "-shm", "-journal")
        if (p := path.with_name(path.name + suffix)).exists()
    ]


def raw_scalar(path: Path, sql: str) -> object:
    """Ask the file directly with sqlite3, bypassing everything CUSPDesk does on open."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def build_at_revision(path: Path, revision: str) -> None:
    """Make a database file as an older CUSPDesk left it: migrated only up to ``revision``."""
    older = Database(dbmod._sqlite_engine(path, read_only=False), path=path)
    try:
        upgrade_to(older, revision)
    finally:
        older.dispose()
    # Every CUSPDesk version so far kept its files in WAL mode.
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    finally:
        conn.close()


def insert_unit_and_audit_event(conn: sqlite3.Connection | sa.Connection) -> None:
    """One unit and one audit event, written with plain SQL as of revision 0001."""
    unit_sql = (
        "INSERT INTO unit (id, uuid, name, hospital, service_line, bed_count, "
        "confidentiality_footer, created_at, updated_at, version) VALUES "
        "(1, '00000000-0000-0000-0000-000000000001', '5 North Surgical ICU', "
        "'St Elsewhere', 'Surgery', 24, '', '2026-01-05 08:00:00', '2026-01-05 08:00:00', 1)"
    )
    audit_sql = (
        "INSERT INTO audit_event (id, occurred_at, os_user, role, action, entity, entity_id, "
        "unit_id, summary) VALUES (1, '2026-01-05 08:00:00', 'nurse', 'champion', 'create', "
        "'unit', 1, 1, 'Unit created')"
    )
    if isinstance(conn, sqlite3.Connection):
        conn.execute(unit_sql)
        conn.execute(audit_sql)
    else:
        conn.execute(text(unit_sql))
        conn.execute(text(audit_sql))


def closed_port() -> int:
    """A localhost port nothing listens on: bound by us, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def url_of(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def can_write_despite_permissions(folder: Path) -> bool:
    """True when the OS ignores file modes for us (root), so a chmod proves nothing."""
    probe = folder / "write-probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        with probe.open("a"):
            return True
    except PermissionError:
        return False
    finally:
        probe.chmod(0o644)
        probe.unlink()


@pytest.fixture
def existing(db: Database) -> Path:
    """A real, closed, up-to-date CUSPDesk database file."""
    assert db.path is not None
    db.dispose()
    return db.path


# --- a new file ----------------------------------------------------------------------


def test_new_file_is_created_and_migrated_to_head(db_path: Path) -> None:
    assert not db_path.exists()
    database = open_database(db_path)
    try:
        assert db_path.is_file()
        assert current_revision(database) == head_revision()
        assert database.path == db_path.resolve()
        assert database.read_only is False
        assert database.migrated_from is None
        assert database.migration_backup is None
        assert database.describe() == str(db_path.resolve())
    finally:
        database.dispose()
    assert raw_scalar(db_path, "SELECT version_num FROM alembic_version") == head_revision()
    # A brand-new database has nothing to protect, so no backup folder appears.
    assert not backup_folder(db_path).exists()


def test_head_revision_is_a_known_revision() -> None:
    assert head_revision() in known_revisions()
    assert PREVIOUS_REVISION in known_revisions()


def test_the_schema_head_constant_names_the_newest_migration() -> None:
    """Opening a current database trusts SCHEMA_HEAD instead of reading the migrations."""
    assert head_revision() == SCHEMA_HEAD


@pytest.mark.parametrize("how", ["reader", "writer"])
def test_pragmas_are_in_force_on_every_connection(db: Database, how: str) -> None:
    """Foreign keys, WAL and FULL sync protect the data only if every connection has them."""
    if how == "reader":
        with db.reader() as s:
            values = {
                p: s.execute(text(f"PRAGMA {p}")).scalar()
                for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            }
    else:
        with db.session() as s:
            values = {
                p: s.execute(text(f"PRAGMA {p}")).scalar()
                for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            }
    assert values["foreign_keys"] == 1
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL
    assert isinstance(values["busy_timeout"], int) and values["busy_timeout"] > 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(StorageError) as info, db.session() as s:
        s.execute(
            text(
                "INSERT INTO audit_event (occurred_at, os_user, role, action, entity, "
                "unit_id, summary) VALUES ('2026-01-01 00:00:00', 'u', 'r', 'create', "
                "'unit', 4242, 'dangling')"
            )
        )
    assert_one_sentence(str(info.value))
    with db.reader() as s:
        assert s.execute(text("SELECT count(*) FROM audit_event")).scalar() == 0


def test_a_saved_record_is_there_after_reopening(db: Database) -> None:
    with db.session() as s:
        s.add(Unit(name="5 North Surgical ICU", hospital="St Elsewhere"))
    assert db.path is not None
    db.dispose()
    again = open_database(db.path)
    try:
        with again.reader() as s:
            assert s.scalars(sa.select(Unit.name)).all() == ["5 North Surgical ICU"]
    finally:
        again.dispose()


# --- where the database is -----------------------------------------------------------


def test_resolve_target_prefers_argument_then_environment_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    expected_default = tmp_path / "xdg-data" / "CUSPDesk" / "cuspdesk.sqlite3"
    assert default_database_path() == expected_default
    assert resolve_target(None) == str(expected_default)
    assert resolve_target("   ") == str(expected_default)

    monkeypatch.setenv(ENV_VAR, f"  {tmp_path / 'from-env.sqlite3'}  ")
    assert resolve_target(None) == str(tmp_path / "from-env.sqlite3")
    assert resolve_target("") == str(tmp_path / "from-env.sqlite3")
    assert resolve_target(tmp_path / "given.sqlite3") == str(tmp_path / "given.sqlite3")
    assert resolve_target("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_default_database_is_created_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First start: the data folder does not exist yet and must be made, not refused."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh-home" / "share"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    database = open_database()
    try:
        expected = tmp_path / "fresh-home" / "share" / "CUSPDesk" / "cuspdesk.sqlite3"
        assert database.path == expected
        assert expected.is_file()
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()


def test_environment_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "team.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(target))
    database = open_database()
    try:
        assert database.path == target
        assert target.is_file()
    finally:
        database.dispose()


def test_the_test_session_never_uses_the_real_data_folder() -> None:
    home_data = Path.home() / ".local" / "share"
    assert os.environ.get(ENV_VAR) is None
    assert home_data not in default_database_path().parents


def test_sqlalchemy_sqlite_url_opens_the_file(db_path: Path) -> None:
    database = open_database(f"sqlite:///{db_path}")
    try:
        assert database.path == db_path
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()
    assert db_path.is_file()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_database_is_refused(url: str) -> None:
    with pytest.raises(DatabaseOpenError) as info:
        open_database(url)
    assert_one_sentence(str(info.value))


def test_unparseable_url_is_refused_in_one_sentence() -> None:
    with pytest.raises(DatabaseOpenError) as info:
        open_database("postgresql+psycopg://user@host:notaport/db")
    assert_one_sentence(str(info.value))


def test_unknown_database_kind_is_refused_in_one_sentence() -> None:
    with pytest.raises(DatabaseOpenError) as info:
        open_database("nosuchdb+nodriver://user@host/db")
    assert_one_sentence(str(info.value))


# --- reopening and upgrading ---------------------------------------------------------


def test_reopening_an_up_to_date_file_changes_nothing(existing: Path) -> None:
    before = sha256(existing)
    database = open_database(existing)
    try:
        assert database.migrated_from is None
        assert database.migration_backup is None
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()
    assert sha256(existing) == before
    assert not backup_folder(existing).exists()
    assert sidecars(existing) == []


def test_older_database_is_backed_up_then_upgraded(db_path: Path) -> None:
    build_at_revision(db_path, PREVIOUS_REVISION)
    with sqlite3.connect(db_path) as conn:
        insert_unit_and_audit_event(conn)
    conn.close()
    assert raw_scalar(db_path, "SELECT version_num FROM alembic_version") == PREVIOUS_REVISION

    database = open_database(db_path)
    try:
        assert current_revision(database) == head_revision()
        assert database.migrated_from == PREVIOUS_REVISION
        backup = database.migration_backup
        with database.reader() as s:
            assert s.execute(text("SELECT name FROM unit")).scalars().all() == [
                "5 North Surgical ICU"
            ]
            assert s.execute(text("SELECT summary FROM audit_event")).scalar() == "Unit created"
    finally:
        database.dispose()

    # The backup sits in the backup folder and is the database as it was before.
    assert backup is not None and backup.is_file()
    assert backup.parent == backup_folder(db_path)
    assert backup.parent.name == BACKUP_FOLDER_NAME
    assert PREVIOUS_REVISION in backup.name
    assert not list(backup.parent.glob("*.partial"))
    assert backup.read_bytes()[:16] == dbmod.SQLITE_HEADER
    assert raw_scalar(backup, "PRAGMA integrity_check") == "ok"
    assert raw_scalar(backup, "SELECT version_num FROM alembic_version") == PREVIOUS_REVISION
    assert raw_scalar(backup, "SELECT name FROM unit") == "5 North Surgical ICU"
    assert raw_scalar(backup, "SELECT count(*) FROM audit_event") == 1

    # Revision 0002's triggers now guard the audit trail of the upgraded file.
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=AUDIT_TRIGGER_MESSAGE):
            conn.execute("UPDATE audit_event SET summary = 'rewritten'")
        with pytest.raises(sqlite3.IntegrityError, match=AUDIT_TRIGGER_MESSAGE):
            conn.execute("DELETE FROM audit_event")
        conn.rollback()
        assert conn.execute("SELECT summary FROM audit_event").fetchall() == [("Unit created",)]
    finally:
        conn.close()


def test_audit_trail_cannot_be_rewritten_through_a_session(db: Database) -> None:
    with db.session() as s:
        s.execute(
            text(
                "INSERT INTO audit_event (occurred_at, os_user, role, action, entity, summary) "
                "VALUES ('2026-01-01 00:00:00', 'u', 'champion', 'create', 'unit', 'kept')"
            )
        )
    for statement in ("UPDATE audit_event SET summary = 'gone'", "DELETE FROM audit_event"):
        with pytest.raises(CuspDeskError) as info, db.session() as s:
            s.execute(text(statement))
        assert_one_sentence(str(info.value))
    with db.reader() as s:
        assert s.execute(text("SELECT summary FROM audit_event")).scalars().all() == ["kept"]


def test_older_database_is_not_upgraded_when_migration_is_off(db_path: Path) -> None:
    build_at_revision(db_path, PREVIOUS_REVISION)
    before = sha256(db_path)
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path, migrate=False)
    assert_one_sentence(str(info.value))
    assert sha256(db_path) == before
    assert not backup_folder(db_path).exists()


def test_older_database_opened_read_only_is_refused_not_upgraded(db_path: Path) -> None:
    build_at_revision(db_path, PREVIOUS_REVISION)
    before = sha256(db_path)
    with pytest.raises(ReadOnlyDatabaseError) as info:
        open_database(db_path, read_only=True)
    assert_one_sentence(str(info.value))
    assert sha256(db_path) == before


def test_newer_database_is_refused_and_left_byte_for_byte(existing: Path) -> None:
    with sqlite3.connect(existing) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
    conn.close()
    assert sidecars(existing) == []
    before = sha256(existing)

    with pytest.raises(NewerDatabaseError) as info:
        open_database(existing)
    message = str(info.value)
    assert_one_sentence(message)
    assert "newer version of CUSPDesk" in message

    assert sha256(existing) == before
    assert sidecars(existing) == []
    assert not backup_folder(existing).exists()


# --- things that are not (good) CUSPDesk databases ------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Unit huddle notes\nBring the falls data.\n", id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(2048), id="png-like-binary"),
        pytest.param(b"SQLite", id="short-prefix-of-header"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_untouched(
    db_path: Path, content: bytes
) -> None:
    db_path.write_bytes(content)
    with pytest.raises(NotADatabaseError) as info:
        open_database(db_path)
    assert_one_sentence(str(info.value))
    assert db_path.read_bytes() == content
    assert sidecars(db_path) == []


def test_an_empty_file_is_set_up_as_a_new_database(db_path: Path) -> None:
    """SQLite treats a zero-byte file as an empty database, so CUSPDesk sets it up."""
    db_path.touch()
    database = open_database(db_path)
    try:
        assert current_revision(database) == head_revision()
        assert database.migrated_from is None
    finally:
        database.dispose()
    assert db_path.stat().st_size > 0
    assert not backup_folder(db_path).exists()


def test_an_empty_file_opened_read_only_is_refused(db_path: Path) -> None:
    db_path.touch()
    with pytest.raises(ReadOnlyDatabaseError) as info:
        open_database(db_path, read_only=True)
    assert_one_sentence(str(info.value))
    assert db_path.stat().st_size == 0


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.sqlite3"
    folder.mkdir()
    with pytest.raises(NotADatabaseError) as info:
        open_database(folder)
    assert_one_sentence(str(info.value))


def test_a_truncated_database_is_refused(existing: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.sqlite3"
    shutil.copyfile(existing, cut)
    with cut.open("r+b") as fh:
        fh.truncate(cut.stat().st_size // 2)
    before = sha256(cut)
    with pytest.raises((CorruptDatabaseError, NotADatabaseError)) as info:
        open_database(cut)
    assert_one_sentence(str(info.value))
    assert sha256(cut) == before


@pytest.mark.parametrize("spread", ["one-block", "half-the-pages"])
def test_a_database_with_garbage_in_the_middle_is_refused(existing: Path, spread: str) -> None:
    """One damaged block is found by SQLite's check; many damaged pages break reading itself."""
    size = existing.stat().st_size
    page = raw_scalar(existing, "PRAGMA page_size")
    assert isinstance(page, int)
    noise = random.Random(20260105)
    with existing.open("r+b") as fh:
        if spread == "one-block":
            fh.seek(size // 2)
            fh.write(noise.randbytes(page))
        else:
            for number in range(size // page // 4, size // page * 3 // 4):
                fh.seek(number * page)
                fh.write(noise.randbytes(page))
    before = sha256(existing)
    with pytest.raises(CorruptDatabaseError) as info:
        open_database(existing)
    assert_one_sentence(str(info.value))
    assert sha256(existing) == before


def test_another_programs_sqlite_database_is_refused_and_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipe (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipe VALUES ('porridge', 10)")
    conn.commit()
    conn.close()
    before = sha256(db_path)

    with pytest.raises(NotADatabaseError) as info:
        open_database(db_path)
    assert_one_sentence(str(info.value))

    assert sha256(db_path) == before
    assert raw_scalar(db_path, "PRAGMA journal_mode") == "delete"
    assert raw_scalar(db_path, "SELECT name FROM recipe") == "porridge"
    assert sidecars(db_path) == []


# --- files and folders we may not write ----------------------------------------------


def test_read_only_file_opens_read_only_and_refuses_saves(existing: Path, tmp_path: Path) -> None:
    if can_write_despite_permissions(tmp_path):
        # Root ignores file modes, so ask for read-only explicitly instead of chmod.
        database = open_database(existing, read_only=True)
    else:
        existing.chmod(0o444)
        database = open_database(existing)
    try:
        assert database.read_only is True
        assert_one_sentence(database.read_only_reason)
        assert current_revision(database) == head_revision()
        with database.reader() as s:
            assert s.execute(text("SELECT count(*) FROM unit")).scalar() == 0
        with pytest.raises(ReadOnlyDatabaseError) as info, database.session():
            pytest.fail("a read-only database handed out a write session")
        assert_one_sentence(str(info.value))
        # Even SQL slipped through a read session cannot change the file.
        with pytest.raises(ReadOnlyDatabaseError) as info, database.reader() as s:
            s.execute(text("INSERT INTO app_setting (key, value) VALUES ('k', 'v')"))
        assert_one_sentence(str(info.value))
    finally:
        database.dispose()
        existing.chmod(0o644)


def test_read_only_folder(existing: Path, tmp_path: Path) -> None:
    if can_write_despite_permissions(tmp_path):
        pytest.skip("running as root: folder permissions are not enforced")
    folder = existing.parent
    folder.chmod(0o555)
    try:
        database = open_database(existing)
        try:
            assert database.read_only is True
            assert_one_sentence(database.read_only_reason)
            assert current_revision(database) == head_revision()
            with database.reader() as s:
                assert s.execute(text("SELECT count(*) FROM unit")).scalar() == 0
        finally:
            database.dispose()
        assert sidecars(existing) == []
        with pytest.raises(ReadOnlyDatabaseError) as info:
            open_database(folder / "new.sqlite3")
        assert_one_sentence(str(info.value))
    finally:
        folder.chmod(0o755)


def test_unreadable_file_is_refused(existing: Path, tmp_path: Path) -> None:
    if can_write_despite_permissions(tmp_path):
        pytest.skip("running as root: file permissions are not enforced")
    existing.chmod(0o000)
    try:
        with pytest.raises(DatabaseOpenError) as info:
            open_database(existing)
        assert_one_sentence(str(info.value))
    finally:
        existing.chmod(0o644)


def test_missing_parent_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "cuspdesk.sqlite3"
    with pytest.raises(DatabaseOpenError) as info:
        open_database(target)
    assert_one_sentence(str(info.value))
    assert not target.parent.exists()


@pytest.mark.parametrize(("read_only", "create"), [(True, True), (False, False)])
def test_missing_file_is_not_created_when_not_asked_to(
    db_path: Path, read_only: bool, create: bool
) -> None:
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path, read_only=read_only, create=create)
    assert_one_sentence(str(info.value))
    assert not db_path.exists()


# --- locks and concurrent writers ----------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """A lock test must end quickly; the real timeout is ten seconds."""
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    return 0.3


def test_save_while_another_program_holds_the_lock_fails_clearly(
    existing: Path, short_busy_timeout: float
) -> None:
    database = open_database(existing)
    holder = sqlite3.connect(existing, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO app_setting (key, value) VALUES ('held', 'yes')")
        started = time.monotonic()
        with pytest.raises(StorageError) as info, database.session() as s:
            s.execute(text("INSERT INTO app_setting (key, value) VALUES ('mine', 'no')"))
        elapsed = time.monotonic() - started
        assert_one_sentence(str(info.value))
        assert "busy" in str(info.value)
        assert elapsed < short_busy_timeout + 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        database.dispose()


@pytest.mark.parametrize("holder_is", ["writer", "reader"])
def test_opening_a_file_locked_by_another_program_fails_clearly(
    existing: Path, short_busy_timeout: float, holder_is: str
) -> None:
    """In rollback-journal mode a writer's lock shuts out readers, and a reader's lock
    stops CUSPDesk from switching the file back to WAL."""
    conn = sqlite3.connect(existing, isolation_level=None)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    conn.close()
    holder = sqlite3.connect(existing, isolation_level=None)
    try:
        if holder_is == "writer":
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("INSERT INTO app_setting (key, value) VALUES ('held', 'yes')")
        else:
            holder.execute("BEGIN")
            holder.execute("SELECT count(*) FROM unit").fetchall()
        started = time.monotonic()
        with pytest.raises(DatabaseOpenError) as info:
            open_database(existing)
        elapsed = time.monotonic() - started
        assert_one_sentence(str(info.value))
        assert "locked" in str(info.value)
        assert elapsed < short_busy_timeout + 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert raw_scalar(existing, "PRAGMA journal_mode") == "delete"


def test_a_database_left_in_rollback_mode_is_put_back_in_wal(existing: Path) -> None:
    conn = sqlite3.connect(existing, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    database = open_database(existing)
    try:
        with database.reader() as s:
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        database.dispose()


def test_backup_taken_while_another_connection_writes_is_consistent(
    existing: Path, tmp_path: Path
) -> None:
    """Each writer transaction adds ten rows, so a torn copy would show a count not /10."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        conn = sqlite3.connect(existing, timeout=10, isolation_level=None)
        try:
            batch = 0
            while not stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT INTO app_setting (key, value) VALUES (?, ?)",
                    [(f"k{batch}-{i}", "x" * 500) for i in range(10)],
                )
                conn.execute("COMMIT")
                batch += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.05)
        copies = [
            sqlite_backup(existing, tmp_path / "backups" / f"copy-{n}.sqlite3") for n in range(5)
        ]
    finally:
        stop.set()
        thread.join(30)
    assert not errors, errors
    counts = []
    for copy in copies:
        assert raw_scalar(copy, "PRAGMA integrity_check") == "ok"
        assert raw_scalar(copy, "SELECT version_num FROM alembic_version") == head_revision()
        count = raw_scalar(copy, "SELECT count(*) FROM app_setting")
        assert isinstance(count, int) and count % 10 == 0
        counts.append(count)
    assert counts[-1] > 0, "the writer never got going; the test proved nothing"
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_backup_to_an_unwritable_place_fails_in_one_sentence(
    existing: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError) as info:
        sqlite_backup(existing, blocker / "copy.sqlite3")
    assert_one_sentence(str(info.value))


def test_saving_over_someone_elses_change_is_a_conflict(db: Database) -> None:
    """The version column catches a save made from a stale copy of the record."""
    with db.session() as s:
        unit = Unit(name="ICU", hospital="General")
        s.add(unit)
    unit_id = unit.id
    with db.session() as s:
        s.get_one(Unit, unit_id).hospital = "North"
    with pytest.raises(ConflictError) as info, db.session() as s:
        s.add(unit)  # the copy this user opened before the other save
        unit.hospital = "South"
    assert_one_sentence(str(info.value))
    with db.reader() as s:
        assert s.get_one(Unit, unit_id).hospital == "North"


def test_a_clashing_save_is_rolled_back_with_one_sentence(db: Database) -> None:
    with db.session() as s:
        s.add(Unit(name="ICU"))
    with pytest.raises(StorageError) as info, db.session() as s:
        s.add(Unit(name="Ward 7"))
        s.flush()
        s.add(Unit(name="ICU"))
    assert_one_sentence(str(info.value))
    with db.reader() as s:
        assert s.scalars(sa.select(Unit.name)).all() == ["ICU"]


# --- translate_error -----------------------------------------------------------------


def _driver(kind: type[DatabaseError], message: str) -> DatabaseError:
    """The exception SQLAlchemy raises when the driver reports ``message``."""
    return kind("INSERT INTO unit ...", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_driver(OperationalError, "database is locked"), StorageError),
        (_driver(OperationalError, "attempt to write a readonly database"), ReadOnlyDatabaseError),
        (_driver(OperationalError, "database or disk is full"), StorageError),
        (_driver(OperationalError, "disk I/O error"), StorageError),
        (_driver(OperationalError, "unable to open database file"), StorageError),
        (_driver(DatabaseError, "database disk image is malformed"), CorruptDatabaseError),
        (_driver(DatabaseError, "file is not a database"), CorruptDatabaseError),
        (_driver(IntegrityError, "UNIQUE constraint failed: unit.name"), StorageError),
        (_driver(OperationalError, "server closed the connection unexpectedly"), StorageError),
        (_driver(DatabaseError, "something nobody expected"), StorageError),
        (StaleDataError("UPDATE statement on table 'unit' expected 1 row"), ConflictError),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, type) else str(v)[:40],
)
def test_translate_error_gives_one_sentence(
    error: BaseException, expected: type[CuspDeskError]
) -> None:
    translated = translate_error(error)
    assert type(translated) is expected
    assert_one_sentence(str(translated))
    # The driver's words must not leak into what the nurse reads.
    assert "INSERT INTO" not in str(translated)


# --- models and migrations agree -----------------------------------------------------


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": database.is_sqlite,
                "include_name": lambda name, type_, _parents: (
                    not (type_ == "table" and name.startswith(HAND_KEPT_TABLE_PREFIX))
                ),
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_models_and_migrations_agree_on_sqlite(db: Database) -> None:
    """A model changed without a migration shows up here as a difference."""
    assert schema_differences(db) == []


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgres(pg_db: Database) -> None:
    assert schema_differences(pg_db) == []


def test_the_schema_comparison_can_fail(db: Database) -> None:
    """Guard the guard: a column the migrations lack must be reported."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE unit ADD COLUMN stray_column INTEGER")
    assert schema_differences(db) != []


# --- PostgreSQL ----------------------------------------------------------------------


@pytest.fixture
def empty_pg_url(postgres_url: str) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database on the test server, dropped afterwards."""
    name = f"cuspdesk_empty_{os.getpid()}_{time.monotonic_ns()}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


@pytest.mark.postgres
def test_postgres_database_is_migrated_on_open(empty_pg_url: str) -> None:
    database = open_database(empty_pg_url)
    try:
        assert database.path is None
        assert database.is_sqlite is False
        assert current_revision(database) == head_revision()
        assert database.migration_backup is None
    finally:
        database.dispose()


@pytest.mark.postgres
def test_older_postgres_database_is_upgraded_and_audit_is_protected(empty_pg_url: str) -> None:
    older = Database(create_engine(empty_pg_url), path=None)
    try:
        upgrade_to(older, PREVIOUS_REVISION)
        with older.engine.begin() as conn:
            insert_unit_and_audit_event(conn)
    finally:
        older.dispose()

    database = open_database(empty_pg_url)
    try:
        assert database.migrated_from == PREVIOUS_REVISION
        assert current_revision(database) == head_revision()
        with database.reader() as s:
            assert s.execute(text("SELECT name FROM unit")).scalar() == "5 North Surgical ICU"
        for statement in ("UPDATE audit_event SET summary = 'x'", "DELETE FROM audit_event"):
            with database.engine.connect() as conn, pytest.raises(DatabaseError) as info:
                conn.execute(text(statement))
            assert AUDIT_TRIGGER_MESSAGE in str(info.value)
        with database.reader() as s:
            assert s.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1
    finally:
        database.dispose()


@pytest.mark.postgres
def test_newer_postgres_database_is_refused(pg_db: Database) -> None:
    with pg_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE_REVISION})
    url = url_of(pg_db)
    pg_db.dispose()
    with pytest.raises(NewerDatabaseError) as info:
        open_database(url)
    assert_one_sentence(str(info.value))
    check = create_engine(url)
    try:
        with check.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == FUTURE_REVISION
    finally:
        check.dispose()


@pytest.mark.postgres
def test_another_programs_postgres_database_is_refused(empty_pg_url: str) -> None:
    setup = create_engine(empty_pg_url)
    try:
        with setup.begin() as conn:
            conn.execute(text("CREATE TABLE recipe (name text)"))
    finally:
        setup.dispose()
    with pytest.raises(NotADatabaseError) as info:
        open_database(empty_pg_url)
    assert_one_sentence(str(info.value))


@pytest.mark.postgres
def test_postgres_description_hides_the_password(pg_db: Database) -> None:
    # The test server trusts local connections, so any password is accepted.
    url = make_url(url_of(pg_db)).set(password="s3cret-pass")
    database = open_database(url.render_as_string(hide_password=False))
    try:
        assert "s3cret-pass" not in database.describe()
        assert database.describe().startswith("postgresql+psycopg://")
    finally:
        database.dispose()


def test_unreachable_postgres_server_fails_in_one_sentence() -> None:
    port = closed_port()
    started = time.monotonic()
    with pytest.raises(DatabaseOpenError) as info:
        open_database(f"postgresql+psycopg://cusp:secret@127.0.0.1:{port}/cuspdesk")
    message = str(info.value)
    assert_one_sentence(message)
    assert "secret" not in message
    assert time.monotonic() - started < 30


@pytest.mark.postgres
def test_postgres_session_writes_and_reads(pg_db: Database) -> None:
    pg_db.actor = Actor(os_user="nm", role="nurse manager")
    with pg_db.session() as s:
        assert s.actor.role == "nurse manager"
        s.add(Unit(name="5 North Surgical ICU"))
    with pg_db.reader() as s:
        assert s.scalars(sa.select(Unit.name)).all() == ["5 North Surgical ICU"]


def test_closing_a_database_refreshes_the_query_planner_statistics(tmp_path: Path) -> None:
    """SQLite's advice: PRAGMA optimize on close, so large logs keep their quick plans."""
    from cuspdesk.services import units

    path = tmp_path / "stats.sqlite3"
    database = open_database(path)
    units.create_unit(database, units.UnitFields(name="5 North"))
    database.dispose()
    assert raw_scalar(path, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'unit'") >= 1


# --- revision 0005: merging unit files -------------------------------------------------


def fill_as_of_0004(engine: sa.Engine) -> None:
    """A unit with a person and an issue with a note, written as CUSPDesk 0004 would."""
    from datetime import date

    from sqlalchemy.orm import Session

    from cuspdesk.models import IssueNote, Person, SafetyIssue

    with Session(engine) as session:
        unit = Unit(name="5 North Surgical ICU", hospital="St Elsewhere")
        owner = Person(full_name="Zoë Lefèvre")
        session.add_all([unit, owner])
        session.flush()
        issue = SafetyIssue(
            unit_id=unit.id,
            number=1,
            date_identified=date(2026, 1, 5),
            description="Bed alarm not set",
            owner_id=owner.id,
            priority_rank=1,
        )
        session.add(issue)
        session.flush()
        session.add(
            IssueNote(
                uuid="00000000-0000-4000-8000-00000000000a",
                issue_id=issue.id,
                note_date=date(2026, 1, 6),
                text="Alarms checked",
            )
        )
        session.commit()


def check_merging_works_after_upgrade(database: Database, folder: Path) -> None:
    from cuspdesk.services import issues, unit_exchange

    inspector = sa.inspect(database.engine)
    tables = set(inspector.get_table_names())
    assert {"exchange_state", "exchange_source", "merge_conflict"} <= tables
    with database.reader() as s:
        assert s.execute(text("SELECT count(*) FROM merge_conflict")).scalar() == 0
        unit_id = s.execute(text("SELECT id FROM unit")).scalar_one()
    out = folder / "upgraded.cuspdesk"
    unit_exchange.export_unit(database, unit_id, out)
    fresh = open_database(folder / "fresh.sqlite3")
    try:
        result = unit_exchange.merge_unit_file(fresh, out)
        assert (result.added, result.conflicts) == (4, 0)  # person, unit, issue, note
        [row] = issues.list_issues(fresh, issues.IssueQuery()).rows
        assert (row.number, row.owner) == (1, "Zoë Lefèvre")
    finally:
        fresh.dispose()
    again = unit_exchange.merge_unit_file(database, out)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_a_0004_database_with_records_is_upgraded_to_0005(db_path: Path, tmp_path: Path) -> None:
    build_at_revision(db_path, "0004")
    engine = dbmod._sqlite_engine(db_path, read_only=False)
    try:
        fill_as_of_0004(engine)
    finally:
        engine.dispose()
    database = open_database(db_path)
    try:
        assert database.migrated_from == "0004"
        assert current_revision(database) == "0005" == head_revision()
        assert database.migration_backup is not None
        check_merging_works_after_upgrade(database, tmp_path)
    finally:
        database.dispose()


def test_revision_0005_downgrades_cleanly(db_path: Path) -> None:
    from alembic import command

    open_database(db_path).dispose()
    older = Database(dbmod._sqlite_engine(db_path, read_only=False), path=db_path)
    try:
        config = dbmod.alembic_config()
        with older.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
        assert "merge_conflict" not in sa.inspect(older.engine).get_table_names()
    finally:
        older.dispose()
    reopened = open_database(db_path)
    try:
        assert current_revision(reopened) == head_revision()
    finally:
        reopened.dispose()


@pytest.mark.postgres
def test_a_0004_postgres_database_with_records_is_upgraded_to_0005(
    empty_pg_url: str, tmp_path: Path
) -> None:
    older = Database(create_engine(empty_pg_url), path=None)
    try:
        upgrade_to(older, "0004")
        fill_as_of_0004(older.engine)
    finally:
        older.dispose()
    database = open_database(empty_pg_url)
    try:
        assert database.migrated_from == "0004"
        assert current_revision(database) == head_revision()
        check_merging_works_after_upgrade(database, tmp_path)
    finally:
        database.dispose()


def test_upgrading_a_long_log_adds_the_overdue_and_harm_indexes_and_fresh_statistics(
    db_path: Path,
) -> None:
    """Revision 0004 on a database that already holds issues: the planner knows them."""
    from alembic import command

    from cuspdesk.services import issues, units

    database = open_database(db_path)
    try:
        unit = units.create_unit(database, units.UnitFields(name="5 North"))
        for number in range(30):
            fields = issues.IssueFields(
                description=f"Issue {number}", date_identified=date(2026, 1, 5)
            )
            issues.create_issue(database, unit.id, fields)
        with database.engine.begin() as conn:
            config = dbmod.alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
    finally:
        database.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM sqlite_stat1")
    conn.close()

    upgraded = open_database(db_path)
    try:
        assert upgraded.migrated_from == "0003"
        index_names = "SELECT group_concat(name) FROM sqlite_master WHERE tbl_name = 'safety_issue'"
        names = str(raw_scalar(db_path, index_names)).split(",")
        assert "ix_safety_issue_unit_id_status_target_date" in names
        assert "ix_safety_issue_unit_id_harm_event_date_identified" in names
        assert "ix_safety_issue_unit_id_status" not in names
        stats = (
            "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_safety_issue_unit_id_status_target_date'"
        )
        assert str(raw_scalar(db_path, stats)).startswith("30 ")
        assert raw_scalar(db_path, "SELECT count(*) FROM safety_issue") == 30
    finally:
        upgraded.dispose()
