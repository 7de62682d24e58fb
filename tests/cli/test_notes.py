"""`margin notes`, `bookmarks`, `tag`, `untag` and `versions`, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

ARTICLE = (
    "---\ntitle: Bridge vote\nurl: https://news.example/bridge\n---\n\n"
    "The council met on Tuesday to discuss the new bridge.\n\n"
    "Residents said the bridge would cut their commute by half.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    source = tmp_path / "bridge.md"
    source.write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "lib.db"
    assert run("import", str(source), db=path).exit_code == 0
    return path


def json_of(*args: str, db: Path) -> object:
    result = run(*args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def plain_text(db: Path) -> str:
    return run("show", "1", "--format", "text", db=db).stdout


def test_add_by_quote_and_list_json_fields(db: Path) -> None:
    note = json_of("notes", "add", "1", "--quote", "the new bridge", "--note", "why?", db=db)
    text = plain_text(db)
    assert text[note["start"] : note["end"]] == "the new bridge"
    listed = json_of("notes", "list", db=db)
    assert [item["id"] for item in listed] == [note["id"]]
    fields = {"id", "article_id", "quote", "prefix", "suffix", "start", "end", "paragraph"}
    fields |= {"state", "body", "color", "tags", "created", "updated", "external_id"}
    assert fields <= set(listed[0])
    assert listed[0]["state"] == "anchored" and listed[0]["body"] == "why?"


def test_add_by_offsets_with_colour(db: Path) -> None:
    text = plain_text(db)
    start = text.index("Residents")
    note = json_of(
        "notes",
        "add",
        "1",
        "--start",
        str(start),
        "--end",
        str(start + 9),
        "--color",
        "green",
        db=db,
    )
    assert note["quote"] == "Residents" and note["color"] == "green"
    assert [n["id"] for n in json_of("notes", "list", "--color", "green", db=db)] == [note["id"]]


def test_edit_and_delete(db: Path) -> None:
    note = json_of("notes", "add", "1", "--quote", "Residents", db=db)
    edited = json_of("notes", "edit", str(note["id"]), "--note", "new text", db=db)
    assert edited["body"] == "new text"
    assert run("notes", "delete", str(note["id"]), db=db).exit_code == 0
    assert json_of("notes", "list", db=db) == []


def test_unknown_note_is_a_clear_error(db: Path) -> None:
    result = run("notes", "delete", "99", db=db)
    assert result.exit_code != 0
    assert "99" in result.output


def test_orphaned_filter(db: Path) -> None:
    json_of("notes", "add", "1", "--quote", "not in the article at all", db=db)
    orphans = json_of("notes", "list", "--orphaned", db=db)
    assert [n["state"] for n in orphans] == ["orphaned"]
    assert orphans[0]["start"] is None


def test_export_json_import_round_trip(db: Path, tmp_path: Path) -> None:
    json_of("notes", "add", "1", "--quote", "the new bridge", "--note", "n1", db=db)
    out = tmp_path / "out"
    assert run("notes", "export", "--format", "json", "--out", str(out), db=db).exit_code == 0
    exported = json.loads((out / "annotations.json").read_text(encoding="utf-8"))
    other = tmp_path / "other.db"
    source = tmp_path / "bridge.md"
    assert run("import", str(source), db=other).exit_code == 0
    imported = run("notes", "import", str(out / "annotations.json"), db=other)
    assert imported.exit_code == 0, imported.output
    again = tmp_path / "again"
    assert run("notes", "export", "--format", "json", "--out", str(again), db=other).exit_code == 0
    assert json.loads((again / "annotations.json").read_text(encoding="utf-8")) == exported
    listed = json_of("notes", "list", db=other)
    assert listed[0]["external_id"] == exported[0]["id"] if isinstance(exported, list) else True


def test_export_markdown_per_article(db: Path, tmp_path: Path) -> None:
    json_of("notes", "add", "1", "--quote", "the new bridge", "--note", "my thought", db=db)
    assert run("tag", "1", "transport", db=db).exit_code == 0
    out = tmp_path / "md"
    assert run("notes", "export", "--format", "markdown", "--out", str(out), db=db).exit_code == 0
    (page,) = out.glob("*.md")
    text = page.read_text(encoding="utf-8")
    assert "# Bridge vote" in text
    assert "> the new bridge" in text and "my thought" in text and "#transport" in text
    assert "https://news.example/bridge" in text


def test_notes_export_dir_in_config_re_exports(
    db: Path, tmp_path: Path, isolated_home: Path
) -> None:
    folder = tmp_path / "vault"
    config = isolated_home / "config" / "margin" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'notes_export_dir = "{folder}"\n', encoding="utf-8")
    json_of("notes", "add", "1", "--quote", "Residents", "--note", "synced", db=db)
    assert "synced" in next(folder.glob("*.md")).read_text(encoding="utf-8")


def test_bookmarks_add_list_delete(db: Path) -> None:
    mark = json_of("bookmarks", "add", "1", "--label", "later", db=db)
    assert [b["id"] for b in json_of("bookmarks", "list", db=db)] == [mark["id"]]
    assert run("bookmarks", "delete", str(mark["id"]), db=db).exit_code == 0
    assert json_of("bookmarks", "list", db=db) == []


def test_tag_and_untag(db: Path) -> None:
    assert run("tag", "1", "Transport", "city", db=db).exit_code == 0
    search = json_of("search", "tag:transport", db=db)
    assert [hit["id"] for hit in search] == [1]
    assert run("untag", "1", "transport", db=db).exit_code == 0
    assert json_of("search", "tag:transport", db=db) == []


def test_versions_after_a_changed_reimport(db: Path, tmp_path: Path) -> None:
    json_of("notes", "add", "1", "--quote", "cut their commute", db=db)
    source = tmp_path / "bridge.md"
    source.write_text(ARTICLE.replace("Tuesday", "Wednesday"), encoding="utf-8")
    assert run("import", str(source), db=db).exit_code == 0
    listing = json_of("versions", "1", db=db)
    assert listing["id"] == 1
    assert [v["number"] for v in listing["versions"]] == [1]
    assert json_of("notes", "list", db=db)[0]["state"] == "anchored"


def test_doctor_finds_and_repairs_an_out_of_sync_notes_index(db: Path) -> None:
    import sqlite3

    json_of("notes", "add", "1", "--quote", "Residents", "--note", "indexed", db=db)
    json_of("notes", "add", "1", "--quote", "nowhere in the text", db=db)
    raw = sqlite3.connect(db)
    raw.execute("DELETE FROM notes_fts_data WHERE id > 10")  # corrupt the index, not the notes
    raw.commit()
    raw.close()
    broken = run("doctor", "--json", db=db)
    assert broken.exit_code == 1
    report = json.loads(broken.stdout)
    assert any(problem.startswith("notes index") for problem in report["problems"])
    assert report["notes"] == {"orphaned": 1, "detached": 0}
    assert run("doctor", "--rebuild", db=db).exit_code == 0
    assert json_of("doctor", db=db)["ok"] is True
    assert [n["body"] for n in json_of("notes", "list", "--search", "indexed", db=db)] == [
        "indexed"
    ]
