"""Page-dump titles: the headline, not a credit, caption, label or the site's name."""

from __future__ import annotations

import pytest

from importers.base import Source
from importers.pagedump import PageDumpImporter

_BODY = "\n".join(
    f"Paragraph {n} of the story follows the harbour master through a long night of "
    f"measuring the tide, writing every reading down in a book that still survives today."
    for n in range(8)
)


def _title(header: str) -> str:
    text = f"Home\nNews\nSport\nWeather\n{header}\n{_BODY}\nComments\n"
    drafts = PageDumpImporter().parse(Source(name="page.txt", data=text.encode()))
    return next(d.title for d in drafts if d.kind == "article")


@pytest.mark.parametrize(
    "noise",
    [
        "Anna Moneymaker/The New York Times",
        "Photo: Reuters",
        "Read more about sharing.",
        "See also: the tide tables",
        "Email This Story Print This Story",
        "Home » World » Europe",
        "A A A Print",
    ],
)
def test_noise_between_headline_and_body_is_not_the_title(noise: str) -> None:
    # a short headline, and the noise nearer to the text and about as long
    assert _title("Tide clocks return home\n" + noise) == "Tide clocks return home"


def test_share_label_run_into_the_headline_is_cut() -> None:
    header = "Share All sharing options for: The tide clocks of the North Sea\nBy Maren Holt"
    assert _title(header) == "The tide clocks of the North Sea"


def test_headline_under_its_byline_above_a_share_bar() -> None:
    # "Comment" is a share button here, not the start of a comment thread
    header = "Politics\nBy Maren Holt\nThe tide clocks of the North Sea\nShare\nTweet\nComment"
    assert _title(header) == "The tide clocks of the North Sea"


def test_chinese_headline_counts_characters_as_words() -> None:
    header = "深圳警方春节期间严查查禁非法烟花爆竹\n2012年01月05日 08:30"
    assert _title(header) == "深圳警方春节期间严查查禁非法烟花爆竹"
