"""Saved-HTML extraction quality benchmark (a script, not a test).

Runs HtmlImporter over the saved pages of the shared ``web-dev`` and ``pages-dev``
collections and prints body precision, recall and F1 (4-word shingles, per-page means,
as their READMEs say) per collection, per source and per language, with extraction
time. The one tuned number of the extractor, ``importers.html.FALLBACK_RATIO`` (when a
precision extraction far shorter than the baseline one gives way to it), is also chosen
leave-one-source-out: picked on every other source, scored on the one left out.

Title/author/date agreement on ``web-dev`` is with ``web_meta_truth.json``, truth written
by Margin's own developers: self-written, so not a measure (``meta_quality.py`` measures
metadata on truth we did not write).

    uv run python tests/bench/web_quality.py                  # both collections, ~1 min
    uv run python tests/bench/web_quality.py --collections web-dev --worst 10
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
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers import html as html_importer  # noqa: E402
from importers.base import ImportFailure  # noqa: E402
from store.document import markdown_to_text  # noqa: E402

_WORD = re.compile(r"\w+")
RATIOS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
"""The fallback ratios the leave-one-source-out choice picks from."""


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


def f1(scores: Iterable[tuple[float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall) of per-page scores: the harmonic mean of the two means."""
    rows = list(scores)
    mp = statistics.fmean(p for p, _ in rows)
    mr = statistics.fmean(r for _, r in rows)
    return (2 * mp * mr / (mp + mr) if mp + mr else 0.0), mp, mr


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


def _extract(path: Path, ratio: float | None) -> tuple[object, float]:
    """(draft or None, sizes, milliseconds) with the fallback ratio set to ``ratio``."""
    if ratio is not None:
        html_importer.FALLBACK_RATIO = ratio
    raw = gzip.decompress(path.read_bytes())
    start = time.perf_counter()
    try:
        # What HtmlImporter.parse does, keeping the extraction's sizes.
        found = html_importer.extract_article(html_importer.decode_html(raw), None)
        draft = html_importer.draft_from_extracted(found, None, path.name[:-3], raw)
    except ImportFailure:
        found, draft = None, None
    sizes = (*found.sizes, found.skipped) if found else (0, None, 0)
    return (draft, sizes), (time.perf_counter() - start) * 1000


def _page(job: tuple[str, str, Path, str, float | None]) -> dict[str, object]:
    """Score one page at one fallback ratio (None: the shipped one)."""
    collection, key, path, expected, ratio = job
    (draft, sizes), ms = _extract(path, ratio)
    body = markdown_to_text(draft.body_markdown) if draft else ""  # type: ignore[attr-defined]
    p, r = precision_recall(body, expected)
    return {
        "collection": collection,
        "key": key,
        "p": p,
        "r": r,
        "ms": ms,
        "sizes": sizes,
        "draft": None
        if draft is None
        else {"title": draft.title, "author": draft.author, "date": draft.published},
    }  # type: ignore[attr-defined]


def load(fixtures: Path, collections: list[str]) -> list[dict[str, object]]:
    """Every page of the collections that are present: key, source, language, truth."""
    pages = []
    for name in collections:
        folder = fixtures / name
        if not (folder / "truth.json").exists():
            print(f"{folder}: not found, skipped", file=sys.stderr)
            continue
        for key, item in sorted(json.loads((folder / "truth.json").read_text()).items()):
            pages.append(
                {
                    "collection": name,
                    "key": key,
                    "path": folder / "html" / f"{key}.html.gz",
                    "body": item["body"],
                    "source": item.get("source", name),
                    "lang": item.get("lang", "en"),
                }
            )
    return pages


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--collections", nargs="+", default=["web-dev", "pages-dev"])
    parser.add_argument(
        "--truth", type=Path, default=Path(__file__).with_name("web_meta_truth.json")
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-loso", action="store_true", help="skip the leave-one-source-out")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages by F1")
    parser.add_argument("--show-meta", action="store_true", help="list metadata mismatches")
    args = parser.parse_args()

    pages = load(args.fixtures, args.collections)
    if not pages:
        sys.exit("no collections found")
    jobs = [(p["collection"], p["key"], p["path"], p["body"], None) for p in pages]
    with ProcessPoolExecutor(args.workers) as pool:
        shipped = list(pool.map(_page, jobs, chunksize=4))
        # Pages where some ratio would take the baseline: score the baseline too.
        check = html_importer.FALLBACK_CHECK_LETTERS
        redo = [
            i
            for i, row in enumerate(shipped)
            if row["sizes"][1] is not None  # type: ignore[index]
            and row["sizes"][0] < check  # type: ignore[index]
            and row["sizes"][0] < max(RATIOS) * row["sizes"][1]  # type: ignore[index,operator]
        ]
        ends = {
            ratio: dict(
                zip(redo, pool.map(_page, [jobs[i][:4] + (ratio,) for i in redo]), strict=True)
            )
            for ratio in (0.0, 1e9)
        }

    def at(i: int, ratio: float) -> tuple[float, float]:
        """Page i's scores had the fallback ratio been ``ratio``."""
        if i not in ends[0.0]:
            row = shipped[i]
        else:
            precise, baseline, skipped = shipped[i]["sizes"]  # type: ignore[misc]
            wants = html_importer.wants_fallback(precise, baseline, ratio, skipped)
            row = ends[1e9 if wants else 0.0][i]
        return float(row["p"]), float(row["r"])  # type: ignore[arg-type]

    def line(label: str, idx: list[int], loso: dict[str, float] | None = None) -> list[str]:
        f, p, r = f1((float(shipped[i]["p"]), float(shipped[i]["r"])) for i in idx)  # type: ignore[arg-type]
        ms = sorted(float(shipped[i]["ms"]) for i in idx)  # type: ignore[arg-type]
        cells = [
            label,
            str(len(idx)),
            f"{f:.4f}",
            f"{p:.4f}",
            f"{r:.4f}",
            f"{statistics.median(ms):.0f}",
            f"{ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]:.0f}",
        ]
        if loso is not None:
            held = f1(at(i, loso[str(pages[i]["source"])]) for i in idx)[0]
            cells.append(f"{held:.4f}")
        return cells

    sources = sorted({str(p["source"]) for p in pages})
    by_source = {s: [i for i, p in enumerate(pages) if p["source"] == s] for s in sources}
    loso: dict[str, float] | None = None
    if not args.no_loso and len(sources) > 1:
        loso = {}
        for held in sources:
            # The ratio that does best on the mean of every other source's F1.
            def trained(ratio: float, held: str = held) -> float:
                return statistics.fmean(
                    f1(at(i, ratio) for i in idx)[0] for s, idx in by_source.items() if s != held
                )

            loso[held] = max(RATIOS, key=trained)
    header = ["", "pages", "F1", "prec", "recall", "med ms", "p95 ms"]
    if loso is not None:
        header.append("LOSO F1")
    table = [header]
    for name in args.collections:
        idx = [i for i, p in enumerate(pages) if p["collection"] == name]
        if idx:
            table.append(line(name, idx, loso))
    table.append(line("all", list(range(len(pages))), loso))
    print(f"Saved HTML, body F1 (shipped FALLBACK_RATIO = {html_importer.FALLBACK_RATIO})")
    _table(table)
    print()
    table = [["source", *header[1:]] + (["ratio"] if loso else [])]
    for s in sources:
        table.append(line(s, by_source[s], loso) + ([f"{loso[s]:.2f}"] if loso else []))
    _table(table)
    print()
    table = [["language", *header[1:]]]
    for lang in sorted({str(p["lang"]) for p in pages}):
        table.append(line(lang, [i for i, p in enumerate(pages) if p["lang"] == lang], loso))
    _table(table)
    if loso is not None:
        print(
            "LOSO F1: FALLBACK_RATIO chosen on the other sources (last column of the source "
            f"table), from {', '.join(map(str, RATIOS))}"
        )

    meta_truth = json.loads(args.truth.read_text()) if args.truth.exists() else {}
    judged = []
    for i, page in enumerate(pages):
        truth = meta_truth.get(page["key"]) if page["collection"] == "web-dev" else None
        got = shipped[i]["draft"] or {"title": None, "author": None, "date": None}
        if truth:
            row = {"title": _norm_title(got["title"]) == _norm_title(truth["title"])}  # type: ignore[index]
            if truth.get("authors") is not None:
                row["author"] = _author_set(got["author"]) == _author_set(truth["authors"])  # type: ignore[index]
            if truth.get("date") is not None:
                row["date"] = (got["date"] or "")[:10] == truth["date"][:10]  # type: ignore[index]
            judged.append((i, row, got, truth))
    if judged:
        print()
        parts = []
        for field in ("title", "author", "date"):
            scored = [row[field] for _, row, _, _ in judged if field in row]
            parts.append(f"{field} {100 * sum(scored) / len(scored):.1f}% of {len(scored)}")
        print(
            "web-dev metadata against web_meta_truth.json (self-written, not a measure; see "
            "meta_quality.py): " + ", ".join(parts)
        )
    if args.worst:
        print()
        order = sorted(range(len(pages)), key=lambda i: min(shipped[i]["p"], shipped[i]["r"]))  # type: ignore[arg-type,return-value]
        for i in order[: args.worst]:
            print(
                f"{pages[i]['collection']:9s} {str(pages[i]['key'])[:24]:24s} "
                f"p={shipped[i]['p']:.3f} r={shipped[i]['r']:.3f}"
            )
    if args.show_meta:
        print()
        for i, row, got, truth in judged:
            for field, ok in row.items():
                if not ok:
                    want = truth["authors" if field == "author" else field]
                    print(
                        f"{str(pages[i]['key'])[:12]} {field:6s} got={got[field]!r} want={want!r}"
                    )  # type: ignore[index]


if __name__ == "__main__":
    main()
