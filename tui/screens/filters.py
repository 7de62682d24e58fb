"""A dialog to filter the library by source, section, tag, kind, archive and unread."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from store.library import Library

from ..widgets.text import crop, one_line
from .dialog_fit import FitsShortTerminal

if TYPE_CHECKING:
    from .library import LibraryQuery

MAX_OPTIONS = 2000
FACETS = (("source", "Source"), ("section", "Section"), ("tag", "Tag"), ("kind", "Kind"))
ARCHIVE_CHOICES: tuple[tuple[str, bool | None], ...] = (
    ("not archived", False),
    ("only archived", True),
    ("both", None),
)
"""The archive field's choices and ``LibraryQuery.archived`` for each (``A`` toggles the
first two)."""


def _options(pairs: list[tuple[str, int]]) -> list[tuple[str, str]]:
    return [
        (f"{crop(one_line(value), 40)} ({count:,})", value) for value, count in pairs[:MAX_OPTIONS]
    ]


def _archive_choice(archived: bool | None) -> int:
    return next(i for i, (_, value) in enumerate(ARCHIVE_CHOICES) if value is archived)


class FilterScreen(FitsShortTerminal, ModalScreen["LibraryQuery | None"]):
    """Choose filters; dismisses with the new query, or None when cancelled."""

    BINDINGS: list[BindingType] = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filters.apply"),
    ]

    def __init__(self, library: Library, query: LibraryQuery) -> None:
        super().__init__()
        self.library = library
        self.current = query
        self.loaded = False
        """Whether the choices have arrived from the library (read in a worker)."""

    def compose(self) -> ComposeResult:
        query = self.current
        with VerticalScroll(id="filters-dialog", classes="dialog", can_focus=False):
            yield Label("Filter the library", classes="dialog-title")
            for name, label in FACETS:
                with Horizontal(classes="filter-row"):
                    yield Label(label)
                    # Filled in by _load_facets; left enabled so focus starts here as ever.
                    yield Select([], prompt=f"any {label.lower()}", id=f"filter-{name}")
            with Horizontal(classes="filter-row"):
                yield Label("Archived")
                yield Select(
                    [(label, index) for index, (label, _) in enumerate(ARCHIVE_CHOICES)],
                    value=_archive_choice(query.archived),
                    allow_blank=False,
                    id="filter-archived",
                )
            yield Checkbox("Unread only", query.unread, id="filter-unread")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._load_facets()

    @work(thread=True, exclusive=True, group="filters-facets")
    def _load_facets(self) -> None:
        """Read the choices off the UI thread: counting facets takes a while on big libraries."""
        pairs = {
            "source": self.library.facets("source"),
            "section": self.library.facets("section"),
            "tag": self.library.tags(),
            "kind": self.library.facets("kind"),
        }
        self.app.call_from_thread(self._show_facets, {k: _options(v) for k, v in pairs.items()})

    def _show_facets(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        if not self.is_attached:  # closed before the choices came
            return
        for name, options in choices.items():
            select = self.query_one(f"#filter-{name}", Select)
            select.set_options(options)
            value = getattr(self.current, name)
            if value in {v for _, v in options}:
                select.value = value
        self.loaded = True

    def _value(self, name: str) -> str | None:
        if not self.loaded:  # applied before the choices came: keep the filters as they are
            return getattr(self.current, name)
        value = self.query_one(f"#filter-{name}", Select).value
        return value if isinstance(value, str) else None

    def _archived(self) -> bool | None:
        choice = self.query_one("#filter-archived", Select).value
        return ARCHIVE_CHOICES[choice][1] if isinstance(choice, int) else False

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        """Use the chosen filters."""
        self.dismiss(
            replace(
                self.current,
                source=self._value("source"),
                section=self._value("section"),
                tag=self._value("tag"),
                kind=self._value("kind"),
                unread=self.query_one("#filter-unread", Checkbox).value,
                archived=self._archived(),
            )
        )

    @on(Button.Pressed, "#clear")
    def clear(self) -> None:
        """Drop every filter."""
        self.dismiss(
            replace(
                self.current,
                source=None,
                section=None,
                tag=None,
                kind=None,
                unread=False,
                archived=False,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the filters as they were."""
        self.dismiss(None)
