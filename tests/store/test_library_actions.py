"""Library actions (issue 16): read/unread by hand, archive, counts by kind, finding a row."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.library import Library, LibraryError
from tests.conftest import draft


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """Five entries: three dated articles, one undated article, one excerpt."""
    lib = Library(tmp_path / "lib.db")
    lib.store(
        [
            draft("Old", "Old body.", published="2020-01-01"),
            draft("Middle", "Middle body.", published="2022-06-01"),
            draft("New", "New body.", published="2024-03-01"),
            draft("Undated", "No date at all."),
            draft("Quote", "A quoted line.", published="2023-01-01", kind="excerpt"),
        ]
    )
    yield lib
    lib.close()


def titles(library: Library, **filters: object) -> list[str]:
    return [s.title for s in library.summaries(**filters)]  # type: ignore[arg-type]


def test_mark_read_and_unread_by_hand(library: Library) -> None:
    old = 1
    library.mark_read(old)
    assert library.position(old).finished  # type: ignore[union-attr]
    assert "Old" not in titles(library, unread=True)
    summary = next(s for s in library.summaries() if s.id == old)
    assert summary.progress == 1.0
    library.mark_read(old, False)
    position = library.position(old)
    assert position is not None and not position.finished
    assert position.progress == 0 and position.paragraph == 0
    assert "Old" in titles(library, unread=True)


def test_unread_keeps_a_half_read_place(library: Library) -> None:
    library.save_position(2, 7, 30, 0.5)
    library.mark_read(2, False)
    position = library.position(2)
    assert position is not None and position.paragraph == 7 and not position.finished


def test_actions_on_a_missing_article_say_so(library: Library) -> None:
    with pytest.raises(LibraryError, match="no article 99"):
        library.mark_read(99)
    with pytest.raises(LibraryError, match="no article 99"):
        library.archive(99)


def test_archived_leave_the_default_list_and_a_filter_shows_them(library: Library) -> None:
    library.archive(2)
    assert library.is_archived(2)
    assert "Middle" not in titles(library)
    assert library.count() == 4
    assert titles(library, archived=True) == ["Middle"]
    assert library.count(archived=True) == 1
    assert len(titles(library, archived=None)) == 5
    assert library.kind_counts() == {"article": 3, "excerpt": 1}
    assert [s.archived for s in library.summaries(archived=True)] == [True]
    library.archive(2, False)
    assert not library.is_archived(2)
    assert "Middle" in titles(library)


def test_search_finds_archived_and_is_archived_narrows(library: Library) -> None:
    library.archive(2)
    found = {hit.id for hit in library.search_results("body").hits}
    assert 2 in found
    assert [hit.id for hit in library.search_results("body is:archived").hits] == [2]
    assert 2 not in {hit.id for hit in library.search_results("body -is:archived").hits}


def test_kind_counts_count_articles_and_excerpts_apart(library: Library) -> None:
    assert library.kind_counts() == {"article": 4, "excerpt": 1}
    assert library.kind_counts(kind="excerpt") == {"article": 0, "excerpt": 1}
    assert library.kind_counts(text="quote") == {"article": 0, "excerpt": 1}


@pytest.mark.parametrize("sort", ["date", "title", "source", "read", "imported"])
def test_index_of_matches_the_list_order(library: Library, sort: str) -> None:
    library.save_position(3, 0, 0, 0.2)
    library.save_position(1, 0, 0, 0.4)
    listed = [s.id for s in library.summaries(sort=sort)]  # type: ignore[arg-type]
    for row, article_id in enumerate(listed):
        assert library.index_of(article_id, sort=sort) == row  # type: ignore[arg-type]
    library.archive(listed[0])
    assert library.index_of(listed[0], sort=sort) is None  # type: ignore[arg-type]
    assert library.index_of(listed[0], sort=sort, archived=True) == 0  # type: ignore[arg-type]


def test_undated_sort_by_import_date(library: Library) -> None:
    # Imported now, so by "published, else imported" the undated one comes first.
    assert titles(library)[:2] == ["Undated", "New"]


def test_data_version_moves_when_another_connection_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Library(path) as reader, Library(path) as writer:
        before = reader.data_version()
        reader.set_setting("own", "write")  # its own writes do not count
        assert reader.data_version() == before
        writer.store([draft("From elsewhere", "Imported by another process.")])
        assert reader.data_version() != before


@pytest.mark.parametrize("sort", ["date", "title", "source"])
def test_index_of_by_count_with_ties_nulls_and_filters(tmp_path: Path, sort: str) -> None:
    """The counting path of index_of agrees with the list on equal dates, equal titles
    in other cases, articles without a source, and every filter."""
    with Library(tmp_path / "ties.db") as library:
        drafts = []
        for n in range(24):
            drafts.append(
                draft(
                    ["apple", "Apple", "banana", "APPLE"][n % 4] + f" {n // 8}",
                    f"Body {n} text.",
                    published=["2021-01-01", "2022-02-02", None][n % 3],
                    source=[None, "Site A", "site a", "Site B"][n % 4],
                    kind="excerpt" if n % 5 == 0 else "article",
                )
            )
        library.store(drafts)
        ids = [s.id for s in library.summaries(limit=100)]
        library.archive(ids[3])
        library.archive(ids[10])
        library.mark_read(ids[5])
        cases: list[dict[str, object]] = [
            {},
            {"archived": True},
            {"archived": None},
            {"kind": "excerpt"},
            {"unread": True},
            {"text": "apple"},
            {"source": "site a"},
        ]
        for filters in cases:
            listed = [s.id for s in library.summaries(sort=sort, limit=100, **filters)]  # type: ignore[arg-type]
            assert listed, filters
            for row, article_id in enumerate(listed):
                assert library.index_of(article_id, sort=sort, **filters) == row, (filters, row)  # type: ignore[arg-type]
            for article_id in set(ids) - set(listed):
                assert library.index_of(article_id, sort=sort, **filters) is None  # type: ignore[arg-type]
