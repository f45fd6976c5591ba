"""Any user text reaches paper exactly as typed: no markup, no files read, no links, no crash."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pdf_reading import HOSTILE, flat, links_and_images, page_texts, pdf_text, qpdf_ok
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from cuspdesk.reports import text
from cuspdesk.reports.document import render_pdf
from cuspdesk.reports.styles import BODY, CELL, PageInfo, data_table, header_cells

INFO = PageInfo("Test document", "Ward 1", "Confidential test footer", datetime(2026, 11, 24, 9, 0))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markup_escapes_reportlab_markup(hostile: str) -> None:
    escaped = text.markup(hostile)
    assert "<" not in escaped.replace("<br/>", "")
    assert "&lt;" in escaped or "&amp;" in escaped


def test_hostile_text_prints_literally_and_makes_no_link_or_image(tmp_path: Path) -> None:
    story = [text.paragraph(h, BODY) for h in HOSTILE]
    story.append(
        data_table(
            [header_cells(["Cell"]), *[[text.paragraph(h, CELL)] for h in HOSTILE]], [120 * mm]
        )
    )
    pdf = render_pdf(story, INFO)
    qpdf_ok(pdf, tmp_path)
    extracted = pdf_text(pdf)
    for hostile in HOSTILE:
        assert extracted.count(hostile) == 2, hostile
    assert links_and_images(pdf) == (0, 0)


def test_line_breaks_and_control_characters() -> None:
    assert text.markup("a\r\nb\rc\nd") == "a<br/>b<br/>c<br/>d"
    assert text.markup("bell\x07 tab\tend") == "bell  tab end"
    assert text.markup(None) == "" and text.markup("") == ""


def test_a_character_no_font_draws_becomes_the_replacement_character() -> None:
    private_use = "\U000f0000"
    assert text.markup(f"a{private_use}b") == f"a{text.REPLACEMENT}b"
    # Invisible joiners and marks no font draws are simply left out.
    assert text.markup("x\U000e0001y") == "xy"


def test_a_500_character_word_wraps_inside_the_page_and_a_table_cell(tmp_path: Path) -> None:
    word = "".join(chr(ord("a") + i % 26) for i in range(500))
    para = text.paragraph(word, BODY)
    width, height = para.wrap(170 * mm, 1000 * mm)
    assert width <= 170 * mm
    assert height > BODY.leading * 3  # it wrapped onto several lines
    cell_para = text.paragraph(word, CELL)
    _, cell_height = cell_para.wrap(40 * mm, 1000 * mm)
    assert cell_height > CELL.leading * 10
    pdf = render_pdf([para, data_table([header_cells(["Word"]), [cell_para]], [40 * mm])], INFO)
    qpdf_ok(pdf, tmp_path)
    assert "".join(pdf_text(pdf).split()).count(word) == 2


def test_a_100000_character_note_splits_across_pages(tmp_path: Path) -> None:
    words = [f"w{i:05d}" for i in range(15_000)]
    note = "START " + " ".join(words) + " END"
    assert len(note) > 100_000
    flowables = text.long_text(note, BODY)
    assert len(flowables) > 15
    assert all(isinstance(f, Paragraph) for f in flowables)
    pdf = render_pdf(flowables, INFO)
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) > 10
    joined = flat(" ".join(pages))
    assert joined.index("START") < joined.index("w07500") < joined.index("END")
    assert "w14999" in joined


def test_a_100000_character_word_does_not_break_the_layout(tmp_path: Path) -> None:
    word = "x" * 100_000
    pieces = list(text.chunks(word))
    assert all(len(p) <= text.CHUNK_CHARS for p in pieces)
    assert "".join(pieces) == word
    pdf = render_pdf(text.long_text(word, BODY), INFO)
    qpdf_ok(pdf, tmp_path)
    assert "".join(pdf_text(pdf).split()).count("x") >= 100_000


def test_chunks_split_at_blank_lines_then_near_the_size() -> None:
    assert list(text.chunks("one\n\n\ntwo\n \nthree")) == ["one", "two", "three"]
    pieces = list(text.chunks("ab " * 1000, size=100))
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == ["ab"] * 1000
    assert list(text.chunks("   ")) == []


def test_clip_says_how_much_was_left_out() -> None:
    assert text.clip("short", 10) == "short"
    clipped = text.clip("word " * 100, 50)
    assert clipped.startswith("word word")
    assert clipped.endswith("more characters in CUSPDesk]")
    assert len(clipped) < 100
    assert text.clip(None, 5) == ""


def test_long_text_with_nothing_prints_the_empty_message() -> None:
    [para] = text.long_text("  ", BODY, empty="Not written <yet>")
    assert isinstance(para, Paragraph)
    assert para.getPlainText() == "Not written <yet>"
    assert text.long_text("", BODY) == []


def test_plain_lines_wrap_simple_text_and_refuse_what_needs_a_paragraph() -> None:
    from cuspdesk.reports import fonts
    from cuspdesk.reports.styles import cell

    font, size, width = fonts.CONDENSED, 8, 40 * mm
    wrapped = text.plain_lines("Fish & chips <b> " * 6, font, size, width)
    assert wrapped is not None and wrapped.count("\n") >= 2
    assert " ".join(wrapped.split()) == " ".join(("Fish & chips <b> " * 6).split())
    assert text.plain_lines("x" * 200, font, size, width) is None  # a word wider than a line
    assert text.plain_lines("Owner 王芳", font, size, width) is None  # the CJK font is needed
    assert text.plain_lines("محمد", font, size, width) is None  # Arabic is shaped
    assert text.plain_lines("", font, size, width) is None
    assert cell("Ana Silva", width=40 * mm) == "Ana Silva"
    assert isinstance(cell("Ana Silva"), Paragraph)
    assert isinstance(cell("y" * 300, width=40 * mm), Paragraph)


def test_a_very_long_unit_name_is_shortened_in_the_page_header(tmp_path: Path) -> None:
    name = "Ward " + "W" * 190
    info = PageInfo("Test document", name, "", datetime(2026, 11, 24, 9, 0), hospital="H" * 200)
    pdf = render_pdf([text.paragraph(name, BODY)], info)
    qpdf_ok(pdf, tmp_path)
    header = pdf_text(pdf).splitlines()
    shortened = [line for line in header if line.endswith("W…")]
    assert len(shortened) == 1 and len(shortened[0]) < 100
    assert name.replace(" ", "") in "".join(pdf_text(pdf).split())  # the body prints it all
