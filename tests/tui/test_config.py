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


BAD = (
    'measure = 90\nthemes = "x"\ndark_theme = "nord-ish"\n\n[keys]\n'
    '"view.line_down" = "j,ctrl+j"\n"view.nope" = "x"\n"article.find" = "cmd+f"\n'
)


def test_unknown_settings_and_bad_keys_name_their_line() -> None:
    config = parse_config(BAD)
    assert "line 2: unknown setting 'themes'" in config.problems[0]
    assert any(p.startswith("line 8: article.find = 'cmd+f'") for p in config.problems)
    assert config.keys == {"view.line_down": "j,ctrl+j", "view.nope": "x"}  # the rest still applies
    assert config.measure == 90


def test_unknown_themes_and_binding_ids_name_their_line() -> None:
    from textual.theme import BUILTIN_THEMES

    from tui.config_check import config_problems, known_binding_ids

    ids = known_binding_ids()
    assert {"view.line_down", "article.find", "compare.swap", "app.help"} <= ids
    problems = config_problems(parse_config(BAD), BUILTIN_THEMES, ids)
    assert problems[0].startswith("line 3: dark_theme = 'nord-ish': no such theme")
    assert problems[1] == "line 7: 'view.nope' is not a binding id (? lists them)"


async def test_the_app_says_what_is_wrong_in_the_config(tmp_path: Path, monkeypatch) -> None:
    import tui.app as app_module
    from tui.app import MarginApp

    monkeypatch.setattr(app_module, "WARM_UP_SECONDS", 0.01)
    app = MarginApp(str(tmp_path / "lib.db"), config=parse_config(BAD))
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
    assert any("unknown setting 'themes'" in m for m in messages)
    assert any("'view.nope' is not a binding id" in m for m in messages)
