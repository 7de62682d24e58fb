"""Property-based tests: arbitrary text never breaks the query parser, search or page dumps.

`--hypothesis-profile=fuzz` (see tests/conftest.py) runs many more examples.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.base import ImportFailure, Source
from importers.pagedump import PageDumpImporter
from store import query
from store.library import Library
from tests.conftest import draft

# Query-looking text: words, operators, filters, quotes, brackets, FTS5 syntax.
FRAGMENTS = st.sampled_from(
    [
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "-",
        "+",
        '"',
        "'",
        "(",
        ")",
        "*",
        "^",
        ":",
        "~",
        "#",
        "title:",
        "author:",
        "source:",
        "tag:",
        "is:",
        "has:",
        "before:",
        "after:",
        "note:",
        "color:",
        "bookmarked",
        "notes",
        "2021-01-01",
        "tomorrow",
        "ETIM",
        "taliban",
        "the",
        "{",
        "}",
        "[",
        "]",
        "\\",
        "\x00",
        "\u202e",
        "漢字",
        "ß",
        "İ",
        "🙂",
        " ",
        "  ",
    ]
)
QUERY_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def library() -> Iterator[Library]:
    with Library(":memory:") as lib:
        lib.store(
            [
                draft("Can the Taliban tame ETIM?", "The ETIM question, again. Taliban history."),
                draft("Gardening", "Tomatoes need sun and water."),
                draft("漢字の記事", "これは日本語の記事です。"),
            ]
        )
        yield lib


@given(QUERY_TEXT, st.booleans())
def test_parser_never_raises(text: str, live: bool) -> None:
    parsed = query.parse(text, live=live)
    query.fts_expression(parsed)
    query.negatives_expression(parsed)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(QUERY_TEXT)
def test_search_never_raises(library: Library, text: str) -> None:
    library.search(text, limit=5)
    library.search_results(text)


@settings(deadline=None)
@given(st.text(max_size=3000))
def test_page_dump_parser_is_total_and_bounded(text: str) -> None:
    started = time.perf_counter()
    try:
        PageDumpImporter().parse(Source("dump.txt", text.encode("utf-8", "surrogatepass")))
    except ImportFailure as refusal:
        assert str(refusal).strip() and "\n" not in str(refusal)  # one plain line
    assert time.perf_counter() - started < 2.0
