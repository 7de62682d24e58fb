"""canonical_url: one story saved from several apps is one URL."""

from __future__ import annotations

import pytest

from store.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Example.com:443/a/b/?utm_source=x&id=3#top",
            "https://news.example.com/a/b?id=3",
        ),
        ("http://news.example.com:80/", "http://news.example.com/"),
        ("https://news.example.com:8443/a", "https://news.example.com:8443/a"),
        ("https://news.example.com/a?fbclid=1&gclid=2&mc_eid=3", "https://news.example.com/a"),
        ("https://news.example.com/story/amp", "https://news.example.com/story"),
        ("https://news.example.com/story/amp/", "https://news.example.com/story"),
        ("https://amp.news.example.com/story", "https://news.example.com/story"),
        ("https://news.example.com/story?amp=1&page=2", "https://news.example.com/story?page=2"),
        ("https://news.example.com/story?outputType=amp", "https://news.example.com/story"),
        (
            "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/story/amp",
            "https://news.example.com/story",
        ),
        ("https://amp.dev/", "https://amp.dev/"),
        ("https://news.example.com/camp", "https://news.example.com/camp"),
        ("file:///tmp/x.html", "file:///tmp/x.html"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
