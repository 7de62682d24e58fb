"""Annotation speed in the running reader (issue 12's targets), on the hard cases.

- highlighting a passage in a 50,000-word article: the new layer drawn and the
  screen's lines rendered again (one frame: <= 16 ms);
- opening an article that carries 500 notes, from the key to the text, its
  highlights and its margin notes drawn (<= 150 ms).

uv run python tests/bench/notes_speed.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store.library import Library  # noqa: E402
from store.models import COLORS, ArticleDraft  # noqa: E402

SIZE = (160, 48)
TARGETS = {"highlight repaint, 50k words": 16.0, "open with 500 notes, 50k words": 150.0}


def article(rng: random.Random, words: int) -> str:
    """Markdown of ``words`` words in paragraphs of 40–160 words, with headings."""
    vocab = [f"word{i}" for i in range(6000)]
    parts, left = [], words
    while left > 0:
        if rng.random() < 0.05:
            parts.append(f"## Section {len(parts)}")
        n = min(left, rng.randint(40, 160))
        parts.append(" ".join(rng.choice(vocab) for _ in range(n)) + ".")
        left -= n
    return "\n\n".join(parts)


def build(folder: Path) -> tuple[Path, int, int]:
    """A library with a 50k-word article (no notes) and one with 500 notes."""
    rng = random.Random(5)
    path = folder / "bench.db"
    with Library(path) as library:
        bare, annotated = library.store(
            [
                ArticleDraft(title="Bare", body_markdown=article(rng, 50_000), url="https://x/1"),
                ArticleDraft(title="Noted", body_markdown=article(rng, 50_000), url="https://x/2"),
            ]
        )
        text = library.get(annotated.id).body_text
        for n in range(500):
            start = rng.randrange(0, len(text) - 300)
            body = "" if n % 3 else f"Note {n}: " + " ".join(["thought"] * rng.randint(3, 40))
            library.add_note(
                annotated.id, start, start + rng.randint(20, 200), color=COLORS[n % 5], body=body
            )
    return path, bare.id, annotated.id


async def measure(path: Path, bare: int, annotated: int, runs: int) -> dict[str, list[float]]:
    """Milliseconds per run of each case, in a headless app."""
    from tui.app import MarginApp
    from tui.screens.article import ArticleScreen
    from tui.widgets.reader_pane import ReaderPane

    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    app = MarginApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for run in range(runs):
            # Open the article with 500 notes: key to fully drawn.
            loaded = asyncio.Event()
            screen = ArticleScreen(app.library, annotated)
            started = time.perf_counter()
            app.push_screen(screen)
            while True:
                await asyncio.sleep(0)
                pane = screen.query(ReaderPane).first() if screen.is_mounted else None
                if pane is not None and pane.article is not None and pane.notes:
                    view = pane.view
                    for y in range(view.size.height):
                        view.render_line(y)
                    loaded.set()
                    break
            times["open with 500 notes, 50k words"].append((time.perf_counter() - started) * 1000)
            await pilot.press("q")
            await pilot.pause()

            # Highlight a passage of the bare article: one layer more, lines rendered.
            screen = ArticleScreen(app.library, bare)
            app.push_screen(screen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            pane = screen.query_one(ReaderPane)
            pane.view.scroll_to_block(200 + run * 10)
            await pilot.pause()
            view = pane.view
            block, _ = view.top_block
            spans = [(block, 0, 40 + run)]
            started = time.perf_counter()
            view.set_layer("highlight-yellow", spans, "highlight-yellow")
            for y in range(view.size.height):
                view.render_line(y)
            times["highlight repaint, 50k words"].append((time.perf_counter() - started) * 1000)
            await pilot.press("q")
            await pilot.pause()
    return times


def main() -> None:
    """Print the table (and JSON with --json); exit 1 if a median misses its target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, bare, annotated = build(Path(folder))
        times = asyncio.run(measure(path, bare, annotated, args.runs))
    rows = []
    print(f"{'case':36} {'median ms':>10} {'p95 ms':>8} {'target':>7} {'ok':>4}")
    for name, values in times.items():
        values.sort()
        median = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        ok = median <= TARGETS[name]
        rows.append({"case": name, "median_ms": median, "p95_ms": p95, "ok": ok})
        print(
            f"{name:36} {median:10.1f} {p95:8.1f} {TARGETS[name]:7.0f} {'yes' if ok else 'NO':>4}"
        )
    if args.json:
        print(json.dumps({"ok": all(r["ok"] for r in rows), "rows": rows}, indent=2))
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    main()
