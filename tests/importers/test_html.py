"""HtmlImporter: detection, decoding, main-text extraction and metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.base import ImportFailure, Source
from importers.html import HtmlImporter, decode_html, html_to_markdown
from importers.reextract import reextract

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "html"


def _source(name: str) -> Source:
    path = SAMPLES / name
    return Source(name=str(path), data=path.read_bytes())


def _parse(name: str):
    drafts = HtmlImporter().parse(_source(name))
    assert len(drafts) == 1
    return drafts[0]


def test_detects_html_and_not_plain_text() -> None:
    importer = HtmlImporter()
    assert importer.detect(_source("opengraph_jsonld.html")) >= 0.9
    assert importer.detect(_source("no_metadata.html")) >= 0.9
    assert importer.detect(_source("logbooks.mhtml")) >= 0.9
    markdown = Source(name="notes.md", data=b"# Title\n\nSome *text* with a <b>tag</b>.\n")
    plain = Source(name="notes.txt", data=b"Just words.\nMore words.\n")
    assert importer.detect(markdown) < 0.5
    assert importer.detect(plain) < 0.3
    assert importer.detect(Source(name="x.bin", data=b"\x00\x01\x02\x03" * 100)) == 0.0


def test_opengraph_and_json_ld_page() -> None:
    draft = _parse("opengraph_jsonld.html")
    assert draft.title == "Tidal Clocks of the North Sea"
    assert draft.author == "Maren Holt"
    assert draft.source == "The Harbour Gazette"
    assert draft.url == "https://gazette.example.org/2023/04/tidal-clocks"
    assert draft.published is not None and draft.published.startswith("2023-04-18")
    assert draft.language == "en-GB"
    assert draft.description == "How harbour masters kept time by the water."
    assert draft.original == _source("opengraph_jsonld.html").data
    assert draft.original_type == "text/html"


def test_markdown_keeps_structure_and_drops_scripts() -> None:
    md = _parse("opengraph_jsonld.html").body_markdown
    assert md.startswith("For three centuries")  # the title and byline are not repeated
    assert "## A clock with two hands and no numbers" in md
    assert "*two hands*" in md and "**no numbers at all**" in md
    assert "- The short hand turns once every lunar day." in md
    assert "> You could set your life by it" in md
    assert "```\n1787-03-02  high water 04:12  corrected +6 min\n```" in md
    assert "| Harlingen | 2.1 m |" in md
    assert "[tide tables](https://example.org/tides)" in md
    for junk in (
        "trackPageView",
        "font-family",
        "data-analytics",
        "onclick",
        "Privacy",
        "All rights reserved",
        "Home",
    ):
        assert junk not in md


def test_page_without_metadata() -> None:
    draft = _parse("no_metadata.html")
    assert draft.title == "Notes on Mending a Dry-Stone Wall"
    assert draft.author is None and draft.published is None and draft.source is None
    assert "through-stones" in draft.body_markdown
    assert "Archive" not in draft.body_markdown


def test_several_authors_are_joined() -> None:
    draft = _parse("several_authors.html")
    assert draft.author == "Ada Brennan, Tomás Ruiz, Li Wei"
    assert draft.published == "2022-06-30"
    assert draft.source == "Field Notes"
    assert "By Ada Brennan" not in draft.body_markdown


def test_non_english_page() -> None:
    draft = _parse("german.html")
    assert draft.title == "Die Rückkehr der Wölfe in die Lausitz"
    assert draft.author == "Jürgen Weiß"
    assert draft.language == "de-DE"
    assert draft.published == "2021-11-03"
    assert "Herdenschutzhunde" in draft.body_markdown
    assert "Startseite" not in draft.body_markdown


def test_windows_1252_with_meta_charset() -> None:
    draft = _parse("windows1252.html")
    assert draft.title == "Café Society on the Left Bank"
    assert "“Lost Generation”" in draft.body_markdown
    assert "everyone’s order" in draft.body_markdown and "naïve" in draft.body_markdown


def test_mhtml_archive() -> None:
    draft = _parse("logbooks.mhtml")
    assert draft.title == "Lighthouse Keepers' Logbooks"
    assert draft.url == "https://coast.example.net/logbooks"
    assert "keeper’s wedding" in draft.body_markdown
    assert draft.original == _source("logbooks.mhtml").data


def test_nothing_article_like_is_a_clear_failure() -> None:
    with pytest.raises(ImportFailure, match="no article found in this page"):
        HtmlImporter().parse(_source("nothing_article_like.html"))


def test_huge_page() -> None:
    paragraph = (
        "<p>Paragraph {n} describes the slow work of the river on its banks, the silt it "
        "carries down from the hills and the fields it builds, year after year.</p>"
    )
    body = "\n".join(paragraph.format(n=n) for n in range(3000))
    page = (
        f"<html><head><title>The River</title></head><body><h1>The River</h1>{body}</body></html>"
    )
    data = page.encode()
    assert len(data) > 450_000
    draft = HtmlImporter().parse(Source(name="river.html", data=data))[0]
    assert draft.title == "The River"
    assert "Paragraph 0 describes" in draft.body_markdown
    assert "Paragraph 2999 describes" in draft.body_markdown


def test_decoding_order() -> None:
    text = "Ça coûte 5 €"
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == text  # BOM
    assert decode_html(text.encode("cp1252"), "windows-1252") == text  # HTTP charset
    meta = b'<meta charset="windows-1252"><p>' + text.encode("cp1252")
    assert decode_html(meta).endswith(text)  # meta charset
    # a page mislabelled as Latin-1 that is really UTF-8
    assert decode_html(text.encode(), "iso-8859-1") == text


def test_markdown_escapes_text_that_looks_like_syntax() -> None:
    md = html_to_markdown("<p>1) first</p><p>- not a list</p><p>x &lt;b&gt; y</p>")
    assert md.splitlines()[0] == "1\\) first"
    assert "\\- not a list" in md
    assert "\\<b>" in md


def test_reextract_from_stored_original() -> None:
    original = _source("opengraph_jsonld.html").data
    draft = reextract(original, "https://gazette.example.org/2023/04/tidal-clocks")
    assert draft.title == "Tidal Clocks of the North Sea"
    assert draft.origin == "https://gazette.example.org/2023/04/tidal-clocks"
    assert draft.original == original
    with pytest.raises(ImportFailure):
        reextract(_source("nothing_article_like.html").data, None)
