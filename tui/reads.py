"""Numbered reads, so that of two reloads running at once the newer answer is the one shown."""

from __future__ import annotations

import itertools


class NewestRead:
    """Numbers reads in the order they start and says which answers are still news.

    Workers that reload a list cannot be stopped: a reload that started before a save
    committed can answer after the save's own reload and put the old rows back. Take a
    number just before reading (:meth:`start`, in the worker) and show the answer only
    if :meth:`is_newest` (on the UI thread).
    """

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._shown = 0

    def start(self) -> int:
        """A number for a read about to start (any thread)."""
        return next(self._numbers)

    def is_newest(self, read: int) -> bool:
        """Whether the answer of ``read`` is newer than any shown; if so it counts as shown."""
        if read < self._shown:
            return False
        self._shown = read
        return True
