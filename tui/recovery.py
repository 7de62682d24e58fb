"""Text the library could not take (a full disk): kept in a file the user is told about."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from .paths import data_dir


def keep_unsaved(text: str, what: str = "note") -> Path | None:
    """Write ``text`` to a new file under the data folder (else the temp folder).

    :returns: the file, or None when no folder could take it either.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    for folder in (data_dir() / "unsaved", Path(tempfile.gettempdir()) / "margin-unsaved"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{what}-{stamp}.md"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
