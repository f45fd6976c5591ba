"""Time computing and drawing a 10-year monthly series (120 points) for each chart kind.

Also times the app's path: ``chart_for_measure`` on the demo database (the three
demo measures and a 120-month measure added to it) and painting the Qt chart widget
for 120 points. Run from the repository root: ``python -m bench.bench_charts
[--runs N]``. Prints tables and writes ``bench/results/charts.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import tempfile
from datetime import date
from pathlib import Path

from bench.common import timed, write_results
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


def app_timings(folder: Path, runs: int) -> dict[str, dict[str, float]]:
    """chart_for_measure on the demo database, and the widget painting 120 points."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from cuspdesk.db import open_database
    from cuspdesk.services import demo, measures
    from cuspdesk.services.measure_charts import chart_for_measure
    from cuspdesk.ui.widgets.measure_chart import MeasureChartWidget

    app = QApplication.instance() or QApplication([])
    db = open_database(folder / "demo.sqlite3")
    unit = demo.create_demo_unit(db, today=date(2026, 11, 24))
    demo_ids = [m.id for m in measures.list_measures(db, unit.id)]
    long_id = measures.create_measure(
        db,
        unit.id,
        measures.MeasureFields(
            name="Falls, ten years",
            kind="rate",
            multiplier=1000.0,
            unit_label="per 1,000 patient-days",
            chart_kind="u",
            rule_set="we",
            target=0.5,
        ),
    ).id
    for point in series("u"):
        year, month = (int(x) for x in point.period.split("-"))
        measures.set_point(
            db,
            long_id,
            date(year, month, 1),
            numerator=point.numerator,
            denominator=point.denominator,
        )
    measures.set_baseline(db, long_id, date(2015, 1, 1), date(2016, 12, 1), "First two years.")
    long_chart = chart_for_measure(db, long_id)

    widget = MeasureChartWidget()
    widget.resize(900, 420)
    image = QImage(900, 420, QImage.Format.Format_ARGB32_Premultiplied)

    def first_paint() -> None:
        widget.set_chart(long_chart)  # drops the cached layout, as after saving a month
        widget.render(image)

    def repaint() -> None:
        widget.render(image)

    out = {
        "chart_for_measure_demo_3": timed(
            lambda: [chart_for_measure(db, m) for m in demo_ids], runs
        ),
        "chart_for_measure_120": timed(lambda: chart_for_measure(db, long_id), runs),
        "widget_set_chart_and_paint_120": timed(first_paint, runs),
        "widget_repaint_120": timed(repaint, runs),
    }
    widget.deleteLater()
    app.processEvents()
    db.dispose()
    return out


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

        app = app_timings(Path(tmp), args.runs)

    steps = ["compute", "drawing", "pdf_file", "png_file"]
    print(f"{POINTS} monthly points per chart; median ms (25th-75th percentile)")
    print(f"{'kind':<5}" + "".join(f"{s:>22}" for s in steps))
    for kind, row in results.items():
        cells = [
            f"{row[s]['median_ms']:8.2f} ({row[s]['p25_ms']:.2f}-{row[s]['p75_ms']:.2f})"
            for s in steps
        ]
        print(f"{kind:<5}" + "".join(f"{c:>22}" for c in cells))

    print()
    print("app path: median ms (25th-75th percentile, min-max)")
    for name, t in app.items():
        print(
            f"{name:<34}{t['median_ms']:8.2f} ({t['p25_ms']:.2f}-{t['p75_ms']:.2f}, "
            f"{t['min_ms']:.2f}-{t['max_ms']:.2f})"
        )

    path = write_results("charts", {"points": POINTS, "results": results, "app": app})
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
