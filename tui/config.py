"""The reader's user configuration: a TOML file with a keymap and theme choices.

Stdlib and platformdirs only (the CLI may read it without loading Textual).

The file lives at ``user_config_dir("margin")/config.toml``; ``MARGIN_CONFIG``
names another file. Example::

    dark_theme = "textual-dark"
    light_theme = "textual-light"
    measure = 80          # widest text column, in cells
    notes_export_dir = "~/notes/margin"   # optional: Markdown notes, re-exported on change
    images = true         # false: "[image: alt text]"; or "sixel", "kitty", "halfcell" to choose

    [keys]                # binding id = "key,key"
    "view.line_down" = "j,down,ctrl+e"
    "article.next_article" = "alt+n,ctrl+n"

The theme in use is remembered in the library (``ui.theme``), not in this file.
"""

from __future__ import annotations

import os
import re
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
    images: bool | str = True
    """Draw the images kept with articles (``false``: their alt text, ``[image: …]``);
    ``"sixel"``, ``"kitty"`` or ``"halfcell"`` choose how, where ``true`` asks the terminal."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> comma-separated keys."""
    problems: tuple[str, ...] = ()
    """What was wrong with the file (it is then partly ignored, never fatal)."""
    text: str = ""
    """The file as read, to point at lines when a later check finds a problem."""


IMAGE_PROTOCOLS = ("sixel", "kitty", "halfcell")
"""The ways pictures can be drawn, for ``images = "…"`` and ``$MARGIN_IMAGES``."""


def config_path() -> Path:
    """Where the config file is read from (``$MARGIN_CONFIG`` wins)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("margin")) / "config.toml"


SETTINGS = ("dark_theme", "light_theme", "theme", "measure", "notes_export_dir", "images", "keys")
MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})


def line_of(text: str, key: str) -> int | None:
    """The 1-based line of ``text`` where ``key`` is set (bare or quoted), if found."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def at_line(text: str, key: str, message: str) -> str:
    """``message`` prefixed with the line that sets ``key``, when it can be found."""
    number = line_of(text, key)
    return f"line {number}: {message}" if number is not None else message


def bad_key(key: str) -> str | None:
    """Why ``key`` (one key of a binding, like ``ctrl+j``) cannot be a key, or None."""
    if not key or any(c.isspace() for c in key):
        return "a key has no spaces and is not empty"
    *modifiers, last = key.split("+") if len(key) > 1 else [key]
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"unknown modifier {unknown[0]!r} (use ctrl, alt, shift, meta)"
    if not last:
        return "a key ends with a key name after its modifiers"
    return None


def parse_config(text: str) -> Config:
    """A Config from TOML text; bad values are reported in ``problems`` and skipped."""
    problems: list[str] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(problems=(f"config is not valid TOML: {error}",))
    for name in data:
        if name not in SETTINGS:
            problems.append(
                at_line(text, name, f"unknown setting {name!r} (known: {', '.join(SETTINGS)})")
            )
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
    if "images" in data:
        if isinstance(data["images"], bool) or data["images"] in IMAGE_PROTOCOLS:
            values["images"] = data["images"]
        else:
            problems.append(
                at_line(
                    text, "images", 'images must be true, false, "sixel", "kitty" or "halfcell"'
                )
            )
    keys: dict[str, str] = {}
    raw_keys = data.get("keys", {})
    if isinstance(raw_keys, dict):
        for binding_id, value in raw_keys.items():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = ",".join(value)
            if not isinstance(value, str) or not value.strip():
                problems.append(
                    at_line(text, binding_id, f"{binding_id} must be a key or a list of keys")
                )
                continue
            wrong = next((bad_key(k.strip()) for k in value.split(",") if bad_key(k.strip())), None)
            if wrong is not None:
                problems.append(at_line(text, binding_id, f"{binding_id} = {value!r}: {wrong}"))
                continue
            keys[binding_id] = value
    else:
        problems.append("[keys] must be a table")
    return Config(**values, keys=keys, problems=tuple(problems), text=text)  # type: ignore[arg-type]


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
