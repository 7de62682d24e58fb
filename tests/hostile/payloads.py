"""Hostile strings: terminal control sequences and text that looks like markup.

Generated here rather than stored, so the repository holds no raw escape bytes.
"""

from __future__ import annotations

import re

ESC = "\x1b"
SEQUENCES = {
    "csi": f"{ESC}[31mRED{ESC}[0m{ESC}[2J",
    "osc-title": f"{ESC}]0;pwned-title\x07",
    "osc-2": f"{ESC}]2;pwned-title2{ESC}\\",
    "osc-hyperlink": f"{ESC}]8;;file:///etc/passwd{ESC}\\click{ESC}]8;;{ESC}\\",
    "osc-clipboard": f"{ESC}]52;c;cm0gLXJmIH4=\x07",
    "dcs": f"{ESC}P+q544e{ESC}\\",
    "bare-esc": f"{ESC}c",
    "c1-csi": "\x9b31mC1RED",
    "c1-osc": "\x9d0;c1title\x9c",
    "bel-bs-cr": "bell\x07back\x08\x08over\rwrite",
    "bidi": "abc\u202edcba\u2066x\u2069",
}
MARKUP = "[bold]B[/bold] [@click=app.quit]x[/] [link=file:///etc/passwd]y[/link]"


def hostile(label: str) -> str:
    """One string carrying every sequence and the markup, tagged with ``label``."""
    return f"{label} " + " ".join(SEQUENCES.values()) + " " + MARKUP


# What must never appear in bytes written to a terminal by Margin. ESC and C1
# are the introducers of every sequence above; BEL, BS and CR can overwrite or
# ring; the bidi overrides reorder what the user sees.
FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def forbidden_in(output: str) -> list[str]:
    """The forbidden characters found in ``output``, as readable names."""
    return sorted({f"U+{ord(char):04X}" for char in FORBIDDEN_TEXT.findall(output)})
