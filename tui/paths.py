"""Where Margin keeps its files: the per-user data and config folders."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "margin"


def data_dir() -> Path:
    """The per-user data folder (``~/.local/share/margin`` on Linux)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db() -> Path:
    """The library used when neither ``--db`` nor ``MARGIN_DB`` names one."""
    return data_dir() / "library.db"


def demo_db() -> Path:
    """The demo library, kept apart from the user's own."""
    return data_dir() / "demo.db"


def reports_dir() -> Path:
    """Where the import dialog writes its per-item reports."""
    return data_dir() / "reports"


def config_dir() -> Path:
    """The per-user config folder (``~/.config/margin`` on Linux)."""
    return Path(user_config_dir(APP_NAME, appauthor=False))


def resolve_db(option: str | None) -> Path:
    """The library path: ``--db``, else ``MARGIN_DB``, else the default."""
    chosen = option or os.environ.get("MARGIN_DB")
    return Path(chosen).expanduser() if chosen else default_db()
