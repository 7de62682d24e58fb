"""`margin compare` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

FIRST = (
    "---\ntitle: Bridge vote\n---\n\n"
    "The council met on Tuesday to discuss the new bridge. "
    "Mayor Ana Ortiz said it would cost 40 million dollars.\n\n"
    "Residents said the bridge would cut their commute by half.\n"
)
SECOND = (
    "---\ntitle: Bridge vote, revised\n---\n\n"
    "The council met on Tuesday to discuss the new bridge. "
    "Mayor Ana Ortiz said it would cost 45 million dollars.\n\n"
    "Residents said the bridge would cut their commute by half.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    for name, text in (("a.md", FIRST), ("b.md", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run("import", str(tmp_path / name), db=path).exit_code == 0
    return path


def test_compare_json_shape_and_offsets(db: Path) -> None:
    result = run("compare", "1", "2", "--json", db=db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "left",
        "right",
        "mode",
        "similarity",
        "pairs",
        "left_only",
        "right_only",
        "terms",
    }
    assert data["left"] == {"id": 1} and data["right"] == {"id": 2}
    assert data["mode"] == "revision" and 0.8 < data["similarity"] <= 1
    left = run("show", "1", "--format", "text", db=db).stdout
    right = run("show", "2", "--format", "text", db=db).stdout
    kinds = [(p["kind"], left[slice(*p["left"])]) for p in data["pairs"]]
    assert ("similar", "Mayor Ana Ortiz said it would cost 40 million dollars.") in kinds
    assert [k for k, _ in kinds].count("same") == 2
    similar = next(p for p in data["pairs"] if p["kind"] == "similar")
    assert right[slice(*similar["right"])].endswith("45 million dollars.")
    assert 0 < similar["score"] < 1
    assert data["left_only"] == [] and data["right_only"] == []
    assert data["terms"] == {"left": ["40"], "right": ["45"]}


def test_compare_markdown_report(db: Path) -> None:
    result = run("compare", "1", "2", "--format", "markdown", db=db)
    assert result.exit_code == 0, result.output
    assert "- mode: revision" in result.stdout
    assert "40 million" in result.stdout and "→" in result.stdout
    assert "- same: 2, similar: 1, moved: 0, only left: 0, only right: 0" in result.stdout
    assert "  edits: ~~40~~ → **45**" in result.stdout  # the changed word, not only the sentence


def test_compare_unknown_article_and_missing_version(db: Path) -> None:
    missing = run("compare", "1", "99", "--json", db=db)
    assert missing.exit_code == 1 and "no article 99" in missing.output
    version = run("compare", "1", "--version", "3", "--json", db=db)
    assert version.exit_code == 1 and "no version 3" in version.output
    alone = run("compare", "1", db=db)
    assert alone.exit_code == 2
