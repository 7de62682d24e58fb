"""The vocabulary read term by term (``margin search``) answers exactly as the copy
loaded whole does: counts, prefixes, completions, substrings, typo candidates and
so whole searches."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from store import vocabulary
from store.library import Library
from store.models import ArticleDraft

LETTERS = "abcdeéfghijklmnoprstuvwyz"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.choice([2, 3, 4, 5, 6, 7, 9, 12])))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    rng = random.Random(15)
    words = [_word(rng) for _ in range(600)] + ["harbour", "harbours", "harbor", "2024", "x" * 44]
    drafts = []
    for i in range(120):
        # Zipf-like: a few words in most articles, most in a few.
        body = " ".join(
            words[min(int(rng.paretovariate(0.6)) - 1, len(words) - 1)] for _ in range(80)
        )
        drafts.append(ArticleDraft(f"{_word(rng).title()} {words[i % 40]}", body))
    with Library(tmp_path_factory.mktemp("vocab") / "v.db") as lib:
        lib.store(drafts)
        lib.refresh_vocabulary()
        yield lib


def _both(conn: object) -> tuple[vocabulary.Vocabulary, vocabulary.Vocabulary]:
    vocabulary.forget(conn)  # type: ignore[arg-type]
    vocabulary.read_by_term(False)
    whole = vocabulary.load(conn)  # type: ignore[arg-type]
    vocabulary.forget(conn)  # type: ignore[arg-type]
    vocabulary.read_by_term(True)
    try:
        lookups = vocabulary.load(conn)  # type: ignore[arg-type]
    finally:
        vocabulary.read_by_term(False)
        vocabulary.forget(conn)  # type: ignore[arg-type]
    assert isinstance(lookups, vocabulary.TermLookups)
    assert not isinstance(whole, vocabulary.TermLookups)
    return whole, lookups


def test_counts_prefixes_and_substrings_agree(library: Library) -> None:
    whole, lookups = _both(library.conn)
    assert len(whole.terms) > 300
    assert lookups.articles == whole.articles == 120
    assert lookups.current == whole.current
    probes = whole.terms[::7] + ["nosuchterm", "", "harb", "é", "zz"]
    for term in probes:
        assert lookups.df.get(term) == whole.df.get(term), term
        assert (term in lookups.df) == (term in whole.df), term
    for prefix in ["", "a", "ha", "harb", "é", "zzzz", *[t[:2] for t in whole.terms[::25]]]:
        assert lookups.prefix_df(prefix) == whole.prefix_df(prefix), prefix
        assert lookups.completions(prefix, 5) == whole.completions(prefix, 5), prefix
    for needle in ["ar", "e", "bou", "x" * 3, "qqq"]:
        assert lookups.containing(needle, 40) == whole.containing(needle, 40), needle


def test_typo_candidates_agree(library: Library) -> None:
    whole, lookups = _both(library.conn)
    rng = random.Random(7)
    typos = ["harbuor", "hrabour", "qarbour", "x" * 43, "20245"]
    for term in whole.terms[::11]:
        if len(term) >= 3:
            at = rng.randrange(len(term) - 1)
            typos.append(term[:at] + term[at + 1] + term[at] + term[at + 2 :])
            typos.append("q" + term[1:])  # the first letter wrong: the wide pool
    for word in typos:
        for cutoff in (66.0, 72.0):
            assert lookups.suggest(word, 8, cutoff) == whole.suggest(word, 8, cutoff), word


def test_whole_searches_agree(library: Library) -> None:
    queries = ["harbour", "harbuor", "har*", "~arbo", "ha", "qarbour", "title:harbour"]
    queries += [library.conn.execute("SELECT title FROM articles WHERE id = 3").fetchone()[0]]
    answers = []
    for by_term in (False, True):
        vocabulary.forget(library.conn)
        vocabulary.read_by_term(by_term)
        try:
            answers.append(
                [
                    [(h.id, h.score, h.snippet) for h in library.search_results(q).hits]
                    + [library.search_results(q).corrected]
                    for q in queries
                ]
            )
        finally:
            vocabulary.read_by_term(False)
            vocabulary.forget(library.conn)
    assert any(len(a) > 2 for a in answers[0])
    assert answers[0] == answers[1]
