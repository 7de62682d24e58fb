"""Page metadata: declared titles, authors and sites read the way page authors mean them."""

from __future__ import annotations

import lxml.html

from importers.base import Source
from importers.html import HtmlImporter
from importers.pagemeta import guess_language, page_metadata, person_shaped, split_names

_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells the harbour master's tale at some length, with enough "
    f"words in it for an extractor to take it for the article's text rather than chrome.</p>"
    for n in range(6)
)


def _page(head: str, body: str = "") -> bytes:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{head}</head>"
        f"<body>{body}<article>{_PARAGRAPHS}</article></body></html>"
    ).encode()


def _draft(head: str, body: str = ""):
    return HtmlImporter().parse(Source(name="page.html", data=_page(head, body)))[0]


def _meta(head: str, body: str = ""):
    return page_metadata(lxml.html.fromstring(_page(head, body)))


def test_json_ld_inside_cdata_is_read() -> None:
    meta = _meta(
        '<script type="application/ld+json">\n<![CDATA[\n{"@type": "NewsArticle", '
        '"headline": "Tidal clocks", "author": {"@type": "Person", "name": "Maren Holt"}, '
        '"datePublished": "2023-04-18T06:00:00Z"}\n]]>\n</script>'
    )
    assert meta.title == "Tidal clocks"
    assert meta.authors == ["Maren Holt"]
    assert meta.published == "2023-04-18T06:00:00+00:00"


def test_space_separated_properties_declare_each_name() -> None:
    meta = _meta(
        '<meta property="dc:title x:title" content="Preferred title">'
        '<meta property="og:title twitter:title" content="A title">'
        '<meta property="dc:creator twitter:site_name" content="Creator Name">'
        '<meta name="author" content="FAIL">'
    )
    assert meta.title == "Preferred title"
    assert meta.authors == ["Creator Name"]
    # one element naming two properties is one declaration, not two that agree
    assert meta.declared_titles == ["Preferred title", "A title"]


def test_generic_h1_loses_to_the_declared_title() -> None:
    # The <h1> is the site's name (the last piece of <title>); trafilatura would take
    # its title from that same <h1>, so only the page's declarations may confirm it.
    draft = _draft(
        "<title>Conversations with a Cryptid - Chapter 1 [Archive of Our Own]</title>",
        "<h1>Archive of Our Own beta</h1>",
    )
    assert draft.title == "Conversations with a Cryptid - Chapter 1"


def test_section_h1_loses_when_declarations_agree() -> None:
    draft = _draft(
        '<meta property="og:title" content="Babies Who Eat Peanuts Early May Avoid Allergy">'
        "<title>Babies Who Eat Peanuts Early May Avoid Allergy - WebMD</title>",
        "<h1>Allergies Health Center</h1>",
    )
    assert draft.title == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_visible_h1_kept_when_it_says_what_declarations_say() -> None:
    draft = _draft(
        '<meta property="og:title" content="Opinion | Republicans Are Following Trump">'
        "<title>Opinion | Republicans Are Following Trump - The Paper</title>",
        "<h1>Republicans Are Following Trump</h1>",
    )
    assert draft.title == "Republicans Are Following Trump"


def test_a_site_written_as_its_domain_is_taken_off_the_title() -> None:
    # The site declares another name (its owner's), and the title carries its domain,
    # or its host written without the hyphen.
    owner = '<meta property="og:site_name" content="CBS Corporation">'
    draft = _draft(
        f"{owner}<title>World Superbike: Phillip Island Test Day 2 - MotorcycleUSA.com</title>"
        '<link rel="canonical" href="https://www.motorcycle-usa.com/2003/02/superbike-test">'
    )
    assert draft.title == "World Superbike: Phillip Island Test Day 2"
    draft = _draft(f"{owner}<title>wjz.com - SFPD: Zoo Attack Victim Admits Taunting Tiger</title>")
    assert draft.title == "SFPD: Zoo Attack Victim Admits Taunting Tiger"
    # A dash inside a headline is no site name.
    draft = _draft(f"{owner}<title>Xbox Scorpio Isn't for Gamers - Here's Why</title>")
    assert draft.title == "Xbox Scorpio Isn't for Gamers - Here's Why"


def test_unconfirmed_h1_loses_to_declared_title() -> None:
    draft = _draft(
        '<meta name="parsely-title" content="Some Other Title">',
        "<h1>Test document title</h1>",
    )
    assert draft.title == "Some Other Title"


def test_publisher_names_the_site_before_the_host() -> None:
    meta = _meta(
        '<meta property="og:site_name" content="Medium">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Profiling", '
        '"publisher": {"@type": "Organization", "name": "Voodoo Engineering"}}</script>'
    )
    assert meta.site == "Voodoo Engineering"


def test_names_split_the_way_bylines_mean_them() -> None:
    assert split_names("Jong, Michiel de") == ["Jong, Michiel de"]
    assert split_names("Mac & i") == ["Mac & i"]
    assert split_names("Jane Doe & John Roe") == ["Jane Doe", "John Roe"]
    assert split_names(
        "By Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and "
        "Technology Project"
    ) == ["Daniel Kahn Gillmor"]
    assert split_names("Bradley M. Kuhn (http://ebb.org/bkuhn/)") == ["Bradley M. Kuhn"]


def test_person_shaped_names() -> None:
    assert person_shaped("Henri Sivonen")
    assert person_shaped("Michiel de Jong")
    assert not person_shaped("Pegasus Interactive")
    assert not person_shaped("AltumNet sp. z o.o")
    assert not person_shaped("The Contactmusic team")
    assert not person_shaped("express1")


def test_declared_article_author_kept_even_if_not_shown() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "Article", "headline": "Haki\'s post", '
        '"author": {"@type": "Person", "name": "Haki Benita"}}</script>'
        '<meta property="og:site_name" content="Haki Benita">'
    )
    assert _draft(head).author == "Haki Benita"


def test_cjk_author_found_on_the_page() -> None:
    head = '<meta name="author" content="肖春芳">'
    assert _draft(head, "<p>责任编辑：肖春芳</p>").author == "肖春芳"


def test_builder_in_meta_author_is_dropped_when_not_shown() -> None:
    assert _draft('<meta name="author" content="Pegasus Interactive">').author is None
    # a person's name in <meta name="author"> is believed without a visible byline
    assert _draft('<meta name="author" content="Henri Sivonen">').author == "Henri Sivonen"


def test_organisation_in_meta_author_is_kept_when_the_description_names_it() -> None:
    head = (
        '<meta name="description" content="An archive, a project of the Organization for '
        'Transformative Works">'
        '<meta name="author" content="Organization for Transformative Works">'
    )
    assert _draft(head).author == "Organization for Transformative Works"
    other = '<meta name="description" content="Fan fiction.">'
    assert _draft(other + '<meta name="author" content="Pegasus Interactive">').author is None


def test_last_first_names_are_joined_with_semicolons() -> None:
    head = (
        '<meta name="DC.Creator" content="Kooman, F.">'
        '<meta name="DC.Creator" content="Jong, Michiel de">'
    )
    assert _draft(head).author == "Kooman, F; Jong, Michiel de"


def test_language_guessed_only_when_not_declared() -> None:
    english = "The harbour master said that the tide was high and the boats were in. " * 5
    polish = "Nie wiem, czy to jest prawda, ale on się na to zgodził i jest to dobre. " * 5
    assert guess_language(english) == "en"
    assert guess_language(polish) == "pl"
    assert guess_language("深圳警方春节期间严查查禁非法烟花爆竹，市民应当遵守规定。" * 5) == "zh"
    assert (
        guess_language("トレンドマイクロは3月9日、アプリの発売を開始すると発表した。" * 5) == "ja"
    )
    assert guess_language("Lorem ipsum dolor sit amet. " * 10) is None
    page = _page("").replace(b"lang='en'", b"")
    draft = HtmlImporter().parse(Source(name="page.html", data=page))[0]
    assert draft.language == "en"
    assert _draft("").language == "en"  # declared


def test_site_falls_back_to_the_domain() -> None:
    head = '<link rel="canonical" href="https://www.thestate.com/news/story.html">'
    assert _draft(head).source == "thestate.com"
    named = head + '<meta property="og:site_name" content="The State">'
    assert _draft(named).source == "The State"


def test_site_named_as_author_is_the_publisher_not_a_byline() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tides", '
        '"author": "BBC News", "publisher": {"@type": "Organization", "name": "BBC News"}}'
        "</script>"
    )
    assert _draft(head).author is None
    byline = "<h1>Tides</h1><p>By Mike Wuerthele and Malcolm Owen</p>"
    assert _draft(head, byline).author == "Mike Wuerthele, Malcolm Owen"
