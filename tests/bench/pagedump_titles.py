"""Why page-dump titles miss (not a pytest test): every miss grouped by kind, and the ceiling.

For every dump of web-dev and pages-dev that shows its headline (a line matching the saved
page's ``og:title``/``<title>``, truth nobody here wrote), this finds the body the importer
picks, the headline candidates it ranks and the one it chose, and sorts each dump into one
kind: right; a candidate below / above the headline won; the headline is no candidate (too
far above the body, inside the body, filtered out, or the body found is elsewhere); a
section page. "Ceiling" is the share of dumps whose headline is among the candidates: what
a perfect ranker of today's candidates would reach.

    uv run python tests/bench/pagedump_titles.py                # counts per kind and source
    uv run python tests/bench/pagedump_titles.py --show 20      # and up to 20 misses per kind
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pagedump_quality import FIXTURES, LAYOUTS, Page, load_pages  # noqa: E402

from importers import pagedump  # noqa: E402


def classify(page: Page, layout: str) -> tuple[str, str, str] | None:
    """(kind, chosen title, where the headline is) for one dump; None when it shows none."""
    from meta_quality import headline_match

    text = (page.root / layout / f"{page.key}.txt").read_text(encoding="utf-8", errors="replace")
    lines, counts, _teasers, _teaser_lines = pagedump.prepare(text)
    shown = [
        i
        for i, line in enumerate(lines)
        if line.text and len(line.text) < 400 and headline_match(line.text, page.declared)
    ]
    if not shown:
        return None
    odds = pagedump._apply_model(lines, counts)
    section = pagedump._believed(lines, pagedump._section_articles(lines), odds)
    if section is not None:
        title = section[0].title
        got = pagedump._title_text(lines[title]) if title is not None else ""
        kind = "right" if headline_match(got, page.declared) else "section page"
        return kind, got, f"headline lines {shown[:3]}"
    article = pagedump._main_article(lines, counts)
    if article is None:
        return "no article", "", ""
    got = pagedump._title_text(lines[article.title]) if article.title is not None else ""
    # distance in non-blank lines from the body's first line to each headline line
    nonblank = [i for i, line in enumerate(lines) if line.text]
    rank = {i: n for n, i in enumerate(nonblank)}
    first = rank.get(article.start, 0)
    where = ", ".join(
        f"{first - rank[i]:+d}{' in body' if article.start <= i < article.end else ''}"
        for i in shown[:4]
    )
    if headline_match(got, page.declared):
        return "right", got, where
    candidates = {i for i, _ in pagedump.title_candidates(lines, article.start, counts)}
    among = [i for i in shown if i in candidates]
    if among:
        if article.title is None:
            return "ranked: none chosen", got, where
        kind = "ranked: a line below won" if article.title > among[0] else "ranked: above won"
        return kind, got, where
    above = [i for i in shown if i < article.start]
    if any(not pagedump._candidate_like(lines[i]) for i in shown):
        kind = "no candidate: filtered"
    elif any(first - rank[i] > pagedump._TITLE_WINDOW for i in above):
        kind = "no candidate: far above"
    elif any(article.start <= i < article.end for i in shown):
        kind = "no candidate: inside body"
    else:
        kind = "no candidate: body elsewhere"
    return kind, got, where


def main(argv: list[str] | None = None) -> int:
    """Print the misses by kind, per source and in total, with the candidates' ceiling."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--show", type=int, default=0, help="list N misses of each kind")
    parser.add_argument("--layout", choices=LAYOUTS, default=None)
    args = parser.parse_args(argv)
    pages = load_pages(args.fixtures)
    if not pages:
        print(f"skipped: no collection under {args.fixtures}")
        return 0
    kinds: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        for layout in [args.layout] if args.layout else LAYOUTS:
            found = classify(page, layout)
            if found is None:
                continue
            kind, got, where = found
            kinds[kind] += 1
            by_source[page.source][kind] += 1
            if kind != "right":
                examples[kind].append(
                    f"    {layout[:6]:6} {page.key[:34]:34} at {where:14} "
                    f"got={got[:50]!r} want={page.declared[0][:50]!r}"
                )
    total = sum(kinds.values())
    ranked = sum(v for k, v in kinds.items() if k == "right" or k.startswith("ranked"))
    print(f"{total} dumps show their headline; right {kinds['right'] / total:.3f}; ")
    print(f"ceiling (headline among the candidates) {ranked / total:.3f}")
    for kind, n in kinds.most_common():
        print(f"  {kind:30} {n:4d}")
        for line in examples[kind][: args.show]:
            print(line)
    print("per source: right / shown, ceiling")
    for source, c in sorted(by_source.items()):
        n = sum(c.values())
        ceiling = sum(v for k, v in c.items() if k == "right" or k.startswith("ranked"))
        print(f"  {source:16} {c['right'] / n:.3f} {c['right']}/{n}  ceiling {ceiling / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
