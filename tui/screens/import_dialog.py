"""The import dialog: paths or URLs in, a thread worker with a progress bar, failures listed.

Every import also writes its per-item report (one JSON line per item, as ``margin import
--report`` does) to the reports folder, and the dialog says where.
"""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

from store.library import Library

from ..paths import reports_dir
from ..widgets.text import crop, one_line

if TYPE_CHECKING:
    from importers import ImportReport


def write_report(report: ImportReport, folder: Path | None = None) -> Path | str:
    """Write ``report``'s items as JSON Lines into ``folder`` (the reports folder).

    :returns: the file written, or why it could not be.
    """
    from ..cli import json_text

    folder = folder or reports_dir()
    stamp = f"{datetime.now():%Y-%m-%d-%H%M%S}"
    path = folder / f"import-{stamp}.jsonl"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while path.exists():  # two imports in one second
            number += 1
            path = folder / f"import-{stamp}-{number}.jsonl"
        with path.open("x", encoding="utf-8") as out:
            for item in report.items():
                out.write(json_text(item, indent=None) + "\n")
    except OSError as error:
        return f"{error.strerror or error} ({path})"
    return path


def _home(path: Path) -> str:
    """``path`` with the home folder written ``~``, shorter to read."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def split_sources(line: str) -> list[str]:
    """Paths and URLs typed on one line (shell-style quoting for spaces)."""
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


class ImportScreen(ModalScreen["ImportReport | None"]):
    """Ask for sources and import them; dismisses with the report (None if nothing ran)."""

    BINDINGS: list[BindingType] = [
        Binding("escape", "close", "Close", id="import.close"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.report: ImportReport | None = None
        self.report_path: Path | None = None
        """Where the last import's per-item report was written."""
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Label("Import files, folders or URLs", classes="dialog-title")
            yield Input(
                placeholder="e.g. ~/articles  https://example.com/post", id="import-sources"
            )
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-current")
            yield Static(id="import-result")

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False

    @on(Input.Submitted, "#import-sources")
    def start(self, event: Input.Submitted) -> None:
        """Start importing what was typed."""
        if self.running:
            return
        sources = split_sources(event.value)
        if not sources:
            self.notify("Type at least one path or URL.", severity="warning")
            return
        self.running = True
        event.input.disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.run_import(sources)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, sources: list[str]) -> None:
        """Run the importer off the UI thread, relaying progress."""
        from importers import import_paths

        def progress(done: int, total: int, name: str) -> None:
            self.app.call_from_thread(self._progress, done, total, name)

        try:
            report = import_paths(self.library, sources, progress=progress)
        except Exception as error:  # a refused import must not take the reader down
            self.app.call_from_thread(self._failed, f"{type(error).__name__}: {error}")
            return
        written = write_report(report)
        self.app.call_from_thread(self._finished, report, written)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
        width = max(10, self.query_one("#import-current").size.width or 60)
        self.query_one("#import-current", Static).update(Content(crop(one_line(name), width)))

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#import-sources", Input).disabled = False
        self.query_one("#import-result", Static).update(Content(f"Import failed: {message}"))

    def _finished(self, report: ImportReport, written: Path | str) -> None:
        self.running = False
        self.report = report
        self.report_path = written if isinstance(written, Path) else None
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(1, bar.total or 1), progress=max(1, bar.total or 1))
        self.query_one("#import-current", Static).update(Content(""))
        lines = [report.summary()]
        for name, reason in report.failed[:50]:
            lines.append(f"✗ {one_line(name)}: {one_line(reason)}")
        if len(report.failed) > 50:
            lines.append(f"… and {len(report.failed) - 50} more")
        for name, reason in report.warnings[:20]:
            lines.append(f"! {one_line(name)}: {one_line(reason)}")
        if len(report.warnings) > 20:
            lines.append(f"… and {len(report.warnings) - 20} more warnings")
        if isinstance(written, Path):
            lines.append(f"Every item's outcome: {_home(written)}")
        else:
            lines.append(f"The report could not be written: {one_line(written)}")
        lines.append("")
        lines.append("Press escape to close, or type more sources.")
        self.query_one("#import-result", Static).update(Content("\n".join(lines)))
        box = self.query_one("#import-sources", Input)
        box.disabled = False
        box.value = ""
        box.focus()
        self.notify(report.summary(), title="Import")

    def action_close(self) -> None:
        """Close (the import goes on in the background if it is running)."""
        self.dismiss(self.report)
