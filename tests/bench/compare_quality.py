"""Story-mode comparison quality on ../shared/fixtures/compare-dev, scored as its README says.

Every article becomes a Markdown file (front matter: headline as title, one URL per article; body:
the other sentences, three to a paragraph); all go into one temporary library through the real
importer. Each sentence is located, in order and ignoring whitespace, in the article's plain text
(what ``margin show ID --format text`` prints). ``Library.compare(A, B)`` runs for every pair;
a pair of spans links sentence i of A with j of B when it covers at least half of each. Links
involving a headline are not counted. Precision, recall and F1 are micro-averaged over all links.

Prints the README's baselines (to check this scorer), Margin on all dev topics, Margin held out by
topic (story-mode knobs chosen on the other folds' topics, scored on the held-out ones) and F1 per
topic. Exit status 1 (and ``"ok": false`` with ``--json``) when the held-out F1 is under 0.285.

    uv run python tests/bench/compare_quality.py            # whole dev part, ~1 minute
    uv run python tests/bench/compare_quality.py --topics 3 --no-tune   # a quick subset
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from importers.runner import import_paths  # noqa: E402
from store import comparison  # noqa: E402
from store.library import Library  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "compare-dev"
TARGET = 0.285
Span = tuple[int, int]
Link = tuple[str, int, int]  # pair id, sentence of doc1, sentence of doc2
# The story-mode knobs tuned on the training topics of each fold (the defaults are always in).
GRID = {
    "link_score": (1.4, 1.5, 1.6),
    "lead_weight": (0.6, 0.7, 0.8),
    "alone": (0.5, 0.7),
}


@dataclass
class Article:
    """One fixture article as stored in the library."""

    key: str
    id: int
    text: str
    spans: dict[int, Span]  # sentence index (docs.json numbering, no headline) -> span


def load() -> tuple[dict[str, dict[str, str]], dict[str, dict]]:
    """docs.json and links.json."""
    docs = json.loads((FIXTURES / "docs.json").read_text(encoding="utf-8"))
    links = json.loads((FIXTURES / "links.json").read_text(encoding="utf-8"))
    return docs, links


def topic(key: str) -> str:
    """ECB+ topic of an article id such as ``11_2ecbplus``."""
    return key.split("_", 1)[0]


def markdown(sentences: dict[str, str], key: str) -> str:
    """The README's Markdown form of one article."""
    order = sorted(sentences, key=int)
    body = [sentences[k] for k in order if k != "0"]
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    # JSON strings are valid YAML scalars, whatever the headline holds.
    head = f"---\ntitle: {json.dumps(sentences['0'])}\nurl: https://ecb.example/{key}\n---\n\n"
    return head + "\n\n".join(paragraphs) + "\n"


def locate(text: str, sentences: list[tuple[int, str]]) -> dict[int, Span]:
    """Spans of ``sentences`` in ``text``, in order, ignoring whitespace; fuzzy where that fails."""
    from rapidfuzz import fuzz

    squeezed, where = [], []
    for offset, char in enumerate(text):
        if not char.isspace():
            squeezed.append(char)
            where.append(offset)
    flat = "".join(squeezed)
    spans: dict[int, Span] = {}
    cursor = 0
    for index, sentence in sentences:
        needle = "".join(sentence.split())
        if not needle:
            continue
        at = flat.find(needle, cursor)
        if at >= 0:
            end = at + len(needle)
        else:
            window = flat[cursor : cursor + 3 * len(needle) + 50]
            found = fuzz.partial_ratio_alignment(needle, window)
            if found is None or found.score < 60:
                continue
            at, end = cursor + found.dest_start, cursor + found.dest_end
        spans[index] = (where[at], where[end - 1] + 1)
        cursor = end
    return spans


def build(
    docs: dict[str, dict[str, str]], keys: Iterable[str], folder: Path
) -> tuple[Library, dict[str, Article]]:
    """Import ``keys`` into one library in ``folder`` and locate their sentences."""
    keys = sorted(keys)
    files = folder / "md"
    files.mkdir()
    for key in keys:
        (files / f"{key}.md").write_text(markdown(docs[key], key), encoding="utf-8")
    library = Library(folder / "library.db")
    report = import_paths(library, [files / f"{key}.md" for key in keys], workers=0)
    if report.failed or len(report.results) != len(keys):
        raise SystemExit(f"import failed: {report.failed}")
    articles = {}
    for key, result in zip(keys, report.results, strict=True):
        stored = library.get(result.id)
        assert stored is not None
        body = sorted(((int(k), v) for k, v in docs[key].items() if k != "0"))
        articles[key] = Article(key, result.id, stored.body_text, locate(stored.body_text, body))
    return library, articles


def gold(links: dict[str, dict]) -> set[Link]:
    """Body-to-body gold links (links that involve a headline are not counted)."""
    out = set()
    for pid, pair in links.items():
        for i, targets in pair["links"].items():
            for j in targets:
                if i != "0" and j != "0":
                    out.add((pid, int(i), int(j)))
    return out


def _covers(span: Span, sentence: Span) -> bool:
    inter = min(span[1], sentence[1]) - max(span[0], sentence[0])
    return 2 * inter >= sentence[1] - sentence[0]


def links_of(pid: str, pairs: Iterable[tuple[Span, Span]], a: Article, b: Article) -> set[Link]:
    """Sentence links a comparison's span pairs make, by the README's half-coverage rule."""
    out = set()
    for left, right in pairs:
        lefts = [i for i, s in a.spans.items() if _covers(left, s)]
        rights = [j for j, s in b.spans.items() if _covers(right, s)]
        out.update((pid, i, j) for i in lefts for j in rights)
    return out


def prf(predicted: set[Link], truth: set[Link]) -> tuple[float, float, float]:
    """Micro precision, recall, F1."""
    hits = len(predicted & truth)
    p = hits / len(predicted) if predicted else 0.0
    r = hits / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- baselines (the README's), on the located sentence spans -----------------------------------
_SK_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _tfidf(text: str, idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(_SK_TOKEN.findall(text.lower()))
    vector = {w: c * idf.get(w, 0.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def tfidf_baseline(articles: dict[str, Article]) -> Callable[[Article, Article], list]:
    """Each sentence of A to its most similar of B by TF-IDF cosine, when >= 0.25.

    The idf (smoothed, as scikit-learn's) is fitted on every body sentence of the split.
    """
    sentences = [a.text[slice(*s)] for a in articles.values() for s in a.spans.values()]
    df = Counter(w for s in sentences for w in set(_SK_TOKEN.findall(s.lower())))
    n = len(sentences)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}

    def run(a: Article, b: Article) -> list[tuple[Span, Span]]:
        right = [(s, _tfidf(b.text[slice(*s)], idf)) for s in b.spans.values()]
        out = []
        for ls in a.spans.values():
            vector = _tfidf(a.text[slice(*ls)], idf)
            scored = [(sum(x * v.get(w, 0.0) for w, x in vector.items()), rs) for rs, v in right]
            if scored:
                score, rs = max(scored)
                if score >= 0.25:
                    out.append((ls, rs))
        return out

    return run


def token_set_baseline(a: Article, b: Article) -> list[tuple[Span, Span]]:
    """Every sentence pair with rapidfuzz token_set_ratio >= 60 (default processor)."""
    from rapidfuzz import fuzz, utils

    return [
        (ls, rs)
        for ls in a.spans.values()
        for rs in b.spans.values()
        if fuzz.token_set_ratio(
            a.text[slice(*ls)], b.text[slice(*rs)], processor=utils.default_process
        )
        >= 60
    ]


def all_pairs_baseline(a: Article, b: Article) -> list[tuple[Span, Span]]:
    """Every sentence with every sentence."""
    return [(ls, rs) for ls in a.spans.values() for rs in b.spans.values()]


# -- Margin ------------------------------------------------------------------------------------
def margin_links(
    links: dict[str, dict],
    articles: dict[str, Article],
    compare: Callable[[Article, Article], comparison.Comparison],
) -> dict[str, set[Link]]:
    """Links per pair id from Margin's comparison of doc1 with doc2."""
    out = {}
    for pid, pair in links.items():
        a, b = articles[pair["doc1"]], articles[pair["doc2"]]
        result = compare(a, b)
        out[pid] = links_of(pid, ((p.left, p.right) for p in result.pairs), a, b)
    return out


def _union(per_pair: dict[str, set[Link]], pids: Iterable[str]) -> set[Link]:
    out: set[Link] = set()
    for pid in pids:
        out |= per_pair[pid]
    return out


def _grid() -> list[comparison.StoryParams]:
    base = comparison.StoryParams()
    names = list(GRID)
    settings = [
        replace(base, **dict(zip(names, values, strict=True))) for values in product(*GRID.values())
    ]
    return [base] + [s for s in settings if s != base]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=0, help="only the first N topics (subset)")
    parser.add_argument("--folds", type=int, default=5, help="k-fold by topic for the held-out row")
    parser.add_argument("--no-tune", action="store_true", help="skip the held-out tuning")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not FIXTURES.is_dir():
        print(f"{FIXTURES} is missing; nothing to measure")
        return 0
    started = time.perf_counter()
    docs, links = load()
    topics = sorted({topic(k) for k in docs}, key=int)
    if args.topics:
        topics = topics[: args.topics]
        links = {pid: p for pid, p in links.items() if topic(p["doc1"]) in topics}
    keys = [k for k in docs if topic(k) in topics]
    truth = gold(links)
    rows: list[dict] = []

    def row(name: str, predicted: set[Link], subset: set[Link] = truth) -> dict:
        p, r, f = prf(predicted, subset)
        rows.append({"name": name, "links": len(predicted), "precision": p, "recall": r, "f1": f})
        return rows[-1]

    with tempfile.TemporaryDirectory() as tmp:
        library, articles = build(docs, keys, Path(tmp))
        located = sum(len(a.spans) for a in articles.values())
        wanted = sum(len(docs[k]) - 1 for k in keys)
        for name, method in (
            ("baseline: all pairs", all_pairs_baseline),
            ("baseline: TF-IDF cosine >= 0.25", tfidf_baseline(articles)),
            ("baseline: token_set_ratio >= 60", token_set_baseline),
        ):
            predicted: set[Link] = set()
            for pid, pair in links.items():
                a, b = articles[pair["doc1"]], articles[pair["doc2"]]
                predicted |= links_of(pid, method(a, b), a, b)
            row(name, predicted)
        # The figure that counts: the real entry point, with its defaults.
        per_pair = margin_links(links, articles, lambda a, b: library.compare(a.id, b.id))
        dev = row("Margin (defaults), all dev topics", _union(per_pair, links))
        by_topic: dict[str, list[str]] = {}
        for pid, pair in links.items():
            by_topic.setdefault(topic(pair["doc1"]), []).append(pid)
        per_topic = {}
        for name in topics:
            subset = {link for link in truth if link[0] in set(by_topic.get(name, []))}
            per_topic[name] = prf(_union(per_pair, by_topic.get(name, [])), subset)[2]
        held: dict | None = None
        if not args.no_tune:
            held = _held_out(links, articles, truth, topics, by_topic, args.folds)
            rows.append(held["row"])
        library.close()
    elapsed = time.perf_counter() - started
    score = held["row"]["f1"] if held else dev["f1"]
    ok = score >= TARGET
    if args.json:
        print(
            json.dumps(
                {
                    "rows": rows,
                    "per_topic_f1": per_topic,
                    "folds": held["folds"] if held else [],
                    "located": [located, wanted],
                    "seconds": round(elapsed, 1),
                    "target": TARGET,
                    "ok": ok,
                },
                indent=2,
            )
        )
        return 0 if ok else 1
    print(
        f"{len(keys)} articles, {len(links)} pairs, {len(truth)} body links, "
        f"{located}/{wanted} sentences located"
    )
    print(f"{'method':<44} {'links':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for r in rows:
        print(
            f"{r['name']:<44} {r['links']:>6} {r['precision']:>6.3f} "
            f"{r['recall']:>6.3f} {r['f1']:>6.3f}"
        )
    if held:
        for fold in held["folds"]:
            print(
                f"  fold topics {','.join(fold['topics']):<16} chose {fold['chose']}  "
                f"F1 {fold['f1']:.3f}"
            )
    print("F1 per topic (defaults): " + "  ".join(f"{t}:{f:.2f}" for t, f in per_topic.items()))
    print(
        f"per-topic F1 mean {statistics.mean(per_topic.values()):.3f}, "
        f"min {min(per_topic.values()):.3f}, max {max(per_topic.values()):.3f}"
    )
    print(f"held-out F1 target {TARGET}: {'ok' if ok else 'NOT MET'}  ({elapsed:.0f} s)")
    return 0 if ok else 1


def _held_out(
    links: dict[str, dict],
    articles: dict[str, Article],
    truth: set[Link],
    topics: list[str],
    by_topic: dict[str, list[str]],
    folds: int,
) -> dict:
    """k-fold by topic: choose the knobs on the other folds, score the held-out topics with them."""
    grid = _grid()
    # Every setting's links for every pair, computed once.
    per_setting = [
        margin_links(
            links, articles, lambda a, b, s=s: comparison.compare_texts(a.text, b.text, story=s)
        )
        for s in grid
    ]
    folds = max(2, min(folds, len(topics)))
    groups = [topics[i::folds] for i in range(folds)]
    pooled: set[Link] = set()
    scores, out = [], []
    for group in groups:
        test = [pid for t in group for pid in by_topic.get(t, [])]
        train = [pid for t in topics if t not in group for pid in by_topic.get(t, [])]
        test_truth = {link for link in truth if link[0] in set(test)}
        train_truth = truth - test_truth
        best = max(
            range(len(grid)),
            key=lambda k: (prf(_union(per_setting[k], train), train_truth)[2], -k),
        )
        predicted = _union(per_setting[best], test)
        pooled |= predicted
        f1 = prf(predicted, test_truth)[2]
        scores.append(f1)
        chose = {name: getattr(grid[best], name) for name in GRID}
        out.append({"topics": group, "chose": chose, "f1": f1})
    p, r, f = prf(pooled, truth)
    mean = statistics.mean(scores)
    name = f"Margin held out ({folds}-fold by topic; mean F1)"
    row = {
        "name": name,
        "links": len(pooled),
        "precision": p,
        "recall": r,
        "f1": mean,
        "pooled_f1": f,
    }
    return {"row": row, "folds": out}


if __name__ == "__main__":
    raise SystemExit(main())
