"""How likely a typed word is a slip for an indexed one: edit costs that know the keyboard.

A plain edit distance treats every slip alike, so ``glaturk`` is as near to ``glaurk``
(one letter too many) as to ``glatirk`` (``u`` for its neighbour ``i``), and the more
frequent word wins. Typists mostly hit a neighbouring key, double or drop a letter, or
swap two letters; :func:`cost` charges those less than other edits (a noisy-channel
model's error weights, set by hand on the kinds of slips, not fitted to a word list).
"""

from __future__ import annotations

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Each row sits half a key right of the one above.
_PLACE = {
    key: (row, col + 0.5 * row) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)
}
_VOWELS = frozenset("aeiouy")

NEIGHBOUR = 0.6
"""A key next to the intended one."""
VOWEL = 0.8
"""One vowel for another (a spelling slip rather than a typing one)."""
SWAP = 0.8
"""Two neighbouring letters swapped."""
DOUBLED = 0.7
"""A letter typed twice, a double letter typed once, or an extra key beside its neighbour."""


def neighbours(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` touch on a QWERTY keyboard."""
    pa, pb = _PLACE.get(a), _PLACE.get(b)
    if pa is None or pb is None or a == b:
        return False
    rows, cols = abs(pa[0] - pb[0]), abs(pa[1] - pb[1])
    return (rows == 0 and cols == 1) or (rows == 1 and cols <= 0.5)


def _substitution(typed: str, meant: str) -> float:
    if neighbours(typed, meant):
        return NEIGHBOUR
    if typed in _VOWELS and meant in _VOWELS:
        return VOWEL
    return 1.0


def _extra(typed: str, at: int) -> float:
    """Cost of ``typed[at]`` being one key too many."""
    key = typed[at]
    around = typed[at - 1 : at] + typed[at + 1 : at + 2]
    if any(key == c or neighbours(key, c) for c in around):
        return DOUBLED
    return 1.0


def _missing(meant: str, at: int) -> float:
    """Cost of ``meant[at]`` not being typed."""
    key = meant[at]
    if meant[at - 1 : at] == key or meant[at + 1 : at + 2] == key:
        return DOUBLED
    return 1.0


def cost(typed: str, meant: str) -> float:
    """Weighted edits turning ``meant`` into ``typed`` (optimal string alignment).

    Every edit costs 1 except the common slips above; case is ignored.
    """
    typed, meant = typed.casefold(), meant.casefold()
    rows, cols = len(typed), len(meant)
    previous2: list[float] = []
    previous = [0.0] * (cols + 1)
    for j in range(1, cols + 1):
        previous[j] = previous[j - 1] + _missing(meant, j - 1)
    for i in range(1, rows + 1):
        current = [previous[0] + _extra(typed, i - 1)] + [0.0] * cols
        for j in range(1, cols + 1):
            t, m = typed[i - 1], meant[j - 1]
            best = previous[j - 1] + (0.0 if t == m else _substitution(t, m))
            best = min(
                best, previous[j] + _extra(typed, i - 1), current[j - 1] + _missing(meant, j - 1)
            )
            if i > 1 and j > 1 and t == meant[j - 2] and typed[i - 2] == m and t != m:
                best = min(best, previous2[j - 2] + SWAP)
            current[j] = best
        previous2, previous = previous, current
    return previous[cols]


def likeness(typed: str, meant: str) -> float:
    """0-100: 100 less the share of the longer word that :func:`cost` says is wrong."""
    longest = max(len(typed), len(meant))
    if not longest:
        return 100.0
    return max(0.0, 100.0 * (1.0 - cost(typed, meant) / longest))
