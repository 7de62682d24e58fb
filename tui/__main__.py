"""Run Margin: ``python -m tui``, and the ``margin`` console script.

A plain ``margin search`` is answered before click is imported (``tui.search_cli``).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``margin`` console script."""
    if len(sys.argv) > 1:
        from .search_cli import fast_main

        code = fast_main(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    from .cli import main as cli_main

    cli_main()


__all__ = ["main"]

if __name__ == "__main__":
    main()
