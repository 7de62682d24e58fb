"""Extraction quality of the page-dump importer on the web-dev pages (not a pytest test).

Runs :class:`importers.pagedump.PageDumpImporter` over every ``dumps/KEY.txt`` (innerText
layout) and ``dumps-blocks/KEY.txt`` (blank line between blocks), concatenates the plain text
of every ``article`` entry and scores it against ``truth.json`` the way the fixture README
describes: 4-word shingles with multiplicity, per-page precision and recall, their means, F1.

    uv run python tests/bench/pagedump_quality.py --split even
    uv run python tests/bench/pagedump_quality.py --split odd --worst 5
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers.base import ImportFailure, Source  # noqa: E402
from importers.pagedump import PageDumpImporter  # noqa: E402

LAYOUTS = ("dumps", "dumps-blocks")
_WORD = re.compile(r"\w+")


def _fallback_markdown_to_text(markdown: str) -> str:
    """Plain text of CommonMark: inline text of every block, one block per paragraph."""
    from markdown_it import MarkdownIt

    parts: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline" and token.children is not None:
            text = "".join(
                child.content if child.type in ("text", "code_inline") else "\n"
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            parts.append(text)
    return "\n\n".join(parts)


def markdown_to_text(markdown: str) -> str:
    """The library's Markdown-to-text when it exists, else a CommonMark fallback."""
    try:
        from store.document import markdown_to_text as library_version
    except ImportError:
        return _fallback_markdown_to_text(markdown)
    return library_version(markdown)


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """Every run of ``size`` consecutive words, counted with multiplicity."""
    words = _WORD.findall(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1)))


def score(extracted: str, expected: str) -> tuple[float, float]:
    """Per-page (precision, recall); an empty side scores 0 (1 when both are empty)."""
    got, want = shingles(extracted), shingles(expected)
    tp = sum((got & want).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    if not got and not want:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def extract(path: Path) -> tuple[str | None, float]:
    """Concatenated article text of one dump (None when no article) and parse time in ms."""
    source = Source(name=str(path), data=path.read_bytes())
    importer = PageDumpImporter()
    started = time.perf_counter()
    try:
        drafts = importer.parse(source)
    except ImportFailure:
        return None, (time.perf_counter() - started) * 1000
    elapsed = (time.perf_counter() - started) * 1000
    texts = [markdown_to_text(d.body_markdown) for d in drafts if d.kind == "article"]
    return "\n\n".join(texts), elapsed


def main(argv: list[str] | None = None) -> int:
    """Print the quality table; exit status 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared/fixtures/web-dev")
    parser.add_argument("--split", choices=("even", "odd", "all"), default="all")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages per layout")
    args = parser.parse_args(argv)

    truth = json.loads((args.fixtures / "truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    if args.split == "even":
        keys = keys[0::2]
    elif args.split == "odd":
        keys = keys[1::2]

    print(f"{len(keys)} pages, split {args.split}")
    header = f"{'layout':14} {'precision':>9} {'recall':>7} {'F1':>6} {'no article':>10}"
    print(header + f" {'ms p50':>7}")
    for layout in LAYOUTS:
        precisions, recalls, times = [], [], []
        missing = 0
        rows = []
        for key in keys:
            path = args.fixtures / layout / f"{key}.txt"
            text, ms = extract(path)
            times.append(ms)
            if text is None:
                missing += 1
                text = ""
            p, r = score(text, truth[key]["body"])
            precisions.append(p)
            recalls.append(r)
            rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, key))
        mp, mr = statistics.mean(precisions), statistics.mean(recalls)
        f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
        print(
            f"{layout:14} {mp:9.3f} {mr:7.3f} {f1:6.3f} {missing:10d} "
            f"{statistics.median(times):7.1f}"
        )
        for f, p, r, key in sorted(rows)[: args.worst]:
            print(f"    {f:.2f} p={p:.2f} r={r:.2f} {key[:16]} {truth[key]['url'][:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
