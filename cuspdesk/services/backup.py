"""Backups, restore and the integrity check behind ``cuspdesk backup|restore|check``.

SQLite files are copied with the online backup API, never as raw files, so a
backup taken while someone is saving is still consistent. PostgreSQL databases
are backed up with the server's own ``pg_dump``.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from cuspdesk.db import (
    CIPHER_DRIVER,
    Database,
    backup_folder,
    current_revision,
    head_revision,
    is_url,
    known_revisions,
    open_database,
    read_only_uri,
    resolve_target,
    sqlite_backup,
)
from cuspdesk.errors import CuspDeskError, StorageError

ENCRYPTED_RESTORE_HINT = (
    "An encrypted database is restored by hand: close CUSPDesk, keep a copy of the database "
    "file, then copy the backup file (encrypted with the same key) in its place."
)
PG_DUMP_HINT = (
    "This database is on a PostgreSQL server; back it up there with pg_dump "
    "(for example: pg_dump --format=custom --file=cuspdesk.dump DATABASE_URL)."
)
PG_RESTORE_HINT = (
    "This database is on a PostgreSQL server; restore it there with pg_restore "
    "(for example: pg_restore --clean --dbname=DATABASE_URL cuspdesk.dump)."
)


# The triggers (migration 0002) that keep the audit trail append-only on SQLite.
AUDIT_GUARDS = frozenset({"audit_event_no_update", "audit_event_no_delete"})


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
    return sqlite_backup(source, target, key=db.cipher_key)


# --- automatic daily backups and their rotation ---------------------------------------


@dataclass(frozen=True)
class Retention:
    """How many automatic backups to keep: the newest of each day, week and month."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


DEFAULT_RETENTION = Retention()
DAILY_LABEL = "daily"


def daily_backup_path(db_path: Path, day: date) -> Path:
    return backup_folder(db_path) / f"{db_path.stem}-{DAILY_LABEL}-{day.isoformat()}.sqlite3"


def daily_backup_if_due(
    db: Database, *, today: date | None = None, retention: Retention = DEFAULT_RETENTION
) -> Path | None:
    """At start-up: take today's automatic backup unless there is one, then rotate.

    Returns the new backup, or ``None`` when none was due, the database is open
    read-only, or it is on a server (where pg_dump does this job). Raises ``StorageError`` when the
    backup could not be written; the caller says so and carries on.
    """
    if db.path is None or db.read_only or not db.path.exists():
        return None  # a server has pg_dump; a read-only file cannot change here
    day = today or date.today()
    target = daily_backup_path(db.path, day)
    if target.exists():
        return None
    made = sqlite_backup(db.path, target, key=db.cipher_key)
    rotate_backups(db.path, today=day, retention=retention)
    return made


def _daily_backups(db_path: Path) -> dict[date, Path]:
    pattern = re.compile(
        rf"^{re.escape(db_path.stem)}-{DAILY_LABEL}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$"
    )
    found: dict[date, Path] = {}
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None:
            continue
        try:
            found[date.fromisoformat(match.group(1))] = path
        except ValueError:
            continue
    return found


def backups_to_keep(days: list[date], retention: Retention) -> set[date]:
    """Grandfather-father-son: the newest backup of each of the last N days, weeks, months."""
    keep: set[date] = set()
    newest_first = sorted(set(days), reverse=True)
    policies: list[tuple[int, Callable[[date], object]]] = [
        (retention.daily, lambda d: d),
        (retention.weekly, lambda d: d.isocalendar()[:2]),
        (retention.monthly, lambda d: (d.year, d.month)),
    ]
    for count, bucket_of in policies:
        seen: set[object] = set()
        for day in newest_first:
            if len(seen) >= count:
                break
            bucket = bucket_of(day)
            if bucket not in seen:
                seen.add(bucket)
                keep.add(day)
    return keep


def rotate_backups(
    db_path: Path, *, today: date | None = None, retention: Retention = DEFAULT_RETENTION
) -> list[Path]:
    """Remove automatic daily backups the retention no longer needs; returns what went.

    Only ``<name>-daily-<date>.sqlite3`` files are ever removed: manual backups,
    the copies taken before an upgrade and before a restore are kept until a
    person deletes them.
    """
    found = _daily_backups(db_path)
    day = today or date.today()
    # A clock set wrong must not make today's backup look old, nor a future one win.
    current = {d: p for d, p in found.items() if d <= day}
    keep = backups_to_keep(list(current), retention) | {d for d in found if d > day}
    removed: list[Path] = []
    for backup_day, path in sorted(found.items()):
        if backup_day in keep:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


# --- finding a backup to go back to ---------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    taken_at: datetime
    size: int

    @property
    def kind_label(self) -> str:
        return BACKUP_KIND_LABELS.get(self.kind, self.kind)


BACKUP_KIND_LABELS = {
    DAILY_LABEL: "Automatic daily backup",
    "manual": "Backup taken by hand",
    "before-restore": "Copy kept before a restore",
    "before-upgrade": "Copy kept before an upgrade",
}


def find_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database in its backups folder, newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(
        rf"^{re.escape(db_path.stem)}-(daily|manual|before-restore|before-upgrade)-.+\.sqlite3$"
    )
    found: list[BackupInfo] = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        taken = datetime.fromtimestamp(stat.st_mtime, UTC)
        found.append(BackupInfo(path, match.group(1), taken, stat.st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def latest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that passes the full check and this version can open."""
    for info in find_backups(db_path):
        try:
            validate_backup_file(info.path)
        except CuspDeskError:
            continue
        return info.path
    return None


def recovery_advice(db_path: Path) -> str:
    """One or two sentences telling a person how to get their data back."""
    good = latest_good_backup(db_path)
    if good is None:
        return (
            f"No good backup of it was found in {backup_folder(db_path)}; "
            "ask your IT team for a copy from their backups."
        )
    return (
        f"To put back the newest good backup ({good.name}), run: "
        f"cuspdesk --db {_quoted(db_path)} restore {_quoted(good)}"
    )


def _quoted(path: Path) -> str:
    text = str(path)
    return shlex.quote(text) if os.name != "nt" else f'"{text}"' if " " in text else text


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
            guards = {
                str(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).fetchall()
            }
            if revision not in (None, "0001") and not AUDIT_GUARDS.issubset(guards):
                problems.append("the audit trail has lost its protection against changes")
    else:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    return CheckReport(not problems, tuple(problems), revision)


def validate_backup_file(path: Path) -> None:
    """Make sure a file is a healthy CUSPDesk database this version can open."""
    if not path.is_file():
        raise StorageError(f"There is no backup file at {path}.")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
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


def restore(target: str, backup_file: Path) -> tuple[Path, Path | None]:
    """Replace the database at ``target`` with ``backup_file``, keeping what it replaces.

    The backup is checked in full first. A healthy database is copied aside with
    the backup API and then overwritten through it, so other connections see
    either the old or the restored data, never a mixture; a damaged one is moved
    aside byte for byte. Returns (database path, where the replaced data was kept,
    or ``None`` when there was no database yet).
    """
    backup_file = backup_file.expanduser()
    db_path = sqlite_path(target)
    validate_backup_file(backup_file)
    if db_path.is_dir():
        raise StorageError(f"{db_path} is a folder, not a database file; nothing was restored.")
    if db_path.exists() and db_path.resolve() == backup_file.resolve():
        raise StorageError("That file is the database itself; choose a backup to restore.")
    if not db_path.parent.is_dir():
        raise StorageError(f"The folder {db_path.parent} does not exist; nothing was restored.")
    if not os.access(db_path.parent, os.W_OK) or (
        db_path.exists() and not os.access(db_path, os.W_OK)
    ):
        raise StorageError(f"{db_path} is read-only, so nothing was restored.")
    kept: Path | None = None
    has_data = db_path.exists() and db_path.stat().st_size > 0
    healthy = has_data and _is_healthy(db_path)
    if healthy:
        kept = sqlite_backup(db_path, default_backup_path(db_path, "before-restore"))
        _copy_into_live(backup_file, db_path, kept)
    else:
        if has_data:
            kept = _move_aside(db_path)
        sqlite_backup(backup_file, db_path)
    # Re-open to bring an older backup's schema up to date (that takes its own backup).
    reopened = open_database(db_path)
    reopened.dispose()
    return db_path, kept


def sqlite_path(target: str) -> Path:
    """The file a ``--db`` value names; server databases are refused with the pg_dump hint."""
    resolved = resolve_target(target)
    if is_url(resolved):
        try:
            url = make_url(resolved)
        except ArgumentError:
            raise StorageError(f"“{resolved}” is not a database address.") from None
        if url.get_backend_name() != "sqlite" or not url.database:
            raise CuspDeskError(PG_RESTORE_HINT)
        if url.get_driver_name() == CIPHER_DRIVER:
            raise CuspDeskError(ENCRYPTED_RESTORE_HINT)
        resolved = url.database
    return Path(resolved).expanduser().absolute()


def _is_healthy(path: Path) -> bool:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=10)
        try:
            return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()] == ["ok"]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _copy_into_live(backup_file: Path, db_path: Path, kept: Path) -> None:
    try:
        source = sqlite3.connect(read_only_uri(backup_file), uri=True)
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
            f"The restore failed ({exc}); the database was left as it was and a copy is at {kept}."
        ) from exc


def _move_aside(db_path: Path) -> Path:
    """A damaged database cannot be copied page by page: keep its bytes (and journal) as is."""
    aside = default_backup_path(db_path, "before-restore").with_suffix(".damaged.sqlite3")
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            extra = db_path.with_name(db_path.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
        os.replace(db_path, aside)
    except OSError as exc:
        raise StorageError(
            f"The damaged database could not be moved aside ({exc.strerror or exc}); "
            "nothing was restored."
        ) from exc
    return aside
