"""`kill -9` of the reader while a note is typed: the last saved draft survives, intact."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from store.library import Library
from store.models import ArticleDraft
from tests.conftest import REPO

from .test_tui_output import read_for

pty = pytest.importorskip("pty")


def mouse(button: int, x: int, y: int, release: bool = False) -> bytes:
    """An SGR mouse report (1-based cells), as a terminal sends it."""
    return f"\x1b[<{button};{x};{y}{'m' if release else 'M'}".encode()


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
        read_for(fd, 5.0)
        os.write(fd, b"\r")  # open the only article
        read_for(fd, 2.0)
        os.write(fd, mouse(0, 6, 6) + mouse(32, 30, 6) + mouse(0, 30, 6, release=True))
        read_for(fd, 0.5)
        os.write(fd, b"a")
        read_for(fd, 1.0)
        os.write(fd, b"typed before the crash")
        read_for(fd, 3.5)  # longer than the draft interval
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
