"""Re-anchoring through the Library, measured exactly as revisions-dev/README.md says.

Each revision of an article becomes a Markdown file (front matter: the article's name as title,
one fixed URL per article) imported through the real importer (``importers.import_paths``, as
``margin import`` does), so the next revision replaces the previous in place. Highlights are
random runs of 5 to 25 whole words of Margin's own plain text (``Library.get(id).body_text``,
what ``margin show ID --format text`` prints), two or three per revision pair, added as W3C Web
Annotations (quote selector with 32 characters of context, position selector) through
``Library.import_annotations``. The next revision is imported and every note read back.

Truth: one word-level longest-matching-blocks diff of the two plain texts (difflib over the
word lists, autojunk off); at least half the words survive -> the span from the first to the
last surviving word, else an orphan. Placed right = intersection over union >= 0.5.

Articles are split in two halves by name (sorted, alternate): ``tune`` (even) and ``held-out``
(odd); anything tuned is tuned on the first and reported on the second.

    uv run python tests/bench/reanchor_library.py [--limit N] [--seed 12] [--rows]
        [--json-out FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz  # noqa: E402

from importers import import_paths  # noqa: E402
from store.library import Library  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "revisions-dev"
WORD = re.compile(r"\S+")
CONTEXT = 32
TARGET_ATTACHED = 0.95
TARGET_FALSE = 0.05


@dataclass
class Case:
    """One highlight of one revision pair, with its expected place and what each method did."""

    article: str
    half: str
    change: str
    old: str
    new: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    truth: tuple[int, int] | None
    got: dict[str, tuple[int, int] | None]


# -- truth -------------------------------------------------------------------------------
def words(text: str) -> list[tuple[int, int, str]]:
    """Whitespace-separated words of ``text`` with their offsets."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def word_map(old: list[tuple[int, int, str]], new: list[tuple[int, int, str]]) -> list[int]:
    """Old word index -> new word index under one longest-matching-blocks diff (-1: gone)."""
    to_new = [-1] * len(old)
    matcher = SequenceMatcher(None, [w[2] for w in old], [w[2] for w in new], autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            to_new[a + k] = b + k
    return to_new


def expected(
    first: int, count: int, to_new: list[int], new: list[tuple[int, int, str]]
) -> tuple[int, int] | None:
    """The half-survival rule: span of the surviving words, or None for an orphan."""
    kept = [to_new[j] for j in range(first, first + count) if to_new[j] >= 0]
    if 2 * len(kept) < count:
        return None
    return new[kept[0]][0], new[kept[-1]][1]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two character spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


# -- reference methods (computed here, to check the scorer against the README) -----------
def by_offsets(case: Case) -> tuple[int, int] | None:
    """The old offsets, as they are."""
    if case.start >= len(case.new):
        return None
    return case.start, min(case.end, len(case.new))


def _context(case: Case, text: str, start: int, end: int) -> float:
    before = text[max(0, start - len(case.prefix)) : start]
    after = text[end : end + len(case.suffix)]
    return fuzz.ratio(case.prefix, before) + fuzz.ratio(case.suffix, after)


def by_exact_quote(case: Case) -> tuple[int, int] | None:
    """The exact quote; among several occurrences, the one whose surroundings agree best."""
    found = []
    at = case.new.find(case.quote)
    while at >= 0:
        found.append(at)
        at = case.new.find(case.quote, at + 1)
    if not found:
        return None
    n = len(case.quote)
    best = max(found, key=lambda at: _context(case, case.new, at, at + n))
    return best, best + n


def by_fuzzy_quote(case: Case, floor: float) -> tuple[int, int] | None:
    """Exact quote first, else the best fuzzy match anywhere if its similarity >= ``floor``."""
    exact = by_exact_quote(case)
    if exact is not None:
        return exact
    found = fuzz.partial_ratio_alignment(case.quote, case.new, score_cutoff=floor * 100)
    if found is None:
        return None
    return found.dest_start, found.dest_end


# -- the run -----------------------------------------------------------------------------
def _urls() -> dict[str, str]:
    urls: dict[str, str] = {}
    attribution = FIXTURES / "ATTRIBUTION.txt"
    if attribution.is_file():
        for line in attribution.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            name, url = line.split("\t", 1)
            urls[name] = url.strip()
    counts: dict[str, int] = defaultdict(int)
    for url in urls.values():
        counts[url] += 1
    # One fixed URL per article: an attribution shared by two folders would merge them.
    return {name: url for name, url in urls.items() if counts[url] == 1}


def _markdown(title: str, url: str, body: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\nurl: {json.dumps(url)}\n---\n\n{body}"


def _change(old_words: list, to_new: list[int]) -> str:
    kept = sum(1 for j in to_new if j >= 0) / max(1, len(old_words))
    return "light (>=90% kept)" if kept >= 0.9 else "medium (60-90%)" if kept >= 0.6 else "heavy"


def run_article(
    library: Library, folder: Path, half: str, url: str, rng: random.Random, work: Path
) -> list[Case]:
    """Import every revision of one article, highlighting each before the next arrives."""
    revisions = sorted(folder.glob("*.txt"), key=lambda p: int(p.stem))
    md = work / f"{abs(hash(folder.name))}.md"
    cases: list[Case] = []
    article_id: int | None = None
    serial = 0
    pending: list = []
    for number, path in enumerate(revisions):
        md.write_text(_markdown(folder.name, url, path.read_text(encoding="utf-8")), "utf-8")
        report = import_paths(library, [md], workers=1)
        if report.failed:
            print(f"{folder.name}/{path.name}: {report.failed[0][1]}", file=sys.stderr)
            return cases
        result = report.results[0]
        if article_id is not None and result.id != article_id:
            raise SystemExit(f"{folder.name}/{path.name}: imported as a new article, not in place")
        article_id = result.id
        article = library.get(article_id)
        assert article is not None
        text = article.body_text
        if number:
            cases.extend(_read_back(library, article_id, text, pending))
        if number == len(revisions) - 1:
            break
        pending = []
        tokens = words(text)
        if len(tokens) < 5:
            continue
        items = []
        for _ in range(rng.choice((2, 3))):
            count = min(rng.randint(5, 25), len(tokens))
            first = rng.randrange(0, len(tokens) - count + 1)
            start, end = tokens[first][0], tokens[first + count - 1][1]
            serial += 1
            ident = f"urn:bench:{folder.name}:{number}:{serial}"
            items.append(
                {
                    "@context": "http://www.w3.org/ns/anno.jsonld",
                    "id": ident,
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "target": {
                        "source": url,
                        "selector": [
                            {
                                "type": "TextQuoteSelector",
                                "exact": text[start:end],
                                "prefix": text[max(0, start - CONTEXT) : start],
                                "suffix": text[end : end + CONTEXT],
                            },
                            {"type": "TextPositionSelector", "start": start, "end": end},
                        ],
                    },
                }
            )
            pending.append((ident, first, count, start, end, half, folder.name, text))
        done = library.import_annotations(items)
        if done["skipped"] or done["anchored"] != len(items):
            raise SystemExit(f"{folder.name}/{path.name}: annotation import failed: {done}")
    return cases


def _read_back(library: Library, article_id: int, new: str, pending: list) -> list[Case]:
    notes = {n.external_id: n for n in library.notes(article_id)}
    out = []
    for ident, first, count, start, end, half, name, old in pending:
        old_words, new_words = words(old), words(new)
        to_new = word_map(old_words, new_words)
        note = notes[ident]
        margin = None if note.state == "orphaned" else (note.start, note.end)
        case = Case(
            article=name,
            half=half,
            change=_change(old_words, to_new),
            old=old,
            new=new,
            quote=old[start:end],
            prefix=old[max(0, start - CONTEXT) : start],
            suffix=old[end : end + CONTEXT],
            start=start,
            end=end,
            truth=expected(first, count, to_new, new_words),
            got={"margin": margin},
        )
        out.append(case)
        library.delete_note(note.id)
    return out


# -- scoring -----------------------------------------------------------------------------
def score(cases: list[Case], method: str) -> dict[str, float | int]:
    """re-attached, false attachment and correctly orphaned for one method."""
    should = right = orphans = false = 0
    for case in cases:
        got = case.got[method]
        if case.truth is None:
            orphans += 1
            false += got is not None
        else:
            should += 1
            right += got is not None and iou(case.truth, got) >= 0.5
    return {
        "highlights": len(cases),
        "orphans": orphans,
        "reattached": right / should if should else 0.0,
        "false_attachment": false / orphans if orphans else 0.0,
        "correctly_orphaned": (orphans - false) / orphans if orphans else 0.0,
    }


def _line(label: str, row: dict[str, float | int]) -> str:
    return (
        f"{label[:34]:34} {row['highlights']:>5} {row['orphans']:>5} {row['reattached']:>9.3f} "
        f"{row['false_attachment']:>7.3f} {row['correctly_orphaned']:>8.3f}"
    )


REFERENCES = {
    "old offsets alone": by_offsets,
    "exact quote with context": by_exact_quote,
    "exact, then fuzzy >= 0.5": lambda c: by_fuzzy_quote(c, 0.5),
    "exact, then fuzzy >= 0.7": lambda c: by_fuzzy_quote(c, 0.7),
    "exact, then fuzzy >= 0.8": lambda c: by_fuzzy_quote(c, 0.8),
}


def main() -> None:
    """Run the bench and print its table (and JSON with --json-out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--rows", action="store_true", help="a row per article")
    parser.add_argument("--no-fuzzy-refs", action="store_true", help="skip the slow fuzzy rows")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        print(f"skipped: {FIXTURES} not found")
        return
    folders = sorted((p for p in FIXTURES.iterdir() if p.is_dir()), key=lambda p: p.name)
    halves = {p.name: ("tune", "held-out")[i % 2] for i, p in enumerate(folders)}
    if args.limit:
        folders = folders[: args.limit]
    urls = _urls()
    rng = random.Random(args.seed)
    cases: list[Case] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Library(work / "bench.db") as library:
            for folder in folders:
                url = urls.get(folder.name) or (
                    "https://revisions.invalid/" + re.sub(r"\W+", "_", folder.name)
                )
                cases.extend(run_article(library, folder, halves[folder.name], url, rng, work))
    refs = dict(REFERENCES)
    if args.no_fuzzy_refs:
        refs = {k: v for k, v in refs.items() if "fuzzy" not in k}
    for case in cases:
        for name, method in refs.items():
            case.got[name] = method(case)
    header = f"{'':34} {'notes':>5} {'orph.':>5} {'re-att.':>9} {'false':>7} {'orphaned':>8}"
    print(header)
    overall = score(cases, "margin")
    print(_line("Margin, all articles", overall))
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        groups[f"  {case.half} half"].append(case)
    for case in cases:
        groups[f"  pair edit: {case.change}"].append(case)
    group_rows = {}
    for label in sorted(groups, key=lambda g: (not g.startswith("  tune"), g)):
        group_rows[label.strip()] = score(groups[label], "margin")
        print(_line(label, group_rows[label.strip()]))
    if args.rows:
        by_article: dict[str, list[Case]] = defaultdict(list)
        for case in cases:
            by_article[case.article].append(case)
        for name, items in by_article.items():
            print(_line(f"    {name}", score(items, "margin")))
    print("reference rows (README: 0.13; 0.69/0.03; 0.94/0.69, 0.92/0.13, 0.88/0.06):")
    ref_rows = {name: score(cases, name) for name in refs}
    for name, row in ref_rows.items():
        print(_line(f"  {name}", row))
    ok = overall["reattached"] >= TARGET_ATTACHED and overall["false_attachment"] <= TARGET_FALSE
    print(
        f"target re-attached >= {TARGET_ATTACHED}, false attachment <= {TARGET_FALSE}: "
        f"{'met' if ok else 'NOT met'}"
    )
    report = {
        "ok": ok,
        "seed": args.seed,
        "articles": len(folders),
        "margin": overall,
        "groups": group_rows,
        "references": ref_rows,
    }
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"ok": ok, **{k: overall[k] for k in overall}}))


if __name__ == "__main__":
    main()
