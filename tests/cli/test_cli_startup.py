"""`margin search` starts fast: it imports neither Textual nor the heavy helpers a
plain search never uses (rapidfuzz, the anchoring code, platformdirs with --db)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from store.library import Library
from store.models import ArticleDraft
from tests.conftest import run_python

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
    done = run_python(code, str(db))
    assert done.returncode == 0, done.stderr
    assert '"Harbour lights"' in done.stdout
    assert "LOADED []" in done.stdout


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_python(code, *args)


# What the fast path must not load: click and Textual, nor the library object with the
# Markdown parser and hashing it pulls in, nor every record class of store.models (a dozen
# dataclasses, ~6 ms of a ~45 ms process), nor pathlib when --db names the file, nor
# typing (~6 % of the process) unless a misspelling needs rapidfuzz, which imports it,
# nor dataclasses, which imports inspect (~15 ms with the classes it makes: store.record).
NOT_ON_FAST_PATH = [
    "typing",
    "dataclasses",
    "inspect",
    "click",
    "textual",
    "store.library",
    "store.models",
    "store.prepare",
    "store.images",
    "pathlib",
]
FAST = (
    "import sys; sys.argv = ['margin', *sys.argv[1:]]\n"
    "from tui.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
    f"print('LOADED', [m for m in {NOT_ON_FAST_PATH!r} if m in sys.modules])"
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
            allowed = "['typing']" if words == ["harbuor"] else "[]"
            assert printed[1].strip() == allowed, (words, fast.stdout, fast.stderr)
            assert printed[0] == slow.stdout, words
            assert fast.stderr == slow.stderr, words


def test_files_the_fast_path_does_not_take_get_clicks_answer(tmp_path: Path) -> None:
    """A missing file, an older library and a file that is no database are left to
    click, which words the error exactly as before."""
    from store import migrations

    old = tmp_path / "old.db"
    with Library(old) as library:
        library.store([ArticleDraft("Harbour lights", "The harbour at night.")])
    import sqlite3

    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST - 1}")
    conn.commit()
    conn.close()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    for db in (tmp_path / "missing.db", old, junk):
        args = ["--db", str(db), "search", "harbour"]
        fast, slow = _run(FAST, *args), _run(CLICK, *args)
        assert fast.stderr == slow.stderr, db
        assert fast.stderr.startswith("Error: "), fast.stderr
        assert fast.stdout.rsplit("LOADED", 1)[0] == slow.stdout
    assert not (tmp_path / "missing.db").exists()


# -- opening the reader --------------------------------------------------------------------
def test_only_a_bare_reader_launch_skips_click(tmp_path: Path) -> None:
    from tui.__main__ import reader_db

    assert reader_db([]) == ""
    assert reader_db(["--db", "lib.db"]) == "lib.db"
    assert reader_db(["--db=lib.db"]) == "lib.db"
    # click's to answer: commands, help, a folder, an empty value, an option as the value.
    for args in (
        ["list"],
        ["--help"],
        ["--version"],
        ["--db", "lib.db", "list"],
        ["--db", str(tmp_path)],
        ["--db="],
        ["--db", "--help"],
        ["--db"],
    ):
        assert reader_db(args) is None, args


READER = (
    "import sys; sys.argv = ['margin', *sys.argv[1:]]\n"
    "import tui.app\n"
    "tui.app.run = lambda path, compare=None: print('READER', path)\n"
    "from tui.__main__ import main\n"
    "main()\n"
    "print('CLICK', 'click' in sys.modules)"
)


def test_the_reader_opens_on_the_named_library_without_click(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    done = _run(READER, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"READER {db}" in done.stdout
    assert "CLICK False" in done.stdout
    done = subprocess.run(
        [sys.executable, "-c", READER],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "MARGIN_DB": str(db)},
    )
    assert f"READER {db}" in done.stdout, done.stderr


def test_a_folder_as_the_library_gets_clicks_error(tmp_path: Path) -> None:
    done = _run(READER, "--db", str(tmp_path))
    assert done.returncode == 2
    assert "is a directory" in done.stderr
    assert "READER" not in done.stdout


def test_a_word_search_imports_neither_re_nor_json(tmp_path: Path) -> None:
    """re (with the enum it imports) and json cost a `margin search` process ~12 ms of
    ~50, unicodedata ~1.5 ms: a word's search, its snippets and its JSON are written
    without them."""
    db = tmp_path / "s.db"
    with Library(db) as library:
        library.store([ArticleDraft("Harbour lights", "The harbour at night, and the market.")])
        library.refresh_vocabulary()
    code = FAST.replace(repr(NOT_ON_FAST_PATH), repr(["re", "json", "enum", "unicodedata"]))
    for words in (["harbour"], ["harbour", "market"], ["title:harbour"], ['"the harbour"']):
        for extra in (["--json"], []):
            done = _run(code, "--db", str(db), "search", *words, *extra)
            assert done.stdout.rsplit("LOADED", 1)[1].strip() == "[]", (words, done.stderr)
            assert "Harbour lights" in done.stdout
