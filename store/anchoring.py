"""Where a passage went when its article's text changed (placeholder: exact quotes only).

Replaced by the measured re-anchoring of issue 12; the API is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a stored note knows about its place: a quote with context, and offsets."""

    quote: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an anchor belongs in a text."""

    start: int
    end: int
    method: str
    score: float


def selectors(text: str, start: int, end: int, context: int = 32) -> Anchor:
    """The text-quote and position selectors for ``text[start:end]``."""
    return Anchor(
        text[start:end],
        text[max(0, start - context) : start],
        text[end : end + context],
        start,
        end,
    )


def locate(anchor: Anchor, text: str) -> Placement | None:
    """Where ``anchor`` belongs in ``text``, or None."""
    return reanchor([anchor], None, text)[0]


def reanchor(
    anchors: Sequence[Anchor], old_text: str | None, new_text: str
) -> list[Placement | None]:
    """Where each anchor belongs in ``new_text``; None for an orphan."""
    placed: list[Placement | None] = []
    for anchor in anchors:
        if not anchor.quote:
            placed.append(None)
            continue
        if (
            anchor.start is not None
            and new_text[anchor.start : anchor.start + len(anchor.quote)] == anchor.quote
        ):
            placed.append(
                Placement(anchor.start, anchor.start + len(anchor.quote), "position", 1.0)
            )
            continue
        at = new_text.find(anchor.quote)
        placed.append(Placement(at, at + len(anchor.quote), "exact", 0.9) if at >= 0 else None)
    return placed
