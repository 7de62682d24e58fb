"""Web extraction quality benchmark (a script, not a test).

Runs HtmlImporter over the shared ``web-dev`` pages and prints body precision,
recall and F1 (4-word shingles, per-page means), extraction speed, and
title/author/date agreement with ``web_meta_truth.json`` -- truth written by Margin's
own developers, so self-written and not a measure (``meta_quality.py`` measures metadata).

    uv run python tests/bench/web_quality.py --fixtures ../shared/fixtures/web-dev
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers.base import ImportFailure, Source  # noqa: E402
from importers.html import HtmlImporter  # noqa: E402

try:  # the library's own Markdown-to-text, when it exists
    from store.document import markdown_to_text  # type: ignore[attr-defined]
except Exception:  # noqa: BLE001
    markdown_to_text = None

_WORD = re.compile(r"\w+")


def strip_markdown(md: str) -> str:
    """Plain text from Markdown: drop syntax, keep words."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", md)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(#{1,6}|(?:>\s?)+|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    text = re.sub(r"^\s*\|?\s*:?-{3,}.*$", "", text, flags=re.M)
    text = text.replace("|", " ")
    text = re.sub(r"(\*\*|__|\*|_|`+|~~)", "", text)
    return text


def to_text(md: str) -> str:
    """Plain text for scoring."""
    return markdown_to_text(md) if markdown_to_text else strip_markdown(md)


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-word shingles of ``text``, with multiplicity."""
    words = _WORD.findall(text)
    return Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))


def precision_recall(got: str, expected: str) -> tuple[float, float]:
    """Per-page shingle precision and recall."""
    a, b = shingles(got), shingles(expected)
    tp = sum((a & b).values())
    fp = sum((a - b).values())
    fn = sum((b - a).values())
    precision = tp / (tp + fp) if tp + fp else (1.0 if not b else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def _norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u2033«»]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _author_set(value: str | list[str] | None) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", value)
    names = (_norm_title(re.sub(r"^by\s+", "", a, flags=re.I)).replace(".", " ") for a in items)
    return {" ".join(n.split()) for n in names if n.strip()}


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared/fixtures/web-dev")
    parser.add_argument(
        "--truth", type=Path, default=Path(__file__).with_name("web_meta_truth.json")
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages by F1")
    parser.add_argument("--show-meta", action="store_true", help="list metadata mismatches")
    args = parser.parse_args()

    body_truth = json.loads((args.fixtures / "truth.json").read_text())
    meta_truth = json.loads(args.truth.read_text()) if args.truth.exists() else {}
    keys = sorted(body_truth)
    importer = HtmlImporter()
    results: dict[str, list[dict[str, object]]] = {"even": [], "odd": []}
    for index, key in enumerate(keys):
        raw = gzip.decompress((args.fixtures / "html" / f"{key}.html.gz").read_bytes())
        source = Source(name=f"{key}.html", data=raw)
        start = time.perf_counter()
        try:
            draft = importer.parse(source)[0]
        except ImportFailure:
            draft = None
        elapsed = time.perf_counter() - start
        body = to_text(draft.body_markdown) if draft else ""
        p, r = precision_recall(body, body_truth[key]["body"])
        row: dict[str, object] = {"key": key, "index": index, "p": p, "r": r, "ms": elapsed * 1000}
        truth = meta_truth.get(key)
        if truth:
            got_title = _norm_title(draft.title) if draft else None
            row["title"] = got_title == _norm_title(truth["title"])
            if truth.get("authors") is not None:
                got_authors = _author_set(draft.author if draft else None)
                row["author"] = got_authors == _author_set(truth["authors"])
            if truth.get("date") is not None:
                got_day = (draft.published or "")[:10] if draft else ""
                row["date"] = got_day == truth["date"][:10]
            row["got"] = {
                "title": draft.title if draft else None,
                "author": draft.author if draft else None,
                "date": draft.published if draft else None,
            }
            row["want"] = truth
        results["even" if index % 2 == 0 else "odd"].append(row)

    def summary(rows: list[dict[str, object]]) -> list[str]:
        mp = statistics.fmean(float(r["p"]) for r in rows)  # type: ignore[arg-type]
        mr = statistics.fmean(float(r["r"]) for r in rows)  # type: ignore[arg-type]
        f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
        ms = sorted(float(r["ms"]) for r in rows)  # type: ignore[arg-type]
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        judged = [r for r in rows if "title" in r]

        def pct(field: str) -> str:
            scored = [r for r in judged if field in r]
            if not scored:
                return "-"
            return f"{100 * sum(bool(r[field]) for r in scored) / len(scored):.1f}%"

        return [
            str(len(rows)),
            f"{f1:.4f}",
            f"{mp:.4f}",
            f"{mr:.4f}",
            f"{statistics.median(ms):.0f}",
            f"{p95:.0f}",
            str(len(judged)),
            pct("title"),
            pct("author"),
            pct("date"),
        ]

    header = [
        "set",
        "pages",
        "F1",
        "prec",
        "recall",
        "med ms",
        "p95 ms",
        "meta n",
        "title*",
        "author*",
        "date*",
    ]
    table = [header]
    for name in ("even", "odd"):
        table.append([name, *summary(results[name])])
    table.append(["all", *summary(results["even"] + results["odd"])])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        "* against web_meta_truth.json, written by Margin's developers: self-written, not a "
        "measure (see tests/bench/meta_quality.py for metadata measured on meta-dev)"
    )

    everything = results["even"] + results["odd"]
    if args.worst:
        print()
        for r in sorted(everything, key=lambda r: min(float(r["p"]), float(r["r"])))[: args.worst]:
            print(f"{r['index']:3d} {str(r['key'])[:12]}  p={r['p']:.3f} r={r['r']:.3f}")
    if args.show_meta:
        print()
        for r in everything:
            for field in ("title", "author", "date"):
                if field in r and not r[field]:
                    got = r["got"][field if field != "author" else "author"]  # type: ignore[index]
                    want = r["want"]["authors" if field == "author" else field]  # type: ignore[index]
                    print(f"{r['index']:3d} {field:6s} got={got!r} want={want!r}")


if __name__ == "__main__":
    main()
