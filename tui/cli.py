"""The ``margin`` command. Only ``margin`` alone and ``margin demo`` import Textual."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from store.library import Library, LibraryError

from .cli_base import CommandError, json_text, open_path, safe
from .paths import demo_db, resolve_db

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    """``--db PATH`` on a command; falls back to the group's ``--db`` and ``MARGIN_DB``."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Library file (default: $MARGIN_DB or the per-user data folder).",
    )(command)


def json_option(command: F) -> F:
    """``--json`` on a command."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(command)


def open_library(db_path: str | None, create: bool = False) -> Library:
    """Open the library the options name, or exit with a one-line error.

    Only ``create=True`` (import) may make a new library; other commands on a missing path
    say so and create nothing.
    """
    context = click.get_current_context()
    chosen = db_path or (context.obj or {}).get("db")
    path = resolve_db(chosen)
    try:
        library = open_path(path, create=create, read_only=_read_only(context))
    except CommandError as error:
        raise click.ClickException(str(error)) from None
    if library.backup_path:
        click.echo(f"Upgraded the library; a backup is at {library.backup_path}", err=True)
    context.call_on_close(library.close)
    return library


READ_ONLY_COMMANDS = frozenset(
    {
        ("list",),
        ("show",),
        ("search",),
        ("jump",),
        ("export",),
        ("stats",),
        ("versions",),
        ("notes", "list"),
        ("notes", "export"),
        ("bookmarks", "list"),
        ("feeds", "list"),
        ("feeds", "export"),
    }
)
"""Commands that only read the library: they never create, migrate or change it."""


def _read_only(context: click.Context) -> bool:
    names = []
    while context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    return tuple(reversed(names)) in READ_ONLY_COMMANDS


def emit_json(data: object) -> None:
    """Print data as JSON (UTF-8, readable)."""
    click.echo(json_text(data))


def article_or_exit(library: Library, article_id: int):  # noqa: ANN201 - Article
    """The article, or exit 1 with a message naming the id."""
    article = library.get(article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id} (see: margin list)")
    return article


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Library file (default: $MARGIN_DB or the per-user data folder).",
)
@click.version_option(package_name="margin")
@click.pass_context
def cli(context: click.Context, db_path: str | None) -> None:
    """Margin: read, search and annotate your articles in the terminal.

    With no command, opens the reader on your library.
    """
    context.ensure_object(dict)
    context.obj["db"] = db_path
    if context.invoked_subcommand is None:
        run_reader(resolve_db(db_path))


def run_reader(path: Path, compare: tuple[int, int | None, int | None] | None = None) -> None:
    """Open the TUI on a library file (on the comparison ``(left, right, version)``, if given)."""
    from .app import run

    run(str(path), compare)


# -- import ------------------------------------------------------------------------------
@cli.command("import")
@click.argument("paths", nargs=-1)
@click.option(
    "--from-file",
    type=click.File("r", encoding="utf-8"),
    help="Also import the paths or URLs listed in this file, one per line.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=None,
    help="Parsing processes (0: parse in this one).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write one JSON line per item (source, outcome, article_id, reason) to this file.",
)
@db_option
@json_option
def import_command(
    paths: tuple[str, ...],
    from_file: Any,
    workers: int | None,
    report_path: str | None,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Import files, folders (recursively) and URLs.

    Reads page dumps, Markdown, plain text and HTML pages. Failures are listed one
    per line; everything else is still imported. Exits 1 if anything failed.
    """
    from importers import import_paths

    items = list(paths)
    if from_file is not None:
        items += [line.strip() for line in from_file if line.strip() and not line.startswith("#")]
    if not items:
        raise click.UsageError("give at least one file, folder or URL to import")
    library = open_library(db_path, create=True)
    show_bar = sys.stderr.isatty() and not as_json
    with click.progressbar(
        length=1, label="Importing", file=sys.stderr if show_bar else _Null()
    ) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.length = total
            bar.update(1)

        report = import_paths(library, items, progress=progress, workers=workers)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            for item in report.items():
                out.write(json_text(item, indent=None) + "\n")
    if as_json:
        emit_json(report.to_dict())
    else:
        for name, reason in report.failed:
            click.echo(f"{safe(name)}: {safe(reason)}", err=True)
        for name, reason in report.warnings:
            click.echo(f"{safe(name)}: warning: {safe(reason)}", err=True)
        click.echo(report.summary())
    if report.failed:
        sys.exit(1)


class _Null:
    """A file that swallows output (progress bar when not on a terminal)."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


# -- list / show -------------------------------------------------------------------------
@cli.command("list")
@click.option("--kind", type=click.Choice(["article", "excerpt"]), help="Only this kind.")
@click.option("--source", help="Only this source (site).")
@click.option("--section", help="Only this section.")
@click.option("--tag", help="Only articles with this tag.")
@click.option("--unread", is_flag=True, help="Only articles not read to the end.")
@click.option("--archived", is_flag=True, help="Only the archived articles (hidden otherwise).")
@click.option(
    "--sort",
    type=click.Choice(["date", "title", "source", "read", "imported"]),
    default="date",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(0), default=0, help="At most this many (0: all).")
@db_option
@json_option
def list_command(
    kind: str | None,
    source: str | None,
    section: str | None,
    tag: str | None,
    unread: bool,
    archived: bool,
    sort: Any,
    limit: int,
    db_path: str | None,
    as_json: bool,
) -> None:
    """List every entry, excerpts included, each with its kind (archived ones: --archived)."""
    library = open_library(db_path)
    filters = {
        "kind": kind,
        "source": source,
        "section": section,
        "tag": tag,
        "unread": unread,
        "archived": archived,
    }
    total = library.count(**filters)
    rows = library.summaries(offset=0, limit=limit or max(total, 1), sort=sort, **filters)
    if as_json:
        emit_json([row.to_dict() for row in rows])
        return
    for row in rows:
        where = " / ".join(safe(part) for part in (row.source, row.section) if part)
        date = (row.published or "")[:10]
        click.echo(
            f"{row.id:>6}  {row.kind:<7}  {date:<10}  {safe(row.title)}"
            + (f"  ({where})" if where else "")
        )
    if not rows and archived:
        click.echo("No archived articles.", err=True)
    elif not rows:
        click.echo("The library is empty. Import something: margin import PATH", err=True)


@cli.command("show")
@click.argument("article_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="markdown",
    show_default=True,
)
@db_option
@json_option
def show_command(article_id: int, fmt: str, db_path: str | None, as_json: bool) -> None:
    """Print one article: its Markdown, its plain text, or all its fields as JSON."""
    article = article_or_exit(open_library(db_path), article_id)
    if fmt == "json" or as_json:
        emit_json(article.to_dict())
    elif fmt == "text":
        click.echo(safe(article.body_text))
    else:
        click.echo(safe(markdown_document(article)))


def markdown_document(article: Any) -> str:
    """An article as a Markdown file with YAML front matter."""
    import yaml

    meta = {
        key: value
        for key, value in {
            "title": article.title,
            "author": article.author,
            "source": article.source,
            "section": article.section,
            "date": article.published,
            "url": article.url,
            "language": article.language,
            "description": article.description,
            "kind": article.kind,
            "tags": article.tags or None,
        }.items()
        if value
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n\n{article.body_markdown.strip()}\n"


# -- search --------------------------------------------------------------------------------
@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--exact", is_flag=True, help="Search the words as typed (no typo correction).")
@db_option
@json_option
def search_command(
    query: tuple[str, ...], limit: int, exact: bool, db_path: str | None, as_json: bool
) -> None:
    """Search the library; hits are ranked, title matches first.

    The query language: words (all must match), "exact phrases", OR, -word or
    NOT word, prefix*, title: author: source: section: tag:, kind:excerpt,
    after:2021-01-01 before:2021-12-31, is:bookmarked is:unread has:notes,
    ~part (substring). Misspelt words are corrected unless --exact.
    """
    from .search_cli import search_output

    search_output(
        open_library(db_path),
        " ".join(query),
        limit=limit,
        exact=exact,
        as_json=as_json,
        out=click.echo,
        err=lambda text: click.echo(text, err=True),
        bold=(lambda text: click.style(text, bold=True)) if sys.stdout.isatty() else None,
    )


# -- export ---------------------------------------------------------------------------------
@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "markdown"]), default="jsonl", show_default=True
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write into (default: JSON Lines to standard output).",
)
@click.option("--kind", type=click.Choice(["article", "excerpt"]), help="Only this kind.")
@db_option
def export_command(fmt: str, out: str | None, kind: str | None, db_path: str | None) -> None:
    """Export every article as JSON Lines or as Markdown files with front matter."""
    from store.webannotation import HASH_SOURCE

    library = open_library(db_path)
    if fmt == "markdown" and out is None:
        raise click.UsageError("--format markdown writes one file per article: give --out DIR")
    folder = Path(out) if out else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    count = 0
    if fmt == "jsonl":
        stream = (folder / "articles.jsonl").open("w", encoding="utf-8") if folder else None
        # Each line carries its notes and bookmarks (W3C Web Annotations), so
        # ``margin import articles.jsonl`` brings everything back.
        notes: dict[str, list[dict[str, Any]]] = {}
        for annotation in library.export_annotations():
            notes.setdefault(str(annotation["target"]["source"]), []).append(annotation)
        try:
            for article in library.iter_articles(kind):
                key = article.url or f"{HASH_SOURCE}{article.content_hash}"
                data = {**article.to_dict(), "annotations": notes.get(key, [])}
                line = json_text(data, indent=None)
                if stream:
                    stream.write(line + "\n")
                else:
                    click.echo(line)
                count += 1
        finally:
            if stream:
                stream.close()
    else:
        assert folder is not None
        for article in library.iter_articles(kind):
            name = f"{article.id:06d}-{slug(article.title)}.md"
            (folder / name).write_text(markdown_document(article), encoding="utf-8")
            count += 1
    if folder:
        click.echo(f"Exported {count} articles to {folder}", err=True)


def slug(title: str, length: int = 60) -> str:
    """A file-name-safe short form of a title."""
    words = re.findall(r"\w+", title.lower())
    return "-".join(words)[:length].strip("-") or "article"


# -- stats / doctor ----------------------------------------------------------------------------
@cli.command("stats")
@db_option
@json_option
def stats_command(db_path: str | None, as_json: bool) -> None:
    """Counts and sizes of the library."""
    stats = open_library(db_path).stats()
    if as_json:
        emit_json(stats)
        return
    megabytes = stats["database_bytes"] / 1_048_576
    click.echo(f"Library    {stats['path']}")
    click.echo(f"Articles   {stats['articles']:,} (+ {stats['excerpts']:,} excerpts)")
    click.echo(f"Sources    {stats['sources']:,}")
    click.echo(f"Words      {stats['words']:,}")
    click.echo(
        f"Notes      {stats['notes']:,}   Bookmarks {stats['bookmarks']:,}   Tags {stats['tags']:,}"
    )
    click.echo(f"Size       {megabytes:.1f} MB")


def check_config_file() -> tuple[str, list[str]]:
    """The config file's path and what is wrong in it (themes and binding ids included)."""
    from textual.theme import BUILTIN_THEMES

    from .config import config_path, load_config
    from .config_check import config_problems, known_binding_ids

    config = load_config()
    problems = [*config.problems, *config_problems(config, BUILTIN_THEMES, known_binding_ids())]
    return str(config_path()), problems


@cli.command("doctor")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Recreate missing triggers and indexes and rebuild the full-text indexes first.",
)
@click.option("--config", "config_only", is_flag=True, help="Check the config file instead.")
@db_option
@json_option
def doctor_command(rebuild: bool, config_only: bool, db_path: str | None, as_json: bool) -> None:
    """Check the database and its full-text index; exit 1 on problems."""
    if config_only:
        path, problems = check_config_file()
        if as_json:
            emit_json({"ok": not problems, "config": path, "problems": problems})
        else:
            for problem in problems:
                click.echo(f"{safe(path)}: {safe(problem)}", err=True)
            click.echo("Config is fine." if not problems else f"{len(problems)} problems found.")
        sys.exit(1 if problems else 0)
    library = open_library(db_path)
    problems = library.check(rebuild=rebuild)
    notes = library.annotation_health()
    if as_json:
        emit_json({"ok": not problems, "rebuilt": rebuild, "problems": problems, "notes": notes})
    else:
        for problem in problems:
            click.echo(problem, err=True)
        if rebuild:
            click.echo("Rebuilt the full-text indexes.")
        if notes["orphaned"]:
            click.echo(
                f"{notes['orphaned']} notes lost their passage (kept; see: margin notes list "
                "--orphaned)."
            )
        if notes["detached"]:
            click.echo(f"{notes['detached']} notes belong to deleted articles (kept, exportable).")
        click.echo("No problems found." if not problems else f"{len(problems)} problems found.")
    if problems:
        sys.exit(1)


@cli.command("upgrade")
@db_option
@json_option
def upgrade_command(db_path: str | None, as_json: bool) -> None:
    """Bring a library written by an older Margin up to date, after a backup."""
    library = open_library(db_path)
    if as_json:
        emit_json({"schema_version": library.version, "backup": library.backup_path})
    elif library.backup_path is None:
        click.echo(f"The library is up to date (schema {library.version}).")
    else:
        click.echo(f"Upgraded to schema {library.version}.")


# -- delete / reextract ---------------------------------------------------------------------------
@cli.command("delete")
@click.argument("article_id", type=int)
@click.option(
    "--keep-notes", is_flag=True, help="Delete even if it has notes; they are kept, detached."
)
@db_option
def delete_command(article_id: int, keep_notes: bool, db_path: str | None) -> None:
    """Delete an article. Refuses when it has notes or bookmarks, unless --keep-notes."""
    from store.library import AnnotationsExist

    library = open_library(db_path)
    article = article_or_exit(library, article_id)
    try:
        library.delete(article_id, keep_annotations=keep_notes)
    except AnnotationsExist as error:
        raise click.ClickException(f"{error} (add --keep-notes)") from None
    click.echo(f"Deleted {article_id}: {safe(article.title)}")


@cli.command("reextract")
@click.argument("article_ids", type=int, nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every article whose original page is stored.")
@db_option
@json_option
def reextract_command(
    article_ids: tuple[int, ...], every: bool, db_path: str | None, as_json: bool
) -> None:
    """Extract articles again from their stored original pages, without the network."""
    from importers.errors import ImportFailure
    from importers.reextract import reextract

    library = open_library(db_path)
    ids = library.ids_with_originals() if every else list(article_ids)
    if not ids:
        raise click.UsageError("give article ids or --all")
    results, failed = [], []
    for article_id in ids:
        stored = library.original(article_id)
        if stored is None:
            failed.append((article_id, "no stored original page (imported from a file?)"))
            continue
        article = library.get(article_id)
        try:
            draft = reextract(stored[0], article.url if article else None)
            results.append(library.replace(article_id, draft))
        except ImportFailure as error:
            failed.append((article_id, str(error)))
    if as_json:
        emit_json(
            {
                "reextracted": [{"id": r.id, "outcome": r.outcome} for r in results],
                "failed": [{"id": i, "reason": reason} for i, reason in failed],
            }
        )
    else:
        for article_id, reason in failed:
            click.echo(f"{article_id}: {safe(reason)}", err=True)
        changed = sum(r.outcome == "updated" for r in results)
        click.echo(f"{len(results)} re-extracted, {changed} changed, {len(failed)} failed")
    if failed:
        sys.exit(1)


# -- demo ----------------------------------------------------------------------------------------
@cli.command("demo")
@click.option("--no-open", is_flag=True, help="Build the demo library but do not open it.")
@db_option
def demo_command(no_open: bool, db_path: str | None) -> None:
    """Open the reader on a small demo library (a guide to Margin itself)."""
    from importers import import_paths

    # The demo has its own library; only an explicit --db points it elsewhere.
    chosen = db_path or (click.get_current_context().obj or {}).get("db")
    path = Path(chosen).expanduser() if chosen else demo_db()
    folder = Path(__file__).parent / "demo"
    with Library(path) as library:
        report = import_paths(library, [folder], workers=1)
    if report.failed:
        for name, reason in report.failed:
            click.echo(f"{name}: {reason}", err=True)
    if no_open:
        click.echo(f"Demo library ready at {path}: {report.summary()}")
        return
    run_reader(path)


# -- jump ----------------------------------------------------------------------------------------
@cli.command("jump")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@db_option
@json_option
def jump_command(text: tuple[str, ...], limit: int, db_path: str | None, as_json: bool) -> None:
    """Find articles by title, source, section, #tag or note text, fuzzily (the quick jump)."""
    library = open_library(db_path)
    matches = library.jump(" ".join(text), limit)
    if as_json:
        # One vocabulary across commands: the article is ``id``, as in list/search/show.
        emit_json([{"id": m.item.article_id, **_without_article_id(m.to_dict())} for m in matches])
        return
    if not matches:
        click.echo("No matches.", err=True)
        return
    for match in matches:
        line = safe(match.item.text)
        if sys.stdout.isatty():
            marked = set(match.positions)
            line = "".join(
                click.style(safe(char), bold=True) if n in marked else safe(char)
                for n, char in enumerate(match.item.text)
            )
        kind = "note " if match.item.kind == "note" else ""
        click.echo(f"{match.item.article_id:>6}  {kind}{line}")


def _without_article_id(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if key != "article_id"}


# -- read / unread / archive / unarchive -------------------------------------------------------
def _change_each(
    article_ids: tuple[int, ...],
    change: Callable[[Library, int], None],
    verb: str,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Apply ``change`` to each article; unknown ids are one line each, the rest go on."""
    library = open_library(db_path)
    changed: list[dict[str, object]] = []
    failed: list[dict[str, object]] = []
    for article_id in article_ids:
        try:
            change(library, article_id)
        except LibraryError as error:
            failed.append({"id": article_id, "reason": str(error)})
            continue
        article = library.get(article_id)
        position = library.position(article_id)
        changed.append(
            {
                "id": article_id,
                "title": article.title if article else "",
                "read": bool(position and position.finished),
                "archived": library.is_archived(article_id),
            }
        )
    if as_json:
        emit_json({"changed": changed, "failed": failed})
    else:
        for item in failed:
            click.echo(f"{item['id']}: {safe(item['reason'])} (see: margin list)", err=True)
        for item in changed:
            click.echo(f"{item['id']:>6}  {verb}  {safe(item['title'])}")
    if failed:
        sys.exit(1)


def _flag_command(name: str, verb: str, help_text: str, change: Callable[[Library, int], None]):  # noqa: ANN202
    @cli.command(name, help=help_text)
    @click.argument("article_ids", type=int, nargs=-1, required=True)
    @db_option
    @json_option
    def command(article_ids: tuple[int, ...], db_path: str | None, as_json: bool) -> None:
        _change_each(article_ids, change, verb, db_path, as_json)

    return command


read_command = _flag_command(
    "read",
    "read",
    "Mark articles read (finished), as reading to the end does.",
    lambda library, article_id: library.mark_read(article_id, True),
)
unread_command = _flag_command(
    "unread",
    "unread",
    "Mark articles unread again (one read to the end starts again from the top).",
    lambda library, article_id: library.mark_read(article_id, False),
)
archive_command = _flag_command(
    "archive",
    "archived",
    "Archive articles: they leave margin list and the reader's list; search still finds "
    "them (is:archived), margin list --archived lists them.",
    lambda library, article_id: library.archive(article_id, True),
)
unarchive_command = _flag_command(
    "unarchive",
    "unarchived",
    "Bring archived articles back into the library's list.",
    lambda library, article_id: library.archive(article_id, False),
)


def _register_note_commands() -> None:
    # notes_cli imports helpers from this module, so it is loaded after they exist.
    from .notes_cli import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_note_commands()


def _register_compare_commands() -> None:
    from .compare_cli import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_compare_commands()


def _register_feed_commands() -> None:
    from .feeds_cli import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_feed_commands()


def main() -> None:
    """Entry point of the ``margin`` console script."""
    cli(prog_name="margin")
