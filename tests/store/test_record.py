"""The plain records of the search path behave as the dataclasses they replace."""

from __future__ import annotations

import pytest

from store.hits import SearchHit
from store.query import Query, Term, parse
from store.search import SearchResults


def test_equality_repr_and_replace_follow_the_fields() -> None:
    term = Term("harbour", prefix=True)
    assert term == Term("harbour", False, True, None)
    assert term != Term("harbour")
    assert term != ("harbour", False, True, None)
    assert repr(term) == "Term(text='harbour', phrase=False, prefix=True, field=None)"
    assert term.replace(prefix=False) == Term("harbour")
    assert term.prefix is True  # replace copies
    with pytest.raises(TypeError, match="no field 'prefx'"):
        term.replace(prefx=False)


def test_frozen_records_are_read_only_and_hashable() -> None:
    hit = SearchHit(1, "Harbour", None, None, "article", "", 0.5)
    with pytest.raises(AttributeError, match="read-only"):
        hit.title = "Other"  # type: ignore[misc]
    assert hit.note_id is None
    assert hash(hit) == hash(SearchHit(1, "Harbour", None, None, "article", "", 0.5))
    assert {Term("a"), Term("a"), Term("b")} == {Term("a"), Term("b")}
    noted = hit.replace(snippet="a \x02note\x03", note_id=7)
    assert (noted.snippet, noted.note_id, noted.title) == ("a \x02note\x03", 7, "Harbour")


def test_mutable_records_do_not_share_their_lists() -> None:
    first, second = Query(), Query()
    first.tags.append("work")
    assert second.tags == []
    with pytest.raises(TypeError):
        hash(first)
    results = SearchResults(first)
    assert results.hits == [] and results.plan == "empty"
    assert parse("harbour -fish tag:work") == parse("harbour -fish tag:work")
