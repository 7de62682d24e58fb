"""Impact lists small enough for a test library of a few hundred articles."""

from __future__ import annotations

import pytest

from store import impact
from store import search as search_mod


def small_impact(
    monkeypatch: pytest.MonkeyPatch, *, list_size: int, prefix_lengths: tuple[int, ...]
) -> None:
    """Give terms in 25 articles a list of ``list_size`` and rank exactly below 10 matches.

    :param prefix_lengths: the prefix lengths a build lists.
    """
    monkeypatch.setattr(search_mod, "EXACT_LIMIT", 10)
    monkeypatch.setattr(search_mod, "IMPACT_DEPTH", 4)
    monkeypatch.setattr(impact, "MIN_DOCS", 25)
    monkeypatch.setattr(impact, "LIST_SIZE", list_size)
    monkeypatch.setattr(impact, "PREFIX_LENGTHS", prefix_lengths)
