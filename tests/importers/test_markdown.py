"""Markdown and plain-text files."""

from __future__ import annotations

import pytest

from importers.base import Source
from importers.errors import ImportFailure
from importers.markdown import MarkdownImporter
from store.document import markdown_to_text

IMPORTER = MarkdownImporter()


def parse(text: str, name: str = "note.md") -> list:
    return IMPORTER.parse(Source(name=name, data=text.encode()))


def test_front_matter_gives_metadata() -> None:
    [draft] = parse(
        "---\ntitle: Front Title\nauthor: [Ann, Bob]\ndate: 2021-03-04\n"
        "url: https://x.example/a\ntags: [one, two]\nsource: Blog\n---\n\n# Heading\n\nBody.\n"
    )
    assert draft.title == "Front Title"
    assert draft.author == "Ann, Bob"
    assert draft.published == "2021-03-04"
    assert draft.url == "https://x.example/a"
    assert draft.tags == ["one", "two"]
    assert draft.source == "Blog"
    assert markdown_to_text(draft.body_markdown) == "Heading\n\nBody."


def test_first_heading_becomes_the_title_and_leaves_the_body() -> None:
    [draft] = parse("# The Title\n\nFirst paragraph.\n\n## Part\n\nMore.\n")
    assert draft.title == "The Title"
    assert markdown_to_text(draft.body_markdown) == "First paragraph.\n\nPart\n\nMore."


def test_plain_text_first_line_is_the_title_and_syntax_stays_literal() -> None:
    [draft] = parse(
        "My notes\n\n# not a heading\n1. not a list\nwrapped prose line that goes on "
        "and on to be long enough\n\n*stars* and _underscores_\n",
        name="notes.txt",
    )
    assert draft.title == "My notes"
    text = markdown_to_text(draft.body_markdown)
    assert "# not a heading" in text and "1. not a list" in text
    assert "*stars* and _underscores_" in text


def test_detect_prefers_front_matter_and_md_suffix() -> None:
    fm = Source(name="x.txt", data=b"---\ntitle: x\n---\nbody")
    md = Source(name="x.md", data=b"plain words")
    txt = Source(name="x.txt", data=b"plain words")
    assert IMPORTER.detect(fm) > IMPORTER.detect(md) > IMPORTER.detect(txt) > 0


def test_bad_front_matter_imports_the_body_with_a_warning() -> None:
    data = b"---\ntitle: [unclosed\n---\nFirst line\n\nThe body.\n"
    source = Source(name="notes/my-note.md", data=data)
    [draft] = IMPORTER.parse(source)
    assert (draft.title, draft.body_markdown) == ("First line", "The body.\n")
    assert source.warnings == [
        "front matter is not valid YAML at line 3; imported without its metadata"
    ]


def test_bad_front_matter_keeps_the_heading_as_title() -> None:
    source = Source(name="a.md", data=b"---\nauthor: : :\n---\n# Heading\n\nText.\n")
    [draft] = IMPORTER.parse(source)
    assert (draft.title, draft.body_markdown, draft.author) == ("Heading", "Text.\n", None)
    assert len(source.warnings) == 1


def test_empty_file_is_a_clear_error() -> None:
    with pytest.raises(ImportFailure, match="empty"):
        parse("  \n\n")


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("todo.txt", "Call Bob about the boat\n", "Call Bob about the boat"),
        ("heading.md", "# Only a *heading*\n\n\n", "Only a *heading*"),
        ("stars.txt", "*not emphasis*", "*not emphasis*"),
    ],
)
def test_one_line_file_warns_and_keeps_the_line_as_text(name: str, text: str, title: str) -> None:
    source = Source(name=name, data=text.encode())
    [draft] = IMPORTER.parse(source)
    assert draft.title == title
    assert markdown_to_text(draft.body_markdown) == title
    assert source.warnings == [
        "only one line of text: imported with that line as both title and text"
    ]


def test_title_and_text_is_no_one_line_file() -> None:
    source = Source(name="a.md", data=b"---\ntitle: Saved link\n---\n")
    [draft] = IMPORTER.parse(source)
    assert draft.title == "Saved link" and source.warnings == []
    source = Source(name="b.txt", data=b"Title\n\nOne line of text.\n")
    IMPORTER.parse(source)
    assert source.warnings == []
