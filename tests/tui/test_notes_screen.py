"""The notes & bookmarks screen, driven by real keys on the fixture library."""

from __future__ import annotations

import itertools
from pathlib import Path
from unittest import mock

import pytest
from textual.pilot import Pilot

from store.library import Library
from store.models import Note
from tests.tui.pilot_helpers import settle
from tui.app import MarginApp
from tui.config import Config
from tui.screens.article import ArticleScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.notes import NoteFilters, NotesScreen, fuzzy_filter
from tui.screens.pickers import PickerScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.note_list import Entry, NoteList

HOSTILE_NOTE = "[bold]loud[/bold] \x1b[31mred\x1b[0m [link=x]y[/link]"


def seed_notes(library: Library) -> dict[str, int]:
    """Notes, highlights, an orphan and bookmarks on the fixture articles, one a day.

    Returns the ids by name (``river`` … for notes, ``mark``/``place`` for bookmarks,
    ``long``/``coffee`` for articles). Timestamps are fixed so snapshots are stable.
    """
    days = (f"2026-01-{day:02d}T09:00:00+00:00" for day in itertools.count(1))
    ids = [row[0] for row in library.conn.execute("SELECT id FROM articles ORDER BY id")]
    long, hostile, coffee, _quote, zebra = ids
    text = library.get(long).body_text  # type: ignore[union-attr]
    river = text.index("Paragraph 4.2")
    place = text.index("Paragraph 5.4")
    coffee_text = library.get(coffee).body_text  # type: ignore[union-attr]
    made: dict[str, int] = {"long": long, "coffee": coffee, "zebra_article": zebra}
    with mock.patch("store.library.now", side_effect=lambda: next(days)):
        made["river"] = library.add_note(
            long,
            river,
            river + 44,
            body="Rivers carve the mountains\nand a second line that stays hidden",
            color="blue",
        ).id
        made["yellow"] = library.add_note(long, 0, 17).id
        made["brew"] = library.add_note(
            coffee, 0, coffee_text.index("."), body="Brew it stronger", color="green"
        ).id
        made["zebra"] = library.add_note(zebra, 0, 19, color="pink").id
        made["hostile"] = library.add_note(hostile, 0, 9, body=HOSTILE_NOTE, color="purple").id
        made["orphan"] = library.add_note_by_quote(
            long, "a sentence the article never had", body="lost thought about deltas"
        ).id
        made["mark"] = library.add_bookmark(coffee, label="morning read").id
        made["place"] = library.add_bookmark(long, offset=place).id
    return made


@pytest.fixture
def seeded(library_path: Path) -> dict[str, int]:
    """The fixture library with ``seed_notes`` in it."""
    with Library(library_path) as library:
        return seed_notes(library)


async def open_notes(pilot: Pilot[object]) -> NotesScreen:
    """Press N in the library and wait for the list."""
    await settle(pilot)
    await pilot.press("N")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NotesScreen)
    return screen


def keys_of(screen: NotesScreen) -> list[str]:
    """The keys of the entries shown, in order."""
    return [entry.key for entry in screen.query_one(NoteList).entries]


def point_at(screen: NotesScreen, key: str) -> None:
    """Put the list's cursor on the entry with ``key`` (e.g. ``note:3``)."""
    screen.query_one(NoteList).cursor = keys_of(screen).index(key)


def _render_text(note_list: NoteList) -> list[str]:
    return [note_list.render_line(y).text for y in range(note_list.size.height)]


async def test_lists_everything_newest_first(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_notes(pilot)
        assert keys_of(screen) == [
            f"bookmark:{seeded['place']}",
            f"bookmark:{seeded['mark']}",
            f"note:{seeded['orphan']}",
            f"note:{seeded['hostile']}",
            f"note:{seeded['zebra']}",
            f"note:{seeded['brew']}",
            f"note:{seeded['yellow']}",
            f"note:{seeded['river']}",
        ]
        kinds = [entry.kind for entry in screen.shown]
        assert kinds.count("bookmark") == 2 and kinds.count("highlight") == 2
        orphan = next(e for e in screen.shown if e.item.id == seeded["orphan"])
        assert orphan.state == "orphaned"
        assert any("orphaned" in line for line in _render_text(screen.query_one(NoteList)))


async def test_rows_show_quote_body_tags_title_and_no_markup(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_notes(pilot)
        text = "\n".join(_render_text(screen.query_one(NoteList)))
        assert "Rivers carve the mountains" in text
        assert "second line that stays hidden" not in text  # only the body's first line
        assert "#food" in text and "Short note on coffee" in text
        assert "whole article: Short note on coffee" in text
        assert "morning read" in text
        # Hostile text is shown literally, its escape made visible, never styled.
        assert "[bold]loud[/bold]" in text
        assert "\x1b" not in text and "␛[31mred" in text


async def test_narrow_rows_are_ellipsised(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await open_notes(pilot)
        lines = _render_text(screen.query_one(NoteList))
        assert all(len(line) <= screen.query_one(NoteList).size.width for line in lines)
        assert any(line.rstrip().endswith("…") for line in lines)


async def test_filters_by_keys(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_notes(pilot)
        status = screen.query_one("#notes-status")
        await pilot.press("n")  # notes only
        await settle(pilot)
        assert {e.kind for e in screen.shown} == {"note"}
        assert len(screen.shown) == 4
        assert "notes" in str(status.render())
        await pilot.press("n", "h")  # the same key again clears; h: highlights
        await settle(pilot)
        assert {e.item.id for e in screen.shown} == {seeded["yellow"], seeded["zebra"]}
        await pilot.press("b")
        await settle(pilot)
        assert {e.item.id for e in screen.shown} == {seeded["mark"], seeded["place"]}
        await pilot.press("b", "c", "c", "c")  # yellow, green, blue
        await settle(pilot)
        assert [e.item.id for e in screen.shown] == [seeded["river"]]
        assert "colour: blue" in str(status.render())
        await pilot.press("escape")  # clears every filter
        await settle(pilot)
        assert len(screen.shown) == 8
        await pilot.press("o")
        await settle(pilot)
        assert [e.item.id for e in screen.shown] == [seeded["orphan"]]
        await pilot.press("o", "t")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("down", "enter")  # "Any tag", then #food
        await settle(pilot)
        assert app.screen is screen
        assert {e.article_id for e in screen.shown} == {seeded["coffee"]}
        assert "tag: food" in str(status.render())
        await pilot.press("t", "up", "enter")  # the current tag is highlighted; above: Any tag
        await settle(pilot)
        assert len(screen.shown) == 8
        screen.query_one(NoteList).cursor = 0  # the passage bookmark in the long read
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # the article under the cursor is highlighted
        await settle(pilot)
        assert {e.article_id for e in screen.shown} == {seeded["long"]}
        assert len(screen.shown) == 4


async def test_fuzzy_find_as_you_type(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_notes(pilot)
        await pilot.press("slash", *"mountins")  # a typo: the note and the bookmarked place
        await settle(pilot)
        assert keys_of(screen) == [f"bookmark:{seeded['place']}", f"note:{seeded['river']}"]
        await pilot.press(*" carve")
        await settle(pilot)
        assert keys_of(screen) == [f"note:{seeded['river']}"]
        await pilot.press(*["backspace"] * 6)
        await pilot.press(*["backspace"] * 8, *"zebra")  # the article title
        await settle(pilot)
        assert [e.item.id for e in screen.shown] == [seeded["zebra"]]
        await pilot.press(*["backspace"] * 5, *"food brew")  # a tag and a word of the note
        await settle(pilot)
        assert [e.item.id for e in screen.shown] == [seeded["brew"]]
        await pilot.press(*["backspace"] * 9, *"qqxqq")
        await settle(pilot)
        assert screen.shown == []
        assert "Nothing matches" in screen.query_one(NoteList).empty_message
        await pilot.press("escape", "escape")  # leave the line, then clear it
        await settle(pilot)
        assert len(screen.shown) == 8


async def test_enter_opens_the_article_at_the_passage(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    with Library(app.library.path) as library:
        note = library.note(seeded["river"])
    assert note is not None and note.paragraph is not None
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        point_at(screen, f"note:{note.id}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one(ArticleView)
        assert view.top_block[0] == note.paragraph
        assert app.screen.document.blocks[note.paragraph].text.startswith("Paragraph 4.2")
        # The passage is selected: it is the current note, so e and d act on it at once.
        assert app.screen.pane.current_note is not None
        assert app.screen.pane.current_note.id == note.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_enter_on_an_orphan_opens_at_the_top_and_says_so(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        point_at(screen, f"note:{seeded['orphan']}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.query_one(ArticleView).top_block == (0, 0)
        assert any("orphaned" in n.message for n in app._notifications)


async def test_enter_on_a_passage_bookmark_opens_there(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        point_at(screen, f"bookmark:{seeded['place']}")
        await pilot.press("enter")
        await settle(pilot)
        article = app.screen
        assert isinstance(article, ArticleScreen)
        top, _ = article.query_one(ArticleView).top_block
        assert article.document.blocks[top].text.startswith("Paragraph 5.4")


async def test_edit_a_note(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        point_at(screen, f"note:{seeded['brew']}")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "Brew it stronger"
        await pilot.press("end", *" and hotter", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert app.library.note(seeded["brew"]).body == "Brew it stronger and hotter"  # type: ignore[union-attr]
        current = screen.query_one(NoteList).current
        assert current is not None and current.body == "Brew it stronger and hotter"
        # A highlight becomes a note when given a body.
        point_at(screen, f"note:{seeded['zebra']}")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"crossing", "ctrl+s")
        await settle(pilot)
        entry = next(e for e in screen.shown if e.item.id == seeded["zebra"])
        assert entry.kind == "note"


async def test_a_read_that_finishes_late_never_hides_a_newer_one(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    """Back from the editor, the reload on resume can read before the save commits and
    answer after the save's own reload: the list must keep the newer read."""
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        shown = keys_of(screen)
        assert shown
        newer = screen.all_entries
        older = [e for e in newer if e.key != f"note:{seeded['brew']}"]
        screen._loaded(newer, None, 100)
        screen._loaded(older, None, 99)
        await settle(pilot)
        assert keys_of(screen) == shown
        screen._loaded(older, None, 101)
        await settle(pilot)
        assert f"note:{seeded['brew']}" not in keys_of(screen)


async def test_delete_and_undo(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        before = app.library.note(seeded["river"])
        note_list = screen.query_one(NoteList)
        note_list.cursor = keys_of(screen).index(f"note:{seeded['river']}")
        await pilot.press("d")
        await settle(pilot)
        assert app.library.note(seeded["river"]) is None
        assert f"note:{seeded['river']}" not in keys_of(screen)
        note_list.cursor = keys_of(screen).index(f"bookmark:{seeded['mark']}")
        await pilot.press("d")
        await settle(pilot)
        assert [b.label for b in app.library.bookmarks()] == [""]
        await pilot.press("u")  # the bookmark comes back first
        await settle(pilot)
        assert sorted(b.label for b in app.library.bookmarks()) == ["", "morning read"]
        await pilot.press("u")
        await settle(pilot)
        assert app.library.note(seeded["river"]) == before  # same id, text, place, dates
        assert f"note:{seeded['river']}" in keys_of(screen)
        assert note_list.current is not None and note_list.current.item.id == seeded["river"]
        await pilot.press("u")
        await settle(pilot)
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_export_writes_markdown_to_the_configured_folder(
    library_path: Path, seeded: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "vault"
    app = MarginApp(str(library_path), config=Config(notes_export_dir=str(folder)))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notes(pilot)
        await pilot.press("x")
        await settle(pilot)
        files = sorted(path.name for path in folder.glob("*.md"))
        assert len(files) == 4
        assert "Brew it stronger" in "".join(p.read_text() for p in folder.glob("*.md"))
        # Every change re-exports the configured folder.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("G", "d")  # the oldest note: the river note
        await settle(pilot)
        assert "Rivers carve" not in "".join(p.read_text() for p in folder.glob("*.md"))


async def test_export_without_a_folder_says_where_to_set_one(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notes(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert any("notes_export_dir" in n.message for n in app._notifications)


async def test_empty_library_says_how_to_make_notes(app: MarginApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        assert screen.shown == []
        assert "select a passage" in screen.query_one(NoteList).empty_message


async def test_detached_notes_are_listed_and_do_not_open(
    app: MarginApp, seeded: dict[str, int]
) -> None:
    app.library.delete(seeded["zebra_article"], keep_annotations=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        entry = next(e for e in screen.shown if e.item.id == seeded["zebra"])
        assert entry.state == "detached" and entry.article_title == "Zebra crossings explained"
        screen.query_one(NoteList).cursor = screen.shown.index(entry)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert any("deleted" in n.message for n in app._notifications)


async def test_palette_and_footer_reach_the_screen(app: MarginApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Notes" in commands
        app.action_notes()
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert commands.count("Notes") == 1


def _entry(note_id: int, quote: str, body: str, title: str, tags: tuple[str, ...] = ()) -> Entry:
    note = Note(
        id=note_id,
        article_id=1,
        article_title=title,
        article_url=None,
        quote=quote,
        prefix="",
        suffix="",
        start=0,
        end=len(quote),
        paragraph=0,
        body=body,
        color="yellow",
        state="anchored",
        tags=tags,
        created="2026-01-01",
        updated="2026-01-01",
    )
    return Entry.from_note(note)


def test_fuzzy_filter_needs_every_word_and_forgives_typos() -> None:
    entries = [
        _entry(1, "The river bends", "", "Geography", ("nature",)),
        _entry(2, "A mountain pass", "cold winds", "Travel"),
        _entry(3, "Rivers and mountains", "both", "Nature notes"),
    ]
    assert [e.item.id for e in fuzzy_filter(entries, "")] == [1, 2, 3]
    assert [e.item.id for e in fuzzy_filter(entries, "mountian")] == [2, 3]
    assert [e.item.id for e in fuzzy_filter(entries, "river nature")] == [1, 3]
    assert [e.item.id for e in fuzzy_filter(entries, "winds travel")] == [2]
    assert fuzzy_filter(entries, "xyz") == []
    assert fuzzy_filter(entries, "rat") == []  # short words must match exactly


def test_filters_describe_and_match() -> None:
    entry = _entry(1, "q", "", "T", ("Nature",))
    assert NoteFilters(tag="nature").matches(entry)
    assert not NoteFilters(color="blue").matches(entry)
    assert not NoteFilters(orphaned=True).matches(entry)
    assert NoteFilters(kind="highlight").matches(entry)
    assert not NoteFilters(kind="note").matches(entry)
    assert NoteFilters(tag="x", color="blue", orphaned=True).describe() == (
        "tag: x · colour: blue · orphaned"
    )


async def test_edit_resumes_an_unsaved_draft(app: MarginApp, seeded: dict[str, int]) -> None:
    app.library.save_draft(f"edit:{seeded['brew']}", "Brew it stronger, or")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notes(pilot)
        point_at(screen, f"note:{seeded['brew']}")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "Brew it stronger, or"
        await pilot.press("escape")  # cancel: the note is unchanged, the draft kept
        await settle(pilot)
        assert app.library.note(seeded["brew"]).body == "Brew it stronger"  # type: ignore[union-attr]
        assert app.library.draft(f"edit:{seeded['brew']}") == "Brew it stronger, or"
        await pilot.press("e", "end", *" tea", "ctrl+s")
        await settle(pilot)
        assert app.library.note(seeded["brew"]).body == "Brew it stronger, or tea"  # type: ignore[union-attr]
        assert app.library.draft(f"edit:{seeded['brew']}") is None


async def test_help_lists_the_screen_keys(app: MarginApp, seeded: dict[str, int]) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_notes(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        from tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        described = {description for _, description in app.screen.rows}
        assert {"Filter: tag", "Filter: colour", "Notes only", "Undo", "Export"} <= described
