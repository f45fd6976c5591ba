"""One window per database file: a lock file beside it says another CUSPDesk has it open.

Two windows on one SQLite file would not corrupt it (every save is a
transaction and versions catch stale edits), but two people editing the same
log from two windows on one laptop is how findings get entered twice. The
second window is told who holds the file and may open it read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox, QWidget

from cuspdesk import APP_NAME
from cuspdesk.db import Database

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class HolderInfo:
    """Who holds the lock, as the lock file records it."""

    pid: int
    host: str
    app: str

    def describe(self) -> str:
        where = f"on {self.host}" if self.host else "on another computer"
        return f"{where} (process {self.pid})" if self.pid > 0 else where


@dataclass
class InstanceLock:
    """The outcome of asking for the lock; keep it alive for as long as the window is open.

    ``acquired`` is False when another CUSPDesk holds the file (``holder`` says
    who) or the lock could not be written at all (``problem`` says why, for
    example a read-only folder, where the app is read-only anyway).
    """

    path: Path | None
    acquired: bool
    holder: HolderInfo | None = None
    problem: str = ""
    _lock: QLockFile | None = field(default=None, repr=False)

    @property
    def held_elsewhere(self) -> bool:
        return not self.acquired and self.holder is not None

    def take_over(self) -> bool:
        """Claim a lock the person says is left over (the other window crashed elsewhere)."""
        if self._lock is None or self.acquired:
            return self.acquired
        self._lock.removeStaleLockFile()
        if not self._lock.tryLock(0) and self.path is not None:
            # removeStaleLockFile refuses while the holder looks alive; the person decided.
            self.path.unlink(missing_ok=True)
            self._lock.tryLock(0)
        self.acquired = self._lock.isLocked()
        if self.acquired:
            self.holder = None
        return self.acquired

    def release(self) -> None:
        if self._lock is not None and self.acquired:
            self._lock.unlock()
        self.acquired = False


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def acquire_instance_lock(db: Database) -> InstanceLock:
    """Lock the database file for this window; server databases need no lock.

    A lock left by a CUSPDesk that crashed on this computer is cleared at once
    (its process is gone). A lock from another computer is never broken by
    age alone: that copy may still be open; ``take_over`` is the person's call.
    """
    if db.path is None:
        return InstanceLock(path=None, acquired=True)
    path = lock_path(db.path)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return InstanceLock(path=path, acquired=True, _lock=lock)
    if lock.error() == QLockFile.LockError.LockFailedError:
        pid, host, app = lock.getLockInfo()
        if int(pid) > 0 or host:
            holder = HolderInfo(pid=int(pid), host=str(host), app=str(app))
            return InstanceLock(path=path, acquired=False, holder=holder, _lock=lock)
    return InstanceLock(
        path=path,
        acquired=False,
        problem=f"CUSPDesk could not note that it has {db.path.name} open (the folder may "
        "be read-only), so it cannot warn another window that opens it.",
        _lock=lock,
    )


def ask_open_read_only(parent: QWidget | None, holder_info: HolderInfo | None) -> bool:
    """Ask whether to open read-only because another window has the file. True: read-only."""
    holder = holder_info.describe() if holder_info is not None else "elsewhere"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(f"{APP_NAME} is already open")
    box.setAccessibleName("Database already open")
    box.setText(f"This database is already open in another {APP_NAME} window {holder}.")
    box.setInformativeText(
        "You can look at it here read-only; make changes in the window that has it open. "
        "If that window is gone, close this one and start again."
    )
    read_only = box.addButton("Open &read-only", QMessageBox.ButtonRole.AcceptRole)
    read_only.setAccessibleName("Open read-only")
    cancel = box.addButton("&Cancel", QMessageBox.ButtonRole.RejectRole)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(read_only)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is read_only
