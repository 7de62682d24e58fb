"""Hypothesis annotation exports: highlights and notes placed on the articles they were made on.

Reads the export the Hypothesis client writes (``{"annotations": [...]}``), API
search results (``{"rows": [...]}``) and plain lists of annotations. Each
annotation is matched to an article by its page URL and anchored by its quote;
no articles are created. Annotations without a quote (page notes) and those on
pages not in the library are reported, not dropped silently.
"""

from __future__ import annotations

import json
import re
from typing import Any

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure

__all__ = ["HypothesisImporter"]

_SIGNATURE = re.compile(r'"(?:export_userid|user)"\s*:\s*"acct:[^"]+"')
ANNOTATION_ID = "urn:hypothesis:"


class HypothesisImporter:
    """JSON exports of Hypothesis annotations."""

    name = "hypothesis"
    suffixes = (".json",)
    media_types = ()

    def detect(self, source: Source) -> float:
        """Certain for JSON naming a Hypothesis account (``acct:``) with targets."""
        head = source.data[:8192].decode("utf-8", "replace")
        if head.lstrip()[:1] in ("{", "[") and _SIGNATURE.search(head) and '"target"' in head:
            return 0.98
        return 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """No drafts: every annotation goes to ``source.annotations``."""
        try:
            data = json.loads(source.text)
        except (json.JSONDecodeError, RecursionError):
            raise ImportFailure("not a readable Hypothesis export (invalid JSON)") from None
        if isinstance(data, dict):
            data = data.get("annotations", data.get("rows"))
        if not isinstance(data, list):
            raise ImportFailure("not a Hypothesis export (no list of annotations)")
        for number, item in enumerate(data, start=1):
            converted = _annotation(item) if isinstance(item, dict) else None
            if converted is None:
                source.warnings.append(f"annotation {number} has no page URL; skipped")
            else:
                source.annotations.append(converted)
        if not source.annotations and not source.warnings:
            raise ImportFailure("the Hypothesis export has no annotations")
        return []


def _annotation(item: dict[str, Any]) -> dict[str, Any] | None:
    targets = item.get("target") if isinstance(item.get("target"), list) else []
    target = next((t for t in targets if isinstance(t, dict)), {})
    url = target.get("source") or item.get("uri")
    if not isinstance(url, str) or not url.strip():
        return None
    # Positions count characters of the page as the browser laid it out, not of
    # Margin's text: only the quote and its context are worth keeping.
    selectors = [
        {
            key: s[key]
            for key in ("type", "exact", "prefix", "suffix")
            if isinstance(s.get(key), str)
        }
        for s in target.get("selector", [])
        if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"
    ]
    bodies: list[dict[str, Any]] = []
    if isinstance(item.get("text"), str) and item["text"].strip():
        bodies.append(
            {"type": "TextualBody", "value": item["text"].strip(), "purpose": "commenting"}
        )
    for tag in item.get("tags") or []:
        if isinstance(tag, str) and tag.strip():
            bodies.append({"type": "TextualBody", "value": tag.strip(), "purpose": "tagging"})
    annotation: dict[str, Any] = {
        "type": "Annotation",
        "id": f"{ANNOTATION_ID}{item.get('id')}" if item.get("id") else None,
        "target": {"source": url.strip(), "selector": selectors},
        "body": bodies,
    }
    for key, field in (("created", "created"), ("updated", "modified")):
        if isinstance(item.get(key), str):
            annotation[field] = item[key]
    return annotation
