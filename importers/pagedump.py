"""Page dumps: a web page saved as plain text (select-all/copy, or ``innerText``).

A dump is the visible text of a page: menus, share buttons, footers and teaser lists around
one article (or, on a section page, several articles in a row). The importer finds the
articles by general signals only -- line length, sentence punctuation, runs of dense prose
against runs of short link-like lines, and the marker vocabulary in
:mod:`importers.pagedump_rules` -- and drops the chrome around them.

Outline of :meth:`PageDumpImporter.parse`:

1. split the text into lines, remembering blank-line blocks;
2. classify every line (prose, short, chrome, metadata, end marker) and weigh it;
3. section pages: a header shape that repeats before several prose runs
   (``section / title / Published / on``) or an article separator (``Continue Reading``)
   splits the page into articles; otherwise the densest prose region is the one article;
4. teaser lists (``section+age / title / first sentence…``) become excerpts;
5. titles, bylines, dates and the site name come from the lines around each body.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from store.models import ArticleDraft

from . import pagedump_model
from . import pagedump_rules as rules
from .base import ImportFailure, Source
from .textutil import escape_markdown

__all__ = ["PageDumpImporter"]


def _compile_full(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\Z")


def _compile_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_CHROME = _compile_full(rules.CHROME_LINES)
_BOILER = tuple(re.compile(p) for p in rules.BOILER_PHRASES)
_END = _compile_full(rules.END_MARKERS)
_TERMINAL = _compile_full(rules.TERMINAL_MARKERS)
_HEADER_LINE = _compile_full(rules.HEADER_LINES)
_NOT_SECTION = _compile_full(rules.NOT_SECTIONS)
_FOOTER = _compile_any(rules.FOOTER_PHRASES)
_SEPARATOR = _compile_full(rules.ARTICLE_SEPARATORS)
_TEASER_HEAD = _compile_full(rules.TEASER_HEADINGS)
_BYLINE = re.compile(rules.BYLINE, re.IGNORECASE)
_BIO = re.compile(rules.AUTHOR_BIO)
_BIO_WORDS = re.compile(rules.BIO_WORDS, re.IGNORECASE)
_AGE_TAIL = re.compile(rf"{rules.AGE}\s*\Z", re.IGNORECASE)
_READ_TIME = re.compile(rules.READ_TIME, re.IGNORECASE)
_META_OPENER = re.compile(rules.META_OPENERS, re.IGNORECASE)

_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
# Chinese and Japanese are written without spaces: a run of their characters is one \w run,
# so such text is counted by characters (two to a word) instead.
_UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_MONTH = "|".join(sorted(rules.MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"),
    re.compile(
        rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+|de\s+)?(?P<mon>{_MONTH})\.?,?\s+"
        r"(?:de\s+)?"
        r"(?P<y>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>(?:19|20)\d\d)\b"),
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_TIME = re.compile(r"\b\d{1,2}:\d\d\b|\b\d{1,2} ?[ap]\.?m\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;。！？；：][\"'”’)\]»」』）]*\Z")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*\Z")
_INNER_SENTENCE = re.compile(r"\w[.!?][\"'”’)]?\s+[\"'“‘(]?[A-Z0-9]|\w[。！？][」』”）]?\w")
_PROSE_SENTENCES = re.compile(r"[a-z]{3,}[.!?][\"'”’)]?\s+[\"'“‘(]?[A-Z]")
_HTML = re.compile(r"<(?:!doctype|html|head|body|div|p|a|span|script|meta)\b", re.IGNORECASE)
# Strong signs of a Markdown file. Bullets, numbers and quotes are not among them:
# a browser's text copy of a menu or list looks just like them.
_MD_SYNTAX = re.compile(
    r"^(?:#{1,6} |```)|\[[^\]\n]+\]\([^)\n]+\)|\*\*\w[^*\n]*\*\*",
    re.MULTILINE,
)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)?\d\d)?)?\s*,?\s*"
    r"(?P<name>[^|.©]{2,60}?)\s*(?:[.,|]|all rights|$)",
    re.IGNORECASE,
)

# Line kinds.
BLANK, PROSE, TEXT, SHORT, CHROME, META, END, TERMINAL = range(8)

# Weights for the densest-region search: prose adds its words, short lines cost a little,
# chrome costs more, end markers (Comments, Related…) cost a lot but can be crossed by a
# long article continuing after an inline "Related" box.
_W_SHORT = -3.0
_W_CHROME = -8.0
_W_BOILER = -15.0
_W_END = -60.0
_W_TERMINAL = -1000.0
_W_TEXT = 1.0
_PROSE_CAP = 80
_MARKER_MAX_CHARS = 160
_BOILER_SPAN = 400
_RUN_CAP = 6


@dataclass(slots=True)
class _Line:
    text: str
    low: str
    key: str
    block: int
    words: int
    kind: int = BLANK
    weight: float = 0.0
    date: str | None = None
    listed: bool = False  # an item of a list the text announces: see _mark_announced


@dataclass(slots=True)
class _Article:
    start: int
    end: int  # exclusive
    title: int | None = None
    section: int | None = None
    dropped: set[int] = field(default_factory=set)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _age(text: str) -> str | None:
    """For ``Americas2 hours ago`` the label before the age (``Americas``), else None."""
    if len(text) > 80:
        return None
    match = _AGE_TAIL.search(text)
    return text[: match.start()] if match else None


def find_date(text: str) -> str | None:
    """The first calendar date in ``text`` as ``YYYY-MM-DD``, or None."""
    if not _YEAR.search(text):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = rules.MONTHS.get(parts["mon"].lower().rstrip(".")) if parts.get("mon") else None
        if month is None:
            month = int(parts["m"]) if parts.get("m") else 0
        day, year = int(parts["d"]), int(parts["y"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


_KEY_STRIP = " []{}()«»<>|:•·*#=_-–—→←»›‹>"
_NUMBERED = re.compile(r"[(（]?(\d{1,3})(?:[.)]\s|[、．）)])")
_URL = re.compile(r"(?:https?://|www\.)\S+\Z")
_COMMENT_HEAD = re.compile(
    r"\S.{0,40}? (?:said|says|wrote|writes|replied|replies|powiedział(?:/a)?|napisał(?:/a)?"
    r"|сказал[аи]?|пишет|написал[аи]?|έγραψε|kaže|napisao|napisala|schrieb|sagt)[,:]?",
    re.I,
)
_NAME_LINE = re.compile(r"(?:[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}(?: @\w+)?|@\w+)")
_INLINE_BYLINE = re.compile(rules.INLINE_BYLINE)
_CAPITALISED = re.compile(r"\b[A-Z0-9]")


def count_words(text: str) -> int:
    """Words of ``text``: runs of ``\\w``, with Chinese and Japanese two characters a word."""
    if not _UNSPACED_RUN.search(text):
        return len(_WORD.findall(text))
    chars = sum(len(run) for run in _UNSPACED_RUN.findall(text))
    return len(_WORD.findall(_UNSPACED_RUN.sub(" ", text))) + (chars + 1) // 2


def _split(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw in text.split("\n"):
        stripped = _SPACES.sub(" ", raw).strip()
        if not stripped:
            block += 1
            lines.append(_Line("", "", "", block, 0))
            continue
        low = stripped.lower()
        key = low.strip(_KEY_STRIP)
        lines.append(_Line(stripped, low, key, block, count_words(stripped)))
    return lines


def _is_meta(line: _Line) -> bool:
    """Byline, date or reading-time lines of an article header."""
    if line.words > 16 or len(line.text) > 120:
        return False
    if _BYLINE.fullmatch(line.text) and line.words <= 12:
        return True
    if _READ_TIME.search(line.text):
        return True
    if _META_OPENER.match(line.text) and line.words <= 12:
        return True
    if line.date and (line.words <= 12 or _SENTENCE_END.search(line.text) is None):
        return True
    if _TIME.search(line.text) and line.words <= 8 and not _SENTENCE_END.search(line.text):
        return True
    return line.words <= 8 and _age(line.text) is not None


def _classify(lines: list[_Line]) -> None:
    for line in lines:
        if not line.text:
            continue
        key = line.key if len(line.key) <= _MARKER_MAX_CHARS else ""
        line.date = find_date(line.text) if len(line.text) < 200 else None
        if key and _TERMINAL.fullmatch(key):
            line.kind, line.weight = TERMINAL, _W_TERMINAL
        elif key and (_END.fullmatch(key) or _SEPARATOR.fullmatch(key)):
            line.kind, line.weight = END, _W_END
        elif _boilerplate(line.low):
            line.kind, line.weight = CHROME, _W_BOILER
        elif (key and _CHROME.fullmatch(key)) or _shouting(line) or _link_row(line):
            line.kind, line.weight = CHROME, _W_CHROME
        elif _is_meta(line):
            line.kind, line.weight = META, _W_SHORT
        elif _is_prose(line):
            line.kind, line.weight = PROSE, float(min(line.words, _PROSE_CAP))
            if _TRUNCATED.search(line.text):
                # "First sentence of a teaser..." is a snippet more often than body text.
                line.weight = line.weight * 0.5 - 3.0
        elif line.words >= 5 and _SENTENCE_END.search(line.text):
            line.kind, line.weight = TEXT, _W_TEXT
        elif _sentence_case(line):
            line.kind, line.weight = TEXT, 0.0
        else:
            line.kind, line.weight = SHORT, _W_SHORT
    _mark_lists(lines)
    _escalate_runs(lines)


def _escalate_runs(lines: list[_Line]) -> None:
    """Make long runs of short lines (menus, link lists) cost more than a heading or a
    caption: the k-th line of a run of non-prose lines weighs ``k`` times a short line."""
    run = 0
    for line in lines:
        if not line.text:
            continue
        if line.kind == PROSE:
            run = 0
            continue
        if line.weight > 0:
            continue
        run += 1
        if line.kind in (SHORT, CHROME, META) and run > 2:
            line.weight = min(line.weight, _W_SHORT * min(run - 1, _RUN_CAP))


def _sentence_case(line: _Line) -> bool:
    """A short line written like a sentence (``Eat every 2–3 hours``), not a Title Case
    menu item or headline."""
    if line.words < 4:
        return False
    capitals = len(_CAPITALISED.findall(line.text))
    return capitals <= 1 + 0.2 * line.words


def _boilerplate(low: str) -> bool:
    """True when a boilerplate phrase occurs in the (lower-cased) line."""
    text = _ends(low)
    # One pattern at a time: each keeps re's fast literal-prefix scan, which one big
    # alternation loses.
    return any(pattern.search(text) for pattern in _BOILER)


def _ends(text: str) -> str:
    """The head and tail of a long line: where boilerplate phrases sit in a paragraph."""
    if len(text) <= 2 * _BOILER_SPAN:
        return text
    return text[:_BOILER_SPAN] + " … " + text[-_BOILER_SPAN:]


def _shouting(line: _Line) -> bool:
    """A long all-capitals line without a full stop: a promo (``GET THE APP BY …``)."""
    text = line.text
    return (
        line.words >= 6
        and text.upper() == text
        and not text.endswith(".")
        and any(c.isupper() for c in text)
    )


def _link_row(line: _Line) -> bool:
    """Links run together on one line: ``Home | About | Contact | Jobs``."""
    parts = line.text.split(" | ")
    return len(parts) >= 4 and max(len(p.split()) for p in parts) <= 6


def _mark_lists(lines: list[_Line]) -> None:
    """Numbered items counting up (``1) …``, ``2) …``) and bare links between them are
    list content, not link lists: they carry the body across instead of breaking it."""
    expected = 1
    run: list[int] = []
    for i, line in enumerate(lines):
        if not line.text:
            continue
        match = _NUMBERED.match(line.text)
        if match and int(match.group(1)) == expected:
            run.append(i)
            expected += 1
            continue
        if match and int(match.group(1)) == 1:
            _finish_list(lines, run)
            run, expected = [i], 2
            continue
        if run and line.kind == SHORT and _URL.match(line.text):
            run.append(i)
            continue
        if run and line.kind in (SHORT, TEXT) and len(run) < 3:
            continue
        _finish_list(lines, run)
        run, expected = [], 1
    _finish_list(lines, run)


_ITEM_MIN_WORDS = 3
_ANNOUNCE_MIN_WORDS = 5
_ITEMS_MIN = 3
# (checked on web-dev and pages-dev: items of two words also caught "everyone is reading
# these:" promos on Chinese pages)


def _mark_announced(lines: list[_Line], counts: dict[str, int], odds: list[float]) -> None:
    """Carry the body over the list a sentence of it announces (``The full results:``):
    the short lines that follow a sentence the block model believes, of three words or
    more, neither chrome nor printed elsewhere on the page, up to the next paragraph.
    Three or more such lines weigh as list items, whatever the block model thinks of
    short lines."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    for k, i in enumerate(nonblank):
        head = lines[i]
        if (
            not head.text.endswith((":", "："))
            or head.kind not in (TEXT, PROSE)
            or head.words < _ANNOUNCE_MIN_WORDS
            or odds[i] <= 0
        ):
            continue
        run: list[int] = []
        items = 0
        for j in nonblank[k + 1 :]:
            line = lines[j]
            if _sublabel(line) and counts.get(line.low, 0) <= 1:
                run.append(j)  # ``This week:`` groups the items under it
                continue
            if (
                line.kind not in (SHORT, TEXT)
                or line.words < _ITEM_MIN_WORDS
                or counts.get(line.low, 0) > 1
                or _link_row(line)
                or line.text.endswith((":", "："))
            ):
                break
            run.append(j)
            items += 1
        while run and _sublabel(lines[run[-1]]):
            run.pop()
        if items >= _ITEMS_MIN:
            for j in run:
                lines[j].weight, lines[j].listed = max(lines[j].weight, 1.0), True


def _sublabel(line: _Line) -> bool:
    """A short label inside an announced list (``This week:``, ``Ingredients:``)."""
    return line.words <= 4 and line.text.endswith((":", "：")) and line.kind in (SHORT, TEXT)


def _finish_list(lines: list[_Line], run: list[int]) -> None:
    numbered = [i for i in run if _NUMBERED.match(lines[i].text)]
    if len(numbered) < 3:
        return
    # A list the text announces (``The ranking:``) is the article's, whatever its items
    # look like; a numbered list under a bare heading may be a "most read" box.
    before = next((j for j in range(run[0] - 1, -1, -1) if lines[j].text), None)
    announced = before is not None and lines[before].text.endswith((":", "："))
    for i in run:
        if lines[i].kind in (SHORT, TEXT, META):
            lines[i].kind, lines[i].weight, lines[i].listed = TEXT, 1.0, announced


def _is_prose(line: _Line) -> bool:
    if line.words >= 30:
        return True
    if line.words < 10:
        return False
    if _SENTENCE_END.search(line.text) or _INNER_SENTENCE.search(line.text):
        return True
    # A long line in sentence case (not a Title Case headline) without a final stop.
    if line.words >= 16:
        capitals = len(_CAPITALISED.findall(line.text))
        return capitals <= 0.35 * line.words
    return False


def _best_region(lines: list[_Line], lo: int, hi: int) -> tuple[float, int, int]:
    """Kadane's maximum-sum run of line weights in ``lines[lo:hi]``: (score, start, end)."""
    best, best_start, best_end = 0.0, lo, lo
    total, start = 0.0, lo
    for i in range(lo, hi):
        weight = lines[i].weight
        if total <= 0:
            if weight <= 0:
                continue
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best, best_start, best_end


def _regions(lines: list[_Line], min_score: float) -> list[tuple[float, int, int]]:
    """Every disjoint dense-prose region scoring at least ``min_score``, in page order."""
    found: list[tuple[float, int, int]] = []
    todo = [(0, len(lines))]
    while todo:
        lo, hi = todo.pop()
        score, start, end = _best_region(lines, lo, hi)
        if score < min_score or end <= start:
            continue
        found.append((score, start, end))
        todo.append((lo, start))
        todo.append((end, hi))
    return sorted(found, key=lambda r: r[1])


def _refine(lines: list[_Line], start: int, end: int) -> tuple[int, set[int]]:
    """Cut a body region at its end markers; returns the new end and lines to drop.

    A terminal marker (``Comments``) always ends the body. Any other end marker
    (``Related``, ``Read more``, ``Newsletter``) ends it unless two prose paragraphs follow
    within a few lines -- then it was a box inside the article, dropped with its links.
    """
    dropped: set[int] = set()
    i = start
    while i < end:
        line = lines[i]
        if line.kind == TERMINAL or (line.kind == CHROME and _FOOTER.search(line.low)):
            return i, dropped
        if line.kind == END and i > start:
            resume = _resumes(lines, i + 1, end)
            if resume is None:
                return i, dropped
            dropped.update(range(i + 1, resume))
            i = resume
            continue
        i += 1
    return _cut_comments(lines, start, end), dropped


def _resumes(lines: list[_Line], i: int, end: int) -> int | None:
    """Where two consecutive prose paragraphs start within the next few lines, if they do."""
    following = _next_nonblank(lines, i, end, 7)
    for a, b in zip(following, following[1:], strict=False):
        if lines[a].kind == PROSE and lines[b].kind == PROSE:
            return a
        if lines[a].kind == TERMINAL:
            return None
    return None


def _cut_comments(lines: list[_Line], start: int, end: int) -> int:
    """End a body before a comment thread: ``name / date / text`` units repeating."""
    units: list[int] = []
    for i in range(start, end):
        if lines[i].kind != META:
            continue
        after = _next_nonblank(lines, i + 1, end, 1)
        before = _prev_nonblank(lines, i - 1)
        if (
            after
            and lines[after[0]].kind in (PROSE, TEXT)
            and before is not None
            and before >= start
            and lines[before].kind == SHORT
            and lines[before].words <= 5
        ):
            units.append(before)
    if len(units) >= 2:
        return units[0]
    # ``Kevin said,`` / ``Anna says:`` heading each comment (WordPress and its like)
    said = [
        i
        for i in range(start, end)
        if lines[i].kind == SHORT
        and _COMMENT_HEAD.fullmatch(lines[i].text)
        and (after := _next_nonblank(lines, i + 1, end, 1))
        and lines[after[0]].kind in (PROSE, TEXT)
    ]
    if len(said) >= 2:
        return said[0]
    return end


def _is_byline(line: _Line) -> bool:
    """A byline or a bare author name (``Jane Doe``, ``Jane Doe @jdoe``)."""
    if line.kind == META:
        return True
    return line.kind == SHORT and bool(_NAME_LINE.fullmatch(line.text))


def _trim_header(lines: list[_Line], start: int, end: int) -> int:
    """Move ``start`` past a headline, standfirst and the byline/date lines that follow."""
    seen_prose = 0
    last_meta = None
    for i in range(start, min(end, start + 12)):
        line = lines[i]
        if _is_byline(line):
            last_meta = i
        elif line.kind == PROSE:
            seen_prose += 1
            if seen_prose > 2:
                break
    if last_meta is None:
        return start
    for i in range(last_meta + 1, end):
        if lines[i].kind == PROSE:
            return i
    return start


TITLE_TUNING: dict[str, float] = {
    "distance": 0.15,
    "byline_after": 3.0,
    "byline_before": 2.0,
    "repeated": 1.5,
}
"""Headline scoring weights; ``tests/bench/meta_quality.py --dumps`` re-tunes them
leave-one-source-out over ``TITLE_TUNING_GRID``."""
TITLE_TUNING_GRID: dict[str, list[float]] = {
    "distance": [0.1, 0.15, 0.3],
    "byline_after": [2.0, 3.0, 4.0],
    "repeated": [0.0, 1.5, 3.0],
}
# Not headlines: photo credits and captions' sources, "see also" and share labels,
# breadcrumbs, and labels that introduce something else.
_CREDIT = re.compile(
    r"(?:^|[\s(])(?:photo(?:graph)?s?|image|picture|credit|illustration|foto|фото|"
    r"source|video|getty images|ap photo|reuters|afp|epa|shutterstock|istock)\b\s*[:/©]|"
    r"^[^\W\d][\w.'’-]*(?: [^\W\d][\w.'’-]*){0,3} ?/ ?(?:[A-Z][\w.'’-]*)(?: [\w.'’-]+){0,5}\Z|"
    r"\b(?:getty images|shutterstock|istock(?:photo)?|associated press|pressphoto)\b|©",
    re.IGNORECASE,
)
_NOT_HEADLINE = re.compile(
    r"\b(?:see also|read (?:more|also|next)|also read|related|recommended|sharing|"
    r"share (?:this|on|it)|sign (?:up|in)|log ?in|subscribe|newsletter|cookies?|"
    r"advertis\w*|sponsored|"
    r"click here|got it|what'?s this|letters to the editor|most (?:read|popular)|"
    r"trending|comments?|leave a reply|in this article|photo gallery|gallery|"
    r"you (?:may|might) also like|more (?:from|on|stories)|don'?t miss|follow (?:us|me)|"
    r"e-?mail (?:this|to|a friend)|print (?:this|friendly)|printer|font|add to|rss|"
    r"homepage|favou?rites|digg|del\.icio\.us|tweet|facebook|twitter|tags?:|"
    r"view (?:staff|profile)|premium|free shipping|unlock|subscribers?)\b|"
    r"-->|·|\s\|\s?\S+\s?\|\s",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(
    r"\S\s*(?:»|›|>|/|\\)\s*\S.*\s(?:»|›|>|/|\\)\s|"
    r"\S\s+[»›]\s+\S|"
    # unspaced scripts write a trail without spaces: 专栏/轻小说/同人连载/…
    r"(?:[^\s\d/｜|>»›]{1,12}[/｜|>»›]){2,}[^\s\d/｜|>»›]"
)
_CLOCK_OR_DAY = re.compile(
    r"(?<!\d)\d{1,2}:\d\d(?!\d)|\d{4}年\d{1,2}月|\b\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d\d\b|"
    r"\b\d{1,2}\.?\s+[^\W\d]{3,12}\.?,?\s+(?:19|20)\d\d\b|\S+@\S+\.\w"
)
_BYLINE_LEAD = re.compile(
    r"^(?:submitted|posted|hosted|written|published|updated|filed|from|by|autor|author|"
    r"von|par|por|av|door|από|автор)\b|^(?:记者|编辑|来源|作者|責任編輯|记者：)|\s记者\s",
    re.IGNORECASE,
)
_STAFF_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|columnist|contributor|staff writer|writer)\b", re.I
)
_SHARE_PREFIX = re.compile(r"^(?:share|sharing)\b[^:]{0,40}:\s+", re.IGNORECASE)
_TITLE_FIELD = re.compile(r"^(?:标\s*题|標\s*題|题\s*目|題\s*目|文章标题)\s*[:：]\s*(?=\S)")
"""A field that labels the page's title (``标 题： …``, Chinese government and archive pages)."""
_TOOL_MARK = "【"
"""Chinese tool bars bracket each button: ``【打印】【关闭】``."""


def _title_words(line: _Line) -> int:
    """Words of a line (Chinese and Japanese already counted by characters)."""
    return line.words


_LINK_INSIDE = re.compile(r"https?://\S|pic\.twitter\.com/\S", re.IGNORECASE)
"""A web address written out (an embedded post: ``… #WBC2017! pic.twitter.com/tVYL``):
no headline has one."""


def _title_like(line: _Line) -> bool:
    if line.kind not in (SHORT, TEXT, PROSE, META) or not 2 <= line.words <= 30:
        return False
    if line.kind == META or line.date:
        return False
    text = line.text
    return len(text) <= 220 and not _URL.match(text) and not _LINK_INSIDE.search(text)


def _headline_like(line: _Line) -> bool:
    """Could be a headline: like ``_title_like``, counting Chinese by characters and
    letting a share label run into the headline (``Share … for: Headline``) through."""
    words = _title_words(line)
    if line.kind not in (SHORT, TEXT, PROSE, META, CHROME) or not 2 <= words <= 30:
        return False
    if line.kind == META or line.date:
        return False
    if line.kind == CHROME and not _SHARE_PREFIX.match(line.text):
        return False
    return (
        len(line.text) <= 220 and not _URL.match(line.text) and not _LINK_INSIDE.search(line.text)
    )


_MEDIA_MARK = re.compile(
    r"\s*[(\[](?:фото|видео|фото(?:,| и) видео|photos?|videos?|pics|gallery|foto|fotos|"
    r"wideo|zdjęcia|galeria|βίντεο|φωτογραφίες)[)\]]\s*\Z",
    re.IGNORECASE,
)
"""What a headline ends with to say the page has pictures or a film: ``… (фото)``, ``[VIDEO]``."""


def _title_text(line: _Line) -> str:
    """A headline line without a share-button label or a title field's label run into it,
    and without a closing note that it has pictures (``(фото)``, ``[VIDEO]``)."""
    text = _SHARE_PREFIX.sub("", line.text) or line.text
    text = _TITLE_FIELD.sub("", text) or text
    text = _MEDIA_MARK.sub("", text) or text
    return _without_trailing_date(text)


def _without_trailing_date(text: str) -> str:
    """A headline without the date a blog prints after it on the same line (``… today……..
    July 29, 2012``, ``Headline | 3 May 2011``): only after a separator, and when three
    words or more stand before it (``What happened on July 4, 1776`` keeps its date)."""
    if not _YEAR.search(text):
        return text
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if text[match.end() :].strip(" .,)]"):
                continue
            before = text[: match.start()].rstrip()
            if not before or before[-1] not in _DATE_SEPARATORS:
                continue
            head = before.rstrip(" -–—|:·•(")
            if len(head.split()) >= 3:
                return head
    return text


_DATE_SEPARATORS = ".…!?-–—|·•:("


def _title_score(line: _Line, after: list[_Line], counts: dict[str, int], page: str = "") -> float:
    """How much ``line`` looks like the headline of the body below it."""
    words = _title_words(line)
    text = _title_text(line)
    score = 1.0 + min(words, 12) / 4.0
    if words > 20:
        score -= (words - 20) / 5.0
    if counts.get(line.low, 0) > 1 and words >= 4:
        score += 1.0
    elif page and len(line.low) >= 15 and page.count(line.low) > 1:
        score += TITLE_TUNING["repeated"]  # also in a breadcrumb or share line
    if any(_is_byline(other) for other in after):
        score += TITLE_TUNING["byline_after"]
    if _NAME_LINE.fullmatch(text):
        score -= 2.0
    if words <= 3:
        score -= 1.5
    if _PROSE_SENTENCES.search(text):
        score -= 2.5
    if text.endswith(".") and not text.endswith("..") and words > 8:
        score -= 3.0
    if _CREDIT.search(text):
        score -= 6.0
    if _NOT_HEADLINE.search(text) and words <= 12:
        score -= 5.0
    if _TRUNCATED.search(text) or text.endswith(":"):
        score -= 4.0
    if _BREADCRUMB.search(text) or any(mark in text for mark in (" » ", " › ", " > ")):
        score -= 4.0
    if _CLOCK_OR_DAY.search(text) or _BYLINE_LEAD.match(text):
        score -= 4.0  # a dateline or byline the metadata rules did not read
    if _STAFF_ROLE.search(text) and words <= 8:
        score -= 3.0
    if sum(len(w) <= 1 for w in text.split()) * 2 > len(text.split()):
        score -= 4.0  # "A A A Print": text-size buttons
    if text.startswith((">", "*", "•", "«", "(", "←", "→", "·", "|")):
        score -= 2.0
    if after and after[0].kind in (TEXT, PROSE) and _title_words(after[0]) > words:
        score += 1.0  # a headline above its longer standfirst or first paragraph
    return score


def _find_title(lines: list[_Line], start: int, counts: dict[str, int]) -> int | None:
    """The headline above a body starting at ``start``: a title-like line sitting just
    above a byline/date, or repeated on the page; the nearest wins ties. Credits,
    captions, "see also" and share labels, breadcrumbs and lone names lose."""
    best, best_score = None, 0.0
    seen_nonblank = 0
    page = "\n".join(line.low for line in lines)
    first = lines[start] if start < len(lines) else None
    if (
        first is not None
        and _headline_like(first)
        and not _SENTENCE_END.search(first.text.rstrip("?!"))
        and not _PROSE_SENTENCES.search(first.text)
        and _title_words(first) <= 20
    ):
        # A headline the body region swallowed: its first line, shaped like a title.
        after = [lines[j] for j in _next_nonblank(lines, start + 1, len(lines), 3)]
        best, best_score = start, _title_score(first, after, counts, page) - 1.0
    for i in range(start - 1, max(-1, start - 40), -1):
        line = lines[i]
        if not line.text:
            continue
        seen_nonblank += 1
        # "Comments" above the body ends the search -- unless it is a button in the
        # share bar between the headline and the text.
        if line.kind == TERMINAL and seen_nonblank > 1 and (line.words > 2 or seen_nonblank > 8):
            break
        if not _headline_like(line):
            continue
        after = [lines[j] for j in _next_nonblank(lines, i + 1, start + 1, 3)]
        score = _title_score(line, after, counts, page) - seen_nonblank * TITLE_TUNING["distance"]
        before = _prev_nonblank(lines, i - 1)
        if (
            before is not None
            and lines[before].kind == META
            and _BYLINE.fullmatch(lines[before].text)
        ):
            score += TITLE_TUNING["byline_before"]  # "By Jane Doe" above the headline
        if score > best_score:
            best, best_score = i, score
    return best


TITLE_FEATURES: tuple[str, ...] = (
    "rule_score",
    "distance",
    "in_body",
    "log_words",
    "under_4_words",
    "over_20_words",
    "repeated",
    "in_page_twice",
    "ends_stop",
    "ends_colon_or_dots",
    "capitals_per_word",
    "credit",
    "not_headline",
    "breadcrumb",
    "dateline_or_byline",
    "byline_after",
    "meta_before",
    "prose_after",
    "kind_short",
    "kind_text",
    "kind_prose",
    "kind_chrome",
    "position",
    "first_line",
    "nearest_headline_like",
    "body_overlap",
    "body_overlap_count",
    "list_neighbours",
    "kind_meta",
    "all_capitals",
    "rule_headline_like",
    "deck_below_headline",
    "lede_overlap",
    "best_overlap",
    "overlap_gap",
    "caption_run_in",
    "headline_rank",
    "sentence_shape",
    "label_above",
    "run_length",
    "prose_between",
    "beyond_near_window",
    "headline_above",
    "longer_text_below",
    "meta_below",
    "meta_above",
    "twin",
    "shape_repeats",
    "item_list",
    "all_lower",
    "again_in_body",
    "heading_in_body",
    "deck_past_tools",
)
_LEDE_SPAN = 3
_CAPTION_RUN_IN = re.compile(r"[a-z\u00df-\u024f][.!?][A-Z\u00c0-\u024f]")
_TOKEN = re.compile(r"[^\W\d_]{3,}|\d{2,}")
_BODY_SPAN = 30
_TITLE_WINDOW = 120
_NEAR_WINDOW = 40
_INSIDE = 4
_LABEL = re.compile(r"[^.!?。！？]{1,40}[:：]\Z")
_NO_MODEL = -1


def title_candidates(
    lines: list[_Line], start: int, counts: dict[str, int]
) -> list[tuple[int, list[float]]]:
    """Lines that could be the headline of a body starting at ``start``, with their features:
    the nearest ``_TITLE_WINDOW`` non-blank lines above it and its first two lines."""
    page = "\n".join(line.low for line in lines)
    above = _prev_nonblanks(lines, start, _TITLE_WINDOW)
    inside = _next_nonblank(lines, start, len(lines), _INSIDE)
    first_nonblank = _next_nonblank(lines, 0, len(lines), 1)
    out: list[tuple[int, list[float]]] = []
    seen_headline = 0
    total = max(len(lines), 1)
    body: set[str] = set()
    lede: set[str] = set()
    body_lines = _next_nonblank(lines, start, len(lines), _BODY_SPAN)
    body_text = "\n".join(lines[j].low for j in body_lines)
    body_lows = {line.low for line in lines[start + 1 :] if line.text}
    for n, j in enumerate(body_lines):
        tokens = _tokens(lines[j].low[:2000])
        body.update(tokens)
        if n < _LEDE_SPAN:
            lede.update(tokens)
    listy = _list_runs(lines, above[-1] if above else start, start + 1 + len(inside) * 4)
    prose_below = _prose_counts(lines, above, start)
    repeats = _shape_repeats(lines, above[-1] if above else start, start + len(inside) * 4 + 1)
    for distance, i in [
        *((d + 1, i) for d, i in enumerate(above)),
        *((-d, i) for d, i in enumerate(inside)),
    ]:
        line = lines[i]
        if not _candidate_like(line) or _field_row(lines, i) or _dated_item(lines, i):
            continue
        text = _title_text(line)
        after = [lines[j] for j in _next_nonblank(lines, i + 1, len(lines), 3)]
        before = _prev_nonblank(lines, i - 1)
        words = _title_words(line)
        if distance > 0:
            seen_headline += 1
        prev_line = lines[before] if before is not None else None
        out.append(
            (
                i,
                [
                    _title_score(line, after, counts, page),
                    math.log1p(max(distance, 0)),
                    1.0 if distance <= 0 else 0.0,
                    math.log1p(words),
                    1.0 if words <= 3 else 0.0,
                    1.0 if words > 20 else 0.0,
                    1.0 if counts.get(line.low, 0) > 1 else 0.0,
                    1.0 if len(line.low) >= 15 and page.count(line.low) > 1 else 0.0,
                    1.0 if text.endswith(".") else 0.0,
                    1.0 if _TRUNCATED.search(text) or text.endswith(":") else 0.0,
                    min(len(_CAPITALISED.findall(text)) / max(words, 1), 1.0),
                    1.0 if _CREDIT.search(text) else 0.0,
                    1.0 if _NOT_HEADLINE.search(text) else 0.0,
                    1.0 if _BREADCRUMB.search(text) else 0.0,
                    1.0 if _CLOCK_OR_DAY.search(text) or _BYLINE_LEAD.match(text) else 0.0,
                    1.0 if any(_is_byline(other) for other in after) else 0.0,
                    1.0 if before is not None and lines[before].kind == META else 0.0,
                    1.0 if after and after[0].kind == PROSE else 0.0,
                    1.0 if line.kind == SHORT else 0.0,
                    1.0 if line.kind == TEXT else 0.0,
                    1.0 if line.kind == PROSE else 0.0,
                    1.0 if line.kind == CHROME else 0.0,
                    i / total,
                    1.0 if first_nonblank and i == first_nonblank[0] else 0.0,
                    1.0 if distance > 0 and seen_headline == 1 else 0.0,
                    *_overlap(line, body, distance <= 0),
                    _list_neighbours(lines, i),
                    1.0 if line.kind == META else 0.0,
                    1.0 if text.upper() == text and text.lower() != text else 0.0,
                    1.0 if _headline_like(line) else 0.0,
                    # a standfirst under its headline: the line above is a shorter title
                    1.0
                    if prev_line is not None
                    and _headline_like(prev_line)
                    and 5 <= prev_line.words < words
                    and prev_line.text.upper() != prev_line.text
                    and not _SENTENCE_END.search(prev_line.text)
                    else 0.0,
                    _overlap(line, lede, distance <= 0)[0],
                    0.0,  # best_overlap, filled in below
                    0.0,  # overlap_gap, filled in below
                    1.0 if _CAPTION_RUN_IN.search(text) else 0.0,
                    math.log1p(seen_headline) if distance > 0 else 0.0,
                    1.0
                    if (_SENTENCE_END.search(text) and words > 6) or _INNER_SENTENCE.search(text)
                    else 0.0,
                    1.0 if prev_line is not None and _label(prev_line) else 0.0,
                    math.log1p(listy.get(i, 0)),
                    math.log1p(prose_below.get(i, 0)) if distance > 0 else 0.0,
                    1.0 if distance > _NEAR_WINDOW else 0.0,
                    # a headline and its standfirst: which of the pair is the headline
                    1.0 if prev_line is not None and _pair_headline(prev_line) else 0.0,
                    1.0
                    if after
                    and after[0].kind in (TEXT, PROSE)
                    and (after[0].words > words or _SENTENCE_END.search(after[0].text))
                    else 0.0,
                    1.0 if any(_meta_like(other) for other in after) else 0.0,
                    1.0 if any(_meta_like(lines[j]) for j in _prev_nonblanks(lines, i, 3)) else 0.0,
                    1.0
                    if (after and after[0].low == line.low)
                    or (prev_line is not None and prev_line.low == line.low)
                    else 0.0,
                    math.log1p(repeats.get(i, 0)),
                    1.0 if _item_list(text) else 0.0,
                    # keywords written out (``friday night lights tami taylor``)
                    1.0 if words >= 4 and text.lower() == text and text.upper() != text else 0.0,
                    # a standfirst the body repeats as its lede; a headline is not repeated
                    1.0 if distance > 0 and len(line.low) >= 15 and line.low in body_text else 0.0,
                    # a contents entry: the body has the same line as one of its headings
                    1.0 if distance > 0 and line.low in body_lows else 0.0,
                    # a standfirst under its headline with share tools between them
                    1.0 if distance > 0 and _deck_past_tools(lines, i, words) else 0.0,
                ],
            )
        )
    # Relative to the page's other candidates: the one whose words the body uses most.
    share = TITLE_FEATURES.index("body_overlap")
    best = max((row[share] for _, row in out), default=0.0)
    for _, row in out:
        row[share + 0] = row[share]
        row[TITLE_FEATURES.index("best_overlap")] = 1.0 if best > 0 and row[share] == best else 0.0
        row[TITLE_FEATURES.index("overlap_gap")] = best - row[share]
    teasers = _repeated_runs(lines) | _tagged_items(lines)
    return [(i, row) for i, row in out if i not in teasers] or out


_RUN = 3


_TAGGED_ITEMS, _TAGGED_REACH = 3, 12


def _tagged_items(lines: list[_Line]) -> set[int]:
    """Headline-shaped lines (four words or more) each followed by the same short line, at
    least ``_TAGGED_ITEMS`` of them within ``_TAGGED_REACH`` lines: the items of a teaser
    list tagged with their section (``Headline / Politics / Headline / Politics``)."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    tag_of = {}
    for n, i in enumerate(nonblank[:-1]):
        tag = lines[nonblank[n + 1]]
        if tag.words <= 3 and lines[i].words >= 4 and _title_like(lines[i]):
            tag_of[n] = tag.low
    out = set()
    for n, tag in tag_of.items():
        near = range(max(0, n - _TAGGED_REACH), n + _TAGGED_REACH)
        if sum(1 for m in near if tag_of.get(m) == tag) >= _TAGGED_ITEMS:
            out.add(nonblank[n])
    return out


def _repeated_runs(lines: list[_Line]) -> set[int]:
    """The lines of every run of ``_RUN`` different non-blank lines that the page shows
    again elsewhere in the same order: a menu, a table of contents or a teaser list shown
    twice (for the desktop and the phone), whose items are no headline."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    where: dict[tuple[str, ...], list[int]] = {}
    for n in range(len(nonblank) - _RUN + 1):
        run = tuple(lines[i].low for i in nonblank[n : n + _RUN])
        if len(set(run)) == _RUN:
            where.setdefault(run, []).append(n)
    return {
        nonblank[n + d]
        for starts in where.values()
        if len(starts) > 1
        for n in starts
        for d in range(_RUN)
    }


def _deck_past_tools(lines: list[_Line], i: int, words: int) -> bool:
    """Line ``i`` stands under a shorter headline with only share or print tools between
    them (``Headline / Tweet / Standfirst.``): the standfirst, not the headline."""
    tools = 0
    for j in _prev_nonblanks(lines, i, 4):
        line = lines[j]
        if _title_words(line) <= 2 or _NOT_HEADLINE.search(line.text):
            tools += 1
            continue
        return tools > 0 and _pair_headline(line) and 3 <= line.words < words
    return False


def _label(line: _Line) -> bool:
    """A short label that introduces what follows ("See also", "Related content", "Więcej:"):
    the line under it is a teaser, not the page's headline."""
    if line.kind == END:
        return True
    if line.words > 4:
        return False
    return bool(_NOT_HEADLINE.search(line.text) or _LABEL.fullmatch(line.text))


def _pair_headline(line: _Line) -> bool:
    """Shaped like a headline a standfirst could stand under: a few words, no sentence end,
    not a label, a byline or a date."""
    return (
        line.kind in (SHORT, TEXT, PROSE)
        and 3 <= line.words <= 30
        and not line.date
        and not _SENTENCE_END.search(line.text)
        and not _label(line)
        and not _NAME_LINE.fullmatch(line.text)
    )


_ITEM_SEPARATOR = re.compile(r"\s*[,|/•·;、，]\s*")


def _item_list(text: str) -> bool:
    """Tags or menu items on one line (``HIV/AIDS , Africa , Immigration``): three or more
    items of at most three words each."""
    items = [item for item in _ITEM_SEPARATOR.split(text) if item]
    return len(items) >= 3 and all(len(item.split()) <= 3 for item in items)


def _meta_like(line: _Line) -> bool:
    return line.kind == META or line.date is not None


def _prev_nonblanks(lines: list[_Line], i: int, count: int) -> list[int]:
    """The indices of up to ``count`` non-blank lines above line ``i``, nearest first."""
    out: list[int] = []
    j = i - 1
    while j >= 0 and len(out) < count:
        if lines[j].text:
            out.append(j)
        j -= 1
    return out


def _neighbour_token(line: _Line | None) -> str:
    if line is None:
        return "none"
    if _meta_like(line):
        return "meta"
    if line.words <= 3:
        return "short"
    return "prose" if line.kind == PROSE or _SENTENCE_END.search(line.text) else "text"


def _shape_repeats(lines: list[_Line], lo: int, hi: int, span: int = 30) -> dict[int, int]:
    """For each headline-shaped line of ``lines[lo:hi]``, how many other headline-shaped lines
    within ``span`` non-blank lines share its neighbours' shape (what stands above and below
    it): a teaser list repeats ``section / headline / date``, a page's headline does not."""
    rows = [i for i in range(max(lo, 0), min(hi, len(lines))) if lines[i].text]
    signature: dict[int, tuple[str, str]] = {}
    for n, i in enumerate(rows):
        if not _list_line(lines[i]):
            continue
        before = lines[rows[n - 1]] if n > 0 else None
        after = lines[rows[n + 1]] if n + 1 < len(rows) else None
        signature[i] = (_neighbour_token(before), _neighbour_token(after))
    out: dict[int, int] = {}
    for n, i in enumerate(rows):
        sig = signature.get(i)
        if sig is None:
            continue
        out[i] = sum(
            1 for j in rows[max(n - span, 0) : n + span + 1] if j != i and signature.get(j) == sig
        )
    return out


def _list_line(line: _Line) -> bool:
    return (
        line.kind in (SHORT, TEXT, PROSE)
        and 4 <= line.words <= 20
        and not _SENTENCE_END.search(line.text)
    )


def _list_runs(lines: list[_Line], lo: int, hi: int) -> dict[int, int]:
    """For each line of ``lines[lo:hi]``, the length of the run of headline-shaped lines it
    stands in (blank lines skipped): one headline stands alone or above its standfirst, a
    list of related links runs on."""
    out: dict[int, int] = {}
    run: list[int] = []
    for i in range(max(lo, 0), min(hi, len(lines))):
        line = lines[i]
        if not line.text:
            continue
        if _list_line(line):
            run.append(i)
            continue
        for j in run:
            out[j] = len(run)
        run = []
    for j in run:
        out[j] = len(run)
    return out


def _prose_counts(lines: list[_Line], above: list[int], start: int) -> dict[int, int]:
    """For each line above the body, how many prose lines stand between it and the body."""
    out: dict[int, int] = {}
    seen = 0
    for i in above:  # nearest first
        out[i] = seen
        if lines[i].kind == PROSE:
            seen += 1
    return out


def _candidate_like(line: _Line) -> bool:
    """Any line of headline length, whatever the rules took it for (a headline ending in
    "today" reads as a date line, one in capitals as a promo), but for shapes no headline
    has (``_never_headline``)."""
    if line.kind in (BLANK, END, TERMINAL) or not 2 <= _title_words(line) <= 30:
        return False
    if len(line.text) > 220 or _URL.match(line.text) or _NOT_SECTION.fullmatch(line.key):
        return False  # the last: a site's own label (About us, Contact us, Sign in)
    return not _never_headline(line.text)


_CJK_BYLINE = re.compile(
    r"(?:^|\s)(?:记者|記者|通讯员|通訊員|实习生|實習生)\s*[:：]?\s*\S{2,4}(?:\s+\S{2,4}){0,3}\s*\Z"
)
_NAME_CREDIT = re.compile(
    r"(?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’.-]+ ?[|/] ?(?:[A-Z][\w&.-]*)(?: [A-Z][\w&.-]*){0,3}"
)
_TRAIL_END = re.compile(r"\s[»›]\s*\Z")
_CREDIT_TAIL = re.compile(
    r"(?:(?:19|20)\d\d[.!?]?|[a-z][.!?])\s+\((?:[A-Z][\w'’.-]+ ){1,3}[A-Z][\w'’.-]+\)\Z"
)
_TICKER = re.compile(r"(?:[^\W\d]{2,4}\.?,?\s+)?\d{1,2}:\d\d\s+\S")
_UI_LINK = re.compile(r"\[(?:change|edit|hide|show|close|more|x)\]\s*\Z", re.IGNORECASE)
_CJK_LINK_ROW = re.compile(r"[^：\s]{1,8}：\s*(?:[^\s：]{1,4}\s+)+[^\s：]{1,4}")
_CASED_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]{3}")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_ONLY = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})",
    re.IGNORECASE,
)
"""A line that is only a date (``Sun, January 6, 2008``): a headline always says more."""
_LABELLED_DATE = re.compile(rf"[:：]\s*(?:{_DATE_ONLY.pattern})\s*\Z", re.IGNORECASE)
"""A line ending in a date after a label (``Ημερομηνία δημοσίευσης: 17-09-11``)."""
_COUNT_LABEL = re.compile(
    r"\d[\d,.]*\s*(?:fans|likes|followers|comments?|shares|views|reads|replies|votes|"
    r"subscribers|retweets|points|reactions)",
    re.IGNORECASE,
)
"""A counter (``59 Fans``, ``12 comments``)."""
_UI_PHRASE = re.compile(
    r"(?:sign (?:in|up) (?:to|for|with)|log ?in (?:to|with)|subscribe (?:to|now|for)|"
    r"share this|e-?mail this|print this|leave a (?:reply|comment)|you(?:'|’)re all set|"
    r"breaking news (?:e-?mails?|alerts?)\s*\Z)\b|"
    r"(?:click (?:on|here|the)|clique (?:na|no|aqui|em)|cliquez (?:ici|sur)|haga clic|"
    r"kliknij (?:tutaj|w|na))\b|"
    # a most-read list: ``本日点击排行榜``
    r".{0,6}(?:点击排行|排行榜)|"
    # a label before another story: ``Najnowsze wiadomości: …``, ``Читайте также: …``
    r"(?:najnowsze wiadomości|czytaj (?:też|także)|"
    r"zobacz (?:też|także)|читайте также|смотрите также|διαβάστε (?:επίσης|ακόμα)|"
    r"相关阅读|延伸阅读|推荐阅读)\s*[:：]",
    re.IGNORECASE,
)
"""What a site's own controls and lists say (``Sign In to E-Mail or Save This``, ``You’re
all set!``, ``Breaking News Emails``)."""
_CJK_MENU = re.compile(r"[\u4e00-\u9fff]{1,4}(?:\s+[\u4e00-\u9fff]{1,4}){3,}")
"""Four or more short Chinese links in a row (``新闻中心 视频 播客 图片站 掌媒``)."""
_GLUED_LINK = re.compile(r"[a-ząćęłńóśźżäöüß]{3}[A-ZĄĆĘŁŃÓŚŹŻÄÖÜ][a-ząćęłńóśźżäöüß]")
"""Links of a trail run together (``Money.plGospodarkaWiadomości gospodarczePrezes``)."""
_WIDGET_VALUE = re.compile(r"[:：]\s*[-+−]?\d+(?:[.,]\d+)?\s*(?:°\s*[CF]?|%)?\s*\Z")


_FIELD = re.compile(r"(?P<label>[^\W\d][^:：]{0,24}?)\s*：\s*\S")


def _field_label(line: _Line) -> str | None:
    """The label of a short ``label： value`` line with a full-width colon, as Chinese and
    Japanese fact tables write it (the label at most six characters, the line at most eight
    words), or None."""
    found = _FIELD.match(line.text)
    if found is None or line.words > 8 or _TITLE_FIELD.match(line.text):
        return None
    label = found["label"]
    return label if count_words(label) <= 3 else None


def _field_row(lines: list[_Line], i: int) -> bool:
    """Line ``i`` is a row of a fact table (``软件名称： KC网络电话`` over ``软件版本： 2011版``
    over ``软件大小： 5.08MB``): one of three or more short ``label: value`` lines in a row,
    each with its own label. A headline with a colon does not stand in such a run."""
    if _field_label(lines[i]) is None:
        return False
    run = [i]
    for step in (-1, 1):
        j = i
        while len(run) < 3:
            j = (
                _prev_nonblank(lines, j - 1)
                if step < 0
                else next(iter(_next_nonblank(lines, j + 1, len(lines), 1)), None)
            )
            if j is None or _field_label(lines[j]) is None:
                break
            run.append(j)
    labels = {_field_label(lines[j]) for j in run}
    return len(run) >= 3 and len(labels) == len(run)


_DAY_STAMP = re.compile(r"\s\(?\d{1,2}[/.]\d{1,2}\.?\)?\Z")


def _dated_item(lines: list[_Line], i: int) -> bool:
    """Line ``i`` is an item of a list stamped with days (``Αποσύρει δυνάμεις από την
    Ευρώπη 14/1`` over ``Λαθρεμπόριο όπλων … 14/1``): it ends in a day and month, as the
    line above or below it does."""
    if not _DAY_STAMP.search(lines[i].text):
        return False
    near = [_prev_nonblank(lines, i - 1), *_next_nonblank(lines, i + 1, len(lines), 1)]
    return any(j is not None and _DAY_STAMP.search(lines[j].text) for j in near)


def _never_headline(text: str) -> bool:
    """Shapes no headline has: a tool bar (``【推荐】【打印】【关闭】``), tags or a menu on
    one line (five items or more, none over three words), a reporter's byline in Chinese
    (``新华网黑龙江频道 记者 伊琳 李清芬``), a name and its outlet (``Sarah Hauer |
    Milwaukee Journal Sentinel``), a link trail (``The Numbers Guy HOME PAGE »``) and a
    widget's reading (``СЕЙЧАС В КИЕВЕ: -2``), a Cyrillic or Greek menu (``Новости Афиша Дом
    Авто Работа Медпортал``), a ticker's timed item (``Wto 19:19 NSA oddalił …``), a line
    ending in a button (``News and weather for: [change]``) and a caption ending in its
    photographer after a date or a sentence (``… September 2015 (Amanda Bailly)``), a
    Chinese label over a row of short links (``全球股市行情： 代码查询 使用说明``)."""
    if text.count(_TOOL_MARK) >= 3:
        return True
    items = [item for item in _ITEM_SEPARATOR.split(text) if item]
    if len(items) >= 5 and all(len(item.split()) <= 3 for item in items):
        return True
    words = text.split()
    capitals = sum(w[0].isupper() for w in words)
    if len(words) >= 6 and capitals >= len(words) - 1 and _CASED_SCRIPT.search(text):
        return True  # a menu: Cyrillic and Greek headlines are written in sentence case
    return bool(
        _TICKER.match(text)
        or _CREDIT_TAIL.search(text)
        or (_UNSPACED_RUN.search(text) and _CJK_LINK_ROW.fullmatch(text))
        or _UI_LINK.search(text)
        or _CJK_BYLINE.search(text)
        or _NAME_CREDIT.fullmatch(text)
        or _TRAIL_END.search(text)
        or _WIDGET_VALUE.search(text)
        or _DATE_ONLY.fullmatch(text.strip())
        or _LABELLED_DATE.search(text)
        or _COUNT_LABEL.fullmatch(text.strip())
        or text.lstrip().startswith(("分享到", "分享至"))
        or _CJK_MENU.fullmatch(text.strip())
        or _repeats_itself(text)
        or _ICON_GLYPH.search(text)
        or _DESK_NAME.fullmatch(text.strip())
        or _UI_PHRASE.match(text.strip())
        or len(_GLUED_LINK.findall(re.sub(r"[#@]\w+", "", text))) >= 2  # not #CookForJulia
    )


_DESK_NAME = re.compile(
    r"(?:[\w.'’&-]+\s+){0,2}(?:news|sports?|world|business|politics|opinion)", re.IGNORECASE
)
"""A desk's name in at most three words (``U.S. news``, ``National Sports``): a section."""
_ICON_GLYPH = re.compile("[\ue000-\uf8ff]")
"""A character of an icon font (Unicode's private use area): a button's, never a headline's."""


def _repeats_itself(text: str) -> bool:
    """Two or more words said twice in a row (``Most Beautiful Design Most Beautiful Design
    Café …``, ``half-minute hero half-minute hero 2``): a card's label and its link, or tags,
    run together; a headline says a thing once."""
    words = text.lower().split()
    return any(
        words[i : i + n] == words[i + n : i + 2 * n]
        for n in range(2, len(words) // 2 + 1)
        for i in range(len(words) - 2 * n + 1)
    )


def _tokens(low: str) -> set[str]:
    """Words of three letters or more, and pairs of Chinese or Japanese characters."""
    out = set(_TOKEN.findall(low))
    for run in _UNSPACED_RUN.findall(low):
        out.update(run[k : k + 2] for k in range(len(run) - 1))
        out.discard(run)
    return out


def _overlap(line: _Line, body: set[str], inside: bool) -> tuple[float, float]:
    """How much of a candidate's words the body below uses: a headline names its story."""
    if inside:
        return 0.0, 0.0
    tokens = _tokens(line.low)
    if not tokens:
        return 0.0, 0.0
    hits = sum(t in body for t in tokens)
    return hits / len(tokens), math.log1p(hits)


def _list_neighbours(lines: list[_Line], i: int) -> float:
    """Headline-shaped lines right around ``i`` (of four): a teaser list, not one headline."""
    around = [*_next_nonblank(lines, i + 1, len(lines), 2)]
    j = i - 1
    while j >= 0 and len(around) < 4:
        if lines[j].text:
            around.append(j)
        j -= 1
    return sum(
        1.0
        for j in around
        if lines[j].kind in (SHORT, TEXT)
        and 4 <= lines[j].words <= 20
        and not _SENTENCE_END.search(lines[j].text)
    )


def _rank_titles(lines: list[_Line], start: int, counts: dict[str, int]) -> int | None:
    """The headline line by the learned title model (``_NO_MODEL`` when none is installed):
    the candidate it scores highest, if it scores it at least ``min_odds``."""
    model = pagedump_model.current("title")
    if model is None or model.names != list(TITLE_FEATURES):
        return _NO_MODEL
    candidates = title_candidates(lines, start, counts)
    if not candidates:
        return None
    labelled = [i for i, _ in candidates if _TITLE_FIELD.match(lines[i].text)]
    labelled = labelled or _named_by_comments(lines, [i for i, _ in candidates])
    if labelled:
        return min(labelled, key=lambda i: abs(start - i))  # the page names its title
    values = pagedump_model.logits(model, [row for _, row in candidates])
    order = sorted(range(len(candidates)), key=lambda n: -values[n])
    if values[order[0]] < model.settings.get("min_odds", -99.0):
        return None
    chosen = _choose_title(lines, candidates, values, order, start, model.settings)
    return _past_label(lines, candidates, values, chosen, model.settings.get("label_margin", 0.0))


_COMMENTS_ON = re.compile(
    r"\b(?:responses?|comments?|thoughts?|replies|reactions?)\s+(?:to|on)\s+"
    r"[“\"«„‘']\s*(.+?)\s*[”\"»“’']\s*\Z",
    re.IGNORECASE,
)


def _named_by_comments(lines: list[_Line], candidates: list[int]) -> list[int]:
    """The candidates a blog's comment header names (``310 Responses to “The Busy Beaver
    Frontier”``, ``17 thoughts on “…”``): the post's title, by the page's own word."""
    named = set()
    for line in lines:
        if line.text and line.words <= 40:
            found = _COMMENTS_ON.search(line.text)
            if found:
                named.add(_norm(found.group(1)))
    if not named:
        return []
    return [i for i in candidates if _norm(_title_text(lines[i])) in named]


def _choose_title(
    lines: list[_Line],
    candidates: list[tuple[int, list[float]]],
    values: list[float],
    order: list[int],
    start: int,
    settings: dict[str, float],
) -> int:
    """The position in ``candidates`` of the headline: the best-scored one, unless it is a
    standfirst whose headline (above it) scores within a margin of it.

    :param order: positions in ``candidates``, best-scored first.
    """
    best = order[0]
    if len(order) > 1:
        runner = order[1]
        margin = settings.get("pair_margin", 0.0)
        if values[best] - values[runner] < margin and _headline_over(
            lines, candidates[runner][0], candidates[best][0], start
        ):
            return runner
    indices = [i for i, _ in candidates]
    upper = _headline_above_deck(lines, indices, best, start)
    if upper is not None:
        return upper if values[best] - values[upper] < settings.get("deck_margin", 0.0) else best
    upper = _headline_past_tools(lines, indices, best, start)
    if upper is not None:
        standfirst = bool(_SENTENCE_END.search(lines[candidates[best][0]].text))
        far = settings.get("standfirst_margin" if standfirst else "far_deck_margin", 0.0)
        if values[best] - values[upper] < far:
            return upper
    return best


def _past_label(
    lines: list[_Line],
    candidates: list[tuple[int, list[float]]],
    values: list[float],
    chosen: int,
    margin: float,
) -> int:
    """The headline line: candidate ``chosen``, unless it stands right under a label that
    ends the article ("Also read", "Read next"), so it is a teaser, and a candidate above
    that label scores within ``margin`` of it (the best of those, then)."""
    line = candidates[chosen][0]
    label = _prev_nonblank(lines, line - 1)
    if label is None or lines[label].kind != END:
        return line
    above = [n for n, (i, _) in enumerate(candidates) if i < label]
    above = [n for n in above if values[chosen] - values[n] < margin]
    return candidates[max(above, key=lambda n: values[n])][0] if above else line


_DECK_REACH = 3


def _minor(line: _Line) -> bool:
    """A line that may stand between a headline and its deck: a tool, a date, a byline."""
    return (
        line.words <= 3
        or _meta_like(line)
        or line.kind in (CHROME, END)
        or bool(_NOT_HEADLINE.search(line.text))
        or _is_byline(line)
    )


def _headline_above_deck(
    lines: list[_Line], candidates: list[int], best: int, start: int
) -> int | None:
    """When candidate ``best`` is shaped like a deck (longer than the line above it, and a
    sentence, ten words or more, or under a question) and the nearest real line above it,
    past tools, dates and bylines (``_DECK_REACH`` lines at most), is a headline-shaped
    candidate (a question too): that candidate's position in ``candidates``. A deck stands
    under its headline."""
    lower = candidates[best]
    if lower >= start:
        return None
    deck = lines[lower]
    for j in _prev_nonblanks(lines, lower, _DECK_REACH):
        line = lines[j]
        if j in candidates and not _minor(line):
            shaped = deck.words > line.words and (
                deck.kind == PROSE
                or _SENTENCE_END.search(deck.text)
                or deck.words >= 10
                or line.text.rstrip().endswith("?")  # a question, then what it is about
            )
            if shaped and (_pair_headline(line) or _pair_headline(_unpunctuated(line))):
                return candidates.index(j)
            return None
    return None


_FAR_DECK_REACH = 12


def _headline_past_tools(
    lines: list[_Line], candidates: list[int], best: int, start: int
) -> int | None:
    """When candidate ``best`` is shaped like a deck (as for ``_headline_above_deck``) and
    stands at most at the body's first line, and the first real line above it past any
    number of tools, dates, times and bylines (``_FAR_DECK_REACH`` lines at most) is a
    headline-shaped candidate (a question or an exclamation too, three words enough):
    that candidate's position in ``candidates``. Pages put share buttons, a comment count,
    a byline and a date between a headline and its standfirst
    (``Headline / Tweet / Comment (0) / Published on … / Standfirst.``)."""
    lower = candidates[best]
    if lower > start:
        return None
    deck = lines[lower]
    for j in _prev_nonblanks(lines, lower, _FAR_DECK_REACH):
        line = lines[j]
        if line.words <= 6 and _CLOCK_OR_DAY.search(line.text):
            continue
        short_headline = line.words <= 3 and _pair_headline(line) and not _meta_like(line)
        if not short_headline and _minor(line):
            continue
        headline = _pair_headline(line) or _pair_headline(_unpunctuated(line))
        shaped = deck.words > line.words and (
            deck.kind == PROSE or _SENTENCE_END.search(deck.text) or deck.words >= 10
        )
        if j in candidates and shaped and headline and not line.text.islower():
            return candidates.index(j)
        return None
    return None


def _unpunctuated(line: _Line) -> _Line:
    """The line without a closing question or exclamation mark (a headline may ask)."""
    text = line.text.rstrip().rstrip("?!").rstrip()
    return replace(line, text=text) if text != line.text else line


def _headline_over(lines: list[_Line], upper: int, lower: int, start: int) -> bool:
    """Line ``upper`` stands right above ``lower`` (no line between), above the body, and is
    shaped like a headline of four words or more: of a headline and the deck under it, the
    headline comes first, so a close call between the two goes to the upper one."""
    if not upper < lower < start:
        return False
    if any(lines[k].text for k in range(upper + 1, lower)):
        return False
    line = lines[upper]
    return _title_words(line) >= 4 and _pair_headline(line)


def _next_nonblank(lines: list[_Line], i: int, stop: int, count: int) -> list[int]:
    out: list[int] = []
    while i < stop and len(out) < count:
        if lines[i].text:
            out.append(i)
        i += 1
    return out


def _prev_nonblank(lines: list[_Line], i: int) -> int | None:
    while i >= 0:
        if lines[i].text:
            return i
        i -= 1
    return None


# ---------------------------------------------------------------- section pages


def _header_runs(lines: list[_Line]) -> list[tuple[int, int]]:
    """Maximal runs of short chrome/metadata lines: (first, last) line indices."""
    runs: list[tuple[int, int]] = []
    first = last = None
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if line.kind in (CHROME, META) and line.words <= 6:
            if first is None:
                first = i
            last = i
            continue
        if first is not None and last is not None:
            runs.append((first, last))
        first = last = None
    if first is not None and last is not None:
        runs.append((first, last))
    return runs


def _shape(lines: list[_Line], run: tuple[int, int]) -> tuple[str, ...]:
    """The header run as comparable tokens: chrome by its text, metadata by its type."""
    return tuple(_shape_token(lines[i]) for i in range(run[0], run[1] + 1) if lines[i].text)


def _shape_token(line: _Line) -> str:
    if line.kind == META:
        if _BYLINE.fullmatch(line.text):
            return "<byline>"
        if _age(line.text) is not None:
            return "<age>"
        if line.date:
            return "<date>"
        if _READ_TIME.search(line.text):
            return "<read-time>"
        return "<meta>"
    return _DIGITS.sub("0", line.key)


def _section_articles(lines: list[_Line]) -> list[_Article] | None:
    """Articles of a section page, or None when the page holds one article.

    A section page repeats one header shape -- ``title / Published / on`` or
    ``title / By … / date`` -- above each of several substantial bodies.
    """
    by_shape: dict[tuple[str, ...], list[tuple[int, int, int]]] = {}
    for run in _header_runs(lines):
        title = _prev_nonblank(lines, run[0] - 1)
        if title is None or not _title_like(lines[title]) or _never_headline(lines[title].text):
            continue
        shape = _shape(lines, run)
        if all(part == "<age>" for part in shape):
            continue  # "2 hours ago" between title and text: a teaser or a comment
        if not any(
            lines[i].kind == META or _HEADER_LINE.fullmatch(lines[i].key)
            for i in range(run[0], run[1] + 1)
        ):
            continue
        by_shape.setdefault(shape, []).append((title, run[0], run[1] + 1))
    best: list[_Article] = []
    for headers in by_shape.values():
        if len(headers) < 2:
            continue
        articles: list[_Article] = []
        for n, (title, _, body_start) in enumerate(headers):
            limit = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
            section = _prev_nonblank(lines, title - 1)
            if section is not None and not _section_like(lines[section]):
                section = None
            if n + 1 < len(headers):
                above = _prev_nonblank(lines, limit - 1)
                if above is not None and _section_like(lines[above]):
                    limit = above
            end, dropped = _refine(lines, body_start, limit)
            end = _trim_tail(lines, body_start, end)
            prose = sum(lines[i].words for i in range(body_start, end) if lines[i].kind == PROSE)
            if prose >= _MIN_SECTION_WORDS:
                articles.append(_Article(body_start, end, title, section, dropped=dropped))
        titles = {lines[a.title].key for a in articles if a.title is not None}
        # Each article of a section page has its own headline; one "title" repeating
        # ("Re: (Score:3)", "Rating: 0") heads the comments or teasers of one article.
        distinct = len(titles) >= 0.8 * len(articles)
        if len(titles) >= 2 and distinct and len(articles) > len(best):
            best = articles
    return best or None


def _trim_tail(lines: list[_Line], start: int, end: int) -> int:
    """Drop trailing lines after the last prose paragraph that are not sentences."""
    while end > start and (not lines[end - 1].text or lines[end - 1].kind not in (PROSE, TEXT)):
        end -= 1
    return end


def _section_text(line: _Line) -> str:
    """A section label without the trail mark before it (``> Cricket``: Cricket)."""
    return line.text.lstrip("›> ").strip() or line.text


def _section_like(line: _Line) -> bool:
    """A short label that can name a section (``Science``, ``World News``)."""
    return (
        bool(_LETTER.search(line.text))  # ``834``: a count of likes, not a section
        and line.words <= 4
        and len(line.text) <= 40
        and line.kind in (SHORT, CHROME, TEXT)
        and not _TERMINAL.fullmatch(line.key)
        and not _NOT_SECTION.fullmatch(line.key)
        and not _NAME_LINE.fullmatch(line.text)
        # a tool (``Print this``), a question or a link to the previous post
        and not _NOT_HEADLINE.search(line.text)
        and not _SENTENCE_END.search(line.text.rstrip(":"))
        and not line.text.startswith(("«", "»", "‹", "<"))
    )


# ---------------------------------------------------------------- teasers


@dataclass(slots=True)
class _Teaser:
    section: str | None
    title: str
    snippet: str
    lines: tuple[int, ...]


def _teasers(lines: list[_Line]) -> list[_Teaser]:
    """Teaser entries: ``section+age`` line, title line, first-sentence snippet."""
    found: list[_Teaser] = []
    n = len(lines)
    for i, line in enumerate(lines):
        if not line.text or line.words > 10:
            continue
        label = _age(line.text)
        if label is None:
            continue
        nxt = _next_nonblank(lines, i + 1, n, 2)
        if len(nxt) < 2:
            continue
        title, snippet = lines[nxt[0]], lines[nxt[1]]
        if not _title_like(title) or not (
            _TRUNCATED.search(snippet.text) or snippet.kind in (PROSE, TEXT)
        ):
            continue
        section = label.strip(" -–—|·•") or None
        found.append(_Teaser(section, title.text, snippet.text, (i, nxt[0], nxt[1])))
    return found if len(found) >= 2 else []


# ---------------------------------------------------------------- metadata


_NAME_CUT = re.compile(r"\s(?:[|•·/]|[-–—]\s)|,\s|\s(?:on|updated|posted|published)\b")


def _clean_name(name: str) -> str | None:
    for pattern in _DATE_PATTERNS:
        name = pattern.split(name, maxsplit=1)[0]
    name = _NAME_CUT.split(name, maxsplit=1)[0]
    name = name.strip(" ,;:|-–—").removeprefix("@")
    match = _BYLINE.fullmatch(name)
    if match:
        name = match.group("name")
    words = name.split()
    if not 1 <= len(words) <= 6 or not any(w[:1].isupper() for w in words):
        return None
    return name


def _author_bio(lines: list[_Line], indices: list[int]) -> tuple[int, str] | None:
    """A bio paragraph closing the body (``Jane Doe, Ph.D., is a professor of …``).

    A long bio only counts as the last prose lines; a short one in the body's second
    half counts wherever it is, since what follows a bio is the page, not the article.
    """
    prose = [i for i in indices if lines[i].kind == PROSE]
    for n, i in enumerate(prose):
        line = lines[i]
        last = n >= len(prose) - 2
        if not last and (n < len(prose) // 2 or line.words > _SHORT_BIO_WORDS):
            continue
        match = _BIO.match(line.text)
        if match and _BIO_WORDS.search(line.text) and line.words <= 150:
            return i, match.group("name")
    return None


def _find_author(lines: list[_Line], top: int, start: int, end: int) -> str | None:
    """The byline between the headline and the body, if the text gives one."""
    for i in range(max(0, top), start):
        line = lines[i]
        if not line.text or line.words > 16:
            continue
        match = _BYLINE.fullmatch(line.text)
        if not match and line.kind == META:
            match = _INLINE_BYLINE.search(line.text)
        if match:
            name = _clean_name(match.group("name"))
            if name:
                return name
    for i in range(max(0, top), start):
        line = lines[i]
        if line.kind != META:
            continue
        # "Name - Nov 19, 2019": a name ahead of the date on one line.
        if line.date and "-" in line.text:
            head = re.split(r"[-–—|]", line.text, maxsplit=1)[0]
            name = _clean_name(head)
            if name and name != line.text and not _SENTENCE_END.search(name):
                return name
        # A bare name on the line next to a date line.
        for j in (_prev_nonblank(lines, i - 1), *_next_nonblank(lines, i + 1, start, 1)):
            if (
                j is not None
                and j >= top
                and lines[j].kind == SHORT
                and _NAME_LINE.fullmatch(lines[j].text)
            ):
                return _clean_name(lines[j].text)
    return None


def _find_published(lines: list[_Line], top: int, start: int) -> str | None:
    for i in range(max(0, top), start):
        if lines[i].date and lines[i].kind in (META, SHORT, CHROME):
            return lines[i].date
    return None


def _site_name(lines: list[_Line]) -> str | None:
    for line in reversed(lines[-80:]):
        if not line.text or len(line.text) > 160:
            continue
        if "©" in line.text or "copyright" in line.low:
            match = _COPYRIGHT.search(line.text)
            if match:
                name = match.group("name").strip(" ,.-–")
                name = re.sub(r"^(?:copyright|©)\s*", "", name, flags=re.IGNORECASE).strip()
                name = re.sub(r"^(?:19|20)\d\d\s*", "", name).strip(" ,.-–")
                name = re.sub(r"\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\Z", "", name)
                if (
                    name
                    and not name.lower().startswith(("all rights", "by "))
                    and len(name.split()) <= 6
                ):
                    return name
    return None


# ---------------------------------------------------------------- markdown


def _paragraphs(lines: list[_Line], indices: list[int], layout_blocks: bool) -> str:
    paragraphs: list[str] = []
    previous_block = None
    for i in indices:
        line = lines[i]
        text = escape_markdown(line.text)
        if layout_blocks and previous_block == line.block and paragraphs:
            paragraphs[-1] += "\\\n" + text
        else:
            paragraphs.append(text)
        previous_block = line.block
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


def _looks_blocks(lines: list[_Line]) -> bool:
    """True when a blank line separates (nearly) every block, as in a blocks dump."""
    pairs = blanks = 0
    previous = None
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if previous is not None:
            pairs += 1
            blanks += i - previous > 1
        previous = i
    return pairs > 0 and blanks >= 0.7 * pairs


# ---------------------------------------------------------------- importer


class PageDumpImporter:
    """Imports a page dump: the articles of a saved page, plus its teasers as excerpts."""

    name = "page-dump"
    suffixes = (".txt",)
    media_types = ()

    def detect(self, source: Source) -> float:
        """Confidence that ``source`` is a page dump, judged from its content."""
        try:
            head = source.text[:16384]
        except ImportFailure:
            return 0.0
        if not head.strip() or _HTML.search(head[:4096]):
            return 0.0
        stripped = head.lstrip()
        if stripped.startswith(("---\n", "+++\n", "{", "[")):
            return 0.05
        lines = [_SPACES.sub(" ", x).strip() for x in head.split("\n")]
        lines = [x for x in lines if x]
        if len(lines) < 6:
            return 0.1
        md_hits = len(_MD_SYNTAX.findall(head))
        if md_hits >= 3 or md_hits > len(lines) * 0.05:
            return 0.1
        short = sum(1 for x in lines if len(_WORD.findall(x)) <= 4)
        chrome = sum(1 for x in lines if _CHROME.fullmatch(x.lower()) or _boilerplate(x.lower()))
        long = sum(1 for x in lines if len(_WORD.findall(x)) >= 20)
        short_ratio = short / len(lines)
        score = 0.25 + 0.5 * min(1.0, short_ratio / 0.4) + 0.25 * min(1.0, chrome / 5)
        if long == 0:
            score -= 0.2
        return max(0.0, min(0.95, score))

    def parse(self, source: Source) -> list[ArticleDraft]:
        """Split the dump into article and excerpt drafts; raise ImportFailure if none."""
        lines, counts, teasers, teaser_lines = prepare(source.text)
        layout_blocks = _looks_blocks(lines)
        odds = _apply_model(lines, counts)
        articles = _believed(lines, _section_articles(lines), odds)
        if articles is None:
            article = _main_article(lines, counts)
            articles = [article] if article else []
        site = _site_name(lines)
        model = pagedump_model.current()
        odds_floor = model.settings.get("drop_below", -99.0) if model else -99.0
        drafts: list[ArticleDraft] = []
        for art in articles:
            indices = [
                i
                for i in range(art.start, art.end)
                if lines[i].text
                and lines[i].kind not in (CHROME, END, TERMINAL)
                and i not in teaser_lines
                and i not in art.dropped
                and (odds is None or odds[i] >= odds_floor)
            ]
            bio = _author_bio(lines, indices) if len(indices) > 2 else None
            if bio:
                indices = [i for i in indices if i < bio[0]]
            if not indices:
                continue
            body = _paragraphs(lines, indices, layout_blocks)
            top = (art.title if art.title is not None else art.start) - 1
            title = (
                _title_text(lines[art.title])
                if art.title is not None
                else _fallback_title(lines, indices)
            )
            drafts.append(
                ArticleDraft(
                    title=title,
                    body_markdown=body,
                    author=_find_author(lines, top, art.start, art.end) or (bio and bio[1]),
                    source=site,
                    section=_section_text(lines[art.section]) if art.section is not None else None,
                    published=_find_published(lines, top, art.start),
                    kind="article",
                    origin=source.name,
                )
            )
        for teaser in teasers:
            drafts.append(
                ArticleDraft(
                    title=teaser.title,
                    body_markdown=escape_markdown(teaser.snippet) + "\n",
                    source=site,
                    section=teaser.section,
                    kind="excerpt",
                    origin=source.name,
                )
            )
        if not any(d.kind == "article" for d in drafts):
            raise ImportFailure("no article found in this page")
        return drafts


def prepare(text: str) -> tuple[list[_Line], dict[str, int], list[_Teaser], set[int]]:
    """Lines of a dump classified and weighed by the rules, with the page's line counts
    and its teasers (whose lines weigh as short lines)."""
    lines = _split(text)
    _classify(lines)
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            counts[line.low] = counts.get(line.low, 0) + 1
    teasers = _teasers(lines)
    teaser_lines = {i for t in teasers for i in t.lines}
    for i in teaser_lines:
        lines[i].weight = min(lines[i].weight, _W_SHORT)
    return lines, counts, teasers, teaser_lines


def _believed(
    lines: list[_Line], articles: list[_Article] | None, odds: list[float] | None
) -> list[_Article] | None:
    """The articles of a section page the block model believes in (mean odds of their
    words at least ``section_odds``); None, so the page is read as one article, when fewer
    than two are left: comment threads and teaser lists repeat a header shape too."""
    model = pagedump_model.current()
    if articles is None or odds is None or model is None:
        return articles
    least = model.settings.get("section_odds", -99.0)
    kept = []
    for art in articles:
        words = [(lines[i].words, odds[i]) for i in range(art.start, art.end) if lines[i].text]
        total = sum(w for w, _ in words)
        if total and sum(w * z for w, z in words) / total >= least:
            kept.append(art)
    return kept if len(kept) >= 2 else None


def _apply_model(lines: list[_Line], counts: dict[str, int]) -> list[float] | None:
    """Reweigh the lines by the block model's log-odds; returns them per line (blank lines
    get 0), or None when no model is installed.

    The rules' weight of a line gains (or loses) its words, capped, times
    ``mix * tanh(odds / 2)``: dense runs of lines the model believes in win the region
    search, and a prose-like sidebar or comment thread the model doubts loses it.
    """
    model = pagedump_model.current()
    if model is None:
        return None
    rows = pagedump_model.features(lines, counts)
    values = pagedump_model.logits(model, rows)
    mix = model.settings.get("mix", 1.0)
    cap = model.settings.get("cap", float(_PROSE_CAP))
    floor = model.settings.get("min_size", 3.0)
    odds = [0.0] * len(lines)
    it = iter(values)
    for i, line in enumerate(lines):
        if not line.text:
            continue
        value = next(it)
        odds[i] = value
        if line.kind in (END, TERMINAL):
            continue  # the markers that end an article keep their weight: hard limits
        if line.listed and value < 0:
            continue  # an announced numbered list carries the body, however short its items
        size = max(min(float(line.words), cap), floor)
        line.weight += mix * size * math.tanh(value / 2.0)
    _mark_announced(lines, counts, odds)
    return odds


def _fallback_title(lines: list[_Line], indices: list[int]) -> str:
    words = lines[indices[0]].text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


_MIN_ARTICLE_SCORE = 40.0
EARLIER_SHARE = 0.4
"""A region before the densest one that scores this share of it is the article."""
_SHORT_BIO_WORDS = 40
_BEFORE_COMMENTS_SHARE = 0.25
"""A region before the comments wins if it scores at least this share of the best."""
_MIN_SECTION_WORDS = 60


def _main_article(lines: list[_Line], counts: dict[str, int]) -> _Article | None:
    """The single article of a page: the densest prose region, trimmed of its header."""
    score, start, end = _best_region(lines, 0, len(lines))
    # Comments follow the article: prose under a comments heading is not the article
    # when a substantial region stands before that heading.
    # A comments link can also stand above the article (``Add your view``): each comments
    # heading before the region is tried in turn, the first one first.
    terminals = [i for i, line in enumerate(lines[:start]) if line.kind == TERMINAL]
    for terminal in terminals:
        before = _best_region(lines, 0, terminal)
        paragraphs = sum(1 for line in lines[before[1] : before[2]] if line.weight > 0)
        if paragraphs >= 3 and before[0] >= max(_MIN_ARTICLE_SCORE, _BEFORE_COMMENTS_SHARE * score):
            score, start, end = before
            break
    # The article comes before the teasers, comment threads and link lists that follow
    # it: an earlier region of at least EARLIER_SHARE of the densest one is the article.
    for region in _regions(lines[:start], _MIN_ARTICLE_SCORE):
        if region[0] >= EARLIER_SHARE * score:
            score, start, end = region
            break
    model = pagedump_model.current()
    least = model.settings.get("min_score", _MIN_ARTICLE_SCORE) if model else _MIN_ARTICLE_SCORE
    if score < least:
        return None
    start = _trim_header(lines, start, end)
    end, dropped = _refine(lines, start, end)
    title = _rank_titles(lines, start, counts)
    if title is _NO_MODEL:
        title = _find_title(lines, start, counts)
    section = _prev_nonblank(lines, title - 1) if title is not None else None
    if section is not None and not _section_like(lines[section]):
        section = None
    return _Article(start, end, title, section, dropped=dropped)
