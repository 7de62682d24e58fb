"""What the ``margin`` commands share without click: safe text, JSON, opening a library.

Kept apart from ``tui.cli`` so that ``margin search`` can run without importing click
(``tui.search_cli``); ``tui.cli`` turns :class:`CommandError` into click's one-line error.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    from pathlib import Path

    from store.library import Library

# C0 (but tab and newline), DEL, C1, and the bidi embeddings, overrides and isolates.
# Translation tables rather than regular expressions: compiling those costs a
# ``margin search`` process a millisecond.
_C1_AND_BIDI = [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_UNSAFE = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *_C1_AND_BIDI])
# json.dumps(ensure_ascii=False) escapes C0 only; these pass raw unless escaped.
_UNSAFE_IN_JSON = {code: f"\\u{code:04x}" for code in _C1_AND_BIDI}


class CommandError(Exception):
    """A command cannot go on: the one-line reason shown to the user."""


def safe(text: object) -> str:
    """Text from the library with control characters removed, so it cannot drive the terminal."""
    return str(text).translate(_UNSAFE)


def json_text(data: object, indent: int | None = 2) -> str:
    """``data`` as JSON, UTF-8 kept readable, with every terminal control escaped.

    The text ``json.dumps(data, ensure_ascii=False, indent=indent)`` writes; plain
    data (dicts with string keys, lists, strings, numbers, booleans, None) is written
    here, since importing json costs ``margin search`` ~10 ms (its decoder imports
    ``re``, and ``re`` imports ``enum``).
    """
    try:
        parts: list[str] = []
        _encode(data, parts, indent, 0)
        text = "".join(parts)
    except TypeError:
        import json

        text = json.dumps(data, ensure_ascii=False, indent=indent)
    if text.isascii() and "\x7f" not in text:
        return text  # nothing to escape (a translation costs ~1 ms per 8 KB)
    return text.translate(_UNSAFE_IN_JSON)


def _string(text: str) -> str:
    """A JSON string (``json.dumps(text, ensure_ascii=False)``)."""
    from _json import encode_basestring  # CPython's C encoder: no ``re`` imported

    return encode_basestring(text)


def _encode(value: object, out: list[str], indent: int | None, depth: int) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value:
            out.append("NaN")
        elif value in (float("inf"), float("-inf")):
            out.append("Infinity" if value > 0 else "-Infinity")
        else:
            out.append(float.__repr__(value))
    elif isinstance(value, (list, tuple, dict)):
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        inner = "" if indent is None else "\n" + " " * (indent * (depth + 1))
        close = "" if indent is None else "\n" + " " * (indent * depth)
        comma = "," if indent is not None else ", "
        out.append("{" if isinstance(value, dict) else "[")
        if isinstance(value, dict):
            for n, (key, item) in enumerate(value.items()):
                if not isinstance(key, str):
                    raise TypeError("a key that is not a string")  # json.dumps converts it
                out.append((comma if n else "") + inner + _string(key) + ": ")
                _encode(item, out, indent, depth + 1)
        else:
            for n, item in enumerate(value):
                out.append((comma if n else "") + inner)
                _encode(item, out, indent, depth + 1)
        out.append(close + ("}" if isinstance(value, dict) else "]"))
    else:
        raise TypeError(f"{type(value).__name__} is not plain data")


def open_path(path: Path, *, create: bool = False, read_only: bool = False) -> Library:
    """Open the library at ``path`` or raise :class:`CommandError` saying why not.

    Only ``create=True`` (import) may make a new library; a ``read_only`` command
    refuses a library that would need a migration rather than convert it.
    """
    from store.library import Library, LibraryError  # not on margin search's fast path

    if not create and not path.exists():
        raise CommandError(
            f"no library at {path}; import something first (margin import PATH) or check --db"
        )
    if not create and read_only:
        refuse_to_migrate(path)
    try:
        return Library(path)
    except LibraryError as error:
        raise CommandError(f"{error}; check --db or MARGIN_DB") from None
    except OSError as error:
        raise CommandError(f"cannot open {path}: {error.strerror or error}") from None


def refuse_to_migrate(path: Path) -> None:
    """Raise :class:`CommandError` when the file at ``path`` would need a migration."""
    from store.migrations import LATEST, stored_version

    try:
        version = stored_version(str(path))
    except OSError as error:
        raise CommandError(f"cannot open {path}: {error.strerror or error}") from None
    if version is not None and version < LATEST:
        if version == 0:
            raise CommandError(f"{path} holds no Margin library; check --db or MARGIN_DB")
        raise CommandError(
            f"{path} was written by an older Margin (schema {version}, this one uses {LATEST}); "
            "run margin upgrade to convert it (a backup is made first); nothing was changed"
        )
