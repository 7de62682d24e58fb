"""`margin read / unread / archive / unarchive`, `list --archived`, and the JSON vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store.library import Library
from tui.cli import cli


def run(*args: str, db: Path) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, title in (("a", "Alpha story"), ("b", "Beta story"), ("c", "Gamma story")):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {title}\ndate: 2024-01-0{ord(name) - 96}\n---\n\nText of {title}.\n",
            encoding="utf-8",
        )
    path = tmp_path / "lib.db"
    assert run("import", str(folder), db=path).exit_code == 0
    return path


def ids(db: Path, *extra: str) -> list[int]:
    return [row["id"] for row in json.loads(run("list", "--json", *extra, db=db).output)]


def test_read_and_unread_mark_by_hand(db: Path) -> None:
    first, second, _ = sorted(ids(db))
    result = run("read", str(first), str(second), db=db)
    assert result.exit_code == 0, result.output
    assert "Alpha story" in result.output and "Beta story" in result.output
    assert ids(db, "--unread") == [max(ids(db))]
    data = json.loads(run("unread", str(first), "--json", db=db).output)
    assert data == {
        "changed": [{"id": first, "title": "Alpha story", "read": False, "archived": False}],
        "failed": [],
    }
    assert first in ids(db, "--unread") and second not in ids(db, "--unread")


def test_archive_hides_from_list_and_unarchive_brings_back(db: Path) -> None:
    first, *_ = sorted(ids(db))
    data = json.loads(run("archive", str(first), "--json", db=db).output)
    assert data["changed"][0] == {
        "id": first,
        "title": "Alpha story",
        "read": False,
        "archived": True,
    }
    assert first not in ids(db)
    assert ids(db, "--archived") == [first]
    # Search still finds it, and says so with is:archived.
    found = json.loads(run("search", "alpha", "is:archived", "--json", db=db).output)
    assert [hit["id"] for hit in found] == [first]
    assert run("unarchive", str(first), db=db).exit_code == 0
    assert first in ids(db)
    empty = run("list", "--archived", db=db)
    assert empty.stdout == "" and "No archived articles." in empty.stderr


@pytest.mark.parametrize("command", ["read", "unread", "archive", "unarchive"])
def test_unknown_ids_are_one_line_each_and_the_rest_goes_on(db: Path, command: str) -> None:
    known = sorted(ids(db))[0]
    result = CliRunner().invoke(cli, ["--db", str(db), command, "999", str(known), "998"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert errors == [
        "999: no article 999 (see: margin list)",
        "998: no article 998 (see: margin list)",
    ]
    assert str(known) in result.stdout
    data = json.loads(run(command, "999", str(known), "--json", db=db).output)
    assert [item["id"] for item in data["changed"]] == [known]
    assert data["failed"] == [{"id": 999, "reason": "no article 999"}]
    with Library(db) as library:
        assert library.is_archived(known) == (command == "archive")


@pytest.mark.parametrize(
    "command", [["read", "1"], ["unread", "1"], ["archive", "1"], ["show", "1"], ["list"]]
)
def test_commands_on_a_missing_library_create_nothing(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "no" / "such" / "lib.db"
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 1
    assert "no library at" in result.output
    assert not (tmp_path / "no").exists()


def test_json_names_articles_id_everywhere(db: Path) -> None:
    first = sorted(ids(db))[0]
    shown = json.loads(run("show", str(first), "--json", db=db).output)
    jumped = json.loads(run("jump", "alpha", "--json", db=db).output)
    marked = json.loads(run("read", str(first), "--json", db=db).output)
    assert shown["id"] == first
    assert jumped[0]["id"] == first and "article_id" not in jumped[0]
    assert marked["changed"][0]["id"] == first
