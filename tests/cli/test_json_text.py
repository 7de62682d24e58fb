"""`json_text` writes what json.dumps writes, without importing json on the search path."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from tui.cli_base import json_text

PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(PLAIN, st.sampled_from([None, 0, 2]))
def test_the_same_text_as_json_dumps(data: object, indent: int | None) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=indent)
    # Controls json.dumps leaves raw (C1, bidi) are escaped on every path alike.
    assert json_text(data, indent) == expected.translate(_table())


def test_other_data_falls_back_to_json() -> None:
    assert json_text({1: (2, 3)}) == json.dumps({1: [2, 3]}, indent=2)
    assert json_text([math.inf, -math.inf]) == "[\n  Infinity,\n  -Infinity\n]"


def _table() -> dict[int, str]:
    from tui import cli_base

    return cli_base._UNSAFE_IN_JSON
