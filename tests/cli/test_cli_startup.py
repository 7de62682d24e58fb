"""`margin search` starts fast: it imports neither Textual nor the heavy helpers a
plain search never uses (rapidfuzz, the anchoring code, platformdirs with --db)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from store.library import Library
from store.models import ArticleDraft

REPO = Path(__file__).resolve().parents[2]
HEAVY = ["textual", "rich", "rapidfuzz", "store.annotations", "store.anchoring", "platformdirs"]


def test_search_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Library(db) as library:
        library.store([ArticleDraft("Harbour lights", "The harbour at night.")])
    code = (
        "import sys; from tui.cli import cli; "
        "sys.argv=['margin','--db',sys.argv[1],'search','harbour','--json']\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert '"Harbour lights"' in done.stdout
    assert "LOADED []" in done.stdout


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


FAST = (
    "import sys; sys.argv = ['margin', *sys.argv[1:]]\n"
    "from tui.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "print('LOADED', [m for m in ['click', 'textual'] if m in sys.modules])"
)
CLICK = (
    "import sys; sys.argv = ['margin', *sys.argv[1:]]\n"
    "from tui.cli import cli\n"
    "try:\n    cli()\nexcept SystemExit:\n    pass\n"
)


def test_the_fast_search_path_prints_what_click_prints(tmp_path: Path) -> None:
    """The console script answers a plain search before click is imported, with the
    same output as the click command, for every kind of query."""
    db = tmp_path / "s.db"
    with Library(db) as library:
        library.store(
            [
                ArticleDraft("Harbour lights", "The harbour at night, and the market."),
                ArticleDraft("Market day", "Stalls by the harbour; marketing the catch."),
            ]
        )
        library.refresh_vocabulary()
    for words in (["harbour"], ["title:market"], ["mark*"], ["~arke"], ["harbuor"], ["zzz"]):
        for extra in (["--json"], []):
            args = ["--db", str(db), "search", *words, *extra]
            fast, slow = _run(FAST, *args), _run(CLICK, *args)
            printed = fast.stdout.rsplit("LOADED", 1)
            assert printed[1].strip() == "[]", (words, fast.stdout, fast.stderr)
            assert printed[0] == slow.stdout, words
            assert fast.stderr == slow.stderr, words
