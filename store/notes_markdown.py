"""Notes as Markdown: one file per article, readable in Obsidian and similar tools."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .models import Bookmark, Note


def file_name(article_id: int | None, title: str) -> str:
    """A stable, file-name-safe name for one article's notes."""
    words = re.findall(r"\w+", title.lower())
    stem = "-".join(words)[:60].strip("-") or "article"
    return f"{article_id:06d}-{stem}.md" if article_id is not None else f"detached-{stem}.md"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def _note_lines(note: Note) -> list[str]:
    lines = [_quote_block(note.quote), ""]
    if note.body.strip():
        lines += [note.body.strip(), ""]
    return [*lines, f"*{note.color} · {note.created[:10]}*", ""]


def article_notes_markdown(
    title: str, url: str | None, tags: Iterable[str], notes: list[Note], bookmarks: list[Bookmark]
) -> str:
    """One article's notes: front matter, title and link, then each quote with its note."""
    tags = list(tags)
    front = [f"title: {_yaml_string(title)}"]
    if url:
        front.append(f"url: {_yaml_string(url)}")
    if tags:
        front.append("tags: [" + ", ".join(_yaml_string(t) for t in tags) + "]")
    lines = ["---", *front, "---", "", f"# {title}", ""]
    if url:
        lines += [f"<{url}>", ""]
    if tags:
        lines += [" ".join("#" + "-".join(t.split()) for t in tags), ""]
    orphans = [n for n in notes if n.state == "orphaned"]
    placed = [n for n in notes if n.state == "anchored"]
    if orphans:
        lines += ["## Orphaned notes", "", "Their passage is no longer in the article.", ""]
        for note in orphans:
            lines += _note_lines(note)
        if placed:
            lines += ["## Notes", ""]
    for note in placed:
        lines += _note_lines(note)
    marks = [b for b in bookmarks if b.offset is not None]
    if marks:
        lines += ["## Bookmarks", ""]
        lines += [f"- {b.label or b.quote[:60]}" for b in marks]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_files(
    notes: list[Note], bookmarks: list[Bookmark], tags: dict[int, list[str]]
) -> dict[str, str]:
    """File name → Markdown for every article that has notes or passage bookmarks.

    :param tags: each article's tags, by article id.
    """
    by_article: dict[tuple[int | None, str], tuple[list[Note], list[Bookmark], str | None]] = (
        defaultdict(lambda: ([], [], None))
    )
    for note in notes:
        key = (note.article_id, note.article_title)
        found, marks, _url = by_article[key]
        by_article[key] = (found, marks, note.article_url)
        found.append(note)
    for mark in bookmarks:
        key = (mark.article_id, mark.article_title)
        found, marks, url = by_article[key]
        by_article[key] = (found, marks, url or mark.article_url)
        marks.append(mark)
    files = {}
    for (article_id, title), (found, marks, url) in by_article.items():
        found.sort(key=lambda n: (n.state != "orphaned", n.start or 0, n.id))
        article_tags = tags.get(article_id, []) if article_id is not None else []
        files[file_name(article_id, title)] = article_notes_markdown(
            title, url, article_tags, found, marks
        )
    return files
