"""Margin's search language, parsed into a plain structure the search builds SQL from.

What people type, as in web and mail search::

    taliban kabul            every word must match (anywhere: title, author, ..., body)
    "exact phrase"           the words next to each other, in this order
    kabul OR herat           either (binds tighter than the implicit AND)
    -word   NOT word         must not match (also -"a phrase")
    prefix*                  any word starting with ``prefix``
    title: author: source: section:   the word or phrase in that field only
    tag:name   tag:"two words"        articles with that tag
    kind:excerpt  kind:article
    after:2021-01-01  before:2022-01-01   (after from that day on, before up to the day
                                          before it; ``2021`` and ``2021-06`` too)
    is:bookmarked  is:unread  is:read  has:notes
    is:archived  -is:archived     only archived articles, or none (default: both)
    color:blue               articles with a highlight of that colour
    note:word  note:"a phrase"       articles whose notes or highlights have it
    ~part                    substring search (parts of words, names with punctuation)

Nothing a user types is an error: what the parser cannot read is searched as plain
words and reported in :attr:`Query.hints`. No text ever reaches FTS5 as syntax:
:func:`fts_expression` builds the MATCH expression from double-quoted strings only.
"""

from __future__ import annotations

from datetime import date

from .colors import COLORS
from .record import FrozenRecord, Record

MAX_QUERY_CHARS = 500
"""Longer input is cut here (with a hint): nobody types more, and it bounds the work."""
MAX_TERMS = 24
"""At most this many words and phrases are searched (with a hint)."""

FTS_FIELDS = ("title", "author", "source", "section")
FILTER_FIELDS = ("tag", "kind", "after", "before", "is", "has", "color", "note")
IS_VALUES = ("bookmarked", "unread", "read", "archived")
HAS_VALUES = ("notes",)
KIND_VALUES = ("article", "excerpt")

_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


def _field_at(text: str, i: int) -> tuple[str, int] | None:
    """``(name, end)`` of a ``name:`` written at ``i`` with no space after the colon.

    Scanned, not a regular expression: ``margin search`` never imports ``re`` (10 ms).
    """
    j = i
    while j < len(text) and text[j] in _ASCII_LETTERS:
        j += 1
    if j == i or j + 1 >= len(text) or text[j] != ":" or text[j + 1].isspace():
        return None
    return text[i:j], j + 1


def _date_parts(value: str) -> tuple[str, str, str] | None:
    """``YYYY[-MM[-DD]]`` split (month and day empty when missing), or None."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
        return None
    if any(not p or not set(p) <= _DIGITS for p in parts) or any(len(p) > 2 for p in parts[1:]):
        return None
    return parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""


class Term(FrozenRecord):
    """One searched word or phrase.

    :param text: what to match, as typed (without quotes, ``-``, ``~``, ``*``).
    :param phrase: typed in double quotes.
    :param prefix: typed with a trailing ``*`` (or the word being typed, live).
    :param field: an FTS column (``title``, ``author``, ``source``, ``section``).
    """

    __slots__ = ("text", "phrase", "prefix", "field")

    text: str
    phrase: bool
    prefix: bool
    field: str | None

    def __init__(
        self, text: str, phrase: bool = False, prefix: bool = False, field: str | None = None
    ) -> None:
        init = object.__setattr__
        init(self, "text", text)
        init(self, "phrase", phrase)
        init(self, "prefix", prefix)
        init(self, "field", field)

    def display(self) -> str:
        """The term written back in the query language."""
        body = f'"{self.text}"' if self.phrase else self.text
        body += "*" if self.prefix else ""
        return f"{self.field}:{body}" if self.field else body


Clause = tuple[Term, ...]
"""Alternatives joined by OR; a query's clauses must all match."""


class Query(Record):
    """A parsed query: what must match, what must not, and the filters.

    :param after: inclusive lower bound on ``published`` (``YYYY-MM-DD``).
    :param before: exclusive upper bound on ``published``: the first day of the period typed.
    :param unread: True: ``is:unread``; False: ``is:read``; None: either.
    :param archived: True: ``is:archived``; False: ``-is:archived``; None: either (search
        finds both).
    :param color: articles with a note or highlight of this colour (one of ``COLORS``).
    :param notes: words each found in some note or highlight of the article (``note:``).
    """

    __slots__ = (
        "text",
        "clauses",
        "negatives",
        "substrings",
        "tags",
        "exclude_tags",
        "kind",
        "after",
        "before",
        "bookmarked",
        "unread",
        "has_notes",
        "archived",
        "color",
        "notes",
        "hints",
    )

    def __init__(
        self,
        text: str = "",
        clauses: list[Clause] | None = None,
        negatives: list[Term] | None = None,
        substrings: list[str] | None = None,
        tags: list[str] | None = None,
        exclude_tags: list[str] | None = None,
        kind: str | None = None,
        after: str | None = None,
        before: str | None = None,
        bookmarked: bool = False,
        unread: bool | None = None,
        has_notes: bool = False,
        archived: bool | None = None,
        color: str | None = None,
        notes: list[str] | None = None,
        hints: list[str] | None = None,
    ) -> None:
        self.text = text
        self.clauses: list[Clause] = [] if clauses is None else clauses
        self.negatives: list[Term] = [] if negatives is None else negatives
        self.substrings: list[str] = [] if substrings is None else substrings
        self.tags: list[str] = [] if tags is None else tags
        self.exclude_tags: list[str] = [] if exclude_tags is None else exclude_tags
        self.kind = kind
        self.after = after
        self.before = before
        self.bookmarked = bookmarked
        self.unread = unread
        self.has_notes = has_notes
        self.archived = archived
        self.color = color
        self.notes: list[str] = [] if notes is None else notes
        self.hints: list[str] = [] if hints is None else hints

    @property
    def has_text(self) -> bool:
        """Whether anything is searched in the full-text index."""
        return bool(self.clauses)

    @property
    def has_filters(self) -> bool:
        """Whether any non-text filter is set."""
        return bool(
            self.tags
            or self.exclude_tags
            or self.kind
            or self.after
            or self.before
            or self.bookmarked
            or self.unread is not None
            or self.has_notes
            or self.archived is not None
            or self.color is not None
            or bool(self.notes)
        )

    @property
    def is_empty(self) -> bool:
        """Nothing to search and nothing to filter by."""
        return not (self.clauses or self.negatives or self.substrings or self.has_filters)

    def words(self) -> tuple[str, ...]:
        """The positive words and phrases, for highlighting in the reader."""
        seen: dict[str, None] = {}
        for clause in self.clauses:
            for term in clause:
                seen.setdefault(term.text, None)
        for text in self.substrings:
            seen.setdefault(text, None)
        return tuple(seen)

    def replace_term(self, old: Term, new: Term) -> Query:
        """A copy with every occurrence of ``old`` in the positive clauses replaced."""
        clauses = [tuple(new if t == old else t for t in clause) for clause in self.clauses]
        return self.replace(
            clauses=clauses,
            negatives=list(self.negatives),
            substrings=list(self.substrings),
            tags=list(self.tags),
            exclude_tags=list(self.exclude_tags),
            hints=list(self.hints),
        )

    def display(self) -> str:
        """The query written back in the language (after corrections)."""
        parts: list[str] = []
        for clause in self.clauses:
            parts.append(" OR ".join(t.display() for t in clause))
        parts.extend("-" + t.display() for t in self.negatives)
        parts.extend("~" + s for s in self.substrings)
        parts.extend(f'tag:"{t}"' if " " in t else f"tag:{t}" for t in self.tags)
        parts.extend(f'-tag:"{t}"' if " " in t else f"-tag:{t}" for t in self.exclude_tags)
        if self.kind:
            parts.append(f"kind:{self.kind}")
        if self.after:
            parts.append(f"after:{self.after}")
        if self.before:
            parts.append(f"before:{self.before}")
        if self.bookmarked:
            parts.append("is:bookmarked")
        if self.unread is not None:
            parts.append("is:unread" if self.unread else "is:read")
        if self.has_notes:
            parts.append("has:notes")
        if self.archived is not None:
            parts.append("is:archived" if self.archived else "-is:archived")
        if self.color:
            parts.append(f"color:{self.color}")
        parts.extend(f'note:"{n}"' if " " in n else f"note:{n}" for n in self.notes)
        return " ".join(parts)


def clean(text: str) -> str:
    """``text`` without control or format characters (each becomes a space)."""
    if text.isprintable():
        return text
    import unicodedata  # here: a printable query (nearly all) never loads it

    return "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else c
        for c in text
    )


def searchable(text: str) -> bool:
    """Whether ``text`` has a letter or digit the FTS tokenizer would index."""
    return any(c.isalnum() for c in text)


class _Token(Record):
    __slots__ = ("value", "quoted", "negated", "substring", "field", "prefix", "raw")

    def __init__(
        self,
        value: str,
        quoted: bool,
        negated: bool = False,
        substring: bool = False,
        field: str | None = None,
        prefix: bool = False,
        raw: str = "",
    ) -> None:
        self.value = value
        self.quoted = quoted
        self.negated = negated
        self.substring = substring
        self.field = field
        self.prefix = prefix
        self.raw = raw


def _tokens(text: str, hints: list[str]) -> list[_Token]:
    """Split the query into tokens, honouring quotes; never fails."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = substring = False
        while i < n and text[i] in "-~+" and i + 1 < n and not text[i + 1].isspace():
            if text[i] == "-":
                negated = True
            elif text[i] == "~":
                substring = True
            i += 1
        field_name = None
        match = _field_at(text, i) if i < n else None
        if match:
            field_name = match[0].lower()
            i = match[1]
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                hints.append("closing quote added")
                value, i = text[i + 1 :], n
            else:
                value, i = text[i + 1 : end], end + 1
            prefix = i < n and text[i] == "*"
            while i < n and not text[i].isspace():
                i += 1  # anything glued after the closing quote (e.g. "*") ends here
            tokens.append(
                _Token(value, True, negated, substring, field_name, prefix, text[start:i])
            )
            continue
        while i < n and not text[i].isspace():
            i += 1
        value = text[match[1] if match else start : i]
        if not match:
            value = value.lstrip("-~+") if (negated or substring) else value
        prefix = value.endswith("*")
        value = value.rstrip("*")
        tokens.append(_Token(value, False, negated, substring, field_name, prefix, text[start:i]))
    return tokens


def _day_bound(value: str) -> str | None:
    """``YYYY[-MM[-DD]]`` as the first day of that period (None if it is not a date)."""
    match = _date_parts(value)
    if not match:
        return None
    try:
        first = date(int(match[0]), int(match[1] or 1), int(match[2] or 1))
    except ValueError:
        return None
    return first.isoformat()


def parse(text: str, *, live: bool = False) -> Query:
    """Parse a query; never raises.

    :param text: what the user typed.
    :param live: the user is still typing: a last bare word without a space after
        it is searched as a prefix, so results follow each keystroke.
    """
    hints: list[str] = []
    text = clean(text or "")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        hints.append(f"query cut to {MAX_QUERY_CHARS} characters")
    query = Query(text=text, hints=hints)
    tokens = _tokens(text, hints)
    pending_or = False
    pending_not = False
    searched = 0

    def add_term(term: Term, token: _Token) -> None:
        nonlocal pending_or, pending_not, searched
        if searched >= MAX_TERMS:
            if f"only the first {MAX_TERMS} words are searched" not in hints:
                hints.append(f"only the first {MAX_TERMS} words are searched")
            return
        searched += 1
        if token.negated or pending_not:
            if pending_or:
                hints.append("OR next to a negation was ignored")
                pending_or = False
            query.negatives.append(term)
            pending_not = False
            return
        if pending_or and query.clauses:
            query.clauses[-1] = (*query.clauses[-1], term)
        else:
            query.clauses.append((term,))
        pending_or = False

    def as_words(token: _Token, value: str) -> None:
        """Search a token's text as plain words."""
        for word in value.split():
            if searchable(word):
                add_term(Term(word.strip("*")), token.replace(field=None, prefix=False))

    for index, token in enumerate(tokens):
        value = token.value
        if not token.quoted and token.field is None and not token.negated:
            if value == "OR" and not token.substring and not token.prefix:
                if not query.clauses or index == len(tokens) - 1 or pending_or:
                    hints.append("OR needs a word on each side")
                else:
                    pending_or = True
                continue
            if value in ("AND", "&&") and not token.prefix:
                continue
            if value == "NOT" and not token.prefix:
                if index == len(tokens) - 1:
                    hints.append("NOT needs a word after it")
                else:
                    pending_not = True
                continue
        if token.substring:
            needle = " ".join(value.split()).casefold()
            if needle.strip():
                if token.negated:
                    hints.append("~ cannot be negated; searched without it")
                query.substrings.append(needle)
            continue
        name = token.field
        if name is not None and name not in FTS_FIELDS and name not in FILTER_FIELDS:
            hints.append(f"unknown filter {name}: searched as words")
            as_words(token, f"{name} {value}")
            continue
        if name in FILTER_FIELDS:
            if token.negated and name not in ("is", "tag"):
                hints.append(f"-{name}: cannot be negated; ignored")
            elif not _apply_filter(query, name, value, token.negated):
                hints.append(f"{name}:{value} ignored: {FILTER_HELP[name]}")
            continue
        if not searchable(value):
            if value.strip() and value not in ("-", "~", "+", "*"):
                hints.append(f"{token.raw} has no letters or digits; ignored")
            elif value.strip():
                hints.append(f"lone {value} ignored")
            continue
        if token.quoted:
            add_term(Term(value.strip(), True, token.prefix, name), token)
        else:
            add_term(Term(value, False, token.prefix, name), token)
    if pending_or:
        hints.append("OR needs a word on each side")
    if live and text and not text[-1].isspace() and query.clauses:
        last = query.clauses[-1][-1]
        raw_last = tokens[-1] if tokens else None
        if (
            raw_last is not None
            and not raw_last.quoted
            and not raw_last.negated
            and not raw_last.substring
            and raw_last.field in (None, *FTS_FIELDS)
            and not last.phrase
        ):
            query.clauses[-1] = (*query.clauses[-1][:-1], last.replace(prefix=True))
    return query


FILTER_HELP = {
    "tag": "give a tag name",
    "kind": "use kind:article or kind:excerpt",
    "after": "use a date such as 2021, 2021-06 or 2021-06-30",
    "before": "use a date such as 2021, 2021-06 or 2021-06-30",
    "is": "use is:unread, is:read or is:bookmarked",
    "has": "use has:notes",
    "color": f"use one of {', '.join(COLORS)}",
    "note": "give a word to find in notes",
}
"""What to type instead, for each filter whose value makes no sense."""


def _apply_filter(query: Query, name: str, value: str, negated: bool) -> bool:
    """Set a non-text filter on ``query``; False when the value makes no sense."""
    value = value.strip()
    if not value or (negated and name not in ("is", "tag")):
        return False
    low = value.casefold()
    if name == "tag":
        (query.exclude_tags if negated else query.tags).append(" ".join(value.split()))
    elif name == "kind":
        if low not in KIND_VALUES:
            return False
        query.kind = low
    elif name == "after":
        bound = _day_bound(value)
        if bound is None:
            return False
        query.after = bound
    elif name == "before":
        bound = _day_bound(value)
        if bound is None:
            return False
        query.before = bound
    elif name == "is":
        if low == "bookmarked" and not negated:
            query.bookmarked = True
        elif low in ("unread", "read"):
            query.unread = (low == "unread") != negated
        elif low == "archived":
            query.archived = not negated
        else:
            return False
    elif name == "has":
        if low not in HAS_VALUES or negated:
            return False
        query.has_notes = True
    elif name == "color":
        if low not in COLORS or negated:
            return False
        query.color = low
    elif name == "note":
        if negated or not any(c.isalnum() or c == "_" for c in value):
            return False
        query.notes.append(" ".join(value.split()))
    return True


def quote(text: str) -> str:
    """``text`` as an FTS5 string: double quotes doubled, the whole in quotes."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term, *, column: bool = True) -> str:
    """One term as an FTS5 phrase, with its column filter and prefix star."""
    expression = quote(term.text) + (" *" if term.prefix else "")
    if term.field and column:
        expression = f"{{{term.field}}} : {expression}"
    return expression


def clause_expression(clause: Clause) -> str:
    """A clause's alternatives joined by OR."""
    if len(clause) == 1:
        return term_expression(clause[0])
    return "(" + " OR ".join(term_expression(t) for t in clause) + ")"


def fts_expression(query: Query) -> str | None:
    """The FTS5 MATCH expression of the positive clauses and negations, or None."""
    if not query.clauses:
        return None
    expression = " AND ".join(clause_expression(c) for c in query.clauses)
    if query.negatives:
        expression = (
            f"({expression}) NOT (" + " OR ".join(term_expression(t) for t in query.negatives) + ")"
        )
    return expression


def negatives_expression(query: Query) -> str | None:
    """The negated terms as one OR expression (for queries with no positive word)."""
    if not query.negatives:
        return None
    return " OR ".join(term_expression(t) for t in query.negatives)
