"""Bytes to clean text: encoding detection, NFC, no control characters."""

from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import ImportFailure

# C0 and C1 controls except tab and newline; bidi embeddings, overrides and isolates
# (they can reorder what the reader sees, "Trojan Source"); lone surrogates; BOMs.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_TEXT_BYTES = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


PDF_REASON = "a PDF, not text: Margin cannot import PDFs yet"


class DecodeError(ImportFailure):
    """The bytes are not text in any encoding we can recognise."""


def clean_text(text: str) -> str:
    """Normalise ``text`` to NFC, unify newlines and drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def strip_controls(text: str) -> str:
    """Drop control characters (as ``clean_text`` does) from already-decoded text.

    For text that entities or escapes produced after decoding, such as HTML titles.
    """
    return _CONTROL.sub("", text)


def looks_binary(data: bytes) -> bool:
    """True when ``data`` has NUL bytes that no UTF-16/32 text would explain."""
    sample = data[:8192]
    if not sample or _utf16_guess(sample):
        return False
    # Text has almost no C0 control bytes besides tab, newlines, form feed and escape.
    controls = len(sample.translate(None, _TEXT_BYTES))
    return sample.count(0) > max(2, len(sample) // 100) or controls > max(2, len(sample) // 20)


def _utf16_guess(sample: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where its NUL bytes fall (ASCII-heavy text)."""
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2 or 1
    for zeros, chars, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.3 * half and chars.count(0) < 0.05 * half:
            # The other bytes must look like text, or this is just binary with NULs.
            texty = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in chars)
            if texty > 0.9 * len(chars):
                return encoding
    return None


def decode_bytes(data: bytes, hint: str | None = None) -> str:
    """Decode ``data`` by BOM, then the hint, then UTF-8, then detection.

    :param hint: an encoding the source declared (HTTP header, meta tag).
    :raises DecodeError: for binary data.
    """
    # Checked first: an all-ASCII PDF would otherwise "decode" into gibberish.
    if data.startswith(b"%PDF-"):
        raise DecodeError(PDF_REASON)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if looks_binary(data):
        raise DecodeError("binary file, not text")
    guessed = _utf16_guess(data[:8192]) if b"\x00" in data[:8192] else None
    if guessed:
        return data.decode(guessed, errors="replace")
    if hint:
        try:
            return data.decode(_normal_codec(hint))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise DecodeError("not text in any encoding Margin recognises")
    # Close calls between 8-bit code pages are common on short Western texts; the
    # web's most used legacy encoding wins them.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.1:
            best = match
            break
    text = str(best)
    # A "text" that is mostly unprintable is a binary file charset_normalizer forced.
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text[:4096])
    if text and printable < 0.9 * min(len(text), 4096):
        raise DecodeError("binary file, not text")
    return text


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken sequences or lone surrogates, read as UTF-8.

    Lone surrogates (WTF-8) decode as such and ``clean_text`` drops them; other
    broken bytes become U+FFFD when the file's many other non-ASCII bytes are
    valid UTF-8 (a legacy code page would break at nearly every one of them).
    """
    try:
        return data.decode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    high = len(data.translate(None, bytes(range(128))))
    return text if broken > 0 and 8 * broken <= high else None


def _normal_codec(name: str) -> str:
    name = name.strip().strip("\"'").lower()
    # Browsers read ISO-8859-1 and ASCII labels as windows-1252 (WHATWG encoding spec).
    if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        return "cp1252"
    return codecs.lookup(name).name


def decode_text(data: bytes, hint: str | None = None) -> str:
    """Decode and clean ``data``; raises ImportFailure-compatible DecodeError."""
    return clean_text(decode_bytes(data, hint))
