"""Images kept with their articles: stored once per content hash, offline for good.

An article's Markdown refers to an image by its ``src`` as written; the library
keeps, per article, which stored image each ``src`` is. Importers check images
with ``probe`` (a real, not too large picture) before they hand them over; the
reader asks for ``infos`` to lay an article out and for ``data`` only when an
image comes on screen.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Sequence

from .models import ImageFile, ImageInfo

MAX_IMAGE_BYTES = 5_000_000
"""An image file larger than this is not kept (its alt text stands in)."""
MAX_IMAGES = 50
"""Images kept per article; the rest show their alt text."""
MAX_PIXELS = 40_000_000
"""Width × height above this is refused before decoding (a decompression bomb)."""
MEDIA_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "ICO": "image/x-icon",
    "TIFF": "image/tiff",
}
"""The formats kept, by Pillow's name for them (SVG is not a raster: not drawable)."""


class ImageRejected(ValueError):
    """The bytes are not an image Margin keeps; the message says why."""


def probe(data: bytes) -> tuple[str, int, int]:
    """The media type and pixel size of an image file.

    :raises ImageRejected: empty, too large, not a picture, or damaged.
    """
    if not data:
        raise ImageRejected("empty file")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            media_type = MEDIA_TYPES.get(image.format or "")
            width, height = image.size
            if media_type is None:
                raise ImageRejected(f"unsupported image format {image.format or 'unknown'}")
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                raise ImageRejected(f"{width}×{height} pixels is too large")
            image.verify()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRejected("not a readable image") from None
    return media_type, width, height


def image_hash(data: bytes) -> str:
    """The content hash an image is stored under."""
    return hashlib.sha256(data).hexdigest()


def attach(conn: sqlite3.Connection, article_id: int, files: Sequence[ImageFile]) -> None:
    """Make ``files`` the images of an article (in the caller's transaction).

    The same bytes are stored once however many articles use them; an image no
    article uses any more goes (a trigger sees to it).
    """
    conn.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
    for file in files[:MAX_IMAGES]:
        digest = image_hash(file.data)
        conn.execute(
            "INSERT OR IGNORE INTO images (hash, media_type, width, height, size, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (digest, file.media_type, file.width, file.height, len(file.data), file.data),
        )
        conn.execute(
            "INSERT OR REPLACE INTO article_images (article_id, src, image_hash) VALUES (?, ?, ?)",
            (article_id, file.src, digest),
        )


def infos(conn: sqlite3.Connection, article_id: int) -> dict[str, ImageInfo]:
    """An article's stored images by ``src``, without their bytes."""
    rows = conn.execute(
        "SELECT ai.src, i.hash, i.media_type, i.width, i.height, i.size "
        "FROM article_images ai JOIN images i ON i.hash = ai.image_hash "
        "WHERE ai.article_id = ?",
        (article_id,),
    )
    return {src: ImageInfo(*rest) for src, *rest in rows}


def data(conn: sqlite3.Connection, digest: str) -> bytes | None:
    """The bytes of the stored image ``digest``, if it is stored."""
    row = conn.execute("SELECT data FROM images WHERE hash = ?", (digest,)).fetchone()
    return bytes(row[0]) if row else None


def totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """How many images are stored and their bytes in all."""
    count, size = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM images").fetchone()
    return int(count), int(size)
