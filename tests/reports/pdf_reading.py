"""Reading a PDF back as a person or a printer meets it: its text, its structure, its parts."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

from pypdf import PdfReader

DEMO_DAY = date(2026, 11, 24)
HOSTILE = (
    "<b>bold?</b>",
    "Fish & chips < 5 > 3",
    '<img src="/etc/passwd"/>',
    '<a href="https://evil.example/">click</a>',
    "&amp; &lt;tag&gt; &#169;",
    "<para><font size=40>HUGE</font></para>",
)


def pdf_text(pdf: bytes | Path, tmp_path: Path | None = None) -> str:
    """The text of a PDF in reading order, as ``pdftotext -raw`` extracts it."""
    if isinstance(pdf, bytes):
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
    else:
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        )
    return result.stdout.decode("utf-8")


def page_texts(pdf: bytes | Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return pdf_text(pdf).split("\f")[:-1]


def qpdf_ok(pdf: bytes | Path, tmp_path: Path) -> None:
    path = pdf if isinstance(pdf, Path) else tmp_path / "checked.pdf"
    if isinstance(pdf, bytes):
        path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def reader(pdf: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))


def links_and_images(pdf: bytes | Path) -> tuple[int, int]:
    """How many link annotations and image XObjects the PDF holds."""
    links = images = 0
    for page in reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/Link":
                links += 1
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for xobj in xobjects.values():
            if xobj.get_object().get("/Subtype") == "/Image":
                images += 1
    return links, images


def flat(text: str) -> str:
    """Text with line breaks and hyphen-free wraps joined, to find a wrapped phrase."""
    return " ".join(text.split())
