"""What every benchmark shares: timing a call or a whole command, peak memory, the table.

Figures are wall-clock milliseconds over several runs, reported as the median with
the spread (min, max, quartiles, standard deviation) so one slow run does not hide
in an average. Whole commands also report their peak resident memory, read from
the operating system when the process ends.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

# Benchmarks sort, resize and switch screens: keep that out of the person's own
# settings by giving every benchmark process (and its children) a settings folder
# of its own.
if "CUSPDESK_BENCH_SETTINGS" not in os.environ:
    os.environ["CUSPDESK_BENCH_SETTINGS"] = tempfile.mkdtemp(prefix="cuspdesk-bench-settings-")
    os.environ["XDG_CONFIG_HOME"] = os.environ["CUSPDESK_BENCH_SETTINGS"]

Row = dict[str, Any]


def summarise(times_ms: Sequence[float]) -> Row:
    """Median and spread of a list of timings in milliseconds."""
    ordered = sorted(times_ms)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else [ordered[0]] * 3
    return {
        "median_ms": statistics.median(ordered),
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "p25_ms": quartiles[0],
        "p75_ms": quartiles[2],
        "stdev_ms": statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
        "runs": len(ordered),
    }


def timed(
    fn: Callable[[], object],
    runs: int,
    *,
    warm_up: bool = True,
    before: Callable[[], object] | None = None,
) -> Row:
    """Time ``fn`` in this process ``runs`` times, after one untimed warm-up call.

    ``before`` runs, untimed, ahead of every call (to undo what the last call did).
    """
    if warm_up:
        if before is not None:
            before()
        fn()
    times = []
    for _ in range(max(1, runs)):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return summarise(times)


def run_once(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    ready_marker: str | None = None,
) -> tuple[float, float]:
    """Run a whole command; its wall time in ms and its peak resident memory in MB.

    With ``ready_marker``, the clock stops when that text first appears on the
    command's standard error (a program saying it is ready), not when it exits.
    The child is reaped with ``os.wait4``, which reports its own peak memory.
    Linux starts that figure at the size of the spawning process, so keep the
    measuring process small (build big fixtures in a child, as bench.fixtures does).
    """
    read_end, write_end = os.pipe()
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_DUP2, write_end, 2),
        (os.POSIX_SPAWN_CLOSE, read_end),
    ]
    executable = shutil.which(command[0]) or command[0]
    start = time.perf_counter()
    pid = os.posix_spawn(
        executable,
        list(command),
        dict(env if env is not None else os.environ),
        file_actions=actions,
    )
    os.close(write_end)
    ready_at: float | None = None
    chunks: list[bytes] = []
    with os.fdopen(read_end, "rb") as errors:
        for line in errors:
            chunks.append(line)
            if ready_at is None and ready_marker and ready_marker.encode() in line:
                ready_at = time.perf_counter()
    _pid, status, usage = os.wait4(pid, 0)
    ended = time.perf_counter()
    code = os.waitstatus_to_exitcode(status)
    text = b"".join(chunks).decode("utf-8", "replace").strip()
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} exited {code}: {text[-2000:]}")
    if ready_marker and ready_at is None:
        raise RuntimeError(f"{' '.join(command)} never said {ready_marker!r}: {text[-2000:]}")
    return ((ready_at or ended) - start) * 1000.0, usage.ru_maxrss / 1024.0


def run_command(
    command: Sequence[str],
    runs: int,
    *,
    env: Mapping[str, str] | None = None,
    warm_up: bool = True,
    ready_marker: str | None = None,
) -> Row:
    """Time a whole command over several runs; the row carries the highest peak memory."""
    if warm_up:
        run_once(command, env, ready_marker=ready_marker)
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(max(1, runs)):
        elapsed, peak = run_once(command, env, ready_marker=ready_marker)
        times.append(elapsed)
        peaks.append(peak)
    row = summarise(times)
    row["peak_rss_mb"] = max(peaks)
    return row


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine() -> Row:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for commands: offscreen Qt, this checkout first on the path."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def format_row(name: str, row: Row, width: int) -> str:
    if "skipped" in row:
        return f"{name:<{width}}  skipped: {row['skipped']}"
    text = (
        f"{name:<{width}}  {row['median_ms']:>9.1f}  {row['min_ms']:>9.1f}  "
        f"{row['max_ms']:>9.1f}  {row['stdev_ms']:>7.1f}  {row['runs']:>4}"
    )
    if "peak_rss_mb" in row:
        text += f"  {row['peak_rss_mb']:>7.0f}"
    notes = [f"{key}={row[key]}" for key in ("pages", "rows", "size_mb") if key in row]
    if notes:
        text += "  " + " ".join(notes)
    return text


def print_table(title: str, rows: Mapping[str, Row]) -> None:
    width = max([len(name) for name in rows] + [20])
    print(f"\n{title}")
    print(
        f"{'what':<{width}}  {'median ms':>9}  {'min ms':>9}  {'max ms':>9}  "
        f"{'stdev':>7}  {'runs':>4}  {'peak MB':>7}"
    )
    for name, row in rows.items():
        print(format_row(name, row, width))


def write_results(name: str, payload: Mapping[str, Any]) -> Path:
    """Write ``bench/results/NAME.json`` (git-ignored) and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"machine": machine(), **payload}
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return path
