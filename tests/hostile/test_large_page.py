"""A very large saved page takes the bounded path: its whole text, metadata from its head."""

from __future__ import annotations

from typing import Any

import pytest
import trafilatura.core
import trafilatura.metadata

from importers import html

PARAGRAPHS = 400


def big_page() -> str:
    body = "".join(
        f"<p>Paragraph{n} says the river carries water to the sea past old hills and farms "
        f"where people read long articles about history and science and art.</p>"
        for n in range(PARAGRAPHS)
    )
    return (
        "<!doctype html><html><head><title>The long river - Example</title>"
        '<meta property="article:published_time" content="2024-03-05">'
        '<meta name="author" content="Ada Writer"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>The long river</h1><p>By Ada Writer</p>{body}</article>"
        "<footer>Copyright 2019</footer></body></html>"
    )


@pytest.mark.parametrize("large", [True, False])
def test_a_page_over_the_cap_skips_the_costly_passes_and_keeps_its_text(
    monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    text = big_page()
    assert len(text) > 50_000
    if large:  # the real cap is 2 MB; the same path at a size a unit test can afford
        monkeypatch.setattr(html, "LARGE_PAGE", 40_000)
        monkeypatch.setattr(html, "LARGE_PAGE_HEAD", 8_000)
    calls: dict[str, list[int]] = {"compare": [], "metadata": []}
    compare, metadata = trafilatura.core.compare_extraction, trafilatura.metadata.extract_metadata

    def spy_compare(tree: Any, *args: Any, **kwargs: Any) -> Any:
        calls["compare"].append(1)
        return compare(tree, *args, **kwargs)

    def spy_metadata(tree: Any, *args: Any, **kwargs: Any) -> Any:
        calls["metadata"].append(len("".join(tree.itertext())))
        return metadata(tree, *args, **kwargs)

    monkeypatch.setattr(trafilatura.core, "compare_extraction", spy_compare)
    monkeypatch.setattr(trafilatura.core, "extract_metadata", spy_metadata)
    monkeypatch.setattr(trafilatura.metadata, "extract_metadata", spy_metadata)
    found = html.extract_article(text)
    assert f"Paragraph{PARAGRAPHS - 1} says" in found.markdown  # the text is whole
    assert "Paragraph0 says" in found.markdown
    assert found.title == "The long river"
    assert found.meta.published and found.meta.published.startswith("2024-03-05")
    assert len(calls["metadata"]) == 1
    if large:
        assert calls["compare"] == []  # no readability/jusText comparison
        assert calls["metadata"][0] < 8_000  # dates and names looked for in the head only
    else:
        assert calls["compare"] == [1]
        assert calls["metadata"][0] > 50_000
