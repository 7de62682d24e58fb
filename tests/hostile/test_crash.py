"""`kill -9` of an import at random moments loses nothing and half-writes nothing."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

ARTICLES = 3000
KILLS = 6


def write_batch(folder: Path) -> None:
    folder.mkdir()
    for number in range(ARTICLES):
        words = " ".join(f"word{(number * 7 + k) % 997}" for k in range(60))
        text = f"# Article number {number}\n\nUnique{number} marker. {words}\n\n## Two\n\n{words}\n"
        (folder / f"a{number:04}.md").write_text(text, encoding="utf-8")


def margin(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def assert_whole(db_path: Path) -> int:
    """Integrity holds and every stored article has its body and index entry; the count."""
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        db.execute("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)")
        bodiless = db.execute(
            "SELECT count(*) FROM articles a LEFT JOIN article_bodies b ON b.article_id = a.id "
            "WHERE b.article_id IS NULL"
        ).fetchone()[0]
        assert bodiless == 0
        for (article_id,) in db.execute("SELECT id FROM articles ORDER BY random() LIMIT 20"):
            marker = f"unique{article_id - 1}"  # files are imported in name order
            hits = db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (marker,)
            ).fetchall()
            assert hits, f"article {article_id} is not in the index"
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        db.close()


def stored(db_path: Path) -> int:
    """How many articles are committed now (0 before the library exists)."""
    if not db_path.exists():
        return 0
    db = sqlite3.connect(db_path, timeout=5)
    try:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        db.close()


def test_import_killed_at_random_points_then_completed(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    write_batch(batch)
    db_path = tmp_path / "lib.db"
    rng = random.Random(12)
    seen = []
    for _ in range(KILLS):
        before = stored(db_path)
        process = margin("--db", str(db_path), "import", str(batch))
        # Start-up time varies with the machine's load: wait for the first new commit.
        deadline = time.monotonic() + 30
        while stored(db_path) == before and process.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if db_path.exists():
            seen.append(assert_whole(db_path))
    finished = margin("--db", str(db_path), "import", str(batch))
    assert finished.wait(timeout=300) == 0
    assert assert_whole(db_path) == ARTICLES
    assert any(0 < count < ARTICLES for count in seen), seen  # some kill landed mid-batch
