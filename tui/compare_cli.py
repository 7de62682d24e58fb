"""``margin compare A B``: two articles (or an article and a version) sentence by sentence.

Registered on the ``margin`` group by ``tui.cli``; never imports Textual.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from store.library import LibraryError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from store.comparison import Comparison, WordEdit

from .cli import (
    article_or_exit,
    db_option,
    emit_json,
    json_option,
    open_library,
    run_reader,
    safe,
)


def comparison_json(result: Comparison, left_id: int, right_id: int) -> dict[str, Any]:
    """The issue-13 JSON shape of a comparison."""
    return {
        "left": {"id": left_id},
        "right": {"id": right_id},
        "mode": result.mode,
        "similarity": round(result.similarity, 3),
        "pairs": [pair.to_dict() for pair in result.pairs],
        "left_only": [list(span) for span in result.left_only],
        "right_only": [list(span) for span in result.right_only],
        "terms": {"left": result.left_terms, "right": result.right_terms},
    }


def _quote(text: str) -> str:
    return safe(" ".join(text.split()))


def edits_markdown(edits: Iterable[WordEdit], left: str, right: str) -> str:
    """Word edits as ``~~was~~ → **now**``, ``~~deleted~~`` and ``**inserted**``, by ``;``."""
    out = []
    for edit in edits:
        was, now = _quote(left[slice(*edit.left)]), _quote(right[slice(*edit.right)])
        if edit.op == "replace":
            out.append(f"~~{was}~~ → **{now}**")
        elif edit.op == "delete":
            out.append(f"~~{was}~~")
        else:
            out.append(f"**{now}**")
    return "; ".join(out)


def comparison_markdown(
    result: Comparison, left: str, right: str, left_name: str, right_name: str
) -> str:
    """A readable Markdown report of a comparison."""
    counts = result.summary()
    lines = [
        f"# {left_name} ↔ {right_name}",
        "",
        f"- mode: {result.mode}",
        f"- similarity: {result.similarity:.0%}",
        f"- same: {counts['same']}, similar: {counts['similar']}, "
        + (f"moved: {counts['moved']}, " if result.mode == "revision" else "")
        + f"only left: {counts['left_only']}, only right: {counts['right_only']}",
        f"- terms only left: {_quote(', '.join(result.left_terms)) or '—'}",
        f"- terms only right: {_quote(', '.join(result.right_terms)) or '—'}",
        "",
    ]
    changed = [p for p in result.pairs if p.kind == "similar" or p.moved]
    if changed:
        lines += ["## Changed" if result.mode == "revision" else "## Similar", ""]
        for pair in changed:
            label = f"{pair.score:.2f}"
            if pair.moved:
                label = "moved" if pair.kind == "same" else f"moved, {label}"
            lines.append(f"- ({label}) {_quote(left[slice(*pair.left)])}")
            lines.append(f"  → {_quote(right[slice(*pair.right)])}")
            if pair.edits:
                lines.append(f"  edits: {edits_markdown(pair.edits, left, right)}")
        lines.append("")
    for title, spans, text in (
        ("## Only left", result.left_only, left),
        ("## Only right", result.right_only, right),
    ):
        if spans:
            lines += [title, ""] + [f"- {_quote(text[s:e])}" for s, e in spans] + [""]
    return "\n".join(lines)


@click.command("compare")
@click.argument("left_id", type=int)
@click.argument("right_id", type=int, required=False)
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Compare version N of LEFT_ID with its current text.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default=None)
@db_option
@json_option
def compare_command(
    left_id: int,
    right_id: int | None,
    version: int | None,
    fmt: str | None,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Compare two articles, or an article with one of its versions, sentence by sentence.

    In a terminal this opens the comparison screen; piped, or with --json or
    --format, it prints the comparison.
    """
    library = open_library(db_path)
    if right_id is None and version is None:
        raise click.UsageError("give two article ids, or one id and --version N")
    right_id = left_id if right_id is None else right_id
    left_article = article_or_exit(library, left_id)
    right_article = article_or_exit(library, right_id)
    if not as_json and fmt is None and sys.stdin.isatty() and sys.stdout.isatty():
        path = Path(library.path)
        if version is not None and version not in {v.number for v in library.versions(left_id)}:
            raise click.ClickException(
                f"article {left_id} has no version {version} (see margin versions {left_id})"
            )
        library.close()
        run_reader(path, (left_id, None if version is not None else right_id, version))
        return
    try:
        result = library.compare(left_id, right_id, version=version)
        left_text = (
            library.version_text(left_id, version)
            if version is not None
            else left_article.body_text
        )
    except LibraryError as error:
        raise click.ClickException(str(error)) from None
    if as_json or fmt == "json":
        emit_json(comparison_json(result, left_id, right_id))
        return
    left_name = (
        f"{left_id} version {version}" if version is not None else f"{left_id} {left_article.title}"
    )
    right_name = f"{right_id} {right_article.title}"
    click.echo(
        comparison_markdown(
            result, left_text, right_article.body_text, safe(left_name), safe(right_name)
        )
    )


COMMANDS = (compare_command,)
