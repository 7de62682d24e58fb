"""Known-answer tests of store.comparison."""

from __future__ import annotations

from store.comparison import StoryParams, compare_texts, split_sentences

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


OUTLET_A = (
    "March 8, 2013 5:47 PM A magnitude 6.1 earthquake struck the coast of northern Chile on "
    "Friday, damaging dozens of homes in the port city of Arica. "
    "The quake hit at a depth of 40 kilometres, the US Geological Survey said.\n\n"
    '"We felt the whole building sway for almost a minute," said Maria Rojas, a shop owner '
    "in Arica. "
    "Copper prices rose on world markets amid fears of disruption at nearby mines.\n\n"
    "The region last suffered a major quake in 2007, when two people died."
)
OUTLET_B = (
    "Dozens of homes were damaged in Arica on Friday when a strong earthquake shook northern "
    "Chile. "
    "Officials said no deaths had been reported, though power was cut across the region.\n\n"
    "Schools will remain closed on Monday while engineers inspect every classroom. "
    '"We felt the whole building sway for almost a minute," shop owner Maria Rojas told '
    "local radio."
)


def _linked(left: str, right: str) -> set[tuple[str, str]]:
    result = compare_texts(left, right)
    return {(left[slice(*p.left)][:12], right[slice(*p.right)][:12]) for p in result.pairs}


def test_two_outlets_one_event_link_leads_and_quote_and_mark_unique_passages() -> None:
    result = compare_texts(OUTLET_A, OUTLET_B)
    assert result.mode == "story"
    linked = _linked(OUTLET_A, OUTLET_B)
    assert ("A magnitude ", "Dozens of ho") in linked  # the two leads, worded differently
    assert ('"We felt the', '"We felt the') in linked  # the shared quote, in another place
    left_only = [OUTLET_A[s:e][:12] for s, e in result.left_only]
    right_only = [OUTLET_B[s:e][:12] for s, e in result.right_only]
    assert "Copper price" in left_only and "Schools will" in right_only
    assert "March 8, 201" in left_only  # the dateline is a sentence of its own, never linked
    assert not any(a.startswith("Copper") or b.startswith("Schools") for a, b in linked)


def test_unrelated_reports_link_nothing_even_at_their_leads() -> None:
    other = (
        "A cargo ship ran aground off the coast of Norway on Friday, spilling fuel oil into a "
        "fjord. "
        "Coast guard crews worked through the night to contain the spill with floating booms.\n\n"
        "The shipping company said an investigation into the cause had begun."
    )
    result = compare_texts(OUTLET_A, other)
    assert result.mode == "story"
    assert result.pairs == []


def test_splitter_datelines_and_numbers_before_a_full_stop() -> None:
    text = (
        "Posted: March 14th, 2013 A California man was arrested. "
        "He will be sentenced May 3. The judge set bail at 5: 47 p.m. on Friday. "
        "16 August 2011 Services resumed. J. R. Smith agreed."
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Posted: March 14th, 2013",
        "A California man was arrested.",
        "He will be sentenced May 3.",
        "The judge set bail at 5: 47 p.m. on Friday.",
        "16 August 2011",
        "Services resumed.",
        "J. R. Smith agreed.",
    ]


def test_progress_is_reported_up_to_done_in_both_modes() -> None:
    for other in (EDITED, OUTLET_B):
        seen: list[float] = []
        compare_texts(ARTICLE if other is EDITED else OUTLET_A, other, progress=seen.append)
        assert seen and seen[-1] == 1.0
        assert seen == sorted(seen) and all(0.0 <= f <= 1.0 for f in seen)


def test_story_knobs_can_be_overridden() -> None:
    strict = StoryParams(link_score=10.0, alone=1.01, same=1.01)
    assert compare_texts(OUTLET_A, OUTLET_B, story=strict).pairs == []


def test_splitter_keeps_dates_and_times_inside_prose() -> None:
    text = (
        "The council voted on March 4, 2009, and Mayor Ortiz agreed. "
        "The quake hit at 2:30 PM Friday. Updated 4:08 PM ET Rescuers arrived."
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The council voted on March 4, 2009, and Mayor Ortiz agreed.",
        "The quake hit at 2:30 PM Friday.",
        "Updated 4:08 PM ET",
        "Rescuers arrived.",
    ]


def test_distinctive_terms_leave_out_datelines() -> None:
    result = compare_texts(OUTLET_A, OUTLET_B)
    assert "US Geological Survey" in result.left_terms and "2007" in result.left_terms
    assert not {"March", "8", "PM"} & set(result.left_terms)
    assert "Monday" in result.right_terms


def test_distinctive_terms_fold_variants_of_one_name() -> None:
    from store.comparison import distinctive_terms

    left = (
        "Prosecutors said John Mitchell knew of the plan at 10:00 on Monday. "
        "Mitchell's lawyer denied it, and Mitchell refused to comment on the U.S. inquiry. "
        "Female Employee Yvonne Hiller Kills Two In Kraft Shooting was the headline they ran. "
        "The Texas Department of Justice counted 41 letters in the file."
    )
    right = "A lawyer said the plan was never discussed with anyone at the firm on that day."
    terms, _ = distinctive_terms(left, right)
    assert "John Mitchell" in terms and "Mitchell" not in terms and "Mitchell's" not in terms
    assert "U.S." in terms and "41" in terms
    assert "Texas Department of Justice" in terms and "The Texas Department" not in terms
    assert not {"00", "10"} & set(terms)  # the parts of a clock time
    assert not any(len(t.split()) > 4 for t in terms)  # a title-case headline is no name
    assert terms.index("41") > terms.index("John Mitchell")  # names before numbers


# The openings of the seed page's two ETIM articles (issue 13's read by a person), shortened.
ETIM_LEFT = (
    "Uighur jihadists of Turkestan Islamic Party\n\n"
    "The Turkestan Islamic Party (TIP) is also known as the East Turkestan Islamic Movement "
    "(ETIM), a Uyghur Islamic extremist organization founded in the Xinjiang province of China. "
    "The United States removed it from its list of terrorist organizations in 2020."
)
ETIM_RIGHT = (
    "In the wake of 9/11, the US government scooped up all the terrorist networks and made an "
    "assessment of which ones were a threat to America. "
    "The prisoners held in Guantanamo were of the jihadist Islamic militant type. "
    "Their organization, the East Turkestan Independence Movement (ETIM), was listed as a "
    "terrorist organization by the US State Department."
)


def test_a_subheading_is_no_lead_and_leads_need_more_than_one_shared_word() -> None:
    linked = _linked(ETIM_LEFT, ETIM_RIGHT)
    # The heading and the Guantanamo sentence share only "jihadist Islamic": not one fact.
    assert not any(a.startswith("Uighur") or b.startswith("The prisoner") for a, b in linked)
    assert ("The Turkesta", "Their organi") in linked  # both name the ETIM: the same fact


def test_a_moved_and_reworded_sentence_is_a_move_with_its_edits() -> None:
    sentences = [ARTICLE[s:e] for s, e in split_sentences(ARTICLE)]
    reworded = sentences[5].replace("next spring", "next summer")
    text = " ".join([reworded] + sentences[:5])
    result = compare_texts(ARTICLE, text)
    assert result.mode == "revision"
    assert result.left_only == [] and result.right_only == []
    (move,) = [p for p in result.pairs if p.moved]
    assert ARTICLE[slice(*move.left)] == "Construction is expected to begin next spring."
    assert move.kind == "similar"
    assert [(e.op, ARTICLE[slice(*e.left)], text[slice(*e.right)]) for e in move.edits] == [
        ("replace", "spring", "summer")
    ]


def test_distinctive_terms_keep_names_with_joiners_and_drop_sentence_openers() -> None:
    from store.comparison import distinctive_terms

    left = (
        "Zhu Yongbiao, director of the Center for Afghanistan Studies at Lanzhou University, "
        "spoke first. Zhang Jiadong, a professor with the Center for American Studies, agreed. "
        "In 2015 the Taliban wrote to IS leader Abu Bakar al Baghdadi in Afghanistan. "
        "While IS-K has its own teachings, the Taliban follow the Hanafi school in Afghanistan. "
        "It is the Islamic State’s Central Asian province."
    )
    right = "A lawyer said the plan was never discussed with anyone at the firm on that day."
    terms, _ = distinctive_terms(left, right)
    assert {"Center for Afghanistan Studies", "Center for American Studies"} <= set(terms)
    assert "Abu Bakar al Baghdadi" in terms
    assert "IS-K" in terms and "While IS-K" not in terms
    assert not {"Center", "American Studies", "Afghanistan Studies"} & set(terms)
    assert "Islamic State" in terms and not any("Central Asian" in t for t in terms)
    assert "Afghanistan" in terms  # a place named in a centre's name is still the place
    assert terms.index("Afghanistan") < terms.index("Zhu Yongbiao")  # said twice, then once
    assert terms.index("Zhu Yongbiao") < terms.index("Hanafi")  # a full name before one word
