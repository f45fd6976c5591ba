"""Fixtures every test shares: a fresh database per test, on SQLite or a real PostgreSQL.

No test touches the user's real data folder, and nothing is mocked: the SQLite
fixtures are real files in temp folders and the PostgreSQL ones run on a real
server, started once per session when no ``CUSPDESK_TEST_PG_URL`` is given.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Before anything imports Qt or platformdirs is asked where the data lives.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TEST_HOME = Path(tempfile.mkdtemp(prefix="cuspdesk-test-home-"))
atexit.register(shutil.rmtree, _TEST_HOME, ignore_errors=True)
for _var, _sub in (
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
):
    (_TEST_HOME / _sub).mkdir()
    os.environ[_var] = str(_TEST_HOME / _sub)
os.environ.pop("CUSPDESK_DB", None)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cuspdesk.db import Database, open_database  # noqa: E402

PG_URL_ENV = "CUSPDESK_TEST_PG_URL"
PG_TEMPLATE = "cuspdesk_template"


# --- housekeeping around every test ------------------------------------------------


def wait_for_workers() -> None:
    """Let background Qt workers finish, so none outlives the database it was using."""
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        qtcore.QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture(autouse=True)
def _close_every_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dispose every engine a test opened, so no file or server connection leaks on.

    A test that forgets ``dispose()`` would otherwise keep SQLite files open into
    the next test and block ``DROP DATABASE`` on PostgreSQL.
    """
    opened: weakref.WeakSet[Database] = weakref.WeakSet()
    original_init = Database.__init__

    def recording_init(self: Database, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        opened.add(self)

    monkeypatch.setattr(Database, "__init__", recording_init)
    yield
    wait_for_workers()
    for database in list(opened):
        database.dispose()


# --- SQLite --------------------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a new SQLite database may be created; the file does not exist yet."""
    return tmp_path / "cuspdesk.sqlite3"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the file, which is ten times faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(path).dispose()
    return path


@pytest.fixture
def db(db_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    """A fresh SQLite database file, migrated to the newest schema."""
    shutil.copyfile(_sqlite_template, db_path)
    database = open_database(db_path)
    yield database
    wait_for_workers()
    database.dispose()


# --- PostgreSQL ----------------------------------------------------------------------


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be had; the message says why."""


def _find_pg_bindir() -> Path:
    """The folder with initdb and pg_ctl: PATH first, then Debian's newest version."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").is_file()]

    def version(p: Path) -> tuple[int, ...]:
        try:
            return tuple(int(part) for part in p.parent.name.split("."))
        except ValueError:
            return (0,)

    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL's initdb was not found on PATH or in /usr/lib/postgresql/*/bin "
            "(install the Debian package postgresql, or set CUSPDESK_TEST_PG_URL)"
        )
    return max(candidates, key=version)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ThrowawayCluster:
    """A PostgreSQL cluster in a temp folder, reachable only through a unix socket.

    initdb refuses to run as root, so as root every server command runs as the
    ``postgres`` system user that Debian's package creates.
    """

    def __init__(self) -> None:
        self.bindir = _find_pg_bindir()
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, and there is no 'postgres' system user to run the "
                    "server as (install the Debian package postgresql)"
                ) from None
            self.run_as = "postgres"
        # Short path: a unix socket path must stay under about 100 characters.
        self.root = Path(tempfile.mkdtemp(prefix="cuspdesk-pg-", dir="/tmp"))
        if self.run_as is not None:
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.datadir = self.root / "data"
        self.logfile = self.root / "server.log"
        self.port = _free_port()
        self.user = "postgres"
        self.dbname = "cuspdesk_test"
        self.started = False
        self._watchdog: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@/{self.dbname}?host={self.root}&port={self.port}"

    def _command(self, *args: str) -> list[str]:
        """A server command line, run as the ``postgres`` user when we are root."""
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as is None:
            return command
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", self.run_as, "--", *command]
        return ["su", self.run_as, "-s", "/bin/sh", "-c", shlex.join(command)]

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = self._command(*args)
        try:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=self.root,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresUnavailable(f"{args[0]} could not run: {exc}") from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            log = ""
            with contextlib.suppress(OSError):
                log = " | ".join(self.logfile.read_text().strip().splitlines()[-5:])
            raise PostgresUnavailable(
                f"{args[0]} failed (exit {done.returncode}): "
                f"{' | '.join(detail[-5:])}{' | server log: ' + log if log else ''}"
            )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "--username",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            # Codepoint order like --no-locale, but lower() and ILIKE know
            # accented letters, as on a real server.
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-k {self.root} -p {self.port} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.started = True
        self._start_watchdog()
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.datadir),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "-t",
            "60",
        )
        admin = create_engine(_admin_url(self.url, "postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.dbname}"'))
        finally:
            admin.dispose()

    def _start_watchdog(self) -> None:
        """Stop the server even if pytest itself is killed (CI timeout, SIGKILL).

        atexit covers Ctrl-C and normal exits; this covers the rest.
        """
        stop = shlex.join(
            self._command("pg_ctl", "stop", "-D", str(self.datadir), "-m", "immediate")
        )
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f"{stop}; rm -rf {shlex.quote(str(self.root))}"
        )
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        """Stop the server and delete its folder; safe to call twice."""
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None
        if self.started:
            self.started = False
            with contextlib.suppress(PostgresUnavailable):
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _admin_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _pg_unavailable(reason: str) -> None:
    """Fail under CI (a skipped PostgreSQL run must not pass silently), skip elsewhere."""
    message = f"PostgreSQL tests need a server: {reason}"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message, pytrace=False)
    print(message, file=sys.stderr)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server: ``CUSPDESK_TEST_PG_URL`` if set, else a throwaway cluster."""
    given = os.environ.get(PG_URL_ENV, "").strip()
    if given:
        probe = create_engine(given)
        try:
            with probe.connect():
                pass
        except Exception as exc:
            _pg_unavailable(f"{PG_URL_ENV} is set, but the server does not answer: {exc}")
        finally:
            probe.dispose()
        yield given
        return
    try:
        cluster = ThrowawayCluster()
    except PostgresUnavailable as exc:
        _pg_unavailable(str(exc))
        return
    # atexit as well as the fixture's own teardown: Ctrl-C must not leave a server running.
    atexit.register(cluster.stop)
    try:
        cluster.start()
    except Exception as exc:
        cluster.stop()
        _pg_unavailable(str(exc))
        return
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _drop_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
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


@pytest.fixture(scope="session")
def _pg_template(postgres_url: str) -> Iterator[str]:
    """Migrate once into a template database; each test then copies it in milliseconds."""
    admin_url = postgres_url
    _drop_database(admin_url, PG_TEMPLATE)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{PG_TEMPLATE}"'))
    finally:
        admin.dispose()
    template = open_database(_admin_url(postgres_url, PG_TEMPLATE))
    template.dispose()
    yield admin_url
    _drop_database(admin_url, PG_TEMPLATE)


_pg_counter = itertools.count(1)


@pytest.fixture
def pg_db(postgres_url: str, _pg_template: str) -> Iterator[Database]:
    """A fresh PostgreSQL database, migrated to the newest schema, dropped after the test."""
    admin_url = _pg_template
    name = f"cuspdesk_t_{os.getpid()}_{next(_pg_counter)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{PG_TEMPLATE}"'))
    finally:
        admin.dispose()
    database = open_database(_admin_url(postgres_url, name))
    try:
        yield database
    finally:
        wait_for_workers()
        database.dispose()
        _drop_database(admin_url, name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest) -> Database:
    """A fresh migrated database on each backend in turn, for tests that must hold on both."""
    fixture = "db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database
