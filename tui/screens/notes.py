"""Every bookmark, highlight and note, newest first: filter, fuzzy find, open, edit, delete.

All reads and writes go to the store in thread workers; the list itself is kept in
memory, so filters and fuzzy find never wait on the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input, Static

from store.library import Library, LibraryError
from store.models import COLORS, Bookmark, Note

from ..reads import NewestRead
from ..widgets.footer import FitFooter
from ..widgets.note_list import KINDS, Entry, EntryKind, NoteList, merge_newest_first
from ..widgets.text import crop, one_line

EXPORT_HINT = 'set notes_export_dir = "~/notes/margin" in config.toml'


@dataclass(frozen=True, slots=True)
class NoteFilters:
    """What the list is narrowed to; every filter set must match."""

    tag: str | None = None
    article_id: int | None = None
    article_title: str = ""
    color: str | None = None
    kind: EntryKind | None = None
    orphaned: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return bool(
            self.tag or self.article_id is not None or self.color or self.kind or self.orphaned
        )

    def matches(self, entry: Entry) -> bool:
        """Whether ``entry`` passes every filter."""
        if self.tag and self.tag.casefold() not in {t.casefold() for t in entry.tags}:
            return False
        if self.article_id is not None and entry.article_id != self.article_id:
            return False
        if self.color and entry.color != self.color:
            return False
        if self.kind and entry.kind != self.kind:
            return False
        return not self.orphaned or entry.state == "orphaned"

    def describe(self) -> str:
        """The filters in words, e.g. ``tag: nature · colour: blue · orphaned``."""
        parts = []
        if self.kind:
            parts.append(f"{self.kind}s")
        if self.tag:
            parts.append(f"tag: {one_line(self.tag)}")
        if self.article_id is not None:
            parts.append(f"article: {one_line(self.article_title)}")
        if self.color:
            parts.append(f"colour: {self.color}")
        if self.orphaned:
            parts.append("orphaned")
        return " · ".join(parts)


def _word_cutoff(word: str) -> float:
    """How close a word must come: short words exactly, longer ones forgive a typo."""
    if len(word) <= 3:
        return 100
    return 75 if len(word) == 4 else 80


def fuzzy_filter(entries: list[Entry], text: str) -> list[Entry]:
    """Entries matching every word of ``text`` fuzzily, best first; all when empty.

    Each word is scored against the entry's quote, note, title and tags
    (``fuzz.partial_ratio``, so a prefix or a typo still matches); equal scores
    keep the list's order (newest first).
    """
    words = text.casefold().split()
    if not words:
        return entries
    scored = []
    for entry in entries:
        hay = entry.haystack
        total = 0.0
        for word in words:
            cutoff = _word_cutoff(word)
            score = 100.0 if word in hay else fuzz.partial_ratio(word, hay, score_cutoff=cutoff)
            if score < cutoff:
                break
            total += score
        else:
            scored.append((total, entry))
    scored.sort(key=lambda pair: -pair[0])
    return [entry for _, entry in scored]


def load_entries(library: Library) -> list[Entry]:
    """Every note, highlight and bookmark, newest first (call in a worker)."""
    entries = [Entry.from_note(note) for note in library.notes()]
    tags: dict[int, tuple[str, ...]] = {}
    for bookmark in library.bookmarks():
        article = bookmark.article_id
        if article is not None and article not in tags:
            tags[article] = tuple(library.article_tags(article))
        entries.append(Entry.from_bookmark(bookmark, tags.get(article, ()) if article else ()))
    return merge_newest_first(entries)


def export_folder(configured: str | None) -> Path | None:
    """Where ``x`` writes the Markdown notes: the configured folder, else None."""
    return Path(configured).expanduser() if configured else None


def export_markdown(library: Library, folder: Path) -> int:
    """Write the Markdown notes into ``folder`` as ``margin notes export`` does; the count."""
    # tui.cli loads tui.notes_cli itself (to register its commands), so it comes first.
    from .. import cli  # noqa: F401
    from ..notes_cli import export_notes_markdown

    return export_notes_markdown(library, folder)


class NotesScreen(Screen[None]):
    """Bookmarks, highlights and notes across the library."""

    BINDINGS: list[BindingType] = [
        Binding("escape", "back", "Back", id="notes.back"),
        Binding("slash", "find", "Find", id="notes.find"),
        Binding("t", "filter_tag", "Filter: tag", id="notes.filter_tag", show=False),
        Binding("a", "filter_article", "Filter: article", id="notes.filter_article", show=False),
        Binding("c", "cycle_color", "Filter: colour", id="notes.filter_color", show=False),
        Binding("n", "kind('note')", "Notes only", show=False, id="notes.only_notes"),
        Binding(
            "h", "kind('highlight')", "Highlights only", show=False, id="notes.only_highlights"
        ),
        Binding("b", "kind('bookmark')", "Bookmarks only", show=False, id="notes.only_bookmarks"),
        Binding("o", "toggle_orphaned", "Filter: orphaned", id="notes.filter_orphaned", show=False),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("u", "undo", "Undo", id="notes.undo"),
        Binding("x", "export", "Export", id="notes.export"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.all_entries: list[Entry] = []
        self.shown: list[Entry] = []
        self.filters = NoteFilters()
        self.deleted: list[Note | Bookmark] = []
        """What ``d`` removed, most recent last; ``u`` puts back the last one."""
        self.loaded = False
        self._generation = 0
        self._reads = NewestRead()

    def compose(self) -> ComposeResult:
        yield Static(id="notes-status")
        yield Input(placeholder="Fuzzy find in quotes, notes, titles, tags (/)", id="notes-find")
        yield NoteList(id="notes-list")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(NoteList).focus()
        self._show_status()
        self._load()

    def on_screen_resume(self) -> None:
        """Back from an article or the editor: notes may have changed."""
        if self.loaded:
            self._load()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """``Widget.notify``, but plain text by default: messages quote titles and paths."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def note_list(self) -> NoteList:
        """The list widget."""
        return self.query_one(NoteList)

    # -- data ------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="notes-load")
    def _load(self, keep: str | None = None) -> None:
        self._read_entries(keep)

    def _read_entries(self, keep: str | None) -> None:
        """Read every note and bookmark (in a worker) and show them, unless newer are shown."""
        read = self._reads.start()
        entries = load_entries(self.library)
        self.app.call_from_thread(self._loaded, entries, keep, read)

    def _loaded(self, entries: list[Entry], keep: str | None, read: int) -> None:
        if not self._reads.is_newest(read):
            return
        self.all_entries = entries
        self.loaded = True
        self._refilter(keep)

    def _refilter(self, keep: str | None = None) -> None:
        """Apply the filters and the find text to the loaded entries."""
        if keep is None:
            current = self.note_list.current
            keep = current.key if current else None
        text = self.query_one("#notes-find", Input).value
        narrowed = [e for e in self.all_entries if self.filters.matches(e)]
        self._generation += 1
        self._find(narrowed, text, keep, self._generation)

    @work(thread=True, exclusive=True, group="notes-find")
    def _find(self, entries: list[Entry], text: str, keep: str | None, generation: int) -> None:
        found = fuzzy_filter(entries, text)
        self.app.call_from_thread(self._show, found, text, keep, generation)

    def _show(self, entries: list[Entry], text: str, keep: str | None, generation: int) -> None:
        if generation != self._generation:
            return  # a newer search is on its way (a cancelled thread still finishes)
        self.shown = entries
        note_list = self.note_list
        note_list.empty_message = self._empty_message(text)
        note_list.set_entries(entries, keep=keep)
        self._show_status()

    def _empty_message(self, text: str) -> str:
        if not self.loaded:
            return "Loading…"
        if not self.all_entries:
            return (
                "No bookmarks, highlights or notes yet. In an article: select a passage, "
                "h highlights it, a writes a note, B bookmarks the article."
            )
        if self.filters.active or text.strip():
            return "Nothing matches. Press escape to clear the filters and the find text."
        return ""

    def _show_status(self) -> None:
        total = len(self.all_entries)
        shown = len(self.shown)
        parts = ["Notes & bookmarks"]
        text = self.query_one("#notes-find", Input).value.strip()
        if self.filters.active or text:
            parts.append(f"{shown:,} of {total:,}")
            if self.filters.active:
                parts.append(self.filters.describe())
            if text:
                parts.append(f'"{one_line(text)}"')
        else:
            parts.append(f"{total:,}")
            parts.append("t tag · a article · c colour · n/h/b kind · o orphaned")
        width = max(10, self.size.width - 2)
        status = self.query_one("#notes-status", Static)
        status.update(Content(crop(" · ".join(parts), width)))
        status.set_class(self.filters.active, "-filtered")

    def _set_filters(self, **changes: Any) -> None:
        self.filters = replace(self.filters, **changes)
        self._refilter()

    # -- events ----------------------------------------------------------------------------------
    @on(Input.Changed, "#notes-find")
    def _find_changed(self, event: Input.Changed) -> None:
        self._refilter()

    @on(Input.Submitted, "#notes-find")
    def _find_submitted(self) -> None:
        self.note_list.focus()

    @on(NoteList.Selected)
    def _open(self, event: NoteList.Selected) -> None:
        self.open_entry(event.entry)

    def open_entry(self, entry: Entry) -> None:
        """Open the entry's article at its passage (orphans: at the top, saying why)."""
        from .article import ArticleScreen

        if entry.article_id is None:
            self.notify(
                "Its article was deleted; the note is kept here and in exports.",
                severity="warning",
            )
            return
        at = entry.at
        if entry.state == "orphaned":
            at = 0
            self.notify(
                "This note is orphaned: its passage is no longer in the article's text. "
                "Its old quote is kept in the notes list.",
                title="Orphaned note",
                severity="warning",
                timeout=6,
            )
        note = entry.item.id if entry.kind != "bookmark" and entry.state != "orphaned" else None
        self.app.push_screen(ArticleScreen(self.library, entry.article_id, at=at, note=note))

    # -- filters -----------------------------------------------------------------------------------
    def action_find(self) -> None:
        """Type to narrow the list (fuzzy)."""
        self.query_one("#notes-find", Input).focus()

    def action_filter_tag(self) -> None:
        """Only entries of articles with one tag (pick it)."""
        from .pickers import PickerScreen

        names = sorted({t for e in self.all_entries for t in e.tags}, key=str.casefold)
        if not names:
            self.notify("No article with notes has tags (T in an article tags it).", timeout=3)
            return
        items = [("Any tag", "")] + [("#" + one_line(name), name) for name in names]
        start = names.index(self.filters.tag) + 1 if self.filters.tag in names else 0

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._set_filters(tag=result[1] or None)

        self.app.push_screen(PickerScreen("Filter by tag", items, highlight=start), chosen)

    def action_filter_article(self) -> None:
        """Only entries of one article (pick it; the one under the cursor comes first)."""
        from .pickers import PickerScreen

        counts: dict[int, tuple[str, int]] = {}
        for entry in self.all_entries:
            if entry.article_id is not None:
                title, count = counts.get(entry.article_id, (entry.article_title, 0))
                counts[entry.article_id] = (title, count + 1)
        if not counts:
            self.notify("Nothing to filter by.", timeout=3)
            return
        ordered = sorted(counts.items(), key=lambda item: item[1][0].casefold())
        items: list[tuple[str, tuple[int, str] | None]] = [("Any article", None)]
        items += [
            (f"{crop(one_line(title), 70)} ({count})", (article_id, title))
            for article_id, (title, count) in ordered
        ]
        current = self.note_list.current
        wanted = self.filters.article_id or (current.article_id if current else None)
        start = next((i for i, (_, v) in enumerate(items) if v and v[0] == wanted), 0)

        def chosen(result: tuple[str, tuple[int, str] | None] | None) -> None:
            if result is None:
                return
            value = result[1]
            if value is None:
                self._set_filters(article_id=None, article_title="")
            else:
                self._set_filters(article_id=value[0], article_title=value[1])

        self.app.push_screen(PickerScreen("Filter by article", items, highlight=start), chosen)

    def action_cycle_color(self) -> None:
        """Only one colour: each press takes the next colour, then all again."""
        cycle: list[str | None] = [None, *COLORS]
        following = cycle[(cycle.index(self.filters.color) + 1) % len(cycle)]
        self._set_filters(color=following)

    def action_kind(self, kind: str) -> None:
        """Only notes, highlights or bookmarks (the same key again: all)."""
        chosen = None if self.filters.kind == kind or kind not in KINDS else kind
        self._set_filters(kind=chosen)

    def action_toggle_orphaned(self) -> None:
        """Only notes whose passage was lost, or all."""
        self._set_filters(orphaned=not self.filters.orphaned)

    def action_back(self) -> None:
        """Leave the find line, clear the filters, or go back to the library."""
        find = self.query_one("#notes-find", Input)
        if find.has_focus:
            self.note_list.focus()
            return
        if find.value or self.filters.active:
            find.value = ""
            self.filters = NoteFilters()
            self._refilter()
            return
        self.dismiss(None)

    # -- edit, delete, undo ----------------------------------------------------------------------
    def action_edit(self) -> None:
        """Edit the note under the cursor (a highlight becomes a note)."""
        entry = self.note_list.current
        if entry is None:
            return
        if not isinstance(entry.item, Note):
            self.notify("Bookmarks have no note to edit.", timeout=3)
            return
        self._open_editor(entry.item)

    @work(thread=True, group="notes-editor")
    def _open_editor(self, note: Note) -> None:
        from .note_editor import NoteEditor

        key = f"edit:{note.id}"
        kept = self.library.draft(key)
        text = kept if kept is not None else note.body

        def saved(body: str | None) -> None:
            if body is not None:
                self._save_body(note.id, body, key)

        editor = NoteEditor(self.library, key, note.quote, text)
        self.app.call_from_thread(self.app.push_screen, editor, saved)
        if kept is not None and kept != note.body:
            self.app.call_from_thread(self.notify, "Restored the unsaved draft.", timeout=3)

    @work(thread=True, group="notes-write")
    def _save_body(self, note_id: int, body: str, draft: str) -> None:
        try:
            self.library.update_note(note_id, body=body)
            self.library.drop_draft(draft)
        except LibraryError as error:
            self.app.call_from_thread(self.notify, f"Not saved: {error}", severity="error")
            return
        self._changed("Note saved.", f"note:{note_id}")

    def action_delete(self) -> None:
        """Delete the entry under the cursor (u brings it back)."""
        entry = self.note_list.current
        if entry is None:
            return
        if isinstance(entry.item, Bookmark) and entry.article_id is None:
            # Only the store could put back a bookmark of a deleted article.
            self.notify(
                "This bookmark's article was deleted, so it could not be undone; "
                f"delete it with: margin bookmarks delete {entry.item.id}",
                severity="warning",
                timeout=6,
            )
            return
        self._delete(entry)

    @work(thread=True, group="notes-write")
    def _delete(self, entry: Entry) -> None:
        try:
            if isinstance(entry.item, Note):
                removed: Note | Bookmark = self.library.delete_note(entry.item.id)
            else:
                removed = self.library.delete_bookmark(entry.item.id)
        except LibraryError as error:
            self.app.call_from_thread(self.notify, f"Not deleted: {error}", severity="error")
            return
        self.deleted.append(removed)
        self._changed(f"Deleted the {entry.kind}. Press u to undo.", None)

    def action_undo(self) -> None:
        """Put back the last deleted entry."""
        if not self.deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        self._undo(self.deleted.pop())

    @work(thread=True, group="notes-write")
    def _undo(self, item: Note | Bookmark) -> None:
        try:
            if isinstance(item, Note):
                restored = self.library.restore_note(item)
                key = f"note:{restored.id}"
                what = "highlight" if restored.is_highlight else "note"
            else:
                again = self.library.restore_bookmark(item)
                key, what = f"bookmark:{again.id}", "bookmark"
        except LibraryError as error:
            self.deleted.append(item)
            self.app.call_from_thread(self.notify, f"Not restored: {error}", severity="error")
            return
        self._changed(f"Restored the {what}.", key)

    def _changed(self, message: str, keep: str | None) -> None:
        """After a write (in a worker): re-export if configured, reload, tell the user."""
        problem = self._sync_export()
        self._read_entries(keep)
        self.app.call_from_thread(self.notify, message, timeout=3)
        if problem:
            self.app.call_from_thread(self.notify, problem, severity="warning")

    def _sync_export(self) -> str | None:
        folder = export_folder(getattr(getattr(self.app, "config", None), "notes_export_dir", None))
        if folder is None:
            return None
        try:
            export_markdown(self.library, folder)
        except OSError as error:
            return f"Could not update the notes export in {folder}: {error}"
        return None

    # -- export ----------------------------------------------------------------------------------
    def action_export(self) -> None:
        """Export every note as Markdown to the configured folder."""
        configured = getattr(getattr(self.app, "config", None), "notes_export_dir", None)
        folder = export_folder(configured)
        if folder is None:
            self.notify(
                f"No export folder: {EXPORT_HINT}, or run: margin notes export "
                "--format markdown --out DIR",
                title="Export",
                severity="warning",
                timeout=8,
            )
            return
        self._export(folder)

    @work(thread=True, exclusive=True, group="notes-export")
    def _export(self, folder: Path) -> None:
        try:
            count = export_markdown(self.library, folder)
        except OSError as error:
            self.app.call_from_thread(
                self.notify, f"Could not export to {folder}: {error}", severity="error"
            )
            return
        plural = "s" if count != 1 else ""
        self.app.call_from_thread(
            self.notify, f"Exported {count} file{plural} to {folder}", title="Export", timeout=5
        )

    def on_resize(self) -> None:
        self._show_status()
