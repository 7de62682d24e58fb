"""Import speed and database size, phase by phase (issue 15).

Usage::

    uv run python tests/bench/import_speed.py --articles 10000
    uv run python tests/bench/import_speed.py --folder /tmp/corpus-100000 --db /tmp/x.db
    uv run python tests/bench/import_speed.py --articles 10000 --fts-floor

Imports a generated corpus (``corpus.py``) into a fresh library with
``importers.import_paths``, as ``margin import`` does, and prints one table: wall and
CPU seconds of each phase of the writer's process (the parsing processes' CPU is
read from ``RUSAGE_CHILDREN``), articles per second, CPU ms per article over all
processes, and the database's size against the raw text. ``uptime`` is printed
beside it: on a loaded machine wall times inflate, CPU times much less.

``--fts-floor`` also times the floor: the same articles' plain text inserted into a
bare FTS5 table with Margin's tokenizer, in one process (the index alone).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
for entry in (str(HERE), str(REPO)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

TARGET_RATE = 2000.0
TARGET_RATIO = 2.0


class Phases:
    """Wall and CPU time of named phases of this process."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.depth = 0

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block under ``name`` (nested phases count in their outer one only)."""
        self.depth += 1
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.depth -= 1
            if self.depth == 0:
                self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
                self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        """Replace ``owner.attr`` by a timed version of itself."""
        original: Callable[..., Any] = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name):
                return original(*args, **kwargs)

        setattr(owner, attr, timed)


def uptime() -> str:
    """The load averages, as ``uptime`` prints them."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime: not available"


def db_bytes(db: Path) -> int:
    """Size of a SQLite database with its WAL and shared-memory files."""
    return sum(
        Path(str(db) + s).stat().st_size for s in ("", "-wal", "-shm") if Path(str(db) + s).exists()
    )


def raw_bytes(folder: Path) -> int:
    """Bytes of every file under ``folder`` except the manifest."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        total += sum(os.path.getsize(Path(root) / f) for f in files if not f.endswith(".json"))
    return total


def run_import(folder: Path, db: Path) -> dict[str, Any]:
    """Import ``folder`` into a fresh ``db``, timing every phase."""
    import store.impact
    import store.vocabulary
    from importers import import_paths
    from store.library import Library

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    phases = Phases()
    phases.wrap(Library, "store", "store batches (inserts, triggers, FTS5)")
    phases.wrap(Library, "optimize", "FTS5 optimize (end of bulk)")
    phases.wrap(store.vocabulary, "sync", "vocabulary sync")
    phases.wrap(store.impact, "rebuild", "impact lists: rebuild")
    phases.wrap(store.impact, "sync", "impact lists: sync")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    library = Library(db)
    report = import_paths(library, [folder])
    count = library.count()
    library.close()
    seconds = time.perf_counter() - wall
    own_cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    measured = sum(phases.wall.values())
    phases.wall["waiting for parsers, reading results"] = seconds - measured
    phases.cpu["waiting for parsers, reading results"] = own_cpu - sum(phases.cpu.values())
    return {
        "articles": count,
        "added": report.added,
        "failed": len(report.failed),
        "seconds": seconds,
        "rate": count / seconds if seconds else 0.0,
        "writer_cpu": own_cpu,
        "parser_cpu": children,
        "cpu_ms_per_article": (own_cpu + children) / max(1, count) * 1000,
        "db_bytes": db_bytes(db),
        "phases": {k: {"wall": phases.wall[k], "cpu": phases.cpu.get(k, 0.0)} for k in phases.wall},
    }


def fts_floor(db: Path, limit: int | None) -> dict[str, Any]:
    """Plain text of the library's articles into a bare FTS5 table, one process."""
    from store.migrations import FTS_COLUMNS, FTS_TOKENIZE

    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = source.execute(
        f"SELECT {', '.join(FTS_COLUMNS)} FROM article_texts ORDER BY id LIMIT ?", (limit or -1,)
    ).fetchall()
    source.close()
    floor = db.with_suffix(".floor.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(floor) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(floor, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    columns = ", ".join(FTS_COLUMNS)
    conn.execute(f"CREATE VIRTUAL TABLE f USING fts5({columns}, tokenize='{FTS_TOKENIZE}')")
    conn.execute("INSERT INTO f(f, rank) VALUES ('automerge', 0)")
    conn.execute("INSERT INTO f(f, rank) VALUES ('crisismerge', 64)")
    marks = ", ".join("?" for _ in FTS_COLUMNS)
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO f({columns}) VALUES ({marks})", rows)
    conn.execute("COMMIT")
    conn.execute("INSERT INTO f(f) VALUES ('optimize')")
    out = {
        "articles": len(rows),
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
    }
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(floor) + suffix).unlink(missing_ok=True)
    return out


def table(result: dict[str, Any], raw: int, load_before: str, load_after: str) -> str:
    """The printed report."""
    n = max(1, result["articles"])
    lines = [
        f"import of {result['articles']:,} articles ({raw / 2**20:,.1f} MiB raw), "
        f"{result['failed']} failed",
        f"before: {load_before}",
        f"after:  {load_after}",
        "",
        "| phase (writer process) | wall s | CPU s | CPU ms / article |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, t in result["phases"].items():
        lines.append(f"| {name} | {t['wall']:.1f} | {t['cpu']:.1f} | {t['cpu'] / n * 1000:.2f} |")
    lines.append(
        "| child processes: parsers and impact ranking workers (CPU) | | "
        f"{result['parser_cpu']:.1f} | {result['parser_cpu'] / n * 1000:.2f} |"
    )
    ratio = result["db_bytes"] / raw if raw else 0.0
    rate_ok = "✓" if result["rate"] >= TARGET_RATE else "✗"
    ratio_ok = "✓" if ratio <= TARGET_RATIO else "✗"
    lines += [
        "",
        f"wall {result['seconds']:.1f} s = **{result['rate']:,.0f} articles/s** {rate_ok} "
        f"(target {TARGET_RATE:,.0f})",
        f"CPU all processes {result['writer_cpu'] + result['parser_cpu']:.1f} s = "
        f"{result['cpu_ms_per_article']:.2f} ms / article",
        f"database {result['db_bytes'] / 2**20:,.1f} MiB = **{ratio:.3f}× raw** {ratio_ok} "
        f"(target ≤ {TARGET_RATIO}×)",
    ]
    if "floor" in result:
        f = result["floor"]
        lines.append(
            f"floor: bare FTS5 insert of the same plain text, one process: {f['seconds']:.1f} s "
            f"wall, {f['cpu'] / max(1, f['articles']) * 1000:.2f} ms CPU / article = "
            f"{f['articles'] / f['seconds']:,.0f} articles/s"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--folder", type=Path, help="an existing corpus (default: generate one)")
    parser.add_argument("--db", type=Path, help="the library to create (deleted first)")
    parser.add_argument("--workdir", type=Path, default=REPO / "bench-out")
    parser.add_argument("--fts-floor", action="store_true", help="time a bare FTS5 insert too")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    folder = args.folder
    if folder is None:
        import corpus

        folder = args.workdir / f"corpus-{args.articles}-{corpus.DEFAULT_SEED}"
        corpus.generate(folder, args.articles, corpus.DEFAULT_SEED)
    db = args.db or args.workdir / f"import-{folder.name}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    load_before = uptime()
    result = run_import(folder, db)
    load_after = uptime()
    if args.fts_floor:
        result["floor"] = fts_floor(db, None)
    raw = raw_bytes(folder)
    result["raw_bytes"] = raw
    result["db_ratio"] = result["db_bytes"] / raw if raw else 0.0
    result["uptime"] = [load_before, load_after]
    result["ok"] = result["rate"] >= TARGET_RATE and result["db_ratio"] <= TARGET_RATIO
    print(table(result, raw, load_before, load_after))
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
