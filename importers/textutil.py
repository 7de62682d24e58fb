"""Small text helpers shared by importers."""

from __future__ import annotations

import re

# After inline escaping, what still reads as block syntax at the start of a line:
# headings, quotes, list bullets and numbers, setext underlines, tables, fences.
_LEADING = re.compile(r"^(?:[#>+=|~-]|[*_]|\d{1,9}[.)](?=\s|$))")
# Inline syntax, and "&" so that entity-like text ("&copy;") stays literal.
_INLINE = re.compile(r"([\\`*_\[\]<>&!|~])")


def escape_markdown(text: str) -> str:
    """Escape one line of plain text so CommonMark renders it back as the same text."""
    text = _INLINE.sub(r"\\\1", text)
    match = _LEADING.match(text)
    if match:
        token = match.group(0)
        if token[0].isdigit():
            text = token[:-1] + "\\" + token[-1] + text[len(token) :]
        elif not text.startswith("\\"):
            text = "\\" + text
    return text
