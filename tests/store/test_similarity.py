"""Same story and near-duplicate marks between whole articles."""

from __future__ import annotations

from store.library import Library
from store.similarity import mark, resemblance, shingles
from tests.conftest import draft

QUAKE = (
    "A magnitude 6.1 earthquake struck northern California on Sunday, damaging buildings in "
    "Napa and injuring dozens of residents. The quake was the strongest in the Bay Area since "
    "1989, the Geological Survey said. Wineries reported broken barrels and bottles."
)
QUAKE_OTHER_OUTLET = (
    "Dozens were hurt when a strong earthquake shook Napa early Sunday. The Geological Survey "
    "put its magnitude at 6.1, the biggest to hit the Bay Area since 1989. Several wineries lost "
    "barrels and the historic courthouse was damaged."
)
QUAKE_WIRE_COPY = QUAKE + " Power was restored to most homes by the evening."
BAKING = (
    "Sourdough needs a lively starter, patience and a hot oven. Feed the starter twice a day, "
    "mix the dough with water and salt, fold it every half hour and bake it in a covered pot."
)
FILLER = [
    "The council discussed the budget for parks and libraries on Tuesday evening.",
    "A new train timetable starts next month with more trains at weekends.",
    "The football club signed a young striker from the second division.",
    "Museums will stay open late on Fridays during the summer season.",
]


def test_shingle_resemblance() -> None:
    a = shingles(["one", "two", "three", "four", "five"])
    assert resemblance(a, a) == 1.0
    assert resemblance(a, shingles(["six", "seven", "eight"])) == 0.0
    assert mark(0.9, 0.9) == "near-duplicate" and mark(0.3, 0.05) == "same story"
    assert mark(0.05, 0.0) is None


def test_marks_tell_same_story_from_copy_from_unrelated(library: Library) -> None:
    stored = library.store(
        [
            draft(f"Item {n}", text, url=f"https://x.example/{n}")
            for n, text in enumerate([QUAKE, QUAKE_OTHER_OUTLET, QUAKE_WIRE_COPY, BAKING, *FILLER])
        ]
    )
    quake, other, copy, baking = (s.id for s in stored[:4])
    marks = library.story_marks(quake, [other, copy, baking])
    assert marks == {other: "same story", copy: "near-duplicate"}


FOREIGN = [
    "Gradsko vijeće raspravljalo je o proračunu za parkove i knjižnice u utorak navečer.",
    "Der neue Fahrplan beginnt nächsten Monat mit mehr Zügen am Wochenende und abends.",
    "Muzea będą otwarte dłużej w piątki przez cały sezon letni, podało miasto.",
    "Футбольный клуб подписал молодого нападающего из второго дивизиона в среду.",
    "Η βιβλιοθήκη θα παραμείνει κλειστή για ανακαίνιση μέχρι το τέλος του μήνα.",
]
INTERVIEW = (
    "If you ask who we are, we say we build phones. Who else would you ask, or would we "
    "tell you if we did not know? We think you know who we are, or you would not ask."
)
BLOG = (
    "If you run the machine long enough, or we prove it halts, who wins? We only count "
    "steps; who would doubt it, or if you did, we would run it again for you."
)


def test_function_words_alone_do_not_make_a_story_where_other_languages_dominate(
    library: Library,
) -> None:
    # In a library mostly in other languages, "if", "who", "we" look rare to idf.
    stored = library.store(
        [
            draft(f"Item {n}", text, url=f"https://y.example/{n}")
            for n, text in enumerate([INTERVIEW, BLOG, *FOREIGN])
        ]
    )
    interview, blog = stored[0].id, stored[1].id
    assert library.story_marks(interview, [blog]) == {}


def test_a_large_import_counts_before_marking(library: Library) -> None:
    """With no vocabulary copy yet, every term would look rare and every pair alike."""
    texts = [QUAKE, QUAKE_OTHER_OUTLET, BAKING, *FILLER]
    fillers = [f"Report {n} on the harbour, the weather and the market prices." for n in range(240)]
    stored = library.store(
        [
            draft(f"Item {n}", text, url=f"https://z.example/{n}")
            for n, text in enumerate([*texts, *fillers])
        ]
    )
    quake, other, baking = (s.id for s in stored[:3])
    assert library.story_marks(quake, [other, baking]) == {other: "same story"}
