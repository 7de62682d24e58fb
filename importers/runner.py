"""Import files, folders and URLs into a library, reporting as it goes."""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.library import Library, StorageFull
from store.models import StoreResult
from store.prepare import PreparedArticle, prepare

from .base import GZIP_INNER_SUFFIXES, Source, is_url
from .errors import ImportFailure
from .registry import parse_source

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, name)`` after each source."""

MAX_FILE_BYTES = 50_000_000
MAX_GUNZIP_BYTES = 50_000_000
"""Uncompressed size cap for ``.html.gz``/``.txt.gz``/``.md.gz``: a gzip bomb stops here."""
_GZIP_NAMES = tuple(suffix + ".gz" for suffix in GZIP_INNER_SUFFIXES)
BATCH = 400
"""Drafts stored per transaction: large enough to be fast, small enough to show progress."""
POOL_THRESHOLD = 64
"""Below this many files, parsing in this process beats starting worker processes."""
BULK_THRESHOLD = 1000
"""From this many sources on, index merges wait until the end of the import."""


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    updated: int = 0
    duplicates: int = 0
    excerpts: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(source, reason) for sources imported with something left out."""
    results: list[StoreResult] = field(default_factory=list)
    notes: int = 0
    """Highlights and notes an export carried, anchored on their articles."""
    pending: int = 0
    """Saved links queued for ``margin fetch-pending``."""
    notes_skipped: list[tuple[str, str]] = field(default_factory=list)
    """(annotation id, reason) for annotations of an export that were not taken."""
    reanchored: int = 0
    """Notes and bookmarks moved to their passage in a changed article."""
    orphaned: int = 0
    """Notes and bookmarks whose passage is gone (kept, marked orphaned)."""

    sources: list[str | None] = field(default_factory=list)
    """The source (file or URL) each of ``results`` came from, in the same order."""

    def count(self, result: StoreResult, source: str | None = None) -> None:
        """Tally one stored draft (from ``source``)."""
        self.results.append(result)
        self.sources.append(source)
        self.reanchored += result.reanchored
        self.orphaned += result.orphaned
        if result.outcome == "duplicate":
            self.duplicates += 1
        elif result.kind == "excerpt":
            self.excerpts += 1
        elif result.outcome == "added":
            self.added += 1
        else:
            self.updated += 1

    def summary(self) -> str:
        """One line for the user (note counts only when an update moved notes)."""
        line = (
            f"{self.added} added, {self.updated} updated, {self.duplicates} duplicates, "
            f"{self.excerpts} excerpts, {len(self.failed)} failed"
        )
        if self.reanchored or self.orphaned:
            line += f"; notes: {self.reanchored} re-anchored, {self.orphaned} orphaned"
        if self.notes or self.notes_skipped:
            line += f"; {self.notes} notes imported, {len(self.notes_skipped)} not placed"
        if self.pending:
            line += f"; {self.pending} links to fetch (margin fetch-pending)"
        if self.warnings:
            line += f"; {len(self.warnings)} warnings"
        return line

    def items(self) -> Iterator[dict[str, object]]:
        """One record per item of every source: what became of it, and why.

        Stored drafts give ``added``/``updated``/``duplicate`` with the article id;
        sources that failed give ``failed``; items an importer left out (and other
        warnings) ``warning``; annotations that found no article ``note-not-placed``.
        """
        for result, source in zip(self.results, self.sources, strict=True):
            yield {
                "source": source,
                "outcome": result.outcome,
                "kind": result.kind,
                "article_id": result.id,
                "title": result.title,
            }
        for name, reason in self.failed:
            yield {"source": name, "outcome": "failed", "reason": reason}
        for name, reason in self.warnings:
            yield {"source": name, "outcome": "warning", "reason": reason}
        for ident, reason in self.notes_skipped:
            yield {"source": ident, "outcome": "note-not-placed", "reason": reason}

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "excerpts": self.excerpts,
            "reanchored": self.reanchored,
            "orphaned": self.orphaned,
            "notes": self.notes,
            "pending": self.pending,
            "notes_skipped": [{"id": i, "reason": r} for i, r in self.notes_skipped],
            "failed": [{"source": name, "reason": reason} for name, reason in self.failed],
            "warnings": [{"source": name, "reason": reason} for name, reason in self.warnings],
            "articles": [
                {"id": r.id, "outcome": r.outcome, "kind": r.kind, "title": r.title}
                for r in self.results
            ],
        }


def expand(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files under each path (folders walked recursively, hidden entries skipped) and URLs."""
    for item in paths:
        name = str(item)
        if is_url(name):
            yield name
            continue
        path = Path(name).expanduser()
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    if not file.startswith("."):
                        yield str(Path(root) / file)
        else:
            yield str(path)


def read_source(name: str) -> Source:
    """Load a file or fetch a URL as a Source.

    :raises ImportFailure: with a one-line reason.
    """
    if is_url(name):
        from .fetch import fetch

        return fetch(name)
    try:
        data = _read_regular_file(name, MAX_FILE_BYTES)
        if name.lower().endswith(_GZIP_NAMES):
            data = gunzip(data, MAX_GUNZIP_BYTES)
        return Source(name=name, data=data)
    except FileNotFoundError:
        raise ImportFailure("no such file") from None
    except IsADirectoryError:
        raise ImportFailure("is a folder") from None
    except PermissionError:
        raise ImportFailure("permission denied") from None
    except OSError as error:
        raise ImportFailure(error.strerror or str(error)) from None


def _read_regular_file(name: str, limit: int) -> bytes:
    """The bytes of the regular file ``name``, refusing more than ``limit`` of them.

    Opened without blocking and checked on the open descriptor: a pipe would wait
    for a writer forever and a device (``/dev/zero``) never ends, whatever a
    symlink named ``.md`` claims; a file that grows after the check stops at the cap.
    """
    descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(name)
        if not stat.S_ISREG(status.st_mode):
            raise ImportFailure("not a regular file (a pipe, socket or device)")
        if status.st_size > limit:
            raise ImportFailure(f"file is larger than {limit // 1_000_000} MB")
        file = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ImportFailure(f"file is larger than {limit // 1_000_000} MB")
    return data


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip ``data``, refusing more than ``limit`` bytes of output.

    :raises ImportFailure: for data that is not gzip, is truncated, or is too large.
    """
    if not data.startswith(b"\x1f\x8b"):
        raise ImportFailure("named .gz but not gzip data")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as file:
            out = file.read(limit + 1)
    except (EOFError, OSError, zlib.error):
        raise ImportFailure("damaged gzip data") from None
    if len(out) > limit:
        raise ImportFailure(f"larger than {limit // 1_000_000} MB uncompressed")
    return out


@dataclass
class Parsed:
    """One source read, parsed and prepared (in a worker process): data, never exceptions."""

    name: str
    prepared: list[PreparedArticle] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def parse_one(name: str) -> Parsed:
    """Read, parse and prepare one source.

    Runs in worker processes, so it returns data instead of raising.
    """
    try:
        source = read_source(name)
        prepared = [prepare(draft) for draft in parse_source(source)]
        return Parsed(name, prepared, None, source.warnings, source.annotations, source.links)
    except ImportFailure as error:
        return Parsed(name, error=str(error) or "could not be imported")
    except Exception as error:  # a bug in one importer must not stop the batch
        return Parsed(name, error=f"unexpected error: {type(error).__name__}: {error}")


_HEAVY_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht", ".html.gz")


def _default_workers(names: list[str]) -> int:
    """How many parsing processes suit these sources.

    Every core for web pages, where extraction dominates; one core fewer for text
    and Markdown, where the writer (full-text indexing) is the slower side and
    needs a core of its own (20k Markdown articles: 20.8 s instead of 23.5 s).
    """
    cores = os.cpu_count() or 1
    heavy = sum(1 for n in names if is_url(n) or n.lower().endswith(_HEAVY_SUFFIXES))
    return cores if heavy * 4 >= len(names) else max(1, cores - 1)


def _parse_chunk(names: list[str]) -> list[Parsed]:
    return [parse_one(name) for name in names]


WORKER_NICE = 10
"""Niceness added to the parsing processes of a large import (``BULK_THRESHOLD`` sources
on): on a machine with few cores they would otherwise take the CPU from a reader open
beside them (tests/bench/concurrency.py). Only the worker processes: the importing
process may be the reader itself (the import dialog)."""


def _lower_priority(nice: int) -> None:
    """Pool initializer: run this worker process at a lower priority."""
    if nice > 0 and hasattr(os, "nice"):
        with suppress(OSError):  # not allowed here: parse at the normal priority
            os.nice(nice)


def _parallel(names: list[str], workers: int, chunk: int = 32, nice: int = 0) -> Iterator[Parsed]:
    """``parse_one`` over worker processes, in order, with bounded work in flight.

    ``Executor.map`` would queue every source at once and hold every parsed article
    in memory while the library (the slower side) catches up: hundreds of MB on a
    large import. Here about two store batches are parsed ahead: enough that the
    workers keep going while the library writes a batch, and a few MB at most.
    """
    depth = max(2 * workers, 2 * BATCH // chunk)
    chunks = [names[i : i + chunk] for i in range(0, len(names), chunk)]
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_lower_priority, initargs=(nice,)
    ) as pool:
        ahead: deque[Future[list[Parsed]]] = deque()
        for part in chunks:
            ahead.append(pool.submit(_parse_chunk, part))
            if len(ahead) >= depth:
                yield from ahead.popleft().result()
        while ahead:
            yield from ahead.popleft().result()


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import files, folders and URLs; failures are reported and the rest goes on.

    Sources are parsed in worker processes (extraction is CPU-bound) and stored in
    batches, each batch one transaction: a crash loses at most the batch in flight,
    never half an article.
    """
    names = list(expand(paths))
    report = ImportReport()
    total = len(names)
    workers = _default_workers(names) if workers is None else workers
    pending: list[PreparedArticle] = []
    pending_names: list[str] = []
    full: list[str] = []
    """Why the import stopped early (the disk is full), once it has."""
    annotations: list[dict[str, Any]] = []
    links: list[str] = []

    def flush() -> None:
        if pending and not full:
            try:
                for item, result in zip(pending, library.store(pending), strict=True):
                    report.count(result, item.row.get("origin"))
            except StorageFull as error:
                full.append(str(error))
                report.failed.extend((name, str(error)) for name in pending_names)
        pending.clear()
        pending_names.clear()

    bulk_import = total >= BULK_THRESHOLD

    def results() -> Iterator[Parsed]:
        if workers >= 1 and total >= POOL_THRESHOLD:
            yield from _parallel(names, workers, nice=WORKER_NICE if bulk_import else 0)
        else:
            yield from map(parse_one, names)

    bulk = library.bulk() if bulk_import else nullcontext()
    with bulk:
        for done, parsed in enumerate(results(), start=1):
            name = parsed.name
            report.warnings.extend((name, warning) for warning in parsed.warnings)
            annotations.extend(parsed.annotations)
            links.extend(parsed.links)
            if parsed.error is not None:
                report.failed.append((name, parsed.error))
            else:
                pending.extend(parsed.prepared)
                pending_names.append(name)
                if len(pending) >= BATCH:
                    flush()
                    if full:  # the disk is full: the rest cannot be stored either
                        report.failed.extend(
                            (rest, f"not imported: {full[0]}") for rest in names[done:]
                        )
                        break
            if progress is not None:
                progress(done, total, name)
        flush()
    if links:
        report.pending = library.add_pending_links(links)
    if annotations:
        outcome = library.import_annotations(annotations)
        report.notes = outcome["imported"]
        report.notes_skipped = [(item["id"], item["reason"]) for item in outcome["skipped"]]
    if total >= BULK_THRESHOLD and report.added + report.updated:
        # Keep typo correction current now rather than on the first search.
        library.refresh_vocabulary()
    return report
