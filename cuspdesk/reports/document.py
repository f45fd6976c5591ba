"""Build a document's flowables into PDF bytes, and write them to a file without half-files.

A PDF is built completely in memory first; only a finished document is written,
to a temporary file beside the target that then replaces it in one step, so a
failed build or a full disk never leaves half a PDF where the old one was.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from cuspdesk import APP_NAME, __version__
from cuspdesk.errors import CuspDeskError
from cuspdesk.output_files import check_writable as check_target
from cuspdesk.output_files import write_bytes_atomically
from cuspdesk.reports import fonts
from cuspdesk.reports.styles import (
    FOOTER_SPACE,
    HEADER_SPACE,
    MARGIN,
    PORTRAIT,
    PageInfo,
    frame_canvas,
)


def render_pdf(
    story: Sequence[Flowable], info: PageInfo, *, pagesize: tuple[float, float] = PORTRAIT
) -> bytes:
    """The finished PDF for ``story`` with the shared header and footer on every page."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_SPACE,
        bottomMargin=FOOTER_SPACE,
        title=f"{info.title} — {info.unit_name}",
        author=APP_NAME,
        subject=info.title,
        creator=f"{APP_NAME} {__version__}",
        invariant=1,
        initialFontName=fonts.SANS,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    try:
        doc.build(list(story), canvasmaker=frame_canvas(info, pagesize))
    except LayoutError as exc:  # a safety net: every flowable is meant to fit or split
        raise CuspDeskError(
            f"The {info.title.lower()} could not be laid out ({exc}); please report this."
        ) from exc
    return buffer.getvalue()


def write_pdf(target: str | os.PathLike[str] | BinaryIO, pdf: bytes) -> None:
    """Write finished PDF bytes to a path (atomically) or to an open binary buffer."""
    if not isinstance(target, (str, os.PathLike)):
        target.write(pdf)
        return
    path = Path(target)
    check_writable(path)
    write_bytes_atomically(path, pdf)


def check_writable(path: Path) -> None:
    """Say, before any work is done, why a PDF could not be saved at ``path``."""
    check_target(path, example="briefing.pdf")
