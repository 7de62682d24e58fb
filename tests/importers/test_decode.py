"""Text decoding: encodings by detection, NFC, no control characters, binary refused."""

from __future__ import annotations

import codecs

import pytest

from importers.decode import DecodeError, decode_text

TEXT = "Café déjà vu — “quoted” naïve façade, Zürich and Kraków.\n" * 5


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_decode_to_the_same_text(data: bytes) -> None:
    assert decode_text(data) == TEXT


def test_latin1_letters_are_detected_without_a_hint() -> None:
    text = "Les élèves étaient très fâchés à propos de la réforme. " * 10
    assert decode_text(text.encode("latin-1")) == text


def test_declared_charset_is_tried_first() -> None:
    assert decode_text("Ærø".encode("iso-8859-1"), hint="iso-8859-1") == "Ærø"


def test_text_is_nfc_normalised() -> None:
    assert decode_text("Cafe\u0301".encode()) == "Café"


def test_control_characters_are_removed_but_newlines_and_tabs_kept() -> None:
    raw = "a\x1b[31mred\x1b[0m\tb\r\nc\x07\x00d\x9b".encode()
    assert decode_text(raw) == "a[31mred[0m\tb\nc" + "d"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, bytes(range(256)) * 32],
    ids=["png", "bytes"],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_text(data)
