"""Small EPUB 2 and EPUB 3 books built for the tests, and broken or hostile ones."""

from __future__ import annotations

import io
import zipfile

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def chapter(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html>'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body><section>"
        f"<h1>{title}</h1>{body}</section></body></html>"
    )


CHAPTERS = [
    ("ch1.xhtml", "The Harbour at Dawn", ["The boats went out before light.", "Gulls followed."]),
    ("ch2.xhtml", "Mending Day", ["Nets lay across the wall.", "Every knot was checked twice."]),
    ("ch3.xhtml", "The Storm", ["It came from the west, fast.", "Nobody slept that night."]),
]


def epub3(extra: dict[str, bytes] | None = None, *, opf: str | None = None) -> bytes:
    """An EPUB 3 book: cover page, three chapters, a nav document, in OEBPS/."""
    items = "".join(
        f'<item id="c{n}" href="text/{name}" media-type="application/xhtml+xml"/>'
        for n, (name, _, _) in enumerate(CHAPTERS, start=1)
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, len(CHAPTERS) + 1))
    package = opf or (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:identifier id='id'>urn:uuid:1</dc:identifier><dc:title>Tides and Nets</dc:title>"
        "<dc:creator>Ailsa MacRae</dc:creator><dc:language>en</dc:language>"
        "<dc:date>2021-05-01</dc:date></metadata><manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>'
        f"{items}</manifest><spine>"
        f'<itemref idref="cover"/>{spine}</spine></package>'
    )
    nav = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        '<body><nav epub:type="toc"><ol>'
        + "".join(f'<li><a href="text/{name}">{title}</a></li>' for name, title, _ in CHAPTERS)
        + "</ol></nav></body></html>"
    )
    files = {
        "META-INF/container.xml": CONTAINER.format(opf="OEBPS/content.opf").encode(),
        "OEBPS/content.opf": package.encode(),
        "OEBPS/nav.xhtml": nav.encode(),
        "OEBPS/text/cover.xhtml": chapter("")[: -len("</body></html>")].encode()
        + b"<img src='c.jpg'/></body></html>",
    }
    for name, title, paragraphs in CHAPTERS:
        files[f"OEBPS/text/{name}"] = chapter(title, *paragraphs).encode()
    files.update(extra or {})
    return build(files)


def epub2() -> bytes:
    """An EPUB 2 book with an NCX table of contents and chapters without headings."""
    package = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Werkstattbuch</dc:title>'
        "<dc:creator>Greta Holm</dc:creator><dc:language>de</dc:language></metadata>"
        '<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="a" href="a.html" media-type="application/xhtml+xml"/>'
        '<item id="b" href="b.html" media-type="application/xhtml+xml"/></manifest>'
        '<spine toc="ncx"><itemref idref="b"/><itemref idref="a"/></spine></package>'
    )
    ncx = (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        "<navMap>"
        '<navPoint id="p1"><navLabel><text>Holz wählen</text></navLabel><content src="b.html"/>'
        "</navPoint>"
        '<navPoint id="p2"><navLabel><text>Leimen</text></navLabel><content src="a.html#top"/>'
        "</navPoint></navMap></ncx>"
    )

    def page(text: str) -> bytes:
        return (
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{text}</p></body></html>'
        ).encode()

    return build(
        {
            "META-INF/container.xml": CONTAINER.format(opf="content.opf").encode(),
            "content.opf": package.encode(),
            "toc.ncx": ncx.encode(),
            "a.html": page("Der Leim braucht Zeit und gleichmäßigen Druck."),
            "b.html": page("Eiche ist hart, Kiefer ist weich, Buche arbeitet stark."),
        }
    )


def build(files: dict[str, bytes]) -> bytes:
    """A zip with ``mimetype`` first and stored, as EPUB requires."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
