"""Train the page-dump block model (``importers/pagedump_model.json``) on the dev collections.

Every non-blank line of every ``dumps/KEY.txt`` of web-dev and pages-dev is labelled from the
human-written body in ``truth.json``: a line of four words or more is article text when most
of its 4-word shingles are in the body, a shorter one when its words occur in the body in a
row. A logistic regression (standardised features, AdaGrad, L2) is fitted in pure Python,
each page weighing the same whatever its length, as the benchmark's per-page means do.

    uv run --group train python tests/bench/pagedump_train.py          # train, write the JSON
    uv run --group train python tests/bench/pagedump_train.py --check  # held-out line accuracy

The title model is a softmax ranker over each dump's headline candidates plus, when LightGBM
is installed (the ``train`` dependency group), ``TREES`` shallow LambdaRank trees fitted on the
same candidates; their values add to its scores. The trees are written into the JSON as nested
lists, so the importer evaluates them in pure Python and never needs LightGBM. Without it the
trees are left out and a warning says so.

The honest figure of the model is ``pagedump_quality.py --loso``: trained without a source,
scored on it.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pagedump_quality import FIXTURES, Page, load_pages  # noqa: E402

from importers import pagedump, pagedump_model  # noqa: E402

_WORD = re.compile(r"\w+")
SETTINGS = {
    "mix": 1.0,
    "cap": 80.0,
    "min_size": 3.0,
    "min_score": 15.0,
    "drop_below": -99.0,
    "section_odds": 0.0,
}
"""How the importer uses the odds (see ``importers.pagedump._apply_model``)."""
TITLE_SETTINGS = {
    "min_odds": -99.0,
    "pair_margin": 0.5,
    "deck_margin": 1.5,
    "far_deck_margin": 3.0,
    "standfirst_margin": 6.0,
    "label_margin": 3.0,
}
"""The title model's best candidate is the headline unless its odds are under this."""
EPOCHS = 6
L2 = 1e-4
RATE = 0.2
PAGE_WEIGHT = 40.0
TITLE_EPOCHS = 30
TITLE_L2 = 0.03
TITLE_RATE = 0.1
TITLE_LAYOUTS = ("dumps",)
TREE_ROUNDS = 150
TREES = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 4,
    "min_data_in_leaf": 20,
    "lambdarank_truncation_level": 3,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "seed": 1,
    "num_threads": 1,
    "verbose": -1,
}
"""LightGBM settings of the title model's trees: few, shallow and slow-learning, which held
out best (deeper or more trees fit the dev pages and lose on the held-out source)."""

_CACHE: dict[tuple[str, str], tuple[list[list[float]], list[int], list[float]]] = {}


def labelled(page: Page, layout: str = "dumps") -> tuple[list[list[float]], list[int], list[float]]:
    """Feature rows, labels and sample weights of one dump's non-blank lines."""
    cached = _CACHE.get((page.key, layout))
    if cached is not None:
        return cached
    text = (page.root / layout / f"{page.key}.txt").read_text(encoding="utf-8", errors="replace")
    lines, counts, _teasers, _teaser_lines = pagedump.prepare(text)
    rows = pagedump_model.features(lines, counts)
    body_words = _WORD.findall(page.body)
    body_text = " " + " ".join(body_words) + " "
    body_shingles = {tuple(body_words[i : i + 4]) for i in range(len(body_words) - 3)}
    labels: list[int] = []
    sizes: list[float] = []
    for line in lines:
        if not line.text:
            continue
        words = _WORD.findall(line.text)
        if len(words) >= 4:
            grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
            inside = sum(g in body_shingles for g in grams)
            labels.append(1 if inside * 2 >= len(grams) else 0)
        else:
            labels.append(1 if words and f" {' '.join(words)} " in body_text else 0)
        sizes.append(math.sqrt(max(len(words) - 3, 1)))
    total = sum(sizes) or 1.0
    weights = [PAGE_WEIGHT * s / total for s in sizes]
    _CACHE[(page.key, layout)] = (rows, labels, weights)
    return rows, labels, weights


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def fit(
    data: list[tuple[list[float], int, float]], names: list[str], seed: int = 7
) -> tuple[list[float], list[float], list[float], float]:
    """Standardisation and logistic-regression weights for weighted rows: (mean, scale,
    coefficients, bias)."""
    width = len(names)
    mean = [statistics.fmean(row[j] for row, _, _ in data) for j in range(width)]
    scale = [
        statistics.pstdev([row[j] for row, _, _ in data], mean[j]) or 1.0 for j in range(width)
    ]
    xs = [[(row[j] - mean[j]) / scale[j] for j in range(width)] for row, _, _ in data]
    ys = [y for _, y, _ in data]
    ws = [w for _, _, w in data]
    coef = [0.0] * width
    bias = 0.0
    grad_sq = [1e-8] * (width + 1)
    order = list(range(len(xs)))
    rng = random.Random(seed)
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for n in order:
            x = xs[n]
            z = bias + sum(c * v for c, v in zip(coef, x, strict=True))
            g = (_sigmoid(z) - ys[n]) * ws[n]
            for j in range(width):
                gj = g * x[j] + L2 * coef[j]
                grad_sq[j] += gj * gj
                coef[j] -= RATE * gj / math.sqrt(grad_sq[j])
            grad_sq[width] += g * g
            bias -= RATE * g / math.sqrt(grad_sq[width])
    return mean, scale, coef, bias


def train_block(pages: list[Page]) -> pagedump_model.Model:
    """The block model fitted on every line of ``pages`` (innerText layout)."""
    data: list[tuple[list[float], int, float]] = []
    for page in pages:
        rows, labels, weights = labelled(page)
        data.extend(zip(rows, labels, weights, strict=True))
    names = list(pagedump_model.FEATURES)
    mean, scale, coef, bias = fit(data, names)
    sources = sorted({p.source for p in pages})
    return pagedump_model.Model(names, mean, scale, coef, bias, dict(SETTINGS), sources)


def title_group(page: Page, layout: str = "dumps") -> tuple[list[list[float]], list[int]]:
    """Headline candidates of one dump under the installed block model and their labels
    (1: matches the saved page's og:title/<title>); empty when none or all match."""
    from meta_quality import headline_match

    if not page.declared:
        return [], []
    text = (page.root / layout / f"{page.key}.txt").read_text(encoding="utf-8", errors="replace")
    lines, counts, _teasers, _teaser_lines = pagedump.prepare(text)
    pagedump._apply_model(lines, counts)
    if pagedump._section_articles(lines) is not None:
        return [], []
    article = pagedump._main_article(lines, counts)
    if article is None:
        return [], []
    candidates = pagedump.title_candidates(lines, article.start, counts)
    labels = [
        int(headline_match(pagedump._title_text(lines[i]), page.declared)) for i, _ in candidates
    ]
    if not 0 < sum(labels) < len(labels):
        return [], []
    return [row for _, row in candidates], labels


def fit_listwise(
    groups: list[tuple[list[list[float]], list[int]]], names: list[str], seed: int = 7
) -> tuple[list[float], list[float], list[float], float]:
    """Standardisation and weights of a softmax ranker: per page, the probability the
    candidates' scores give to the headline lines is maximised (every page weighs the same),
    which is the top-1 choice the importer makes. Returns (mean, scale, coefficients, 0)."""
    width = len(names)
    rows = [row for group, _ in groups for row in group]
    mean = [statistics.fmean(row[j] for row in rows) for j in range(width)]
    scale = [statistics.pstdev([row[j] for row in rows], mean[j]) or 1.0 for j in range(width)]
    data = [
        ([[(row[j] - mean[j]) / scale[j] for j in range(width)] for row in group], labels)
        for group, labels in groups
    ]
    coef = [0.0] * width
    grad_sq = [1e-8] * width
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _epoch in range(TITLE_EPOCHS):
        rng.shuffle(order)
        for n in order:
            xs, ys = data[n]
            zs = [sum(c * v for c, v in zip(coef, x, strict=True)) for x in xs]
            top = max(zs)
            ex = [math.exp(z - top) for z in zs]
            total = sum(ex)
            pos = sum(e for e, y in zip(ex, ys, strict=True) if y)
            grad = [0.0] * width
            for x, e, y in zip(xs, ex, ys, strict=True):
                g = e / total - (e / pos if y else 0.0)
                if g:
                    for j in range(width):
                        grad[j] += g * x[j]
            for j in range(width):
                gj = grad[j] + TITLE_L2 * coef[j]
                grad_sq[j] += gj * gj
                coef[j] -= TITLE_RATE * gj / math.sqrt(grad_sq[j])
    return mean, scale, coef, 0.0


def fit_trees(groups: list[tuple[list[list[float]], list[int]]]) -> list[pagedump_model.Tree]:
    """LambdaRank trees over the candidates of ``groups`` as nested lists (see
    ``pagedump_model.Tree``); empty, with a warning, when LightGBM is not installed."""
    try:
        import lightgbm
        import numpy
    except ImportError:
        print("warning: LightGBM not installed (uv sync --group train): title trees left out")
        return []
    rows = [row for group, _ in groups for row in group]
    labels = [label for _, group_labels in groups for label in group_labels]
    data = lightgbm.Dataset(
        numpy.array(rows), numpy.array(labels), group=[len(group) for group, _ in groups]
    )
    booster = lightgbm.train(TREES, data, num_boost_round=TREE_ROUNDS)
    dumped = booster.dump_model()["tree_info"]
    return [_tree(info["tree_structure"]) for info in dumped]


def _tree(node: dict) -> pagedump_model.Tree:
    """One LightGBM tree node (``dump_model`` JSON) as a nested list."""
    if "leaf_value" in node:
        return round(float(node["leaf_value"]), 6)
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"unexpected split {node['decision_type']!r}")
    return [
        int(node["split_feature"]),
        float(node["threshold"]),
        _tree(node["left_child"]),
        _tree(node["right_child"]),
    ]


def train(
    pages: list[Page], block: pagedump_model.Model | None = None
) -> dict[str, pagedump_model.Model]:
    """Both models fitted on ``pages``: the block model (unless ``block`` is given), then the
    title model on the bodies that block model finds."""
    shipped = pagedump_model.installed()
    if block is None:
        block = train_block(pages)
    try:
        pagedump_model.install({"block": block})
        groups = [title_group(page, layout) for page in pages for layout in TITLE_LAYOUTS]
    finally:
        pagedump_model.install(shipped)
    names = list(pagedump.TITLE_FEATURES)
    fitted = [g for g in groups if g[0]]
    mean, scale, coef, bias = fit_listwise(fitted, names)
    sources = sorted({p.source for p in pages})
    title = pagedump_model.Model(
        names, mean, scale, coef, bias, dict(TITLE_SETTINGS), sources, fit_trees(fitted)
    )
    return {"block": block, "title": title}


def accuracy(model: pagedump_model.Model, pages: list[Page]) -> float:
    """Share of lines (weighted as in training) the model labels right."""
    right = total = 0.0
    for page in pages:
        rows, labels, weights = labelled(page)
        for z, y, w in zip(pagedump_model.logits(model, rows), labels, weights, strict=True):
            right += w * ((z >= 0) == bool(y))
            total += w
    return right / total if total else 0.0


def title_check(pages: list[Page]) -> None:
    """Print the title ranker's top-1 accuracy (linear and trees, before the importer's
    pair and deck rules) per source, leave-one-source-out, on the dumps
    (both layouts) whose headline is among the candidates; the block model is the installed
    one (quick: the full held-out figure is ``pagedump_quality.py --loso``)."""
    groups = {
        (page.key, layout): (page.source, title_group(page, layout))
        for page in pages
        for layout in ("dumps", "dumps-blocks")
    }
    names = list(pagedump.TITLE_FEATURES)
    right = total = 0
    for source in sorted({p.source for p in pages}):
        train_groups = [
            g
            for (_key, layout), (s, g) in groups.items()
            if s != source and layout in TITLE_LAYOUTS and g[0]
        ]
        mean, scale, coef, bias = fit_listwise(train_groups, names)
        trees = fit_trees(train_groups)
        model = pagedump_model.Model(names, mean, scale, coef, bias, trees=trees)
        held = [g for s, g in groups.values() if s == source and g[0]]
        ok = 0
        for rows, labels in held:
            values = pagedump_model.logits(model, rows)
            ok += labels[max(range(len(values)), key=values.__getitem__)]
        right, total = right + ok, total + len(held)
        print(f"{source:16} held-out top-1 {ok / max(len(held), 1):.3f} of {len(held)}")
    print(f"{'all':16} held-out top-1 {right / max(total, 1):.3f} of {total}")


def main(argv: list[str] | None = None) -> int:
    """Train on everything and write the model; ``--check`` prints held-out line accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--out", type=Path, default=pagedump_model.MODEL_PATH)
    parser.add_argument("--check", action="store_true", help="leave-one-source-out accuracy")
    parser.add_argument(
        "--titles-only", action="store_true", help="keep the installed block model, refit titles"
    )
    parser.add_argument(
        "--title-check", action="store_true", help="title ranker top-1, leave-one-source-out"
    )
    args = parser.parse_args(argv)
    pages = load_pages(args.fixtures)
    if not pages:
        print(f"skipped: no collection under {args.fixtures}")
        return 0
    if args.title_check:
        title_check(pages)
        return 0
    if args.check:
        for source in sorted({p.source for p in pages}):
            model = train_block([p for p in pages if p.source != source])
            held = [p for p in pages if p.source == source]
            print(f"{source:16} held-out line accuracy {accuracy(model, held):.3f}")
    models = train(pages, pagedump_model.current("block") if args.titles_only else None)
    print(f"training line accuracy {accuracy(models['block'], pages):.3f} on {len(pages)} pages")
    for kind, model in models.items():
        print(kind)
        pairs = sorted(zip(model.names, model.weights, strict=True), key=lambda t: -abs(t[1]))
        for name, w in pairs:
            print(f"  {name:22} {w:+.3f}")
    args.out.write_text(pagedump_model.dump(models) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
