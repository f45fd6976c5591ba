"""Start-up as a person sees it, whole process: from launching the program until its
first screen shows the unit's data (the app says so on stderr), beside a bare PySide6
window in the same run.

Also the built one-folder app (``make dist``) when it is there, its size, the command
line's own start (``--version``), and the peak memory of each. Run from the
repository root: ``python -m bench.bench_startup [--runs N]``; writes
``bench/results/startup.json``. Qt runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, Row, bench_env, print_table, run_command, write_results
from bench.fixtures import BIG_LOG, build_in_child

BUILT_APP = ROOT / "dist" / "cuspdesk" / "cuspdesk"
# What the app prints when CUSPDESK_EXIT_WHEN_READY is set and its first screen is loaded.
READY = "ready in"


def settings_folder(work: Path, name: str, last_screen: str) -> Path:
    """A fresh settings folder whose window opens on ``last_screen``."""
    folder = work / name
    conf = folder / "CUSPDesk" / "CUSPDesk.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(f"[window]\nlast_screen={last_screen}\n", encoding="utf-8")
    return folder


def folder_size_mb(folder: Path) -> float:
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def collect(runs: int, work: Path) -> dict[str, Row]:
    demo = build_in_child("demo", work / "demo.sqlite3")
    big = build_in_child("big", work / "big.sqlite3")
    python = [sys.executable, "-m", "cuspdesk"]
    rows: dict[str, Row] = {}

    def app_env(screen: str) -> dict[str, str]:
        config = settings_folder(work, f"config-{screen}", screen)
        return bench_env(XDG_CONFIG_HOME=str(config), CUSPDESK_EXIT_WHEN_READY="1")

    rows["bare PySide6 window (reference)"] = run_command(
        [sys.executable, str(ROOT / "bench" / "bare_window.py")],
        runs,
        env=bench_env(),
        ready_marker="ready",
    )
    cases = {
        "app, sample unit, dashboard": (demo, "dashboard"),
        "app, sample unit, tracking log": (demo, "tracking_log"),
        f"app, {BIG_LOG:,} issues, dashboard": (big, "dashboard"),
        f"app, {BIG_LOG:,} issues, tracking log": (big, "tracking_log"),
    }
    for name, (database, screen) in cases.items():
        rows[name] = run_command(
            [*python, "--db", str(database)], runs, env=app_env(screen), ready_marker=READY
        )
    rows["command line: --version"] = run_command([*python, "--version"], runs, env=bench_env())
    if BUILT_APP.exists():
        built = [str(BUILT_APP), "--db", str(demo)]
        rows["built app, sample unit, dashboard"] = run_command(
            built, runs, env=app_env("dashboard"), ready_marker=READY
        )
        rows["built app: --version"] = run_command(
            [str(BUILT_APP), "--version"], runs, env=bench_env()
        )
        rows["built app: --version"]["size_mb"] = round(folder_size_mb(BUILT_APP.parent))
    else:
        rows["built app, sample unit, dashboard"] = {"skipped": "run make dist first"}
    bare = rows["bare PySide6 window (reference)"]["median_ms"]
    for row in rows.values():
        if "median_ms" in row:
            row["times_bare"] = round(row["median_ms"] / bare, 2)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="cuspdesk-bench-") as folder:
        rows = collect(args.runs, Path(folder))
    print_table("Start-up, whole process (ms)", rows)
    for name, row in rows.items():
        if "times_bare" in row:
            print(f"  {name}: {row['times_bare']}× the bare window")
    path = write_results("startup", {"rows": rows})
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
