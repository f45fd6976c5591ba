"""Fixtures for the printed documents: the sample unit, and ways to read a PDF back.

PDFs are checked the way a person or a printer would meet them: the text that
``pdftotext -raw`` extracts, ``qpdf --check`` for structure, and pypdf for what
the file holds (pages, fonts, links, images).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pdf_reading import DEMO_DAY, pdf_text, qpdf_ok

from cuspdesk.db import Database, open_database
from cuspdesk.services.demo import create_demo_unit


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample unit, built once per session (it takes a second or two)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(path)
    try:
        create_demo_unit(database, today=DEMO_DAY)
    finally:
        database.dispose()
    return path


@pytest.fixture
def demo_db(_demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the sample unit's database, so a test may change it freely."""
    copy = tmp_path / "demo-copy.sqlite3"
    shutil.copyfile(_demo_file, copy)
    database = open_database(copy)
    yield database
    database.dispose()


@pytest.fixture
def check_pdf(tmp_path: Path) -> Callable[[bytes | Path], str]:
    """qpdf-check a PDF and return its text."""

    def check(pdf: bytes | Path) -> str:
        qpdf_ok(pdf, tmp_path)
        return pdf_text(pdf)

    return check
