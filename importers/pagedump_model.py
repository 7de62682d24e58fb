"""The learned block model of page dumps: a logistic regression over line features."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Model:
    """Feature names, their weights and the bias (log-odds of "article text")."""

    names: list[str]
    weights: list[float]
    bias: float


_CURRENT: Model | None = None


def current() -> Model | None:
    """The model in use (None: rules only)."""
    return _CURRENT


def install(model: Model | None) -> None:
    """Use ``model`` from now on (benchmarks swap in models trained on other sources)."""
    global _CURRENT
    _CURRENT = model
