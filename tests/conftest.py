"""Shared fixtures: every test runs with its own data and config folders."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import migrations
from store.library import Library
from store.models import ArticleDraft

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python of this environment, from the repository, and
    return what it printed (for tests of what a process imports)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


FIXTURES = REPO.parent / "shared" / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep the developer's library and config out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("MARGIN_CONFIG", str(home / "config" / "margin" / "config.toml"))
    monkeypatch.delenv("MARGIN_DB", raising=False)
    return home


@pytest.fixture
def library() -> Iterator[Library]:
    """An empty in-memory library, closed after the test."""
    with Library(":memory:") as lib:
        yield lib


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a library file that does not exist yet."""
    return tmp_path / "lib" / "library.db"


def draft(title: str = "A title", body: str = "Some body text.", **fields: object) -> ArticleDraft:
    """An article draft with sensible defaults."""
    return ArticleDraft(title=title, body_markdown=body, **fields)  # type: ignore[arg-type]


def newer_library(path: Path) -> Path:
    """A library file stamped with a schema one past what this Margin knows."""
    with Library(path):
        pass
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    db.close()
    return path


def _hypothesis_profiles() -> None:
    """``--hypothesis-profile=fuzz`` runs the property tests at length."""
    from hypothesis import settings

    settings.register_profile("default", max_examples=60, deadline=None)
    settings.register_profile("fuzz", max_examples=5000, deadline=None)
    settings.load_profile("default")


_hypothesis_profiles()
