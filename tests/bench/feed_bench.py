"""Feed speed: parsing a 1,000-entry feed (target <= 2 s) and refreshing 50 local feeds (<= 5 s).

uv run python tests/bench/feed_bench.py [--runs 5]

Rows:
- parse_feed_1000: ``FeedImporter.parse`` of an RSS 2.0 feed of 1,000 entries, each with a
  ~300-word ``content:encoded`` body (HTML to Markdown included), median of runs.
- import_feed_1000: ``margin import`` of the same file into a fresh library (parse + store).
- refresh_50_first: ``refresh_subscriptions`` of 50 feeds (20 entries each) on a local
  server, into a fresh library: every entry new.
- refresh_50_unchanged: the same 50 again; the server answers 304 to each.
- refresh_50_no_validators: 50 feeds from a server without ETag/Last-Modified: full
  downloads, each recognised as the document read last time (hash) and not parsed.
- refresh_50_new_documents: the same, but every document changed (a new build date)
  while its entries did not: parsed, every entry compared by digest and skipped.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from importers import import_paths  # noqa: E402
from importers.base import Source  # noqa: E402
from importers.feed import FeedImporter  # noqa: E402
from importers.subscriptions import refresh_subscriptions  # noqa: E402
from store.library import Library  # noqa: E402
from tests.importers.feedserver import serving  # noqa: E402

WORDS = [w.strip() for w in (REPO / "LICENSE").read_text().split() if w.isalpha()] or ["word"]


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_feed(entries: int, words: int, seed: int, title: str = "Bench Feed") -> bytes:
    """An RSS 2.0 feed of ``entries`` items with HTML content of about ``words`` words."""
    rng = random.Random(seed)
    items = []
    for n in range(entries):
        paras = "".join(
            f"<p>{_paragraph(rng, 60)} <a href='/x/{n}'>link</a> <em>{rng.choice(WORDS)}</em></p>"
            for _ in range(max(1, words // 60))
        )
        items.append(
            f"<item><title>{title} entry {n} {rng.choice(WORDS)}</title>"
            f"<link>https://bench.example/{seed}/{n}</link><guid>bench-{seed}-{n}</guid>"
            f"<pubDate>Tue, 05 Mar 2024 {n % 24:02d}:00:00 +0000</pubDate>"
            f"<dc:creator>Author {n % 7}</dc:creator>"
            f"<description>{_paragraph(rng, 20)}</description>"
            f"<content:encoded><![CDATA[{paras}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{title}</title><link>https://bench.example/</link>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def _median(times: list[float]) -> float:
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float, float, str]] = []
    big = make_feed(1000, 300, seed=1)

    times, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        drafts = FeedImporter().parse(Source(name="big.xml", data=big))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert len(drafts) == 1000
    note = f"{len(big) / 1e6:.1f} MB feed, 300k words; CPU {_median(cpu):.2f} s"
    rows.append(("parse_feed_1000", _median(times), 2.0, note))

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "big.xml").write_bytes(big)
        times = []
        for run in range(args.runs):
            with Library(root / f"import{run}.db") as library:
                start = time.perf_counter()
                report = import_paths(library, [root / "big.xml"], workers=0)
                times.append(time.perf_counter() - start)
            assert report.added == 1000, report.summary()
        rows.append(("import_feed_1000", _median(times), 0.0, "parse + store, fresh library"))

        served = root / "served"
        served.mkdir()
        for n in range(50):
            (served / f"f{n}.xml").write_bytes(make_feed(20, 300, seed=100 + n, title=f"Feed {n}"))
        for validators, label in ((True, "refresh_50"), (False, "refresh_50_no_validators")):
            first, again, rebuilt = [], [], []
            for run in range(args.runs):
                with (
                    serving(served, etags=validators, dates=validators) as server,
                    Library(root / f"{label}{run}.db") as library,
                ):
                    subs = [library.add_subscription(server.url(f"f{n}.xml")) for n in range(50)]
                    start = time.perf_counter()
                    results = refresh_subscriptions(library, subs)
                    first.append(time.perf_counter() - start)
                    assert sum(r.added for r in results) == 1000
                    start = time.perf_counter()
                    results = refresh_subscriptions(library, library.subscriptions())
                    again.append(time.perf_counter() - start)
                    assert all(r.status == "unchanged" for r in results)
                    assert sum(r.added + r.updated for r in results) == 0
                    if not validators:
                        for n in range(50):  # a new build date, the same entries
                            path = served / f"f{n}.xml"
                            path.write_bytes(path.read_bytes() + f"<!-- {run} -->".encode())
                        start = time.perf_counter()
                        results = refresh_subscriptions(library, library.subscriptions())
                        rebuilt.append(time.perf_counter() - start)
                        assert sum(r.unchanged for r in results) == 1000
                        assert sum(r.added + r.updated for r in results) == 0
            if validators:
                rows.append(("refresh_50_first", _median(first), 5.0, "1,000 new entries"))
                rows.append(("refresh_50_unchanged", _median(again), 5.0, "50 x HTTP 304"))
            else:
                rows.append((label, _median(again), 5.0, "full downloads, same documents"))
                rows.append(
                    ("refresh_50_new_documents", _median(rebuilt), 5.0, "parsed, 1,000 skipped")
                )

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'row':<26} {'median s':>9} {'target s':>9}  note")
    for name, seconds, target, note in rows:
        goal = f"{target:9.1f}" if target else f"{'-':>9}"
        verdict = "" if not target else ("  ok" if seconds <= target else "  OVER")
        print(f"{name:<26} {seconds:9.3f} {goal}  {note}{verdict}")


if __name__ == "__main__":
    main()
