"""Every `margin` command prints hostile library text without terminal controls or markup."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.library import Library
from store.models import ArticleDraft
from tests.conftest import REPO

from .payloads import MARKUP, forbidden_in, hostile


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "lib.db"
    with Library(path) as library:
        (result,) = library.store(
            [
                ArticleDraft(
                    title=hostile("title"),
                    body_markdown=f"searchword {hostile('body')}\n\nSecond paragraph searchword.",
                    author=hostile("author"),
                    source=hostile("source"),
                    section=hostile("section"),
                    url="https://evil.example/a",
                    tags=[hostile("tag")],
                )
            ]
        )
        text = library.get(result.id).body_text
        start = text.index("Second")
        library.add_note(result.id, start, start + 6, body=hostile("note"))
        library.add_bookmark(result.id, label=hostile("label"))
        library.add_subscription("https://evil.example/feed", title=hostile("feed"))
    return path


COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["show", "1", "--format", "text"],
    ["show", "1", "--format", "json"],
    ["search", "searchword"],
    ["search", "searchword", "--json"],
    ["jump", "title"],
    ["jump", "title", "--json"],
    ["export"],
    ["stats"],
    ["notes", "list"],
    ["notes", "list", "--json"],
    ["notes", "export", "--format", "json"],
    ["bookmarks", "list"],
    ["bookmarks", "list", "--json"],
    ["versions", "1"],
    ["tag", "1", "x"],
    ["feeds", "list"],
    ["feeds", "list", "--json"],
    ["feeds", "export"],
    ["doctor"],
    ["upgrade"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args))
def test_command_output_carries_no_control_characters(hostile_db: Path, args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(hostile_db), *args],
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    stdout = done.stdout.decode("utf-8")
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert forbidden_in(stdout) == [], stdout[:500]
    assert forbidden_in(stderr) == [], stderr[:500]


def test_json_keeps_the_text_escaped_not_lost(hostile_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(hostile_db), "show", "1", "--format", "json"],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    data = json.loads(done.stdout)
    assert "\x9b31mC1RED" in data["title"]  # the data survives, escaped in the JSON text
    assert MARKUP in data["title"]


def test_markup_is_printed_literally(hostile_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(hostile_db), "list"],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    assert MARKUP in done.stdout.decode("utf-8")


def test_feeds_export_is_well_formed_xml_with_the_title_kept_readable(hostile_db: Path) -> None:
    import xml.etree.ElementTree as ET

    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(hostile_db), "feeds", "export"],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    (outline,) = ET.fromstring(done.stdout).iter("outline")
    assert outline.get("text", "").startswith("feed ") and MARKUP in outline.get("text", "")
    assert outline.get("xmlUrl") == "https://evil.example/feed"
