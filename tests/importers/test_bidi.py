"""Bidi embedding, override and isolate controls never survive an import."""

from __future__ import annotations

import json

import pytest

from importers.base import Source
from importers.decode import decode_text
from importers.registry import parse_source

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("char", list(BIDI), ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_decode_strips_each_bidi_control(char: str) -> None:
    assert decode_text(f"ab{char}cd\n".encode()) == "abcd\n"


def test_markdown_title_and_body_have_no_bidi_controls() -> None:
    text = f"# Safe\u202etxt.exe\n\nThe body \u2066hides\u2069 nothing{BIDI}.\n"
    (draft,) = parse_source(Source(name="a.md", data=text.encode()))
    assert draft.title == "Safetxt.exe"
    assert not set(BIDI) & set(draft.title + draft.body_markdown)
    assert "The body hides nothing." in draft.body_markdown


def test_html_entities_cannot_smuggle_bidi_controls() -> None:
    entities = "".join(f"&#x{ord(c):x};" for c in BIDI)
    page = (
        f"<html><head><title>Report{entities} final</title></head><body><article>"
        f"<h1>Report{entities} final</h1>"
        + f"<p>A paragraph of article text{entities} that is long enough to extract.</p>" * 8
        + "</article></body></html>"
    )
    (draft,) = parse_source(Source(name="a.html", data=page.encode()))
    assert "Report" in draft.title
    assert not set(BIDI) & set(draft.title + draft.body_markdown)
    assert "article text that is long" in draft.body_markdown


def test_escapes_in_json_lines_cannot_smuggle_controls() -> None:
    line = json.dumps(
        {
            "title": "Evil\u202etxt.exe",
            "body_markdown": "Body \u2066hidden\u2069 \u0001here.\n",
            "content_hash": "x",
            "author": "Ann\u202e",
            "tags": ["t\u202eag", "\u2066"],
        }
    )
    (draft,) = parse_source(Source(name="articles.jsonl", data=line.encode() + b"\n"))
    assert (draft.title, draft.author, draft.tags) == ("Eviltxt.exe", "Ann", ["tag"])
    assert draft.body_markdown == "Body hidden here.\n"


def test_yaml_escapes_in_front_matter_cannot_smuggle_controls() -> None:
    text = '---\ntitle: "Bad\\x01 \\u202etitle"\ntags: ["a\\u2066"]\n---\nThe body.\n'
    (draft,) = parse_source(Source(name="a.md", data=text.encode()))
    assert (draft.title, draft.tags) == ("Bad title", ["a"])
