"""How well related articles' "same story" mark separates one event from another.

compare-dev's articles (17 ECB+ topics, English) are the same-story pairs: two
articles of one topic report one event, two of different topics do not. They are
imported into one library with, beside them, people-written bodies of non-English
pages from pages-dev, so that English function words are rare in the library and
idf alone cannot tell them from content words (a reader of several languages).

Prints, per library: same-topic pairs marked (recall), different-topic pairs marked
(false rate), and English–other-language pairs marked (should be none).

    uv run python tests/bench/related_quality.py [--foreign N] [--small K]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from importers.runner import import_paths  # noqa: E402
from store.library import Library  # noqa: E402
from tests.bench.compare_quality import load, markdown, topic  # noqa: E402

PAGES = REPO.parent / "shared" / "fixtures" / "pages-dev" / "truth.json"


def foreign_bodies(count: int, seed: int = 7) -> dict[str, str]:
    """``count`` people-written bodies of pages-dev pages not in English, as Markdown."""
    truth = json.loads(PAGES.read_text(encoding="utf-8"))
    keys = sorted(k for k, v in truth.items() if v.get("lang") not in (None, "en"))
    random.Random(seed).shuffle(keys)
    out = {}
    for key in keys[:count]:
        title = truth[key]["body"].strip().split("\n", 1)[0][:80] or key
        out[f"x_{key}"] = f"---\ntitle: {json.dumps(title)}\n---\n\n{truth[key]['body']}\n"
    return out


def measure(english: list[str], foreign: dict[str, str], docs: dict) -> dict[str, float]:
    """Import both groups into one library and count the marks over every pair."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {key: markdown(docs[key], key) for key in english} | foreign
        paths = []
        for key, text in sorted(files.items()):
            path = folder / f"{key}.md"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        library = Library(folder / "library.db")
        report = import_paths(library, paths, workers=0)
        ids = {path.stem: result.id for path, result in zip(paths, report.results, strict=True)}
        key_of = {v: k for k, v in ids.items()}
        same = cross = mixed = 0
        same_hit = cross_hit = mixed_hit = 0
        keys = sorted(ids)
        for key in keys:
            others = [ids[k] for k in keys if k > key]
            marks = library.story_marks(ids[key], others)
            for other_id in others:
                other = key_of[other_id]
                hit = other_id in marks
                if key.startswith("x_") or other.startswith("x_"):
                    if key.startswith("x_") != other.startswith("x_"):
                        mixed += 1
                        mixed_hit += hit
                elif topic(key) == topic(other):
                    same += 1
                    same_hit += hit
                else:
                    cross += 1
                    cross_hit += hit
        library.close()
    return {
        "articles": len(files),
        "recall": same_hit / same if same else 0.0,
        "false_rate": cross_hit / cross if cross else 0.0,
        "mixed_rate": mixed_hit / mixed if mixed else 0.0,
        "same_pairs": same,
        "mixed_marked": mixed_hit,
    }


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--foreign", type=int, default=200, help="non-English articles beside")
    parser.add_argument("--small", type=int, default=20, help="small libraries to sample")
    args = parser.parse_args()
    docs, _ = load()
    english = sorted(docs)
    rows = [
        ("compare-dev alone", measure(english, {}, docs)),
        (f"+ {args.foreign} other-language", measure(english, foreign_bodies(args.foreign), docs)),
    ]
    # Small mixed libraries: two articles of each of three topics and six other-language ones.
    rng = random.Random(3)
    topics = sorted({topic(k) for k in english})
    small = []
    for sample in range(args.small):
        chosen = rng.sample(topics, 3)
        keys = [k for t in chosen for k in rng.sample([k for k in english if topic(k) == t], 2)]
        small.append(measure(keys, foreign_bodies(6, seed=sample), docs))
    rows.append(
        (
            f"{args.small} libraries of 12 (6 en, 6 other)",
            {
                "articles": 12,
                "recall": sum(r["recall"] for r in small) / len(small),
                "false_rate": sum(r["false_rate"] for r in small) / len(small),
                "mixed_rate": sum(r["mixed_rate"] for r in small) / len(small),
                "same_pairs": sum(r["same_pairs"] for r in small),
                "mixed_marked": sum(r["mixed_marked"] for r in small),
            },
        )
    )
    print("| library | articles | same-topic marked | other-topic marked | en–other marked |")
    print("|---|---:|---:|---:|---:|")
    for name, row in rows:
        print(
            f"| {name} | {row['articles']} | {row['recall']:.3f} | {row['false_rate']:.4f} "
            f"| {row['mixed_rate']:.4f} ({row['mixed_marked']}) |"
        )


if __name__ == "__main__":
    main()
