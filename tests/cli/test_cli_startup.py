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
