"""The reader open, an import in a second process, notes edited in a third: nobody is
ever told "database is locked", every note operation succeeds, and the reader sees
the new articles on its next read."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from store.library import Library
from tests.conftest import REPO, draft

ARTICLES = 600

NOTES_LOOP = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from click.testing import CliRunner
    from tui.cli import cli

    db, article, stop, out = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
    runner, results, turn = CliRunner(), [], 0

    def margin(*args):
        result = runner.invoke(cli, ["notes", *args, "--db", db, "--json"])
        text = result.output + (repr(result.exception) if result.exception else "")
        results.append({"args": list(args[:1]), "code": result.exit_code, "output": text})
        return json.loads(result.stdout) if result.exit_code == 0 else None

    while not stop.exists() or turn < 5:
        turn += 1
        added = margin("add", article, "--quote", "Rivers", "--note", f"note {turn}")
        if added is None:
            continue
        margin("edit", str(added["id"]), "--note", f"edited {turn}")
        if turn % 2:
            margin("delete", str(added["id"]))
    out.write_text(json.dumps(results))
    """
)


def write_batch(folder: Path) -> None:
    folder.mkdir()
    for number in range(ARTICLES):
        words = " ".join(f"word{(number * 7 + k) % 997}" for k in range(80))
        text = f"# Batch article {number}\n\nFresh{number} marker. {words}\n\n## Two\n\n{words}\n"
        (folder / f"a{number:04}.md").write_text(text, encoding="utf-8")


def test_reader_import_and_note_editing_side_by_side(tmp_path: Path) -> None:
    db_path = tmp_path / "lib.db"
    batch = tmp_path / "batch"
    write_batch(batch)
    stop, out = tmp_path / "stop", tmp_path / "notes.json"
    with Library(db_path) as library:  # the reader, open throughout
        article = library.store([draft("Rivers", "Rivers carry water to the sea.")])[0].id
        importer = subprocess.Popen(
            [sys.executable, "-m", "tui", "--db", str(db_path), "import", str(batch)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        notes = subprocess.Popen(
            [sys.executable, "-c", NOTES_LOOP, str(db_path), str(article), str(stop), str(out)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        reads = 0
        while importer.poll() is None:
            # What the reader does while reading: list, open, search, keep its place.
            library.count()
            assert library.get(article) is not None
            library.search("rivers")
            library.save_position(article, reads % 3, 0, 0.1)
            reads += 1
            time.sleep(0.01)
        stop.touch()
        import_out, import_err = importer.communicate(timeout=120)
        notes_out, notes_err = notes.communicate(timeout=120)
        # The reader's next read (its refresh) sees every new article.
        assert library.count() == ARTICLES + 1
        assert [hit.id for hit in library.search("fresh599")] != []
    assert importer.returncode == 0, import_err.decode()
    assert f"{ARTICLES} added" in import_out.decode()
    assert notes.returncode == 0, notes_err.decode()
    results = json.loads(out.read_text())
    for stream in (import_out, import_err, notes_out, notes_err):
        assert b"locked" not in stream.lower()
    failed = [r for r in results if r["code"] != 0 or "locked" in r["output"].lower()]
    assert failed == [] and len(results) >= 10, (failed[:3], len(results))
    assert reads > 0
