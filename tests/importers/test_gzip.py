"""Gzipped text files: unpacked (size-capped) and read as the inner format."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from importers import import_paths, runner
from importers.base import Source
from store.library import Library

PAGE = (
    "<html><head><title>Zipped page</title></head><body><article><h1>Zipped page</h1>"
    + "<p>A paragraph of article text that is long enough to extract.</p>" * 8
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("a.html.gz", ".html"), ("b.TXT.GZ", ".txt"), ("c.md.gz", ".md"), ("d.tar.gz", ".gz")],
)
def test_suffix_is_the_inner_one(name: str, suffix: str) -> None:
    assert Source(name=name, data=b"").suffix == suffix


def test_gzipped_files_import_as_their_inner_format(tmp_path: Path, library: Library) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(b"Plain note\n\n# not a heading\n"))
    (tmp_path / "doc.md.gz").write_bytes(gzip.compress(b"---\ntitle: Front\n---\n*Body*\n"))
    report = import_paths(library, [tmp_path])
    assert report.failed == []
    assert sorted(s.title for s in library.summaries()) == ["Front", "Plain note", "Zipped page"]
    origins = {library.get(r.id).origin for r in report.results}
    assert {Path(o).name for o in origins} == {"page.html.gz", "note.txt.gz", "doc.md.gz"}


def test_bad_or_oversized_gzip_is_a_one_line_failure(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MAX_GUNZIP_BYTES", 10_000)
    (tmp_path / "bomb.md.gz").write_bytes(gzip.compress(b"# Bomb\n\n" + b"a" * 20_000))
    (tmp_path / "cut.md.gz").write_bytes(gzip.compress(b"# Cut\n\n" + b"text " * 500)[:40])
    (tmp_path / "fake.md.gz").write_text("# Not gzip\n")
    (tmp_path / "fine.md.gz").write_bytes(gzip.compress(b"# Fine\n\nSmall enough.\n"))
    report = import_paths(library, [tmp_path])
    assert report.added == 1
    reasons = {Path(n).name: r for n, r in report.failed}
    assert reasons["bomb.md.gz"].startswith("larger than")
    assert reasons["cut.md.gz"] == "damaged gzip data"
    assert reasons["fake.md.gz"] == "named .gz but not gzip data"
