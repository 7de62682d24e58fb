"""Saved links fetched later: the queue, fill-in place, retries; `feeds refresh --full`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from importers import import_paths
from importers.pending import fetch_pending
from store.library import Library
from tests.cli.test_cli import run

from .feedserver import FeedServer, serving

PAGE = Path(__file__).resolve().parent.parent / "samples" / "html" / "opengraph_jsonld.html"


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201 - Iterator[FeedServer]
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(PAGE, served / "story.html")
    with serving(served) as running:
        yield running


def _pocket(tmp_path: Path, server: FeedServer) -> Path:
    export = tmp_path / "pocket.csv"
    export.write_text(
        "title,url,time_added,tags,status\n"
        f"A saved story,{server.url('story.html')},1701461700,later,unread\n"
        f"Gone,{server.url('missing.html')},1701461701,,unread\n",
        encoding="utf-8",
    )
    return export


def test_saved_links_are_fetched_into_their_entries(server: FeedServer, tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as library:
        report = import_paths(library, [_pocket(tmp_path, server)], workers=0)
        assert report.excerpts == 2 and report.pending == 2
        assert "2 links to fetch" in report.summary()
        waiting = library.pending_links()
        assert [link.url for link in waiting] == [
            server.url("story.html"),
            server.url("missing.html"),
        ]
        story_id = waiting[0].article_id
        outcomes = fetch_pending(library, waiting)
        assert [o.status for o in outcomes] == ["fetched", "failed"]
        assert outcomes[1].error == "HTTP 404 Not Found"
        story = library.get(story_id)
        assert story is not None and story.kind == "article" and story.word_count > 50
        assert story.url == server.url("story.html") and story.tags == ["later"]
        (left,) = library.pending_links()
        assert left.attempts == 1 and left.error == "HTTP 404 Not Found"
        assert library.pending_links(failed=False) == []
        # Importing the list again queues nothing new: the story is an article now.
        again = import_paths(library, [_pocket(tmp_path, server)], workers=0)
        assert again.pending == 0 and len(library.pending_links()) == 1


def test_fetch_pending_command(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert run("import", str(_pocket(tmp_path, server)), db=db).exit_code == 0
    listed = json.loads(run("fetch-pending", "--list", "--json", db=db).stdout)
    assert len(listed) == 2 and {"article_id", "url", "attempts", "error"} <= set(listed[0])
    result = run("fetch-pending", db=db)
    assert result.exit_code == 1
    assert "1 pages fetched, 1 failed (kept to retry: margin fetch-pending)" in result.stdout
    assert "[2/2]" in result.stderr and "failed: HTTP 404 Not Found" in result.stderr
    assert "1 failed: HTTP 404 Not Found" in run("fetch-pending", "--list", db=db).stdout
    quiet = run("fetch-pending", "--new-only", db=db)
    assert quiet.exit_code == 0 and "0 pages fetched, 0 failed" in quiet.stdout


def test_refresh_full_fetches_summary_only_entries(server: FeedServer, tmp_path: Path) -> None:
    (server.root / "teasers.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<item><title>A story</title><link>{server.url('story.html')}</link>"
        "<description>Only the first line of it.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    db = tmp_path / "lib.db"
    assert run("feeds", "add", server.url("teasers.xml"), "--no-refresh", db=db).exit_code == 0
    result = run("feeds", "refresh", "--all", "--full", "--json", db=db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["feeds"][0]["added"] == 1
    assert [p["status"] for p in data["pages"]] == ["fetched"]
    shown = json.loads(
        run("show", str(data["pages"][0]["article_id"]), "--format", "json", db=db).stdout
    )
    assert shown["kind"] == "article" and shown["source"]


def test_add_full_fetches_summary_only_entries(server: FeedServer, tmp_path: Path) -> None:
    (server.root / "teasers.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<item><title>A story</title><link>{server.url('story.html')}</link>"
        "<description>Only the first line of it.</description></item>"
        f"<item><title>Gone</title><link>{server.url('gone.html')}</link>"
        "<description>A teaser whose page is gone.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    db = tmp_path / "lib.db"
    result = run("feeds", "add", server.url("teasers.xml"), "--full", db=db)
    assert result.exit_code == 0, result.output
    assert "1 pages fetched, 1 failed (kept to retry: margin fetch-pending)" in result.stdout
    kinds = sorted(a["kind"] for a in json.loads(run("list", "--json", db=db).stdout))
    assert kinds == ["article", "excerpt"]
