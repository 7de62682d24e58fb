"""PDF files are refused with a clear reason, and the rest of the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import import_paths
from importers.base import Source
from importers.errors import ImportFailure
from importers.registry import parse_source
from store.library import Library

REASON = "a PDF, not text: Margin cannot import PDFs yet"
# An all-ASCII PDF: nothing binary about it, so only the signature can tell.
ASCII_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" * 20 + b"%%EOF\n"


@pytest.mark.parametrize("name", ["paper.pdf", "paper.txt", "https://example.org/paper"])
def test_pdf_content_is_refused_whatever_the_name(name: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_source(Source(name=name, data=ASCII_PDF))
    assert str(caught.value) == REASON


def test_pdf_in_a_folder_is_one_failure_line(tmp_path: Path, library: Library) -> None:
    (tmp_path / "paper.pdf").write_bytes(ASCII_PDF)
    (tmp_path / "note.md").write_text("# Note\n\nStill imported.\n")
    report = import_paths(library, [tmp_path])
    assert report.added == 1
    assert [(Path(n).name, r) for n, r in report.failed] == [("paper.pdf", REASON)]
