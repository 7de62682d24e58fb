"""The search language parser: what people type, and what they type by accident."""

from __future__ import annotations

import random
import sqlite3
import string

import pytest

from store.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Term,
    fts_expression,
    parse,
)


def test_words_must_all_match() -> None:
    query = parse("taliban kabul")
    assert query.clauses == [(Term("taliban"),), (Term("kabul"),)]
    assert fts_expression(query) == '"taliban" AND "kabul"'
    assert query.hints == []


def test_phrase_or_not_prefix() -> None:
    query = parse('"exact phrase" kabul OR herat -word NOT other pre*')
    assert query.clauses == [
        (Term("exact phrase", phrase=True),),
        (Term("kabul"), Term("herat")),
        (Term("pre", prefix=True),),
    ]
    assert query.negatives == [Term("word"), Term("other")]
    assert fts_expression(query) == (
        '("exact phrase" AND ("kabul" OR "herat") AND "pre" *) NOT ("word" OR "other")'
    )


def test_field_filters_become_column_filters() -> None:
    query = parse('title:kabul author:"ann smith" source:ledger section:world*')
    assert fts_expression(query) == (
        '{title} : "kabul" AND {author} : "ann smith" AND {source} : "ledger" '
        'AND {section} : "world" *'
    )


def test_filters() -> None:
    query = parse(
        'tag:news tag:"long reads" -tag:old kind:Excerpt after:2021-01-01 before:2021-12-31 '
        "is:bookmarked is:unread has:notes"
    )
    assert query.tags == ["news", "long reads"]
    assert query.exclude_tags == ["old"]
    assert query.kind == "excerpt"
    assert query.after == "2021-01-01"
    assert query.before == "2021-12-31"  # before that day: the 31st itself is out
    assert query.bookmarked and query.unread is True and query.has_notes
    assert not query.clauses and query.hints == []


@pytest.mark.parametrize(
    ("typed", "after", "before"),
    [
        ("after:2021 before:2022", "2021-01-01", "2022-01-01"),
        ("after:2021-06 before:2021-12", "2021-06-01", "2021-12-01"),
        ("before:2024-02-28", None, "2024-02-28"),
    ],
)
def test_partial_dates(typed: str, after: str | None, before: str) -> None:
    query = parse(typed)
    assert (query.after, query.before) == (after, before)


def test_is_read_and_negated_is() -> None:
    assert parse("is:read").unread is False
    assert parse("-is:unread").unread is False


def test_live_last_word_is_a_prefix() -> None:
    assert parse("kabul tal", live=True).clauses[-1] == (Term("tal", prefix=True),)
    assert parse("kabul tal ", live=True).clauses[-1] == (Term("tal"),)
    assert parse('"kabul tal', live=True).clauses[-1][0].prefix is False


def test_display_round_trips() -> None:
    text = 'kabul OR herat "a b" -c title:d* tag:x kind:excerpt is:unread has:notes ~e'
    assert parse(parse(text).display()).display() == parse(text).display()


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ('"unbalanced quote', "closing quote added"),
        ("OR", "OR needs a word on each side"),
        ("kabul OR", "OR needs a word on each side"),
        ("NOT", "NOT needs a word after it"),
        ("foo:bar", "unknown filter foo: searched as words"),
        ("after:yesterday", "after:yesterday ignored: use a date such as 2021, 2021-06"),
        ("is:happy", "is:happy ignored: use is:unread, is:read or is:bookmarked"),
        ("kind:video", "kind:video ignored: use kind:article or kind:excerpt"),
        ("-kind:excerpt", "-kind: cannot be negated; ignored"),
        ("-", "lone - ignored"),
        ("!!!", "!!! has no letters or digits; ignored"),
    ],
)
def test_what_cannot_be_read_gets_a_hint(typed: str, hint: str) -> None:
    assert any(h.startswith(hint) for h in parse(typed).hints), parse(typed).hints


def test_a_bad_filter_value_is_not_searched_as_words() -> None:
    query = parse("after:notadate kabul")
    assert query.after is None
    assert query.clauses == [(Term("kabul"),)]


def test_unknown_field_is_searched_as_words() -> None:
    query = parse("foo:bar")
    assert query.clauses == [(Term("foo"),), (Term("bar"),)]


def test_near_and_fts_syntax_are_just_words() -> None:
    query = parse("NEAR(a b) col:x ^start {title}")
    expression = fts_expression(query)
    assert expression is not None
    parts = expression.split(" AND ")
    assert parts == ['"NEAR(a"', '"b)"', '"col"', '"x"', '"^start"', '"{title}"']


def test_long_query_is_cut() -> None:
    query = parse("word " * 2000)
    assert f"query cut to {MAX_QUERY_CHARS} characters" in query.hints
    assert len(query.clauses) == MAX_TERMS
    assert len(parse("x" * 10_000).text) == MAX_QUERY_CHARS


def test_control_characters_are_spaces() -> None:
    query = parse("kab\x00ul\x1b[31m\u200b tal\u2028iban")
    assert [c[0].text for c in query.clauses] == ["kab", "ul", "[31m", "tal", "iban"]


def test_substring_terms() -> None:
    query = parse('~O\'Brien ~"AT&T inc" kabul')
    assert query.substrings == ["o'brien", "at&t inc"]
    assert query.clauses == [(Term("kabul"),)]


def _hostile_queries() -> list[str]:
    rng = random.Random(6)
    alphabet = string.printable + 'ÄöİſK\u200b\u2028\x00\x7f"""***---~~~:::(){}^'
    queries = [
        '"',
        '""',
        '"""',
        "*",
        "-",
        "~",
        "OR OR",
        "NOT NOT",
        "AND",
        "NEAR(",
        "NEAR(a b, 3)",
        "{title}: x",
        "title:",
        'title:"',
        "title:*",
        "-title:x",
        "a:b:c",
        "^a",
        "a OR -b",
        '"a" NOT "',
        "x" * 10_000,
        "\x00\x01\x02\x03",
        "é" * 600,
        "tag:",
        "~",
        "~~x",
        "~ab",
    ]
    words = ["title", "author", "tag", "OR", "NOT", "AND", "is", "has", "after", "kind", "x"]
    for _ in range(400):
        queries.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))
        queries.append(
            " ".join(
                rng.choice([w, w + ":", "-" + w, '"' + w, w + "*", "~" + w, "(", "NEAR("])
                for w in rng.choices(words, k=rng.randint(1, 6))
            )
        )
    return queries


def test_hostile_input_never_raises_nor_breaks_fts() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, author, source, section, body_text, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES ('a', 'b', 'c', 'd', 'the quick brown fox')")
    for text in _hostile_queries():
        for live in (False, True):
            query = parse(text, live=live)
            expression = fts_expression(query)
            if expression is not None:
                conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
