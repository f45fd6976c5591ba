"""User text on paper: the one way any typed text reaches a ReportLab Paragraph.

ReportLab paragraphs read a small markup language, so a description such as
``<img src="/etc/passwd">`` or ``<a href=...>`` would otherwise load a file or make
a link. ``markup`` escapes everything, so such text prints literally; it also
picks a font for each run of characters (DejaVu Sans, else the CJK fallback,
else the replacement character) and turns line breaks into breaks.
Long words wrap because every style splits words longer than a line; very long
notes become several paragraphs, so they can break across pages.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from cuspdesk.reports import fonts

REPLACEMENT = "\ufffd"
# Characters are escaped in chunks of about this size, so a huge note lays out fast
# and each piece can move to the next page on its own.
CHUNK_CHARS = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PLAIN_ASCII = re.compile(r"[\x20-\x7e\n]*")
# Scripts whose letters change shape or run right to left: Hebrew, Arabic, Syriac,
# Thaana, NKo, Samaritan, Mandaic, Arabic supplements and presentation forms.
_COMPLEX = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
SHAPING_AVAILABLE = importlib.util.find_spec("uharfbuzz") is not None


def markup(text: str | None) -> str:
    """Paragraph markup that prints ``text`` exactly as typed, whatever it contains."""
    if not text:
        return ""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if _PLAIN_ASCII.fullmatch(text):
        return _escape(text).replace("\n", "<br/>")
    return "".join(_runs(text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _runs(text: str) -> Iterator[str]:
    """Escaped text in font runs: the CJK fallback's runs are wrapped in a font tag."""
    current: str | None = fonts.SANS
    buffer: list[str] = []
    for char in text:
        if char == "\n":
            font: str | None = current
        else:
            font = fonts.font_for(char)
            if font is None:
                if unicodedata.category(char) in ("Mn", "Me", "Cf"):
                    continue  # an invisible mark or joiner no font draws: leave it out
                char, font = REPLACEMENT, fonts.SANS
        if font != current and buffer:
            yield _wrap("".join(buffer), current)
            buffer = []
        current = font
        buffer.append(char)
    if buffer:
        yield _wrap("".join(buffer), current)


def _wrap(run: str, font: str | None) -> str:
    escaped = _escape(run).replace("\n", "<br/>")
    if font == fonts.CJK_FALLBACK:
        return f'<font face="{fonts.CJK_FALLBACK}">{escaped}</font>'
    return escaped


def plain_lines(value: str, font: str, size: float, width: float) -> str | None:
    """``value`` wrapped into lines of at most ``width`` for drawing as a plain string, or
    None when it needs a Paragraph (a character ``font`` lacks, a script to shape, or a
    word longer than a line). Plain strings are never read as markup, and skip paragraph
    layout, which is what keeps a 2,000-line log quick."""
    if not value or _CONTROL.search(value) or _COMPLEX.search(value):
        return None
    covered = fonts.coverage(font)
    if not all(ord(char) in covered or char == "\n" for char in value):
        return None
    lines = simpleSplit(value, font, size, width)
    if any(stringWidth(line, font, size) > width for line in lines):
        return None
    return "\n".join(lines)


def needs_shaping(text: str) -> bool:
    """Whether the text holds right-to-left or joined scripts that need HarfBuzz shaping."""
    return SHAPING_AVAILABLE and _COMPLEX.search(text) is not None


def paragraph(text: str | None, style: ParagraphStyle, *, prefix: str = "") -> Paragraph:
    """A Paragraph of user text; ``prefix`` is trusted markup (a bold label) put before it."""
    body = markup(text)
    if text and needs_shaping(text):
        style = shaped(style)
    return Paragraph(prefix + body, style)


def shaped(style: ParagraphStyle) -> ParagraphStyle:
    """The style with HarfBuzz shaping on: Arabic letters join, Hebrew runs right to left."""
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def long_text(
    text: str | None, style: ParagraphStyle, *, empty: str = "", prefix: str = ""
) -> list[Flowable]:
    """Any amount of text as paragraphs small enough to lay out quickly and break across pages.

    A blank line starts a new paragraph; a very long paragraph is cut into pieces
    that follow each other without a gap. ``prefix`` is trusted markup put before
    the first paragraph (a number, a label).
    """
    out: list[Flowable] = []
    joined = ParagraphStyle(f"{style.name}-joined", parent=style, spaceAfter=0)
    for block in _blocks(text or ""):
        pieces = list(_pieces(block, CHUNK_CHARS))
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            out.append(paragraph(piece, style if last else joined, prefix="" if out else prefix))
    if not out and (empty or prefix):
        out.append(Paragraph(prefix + _escape(empty), style))
    return out


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[str]:
    """Split at blank lines, then at a space near ``size`` characters (or anywhere if none)."""
    for block in _blocks(text):
        yield from _pieces(block, size)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def _pieces(block: str, size: int) -> Iterator[str]:
    while len(block) > size:
        cut = block.rfind(" ", size // 2, size)
        cut = cut if cut > 0 else size
        yield block[:cut]
        block = block[cut:].lstrip()
    if block:
        yield block


def clip(text: str | None, limit: int) -> str:
    """Text for a table cell: at most ``limit`` characters, saying how much was left out."""
    if not text:
        return ""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit * 3 // 4, limit)
    cut = cut if cut > 0 else limit
    rest = len(text) - cut
    return f"{text[:cut].rstrip()} … [{rest:,} more characters in CUSPDesk]"
