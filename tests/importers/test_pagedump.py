"""The page-dump importer: detection, splitting, chrome removal, metadata, escaping."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from importers import pagedump_model
from importers.base import ImportFailure, Source
from importers.pagedump import PageDumpImporter, escape_markdown, find_date
from store.models import ArticleDraft

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "pagedump"
REPO = Path(__file__).resolve().parents[2]
SECTION_FIXTURE = REPO.parent / "shared" / "fixtures" / "news-section-page.txt"

CHROME_WORDS = re.compile(
    r"^(Published|on|Continue Reading|Comments|Read More|Share.*|Advertisement|Reply|"
    r"Subscribe|Sign In|Related Articles|Most Popular|Newsletter|Tags:.*)$|©",
    re.MULTILINE,
)


def _plain(markdown: str) -> str:
    """CommonMark to plain text: the inline text of every block."""
    try:
        from store.document import markdown_to_text
    except ImportError:
        parts = []
        for token in MarkdownIt("commonmark").parse(markdown):
            if token.type == "inline" and token.children is not None:
                parts.append(
                    "".join(
                        c.content if c.type in ("text", "code_inline") else "\n"
                        for c in token.children
                        if c.type in ("text", "code_inline", "softbreak", "hardbreak")
                    )
                )
        return "\n\n".join(parts)
    return markdown_to_text(markdown)


def _source(name: str, text: str | None = None) -> Source:
    if text is None:
        path = SAMPLES / name
        return Source(name=str(path), data=path.read_bytes())
    return Source(name=name, data=text.encode("utf-8"))


def _parse(name: str) -> list[ArticleDraft]:
    return PageDumpImporter().parse(_source(name))


def _articles(drafts: list[ArticleDraft]) -> list[ArticleDraft]:
    return [d for d in drafts if d.kind == "article"]


def _excerpts(drafts: list[ArticleDraft]) -> list[ArticleDraft]:
    return [d for d in drafts if d.kind == "excerpt"]


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "name", ["section-page.txt", "single-byline.txt", "comments.txt", "blocks-single.txt"]
)
def test_detect_is_confident_on_page_dumps(name: str) -> None:
    assert PageDumpImporter().detect(_source(name)) >= 0.6


def test_detect_is_low_for_markdown() -> None:
    text = (
        "---\ntitle: Notes\n---\n\n# Notes\n\nSome *emphasis* and a [link](https://x.org).\n\n"
        "- one\n- two\n\n## More\n\nText.\n"
    )
    assert PageDumpImporter().detect(_source("notes.md", text)) < 0.3


def test_detect_is_low_for_markdown_without_front_matter() -> None:
    text = "# Title\n\nA paragraph with **bold** text.\n\n## Section\n\n1. first\n2. second\n\n"
    text += "> a quote\n\nMore text [here](http://example.org).\n"
    assert PageDumpImporter().detect(_source("notes.txt", text)) < 0.3


def test_detect_is_zero_for_html() -> None:
    html = "<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>"
    assert PageDumpImporter().detect(_source("page.html", html)) == 0.0


def test_detect_is_low_for_plain_prose() -> None:
    text = "\n\n".join(
        "This is a long paragraph of an essay written as plain text, with full sentences "
        "and no menus around it at all, just the words of the writer. " * 3
        for _ in range(6)
    )
    assert PageDumpImporter().detect(_source("essay.txt", text)) < 0.6


def test_detect_is_zero_for_empty_and_binary() -> None:
    assert PageDumpImporter().detect(_source("empty.txt")) == 0.0
    binary = Source(name="x.bin", data=b"\x00\x01\x02\x03" * 100)
    assert PageDumpImporter().detect(binary) == 0.0


# ---------------------------------------------------------------- section pages


def test_section_page_splits_into_articles() -> None:
    drafts = _parse("section-page.txt")
    articles = _articles(drafts)
    assert [a.title for a in articles] == [
        "Tidal Power Plant Clears Final Review",
        "An Orchestra Without a Conductor",
        "Ferry Operator Orders Two Electric Ships",
    ]
    assert [a.section for a in articles] == ["Science", "Culture", "Business"]
    assert [a.author for a in articles] == ["Mara Olsen", "Ilse Varga", "Tomas Keller"]
    assert [a.published for a in articles] == ["2021-03-03", "2021-03-02", "2021-03-01"]
    assert articles[0].source == "Harbour Ledger Media"
    first = _plain(articles[0].body_markdown)
    assert first.startswith("The tidal power plant")
    assert first.rstrip().endswith("during the spring migration.")
    assert "orchestra" not in first.lower()
    for article in articles:
        assert not CHROME_WORDS.search(_plain(article.body_markdown)), article.title
        assert article.origin and article.origin.endswith("section-page.txt")


def test_section_page_teasers_become_excerpts() -> None:
    excerpts = _excerpts(_parse("section-page.txt"))
    assert [(e.section, e.title) for e in excerpts] == [
        ("Business", "Harbour Cranes Get a Second Life"),
        ("Science", "Seal Count Reaches a Record"),
        ("Culture", "Library Reopens After Repairs"),
    ]
    assert _plain(excerpts[1].body_markdown).startswith("Volunteers counted more seals")


# ---------------------------------------------------------------- single articles


def test_single_article_with_byline() -> None:
    drafts = _parse("single-byline.txt")
    assert len(drafts) == 1
    article = drafts[0]
    assert article.kind == "article"
    assert article.title == "Why the Old Lighthouses Are Going Dark"
    assert article.author == "Nadia Okafor"
    assert article.published == "2022-06-14"
    assert article.section == "Technology"
    assert article.source == "Coastline News Group"
    text = _plain(article.body_markdown)
    assert text.startswith("The lighthouses along the western coast")
    assert "A question of money" in text  # subheadings stay
    assert text.rstrip().endswith("early next year.")
    assert not CHROME_WORDS.search(text)
    assert "Harbour Master Retires" not in text


def test_body_is_one_paragraph_per_block() -> None:
    article = _parse("single-byline.txt")[0]
    paragraphs = article.body_markdown.strip().split("\n\n")
    assert len(paragraphs) == 7
    assert all("\n" not in p for p in paragraphs)


def test_comments_are_not_part_of_the_body() -> None:
    drafts = _parse("comments.txt")
    assert len(_articles(drafts)) == 1
    article = drafts[0]
    assert article.title == "Growing Beans on a Balcony"
    assert article.author == "Ruth Abbott"
    assert article.published == "2020-05-02"
    text = _plain(article.body_markdown)
    assert text.rstrip().endswith("than the ground does.")
    assert "north-facing" not in text
    assert "Tags" not in text


def test_blocks_layout_article() -> None:
    drafts = _parse("blocks-single.txt")
    assert len(drafts) == 1
    article = drafts[0]
    assert article.title == "Mapping the Glacier With Drones"
    assert article.author == "Camille Fontaine"
    assert article.section == "Outdoors"
    text = _plain(article.body_markdown)
    assert text.startswith("A small team of students")
    assert "Photo: The team launching a drone from the moraine." in text  # captions stay
    assert "Story continues below" not in text
    assert "Snowfall Record" not in text
    assert text.rstrip().endswith("across the valley.")


def test_both_layouts_give_the_same_text() -> None:
    blocks = (SAMPLES / "single-byline.txt").read_text(encoding="utf-8")
    lines = _source("single-byline-lines.txt", blocks)
    spaced = _source("single-byline-blocks.txt", blocks.replace("\n", "\n\n"))
    one = PageDumpImporter().parse(lines)[0]
    two = PageDumpImporter().parse(spaced)[0]
    assert one.title == two.title
    assert _plain(one.body_markdown) == _plain(two.body_markdown)


def test_empty_file_fails() -> None:
    with pytest.raises(ImportFailure):
        _parse("empty.txt")


def test_page_without_article_fails() -> None:
    with pytest.raises(ImportFailure, match="no article found"):
        _parse("menus-only.txt")


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "> not a quote",
        "- not a list",
        "* not a list either",
        "+ nor this",
        "1. not numbered",
        "2) not numbered",
        "a *star* and _under_ and `tick` and [box] and <tag> and back\\slash",
        "===",
        "---",
        "    indented code?",
        "AT&amp;T &copy; entities stay",
        "trailing backslash \\",
        "! [image](x.png) and ![alt](y.png)",
        "~~strike~~ | pipe |",
    ],
)
def test_escape_markdown_round_trips(text: str) -> None:
    rendered = _plain(escape_markdown(text) + "\n")
    assert rendered.strip() == text.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("Updated on: November 19, 2019 / 10:07 AM", "2019-11-19"),
        ("By Tim Childers 2019-11-19T12:48:14Z Space", "2019-11-19"),
        ("21 June 2014", "2014-06-21"),
        ("sexta-feira, 22 de outubro de 2010", "2010-10-22"),
        ("Posted on Maret 30, 2015 by Admin", "2015-03-30"),
        ("no date here", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_one_megabyte_parses_quickly() -> None:
    """A guard against quadratic work, not a speed target (that is the bench's):
    CPU time, and a bound well above the ~0.8 s it takes, so a busy machine does not
    fail it while a quadratic pass (tens of seconds) would."""
    page = (SAMPLES / "single-byline.txt").read_text(encoding="utf-8")
    text = (page + "\n") * (1_000_000 // len(page) + 1)
    source = _source("big.txt", text)
    source.text  # decode outside the timing  # noqa: B018
    started = time.process_time()
    drafts = PageDumpImporter().parse(source)
    assert time.process_time() - started < 3.0
    assert drafts


def test_long_pathological_lines_parse_quickly() -> None:
    text = "\n".join(
        [
            "a" * 200_000,
            ("word " * 40_000).strip(),
            "1 " * 50_000,
            "By " + "Name " * 20_000,
            "x. " * 60_000,
            "Home | " * 20_000,
        ]
    )
    started = time.process_time()
    with contextlib.suppress(ImportFailure):
        PageDumpImporter().parse(_source("weird.txt", text))
    assert time.process_time() - started < 1.0


# ---------------------------------------------------------------- the shared fixture


@pytest.fixture()
def section_fixture() -> Source:
    if not SECTION_FIXTURE.exists():
        pytest.skip("shared fixture news-section-page.txt is not available")
    return Source(name=str(SECTION_FIXTURE), data=SECTION_FIXTURE.read_bytes())


def test_news_section_page_fixture(section_fixture: Source) -> None:
    importer = PageDumpImporter()
    assert importer.detect(section_fixture) >= 0.6
    drafts = importer.parse(section_fixture)
    articles = _articles(drafts)
    assert [a.title for a in articles] == [
        "Imprisoned ISIS Wives and Children Have Nowhere to Run To, Nowhere to Hide",
        "Can the Taliban tame ETIM?",
        "The heartwarming story of Uighur jihadists",
        "Islamic State Khorasan’s Threat and the Taliban",
    ]
    assert all(a.section == "Terrorism" for a in articles)
    assert articles[0].author == "Anne Speckhard"
    for article in articles:
        text = _plain(article.body_markdown)
        assert not CHROME_WORDS.search(text), article.title
        assert "hours ago" not in text
        assert len(text.split()) > 300
    assert "Uighur jihadists of Turkestan Islamic Party" in _plain(articles[1].body_markdown)
    excerpts = _excerpts(drafts)
    assert [(e.section, e.title) for e in excerpts] == [
        ("Americas", "Reason, Science and Empathy: Interrelated Foundations of American Survival"),
        ("South Asia", "Fifty Years OF India-Bangladesh Ties: Sky’s The Limit"),
        ("South Asia", "Pakistan slips on a slippery slope of religious militancy"),
        (
            "Development",
            "Report Underlines Reforms to Support Fiscal Federalism, Green Growth in Nepal",
        ),
        ("Africa", "The UK’s travel ban: Why Nigerians must look towards their leaders"),
        (
            "Development",
            "Philippines: Boosting Private Sector Growth Can Strengthen Recovery, Create More Jobs",
        ),
        ("International Law", "The crisis of international law"),
    ]
    assert len(drafts) == 11


def test_article_is_not_taken_from_a_denser_comment_thread_below_it() -> None:
    drafts = _parse("comments-dense.txt")
    [article] = [d for d in drafts if d.kind == "article"]
    text = _plain(article.body_markdown)
    assert text.startswith("The island ferry will run four crossings")
    assert "discuss the new timetable" in text
    assert "eleven years" not in text and "Rating" not in text


def test_a_related_box_with_several_headers_inside_the_article_is_skipped() -> None:
    [article] = [d for d in _parse("related-box.txt") if d.kind == "article"]
    text = _plain(article.body_markdown)
    assert text.startswith("When the church hall closed")
    assert "Tickets are free" in text
    assert "Brass band" not in text and "railway line" not in text and "Nice story" not in text


def test_a_short_author_bio_ends_the_article_and_names_the_author() -> None:
    [article] = [d for d in _parse("bio-then-promo.txt") if d.kind == "article"]
    text = _plain(article.body_markdown)
    assert text.rstrip().endswith("has been invited.")
    assert "newsletter" not in text and "freelance reporter" not in text
    assert article.author == "Tomas Reed"


def test_unspaced_breadcrumb_is_not_the_headline() -> None:
    """A trail written without spaces (Chinese sites) is a breadcrumb, not a title."""
    from importers.pagedump import _BREADCRUMB

    assert _BREADCRUMB.search("专栏/轻小说/同人连载/情人节赠礼")
    assert _BREADCRUMB.search("首页｜新华社记者看东北｜人物专访")
    assert not _BREADCRUMB.search("Is 24/7/365 support worth it")
    assert not _BREADCRUMB.search("TCP/IP and you")
    # one guillemet between two names is a trail too: headlines don't write it
    assert _BREADCRUMB.search("weddingsite » Wedding articles")
    assert not _BREADCRUMB.search("Vote for «the best couple» of the year")


# ---------------------------------------------------------------- dump titles (issue 14)


def _score_pair(
    monkeypatch: pytest.MonkeyPatch, head: int, deck: int, scores: dict[int, float]
) -> pagedump_model.Model | None:
    """Make the title ranker see only lines ``head`` and ``deck``, scored by ``scores`` (read
    at each call, so a test can change them); returns the installed title model."""
    from importers import pagedump

    monkeypatch.setattr(pagedump, "title_candidates", lambda *_: [(head, [0.0]), (deck, [1.0])])
    monkeypatch.setattr(
        pagedump_model, "logits", lambda _model, rows: [scores[head], scores[deck]][: len(rows)]
    )
    return pagedump_model.current("title")


_STANDFIRST_DUMP = "\n".join(
    [
        "Skip to main content",
        "Home",
        "News",
        "Sport",
        "Weather",
        "Harbour Seals Return to the Old Ferry Slip",
        (
            "After a decade away, a colony of forty seals has settled beside the disused "
            "ferry slip in the town's harbour"
        ),
        "By Maria Lindqvist",
        "12 March 2024",
        "See also",
        "Council votes to repair the harbour wall this spring",
        (
            "Forty harbour seals have been counted this week on the concrete ramp of the old "
            "ferry slip, the first colony in the harbour since the ferry stopped running ten "
            "years ago."
        ),
        (
            "Volunteers from the wildlife trust say the seals arrived in small groups over "
            "the winter, drawn by fish that returned once the boats were gone and the water "
            "grew quiet again."
        ),
        (
            "The trust has asked walkers to keep their dogs on a lead along the quay and to "
            "stay at least twenty metres from the animals while the pups are young."
        ),
        (
            "Fishermen in the town have mixed feelings: some welcome the visitors, others "
            "fear for the nets they still set at the mouth of the harbour every morning."
        ),
        (
            "The council will discuss a viewing platform at its next meeting, and the trust "
            "will keep counting the seals every week until the end of the summer."
        ),
        "Advertisement",
        "Most read",
        "Footer links",
    ]
)


def test_dump_title_is_the_headline_not_its_standfirst_or_a_see_also_link() -> None:
    """The headline sits above its standfirst and byline; a related link under "See also"
    between them and the body is not the headline, nor is the longer standfirst."""
    drafts = PageDumpImporter().parse(_source("seals.txt", _STANDFIRST_DUMP))
    (article,) = _articles(drafts)
    assert article.title == "Harbour Seals Return to the Old Ferry Slip"
    assert "Forty harbour seals" in article.body_markdown


def test_title_helpers_see_labels_and_runs_of_link_lines() -> None:
    from importers import pagedump

    lines, _counts, _teasers, _teaser_lines = pagedump.prepare(
        "See also\nRelated content:\nHarbour Seals Return to the Old Ferry Slip\n"
        "One link to a story about boats\nAnother link to a story about fish\n"
        "A third link to a story about nets\nThis is a sentence that ends here.\n"
    )
    assert pagedump._label(lines[0]) and pagedump._label(lines[1])
    assert not pagedump._label(lines[2])
    runs = pagedump._list_runs(lines, 0, len(lines))
    assert runs[3] == runs[5] == 4  # the headline-shaped lines 2-5 run on
    assert 6 not in runs  # a sentence ends the run
    assert pagedump._pair_headline(lines[2]) and not pagedump._pair_headline(lines[6])


def test_title_helpers_tag_lists_and_repeated_teaser_shapes() -> None:
    """A line of short tags is an item list, a headline is not; in a teaser list every
    headline has the same neighbours (section above, date below), the page's headline not."""
    from importers import pagedump

    assert pagedump._item_list("HIV/AIDS , Africa , Immigration , Ebola")
    assert pagedump._item_list("News | Sport | Weather | Culture")
    assert not pagedump._item_list("Harbour Seals Return to the Old Ferry Slip")
    assert not pagedump._item_list("Seals, long gone from the harbour, return to the slip")

    teaser = "World\nA headline about ships leaving the port\n3 December 2026\n\n"
    text = (
        "The Harbour Seals Return to the Old Ferry Slip\n"
        "By Ann Writer\n\n"
        "Forty harbour seals were counted on the slip this morning, the first in years.\n\n"
        + teaser
        * 4
    )
    lines, *_ = pagedump.prepare(text)
    repeats = pagedump._shape_repeats(lines, 0, len(lines))
    headline = next(i for i, line in enumerate(lines) if line.text.startswith("The Harbour"))
    teasers = [i for i, line in enumerate(lines) if line.text.startswith("A headline")]
    assert repeats.get(headline, 0) == 0
    assert [repeats[i] for i in teasers] == [3, 3, 3, 3]


def _title_and_flags(dump: str, feature: str) -> tuple[str, dict[str, float]]:
    """The title a seals dump gets, and one title feature of each candidate above its body
    (by the candidate's first seven characters)."""
    from importers import pagedump

    (article,) = _articles(PageDumpImporter().parse(_source("seals.txt", dump)))
    lines, counts, *_ = pagedump.prepare(dump)
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Forty harbour"))
    column = pagedump.TITLE_FEATURES.index(feature)
    flags = {
        lines[i].text[:7]: row[column]
        for i, row in pagedump.title_candidates(lines, start, counts)
        if i < start  # the body's own first lines are candidates too
    }
    return article.title, flags


def test_dump_title_is_not_a_line_of_keywords_in_lower_case() -> None:
    """A page's keywords written out in lower case between headline and body
    (``harbour seals ferry slip wildlife``) are not the headline."""
    dump = _STANDFIRST_DUMP.replace(
        "See also\nCouncil votes to repair the harbour wall this spring",
        "harbour seals old ferry slip wildlife trust colony return",
    )
    title, flags = _title_and_flags(dump, "all_lower")
    assert title == "Harbour Seals Return to the Old Ferry Slip"
    assert flags["harbour"] == 1.0
    assert flags["Harbour"] == 0.0


def test_dump_title_is_not_a_standfirst_the_body_repeats() -> None:
    """A standfirst the body repeats as a paragraph (``Το επίπεδο συναγερμού …`` on
    tovima.gr) is flagged, and the headline above it stays the title."""
    standfirst = (
        "After a decade away, a colony of forty seals has settled beside the disused "
        "ferry slip in the town's harbour"
    )
    dump = _STANDFIRST_DUMP.replace(
        "Volunteers from the wildlife trust", standfirst + ".\nVolunteers from the wildlife trust"
    )
    title, flags = _title_and_flags(dump, "again_in_body")
    assert title == "Harbour Seals Return to the Old Ferry Slip"
    assert flags["After a"] == 1.0
    assert flags["Harbour"] == 0.0


def test_dump_title_is_not_a_contents_entry_the_body_repeats_as_a_heading() -> None:
    """A contents list under the headline names the body's own section headings; such an
    entry is flagged (the body has the same line) and the headline stays the title."""
    dump = _STANDFIRST_DUMP.replace(
        "See also\nCouncil votes to repair the harbour wall this spring",
        "Where the seals came from",
    ).replace(
        "The trust has asked walkers", "Where the seals came from\nThe trust has asked walkers"
    )
    title, flags = _title_and_flags(dump, "heading_in_body")
    assert title == "Harbour Seals Return to the Old Ferry Slip"
    assert flags["Where t"] == 1.0
    assert flags["Harbour"] == 0.0


def test_dump_title_is_not_a_standfirst_below_share_tools() -> None:
    """Share tools between a headline and its standfirst (``Headline / Tweet /
    Standfirst.``) do not hide which of the two is the headline."""
    dump = _STANDFIRST_DUMP.replace(
        "Harbour Seals Return to the Old Ferry Slip\n",
        "Harbour Seals Return to the Old Ferry Slip\nTweet\n",
    ).replace("in the town's harbour\n", "in the town's harbour.\n")
    title, flags = _title_and_flags(dump, "deck_past_tools")
    assert title == "Harbour Seals Return to the Old Ferry Slip"
    assert flags["After a"] == 1.0
    assert flags["Harbour"] == 0.0


def test_a_close_call_between_a_headline_and_the_deck_under_it_goes_to_the_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Of two adjacent headline-shaped lines the ranker scores within ``pair_margin`` of each
    other, the upper is the headline: a deck stands under its headline, not above it."""
    from importers import pagedump

    lines, counts, *_ = pagedump.prepare(_STANDFIRST_DUMP)
    head = next(i for i, line in enumerate(lines) if line.text.startswith("Harbour Seals"))
    deck = next(i for i, line in enumerate(lines) if line.text.startswith("After a decade"))
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Forty harbour"))
    assert pagedump._headline_over(lines, head, deck, start)
    assert not pagedump._headline_over(lines, deck, head, start)  # the deck is below
    home = next(i for i, line in enumerate(lines) if line.text == "Weather")
    assert not pagedump._headline_over(lines, home, head, start)  # one word: a menu item

    scores = {head: 1.0, deck: 1.4}
    model = _score_pair(monkeypatch, head, deck, scores)
    assert model is not None and model.settings["pair_margin"] == 0.5
    assert pagedump._rank_titles(lines, start, counts) == head
    scores[deck] = 1.6  # past pair_margin, but a deck-shaped line within deck_margin
    assert model.settings["deck_margin"] == 1.5
    assert pagedump._rank_titles(lines, start, counts) == head
    scores[deck] = 2.6  # no longer a close call
    assert pagedump._rank_titles(lines, start, counts) == deck


_TITLE_FIELD_DUMP = "\n".join(
    [
        "首页 | 政务公开 | 政策法规 | 办事服务 | 互动交流",
        "您现在的位置：首页 > 政务公开 > 通知公告",
        "页面功能 【我来说两句】【推荐】【字体：大 中 小】【打印】 【关闭】",
        "标 题： 关于禁止在嫩江干流治理工程占地范围内新增建设项目的通告",
        "发布日期： 2011-03-01",
        "为保证嫩江干流补充治理工程建设顺利进行，维护工程建设区域内的正常秩序，根据有关法律"
        "法规的规定，现将有关事项通告如下。自本通告发布之日起，在工程建设征占地范围内，禁止"
        "新建、扩建、改建任何建筑物和构筑物。",
        "任何单位和个人不得在工程建设征占地范围内抢栽抢种，不得擅自迁入人口，违反本通告规定"
        "的，由有关部门依法处理，所造成的损失由当事人自行承担。各有关部门要密切配合，认真做好"
        "工程建设的各项工作。",
        "本通告自发布之日起施行，各地要加强宣传，使广大群众知晓本通告的内容，自觉遵守本通告的"
        "各项规定，共同维护工程建设的良好环境和秩序，确保工程按期完成。",
        "版权所有 | 联系我们 | 网站地图",
    ]
)


def test_a_title_field_names_the_headline_and_a_tool_bar_is_no_candidate() -> None:
    """``标 题： …`` labels the page's title: it is the title, without its label. A tool bar
    (``【推荐】【打印】【关闭】``) is never a headline candidate."""
    from importers import pagedump

    (article,) = _articles(PageDumpImporter().parse(_source("notice.txt", _TITLE_FIELD_DUMP)))
    assert article.title == "关于禁止在嫩江干流治理工程占地范围内新增建设项目的通告"
    assert "抢栽抢种" in article.body_markdown
    lines, *_ = pagedump.prepare(_TITLE_FIELD_DUMP)
    tools = next(line for line in lines if line.text.startswith("页面功能"))
    assert not pagedump._candidate_like(tools)
    field = next(line for line in lines if pagedump._TITLE_FIELD.match(line.text))
    assert pagedump._candidate_like(field)


_RANKING_DUMP = "\n".join(
    [
        "Home | World | Business | Markets | Opinion | Contact",
        "",
        "Hong Kong keeps first place in economic freedom index",
        "",
        "2024-01-11 09:30",
        "",
        "Hong Kong has kept first place in an index of economic freedom for the twentieth "
        "year running, ahead of Singapore and Australia, a Washington research group said "
        "on Tuesday.",
        "",
        "The group scores 184 economies on the rule of law, the size of government, "
        "regulation and open markets, and this year it lowered the scores of most large "
        "economies.",
        "",
        "Economists in the city said the result reflected low taxes and free movement of "
        "capital, but warned that rising rents would weigh on next year's score and on "
        "the city's small firms.",
        "",
        "The first six places this year:",
        "",
        "1、Hong Kong",
        "",
        "2、Singapore",
        "",
        "3、Australia",
        "",
        "4、New Zealand",
        "",
        "5、Switzerland",
        "",
        "6、Canada",
        "",
        "Most read",
        "",
        "1. Tram fares rise in March (5451)",
        "",
        "2. Ferry pier to close for repairs (5146)",
        "",
        "3. New bus routes for the airport (5139)",
        "",
        "© 2024 Example News. All rights reserved.",
        "",
    ]
)


def test_an_announced_numbered_list_stays_in_the_body() -> None:
    """Items counting up under a line ending in a colon (``1、``, ``（2）``, ``3．`` as well
    as ``1.``) are the article's, however short; a numbered "most read" box is not."""
    from importers import pagedump

    for item in ("1、香港", "（2）来宾介绍", "3．Chile", "4. Canada", "5) Peru"):
        assert pagedump._NUMBERED.match(item), item
    assert not pagedump._NUMBERED.match("2018 Boys State Swim Results")
    lines, _counts, *_ = pagedump.prepare(_RANKING_DUMP)
    listed = {line.text: line.listed for line in lines if line.text}
    assert listed["1、Hong Kong"] and listed["6、Canada"]
    assert not listed["1. Tram fares rise in March (5451)"]

    (article,) = _articles(PageDumpImporter().parse(_source("ranking.txt", _RANKING_DUMP)))
    text = _plain(article.body_markdown)
    assert "Hong Kong has kept first place" in text
    assert "rising rents" in text
    assert "1、Hong Kong" in text and "6、Canada" in text
    assert "Tram fares" not in text


_RESULTS_DUMP = "\n".join(
    [
        "Home | Reviews | Deals | Gaming | Podcasts | About",
        "",
        "How long the handhelds last on one charge",
        "",
        "By Ana Ortiz March 1st at 9:12 AM",
        "",
        "A video channel left twenty handheld consoles running the same game with the "
        "screen at full brightness and the sound on, and timed how long each one lasted "
        "before it switched itself off.",
        "",
        "Some of the oldest machines outlasted every modern one by a wide margin, mostly "
        "because their screens have no backlight and their batteries are plain cells.",
        "",
        "Here are the full results from the battery test:",
        "",
        *[
            f"{name} – {hours}hrs"
            for name, hours in [
                ("Pocket One", "2.41"),
                ("Pocket Two", "3.25"),
                ("Media Touch Two", "3.39"),
                ("Pocket Fold", "3.55"),
                ("Advance Lite", "3.59"),
                ("Tablet Two", "4.00"),
                ("Tablet Air", "4.04"),
                ("Portable Station", "4.56"),
                ("Hybrid Switch", "5.12"),
                ("Game Brick Colour", "35.45"),
            ]
        ],
        "",
        "Your results will vary with the game and the brightness, but the order held in "
        "every run the channel made, and the newest hybrid sits in the middle of the table.",
        "",
        "Tags: Gaming, Handhelds",
        "",
        "View Comments",
    ]
)


def test_a_list_the_article_announces_stays_in_the_body() -> None:
    """Short lines after a sentence ending in a colon are the list it announces: the body
    keeps them, and the paragraph after them."""
    from importers import pagedump

    lines, counts, *_ = pagedump.prepare(_RESULTS_DUMP)
    pagedump._apply_model(lines, counts)
    listed = [line.text for line in lines if line.listed]
    assert listed[:1] == ["Pocket One – 2.41hrs"]
    assert listed[-1:] == ["Game Brick Colour – 35.45hrs"]

    (article,) = _articles(PageDumpImporter().parse(_source("results.txt", _RESULTS_DUMP)))
    text = _plain(article.body_markdown)
    assert "Pocket One – 2.41hrs" in text and "Game Brick Colour – 35.45hrs" in text
    assert "newest hybrid sits in the middle" in text
    assert "Tags:" not in text


def test_a_heading_with_a_colon_announces_no_list() -> None:
    """A two-word heading ending in a colon (``Our partners:``) is no sentence of the
    article: the lines under it are not marked as its list."""
    from importers import pagedump

    dump = _RESULTS_DUMP.replace(
        "Here are the full results from the battery test:", "Battery results:"
    )
    lines, counts, *_ = pagedump.prepare(dump)
    pagedump._apply_model(lines, counts)
    assert not any(line.listed for line in lines)


@pytest.mark.parametrize(
    "line",
    [
        "Reader views (5)",
        "Add your view",
        "Have your say",
        "8 users responded in this post",
        "Комментарии (3)",
        "Текст комментария",
        "Dodaj komentarz",
        "Αφήστε ένα σχόλιο",
        "One Comment",
        "soundoff (78 Responses)",
        "You can follow any responses to this entry through the RSS 2.0 feed.",
        "Odpowiedzi: 3 to “Ryszard Cyba skazany na dożywocie”",
    ],
)
def test_comment_headings_in_several_languages_end_the_article(line: str) -> None:
    from importers import pagedump

    lines, *_ = pagedump.prepare(f"Home | News | Sport\n\n{line}\n")
    assert [entry.kind for entry in lines if entry.text == line] == [pagedump.TERMINAL]


_PARAGRAPHS = [
    "The harbour board agreed on Monday to rebuild the north pier, closed since a storm "
    "tore away part of its deck two winters ago, at a cost of four million pounds.",
    "Work starts in April and should take eighteen months; the ferry will use the south "
    "quay until then, which adds about ten minutes to each crossing.",
    "Fishing boats will keep their moorings, the board said, and the lifeboat station at "
    "the end of the pier will stay open throughout the works.",
]
_COMMENTS = [
    "I have used that pier every day for thirty years and I am glad to see it mended at "
    "last, though eighteen months is a long time for the people who work on the boats.",
    "Four million pounds seems a lot for a pier that was neglected for years before the "
    "storm finished it off; the board should explain where the money comes from first.",
    "The south quay is already too crowded in the summer with the tourist boats, and now "
    "the ferry will have to share it with them for two whole seasons, which nobody wants.",
]


def test_a_comments_link_above_the_article_does_not_hand_the_page_to_the_comments() -> None:
    dump = "\n\n".join(
        [
            "Home | News | Sport | Weather | Contact",
            "North pier to be rebuilt after storm damage",
            "Add your view",
            *_PARAGRAPHS,
            "Reader views (3)",
            *[f"{text}\n\n- Reader {n}, Harbourside" for n, text in enumerate(_COMMENTS)],
        ]
    )
    (article,) = _articles(PageDumpImporter().parse(_source("pier.txt", dump)))
    text = _plain(article.body_markdown)
    assert text.startswith("The harbour board agreed")
    assert "lifeboat station" in text
    assert "thirty years" not in text and "tourist boats" not in text


@pytest.mark.parametrize("said", ["said,", "says:", "powiedział/a", "написал:"])
def test_comments_headed_by_name_said_are_not_the_article(said: str) -> None:
    dump = "\n\n".join(
        [
            "Home | Travel | Reviews | About",
            "North pier to be rebuilt after storm damage",
            "Posted on August 9th, 2012 by harbourwatch",
            *_PARAGRAPHS,
            *[f"Reader{n} {said}\n\n{text}" for n, text in enumerate(_COMMENTS)],
        ]
    )
    (article,) = _articles(PageDumpImporter().parse(_source("pier.txt", dump)))
    text = _plain(article.body_markdown)
    assert "lifeboat station" in text
    assert "Reader0" not in text and "thirty years" not in text


@pytest.mark.parametrize(
    "line",
    ["Zobacz także", "Читайте также", "Похожие новости", "Διαβάστε επίσης", "Pročitajte još",
     "相关新闻：", "推荐阅读", "延伸閱讀"],
)  # fmt: skip
def test_see_also_boxes_in_the_collections_languages_end_the_article(line: str) -> None:
    from importers import pagedump

    lines, *_ = pagedump.prepare(f"Home | News | Sport\n\n{line}\n")
    assert [entry.kind for entry in lines if entry.text == line] == [pagedump.END]


def test_a_count_of_comments_with_a_prompt_ends_the_article() -> None:
    from importers import pagedump

    for line in ("{ 141 comments… read them below or add one }", "← Previous Comments"):
        lines, *_ = pagedump.prepare(f"Home | News | Sport\n\n{line}\n")
        assert [entry.kind for entry in lines if entry.text == line] == [pagedump.TERMINAL]


def test_a_short_article_wins_over_the_longer_teaser_list_below_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page's article comes before the teasers and threads under it: a shorter prose
    region above the densest one is the article when it scores ``EARLIER_SHARE`` of it."""
    from importers import pagedump

    article = [
        "The harbour board voted on Monday to reopen the old ferry slip to small boats "
        "from the first of May, after two years in which the ramp stood closed for repairs.",
        "Fishermen had asked for the slip since the winter storms damaged the quay, and "
        "the board said the new surface would carry boats of up to six tonnes safely.",
        "The works cost less than planned, the board's chair said, and the savings will "
        "pay for new lights along the harbour wall before the summer season begins.",
    ]
    teasers = []
    for n in range(3):
        teasers += [
            f"Council weighs new plan number {n} for the market square",
            f"Traders in the market square met the council on day {n} to discuss the plan "
            "for new stalls, longer opening hours in the summer and a covered area for the "
            "winter months, which several of them said they had asked for many times before.",
        ]
    dump = "\n".join(
        ["Home", "News", "Sport", "Harbour board reopens the ferry slip", *article]
        + ["Share", "Print", "Email", "Advertisement", "Menu", "Sections", "Weather", "Jobs"]
        + teasers
        + ["About us", "Contact", "Privacy"]
    )
    (draft,) = _articles(PageDumpImporter().parse(_source("slip.txt", dump)))
    assert "harbour board voted on Monday" in draft.body_markdown
    assert "Traders in the market square" not in draft.body_markdown
    monkeypatch.setattr(pagedump, "EARLIER_SHARE", 99.0)  # the rule off: the teasers win
    (draft,) = _articles(PageDumpImporter().parse(_source("slip.txt", dump)))
    assert "Traders in the market square" in draft.body_markdown


def test_a_date_printed_after_the_headline_is_not_part_of_the_title() -> None:
    from importers.pagedump import _without_trailing_date

    assert (
        _without_trailing_date("I think we learned something today…….. July 29, 2012")
        == "I think we learned something today…….."
    )
    assert _without_trailing_date("Harbour seals return to the slip | 3 May 2011") == (
        "Harbour seals return to the slip"
    )
    assert _without_trailing_date("Harbour seals return — 2011-05-03") == "Harbour seals return"
    # no separator, too few words, or the date inside the headline: kept as printed
    assert _without_trailing_date("What happened on July 4, 1776") == (
        "What happened on July 4, 1776"
    )
    assert _without_trailing_date("Seals - 3 May 2011") == "Seals - 3 May 2011"
    assert _without_trailing_date("On 3 May 2011 the seals came back") == (
        "On 3 May 2011 the seals came back"
    )


@pytest.mark.parametrize(
    "text",
    [
        "HIV/AIDS , Africa , Immigration , International Travel , Bushmeat , Ebola",
        "新华网黑龙江频道 记者 伊琳 李清芬",
        "Sarah Hauer | Milwaukee Journal Sentinel",
        "The Numbers Guy HOME PAGE »",
        "СЕЙЧАС В КИЕВЕ: -2",
        "Новости Афиша Дом Авто Работа Медпортал Блогосфера Все сервисы",
        "页面功能 【我来说两句】【推荐】【打印】【关闭】",
        "Wto 19:19 NSA oddalił skargi kasacyjne ws. rezerwacji częstotliwości",
        "07:34 Rynek jednośladów kurczy się",
        "News and weather for: [change]",
        "Sham, Yaman and Lulu in Lesbos, Greece, September 2015 (Amanda Bailly)",
        "Amanda Bailly with her family in April 2016. (Amanda Bailly)",
        "全球股市行情： 代码查询 使用说明",
    ],
)
def test_shapes_no_headline_has_are_never_candidates(text: str) -> None:
    from importers import pagedump

    assert pagedump._never_headline(text)


@pytest.mark.parametrize(
    "text",
    [
        "Obama, Clinton, Edwards trade barbs in debate",
        "Iran Says It Will Retaliate If US Attacks Its Ships",
        "Путин и Медведев обсудили бюджет на 2012 год",
        "Φιλιππίνες: Συναγερμός για θανατηφόρες επιδημίες μετά τις πλημμύρες",
        "记者节：新闻人的一天",
        "Apple Q3: iPhone sales up 20%",
        "Machine learning, explained | MIT Sloan",
        "9/11: Ten years on, the city remembers",
        "Watch the final minutes [VIDEO]",
        "Belt Buckle Senses Your Air Rocking (Via Magic Pics)",
        "I Ran My Own Newsletter Through My AI Tool (Here's What It Found)",
        "孩子：我的奶酪，谁做主",
        "多国限购婴儿奶粉 限购主要针对中国买家",
    ],
)
def test_headlines_are_not_taken_for_shapes_no_headline_has(text: str) -> None:
    from importers import pagedump

    assert not pagedump._never_headline(text)


_FACT_TABLE_DUMP = "\n".join(
    [
        "首页 | 产业资讯 | 网络资讯",
        "KC网络电话龙年春节六大实惠型应用！",
        "出处：pconline 2012年01月17日 作者：PConline",
        "现如今有不少朋友把春节戏称为“春劫”，意思就是春节期间多种消费和开销突然放大，"
        "增大的消费和开销让普通老百姓有些难以承受，这也只是一种好玩的说法。",
        "软件名称： KC网络电话",
        "软件版本： 2011版",
        "软件大小： 5.08MB",
        "适用平台： Win9X WinNT Win2000 WinXP",
        "春节期间，很多人都要给远方的亲朋好友打电话拜年，网络电话可以节省不少话费，"
        "而且通话质量也越来越好，已经成为很多人过年必备的软件之一。",
        "除了打电话，这款软件还可以发送短信和传真，在春节期间还推出了多项优惠活动，"
        "用户只要注册就可以获得免费的通话时长，非常实惠。",
        "版权所有 | 联系我们 | 网站地图",
    ]
)


def test_a_fact_table_row_is_no_headline_but_a_colon_headline_is() -> None:
    """``软件名称： KC网络电话`` over ``软件版本： 2011版`` over ``软件大小：…`` is a table of
    facts; a headline with a colon stands alone and stays a candidate."""
    from importers import pagedump

    lines, *_ = pagedump.prepare(_FACT_TABLE_DUMP)
    row = next(i for i, line in enumerate(lines) if line.text.startswith("软件名称"))
    assert pagedump._field_row(lines, row)
    lines, *_ = pagedump.prepare("记者节：新闻人的一天\n\n" + _FACT_TABLE_DUMP)
    assert not pagedump._field_row(lines, 0)
    (article,) = _articles(PageDumpImporter().parse(_source("kc.txt", _FACT_TABLE_DUMP)))
    assert article.title == "KC网络电话龙年春节六大实惠型应用！"


def test_a_deck_under_its_headline_points_back_to_it_past_tools() -> None:
    """``Headline / Read later / Deck sentence.``: the deck's headline is the line above the
    tool; a short label or a longer line above is no headline of that deck."""
    from importers import pagedump

    dump = "\n".join(
        [
            "Music of the Month(s): The Best Albums and Tracks of November 2025",
            "Read later",
            "Our final round-up from 2025 is the best from November and December, as "
            "selected by our staff.",
            "Patrick Clarke",
            "Published 10:19am 19 December 2025",
            "Eagle-eyed readers will have spotted that there was no round-up last month.",
        ]
    )
    lines, *_ = pagedump.prepare(dump)
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Eagle"))
    candidates = [i for i, line in enumerate(lines) if line.text]
    deck = next(i for i, line in enumerate(lines) if line.text.startswith("Our final"))
    upper = pagedump._headline_above_deck(lines, candidates, candidates.index(deck), start)
    assert upper is not None and lines[candidates[upper]].text.startswith("Music of")
    # the headline itself has no headline above it
    head = candidates.index(0)
    assert pagedump._headline_above_deck(lines, candidates, head, start) is None
    # a deck shorter than the line above is no deck
    deck_text = dump.splitlines()[2]
    lines, *_ = pagedump.prepare(dump.replace(deck_text, "The month in records, ranked", 1))
    short = next(i for i, line in enumerate(lines) if line.text.startswith("The month"))
    candidates = [i for i, line in enumerate(lines) if line.text]
    assert pagedump._headline_above_deck(lines, candidates, candidates.index(short), start) is None
    # under a question, a longer line is what it is about: its deck
    asked = dump.replace(dump.splitlines()[0], "Do cheap laptops threaten the MacBook Air?", 1)
    asked = asked.replace(deck_text, "Two budget machines offer a lot for their price", 1)
    lines, *_ = pagedump.prepare(asked)
    below = next(i for i, line in enumerate(lines) if line.text.startswith("Two budget"))
    candidates = [i for i, line in enumerate(lines) if line.text]
    upper = pagedump._headline_above_deck(lines, candidates, candidates.index(below), start)
    assert upper is not None and lines[candidates[upper]].text.startswith("Do cheap")


def test_a_standfirst_points_back_to_its_headline_past_share_tools_and_a_byline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``Headline / Tweet / Comment (0) / Published on … / Standfirst.``: past any number of
    tools, times and bylines, the first real line above a standfirst is its headline (three
    words are enough, a question too); a tag line in lower case or a label is not."""
    from importers import pagedump

    dump = "\n".join(
        [
            "Home",
            "Flu shots still available",
            "Tweet",
            "Comment (0)",
            "Yesterday, 10:13",
            "Published on January 17, 2012",
            "Pam Snow",
            "The health department advises residents to get vaccinated this winter.",
            "The department sent out a reminder to residents on Tuesday that the seasonal "
            "flu vaccine is still available at clinics across the region, free of charge.",
        ]
    )
    lines, counts, *_ = pagedump.prepare(dump)
    at = {line.text: i for i, line in enumerate(lines) if line.text}
    head, deck = at["Flu shots still available"], at[dump.splitlines()[7]]
    candidates = [i for i, line in enumerate(lines) if line.text]
    for start in (deck, deck + 1):  # the standfirst opens the body or stands above it
        upper = pagedump._headline_past_tools(lines, candidates, candidates.index(deck), start)
        assert upper is not None and candidates[upper] == head
    for other in ("flu shots still available", "Why get a flu shot?"):
        changed, *_ = pagedump.prepare(dump.replace("Flu shots still available", other))
        upper = pagedump._headline_past_tools(changed, candidates, candidates.index(deck), deck)
        found = None if upper is None else changed[candidates[upper]].text
        assert found == (None if other.islower() else other)
    # too far below the body's first line: no standfirst
    below = pagedump._headline_past_tools(lines, candidates, candidates.index(deck), deck - 1)
    assert below is None

    scores = {head: 1.0, deck: 6.5}
    model = _score_pair(monkeypatch, head, deck, scores)
    assert model is not None and model.settings["standfirst_margin"] == 6.0
    assert pagedump._rank_titles(lines, deck, counts) == head  # within 6: the headline
    scores[deck] = 7.5
    assert pagedump._rank_titles(lines, deck, counts) == deck


def test_a_table_of_contents_shown_twice_gives_no_headline() -> None:
    """A run of three or more lines the page shows twice in the same order (a table of
    contents for the desktop and for the phone) holds no headline; a line repeated alone
    (the headline again in a share bar) or a run of one line repeated is no such run."""
    from importers import pagedump

    contents = [
        "Working remotely or taking a sabbatical?",
        "Challenges and chances",
        "Tips for working from anywhere",
        "Nomad travel tips",
    ]
    dump = "\n".join(
        [
            "How To Work Remotely While Also Travelling",
            *contents,
            *contents,
            "by Mark Brown",
            "Who said working remotely is something you can only do from home? If you are "
            "thinking of a remote job, here is what I learned in ten years on the road.",
            "Share: How To Work Remotely While Also Travelling",
            "Share",
            "Share",
            "Share",
        ]
    )
    lines, counts, *_ = pagedump.prepare(dump)
    repeated = pagedump._repeated_runs(lines)
    assert {lines[i].text for i in repeated} == set(contents)
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Who said"))
    candidates = {lines[i].text for i, _ in pagedump.title_candidates(lines, start, counts)}
    assert "How To Work Remotely While Also Travelling" in candidates
    assert not candidates & set(contents)


def test_an_embedded_post_with_its_link_is_no_headline() -> None:
    """A line that writes out a web address (an embedded post) heads no article; a headline
    naming a site does."""
    from importers import pagedump

    lines, *_ = pagedump.prepare(
        "The sights and sounds of the final! pic.twitter.com/tVYLAyzpWc\n"
        "Read it at https://example.com/story now\n"
        "Amazon.com opens a store in Leeds\n"
    )
    shown = [line for line in lines if line.text]
    assert [pagedump._title_like(line) for line in shown] == [False, False, True]
    assert [pagedump._headline_like(line) for line in shown] == [False, False, True]


def test_a_teaser_under_also_read_gives_way_to_the_headline_above_it() -> None:
    """``Headline / Also read / Teaser``: when the teaser under a label that ends an
    article scores best, a candidate above the label scoring within ``label_margin`` of it
    is the headline; far below it, or with no label between, the teaser stays."""
    from importers import pagedump

    dump = "\n".join(
        [
            "Fire in the old market rages on amid fears the building may fall",
            "ALSO READ",
            "Fire at the old market yet to be controlled",
            "January 14, 2008",
            "The army has been called in to help the firemen as the fire in the old "
            "market building still rages, three days after it began on Saturday night.",
        ]
    )
    lines, *_ = pagedump.prepare(dump)
    at = {line.text: i for i, line in enumerate(lines) if line.text}
    head, teaser = at[dump.splitlines()[0]], at["Fire at the old market yet to be controlled"]
    assert lines[at["ALSO READ"]].kind == pagedump.END
    candidates = [(head, []), (teaser, [])]
    assert pagedump._past_label(lines, candidates, [7.8, 8.0], 1, 3.0) == head
    assert pagedump._past_label(lines, candidates, [4.0, 8.0], 1, 3.0) == teaser
    assert pagedump._past_label(lines, candidates, [8.0, 7.8], 0, 3.0) == head
    model = pagedump.pagedump_model.current("title")
    assert model is not None and model.settings["label_margin"] == 3.0


def test_teasers_tagged_with_their_section_give_no_headline() -> None:
    """``Headline / Politics`` three times over is a teaser list, whose items are no
    headline; the page's own headline under the list stays a candidate, and two items
    tagged alike are not yet a list."""
    from importers import pagedump

    teasers = [
        "House votes to block the browsing rules",
        "Internet privacy bill vote coming in the House",
        "President to meet his Chinese counterpart in April",
    ]
    rows = [row for teaser in teasers for row in (teaser, "Politics")]
    dump = "\n".join(
        [
            *rows,
            "By Rebecca Shaw, March 29, 2017",
            "Health care bill battle goes on behind the scenes",
            "Share",
            "Republicans say they are not giving up on their plan to replace the health "
            "law despite their failure last week, and talks go on behind closed doors.",
        ]
    )
    lines, counts, *_ = pagedump.prepare(dump)
    assert {lines[i].text for i in pagedump._tagged_items(lines)} == set(teasers)
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Republicans"))
    candidates = {lines[i].text for i, _ in pagedump.title_candidates(lines, start, counts)}
    assert "Health care bill battle goes on behind the scenes" in candidates
    assert not candidates & set(teasers)
    lines, *_ = pagedump.prepare(dump.replace(rows[0] + "\n" + rows[1] + "\n", "", 1))
    assert not pagedump._tagged_items(lines)


def test_a_blogs_comment_header_names_the_posts_title() -> None:
    """``310 Responses to “The Busy Beaver Frontier”`` names the post: that candidate is
    the headline, over the blog's tagline at the top of the page."""
    from importers import pagedump

    dump = "\n".join(
        [
            "Shtetl-Optimized",
            "The Blog of Scott Aaronson",
            "« Is this blog obsolete?",
            "The Busy Beaver Frontier",
            "Update (July 27): I now have a substantially revised and expanded version of "
            "the survey, with many corrections and new results from readers of this blog.",
            "A life that was all lockdowns and cancellations would not be worth living, so "
            "here is something else: a survey of the Busy Beaver function for SIGACT News.",
            "This entry was posted on Thursday, July 23rd, 2020 and is filed under Complexity.",
            "310 Responses to “The Busy Beaver Frontier”",
        ]
    )
    lines, *_ = pagedump.prepare(dump)
    at = {line.text: i for i, line in enumerate(lines) if line.text}
    candidates = [at["The Blog of Scott Aaronson"], at["The Busy Beaver Frontier"]]
    assert pagedump._named_by_comments(lines, candidates) == [at["The Busy Beaver Frontier"]]
    (article,) = _articles(PageDumpImporter().parse(_source("aaronson.txt", dump)))
    assert article.title == "The Busy Beaver Frontier"
    plain, *_ = pagedump.prepare(dump.replace("310 Responses to", "310 Responses"))
    assert pagedump._named_by_comments(plain, candidates) == []


def test_a_tool_a_question_or_a_link_back_is_no_section() -> None:
    """The line above a headline names its section (``Science``, ``> Cricket``) unless it
    is a tool (``Tweet``, ``Print this``), a question or a link to the previous post or
    back to an index."""
    from importers import pagedump

    def section(label: str) -> str | None:
        paragraph = (
            "Lawmakers asked the Justice Department on Tuesday to look into the deal the "
            "club made last year, and to say by March whether it broke the law. "
        )
        dump = (
            f"Home\nNews\n{label}\nCongress asks the department to look into the deal\n"
            f"{paragraph * 2}\n{paragraph * 3}\n{paragraph * 2}\n"
        )
        (article,) = _articles(PageDumpImporter().parse(_source("story.txt", dump)))
        assert article.title == "Congress asks the department to look into the deal"
        return article.section

    assert section("Science") == "Science"
    assert section("> Cricket") == "Cricket"
    for label in ("Tweet", "Print this", "« Is this blog obsolete?", "< Back to blog"):
        assert section(label) is None, label
    assert pagedump._section_text(pagedump.prepare("> Legal")[0][0]) == "Legal"


def test_a_headline_loses_its_note_that_the_page_has_pictures() -> None:
    """``… (фото)``, ``… [VIDEO]`` say the page has pictures or a film: no part of the
    title. A parenthesis that says something else stays."""
    from importers import pagedump

    def title(text: str) -> str:
        return pagedump._title_text(pagedump.prepare(text)[0][0])

    assert title("В Липецке стартовал месячник по борьбе со СПИДом (фото)") == (
        "В Липецке стартовал месячник по борьбе со СПИДом"
    )
    assert title("Flood waters rise in the valley [VIDEO]") == "Flood waters rise in the valley"
    assert title("Boston Celtics (29-4) at New Jersey Nets (18-17)") == (
        "Boston Celtics (29-4) at New Jersey Nets (18-17)"
    )
    assert title("The photo that changed a war (photo essay)") == (
        "The photo that changed a war (photo essay)"
    )


def test_a_date_a_counter_or_a_share_row_is_never_a_headline() -> None:
    """A date, a counter (``59 Fans``), a share row (``分享到: 新浪微博 腾讯微博``), a row of
    short Chinese links and a trail run together are no headline whatever the model thinks;
    a headline that starts with a date or a number, or has hashtags or brand names, is."""
    from importers import pagedump

    for text in (
        "Sun, January 6, 2008",
        "06 January, 2008",
        "59 Fans",
        "12 comments",
        "分享到: 财神汇 新浪微博 腾讯微博",
        "新闻中心 视频 播客 图片站 掌媒",
        "Money.plGospodarkaWiadomości gospodarczePrezes URE ujawnia ceny gazu",
        "Sign In to E-Mail or Save This",
        "You’re all set!",
        "Najnowsze wiadomości: Premier: przyjdzie taki dzień",
        "Читайте также: ТОП-5 способов улучшить зрение",
        "Breaking News Emails",
        "本日点击排行榜",
        "EΛΛAΔA Hμερομηνία δημοσίευσης: 17-09-11",
        "Most Beautiful Design Most Beautiful Design Café Specialty Drip Coffee Maker",
        "half-minute hero half-minute hero 2 marvelous entertainment psp",
        "\ue5e5\ue5e5一、法官试验凡事谢恩",
        "Clique na foto do Adauto e veja as colunas sobre Formula 1",
        "Click here to read the full results",
        "U.S. news",
        "National Sports",
    ):
        assert pagedump._never_headline(text), text
    for text in (
        "May 5, 2020: Fire destroys the old barn",
        "1917 review: a war in one shot",
        "59 fans hurt as a stand falls",
        "拿出10万元投资房产 小两口尝试以钱生钱",
        "Bacon and Cheese Quiche for #SundaySupper and #CookForJulia",
        "PlayStation sales beat YouTube forecasts",
        "Sign language joins the school timetable",
        "Subscribers leave the service in droves",
        "BREAKING NEWS: Chelsea sign the keeper from Bilbao",
        "New York, New York: the city that never sleeps",
        "Bye bye, summer: the heat breaks at last",
        "Click fraud costs advertisers billions",
        "Bad news for the world's bees",
    ):
        assert not pagedump._never_headline(text), text


def test_a_count_is_no_section_and_a_copyright_year_is_no_part_of_the_site() -> None:
    """``834`` above the headline (a count of likes) is no section; ``© Copyright Gannett
    2026`` names the site ``Gannett``."""
    body = (
        "Entrepreneurs and remote workers are driving the need for co-working spaces where "
        "you can rent a desk, or a whole office, by the day or the month, and several new "
        "ones have opened around the city this year to meet it."
    )
    dump = "\n".join(
        [
            "Home",
            "834",
            "Looking for a place to work? Here are 9 co-working spots",
            body,
            body.replace("Entrepreneurs", "Freelancers"),
            body.replace("Entrepreneurs", "Start-ups"),
            "© Copyright Gannett 2026",
        ]
    )
    (article,) = _articles(PageDumpImporter().parse(_source("cowork.txt", dump)))
    assert article.title == "Looking for a place to work? Here are 9 co-working spots"
    assert article.section is None
    assert article.source == "Gannett"
    (article,) = _articles(
        PageDumpImporter().parse(_source("cowork.txt", dump.replace("834", "Business")))
    )
    assert article.section == "Business"


def test_an_announced_list_with_its_own_labels_carries_the_body_across() -> None:
    """``here's what I'm doing differently:`` over ``This week:`` and its items, ``This
    month:`` and its items: one list, and the article goes on after it."""
    para = (
        "I ran the same analysis on my own newsletter and the numbers were not kind, since "
        "a third of the people who signed up last year have not opened a single issue."
    )
    after = (
        "If you are still reading, you probably recognise yourself in this story, and the "
        "dashboard is not helping because it was never designed to show you these patterns."
    )
    dump = "\n".join(
        ["Home", "Archive", "About", "I Ran My Own Newsletter Through My Analysis Tool"]
        + [para, para.replace("same", "whole"), para.replace("kind", "good")]
        + ["But after running my own analysis, here is what I am doing differently:"]
        + ["This Week:", "✅ Writing a welcome sequence (no more 100% silence)"]
        + ["✅ Sending a note to the 268 dormant subscribers", "✅ Publishing this post"]
        + ["✅ Reaching out to my top 20 readers (they earned it)"]
        + ["This Month:", "Publishing 1-2 posts per week minimum (no excuses)"]
        + ["Doubling down on advice posts (1,277.8 avg views vs 457.8)"]
        + ["Cutting filler posts by 50%", "Tracking which posts drive subscribers"]
        + ["This Quarter:", "Running this analysis monthly", "Building on my top posts"]
        + ["Using my own tool (shocking, I know)", "The Uncomfortable Question"]
        + [after]
        + ["Subscribe", "Share", "© 2025 The Newsletter"]
    )
    (article,) = _articles(PageDumpImporter().parse(_source("letter.txt", dump)))
    assert "Publishing 1-2 posts per week" in article.body_markdown
    assert "you probably recognise yourself" in article.body_markdown


def test_an_item_of_a_list_stamped_with_days_is_no_headline() -> None:
    """Teasers that each end in a day and month (``… 14/1``) are a list; a headline that
    ends in a date of its own, alone, stays a candidate."""
    from importers import pagedump

    dump = "\n".join(
        [
            "Αποσύρει δυνάμεις από την Ευρώπη 14/1",
            "Λαθρεμπόριο όπλων από τον γιο της Θάτσερ 14/1",
            "Η Μιανμάρ πιο κοντά στη Δύση 13/1",
            "«Περίεργη η επιδημία καρκίνου σε αριστερούς»",
            "Ο πρόεδρος της Βενεζουέλας μίλησε για τις ασθένειες των ηγετών της Λατινικής "
            "Αμερικής και ζήτησε να ερευνηθεί αν υπάρχει κάποια σχέση μεταξύ τους.",
            "Reporters met on 14/1",
        ]
    )
    lines, *_ = pagedump.prepare(dump)
    assert pagedump._dated_item(lines, 0) and pagedump._dated_item(lines, 2)
    assert not pagedump._dated_item(lines, 3)
    assert not pagedump._dated_item(lines, len(lines) - 1)  # alone: no list


@pytest.mark.parametrize("text", ["About Us", "Contact us", "Sign in", "Subscribe now"])
def test_a_sites_own_label_is_no_headline_candidate(text: str) -> None:
    from importers import pagedump

    lines, *_ = pagedump.prepare(f"{text}\nHarbour seals return to the old ferry slip\n")
    assert not pagedump._candidate_like(lines[0])
    assert pagedump._candidate_like(lines[1])
