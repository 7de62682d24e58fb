"""Run Margin: ``python -m tui``, and the ``margin`` console script.

Two forms skip click (~40 ms of start-up, more on a busy machine): opening the reader
(``margin`` or ``margin --db PATH``), and a plain ``margin search`` (``tui.search_cli``).
Anything else, or any doubt, goes to click, which answers or fails as ever.
"""

from __future__ import annotations

import os
import sys


def reader_db(args: list[str]) -> str | None:
    """The library file a bare reader launch names (``""`` for the default), or None
    when ``args`` are anything else and click should read them."""
    if not args:
        return ""
    if len(args) == 2 and args[0] == "--db":
        path = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        path = args[0].removeprefix("--db=")
    else:
        return None
    # click refuses these with its own message (an empty value, a folder, an option).
    if not path or path.startswith("-") or os.path.isdir(os.path.expanduser(path)):
        return None
    return path


def main() -> None:
    """Entry point of the ``margin`` console script."""
    args = sys.argv[1:]
    db = reader_db(args)
    if db is not None:
        from .app import run
        from .paths import resolve_db

        run(str(resolve_db(db or None)))
        return
    if args:
        from .search_cli import fast_main

        code = fast_main(args)
        if code is not None:
            sys.exit(code)
    from .cli import main as cli_main

    cli_main()


__all__ = ["main", "reader_db"]

if __name__ == "__main__":
    main()
