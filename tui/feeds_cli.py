"""``margin feeds``: subscribe to feeds, refresh them, and move subscriptions in and out as OPML.

Registered on the ``margin`` group by ``tui.cli``; never imports Textual.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from store.library import Library, LibraryError
from store.models import PendingLink, Subscription

from .cli import db_option, emit_json, json_option, open_library, safe

if TYPE_CHECKING:
    from importers.pending import FetchOutcome
    from importers.subscriptions import RefreshResult


def _folder(text: str | None) -> str | None:
    """A folder path as typed, tidied: ``News / Science/`` is ``News/Science``."""
    parts = [" ".join(part.split()) for part in (text or "").split("/")]
    return "/".join(part for part in parts if part) or None


def _line(sub: Subscription) -> str:
    name = safe(sub.title or "(untitled)")
    if sub.folder:
        name = f"{safe(sub.folder)}/ {name}"
    state = sub.status or "new"
    if sub.status == "error" and sub.error:
        state = f"error: {safe(sub.error)}"
    checked = (sub.checked_at or "never")[:16].replace("T", " ")
    return (
        f"{sub.id:>4}  {name}  <{safe(sub.url)}>  "
        f"{sub.articles} articles, {sub.unread} unread; checked {checked}; {state}"
    )


@click.group("feeds")
def feeds_group() -> None:
    """Feed subscriptions: add, list, remove, refresh; OPML import and export."""


@feeds_group.command("add")
@click.argument("url")
@click.option("--no-refresh", is_flag=True, help="Subscribe only; fetch the entries later.")
@click.option("--full", is_flag=True, help="Also fetch the page of each summary-only entry.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--folder", help="File it under this folder (News/Science), as OPML does.")
@db_option
@json_option
def feeds_add(
    url: str,
    no_refresh: bool,
    full: bool,
    timeout: float,
    folder: str | None,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Subscribe to a feed (or to the feed a web page announces) and fetch its entries."""
    from importers.errors import ImportFailure
    from importers.subscriptions import refresh_subscriptions, subscribe

    library = open_library(db_path, create=True)
    try:
        sub, feed_url = subscribe(library, url, timeout=timeout, folder=_folder(folder))
    except (ImportFailure, LibraryError) as error:
        raise click.ClickException(f"{url}: {error}") from None
    if feed_url != url.strip() and not as_json:
        click.echo(f"Found the feed {safe(feed_url)}", err=True)
    results = [] if no_refresh else refresh_subscriptions(library, [sub], timeout=timeout)
    pages = _full_pages(library, results, quiet=as_json) if full else []
    sub = library.subscription(sub.id) or sub
    if as_json:
        data = {**sub.to_dict(), "refresh": [r.to_dict() for r in results]}
        if full:
            data["pages"] = [p.to_dict() for p in pages]
        emit_json(data)
        return
    click.echo(f"Subscribed: {_line(sub)}")
    for result in results:
        click.echo(safe(result.summary()))
    if full:
        click.echo(_pages_line(pages))


@feeds_group.command("list")
@db_option
@json_option
def feeds_list(db_path: str | None, as_json: bool) -> None:
    """List subscriptions with their article and unread counts and last refresh."""
    library = open_library(db_path)
    subs = library.subscriptions()
    if as_json:
        emit_json([sub.to_dict() for sub in subs])
        return
    if not subs:
        click.echo("No subscriptions (add one: margin feeds add URL).", err=True)
    for sub in subs:
        click.echo(_line(sub))


@feeds_group.command("remove")
@click.argument("feed")
@db_option
@json_option
def feeds_remove(feed: str, db_path: str | None, as_json: bool) -> None:
    """Unsubscribe from FEED (an id or URL); its articles stay in the library."""
    library = open_library(db_path)
    try:
        sub = library.remove_subscription(feed)
    except LibraryError as error:
        raise click.ClickException(f"{error} (see: margin feeds list)") from None
    if as_json:
        emit_json(sub.to_dict())
    else:
        click.echo(f"Unsubscribed from {safe(sub.title or sub.url)}; its articles stay.")


@feeds_group.command("refresh")
@click.argument("feeds", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Refresh every subscription.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--full", is_flag=True, help="Also fetch the page of each new summary-only entry.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@db_option
@json_option
def feeds_refresh(
    feeds: tuple[str, ...],
    everything: bool,
    timeout: float,
    full: bool,
    quiet: bool,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Fetch new and changed entries of FEEDS (ids or URLs), or of every feed with --all.

    Conditional requests: a feed that has not changed transfers nothing. A feed
    that fails is reported and the others go on; exits 1 if any failed.
    """
    from importers.subscriptions import refresh_subscriptions

    if not feeds and not everything:
        raise click.UsageError("name the feeds to refresh (id or URL), or give --all")
    library = open_library(db_path)
    if everything:
        subs = library.subscriptions()
    else:
        subs = []
        for key in feeds:
            found = library.subscription(key)
            if found is None:
                raise click.ClickException(f"no subscription {key} (see: margin feeds list)")
            subs.append(found)

    def progress(done: int, total: int, result: RefreshResult) -> None:
        if not quiet:
            click.echo(f"[{done}/{total}] {safe(result.summary())}", err=True)

    results = refresh_subscriptions(library, subs, progress=progress, timeout=timeout)
    failed = [r for r in results if r.status == "error"]
    pages = _full_pages(library, results, quiet) if full else []
    if as_json:
        data = [r.to_dict() for r in results]
        if full:
            emit_json({"feeds": data, "pages": [p.to_dict() for p in pages]})
        else:
            emit_json(data)
    else:
        added = sum(r.added for r in results)
        updated = sum(r.updated for r in results)
        unchanged = sum(r.status == "unchanged" for r in results)
        click.echo(
            f"{len(results)} feeds: {added} new entries, {updated} changed, "
            f"{unchanged} feeds not modified, {len(failed)} failed"
        )
        if full:
            click.echo(_pages_line(pages))
    if failed:
        sys.exit(1)


def _full_pages(library: Library, results: list[RefreshResult], quiet: bool) -> list[FetchOutcome]:
    """Fetch the pages of the summary-only entries a refresh stored (``--full``)."""
    excerpts = [s.id for r in results for s in r.results if s.kind == "excerpt"]
    library.add_pending_articles(excerpts)
    return _fetch_links(library, library.pending_links(ids=excerpts), quiet)


def _fetch_links(library: Library, links: list[PendingLink], quiet: bool) -> list[FetchOutcome]:
    from importers.pending import fetch_pending

    def progress(done: int, total: int, outcome: FetchOutcome) -> None:
        if quiet:
            return
        what = outcome.title or outcome.link.url
        if outcome.status == "failed":
            what = f"{outcome.link.url}: failed: {outcome.error}"
        click.echo(f"[{done}/{total}] {safe(what)}", err=True)

    return fetch_pending(library, links, progress=progress)


def _pages_line(pages: list[FetchOutcome]) -> str:
    fetched = sum(p.status == "fetched" for p in pages)
    line = f"{fetched} pages fetched, {len(pages) - fetched} failed"
    if len(pages) - fetched:
        line += " (kept to retry: margin fetch-pending)"
    return line


@click.command("fetch-pending")
@click.option("--list", "only_list", is_flag=True, help="List the queue; fetch nothing.")
@click.option("--new-only", is_flag=True, help="Skip links that failed before.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@db_option
@json_option
def fetch_pending_command(
    only_list: bool, new_only: bool, quiet: bool, db_path: str | None, as_json: bool
) -> None:
    """Fetch the pages of saved links (read-later imports, summary-only feeds) into their entries.

    Each page is extracted by the web importer and fills its entry in place (same
    id). Links that fail stay queued with their reason; exits 1 if any failed.
    """
    library = open_library(db_path)
    links = library.pending_links(failed=not new_only)
    if only_list:
        if as_json:
            emit_json([link.to_dict() for link in links])
            return
        for link in links:
            tried = f"; {link.attempts} failed: {safe(link.error)}" if link.attempts else ""
            click.echo(f"{link.article_id:>6}  {safe(link.url)}{tried}")
        if not links:
            click.echo("No links waiting.", err=True)
        return
    pages = _fetch_links(library, links, quiet or as_json)
    if as_json:
        emit_json([p.to_dict() for p in pages])
    else:
        click.echo(_pages_line(pages))
    if any(p.status == "failed" for p in pages):
        sys.exit(1)


@feeds_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@db_option
@json_option
def feeds_import(file: str, db_path: str | None, as_json: bool) -> None:
    """Subscribe to every feed an OPML FILE lists (refresh them afterwards)."""
    from importers.errors import ImportFailure
    from importers.opml import read_opml

    try:
        found, skipped = read_opml(Path(file).read_bytes())
    except ImportFailure as error:
        raise click.ClickException(f"{file}: {error}") from None
    library = open_library(db_path, create=True)
    added, existing = [], []
    for feed in found:
        try:
            sub = library.add_subscription(feed.url, title=feed.title, folder=feed.folder)
            if feed.site_url:
                library.update_subscription(sub.id, site_url=feed.site_url)
            added.append(sub)
        except LibraryError:
            existing.append(feed.url)
    if as_json:
        emit_json(
            {
                "added": [sub.to_dict() for sub in added],
                "existing": existing,
                "skipped": skipped,
            }
        )
        return
    for reason in skipped:
        click.echo(f"{safe(file)}: {safe(reason)}", err=True)
    click.echo(
        f"{len(added)} subscribed, {len(existing)} already subscribed, {len(skipped)} skipped"
        + ("; fetch them with: margin feeds refresh --all" if added else "")
    )


@feeds_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True), required=False)
@db_option
def feeds_export(file: str | None, db_path: str | None) -> None:
    """Write the subscriptions as OPML to FILE (default: standard output)."""
    from importers.opml import write_opml

    library = open_library(db_path)
    text = write_opml(library.subscriptions())
    if file is None:
        click.echo(text, nl=False)
        return
    Path(file).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {len(library.subscriptions())} subscriptions to {file}", err=True)


COMMANDS = (feeds_group, fetch_pending_command)
"""What ``tui.cli`` adds to the ``margin`` group."""
