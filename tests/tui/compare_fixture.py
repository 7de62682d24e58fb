"""Articles to compare in screen tests: a report, its edited version, and another outlet's."""

from __future__ import annotations

from unittest import mock

from store.library import Library
from store.models import ArticleDraft

FIRST = (
    "The harbour opened on Monday after two years of work. "
    "The mayor said it cost 40 million euros. Fishermen welcomed the new quay.\n\n"
    "Critics said the dredging harmed the bay. A study is due next year.\n\n"
    "Traffic in the port is expected to double by 2030."
)
EDITED = (
    "The harbour opened on Tuesday after two years of work. "
    "The mayor said it cost 42 million euros. Fishermen welcomed the new quay.\n\n"
    "Critics said the dredging harmed the bay. A study is due next year.\n\n"
    "Traffic in the port is expected to double by 2030.\n\n"
    "The port authority will publish traffic figures every month."
)
REPLACED_AT = "2026-12-03T18:00:00+00:00"
"""When the fixture's first text was replaced by the edited one."""
OTHER_OUTLET = (
    "Fishermen welcomed the new quay as the harbour opened this week. "
    "It took two years of work and 40 million euros, the mayor said.\n\n"
    "The football club won its third match in a row on Saturday."
)


def add_comparison_articles(library: Library) -> tuple[int, int]:
    """Store the harbour report twice (so it has a version) and a second outlet's story.

    :returns: the ids of the report (with one version) and of the other outlet's story.
    """
    report = ArticleDraft(title="Harbour opens", body_markdown=FIRST, url="https://a.example/h")
    library.store([report])
    # The comparison header shows the day the version was replaced: a fixed day keeps
    # the snapshots the same on every date.
    with mock.patch("store.library.now", return_value=REPLACED_AT):
        (edited,) = library.store(
            [ArticleDraft(title="Harbour opens", body_markdown=EDITED, url="https://a.example/h")]
        )
    (other,) = library.store(
        [
            ArticleDraft(
                title="New quay for the fishing fleet",
                body_markdown=OTHER_OUTLET,
                url="https://b.example/quay",
            )
        ]
    )
    return edited.id, other.id
