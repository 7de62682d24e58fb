"""Re-anchoring: insertions, edits inside a quote, moves, removals, repeated quotes, the Library."""

from __future__ import annotations

from pathlib import Path

from store.anchoring import Anchor, locate, reanchor, selectors
from store.annotations import article_text
from store.library import Library
from tests.conftest import draft

OLD = (
    "The harbour was quiet in the morning. Fishing boats left before dawn and came back at noon.\n"
    "In the afternoon the market sold the catch to merchants from the inland towns.\n"
    "At night the lighthouse keeper wrote long letters to his sister in the capital.\n"
)
QUOTE = "sold the catch to merchants from the inland towns"


def anchor_on(text: str, quote: str) -> Anchor:
    start = text.index(quote)
    return selectors(text, start, start + len(quote))


def test_unchanged_text_keeps_the_position() -> None:
    placed = locate(anchor_on(OLD, QUOTE), OLD)
    assert placed is not None and placed.method == "position"
    assert OLD[placed.start : placed.end] == QUOTE


def test_insertion_before_the_quote_shifts_it() -> None:
    new = "A new opening paragraph about the coast and its weather.\n" + OLD
    for old_text in (OLD, None):
        placed = reanchor([anchor_on(OLD, QUOTE)], old_text, new)[0]
        assert placed is not None
        assert new[placed.start : placed.end] == QUOTE


def test_edit_inside_the_quote_still_attaches_to_the_passage() -> None:
    new = OLD.replace("merchants from the inland towns", "traders from the inland towns")
    for old_text in (OLD, None):
        placed = reanchor([anchor_on(OLD, QUOTE)], old_text, new)[0]
        assert placed is not None
        assert new[placed.start : placed.end] == "sold the catch to traders from the inland towns"


def test_moved_paragraph_is_followed() -> None:
    lines = OLD.splitlines(keepends=True)
    new = lines[2] + lines[0] + lines[1]
    placed = reanchor([anchor_on(OLD, QUOTE)], OLD, new)[0]
    assert placed is not None and new[placed.start : placed.end] == QUOTE


def test_removed_passage_becomes_an_orphan_not_a_wrong_place() -> None:
    lines = OLD.splitlines(keepends=True)
    new = lines[0] + "In the afternoon the square was empty and the shops were closed.\n" + lines[2]
    assert reanchor([anchor_on(OLD, QUOTE)], OLD, new) == [None]
    assert reanchor([anchor_on(OLD, QUOTE)], None, new) == [None]


def test_rewritten_passage_with_few_shared_words_is_not_fuzzily_attached() -> None:
    new = OLD.replace(QUOTE, "bought the nets from sailors of the northern ports")
    assert reanchor([anchor_on(OLD, QUOTE)], None, new) == [None]


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    text = "red fox runs at dawn. blue jay sings loud.\nold owl sleeps. red fox runs at dusk too.\n"
    second = text.rindex("red fox runs")
    anchor = selectors(text, second, second + len("red fox runs"))
    new = "intro line here.\n" + text
    placed = reanchor([anchor], None, new)[0]
    assert placed is not None and placed.start == new.rindex("red fox runs")


def test_empty_quote_is_an_orphan() -> None:
    assert reanchor([Anchor("", "", "", None, None)], OLD, OLD) == [None]


def test_library_reimport_reanchors_and_keeps_orphans(db_path: Path) -> None:
    body = OLD.replace("\n", "\n\n")
    with Library(db_path) as library:
        result = library.store([draft("Harbour", body, url="https://example.org/h")])[0]
        _, _, text = article_text(library.conn, result.id)
        kept = library.add_note(result.id, text.index(QUOTE), text.index(QUOTE) + len(QUOTE))
        doomed_quote = "lighthouse keeper wrote long letters"
        start = text.index(doomed_quote)
        doomed = library.add_note(result.id, start, start + len(doomed_quote), body="mine")
        new_body = "A new first paragraph.\n\n" + body.split("At night")[0]
        library.replace(result.id, draft("Harbour", new_body, url="https://example.org/h"))
        _, _, new_text = article_text(library.conn, result.id)
        notes = {n.id: n for n in library.notes(result.id)}
        assert notes[kept.id].state == "anchored"
        start = notes[kept.id].start
        assert start is not None and new_text[start : start + len(QUOTE)] == QUOTE
        assert notes[doomed.id].state == "orphaned"
        assert notes[doomed.id].body == "mine" and notes[doomed.id].start is None
