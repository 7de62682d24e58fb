"""`margin export` (JSON Lines) → `margin import` → `margin export`: same articles and notes."""

from __future__ import annotations

import json
from pathlib import Path

from store.library import Library
from tests.cli.test_cli import run

SAMPLES = Path(__file__).resolve().parent.parent / "importers" / "samples"


def _lines(path: Path) -> list[dict[str, object]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        for key in ("id", "imported_at", "updated_at"):
            item.pop(key)
        out.append(item)
    return sorted(out, key=lambda item: str(item["title"]))


def test_jsonl_round_trip_with_notes_bookmarks_and_tags(tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    note_file = tmp_path / "no-url.md"
    note_file.write_text(
        "# A note to self\n\nBuy rope, two lengths, and *tar* for the whipping.\n",
        encoding="utf-8",
    )
    sources = [SAMPLES / "readlater" / "wallabag.json", SAMPLES / "feeds" / "atom.xml", note_file]
    assert run("import", *map(str, sources), db=first).exit_code == 0
    with Library(first) as library:
        by_title = {a.title: a for a in library.iter_articles()}
        own = by_title["A note to self"]
        start = own.body_text.index("two lengths")
        library.add_note(
            own.id, start, start + len("two lengths"), body="**why** two?", color="blue"
        )
        library.add_bookmark(own.id, offset=0, label="start here")
        library.add_tags(by_title["Leim, der hält"].id, ["glue", "workshop"])
    exported = tmp_path / "one"
    assert run("export", "--out", str(exported), db=first).exit_code == 0

    second = tmp_path / "second.db"
    result = run("import", str(exported / "articles.jsonl"), "--json", db=second)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["notes"] == 3 and report["notes_skipped"] == []  # and one bookmark
    assert len(report["articles"]) == 6
    again = tmp_path / "two"
    assert run("export", "--out", str(again), db=second).exit_code == 0

    before, after = _lines(exported / "articles.jsonl"), _lines(again / "articles.jsonl")
    assert after == before
    noted = next(item for item in after if item["title"] == "A note to self")
    assert [a["motivation"] for a in noted["annotations"]] == ["commenting", "bookmarking"]
    lighthouse = next(item for item in after if "lighthouse" in str(item["title"]))
    assert len(lighthouse["annotations"]) == 2  # anchored and orphaned, both kept

    # Importing the export again changes nothing.
    repeat = json.loads(run("import", str(exported / "articles.jsonl"), "--json", db=second).stdout)
    assert {a["outcome"] for a in repeat["articles"]} == {"duplicate"} and repeat["notes"] == 0


def _fields(db: Path) -> list[dict[str, object]]:
    with Library(db) as library:
        rows = [a.to_dict() for a in library.iter_articles()]
    for row in rows:
        for key in ("id", "imported_at", "updated_at", "origin"):
            row.pop(key)
    return sorted(rows, key=lambda row: str(row["title"]))


def test_markdown_round_trip_keeps_every_field_and_counts_duplicates(tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    sources = [SAMPLES / "readlater" / "wallabag.json", SAMPLES / "feeds" / "atom.xml"]
    assert run("import", *map(str, sources), db=first).exit_code == 0
    before = _fields(first)
    # The samples hold excerpts and a description, the fields the export used to lose.
    assert {row["kind"] for row in before} == {"article", "excerpt"}
    assert any(row["description"] for row in before)
    out = tmp_path / "md"
    assert run("export", "--format", "markdown", "--out", str(out), db=first).exit_code == 0

    second = tmp_path / "second.db"
    assert run("import", str(out), db=second).exit_code == 0
    assert _fields(second) == before

    again = json.loads(run("import", str(out), "--json", db=first).stdout)
    assert {a["outcome"] for a in again["articles"]} == {"duplicate"}
    assert _fields(first) == before
