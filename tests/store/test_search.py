"""Search on a small known library: ranking, the language, corrections, substrings,
related articles, history, and the plan for broad queries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store import search as search_mod
from store import vocabulary
from store.library import Library
from store.models import HIT_END, HIT_START, ArticleDraft

FILLER = "The council met on Tuesday to discuss the budget and the harbour. " * 3

DRAFTS = [
    ArticleDraft(  # 1: title match
        "Taliban retake Kabul",
        FILLER + "Fighters entered the capital overnight.",
        author="Ann Smith",
        source="Northern Ledger",
        section="World",
        published="2021-08-15",
        tags=["afghanistan", "news"],
    ),
    ArticleDraft(  # 2: body mentions only, many times
        "A week in the mountains",
        FILLER + "The Taliban were said to be near. Taliban patrols. Taliban again.",
        author="Bo Jones",
        source="Harbour Review",
        section="Travel",
        published="2021-03-02",
        tags=["travel"],
    ),
    ArticleDraft(  # 3: body mention once, a long article
        "Notes on regional politics",
        FILLER * 10 + "Islamic State Khorasan Province claimed the attack. Taliban denied it.",
        author="Ann Smith",
        source="Northern Ledger",
        section="World",
        published="2020-11-20",
    ),
    ArticleDraft(  # 4: an excerpt, no taliban
        "On coffee",
        "Coffee is brewed from roasted beans. O'Brien's café sells AT&T phones.",
        source="Daily Bean",
        section="Food",
        published="2022-01-05",
        kind="excerpt",
        tags=["food"],
    ),
    ArticleDraft(  # 5: phrase test
        "Harbour budget approved",
        FILLER + "The budget harbour plan passed; the harbour budget was large.",
        source="Harbour Review",
        section="Local",
        published="2022-06-30",
    ),
]


@pytest.fixture
def library() -> Iterator[Library]:
    """A library of the five articles above (ids 1..5)."""
    with Library(":memory:") as lib:
        lib.store(DRAFTS)
        lib.refresh_vocabulary()
        yield lib


def ids(library: Library, query: str, **options: object) -> list[int]:
    return [hit.id for hit in library.search_results(query, **options).hits]


def test_title_match_ranks_above_body_mentions(library: Library) -> None:
    assert ids(library, "taliban") == [1, 2, 3]


def test_ranking_is_exactly_bm25(library: Library) -> None:
    weights = ", ".join(str(w) for w in search_mod.WEIGHTS)
    expected = [
        row[0]
        for row in library.conn.execute(
            f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'budget' "
            f"ORDER BY bm25(articles_fts, {weights})"
        )
    ]
    assert ids(library, "budget") == expected


def test_library_search_uses_the_language(library: Library) -> None:
    assert [h.id for h in library.search("taliban -kabul")] == [2, 3]


def test_all_words_must_match(library: Library) -> None:
    assert ids(library, "taliban khorasan") == [3]


def test_phrase(library: Library) -> None:
    assert ids(library, '"harbour budget"') == [5]
    assert set(ids(library, "harbour budget")) == {1, 2, 3, 5}


def test_or_and_not(library: Library) -> None:
    assert set(ids(library, "kabul OR coffee")) == {1, 4}
    assert set(ids(library, "taliban NOT mountains")) == {1, 3}


def test_prefix(library: Library) -> None:
    assert set(ids(library, "khora*")) == {3}
    assert set(ids(library, "khora", live=True)) == {3}


def test_field_filters(library: Library) -> None:
    assert ids(library, "title:taliban") == [1]
    assert set(ids(library, "author:smith")) == {1, 3}
    assert set(ids(library, "source:harbour")) == {2, 5}
    assert set(ids(library, "section:world taliban")) == {1, 3}


def test_tag_kind_and_dates(library: Library) -> None:
    assert ids(library, "tag:afghanistan") == [1]
    assert ids(library, "tag:AFGHANISTAN") == [1]
    assert ids(library, "tag:afghanistan tag:travel") == []  # filters all apply
    assert set(ids(library, "taliban -tag:news")) == {2, 3}
    assert ids(library, "kind:excerpt") == [4]
    assert set(ids(library, "after:2021-01-01 before:2022")) == {1, 2}
    assert set(ids(library, "taliban after:2021")) == {1, 2}
    assert ids(library, "before:2020-11-21") == [3]
    assert ids(library, "before:2020-11-20") == []  # before: up to the day before
    assert ids(library, "after:2020-11-20 before:2020-11-21") == [3]  # after: from that day


def test_bookmarks_reading_and_notes(library: Library) -> None:
    conn = library.conn
    conn.execute(
        "INSERT INTO bookmarks (article_id, article_title, created_at) VALUES (2, 'x', 'now')"
    )
    conn.execute(
        "INSERT INTO notes (article_id, article_title, body, created_at, updated_at) "
        "VALUES (3, 'x', 'a note', 'now', 'now')"
    )
    library.save_position(1, 0, 0, 1.0, finished=True)
    assert ids(library, "is:bookmarked") == [2]
    assert ids(library, "has:notes") == [3]
    assert set(ids(library, "taliban is:unread")) == {2, 3}
    assert ids(library, "is:read") == [1]


def test_snippet_marks_hits(library: Library) -> None:
    hit = library.search_results("khorasan").hits[0]
    assert f"{HIT_START}Khorasan{HIT_END}" in hit.snippet
    assert hit.title == "Notes on regional politics"
    assert hit.source == "Northern Ledger" and hit.published == "2020-11-20"


def test_terms_for_the_reader(library: Library) -> None:
    results = library.search_results("khorasan provinces")
    assert results.hits
    assert "khorasan" in results.terms and "provinces" in results.terms
    assert "province" in results.terms  # the form found in the text


def test_typo_is_corrected(library: Library) -> None:
    results = library.search_results("Taliben")
    assert [h.id for h in results.hits] == [1, 2, 3]
    assert results.corrected == "taliban"
    assert results.original == "Taliben"
    assert "showing results for taliban" in results.status()
    results = library.search_results("Khorasn")
    assert [h.id for h in results.hits] == [3]
    assert results.corrected == "khorasan"


def test_correction_can_be_refused(library: Library) -> None:
    results = library.search_results("Taliben", correct=False)
    assert results.corrected is None
    assert results.hits == [] or results.substring


def test_nothing_found_falls_back_to_substrings(library: Library) -> None:
    results = library.search_results("oras")
    assert results.substring
    assert [h.id for h in results.hits] == [3]


def test_explicit_substring(library: Library) -> None:
    results = library.search_results("~t&t")
    assert [h.id for h in results.hits] == [4]
    assert f"{HIT_START}T&T{HIT_END}" in results.hits[0].snippet
    assert [h.id for h in library.search_results("~'brien").hits] == [4]
    assert [h.id for h in library.search_results("~etake").hits] == [1]  # title trigram


def test_filters_only_and_negations_only(library: Library) -> None:
    assert set(ids(library, "-taliban")) == {4, 5}
    assert ids(library, "") == []
    assert library.search_results("-taliban").plan == "filters"


@pytest.mark.parametrize(
    "text",
    ['"', "OR", "NOT", "NEAR(", "foo:bar", "-", "*", "x" * 10_000, "\x00\x1b", "title:", "~"],
)
def test_hostile_queries_answer(library: Library, text: str) -> None:
    results = library.search_results(text)
    assert isinstance(results.hits, list)
    library.search(text)


def test_broad_queries_rank_exactly(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_mod, "EXACT_LIMIT", 1)
    results = library.search_results("the")
    assert results.plan in ("impact", "impact-list")
    weights = ", ".join(str(w) for w in search_mod.WEIGHTS)
    expected = [
        row[0]
        for row in library.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'the' "
            f"ORDER BY bm25(articles_fts, {weights})"
        )
    ]
    assert [h.id for h in results.hits] == expected


def test_new_articles_reach_the_vocabulary(library: Library) -> None:
    library.store([ArticleDraft("Quokka sighting", "A quokka was seen.")])
    assert vocabulary.pending(library.conn) == 1
    results = library.search_results("quoka")
    assert results.corrected == "quokka"
    assert vocabulary.pending(library.conn) == 0


def test_vocabulary_tokens_match_the_index(library: Library) -> None:
    assert vocabulary.tokens(library.conn, "Running Zürich") == ["run", "zurich"]


def test_related(library: Library) -> None:
    related = library.related(2)
    assert 2 not in [h.id for h in related]
    assert {1, 3} & {h.id for h in related}


def test_history(library: Library) -> None:
    library.remember_search("taliban")
    library.remember_search("kabul")
    library.remember_search("taliban")
    assert library.search_history() == ["taliban", "kabul"]


def test_status_counts(library: Library) -> None:
    results = library.search_results("taliban")
    assert results.total == 3 and results.exact
    assert results.status().startswith("3 matches")


def test_misspelled_last_word_while_typing_is_corrected() -> None:
    from store.library import Library
    from store.models import ArticleDraft

    with Library(":memory:") as library:
        library.store([ArticleDraft("Searching", "How search works in the library.")])
        result = library.search_results("serch", live=True)
        assert [hit.title for hit in result.hits] == ["Searching"]
        assert result.corrected == "search" and result.original == "serch"


def test_a_neighbouring_key_beats_a_more_frequent_word_one_letter_off() -> None:
    # "glaturk": one letter too many for "glaurk" (the more frequent word), or "u"
    # hit for its neighbour "i" in "glatirk". Typists hit neighbouring keys.
    with Library(":memory:") as lib:
        drafts = [ArticleDraft(f"Glaurk {n}", "The glaurk again.") for n in range(3)]
        drafts += [ArticleDraft("Glatirk", "A glatirk.")]
        lib.store(drafts)
        lib.refresh_vocabulary()
        assert lib.search_results("glaturk").corrected == "glatirk"
        assert lib.search_results("glaurkk").corrected == "glaurk"


def test_a_correction_reads_as_the_library_writes_it() -> None:
    # "jupiter" is indexed as the stem "jupit": the message shows the written word.
    with Library(":memory:") as lib:
        lib.store(
            [
                ArticleDraft("Moons of Jupiter", "Jupiter has many moons. Jupiter is large."),
                ArticleDraft("Saturn", "Saturn has rings, and Jupiter does not."),
            ]
        )
        lib.refresh_vocabulary()
        assert vocabulary.tokens(lib.conn, "jupiter") == ["jupit"]
        results = lib.search_results("jupitor")
        assert results.corrected == "jupiter"
        assert "showing results for jupiter" in results.status()
        assert [h.id for h in results.hits] == [1, 2]


def test_written_forms_of_a_term() -> None:
    with Library(":memory:") as lib:
        lib.store(
            [
                ArticleDraft("Running late", "She runs. They were running; we run."),
                ArticleDraft("Notes", "Running again, running on."),
            ]
        )
        lib.refresh_vocabulary()
        forms = vocabulary.forms(lib.conn, "run")
        assert set(forms) == {"running", "runs", "run"}
        assert vocabulary.surface(lib.conn, "run") == "running"  # the most frequent
        assert vocabulary.surface(lib.conn, "run", near="rum") == "run"
        assert vocabulary.surface(lib.conn, "absent") is None


def test_a_swap_of_neighbours_is_one_edit() -> None:
    # "fsoaun" is one swap from "fosaun" but nearer to the frequent "foun" by ratio.
    with Library(":memory:") as lib:
        lib.store([ArticleDraft(f"Foun {n}", "foun foun") for n in range(300)])
        lib.store([ArticleDraft("Fosaun", "the fosaun")])
        lib.refresh_vocabulary()
        assert lib.search_results("fsoaun").corrected == "fosaun"


def test_window_snippets_of_broad_queries(library: Library) -> None:
    # Broad queries cut each snippet from a window around the first match.
    conn = library.conn
    found = search_mod._snippets(conn, [2, 3, 5], '"taliban"')
    assert set(found) == {2, 3}  # 5 has no Taliban: its first words stand in
    assert f"{HIT_START}Taliban{HIT_END}" in found[3] and found[3].startswith("…")
    phrase = search_mod._snippets(conn, [5], '"harbour budget"')[5]
    assert f"{HIT_START}harbour budget{HIT_END}" in phrase
    both = search_mod._snippets(conn, [3], '"council" AND "khorasan"')[3]
    assert f"{HIT_START}council{HIT_END}" in both
    prefix = search_mod._snippets(conn, [3], '"khora" *')[3]
    assert f"{HIT_START}Khorasan{HIT_END}" in prefix


def test_snippet_words_any_of() -> None:
    assert search_mod._any_word('"a AND b" AND ("c" OR "d")') == '"a AND b" OR ("c" OR "d")'


def test_hit_finder_confirms_with_the_tokenizer(library: Library) -> None:
    conn = library.conn
    finder = search_mod._HitFinder(conn, '"away"')  # indexed as the stem "awai"
    text = "They awaited it; then went away."
    assert finder.first(text) == text.index("away")
    prefix = search_mod._HitFinder(conn, '"fami" *')  # "famous" is "famou": no match
    assert prefix.first("A famous family.") == len("A famous ")
    phrase = search_mod._HitFinder(conn, '"harbour budget"')
    text = "the budget harbour plan; the harbour, budget"
    assert phrase.first(text) == text.index("harbour,")
    plain = search_mod._HitFinder(conn, '"zebra"')
    assert plain.first("no such word") is None and plain.surely_absent("no such word")
    assert not plain.surely_absent("no zébra here")  # an accent may hide a match


def _statements(library: Library, text: str) -> list[str]:
    seen: list[str] = []
    library.conn.set_trace_callback(seen.append)
    try:
        library.search_results(text)
    finally:
        library.conn.set_trace_callback(None)
    return [s for s in seen if not s.startswith("--")]  # FTS5's own statements


def test_snippets_of_a_word_in_one_pass(library: Library) -> None:
    # One statement for every hit's snippet (a seek per hit cost 12 % more at 100k),
    # the same snippets as FTS5 makes on each hit alone.
    results = library.search_results("taliban")
    assert len(results.hits) >= 3
    made = [s for s in _statements(library, "taliban") if "snippet(articles_fts" in s]
    assert len(made) == 1
    for hit in results.hits:
        alone = library.conn.execute(
            f"SELECT {search_mod._SNIPPET} FROM articles_fts "
            "WHERE articles_fts MATCH '\"taliban\"' AND rowid = ?",
            (hit.id,),
        ).fetchone()[0]
        assert hit.snippet == alone
    # A phrase of several words is still sought per hit.
    phrase = [s for s in _statements(library, '"taliban patrols"') if "snippet(articles" in s]
    assert len(phrase) == len(library.search_results('"taliban patrols"').hits)


def test_the_notes_are_asked_once_when_none_has_the_words(library: Library) -> None:
    asked = [s for s in _statements(library, "taliban") if "notes_fts MATCH" in s]
    assert len(asked) == 1


@pytest.mark.parametrize(
    "expression",
    [
        '"a" AND "b"',
        '"of the" AND "x y" AND z',
        '"say ""hi"" now" AND "b c"',
        '"unclosed AND x',
        '"a""b AND c',
        '"" AND "x"',
        "plain AND words",
        '"one" * AND "two"',
    ],
)
def test_quoted_phrases_found_as_the_pattern_finds_them(expression: str) -> None:
    import re

    parts = re.split(r'("(?:[^"]|"")*")', expression)
    expected = "".join(p if n % 2 else p.replace(" AND ", " OR ") for n, p in enumerate(parts))
    assert search_mod._any_word(expression) == expected
    found = re.findall(r'"((?:[^"]|"")*)"', expression)
    assert search_mod._has_multiword_phrase(expression) == any(" " in f.strip() for f in found)


@pytest.mark.parametrize(
    ("body", "at"),
    [
        ("Thereafter, the Market opened; after that, markets closed.", 16),
        # İ lowers to two characters: the body is searched as it is
        ("İstanbul: thereafter the market, and then Market Day.", 25),
        ("no such word here, only remarkable supermarkets", None),
    ],
)
def test_the_first_hit_is_a_whole_word_in_any_case(
    library: Library, body: str, at: int | None
) -> None:
    finder = search_mod._HitFinder(library.conn, '"market"')
    assert finder.first(body) == at
