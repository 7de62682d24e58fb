"""Checks of the config that need Textual: theme names and binding ids (run by the app)."""

from __future__ import annotations

from collections.abc import Iterable

from .config import Config, at_line


def known_binding_ids() -> set[str]:
    """Every binding id of Margin's app, screens and widgets."""
    from textual.binding import Binding

    from . import app
    from .screens import (
        article,
        compare,
        filters,
        help,
        import_dialog,
        jump,
        library,
        note_editor,
        notes,
        orphans,
        pickers,
        search,
        tag_dialog,
    )
    from .widgets import article_view, library_table, reader_pane

    modules = (
        app, article, compare, filters, help, import_dialog, jump, library, note_editor,
        notes, orphans, pickers, search, tag_dialog, article_view, library_table, reader_pane,
    )  # fmt: skip
    ids: set[str] = set()
    for module in modules:
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", ()) if isinstance(value, type) else ():
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def config_problems(config: Config, themes: Iterable[str], binding_ids: set[str]) -> list[str]:
    """What in ``config`` names a theme or binding that does not exist, with its line."""
    problems: list[str] = []
    available = set(themes)
    for name in ("dark_theme", "light_theme", "theme"):
        value = getattr(config, name)
        if value is not None and value not in available:
            problems.append(
                at_line(config.text, name, f"{name} = {value!r}: no such theme "
                        f"(try {', '.join(sorted(available)[:6])}…)")
            )  # fmt: skip
    for binding_id in config.keys:
        if binding_id not in binding_ids:
            problems.append(
                at_line(
                    config.text, binding_id, f"{binding_id!r} is not a binding id (? lists them)"
                )
            )
    return problems
