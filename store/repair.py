"""Doctor's schema check: the store's own triggers, indexes, views and indexes' tables.

The expected schema is what the migration list builds in an empty in-memory
database, so a migration added later is checked without a list kept by hand.
A trigger that goes missing (dropped by hand, by a tool, or a half-copied file)
lets the full-text index or a derived table drift out of step silently; doctor
names it and ``--rebuild`` recreates it from that definition and then rebuilds
every derived table, since whatever the trigger kept current may be stale.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

from . import impact, migrations, vocabulary

FTS_INDEXES = ("articles_fts", "notes_fts", "titles_fts", "titles_tri")
"""Every full-text index the store keeps, each over a content table it can be rebuilt from."""

_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")


@dataclass(frozen=True, slots=True)
class SchemaObject:
    """One entry of ``sqlite_master`` the store creates."""

    kind: str  # "trigger", "index", "view" or "table"
    name: str
    sql: str

    @property
    def virtual(self) -> bool:
        """A full-text index (recreated empty, then rebuilt from its content)."""
        return self.sql.upper().startswith("CREATE VIRTUAL TABLE")

    @property
    def repairable(self) -> bool:
        """Recreating it loses nothing: everything but a table of rows."""
        return self.kind != "table" or self.virtual


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


@functools.cache
def expected() -> tuple[SchemaObject, ...]:
    """The store's objects as the migrations create them, in creation order."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.apply(db)
        return tuple(_objects(db))
    finally:
        db.close()


def _objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND type IN ('trigger', 'index', 'view', 'table') ORDER BY rowid"
    ).fetchall()
    virtual = {name for kind, name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")}
    return [
        SchemaObject(kind, name, sql)
        for kind, name, sql in rows
        # FTS5 makes its shadow tables itself; the integrity check covers them.
        if not any(name == base + tail for base in virtual for tail in _SHADOW)
    ]


def schema_problems(conn: sqlite3.Connection) -> list[tuple[SchemaObject, str]]:
    """Store objects missing from ``conn`` or defined differently, with what is wrong."""
    present = {(o.kind, o.name): _normal(o.sql) for o in _objects(conn)}
    problems = []
    for wanted in expected():
        sql = present.get((wanted.kind, wanted.name))
        if sql is None:
            problems.append((wanted, "missing"))
        elif sql != _normal(wanted.sql):
            problems.append((wanted, "changed"))
    return problems


def describe(problem: tuple[SchemaObject, str]) -> str:
    """One line for doctor's report."""
    wanted, what = problem
    if not wanted.repairable:
        return f"schema: table {wanted.name} is {what} (restore a backup; --rebuild cannot)"
    label = "full-text index" if wanted.virtual else wanted.kind
    return f"schema: {label} {wanted.name} is {what} (run: margin doctor --rebuild)"


def restore(conn: sqlite3.Connection, problems: list[tuple[SchemaObject, str]]) -> None:
    """Recreate the repairable objects in ``problems`` from their definitions.

    Runs inside the caller's transaction; creation order is the migrations' order, so
    a view or an index exists before a trigger that uses it.
    """
    for wanted, what in problems:
        if not wanted.repairable:
            continue
        if what == "changed":
            kind = "TABLE" if wanted.virtual else wanted.kind.upper()
            conn.execute(f'DROP {kind} IF EXISTS "{wanted.name}"')
        conn.execute(wanted.sql)


def rebuild_derived(conn: sqlite3.Connection) -> None:
    """Rebuild everything the store derives from articles and notes (inside a transaction).

    The full-text indexes, the vocabulary copy and the impact lists from the text; the
    quick jump's counter moves so an open reader reloads; images no article uses are
    dropped, as the last reference's trigger would have done.
    """
    for index in FTS_INDEXES:
        conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    vocabulary.rebuild(conn)
    impact.rebuild(conn)
    conn.execute("UPDATE jump_state SET generation = generation + 1")
    conn.execute(
        "DELETE FROM images WHERE NOT EXISTS "
        "(SELECT 1 FROM article_images r WHERE r.image_hash = images.hash)"
    )
