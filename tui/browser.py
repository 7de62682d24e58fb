"""Opening links: a graphical browser beside the app, a terminal one in its place, or none."""

from __future__ import annotations

import webbrowser
from dataclasses import dataclass
from typing import Literal

BrowserKind = Literal["graphical", "terminal", "none"]


@dataclass(frozen=True, slots=True)
class Browser:
    """How a link would be opened: ``command`` is set for a terminal browser."""

    kind: BrowserKind
    command: tuple[str, ...] = ()


def find_browser(url: str) -> Browser:
    """The browser Python's ``webbrowser`` would use for ``url`` (``$BROWSER`` first).

    Terminal browsers (lynx, w3m, links, www-browser, or a ``$BROWSER`` command) need
    the terminal to themselves, so the caller runs ``command`` with the app suspended.
    """
    try:
        controller = webbrowser.get()
    except webbrowser.Error:
        return Browser("none")
    generic = isinstance(controller, webbrowser.GenericBrowser)
    if not generic or isinstance(controller, webbrowser.BackgroundBrowser):
        return Browser("graphical")
    args = [arg.replace("%s", url) for arg in controller.args]
    if not any(url in arg for arg in args):
        args.append(url)
    return Browser("terminal", (controller.name, *args))
