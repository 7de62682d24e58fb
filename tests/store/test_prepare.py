"""Preparing drafts: derived fields and the Markdown packed against the plain text."""

from __future__ import annotations

import pytest

from store.document import markdown_to_text
from store.prepare import content_hash, pack_markdown, prepare, unpack_markdown
from tests.conftest import draft


@pytest.mark.parametrize(
    "markdown",
    [
        "Short **note** with ünïcödé — and [a link](https://x.example).",
        "\n\n".join(
            f"## Part {i}\n\nParagraph {i} with *emphasis* and words." for i in range(3000)
        ),
        "",
    ],
    ids=["short", "longer-than-the-window", "empty"],
)
def test_markdown_round_trips_through_its_packed_form(markdown: str) -> None:
    text = markdown_to_text(markdown)
    assert unpack_markdown(pack_markdown(markdown, text), text) == markdown


def test_packing_against_the_text_is_much_smaller_than_plain_compression() -> None:
    import random
    import zlib

    rng = random.Random(1)
    words = [
        "".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(2, 9)))
        for _ in range(3000)
    ]
    markdown = "\n\n".join(" ".join(rng.choices(words, k=60)) + " **bold**." for _ in range(30))
    text = markdown_to_text(markdown)
    assert len(pack_markdown(markdown, text)) < len(zlib.compress(markdown.encode())) / 4


def test_prepare_derives_counts_hash_and_canonical_url() -> None:
    prepared = prepare(
        draft("  Spaced   title ", "One *two* three.", url="HTTPS://X.example/a/?utm_medium=m")
    )
    assert prepared.title == "Spaced title"
    assert prepared.row["word_count"] == 3
    assert prepared.row["url"] == "https://x.example/a"
    assert prepared.row["content_hash"] == content_hash("Spaced title", "One two three.")
