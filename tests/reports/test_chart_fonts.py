"""Charts print in the project's fonts, registered in one place, and draw CJK labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from cuspdesk.reports import fonts
from cuspdesk.reports.chart_drawing import chart_drawing, write_chart_file
from cuspdesk.services.chart import ChartInput, compute_chart

RESULT = compute_chart([ChartInput(f"2026-{m:02d}", float(m % 4)) for m in range(1, 13)], "run")


def embedded_fonts(path: Path) -> set[str]:
    names: set[str] = set()
    for ref in PdfReader(str(path)).pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
        names.add(str(font["/BaseFont"]))
    return names


def test_charts_use_the_bundled_dejavu(tmp_path: Path) -> None:
    drawing = chart_drawing(RESULT, 400, 200, title="Falls — chutes ≥ 2 · Stürze")
    names = {s.fontName for s in drawing.contents if hasattr(s, "fontName")}
    assert names <= {fonts.SANS, fonts.SANS_BOLD}
    out = write_chart_file(RESULT, tmp_path / "c.pdf", title="Falls — chutes ≥ 2 · Stürze")
    assert all("DejaVuSans" in name for name in embedded_fonts(out))


def test_cjk_titles_use_the_fallback_font(tmp_path: Path) -> None:
    if fonts.cjk_fallback() is None:
        pytest.skip("no CJK font on this computer")
    title = "転倒 (Falls)"
    drawing = chart_drawing(RESULT, 400, 200, title=title)
    titled = [s for s in drawing.contents if getattr(s, "text", None) == title]
    assert [s.fontName for s in titled] == [fonts.CJK_FALLBACK]
    out = write_chart_file(RESULT, tmp_path / "c.pdf", title=title)
    assert any("DejaVuSans" not in name for name in embedded_fonts(out))
    png = write_chart_file(RESULT, tmp_path / "c.png", title=title)
    with Image.open(png) as image:
        assert image.size[0] > 100
