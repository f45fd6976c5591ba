"""Build a document's flowables into PDF bytes, and write them to a file without half-files.

A PDF is built completely in memory first; only a finished document is written,
to a temporary file beside the target that then replaces it in one step, so a
failed build or a full disk never leaves half a PDF where the old one was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from cuspdesk import APP_NAME, __version__
from cuspdesk.errors import CuspDeskError, StorageError
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
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"Cannot write {path}: {_reason(exc)}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise StorageError(f"Cannot write {path}: {_reason(exc)}.") from None


def check_writable(path: Path) -> None:
    """Say, before any work is done, why a PDF could not be saved at ``path``."""
    if path.is_dir():
        raise StorageError(f"{path} is a folder; give a file name such as {path / 'briefing.pdf'}.")
    folder = path.parent
    if not folder.exists():
        raise StorageError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise StorageError(f"Cannot write {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"Cannot write {path}: the folder {folder} is read-only.")
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(f"Cannot write {path}: the file is read-only.")


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
