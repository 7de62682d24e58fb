"""Pilot tests: highlighting a selection and bookmarking from the article screen."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Offset
from textual.selection import Selection

from store.library import Library
from tui.app import MarginApp

from .test_reader import SIZE, open_title, settle, view


def opening_line(app: MarginApp) -> int:
    """The view line holding the start of the fixture's long article."""
    return next(
        y for y in range(4, 20) if "Opening" in "".join(s.text for s in view(app)._line_strip(y))
    )


def select_line(app: MarginApp, line: int, first: int, last: int) -> str:
    """Select columns ``first``–``last`` of view line ``line`` as a mouse drag would."""
    article_view = view(app)
    app.screen.selections = {article_view: Selection(Offset(first, line), Offset(last, line))}
    selected = app.screen.get_selected_text()
    assert selected and selected.strip()
    return selected


async def test_h_highlights_the_selection_and_draws_it(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        text = screen.document.text
        line = opening_line(app)
        selected = select_line(app, line, 12, 40)
        await pilot.press("h")
        await settle(pilot)
        with Library(library_path) as library:
            (note,) = library.notes(screen.article_id)
        assert note.color == "yellow"
        assert " ".join(text[note.start : note.end].split()) == " ".join(selected.split())
        assert view(app).layers["highlight-yellow"]  # drawn without reopening
        assert not app.screen.selections
        status = str(app.screen.query_one(".reader-status").render())
        assert "1 note ·" in status or status.endswith("1 note")

        select_line(app, line, 42, 60)
        await pilot.press("3")
        await settle(pilot)
        with Library(library_path) as library:
            colors = sorted(n.color for n in library.notes(screen.article_id))
        assert colors == ["blue", "yellow"]
        assert "2 notes" in str(app.screen.query_one(".reader-status").render())


async def test_h_without_a_selection_says_what_to_do(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("h")
        await settle(pilot)
        assert any("Select a passage" in str(n.message) for n in app._notifications)
        with Library(library_path) as library:
            assert library.notes(screen.article_id) == []


async def test_b_bookmarks_the_article_and_again_removes_it(
    app: MarginApp, library_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("B")
        await settle(pilot)
        with Library(library_path) as library:
            assert [b.article_id for b in library.bookmarks()] == [screen.article_id]
        await pilot.press("B")
        await settle(pilot)
        with Library(library_path) as library:
            assert library.bookmarks() == []


async def test_saved_highlights_are_drawn_when_the_article_opens(
    app: MarginApp, library_path: Path
) -> None:
    with Library(library_path) as library:
        article_id = next(s.id for s in library.summaries() if s.title.startswith("A long read"))
        text = library.get(article_id).body_text
        start = text.index("rivers and mountains")
        library.add_note(article_id, start, start + 20, color="green")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        spans = view(app).layers["highlight-green"]
        assert [screen.document.blocks[b].text[s:e] for b, s, e in spans] == [
            "rivers and mountains"
        ]


async def test_a_writes_a_note_on_the_selection(app: MarginApp, library_path: Path) -> None:
    from tui.screens.note_editor import NoteEditor

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        line = opening_line(app)
        select_line(app, line, 12, 40)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Why *this*?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with Library(library_path) as library:
            (note,) = library.notes(screen.article_id)
            assert note.body == "Why *this*?"
            assert library.drafts() == []


async def test_escape_keeps_the_note_as_a_draft(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        line = opening_line(app)
        select_line(app, line, 12, 40)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"half a thought")
        await pilot.press("escape")
        await settle(pilot)
        with Library(library_path) as library:
            assert library.notes(screen.article_id) == []
            assert [text for _, text, _ in library.drafts()] == ["half a thought"]
        select_line(app, line, 12, 40)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("TextArea").text == "half a thought"  # the draft comes back


async def test_shift_t_edits_tags_with_completion(app: MarginApp, library_path: Path) -> None:
    from tui.screens.tag_dialog import TagDialog

    with Library(library_path) as library:
        other = next(s.id for s in library.summaries() if not s.title.startswith("A long read"))
        library.add_tags(other, ["geography"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"geo")
        await pilot.pause()
        await pilot.press("right")  # accept the completion
        await pilot.press(*" rivers", "enter")
        await settle(pilot)
        assert app.screen is screen
        with Library(library_path) as library:
            assert sorted(library.article_tags(screen.article_id)) == ["geography", "rivers"]
        await pilot.press("T")
        await settle(pilot)
        field = app.screen.query_one("Input")
        assert set(field.value.split()) == {"geography", "rivers"}
        field.value = "rivers"
        await pilot.press("enter")
        await settle(pilot)
        with Library(library_path) as library:
            assert library.article_tags(screen.article_id) == ["rivers"]


async def test_b_bookmarks_the_passage_on_screen(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("G")
        await settle(pilot)
        top, offset = view(app).top_block
        await pilot.press("b")
        await settle(pilot)
        with Library(library_path) as library:
            (mark,) = library.bookmarks(screen.article_id)
        assert mark.offset == screen.document.blocks[top].start + offset
        assert mark.offset > 0
