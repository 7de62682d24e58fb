"""The reader's document model: an article's Markdown as numbered blocks of plain text.

Every block (paragraph, heading, list item, quote, code block, table) gets a stable
index in reading order, its plain text, inline style spans and its character offset
in the article's plain text. The plain text of an article is exactly the blocks'
texts joined by blank lines, so a (block index, offset) pair and a character offset
into ``body_text`` name the same place. Notes anchor to that; the reader wraps and
styles blocks line by line; two panes can share the same model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

import pyromark

BlockKind = Literal["heading", "paragraph", "item", "quote", "code", "table", "rule"]
Style = Literal["strong", "em", "code", "link", "strike", "footnote"]
Align = Literal["", "left", "center", "right"]

BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Span:
    """A styled run inside a block's text, ``[start, end)``; links carry ``href``."""

    start: int
    end: int
    style: Style
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Picture:
    """An image in the article: where it points and what it shows, in words.

    Images add nothing to the plain text beyond what Markdown gave them before
    Margin drew them: ``![alt](src)`` keeps its alt text inline (``alt_in_text``);
    ``![](src "alt")``, the form Margin's web importer writes, adds nothing, so
    notes anchored to offsets never move when images come or go.
    """

    src: str
    alt: str = ""
    below: bool = False
    """Drawn after the block's text (the image came after some of its words)."""
    alt_in_text: bool = False
    """The alt text is already part of the block's text."""


@dataclass(frozen=True, slots=True)
class Block:
    """One readable unit of an article."""

    index: int
    """Stable paragraph id: the block's position in reading order."""
    kind: BlockKind
    text: str
    start: int
    """Offset of ``text`` in the article's plain text."""
    level: int = 0
    """Heading level (1–6), or nesting depth of a list item or quote."""
    marker: str = ""
    """A list item's bullet or number, on its first block only."""
    spans: tuple[Span, ...] = ()
    cells: tuple[tuple[tuple[int, int], ...], ...] = ()
    """A table's rows, each a tuple of its cells' ``[start, end)`` ranges in ``text``."""
    align: tuple[Align, ...] = ()
    """A table's column alignments, from the Markdown alignment row."""
    pictures: tuple[Picture, ...] = ()
    """Images that stand at this block: drawn above its text, or below it (``below``)."""

    @property
    def end(self) -> int:
        """Offset just past the block's text in the article's plain text."""
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Link:
    """A link in the article: its text, target and the block it sits in."""

    text: str
    href: str
    block: int


@dataclass(slots=True)
class Document:
    """An article parsed into blocks."""

    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The article's plain text: block texts joined by blank lines."""
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)

    @property
    def pictures(self) -> list[tuple[int, Picture]]:
        """Every image with the index of the block it stands at, in reading order."""
        return [(block.index, picture) for block in self.blocks for picture in block.pictures]

    @property
    def headings(self) -> list[Block]:
        """The heading blocks, for a table of contents."""
        return [block for block in self.blocks if block.kind == "heading"]

    @property
    def links(self) -> list[Link]:
        """Every link, in reading order."""
        return [
            Link(block.text[span.start : span.end], span.href, block.index)
            for block in self.blocks
            for span in block.spans
            if span.style == "link" and span.href
        ]

    def block_at(self, offset: int) -> Block | None:
        """The block holding plain-text ``offset`` (or the next one after a gap)."""
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.blocks[mid].end < offset:
                lo = mid + 1
            else:
                hi = mid
        return self.blocks[lo] if lo < len(self.blocks) else None

    def block_spans(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Plain-text range ``[start, end)`` as ``(block, start, end)`` ranges, one per block."""
        spans = []
        block = self.block_at(start)
        while block is not None and block.start < end:
            left, right = max(start, block.start), min(end, block.end)
            if right > left:
                spans.append((block.index, left - block.start, right - block.start))
            following = block.index + 1
            block = self.blocks[following] if following < len(self.blocks) else None
        return spans

    def find_passage(self, shown: str, near: int = 0) -> tuple[int, int] | None:
        """Where text copied off the screen sits in the plain text, nearest to ``near``.

        Wrapping and list or quote markers change the whitespace of a passage as
        shown, so any run of whitespace in ``shown`` matches any run in the text.
        """
        words = shown.split()
        if not words:
            return None
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        text = self.text
        best: tuple[int, int] | None = None
        for match in pattern.finditer(text):
            if best is None or abs(match.start() - near) < abs(best[0] - near):
                best = match.span()
        return best


_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_TASKLISTS
)
_STYLES: dict[str, Style] = {"Emphasis": "em", "Strong": "strong", "Strikethrough": "strike"}
_ALIGN: dict[str, Align] = {"Left": "left", "Center": "center", "Right": "right"}
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
NOTES_HEADING = "Notes"
"""The heading of the footnotes, gathered at the end of the article."""


def parse_markdown(markdown: str) -> Document:
    """Parse Markdown (CommonMark with tables, footnotes, task lists) into numbered blocks.

    Footnote references read ``[1]`` (numbered in order of first reference) and the
    definitions follow the article as a list under a final "Notes" heading.
    """
    events = pyromark.events(markdown, options=_OPTIONS)
    if "[^" not in markdown:
        # No footnote can be there: skip the passes that gather them (import speed).
        builder = _Builder()
        for event in events:
            builder.feed(event)
        builder.finish()
        return Document(builder.blocks)
    main, definitions = _split_footnotes(events)
    numbers: dict[str, int] = {}
    for event in main:
        if isinstance(event, dict) and "FootnoteReference" in event:
            label = str(event["FootnoteReference"])
            if label in definitions:
                numbers.setdefault(label, len(numbers) + 1)
    for label in definitions:
        numbers.setdefault(label, len(numbers) + 1)
    builder = _Builder(numbers)
    for event in main:
        builder.feed(event)
    builder.flush()
    if definitions:
        builder.notes(sorted(definitions.items(), key=lambda item: numbers[item[0]]))
    builder.finish()
    return Document(builder.blocks)


def _split_footnotes(events: Iterable[object]) -> tuple[list[object], dict[str, list[object]]]:
    """The article's events, and each footnote definition's events by label."""
    main: list[object] = []
    definitions: dict[str, list[object]] = {}
    current: list[object] | None = None
    for event in events:
        if isinstance(event, dict):
            start = event.get("Start")
            if isinstance(start, dict) and "FootnoteDefinition" in start:
                current = definitions.setdefault(str(start["FootnoteDefinition"]), [])
                if current:  # a second definition of the same label: drop it
                    current = []
                continue
            if event.get("End") == "FootnoteDefinition":
                current = None
                continue
        (main if current is None else current).append(event)
    return main, definitions


def markdown_to_text(markdown: str) -> str:
    """The plain text of some Markdown, as Margin stores and indexes it."""
    return parse_markdown(markdown).text


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Kana and Han ideographs: Chinese and Japanese write no spaces between words."""


def word_count(text: str) -> int:
    """Words in plain text: whitespace-separated runs, each Han or kana character one word.

    Counting a character as a word gives Chinese and Japanese a length and a reading
    time in the same scale as spaced languages (about 230 a minute either way).
    """
    if text.isascii():
        return len(text.split())
    cjk = len(_CJK_CHAR.findall(text))
    if not cjk:
        return len(text.split())
    return cjk + len(_CJK_CHAR.sub(" ", text).split())


class _Builder:
    """Turns pulldown-cmark's event stream (via pyromark) into blocks."""

    def __init__(self, footnotes: dict[str, int] | None = None) -> None:
        self.footnotes = footnotes or {}
        self.blocks: list[Block] = []
        self.offset = 0
        self.quote_depth = 0
        self.lists: list[int | None] = []  # next number of each open list, None for bullets
        self.marker = ""
        self.heading = 0
        self.code: list[str] | None = None
        self.table: list[list[tuple[str, list[Span]]]] | None = None
        self.align: tuple[Align, ...] = ()
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.open: list[tuple[str, int, str | None]] = []
        self.image_title = ""
        self.pictures: list[Picture] = []  # of the block being collected
        self.waiting: list[Picture] = []  # seen where no block had text yet

    # -- inline text -------------------------------------------------------------
    def text(self, piece: str) -> None:
        if self.code is not None:
            self.code.append(piece)
            return
        self.parts.append(piece)
        self.length += len(piece)

    def flush(self) -> None:
        """End the block being collected, if it has any text."""
        if self.pictures:
            self.waiting.extend(self.pictures)
            self.pictures = []
        text = "".join(self.parts)
        spans, self.parts, self.length, self.spans = self.spans, [], 0, []
        if self.table is not None:
            if self.table:
                self.table[-1].append(_strip(text, spans))
            return
        if self.heading:
            self.add("heading", text, self.heading, spans)
        elif self.lists:
            self.add("item", text, len(self.lists), spans)
        elif self.quote_depth:
            self.add("quote", text, self.quote_depth, spans)
        else:
            self.add("paragraph", text, 0, spans)

    def add(
        self,
        kind: BlockKind,
        text: str,
        level: int,
        spans: list[Span],
        cells: list[list[tuple[int, int]]] | None = None,
    ) -> None:
        stripped, spans = _strip(text, spans)
        if not stripped:
            return
        pictures, self.waiting = tuple(self.waiting), []
        table: tuple[tuple[tuple[int, int], ...], ...] = ()
        if cells is not None:
            lead, size = len(text) - len(text.lstrip()), len(stripped)
            table = tuple(
                tuple((min(size, max(0, a - lead)), min(size, max(0, b - lead))) for a, b in row)
                for row in cells
            )
        if self.blocks:
            self.offset += len(BLOCK_SEPARATOR)
        marker, self.marker = self.marker, ""
        ordered = tuple(sorted(spans, key=lambda s: (s.start, -s.end)))
        self.blocks.append(
            Block(
                len(self.blocks),
                kind,
                stripped,
                self.offset,
                level,
                marker,
                ordered,
                table,
                self.align if table else (),
                pictures,
            )
        )
        self.offset += len(stripped)

    def notes(self, definitions: list[tuple[str, list[object]]]) -> None:
        """Add the footnote definitions as a numbered list under a "Notes" heading."""
        self.flush()
        self.heading = 2
        self.text(NOTES_HEADING)
        self.flush()
        self.heading = 0
        for label, events in definitions:
            self.lists.append(None)
            self.marker = f"[{self.footnotes[label]}]"
            for event in events:
                self.feed(event)
            self.flush()
            self.lists.pop()
            self.marker = ""

    def finish(self) -> None:
        """End the document: images after the last text stand below the last block."""
        self.flush()
        if self.waiting and self.blocks:
            last = self.blocks[-1]
            below = tuple(replace(p, below=True) for p in self.waiting)
            self.blocks[-1] = replace(last, pictures=last.pictures + below)
        self.waiting = []

    # -- events ------------------------------------------------------------------
    def feed(self, event: object) -> None:
        if isinstance(event, str):
            if event == "SoftBreak":
                self.text(" ")
            elif event == "HardBreak":
                self.text("\n")
            elif event == "Rule":
                self.flush()
                self.add("rule", "⁂", 0, [])
            return
        assert isinstance(event, dict)
        ((name, value),) = event.items()
        if name == "Start":
            self.start(*_tag(value))
        elif name == "End":
            self.end(_tag(value)[0])
        elif name == "InlineHtml" and _BREAK.fullmatch(value.strip()):
            self.text("\n")
        elif name in ("Text", "Html", "InlineHtml"):
            self.text(value)
        elif name == "FootnoteReference":
            number = self.footnotes.get(str(value))
            if number is None:
                self.text(f"[^{value}]")
            else:
                mark = f"[{number}]"
                self.spans.append(Span(self.length, self.length + len(mark), "footnote"))
                self.text(mark)
        elif name == "TaskListMarker":
            box = "☑" if value else "☐"
            self.marker = box if self.marker in ("", "•") else f"{self.marker} {box}"
        elif name == "Code":
            self.spans.append(Span(self.length, self.length + len(value), "code"))
            self.text(value)

    def start(self, tag: str, value: object) -> None:
        if tag == "Paragraph":
            self.flush()
        elif tag == "Heading":
            self.flush()
            self.heading = int(str(value["level"])[1:]) if isinstance(value, dict) else 1
        elif tag == "BlockQuote":
            self.flush()
            self.quote_depth += 1
        elif tag == "List":
            self.flush()
            self.lists.append(value if isinstance(value, int) else None)
        elif tag == "Item":
            self.flush()
            number = self.lists[-1] if self.lists else None
            if number is None:
                self.marker = "•"
            else:
                self.marker = f"{number}."
                self.lists[-1] = number + 1
        elif tag == "CodeBlock":
            self.flush()
            self.code = []
        elif tag == "Table":
            self.flush()
            self.table = []
            aligns = value if isinstance(value, list | tuple) else ()
            self.align = tuple(_ALIGN.get(str(a), "") for a in aligns)
        elif tag in ("TableHead", "TableRow") and self.table is not None:
            self.table.append([])
        elif tag in _STYLES or tag in ("Link", "Image"):
            href = value.get("dest_url") if isinstance(value, dict) else None
            self.open.append((tag, self.length, href or None))
            if tag == "Image" and isinstance(value, dict):
                self.image_title = str(value.get("title") or "")

    def end(self, tag: str) -> None:
        if tag in ("Paragraph", "Item"):
            self.flush()
        elif tag == "Heading":
            self.flush()
            self.heading = 0
        elif tag == "BlockQuote":
            self.flush()
            self.quote_depth -= 1
        elif tag == "List":
            self.flush()
            self.lists.pop()
        elif tag == "CodeBlock" and self.code is not None:
            text, self.code = "".join(self.code).rstrip("\n"), None
            if text.strip():
                if self.blocks:
                    self.offset += len(BLOCK_SEPARATOR)
                pictures, self.waiting = tuple(self.waiting), []
                self.blocks.append(
                    Block(
                        len(self.blocks),
                        "code",
                        text,
                        self.offset,
                        len(self.lists),
                        pictures=pictures,
                    )
                )
                self.offset += len(text)
        elif tag == "TableCell":
            self.flush()
        elif tag == "Table" and self.table is not None:
            rows, self.table = self.table, None
            self.add_table([row for row in rows if row])
        elif tag in _STYLES or tag in ("Link", "Image"):
            for i in range(len(self.open) - 1, -1, -1):
                if self.open[i][0] == tag:
                    _, start, href = self.open.pop(i)
                    if tag == "Image" and href:
                        self.picture(href, start)
                    if self.length > start:
                        style: Style = "link" if tag in ("Link", "Image") else _STYLES[tag]
                        self.spans.append(Span(start, self.length, style, href))
                    break

    def add_table(self, rows: list[list[tuple[str, list[Span]]]]) -> None:
        """Add a table block: cells joined by `` | ``, rows by newlines, ranges kept."""
        parts: list[str] = []
        spans: list[Span] = []
        cells: list[list[tuple[int, int]]] = []
        position = 0
        for number, row in enumerate(rows):
            if number:
                parts.append("\n")
                position += 1
            ranges = []
            for column, (text, cell_spans) in enumerate(row):
                if column:
                    parts.append(" | ")
                    position += 3
                parts.append(text)
                ranges.append((position, position + len(text)))
                spans.extend(
                    Span(s.start + position, s.end + position, s.style, s.href) for s in cell_spans
                )
                position += len(text)
            cells.append(ranges)
        self.add("table", "".join(parts), 0, spans, cells)

    def picture(self, src: str, start: int) -> None:
        """Note the image that just ended (its alt text began at ``start``)."""
        alt = " ".join("".join(self.parts)[start:].split()) if self.length > start else ""
        before = "".join(self.parts)[:start]
        title, self.image_title = " ".join(self.image_title.split()), ""
        self.pictures.append(
            Picture(src, alt or title, below=bool(before.strip()), alt_in_text=bool(alt))
        )


def _strip(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """``text`` without surrounding whitespace, and ``spans`` moved to match."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if lead or len(stripped) != len(text):
        spans = [
            Span(max(0, s.start - lead), min(len(stripped), s.end - lead), s.style, s.href)
            for s in spans
            if s.end - lead > 0 and s.start - lead < len(stripped)
        ]
    return stripped, spans


def _tag(value: object) -> tuple[str, object]:
    """An event's tag name and its payload: ``"Item"`` or ``{"List": 1}``."""
    if isinstance(value, dict):
        ((tag, payload),) = value.items()
        return tag, payload
    return str(value), None
