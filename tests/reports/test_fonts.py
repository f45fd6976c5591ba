"""The bundled fonts are embedded and names in many scripts print and extract correctly."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pdf_reading import pdf_text, qpdf_ok

from cuspdesk.reports import fonts, text
from cuspdesk.reports.document import render_pdf
from cuspdesk.reports.styles import BODY, PageInfo

INFO = PageInfo("Font test", "Ward 1", "", datetime(2026, 11, 24, 9, 0))


def _fonts_listed(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_bundled_fonts_are_embedded(tmp_path: Path) -> None:
    pdf = render_pdf([text.paragraph("Plain, <b>bold</b> and text", BODY)], INFO)
    listing = _fonts_listed(pdf, tmp_path)
    lines = [line for line in listing.splitlines() if "DejaVuSans" in line]
    assert lines, listing
    # pdffonts' "emb" column: every CUSPDesk font is embedded (as a subset).
    assert all(" yes " in line for line in lines), listing
    assert "Helvetica" not in listing and "Times" not in listing


@pytest.mark.parametrize(
    "name", ["Ελένη Παπαδοπούλου", "Дмитрий Иванов", "Zoë Lefèvre", "Tomás Álvarez", "Łukasz Żółć"]
)
def test_latin_greek_and_cyrillic_names_extract_exactly(name: str, tmp_path: Path) -> None:
    pdf = render_pdf([text.paragraph(f"Owner: {name}.", BODY)], INFO)
    qpdf_ok(pdf, tmp_path)
    assert f"Owner: {name}." in pdf_text(pdf)


@pytest.mark.skipif(not text.SHAPING_AVAILABLE, reason="uharfbuzz is not installed")
def test_arabic_and_hebrew_are_shaped_and_extract(tmp_path: Path) -> None:
    para = text.paragraph("Owner: محمد · שלום", BODY)
    assert para.style.shaping
    pdf = render_pdf([para], INFO)
    qpdf_ok(pdf, tmp_path)
    # Shaped Arabic comes back as presentation forms, which NFKC maps to the letters.
    extracted = unicodedata.normalize("NFKC", pdf_text(pdf))
    assert "محمد" in extracted
    assert "שלום" in extracted


def test_latin_text_is_not_shaped() -> None:
    assert not text.paragraph("Plain words", BODY).style.shaping


@pytest.fixture
def fresh_font_lookup(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Forget the CJK font found so far, so a test can choose another."""
    fonts.cjk_fallback.cache_clear()
    fonts.fallback_coverage.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    fonts.cjk_fallback.cache_clear()
    fonts.fallback_coverage.cache_clear()


def test_cjk_uses_a_system_font_when_there_is_one(tmp_path: Path) -> None:
    fallback = fonts.cjk_fallback()
    if fallback is None:
        pytest.skip("no CJK TrueType font on this computer (Debian: fonts-wqy-microhei)")
    markup = text.markup("Owner: 王芳")
    assert f'<font face="{fonts.CJK_FALLBACK}">王芳</font>' in markup
    pdf = render_pdf([text.paragraph("Owner: 王芳 (Wang Fang)", BODY)], INFO)
    qpdf_ok(pdf, tmp_path)
    assert "Owner: 王芳 (Wang Fang)" in pdf_text(pdf)


def test_without_a_cjk_font_cjk_prints_as_replacement_characters(
    fresh_font_lookup: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_font = tmp_path / "not-a-font.ttf"
    not_a_font.write_bytes(b"this is not a font")
    fresh_font_lookup.setenv("CUSPDESK_CJK_FONT", str(not_a_font))
    assert fonts.cjk_fallback() is None
    assert text.markup("王芳") == text.REPLACEMENT * 2
    pdf = render_pdf([text.paragraph("Owner: 王芳", BODY)], INFO)
    qpdf_ok(pdf, tmp_path)
    assert f"Owner: {text.REPLACEMENT * 2}" in pdf_text(pdf)


def test_a_chosen_cjk_font_file_is_used(fresh_font_lookup: pytest.MonkeyPatch) -> None:
    found = fonts.cjk_fallback()
    if found is None:
        pytest.skip("no CJK TrueType font on this computer")
    fonts.cjk_fallback.cache_clear()
    fresh_font_lookup.setenv("CUSPDESK_CJK_FONT", str(found.path))
    chosen = fonts.cjk_fallback()
    assert chosen is not None and chosen.path == found.path
