"""importers.dates: ISO 8601, RFC 822, relative ages and month names in several languages."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from importers.dates import parse_date

NOW = dt.datetime(2024, 3, 10, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-3-5", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05T10:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05 10:00:07.123+0130", "2024-03-05T10:00:07+01:30"),
        ("2024-03-05T10:00:00", "2024-03-05T10:00:00"),
        ("2024-02-30", None),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05T10:00:00+01:00"),
        ("05 Mar 2024 10:00 EST", "2024-03-05T10:00:00-05:00"),
        ("3 hours ago", "2024-03-10T09:00:00+00:00"),
        ("an hour ago", "2024-03-10T11:00:00+00:00"),
        ("2 days ago", "2024-03-08"),
        ("1 week ago", "2024-03-03"),
        ("yesterday", "2024-03-09"),
        ("5 March 2024", "2024-03-05"),
        ("March 5th, 2024", "2024-03-05"),
        ("Published on Mar. 5, 2024 by Ann", "2024-03-05"),
        ("5. März 2024", "2024-03-05"),
        ("5 de marzo de 2024", "2024-03-05"),
        ("le 3 mars 2024", "2024-03-03"),
        ("12 décembre 2023", "2023-12-12"),
        ("5 марта 2024", "2024-03-05"),
        ("2024-03-05 (updated)", "2024-03-05"),
        ("soon", None),
        ("", None),
        ("31 February 2024", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text, now=NOW) == expected


def test_parse_date_objects() -> None:
    assert parse_date(dt.date(2024, 3, 5)) == "2024-03-05"
    assert parse_date(dt.datetime(2024, 3, 5, 1, 2, 3)) == "2024-03-05T01:02:03"
    assert parse_date(time.struct_time((2024, 3, 5, 1, 2, 3, 0, 0, 0))) == (
        "2024-03-05T01:02:03+00:00"
    )
    assert parse_date(None) is None
