"""Writing a file a person asked for (a PDF, a spreadsheet, a unit file), the same way
everywhere: say before any work why it could not be written, then write beside it and
rename, so a failed write never leaves half a file or spoils the one already there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cuspdesk.errors import StorageError


def check_writable(path: Path, *, example: str) -> None:
    """Raise a plain-words ``StorageError`` if ``path`` cannot be written.

    ``example`` is the file name suggested when ``path`` turns out to be a folder.
    """
    if path.is_dir():
        raise StorageError(f"{path} is a folder; give a file name such as {path / example}.")
    folder = path.parent
    if not folder.exists():
        raise StorageError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise StorageError(f"Cannot write {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"Cannot write {path}: the folder {folder} is read-only.")
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(f"Cannot write {path}: the file is read-only or open elsewhere.")


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through ``atomic_file``."""
    with atomic_file(path) as temp:
        temp.write_bytes(data)


def _cannot_write(path: Path, exc: OSError) -> StorageError:
    from cuspdesk.db import storage_reason  # imported here: only a failure needs it

    return StorageError(f"Cannot write {path}: {storage_reason(exc)}.")
