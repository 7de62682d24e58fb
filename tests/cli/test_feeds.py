"""`margin feeds` and `margin import FEED` through click's runner, against a local feed server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.importers.feedserver import FeedServer, serving

SAMPLES = Path(__file__).resolve().parent.parent / "importers" / "samples" / "feeds"


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201 - Iterator[FeedServer]
    served = tmp_path / "served"
    served.mkdir()
    for name in ("rss2.xml", "atom.xml", "jsonfeed.json"):
        shutil.copy(SAMPLES / name, served / name)
    (served / "evil.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Evil\x1b[31m'
        " \u202eFeed</title><item><title>Bad \x1b]0;owned\x07title</title>"
        "<link>https://evil.example/1</link><description>x</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    with serving(served) as running:
        yield running


def json_of(*args: str, db: Path) -> object:
    result = run(*args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_a_feed_file(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    result = run("import", str(SAMPLES / "rss2.xml"), db=db)
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout and "1 excerpts" in result.stdout
    empty = run("import", str(SAMPLES / "empty.xml"), db=db)
    assert empty.exit_code == 1
    assert f"{SAMPLES / 'empty.xml'}: the feed has no entries" in empty.stderr


def test_import_a_feed_url(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    report = json_of("import", server.url("atom.xml"), db=db)
    assert [a["outcome"] for a in report["articles"]] == ["added", "added"]
    assert report["failed"] == []


def test_add_list_refresh_remove(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    added = json_of("feeds", "add", server.url("rss2.xml"), db=db)
    assert added["title"] == "The Slow Harbour"
    assert added["refresh"][0]["added"] == 3
    assert added["articles"] == 3 and added["unread"] == 3
    assert run("feeds", "add", server.url("rss2.xml"), db=db).exit_code == 1
    json_of("feeds", "add", server.url("jsonfeed.json"), db=db)

    listed = json_of("feeds", "list", db=db)
    assert [s["title"] for s in listed] == ["Pixel & Ink", "The Slow Harbour"]
    assert {"id", "url", "title", "status", "checked_at", "articles", "unread"} <= set(listed[0])

    result = run("feeds", "refresh", "--all", db=db)
    assert result.exit_code == 0, result.output
    assert "[2/2]" in result.stderr and "not modified" in result.stderr
    assert "2 feeds: 0 new entries, 0 changed, 2 feeds not modified, 0 failed" in result.stdout
    assert run("feeds", "refresh", db=db).exit_code == 2  # neither feeds nor --all

    harbour = next(s for s in listed if s["title"] == "The Slow Harbour")
    removed = json_of("feeds", "remove", str(harbour["id"]), db=db)
    assert removed["url"] == harbour["url"]
    assert [s["title"] for s in json_of("feeds", "list", db=db)] == ["Pixel & Ink"]
    assert len(json_of("list", db=db)) == 6  # the articles stay
    missing = run("feeds", "remove", "99", db=db)
    assert missing.exit_code == 1 and "no subscription 99" in missing.stderr


def test_refresh_reports_a_dead_feed_and_exits_1(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    json_of("feeds", "add", server.url("atom.xml"), db=db)
    json_of("feeds", "add", server.url("jsonfeed.json"), "--no-refresh", db=db)
    (server.root / "jsonfeed.json").unlink()
    result = run("feeds", "refresh", "--all", db=db)
    assert result.exit_code == 1
    assert "failed: HTTP 404 Not Found" in result.stderr
    assert "1 failed" in result.stdout
    states = {s["title"] or s["url"]: s["status"] for s in json_of("feeds", "list", db=db)}
    assert sorted(states.values()) == ["error", "unchanged"]


def test_opml_round_trip(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    json_of("feeds", "add", server.url("rss2.xml"), db=db)
    json_of("feeds", "add", server.url("atom.xml"), db=db)
    out = tmp_path / "subs.opml"
    assert run("feeds", "export", str(out), db=db).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert 'xmlUrl="' + server.url("rss2.xml") + '"' in text
    assert 'htmlUrl="https://harbour.example.org/"' in text

    other = tmp_path / "other.db"
    imported = json_of("feeds", "import", str(out), db=other)
    assert sorted(s["url"] for s in imported["added"]) == sorted(
        [server.url("rss2.xml"), server.url("atom.xml")]
    )
    again = json_of("feeds", "import", str(out), db=other)
    assert again["added"] == [] and len(again["existing"]) == 2

    def outlines(path: Path) -> list[str]:
        lines = run("feeds", "export", db=path).stdout.splitlines()
        return sorted(line.strip() for line in lines if "<outline" in line)

    assert len(outlines(db)) == 2
    assert outlines(other) == outlines(db)


def test_opml_from_another_reader_with_folders_and_bad_outlines(tmp_path: Path) -> None:
    opml = tmp_path / "reader.opml"
    opml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="1.0"><head><title>Mine</title>'
        "</head><body>"
        '<outline text="News"><outline text="Science" title="Science">'
        '<outline type="rss" text="Lab" xmlUrl="https://lab.example.net/rss" '
        'htmlUrl="https://lab.example.net/"/></outline>'
        '<outline type="rss" text="Dup" xmlUrl="https://lab.example.net/rss"/></outline>'
        '<outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>'
        '<outline type="rss" text="Café" xmlUrl="https://cafe.example.com/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    db = tmp_path / "lib.db"
    result = run("feeds", "import", str(opml), db=db)
    assert result.exit_code == 0, result.output
    assert "2 subscribed, 0 already subscribed, 1 skipped" in result.stdout
    assert "not a web address: file:///etc/passwd" in result.stderr
    listed = {s["title"]: s["folder"] for s in json_of("feeds", "list", db=db)}
    assert listed == {"Lab": "News/Science", "Café": None}
    assert "News/Science/ Lab" in run("feeds", "list", db=db).stdout
    # The folders survive an export and an import into another library.
    exported = run("feeds", "export", db=db).stdout
    assert '<outline text="News" title="News">' in exported
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    other = tmp_path / "other.db"
    assert run("feeds", "import", str(again), db=other).exit_code == 0
    assert {s["title"]: s["folder"] for s in json_of("feeds", "list", db=other)} == listed


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<opml><body><outline text='x'", "damaged XML at line 1"),
        (b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><opml/>', "DOCTYPE is refused"),
        (b"<rss version='2.0'/>", "not OPML"),
    ],
)
def test_bad_opml_is_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    opml = tmp_path / "bad.opml"
    opml.write_bytes(content)
    result = run("feeds", "import", str(opml), db=tmp_path / "lib.db")
    assert result.exit_code == 1
    assert reason in result.stderr and result.stderr.count("\n") == 1


def test_feed_text_cannot_drive_the_terminal(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    result = run("feeds", "add", server.url("evil.xml"), db=db)
    assert result.exit_code == 0, result.output
    listed = run("feeds", "list", db=db).stdout
    for text in (result.stdout, result.stderr, listed, run("list", db=db).stdout):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_import_report_accounts_for_every_item(tmp_path: Path) -> None:
    """Items in the sources = records in the report (4 Pocket rows, 3 feed entries, 1 bad file)."""
    readlater = SAMPLES.parent / "readlater"
    report = tmp_path / "report.jsonl"
    sources = [SAMPLES / "rss2.xml", SAMPLES / "empty.xml", readlater / "pocket.csv"]
    result = run("import", *map(str, sources), "--report", str(report), db=tmp_path / "l.db")
    assert result.exit_code == 1
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    per_source: dict[str, list[str]] = {}
    for record in records:
        per_source.setdefault(Path(record["source"]).name, []).append(record["outcome"])
    assert per_source == {
        "rss2.xml": ["added", "added", "added"],
        "pocket.csv": ["added", "added", "added", "warning"],
        "empty.xml": ["failed"],
    }
    stored = [r for r in records if "article_id" in r]
    assert len({r["article_id"] for r in stored}) == 6
    assert next(r for r in records if r["outcome"] == "failed")["reason"] == (
        "the feed has no entries"
    )


def test_margin_import_of_opml_says_which_command_reads_it(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><head/><body>'
        '<outline text="A" xmlUrl="https://a.example/feed"/></body></opml>\n',
        encoding="utf-8",
    )
    result = run("import", str(opml), db=tmp_path / "lib.db")
    assert result.exit_code == 1
    assert "margin feeds import FILE" in result.stderr
