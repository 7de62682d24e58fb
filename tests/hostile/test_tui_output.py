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


def read_until(fd: int, marker: bytes, limit: float = 30.0) -> bytes:
    """What the child writes until ``marker`` has appeared (and a moment after), at most
    ``limit`` seconds: a loaded machine draws slowly, and a fixed wait would cut it short."""
    output = b""
    deadline = time.monotonic() + limit
    while marker not in output and time.monotonic() < deadline:
        output += read_for(fd, 0.1)
    return output + read_for(fd, 0.3)


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


def safe_file_name(label: str) -> str:
    """A hostile file name: every sequence, the markup, no slash (a name cannot hold one)."""
    return hostile(label).replace("/", "_")[:200]


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every control character escaped as ``\\uXXXX``."""
    body = "".join(
        f"\\u{ord(char):04x}"
        if ord(char) < 32 or 0x7F <= ord(char) <= 0x9F or char in '"\\'
        else char
        for char in text
    )
    return f'"{body}"'


@pytest.fixture
def hostile_everything(tmp_path: Path) -> dict[str, Path]:
    """A library with hostile notes, bookmarks and feed titles; a config and files to match."""
    db_path = tmp_path / "lib.db"
    with Library(db_path) as library:
        (result,) = library.store(
            [
                ArticleDraft(
                    title=f"Noted {hostile('title')}",
                    body_markdown="Plain words to hang a note on, and more plain words.\n",
                    tags=[hostile("tag")],
                )
            ]
        )
        library.add_note(result.id, 0, 11, body=hostile("note"))
        library.add_bookmark(result.id, label=hostile("bookmark"))
        library.add_subscription("https://evil.example/feed", title=hostile("feed"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"{safe_file_name('file')}.md").write_bytes(b"\x00\x01binary" * 200)
    config = tmp_path / "config.toml"
    config.write_text(
        f"{toml_string(hostile('setting'))} = 1\n"
        "[keys]\n"
        f'"library.notes" = {toml_string(chr(27) + "]0;pwned-key" + chr(7) + ",N")}\n'
        f'"library.feeds" = {toml_string("[@click=app.quit]k[/],S")}\n'
        f'{toml_string("[link=file:///etc/passwd]no.such.id[/link]")} = "x"\n',
        encoding="utf-8",
    )
    return {"db": db_path, "inbox": inbox, "config": config}


def test_notes_feeds_files_help_and_notices_write_no_hostile_sequence(
    hostile_everything: dict[str, Path],
) -> None:
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.environ.update(
            {"TERM": "xterm-256color", "MARGIN_CONFIG": str(hostile_everything["config"])}
        )
        # Sized before the reader starts: it must never draw at the default 80x24 first.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        os.execv(
            sys.executable, [sys.executable, "-m", "tui", "--db", str(hostile_everything["db"])]
        )
    screens: dict[str, bytes] = {}
    try:
        screens["start and config notices"] = read_until(fd, b"unknown setting", 30.0)
        steps = [  # (screen, keys, what shows it is drawn)
            ("help", [b"?"], "Keys — ".encode()),
            ("help closed", [b"\x1b"], b""),
            ("notes", [b"N"], "\u241b]0;pwned".encode()),  # the notes, not only the title
            ("notes closed", [b"\x1b"], b""),
            ("feeds", [b"S"], "feed \u241b[31mRED".encode()),
            ("feeds closed", [b"\x1b"], b""),
            ("import dialog", [b"i", str(hostile_everything["inbox"]).encode(), b"\r"], b"binary"),
            ("import closed", [b"\x1b"], b""),
            ("article", [b"\r"], b"Plain words"),
        ]
        for label, keys, drawn in steps:
            for key in keys:
                os.write(fd, key)
                screens[label] = screens.get(label, b"") + read_for(fd, 0.3)
            screens[label] += read_until(fd, drawn) if drawn else read_for(fd, 0.3)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    everything = b"".join(screens.values())
    shown_escape = "\u241b[31mRED".encode()  # ESC drawn as the visible symbol ␛
    for label, marker in [
        ("start and config notices", b"unknown setting"),
        ("help", b"Keys"),
        ("notes", shown_escape),
        ("feeds", shown_escape),
        ("import dialog", b"binary"),
    ]:
        assert marker in screens[label], f"{label}: {marker!r} never drawn"
    found = {
        label: [marker for marker in [*NEVER_WRITTEN, b"\x1b]0;pwned-key"] if marker in output]
        for label, output in screens.items()
    }
    assert {label: markers for label, markers in found.items() if markers} == {}
    assert b"[@click=app" in everything  # markup in a notice or the help shown literally
