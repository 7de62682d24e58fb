"""Rendering details of issue 16: code folds with ↪, a heading repeating the title, markers."""

from __future__ import annotations

from pathlib import Path

from store.library import Library
from store.models import ArticleDraft
from tui.app import MarginApp
from tui.config import Config
from tui.widgets.text import CONTINUATION, fold, is_continuation

from .test_reader import open_title, screen_text, settle

CODE = "def f(" + ", ".join(f"argument_{n}" for n in range(12)) + "): pass"


def test_code_folds_after_a_comma_or_space_never_mid_word() -> None:
    lines = fold(CODE, 30)
    assert len(lines) > 2
    for start, end in lines:
        assert end - start <= 30
    for start, _ in lines[1:]:
        assert CODE[start - 1] in " ,;(", CODE[start - 5 : start + 5]
        assert is_continuation(CODE, start)
    assert not is_continuation(CODE, 0)
    assert "".join(CODE[a:b] for a, b in lines) == CODE
    # A run without a place to break is still cut, at the width.
    assert fold("x" * 70, 30) == [(0, 30), (30, 60), (60, 70)]


def _app(tmp_path: Path, title: str, markdown: str) -> MarginApp:
    path = tmp_path / "render.db"
    with Library(path) as library:
        library.store([ArticleDraft(title=title, body_markdown=markdown)])
    return MarginApp(str(path), config=Config())


BODY = (
    "# Rivers of the north\n\nFirst paragraph[^a].\n\n- [ ] to check\n- [x] checked\n\n"
    "one<br>two\n\n```\n" + CODE + "\n```\n\n[^a]: The note itself.\n"
)


async def test_the_reader_draws_footnotes_tasks_breaks_and_folded_code(tmp_path: Path) -> None:
    app = _app(tmp_path, "Rivers of the north", BODY)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Rivers")
        text = screen_text(app)
        body = "\n".join(text.splitlines()[:-2])  # not the status line and the footer
        assert body.count("Rivers of the north") == 1, "the heading equal to the title is hidden"
        assert "First paragraph[1]." in text
        assert "☐ to check" in text and "☑ checked" in text
        lines = text.splitlines()
        assert any(line.strip() == "one" for line in lines)
        assert any(line.strip() == "two" for line in lines)
        folded = [line for line in lines if CONTINUATION in line]
        assert len(folded) >= 2
        for line in folded:
            assert line.split(CONTINUATION, 1)[1].strip() in CODE
        assert "Notes" in text and "[1]" in text and "The note itself." in text


async def test_a_first_heading_unlike_the_title_is_shown(tmp_path: Path) -> None:
    app = _app(tmp_path, "Travel notes", BODY)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Travel")
        text = screen_text(app)
        assert "Rivers of the north" in text and "Travel notes" in text


async def test_a_mouse_selection_over_folded_code_copies_the_line_unbroken(
    tmp_path: Path,
) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    from tui.widgets.article_view import ArticleView

    app = _app(tmp_path, "Rivers of the north", BODY)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Rivers")
        view = app.screen.query_one(ArticleView)
        text = screen_text(app).splitlines()
        rows = [y for y, line in enumerate(text) if "argument_" in line or "pass" in line]
        top = view.region.y
        first, last = rows[0] - top + round(view.scroll_y), rows[-1] - top + round(view.scroll_y)
        selected = view.get_selection(Selection(Offset(0, first), Offset(60, last)))
        assert selected is not None
        assert selected[0].strip() == CODE
