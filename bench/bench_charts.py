"""Time computing and drawing a 10-year monthly series (120 points) for each chart kind.

Run from the repository root: ``python -m bench.bench_charts [--runs N]``. Prints a
table and writes ``bench/results/charts.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cuspdesk.reports.chart_drawing import chart_drawing, write_chart_file
from cuspdesk.services.chart import CHART_KINDS, ChartInput, compute_chart

ROOT = Path(__file__).resolve().parents[1]

POINTS = 120


def series(kind: str, seed: int = 2024) -> list[ChartInput]:
    """A realistic 10-year monthly series with an improvement after year 6."""
    rnd = random.Random(seed)
    periods = [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(POINTS)]
    out: list[ChartInput] = []
    for i, period in enumerate(periods):
        late = i >= 72
        if kind in ("p", "u", "run"):
            den = float(rnd.randint(800, 1400))
            rate = 0.004 if late else 0.006
            num = float(sum(1 for _ in range(int(den)) if rnd.random() < rate))
            out.append(ChartInput(period, None, num, den))
        elif kind == "c":
            out.append(ChartInput(period, float(_poisson(rnd, 3.0 if late else 5.0))))
        elif kind == "i":
            out.append(ChartInput(period, rnd.gauss(45 if late else 55, 6)))
        elif kind == "g":
            out.append(ChartInput(period, float(int(rnd.expovariate(1 / (60 if late else 30))))))
        else:
            out.append(ChartInput(period, rnd.expovariate(1 / (40 if late else 20))))
    return out


def _poisson(rnd: random.Random, lam: float) -> int:
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm up: imports, font registration, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    q = statistics.quantiles(times, n=4) if len(times) >= 2 else [times[0]] * 3
    return {
        "median_ms": statistics.median(times),
        "p25_ms": q[0],
        "p75_ms": q[2],
        "min_ms": times[0],
        "max_ms": times[-1],
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per step")
    parser.add_argument("--png-runs", type=int, default=5, help="timed runs for PNG files")
    args = parser.parse_args()

    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in CHART_KINDS:
            data = series(kind)
            mult = 1000.0 if kind in ("u", "run") else 1.0
            result = compute_chart(data, kind, multiplier=mult)

            results[kind] = {
                "compute": timed(
                    lambda d=data, k=kind, m=mult: compute_chart(d, k, multiplier=m), args.runs
                ),
                "drawing": timed(lambda r=result: chart_drawing(r, 720, 360), args.runs),
                "pdf_file": timed(
                    lambda r=result: write_chart_file(r, Path(tmp) / "c.pdf"), args.runs
                ),
                "png_file": timed(
                    lambda r=result: write_chart_file(r, Path(tmp) / "c.png"), args.png_runs
                ),
            }

    steps = ["compute", "drawing", "pdf_file", "png_file"]
    print(f"{POINTS} monthly points per chart; median ms (25th-75th percentile)")
    print(f"{'kind':<5}" + "".join(f"{s:>22}" for s in steps))
    for kind, row in results.items():
        cells = [
            f"{row[s]['median_ms']:8.2f} ({row[s]['p25_ms']:.2f}-{row[s]['p75_ms']:.2f})"
            for s in steps
        ]
        print(f"{kind:<5}" + "".join(f"{c:>22}" for c in cells))

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "points": POINTS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }
    (out_dir / "charts.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"written {out_dir / 'charts.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
