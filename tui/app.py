"""MarginApp: open the library, show the library screen; screens come in lazily."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.library import Library

from .config import Config, load_config

if TYPE_CHECKING:
    from .messages import OpenRequest
    from .screens.article import ArticleScreen

THEME_SETTING = "ui.theme"
MEASURE_SETTING = "ui.measure"
KEPT_ARTICLE_SCREEN = "article"
SCREENS_CSS = Path(__file__).with_name("margin-screens.tcss")
"""The other screens' rules, read after the first frame (``MarginApp.load_screens_css``)."""


WARM_UP_SECONDS = 1.5
SETTLE_SECONDS = 0.2
"""After a screen closes, how long before its garbage is collected (see ``_settle_memory``)."""
"""Delay after start before background work that the first screen does not need."""


class MarginApp(App[None]):
    """The Margin reader.

    :param library_path: the library database file.
    :param config: settings (default: read from the user's config file).
    """

    CSS_PATH = "margin.tcss"
    """The library screen's rules only; the rest (``SCREENS_CSS``) once it is needed."""
    TITLE = "Margin"
    COMMAND_PALETTE_BINDING = "ctrl+k"
    """``ctrl+p`` belongs to the quick jump."""

    BINDINGS: list[BindingType] = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("s", "search", "Search", id="app.search"),
        Binding("ctrl+p,colon", "jump", "Jump", id="app.jump"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.toggle_theme"),
    ]

    def __init__(
        self,
        library_path: str,
        config: Config | None = None,
        *,
        compare: tuple[int, int | None, int | None] | None = None,
    ) -> None:
        """
        :param compare: open the comparison of ``(left, right, version)`` at once.
        """
        super().__init__()
        self.config = config or load_config()
        self.compare_mark: int | None = None
        """The article marked (``m``) to be compared with the next one chosen (``c``)."""
        self._compare_at_start = compare
        self._kept_article_screen: ArticleScreen | None = None
        """The article screen kept between opens (see ``article_screen``)."""
        self._screens_css_loaded = False
        self.library = Library(library_path)
        self.set_keymap(self.config.keys)
        remembered = self.library.setting(THEME_SETTING)
        start = remembered or self.config.theme or self.config.dark_theme
        if start in self.available_themes:
            self.theme = start

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        for problem in self.config.problems:
            # Plain text: a problem quotes the file, which may hold anything.
            self.notify(problem, title="Config", severity="warning", markup=False)
        from .screens.library import LibraryScreen

        # Not self.push_screen: the library screen needs none of the other screens' CSS.
        super().push_screen(LibraryScreen(self.library))
        if self._compare_at_start is not None:
            self.compare(*self._compare_at_start)
        # Build the quick-jump index once the library is on screen, so the first
        # ctrl+p answers at once (about a second of work at 100k titles).
        self.set_timer(WARM_UP_SECONDS, self._warm_up)
        self.set_timer(WARM_UP_SECONDS, self._freeze_start_up)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        self.library.jump_index()
        if self.config.keys or self.config.text:
            from .config_check import config_problems, known_binding_ids

            for problem in config_problems(self.config, self.available_themes, known_binding_ids()):
                self.call_from_thread(
                    self.notify, problem, title="Config", severity="warning", markup=False
                )

    def on_unmount(self) -> None:
        self.library.close()

    def _freeze_start_up(self) -> None:
        """Keep what start-up made (modules, classes, the library screen) out of later
        full collections, which then only walk what came since."""
        self.load_screens_css()
        gc.collect()
        gc.freeze()

    def load_screens_css(self) -> None:
        """Add the other screens' rules to the stylesheet (once).

        Parsing them at start-up cost ~4 ms before the first frame, which needs only the
        library's rules. They come after those in the stylesheet, as they did in one file,
        so equal selectors resolve as before; none of them matches the library screen.
        """
        if self._screens_css_loaded:
            return
        self._screens_css_loaded = True
        self.stylesheet.read(SCREENS_CSS)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def push_screen(self, screen, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        """As ``App.push_screen``, with every screen's rules read first."""
        self.load_screens_css()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):  # noqa: ANN001, ANN201
        """As ``App.switch_screen``, with every screen's rules read first."""
        self.load_screens_css()
        return super().switch_screen(screen)

    def install_screen(self, screen: Screen, name: str) -> None:
        """As ``App.install_screen``, with every screen's rules read first."""
        self.load_screens_css()
        super().install_screen(screen, name)

    def pop_screen(self):  # noqa: ANN201 - AwaitComplete, as App.pop_screen
        """Close the top screen; its garbage is collected while the user reads the next."""
        done = super().pop_screen()
        self.set_timer(SETTLE_SECONDS, self._settle_memory)
        return done

    def _settle_memory(self) -> None:
        """A full collection now, between the user's actions.

        A closed screen's widgets die in reference cycles only a full collection frees
        (tens of thousands of objects for an article). Left to its own schedule, that
        collection lands inside a later key press: opening an article then took up to
        0.6 s instead of 0.1 s on two cores (tests/bench/concurrency.py).
        """
        gc.collect()

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str):
            library = self.library
            self.run_worker(
                lambda: library.set_setting(THEME_SETTING, name), thread=True, group="settings"
            )

    # -- actions ---------------------------------------------------------------------------
    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        dark = self.current_theme.dark
        target = self.config.light_theme if dark else self.config.dark_theme
        if target not in self.available_themes:
            target = "textual-light" if dark else "textual-dark"
        self.theme = target

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_search(self, query: str = "") -> None:
        """Open full-text search."""
        try:
            from .screens.search import SearchScreen  # type: ignore[import-not-found]
        except ImportError:
            self.notify("Search is not built yet.", severity="warning")
            return
        self.push_screen(SearchScreen(self.library, query), self.open_request)

    def action_jump(self) -> None:
        """Open the quick jump to a title."""
        try:
            from .screens.jump import JumpScreen  # type: ignore[import-not-found]
        except ImportError:
            self.notify("Quick jump is not built yet.", severity="warning")
            return
        self.push_screen(JumpScreen(self.library), self.open_request)

    def action_notes(self) -> None:
        """Open the notes & bookmarks screen."""
        from .screens.notes import NotesScreen

        if not isinstance(self.screen, NotesScreen):
            self.push_screen(NotesScreen(self.library))

    def open_request(self, request: OpenRequest | None) -> None:
        """Open the article a search or jump screen chose, if any."""
        if request is not None:
            self.open_article(request.article_id, request.terms, note=request.note)

    def article_screen(
        self, article_id: int, terms: tuple[str, ...] = (), **options: Any
    ) -> ArticleScreen:
        """An article screen to push for ``article_id`` (options: ``ArticleScreen``'s).

        The screen made by the first open is kept (installed) and opens the next article
        too when it is off the stack: building one costs tens of milliseconds of the UI
        thread per open (every widget styled), more on a busy machine.
        """
        from .screens.article import ArticleScreen

        kept = self._kept_article_screen
        if kept is not None and kept not in self.screen_stack:
            kept.reopen(article_id, terms, **options)
            return kept
        screen = ArticleScreen(self.library, article_id, terms, **options)
        if kept is None:
            self.install_screen(screen, KEPT_ARTICLE_SCREEN)
            self._kept_article_screen = screen
        return screen

    def open_article(
        self, article_id: int, terms: tuple[str, ...] = (), *, note: int | None = None
    ) -> None:
        """Push the article screen for ``article_id``, highlighting ``terms``.

        :param note: a note or highlight to open at.
        """
        from .screens.article import ArticleScreen

        if isinstance(self.screen, ArticleScreen):
            self.screen.load(article_id, terms, note=note)
            return
        self.push_screen(self.article_screen(article_id, terms, note=note))

    def open_over(
        self,
        article_id: int,
        terms: tuple[str, ...],
        order: list[int],
        *,
        note: int | None = None,
    ) -> None:
        """Open an article over the screen on top (results stay below it for back).

        :param order: the list it was chosen from, which alt+n / alt+p follow.
        :param note: a note or highlight to open at.
        """
        self.push_screen(self.article_screen(article_id, terms, order=order, note=note))

    # -- comparing -----------------------------------------------------------------------------
    def compare(self, left: int, right: int | None, version: int | None = None) -> None:
        """Open the comparison of ``left`` with ``right`` (or with its ``version``)."""
        from .screens.compare import CompareScreen

        self.push_screen(CompareScreen(self.library, left, right, version=version))

    def mark_for_compare(self, article_id: int) -> None:
        """Mark (or unmark) an article to compare with the next one chosen with ``c``."""
        if self.compare_mark == article_id:
            self.compare_mark = None
            self.notify("Unmarked.", timeout=1.5)
            return
        self.compare_mark = article_id
        self.notify(f"Marked {article_id}. Press c on another article to compare.", timeout=3)

    def compare_with_mark(self, article_id: int) -> bool:
        """Compare the marked article with ``article_id``; False when none is marked."""
        mark = self.compare_mark
        if mark is None or mark == article_id:
            return False
        self.compare(mark, article_id)
        return True

    # -- command palette ---------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding of the screen as a palette command, then Textual's own."""
        seen: set[str] = set()
        titles: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            titles.add(binding.description)
            keys = self.get_key_display(binding) or key
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({keys})",
                partial(self._run_binding, binding.action, active.node),
            )
        if "notes" not in seen:
            yield SystemCommand(
                "Notes", "Every bookmark, highlight and note (N in the library)", self.action_notes
            )
        # One entry per title: Textual's "Theme" picker beside our ctrl+t "Theme" read as a
        # duplicate, so Textual's own command goes when a binding already has its title.
        for command in super().get_system_commands(screen):
            if command.title not in titles:
                yield command

    def _run_binding(self, action: str, node: object) -> None:
        self.call_later(self.run_action, action, node)


def run(library_path: str, compare: tuple[int, int | None, int | None] | None = None) -> None:
    """Run the reader on the library at ``library_path`` (on a comparison, if given)."""
    from .widgets.image_lines import prepare_terminal

    config = load_config()
    prepare_terminal(choice=config.images if isinstance(config.images, str) else None)
    MarginApp(library_path, compare=compare, config=config).run()
