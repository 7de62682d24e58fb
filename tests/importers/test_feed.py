"""Feeds: RSS 0.91/1.0/2.0, Atom and JSON Feed samples, and broken or hostile ones."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from importers import import_paths
from importers.base import Source
from importers.errors import ImportFailure
from importers.feed import FeedImporter, _feedparser, parse_feed
from importers.registry import parse_source, pick
from importers.runner import read_source
from store.library import Library

SAMPLES = Path(__file__).resolve().parent / "samples" / "feeds"


def drafts(name: str) -> list:
    return parse_source(read_source(str(SAMPLES / name)))


def test_rss2_content_encoded_is_the_article_and_description_an_excerpt() -> None:
    nets, tides, letter = drafts("rss2.xml")
    assert nets.kind == "article"
    assert nets.title == "Mending nets in February"
    assert nets.author == "Ailsa MacRae"
    assert nets.published == "2024-03-05T09:30:00+00:00"
    assert nets.source == "The Slow Harbour"
    assert nets.section == "Craft"
    assert "## The needle" in nets.body_markdown
    assert "- Sheet bend" in nets.body_markdown
    # Relative links in the content are made absolute against the entry's link.
    assert "[More about tools](https://harbour.example.org/tools)" in nets.body_markdown
    # feedparser's sanitizer drops scripts and event handlers; the text stays.
    assert "alert" not in nets.body_markdown and "steal" not in nets.body_markdown
    assert "Nothing in the feed should run." in nets.body_markdown
    assert tides.kind == "excerpt"
    assert tides.author == "Tom Innes"
    assert "**high water**" in tides.body_markdown
    assert letter.kind == "article"
    assert letter.published == "2024-01-12T12:00:00+01:00"
    assert "> Never trust a calm morning in January." in letter.body_markdown


def test_atom_content_html_title_and_language() -> None:
    zinken, leim = drafts("atom.xml")
    assert zinken.title == "Schwalbenschwanz & Zinken"  # type="html": &amp;amp; -> &amp; -> &
    assert zinken.kind == "article"
    assert zinken.author == "Greta Holm"  # the feed's author when the entry has none
    assert zinken.language == "de"
    assert zinken.published == "2024-03-04T19:00:00+01:00"
    assert "**nacharbeiten**" in zinken.body_markdown
    assert zinken.description == "Warum die Säge zuerst kommt."
    assert leim.kind == "excerpt" and leim.author == "Jonas Brandt"
    assert leim.published == "2024-02-20T08:15:00+00:00"  # only <updated>


def test_rss1_and_rss091_latin1() -> None:
    agar, pipettes = drafts("rss1.rdf")
    assert agar.url == "https://lab.example.net/notes/agar"
    assert agar.author == "R. Okafor" and agar.published == "2023-11-14T16:05:00+00:00"
    assert pipettes.published == "2023-11-10"
    menu, closed = drafts("rss091.xml")
    assert menu.title == "Crêpes et menu d'hiver"  # ISO-8859-1 bytes, declared in the prolog
    assert menu.source == "Café Minuscule"
    assert closed.body_markdown.startswith("Fermé le 3 mars 2024")
    assert {menu.kind, closed.kind} == {"excerpt"}


def test_json_feed() -> None:
    dither, ink, teaser = drafts("jsonfeed.json")
    assert dither.kind == "article" and dither.author == "Mei Lin"
    assert "*patterns*" in dither.body_markdown
    assert dither.published == "2024-02-29T10:00:00-08:00"
    assert ink.author == "Sam Ortiz" and ink.body_markdown.count("\n\n") == 1
    assert teaser.kind == "excerpt"
    assert teaser.title.startswith("A teaser with no title")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.xml", "the feed has no entries"),
        ("truncated.xml", r"the feed is truncated \(unclosed CDATA section at line \d+\)"),
        ("billion_laughs.xml", "nested XML entities"),
    ],
)
def test_broken_feeds_fail_with_one_line(name: str, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason) as caught:
        drafts(name)
    assert "\n" not in str(caught.value)


def test_billion_laughs_is_never_expanded_even_by_feedparser() -> None:
    """Below our refusal, feedparser itself strips nested entity declarations."""
    data = (SAMPLES / "billion_laughs.xml").read_bytes()
    start = time.perf_counter()
    parsed = _feedparser(data, Source(name="bomb.xml", data=data))
    assert time.perf_counter() - start < 2
    assert "lollol" not in str(parsed.entries)


def _xxe(secret: Path) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
        '<rss version="2.0"><channel><title>Leak &leak;</title>'
        "<item><title>Item &leak;</title><link>https://x.example/a</link>"
        "<description>Body &leak; end</description></item></channel></rss>"
    ).encode()


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    feed = tmp_path / "xxe.xml"
    feed.write_bytes(_xxe(secret))
    with pytest.raises(ImportFailure, match="external XML entities; refused"):
        parse_source(read_source(str(feed)))


def test_feedparser_never_resolves_external_entities(tmp_path: Path) -> None:
    """The layer under our refusal: feedparser's SAX parser does not read the file either."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = _xxe(secret)
    parsed = _feedparser(data, Source(name="xxe.xml", data=data))
    assert "TOP-SECRET-VALUE" not in repr(parsed)


def test_malformed_but_complete_feed_is_read_leniently_with_a_warning() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Loose</title>'
        b"<item><title>Caf&eacute; &amp; more</title><link>https://l.example/1</link>"
        b"<description>Undefined &nbsp; entities are common.</description></item>"
        b"</channel></rss>"
    )
    source = Source(name="loose.xml", data=data)
    found = FeedImporter().parse(source)
    assert [d.title for d in found] == ["Café & more"]
    assert source.warnings and "read leniently" in source.warnings[0]


def test_feed_detection_beats_html_and_markdown() -> None:
    for name in ("rss2.xml", "atom.xml", "rss1.rdf", "rss091.xml", "jsonfeed.json"):
        assert pick(read_source(str(SAMPLES / name))).name == "feed"
    page = Source(name="p.html", data=b"<!doctype html><html><body><p>Hi</p></body></html>")
    assert FeedImporter().detect(page) == 0.0
    other_json = Source(name="x.json", data=b'{"version": 2, "items": []}')
    assert FeedImporter().detect(other_json) == 0.0


def test_entry_keys_are_stable_ids() -> None:
    feed = parse_feed(read_source(str(SAMPLES / "rss2.xml")))
    keys = [entry.key for entry in feed.entries]
    assert keys[:2] == ["harbour-2024-031", "https://harbour.example.org/2024/02/tide-tables"]
    assert keys[2] == "https://harbour.example.org/2024/01/stromness"  # no guid: the link
    again = parse_feed(read_source(str(SAMPLES / "rss2.xml")))
    assert [e.digest for e in again.entries] == [e.digest for e in feed.entries]


def test_import_reports_each_bad_feed_and_keeps_the_rest(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as library:
        report = import_paths(library, [SAMPLES], workers=0)
        failed = dict((Path(name).name, reason) for name, reason in report.failed)
        assert set(failed) == {"empty.xml", "truncated.xml", "billion_laughs.xml"}
        assert report.added + report.excerpts == 12
        # Tracking parameters never reach the stored link.
        nets = next(a for a in library.iter_articles() if a.title == "Mending nets in February")
        assert nets.url == "https://harbour.example.org/2024/03/mending-nets"


def test_active_content_and_unsafe_links_are_dropped() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        b"<item><title>Links</title><link>https://s.example/posts/1</link><content:encoded>"
        b"<![CDATA[<p>Read <a href='javascript:alert(1)'>this</a> and <a href='../about'>that"
        b"</a> and <a href='data:text/html,hi'>more</a>.</p><iframe src='https://evil'></iframe>"
        b"<style>p{}</style><p>End of the entry text here.</p>]]></content:encoded></item>"
        b"</channel></rss>"
    )
    (found,) = FeedImporter().parse(Source(name="links.xml", data=data))
    body = found.body_markdown
    assert "javascript" not in body and "data:" not in body and "evil" not in body
    assert "[that](https://s.example/about)" in body
    assert "Read this and" in body and "p{}" not in body


def _cafe(declared: str, e_acute: bytes) -> bytes:
    return (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'.encode()
        + b"<title>Caf"
        + e_acute
        + b"</title><item><title>Cr"
        + e_acute
        + b"pe</title><link>https://c.example/1</link><description>Entr"
        + e_acute
        + b"e libre</description></item></channel></rss>"
    )


@pytest.mark.parametrize(
    "data",
    [
        _cafe("utf-8", "é".encode("latin-1")),  # declared UTF-8, written in Latin-1
        _cafe("iso-8859-1", "é".encode()),  # declared Latin-1, written in UTF-8
        _cafe("utf-16", "é".encode()).decode().encode("utf-16"),  # UTF-16 with BOM
    ],
    ids=["utf8-declared-latin1-bytes", "latin1-declared-utf8-bytes", "utf16"],
)
def test_wrong_and_wide_encodings(data: bytes) -> None:
    source = Source(name="cafe.xml", data=data)
    assert pick(source).name == "feed"
    (entry,) = parse_source(source)
    assert (entry.title, entry.source) == ("Crépe", "Café")
    assert entry.body_markdown == "Entrée libre\n"


def test_utf16_feed_with_external_entity_is_refused() -> None:
    data = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title><item>'
        "<title>T</title><link>https://c.example/1</link></item></channel></rss>"
    ).encode("utf-16")
    with pytest.raises(ImportFailure, match="external XML entities"):
        parse_source(Source(name="x.xml", data=data))


def test_harmless_entity_declarations_are_read() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY mdash "&#8212;">]>'
        b'<rss version="2.0"><channel><title>Dash&mdash;Feed</title><item><title>A&nbsp;B</title>'
        b"<link>https://d.example/1</link><description>x</description></item></channel></rss>"
    )
    (entry,) = parse_source(Source(name="dash.xml", data=data))
    assert entry.title == "A B" and entry.source == "Dash\u2014Feed"


def test_fetched_json_that_is_not_a_feed_is_refused() -> None:
    api = Source(name="https://api.example/x", data=b'{"a": 1}', media_type="application/json")
    with pytest.raises(ImportFailure, match=r"not a format Margin can import \(application/json\)"):
        parse_source(api)
    html_as_xml = Source(
        name="https://x.example/p",
        data=b"<html><body><article><p>"
        + b"Words of a page. " * 40
        + b"</p></article></body></html>",
        media_type="application/xml",
    )
    assert pick(html_as_xml).name == "html"


def test_relative_entry_links_are_made_absolute_or_dropped() -> None:
    def feed(home: str) -> bytes:
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
            f"<link>{home}</link><item><title>One</title><link>/posts/1</link>"
            "<description>x</description></item></channel></rss>"
        ).encode()

    (with_home,) = parse_source(Source(name="r.xml", data=feed("https://r.example/blog/")))
    assert with_home.url == "https://r.example/posts/1"
    (without,) = parse_source(Source(name="r.xml", data=feed("")))
    assert without.url is None
