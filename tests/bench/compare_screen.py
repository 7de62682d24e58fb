"""The comparison screen end to end (issue 13): aligned *and painted*, in a running app.

``compare_speed.py`` times the alignment alone; this times what the user waits for: from
pushing the comparison screen to the frame that shows both panes coloured, on the same
generated pairs (a light revision and a story pair, 10,000 and 50,000 words a side).
It also records whether the progress line appeared for the long pairs (a run whose
result came within 0.55 s needs none), the worst gap between frames while the comparison ran (the
screen must stay responsive), and the CPU seconds the process spent (both threads): on a
shared machine the wall-clock median follows the load, the CPU time much less.

    uv run python tests/bench/compare_screen.py [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from textual.app import App  # noqa: E402

from store.library import Library  # noqa: E402
from store.models import ArticleDraft  # noqa: E402
from tests.bench.compare_speed import TARGETS, pairs  # noqa: E402
from tui.screens.compare import CompareScreen  # noqa: E402

PROGRESS_TARGET = 0.5
"""Seconds after which a long comparison must say it is working."""


class _Host(App[None]):
    """A bare app that hosts the comparison screen."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library


async def _one(library: Library, left: int, right: int) -> tuple[float, bool, float, float, float]:
    """Seconds to the painted comparison, whether progress showed, worst event-loop gap,
    CPU seconds of the process meanwhile, seconds until the result was there."""
    app = _Host(library)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = CompareScreen(library, left, right)
        worst, progress = 0.0, False
        started, cpu = time.perf_counter(), time.process_time()
        app.push_screen(screen)
        last = time.perf_counter()
        mounted = False
        while screen.result is None:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            if not screen.is_mounted:
                last = now
                continue
            if mounted:  # gaps while computing, not Textual mounting the screen
                worst = max(worst, now - last - 0.01)
            mounted, last = True, now
            if "Comparing" in str(screen.query_one("#compare-summary").render()):
                progress = True
        arrived = time.perf_counter() - started
        await pilot.pause()  # the frame with both panes coloured
        elapsed = time.perf_counter() - started
        return elapsed, progress, worst, time.process_time() - cpu, arrived


def measure(runs: int) -> list[dict]:
    """Median seconds per pair kind and size, through the screen."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder) / "bench.db")
        # The floor: the same screen on two one-line texts is what Textual alone costs to
        # mount two panes, a summary and a footer and paint them at 160x48.
        tiny = library.store(
            [
                ArticleDraft(title="floor left", body_markdown="One two three. Four five."),
                ArticleDraft(title="floor right", body_markdown="One two three. Six seven."),
            ]
        )
        floor = [asyncio.run(_one(library, tiny[0].id, tiny[1].id)) for _ in range(runs)]
        rows.append(
            {
                "pair": "floor",
                "words": 5,
                "median_s": round(statistics.median(r[0] for r in floor), 3),
                "cpu_s": round(statistics.median(r[3] for r in floor), 3),
                "target_s": None,
                "progress_shown": None,
                "worst_gap_ms": None,
                "ok": True,
            }
        )
        for words, target in TARGETS.items():
            for kind, (left, right) in pairs(words).items():
                stored = library.store(
                    [
                        ArticleDraft(title=f"{kind} {words} left", body_markdown=left),
                        ArticleDraft(title=f"{kind} {words} right", body_markdown=right),
                    ]
                )
                ids = [a.id for a in stored]
                times, shown, gaps, cpus = [], [], [], []
                for _ in range(runs if words <= 10_000 else max(1, runs // 2)):
                    seconds, progress, worst, cpu, arrived = asyncio.run(
                        _one(library, ids[0], ids[1])
                    )
                    times.append(seconds)
                    # The issue asks progress of the long pairs while they compute; one
                    # whose result came before the line was due (and a poll later) needs none.
                    if words >= 50_000 and arrived > PROGRESS_TARGET + 0.05:
                        shown.append(progress)
                    gaps.append(worst)
                    cpus.append(cpu)
                median = statistics.median(times)
                rows.append(
                    {
                        "pair": kind,
                        "words": words,
                        "median_s": round(median, 3),
                        "cpu_s": round(statistics.median(cpus), 3),
                        "target_s": target,
                        "progress_shown": all(shown) if shown else None,
                        "worst_gap_ms": round(max(gaps) * 1000, 1),
                        "ok": median <= target and all(shown),
                    }
                )
        library.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = measure(args.runs)
    if args.json:
        print(json.dumps({"rows": rows, "ok": all(r["ok"] for r in rows)}, indent=2))
    else:
        head = ("pair", "words", "median", "cpu", "target", "progress", "worst gap")
        print("{:<9} {:>7} {:>8} {:>7} {:>7} {:>9} {:>10}".format(*head))
        for r in rows:
            progress = (
                "not due"
                if r["progress_shown"] is None
                else ("yes" if r["progress_shown"] else "NO")
            )
            target = "-" if r["target_s"] is None else f"{r['target_s']:.1f}s"
            gap = "-" if r["worst_gap_ms"] is None else f"{r['worst_gap_ms']:.1f}ms"
            print(
                f"{r['pair']:<9} {r['words']:>7,} {r['median_s']:>7.3f}s {r['cpu_s']:>6.3f}s "
                f"{target:>7} "
                f"{progress:>9} {gap:>10}"
            )
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
