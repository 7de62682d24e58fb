"""Markdown and plain-text files: one article each."""

from __future__ import annotations

import re
from typing import Any

import yaml

from store.models import ArticleDraft

from .base import Source, is_url
from .dates import parse_date
from .errors import ImportFailure
from .textutil import escape_markdown

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT_TITLE = re.compile(r"\A\s*([^\n]+)\n(=+|-+)[ \t]*\n")
_MARKDOWN_SIGNS = re.compile(
    r"^ {0,3}(#{1,6} |[-*+] |\d+\. |> |```)|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*", re.MULTILINE
)
# libyaml's loader when the wheel has it: ~20x faster than the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
TEXT_SUFFIXES = {".txt", ".text", ""}


class MarkdownImporter:
    """Markdown files, with optional YAML front matter, and plain-text notes."""

    name = "markdown"
    suffixes = (*sorted(MARKDOWN_SUFFIXES), ".txt", ".text")
    media_types = ("text/markdown",)

    def detect(self, source: Source) -> float:
        """Front matter or Markdown syntax is a strong sign; any text is a weak one."""
        head = source.head
        if _FRONT_MATTER.match(head):
            return 0.95
        if source.suffix in MARKDOWN_SUFFIXES:
            return 0.8
        if head.lstrip().startswith("<"):
            return 0.1
        signs = len(_MARKDOWN_SIGNS.findall(head))
        return 0.55 if signs >= 3 else 0.3

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One article: front matter for metadata, else the first heading or line as title."""
        text = source.text
        if not text.strip():
            raise ImportFailure("empty file")
        meta: dict[str, Any] = {}
        match = _FRONT_MATTER.match(text)
        if match:
            try:
                loaded = yaml.load(match.group(1), Loader=_YAML_LOADER)
            except yaml.YAMLError as error:
                # The body is still worth having; only the metadata is lost.
                mark = getattr(error, "problem_mark", None)
                where = f" at line {mark.line + 2}" if mark else ""
                source.warnings.append(
                    f"front matter is not valid YAML{where}; imported without its metadata"
                )
                loaded = None
            if isinstance(loaded, dict):
                meta = {str(k).lower(): v for k, v in loaded.items()}
            text = text[match.end() :]
        is_markdown = (
            bool(match)
            or source.suffix in MARKDOWN_SUFFIXES
            or (len(_MARKDOWN_SIGNS.findall(text[:4096])) >= 3)
        )
        body = text if is_markdown else _plain_to_markdown(text)
        title = _string(meta.get("title"))
        if not title:
            title, body = _take_title(body)
            if title and not body.strip():
                # A title-only entry has nothing to read or find: the line is its text too.
                body = escape_markdown(title)
                source.warnings.append(
                    "only one line of text: imported with that line as both title and text"
                )
        if not body.strip() and not title:
            raise ImportFailure("empty file")
        from .images import gather

        # Images beside the file (or data: URIs) are kept; their alt text stays in the text.
        gathered = gather(body.strip("\n") + "\n", None if is_url(source.name) else source.name)
        if gathered.warning():
            source.warnings.append(gathered.warning() or "")
        return [
            ArticleDraft(
                title=title or _name_title(source.name),
                body_markdown=gathered.markdown,
                images=gathered.files,
                author=_people(meta.get("author") or meta.get("authors")),
                source=_string(meta.get("source") or meta.get("site")),
                section=_string(meta.get("section") or meta.get("category")),
                url=_string(meta.get("url") or meta.get("link") or meta.get("source_url")),
                published=_date(meta.get("date") or meta.get("published")),
                language=_string(meta.get("language") or meta.get("lang")),
                description=_string(meta.get("description") or meta.get("summary")),
                tags=_list(meta.get("tags") or meta.get("keywords")),
                # Margin's own Markdown export says which entries are excerpts.
                kind="excerpt" if _string(meta.get("kind")) == "excerpt" else "article",
                origin=source.name,
            )
        ]


def _take_title(body: str) -> tuple[str | None, str]:
    """Use the first heading (if it leads the text) or the first line as the title."""
    stripped = body.lstrip("\n")
    setext = _SETEXT_TITLE.match(stripped)
    if setext:
        return setext.group(1).strip(), stripped[setext.end() :]
    heading = _ATX_HEADING.match(stripped)
    if heading:
        return heading.group(2).strip(), stripped[heading.end() :]
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if first and len(first) <= 200:
        return re.sub(r"\\(.)", r"\1", first.lstrip("#").strip()), rest
    return None, body


def _plain_to_markdown(text: str) -> str:
    """Plain text as Markdown: paragraphs kept, anything that looks like syntax escaped."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    out = []
    for paragraph in paragraphs:
        lines = [escape_markdown(line.strip()) for line in paragraph.split("\n") if line.strip()]
        if lines:
            out.append(
                "  \n".join(lines) if len(lines) > 1 and _is_verse(lines) else " ".join(lines)
            )
    return "\n\n".join(out)


def _is_verse(lines: list[str]) -> bool:
    """Short lines (addresses, poems, lists) keep their breaks; wrapped prose does not."""
    return max(len(line) for line in lines) < 50


def _name_title(name: str) -> str:
    stem = name.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").strip() or "Untitled"


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text or None


def _people(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = [v.get("name") if isinstance(v, dict) else v for v in value]
    return _string(value)


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _date(value: Any) -> str | None:
    """A front-matter date as ISO 8601 (date only when no time was given), else the text."""
    if value is None:
        return None
    return parse_date(value) or _string(value)
