"""``margin search``: the search and its output, and a start that skips click.

``margin search WORD`` is a whole process a script may run many times, so
:func:`fast_main` answers the plain forms of it (``[--db P] search [--db P]
[--limit N] [--exact] [--json] WORDS...``) without importing click (~50-90 ms of
such a process) or the rest of the command line; anything else (``--help``, an
unknown option, a bad value, a word starting with ``-``) goes to click, which
answers or fails exactly as ever. The vocabulary is read term by term
(:func:`store.vocabulary.read_by_term`): one search needs a few counts, not all.

The fast path opens the file with ``sqlite3`` itself and calls
:func:`store.search.search_results` on it, as ``Library.search_results`` does on its
reading connection: ``store.library`` and the records and helpers it imports (the
Markdown parser, hashing, images: ~10-15 ms) are never loaded, nor ``pathlib`` when
``--db`` or ``MARGIN_DB`` names the file. Only a library at the current schema takes
it; any other file (missing, foreign, older or newer) goes to click, which words
the error or refusal as ever.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .cli_base import json_text, safe

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    import sqlite3
    from typing import Any, TextIO

BOLD, RESET = "\x1b[1m", "\x1b[0m"
"""What ``click.style(text, bold=True)`` writes around text."""


def search_output(
    library: object,
    text: str,
    *,
    limit: int,
    exact: bool,
    as_json: bool,
    out: Callable[[str], None],
    err: Callable[[str], None],
    bold: Callable[[str], str] | None,
) -> None:
    """Run one search and write it: JSON, or a line per hit with its snippet.

    :param out: writes a line to standard output; ``err`` to standard error.
    :param bold: styles a snippet's hit words (None when the output is not a terminal).
    """
    from store import vocabulary
    from store.hits import HIT_END, HIT_START

    vocabulary.read_by_term()
    results = library.search_results(text, limit=limit, correct=not exact)  # type: ignore[attr-defined]
    hits = results.hits
    if as_json:
        out(json_text([hit.to_dict() for hit in hits]))
        return
    if results.corrected is not None:
        err(
            f"Showing results for {safe(results.corrected)}; "
            f"search instead for {safe(results.original)} with --exact"
        )
    for hint in results.hints:
        err(f"Note: {safe(hint)}")
    if not hits:
        err("No matches.")
        return
    for hit in hits:
        out(f"{hit.id:>6}  {safe(hit.title)}" + (f"  ({safe(hit.source)})" if hit.source else ""))
        snippet = hit.snippet.replace("\n", " ")
        styled = safe(snippet).replace(HIT_START, "").replace(HIT_END, "")
        if bold is not None:
            parts = snippet.replace(HIT_END, HIT_START).split(HIT_START)
            styled = "".join(
                bold(safe(part)) if i % 2 else safe(part) for i, part in enumerate(parts)
            )
        mark = f"✎ note {hit.note_id}: " if hit.note_id is not None else ""
        out(f"        {mark}{styled}")


def parse_fast(argv: list[str]) -> dict[str, object] | None:
    """The options of a plain ``margin search`` command line, or None for any other."""
    group_db: str | None = None
    at = 0
    while at < len(argv) and argv[at] != "search":
        taken = _db_value(argv, at)
        if taken is None:
            return None
        group_db, at = taken
    if at == len(argv):
        return None
    options: dict[str, object] = {"db": None, "limit": 20, "exact": False, "json": False}
    words: list[str] = []
    at += 1
    while at < len(argv):
        arg = argv[at]
        if arg == "--":
            words.extend(argv[at + 1 :])
            break
        if arg in ("--exact", "--json"):
            options[arg[2:]] = True
            at += 1
        elif arg == "--db" or arg.startswith("--db="):
            taken = _db_value(argv, at)
            if taken is None:
                return None
            options["db"], at = taken
        elif arg == "--limit" or arg.startswith("--limit="):
            value = arg[8:] if arg.startswith("--limit=") else _next(argv, at)
            if value is None or not (1 <= len(value) <= 4 and set(value) <= set("0123456789")):
                return None
            if not 1 <= int(value) <= 1000:
                return None
            options["limit"] = int(value)
            at += 1 if arg.startswith("--limit=") else 2
        elif arg.startswith("-") and arg != "-":
            return None  # an option click knows (--help) or an error click words
        else:
            words.append(arg)
            at += 1
    if not words:
        return None
    options["db"] = options["db"] or group_db
    options["words"] = words
    return options


def _next(argv: list[str], at: int) -> str | None:
    return argv[at + 1] if at + 1 < len(argv) else None


def _db_value(argv: list[str], at: int) -> tuple[str, int] | None:
    """``--db PATH`` or ``--db=PATH`` at ``argv[at]``: the path and the next index."""
    arg = argv[at]
    if arg.startswith("--db="):
        value, after = arg[5:], at + 1
    elif arg == "--db" and at + 1 < len(argv):
        value, after = argv[at + 1], at + 2
    else:
        return None
    if not value or os.path.isdir(value):
        return None  # click's "is a directory" and friends
    return value, after


def fast_main(argv: list[str]) -> int | None:
    """Run a plain ``margin search`` command line; None when click must handle it."""
    options = parse_fast(argv)
    if options is None:
        return None
    library = _open(_db_path(options["db"]))  # type: ignore[arg-type]
    if library is None:
        return None
    stdout, stderr = sys.stdout, sys.stderr
    try:
        tty = stdout.isatty()
        search_output(
            library,
            " ".join(options["words"]),  # type: ignore[arg-type]
            limit=options["limit"],  # type: ignore[arg-type]
            exact=bool(options["exact"]),
            as_json=bool(options["json"]),
            out=lambda text: _line(stdout, text),
            err=lambda text: _line(stderr, text),
            bold=(lambda text: f"{BOLD}{text}{RESET}") if tty else None,
        )
    except BrokenPipeError:
        # As click does: the reader went away (``| head``); say nothing more.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout for exit
        return 1
    finally:
        library.close()
    return 0


def _db_path(option: str | None) -> str:
    """The library path as :func:`tui.paths.resolve_db` gives it, without ``pathlib``
    when ``--db`` or ``MARGIN_DB`` names it."""
    chosen = option or os.environ.get("MARGIN_DB")
    if chosen:
        return os.path.expanduser(chosen)
    from .paths import default_db

    return str(default_db())


class _Reader:
    """One connection to a library at the current schema, searched the way
    ``Library.search_results`` searches its reading connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def search_results(self, text: str, **options: Any) -> Any:
        """``store.search.SearchResults`` for ``text``."""
        from store.search import search_results

        return search_results(self.conn, text, **options)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _open(path: str) -> _Reader | None:
    """The library at ``path`` opened for one search, or None for any file that is not
    a library at the current schema (click then says what is wrong, or migrates)."""
    import sqlite3

    from store.migrations import LATEST

    if not os.path.isfile(path):
        return None
    conn = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # As the library's reading connection (store.library.Library).
        conn.execute("PRAGMA busy_timeout = 250")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA user_version").fetchone()[0] == LATEST:
            return _Reader(conn)
    except sqlite3.Error:
        pass
    if conn is not None:
        conn.close()
    return None


def _line(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()
