"""Pilot tests: the reader pane's keyboard selection, notes in the margin, edit, delete, undo."""

from __future__ import annotations

import stat
import sys
from contextlib import nullcontext
from pathlib import Path

import pytest

from store.library import Library
from tui.app import MarginApp
from tui.screens.article import ArticleScreen
from tui.widgets.reader_pane import ReaderPane, sentence_bounds

from .test_reader import SIZE, open_title, screen_text, settle, view

WIDE = (160, 48)


def pane(app: MarginApp) -> ReaderPane:
    return app.screen.query_one(ReaderPane)


def long_read(library_path: Path) -> tuple[int, str]:
    with Library(library_path) as library:
        article_id = next(s.id for s in library.summaries() if s.title.startswith("A long read"))
        return article_id, library.get(article_id).body_text


def add_note(library_path: Path, phrase: str, body: str, nth: int = 0) -> int:
    article_id, text = long_read(library_path)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    with Library(library_path) as library:
        return library.add_note(article_id, start, start + len(phrase), body=body).id


def test_sentence_bounds() -> None:
    text = "One two. Three four five! Six"
    assert sentence_bounds(text, 0) == (0, 8)
    assert sentence_bounds(text, 10) == (9, 25)
    assert sentence_bounds(text, 27) == (26, 29)
    assert sentence_bounds("漢字です。次の文。", 6) == (5, 9)


async def test_v_selects_a_sentence_s_extends_h_highlights_it(
    app: MarginApp, library_path: Path
) -> None:
    article_id, text = long_read(library_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.press("v")
        first = pane(app).visual
        assert first is not None
        assert text[slice(*first)].startswith("Opening paragraph")
        assert view(app).layers["visual"]
        await pilot.press("s")  # no second sentence in this paragraph: the next one
        extended = pane(app).visual
        assert extended is not None and extended[1] > first[1]
        await pilot.press("b")  # a word back
        shrunk = pane(app).visual
        assert shrunk is not None and shrunk[1] < extended[1]
        await pilot.press("w")
        assert pane(app).visual == extended
        await pilot.press("h")
        await settle(pilot)
        assert pane(app).visual is None
        with Library(library_path) as library:
            (note,) = library.notes(article_id)
        assert (note.start, note.end) == extended


async def test_escape_leaves_visual_mode_then_the_screen(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("v", "p")
        assert "SELECT" in screen_text(app)
        await pilot.press("escape")
        assert pane(app).visual is None and "visual" not in view(app).layers
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


async def test_mouse_selection_is_an_exact_range(app: MarginApp, library_path: Path) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    article_id, text = long_read(library_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        article_view = view(app)
        line = next(
            y
            for y in range(4, 20)
            if "Opening" in "".join(s.text for s in article_view._line_strip(y))
        )
        app.screen.selections = {article_view: Selection(Offset(0, line), Offset(99, line))}
        start, end = article_view.selected_range() or (0, 0)
        assert start == 0
        assert text[start:end] == text[:end] and text[:end].startswith("Opening paragraph")


async def test_notes_stand_in_the_margin_on_wide_screens(
    app: MarginApp, library_path: Path
) -> None:
    add_note(library_path, "rivers and mountains", "Check the source of this claim")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.press("j", "j", "j", "j")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "Check the source" in line)
        assert "rivers and mountains" in row  # beside its passage
        assert row.index("Check the source") > row.index("rivers and mountains")


async def test_next_note_shows_it_narrow_then_e_edits_it(
    app: MarginApp, library_path: Path
) -> None:
    from tui.screens.note_editor import NoteEditor

    note_id = add_note(library_path, "The needle is here.", "First thought")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        assert "First thought" not in screen_text(app)
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert pane(app).current_note is not None and pane(app).current_note.id == note_id
        assert "✎ First thought" in screen_text(app)  # the peek under the text
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("end", *" and a second")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with Library(library_path) as library:
            assert library.note(note_id).body == "First thought and a second"


async def test_d_deletes_the_current_note_and_u_brings_it_back(
    app: MarginApp, library_path: Path
) -> None:
    note_id = add_note(library_path, "The needle is here.", "Keep me")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        top = view(app).scroll_y
        await pilot.press("d")  # no note under the cursor: half a page down, as in less
        assert view(app).scroll_y > top
        await pilot.press("right_curly_bracket", "d")
        await settle(pilot)
        with Library(library_path) as library:
            assert library.notes() == []
        assert any("u to undo" in str(n.message) for n in app._notifications)
        await pilot.press("u")
        await settle(pilot)
        with Library(library_path) as library:
            (note,) = library.notes()
        assert note.id == note_id and note.body == "Keep me"
        assert pane(app).notes and pane(app).notes[0].id == note_id


async def test_shift_a_writes_the_note_in_editor(
    app: MarginApp, library_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'w').write('From vim')\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", str(script))
    article_id, _ = long_read(library_path)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", nullcontext)  # no terminal to give up in tests
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.press("v", "A")
        await settle(pilot)
        with Library(library_path) as library:
            (note,) = library.notes(article_id)
        assert note.body == "From vim"


async def test_at_opens_the_article_at_that_offset(app: MarginApp, library_path: Path) -> None:
    article_id, text = long_read(library_path)
    offset = text.index("Paragraph 5.3")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ArticleScreen(app.library, article_id, at=offset))
        await settle(pilot)
        block, _ = view(app).top_block
        assert view(app).document.blocks[block].text.startswith("Paragraph 5.3")


async def test_help_shows_the_config_section_literally(app: MarginApp) -> None:
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "[keys]" in screen_text(app)


async def test_lost_notes_are_shown_and_can_be_placed_or_dismissed(
    app: MarginApp, library_path: Path
) -> None:
    from store.models import ArticleDraft
    from tui.screens.orphans import OrphansScreen

    with Library(library_path) as library:
        article_id = next(s.id for s in library.summaries() if s.title.startswith("Short note"))
        text = library.get(article_id).body_text
        start = text.index("It is brewed.")
        kept = library.add_note(article_id, start, start + 13, body="Brewing matters").id
        gone = library.add_note(article_id, 0, 6, body="A drink?").id
        library.store(
            [
                ArticleDraft(
                    title="Short note on coffee",
                    body_markdown="Tea is a drink too. That is all there is to say today.",
                    url="https://example.com/coffee",
                )
            ]
        )
        assert {n.state for n in library.notes(article_id)} == {"orphaned"}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Short note")
        assert "2 notes lost their passage" in screen_text(app)
        await pilot.press("v", "O")  # the first sentence is selected
        await settle(pilot)
        assert isinstance(app.screen, OrphansScreen)
        notes = app.screen.notes
        await pilot.press(*(["down"] if notes[0].id != kept else []), "p")
        await settle(pilot)
        with Library(library_path) as library:
            placed = library.note(kept)
            assert placed.state == "anchored" and placed.quote == "Tea is a drink too."
        assert "1 note lost its passage" in screen_text(app)
        await pilot.press("O")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        with Library(library_path) as library:
            assert library.note(gone) is None
        assert "lost" not in screen_text(app)


async def test_an_excerpt_says_so_and_f_fetches_the_full_article(
    app: MarginApp, library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importers
    from importers.runner import ImportReport
    from store.models import ArticleDraft, StoreResult

    with Library(library_path) as library:
        (teaser,) = library.store(
            [
                ArticleDraft(
                    title="Teaser of the harbour story",
                    body_markdown="The harbour opened on Monday.",
                    url="https://news.example/harbour",
                    kind="excerpt",
                )
            ]
        )
        (full,) = library.store(
            [ArticleDraft(title="The harbour story in full", body_markdown="All of it. " * 50)]
        )
    fetched: list[list[str]] = []

    def fake_import(library: Library, paths: list[str], **kwargs: object) -> ImportReport:
        fetched.append(list(paths))
        report = ImportReport()
        report.count(StoreResult(full.id, "updated", "article", "The harbour story in full"))
        return report

    monkeypatch.setattr(importers, "import_paths", fake_import)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Teaser of the harbour")
        assert "Excerpt of https://news.example/harbour" in screen_text(app)
        await pilot.press("F")
        await settle(pilot)
        assert fetched == [["https://news.example/harbour"]]
        assert pane(app).article is not None and pane(app).article.id == full.id


async def test_a_short_article_skipped_at_once_is_not_marked_read(
    app: MarginApp, library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import tui.widgets.reader_pane as reader_pane

    with Library(library_path) as library:
        coffee = next(s.id for s in library.summaries() if s.title.startswith("Short note"))
    # "At once" must not depend on how fast the machine is: the dwell cannot pass here.
    monkeypatch.setattr(reader_pane, "END_DWELL", 3600.0)
    monkeypatch.setattr(reader_pane, "SKIM_WORDS_PER_SECOND", 0.001)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Short note")
        await pilot.press("q")  # at once: seen, not read
        await settle(pilot)
        with Library(library_path) as library:
            position = library.position(coffee)
        assert position is None or not position.finished
        monkeypatch.setattr(reader_pane, "END_DWELL", 0.05)
        monkeypatch.setattr(reader_pane, "SKIM_WORDS_PER_SECOND", 1000.0)
        await open_title(pilot, "Short note")
        await asyncio.sleep(0.2)  # on screen for a moment: read
        await settle(pilot)
        assert "read ✓" in screen_text(app)
        await pilot.press("q")
        await settle(pilot)
        with Library(library_path) as library:
            position = library.position(coffee)
        assert position is not None and position.finished


async def test_a_hit_in_the_first_paragraph_keeps_the_title_on_screen(
    app: MarginApp, library_path: Path
) -> None:
    article_id, _ = long_read(library_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ArticleScreen(app.library, article_id, ("opening",)))
        await settle(pilot)
        assert view(app).current_hit == 0
        assert view(app).scroll_y == 0
        assert "A long read about rivers" in screen_text(app)
        app.push_screen(ArticleScreen(app.library, article_id, ("needle",)))
        await settle(pilot)
        assert view(app).scroll_y > 0  # a hit further down is scrolled to


async def test_a_note_the_full_disk_refuses_is_kept_in_a_file(
    app: MarginApp, library_path: Path, isolated_home: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        conn = app.library._conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        await pilot.press("v", "a")
        await settle(pilot)
        app.screen.query_one("TextArea").text = "A thought worth keeping. " * 2000
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = next(str(n.message) for n in app._notifications if "Not saved" in str(n.message))
        assert "disk is full" in message and "kept in" in message
        (kept,) = (isolated_home / "data" / "margin" / "unsaved").iterdir()
        assert kept.read_text(encoding="utf-8").startswith("A thought worth keeping.")
        assert app.is_running  # the app goes on
