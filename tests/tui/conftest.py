"""Fixtures for the reader: a small library file, the app on it, no blinking cursors."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import MarginApp
from tui.config import Config

from .fixture_library import build_library


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs never blink, so screens are stable."""
    original = Input.__init__

    def init(self: Input, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", init)


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    """A fixture library file."""
    path = tmp_path / "library.db"
    build_library(path)
    return path


@pytest.fixture
def app(library_path: Path) -> MarginApp:
    """The reader on the fixture library, default config."""
    return MarginApp(str(library_path), config=Config())


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Links sent to the browser (none really are)."""
    urls: list[str] = []
    import tui.browser as browser
    import tui.screens.article as article

    monkeypatch.setattr(article, "open_in_browser", urls.append)
    monkeypatch.setattr(browser, "find_browser", lambda url: browser.Browser("graphical"))
    return urls
