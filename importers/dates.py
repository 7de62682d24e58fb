"""One place that turns dates as sources write them into ISO 8601.

Handles ISO 8601 (``2024-03-05``, ``2024-03-05T10:00:00Z``), RFC 822 / RFC 2822 as
feeds and e-mail write them (``Tue, 05 Mar 2024 10:00:00 GMT``), relative ages
(``3 hours ago``, ``yesterday``) and dates with month names in several languages
(``5 March 2024``, ``March 5th, 2024``, ``5. März 2024``, ``5 de marzo de 2024``).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

__all__ = ["MONTHS", "iso_date", "parse_date", "relative_date", "struct_to_iso"]

MONTHS: dict[str, int] = {}
"""Month names and abbreviations (lower case) to month numbers, in the languages seen on the web."""
for _number, _labels in enumerate(
    [
        "january jan januar janvier enero janeiro gennaio januari jänner январь января",
        "february feb februar février fevrier febrero fevereiro febbraio februari февраль февраля",
        "march mar märz maerz mars marzo março marco maret maart март марта",
        "april apr avril abril aprile апрель апреля",
        "may mai mayo maio maggio mei май мая",
        "june jun juni juin junio junho giugno июнь июня",
        "july jul juli juillet julio julho luglio июль июля",
        "august aug août aout agosto agustus augustus август августа",
        "september sep sept septembre septiembre setembro settembre сентябрь сентября",
        "october oct okt oktober octobre octubre outubro ottobre октябрь октября",
        "november nov novembre noviembre novembro nopember ноябрь ноября",
        "december dec dez dezember décembre decembre diciembre dezembro dicembre desember "
        "декабрь декабря",
    ],
    start=1,
):
    for _name in _labels.split():
        MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    re.I,
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+|of\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}})\b",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
    re.I,
)
_AGE = re.compile(
    r"^(?P<n>\d+|an?|one)\s*(?P<unit>s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|"
    r"w|wks?|weeks?|mo|months?|y|yrs?|years?)\s+ago$",
    re.I,
)
_UNIT_SECONDS = {
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "mo": 30 * 86400,
    "y": 365 * 86400,
}


def _in_range(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat() if 1900 <= year <= 2200 else None
    except ValueError:
        return None


def iso_date(text: str) -> str | None:
    """An ISO 8601 date or datetime normalised (``Z`` as ``+00:00``), else None."""
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    day_part = _in_range(int(year), int(month), int(day))
    if day_part is None or hour is None:
        return day_part
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return day_part
    clock = f"{int(hour):02d}:{minute}:{second or '00'}"
    if zone:
        zone = "+00:00" if zone.upper() == "Z" else f"{zone[:3]}:{zone[-2:]}"
    return f"{day_part}T{clock}{zone or ''}"


def rfc822_date(text: str) -> str | None:
    """``Tue, 05 Mar 2024 10:00:00 GMT`` and its variants as ISO 8601, else None."""
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\w*\s+\d{2,4}", text):
        return None
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or not 1900 <= moment.year <= 2200:
        return None
    return moment.isoformat()


def relative_date(text: str, now: dt.datetime | None = None) -> str | None:
    """``3 hours ago``, ``an hour ago``, ``yesterday``, ``today``, ``just now`` in ISO 8601."""
    now = now or dt.datetime.now(dt.UTC)
    phrase = " ".join(text.lower().split())
    if phrase in ("just now", "now", "today"):
        return now.replace(microsecond=0).isoformat()
    if phrase == "yesterday":
        return (now - dt.timedelta(days=1)).date().isoformat()
    match = _AGE.match(phrase)
    if not match:
        return None
    count = match.group("n")
    amount = 1 if count in ("a", "an", "one") else int(count)
    unit = match.group("unit")
    key = "mo" if unit.startswith("mo") else unit[0]
    moment = now - dt.timedelta(seconds=amount * _UNIT_SECONDS[key])
    # Days and longer are only as exact as the day.
    if _UNIT_SECONDS[key] >= 86400:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def named_month_date(text: str) -> str | None:
    """The first ``5 March 2024`` / ``March 5, 2024`` style date in ``text``, else None."""
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year = match.groups()
        return _in_range(int(year), MONTHS[month.lower()], int(day))
    match = _MONTH_DAY_YEAR.search(text)
    if match:
        month, day, year = match.groups()
        return _in_range(int(year), MONTHS[month.lower()], int(day))
    return None


def parse_date(value: object, now: dt.datetime | None = None) -> str | None:
    """Any date a source may give (text, ``date``, ``datetime``, ``struct_time``) as ISO 8601.

    :param now: the moment relative ages count back from (default: now, UTC).
    :returns: ``YYYY-MM-DD`` when only the day is known, a full datetime otherwise,
        or None when ``value`` is not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return struct_to_iso(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    return (
        iso_date(text)
        or rfc822_date(text)
        or relative_date(text, now)
        or named_month_date(text)
        or _iso_prefix(text)
    )


def struct_to_iso(value: time.struct_time) -> str | None:
    """A UTC ``struct_time`` (as feedparser gives) as an ISO datetime."""
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _iso_prefix(text: str) -> str | None:
    """``2024-03-05 (updated)``: an ISO day at the start of longer text."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})\b", text)
    return _in_range(*map(int, match.groups())) if match else None
