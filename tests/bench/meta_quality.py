"""Metadata quality of Margin's importers on real pages (a script, not a test).

1. ``meta-dev`` (``../shared/fixtures/meta-dev``): every ``NAME/source.html`` through
   :class:`importers.html.HtmlImporter`; title, author, site, date and language scored
   against ``expected-metadata.json`` with the lenient rules of that collection's README.
   Printed overall, per source group, per language, and leave-one-source-out for the
   tuned settings (``importers.pagemeta.TUNING``); trafilatura's own metadata is a
   reference row. ``ok`` is false below the goals of issue 14.
2. ``--cross``: the saved HTML of ``web-dev`` and ``pages-dev`` (no metadata truth there):
   how often the chosen title is a line of the browser's own text dump of the page, how
   often it agrees with the page's ``og:title``/``<title>``, and the language against
   ``pages-dev``'s ``lang``.
3. ``--dumps``: page-dump titles (``importers.pagedump``) on both dump layouts of
   ``web-dev`` and ``pages-dev`` against the ``<title>``/``og:title`` of the same page's
   saved HTML, an independent truth; scored where the dump shows that headline.

    uv run python tests/bench/meta_quality.py                 # meta-dev only, ~10 s
    uv run python tests/bench/meta_quality.py --cross --dumps # everything, a few minutes
    uv run python tests/bench/meta_quality.py --show title    # list the misses of a field
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from importers import pagemeta  # noqa: E402
from importers.base import ImportFailure, Source  # noqa: E402
from importers.html import HtmlImporter  # noqa: E402
from importers.pagedump import PageDumpImporter  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures"
FIELDS = ("title", "author", "site", "date", "lang")
GOALS = {"title": 0.95, "author": 0.85, "date": 0.97, "site": 0.92}


# --------------------------------------------------------------------------- scoring


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def same_text(got: str | None, want: str) -> bool:
    """Title and site rule: equal when normalised, or token_set_ratio >= 90."""
    if not got:
        return False
    if _norm(got) == _norm(want):
        return True
    return fuzz.token_set_ratio(got, want, processor=default_process) >= 90


_CREDENTIAL = re.compile(
    r"^(?:m\.?a|m\.?d|ph\.?\s?d|m\.?s|m\.?sc|b\.?sc|b\.?a|mba|mph|rn|r\.?d|dr|jr|sr|esq|"
    r"facp|faan|lcsw|ii|iii|iv)\.?$",
    re.I,
)
_URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_NAME_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|&|\bet\b|\bund\b)\s*", re.I)
_LEADING = re.compile(r"^\s*(?:written\s+by|by|par|von)\b\s*:?\s*", re.I)


def author_names(value: str | None) -> list[str]:
    """A byline as a list of names, as the meta-dev README describes."""
    names: list[str] = []
    for line in (value or "").splitlines():
        line = _URLISH.sub(" ", line)
        line = re.sub(r"\(\s*\)", " ", line)
        line = _LEADING.sub("", line.strip())
        for chunk in re.split(r"\s*[;|]\s*", line):
            pieces = [p.strip(" .:()[]") for p in chunk.split(",")]
            pieces = [p for p in pieces if p and not _CREDENTIAL.match(p)]
            # "Last, First" stays one name: two pieces, the first a single word.
            if len(pieces) == 2 and len(pieces[0].split()) == 1 and len(pieces[1].split()) <= 3:
                pieces = [f"{pieces[0]}, {pieces[1]}"]
                parts = pieces
            else:
                parts = [
                    q.strip(" .:()[]") for p in pieces for q in _NAME_SPLIT.split(p) if q.strip()
                ]
            for part in parts:
                part = _LEADING.sub("", part)
                if not part or re.search(r"\d", part) or _CREDENTIAL.match(part):
                    continue  # dates, times and credentials are not names
                names.append(part)
    return names


def _name_match(a: str, b: str) -> bool:
    if fuzz.token_sort_ratio(a, b, processor=default_process) >= 90:
        return True
    return (
        min(len(a.split()), len(b.split())) >= 2
        and fuzz.token_set_ratio(a, b, processor=default_process) >= 90
    )


def same_authors(got: str | None, want: list[str]) -> bool:
    """Author rule: every predicted name matches, and at least one expected name does."""
    mine = author_names(got)
    if not mine:
        return False
    if not all(any(_name_match(m, w) for w in want) for m in mine):
        return False
    return any(any(_name_match(m, w) for m in mine) for w in want)


_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def same_day(got: str | None, want: str) -> bool:
    """Date rule: same calendar date, or one day apart when either side has a time."""
    from datetime import date

    a, b = _YMD.search(got or ""), _YMD.search(want)
    if not a or not b:
        return False
    da, db = (date(*map(int, m.groups())) for m in (a, b))
    timed = any(re.search(r"\d[T ]\d{1,2}:\d{2}", s) for s in (got or "", want))
    return da == db or (timed and abs((da - db).days) == 1)


def same_lang(got: str | None, want: str) -> bool:
    """Language rule: the same primary subtag."""
    return bool(got) and got.split("-")[0].lower() == want.split("-")[0].split("_")[0].lower()


def expected(meta: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of one page (None where the page does not say)."""
    names = author_names(meta.get("byline"))
    return {
        "title": meta.get("title") or None,
        "author": names or None,
        "site": meta.get("siteName") or None,
        "date": meta.get("publishedTime") or None,
        "lang": meta.get("lang") or None,
    }


JUDGES: dict[str, Callable[[Any, Any], bool]] = {
    "title": same_text,
    "author": same_authors,
    "site": same_text,
    "date": same_day,
    "lang": same_lang,
}


# --------------------------------------------------------------------------- meta-dev


@dataclass
class Page:
    """One meta-dev page."""

    name: str
    html: bytes
    want: dict[str, Any]
    source: str = ""
    group: str = ""
    lang: str = ""
    got: dict[str, dict[str, Any]] = field(default_factory=dict)


def _source_of(name: str, html: bytes) -> tuple[str, str]:
    """(site the page was saved from, group): the folder name says both.

    Numbered folders and rule tests built on Lorem ipsum are the collection's synthetic
    pages; the rest were saved from real sites, named by the folder's first word
    (``lifehacker-working`` and ``lifehacker-post-comment-load`` are one site).
    """
    if name[0].isdigit() or b"Lorem ipsum" in html[:200_000] and b"og:" not in html:
        return f"synthetic:{name}", "synthetic"
    return name.split("-")[0], "real site"


def load_meta_dev(root: Path) -> list[Page]:
    """Every page of meta-dev with its expected fields."""
    pages = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        html = (folder / "source.html").read_bytes()
        want = expected(json.loads((folder / "expected-metadata.json").read_text()))
        source, group = _source_of(folder.name, html)
        lang = (want["lang"] or "none").split("-")[0].lower()
        pages.append(Page(folder.name, html, want, source, group, lang))
    return pages


def margin_fields(html: bytes, name: str) -> dict[str, Any]:
    """Margin's HTML importer on one page: the fields as a user sees them."""
    try:
        draft = HtmlImporter().parse(Source(name=name, data=html))[0]
    except ImportFailure:
        return dict.fromkeys(FIELDS)
    return {
        "title": draft.title,
        "author": draft.author,
        "site": draft.source,
        "date": draft.published,
        "lang": draft.language,
    }


def trafilatura_fields(html: bytes) -> dict[str, Any]:
    """trafilatura 2.x's own metadata for the page (the reference row)."""
    from trafilatura.metadata import extract_metadata

    from importers.html import decode_html

    doc = extract_metadata(decode_html(html))
    return {
        "title": doc.title,
        "author": doc.author,
        "site": doc.sitename,
        "date": doc.date,
        "lang": doc.language,
    }


def judge(page: Page, who: str) -> dict[str, bool]:
    """Field → right/wrong for the fields this page has an expected value for."""
    got = page.got[who]
    return {f: JUDGES[f](got[f], page.want[f]) for f in FIELDS if page.want[f] is not None}


def rates(pages: Iterable[Page], who: str) -> dict[str, tuple[int, int]]:
    """Field → (right, scored)."""
    out = {f: [0, 0] for f in FIELDS}
    for page in pages:
        for f, ok in judge(page, who).items():
            out[f][0] += ok
            out[f][1] += 1
    return {f: (a, b) for f, (a, b) in out.items()}


def _cell(right: int, total: int) -> str:
    return f"{right / total:.2f} ({right}/{total})" if total else "-"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table."""
    print(f"\n{title}")
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _with_tuning(setting: dict[str, Any]) -> dict[str, Any]:
    old = dict(pagemeta.TUNING)
    pagemeta.TUNING.update(setting)
    return old


def _settings() -> list[dict[str, Any]]:
    keys = sorted(pagemeta.TUNING_GRID)
    return [
        dict(zip(keys, combo, strict=True))
        for combo in itertools.product(*(pagemeta.TUNING_GRID[k] for k in keys))
    ]


def _total(pages: list[Page], who: str) -> float:
    """Sum over fields with a goal of each field's rate (the tuning objective)."""
    score = 0.0
    for f, (a, b) in rates(pages, who).items():
        if f in GOALS and b:
            score += a / b
    return score


def leave_one_source_out(pages: list[Page]) -> dict[str, tuple[int, int]]:
    """Tune ``TUNING`` on all sources but one, score the one left out; pooled."""
    settings = _settings()
    default = dict(pagemeta.TUNING)
    for n, setting in enumerate(settings):
        _with_tuning(setting)
        for page in pages:
            page.got[f"grid{n}"] = margin_fields(page.html, page.name)
    pagemeta.TUNING.update(default)
    pooled = {f: [0, 0] for f in FIELDS}
    for source in sorted({p.source for p in pages}):
        train = [p for p in pages if p.source != source]
        best = max(range(len(settings)), key=lambda n: (_total(train, f"grid{n}"), -n))
        for page in (p for p in pages if p.source == source):
            for f, ok in judge(page, f"grid{best}").items():
                pooled[f][0] += ok
                pooled[f][1] += 1
    return {f: (a, b) for f, (a, b) in pooled.items()}


def run_meta_dev(args: argparse.Namespace) -> dict[str, Any]:
    """Score meta-dev; print the tables; return the JSON summary."""
    pages = load_meta_dev(args.meta_dev)
    times = []
    for page in pages:
        start = time.perf_counter()
        page.got["margin"] = margin_fields(page.html, page.name)
        times.append((time.perf_counter() - start) * 1000)
        page.got["trafilatura"] = trafilatura_fields(page.html)
    header = ["rows", "pages", *FIELDS]

    def row(label: str, subset: list[Page], who: str) -> list[str]:
        r = rates(subset, who)
        # trafilatura reports no language unless told which one to expect
        cells = ["-" if who == "trafilatura" and f == "lang" else _cell(*r[f]) for f in FIELDS]
        return [label, str(len(subset)), *cells]

    overall = rates(pages, "margin")
    rows = [
        row("Margin", pages, "margin"),
        row("trafilatura 2.3 (reference)", pages, "trafilatura"),
    ]
    if args.loso and getattr(pagemeta, "TUNING_GRID", None):
        loso = leave_one_source_out(pages)
        rows.append(
            ["Margin, leave-one-source-out", str(len(pages)), *(_cell(*loso[f]) for f in FIELDS)]
        )
    else:
        loso = None
    rows.append(["goal", "", *(f"{GOALS[f]:.2f}" if f in GOALS else "-" for f in FIELDS)])
    print_table(
        f"meta-dev: {len(pages)} pages, lenient scoring (median {statistics.median(times):.0f} ms"
        " per page)",
        header,
        rows,
    )
    groups = sorted({p.group for p in pages})
    print_table(
        "meta-dev per source group (Margin / trafilatura)",
        header,
        [
            row(f"{g} / {who}", [p for p in pages if p.group == g], who)
            for g in groups
            for who in ("margin", "trafilatura")
        ],
    )
    langs = sorted({p.lang for p in pages})
    print_table(
        "meta-dev per language (Margin)",
        header,
        [row(lang, [p for p in pages if p.lang == lang], "margin") for lang in langs],
    )
    if args.show:
        print()
        for page in pages:
            verdict = judge(page, "margin")
            for f in args.show:
                if f in verdict and not verdict[f]:
                    print(
                        f"{page.name:38s} {f:6s} got={page.got['margin'][f]!r} "
                        f"want={page.want[f]!r} traf={page.got['trafilatura'][f]!r}"
                    )
    ok = all(overall[f][1] == 0 or overall[f][0] / overall[f][1] >= g for f, g in GOALS.items())
    return {
        "pages": len(pages),
        "margin": {f: overall[f][0] / overall[f][1] for f in FIELDS if overall[f][1]},
        "trafilatura": {
            f: a / b for f, (a, b) in rates(pages, "trafilatura").items() if b and f != "lang"
        },
        "leave_one_source_out": {f: a / b for f, (a, b) in loso.items() if b} if loso else None,
        "per_group": {
            g: {
                f: a / b
                for f, (a, b) in rates([p for p in pages if p.group == g], "margin").items()
                if b
            }
            for g in groups
        },
        "goals": GOALS,
        "ok": ok,
    }


# --------------------------------------------------------------------------- web-dev, pages-dev

_SEP = re.compile(r"\s+(?:\||-|–|—|·|::|»|•|/)\s+|\s*\|\s*")


def _declared_titles(html: str) -> list[str]:
    """og:title and <title> of a saved page, read with plain lxml (not Margin's code)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001
        return []
    out = []
    for meta in tree.iterfind(".//meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in {"og:title"}:
            out.append(meta.get("content") or "")
    out.append(tree.findtext(".//title") or "")
    return [re.sub(r"\s+", " ", t).strip() for t in out if t and t.strip()]


def _headline_parts(titles: list[str]) -> list[str]:
    """Each declared title and its longest separator-delimited piece (the headline)."""
    out = []
    for title in titles:
        out.append(title)
        pieces = [p for p in _SEP.split(title) if p.strip()]
        if len(pieces) > 1:
            out.append(max(pieces, key=lambda p: len(p.split())))
    return out


def headline_match(candidate: str | None, truths: list[str]) -> bool:
    """A chosen title agrees with a declared one: near-equal words (token_sort >= 85), or
    all its words inside the declared headline covering most of it."""
    if not candidate or not truths:
        return False
    cand = default_process(candidate)
    if not cand:
        return False
    for truth in _headline_parts(truths):
        ref = default_process(truth)
        if not ref:
            continue
        if fuzz.token_sort_ratio(cand, ref) >= 85:
            return True
        cw, rw = set(cand.split()), set(ref.split())
        # CJK titles have no spaces: compare characters instead of words
        if len(rw) <= 2 and len(ref) > 12:
            cw, rw = set(cand.replace(" ", "")), set(ref.replace(" ", ""))
        if cw and cw <= rw and len(cw) >= 0.6 * len(rw):
            return True
    return False


def _collection_pages(name: str, fixtures: Path) -> Iterable[tuple[str, str, dict[str, Any], Path]]:
    root = fixtures / name
    truth = json.loads((root / "truth.json").read_text())
    for key in sorted(truth):
        yield key, name, truth[key], root


def _source_key(collection: str, key: str) -> str:
    if collection == "web-dev":
        return "web-dev"
    head = key.split("-")[0]
    if head in {"daniel", "h2t"}:
        return f"{head}-{key.split('-')[1]}"
    return head


def site_matches_domain(site: str | None, domain: str) -> bool:
    """A site name fits a domain: ``CBS News`` ~ ``cbsnews.com``, ``Bug.hr`` ~ ``bug.hr``."""
    if not site:
        return False
    letters = re.sub(r"[\W_]+", "", site.casefold().removeprefix("www."))
    parts = [p for p in domain.casefold().split(".") if p not in {"www", "com", "co", "org"}]
    label = max(parts, key=len) if parts else domain
    flat = re.sub(r"[\W_]+", "", domain.casefold())
    return bool(letters) and (letters in flat or label in letters)


def run_cross(args: argparse.Namespace) -> dict[str, Any]:
    """HTML titles and languages on web-dev and pages-dev (no metadata truth there)."""
    from importers.html import decode_html

    stats: dict[str, dict[str, list[int]]] = {}
    misses = []
    for key, collection, truth, root in itertools.chain(
        _collection_pages("web-dev", args.fixtures), _collection_pages("pages-dev", args.fixtures)
    ):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        got = margin_fields(raw, f"{key}.html")
        dump_lines = {
            default_process(x)
            for x in (root / "dumps" / f"{key}.txt").read_text(errors="replace").splitlines()
            if x.strip()
        }
        declared = _declared_titles(decode_html(raw))
        source = _source_key(collection, key)
        row = stats.setdefault(source, {"visible": [], "declared": [], "lang": [], "site": []})
        title = got["title"]
        row["visible"].append(bool(title) and default_process(title) in dump_lines)
        row["declared"].append(headline_match(title, declared))
        if truth.get("lang"):
            row["lang"].append(same_lang(got["lang"], truth["lang"]))
        if truth.get("site"):
            row["site"].append(site_matches_domain(got["site"], truth["site"]))
        if args.show and "cross" in args.show and not row["declared"][-1]:
            misses.append(f"{key[:24]:24s} got={title!r} declared={declared[:2]!r}")
    rows = []
    for source, row in sorted(stats.items()):
        rows.append(
            [
                source,
                str(len(row["visible"])),
                *(_cell(sum(row[k]), len(row[k])) for k in ("visible", "declared", "lang", "site")),
            ]
        )
    keys = ("visible", "declared", "lang", "site")
    total = {k: sum((r[k] for r in stats.values()), []) for k in keys}
    rows.append(
        ["all", str(len(total["visible"])), *(_cell(sum(v), len(v)) for v in total.values())]
    )
    print_table(
        "saved HTML of web-dev and pages-dev: chosen title is a line of the page's own text "
        "dump / agrees with its og:title or <title>; language and site vs pages-dev truth "
        "(site: its letters within the domain's or the domain's name within the site's)",
        ["source", "pages", "title visible", "title ~ declared", "lang", "site ~ domain"],
        rows,
    )
    for line in misses:
        print(line)
    return {k: sum(v) / len(v) for k, v in total.items() if v}


def _dump_title(data: bytes, name: str) -> str | None:
    try:
        drafts = PageDumpImporter().parse(Source(name=name, data=data))
    except ImportFailure:
        return None
    return next((d.title for d in drafts if d.kind == "article"), None)


def run_dumps(args: argparse.Namespace) -> dict[str, Any]:
    """Page-dump titles against the <title>/og:title of the same page's saved HTML."""
    from importers import pagedump
    from importers.html import decode_html

    dumps: list[tuple[str, str, bytes, list[str], bool]] = []  # source, name, data, truth, shown
    for key, collection, _truth, root in itertools.chain(
        _collection_pages("web-dev", args.fixtures), _collection_pages("pages-dev", args.fixtures)
    ):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        declared = _declared_titles(decode_html(raw))
        for layout in ("dumps", "dumps-blocks"):
            path = root / layout / f"{key}.txt"
            data = path.read_bytes()
            shown = any(
                headline_match(line, declared)
                for line in data.decode("utf-8", "replace").splitlines()
                if 0 < len(line) < 400
            )
            dumps.append((_source_key(collection, key), f"{layout}/{key}", data, declared, shown))

    def score_all() -> tuple[list[bool], list[str | None], list[float]]:
        rights, titles, times = [], [], []
        for _source, name, data, declared, _shown in dumps:
            start = time.perf_counter()
            title = _dump_title(data, name)
            times.append((time.perf_counter() - start) * 1000)
            titles.append(title)
            rights.append(headline_match(title, declared))
        return rights, titles, times

    rights, titles, times = score_all()
    sources = sorted({d[0] for d in dumps})
    loso_right = None
    if args.loso:
        keys = sorted(pagedump.TITLE_TUNING_GRID)
        default = dict(pagedump.TITLE_TUNING)
        grid = [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(pagedump.TITLE_TUNING_GRID[k] for k in keys))
        ]
        results = []
        for setting in grid:
            pagedump.TITLE_TUNING.update(setting)
            results.append(score_all()[0])
        pagedump.TITLE_TUNING.update(default)
        loso_right = [False] * len(dumps)
        for source in sources:
            train = [i for i, d in enumerate(dumps) if d[0] != source and d[4]]
            best = max(range(len(grid)), key=lambda n: (sum(results[n][i] for i in train), -n))
            for i, d in enumerate(dumps):
                if d[0] == source:
                    loso_right[i] = results[best][i]
    rows = []
    for source in [*sources, "all"]:
        idx = [i for i, d in enumerate(dumps) if source in ("all", d[0])]
        shown = [i for i in idx if dumps[i][4]]
        row = [
            source,
            str(len(idx)),
            str(len(shown)),
            _cell(sum(rights[i] for i in shown), len(shown)),
        ]
        if loso_right is not None:
            row.append(_cell(sum(loso_right[i] for i in shown), len(shown)))
        row.append(_cell(sum(rights[i] for i in idx), len(idx)))
        rows.append(row)
    header = ["source", "dumps", "headline shown", "right where shown"]
    if loso_right is not None:
        header.append("leave-one-source-out")
    header.append("right of all")
    print_table(
        f"page-dump titles (both layouts) vs the saved page's og:title/<title> "
        f"(mean {statistics.fmean(times):.1f} ms per dump)",
        header,
        rows,
    )
    if args.show and "dump" in args.show:
        for i, (_source, name, _data, declared, shown) in enumerate(dumps):
            if shown and not rights[i]:
                print(f"{name[:40]:40s} got={titles[i]!r} want={declared[:2]!r}")
    shown_idx = [i for i, d in enumerate(dumps) if d[4]]
    return {
        "right_where_shown": sum(rights[i] for i in shown_idx) / len(shown_idx),
        "leave_one_source_out": (
            sum(loso_right[i] for i in shown_idx) / len(shown_idx) if loso_right else None
        ),
        "mean_ms": statistics.fmean(times),
    }


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--meta-dev", type=Path, default=None)
    parser.add_argument("--cross", action="store_true", help="titles/langs on web-dev, pages-dev")
    parser.add_argument("--dumps", action="store_true", help="page-dump titles")
    parser.add_argument("--no-loso", dest="loso", action="store_false")
    parser.add_argument("--show", nargs="*", default=[], help="fields to list misses of")
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    args = parser.parse_args()
    args.meta_dev = args.meta_dev or args.fixtures / "meta-dev"
    if not args.meta_dev.exists():
        print(f"skipped: {args.meta_dev} not found")
        return
    summary: dict[str, Any] = {"meta_dev": run_meta_dev(args)}
    if args.cross:
        summary["cross"] = run_cross(args)
    if args.dumps:
        summary["dumps"] = run_dumps(args)
    summary["ok"] = summary["meta_dev"]["ok"]
    if args.json:
        print(json.dumps(summary, indent=2))
    print(f"\nok: {summary['ok']}")
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
