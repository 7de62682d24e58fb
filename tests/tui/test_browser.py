"""Which browser a link goes to: graphical, terminal (run with the app suspended) or none."""

from __future__ import annotations

import webbrowser

import pytest

from tui.browser import Browser, find_browser

URL = "https://example.com/a"


def test_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def none() -> None:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert find_browser(URL) == Browser("none")


def test_terminal_browser_gets_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser(["w3m", "-o", "x"]))
    assert find_browser(URL) == Browser("terminal", ("w3m", "-o", "x", URL))
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser(["links", "%s"]))
    assert find_browser(URL) == Browser("terminal", ("links", URL))


def test_graphical_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.BackgroundBrowser("firefox"))
    assert find_browser(URL).kind == "graphical"
