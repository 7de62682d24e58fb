"""Search hits and the marks around matched words in their snippets.

Kept apart from :mod:`store.models` so that a one-off ``margin search`` process loads one
record class, not every record of the library.
"""

from __future__ import annotations

from .record import FrozenRecord

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    from .models import Kind

HIT_START = "\x02"
"""Marks where a matched word starts in a snippet."""
HIT_END = "\x03"
"""Marks where a matched word ends in a snippet."""


class SearchHit(FrozenRecord):
    """One ranked search result; ``snippet`` marks hits with ``\\x02``/``\\x03``.

    :param note_id: the user's note or highlight the article was found through (its
        snippet is the note's).
    """

    __slots__ = ("id", "title", "source", "published", "kind", "snippet", "score", "note_id")

    id: int
    title: str
    source: str | None
    published: str | None
    kind: Kind
    snippet: str
    score: float
    note_id: int | None

    def __init__(
        self,
        id: int,  # noqa: A002  # the article's id, as everywhere in the store
        title: str,
        source: str | None,
        published: str | None,
        kind: Kind,
        snippet: str,
        score: float,
        note_id: int | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "id", id)
        init(self, "title", title)
        init(self, "source", source)
        init(self, "published", published)
        init(self, "kind", kind)
        init(self, "snippet", snippet)
        init(self, "score", score)
        init(self, "note_id", note_id)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data, with hits marked as ``[…]`` in the snippet."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "kind": self.kind,
            "snippet": self.snippet.replace(HIT_START, "[").replace(HIT_END, "]"),
            "score": self.score,
            "note_id": self.note_id,
        }
