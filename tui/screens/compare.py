"""The comparison screen: two reader panes side by side, passages linked and coloured.

Revision mode (versions, near-identical texts) colours what changed, down to the words;
story mode (two outlets, one event) colours what both tell and what only one does. A
gutter mark beside each paragraph shows the strength of its strongest link. With the
scroll lock on, the other pane follows to the passage linked to the top of this one.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from store.comparison import Comparison, Pair
from store.document import Document, parse_markdown
from store.library import Library, LibraryError

from ..widgets.article_view import ArticleView, Decoration
from ..widgets.footer import FitFooter
from ..widgets.reader_pane import ReaderPane, Shown, byline
from ..widgets.text import cells, crop, one_line

PROGRESS_AFTER = 0.5
"""Seconds of computing before the screen says it is working."""
LAYER_STYLES = {
    "cmp-same": "cmp-same",
    "cmp-similar": "cmp-similar",
    "cmp-only": "cmp-only",
    "cmp-moved": "cmp-moved",
    "cmp-delete": "cmp-delete",
    "cmp-insert": "cmp-insert",
}
"""Each comparison layer and the ArticleView component style it is drawn in."""
_SHARED_WITH_PANES = frozenset({"heading", "visual_extend"})
"""Keys the panes leave to this screen: ``[``/``]`` are differences here, ``s`` swaps."""


@dataclass(slots=True)
class Side:
    """One side of a comparison: an article, or one of its earlier versions."""

    article_id: int
    version: int | None
    shown: Shown
    document: Document
    notes: list = field(default_factory=list)

    @property
    def name(self) -> str:
        """How the header names this side."""
        if self.version is not None:
            return f"{self.article_id} v{self.version}"
        return str(self.article_id)


_FLIPPED = {"insert": "delete", "delete": "insert", "replace": "replace"}


def mirror(result: Comparison) -> Comparison:
    """The same comparison seen from the other side."""
    pairs = [
        replace(
            pair,
            left=pair.right,
            right=pair.left,
            edits=tuple(
                replace(e, op=_FLIPPED.get(e.op, e.op), left=e.right, right=e.left)
                for e in pair.edits
            ),
        )
        for pair in result.pairs
    ]
    return replace(
        result,
        pairs=pairs,
        left_only=list(result.right_only),
        right_only=list(result.left_only),
        left_terms=list(result.right_terms),
        right_terms=list(result.left_terms),
    )


def level_spacers(
    result: Comparison,
    left: Document,
    right: Document,
    left_line: Callable[[int, int], int],
    right_line: Callable[[int, int], int],
) -> tuple[dict[int, int], dict[int, int]]:
    """Blank lines to put above blocks of each side so linked passages stand level.

    Only links that keep the order of both sides can stand level (the longest such
    chain is used); a block is moved once, by its first link.

    :param left_line: the line of ``(block, offset)`` in the left view as laid out now.
    """
    pairs = sorted(result.pairs, key=lambda p: (p.left[0], p.right[0]))
    chain = _increasing(pairs)
    spacers: tuple[dict[int, int], dict[int, int]] = ({}, {})
    added = [0, 0]
    for pair in chain:
        lb, rb = left.block_at(pair.left[0]), right.block_at(pair.right[0])
        if lb is None or rb is None:
            continue
        lines = (
            left_line(lb.index, pair.left[0] - lb.start) + added[0],
            right_line(rb.index, pair.right[0] - rb.start) + added[1],
        )
        behind = 0 if lines[0] < lines[1] else 1
        gap = abs(lines[0] - lines[1])
        block = (lb, rb)[behind].index
        if gap and block not in spacers[behind]:
            spacers[behind][block] = gap
            added[behind] += gap
    return spacers


def _increasing(pairs: list[Pair]) -> list[Pair]:
    """The longest run of ``pairs`` (sorted by left) whose right starts also increase."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for n, pair in enumerate(pairs):
        key = pair.right[0]
        at = bisect_left(tails, key)
        if at == len(tails):
            tails.append(key)
            tail_index.append(n)
        else:
            tails[at] = key
            tail_index[at] = n
        previous[n] = tail_index[at - 1] if at else -1
    chain = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(pairs[n])
        n = previous[n]
    return chain[::-1]


def strength_mark(score: float, kind: str) -> str:
    """A gutter mark for a link of ``score``: the taller, the stronger."""
    if kind == "same" or score >= 0.9:
        return "█"
    if score >= 0.6:
        return "▆"
    if score >= 0.45:
        return "▄"
    return "▂"


def differences(result: Comparison, side: str, text: str | None = None) -> list[tuple[int, int]]:
    """The ``[start, end)`` passages on ``side`` ("left"/"right") that are not the same.

    :param text: that side's plain text; with it, differences with only white space
        between them are one passage (a run of unique sentences is one stop of ``]``).
    """
    only = result.left_only if side == "left" else result.right_only
    spans = {(s[0], s[1]) for s in only}
    for pair in result.pairs:
        if pair.kind != "same" or pair.moved:
            span = getattr(pair, side)
            spans.add((span[0], span[1]))
    ordered = sorted(spans)
    if text is None or not ordered:
        return ordered
    kinds = {(s[0], s[1]): "only" for s in only}
    merged = [ordered[0]]
    for start, end in ordered[1:]:
        last_start, last_end = merged[-1]
        same_kind = kinds.get((start, end)) == kinds.get((last_start, last_end)) == "only"
        if same_kind and start >= last_end and not text[last_end:start].strip():
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


@dataclass(slots=True)
class Painted:
    """One side's colour layers (``(block, start, end)`` spans by layer) and gutter marks."""

    layers: dict[str, list[tuple[int, int, int]]]
    gutter: dict[int, Decoration]


def paint(result: Comparison, side: str, document: Document) -> Painted:
    """The layers and gutter marks of ``side`` ("left"/"right") of ``result``."""
    return Painted(_layers(result, side, document), _gutter(result, side, document))


def _layers(
    result: Comparison, side: str, document: Document
) -> dict[str, list[tuple[int, int, int]]]:
    layers: dict[str, list[tuple[int, int, int]]] = {name: [] for name in LAYER_STYLES}

    def add(layer: str, spans: Iterable[tuple[int, int]]) -> None:
        for start, end in spans:
            layers[layer].extend(document.block_spans(start, end))

    add("cmp-only", result.left_only if side == "left" else result.right_only)
    for pair in result.pairs:
        span = pair.left if side == "left" else pair.right
        if pair.moved:
            add("cmp-moved", [span])
        elif pair.kind == "similar":
            add("cmp-similar", [span])
        elif result.mode == "story":
            add("cmp-same", [span])
        for edit in pair.edits:
            if side == "left" and edit.op in ("delete", "replace"):
                add("cmp-delete", [edit.left])
            if side == "right" and edit.op in ("insert", "replace"):
                add("cmp-insert", [edit.right])
    return layers


def _gutter(result: Comparison, side: str, document: Document) -> dict[int, Decoration]:
    best: dict[int, Pair] = {}
    for pair in result.pairs:
        start, end = pair.left if side == "left" else pair.right
        block = document.block_at(start)
        if block is None:
            continue
        current = best.get(block.index)
        if current is None or pair.score > current.score:
            best[block.index] = pair
    return {
        index: Decoration(mark=strength_mark(pair.score, pair.kind)) for index, pair in best.items()
    }


STACK_TERMS_BELOW = 120
"""Narrower than this (and tall enough), each side's terms get a line of their own."""


def counts_line(result: Comparison, width: int, flags: Iterable[str] = ()) -> str:
    """The header's sums in ``width`` cells: in full, or shorter ways of saying them.

    :param flags: states to say after the sums ("scroll unlocked", "level").
    """
    counts = result.summary()
    moved = [f"{counts['moved']} moved"] if counts["moved"] else []
    same = [f"{counts['same']} same", f"{counts['similar']} similar"] + moved
    left, right = counts["left_only"], counts["right_only"]
    full = [f"{result.mode} mode", f"{result.similarity:.0%} alike", *same]
    full += [f"{left} only left", f"{right} only right", *flags]
    only = f"only {left} left, {right} right"
    short = [result.mode, f"{result.similarity:.0%}", *same, only, *flags]
    # Narrowest: the states first (they answer a key just pressed), then the sums.
    shortest = [*(f.split()[-1] for f in flags), f"{result.similarity:.0%}", *same, only]
    for parts in (full, short):
        line = " · ".join(parts)
        if cells(line) <= width:
            return line
    return crop(" · ".join(shortest), width)


def terms_lines(result: Comparison, width: int, stacked: bool) -> list[str]:
    """The distinctive terms: each side's over its pane, or ``stacked`` a line each."""
    if not (result.left_terms or result.right_terms):
        return []
    if not stacked:
        return [terms_line(result, width)]
    return [
        crop(f"only {label}: " + (", ".join(one_line(w) for w in words) or "—"), width)
        for label, words in (("left", result.left_terms), ("right", result.right_terms))
    ]


def terms_line(result: Comparison, width: int) -> str:
    """Each side's distinctive terms in its own half of ``width`` cells, over its pane."""
    half = width // 2
    parts = []
    for label, words, room in (
        ("left", result.left_terms, half - 2),
        ("right", result.right_terms, width - half),
    ):
        said = f"only {label}: " + ", ".join(one_line(w) for w in words[:8]) if words else ""
        parts.append(crop(said, room))
    left = parts[0] + " " * max(0, half - cells(parts[0]))
    return (left + parts[1]).rstrip()


class CompareScreen(Screen[None]):
    """Compare two articles, or an earlier version of an article with its text now."""

    BINDINGS: list[BindingType] = [
        Binding("q,escape", "back", "Back", id="compare.back"),
        Binding("right_square_bracket", "difference(1)", "Next change", id="compare.next"),
        Binding("left_square_bracket", "difference(-1)", "Prev change", id="compare.previous"),
        Binding("tab", "switch", "Other side", id="compare.switch"),
        Binding("s", "swap", "Swap", id="compare.swap"),
        Binding("l", "lock", "Lock scroll", id="compare.lock"),
        Binding("equals_sign", "level", "Level", id="compare.level"),
        Binding("enter", "open", "Open here", id="compare.open"),
    ]

    def __init__(
        self,
        library: Library,
        left_id: int,
        right_id: int | None = None,
        *,
        version: int | None = None,
    ) -> None:
        """
        :param right_id: the article on the right (None with ``version``: the same article).
        :param version: compare this earlier version of ``left_id`` with its current text.
        """
        super().__init__()
        self.library = library
        self.left_id = left_id
        self.right_id = left_id if right_id is None else right_id
        self.version = version
        self.result: Comparison | None = None
        self.sides: tuple[Side, Side] | None = None
        self.locked = True
        self.level = False
        """Matched passages laid level, with gaps, instead of each side in its own flow."""
        self._progress: Timer | None = None
        self._at: dict[str, int] = {"left": -1, "right": -1}
        self._started = time.monotonic()
        self._shown_progress = 0.0
        self._painted: tuple[Comparison, tuple[Painted, Painted]] | None = None
        """Each side's colour layers and gutter marks, and the result they were made for."""

    def compose(self) -> ComposeResult:
        # Start aligning before the panes mount: the worker uses the time the UI thread
        # spends waiting for its first frames.
        self._compute(self.left_id, self.right_id, self.version)
        yield Static("", id="compare-summary")
        with Horizontal(id="compare-panes"):
            yield ReaderPane(
                self.library,
                remember_position=False,
                defer=_SHARED_WITH_PANES,
                quiet=True,
                id="left",
            )
            yield ReaderPane(
                self.library,
                remember_position=False,
                defer=_SHARED_WITH_PANES,
                quiet=True,
                id="right",
            )
        yield FitFooter()

    def on_mount(self) -> None:
        waited = time.monotonic() - self._started  # the alignment started in compose
        self._progress = self.set_timer(max(0.0, PROGRESS_AFTER - waited), self._say_working)
        self.pane("left").view.focus()

    def pane(self, side: str) -> ReaderPane:
        """The pane on ``side`` ("left" or "right")."""
        return self.query_one(f"#{side}", ReaderPane)

    @property
    def focused_side(self) -> str:
        """The side whose pane has the focus ("left" when neither has)."""
        focused = self.focused
        right = self.pane("right")
        return "right" if focused is not None and right in focused.ancestors_with_self else "left"

    def _say_working(self) -> None:
        if self.result is None:
            self.query_one("#compare-summary", Static).update(
                "Comparing… (long articles take a few seconds)"
            )

    # -- computing ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="compare")
    def _compute(self, left_id: int, right_id: int, version: int | None) -> None:
        library = self.library
        try:
            right = self._side(right_id, None)
            left = self._side(left_id, version)
            result = library.compare(
                left_id, right_id, version=version, progress=self._progress_from_thread
            )
        except LibraryError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        # The colour layers are plain data: made here, the UI thread only hands them over.
        painted = (paint(result, "left", left.document), paint(result, "right", right.document))
        self._painted = (result, painted)
        self.app.call_from_thread(self._show, result, (left, right))

    def _side(self, article_id: int, version: int | None) -> Side:
        article = self.library.get(article_id)
        if article is None:
            raise LibraryError(f"no article {article_id}")
        if version is None:
            shown = Shown(article.title, article.body_markdown, article, None, byline(article))
            notes = self.library.notes(article_id)
            return Side(article_id, None, shown, parse_markdown(article.body_markdown), notes)
        markdown = self.library.version_markdown(article_id, version)
        dated = next((v for v in self.library.versions(article_id) if v.number == version), None)
        when = f" · replaced {dated.replaced_at[:10]}" if dated is not None else ""
        shown = Shown(article.title, markdown, None, None, f"Version {version}{when}")
        return Side(article_id, version, shown, parse_markdown(markdown))

    def _progress_from_thread(self, fraction: float) -> None:
        """Show how far the comparison is, a few times a second at most."""
        now = time.monotonic()
        if now - self._shown_progress < 0.2 or now - self._started < PROGRESS_AFTER:
            return
        self._shown_progress = now
        self.app.call_from_thread(
            self.query_one("#compare-summary", Static).update, f"Comparing… {fraction:.0%}"
        )

    def _failed(self, reason: str) -> None:
        if not self.is_mounted:
            self.call_after_refresh(self._failed, reason)
            return
        self.notify(f"Cannot compare: {reason}", severity="error")
        self.dismiss()

    def _show(self, result: Comparison, sides: tuple[Side, Side]) -> None:
        if not self.pane("right").view.size.width:
            # Done before the panes were laid out: show it once they have their width.
            self.call_after_refresh(self._show, result, sides)
            return
        if self._progress is not None:
            self._progress.stop()
        self.result = result
        self.sides = sides
        for name, side in zip(("left", "right"), sides, strict=True):
            self.pane(name).show(side.shown, side.document, side.notes)
        self._draw()

    def _draw(self) -> None:
        """Colour both panes, mark their gutters and write the summary."""
        result, sides = self.result, self.sides
        if result is None or sides is None:
            return
        if self._painted is None or self._painted[0] is not result:
            made = (
                paint(result, "left", sides[0].document),
                paint(result, "right", sides[1].document),
            )
            self._painted = (result, made)
        for name, painted in zip(("left", "right"), self._painted[1], strict=True):
            view = self.pane(name).view
            for layer, spans in painted.layers.items():
                view.set_layer(layer, spans, LAYER_STYLES[layer])
            view.set_decorations(painted.gutter)
        self.query_one("#compare-summary", Static).update(self._summary(result, sides))
        self.sub_title = f"{sides[0].name} ↔ {sides[1].name}"

    def on_resize(self, event: events.Resize) -> None:
        """Word the header again for the new width (and stack the terms or not)."""
        if self.result is not None and self.sides is not None:
            summary = self._summary(self.result, self.sides)
            self.query_one("#compare-summary", Static).update(summary)

    def _summary(self, result: Comparison, sides: tuple[Side, Side]) -> Content:
        flags = [] if self.locked else ["scroll unlocked"]
        flags += ["level"] if self.level else []
        width = max(20, self.size.width - 2)
        stacked = width < STACK_TERMS_BELOW and self.size.height >= 20
        lines = [counts_line(result, width, flags), *terms_lines(result, width, stacked)]
        return Content("\n".join(lines))

    # -- following -------------------------------------------------------------------------
    @on(ArticleView.Moved)
    def moved(self, event: ArticleView.Moved) -> None:
        """With the lock on, the other pane follows the one being read."""
        side = self.focused_side
        if not self.locked or self.result is None or event.view is not self.pane(side).view:
            return
        pane = self.pane(side)
        if pane.view.scroll_y == 0:  # at the top: both show their headers
            other = self.pane("right" if side == "left" else "left").view
            other.scroll_to(y=0, animate=False, immediate=True, force=True)
            return
        if self.level:  # level: the same line on both sides
            other = self.pane("right" if side == "left" else "left").view
            other.scroll_to(y=pane.view.scroll_y, animate=False, immediate=True, force=True)
            return
        top, offset = pane.view.top_block
        blocks = pane.document.blocks
        if not blocks:
            return
        here = blocks[min(top, len(blocks) - 1)].start + offset
        self._follow(side, here)

    def _follow(self, side: str, here: int) -> None:
        """Scroll the other pane to the passage linked to offset ``here`` of ``side``."""
        result = self.result
        if result is None:
            return
        other = "right" if side == "left" else "left"
        pairs = sorted(result.pairs, key=lambda p: getattr(p, side)[0])
        pair = next((p for p in pairs if getattr(p, side)[1] > here), None)
        if pair is None:
            return
        leader, follower = self.pane(side), self.pane(other)
        start = getattr(pair, side)[0]
        target = getattr(pair, other)[0]
        lead_block = leader.document.block_at(start)
        follow_block = follower.document.block_at(target)
        if lead_block is None or follow_block is None:
            return
        row = leader.view.line_of(lead_block.index, start - lead_block.start) - round(
            leader.view.scroll_y
        )
        follower.view.scroll_to_block(
            follow_block.index, target - follow_block.start, context=max(0, row)
        )

    # -- actions ---------------------------------------------------------------------------
    def action_back(self) -> None:
        """Leave visual mode or find, else go back."""
        pane = self.pane(self.focused_side)
        if pane.visual is not None:
            pane.action_visual_cancel()
        elif not pane.close_find():
            self.dismiss()

    def action_switch(self) -> None:
        """Move to the other pane."""
        other = "right" if self.focused_side == "left" else "left"
        self.pane(other).view.focus()

    def action_lock(self) -> None:
        """Lock or unlock the panes' scrolling."""
        self.locked = not self.locked
        self.notify("Scrolling locked." if self.locked else "Scrolling unlocked.", timeout=1.5)
        self._draw()

    def action_level(self) -> None:
        """Lay matched passages level with gaps, or let each side flow on its own."""
        self.level = not self.level
        self._apply_level()
        self.notify(
            "Matched passages side by side." if self.level else "Each side flows.", timeout=1.5
        )
        self._draw()

    def _apply_level(self) -> None:
        left, right = self.pane("left").view, self.pane("right").view
        left.set_spacers({})
        right.set_spacers({})
        if not self.level or self.result is None:
            return
        left_spacers, right_spacers = level_spacers(
            self.result, self.pane("left").document, self.pane("right").document,
            left.line_of, right.line_of,
        )  # fmt: skip
        left.set_spacers(left_spacers)
        right.set_spacers(right_spacers)

    def action_swap(self) -> None:
        """Swap the sides."""
        if self.result is None or self.sides is None:
            return
        self.result = mirror(self.result)
        self.sides = (self.sides[1], self.sides[0])
        self._at = {"left": self._at["right"], "right": self._at["left"]}
        for name, side in zip(("left", "right"), self.sides, strict=True):
            self.pane(name).show(side.shown, side.document, side.notes)
        self._draw()
        self.call_after_refresh(self._apply_level)

    def action_difference(self, direction: int) -> None:
        """Go to the next (or previous) passage that differs, in the pane being read."""
        if self.result is None:
            return
        side = self.focused_side
        spans = differences(self.result, side, self.pane(side).document.text)
        if not spans:
            self.notify("No differences: the texts say the same.", timeout=2)
            return
        pane = self.pane(side)
        top, offset = pane.view.top_block
        blocks = pane.document.blocks
        here = blocks[min(top, len(blocks) - 1)].start + offset if blocks else 0
        current = self._at[side]
        index: int | None
        if current >= 0:
            index = current + (1 if direction > 0 else -1)
        elif direction > 0:
            index = next((n for n, (start, _) in enumerate(spans) if start >= here), None)
        else:
            index = max((n for n, (start, _) in enumerate(spans) if start < here), default=None)
        if index is None or not 0 <= index < len(spans):
            self.notify("No more differences that way.", timeout=1.5)
            return
        self._at[side] = index
        start, end = spans[index]
        block = pane.document.block_at(start)
        if block is None:
            return
        pane.view.set_layer("cmp-current", pane.document.block_spans(start, end), "current-hit")
        pane.view.scroll_to_block(block.index, start - block.start, context=2)
        self._follow(side, start)

    def action_open(self) -> None:
        """Open the article of the pane being read, at the passage at its top."""
        from .article import ArticleScreen

        if self.sides is None:
            return
        side = self.focused_side
        chosen = self.sides[0 if side == "left" else 1]
        pane = self.pane(side)
        top, offset = pane.view.top_block
        blocks = pane.document.blocks
        at = blocks[min(top, len(blocks) - 1)].start + offset if blocks else 0
        if chosen.version is not None:
            self.notify("That side is an old version: opening the article as it is now.")
            at = None
        self.app.push_screen(ArticleScreen(self.library, chosen.article_id, at=at))
