"""Plain-text helpers shared by the line-API widgets: sanitising and wrapping.

Nothing here parses markup: untrusted titles and bodies go to the terminal as
plain characters, with control characters made visible one for one (so offsets
into the text stay valid).
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# C0 controls (but tab/newline handled by callers) -> Unicode "control pictures";
# DEL and C1 controls -> visible stand-ins. One character for one, offsets stay put.
_CONTROL_MAP = {code: 0x2400 + code for code in range(0x20)}
_CONTROL_MAP[0x7F] = 0x2421
_CONTROL_MAP.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_CONTROL_MAP[0x09] = 0x20  # a tab shows as one space (keeps offsets)
# Bidi embeddings, overrides and isolates reorder what is shown around them.
_CONTROL_MAP.update({code: 0xFFFD for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"\S+")


def visible(text: str) -> str:
    """``text`` with every control character (ESC included) made visible, same length."""
    if _CONTROLS.search(text) is None:
        return text
    return text.translate(_CONTROL_MAP)


def one_line(text: str) -> str:
    """``text`` on one line: newlines as spaces, controls made visible."""
    return visible(text.replace("\n", " ").replace("\r", " "))


def cells(text: str) -> int:
    """Terminal cells taken by ``text``."""
    return len(text) if text.isascii() else cell_len(text)


def crop(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending with an ellipsis when cut."""
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for char in text:
        size = cells(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Word-wrap ``text`` to ``width`` cells; each line as a ``[start, end)`` range.

    Hard newlines start new lines; words longer than the width are split.
    Ranges exclude the whitespace at the line breaks.
    """
    width = max(1, width)
    if text.isascii() and "\n" not in text and "  " not in text and "\t" not in text:
        fast = _wrap_simple(text, width)
        if fast is not None:
            return fast
    lines: list[tuple[int, int]] = []
    ascii_only = text.isascii()
    pos = 0
    for para in text.split("\n"):
        end_of_para = pos + len(para)
        line_start = -1
        line_end = pos
        col = 0
        for match in _WORD.finditer(text, pos, end_of_para):
            start, end = match.span()
            size = end - start if ascii_only else cell_len(match.group())
            if line_start >= 0:
                gap = start - line_end
                if col + gap + size <= width:
                    col += gap + size
                    line_end = end
                    continue
                lines.append((line_start, line_end))
            if size > width:  # a word wider than the line: split it
                cut = start
                while True:
                    piece_end = cut + width if ascii_only else _fit(text, cut, end, width)
                    if piece_end >= end:
                        break
                    lines.append((cut, piece_end))
                    cut = piece_end
                line_start, line_end = cut, end
                col = end - cut if ascii_only else cell_len(text[cut:end])
            else:
                line_start, line_end, col = start, end, size
        lines.append((line_start, line_end) if line_start >= 0 else (pos, pos))
        pos = end_of_para + 1
    return lines


def _wrap_simple(text: str, width: int) -> list[tuple[int, int]] | None:
    """``wrap`` for ASCII text whose words are single-space separated (most prose).

    Returns None when a word is wider than the line (the general path splits it).
    """
    tokens = text.split(" ")
    lengths = list(map(len, tokens))
    if max(lengths) > width:
        return None
    lines: list[tuple[int, int]] = []
    position = 0
    line_start = -1
    col = 0
    for size in lengths:
        if size == 0:  # a leading or trailing space
            position += 1
            continue
        if line_start < 0:
            line_start, col = position, size
        elif col + 1 + size <= width:
            col += 1 + size
        else:
            lines.append((line_start, line_start + col))
            line_start, col = position, size
        position += size + 1
    lines.append((line_start, line_start + col) if line_start >= 0 else (0, 0))
    return lines


def _fit(text: str, start: int, end: int, width: int) -> int:
    """The furthest index after ``start`` whose slice fits in ``width`` cells."""
    used = 0
    for index in range(start, end):
        used += cell_len(text[index])
        if used > width:
            return max(index, start + 1)
    return end


CONTINUATION = "↪"
"""Shown at the start of a code line's continuation (a line folded to fit)."""
_BREAK_AFTER = " ,;("


def fold(text: str, width: int) -> list[tuple[int, int]]:
    """Cut ``text`` into lines of at most ``width`` cells, keeping spaces (for code).

    A line too long is cut after its last space (or comma, semicolon, parenthesis) in the right
    two thirds of the width, so words stay whole; only a run with no such place is
    cut mid-word. ``is_continuation`` tells the folded lines apart.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if pos == end:
            lines.append((pos, pos))
        cut = pos
        ascii_line = line.isascii()
        while cut < end:
            stop = cut + width if ascii_line else _fit(text, cut, end, width)
            if stop < end:
                floor = cut + max(1, (stop - cut) // 3)
                for index in range(stop, floor, -1):
                    if text[index - 1] in _BREAK_AFTER and not text[index].isspace():
                        stop = index
                        break
            stop = min(stop, end)
            lines.append((cut, stop))
            cut = stop
        pos = end + 1
    return lines


def is_continuation(text: str, start: int) -> bool:
    """Whether a line of ``text`` folded by ``fold`` starting at ``start`` continues another."""
    return start > 0 and text[start - 1] != "\n"
