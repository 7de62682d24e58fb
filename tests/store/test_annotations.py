"""Notes, highlights, bookmarks, drafts, versions and the W3C round trip, through ``Library``."""

from __future__ import annotations

import json

import pytest

from store.library import Library, LibraryError
from tests.conftest import draft

BODY = (
    "The council met on Tuesday to discuss the new bridge.\n\n"
    "Residents said the bridge would cut their commute by half.\n\n"
    "The mayor promised a decision before the summer recess."
)


def stored(library: Library, body: str = BODY, **fields: object) -> int:
    fields.setdefault("url", "https://news.example/bridge")
    return library.store([draft("Bridge vote", body, **fields)])[0].id


def plain(library: Library, article_id: int) -> str:
    article = library.get(article_id)
    assert article is not None
    return article.body_text


def highlight(library: Library, article_id: int, quote: str, body: str = "") -> int:
    text = plain(library, article_id)
    start = text.index(quote)
    return library.add_note(article_id, start, start + len(quote), body=body).id


def reimport(library: Library, body: str) -> None:
    library.store([draft("Bridge vote", body, url="https://news.example/bridge")])


def test_highlight_records_both_selectors(library: Library) -> None:
    article_id = stored(library)
    note = library.note(highlight(library, article_id, "cut their commute", "why half?"))
    text = plain(library, article_id)
    assert note.quote == "cut their commute"
    assert text[note.start : note.end] == note.quote
    assert text.endswith(note.suffix + text[note.end + len(note.suffix) :])
    assert text[: note.start].endswith(note.prefix)
    assert note.state == "anchored" and note.body == "why half?"
    assert note.paragraph == 1


def test_insertion_before_the_quote_moves_the_note(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "cut their commute")
    reimport(library, "Breaking: a late change.\n\n" + BODY)
    note = library.note(note_id)
    text = plain(library, article_id)
    assert note.state == "anchored"
    assert text[note.start : note.end] == "cut their commute"


def test_edit_elsewhere_and_versions_kept(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "a decision before the summer recess")
    reimport(library, BODY.replace("Tuesday", "Wednesday"))
    assert library.note(note_id).state == "anchored"
    versions = library.versions(article_id)
    assert len(versions) == 1 and versions[0].origin == "import"
    assert "Tuesday" in library.version_text(article_id, 1)
    reimport(library, BODY.replace("Tuesday", "Wednesday"))  # same text: no new version
    assert library.version_count(article_id) == 1


def test_each_version_keeps_its_own_text_count_and_hash(library: Library) -> None:
    from store.document import word_count
    from store.prepare import content_hash

    a, b, c = BODY, BODY + "\n\nA second thought.", BODY.replace("bridge", "tunnel")
    article_id = stored(library, a)
    for body in (b, c, b):  # back to b: its text is kept once, never c under b's hash
        reimport(library, body)
    kept = {
        v.number: library.version_text(article_id, v.number) for v in library.versions(article_id)
    }
    assert sorted(kept.values()) == sorted(
        [plain_of(library, a), plain_of(library, b), plain_of(library, c)]
    )
    for version in library.versions(article_id):
        text = kept[version.number]
        assert version.word_count == word_count(text)
        assert version.content_hash == content_hash("Bridge vote", text)


def plain_of(library: Library, body: str) -> str:
    from store.document import markdown_to_text

    return markdown_to_text(body)


def test_moved_paragraph_keeps_its_note(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "The mayor promised a decision")
    first, second, third = BODY.split("\n\n")
    reimport(library, "\n\n".join([third, first, second]))
    note = library.note(note_id)
    assert note.state == "anchored"
    assert plain(library, article_id)[note.start : note.end] == "The mayor promised a decision"


def test_removed_passage_becomes_an_orphan_never_deleted(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "cut their commute by half", "check this")
    first, _, third = BODY.split("\n\n")
    reimport(library, f"{first}\n\n{third}")
    note = library.note(note_id)
    assert note.state == "orphaned"
    assert note.start is None and note.end is None
    assert note.quote == "cut their commute by half" and note.body == "check this"
    assert [n.id for n in library.notes(orphaned=True)] == [note_id]


def test_orphan_can_be_placed_again(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "cut their commute by half")
    first, _, third = BODY.split("\n\n")
    reimport(library, f"{first}\n\n{third}")
    text = plain(library, article_id)
    start = text.index("The mayor")
    note = library.update_note(note_id, start=start, end=start + 9)
    assert note.state == "anchored" and note.quote == "The mayor"


def test_repeated_quote_is_told_apart_by_context(library: Library) -> None:
    article_id = stored(library)
    text = plain(library, article_id)
    second = text.index("the bridge", text.index("Residents"))
    note = library.add_note_by_quote(article_id, "the bridge", prefix="Residents said ")
    assert note.start == second


def test_add_by_quote_keeps_an_unplaceable_quote_as_an_orphan(library: Library) -> None:
    article_id = stored(library)
    note = library.add_note_by_quote(article_id, "words that are nowhere", body="mine")
    assert note.state == "orphaned" and note.body == "mine"
    with pytest.raises(LibraryError):
        library.add_note_by_quote(article_id, "   ")


def test_delete_and_undo(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "new bridge", "remember")
    removed = library.delete_note(note_id)
    assert library.notes(article_id) == []
    restored = library.restore_note(removed)
    assert restored.id == note_id and restored.body == "remember"


def test_note_text_is_searchable_and_filters(library: Library) -> None:
    article_id = stored(library)
    highlight(library, article_id, "new bridge", "ask about tolls")
    library.update_note(highlight(library, article_id, "The mayor"), color="green")
    assert [n.body for n in library.notes(text="tolls")] == ["ask about tolls"]
    assert [n.quote for n in library.notes(color="green")] == ["The mayor"]


def test_bookmarks_of_articles_and_passages(library: Library) -> None:
    article_id = stored(library)
    library.add_bookmark(article_id, label="read later")
    offset = plain(library, article_id).index("Residents")
    passage = library.add_bookmark(article_id, offset=offset, label="quote")
    assert {b.label for b in library.bookmarks(article_id)} == {"read later", "quote"}
    assert library.unbookmark(article_id)
    assert [b.id for b in library.bookmarks()] == [passage.id]


def test_a_deleted_bookmark_comes_back_as_it_was(library: Library) -> None:
    article_id = stored(library)
    offset = plain(library, article_id).index("Residents")
    passage = library.add_bookmark(article_id, offset=offset, label="quote")
    whole = library.add_bookmark(article_id, label="later")
    for bookmark in (passage, whole):
        gone = library.delete_bookmark(bookmark.id)
        assert library.restore_bookmark(gone) == bookmark
    assert {b.id for b in library.bookmarks(article_id)} == {passage.id, whole.id}
    # Its article deleted meanwhile: the bookmark comes back detached, not refused.
    gone = library.delete_bookmark(passage.id)
    library.delete(article_id, keep_annotations=True)
    back = library.restore_bookmark(gone)
    assert back.id == passage.id and back.article_id is None and back.label == "quote"


def test_deleting_an_article_keeps_its_notes_detached(library: Library) -> None:
    article_id = stored(library)
    note_id = highlight(library, article_id, "new bridge", "keep me")
    library.delete(article_id, keep_annotations=True)
    note = library.note(note_id)
    assert note.body == "keep me"
    assert any(item["id"].endswith(f":{note_id}") for item in library.export_annotations())


def test_drafts_survive_until_dropped(library: Library) -> None:
    library.save_draft("note:1", "half a thought")
    library.save_draft("note:1", "half a thought, finished")
    assert library.draft("note:1") == "half a thought, finished"
    library.drop_draft("note:1")
    assert library.draft("note:1") is None


def test_web_annotation_round_trip_is_identical(tmp_path) -> None:
    with Library(tmp_path / "a.db") as first:
        article_id = stored(first)
        highlight(first, article_id, "new bridge", "a **note**")
        first.add_tags(article_id, ["transport"])
        first.add_bookmark(article_id, label="later")
        exported = first.export_annotations()
    with Library(tmp_path / "b.db") as second:
        stored(second)
        report = second.import_annotations(json.loads(json.dumps(exported)))
        assert report["skipped"] == []
        again = second.export_annotations()
    assert again == exported
    item = next(i for i in exported if i.get("motivation") != "bookmarking")
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert item["target"]["source"] == "https://news.example/bridge"
    assert selectors["TextQuoteSelector"]["exact"] == "new bridge"
    assert set(selectors) >= {"TextQuoteSelector", "TextPositionSelector"}


def test_import_of_annotations_for_an_unknown_article_is_reported(library: Library) -> None:
    stored(library)
    report = library.import_annotations(
        [
            {
                "id": "x-1",
                "type": "Annotation",
                "target": {"source": "https://elsewhere.example/", "selector": []},
            }
        ]
    )
    assert [s["id"] for s in report["skipped"]] == ["x-1"]


def test_a_version_is_compared_in_revision_mode_however_much_it_changed(
    library: Library,
) -> None:
    article_id = stored(library)
    paragraphs = BODY.split("\n\n")
    reimport(library, "\n\n".join(reversed(paragraphs)) + "\n\nA new closing line was added.")
    result = library.compare(article_id, article_id, version=1)
    assert result.mode == "revision"
    assert any(pair.moved for pair in result.pairs)
