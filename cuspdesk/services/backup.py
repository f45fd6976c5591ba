"""Backups, restore and the integrity check behind ``cuspdesk backup|restore|check``.

SQLite files are copied with the online backup API, never as raw files, so a
backup taken while someone is saving is still consistent. PostgreSQL databases
are backed up with the server's own ``pg_dump``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from cuspdesk.db import (
    Database,
    backup_folder,
    current_revision,
    head_revision,
    known_revisions,
    open_database,
    sqlite_backup,
)
from cuspdesk.errors import CuspDeskError, StorageError

PG_DUMP_HINT = (
    "This database is on a PostgreSQL server; back it up there with pg_dump "
    "(for example: pg_dump --format=custom --file=cuspdesk.dump DATABASE_URL)."
)
PG_RESTORE_HINT = (
    "This database is on a PostgreSQL server; restore it there with pg_restore "
    "(for example: pg_restore --clean --dbname=DATABASE_URL cuspdesk.dump)."
)


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: tuple[str, ...]
    revision: str | None

    def summary(self) -> str:
        if self.ok:
            return "The database is in good order."
        return "The database has problems: " + "; ".join(self.problems) + "."


def _require_file(db: Database) -> Path:
    if db.path is None:
        raise CuspDeskError(PG_DUMP_HINT)
    return db.path


def default_backup_path(db_path: Path, label: str = "manual") -> Path:
    # Microseconds: two backups (or two restores' safety copies) in one second must
    # not overwrite each other.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return backup_folder(db_path) / f"{db_path.stem}-{label}-{stamp}.sqlite3"


def backup_now(db: Database, dest: Path | None = None) -> Path:
    """Write a consistent copy of the database to ``dest`` (default: the backups folder)."""
    source = _require_file(db)
    target = dest or default_backup_path(source)
    if target.exists() and target.is_dir():
        target = target / default_backup_path(source).name
    if target.resolve() == source.resolve():
        raise StorageError("A backup cannot be written over the database itself.")
    if dest is not None and not target.parent.is_dir():
        # The backups folder is made on first use; a folder the person named must exist.
        raise StorageError(f"The folder {target.parent} does not exist.")
    return sqlite_backup(source, target)


def check_database(db: Database) -> CheckReport:
    """The full check: every page, every foreign key, and the schema version."""
    problems: list[str] = []
    revision = current_revision(db)
    if revision != head_revision():
        problems.append(f"the schema is at {revision}, expected {head_revision()}")
    if db.is_sqlite:
        with db.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                problems.extend(rows[:10])
            orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if orphans:
                tables = sorted({str(r[0]) for r in orphans})
                problems.append(
                    f"{len(orphans)} record(s) point at missing records in {', '.join(tables)}"
                )
    else:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    return CheckReport(not problems, tuple(problems), revision)


def validate_backup_file(path: Path) -> None:
    """Make sure a file is a healthy CUSPDesk database this version can open."""
    if not path.is_file():
        raise StorageError(f"There is no backup file at {path}.")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found[0] if found else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):
            raise StorageError(f"{path} is damaged, so it was not restored.") from None
        raise StorageError(f"{path} is not a CUSPDesk database, so it was not restored.") from None
    if rows != ["ok"]:
        raise StorageError(f"{path} is damaged, so it was not restored.")
    if revision is None or "safety_issue" not in tables:
        raise StorageError(f"{path} is not a CUSPDesk database, so it was not restored.")
    if revision not in known_revisions():
        raise StorageError(
            f"{path} was saved by a newer version of CUSPDesk, so it was not restored."
        )


def restore(target: str, backup_file: Path) -> tuple[Path, Path]:
    """Replace the database at ``target`` with ``backup_file``.

    What is replaced is backed up first. Returns (database path, safety copy path).
    The copy goes through SQLite's backup API into the live file, so other
    connections see either the old or the restored data, never a mixture.
    """
    validate_backup_file(backup_file)
    db = open_database(target)
    try:
        if db.path is None:
            raise CuspDeskError(PG_RESTORE_HINT)
        db_path = db.path
        if db.read_only:
            raise StorageError(db.read_only_reason or "The database is read-only.")
        if db_path.resolve() == backup_file.resolve():
            raise StorageError("That file is the database itself; choose a backup to restore.")
        safety = sqlite_backup(db_path, default_backup_path(db_path, "before-restore"))
    finally:
        db.dispose()
    try:
        source = sqlite3.connect(f"file:{backup_file.as_posix()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(db_path, timeout=10)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise StorageError(
            f"The restore failed ({exc}); the database was left as it was and a copy is at "
            f"{safety}."
        ) from exc
    # Re-open to bring an older backup's schema up to date.
    reopened = open_database(db_path)
    reopened.dispose()
    return db_path, safety
