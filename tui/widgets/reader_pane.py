"""ReaderPane: one article for reading, with find, notes, a visual selection and a status line.

The article screen hosts one pane; the comparison screen hosts two. The pane owns
everything about reading one text: loading it (off the UI thread), the reading
position, find hits, highlights and notes drawn as layers of its ``ArticleView``,
the keyboard selection (visual mode) and the note under the cursor. Every write to
the library runs in a worker; the pane tells its host what happened with messages.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from store.document import Document, parse_markdown
from store.library import Library, LibraryError
from store.models import COLORS

from ..reads import NewestRead
from ..recovery import keep_unsaved
from .article_view import MAX_MEASURE, MIN_MEASURE, ArticleView, HeaderLine, MarginNote
from .image_lines import ImageLines
from .library_table import reading_minutes
from .text import crop, one_line

if TYPE_CHECKING:
    from store.models import Article, Note, ReadingPosition

SAVE_DELAY = 0.8
"""Seconds of stillness before the reading position is written."""
MEASURE_STEP = 4
END_DWELL = 2.0
"""Least seconds a text that fits on screen must stay there to count as read."""
SKIM_WORDS_PER_SECOND = 8.0
"""A quick reader's pace: a short text is read once on screen for its words at this pace."""
UNDO_SECONDS = 10.0
"""How long ``u`` undoes the last note deletion instead of scrolling."""
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[」』”’）)]*|\n")
_WORD = re.compile(r"\S+")


def byline(article: Article) -> str:
    """Author, source, section, date and length on one line."""
    parts = [
        article.author,
        article.source,
        article.section,
        (article.published or "")[:10] or None,
        f"{article.word_count:,} words · {reading_minutes(article.word_count)} min read",
    ]
    return " · ".join(one_line(part) for part in parts if part)


@dataclass(slots=True)
class Shown:
    """What a pane shows: an article (editable) or a fixed text such as an old version."""

    title: str
    markdown: str
    article: Article | None = None
    position: ReadingPosition | None = None
    meta: str = ""
    measure: int | None = None
    """The text width the user chose last, if known."""
    images: ImageLines | None = None
    """Draws the article's pictures (None: they take no lines)."""


def _end(match: re.Match[str]) -> int:
    """Where the sentence a match ends stops (a line break is not part of it)."""
    return match.start() if match.group() == "\n" else match.end()


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The ``[start, end)`` of the sentence of ``text`` holding ``offset``."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= offset:
            start = match.end()
            continue
        end = _end(match)
        break
    else:
        end = len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, max(start, end)


def next_sentence_end(text: str, offset: int) -> int:
    """The end of the first sentence with any words after ``offset``."""
    for match in _SENTENCE_END.finditer(text, offset + 1):
        if text[offset : match.start()].strip():
            return _end(match)
    return len(text)


def previous_sentence_end(text: str, start: int, end: int) -> int:
    """The end of the sentence before the one ending at ``end`` (never before ``start``)."""
    ends = [_end(m) for m in _SENTENCE_END.finditer(text, start, end)]
    ends = [e for e in ends if start < e < end and text[e:end].strip()]
    return ends[-1] if ends else end


class ReaderPane(Vertical):
    """Read one text: find, highlight, annotate, bookmark; reusable side by side."""

    DEFAULT_CLASSES = "reader-pane"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "visual_cancel", "Cancel selection", id="article.visual_cancel"),
        Binding("w", "visual_extend('word', 1)", "+word", id="article.visual_word"),
        Binding("b", "visual_extend('word', -1)", "−word", id="article.visual_word_back"),
        Binding("s", "visual_extend('sentence', 1)", "+sentence", id="article.visual_sentence"),
        Binding(
            "S", "visual_extend('sentence', -1)", "−sentence", id="article.visual_sentence_back"
        ),
        Binding("p", "visual_extend('paragraph', 1)", "+paragraph", id="article.visual_paragraph"),
        Binding(
            "P",
            "visual_extend('paragraph', -1)",
            "−paragraph",
            id="article.visual_paragraph_back",
        ),
        Binding("e", "edit_note", "Edit note", id="article.edit_note"),
        Binding("E", "edit_note_external", "Edit in $EDITOR", show=False, id="article.edit_ext"),
        Binding("d", "delete_note", "Delete note", id="article.delete_note"),
        Binding("u", "undo_delete", "Undo delete", id="article.undo_delete"),
        Binding("O", "orphans", "Lost notes", id="article.orphans"),
        Binding("right_curly_bracket", "note(1)", "Next note", id="article.next_note"),
        Binding("left_curly_bracket", "note(-1)", "Prev note", show=False, id="article.prev_note"),
        Binding(
            "left_square_bracket",
            "heading(-1)",
            "Prev heading",
            show=False,
            id="article.previous_heading",
        ),
        Binding(
            "right_square_bracket",
            "heading(1)",
            "Next heading",
            show=False,
            id="article.next_heading",
        ),
        Binding("v", "visual", "Select", id="article.visual"),
        Binding("h", "highlight(0)", "Highlight", id="article.highlight"),
        *(
            Binding(
                str(number + 1),
                f"highlight({number})",
                f"Highlight {color}",
                show=False,
                id=f"article.highlight_{color}",
            )
            for number, color in enumerate(COLORS)
        ),
        Binding("a", "annotate", "Note", id="article.note"),
        Binding("t", "contents", "Contents", id="article.contents"),
        Binding("slash", "find", "Find", id="article.find"),
        Binding("n", "hit(1)", "Next hit", show=False, id="article.next_hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="article.previous_hit"),
        Binding("o", "links", "Links", id="article.links"),
        Binding("y", "copy", "Copy selection", id="article.copy"),
        Binding("Y", "copy_url", "Copy link", show=False, id="article.copy_url"),
        Binding("less_than_sign", "measure(-1)", "Narrower", show=False, id="article.narrower"),
        Binding("greater_than_sign", "measure(1)", "Wider", show=False, id="article.wider"),
        Binding("A", "annotate_external", "Note in $EDITOR", show=False, id="article.note_editor"),
        Binding("B", "bookmark", "Bookmark", id="article.bookmark"),
        Binding("b", "bookmark_passage", "Mark place", show=False, id="article.bookmark_passage"),
        Binding("T", "tag", "Tags", show=False, id="article.tags"),
        Binding("F", "fetch_full", "Fetch full article", id="article.fetch_full"),
    ]

    _VISUAL_ACTIONS = frozenset({"visual_cancel", "visual_extend"})
    _ARTICLE_ACTIONS = frozenset(
        {"highlight", "annotate", "annotate_external", "bookmark", "bookmark_passage", "tag"}
    )
    _NOTE_ACTIONS = frozenset({"edit_note", "edit_note_external", "delete_note"})

    class Loaded(Message):
        """The pane shows a new text (``pane.article`` is None for a fixed text)."""

        def __init__(self, pane: ReaderPane) -> None:
            super().__init__()
            self.pane = pane

    class Failed(Message):
        """An article could not be shown: it has left the library, or reading it failed."""

        def __init__(self, pane: ReaderPane, reason: str) -> None:
            super().__init__()
            self.pane = pane
            self.reason = reason

    class NotesChanged(Message):
        """The pane's notes were drawn again (after a load or an edit)."""

        def __init__(self, pane: ReaderPane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(
        self,
        library: Library,
        *,
        remember_position: bool = True,
        defer: frozenset[str] = frozenset(),
        quiet: bool = False,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        """
        :param remember_position: save the reading position of articles shown here.
        :param defer: actions whose keys the pane leaves to its host (``heading``, say).
        :param quiet: keep the pane's keys out of the footer (they still work, and help
            lists them), so a host with keys of its own has room for them.
        """
        super().__init__(id=id, classes=classes)
        if quiet:
            for key, bindings in self._bindings.key_to_bindings.items():
                self._bindings.key_to_bindings[key] = [replace(b, show=False) for b in bindings]
        self.library = library
        self.remember_position = remember_position
        self.defer = defer
        self.article: Article | None = None
        self.article_id: int | None = None
        self.document = Document()
        self.terms: tuple[str, ...] = ()
        self.notes: list[Note] = []
        self._note_reads = NewestRead()
        self.orphans: list[Note] = []
        """Notes of this article whose passage the text no longer holds."""
        self.current_note: Note | None = None
        self.visual: tuple[int, int] | None = None
        """The keyboard selection as a plain-text ``[start, end)``, while visual mode is on."""
        self._visual_anchor = 0
        self._finished = False
        self._dwell: Timer | None = None
        self._dirty = False
        self._save_timer: Timer | None = None
        self._deleted: Note | None = None
        self._undo_timer: Timer | None = None
        self._pending: tuple[int, tuple[str, ...], int | None] | None = None

    def compose(self) -> ComposeResult:
        # The orphan bar, note peek and find line are mounted on first use (``_part``):
        # most panes never show them, and each widget costs styling and layout time.
        yield ArticleView(classes="reader-view")
        yield Static(classes="reader-status")

    def on_mount(self) -> None:
        config = getattr(self.app, "config", None)
        self.view.measure = getattr(config, "measure", 80)

    def _part(self, name: str, create: bool = True) -> Static | Input | None:
        """The pane's widget of class ``name`` ("orphan-bar", "note-peek", "reader-find"),
        mounted in its place the first time it is needed (None if not made yet and not
        ``create``)."""
        found = self.query(f".{name}")
        if found:
            return found.first()
        if not create:
            return None
        widget: Static | Input
        if name == "reader-find":
            widget = Input(
                placeholder="Find in article (enter: done, n/N: next/previous)",
                classes="reader-find",
            )
            self.mount(widget, before=self.query_one(".reader-status"))
        elif name == "orphan-bar":
            widget = Static(classes=name)
            self.mount(widget, before=self.view)
        else:
            widget = Static(classes=name)
            self.mount(widget, after=self.view)
        return widget

    @property
    def view(self) -> ArticleView:
        """The reading view."""
        return self.query_one(ArticleView)

    # -- loading ---------------------------------------------------------------------------
    def load(
        self,
        article_id: int,
        terms: tuple[str, ...] = (),
        *,
        at: int | None = None,
        note: int | None = None,
    ) -> None:
        """Show article ``article_id`` at its saved position, at plain-text offset ``at``,
        at its note ``note`` (shown as the current note), or at its first hit of ``terms``;
        the library is read in a worker."""
        self.save_position()
        self._fetch(article_id, terms, at, note)

    @work(thread=True, exclusive=True, group="pane-load")
    def _fetch(
        self, article_id: int, terms: tuple[str, ...], at: int | None, note: int | None = None
    ) -> None:
        try:
            article = self.library.get(article_id)
            if article is None:
                reason = f"Article {article_id} is no longer in the library."
                self.app.call_from_thread(self._fail, reason)
                return
            position = self.library.position(article_id) if self.remember_position else None
            notes = self.library.notes(article_id)
            measure = self.library.setting("ui.measure")
        except LibraryError as error:
            reason = f"Article {article_id} could not be read: {error}"
            self.app.call_from_thread(self._fail, reason)
            return
        document = parse_markdown(article.body_markdown)
        shown = Shown(article.title, article.body_markdown, article, position, byline(article))
        if measure and measure.isdigit():
            shown.measure = int(measure)
        if any(block.pictures for block in document.blocks):
            shown.images = self._image_lines(article_id)
        self.app.call_from_thread(self.show, shown, document, notes, terms, at, note)

    def _fail(self, reason: str) -> None:
        """Show why nothing can be shown, in the pane and as a notice."""
        self.show_text("Not available", f"{reason}\n\nPress q to go back.")
        self.notify(reason, severity="error", markup=False)
        self.post_message(self.Failed(self, reason))

    def _image_lines(self, article_id: int) -> ImageLines:
        """The article's pictures, drawn from the library (alt text when images are off)."""
        config = getattr(self.app, "config", None)
        return ImageLines(
            self.library.article_images(article_id),
            self.library.image_data,
            enabled=getattr(config, "images", True),
        )

    def show_text(
        self,
        title: str,
        markdown: str,
        *,
        meta: str = "",
        at: int | None = None,
    ) -> None:
        """Show a fixed text (an old version, say): readable and findable, not annotatable."""
        self.save_position()
        shown = Shown(title, markdown, None, None, meta)
        self.show(shown, parse_markdown(markdown))

    def show(
        self,
        shown: Shown,
        document: Document,
        notes: list[Note] | None = None,
        terms: tuple[str, ...] = (),
        at: int | None = None,
        note: int | None = None,
    ) -> None:
        """Show ``shown`` (parsed as ``document``) with its ``notes``, already read.

        :param terms: find these and go to the first hit.
        :param at: a plain-text offset to open at.
        :param note: the id of a note to open at, shown as the current note.
        """
        notes = notes or []
        focus = next((n for n in notes if n.id == note and n.start is not None), None)
        if focus is not None:
            at = focus.start
        article = shown.article
        self.article = article
        self.article_id = article.id if article is not None else None
        self.document = document
        self.terms = terms
        self.visual = None
        self.current_note = None
        position = shown.position
        self._finished = bool(position and position.finished)
        if self._dwell is not None:
            self._dwell.stop()
            self._dwell = None
        self._dirty = False
        header = [HeaderLine(shown.title, "title")]
        if shown.meta:
            header.append(HeaderLine(shown.meta, "meta"))
        if article is not None and article.kind == "excerpt":
            where = f" of {article.url} · F fetches the full article" if article.url else ""
            header.append(HeaderLine(f"Excerpt{where}", "meta"))
        view = self.view
        if shown.measure is not None:
            view.measure = max(MIN_MEASURE, min(MAX_MEASURE, shown.measure))
        target = document.block_at(at) if at is not None else None
        images = shown.images
        if target is not None and at is not None:
            view.set_document(
                document, header, block=target.index, offset=at - target.start, images=images
            )
        elif position is not None and not terms:
            view.set_document(
                document, header, block=position.paragraph, offset=position.offset, images=images
            )
        else:
            view.set_document(document, header, images=images)
        if terms:
            if view.highlight(terms):
                if target is None:
                    view.goto_hit(0)
            else:
                self.notify("No matches in this article.", severity="information")
        self._draw_notes(notes)
        if focus is not None:
            self.current_note = focus
            self._show_current_note()
            self.refresh_bindings()
        self.show_status()
        self.post_message(self.Loaded(self))

    # -- notes -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="pane-notes")
    def reload_notes(self) -> None:
        """Read this article's notes again and draw them."""
        article_id = self.article_id
        if article_id is None:
            return
        read = self._note_reads.start()
        notes = self.library.notes(article_id)
        self.app.call_from_thread(self._notes_loaded, article_id, notes, read)

    def _notes_loaded(self, article_id: int, notes: list[Note], read: int) -> None:
        if article_id == self.article_id and self._note_reads.is_newest(read):
            self._draw_notes(notes)

    def _draw_notes(self, notes: list[Note]) -> None:
        """Draw highlights by colour, note bodies in the margin, and the current note."""
        self.notes = sorted(
            (n for n in notes if n.start is not None and n.end is not None),
            key=lambda n: (n.start, n.end),
        )
        self.orphans = [n for n in notes if n.start is None]
        by_color: dict[str, list[tuple[int, int, int]]] = {color: [] for color in COLORS}
        margin: list[MarginNote] = []
        for note in self.notes:
            assert note.start is not None and note.end is not None
            spans = self.document.block_spans(note.start, note.end)
            by_color.setdefault(note.color, []).extend(spans)
            if note.body.strip() and spans:
                block, start, _ = spans[0]
                margin.append(MarginNote(note.id, block, start, note.body, note.color))
        view = self.view
        for color, spans in by_color.items():
            view.set_layer(f"highlight-{color}", spans, f"highlight-{color}")
        view.set_margin_notes(margin)
        if self.current_note is not None:
            self.current_note = next((n for n in self.notes if n.id == self.current_note.id), None)
        self._show_current_note()
        self.show_status()
        bar = self._part("orphan-bar", create=bool(self.orphans))
        if bar is not None:
            bar.display = bool(self.orphans)
        if self.orphans and isinstance(bar, Static):
            count = len(self.orphans)
            bar.update(
                f"⚠ {count} note{'s' if count != 1 else ''} lost {'their' if count != 1 else 'its'}"
                " passage when the text changed · O to place or dismiss"
            )
        self.refresh_bindings()
        self.post_message(self.NotesChanged(self))

    def _show_current_note(self) -> None:
        view = self.view
        note = self.current_note
        if note is None or note.start is None or note.end is None:
            view.clear_layer("current-note")
            view.current_margin_note = None
            self._hide("note-peek")
            return
        view.set_layer(
            "current-note", self.document.block_spans(note.start, note.end), "current-hit"
        )
        view.current_margin_note = note.id
        body = note.body.strip()
        # The margin column shows the note on wide screens; narrow ones get the peek line.
        if body and not view.margin_width:
            peek = self._part("note-peek")
            assert isinstance(peek, Static)
            peek.update(Content("✎ ") + Content(one_line(body)))
            peek.display = True
        else:
            self._hide("note-peek")

    def _hide(self, name: str) -> None:
        """Hide the pane's widget ``name`` if it was ever made."""
        widget = self._part(name, create=False)
        if widget is not None:
            widget.display = False

    def action_note(self, direction: int) -> None:
        """Move to the next (or previous) highlight or note and show it."""
        if not self.notes:
            self.notify("No highlights or notes here (select text, then h or a).", timeout=2)
            return
        if self.current_note is not None and self.current_note in self.notes:
            index = self.notes.index(self.current_note) + (1 if direction > 0 else -1)
        else:
            top, offset = self.view.top_block
            here = self._offset_of(top, offset)
            later = [n for n, note in enumerate(self.notes) if (note.start or 0) >= here]
            index = later[0] if direction > 0 and later else (later[0] - 1 if later else -1)
        if not 0 <= index < len(self.notes):
            self.notify("No more notes that way.", timeout=1.5)
            return
        self.current_note = self.notes[index]
        self._show_current_note()
        start = self.current_note.start or 0
        block = self.document.block_at(start)
        if block is not None:
            self.view.reveal(block.index, start - block.start)
        self.show_status()
        self.refresh_bindings()

    def action_edit_note(self) -> None:
        """Edit the current note in the in-app editor."""
        note = self.current_note
        if note is None:
            return
        self._open_editor(note.article_id or 0, note.start or 0, note.end or 0, note)

    def action_edit_note_external(self) -> None:
        """Edit the current note in ``$EDITOR``."""
        note = self.current_note
        if note is not None:
            self._external_edit(note.article_id or 0, note.start or 0, note.end or 0, note)

    def action_delete_note(self) -> None:
        """Delete the current note (``u`` undoes it for a few seconds)."""
        note = self.current_note
        if note is not None:
            self.current_note = None
            self._delete(note)

    @work(thread=True, group="pane-write")
    def _delete(self, note: Note) -> None:
        deleted = self.library.delete_note(note.id)
        self.app.call_from_thread(self._deleted_note, deleted)

    def _deleted_note(self, note: Note) -> None:
        self._deleted = note
        if self._undo_timer is not None:
            self._undo_timer.stop()
        self._undo_timer = self.set_timer(UNDO_SECONDS, self._forget_undo)
        what = "Highlight" if note.is_highlight else "Note"
        self.notify(f"{what} deleted. Press u to undo.", timeout=UNDO_SECONDS)
        self.reload_notes()
        self.refresh_bindings()

    def _forget_undo(self) -> None:
        self._deleted = None
        self.refresh_bindings()

    def action_undo_delete(self) -> None:
        """Bring back the note deleted last."""
        note = self._deleted
        if note is not None:
            self._deleted = None
            self.refresh_bindings()
            self._restore(note)

    @work(thread=True, group="pane-write")
    def _restore(self, note: Note) -> None:
        self.library.restore_note(note)
        self.app.call_from_thread(self.notify, "Restored.", timeout=2)
        self.app.call_from_thread(self.reload_notes)

    def action_orphans(self) -> None:
        """List the notes that lost their passage: place one on the selection, or dismiss it."""
        from ..screens.orphans import OrphansScreen

        selection = self.selected_range()

        def chosen(result: tuple[str, Note] | None) -> None:
            if result is None:
                return
            what, note = result
            if what == "dismiss":
                self._delete(note)
            elif selection is not None:
                self.action_visual_cancel()
                self.screen.clear_selection()
                self._place(note.id, *selection)

        self.app.push_screen(OrphansScreen(self.orphans, can_place=selection is not None), chosen)

    @work(thread=True, group="pane-write")
    def _place(self, note_id: int, start: int, end: int) -> None:
        try:
            self.library.update_note(note_id, start=start, end=end)
        except LibraryError as error:
            self.app.call_from_thread(self.notify, f"Not placed: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, "Note placed.", timeout=2)
        self.app.call_from_thread(self.reload_notes)

    # -- selection -------------------------------------------------------------------------
    def _offset_of(self, block: int, offset: int) -> int:
        blocks = self.document.blocks
        if not blocks:
            return 0
        block = max(0, min(block, len(blocks) - 1))
        return blocks[block].start + offset

    def selected_range(self) -> tuple[int, int] | None:
        """The selection (keyboard, else mouse) as a plain-text ``[start, end)``, or None."""
        if self.visual is not None:
            return self.visual
        return self.view.selected_range()

    def _take_selection(self, key: str) -> tuple[int, int] | None:
        found = self.selected_range()
        if found is None or found[0] >= found[1]:
            self.notify(
                f"Select a passage first (v, or drag over it), then press {key}.", timeout=3
            )
            return None
        self.action_visual_cancel()
        self.screen.clear_selection()
        return found

    def action_visual(self) -> None:
        """Start a keyboard selection at the sentence at the top of the screen (or the note)."""
        text = self.document.text
        if not text:
            return
        if self.current_note is not None and self.current_note.start is not None:
            here = self.current_note.start
        else:
            here = self._offset_of(*self.view.top_block)
            block = self.document.block_at(here)
            if block is not None and block.kind == "heading":
                later = [b for b in self.document.blocks if b.index > block.index]
                here = later[0].start if later else here
        block = self.document.block_at(here)
        if block is None:
            return
        local = max(0, here - block.start)
        start, end = sentence_bounds(block.text, local)
        self._visual_anchor = block.start + start
        self.visual = (block.start + start, block.start + end)
        self._draw_visual()
        self.refresh_bindings()
        self.show_status()

    def action_visual_extend(self, unit: str, direction: int) -> None:
        """Grow (``direction`` 1) or shrink (-1) the keyboard selection by a word, sentence
        or paragraph."""
        if self.visual is None:
            return
        text = self.document.text
        start, end = self.visual
        if unit == "word":
            if direction > 0:
                match = _WORD.search(text, end)
                end = match.end() if match else end
            else:
                words = [m for m in _WORD.finditer(text, start, end) if m.start() > start]
                end = words[-1].start() if words else end
                end = len(text[:end].rstrip())
        elif unit == "sentence":
            if direction > 0:
                end = next_sentence_end(text, end) if end < len(text) else end
            else:
                end = previous_sentence_end(text, start, end)
        else:
            block = self.document.block_at(max(start, end - 1))
            if direction > 0:
                nxt = self.document.block_at(end + 1) if block and end >= block.end else block
                if nxt is not None:
                    end = nxt.end
            elif block is not None and block.start > start:
                previous = self.document.block_at(block.start - 2)
                end = previous.end if previous is not None and previous.end > start else end
        self.visual = (start, max(end, start + 1))
        self._draw_visual()

    def action_visual_cancel(self) -> None:
        """Leave visual mode."""
        if self.visual is None:
            return
        self.visual = None
        self.view.clear_layer("visual")
        self.refresh_bindings()
        self.show_status()

    def _draw_visual(self) -> None:
        if self.visual is None:
            return
        spans = self.document.block_spans(*self.visual)
        self.view.set_layer("visual", spans, "selection")
        if spans:
            block, _, end = spans[-1]
            self.view.reveal(block, end)

    # -- writing ---------------------------------------------------------------------------
    def action_highlight(self, color: int) -> None:
        """Highlight the selected passage in colour number ``color``."""
        found = self._take_selection("h")
        if found is not None and self.article_id is not None:
            self._add_note(self.article_id, *found, COLORS[color % len(COLORS)])

    def action_annotate(self) -> None:
        """Write a note on the selected passage."""
        found = self._take_selection("a")
        if found is not None and self.article_id is not None:
            self._open_editor(self.article_id, *found, None)

    def action_annotate_external(self) -> None:
        """Write a note on the selected passage in ``$EDITOR``."""
        found = self._take_selection("A")
        if found is not None and self.article_id is not None:
            self._external_edit(self.article_id, *found, None)

    @work(thread=True, group="pane-editor")
    def _open_editor(self, article_id: int, start: int, end: int, note: Note | None) -> None:
        from ..screens.note_editor import NoteEditor

        key = f"note:{note.id}" if note is not None else f"new:{article_id}:{start}:{end}"
        kept = self.library.draft(key)
        text = kept if kept is not None else (note.body if note is not None else "")
        quote = note.quote if note is not None else self.document.text[start:end]

        def saved(result: str | None) -> None:
            if result is not None:
                self._save_note(article_id, start, end, result, key, note)

        editor = NoteEditor(self.library, key, quote, text)
        self.app.call_from_thread(self.app.push_screen, editor, saved)

    def _external_edit(self, article_id: int, start: int, end: int, note: Note | None) -> None:
        """Suspend the app, edit the note's Markdown in ``$EDITOR``, save on exit."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w+", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write(note.body if note is not None else "")
            path = Path(f.name)
        try:
            with self.app.suspend():
                completed = subprocess.run([*shlex.split(editor), str(path)], check=False)
            text = path.read_text(encoding="utf-8")
        except Exception as error:  # noqa: BLE001 - no editor, or no terminal to suspend
            self.notify(f"Could not run {editor}: {error}. Try a instead.", severity="error")
            return
        finally:
            path.unlink(missing_ok=True)
        if completed.returncode != 0:
            self.notify(f"{editor} exited with {completed.returncode}; nothing saved.")
            return
        self._save_note(article_id, start, end, text, "", note)

    def _save_note(
        self, article_id: int, start: int, end: int, text: str, draft: str, note: Note | None
    ) -> None:
        if note is not None:
            self._update_note(note.id, text, draft)
        elif text.strip():
            self._add_note(article_id, start, end, COLORS[0], text, draft)

    @work(thread=True, group="pane-write")
    def _update_note(self, note_id: int, body: str, draft: str) -> None:
        try:
            self.library.update_note(note_id, body=body)
            if draft:
                self.library.drop_draft(draft)
        except LibraryError as error:
            self._not_saved(error, body)
            return
        self.app.call_from_thread(self.notify, "Note saved.", timeout=2)
        self.app.call_from_thread(self.reload_notes)

    @work(thread=True, group="pane-write")
    def _add_note(
        self, article_id: int, start: int, end: int, color: str, body: str = "", draft: str = ""
    ) -> None:
        try:
            self.library.add_note(article_id, start, end, color=color, body=body)
            if draft:
                self.library.drop_draft(draft)
        except LibraryError as error:
            self._not_saved(error, body)
            return
        if body:
            self.app.call_from_thread(self.notify, "Note saved.", timeout=2)
        self.app.call_from_thread(self.reload_notes)

    def _not_saved(self, error: LibraryError, body: str) -> None:
        """Tell the user a note was not saved, keeping its text in a file (from a worker)."""
        kept = keep_unsaved(body) if body.strip() else None
        where = f" Its text is kept in {kept}." if kept is not None else ""
        self.app.call_from_thread(
            self.notify, f"Not saved: {error}.{where}", severity="error", timeout=15
        )

    def action_tag(self) -> None:
        """Edit the article's tags."""
        from ..screens.tag_dialog import TagDialog

        if self.article is None:
            return

        def tagged(tags: list[str] | None) -> None:
            if tags is not None:
                self.notify("Tags: " + (", ".join(tags) or "none"), timeout=2, markup=False)

        self.app.push_screen(TagDialog(self.library, self.article.id, self.article.title), tagged)

    def action_bookmark_passage(self) -> None:
        """Bookmark the passage at the top of the screen: a place to come back to."""
        if self.article_id is None or not self.document.blocks:
            return
        self._add_place(self.article_id, self._offset_of(*self.view.top_block))

    @work(thread=True, group="pane-write")
    def _add_place(self, article_id: int, offset: int) -> None:
        self.library.add_bookmark(article_id, offset=offset)
        self.app.call_from_thread(self.notify, "Place bookmarked.", timeout=2)

    def action_bookmark(self) -> None:
        """Bookmark the article, or take its bookmark off."""
        if self.article_id is not None:
            self._toggle_bookmark(self.article_id)

    @work(thread=True, group="pane-write")
    def _toggle_bookmark(self, article_id: int) -> None:
        if self.library.unbookmark(article_id):
            message = "Bookmark removed."
        else:
            self.library.add_bookmark(article_id)
            message = "Bookmarked."
        self.app.call_from_thread(self.notify, message, timeout=2)

    def action_fetch_full(self) -> None:
        """Fetch the full article an excerpt comes from, and show it."""
        article = self.article
        if article is None or not article.url:
            return
        self.notify(f"Fetching {crop(one_line(article.url), 60)}…", timeout=3)
        self._fetch_full(article.url)

    @work(thread=True, exclusive=True, group="pane-fetch")
    def _fetch_full(self, url: str) -> None:
        from importers import import_paths

        report = import_paths(self.library, [url], workers=0)
        if report.failed:
            _, reason = report.failed[0]
            self.app.call_from_thread(
                self.notify, f"Could not fetch it: {reason}", severity="error", timeout=6
            )
            return
        stored = next((r for r in report.results if r.kind != "excerpt"), None)
        if stored is None:
            self.app.call_from_thread(
                self.notify, "That page gave only an excerpt too.", severity="warning"
            )
            return
        self.app.call_from_thread(self.load, stored.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Visual keys only in visual mode; note keys only on a note; writes only on articles."""
        visual = self.visual is not None
        if action in self.defer and not (action in self._VISUAL_ACTIONS and visual):
            return False
        if action in self._VISUAL_ACTIONS:
            return visual
        if action == "bookmark_passage":
            return not visual and self.article is not None
        if action in self._ARTICLE_ACTIONS:
            return self.article is not None
        if action in self._NOTE_ACTIONS:
            return self.current_note is not None
        if action == "undo_delete":
            return self._deleted is not None
        if action == "note":
            return bool(self.notes)
        if action == "orphans":
            return bool(self.orphans)
        if action == "fetch_full":
            article = self.article
            return article is not None and article.kind == "excerpt" and bool(article.url)
        return True

    def refresh_bindings(self) -> None:
        """Update the footer and which keys the view leaves to the pane."""
        declined = set()
        if self.current_note is not None:
            declined.add("half_down")
        if self._deleted is not None:
            declined.add("half_up")
        if self.is_mounted:
            self.view.declined = frozenset(declined)
        super().refresh_bindings()

    # -- position --------------------------------------------------------------------------
    @on(ArticleView.Moved)
    def moved(self, event: ArticleView.Moved) -> None:
        """Remember the position once the reader pauses; let go of a note scrolled away."""
        self._dirty = True
        if not self._finished and self._reached_end():
            self._finished = True
        note = self.current_note
        if note is not None and note.start is not None:
            block = self.document.block_at(note.start)
            if block is not None and block.index not in self.view.visible_blocks():
                self.current_note = None
                self._show_current_note()
                self.refresh_bindings()
        self.show_status()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_position)

    def _reached_end(self) -> bool:
        """Whether the reader got to the end: scrolled down to it, or (for a text that fits
        on one screen) had it in view long enough to read it."""
        view = self.view
        if not view.at_end or view.virtual_size.height <= 0:
            return False
        if view.scroll_y > 0:
            return True
        if self._dwell is None and self.article is not None:
            words = self.article.word_count
            dwell = max(END_DWELL, min(15.0, words / SKIM_WORDS_PER_SECOND))
            self._dwell = self.set_timer(dwell, self._dwelt)
        return False

    def _dwelt(self) -> None:
        """A short text stayed on screen long enough: it is read."""
        if self.view.at_end and not self._finished:
            self._finished = True
            self._dirty = True
            self.show_status()
            self.save_position()

    def save_position(self) -> None:
        """Write the reading position (by block and offset), in a worker of the app."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.article is None or not self._dirty or not self.remember_position:
            return
        if not self.is_mounted:
            return
        view = self.view
        block, offset = view.top_block
        finished = self._finished or self._reached_end()
        self._finished = finished
        article_id, progress = self.article.id, view.progress
        self._dirty = False
        library = self.library
        # The app's worker outlives this pane, so leaving the screen still saves.
        self.app.run_worker(
            lambda: library.save_position(article_id, block, offset, progress, finished=finished),
            thread=True,
            group="save-position",
        )

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()

    def show_status(self) -> None:
        """Draw the status line: progress, hits, the section, the note under the cursor."""
        view = self.view
        parts = [f"{int(view.progress * 100)}%"]
        if self.remember_position and self._finished:
            parts.append("read ✓")
        if self.visual is not None:
            parts.append("SELECT w/b word · s/S sentence · p/P paragraph · h a y · esc")
        hits = view.hits
        if hits:
            current = view.current_hit
            parts.append(f"hit {current + 1}/{len(hits)}" if current >= 0 else f"{len(hits)} hits")
        if self.notes:
            count = len(self.notes)
            parts.append(f"{count} note{'s' if count != 1 else ''}")
        block, _ = view.top_block
        heading = next((h for h in reversed(self.document.headings) if h.index <= block), None)
        if heading is not None:
            parts.append(one_line(heading.text))
        width = max(10, self.size.width - 2)
        self.query_one(".reader-status", Static).update(Content(crop(" · ".join(parts), width)))

    # -- reading actions -------------------------------------------------------------------
    def action_heading(self, direction: int) -> None:
        """Jump to the next or previous heading."""
        heading = self.view.heading_near(direction > 0)
        if heading is None:
            self.notify("No more headings.", timeout=1.5)
            return
        self.view.scroll_to_block(heading.index)

    def action_contents(self) -> None:
        """Pick a heading from the table of contents."""
        from ..screens.pickers import PickerScreen

        headings = self.document.headings
        if not headings:
            self.notify("This article has no headings.", timeout=2)
            return
        top, _ = self.view.top_block
        current = max((n for n, h in enumerate(headings) if h.index <= top), default=0)
        items = [("  " * (h.level - 1) + one_line(h.text), h.index) for h in headings]

        def chosen(result: tuple[str, int] | None) -> None:
            if result is not None:
                self.view.scroll_to_block(result[1])

        self.app.push_screen(PickerScreen("Contents", items, highlight=current), chosen)

    def action_find(self) -> None:
        """Find in the article; hits are highlighted as you type."""
        find = self._part("reader-find")
        assert find is not None
        find.display = True
        if find.is_mounted:
            find.focus()
        else:
            self.call_after_refresh(find.focus)

    def close_find(self) -> bool:
        """Hide the find line if it is open; True if it was."""
        find = self._part("reader-find", create=False)
        if find is None or not find.display:
            return False
        find.display = False
        self.view.focus()
        return True

    @on(Input.Changed, ".reader-find")
    def find_changed(self, event: Input.Changed) -> None:
        """Highlight as the user types and show the first hit from here on."""
        event.stop()
        terms = (event.value,) if event.value.strip() else ()
        self.terms = terms
        if self.view.highlight(terms):
            self.view.next_hit()
        self.show_status()

    @on(Input.Submitted, ".reader-find")
    def find_submitted(self, event: Input.Submitted) -> None:
        """Enter: keep the hits, back to reading (n/N cycle them)."""
        event.stop()
        self.close_find()
        if self.terms and not self.view.hits:
            self.notify("Not found.", timeout=2)

    def action_hit(self, direction: int) -> None:
        """Go to the next or previous hit."""
        if self.view.next_hit(direction > 0) is None:
            self.notify("No hits (/ to find).", timeout=1.5)
        self.show_status()

    def action_links(self) -> None:
        """List the article's links: enter opens one, y copies it."""
        from ..screens.pickers import PickerScreen

        links = self.document.links
        own = self.article.url if self.article is not None and self.article.url else None
        if not links and own is None:
            self.notify("This article has no links.", timeout=2)
            return
        visible = self.view.visible_blocks()
        start = next((n for n, link in enumerate(links) if link.block >= visible.start), 0)
        items = [
            (f"{crop(one_line(link.text), 40)}  →  {one_line(link.href)}", link.href)
            for link in links
        ]
        if own is not None:
            items.insert(0, (f"This article  →  {one_line(own)}", own))
            start += 1

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            action, href = result
            if action == "copy":
                self._copy(href, "link")
            else:
                self.open_link(href)

        self.app.push_screen(PickerScreen("Links", items, highlight=start, copyable=True), chosen)

    def open_link(self, href: str) -> None:
        """Open a link: in a graphical browser, in a terminal one with the app suspended,
        or, with no browser, copy it and say so."""
        from ..browser import find_browser
        from ..screens import article

        browser = find_browser(href)
        if browser.kind == "none":
            self.app.copy_to_clipboard(href)
            self.notify(
                "No browser found, so the link was copied. Set $BROWSER to choose one.",
                title=crop(one_line(href), 60),
                timeout=4,
            )
        elif browser.kind == "terminal":
            try:
                with self.app.suspend():
                    subprocess.run(list(browser.command), check=False)
            except Exception as error:  # noqa: BLE001 - no terminal to hand over
                self.app.copy_to_clipboard(href)
                self.notify(f"Could not run {browser.command[0]}: {error}. Link copied.")
        else:
            article.open_in_browser(href)
            self.notify(crop(one_line(href), 80), title="Opening", timeout=2)

    @on(ArticleView.LinkClicked)
    def link_clicked(self, event: ArticleView.LinkClicked) -> None:
        """Clicking a link opens it."""
        self.open_link(event.href)

    def action_copy(self) -> None:
        """Copy the selection (keyboard or mouse)."""
        if self.visual is not None:
            self._copy(self.document.text[slice(*self.visual)], "selection")
            self.action_visual_cancel()
            return
        selected = self.screen.get_selected_text()
        if selected:
            self._copy(selected, "selection")
            return
        self.notify(
            "Nothing selected: v or drag to select. Y copies the article's link.", timeout=3
        )

    def action_copy_url(self) -> None:
        """Copy the article's own URL."""
        if self.article is not None and self.article.url:
            self._copy(self.article.url, "article link")
        else:
            self.notify("This article has no link.", timeout=2)

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(crop(one_line(text), 80), title=f"Copied {what}", timeout=2)

    def action_measure(self, direction: int) -> None:
        """Make the text column narrower or wider."""
        view = self.view
        view.measure = max(MIN_MEASURE, min(MAX_MEASURE, view.measure + direction * MEASURE_STEP))
        self._store_measure(view.measure)
        self.notify(f"Text width {view.measure}", timeout=1)

    @work(thread=True, group="pane-settings")
    def _store_measure(self, measure: int) -> None:
        self.library.set_setting("ui.measure", str(measure))
