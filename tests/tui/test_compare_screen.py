"""Pilot tests: the comparison screen and the keys that open it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.library import Library
from tui.app import MarginApp
from tui.screens.article import ArticleScreen
from tui.screens.compare import CompareScreen, differences, mirror
from tui.widgets.reader_pane import ReaderPane

from .compare_fixture import add_comparison_articles
from .test_reader import open_title, screen_text, settle

SIZE = (160, 40)


@pytest.fixture
def ids(library_path: Path) -> tuple[int, int]:
    with Library(library_path) as library:
        return add_comparison_articles(library)


def pane(app: MarginApp, side: str) -> ReaderPane:
    return app.screen.query_one(f"#{side}", ReaderPane)


def shown(app: MarginApp, side: str, layer: str) -> list[str]:
    """The texts a comparison layer covers in one pane."""
    reader = pane(app, side)
    blocks = reader.document.blocks
    return [blocks[b].text[s:e] for b, s, e in reader.view.layers.get(layer, [])]


async def open_version(pilot, article_id: int) -> CompareScreen:
    pilot.app.compare(article_id, None, 1)
    await settle(pilot)
    assert isinstance(pilot.app.screen, CompareScreen)
    return pilot.app.screen


async def open_comparison(pilot, ids: tuple[int, int]) -> CompareScreen:
    """Compare the two fixture articles from the library and return the computed screen."""
    await settle(pilot)
    pilot.app.compare(*ids)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen) and screen.result is not None
    return screen


async def test_a_version_shows_every_word_edit_and_nothing_else(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    report, _ = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_version(pilot, report)
        assert screen.result is not None and screen.result.mode == "revision"
        assert set(shown(app, "left", "cmp-delete")) == {"Monday", "40"}
        assert set(shown(app, "right", "cmp-insert")) == {"Tuesday", "42"}
        assert shown(app, "right", "cmp-only") == [
            "The port authority will publish traffic figures every month."
        ]
        assert shown(app, "left", "cmp-only") == []
        text = screen_text(app)
        assert "revision mode" in text and "1 only right" in text
        assert "Version 1" in text  # the left pane names the version


async def test_next_and_previous_change(app: MarginApp, ids: tuple[int, int]) -> None:
    report, _ = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_version(pilot, report)
        await pilot.press("tab")  # the right pane has the added paragraph
        assert screen.focused_side == "right"
        seen = []
        for _ in range(3):
            await pilot.press("right_square_bracket")
            seen.append(" ".join(shown(app, "right", "cmp-current")))
        assert seen == [
            "The harbour opened on Tuesday after two years of work.",
            "The mayor said it cost 42 million euros.",
            "The port authority will publish traffic figures every month.",
        ]
        await pilot.press("right_square_bracket")
        assert any("No more differences" in str(n.message) for n in app._notifications)
        await pilot.press("left_square_bracket")
        assert " ".join(shown(app, "right", "cmp-current")) == seen[1]


async def test_s_swaps_sides_and_l_unlocks(app: MarginApp, ids: tuple[int, int]) -> None:
    report, _ = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_version(pilot, report)
        await pilot.press("s")
        await settle(pilot)
        assert set(shown(app, "left", "cmp-insert")) == set()
        assert set(shown(app, "left", "cmp-delete")) == {"Tuesday", "42"}
        assert pane(app, "left").article is not None  # the current text is now on the left
        assert pane(app, "right").article is None
        assert screen.locked
        await pilot.press("l")
        assert not screen.locked and "scroll unlocked" in screen_text(app)


async def test_two_outlets_link_the_shared_facts_only(app: MarginApp, ids: tuple[int, int]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comparison(pilot, ids)
        assert screen.result.mode == "story"
        only_right = " ".join(shown(app, "right", "cmp-only"))
        assert "football club" in only_right
        linked = " ".join(shown(app, "right", "cmp-same") + shown(app, "right", "cmp-similar"))
        assert "Fishermen welcomed the new quay" in linked


async def test_scrolling_one_pane_brings_the_other_to_the_linked_passage(
    app: MarginApp, library_path: Path
) -> None:
    left, right = store_shifted_pair(library_path, sentences=80, asides=30)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.compare(left, right)
        await settle(pilot)
        before = pane(app, "right").view.scroll_y
        await pilot.press("space", "space")
        await settle(pilot)
        assert pane(app, "right").view.scroll_y > before
        await pilot.press("l", "space")
        await settle(pilot)
        still = pane(app, "right").view.scroll_y
        await pilot.press("space")
        await settle(pilot)
        assert pane(app, "right").view.scroll_y == still  # unlocked: it stays


def store_shifted_pair(library_path: Path, *, sentences: int, asides: int) -> tuple[int, int]:
    """Two articles telling the same sentences, the second after ``asides`` paragraphs."""
    lines = [f"Sentence number {n} tells of event {n} in the valley." for n in range(sentences)]
    right_body = "\n\n".join(["An opening aside."] * asides + lines)
    with Library(library_path) as library:
        left, right = library.store(
            [
                _draft(f"Shifted one {asides}", "\n\n".join(lines), f"https://a.example/{asides}"),
                _draft(f"Shifted two {asides}", right_body, f"https://b.example/{asides}"),
            ]
        )
    return left.id, right.id


def _draft(title: str, body: str, url: str):
    from store.models import ArticleDraft

    return ArticleDraft(title=title, body_markdown=body, url=url)


async def test_enter_opens_the_article_of_that_side(app: MarginApp, ids: tuple[int, int]) -> None:
    report, other = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.compare(report, other)
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == other


async def test_m_then_c_in_the_library_compares(app: MarginApp, ids: tuple[int, int]) -> None:
    report, other = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, "Harbour opens")
        await pilot.press("m")
        await _cursor_to(pilot, "New quay")
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.left_id, screen.right_id) == (report, other)


async def _cursor_to(pilot, title: str) -> None:
    from tui.widgets.library_table import LibraryTable

    rows = pilot.app.screen.query_one(LibraryTable)
    for index in range(rows.row_count):
        row = rows.row(index)
        if row is not None and row.title.startswith(title):
            rows.cursor = index
            return
    raise AssertionError(title)


async def test_article_keys_open_versions_and_related(app: MarginApp, ids: tuple[int, int]) -> None:
    from tui.screens.pickers import PickerScreen

    report, _ = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Harbour opens")
        await pilot.press("V")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.version == 1
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        labels = [label for label, _ in app.screen.items]
        assert labels[0].startswith("Version 1")
        assert any("quay" in label for label in labels)  # a related article
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.version == 1


async def test_no_versions_says_so(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Short note on coffee")
        await pilot.press("V")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert any("no earlier versions" in str(n.message) for n in app._notifications)


def test_mirror_and_differences() -> None:
    from store.comparison import compare_texts
    from store.document import markdown_to_text

    from .compare_fixture import EDITED, FIRST

    result = compare_texts(markdown_to_text(FIRST), markdown_to_text(EDITED))
    flipped = mirror(result)
    assert flipped.left_only == result.right_only and flipped.right_only == result.left_only
    assert mirror(flipped) == result
    assert differences(result, "right")[-1] == tuple(result.right_only[-1])


async def test_related_marks_the_same_story_and_c_compares(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    from tui.screens.search import RelatedScreen

    report, other = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Harbour opens")
        await pilot.press("r")
        await settle(pilot)
        related = app.screen
        assert isinstance(related, RelatedScreen)
        assert related.marks.get(other) == "same story"
        assert "◆ same story" in screen_text(app)
        index = [h.id for h in related.hits].index(other)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.left_id, app.screen.right_id) == (report, other)


async def test_equals_lays_linked_passages_level(app: MarginApp, library_path: Path) -> None:
    left, right = store_shifted_pair(library_path, sentences=20, asides=5)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.compare(left, right)
        await settle(pilot)
        lv, rv = pane(app, "left").view, pane(app, "right").view
        assert lv.line_of(0) != rv.line_of(5)
        await pilot.press("equals_sign")
        await settle(pilot)
        assert app.screen.level and "level" in screen_text(app)
        for n in range(20):  # every linked sentence on the same line of both panes
            assert lv.line_of(n) == rv.line_of(n + 5)
        await pilot.press("space")
        await settle(pilot)
        assert lv.scroll_y == rv.scroll_y > 0
        await pilot.press("equals_sign")
        await settle(pilot)
        assert lv.line_of(0) != rv.line_of(5)


def test_a_run_of_one_side_only_sentences_is_one_difference() -> None:
    from store.comparison import Comparison

    text = "One only. Two only.\n\nThree shared. Four only."
    result = Comparison("story", 0.1, pairs=[], left_only=[(0, 9), (10, 19), (35, 45)])
    assert differences(result, "left") == [(0, 9), (10, 19), (35, 45)]
    assert differences(result, "left", text) == [(0, 19), (35, 45)]


async def test_help_lists_the_compare_keys_and_find_works_in_a_pane(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    from textual.widgets import Input

    from tui.screens.help import HelpScreen

    report, other = ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.compare(report, other)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {binding_id for _, _, binding_id in app.screen.binding_rows}
        for key in ("compare.next", "compare.previous", "compare.switch", "compare.swap"):
            assert key in listed
        for key in ("compare.lock", "compare.level", "compare.open", "compare.back"):
            assert key in listed
        assert "article.find" in listed  # the panes' own keys are listed too
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        # The find line is made on first use, in the pane being read, and takes the keys.
        assert not pane(app, "left").query(Input)
        await pilot.press("slash")
        await settle(pilot)
        find = pane(app, "left").query_one(Input)
        assert find.display and app.focused is find
        await pilot.press(*"quay", "enter")
        await settle(pilot)
        assert not find.display and pane(app, "left").view.hits
        assert not pane(app, "right").query(Input)
        await pilot.press("q")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_an_excerpt_side_compares_and_says_so(
    app: MarginApp, ids: tuple[int, int], library_path: Path
) -> None:
    from store.models import ArticleDraft

    report, _ = ids
    with Library(library_path) as library:
        (excerpt,) = library.store(
            [
                ArticleDraft(
                    title="Harbour opens (saved link)",
                    body_markdown="The harbour opened on Tuesday after two years of work.",
                    url="https://c.example/harbour",
                    kind="excerpt",
                )
            ]
        )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.compare(report, excerpt.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.result is not None
        text = screen_text(app)
        assert "Excerpt of https://c.example/harbour" in text
        # Its one sentence is the report's first, word for word; the rest is the report's own.
        result = screen.result
        assert [(p.kind, p.moved) for p in result.pairs] == [("same", False)]
        assert result.right_only == [] and shown(app, "right", "cmp-only") == []
        only = shown(app, "left", "cmp-only")
        assert len(only) == len(result.left_only) == 6
        assert not any("harbour opened" in text for text in only)
        assert "1 same" in text and "6 only left" in text and "0 only right" in text


def test_each_sides_terms_stay_in_its_half() -> None:
    from store.comparison import Comparison
    from tui.screens.compare import terms_line

    result = Comparison("story", 0.2, left_terms=["Afghan Taliban"] * 8, right_terms=["Bin Laden"])
    line = terms_line(result, 78)
    assert line.index("only right: Bin Laden") == 39  # the right half, over the right pane
    assert line.startswith("only left: Afghan Taliban") and "…" in line[:39]
    assert terms_line(Comparison("story", 0.0, right_terms=["CNN"]), 40) == " " * 20 + (
        "only right: CNN"
    )


async def test_narrow_header_keeps_both_sides_counts_and_says_unlocked(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await open_comparison(pilot, ids)
        counts = screen.result.summary()
        header = screen_text(app).splitlines()[0]
        # Both sides' counts fit (the full form cut "only right" off at 60 columns).
        assert f"only {counts['left_only']} left, {counts['right_only']} right" in header
        await pilot.press("l")
        await settle(pilot)
        assert screen_text(app).splitlines()[0].lstrip().startswith("unlocked")


async def test_at_80_columns_each_sides_terms_get_a_line(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_comparison(pilot, ids)
        lines = [line.strip() for line in screen_text(app).splitlines()[:3]]
        assert lines[1].startswith("only left: ") and lines[2].startswith("only right: ")
        # More than the two terms a half line held.
        assert lines[1].count(",") >= min(3, len(screen.result.left_terms) - 1)


async def test_the_header_is_said_again_when_the_terminal_is_resized(
    app: MarginApp, ids: tuple[int, int]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_comparison(pilot, ids)
        counts = screen.result.summary()
        await pilot.resize_terminal(60, 15)
        await settle(pilot)
        header = screen_text(app).splitlines()[0]
        # Worded for 80 columns, the sums wrapped onto the terms' line at 60.
        assert f"only {counts['left_only']} left, {counts['right_only']} right" in header
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        lines = [line.strip() for line in screen_text(app).splitlines()[:3]]
        assert lines[1].startswith("only left: ") and lines[2].startswith("only right: ")
