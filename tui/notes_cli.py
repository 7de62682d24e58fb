"""``margin notes``, ``margin bookmarks``, ``margin tag``/``untag`` and ``margin versions``.

Registered on the ``margin`` group by ``tui.cli``; like every non-TUI command they
never import Textual.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from store.library import Library, LibraryError
from store.models import COLORS, Note

from .cli import (
    article_or_exit,
    db_option,
    emit_json,
    json_option,
    json_text,
    open_library,
    safe,
)


def export_notes_markdown(library: Library, folder: Path) -> int:
    """Write every article's notes as Markdown files into ``folder``; return the count.

    Files of articles that no longer have notes are left alone: they may hold the
    user's own edits.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = library.export_notes_markdown()
    for name, text in files.items():
        target = folder / name
        temporary = target.with_suffix(".md.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    return len(files)


def sync_notes_export(library: Library) -> None:
    """Re-export the Markdown notes if the config names ``notes_export_dir``."""
    from .config import load_config

    folder = load_config().notes_export_dir
    if not folder:
        return
    try:
        export_notes_markdown(library, Path(folder).expanduser())
    except OSError as error:
        click.echo(f"Could not update the notes export in {folder}: {error}", err=True)


def _library_call(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except LibraryError as error:
        raise click.ClickException(str(error)) from None


def _note_line(note: Note) -> str:
    where = f"{note.start}-{note.end}" if note.state == "anchored" else "orphaned"
    quote = " ".join(note.quote.split())
    quote = quote if len(quote) <= 60 else quote[:59] + "…"
    article = note.article_id if note.article_id is not None else "detached"
    line = f"{note.id:>5}  {article!s:>6}  {where:<13} {note.color:<7} “{safe(quote)}”"
    body = " ".join(note.body.split())
    if body:
        line += f"  — {safe(body if len(body) <= 60 else body[:59] + '…')}"
    return line


# -- notes -------------------------------------------------------------------------------------
@click.group("notes")
def notes_group() -> None:
    """Highlights and notes: add, list, edit, delete, export and import them."""


@notes_group.command("add")
@click.argument("article_id", type=int)
@click.option("--quote", help="The exact passage the note is about.")
@click.option("--prefix", default="", help="Text just before the passage (to tell repeats apart).")
@click.option("--suffix", default="", help="Text just after the passage.")
@click.option("--start", type=click.IntRange(0), help="Start offset in the article's plain text.")
@click.option("--end", type=click.IntRange(0), help="End offset in the article's plain text.")
@click.option("--note", "body", default="", help="The note, in Markdown (none: a highlight).")
@click.option("--color", type=click.Choice(COLORS), default=COLORS[0], show_default=True)
@db_option
@json_option
def notes_add(
    article_id: int,
    quote: str | None,
    prefix: str,
    suffix: str,
    start: int | None,
    end: int | None,
    body: str,
    color: str,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Highlight a passage of an article, with an optional note.

    Give the passage as --quote (with --prefix/--suffix when it repeats), or as
    --start and --end offsets into `margin show ID --format text`.
    """
    library = open_library(db_path)
    article_or_exit(library, article_id)
    if quote:
        note = _library_call(
            library.add_note_by_quote,
            article_id,
            quote,
            prefix=prefix,
            suffix=suffix,
            start=start,
            end=end,
            body=body,
            color=color,
        )
    elif start is not None and end is not None:
        note = _library_call(library.add_note, article_id, start, end, body=body, color=color)
    else:
        raise click.UsageError("give the passage: --quote TEXT, or --start N --end N")
    sync_notes_export(library)
    if as_json:
        emit_json(note.to_dict())
    elif note.state == "orphaned":
        click.echo(f"Note {note.id} kept as an orphan: the quote is not in article {article_id}.")
    else:
        click.echo(f"Note {note.id} on article {article_id} at {note.start}-{note.end}.")


@notes_group.command("list")
@click.argument("article_id", type=int, required=False)
@click.option("--orphaned", is_flag=True, help="Only notes that lost their passage.")
@click.option("--tag", help="Only notes on articles with this tag.")
@click.option("--color", type=click.Choice(COLORS), help="Only highlights of this colour.")
@click.option("--search", "text", help="Only notes whose quote or text has these words.")
@db_option
@json_option
def notes_list(
    article_id: int | None,
    orphaned: bool,
    tag: str | None,
    color: str | None,
    text: str | None,
    db_path: str | None,
    as_json: bool,
) -> None:
    """List notes and highlights, newest first (one article's in text order)."""
    library = open_library(db_path)
    notes = library.notes(
        article_id, orphaned=True if orphaned else None, tag=tag, color=color, text=text
    )
    if as_json:
        emit_json([note.to_dict() for note in notes])
        return
    if not notes:
        click.echo("No notes. Add one with: margin notes add ID --quote TEXT", err=True)
    for note in notes:
        click.echo(_note_line(note))


@notes_group.command("edit")
@click.argument("note_id", type=int)
@click.option("--note", "body", help="The new note text (default: open $EDITOR).")
@click.option("--color", type=click.Choice(COLORS), help="A new highlight colour.")
@db_option
@json_option
def notes_edit(
    note_id: int, body: str | None, color: str | None, db_path: str | None, as_json: bool
) -> None:
    """Change a note's text (in $EDITOR unless --note is given) or its colour."""
    library = open_library(db_path)
    note = library.note(note_id)
    if note is None:
        raise click.ClickException(f"no note {note_id} (see: margin notes list)")
    if body is None and color is None:
        edited = click.edit(note.body, extension=".md", require_save=True)
        if edited is None:
            click.echo("Not changed.", err=True)
            return
        body = edited.rstrip("\n")
    note = _library_call(library.update_note, note_id, body=body, color=color)
    sync_notes_export(library)
    if as_json:
        emit_json(note.to_dict())
    else:
        click.echo(f"Note {note_id} saved.")


@notes_group.command("delete")
@click.argument("note_id", type=int)
@db_option
@json_option
def notes_delete(note_id: int, db_path: str | None, as_json: bool) -> None:
    """Delete a note or highlight."""
    library = open_library(db_path)
    note = _library_call(library.delete_note, note_id)
    sync_notes_export(library)
    if as_json:
        emit_json({"deleted": note.to_dict()})
    else:
        click.echo(f"Deleted note {note_id}.")


@notes_group.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Folder to write into (default: standard output).",
)
@db_option
def notes_export(fmt: str, out: str | None, db_path: str | None) -> None:
    """Export notes as W3C Web Annotations (JSON) or as Markdown, one file per article."""
    library = open_library(db_path)
    folder = Path(out) if out else None
    if fmt == "json":
        items = library.export_annotations()
        text = json_text(items)
        if folder is None:
            click.echo(text)
            return
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "annotations.json").write_text(text + "\n", encoding="utf-8")
        click.echo(f"Exported {len(items)} annotations to {folder / 'annotations.json'}", err=True)
        return
    if folder is None:
        for name, markdown in library.export_notes_markdown().items():
            click.echo(f"<!-- {name} -->\n{safe_block(markdown)}")
        return
    count = export_notes_markdown(library, folder)
    click.echo(f"Exported the notes of {count} articles to {folder}", err=True)


def safe_block(text: str) -> str:
    """Multi-line text with control characters removed line by line."""
    return "\n".join(safe(line) for line in text.split("\n"))


@notes_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@db_option
@json_option
def notes_import(file: str, db_path: str | None, as_json: bool) -> None:
    """Import W3C Web Annotations (a JSON list, or an object with "items").

    Each is anchored on the article its target's source URL names.
    """
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file}: not readable JSON ({error})") from None
    if isinstance(data, dict):
        data = data.get("items", data.get("first", {}).get("items") if data.get("first") else None)
        if data is None:
            data = []
    if not isinstance(data, list):
        raise click.ClickException(f"{file}: expected a list of annotations or {{'items': [...]}}")
    library = open_library(db_path)
    report = _library_call(library.import_annotations, data)
    sync_notes_export(library)
    if as_json:
        emit_json(report)
        return
    for skipped in report["skipped"]:
        click.echo(f"{file}: {safe(skipped['id'])}: {safe(skipped['reason'])}", err=True)
    click.echo(
        f"{report['imported']} notes imported ({report['anchored']} anchored, "
        f"{report['orphaned']} orphaned), {report['bookmarks']} bookmarks, "
        f"{report['unchanged']} already here, {len(report['skipped'])} skipped"
    )


# -- bookmarks ---------------------------------------------------------------------------------
@click.group("bookmarks", invoke_without_command=True)
@click.pass_context
def bookmarks_group(context: click.Context) -> None:
    """Bookmarks of whole articles and of passages (alone: list them)."""
    if context.invoked_subcommand is None:
        context.invoke(bookmarks_list)


@bookmarks_group.command("add")
@click.argument("article_id", type=int)
@click.option("--offset", type=click.IntRange(0), help="A passage: offset in the plain text.")
@click.option("--label", default="", help="A few words to remember it by.")
@db_option
@json_option
def bookmarks_add(
    article_id: int, offset: int | None, label: str, db_path: str | None, as_json: bool
) -> None:
    """Bookmark an article, or a passage of it with --offset."""
    library = open_library(db_path)
    article_or_exit(library, article_id)
    bookmark = _library_call(library.add_bookmark, article_id, offset=offset, label=label)
    sync_notes_export(library)
    if as_json:
        emit_json(bookmark.to_dict())
    else:
        click.echo(f"Bookmark {bookmark.id} on article {article_id}.")


@bookmarks_group.command("list")
@click.argument("article_id", type=int, required=False)
@db_option
@json_option
def bookmarks_list(article_id: int | None, db_path: str | None, as_json: bool) -> None:
    """List bookmarks, newest first (one article's in text order)."""
    library = open_library(db_path)
    bookmarks = library.bookmarks(article_id)
    if as_json:
        emit_json([bookmark.to_dict() for bookmark in bookmarks])
        return
    if not bookmarks:
        click.echo("No bookmarks. Add one with: margin bookmarks add ID", err=True)
    for bookmark in bookmarks:
        where = "article" if bookmark.offset is None else f"at {bookmark.offset}"
        label = safe(bookmark.label or " ".join(bookmark.quote.split())[:60])
        click.echo(
            f"{bookmark.id:>5}  {bookmark.article_id!s:>6}  {where:<10} "
            f"{safe(bookmark.article_title)}{'  — ' + label if label else ''}"
        )


@bookmarks_group.command("delete")
@click.argument("bookmark_id", type=int)
@db_option
@json_option
def bookmarks_delete(bookmark_id: int, db_path: str | None, as_json: bool) -> None:
    """Delete a bookmark."""
    library = open_library(db_path)
    bookmark = _library_call(library.delete_bookmark, bookmark_id)
    sync_notes_export(library)
    if as_json:
        emit_json({"deleted": bookmark.to_dict()})
    else:
        click.echo(f"Deleted bookmark {bookmark_id}.")


# -- tags and versions -------------------------------------------------------------------------
@click.command("tag")
@click.argument("article_id", type=int)
@click.argument("tags", nargs=-1, required=True)
@db_option
@json_option
def tag_command(article_id: int, tags: tuple[str, ...], db_path: str | None, as_json: bool) -> None:
    """Add tags to an article."""
    library = open_library(db_path)
    article_or_exit(library, article_id)
    library.add_tags(article_id, tags)
    _report_tags(library, article_id, as_json)


@click.command("untag")
@click.argument("article_id", type=int)
@click.argument("tags", nargs=-1, required=True)
@db_option
@json_option
def untag_command(
    article_id: int, tags: tuple[str, ...], db_path: str | None, as_json: bool
) -> None:
    """Take tags off an article."""
    library = open_library(db_path)
    article_or_exit(library, article_id)
    for tag in tags:
        library.remove_tag(article_id, " ".join(tag.split()))
    _report_tags(library, article_id, as_json)


def _report_tags(library: Library, article_id: int, as_json: bool) -> None:
    sync_notes_export(library)
    tags = library.article_tags(article_id)
    if as_json:
        emit_json({"id": article_id, "tags": tags})
    else:
        click.echo(f"{article_id}: {safe(', '.join(tags)) if tags else 'no tags'}")


@click.command("versions")
@click.argument("article_id", type=int)
@db_option
@json_option
def versions_command(article_id: int, db_path: str | None, as_json: bool) -> None:
    """List the earlier texts of an article, kept when a re-import changed it."""
    library = open_library(db_path)
    article = article_or_exit(library, article_id)
    versions = library.versions(article_id)
    if as_json:
        emit_json({"id": article_id, "versions": [v.to_dict() for v in versions]})
        return
    if not versions:
        click.echo(f"{article_id} has one version: its text never changed.")
        return
    for version in versions:
        click.echo(
            f"{version.number:>3}  replaced {version.replaced_at[:16].replace('T', ' ')}  "
            f"by {version.origin or 'import':<9}  {version.word_count:>6} words  "
            f"{safe(version.title)}"
        )
    click.echo(f"  current  {article.word_count:>6} words  {safe(article.title)}")


COMMANDS = (notes_group, bookmarks_group, tag_command, untag_command, versions_command)
"""What ``tui.cli`` adds to the ``margin`` group."""
