"""`kill -9` of the reader while a note is typed: the last saved draft survives, intact."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from store.library import Library
from store.models import ArticleDraft
from tests.conftest import REPO

from .test_tui_output import read_for, read_until

pty = pytest.importorskip("pty")


def mouse(button: int, x: int, y: int, release: bool = False) -> bytes:
    """An SGR mouse report (1-based cells), as a terminal sends it."""
    return f"\x1b[<{button};{x};{y}{'m' if release else 'M'}".encode()


def _drafts(path: Path) -> list[str]:
    """The note drafts saved in the library at ``path`` (read-only, never blocking)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        try:
            return [text for (text,) in db.execute("SELECT text FROM note_drafts")]
        finally:
            db.close()
    except sqlite3.Error:
        return []


def test_draft_survives_sigkill_mid_edit(tmp_path: Path) -> None:
    db_path = tmp_path / "lib.db"
    with Library(db_path) as library:
        body = " ".join(["Rivers carry water down to the sea."] * 40)
        library.store([ArticleDraft(title="Rivers", body_markdown=body)])
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "tui", "--db", str(db_path)])
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        # Wait for what each step draws, not a fixed time: a loaded machine is slow.
        read_until(fd, b"Rivers", 30.0)
        os.write(fd, b"\r")  # open the only article
        read_until(fd, b"min read")
        os.write(fd, mouse(0, 6, 6) + mouse(32, 30, 6) + mouse(0, 30, 6, release=True))
        read_for(fd, 0.5)
        os.write(fd, b"a")
        read_until(fd, b"Note on")
        os.write(fd, b"typed before the crash")
        deadline = time.monotonic() + 20.0  # a draft is saved every few seconds
        while time.monotonic() < deadline and not _drafts(db_path):
            read_for(fd, 0.5)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)")
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    drafts = [text for (text,) in db.execute("SELECT text FROM note_drafts")]
    assert drafts == ["typed before the crash"]
