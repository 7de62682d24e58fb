"""The document model: blocks, offsets and styles from Markdown."""

from __future__ import annotations

from store.document import markdown_to_text, parse_markdown

SAMPLE = """# Heading *one*

A paragraph with **bold**, _em_, `code` and a [link](https://example.org).
Soft break.

- first
- second
  1. nested

> quoted text

```
code block
```

| a | b |
|---|---|
| 1 | 2 |
"""


def test_block_kinds_and_offsets_agree_with_the_text() -> None:
    document = parse_markdown(SAMPLE)
    kinds = [block.kind for block in document.blocks]
    assert kinds == ["heading", "paragraph", "item", "item", "item", "quote", "code", "table"]
    text = document.text
    for block in document.blocks:
        assert text[block.start : block.end] == block.text
    assert [b.index for b in document.blocks] == list(range(len(document.blocks)))


def test_inline_styles_are_spans_over_plain_text() -> None:
    paragraph = parse_markdown(SAMPLE).blocks[1]
    styled = {paragraph.text[s.start : s.end]: s.style for s in paragraph.spans}
    assert styled == {"bold": "strong", "em": "em", "code": "code", "link": "link"}
    assert parse_markdown(SAMPLE).links[0].href == "https://example.org"


def test_list_markers_and_levels() -> None:
    items = [b for b in parse_markdown(SAMPLE).blocks if b.kind == "item"]
    assert [(b.marker, b.level) for b in items] == [("•", 1), ("•", 1), ("1.", 2)]


def test_raw_html_and_markup_stay_literal_text() -> None:
    text = markdown_to_text("<script>alert(1)</script> and [bold]markup[/bold]\n")
    assert "<script>alert(1)</script>" in text
    assert "[bold]markup[/bold]" in text


def test_block_at_finds_the_block_for_an_offset() -> None:
    document = parse_markdown("one\n\ntwo\n\nthree")
    assert document.block_at(0).text == "one"  # type: ignore[union-attr]
    assert document.block_at(6).text == "two"  # type: ignore[union-attr]
    assert document.block_at(4).text == "two"  # type: ignore[union-attr] - in the gap
    assert document.block_at(999) is None


def test_block_spans_and_find_passage_map_plain_text_offsets() -> None:
    from store.document import parse_markdown

    document = parse_markdown("First para here.\n\n- a list item\n\nLast one, here.")
    text = document.text
    start = text.index("here.")
    end = text.index("list") + 4
    spans = document.block_spans(start, end)
    assert [document.blocks[b].text[s:e] for b, s, e in spans] == ["here.", "a list"]
    assert document.find_passage("a list\n  item") == (
        text.index("a list"),
        text.index("a list") + 11,
    )
    last = text.rindex("here")
    assert document.find_passage("here", near=last) == (last, last + 4)
    assert document.find_passage("not there") is None
