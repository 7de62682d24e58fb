"""Every `margin` command, through click's runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import REPO
from tui.cli import cli

COMMANDS = [
    "import",
    "list",
    "show",
    "search",
    "export",
    "stats",
    "doctor",
    "delete",
    "reextract",
    "demo",
    "jump",
]


def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None) -> Result:
    prefix = ["--db", str(db)] if db else []
    return CliRunner().invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "etim.md").write_text(
        "---\ntitle: Can the Taliban tame ETIM?\nauthor: A. Writer\nsource: Daily\n"
        "section: World\ndate: 2021-08-01\nurl: https://daily.example/etim\ntags: [asia]\n---\n\n"
        "The ETIM question, *again*.\n\n## Background\n\nTaliban and ETIM history.\n",
        encoding="utf-8",
    )
    (root / "other.md").write_text("# Gardening\n\nTomatoes need sun.\n", encoding="utf-8")
    return root


@pytest.fixture
def db(tmp_path: Path, folder: Path) -> Path:
    path = tmp_path / "lib.db"
    assert run("import", str(folder), db=path).exit_code == 0
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_db_option(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--db" in result.output


def test_import_prints_a_summary_and_reimport_adds_nothing(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "lib.db"
    first = run("import", str(folder), db=path)
    assert first.output.strip() == "2 added, 0 updated, 0 duplicates, 0 excerpts, 0 failed"
    second = run("import", str(folder), db=path)
    assert second.output.strip() == "0 added, 0 updated, 2 duplicates, 0 excerpts, 0 failed"


def test_import_failure_names_the_file_exits_1_and_keeps_the_rest(
    tmp_path: Path, folder: Path
) -> None:
    (folder / "broken.md").write_bytes(b"\x00\x01\x02\x03" * 100)
    path = tmp_path / "lib.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "import", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'broken.md'}: binary file, not text" in result.output
    assert "2 added" in result.output
    listed = json.loads(run("list", "--json", db=path).output)
    assert len(listed) == 2


def test_import_json_report(tmp_path: Path, folder: Path) -> None:
    result = run("import", str(folder), "--json", db=tmp_path / "x.db")
    report = json.loads(result.output)
    assert report["added"] == 2 and report["failed"] == []
    assert {a["title"] for a in report["articles"]} == {"Can the Taliban tame ETIM?", "Gardening"}


def test_import_from_file_list(tmp_path: Path, folder: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"# my list\n{folder / 'other.md'}\n")
    result = run("import", "--from-file", str(listing), db=tmp_path / "y.db")
    assert "1 added" in result.output


def test_import_needs_a_path() -> None:
    assert CliRunner().invoke(cli, ["import"]).exit_code == 2


def test_list_json_carries_kind_and_filters(db: Path) -> None:
    rows = json.loads(run("list", "--json", db=db).output)
    assert {r["kind"] for r in rows} == {"article"}
    assert [
        r["title"] for r in json.loads(run("list", "--json", "--source", "Daily", db=db).output)
    ] == ["Can the Taliban tame ETIM?"]
    assert json.loads(run("list", "--json", "--kind", "excerpt", db=db).output) == []
    text = run("list", db=db).output
    assert "Gardening" in text and "article" in text


def test_show_formats(db: Path) -> None:
    rows = json.loads(run("list", "--json", "--sort", "title", db=db).output)
    etim = next(r["id"] for r in rows if "ETIM" in r["title"])
    data = json.loads(run("show", str(etim), "--format", "json", db=db).output)
    for field in (
        "id",
        "title",
        "author",
        "source",
        "section",
        "url",
        "published",
        "language",
        "body_markdown",
        "body_text",
        "word_count",
        "content_hash",
        "kind",
        "imported_at",
        "origin",
    ):
        assert field in data
    assert data["published"] == "2021-08-01" and data["tags"] == ["asia"]
    text = run("show", str(etim), "--format", "text", db=db).output
    assert text == data["body_text"] + "\n"
    markdown = run("show", str(etim), db=db).output
    assert markdown.startswith("---\ntitle: Can the Taliban tame ETIM?")
    assert "*again*" in markdown


def test_show_unknown_id_is_a_clear_error(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "show", "999"])
    assert result.exit_code == 1 and "no article 999" in result.output


def test_search_ranks_and_marks_hits(db: Path) -> None:
    hits = json.loads(run("search", "etim", "--json", db=db).output)
    assert hits[0]["title"] == "Can the Taliban tame ETIM?"
    assert "[ETIM]" in hits[0]["snippet"]
    plain = run("search", "tomatoes", db=db).output
    assert "Gardening" in plain and "\x02" not in plain
    assert run("search", '"unbalanced', "NEAR(", db=db).exit_code == 0


def test_export_jsonl_and_markdown(db: Path, tmp_path: Path) -> None:
    lines = run("export", db=db).output.strip().splitlines()
    assert len(lines) == 2 and {json.loads(line)["kind"] for line in lines} == {"article"}
    out = tmp_path / "md"
    run("export", "--format", "markdown", "--out", str(out), db=db)
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 and all(f.endswith(".md") for f in files)
    # What Margin exports, Margin imports back as the same articles.
    again = run("import", str(out), db=db)
    assert "2 duplicates" in again.output


def test_stats_and_doctor(db: Path) -> None:
    stats = json.loads(run("stats", "--json", db=db).output)
    assert stats["articles"] == 2 and stats["words"] > 5
    assert "Articles" in run("stats", db=db).output
    assert json.loads(run("doctor", "--json", db=db).output)["ok"] is True
    assert "Rebuilt" in run("doctor", "--rebuild", db=db).output


def test_delete(db: Path) -> None:
    rows = json.loads(run("list", "--json", db=db).output)
    result = run("delete", str(rows[0]["id"]), db=db)
    assert result.output.startswith("Deleted")
    assert len(json.loads(run("list", "--json", db=db).output)) == 1


def test_reextract_without_a_stored_page_fails_clearly(db: Path) -> None:
    rows = json.loads(run("list", "--json", db=db).output)
    result = CliRunner().invoke(cli, ["--db", str(db), "reextract", str(rows[0]["id"])])
    assert result.exit_code == 1 and "no stored original page" in result.output


def test_margin_db_environment_variable_and_subcommand_option(tmp_path: Path, folder: Path) -> None:
    env_db = tmp_path / "env.db"
    run("import", str(folder), env={"MARGIN_DB": str(env_db)})
    assert env_db.exists()
    sub_db = tmp_path / "sub.db"
    CliRunner().invoke(cli, ["import", "--db", str(sub_db), str(folder)])
    assert len(json.loads(run("list", "--json", "--db", str(sub_db)).output)) == 2


def test_default_library_lives_in_the_user_data_folder(folder: Path, isolated_home: Path) -> None:
    run("import", str(folder))
    assert (isolated_home / "data" / "margin" / "library.db").exists()


def test_demo_builds_its_own_library(isolated_home: Path) -> None:
    result = run("demo", "--no-open")
    assert "Demo library ready" in result.output
    demo = isolated_home / "data" / "margin" / "demo.db"
    rows = json.loads(run("list", "--json", db=demo).output)
    assert len(rows) >= 5
    assert not (isolated_home / "data" / "margin" / "library.db").exists()


def test_untrusted_titles_cannot_drive_the_terminal(tmp_path: Path) -> None:
    from store.library import Library
    from store.models import ArticleDraft

    path = tmp_path / "evil.db"
    with Library(path) as library:
        library.store([ArticleDraft("Evil \x1b]0;pwned\x07 \x1b[2J title", "body \x1b[31m")])
    output = run("list", db=path).output + run("show", "1", "--format", "text", db=path).output
    assert "\x1b" not in output and "\x07" not in output


def test_cli_commands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from tui.cli import cli; "
        "sys.argv=['margin','--db',sys.argv[1],'stats']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules, 'textual imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "h.db")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr


def test_jump_prints_fuzzy_matches_best_first(db: Path) -> None:
    matches = json.loads(run("jump", "tlbn tame", "--json", db=db).output)
    assert matches[0]["text"].startswith("Can the Taliban tame ETIM?")
    assert matches[0]["positions"]
    assert "Can the Taliban tame ETIM?" in run("jump", "tame", db=db).output


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:  # type: ignore[attr-defined]
        assert f"`margin {name}" in readme, name


def test_search_color_filter_finds_articles_with_that_highlight(db: Path) -> None:
    hits = json.loads(run("search", "tomatoes", "--json", db=db).output)
    garden = hits[0]["id"]
    added = run("notes", "add", str(garden), "--quote", "Tomatoes", "--color", "green", db=db)
    assert added.exit_code == 0, added.output
    found = json.loads(run("search", "color:green", "--json", db=db).output)
    assert [h["id"] for h in found] == [garden]
    assert json.loads(run("search", "color:blue", "--json", db=db).output) == []


def test_search_note_field_searches_notes_only(db: Path) -> None:
    garden = json.loads(run("search", "tomatoes", "--json", db=db).output)[0]["id"]
    added = run("notes", "add", str(garden), "--quote", "sun", "--note", "basil too", db=db)
    assert added.exit_code == 0, added.output
    assert [h["id"] for h in json.loads(run("search", "note:basil", "--json", db=db).output)] == [
        garden
    ]
    assert json.loads(run("search", "note:tomatoes", "--json", db=db).output) == []
    # A plain search finds the article through the note too, and says so.
    [hit] = json.loads(run("search", "basil", "--json", db=db).output)
    assert hit["id"] == garden and hit["note_id"] is not None
    assert f"✎ note {hit['note_id']}: " in run("search", "basil", db=db).output


def test_show_takes_json_like_every_data_command(db: Path) -> None:
    data = json.loads(run("show", "1", "--json", db=db).output)
    assert data["id"] == 1 and "title" in data


def test_jump_json_names_the_article_id(db: Path) -> None:
    matches = json.loads(run("jump", "tame", "--json", db=db).output)
    assert matches and "id" in matches[0] and "article_id" not in matches[0]


@pytest.mark.parametrize("command", [["list"], ["stats"], ["search", "x"], ["jump", "x"]])
def test_read_only_commands_on_a_missing_path_create_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "no" / "such" / "lib.db"
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 1
    assert "no library at" in result.output
    assert not (tmp_path / "no").exists()


def test_doctor_config_names_each_wrong_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nope"\n[keys]\n"view.nope" = "x"\n', encoding="utf-8")
    result = run("doctor", "--config", "--json", env={"MARGIN_CONFIG": str(config)})
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and len(data["problems"]) == 2
    assert data["problems"][0].startswith("line 1: theme = 'nope'")
    good = tmp_path / "good.toml"
    good.write_text("measure = 70\n", encoding="utf-8")
    fine = run("doctor", "--config", env={"MARGIN_CONFIG": str(good)})
    assert fine.exit_code == 0 and "Config is fine." in fine.output
