"""Images gathered at import: page files, data: URIs, downloads; what is missed is reported."""

from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import importers.page_images as page_images
from importers.images import DATA_PREFIX, gather
from importers.registry import parse_source
from importers.runner import import_paths, read_source
from store.document import parse_markdown
from store.images import MAX_IMAGE_BYTES
from store.library import Library
from tests.store.test_images import png

WORDS = "The harbour at dawn is busy with boats and gulls and people going to work."


def page(*images: str) -> str:
    """An article page: a paragraph, then each image followed by a paragraph of its own."""
    parts = [f"<p>{WORDS} Opening paragraph.</p>"]
    for number, img in enumerate(images):
        parts.append(f"<figure>{img}<figcaption>Caption {number}</figcaption></figure>")
        parts.append(f"<p>Paragraph {number} after the picture. {WORDS}</p>")
    body = "\n".join(parts)
    return (
        "<html><head><title>The harbour</title></head><body><article><h1>The harbour</h1>"
        f"{body}</article></body></html>"
    )


def write_page(folder: Path, *images: str) -> Path:
    path = folder / "harbour.html"
    path.write_text(page(*images), encoding="utf-8")
    return path


def test_a_saved_page_keeps_its_own_files_and_data_uris(tmp_path: Path) -> None:
    (tmp_path / "harbour_files").mkdir()
    (tmp_path / "harbour_files" / "boats.png").write_bytes(png(40, 20))
    dot = base64.b64encode(png(2, 2, (0, 0, 255))).decode()
    path = write_page(
        tmp_path,
        '<img src="harbour_files/boats.png" alt="Boats at the quay">',
        f'<img src="data:image/png;base64,{dot}" alt="A blue dot">',
    )
    source = read_source(str(path))
    (draft,) = parse_source(source)
    assert source.warnings == []
    pictures = [p for _, p in parse_markdown(draft.body_markdown).pictures]
    assert [(p.src, p.alt) for p in pictures] == [
        # The figure's caption, which trafilatura drops, goes with its picture.
        ("harbour_files/boats.png", "Boats at the quay — Caption 0"),
        (draft.images[1].src, "A blue dot — Caption 1"),
    ]
    assert draft.images[1].src.startswith(DATA_PREFIX)
    assert "base64" not in draft.body_markdown  # the payload is stored, not the Markdown
    assert [(f.width, f.height, f.media_type) for f in draft.images] == [
        (40, 20, "image/png"),
        (2, 2, "image/png"),
    ]
    # Images add nothing to the plain text: it is what it was before images were placed.
    text = parse_markdown(draft.body_markdown).text
    assert "Boats at the quay" not in text and "Caption" not in text


def test_placing_images_never_changes_the_extracted_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "harbour_files").mkdir()
    (tmp_path / "harbour_files" / "boats.png").write_bytes(png())
    path = write_page(tmp_path, '<img src="harbour_files/boats.png" alt="Boats">')
    (with_images,) = parse_source(read_source(str(path)))
    monkeypatch.setattr(page_images, "place_images", lambda page, blocks, base=None: 0)
    (without,) = parse_source(read_source(str(path)))
    assert parse_markdown(with_images.body_markdown).pictures
    assert not parse_markdown(without.body_markdown).pictures
    assert (
        parse_markdown(with_images.body_markdown).text == parse_markdown(without.body_markdown).text
    )


def test_missing_broken_outside_and_oversized_images_keep_alt_text_and_are_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "harbour_files").mkdir()
    (tmp_path / "harbour_files" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (tmp_path / "harbour_files" / "huge.png").write_bytes(b"\x89PNG" + bytes(MAX_IMAGE_BYTES))
    (tmp_path / "harbour_files" / "good.png").write_bytes(png())
    (tmp_path.parent / "secret.png").write_bytes(png())
    path = write_page(
        tmp_path,
        '<img src="harbour_files/gone.png" alt="Gone">',
        '<img src="harbour_files/broken.jpg" alt="Broken">',
        '<img src="harbour_files/huge.png" alt="Huge">',
        '<img src="../secret.png" alt="Secret">',
        '<img src="harbour_files/good.png" alt="Good">',
    )
    library = Library(tmp_path / "lib.db")
    report = import_paths(library, [str(path), str(tmp_path / "nothing.html")])
    assert report.added == 1
    assert [name for name, _ in report.failed] == [str(tmp_path / "nothing.html")]
    ((name, warning),) = report.warnings
    assert name == str(path)
    assert warning.startswith("4 of 5 images not kept, their alt text is shown")
    assert "harbour_files/gone.png: no such file" in warning
    assert "harbour_files/broken.jpg: not a readable image" in warning
    assert "harbour_files/huge.png: larger than 5 MB" in warning
    assert "and 1 more" in warning  # the one outside the page's folder
    article_id = report.results[0].id
    assert list(library.article_images(article_id)) == ["harbour_files/good.png"]
    pictures = [p for _, p in parse_markdown(library.get(article_id).body_markdown).pictures]
    alts = ["Gone", "Broken", "Huge", "Secret", "Good"]
    assert [p.alt for p in pictures] == [f"{alt} — Caption {n}" for n, alt in enumerate(alts)]


def test_outside_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(png())
    folder = tmp_path / "pages"
    folder.mkdir()
    gathered = gather('Words.\n\n![](../secret.png "x")\n', str(folder / "p.html"))
    assert gathered.files == []
    assert gathered.missed == [("../secret.png", "outside the page's folder")]


def test_a_damaged_data_uri_is_reported_and_leaves_a_short_reference() -> None:
    uri = "data:image/png;base64,@@@notbase64@@@"
    gathered = gather(f'Words here.\n\n![](<{uri}> "dot")\n', None)
    assert gathered.missed == [(uri, "damaged data: URI")]
    assert uri not in gathered.markdown and f"{DATA_PREFIX}missing" in gathered.markdown
    assert "data: URI: damaged data: URI" in (gathered.warning() or "")


def test_a_markdown_file_keeps_the_images_beside_it_and_its_text(tmp_path: Path) -> None:
    (tmp_path / "map.png").write_bytes(png(12, 12))
    path = tmp_path / "note.md"
    path.write_text("# Trip\n\nThe route ![a map of the route](map.png) was long.\n")
    (draft,) = parse_source(read_source(str(path)))
    assert [f.src for f in draft.images] == ["map.png"]
    assert parse_markdown(draft.body_markdown).text == "The route a map of the route was long."


# -- pages imported from their URL --------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802
        routes = {
            "/story": (
                page(
                    '<img src="/img/boats.png" alt="Boats">',
                    '<img src="/img/gone.png" alt="Gone">',
                    '<img src="/img/page.png" alt="Not an image">',
                ).encode(),
                "text/html; charset=utf-8",
            ),
            "/img/boats.png": (png(30, 10), "image/png"),
            "/img/page.png": (b"<html></html>", "text/html"),
        }
        body, content_type = routes.get(self.path, (b"missing", "text/plain"))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_url_import_downloads_its_images_with_the_fetcher(server: str, tmp_path: Path) -> None:
    library = Library(tmp_path / "lib.db")
    report = import_paths(library, [f"{server}/story"])
    assert report.added == 1
    ((_, warning),) = report.warnings
    assert "2 of 3 images not kept" in warning
    assert "HTTP 404" in warning and "not a web page (text/html)" in warning
    infos = library.article_images(report.results[0].id)
    assert list(infos) == [f"{server}/img/boats.png"]
    assert (infos[f"{server}/img/boats.png"].width, infos[f"{server}/img/boats.png"].height) == (
        30,
        10,
    )


def test_reextracting_never_downloads(server: str, tmp_path: Path) -> None:
    from importers.reextract import reextract

    original = page('<img src="/img/boats.png" alt="Boats">').encode()
    draft = reextract(original, f"{server}/story")
    assert draft.images == []
    assert [p.src for _, p in parse_markdown(draft.body_markdown).pictures] == [
        f"{server}/img/boats.png"
    ]


def test_a_figure_caption_the_extraction_drops_is_shown_with_its_picture(tmp_path: Path) -> None:
    (tmp_path / "harbour_files").mkdir()
    (tmp_path / "harbour_files" / "boats.png").write_bytes(png())
    path = write_page(
        tmp_path,
        '<img src="harbour_files/boats.png" alt="Boats">',
        '<img src="harbour_files/boats.png" alt="">',
    )
    path.write_text(
        path.read_text().replace("Caption 0", "Boats at the quay at dawn. Photo: J. Smith"),
        encoding="utf-8",
    )
    (draft,) = parse_source(read_source(str(path)))
    pictures = [p for _, p in parse_markdown(draft.body_markdown).pictures]
    # The alt text is part of the caption: the caption alone.
    assert pictures[0].alt == "Boats at the quay at dawn. Photo: J. Smith"
    assert "Photo: J. Smith" not in parse_markdown(draft.body_markdown).text
