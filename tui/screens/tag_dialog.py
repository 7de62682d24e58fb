"""The tag dialog: an article's tags as one editable line, completed from tags in use."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from store.library import Library

from .dialog_fit import FitsShortTerminal


def split_tags(line: str) -> list[str]:
    """Tag names from a line of them, separated by commas or spaces, repeats dropped."""
    seen: dict[str, str] = {}
    for name in line.replace(",", " ").split():
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


class LastTagSuggester(Suggester):
    """Completes the last tag being typed from ``names``."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names = sorted(names, key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        for name in self.names:
            if name.casefold().startswith(last) and name.casefold() != last:
                return f"{head} {name}" if head else name
        return None


class TagDialog(FitsShortTerminal, ModalScreen[list[str] | None]):
    """Edit the tags of article ``article_id``; dismisses with the new tags or None."""

    BINDINGS: list[BindingType] = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, library: Library, article_id: int, title: str) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tag-dialog"):
            yield Label(Content("Tags of ") + Content(self.article_title), classes="dialog-title")
            yield Input(placeholder="tags, separated by spaces", id="tags-input", disabled=True)
            yield Label("enter save · tab complete · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True)
    def _load(self) -> None:
        current = self.library.article_tags(self.article_id)
        names = [name for name, _ in self.library.tags()]
        self.app.call_from_thread(self._loaded, current, names)

    def _loaded(self, current: list[str], names: list[str]) -> None:
        field = self.query_one(Input)
        field.suggester = LastTagSuggester(names)
        field.value = " ".join(current) + (" " if current else "")
        field.disabled = False
        field.cursor_position = len(field.value)
        field.focus()
        self.current = current

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        """Save the tags on the line: new ones added, missing ones taken off."""
        wanted = split_tags(event.value)
        self._save(wanted)

    @work(thread=True)
    def _save(self, wanted: list[str]) -> None:
        keep = {name.casefold() for name in wanted}
        for name in self.library.article_tags(self.article_id):
            if name.casefold() not in keep:
                self.library.remove_tag(self.article_id, name)
        self.library.add_tags(self.article_id, wanted)
        self.app.call_from_thread(self.dismiss, self.library.article_tags(self.article_id))

    def action_cancel(self) -> None:
        """Close, changing nothing."""
        self.dismiss(None)
