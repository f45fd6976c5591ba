"""Where the data lives: engine, SQLite pragmas, sessions and schema migrations.

A database is named by a file path (SQLite) or an SQLAlchemy URL (PostgreSQL).
Opening one checks what the file is, refuses anything that is not a CUSPDesk
database or was written by a newer CUSPDesk, and brings an older schema up to
date after taking a backup. Every failure becomes a ``DatabaseOpenError`` with one
plain sentence; the file is never changed on the way to an error.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import getpass
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

from cuspdesk import APP_NAME
from cuspdesk.errors import (
    ConflictError,
    CorruptDatabaseError,
    CuspDeskError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StorageError,
    ValidationError,
)

ENV_VAR = "CUSPDESK_DB"
DEFAULT_FILENAME = "cuspdesk.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# Rows SQLite samples per index when it refreshes planner statistics on close.
ANALYSIS_LIMIT = 1000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration this version ships (a test keeps it equal to Alembic's head).
# Opening a database already at it needs no Alembic at all, which keeps start-up quick.
SCHEMA_HEAD = "0005"
BACKUP_FOLDER_NAME = "cuspdesk-backups"
# SQLAlchemy's driver name for SQLCipher (encrypted SQLite), from the optional extra.
CIPHER_DRIVER = "pysqlcipher"
CIPHER_MISSING = (
    "Encrypted databases need CUSPDesk's SQLCipher support; install it with "
    "pip install 'cuspdesk[encryption]'."
)
TOO_LARGE = "A number is too large for the database to look up or store."


def data_dir() -> Path:
    """The user's data folder for CUSPDesk (created on demand by the caller)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DEFAULT_FILENAME


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """The database to use: the given one, else ``CUSPDESK_DB``, else the default file."""
    if target is not None and str(target).strip():
        return str(target).strip()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    return str(default_database_path())


def is_url(target: str) -> bool:
    return "://" in target


@dataclass
class Actor:
    """Who is making changes, for the audit trail."""

    os_user: str
    role: str = "champion"

    @classmethod
    def current(cls, role: str = "champion") -> Actor:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "unknown"
        return cls(os_user=user, role=role)


class CuspSession(Session):
    """The session class every CUSPDesk unit of work uses; services hook the audit onto it."""

    @property
    def actor(self) -> Actor:
        actor = self.info.get("actor")
        return actor if isinstance(actor, Actor) else Actor.current()


class Database:
    """An open CUSPDesk database: hands out short sessions, one per unit of work."""

    def __init__(
        self,
        engine: Engine,
        *,
        path: Path | None,
        read_only: bool = False,
        read_only_reason: str = "",
        actor: Actor | None = None,
        cipher_key: str | None = None,
    ) -> None:
        self.engine = engine
        # The SQLCipher key of an encrypted file; backups are encrypted with it too.
        self.cipher_key = cipher_key
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.actor = actor or Actor.current()
        self.migrated_from: str | None = None
        self.migration_backup: Path | None = None
        self._file_identity: tuple[int, int] | None = None
        writer = engine.execution_options(cuspdesk_write=True) if self.is_sqlite else engine
        self._writer = sessionmaker(bind=writer, class_=CuspSession, expire_on_commit=False)
        self._reader = sessionmaker(bind=engine, class_=CuspSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def url(self) -> URL:
        return self.engine.url

    def describe(self) -> str:
        """Where the data is, for the status bar and the About box (no password)."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def session(self) -> Iterator[CuspSession]:
        """One write transaction: committed if the block finishes, rolled back if not."""
        if self.read_only:
            raise ReadOnlyDatabaseError(
                self.read_only_reason or "This database is open read-only, so nothing can be saved."
            )
        self._check_file_is_still_there()
        session = self._writer()
        session.info["actor"] = self.actor
        try:
            yield session
            session.commit()
        except CuspDeskError:
            session.rollback()
            raise
        except OverflowError as exc:
            session.rollback()
            raise ValidationError(TOO_LARGE) from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise translate_error(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def reader(self) -> Iterator[CuspSession]:
        """A read-only look at the data; never commits."""
        session = self._reader()
        session.info["actor"] = self.actor
        try:
            yield session
        except SQLAlchemyError as exc:
            raise translate_error(exc) from exc
        except OverflowError as exc:  # an id or number beyond what the database holds
            raise ValidationError(TOO_LARGE) from exc
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self._optimize()
        self.engine.dispose()

    def _optimize(self) -> None:
        """Let SQLite refresh the statistics its query planner uses, as it advises on close.

        Without them a filter such as "overdue only" can walk the wrong index of a
        large log. Bounded (``analysis_limit``) so closing stays quick; skipped when
        the file cannot be written, and never an error: it only makes queries faster.
        """
        if not self.is_sqlite or self.read_only or (self.path and not self.path.exists()):
            return
        try:
            self._check_file_is_still_there()  # never recreate a file deleted underneath
            with self.engine.connect() as conn:
                driver = conn.connection.driver_connection
                driver.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")  # type: ignore[union-attr]
                has_stats = driver.execute(  # type: ignore[union-attr]
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).fetchone()
                # The first statistics (a new or bulk-filled file) are made outright;
                # after that SQLite redoes only those that have drifted.
                driver.execute("PRAGMA optimize" if has_stats else "ANALYZE")  # type: ignore[union-attr]
                driver.commit()  # type: ignore[union-attr]
        except (CuspDeskError, DatabaseError, sqlite3.Error):
            pass

    def remember_file(self) -> None:
        """Note which file this is, so a save can tell if it was deleted or swapped meanwhile."""
        if self.path is not None:
            self._file_identity = _identity(self.path)

    def _check_file_is_still_there(self) -> None:
        # SQLite keeps writing into a deleted file's inode and the save vanishes on close;
        # refuse instead, while the form still holds what the person typed.
        if self.path is None:
            return
        if self._file_identity is None:
            self.remember_file()
            return
        if _identity(self.path) != self._file_identity:
            raise StorageError(
                f"The database file {self.path} was moved, deleted or replaced after it was "
                "opened, so nothing was saved; put it back or reopen the database."
            )


# Filesystems where SQLite's locking and WAL index cannot be trusted.
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ncpfs", "9p", "fuse.sshfs", "davfs"}
)


def network_drive_warning(path: Path, *, mounts: str | None = None) -> str | None:
    """A sentence for the status bar when the database sits on a network drive, else None.

    SQLite relies on file locks and shared memory that network drives do not
    honour; a dropped connection or a second computer can lose saves there.
    ``mounts`` (the text of /proc/self/mounts) is for tests.
    """
    text = str(path)
    remote = text.startswith(("\\\\", "//"))
    if not remote and os.name == "nt":
        remote = _windows_drive_is_remote(path)
    elif not remote:
        remote = _linux_fs_type(path, mounts) in NETWORK_FILESYSTEMS
    if not remote:
        return None
    return (
        f"{path} is on a network drive: saves can fail if the connection drops, and two "
        "computers must never open it at once. Keep the file on this computer, or use a "
        "PostgreSQL server for a shared tracking log."
    )


def _linux_fs_type(path: Path, mounts: str | None) -> str:
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text()
        except OSError:
            return ""
    target = path.absolute().as_posix()
    best, fstype = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, fstype = point, fields[2]
    return fstype


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = path.absolute().drive + "\\"
    get_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    return bool(get_type(drive) == 4)  # DRIVE_REMOTE


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def translate_error(exc: BaseException) -> CuspDeskError:
    """Turn a driver error into a sentence a nurse can act on."""
    if isinstance(exc, StaleDataError):
        return ConflictError(
            "Someone else changed this record after you opened it. Reload it to see their change."
        )
    message = str(getattr(exc, "orig", exc) or exc).lower()
    if "out of range" in message and isinstance(exc, DataError):
        return ValidationError(TOO_LARGE)
    if "nul (0x00)" in message:
        return ValidationError(
            "The text contains an invisible NUL character; retype it or paste it as plain text."
        )
    if "locked" in message or "busy" in message:
        return StorageError("The database is busy with another save; wait a moment and try again.")
    if "readonly" in message or "read-only" in message or "read only" in message:
        return ReadOnlyDatabaseError("The database is read-only, so the change was not saved.")
    if "disk is full" in message or "no space" in message:
        return StorageError("The disk is full, so the change was not saved. Free some space.")
    if "disk i/o" in message or "unable to open" in message or "no such file" in message:
        return StorageError(
            "The database file could not be written (it may have been moved, deleted or "
            "be on a drive that went away); the change was not saved."
        )
    if "malformed" in message or "not a database" in message:
        return CorruptDatabaseError("The database file is damaged; restore it from a backup.")
    if "audit events cannot be changed" in message:
        return StorageError("The audit trail cannot be changed or deleted; nothing was saved.")
    if isinstance(exc, IntegrityError):
        return StorageError(
            "The change clashes with a record saved at the same time; nothing was saved. Try again."
        )
    if isinstance(exc, OperationalError):
        return StorageError("The database could not be reached; the change was not saved.")
    return StorageError("The database refused the change; nothing was saved.")


# --- opening -------------------------------------------------------------------------


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    migrate: bool = True,
    actor: Actor | None = None,
) -> Database:
    """Open (and if needed create or upgrade) a CUSPDesk database.

    ``target`` is a file path or URL; ``None`` means ``CUSPDESK_DB`` or the default
    file. A file that cannot be written opens read-only; ``read_only=True`` asks
    for that explicitly.
    """
    resolved = resolve_target(target)
    if is_url(resolved):
        url = _parse_url(resolved)
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database in ("", ":memory:"):
                raise DatabaseOpenError("An in-memory database cannot hold a unit's records.")
            key = url.password if url.get_driver_name() == CIPHER_DRIVER else None
            if url.get_driver_name() == CIPHER_DRIVER and not key:
                raise DatabaseOpenError(
                    "An encrypted database needs its key: write it as "
                    "sqlite+pysqlcipher://:KEY@/path/to/file.sqlite3."
                )
            return _open_sqlite(Path(database), read_only, create, migrate, actor, key)
        return _open_server(url, read_only, migrate, actor)
    return _open_sqlite(Path(resolved), read_only, create, migrate, actor)


def _parse_url(target: str) -> URL:
    try:
        return make_url(target)
    except (ArgumentError, ValueError):
        raise DatabaseOpenError(
            f"“{target}” is not a database address CUSPDesk understands."
        ) from None


def _open_server(url: URL, read_only: bool, migrate: bool, actor: Actor | None) -> Database:
    where = url.render_as_string(hide_password=True)
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError):
        raise DatabaseOpenError(
            f"CUSPDesk cannot talk to “{url.get_backend_name()}” databases; install the "
            "PostgreSQL support (pip install 'cuspdesk[postgres]')."
        ) from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
        detail = f": {reason.rstrip('.')}" if reason else ""
        raise DatabaseOpenError(
            f"Could not connect to the database server {where}{detail}."
        ) from None
    db = Database(engine, path=None, read_only=read_only, actor=actor)
    try:
        _bring_schema_up_to_date(db, migrate=migrate and not read_only)
    except BaseException:
        engine.dispose()
        raise
    return db


def _open_sqlite(
    path: Path,
    read_only: bool,
    create: bool,
    migrate: bool,
    actor: Actor | None,
    cipher_key: str | None = None,
) -> Database:
    try:
        return _open_sqlite_file(path, read_only, create, migrate, actor, cipher_key)
    except OSError as exc:  # a name too long, a path through a file, a drive gone
        raise DatabaseOpenError(f"{path} cannot be opened: {storage_reason(exc)}.") from None


def _open_sqlite_file(
    path: Path,
    read_only: bool,
    create: bool,
    migrate: bool,
    actor: Actor | None,
    cipher_key: str | None,
) -> Database:
    path = path.expanduser()
    path = path.resolve() if path.exists() else path.absolute()
    shown = str(path)
    if path.is_dir():
        raise NotADatabaseError(f"{shown} is a folder, not a database file.")
    if path.exists() and not path.is_file():
        raise NotADatabaseError(f"{shown} is not an ordinary file, so it cannot hold a database.")
    exists = path.exists()
    if not exists:
        if read_only or not create:
            raise DatabaseOpenError(f"There is no database at {shown}.")
        if path == default_database_path():
            path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.is_dir():
            raise DatabaseOpenError(f"The folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(
                f"A new database cannot be created in {path.parent}: the folder is read-only."
            )
    else:
        if cipher_key is None:  # an encrypted file has no readable header
            _check_sqlite_header(path)

    reason = ""
    if exists and not read_only:
        if not os.access(path, os.W_OK):
            read_only, reason = (
                True,
                f"The database file {shown} is read-only, so changes cannot be saved.",
            )
        elif not os.access(path.parent, os.W_OK):
            read_only, reason = (
                True,
                (f"The folder holding {shown} is read-only, so changes cannot be saved."),
            )
    elif read_only:
        reason = "This database was opened read-only, so changes cannot be saved."

    engine = _sqlite_engine(path, read_only, cipher_key)
    db = Database(
        engine,
        path=path,
        read_only=read_only,
        read_only_reason=reason,
        actor=actor,
        cipher_key=cipher_key,
    )
    try:
        _quick_check(db)
        _bring_schema_up_to_date(db, migrate=migrate)
    except BaseException:
        engine.dispose()
        raise
    db.remember_file()
    return db


def _stuck_mid_save(path: Path) -> bool:
    """A -wal file waiting to be replayed, in a folder where SQLite cannot write its index."""
    return path.with_name(path.name + "-wal").exists() and not os.access(path.parent, os.W_OK)


def _check_sqlite_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseOpenError(f"{path} cannot be read: permission denied.") from None
    except OSError as exc:
        raise DatabaseOpenError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(f"{path} is not a CUSPDesk database.")
    if header and len(header) < len(SQLITE_HEADER):
        raise CorruptDatabaseError(f"{path} is damaged (the file is cut short).")


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` for reading only, whatever characters it holds.

    ``#``, ``?`` and ``%`` in a folder name ("Unit #5") would otherwise cut the
    path short and open a different file.
    """
    uri = f"file:{quote(path.absolute().as_posix(), safe='/:')}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-wal").exists():
        # A WAL file needs its index (-shm) beside it, which a read-only folder
        # cannot hold; with no -wal file nothing is mid-write, so read it as it is.
        uri += "&immutable=1"
    return uri


def _sqlite_engine(path: Path, read_only: bool, cipher_key: str | None = None) -> Engine:
    # URL.create takes the path as it is; a URL string would be parsed, and a
    # "#" or "?" in a folder name would send the data to another file.
    driver = f"sqlite+{CIPHER_DRIVER}" if cipher_key else "sqlite+pysqlite"
    if read_only:
        url = URL.create(
            driver, password=cipher_key, database=read_only_uri(path), query={"uri": "true"}
        )
    else:
        url = URL.create(driver, password=cipher_key, database=str(path))
    try:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    except (NoSuchModuleError, ImportError):
        raise DatabaseOpenError(CIPHER_MISSING) from None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if cipher_key:
            # SQLCipher writes its own lines to stderr for a wrong key; ours say it better.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            # FULL: a finding, once saved, survives a power cut.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()
        # SQLite's own lower() folds only A-Z, so "ÉCOLE" would not find "école" and
        # "Unité" would not clash with "UNITÉ"; searches and name checks rely on this.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front, so two writers queue on the busy
        # timeout instead of failing halfway through a read-then-write.
        if conn.get_execution_options().get("cuspdesk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _quick_check(db: Database) -> None:
    shown = db.describe()
    try:
        with db.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except OperationalError as exc:
        message = str(exc.orig).lower()
        if "locked" in message or "busy" in message:
            raise DatabaseOpenError(
                f"{shown} is locked by another program; close it and try again."
            ) from None
        if db.path is not None and _stuck_mid_save(db.path):
            raise DatabaseOpenError(
                f"{shown} was left in the middle of a save and its folder is read-only, so it "
                "cannot be opened safely; copy the folder somewhere you can write to, or make "
                "it writable, and open it again."
            ) from None
        if "unable to open" in message or "readonly" in message:
            raise DatabaseOpenError(f"{shown} cannot be opened: {exc.orig}.") from None
        raise CorruptDatabaseError(f"{shown} is damaged and cannot be opened.") from None
    except DatabaseError as exc:
        message = str(exc.orig).lower()
        if "not a database" in message and db.cipher_key:
            raise NotADatabaseError(
                f"{shown} could not be opened with that key: the key is wrong, or the file is "
                "not an encrypted CUSPDesk database."
            ) from None
        if "not a database" in message:
            raise NotADatabaseError(f"{shown} is not a CUSPDesk database.") from None
        raise CorruptDatabaseError(f"{shown} is damaged and cannot be opened.") from None
    if rows != ["ok"]:
        raise CorruptDatabaseError(
            f"{shown} is damaged and cannot be opened; restore it from a backup."
        )


# --- migrations ----------------------------------------------------------------------


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def _migration_scripts() -> ScriptDirectory:
    """Read the migration files once per process, and only when a schema is not current."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _migration_scripts().get_current_head()
    if head is None:
        raise RuntimeError("no migrations shipped")
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in _migration_scripts().walk_revisions()}


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(db: Database) -> tuple[str | None, set[str]]:
    """The schema revision the database records, and its table names."""
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return None, tables
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(versions) > 1:
        raise NotADatabaseError(
            f"{db.describe()} records more than one schema version, which CUSPDesk never "
            "writes; it was left untouched."
        )
    return (versions[0] if versions else None), tables


def _bring_schema_up_to_date(db: Database, *, migrate: bool) -> None:
    shown = db.describe()
    try:
        current, tables = _stored_revision(db)
    except DatabaseError as exc:
        raise CorruptDatabaseError(f"{shown} is damaged and cannot be opened.") from exc
    head = SCHEMA_HEAD if current == SCHEMA_HEAD else head_revision()
    if current is None:
        if tables - {"alembic_version"}:
            raise NotADatabaseError(
                f"{shown} holds a database, but not a CUSPDesk one; it was left untouched."
            )
    elif current != SCHEMA_HEAD and current not in known_revisions():
        raise NewerDatabaseError(
            f"{shown} was saved by a newer version of CUSPDesk; install that version to open "
            "it. The file was left untouched."
        )
    if db.is_sqlite and not db.read_only and (current == head or migrate):
        # Only now that the file is known to be ours: switching to WAL rewrites its header.
        try:
            with db.engine.connect() as conn:
                conn.connection.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        except (OperationalError, sqlite3.OperationalError):
            raise DatabaseOpenError(
                f"{shown} is locked by another program; close it and try again."
            ) from None
    if current == head:
        return
    if not migrate:
        raise DatabaseOpenError(f"{shown} needs upgrading before this version can use it.")
    if db.read_only:
        if current is None:
            raise ReadOnlyDatabaseError(f"{shown} is empty and read-only, so it cannot be set up.")
        raise ReadOnlyDatabaseError(
            f"{shown} needs upgrading to this version of CUSPDesk, but it is read-only."
        )
    if current is not None and db.path is not None:
        db.migration_backup = sqlite_backup(
            db.path, pre_migration_backup_path(db.path, current), key=db.cipher_key
        )
    _upgrade(db)
    db.migrated_from = current


def _upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    with db.engine.connect() as conn:
        if db.is_sqlite:
            # Table rebuilds in batch migrations need foreign keys off; checked after.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if db.is_sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise CorruptDatabaseError(
                            f"{db.describe()} has records that point at missing records; the "
                            "upgrade was undone."
                        )
        except OperationalError as exc:
            raise translate_error(exc) from exc
        finally:
            if db.is_sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def upgrade_to(db: Database, revision: str) -> None:
    """Upgrade to a given revision; tests use it to build an older schema."""
    _upgrade(db, revision)


# --- backups -------------------------------------------------------------------------


def backup_folder(db_path: Path) -> Path:
    """Backups live beside the database they protect, in one folder."""
    return db_path.parent / BACKUP_FOLDER_NAME


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def pre_migration_backup_path(db_path: Path, revision: str) -> Path:
    return backup_folder(db_path) / f"{db_path.stem}-before-upgrade-{revision}-{_stamp()}.sqlite3"


def sqlite_backup(source: Path, dest: Path, *, key: str | None = None) -> Path:
    """Copy a live SQLite database with the online backup API (safe while others write).

    An encrypted database (``key``) is exported with SQLCipher into a copy
    encrypted with the same key, inside one read transaction.
    """
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if key is not None:
            _encrypted_copy(source, partial, key)
        else:
            src = sqlite3.connect(read_only_uri(source), uri=True)
            try:
                out = sqlite3.connect(partial)
                try:
                    src.backup(out)
                finally:
                    out.close()
            finally:
                src.close()
        os.replace(partial, dest)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(
            f"The backup to {dest} could not be written: {storage_reason(exc)}."
        ) from exc
    return dest


def _encrypted_copy(source: Path, dest: Path, key: str) -> None:
    try:
        import sqlcipher3
    except ImportError:
        raise StorageError(CIPHER_MISSING) from None
    quoted = key.replace("'", "''")
    conn = sqlcipher3.connect(read_only_uri(source), uri=True)
    try:
        conn.execute(f"PRAGMA key = '{quoted}'")
        conn.execute("ATTACH DATABASE ? AS copy KEY ?", (str(dest), key))
        conn.execute("SELECT sqlcipher_export('copy')")
        conn.execute("DETACH DATABASE copy")
    except sqlcipher3.Error as exc:
        raise sqlite3.DatabaseError(str(exc)) from exc
    finally:
        conn.close()


def storage_reason(exc: BaseException) -> str:
    """Why a file could not be written, in a few plain words (no errno, no driver name)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        reasons = {
            errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.EACCES: "permission denied",
            errno.EPERM: "permission denied",
            errno.EROFS: "the drive is read-only",
            errno.EEXIST: "a file is in the way",
            errno.ENOTDIR: "a file is in the way of the folder",
            errno.ENOENT: "the folder is missing",
            errno.EIO: "the drive reported an error",
        }
        return reasons.get(exc.errno, (exc.strerror or "it failed").lower())
    message = str(exc).lower()
    if "full" in message:
        return "the disk is full"
    if "readonly" in message or "read-only" in message:
        return "the drive is read-only"
    if "unable to open" in message:
        return "the file could not be opened"
    if "not a database" in message or "malformed" in message:
        return "the database is damaged"
    if "locked" in message or "busy" in message:
        return "the database is busy"
    return "the drive reported an error"
