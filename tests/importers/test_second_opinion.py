"""The second opinion on a web page's article, from the text the page shows."""

from __future__ import annotations

import lxml.html

from importers.second_opinion import second_opinion, title_share

_STORY = [
    "The first H1N1 flu case of the season has been reported at a Wichita hospital.",
    "Wesley Medical Center officials said the hospital treated its first influenza A, or "
    "H1N1, patient over the weekend, and that the patient is now recovering at home.",
    "Symptoms include body aches, chills, dizziness, headache, nausea and vomiting. Others "
    "may also include dry cough, runny nose and a sore throat, for up to seven days.",
    "Doctors recommend a flu shot to prevent catching the virus. Hand washing and covering "
    "coughs are also recommended by the county's health department this winter.",
]
_TEASERS = (
    "Steve Jobs Action Figure Pulled From Market. In Icons had planned to offer the "
    "1-foot-tall, lifelike figure dressed in black. NY Hospital Mistakenly Bills Patients "
    "For Millions: patients at a New York City hospital are getting billed for tens of "
    "millions of dollars because of a computer error."
)
_TITLE = "H1N1 Case Reported In Wichita"


def _page() -> lxml.html.HtmlElement:
    paragraphs = "".join(f"<p>{text}</p>" for text in _STORY)
    menu = "".join(f"<p>{name}</p>" for name in ("Weather", "Sports", "Video", "Contact us"))
    return lxml.html.fromstring(
        f"<html><body><div><h3>Offbeat News Headlines</h3><p>{_TEASERS}</p></div>{menu}"
        f"<h1>{_TITLE}</h1><p>Monday, January 16, 2012</p>{paragraphs}{menu}"
        "<p>Copyright 2012 KAKE News</p></body></html>"
    )


def test_a_body_that_never_names_the_story_gives_way_to_the_visible_article() -> None:
    found = second_opinion(_page(), _TITLE, _TEASERS)
    assert found is not None
    assert "Wesley Medical Center" in found
    assert "Steve Jobs" not in found


def test_a_body_that_names_the_story_or_shares_its_text_stays() -> None:
    story = "\n\n".join(_STORY)
    assert title_share(_TITLE, story) >= 0.5
    assert second_opinion(_page(), _TITLE, story) is None
    # the same text, less its opening: it still shares runs of words with the page's
    assert second_opinion(_page(), _TITLE, "\n\n".join(_STORY[2:])) is None
    assert second_opinion(_page(), None, _TEASERS) is None


def test_title_share_counts_chinese_by_character_pairs() -> None:
    assert (
        title_share("湘江长沙站跌破历史最低水位", "湘江长沙站水位再创历史新低，跌破最低水位。")
        > 0.5
    )
    assert (
        title_share("湘江长沙站跌破历史最低水位", "多国限购婴儿奶粉，限购主要针对中国买家。") == 0.0
    )
