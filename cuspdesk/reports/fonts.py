"""The fonts printed documents use: bundled DejaVu Sans, plus a CJK font found on the system.

DejaVu Sans (bundled under ``resources/fonts``) covers Latin with accents, Greek,
Cyrillic, Arabic, Hebrew and many symbols, and is embedded in every PDF. It has
no Chinese, Japanese or Korean characters; those fonts are many megabytes, so
CUSPDesk does not ship one and instead looks for one the computer already has
(Windows and macOS have them; on Linux, any TrueType CJK font fontconfig knows,
such as Debian's fonts-wqy-microhei or fonts-droid-fallback). ``CUSPDESK_CJK_FONT``
may name a font file to use instead. Characters no font covers are printed as
the replacement character, never as an empty box.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cuspdesk.resources import resource_path

SANS = "CuspSans"
SANS_BOLD = "CuspSans-Bold"
SANS_OBLIQUE = "CuspSans-Oblique"
SANS_BOLD_OBLIQUE = "CuspSans-BoldOblique"
CONDENSED = "CuspSansCondensed"
CONDENSED_BOLD = "CuspSansCondensed-Bold"
CJK_FALLBACK = "CuspCJK"

_BUNDLED = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_OBLIQUE: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
    CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
}

# Well-known places of TrueType-outline CJK fonts (ReportLab cannot embed CFF/OTF outlines).
_CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
    "C:/Windows/Fonts/malgun.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
)
# Characters used to decide whether a candidate really is a CJK font: 王 (Chinese),
# ひ (Japanese kana), 한 (Korean).
_CJK_PROBES = (0x738B, 0x3072, 0xD55C)


@dataclass(frozen=True)
class FallbackFont:
    """A system font used for characters DejaVu lacks, and where it was found."""

    name: str
    path: Path


_loaded: dict[str, TTFont] = {}


@functools.cache
def register_fonts() -> None:
    """Register the bundled family once per process so every document can use it."""
    for name, filename in _BUNDLED.items():
        font = TTFont(name, str(resource_path("fonts", filename)))
        pdfmetrics.registerFont(font)
        _loaded[name] = font
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_OBLIQUE, boldItalic=SANS_BOLD_OBLIQUE
    )
    pdfmetrics.registerFontFamily(
        CONDENSED,
        normal=CONDENSED,
        bold=CONDENSED_BOLD,
        italic=CONDENSED,
        boldItalic=CONDENSED_BOLD,
    )


@functools.cache
def main_coverage() -> frozenset[int]:
    """Code points the bundled DejaVu Sans draws."""
    register_fonts()
    return frozenset(_loaded[SANS].face.charToGlyph)


@functools.cache
def coverage(name: str) -> frozenset[int]:
    """Code points one of the bundled fonts draws."""
    register_fonts()
    return frozenset(_loaded[name].face.charToGlyph)


@functools.cache
def cjk_fallback() -> FallbackFont | None:
    """The CJK font to use for characters DejaVu lacks, or None when the computer has none."""
    for path in _cjk_candidates():
        font = _try_load(path)
        if font is not None:
            pdfmetrics.registerFont(font)
            _loaded[CJK_FALLBACK] = font
            return FallbackFont(CJK_FALLBACK, path)
    return None


@functools.cache
def fallback_coverage() -> frozenset[int]:
    fallback = cjk_fallback()
    if fallback is None:
        return frozenset()
    return frozenset(_loaded[fallback.name].face.charToGlyph)


def font_for(char: str) -> str | None:
    """Which registered font draws ``char``: SANS, the CJK fallback, or None (nothing does)."""
    code = ord(char)
    if code in main_coverage():
        return SANS
    if code in fallback_coverage():
        return CJK_FALLBACK
    return None


def _cjk_candidates() -> list[Path]:
    chosen = os.environ.get("CUSPDESK_CJK_FONT", "").strip()
    if chosen:
        # An explicit choice is the only one tried, so a wrong path is noticed.
        return [Path(chosen)]
    found = [Path(p) for p in _CJK_CANDIDATES]
    found.extend(_fontconfig_cjk_files())
    return [p for p in dict.fromkeys(found) if p.is_file()]


def _fontconfig_cjk_files() -> list[Path]:
    """CJK font files fontconfig knows about (Linux and other Unix desktops)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None or sys.platform == "win32":
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "file"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = [Path(line.split(":", 1)[0].strip()) for line in out.splitlines() if line.strip()]
    return sorted(f for f in files if f.suffix.lower() in (".ttf", ".ttc"))


def _try_load(path: Path) -> TTFont | None:
    """Load a font file if ReportLab can embed it and it really draws CJK characters."""
    try:
        font = TTFont(CJK_FALLBACK, str(path), subfontIndex=0)
    except Exception:  # PostScript outlines, damaged or unreadable files: try the next one
        return None
    cmap = font.face.charToGlyph
    return font if all(code in cmap for code in _CJK_PROBES[:1]) else None
