"""Reading members of zip archives (EPUB, export archives) without trusting them.

Nothing is ever extracted to disk. Member names are resolved inside the archive
only, and a name that climbs out of its folder (``../``) or is absolute is
refused; every read is capped, whatever sizes the archive declares, so a zip
bomb stops at the cap.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from .errors import ImportFailure

__all__ = ["MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "SafeZip", "is_zip"]

MAX_MEMBER_BYTES = 50_000_000
MAX_TOTAL_BYTES = 200_000_000


def is_zip(data: bytes) -> bool:
    """True for data that starts like a zip archive."""
    return data[:4] == b"PK\x03\x04"


class SafeZip:
    """A zip archive in memory, read member by member under size caps."""

    def __init__(
        self, data: bytes, *, member_cap: int = MAX_MEMBER_BYTES, total_cap: int = MAX_TOTAL_BYTES
    ) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ImportFailure("damaged zip archive") from None
        self.member_cap = member_cap
        self.total_left = total_cap
        self.names = {info.filename for info in self.zip.infolist() if not info.is_dir()}

    @staticmethod
    def resolve(base: str, href: str) -> str:
        """The member ``href`` names relative to the folder ``base``.

        :raises ImportFailure: when the name leaves the archive (``../``, absolute).
        """
        href = href.split("#", 1)[0]
        joined = (
            posixpath.normpath(posixpath.join(base, href)) if base else posixpath.normpath(href)
        )
        if href.startswith("/") or joined.startswith("../") or joined == ".." or "\\" in href:
            raise ImportFailure(f"a path in the archive leaves its folder: {href[:80]}")
        return joined

    def read(self, name: str) -> bytes:
        """One member's bytes; refuses members over the cap and archives over the total."""
        if name not in self.names:
            raise ImportFailure(f"the archive has no {name[:80]}")
        try:
            with self.zip.open(name) as member:
                data = member.read(min(self.member_cap, self.total_left) + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as error:
            raise ImportFailure(f"damaged member {name[:80]} ({type(error).__name__})") from None
        if len(data) > self.member_cap:
            raise ImportFailure(
                f"{name[:80]} is larger than {self.member_cap // 1_000_000} MB uncompressed "
                "(a zip bomb?)"
            )
        if len(data) > self.total_left:
            raise ImportFailure("the archive holds more than its uncompressed size cap")
        self.total_left -= len(data)
        return data
