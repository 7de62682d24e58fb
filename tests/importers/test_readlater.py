"""Read-later exports: wallabag JSON, Pocket CSV/HTML, Instapaper CSV/HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import import_paths
from importers.errors import ImportFailure
from importers.registry import parse_source, pick
from importers.runner import read_source
from store.library import Library

SAMPLES = Path(__file__).resolve().parent / "samples" / "readlater"


@pytest.fixture
def lib(tmp_path: Path):  # noqa: ANN201 - Iterator[Library]
    with Library(tmp_path / "lib.db") as library:
        yield library


def by_title(library: Library) -> dict[str, object]:
    return {a.title: a for a in library.iter_articles()}


def test_detection() -> None:
    expected = {
        "wallabag.json": "wallabag",
        "pocket.csv": "pocket",
        "pocket.html": "pocket",
        "instapaper.csv": "instapaper",
        "instapaper.html": "instapaper",
    }
    for name, importer in expected.items():
        assert pick(read_source(str(SAMPLES / name))).name == importer, name


def test_wallabag_content_tags_flags_and_annotations(lib: Library) -> None:
    report = import_paths(lib, [SAMPLES / "wallabag.json"], workers=0)
    assert (report.added, report.excerpts, report.failed) == (2, 1, [])
    assert report.notes == 2 and report.notes_skipped == []
    articles = by_title(lib)
    lighthouse = articles["The lighthouse keepers' last winter"]
    assert lighthouse.kind == "article"
    assert lighthouse.url == "https://coast.example.com/features/lighthouse"
    assert lighthouse.author == "Ewan Stuart"
    assert lighthouse.published == "2023-11-30T06:00:00+00:00"
    assert sorted(lighthouse.tags) == ["long read", "sea", "starred"]
    assert "## Before automation" in lighthouse.body_markdown
    assert "track()" not in lighthouse.body_markdown
    knots = articles["Knots every sailor should know"]
    assert knots.kind == "excerpt" and knots.tags == ["archived"]
    notes = sorted(lib.notes(lighthouse.id), key=lambda n: n.external_id or "")
    anchored, orphan = notes
    assert anchored.state == "anchored" and anchored.body == "Forty volumes!"
    assert lighthouse.body_text[anchored.start : anchored.end] == (
        "kept a log that ran to forty volumes"
    )
    assert anchored.external_id == "urn:wallabag:annotation:412:88"
    assert orphan.state == "orphaned"  # kept, never dropped

    again = import_paths(lib, [SAMPLES / "wallabag.json"], workers=0)
    assert again.duplicates == 3 and again.notes == 0
    assert len(lib.notes(lighthouse.id)) == 2


def test_pocket_csv_and_html(lib: Library) -> None:
    source = read_source(str(SAMPLES / "pocket.csv"))
    drafts = parse_source(source)
    assert [d.url for d in drafts] == [
        "https://coast.example.com/features/lighthouse?utm_source=pocket_saves",
        "https://sail.example.org/knots",
        "https://galley.example.net/bread",
    ]
    assert {d.kind for d in drafts} == {"excerpt"}
    assert drafts[0].tags == ["sea", "long read"]
    assert drafts[1].tags == ["archived"] and drafts[1].title == "Knots, bends and hitches"
    assert drafts[0].description == "Saved to Pocket on 2023-12-01"
    assert source.warnings == ["item 4: not a web address: 'javascript:alert(1)'"]
    html = parse_source(read_source(str(SAMPLES / "pocket.html")))
    assert [d.title for d in html][:2] == [
        "The lighthouse keepers' last winter",
        "Why spring tides have nothing to do with spring",
    ]
    assert html[0].tags == ["sea", "long read"] and html[2].tags == ["archived"]


def test_instapaper_csv_and_html() -> None:
    drafts = parse_source(read_source(str(SAMPLES / "instapaper.csv")))
    assert [d.tags for d in drafts] == [["sea"], ["archived"], ["Cooking"], ["starred"]]
    assert "> Nothing happened today is the most common entry." in drafts[0].body_markdown
    html = parse_source(read_source(str(SAMPLES / "instapaper.html")))
    assert [d.tags for d in html] == [[], ["archived"], ["Cooking"]]


def test_one_story_saved_in_several_apps_is_one_article(lib: Library) -> None:
    names = ["wallabag.json", "pocket.csv", "pocket.html", "instapaper.csv", "instapaper.html"]
    for name in names:
        report = import_paths(lib, [SAMPLES / name], workers=0)
        assert report.failed == []
    urls = [a.url for a in lib.iter_articles()]
    assert len(urls) == len(set(urls)) == 5
    lighthouse = by_title(lib)["The lighthouse keepers' last winter"]
    # The full article from wallabag is never replaced by a saved link of it.
    assert lighthouse.kind == "article" and "forty volumes" in lighthouse.body_text
    assert lib.versions(lighthouse.id) == []
    assert {"sea", "long read", "starred"} <= set(lighthouse.tags)


def test_a_saved_link_is_filled_in_when_its_page_is_imported(lib: Library, tmp_path: Path) -> None:
    import_paths(lib, [SAMPLES / "pocket.csv"], workers=0)
    knots = by_title(lib)["Knots, bends and hitches"]
    page = tmp_path / "knots.md"
    page.write_text(
        "---\ntitle: Knots, bends and hitches\nurl: https://sail.example.org/knots\n---\n\n"
        "A bowline makes a loop that will not slip, and unties after any load.\n",
        encoding="utf-8",
    )
    report = import_paths(lib, [page], workers=0)
    assert report.updated == 1
    article = lib.get(knots.id)
    assert article is not None and article.kind == "article" and "bowline" in article.body_text
    assert article.tags == ["archived"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'[{"is_archived": 0, "url": "https://x.example", ', "invalid JSON"),
        (b"title,url,time_added,tags,status\n", "lists no items"),
        (b"URL,Title,Selection,Folder,Timestamp\n", "lists no bookmarks"),
    ],
)
def test_broken_exports_fail_with_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(content)
    with pytest.raises(ImportFailure, match=reason):
        parse_source(read_source(str(path)))


def test_hypothesis_annotations_land_on_their_articles(lib: Library) -> None:
    import_paths(lib, [SAMPLES / "wallabag.json"], workers=0)
    assert pick(read_source(str(SAMPLES / "hypothesis.json"))).name == "hypothesis"
    report = import_paths(lib, [SAMPLES / "hypothesis.json"], workers=0)
    assert report.failed == [] and report.added == 0
    assert report.notes == 1
    reasons = dict(report.notes_skipped)
    assert "quote is empty" in reasons["urn:hypothesis:Zx1aQ2bcEe7"]  # a page note
    assert "no article with URL" in reasons["urn:hypothesis:Zx1aQ2bcEe8"]
    lighthouse = by_title(lib)["The lighthouse keepers' last winter"]
    ident = "urn:hypothesis:Zx1aQ2bcEe6"
    note = next(n for n in lib.notes(lighthouse.id) if n.external_id == ident)
    assert note.state == "anchored" and note.body == "The log as a *record of quiet*."
    assert lighthouse.body_text[note.start : note.end] == "Nothing happened today"
    assert {"logs", "quiet"} <= set(lib.article_tags(lighthouse.id))
    again = import_paths(lib, [SAMPLES / "hypothesis.json"], workers=0)
    assert again.notes == 0  # already there: not doubled


def _omnivore_zip(tmp_path: Path) -> Path:
    import io
    import json
    import zipfile

    metadata = [
        {
            "id": "f1c2",
            "slug": "lighthouse-keepers-18c1",
            "title": "The lighthouse keepers' last winter",
            "author": "Ewan Stuart",
            "url": "https://coast.example.com/features/lighthouse",
            "state": "Archived",
            "labels": ["sea", {"name": "favourites"}],
            "savedAt": "2023-12-01T20:15:00.000Z",
            "publishedAt": "2023-11-30T06:00:00.000Z",
        },
        {
            "id": "a9b8",
            "slug": "knots-77aa",
            "title": "Knots, bends and hitches",
            "url": "https://sail.example.org/knots",
            "state": "Succeeded",
            "labels": [],
            "savedAt": "2023-10-10T10:10:10.000Z",
        },
        {"id": "zz", "slug": "bad", "title": "No URL", "url": "not a url"},
    ]
    content = (
        "# The lighthouse keepers' last winter\n\n"
        "For ninety years the lamp was trimmed by hand.\n\n"
        "The last keeper kept a log that ran to forty volumes.\n"
    )
    highlights = (
        "> kept a log that ran to forty volumes [⤴️](https://omnivore.app/me/lighthouse#h1)\n\n"
        "Forty!\n\n"
        "> the lamp was trimmed by hand [⤴️](https://omnivore.app/me/lighthouse#h2)\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata_0_to_2.json", json.dumps(metadata))
        archive.writestr("content/lighthouse-keepers-18c1.md", content)
        archive.writestr("highlights/lighthouse-keepers-18c1.md", highlights)
    path = tmp_path / "omnivore-export.zip"
    path.write_bytes(out.getvalue())
    return path


def test_omnivore_archive(lib: Library, tmp_path: Path) -> None:
    path = _omnivore_zip(tmp_path)
    assert pick(read_source(str(path))).name == "omnivore"
    report = import_paths(lib, [path], workers=0)
    assert (report.added, report.excerpts, report.failed) == (1, 1, [])
    assert [reason for _, reason in report.warnings] == ["item 3 has no usable URL; skipped"]
    assert report.notes == 2 and report.pending == 1
    articles = by_title(lib)
    lighthouse = articles["The lighthouse keepers' last winter"]
    assert sorted(lighthouse.tags) == ["archived", "favourites", "sea"]
    assert lighthouse.author == "Ewan Stuart"
    notes = {lighthouse.body_text[n.start : n.end]: n.body for n in lib.notes(lighthouse.id)}
    assert notes == {
        "kept a log that ran to forty volumes": "Forty!",
        "the lamp was trimmed by hand": "",
    }
    assert articles["Knots, bends and hitches"].kind == "excerpt"


@pytest.mark.parametrize("shape", ["rows", "list"])
def test_hypothesis_api_results_and_plain_lists(lib: Library, tmp_path: Path, shape: str) -> None:
    import json

    import_paths(lib, [SAMPLES / "wallabag.json"], workers=0)
    annotations = json.loads((SAMPLES / "hypothesis.json").read_text(encoding="utf-8"))[
        "annotations"
    ][:1]
    data = {"total": 1, "rows": annotations} if shape == "rows" else annotations
    path = tmp_path / "h.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = import_paths(lib, [path], workers=0)
    assert report.failed == [] and report.notes == 1
