"""The reader, run in a real pseudo-terminal, writes no control sequence from library text.

Textual writes escape sequences of its own, so the check looks for the hostile ones:
each payload is recognisable by what follows its introducer.
"""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest

from store.library import Library
from store.models import ArticleDraft
from tests.conftest import REPO

from .payloads import MARKUP, hostile

pty = pytest.importorskip("pty")

NEVER_WRITTEN = [
    b"\x1b]0;pwned",
    b"\x1b]2;pwned",
    b"\x1b]52;",
    b"\x1b[31mRED",
    b"\x1bP+q",
    b"\x1bc",
    b"\x1b]8;;file:///etc/passwd",
    b"\xc2\x9b",  # C1 CSI
    b"\xc2\x9d",  # C1 OSC
    b"\x07back",
    b"\x08over",
    "\u202e".encode(),
    "\u2066".encode(),
]


def read_for(fd: int, seconds: float) -> bytes:
    """Everything the child writes during ``seconds``."""
    chunks = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.1))
        if ready:
            try:
                chunks.append(os.read(fd, 65536))
            except OSError:
                break
    return b"".join(chunks)


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as library:
        library.store(
            [
                ArticleDraft(
                    title=hostile("title"),
                    body_markdown=f"{hostile('body')}\n\nMore text.",
                    author=hostile("author"),
                    source=hostile("source"),
                    tags=[hostile("tag")],
                    url="https://evil.example/a",
                ),
                ArticleDraft(title=f"{MARKUP} plain", body_markdown="Plain body."),
            ]
        )
    return path


def test_reader_writes_no_hostile_sequence(hostile_db: Path) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader on the hostile library
        os.chdir(REPO)
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "30"})
        os.execv(sys.executable, [sys.executable, "-m", "tui", "--db", str(hostile_db)])
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
        output = read_for(fd, 6.0)
        for keys in (b"G", b"\r", b"j", b"q", b"g", b"\r", b"q"):  # open both articles
            os.write(fd, keys)
            output += read_for(fd, 1.0)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"plain" in output, output[-2000:]  # the library really was drawn
    found = [marker for marker in NEVER_WRITTEN if marker in output]
    assert found == []
    assert b"[bold]B[/bold]" in output  # markup shown as the characters it is
