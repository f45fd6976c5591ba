"""Drawing charts: what is on the Drawing, and that the PDF and PNG files are sound."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, String

from cuspdesk.errors import ValidationError
from cuspdesk.reports.chart_drawing import (
    FONT,
    SIGNAL_COLOUR,
    TARGET_DASH,
    chart_drawing,
    write_chart_file,
)
from cuspdesk.services.chart import Baseline, ChartInput, ChartResult, compute_chart

ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def months(n: int) -> list[str]:
    return [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def shapes(group: Group) -> Iterator[object]:
    for s in group.contents:
        if isinstance(s, Group):
            yield from shapes(s)
        else:
            yield s


def diamonds(d: Drawing) -> list[Polygon]:
    return [s for s in shapes(d) if isinstance(s, Polygon) and len(s.points) == 8]


def strings(d: Drawing) -> list[String]:
    return [s for s in shapes(d) if isinstance(s, String)]


@pytest.fixture
def juice() -> ChartResult:
    """Montgomery's orange-juice p-chart, with varying sample sizes to step the limits;
    sample 15 excluded."""
    pts = [
        ChartInput(p, None, d, 50 + (i % 3) * 10, excluded=i == 14)
        for i, (p, d) in enumerate(zip(months(30), ORANGE_JUICE, strict=True))
    ]
    return compute_chart(pts, "p")


def test_special_cause_points_are_diamonds_and_others_circles(juice: ChartResult) -> None:
    d = chart_drawing(juice, 500, 250, compact=True)
    assert (d.width, d.height) == (500, 250)
    flagged = [i for i, p in enumerate(juice.points) if p.signals]
    assert flagged  # the fixture must have signals for this test to mean anything
    assert len(diamonds(d)) == len(flagged)
    plain = [s for s in shapes(d) if isinstance(s, Circle)]
    assert len(plain) == sum(1 for p in juice.points if not p.signals)


def test_excluded_points_are_hollow(juice: ChartResult) -> None:
    d = chart_drawing(juice, 500, 250, compact=True)
    hollow_diamonds = [p for p in diamonds(d) if p.fillColor != SIGNAL_COLOUR]
    hollow_circles = [
        s
        for s in shapes(d)
        if isinstance(s, Circle) and s.fillColor is not None and s.fillColor.hexval() == "0xffffff"
    ]
    excluded = juice.points[14]
    assert excluded.excluded
    assert len(hollow_diamonds) + len(hollow_circles) == 1


def test_limits_are_stepped_when_the_denominator_varies(juice: ChartResult) -> None:
    d = chart_drawing(juice, 500, 250)
    dashed = [s for s in shapes(d) if isinstance(s, PolyLine) and s.strokeDashArray]
    assert len(dashed) == 2  # lower and upper
    upper_ys = {round(y, 3) for y in dashed[1].points[1::2]}
    assert len(upper_ys) == 3  # three sample sizes, three heights


def test_full_size_has_legend_title_and_side_labels(juice: ChartResult) -> None:
    d = chart_drawing(juice, 600, 300, title="Cans out of spec", target=0.15)
    texts = [s.text for s in strings(d)]
    assert "Cans out of spec" in texts
    assert "Special cause" in texts and "Control limits" in texts and "Target" in texts
    assert any(t.startswith("UCL ") for t in texts) and any(t.startswith("Mean ") for t in texts)
    target_lines = [
        s for s in shapes(d) if isinstance(s, Line) and s.strokeDashArray == TARGET_DASH
    ]
    assert len(target_lines) == 2  # the line and its legend swatch
    assert all(s.fontName.startswith(FONT) for s in strings(d))


def test_compact_has_no_legend_and_few_labels(juice: ChartResult) -> None:
    d = chart_drawing(juice, 260, 110, compact=True, title="Cans")
    texts = [s.text for s in strings(d)]
    assert "Special cause" not in texts
    assert [t for t in texts if re.fullmatch(r"\d{4}-\d{2}", t)] == ["2015-01", "2017-06"]


def test_period_labels_are_thinned_to_fit() -> None:
    r = compute_chart([ChartInput(p, float(i % 7)) for i, p in enumerate(months(120))], "run")
    d = chart_drawing(r, 500, 250)
    labels = [s for s in strings(d) if re.fullmatch(r"\d{4}-\d{2}", s.text)]
    assert 4 <= len(labels) < 120
    xs = sorted(s.x for s in labels)
    assert min(b - a for a, b in itertools.pairwise(xs)) > 30  # "2015-01" is ~27 pt
    # whole years on monthly data: every label is a January
    assert {s.text[5:] for s in labels} <= {"01", "12"}


def test_annotations_are_labelled_marks() -> None:
    """A note on a month sits on that month; a dated note (14 Feb) on its month's point;
    a note after the last period is left off."""
    r = compute_chart([ChartInput(p, float(i % 5)) for i, p in enumerate(months(24))], "run")
    d = chart_drawing(
        r,
        500,
        250,
        compact=True,
        annotations=[("2015-06", "PDSA 1"), ("2016-02-14", "New pump"), ("2030-01", "future")],
    )
    texts = {s.text for s in strings(d)}
    assert {"PDSA 1", "New pump"} <= texts and "future" not in texts
    dotted = [s for s in shapes(d) if isinstance(s, Line) and s.strokeDashArray == [1, 2]]
    marker_x = sorted(
        [s.cx for s in shapes(d) if isinstance(s, Circle)] + [p.points[0] for p in diamonds(d)]
    )
    assert len(marker_x) == 24
    assert [line.x1 for line in dotted] == [marker_x[5], marker_x[13]]


def test_baseline_is_shaded_and_labelled() -> None:
    r = compute_chart(
        [ChartInput(p, float(i % 4)) for i, p in enumerate(months(20))],
        "i",
        baseline=Baseline(0, 9, "before CUSP"),
    )
    d = chart_drawing(r, 500, 250)
    assert "Baseline" in [s.text for s in strings(d)]


def test_no_data_says_so() -> None:
    r = compute_chart([ChartInput("2024-01", 1.0), ChartInput("2024-02", None)], "run")
    d = chart_drawing(r, 300, 150)
    assert diamonds(d) == []
    r2 = ChartResult("run", "ihi", (), (), ())
    assert "No data" in [s.text for s in strings(chart_drawing(r2, 300, 150))]


def test_pdf_file_is_one_valid_page_with_embedded_fonts(juice: ChartResult, tmp_path: Path) -> None:
    out = write_chart_file(juice, tmp_path / "chart.pdf", title="Orange juice")
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (720.0, 360.0)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program embedded
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    check = subprocess.run(
        ["qpdf", "--check", str(out)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_png_file_has_the_right_size_and_marks(juice: ChartResult, tmp_path: Path) -> None:
    out = write_chart_file(juice, tmp_path / "chart.PNG", size=(400, 200))
    img = Image.open(out).convert("RGB")
    assert img.size == (round(400 * 150 / 72), round(200 * 150 / 72))
    colours = {c for _, c in img.getcolors(maxcolors=1_000_000) or []}
    red = SIGNAL_COLOUR
    target = (round(red.red * 255), round(red.green * 255), round(red.blue * 255))
    assert target in colours  # special-cause diamonds painted
    assert (255, 255, 255) in colours
    dark = sum(1 for r, g, b in img.get_flattened_data() if r + g + b < 150)
    assert dark > 1000  # lines and text painted


def test_unsupported_file_type(juice: ChartResult, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not '.svg'"):
        write_chart_file(juice, tmp_path / "c.svg")
    with pytest.raises(ValidationError, match="could not be written"):
        write_chart_file(juice, tmp_path / "missing-folder" / "c.png")
