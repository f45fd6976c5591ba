"""``make bench``: every benchmark, each in its own process, then one table against the
targets in the design brief, written to ``bench/results/bench.json``.

Each part also writes its own ``bench/results/<part>.json`` with every figure (median,
spread, runs, peak memory). ``--runs N`` is passed to every part; ``--only`` picks parts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.common import RESULTS, ROOT, bench_env, write_results

PARTS = ("startup", "gui", "reports", "spreadsheets", "charts", "screens")


@dataclass(frozen=True)
class Target:
    """A figure from the results, the limit it must stay under, and what it is against."""

    name: str
    part: str
    measure: Callable[[dict[str, Any]], float | None]
    limit: Callable[[dict[str, Any]], float | None]
    unit: str


def _median(part_rows: dict[str, Any], name: str) -> float | None:
    row = part_rows.get(name, {})
    value = row.get("median_ms")
    return float(value) if value is not None else None


def _rows(results: dict[str, Any]) -> dict[str, Any]:
    rows = results.get("rows", {})
    return rows if isinstance(rows, dict) else {}


def _startup_ratio(name: str) -> Callable[[dict[str, Any]], float | None]:
    def measure(results: dict[str, Any]) -> float | None:
        rows = _rows(results)
        bare = _median(rows, "bare PySide6 window (reference)")
        app = _median(rows, name)
        return app / bare if app is not None and bare else None

    return measure


def _slowest_screen_interaction(results: dict[str, Any]) -> float | None:
    times = [
        row["median_ms"]
        for name, row in _rows(results).items()
        if name.endswith(": screen") and "median_ms" in row
    ]
    return max(times) if times else None


def _briefing_command(results: dict[str, Any]) -> float | None:
    return _median(_rows(results), "briefing: whole command (cuspdesk briefing)")


def _libreoffice_third(results: dict[str, Any]) -> float | None:
    for name, row in _rows(results).items():
        if name.startswith("LibreOffice") and "median_ms" in row:
            return float(row["median_ms"]) / 3
    return None


def _peak_at_big_log(results: dict[str, Any]) -> float | None:
    peaks = [
        row["peak_rss_mb"]
        for name, row in _rows(results).items()
        if "100,000 issues" in name and "peak_rss_mb" in row
    ]
    return max(peaks) if peaks else None


TARGETS = (
    Target(
        "start, sample unit (× bare window)",
        "startup",
        _startup_ratio("app, sample unit, dashboard"),
        lambda _r: 2.5,
        "×",
    ),
    Target(
        "start, 100,000 issues (× bare window)",
        "startup",
        _startup_ratio("app, 100,000 issues, tracking log"),
        lambda _r: 2.5,
        "×",
    ),
    Target(
        "slowest tracking-log interaction at 100,000",
        "gui",
        _slowest_screen_interaction,
        lambda _r: 50.0,
        "ms",
    ),
    Target(
        "briefing command (under ⅓ of LibreOffice)",
        "reports",
        _briefing_command,
        _libreoffice_third,
        "ms",
    ),
    Target("peak memory at 100,000 issues", "startup", _peak_at_big_log, lambda _r: 200.0, "MB"),
)


def run_part(part: str, runs: int) -> dict[str, Any] | None:
    module = f"bench.bench_{part}"
    if not (ROOT / "bench" / f"bench_{part}.py").exists():
        return None
    print(f"\n=== {part} ===", flush=True)
    subprocess.run(
        [sys.executable, "-m", module, "--runs", str(runs)], check=True, cwd=ROOT, env=bench_env()
    )
    data: dict[str, Any] = json.loads((RESULTS / f"{part}.json").read_text(encoding="utf-8"))
    return data


def judge(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    verdicts = []
    for target in TARGETS:
        part = results.get(target.part)
        value = target.measure(part) if part else None
        limit = target.limit(part) if part else None
        if value is None or limit is None:
            verdict = "not measured"
        else:
            verdict = "met" if value <= limit else "missed"
        verdicts.append(
            {
                "target": target.name,
                "value": value,
                "limit": limit,
                "unit": target.unit,
                "verdict": verdict,
            }
        )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="*", choices=PARTS, default=list(PARTS))
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    for part in args.only:
        data = run_part(part, args.runs)
        if data is not None:
            results[part] = data
    verdicts = judge(results)
    print("\n=== targets ===")
    for v in verdicts:
        shown = "—" if v["value"] is None else f"{v['value']:.2f} {v['unit']}"
        limit = "—" if v["limit"] is None else f"{v['limit']:.2f} {v['unit']}"
        print(f"{v['target']:<46} {shown:>14}  limit {limit:>12}  {v['verdict']}")
    path = write_results("bench", {"runs": args.runs, "targets": verdicts, "parts": results})
    print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
