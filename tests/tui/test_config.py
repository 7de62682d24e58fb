"""The reader's config file: TOML keymap and themes, no Textual needed to read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import Config, config_path, load_config, parse_config


def test_env_overrides_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "mine.toml"
    monkeypatch.setenv("MARGIN_CONFIG", str(target))
    assert config_path() == target
    assert load_config() == Config()  # missing file: defaults


def test_parse_keys_and_themes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'light_theme = "solarized-light"\nmeasure = 72\n'
        '[keys]\n"view.line_down" = "ctrl+e"\n"article.back" = ["q", "h"]\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.light_theme == "solarized-light"
    assert config.measure == 72
    assert config.keys == {"view.line_down": "ctrl+e", "article.back": "q,h"}
    assert config.problems == ()


def test_bad_values_are_reported_not_fatal() -> None:
    config = parse_config('measure = "wide"\n[keys]\n"x" = 3\n')
    assert config.measure == 80
    assert len(config.problems) == 2
    assert parse_config("not = [valid").problems


def test_config_and_messages_do_not_import_textual() -> None:
    code = (
        "import sys, tui.config, tui.messages; "
        "sys.exit(1 if any(m.startswith(('textual', 'rich')) for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
