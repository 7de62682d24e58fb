"""Images in the document model and the library: no plain-text change, stored once."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from store.document import Picture, markdown_to_text, parse_markdown
from store.images import MAX_IMAGE_BYTES, MAX_IMAGES, ImageRejected, probe
from store.library import Library
from store.models import ArticleDraft, ImageFile


def png(width: int = 8, height: int = 6, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small PNG file."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def image_file(src: str, data: bytes) -> ImageFile:
    media_type, width, height = probe(data)
    return ImageFile(src, data, media_type, width, height)


# Plain texts Margin gave these before it knew about images (taken from main before
# this change): notes are anchored to offsets in them, so they must not move.
BEFORE = [
    ("![A cat](cat.png)", "A cat"),
    (
        'Text ![alt *em*](x.png) more.\n\n![](y.png "A dog")\n\nNext para.',
        "Text alt em more.\n\nNext para.",
    ),
    ('- item ![i](i.png)\n\n> ![q](q.png "t") quoted', "item i\n\nq quoted"),
    ("| a | b |\n|---|---|\n| ![c](c.png) | d |", "a | b\nc | d"),
    ("[![inner](i.png)](https://x.org) link", "inner link"),
    ("![](only.png)", ""),
]


@pytest.mark.parametrize(("markdown", "text"), BEFORE)
def test_images_leave_the_plain_text_as_it_was(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text
    document = parse_markdown(markdown)
    assert document.text == text
    for block in document.blocks:
        assert document.text[block.start : block.end] == block.text


def test_pictures_keep_their_place_and_alt_text() -> None:
    document = parse_markdown(
        'First words.\n\n![](<a b.png> "A dog, \\"barking\\"")\n\n'
        "Second ![cat](c.png) inline.\n\nLast.\n\n![](end.png)\n"
    )
    assert [block.text for block in document.blocks] == [
        "First words.",
        "Second cat inline.",
        "Last.",
    ]
    first, second, last = document.blocks
    assert first.pictures == ()
    assert second.pictures == (
        Picture("a b.png", 'A dog, "barking"', below=False, alt_in_text=False),
        Picture("c.png", "cat", below=True, alt_in_text=True),
    )
    assert last.pictures == (Picture("end.png", "", below=True),)
    assert [src for _, p in document.pictures for src in [p.src]] == ["a b.png", "c.png", "end.png"]


def test_probe_reads_size_and_refuses_what_is_not_a_picture() -> None:
    assert probe(png(30, 20)) == ("image/png", 30, 20)
    with pytest.raises(ImageRejected, match="not a readable image"):
        probe(b"<html>not an image</html>")
    with pytest.raises(ImageRejected, match="not a readable image"):
        probe(png()[:40])  # cut short
    with pytest.raises(ImageRejected, match="empty"):
        probe(b"")
    with pytest.raises(ImageRejected, match="larger than 5 MB"):
        probe(b"\x89PNG" + b"0" * MAX_IMAGE_BYTES)


def draft(title: str, srcs: list[str], data: bytes) -> ArticleDraft:
    body = "\n\n".join(f"Words about {title}, enough of them.\n\n![]({src})" for src in srcs)
    return ArticleDraft(
        title=title,
        body_markdown=body,
        origin=f"/pages/{title}.html",
        images=[image_file(src, data) for src in srcs],
    )


def test_images_are_stored_once_and_go_with_their_last_article() -> None:
    library = Library(":memory:")
    shared = png(16, 9)
    first, second = library.store(
        [draft("one", ["a.png"], shared), draft("two", ["b.png"], shared)]
    )
    infos = library.article_images(first.id)
    assert list(infos) == ["a.png"]
    info = infos["a.png"]
    assert (info.media_type, info.width, info.height, info.size) == (
        "image/png",
        16,
        9,
        len(shared),
    )
    assert library.article_images(second.id)["b.png"].hash == info.hash
    assert library.image_totals() == (1, len(shared))
    assert library.image_data(info.hash) == shared
    library.delete(first.id)
    assert library.image_data(info.hash) == shared  # still used by "two"
    library.delete(second.id)
    assert library.image_data(info.hash) is None
    assert library.image_totals() == (0, 0)


def test_a_draft_without_images_keeps_the_stored_ones_and_caps_hold() -> None:
    library = Library(":memory:")
    srcs = [f"i{n}.png" for n in range(MAX_IMAGES + 3)]
    (result,) = library.store([draft("many", srcs, png())])
    assert len(library.article_images(result.id)) == MAX_IMAGES
    # Re-extracting offline finds no images: the stored ones stay.
    library.replace(result.id, ArticleDraft(title="many", body_markdown="Other words here."))
    assert len(library.article_images(result.id)) == MAX_IMAGES
