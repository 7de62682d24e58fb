"""Subscriptions against a local feed server: conditional requests, changed entries, dead feeds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from importers.errors import ImportFailure
from importers.subscriptions import discover_feeds, refresh_subscriptions, subscribe
from store.library import Library
from store.models import LibraryError

from .feedserver import serving

SAMPLES = Path(__file__).resolve().parent / "samples" / "feeds"

NEW_ITEM = """
    <item>
      <title>Spring refit</title>
      <link>https://harbour.example.org/2024/04/refit</link>
      <guid isPermaLink="false">harbour-2024-041</guid>
      <pubDate>Mon, 01 Apr 2024 08:00:00 +0000</pubDate>
      <content:encoded><![CDATA[<p>Every April the boats come out of the water and
      the scraping begins, barnacle by barnacle, until the hulls shine.</p>]]>
      </content:encoded>
    </item>
  </channel>"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(SAMPLES / "rss2.xml", served / "harbour.xml")
    shutil.copy(SAMPLES / "atom.xml", served / "werkstatt.atom")
    shutil.copy(SAMPLES / "jsonfeed.json", served / "pixel.json")
    return served


def _touch_later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5  # Last-Modified has one-second resolution
    os.utime(path, (later, later))


def test_second_refresh_transfers_nothing_and_changed_entries_keep_their_ids(
    folder: Path, tmp_path: Path
) -> None:
    with serving(folder) as server, Library(tmp_path / "lib.db") as library:
        sub, feed_url = subscribe(library, server.url("harbour.xml"))
        assert feed_url == server.url("harbour.xml")
        assert sub.title == "The Slow Harbour"
        (first,) = refresh_subscriptions(library, [sub])
        assert (first.status, first.added, first.updated) == ("ok", 3, 0)
        ids = {r.title: r.id for r in first.results}
        nets = ids["Mending nets in February"]
        note = library.add_note_by_quote(nets, "the first knot of the morning", body="ha")

        sent = server.body_bytes
        (second,) = refresh_subscriptions(library, [library.subscription(sub.id)])
        assert second.status == "unchanged"
        assert second.received == 0
        assert server.body_bytes == sent  # the second refresh transferred no body at all
        assert server.not_modified["harbour.xml"] == 1

        feed = folder / "harbour.xml"
        text = feed.read_text(encoding="utf-8")
        text = text.replace("forty winters", "forty-one winters, man and boy,")
        text = text.replace("</channel>", NEW_ITEM.split("</channel>")[0] + "</channel>", 1)
        _touch_later(feed, text)
        (third,) = refresh_subscriptions(library, [library.subscription(sub.id)])
        assert (third.status, third.added, third.updated, third.unchanged) == ("ok", 1, 1, 2)
        outcomes = {r.title: (r.id, r.outcome) for r in third.results}
        assert outcomes["Mending nets in February"] == (nets, "updated")
        assert outcomes["Spring refit"][1] == "added"
        article = library.get(nets)
        assert article is not None and "forty-one winters" in article.body_text
        (version,) = library.versions(nets)
        assert version.origin == "feed"
        assert "forty winters" in library.version_text(nets, version.number)
        moved = library.note(note.id)
        assert moved is not None and moved.state == "anchored"
        assert article.body_text[moved.start : moved.end] == "the first knot of the morning"

        listed = library.subscription(sub.id)
        assert listed is not None and listed.articles == 4 and listed.unread == 4
        assert listed.status == "ok" and listed.etag


def test_last_modified_alone_gives_304(folder: Path, tmp_path: Path) -> None:
    with serving(folder, etags=False) as server, Library(tmp_path / "lib.db") as library:
        sub, _ = subscribe(library, server.url("werkstatt.atom"))
        refresh_subscriptions(library, [sub])
        sub = library.subscription(sub.id)
        assert sub is not None and sub.etag is None and sub.last_modified
        (again,) = refresh_subscriptions(library, [sub])
        assert again.status == "unchanged"
        assert server.not_modified["werkstatt.atom"] == 1


def test_without_validators_unchanged_entries_are_not_stored_again(
    folder: Path, tmp_path: Path
) -> None:
    feed = folder / "pixel.json"
    with (
        serving(folder, etags=False, dates=False) as server,
        Library(tmp_path / "lib.db") as library,
    ):
        sub, _ = subscribe(library, server.url("pixel.json"))
        (first,) = refresh_subscriptions(library, [sub])
        stamps = {a.id: a.updated_at for a in library.iter_articles()}
        # The same document again: downloaded, recognised, not parsed.
        (second,) = refresh_subscriptions(library, [library.subscription(sub.id)])
        assert (second.status, second.received) == ("unchanged", len(feed.read_bytes()))
        # A new document whose entries are all as before: parsed, nothing stored.
        feed.write_text(feed.read_text(encoding="utf-8").replace("Pixel & Ink", "Pixel & Ink "))
        (third,) = refresh_subscriptions(library, [library.subscription(sub.id)])
        assert (third.status, third.added, third.updated, third.unchanged) == ("ok", 0, 0, 3)
        assert second.results == third.results == []
        assert {a.id: a.updated_at for a in library.iter_articles()} == stamps
        assert first.added == 3


def test_a_dead_feed_is_reported_and_the_others_go_on(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.xml").write_bytes((SAMPLES / "truncated.xml").read_bytes())
    with serving(folder) as server, Library(tmp_path / "lib.db") as library:
        subs = [
            library.add_subscription(server.url("harbour.xml")),
            library.add_subscription(server.url("dead")),
            library.add_subscription(server.url("broken.xml")),
            library.add_subscription("http://127.0.0.1:9/refused"),
            library.add_subscription(server.url("pixel.json")),
        ]
        seen: list[int] = []
        results = refresh_subscriptions(
            library, subs, progress=lambda done, total, result: seen.append(done), timeout=5
        )
        assert [r.status for r in results] == ["ok", "error", "error", "error", "ok"]
        assert results[1].error == "HTTP 404 Not Found"
        assert "truncated" in (results[2].error or "")
        assert "network error" in (results[3].error or "")
        assert results[0].added == 3 and results[4].added == 3
        assert sorted(seen) == [1, 2, 3, 4, 5]
        dead = library.subscription(subs[1].id)
        assert dead is not None and dead.status == "error" and dead.error == "HTTP 404 Not Found"


def test_a_deleted_article_is_not_brought_back(folder: Path, tmp_path: Path) -> None:
    with serving(folder, etags=False, dates=False) as server, Library(tmp_path / "l.db") as lib:
        sub, _ = subscribe(lib, server.url("harbour.xml"))
        (first,) = refresh_subscriptions(lib, [sub])
        lib.delete(first.results[0].id)
        feed = folder / "harbour.xml"
        feed.write_text(feed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        (second,) = refresh_subscriptions(lib, [lib.subscription(sub.id)])
        assert second.added == 0 and second.unchanged == 3
        assert lib.count() == 2


def test_subscribe_finds_the_feed_a_page_announces(folder: Path, tmp_path: Path) -> None:
    (folder / "index.html").write_text(
        "<!doctype html><html><head><title>Harbour</title>"
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="/harbour.xml">'
        "</head><body><p>Welcome</p></body></html>",
        encoding="utf-8",
    )
    (folder / "plain.html").write_text("<html><body><p>No feed</p></body></html>")
    with serving(folder) as server, Library(tmp_path / "lib.db") as library:
        sub, feed_url = subscribe(library, server.url("index.html"))
        assert feed_url == server.url("harbour.xml") and sub.url == feed_url
        with pytest.raises(ImportFailure, match="announces none"):
            subscribe(library, server.url("plain.html"))
        with pytest.raises(LibraryError, match="already subscribed"):
            subscribe(library, server.url("harbour.xml"))


def test_discover_feeds_resolves_relative_links() -> None:
    page = (
        '<html><head><link rel="alternate" type="application/atom+xml" href="feed.atom">'
        '<link rel="stylesheet" href="s.css">'
        '<link rel="Alternate" type="application/feed+json" href="https://x.example/f.json">'
        "</head></html>"
    )
    assert discover_feeds(page, "https://x.example/blog/") == [
        "https://x.example/blog/feed.atom",
        "https://x.example/f.json",
    ]


def test_an_entry_whose_link_changed_keeps_its_id(folder: Path, tmp_path: Path) -> None:
    with serving(folder) as server, Library(tmp_path / "lib.db") as library:
        sub, _ = subscribe(library, server.url("harbour.xml"))
        (first,) = refresh_subscriptions(library, [sub])
        nets = next(r.id for r in first.results if r.title == "Mending nets in February")
        feed = folder / "harbour.xml"
        text = feed.read_text(encoding="utf-8").replace(
            "2024/03/mending-nets?", "2024/03/mending-nets-in-february?"
        )
        _touch_later(feed, text.replace("forty winters", "forty-one winters"))
        (second,) = refresh_subscriptions(library, [library.subscription(sub.id)])
        assert (second.added, second.updated) == (0, 1)
        (result,) = second.results
        assert (result.id, result.outcome) == (nets, "updated")
        article = library.get(nets)
        assert article is not None
        assert article.url == "https://harbour.example.org/2024/03/mending-nets-in-february"
        assert len(library.versions(nets)) == 1 and library.count() == 3


def test_a_feed_that_moved_for_good_is_asked_at_its_new_address(
    folder: Path, tmp_path: Path
) -> None:
    with serving(folder) as server, Library(tmp_path / "lib.db") as library:
        server.redirects["old.xml"] = (301, "hop.xml")
        server.redirects["hop.xml"] = (308, "harbour.xml")
        server.redirects["away.xml"] = (302, "werkstatt.atom")
        moved = library.add_subscription(server.url("old.xml"))
        away = library.add_subscription(server.url("away.xml"))
        first, second = sorted(
            refresh_subscriptions(library, [moved, away]), key=lambda r: r.status
        )
        results = {r.subscription.id: r for r in (first, second)}
        assert results[moved.id].moved_to == server.url("harbour.xml")
        assert "moved to" in results[moved.id].summary()
        assert results[away.id].moved_to is None  # a temporary redirect keeps the address
        assert library.subscription(moved.id).url == server.url("harbour.xml")
        assert library.subscription(away.id).url == server.url("away.xml")
        refresh_subscriptions(library, [library.subscription(moved.id)])
        assert server.requests["old.xml"] == 1 and server.requests["harbour.xml"] == 2
        # A move onto an address already subscribed leaves both as they are.
        server.redirects["dup.xml"] = (301, "harbour.xml")
        dup = library.add_subscription(server.url("dup.xml"))
        (again,) = refresh_subscriptions(library, [dup])
        assert again.moved_to is None and library.subscription(dup.id).url == server.url("dup.xml")
