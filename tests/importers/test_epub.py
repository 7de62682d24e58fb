"""EPUB 2/3: chapters in reading order under the book; broken and hostile books fail cleanly."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from importers import import_paths
from importers.errors import ImportFailure
from importers.registry import parse_source, pick
from importers.runner import read_source
from store.library import Library

from .epubs import CHAPTERS, build, epub2, epub3


def book(tmp_path: Path, data: bytes, name: str = "book.epub") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_epub3_chapters_in_reading_order(tmp_path: Path) -> None:
    source = read_source(str(book(tmp_path, epub3())))
    assert pick(source).name == "epub"
    drafts = parse_source(source)
    assert [d.title for d in drafts] == [title for _, title, _ in CHAPTERS]  # cover skipped
    first = drafts[0]
    assert first.source == "Tides and Nets" and first.section == "The Harbour at Dawn"
    assert first.author == "Ailsa MacRae" and first.language == "en"
    assert first.published == "2021-05-01"
    assert first.body_markdown.startswith("# The Harbour at Dawn\n\nThe boats went out")
    assert first.origin and first.origin.endswith("book.epub#OEBPS/text/ch1.xhtml")


def test_epub2_ncx_titles_and_headings(tmp_path: Path) -> None:
    drafts = parse_source(read_source(str(book(tmp_path, epub2()))))
    assert [d.title for d in drafts] == ["Holz wählen", "Leimen"]  # spine order: b, a
    assert drafts[0].body_markdown.startswith("# Holz wählen\n\nEiche ist hart")
    assert {d.language for d in drafts} == {"de"}


def test_reimport_keeps_ids(tmp_path: Path) -> None:
    path = book(tmp_path, epub3())
    with Library(tmp_path / "lib.db") as library:
        first = import_paths(library, [path], workers=0)
        again = import_paths(library, [path], workers=0)
        assert first.added == 3 and again.duplicates == 3
        assert [r.id for r in again.results] == [r.id for r in first.results]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: b"PK\x03\x04" + b"\x00" * 40, "damaged zip archive"),
        (
            lambda: epub3(opf='<package xmlns="http://www.idpf.org/2007/opf"><manifest>'),
            "damaged package document",
        ),
        (
            lambda: epub3(
                opf='<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
                '<item id="x" href="../../../etc/passwd" media-type="application/xhtml+xml"/>'
                '</manifest><spine><itemref idref="x"/></spine></package>'
            ),
            "leaves its folder",
        ),
    ],
)
def test_broken_books_fail_with_one_line(tmp_path: Path, make, reason: str) -> None:  # noqa: ANN001
    with pytest.raises(ImportFailure, match=reason) as caught:
        parse_source(read_source(str(book(tmp_path, make()))))
    assert "\n" not in str(caught.value)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    evil = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY leak SYSTEM "file://'
        + str(secret)
        + '">]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Leak: &leak; and more words'
        " here to pass.</p></body></html>"
    )
    data = epub3({"OEBPS/text/ch2.xhtml": evil.encode()})
    drafts = parse_source(read_source(str(book(tmp_path, data))))
    assert len(drafts) == 3
    assert all("TOP-SECRET" not in d.body_markdown for d in drafts)


def test_zip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    bomb = b"<html xmlns='http://www.w3.org/1999/xhtml'><body><p>" + b" " * 60_000_000
    data = epub3({"OEBPS/text/ch3.xhtml": bomb})
    assert len(data) < 1_000_000
    start = time.perf_counter()
    with pytest.raises(ImportFailure, match="larger than 50 MB uncompressed"):
        parse_source(read_source(str(book(tmp_path, data))))
    assert time.perf_counter() - start < 5


def test_a_chapter_split_over_two_files_is_one_article(tmp_path: Path) -> None:
    extra_item = '<item id="c2b" href="text/ch2b.xhtml" media-type="application/xhtml+xml"/>'
    data = epub3(
        {
            "OEBPS/text/ch2b.xhtml": (
                b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>The second half of '
                b"mending day, after the tea.</p></body></html>"
            )
        }
    )
    # Put the continuation file in the manifest and spine, right after chapter 2.
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name) for name in source.namelist() if name != "mimetype"}
    opf = files["OEBPS/content.opf"].decode()
    opf = opf.replace("</manifest>", extra_item + "</manifest>")
    opf = opf.replace('<itemref idref="c2"/>', '<itemref idref="c2"/><itemref idref="c2b"/>')
    files["OEBPS/content.opf"] = opf.encode()
    drafts = parse_source(read_source(str(book(tmp_path, build(files)))))
    assert [d.title for d in drafts] == [title for _, title, _ in CHAPTERS]
    assert drafts[1].body_markdown.rstrip().endswith("mending day, after the tea.")
