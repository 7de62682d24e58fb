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


def test_table_cells_keep_their_ranges_styles_and_alignment() -> None:
    markdown = "| name | price |\n|:-----|------:|\n| *tea* \\| milk | 2<br>3 |\n"
    table = parse_markdown(markdown).blocks[0]
    assert table.kind == "table"
    assert table.align == ("left", "right")
    cells = [[table.text[a:b] for a, b in row] for row in table.cells]
    assert cells == [["name", "price"], ["tea | milk", "2\n3"]]
    em = next(s for s in table.spans if s.style == "em")
    assert table.text[em.start : em.end] == "tea"


def test_footnotes_are_numbered_refs_and_a_final_notes_list() -> None:
    markdown = "First[^b] and second[^a].\n\n[^a]: Note A.\n[^b]: Note *B*.\n\nAfter.\n"
    document = parse_markdown(markdown)
    assert [b.text for b in document.blocks] == [
        "First[1] and second[2].",
        "After.",
        "Notes",
        "Note B.",
        "Note A.",
    ]
    assert [b.marker for b in document.blocks[3:]] == ["[1]", "[2]"]
    assert document.blocks[2].kind == "heading"
    paragraph = document.blocks[0]
    assert [paragraph.text[s.start : s.end] for s in paragraph.spans] == ["[1]", "[2]"]
    assert "[^" not in document.text


def test_task_lists_show_boxes_and_br_is_a_line_break() -> None:
    document = parse_markdown("- [ ] todo\n- [x] done\n\n1. [x] first\n\none<br>two<br/>three\n")
    assert [(b.marker, b.text) for b in document.blocks[:3]] == [
        ("☐", "todo"),
        ("☑", "done"),
        ("1. ☑", "first"),
    ]
    assert document.blocks[3].text == "one\ntwo\nthree"


MARKDOWN_PIECES = [
    "# Title\n",
    "Plain *em* **strong** `code` [link](https://x.example) text.\n",
    "ref[^1] and[^n]\n",
    "[^1]: a footnote\n",
    "[^n]: another *one*\n",
    "- [ ] task\n- [x] done\n",
    "1. one\n2. two\n",
    "> quote<br>line\n",
    "```\ncode line that is long\n```\n",
    "| a | b |\n|--:|:-:|\n| 1<br>2 | *x* |\n",
    "|  | only second |\n|---|---|\n|  | x |\n",
    "---\n",
    "line<br/>break  \nhard\n",
    "<div>raw html</div>\n",
]


def test_text_offsets_hold_for_mixed_markdown() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=8))
    def check(pieces: list[str]) -> None:
        markdown = "\n".join(pieces)
        document = parse_markdown(markdown)
        text = document.text
        assert text == markdown_to_text(markdown)
        for block in document.blocks:
            assert text[block.start : block.end] == block.text
            for span in block.spans:
                assert 0 <= span.start < span.end <= len(block.text)
            for row in block.cells:
                for start, end in row:
                    assert 0 <= start <= end <= len(block.text)

    check()


def test_word_count_counts_han_and_kana_characters_as_words() -> None:
    """A Chinese article is not "16 words" because it has no spaces (issue 16 walk-through)."""
    from store.document import word_count

    assert word_count("one two  three\nfour") == 4
    assert word_count("Größe über alles") == 3
    assert word_count("上半年GDP十强排位出炉") == 10  # nine characters and one Latin run
    assert word_count("東京は 晴れ です") == 7
    assert word_count("김종국 가수") == 2  # Korean writes spaces
