"""What the library screen's refresh and cursor keeping cost on a big library (issue 16).

On a copy of a library file (``--db``; e.g. the 100k benchmark library), median of
``--runs`` runs of each step the screen takes off the UI thread:

- the poll every 2 s (``PRAGMA data_version``);
- the header's counts (articles and excerpts apart);
- finding the cursor's article in the list (``Library.index_of``) at the top, the
  middle and the end, per sort (date/title/source count on the sort's index; last
  read numbers the whole list);
- one whole refresh: counts, first page, the article's row and its page.

uv run python tests/bench/library_actions.py --db /tmp/bench/library-100000.db [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store.library import Library  # noqa: E402

PAGE = 100


def median_ms(step, runs: int) -> float:  # noqa: ANN001 - any callable
    """The median wall time of ``step()`` over ``runs`` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(library: Library, runs: int) -> list[tuple[str, float]]:
    """Rows of (step, median ms)."""
    rows = [
        ("poll: data_version", median_ms(library.data_version, runs * 10)),
        ("header: kind_counts", median_ms(library.kind_counts, runs)),
    ]
    total = library.count()
    for sort in ("date", "title", "source", "read"):
        for label, row in (("top", 10), ("middle", total // 2), ("end", total - 5)):
            [summary] = library.summaries(offset=row, limit=1, sort=sort)  # type: ignore[arg-type]
            found = library.index_of(summary.id, sort=sort)  # type: ignore[arg-type]
            assert found == row, (sort, row, found)  # never a fast wrong answer
            rows.append(
                (
                    f"index_of by {sort}, {label}",
                    median_ms(
                        lambda i=summary.id, s=sort: library.index_of(i, sort=s),  # type: ignore[misc]
                        runs,
                    ),
                )
            )

    [middle] = library.summaries(offset=total // 2, limit=1)

    def refresh() -> None:
        library.kind_counts()
        library.summaries(offset=0, limit=PAGE)
        index = library.index_of(middle.id)
        assert index is not None
        library.summaries(offset=index // PAGE * PAGE, limit=PAGE)

    rows.append(("refresh, cursor mid-list (by date)", median_ms(refresh, runs)))
    return rows


def main() -> None:
    """Copy the library, measure, print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path, help="a library file (copied first)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "library.db"
        shutil.copy(args.db, copy)
        with Library(copy) as library:
            if library.backup_path:
                Path(library.backup_path).unlink(missing_ok=True)
            articles = library.count()
            rows = measure(library, args.runs)
    if args.json:
        print(json.dumps({"articles": articles, "rows": dict(rows)}, indent=2))
        return
    print(f"library actions on {articles:,} articles (median of {args.runs} runs)")
    print(f"{'step':<40} {'ms':>9}")
    for name, value in rows:
        print(f"{name:<40} {value:>9.2f}")


if __name__ == "__main__":
    main()
