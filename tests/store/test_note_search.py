from __future__ import annotations

from store.library import Library
from tests.conftest import draft


def test_search_notes_finds_quote_and_body_with_snippet_and_color(library: Library) -> None:
    [a] = library.store([draft("Owls", "Owls hunt at night over quiet fields.")])
    [b] = library.store([draft("Bees", "Bees dance to share where flowers are.")])
    owl = library.add_note(a.id, 0, 9, body="remember the nocturnal part", color=None)
    bee = library.add_note(b.id, 0, 10, body="waggle dance night", color="blue")

    hits = library.search_notes("nocturn")
    assert [h.note.id for h in hits] == [owl.id]
    assert "\x02nocturnal\x03" in hits[0].snippet

    assert [h.note.id for h in library.search_notes("dance")] == [bee.id]
    assert [h.note.id for h in library.search_notes("night")] != []
    assert [h.note.id for h in library.search_notes("dance", color="blue")] == [bee.id]
    assert library.search_notes("dance", color="yellow") == []
    assert library.search_notes("zebra") == []
    assert library.search_notes("  ") == []


def test_color_filter_parses_and_finds_articles_with_that_colour(library: Library) -> None:
    from store.query import parse

    assert parse("color:Blue").color == "blue"
    assert parse("color:mauve").color is None
    [a] = library.store([draft("Owls", "Owls hunt at night.")])
    [b] = library.store([draft("Bees", "Bees hunt for flowers.")])
    library.add_note(a.id, 0, 4, color="blue")
    library.add_note(b.id, 0, 4, color="pink")
    assert [h.id for h in library.search("color:blue")] == [a.id]
    assert [h.id for h in library.search("hunt color:pink")] == [b.id]


def test_note_field_searches_notes_only(library: Library) -> None:
    from store.query import parse

    assert parse('note:"waggle  dance"').notes == ["waggle dance"]
    assert parse("note:!!").notes == []
    [a] = library.store([draft("Owls", "Owls hunt at night.")])
    [b] = library.store([draft("Bees", "Bees dance for flowers.")])
    library.add_note(a.id, 0, 4, body="they dance in the dark")
    assert [h.id for h in library.search("note:dance")] == [a.id]
    assert [h.id for h in library.search("note:danc")] == [a.id]
    assert library.search("note:flowers") == []
    assert {h.id for h in library.search("dance")} >= {b.id}


def test_plain_search_finds_articles_through_their_notes_first(library: Library) -> None:
    [a] = library.store([draft("Owls", "Owls hunt at night over quiet fields.")])
    [b] = library.store([draft("Bees", "Bees dance to share where flowers are.")])
    [c] = library.store([draft("Moths", "Moths fly to lamps; the owls eat them.")])
    note = library.add_note(a.id, 0, 4, body="compare with the zorbified moths")
    # Found only through the note: the note is the snippet, and the word is not "corrected".
    results = library.search_results("zorbified")
    assert [h.id for h in results.hits] == [a.id]
    assert results.hits[0].note_id == note.id
    assert "\x02zorbified\x03" in results.hits[0].snippet
    assert results.corrected is None and not results.substring
    assert "substring" not in results.status()
    # Found both ways: the article with the note comes first, the others keep their snippets.
    hits = library.search("moths")
    assert [h.id for h in hits][:2] == [a.id, c.id]
    assert hits[0].note_id == note.id and hits[1].note_id is None
    assert "\x02moths\x03" in hits[0].snippet.casefold()
    # Filters apply to articles found through notes; field queries do not look at notes.
    assert library.search("moths tag:nothing") == []
    assert [h.id for h in library.search("title:moths")] == [c.id]
    assert [h.id for h in library.search("moths -lamps")] == []
    assert library.search("zorbified", offset=20) == []
    assert b.id not in {h.id for h in library.search("moths")}
    assert library.search("moths")[0].to_dict()["note_id"] == note.id
