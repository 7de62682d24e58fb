"""A small, deterministic library for the reader's Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

from store.library import Library
from store.models import ArticleDraft

HOSTILE_TITLE = "Evil \x1b[31mred\x1b[0m [bold]not bold[/bold] [link=x]y[/link]"
HOSTILE_BODY = (
    "Body with \x1b]0;pwned\x07 an OSC sequence and [red]markup[/red] that must stay "
    "literal, plus \x1b[2J a clear-screen."
)


def long_markdown(sections: int = 6, paragraphs: int = 6) -> str:
    """A long article with headings, lists, a quote, code, a table and links."""
    parts = ["Opening paragraph of the long article with a [first link](https://example.com/one)."]
    for section in range(1, sections + 1):
        parts.append(f"## Section {section}")
        for number in range(paragraphs):
            parts.append(
                f"Paragraph {section}.{number} talks about rivers and mountains. "
                + "Words flow on and on across the line so the text wraps nicely. " * 3
                + ("The needle is here. " if (section, number) in ((2, 1), (5, 3)) else "")
            )
        if section == 3:
            parts.append("- first point\n- second point with *emphasis*\n  1. nested one")
            parts.append("> A quoted line from someone wise.")
            parts.append("```\ndef code():\n    return 42\n```")
            parts.append("| Name | Value |\n|------|-------|\n| alpha | 1 |\n| beta | 22 |")
            parts.append("See [the second link](https://example.com/two) and **strong** text.")
    parts.append("Closing paragraph: the end of the long article.")
    return "\n\n".join(parts)


DRAFTS = [
    ArticleDraft(
        title="A long read about rivers",
        body_markdown=long_markdown(),
        author="Ada Writer",
        source="Long Reads",
        section="Nature",
        url="https://example.com/long",
        published="2024-05-03",
        tags=["nature"],
    ),
    ArticleDraft(
        title=HOSTILE_TITLE,
        body_markdown=HOSTILE_BODY,
        source="Hostile [b]Source[/b]",
        section="Tests",
        url="https://example.com/hostile",
        published="2024-05-02",
    ),
    ArticleDraft(
        title="Short note on coffee",
        body_markdown="Coffee is a drink. It is brewed. That is all.",
        source="Daily Bean",
        section="Food",
        url="https://example.com/coffee",
        published="2024-05-01",
        tags=["food"],
    ),
    ArticleDraft(
        title="Quoted passage from a book",
        body_markdown="> To be, or not to be, that is the question.",
        source="Daily Bean",
        section="Culture",
        published="2024-04-30",
        kind="excerpt",
    ),
    ArticleDraft(
        title="Zebra crossings explained",
        body_markdown="Zebras do not cross roads. People do, on " * 20,
        source="City Desk",
        section="Urban",
        url="https://example.com/zebra",
        published="2024-04-29",
    ),
]


def build_library(path: Path | str) -> list[int]:
    """Store the fixture articles in a library file; returns their ids in DRAFTS order."""
    with Library(path) as library:
        results = library.store(DRAFTS)
    return [result.id for result in results]
