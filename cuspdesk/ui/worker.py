"""Run slow work off the UI thread, the same way everywhere.

``run_in_background(fn, on_done=..., on_error=...)`` runs ``fn`` on the global
thread pool and calls back on the UI thread. Errors that are ``CuspDeskError``
arrive as themselves so the screen can show their message; anything else is
wrapped in one with a plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from cuspdesk.errors import CuspDeskError

_live: set[_Task] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except CuspDeskError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # shown to the user as a sentence, never a crash
            self.signals.failed.emit(
                CuspDeskError(f"Something went wrong ({type(exc).__name__}: {exc}).")
            )
        else:
            self.signals.done.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[CuspDeskError], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``fn`` on a worker thread; the callbacks run on the UI thread afterwards."""
    task = _Task(fn)
    _live.add(task)

    def finished_ok(result: Any) -> None:
        _live.discard(task)
        if on_done is not None:
            on_done(result)

    def finished_badly(error: CuspDeskError) -> None:
        _live.discard(task)
        if on_error is not None:
            on_error(error)

    task.signals.done.connect(finished_ok)
    task.signals.failed.connect(finished_badly)
    (pool or QThreadPool.globalInstance()).start(task)


def background_work_pending() -> bool:
    """True while a task is running or its result has not yet reached the UI thread."""
    return bool(_live)


def wait_for_background_work(timeout_ms: int = 10_000) -> bool:
    """Tests and shutdown wait here so no worker outlives the database it uses."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
