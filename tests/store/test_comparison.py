"""Known-answer tests of store.comparison."""

from __future__ import annotations

from store.comparison import compare_texts, split_sentences

ARTICLE = (
    "The city council met on Tuesday to vote on the new bridge. "
    "Mayor Ana Ortiz said the project would cost 40 million dollars. "
    "Residents of the east side have waited ten years for a crossing.\n\n"
    "Opponents argued that the money should go to schools instead. "
    "The vote passed by seven to two after a long debate. "
    "Construction is expected to begin next spring."
)
EDITED = (
    "The city council met on Tuesday to vote on the new bridge. "
    "Mayor Ana Ortiz said the project would cost 45 million dollars. "
    "Residents of the east side have waited ten years for a crossing.\n\n"
    "Opponents argued that the money should go to schools instead. "
    "The vote passed by seven to two after a long debate. "
    "Construction is expected to begin next summer, officials said."
)
UNRELATED = (
    "Penguins huddle together through the Antarctic winter. "
    "Emperor chicks hatch in July and are fed by both parents. "
    "Scientists track colonies from satellite images of guano stains."
)


def test_split_keeps_abbreviations_and_cjk_stops() -> None:
    text = "Dr. Lee met Mr. Park at 5 p.m. in the U.S. embassy. It rained.  東京は晴れ。大阪は雨。"
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == [
        "Dr. Lee met Mr. Park at 5 p.m. in the U.S. embassy.",
        "It rained.",
        "東京は晴れ。",
        "大阪は雨。",
    ]


def test_lightly_edited_version_finds_every_edit_and_nothing_else() -> None:
    result = compare_texts(ARTICLE, EDITED)
    assert result.mode == "revision"
    similar = [p for p in result.pairs if p.kind == "similar"]
    assert [ARTICLE[slice(*p.left)] for p in similar] == [
        "Mayor Ana Ortiz said the project would cost 40 million dollars.",
        "Construction is expected to begin next spring.",
    ]
    first, second = similar
    assert [(e.op, ARTICLE[slice(*e.left)], EDITED[slice(*e.right)]) for e in first.edits] == [
        ("replace", "40", "45")
    ]
    assert [(e.op, ARTICLE[slice(*e.left)], EDITED[slice(*e.right)]) for e in second.edits] == [
        ("replace", "spring", "summer, officials said")
    ]
    assert sum(p.kind == "same" for p in result.pairs) == 4
    assert result.left_only == [] and result.right_only == []


def test_reordered_sentence_is_a_move() -> None:
    sentences = [ARTICLE[s:e] for s, e in split_sentences(ARTICLE)]
    moved = " ".join(sentences[1:] + sentences[:1])
    result = compare_texts(ARTICLE, moved)
    assert result.mode == "revision"
    assert sum(p.moved for p in result.pairs) == 1
    assert result.left_only == [] and result.right_only == []


def test_article_against_itself_is_all_same() -> None:
    result = compare_texts(ARTICLE, ARTICLE)
    assert result.mode == "revision" and result.similarity == 1.0
    assert len(result.pairs) == 6
    assert all(p.kind == "same" and p.left == p.right for p in result.pairs)
    assert result.left_only == result.right_only == []
    assert result.left_terms == result.right_terms == []


def test_unrelated_articles_have_low_similarity_and_no_links() -> None:
    result = compare_texts(ARTICLE, UNRELATED)
    assert result.mode == "story"
    assert result.similarity < 0.2
    assert result.pairs == []
    assert len(result.left_only) == 6 and len(result.right_only) == 3
    assert "Mayor Ana Ortiz" in result.left_terms and "Antarctic" in result.right_terms


def test_story_mode_links_a_shared_quote_in_any_order() -> None:
    other = (
        "Penguins were not on the agenda. "
        "Opponents argued that the money should go to schools instead, one resident wrote. "
        "Mayor Ana Ortiz told reporters the project would cost 40 million dollars in all."
    )
    result = compare_texts(ARTICLE, other)
    assert result.mode == "story"
    linked = {(ARTICLE[slice(*p.left)][:8], other[slice(*p.right)][:8]) for p in result.pairs}
    assert linked == {("Mayor An", "Mayor An"), ("Opponent", "Opponent")}
    assert [other[s:e][:9] for s, e in result.right_only] == ["Penguins "]


def test_empty_side() -> None:
    result = compare_texts(ARTICLE, "")
    assert result.pairs == [] and result.right_only == []
    assert len(result.left_only) == 6 and result.similarity == 0.0
    assert compare_texts("", "").pairs == []
