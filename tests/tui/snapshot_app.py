"""The reader on the fixture library, for snapshot tests (``make_app``) or by hand.

Run it by hand: ``uv run python -m tests.tui.snapshot_app [light]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tui.app import MarginApp
from tui.config import Config

from .fixture_library import build_library


def make_app(folder: Path, theme: str = "dark") -> MarginApp:
    """A MarginApp on a fresh fixture library in ``folder``, in the light or dark theme."""
    path = folder / "snapshot.db"
    if not path.exists():
        build_library(path)
    name = "textual-light" if theme == "light" else "textual-dark"
    return MarginApp(str(path), config=Config(theme=name))


if __name__ == "__main__":
    make_app(Path(tempfile.mkdtemp()), sys.argv[1] if len(sys.argv) > 1 else "dark").run()
