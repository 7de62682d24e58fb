"""The reader's user configuration: a TOML file with a keymap and theme choices.

Stdlib and platformdirs only (the CLI may read it without loading Textual).

The file lives at ``user_config_dir("margin")/config.toml``; ``MARGIN_CONFIG``
names another file. Example::

    dark_theme = "textual-dark"
    light_theme = "textual-light"
    measure = 80          # widest text column, in cells
    notes_export_dir = "~/notes/margin"   # optional: Markdown notes, re-exported on change

    [keys]                # binding id = "key,key"
    "view.line_down" = "j,down,ctrl+e"
    "article.next_article" = "alt+n,ctrl+n"

The theme in use is remembered in the library (``ui.theme``), not in this file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ENV_VAR = "MARGIN_CONFIG"


@dataclass(frozen=True, slots=True)
class Config:
    """Settings read from the config file; defaults when it is absent."""

    dark_theme: str = "textual-dark"
    light_theme: str = "textual-light"
    theme: str | None = None
    """Theme to start with when the library remembers none."""
    measure: int = 80
    notes_export_dir: str | None = None
    """A folder that gets the Markdown export of the notes again after every change."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> comma-separated keys."""
    problems: tuple[str, ...] = ()
    """What was wrong with the file (it is then partly ignored, never fatal)."""


def config_path() -> Path:
    """Where the config file is read from (``$MARGIN_CONFIG`` wins)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("margin")) / "config.toml"


def parse_config(text: str) -> Config:
    """A Config from TOML text; bad values are reported in ``problems`` and skipped."""
    problems: list[str] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(problems=(f"config is not valid TOML: {error}",))
    values: dict[str, object] = {}
    for name in ("dark_theme", "light_theme", "theme"):
        if name in data:
            if isinstance(data[name], str):
                values[name] = data[name]
            else:
                problems.append(f"{name} must be a string")
    if "measure" in data:
        if isinstance(data["measure"], int) and 20 <= data["measure"] <= 400:
            values["measure"] = data["measure"]
        else:
            problems.append("measure must be a whole number of cells from 20 to 400")
    if "notes_export_dir" in data:
        if isinstance(data["notes_export_dir"], str) and data["notes_export_dir"].strip():
            values["notes_export_dir"] = data["notes_export_dir"]
        else:
            problems.append("notes_export_dir must be a folder path")
    keys: dict[str, str] = {}
    raw_keys = data.get("keys", {})
    if isinstance(raw_keys, dict):
        for binding_id, value in raw_keys.items():
            if isinstance(value, str) and value.strip():
                keys[binding_id] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                keys[binding_id] = ",".join(value)
            else:
                problems.append(f"keys.{binding_id} must be a key string or a list of them")
    else:
        problems.append("[keys] must be a table")
    return Config(**values, keys=keys, problems=tuple(problems))  # type: ignore[arg-type]


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Config:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        return Config(problems=(f"cannot read {path}: {error}",))
    return parse_config(text)


def load_config(path: Path | None = None) -> Config:
    """The configuration from ``path`` (default ``config_path()``); defaults if missing."""
    path = path or config_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Config()
    return _load(str(path), mtime)
