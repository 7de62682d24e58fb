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


# -- feeds: arbitrary text in every field of RSS, Atom and JSON Feed, and as the whole file
FEED_TEXT = st.text(max_size=200)
FEED_SHAPES = st.sampled_from(
    [
        '<?xml version="1.0"?><rss version="2.0"><channel><title>{0}</title><item>'
        "<title>{1}</title><link>https://f.example/{2}</link><description>{3}</description>"
        "</item></channel></rss>",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>{0}</title><entry><title>{1}</title><id>{2}</id>"
        '<content type="html">{3}</content></entry></feed>',
        '{{"version": "https://jsonfeed.org/version/1.1", "title": "{0}", "items": '
        '[{{"id": "{2}", "title": "{1}", "content_html": "{3}"}}]}}',
    ]
)


@settings(deadline=None)
@given(FEED_SHAPES, st.lists(FEED_TEXT, min_size=4, max_size=4), st.booleans())
def test_feed_importer_is_total_and_bounded(shape: str, parts: list[str], raw: bool) -> None:
    from importers.feed import FeedImporter

    text = "".join(parts) if raw else shape.format(*parts)
    started = time.perf_counter()
    try:
        FeedImporter().parse(Source("feed.xml", text.encode("utf-8", "surrogatepass")))
    except ImportFailure as refusal:
        assert str(refusal).strip() and "\n" not in str(refusal)
    assert time.perf_counter() - started < 2.0


# -- `margin search` itself: exit 0 (or a one-line usage error), never an SQL error
@pytest.fixture(scope="module")
def search_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("search") / "lib.db"
    with Library(path) as lib:
        lib.store(
            [
                draft("Can the Taliban tame ETIM?", "The ETIM question, again. Taliban history."),
                draft("漢字の記事", "これは日本語の記事です。", tags=["asia"]),
            ]
        )
    return str(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(QUERY_TEXT.filter(lambda t: "\x00" not in t), min_size=1, max_size=3))
def test_search_command_never_fails_on_any_query(search_db: str, words: list[str]) -> None:
    from click.testing import CliRunner

    from tui.cli import cli

    for extra in ([], ["--json"], ["--exact"]):
        result = CliRunner().invoke(cli, ["--db", search_db, "search", *extra, "--", *words])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            words,
            result.output,
        )
        assert result.exit_code == 0, (words, result.output)
        assert "syntax error" not in result.output and "fts5" not in result.output.lower()
