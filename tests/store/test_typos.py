"""Edit costs that know the keyboard (store.typos)."""

from __future__ import annotations

import pytest

from store import typos


@pytest.mark.parametrize(
    ("a", "b", "touch"),
    [("u", "i", True), ("w", "a", True), ("s", "x", True), ("q", "p", False), ("a", "x", False)],
)
def test_neighbouring_keys(a: str, b: str, touch: bool) -> None:
    assert typos.neighbours(a, b) is touch
    assert typos.neighbours(b, a) is touch


@pytest.mark.parametrize(
    ("typed", "meant", "expected"),
    [
        ("hello", "hello", 0.0),
        ("hwllo", "hello", typos.NEIGHBOUR),
        ("hallo", "hello", typos.VOWEL),
        ("hxllo", "hello", 1.0),
        ("hlelo", "hello", typos.SWAP),
        ("helo", "hello", typos.DOUBLED),
        ("helllo", "hello", typos.DOUBLED),
        ("hel", "hello", 1.0 + typos.DOUBLED),
        ("Wörld", "world", 1.0),
    ],
)
def test_cost_of_each_slip(typed: str, meant: str, expected: float) -> None:
    assert typos.cost(typed, meant) == pytest.approx(expected)


def test_likeness_is_a_share_of_the_longer_word() -> None:
    assert typos.likeness("", "") == 100.0
    assert typos.likeness("qqqq", "pppp") == 0.0
    assert typos.likeness("glaturk", "glatirk") > typos.likeness("glaturk", "glaurk")
