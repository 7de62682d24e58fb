"""Small text helpers shared by importers."""

from __future__ import annotations

import re

_LEADING = re.compile(r"^(\s*)([#>+\-*=|]|\d{1,9}[.)])(?=\s|$)")
_INLINE = re.compile(r"([\\`*_\[\]<>~!])")


def escape_markdown(line: str) -> str:
    """Escape what CommonMark would read as syntax, so the text stays literal."""
    line = _INLINE.sub(r"\\\1", line)
    match = _LEADING.match(line)
    if match:
        at = match.end(2) - 1  # before the mark: "\#", or its punctuation: "1\."
        line = line[:at] + "\\" + line[at:]
    return line
