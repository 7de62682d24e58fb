"""The learned models of page dumps: logistic regressions over line features.

Each non-blank line of a dump gets the log-odds that it is article text, from features a
text dump has: its length (Chinese and Japanese counted by characters), punctuation and
sentence shape, capitals and digits, its position on the page, whether it repeats, the rule
classifier's kind and weight, and the same for its neighbours. The weights are trained by
``tests/bench/pagedump_train.py`` on the dev collections and shipped as
``pagedump_model.json``; the importer turns the log-odds into the weights of its densest-region
search. The title model adds a few shallow regression trees to its linear score (a small
boosted ranker for what a weighted sum cannot say). Pure Python: a dot product per line, and
a handful of comparisons per tree.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

__all__ = [
    "FEATURES",
    "Model",
    "current",
    "dump",
    "features",
    "install",
    "installed",
    "load",
    "logits",
    "tree_value",
]

MODEL_PATH = Path(__file__).with_name("pagedump_model.json")

# The importer's line kinds, in its order (importers.pagedump: BLANK, PROSE, ... TERMINAL).
KINDS = ("blank", "prose", "text", "short", "chrome", "meta", "end", "terminal")

_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CAPITAL = re.compile(r"\b[A-ZА-ЯΑ-Ω]")
_DIGIT = re.compile(r"\d")
_COMMA = re.compile(r"[,，、;；]")
_STOP = re.compile(r"[.!?。！？](?:\s|\Z|[\"'”’)»」』）])")
_END_STOP = re.compile(r"[.!?。！？:;：；][\"'”’)\]»」』）]*\Z")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*\Z")
_BULLET = re.compile(r"(?:[-•·*▪►–—]|\d{1,3}[.)])\s")
_LINKISH = re.compile(r"https?://|www\.|\S+@\S+\.\w| \| ")
_WINDOW = 3
_SPAN = 1000


class LineLike(Protocol):
    """What the model reads of a line (``importers.pagedump._Line``)."""

    text: str
    low: str
    words: int
    kind: int
    weight: float


def _own(line: LineLike, count: int) -> list[float]:
    """Features of one line on its own."""
    text = line.text
    words = max(line.words, 1)
    if len(text) > 2 * _SPAN:
        # A huge line is read at its ends only: the shares stay the same, the time bounded.
        words = max(round(words * 2 * _SPAN / len(text)), 1)
        text = text[:_SPAN] + " " + text[-_SPAN:]
    n = len(text)
    kind = [0.0] * (len(KINDS) - 1)
    kind[line.kind - 1] = 1.0
    return [
        *kind,
        math.log1p(line.words),
        1.0 if line.words < 4 else 0.0,
        1.0 if line.words >= 30 else 0.0,
        1.0 if _END_STOP.search(text) else 0.0,
        1.0 if _TRUNCATED.search(text) else 0.0,
        min(len(_STOP.findall(text)), 6) / 6.0,
        min(len(_COMMA.findall(text)) / words, 1.0),
        min(len(_CAPITAL.findall(text)) / words, 1.0),
        min(len(_DIGIT.findall(text)) / max(n, 1), 1.0),
        min(len(_UNSPACED.findall(text)) / max(n, 1), 1.0),
        1.0 if _BULLET.match(text) else 0.0,
        1.0 if _LINKISH.search(text) else 0.0,
        1.0 if count > 1 else 0.0,
        max(-1.0, min(line.weight / 80.0, 1.0)),
    ]


FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in KINDS[1:]),
    "log_words",
    "under_4_words",
    "30_words_up",
    "ends_sentence",
    "truncated",
    "stops",
    "commas_per_word",
    "capitals_per_word",
    "digit_share",
    "unspaced_share",
    "bullet",
    "linkish",
    "repeated",
    "rule_weight",
    # position and neighbourhood
    "position",
    "position_sq",
    "prev_prose",
    "next_prose",
    "prev_log_words",
    "next_log_words",
    "window_prose_share",
    "window_log_words",
    "window_chrome_share",
    "same_block_prose",
)


def features(lines: Sequence[LineLike], counts: dict[str, int]) -> list[list[float]]:
    """One feature vector per non-blank line, in page order."""
    idx = [i for i, line in enumerate(lines) if line.text]
    total = max(len(idx), 1)
    own = [_own(lines[i], counts.get(lines[i].low, 1)) for i in idx]
    prose = [1.0 if lines[i].kind == 1 else 0.0 for i in idx]
    chrome = [1.0 if lines[i].kind in (4, 6, 7) else 0.0 for i in idx]
    logw = [math.log1p(lines[i].words) for i in idx]
    blocks = [getattr(lines[i], "block", i) for i in idx]
    out: list[list[float]] = []
    for n in range(len(idx)):
        lo, hi = max(0, n - _WINDOW), min(len(idx), n + _WINDOW + 1)
        span = hi - lo - 1 or 1
        pos = n / total
        block = blocks[n]
        same = [prose[m] for m in range(lo, hi) if m != n and blocks[m] == block]
        out.append(
            [
                *own[n],
                pos,
                pos * pos,
                prose[n - 1] if n else 0.0,
                prose[n + 1] if n + 1 < len(idx) else 0.0,
                logw[n - 1] if n else 0.0,
                logw[n + 1] if n + 1 < len(idx) else 0.0,
                (sum(prose[lo:hi]) - prose[n]) / span,
                (sum(logw[lo:hi]) - logw[n]) / span,
                (sum(chrome[lo:hi]) - chrome[n]) / span,
                sum(same) / len(same) if same else 0.0,
            ]
        )
    return out


Tree = float | list
"""A regression tree: a leaf's value, or ``[feature, threshold, left, right]`` (a row goes
left when its feature is at most the threshold)."""


def tree_value(tree: Tree, row: Sequence[float]) -> float:
    """The value of the leaf ``row`` reaches in ``tree``."""
    node = tree
    while isinstance(node, list):
        node = node[2] if row[node[0]] <= node[1] else node[3]
    return float(node)


@dataclass(slots=True)
class Model:
    """Standardisation, weights and bias of the logistic regression, plus its settings and,
    optionally, regression trees whose values add to its log-odds (raw features)."""

    names: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    settings: dict[str, float] = field(default_factory=dict)
    trained_on: list[str] = field(default_factory=list)
    trees: list[Tree] = field(default_factory=list)

    def to_json(self) -> str:
        """The model as the JSON the importer loads (a tree to a line)."""
        text = json.dumps(
            {
                "names": self.names,
                "mean": [round(x, 6) for x in self.mean],
                "scale": [round(x, 6) for x in self.scale],
                "weights": [round(x, 6) for x in self.weights],
                "bias": round(self.bias, 6),
                "settings": self.settings,
                "trained_on": self.trained_on,
            },
            indent=1,
        )
        if not self.trees:
            return text
        trees = ",\n  ".join(json.dumps(tree, separators=(",", ":")) for tree in self.trees)
        return f'{text[:-2]},\n "trees": [\n  {trees}\n ]\n}}'


def logits(model: Model, rows: list[list[float]]) -> list[float]:
    """Log-odds of "article text" (or "headline") for every feature row."""
    coef = [w / s for w, s in zip(model.weights, model.scale, strict=True)]
    bias = model.bias - sum(c * m for c, m in zip(coef, model.mean, strict=True))
    out = [bias + sum(map(operator.mul, coef, row)) for row in rows]
    if model.trees:
        out = [
            z + sum(tree_value(t, row) for t in model.trees)
            for z, row in zip(out, rows, strict=True)
        ]
    return out


def _model(data: dict[str, object]) -> Model:
    return Model(
        list(data["names"]),  # type: ignore[call-overload]
        list(data["mean"]),  # type: ignore[call-overload]
        list(data["scale"]),  # type: ignore[call-overload]
        list(data["weights"]),  # type: ignore[call-overload]
        float(data["bias"]),  # type: ignore[arg-type]
        dict(data.get("settings") or {}),  # type: ignore[call-overload]
        list(data.get("trained_on") or []),  # type: ignore[call-overload]
        _trees(data.get("trees") or [], len(data["names"])),  # type: ignore[arg-type]
    )


def _trees(trees: list[object], width: int) -> list[Tree]:
    """``trees`` checked node by node (a feature index within ``width``, numbers throughout).

    :raises ValueError: for a tree of any other shape.
    """

    def check(node: object) -> None:
        if isinstance(node, list):
            if len(node) != 4 or not isinstance(node[0], int) or not 0 <= node[0] < width:
                raise ValueError("bad tree node")
            float(node[1])
            check(node[2])
            check(node[3])
        elif not isinstance(node, int | float) or isinstance(node, bool):
            raise ValueError("bad tree leaf")

    for tree in trees:
        check(tree)
    return list(trees)  # type: ignore[arg-type]


def load(path: Path = MODEL_PATH) -> dict[str, Model]:
    """The models in ``path`` by name (``block``, ``title``); a model missing, unreadable or
    not fitting these features is left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    models: dict[str, Model] = {}
    for name, entry in data.items() if isinstance(data, dict) else ():
        try:
            models[name] = _model(entry)
        except (KeyError, TypeError, ValueError):
            continue
    if "block" in models and models["block"].names != list(FEATURES):
        del models["block"]
    return models


def dump(models: dict[str, Model]) -> str:
    """The JSON of ``models`` as :func:`load` reads it."""
    return "{\n" + ",\n".join(f"{json.dumps(k)}: {m.to_json()}" for k, m in models.items()) + "\n}"


_CURRENT: dict[str, Model] | None = None


def current(name: str = "block") -> Model | None:
    """The model ``name`` in use (the shipped ones loaded on first use; None: rules only)."""
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = load()
    return _CURRENT.get(name)


def installed() -> dict[str, Model]:
    """Every model in use, by name."""
    current()
    return dict(_CURRENT or {})


def install(models: dict[str, Model]) -> None:
    """Use ``models`` from now on (benchmarks swap in models trained on other sources)."""
    global _CURRENT
    _CURRENT = dict(models)
