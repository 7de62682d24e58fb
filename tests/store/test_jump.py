"""The quick jump matcher: what it finds, in what order, what it highlights."""

from __future__ import annotations

import random

import pytest

from store.jump import (
    JumpIndex,
    JumpItem,
    article_text,
    fuzzy_positions,
    note_text,
    subsequence_positions,
)
from store.library import Library
from store.models import ArticleDraft

ARTICLES = [
    ("Taliban retake Kabul", "Northern Ledger", "World", ["news"]),
    ("Harbour budget approved", "Harbour Review", "Local", []),
    ("The Taliban's return", "Meridian Post", "World", []),
    ("Coffee notes", "Daily Bean", "Food", ["food"]),
    ("Zebra crossings explained", "City Desk", "Urban", []),
]


@pytest.fixture
def index() -> JumpIndex:
    items = []
    for n, (title, source, section, tags) in enumerate(ARTICLES, start=1):
        text, end = article_text(title, source, section, tags)
        items.append(JumpItem(n, "article", text, end))
    text, end = note_text("check the airport figures again", "Taliban retake Kabul")
    items.append(JumpItem(1, "note", text, end))
    return JumpIndex(items)


def found(index: JumpIndex, query: str, limit: int = 10) -> list[tuple[int, str]]:
    return [(m.item.article_id, m.item.kind) for m in index.search(query, limit)]


def highlighted(index: JumpIndex, query: str) -> str:
    match = index.search(query, 1)[0]
    return "".join(match.item.text[p] for p in match.positions)


def test_empty_query_lists_in_static_order(index: JumpIndex) -> None:
    assert [m.item.article_id for m in index.search("", 3)] == [1, 2, 3]


def test_one_and_two_characters_use_word_starts(index: JumpIndex) -> None:
    assert found(index, "z") == [(5, "article")]
    assert found(index, "ta")[:2] == [(1, "article"), (3, "article")]
    assert (2, "article") not in found(index, "ta")  # "harbour" has no word starting "ta"


def test_title_start_ranks_first(index: JumpIndex) -> None:
    assert found(index, "taliban")[:2] == [(1, "article"), (3, "article")]
    assert highlighted(index, "tali") == "Tali"


def test_sources_sections_tags_and_notes(index: JumpIndex) -> None:
    assert found(index, "harbour review")[0] == (2, "article")
    assert found(index, "urban")[0] == (5, "article")
    assert found(index, "#food") == [(4, "article")]
    assert found(index, "airport") == [(1, "note")]


def test_fuzzy_subsequence_and_typos(index: JumpIndex) -> None:
    assert found(index, "hrbrv")[0] == (2, "article")
    assert highlighted(index, "hrbrv") == "Hrbrv"
    assert found(index, "zebar")[0] == (5, "article")
    assert found(index, "qqqq") == []


def test_narrowing_gives_the_same_answer_as_a_fresh_search(index: JumpIndex) -> None:
    typed = [index.search("taliban retake"[:k], 10) for k in range(1, 15)]
    fresh = JumpIndex(index.items).search("taliban retake", 10)
    assert [m.item for m in typed[-1]] == [m.item for m in fresh]
    # Backspacing works too (the narrowing state is dropped).
    assert found(index, "tal") == found(JumpIndex(index.items), "tal")


def test_positions_helpers() -> None:
    assert subsequence_positions("hbr", "harbour review") == (0, 3, 6)
    assert subsequence_positions("xyz", "harbour") is None
    assert fuzzy_positions("harbur", "the harbour") != ()


def test_case_folding_keeps_offsets() -> None:
    text, end = article_text("İstanbul Straße", None, None)
    index = JumpIndex([JumpItem(1, "article", text, end)])
    match = index.search("stra", 1)[0]
    assert "".join(text[p] for p in match.positions) == "Stra"


def test_from_connection_loads_tags_and_notes() -> None:
    with Library(":memory:") as library:
        (first,) = library.store([ArticleDraft("Kabul diary", "Text.", tags=["war"])])
        library.conn.execute(
            "INSERT INTO notes (article_id, article_title, body, created_at, updated_at) "
            "VALUES (?, 'Kabul diary', 'airport queue', 'now', 'now')",
            (first.id,),
        )
        index = library.jump_index()
        assert [i.kind for i in index.items] == ["article", "note"]
        assert found(index, "#war") == [(first.id, "article")]
        assert found(index, "queue") == [(first.id, "note")]


def test_many_items_stay_correct() -> None:
    rng = random.Random(3)
    syllables = ["ka", "bul", "tar", "ro", "mi", "zen", "lo", "pa", "qui", "dor"]
    items = []
    for n in range(20_000):
        title = " ".join(
            "".join(rng.choices(syllables, k=rng.randint(2, 3))) for _ in range(4)
        ).title()
        items.append(JumpItem(n, "article", title, len(title)))
    index = JumpIndex(items)
    for k in range(1, 9):
        results = index.search("kabulro"[:k], 50)
        assert len(results) <= 50
    for match in index.search("kabulro", 50):
        text = match.item.text.lower()
        assert "kabulro" in text or runs_of_words("kabulro", text.split()) or match.score < 100


def runs_of_words(chars: str, words: list[str]) -> bool:
    """Brute force: ``chars`` split into runs, each the start of a later word."""
    if not chars:
        return True
    return any(
        chars.startswith(word[:n]) and runs_of_words(chars[n:], words[j + 1 :])
        for j, word in enumerate(words)
        for n in range(1, min(len(word), len(chars)) + 1)
    )


TITLES = [
    "Taliban tame ETIM",
    "Closing of Paul's wunderkammer",
    "Clouds over Paris",
    "Table tennis rules",
    "The Taliban and the economy",
]


@pytest.fixture
def titles() -> JumpIndex:
    items = [JumpItem(n, "article", t, len(t)) for n, t in enumerate(TITLES, start=1)]
    return JumpIndex(items)


def test_initials_find_their_title(titles: JumpIndex) -> None:
    assert found(titles, "tte")[0] == (1, "article")
    assert highlighted(titles, "tte") == "TtE"


def test_abbreviation_runs_find_their_title(titles: JumpIndex) -> None:
    assert found(titles, "clopauwun")[0] == (2, "article")
    assert highlighted(titles, "clopauwun") == "CloPauwun"


def test_fewer_longer_runs_rank_first(titles: JumpIndex) -> None:
    # "tabten" is two runs in "Table tennis", three or more anywhere else.
    assert found(titles, "tabten")[0] == (4, "article")
    # A run at the title's start beats the same letters further in.
    assert found(titles, "tal")[0] == (1, "article")


def test_abbreviation_narrowing_matches_a_fresh_search(titles: JumpIndex) -> None:
    typed = [titles.search("clopauwun"[:k], 5) for k in range(1, 10)][-1]
    fresh = JumpIndex(titles.items).search("clopauwun", 5)
    assert [m.item for m in typed] == [m.item for m in fresh]
    assert [m.score for m in typed] == [m.score for m in fresh]


def test_misspelled_words_are_corrected(titles: JumpIndex) -> None:
    assert found(titles, "talbian economy")[0] == (5, "article")
    assert found(titles, "tennsi table")[0] == (4, "article")


def test_runs_brute_force_agrees_on_many_titles() -> None:
    rng = random.Random(5)
    syllables = ["ka", "bul", "tar", "ro", "mi", "zen", "lo", "pa"]
    titles = [
        " ".join("".join(rng.choices(syllables, k=2)) for _ in range(rng.randint(2, 5)))
        for _ in range(400)
    ]
    index = JumpIndex([JumpItem(n, "article", t, len(t)) for n, t in enumerate(titles)])
    for query in ("kabu", "kmz", "tarlopa", "rozl", "bkz"):
        got = {m.item.article_id for m in index._chunks(query, 1000)}
        want = {n for n, t in enumerate(titles) if runs_of_words(query, t.split())}
        assert got == want, query


def test_the_kept_index_follows_changes_but_not_reading() -> None:
    from store.library import Library
    from store.models import ArticleDraft

    with Library(":memory:") as library:
        [a] = library.store([ArticleDraft("Harbour lights", "body")])
        first = library.jump_index()
        library.save_position(a.id, 0, 0, 0.5)
        assert library.jump_index() is first  # reading changes nothing it shows
        library.add_tags(a.id, ["coast"])
        tagged = library.jump_index()
        assert tagged is not first and "coast" in tagged.items[0].text
        library.store([ArticleDraft("Harbour lights", "body", section="Towns")])
        assert library.jump_index() is not tagged
        assert [m.item.article_id for m in library.jump("towns")] == [a.id]
