"""HTML bodies: the fallback from a precision extraction that stopped short, link tables,
and the space before a link that starts on a new source line."""

from __future__ import annotations

import lxml.html
import pytest

from importers import html
from importers.base import Source
from importers.html import HtmlImporter, html_to_markdown, wants_fallback

PROSE = "".join(
    f"<p>On day {n} the harbour master counted the boats twice, once from the quay and "
    f"once from the lighthouse stairs, and wrote both numbers, {n * 7} and {n * 7 + 1}, "
    "in the ledger.</p>"
    for n in range(12)
)


def _page(body: str) -> bytes:
    return (
        "<html><head><title>The ledger</title></head><body><article><h1>The ledger</h1>"
        f"{body}</article></body></html>"
    ).encode()


def test_a_link_on_its_own_source_line_keeps_the_space_before_it() -> None:
    markdown = html_to_markdown(
        '<p>with the first being<a href="https://x.example/a">\n   Simulacra Levels</a>.'
        " It reads\nwell.</p>"
    )
    assert "being [Simulacra Levels](https://x.example/a). It reads well." in markdown


def test_wants_fallback_only_for_a_short_precision_result_far_below_the_baseline() -> None:
    assert wants_fallback(0, 900)
    assert wants_fallback(100, 2000)
    assert not wants_fallback(100, 300)
    assert not wants_fallback(html.FALLBACK_CHECK_LETTERS, 10**9)
    assert not wants_fallback(100, 2000, ratio=0.0)


def test_a_precision_result_that_skipped_the_middle_gives_way_to_the_baseline() -> None:
    """Paragraphs left out between two kept ones (the middle of the article) count; those
    before the first or after the last kept one (a menu, a sidebar) do not."""
    baseline = "Menu one two\n\nFirst kept.\n\nMiddle left out here.\n\nLast kept.\n\nFooter"
    precise = "First kept.\n\nLast kept."
    assert html.skipped_middle(precise, baseline) == len("Middleleftouthere")
    assert html.skipped_middle("First kept.", baseline) == 0
    assert wants_fallback(900, 1500, skipped=901)
    assert not wants_fallback(900, 1500, skipped=899)
    assert not wants_fallback(html.FALLBACK_CHECK_LETTERS, 10**6, skipped=10**6)


def test_a_precision_result_that_stopped_short_gives_way_to_the_baseline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = html._extract_body

    def notice_only(tree, url, meta, options):  # type: ignore[no-untyped-def]
        found = real(tree, url, meta, options)
        if options is html._TRAFILATURA:  # what favor_precision kept: a notice
            return (24, "Subscribers can read this notice.\n", found[2], found[3])
        return found

    monkeypatch.setattr(html, "_extract_body", notice_only)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=_page(PROSE)))
    assert "harbour master counted the boats" in draft.body_markdown
    assert "notice" not in draft.body_markdown


def test_a_layout_table_of_links_is_not_article_text() -> None:
    links = "".join(
        f'<td><a href="/story/{n}">Another headline number {n} here</a></td>' for n in range(6)
    )
    page = _page(PROSE + f"<table><tr>{links}</tr></table>" + PROSE)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "harbour master" in draft.body_markdown
    assert "Another headline" not in draft.body_markdown


def test_a_table_of_data_stays() -> None:
    rows = "".join(
        f"<tr><td>Boat {n}</td><td>{n * 3} crew</td><td>left at dawn</td></tr>" for n in range(6)
    )
    page = _page(PROSE + f"<table>{rows}</table>" + PROSE)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "| Boat 3 | 9 crew | left at dawn |" in draft.body_markdown


def _plain(markdown: str) -> str:
    from store.document import markdown_to_text

    return markdown_to_text(markdown)


def test_an_article_laid_out_in_nested_tables_reads_as_paragraphs() -> None:
    # A Markdown row holds one line, and cells past the header's count are lost: the
    # article inside a layout table came out as empty cells.
    menu = "".join(f'<a href="/s/{n}">Section {n}</a> ' for n in range(8))
    inner = f"<table><tr><td></td><td>{PROSE}</td></tr></table>"
    page = _page(
        f"<table><tr><td>{menu}</td></tr><tr><td></td><td></td><td>{inner}</td>"
        "<td></td><td></td></tr></table>"
    )
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "On day 3 the harbour master counted the boats twice" in text
    assert "On day 11 the harbour master" in text
    assert "|" not in draft.body_markdown
    assert "Section 4" not in text


def test_a_page_that_closes_html_before_its_body_keeps_the_body() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>The ledger</title></head></html>"
        f"<body><article><h1>The ledger</h1>{PROSE}</article></body></html>"
    ).encode()
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "On day 11 the harbour master" in draft.body_markdown


@pytest.mark.parametrize(
    "label",
    [
        "Zobacz również",
        "Warto przeczytać",
        "Самое читаемое",
        "热门文章",
        "Latest Saskatchewan News Headlines",
        "Top News Headlines",
        "This feedback is now closed",
        "Reader views (5)",
    ],
)
def test_a_related_stories_section_after_the_article_is_cut(label: str) -> None:
    teasers = "".join(
        f"<p>Another town counted its boats on day {n} and found the ledger wanting, "
        "the council said in a statement on Tuesday evening.</p>"
        for n in range(4)
    )
    page = _page(f"{PROSE}<h3>{label}</h3>{teasers}")
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "On day 11 the harbour master" in draft.body_markdown
    assert "Another town" not in draft.body_markdown


def test_a_section_label_early_in_the_article_cuts_nothing() -> None:
    page = _page(f"<p>The ledger opens here.</p><h3>Comments</h3>{PROSE}")
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "On day 11 the harbour master" in draft.body_markdown


def test_a_copyright_notice_after_the_article_ends_it() -> None:
    # The footer below the article: its notice and what follows it are not the article.
    footer = (
        "<p>Copyright © 2012, Harbour Radio</p>"
        "<p>Audio is sorted by the frequency of the programme it was heard in, and the "
        "streams are in a format that some players on some machines will not open.</p>"
    )
    page = _page(PROSE + footer)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "On day 11 the harbour master" in text
    assert "Harbour Radio" not in text
    assert "Audio is sorted" not in text


def test_a_copyright_word_inside_the_article_cuts_nothing() -> None:
    closing = (
        "<p>Music copyrights are negotiated country by country, and the label said it "
        "would renegotiate.</p>"
        "<p>None of the four music majors would speak about the ledger or the boats.</p>"
    )
    page = _page(PROSE + closing)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "None of the four music majors" in _plain(draft.body_markdown)


def test_a_run_of_headline_links_after_the_article_ends_it() -> None:
    # A dated list of other stories, each its own short linked paragraph, then a blurb.
    teasers = "".join(
        f'<p>1{n}:04 <a href="/story/{n}">The council votes on the quay budget, part {n}</a></p>'
        for n in range(5)
    )
    blurb = (
        "<p>Tenders: supply of mineral binders to the harbour works, with the deadline "
        "set twelve months from the award of the contract.</p>"
    )
    page = _page(PROSE + teasers + blurb)
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "On day 11 the harbour master" in text
    assert "quay budget" not in text
    assert "Tenders" not in text


def test_two_links_in_a_row_after_the_article_are_kept() -> None:
    links = "".join(
        f'<p><a href="/doc/{n}">The harbour ledger, volume {n}</a></p>' for n in range(2)
    )
    page = _page(PROSE + links + "<p>The ledgers are kept at the lighthouse.</p>")
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "kept at the lighthouse" in _plain(draft.body_markdown)


def _titled(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><div>{body}</div></body></html>"
    ).encode()


def test_what_comes_before_the_headline_near_the_top_is_dropped() -> None:
    # Another part of the page (a programme schedule) ahead of the article's headline.
    schedule = "".join(f"<p>0{n}:30 a.m. Morning show {n}</p>" for n in range(6))
    title = "Boats counted twice at the harbour"
    page = _titled(title, f"{schedule}<p><b>{title}</b></p>{PROSE}")
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "On day 0 the harbour master" in text
    assert "Morning show" not in text


def test_the_title_as_a_subheading_below_prose_cuts_nothing() -> None:
    title = "Boats counted twice at the harbour"
    opening = (
        "<p>The ledger opens with a long account of the harbour, its quays, its lighthouse "
        "and the master who keeps the count of every boat that comes and goes.</p>"
        "<p>It goes on to the lighthouse stairs, from where the second count is made.</p>"
    )
    page = _titled(title, f"{opening}<p><b>{title}</b></p>{PROSE}")
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "The ledger opens with a long account" in text
    assert "On day 0 the harbour master" in text


_SHORT_PL = (
    "<p>Port w Gdyni policzył łodzie dwa razy, raz z nabrzeża i raz ze schodów latarni, "
    "i zapisał obie liczby w księdze portowej.</p>"
)
_COMMENTS_PL = "".join(
    f'<div class="komentarz"><p class="autor">gość {n} (2012-01-13 13:3{n})</p>'
    "<p>Ja się pytam, kto tak liczy łodzie w porcie, skoro każdy widzi, że jest ich więcej "
    f"niż w zeszłym roku, a księga portowa kłamie od lat numer {n}.</p></div>"
    for n in range(8)
)


def _polish_page(after: str) -> bytes:
    """A short Polish article, then ``after`` (a reader thread in some box)."""
    return (
        "<html><head><title>Łodzie policzone dwa razy</title></head><body>"
        f"<div id='tresc'><h1>Łodzie policzone dwa razy</h1>{_SHORT_PL}</div>"
        f"{after}</body></html>"
    ).encode()


def _assert_article_without_thread(page: bytes) -> None:
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    text = _plain(draft.body_markdown)
    assert "Port w Gdyni policzył łodzie" in text
    assert "Ja się pytam" not in text


def test_a_comment_box_named_in_polish_is_not_the_article() -> None:
    # Trafilatura's comment filter knows "comment", not "komentarz" or "Kommentar".
    _assert_article_without_thread(_polish_page(f"<div id='komentarze'>{_COMMENTS_PL}</div>"))


def test_a_page_wrapper_named_like_a_comment_box_stays() -> None:
    page = (
        "<html><head><title>The ledger</title></head><body>"
        f"<div class='strona-z-komentarzami'><article>{PROSE}</article></div></body></html>"
    ).encode()
    [draft] = HtmlImporter().parse(Source(name="a.html", data=page))
    assert "On day 11 the harbour master" in _plain(draft.body_markdown)


def test_a_thread_opening_with_a_comments_anchor_is_not_the_article() -> None:
    """A box whose first child is ``<a name="comments">`` is the reader thread, whatever
    its class is called."""
    thread = f"<a name='comments'></a>{_COMMENTS_PL.replace('komentarz', 'c1')}"
    _assert_article_without_thread(_polish_page(f"<div class='kk'>{thread}</div>"))


def test_a_thread_under_its_own_headline_and_a_reader_comments_anchor_is_dropped() -> None:
    """``<a name="readerComments">`` opening a box whose only headline is the thread's
    own (``Reader views (5)``) marks the thread; a box with another headline stays."""
    thread = (
        "<div id='rc'><a name='readerComments'></a><h1>Reader views <span>(5)</span></h1>"
        f"{_COMMENTS_PL.replace('komentarz', 'c1')}</div>"
    )
    page = _polish_page(thread)
    _assert_article_without_thread(page)

    from importers import html

    tree = lxml.html.fromstring(page.replace(b"Reader views", b"Boats counted twice"))
    assert html._comment_anchor_boxes(tree) == []
