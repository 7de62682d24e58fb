"""Deterministic generator of a realistic article corpus for Margin's benchmarks.

Writes ``N`` Markdown files with YAML front matter (title, author, date, url,
source, section, tags) into a folder that ``margin import DIR`` reads, plus a
manifest beside the folder (``DIR.json``) that names the special articles and
the query terms the benchmark uses.

Shape of the corpus:

* lengths from a log-normal distribution (median ~900 words, a long tail past
  10,000 words, capped at 30,000), plus exactly one 50,000-word article and two
  ~10,000-word articles on one topic that share passages (the comparison pair);
* a Zipf-distributed vocabulary (exponent 1) of English function words, common
  English content words, names, places, numbers and ~60,000 pseudo-words, so
  ``the`` is in every article, a few content words are in most of them and most
  words are rare;
* headings, lists, block quotes, emphasis and links in the Markdown; sources,
  sections, authors, dates and tags with skewed popularity.

Every article is generated from its own ``random.Random(seed, index)`` stream,
so the output does not depend on how the work is split between processes.

Usage::

    uv run python tests/bench/corpus.py OUT_DIR --articles 100000 --seed 7
"""

# ruff: noqa: SIM905  (word lists read better as one string split on spaces)
from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

GENERATOR_VERSION = 3
DEFAULT_SEED = 20240611
DEFAULT_ARTICLES = 100_000
PSEUDO_WORDS = 60_000
ZIPF_EXPONENT = 1.0
MEDIAN_WORDS = 900
LENGTH_SIGMA = 0.72
MAX_REGULAR_WORDS = 30_000
LONG_ARTICLE_WORDS = 50_000
TWIN_WORDS = 10_000

# Fixed slots of the special articles (0-based article indexes).
LONG_INDEX = 1
TWIN_INDEXES = (2, 3)

# English function words, most frequent first (they take the top Zipf ranks).
FUNCTION_WORDS = """
the of and to a in is that for it as was with be by on not he this are or his from
at which but have an had they you were their one all we can her has there been if
more when will would who so no she other its than into some could them only time
these two may then do first any like my now over such our man me even most made
after also did many before must through back years where much your way well down
should because each just those people how too little state good very make world
still own see men work long get here between both life being under never day same
another know while last might us great old year off come since against go came
right used take three states himself few house use during without again place
around however home small found thought went say part once general high upon
school every don does got united left number course war until always away
something fact though water less public put think almost hand enough far took head
yet government system better set told nothing night end why called didn eyes find
going look asked later knew point next program city business give group toward
young days let room president side social given present several order national
possible rather second face per among form important often things looking early
""".split()

# Common content words spread through the upper-middle ranks.
CONTENT_WORDS = """
report market council policy country family health money service water energy
history research village river museum league season budget election company
community evidence industry language network station studio teacher climate
harbour railway festival garden library island journey kitchen mountain
neighbour orchestra painting parliament planet question railway science summer
theatre tradition valley weather winter writer archive border bridge capital
century coast culture debate design economy engine factory farmer forest fortune
harvest hospital housing justice landscape machine memory migration minister
mission nature ocean office patient pattern pressure prison process product
province quality reform region season signal silence soldier speech storm street
student surface survey tower trade travel treaty union vision voice wealth wheat
window worker account agency answer article battle benefit board camera career
chance channel choice claim client coffee colour contract crisis crowd danger
dinner doctor driver duty effort estate event exchange expert failure feature
figure finance flight freedom friend future growth guest habit heart holiday
image income injury insect instance interest judge labour leader letter level
light limit lunch manager match meeting metal method mirror moment morning
mother motor movement music nation nurse object option owner painter paper
parent partner passage peace period person picture pilot plant player poetry
police position potato power price profit project promise purpose reader reason
record recipe request result review reward rhythm risk river road rule safety
salary sample scene screen secret sector sense series shape share shelter shop
shore sister skill society song source space sport stage standard statement
steel story strategy strength structure success sugar supply support system
table talent target task taste tax team temple tension term theory thread ticket
title tongue topic tourist town track traffic training truth tunnel uncle value
version victim video village virus visit volume wage wall warning wave weapon
week weight wheel wife wind wine wing winner wisdom witness woman wood youth zone
""".split()

FIRST_NAMES = """
Ada Alan Alice Amara Anders Anna Arjun Astrid Beatrice Ben Bruno Camille Carlos
Chen Chiara Clara Daniel Dario Dmitri Elena Elif Emma Farah Felix Fatima Georg
Grace Hana Hugo Ibrahim Ines Ingrid Isaac Ivan Jamal Jana Jonas Julia Kai Karin
Kenji Laila Lars Leon Lina Lucas Maya Mateo Mei Miguel Mira Nadia Nikolai Noor
Olga Omar Oscar Paolo Priya Rafael Rosa Ruth Sami Sara Sofia Tariq Tomas Una
Valentina Victor Wei Yara Yusuf Zoe Zofia
""".split()

SURNAMES = """
Abbott Alvarez Andersen Baker Banerjee Becker Bianchi Brennan Castillo Chang
Costa Dahl Dubois Eriksson Fischer Fontaine Garcia Gupta Haddad Hansen Hoffmann
Ibarra Ito Jansen Kaur Keller Kim Kowalski Laurent Lindqvist Lopez Maier Marino
Mehta Meyer Moreau Murphy Nakamura Nguyen Novak Okafor Olsen Ortega Park Petrov
Popescu Quinn Reyes Rossi Sato Schmidt Silva Sokolov Suzuki Tanaka Torres Varga
Vogel Wagner Walsh Weber Yilmaz Zhang Zimmermann
""".split()

PLACES = """
Aberdeen Accra Adelaide Alexandria Amsterdam Ankara Athens Auckland Baltimore
Bangalore Barcelona Beirut Bergen Bilbao Bologna Bordeaux Bristol Brno Busan
Cairo Calgary Cardiff Chennai Cork Dakar Delft Dublin Dundee Durban Edinburgh
Florence Gdansk Geneva Genoa Glasgow Graz Hamburg Hanoi Helsinki Innsbruck
Istanbul Jakarta Kampala Kyoto Lagos Leipzig Lille Lima Lisbon Ljubljana Lyon
Madrid Malmo Manila Marseille Melbourne Montreal Mumbai Munich Nairobi Nantes
Naples Oslo Ottawa Palermo Porto Prague Quito Riga Rotterdam Salzburg Santiago
Seville Sofia Tallinn Tampere Toulouse Trieste Turin Utrecht Valencia Vienna
Vilnius Warsaw Wellington Zagreb Zurich
""".split()

SOURCES = [
    ("The Northern Ledger", "northernledger.example"),
    ("Harbour Review", "harbourreview.example"),
    ("The Weekly Lantern", "weeklylantern.example"),
    ("Meridian Post", "meridianpost.example"),
    ("Field & Forum", "fieldforum.example"),
    ("The Quiet Observer", "quietobserver.example"),
    ("Civic Almanac", "civicalmanac.example"),
    ("Longform Quarterly", "longformquarterly.example"),
    ("The Margin Notes", "marginnotes.example"),
    ("Tidewater Times", "tidewatertimes.example"),
    ("Signal & Noise", "signalnoise.example"),
    ("The Open Atlas", "openatlas.example"),
    ("Ridgeline Journal", "ridgelinejournal.example"),
    ("The Commons Daily", "commonsdaily.example"),
    ("Lowland Gazette", "lowlandgazette.example"),
    ("The Iron Bridge", "ironbridge.example"),
    ("Paper Kite Magazine", "paperkite.example"),
    ("Evening Compass", "eveningcompass.example"),
    ("The Salt Road", "saltroad.example"),
    ("Granary Weekly", "granaryweekly.example"),
    ("Blue Hour Review", "bluehour.example"),
    ("The Patient Reader", "patientreader.example"),
    ("Copper Valley Herald", "coppervalley.example"),
    ("The Outer Ring", "outerring.example"),
    ("Understory", "understory.example"),
    ("The Slow Press", "slowpress.example"),
    ("Winter Garden Letters", "wintergarden.example"),
    ("Causeway", "causeway.example"),
    ("The Long Table", "longtable.example"),
    ("Foghorn", "foghorn.example"),
    ("Arcade Monthly", "arcademonthly.example"),
    ("The Second Draft", "seconddraft.example"),
    ("Lighthouse Dispatch", "lighthouse.example"),
    ("Kestrel", "kestrel.example"),
    ("The Standing Stone", "standingstone.example"),
    ("Metro Fieldnotes", "metrofieldnotes.example"),
    ("Orchard Street", "orchardstreet.example"),
    ("The Ferryman", "ferryman.example"),
]

SECTIONS = [
    "News",
    "World",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Culture",
    "Books",
    "Opinion",
    "Travel",
    "Food",
    "Sport",
    "Environment",
    "Education",
    "Features",
]

ENDINGS = ["", "", "", "", "s", "ed", "ing", "er", "al", "ic", "ous", "ment", "ity", "ist"]
ONSETS = (
    "b c d f g h j k l m n p r s t v w z br bl ch cl cr dr fl fr gl gr kr pl pr sc "
    "sh sk sl sm sn sp st str sw th tr tw"
).split()
VOWELS = "a e i o u a e i o ai ea ie ou oo au ei".split()
CODAS = ["", "", "", "", "n", "r", "l", "s", "m", "nd", "nt", "st", "rk", "ld", "sh", "ng", "x"]


@dataclass
class SpecialArticle:
    """One article the benchmark looks up by its url or title."""

    index: int
    path: str
    title: str
    url: str
    words: int


@dataclass
class QueryTerms:
    """Search terms chosen from the vocabulary by their expected document frequency."""

    rare: str
    mid: str
    common: str
    stopword: str
    prefix2: str
    prefix4: str
    typo: str
    expected_df: dict[str, float] = field(default_factory=dict)


@dataclass
class Manifest:
    """What was generated: enough for a run to reuse the folder and find its targets."""

    version: int
    seed: int
    articles: int
    folder: str
    total_bytes: int
    total_words: int
    seconds: float
    long_article: SpecialArticle
    twins: list[SpecialArticle]
    queries: QueryTerms
    jump_titles: list[str]

    def to_json(self) -> str:
        """The manifest as indented JSON."""
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Read a manifest written by :meth:`to_json`."""
        data = json.loads(text)
        data["long_article"] = SpecialArticle(**data["long_article"])
        data["twins"] = [SpecialArticle(**t) for t in data["twins"]]
        data["queries"] = QueryTerms(**data["queries"])
        return cls(**data)


class Vocabulary:
    """Zipf-ranked words with cumulative weights for fast bulk sampling."""

    def __init__(self, seed: int, pseudo_words: int = PSEUDO_WORDS) -> None:
        """Build the ranked vocabulary deterministically from ``seed``.

        :param seed: the corpus seed.
        :param pseudo_words: how many invented words to add.
        """
        rng = random.Random(seed ^ 0x5EED)
        function = list(dict.fromkeys(FUNCTION_WORDS))
        reserved = set(function)
        content = [w for w in dict.fromkeys(CONTENT_WORDS) if w not in reserved]
        reserved.update(content)
        pseudo = self._pseudo_words(rng, pseudo_words, reserved)
        numbers = [str(n) for n in range(1, 200)] + [str(y) for y in range(1950, 2026)]
        numbers += [f"{rng.randint(2, 99)},{rng.randint(0, 999):03d}" for _ in range(400)]
        numbers += [f"{rng.randint(1, 99)}%" for _ in range(100)]
        names = FIRST_NAMES + SURNAMES + PLACES

        # Ranks: function words first, with a few content words mixed in among
        # them (so some content words are in most articles), then content words
        # spread through ranks up to ~3,000 and names, places and numbers spread
        # through the pseudo-words.
        ranked: list[str] = []
        content_iter = iter(content)
        for i, word in enumerate(function):
            ranked.append(word)
            if i >= 30 and i % 12 == 0:
                ranked.append(next(content_iter))
        rest_content = list(content_iter)
        extras = names + numbers
        rng.shuffle(extras)
        pseudo_iter = iter(pseudo)
        ci = ei = 0
        position = len(ranked)
        for word in pseudo_iter:
            ranked.append(word)
            position += 1
            if ci < len(rest_content) and position % 7 == 0:
                ranked.append(rest_content[ci])
                ci += 1
            if ei < len(extras) and position % 53 == 0 and position > 400:
                ranked.append(extras[ei])
                ei += 1
        ranked.extend(rest_content[ci:])
        ranked.extend(extras[ei:])
        self.words: list[str] = ranked
        self.function_count = len(function)
        weights = [1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(ranked))]
        self.total_weight = sum(weights)
        self.probability = [w / self.total_weight for w in weights]
        self.cum: list[float] = list(itertools.accumulate(weights))
        # Title / heading vocabulary: everything but the function words.
        self.function_set = set(function)
        content_ranks = [r for r, w in enumerate(ranked) if w not in self.function_set]
        self.content_ranks = content_ranks
        self.content_words = [ranked[r] for r in content_ranks]
        self.content_cum = list(itertools.accumulate(weights[r] for r in content_ranks))
        self.names_first = FIRST_NAMES
        self.names_last = SURNAMES
        self.places = PLACES

    @staticmethod
    def _pseudo_words(rng: random.Random, count: int, reserved: set[str]) -> list[str]:
        words: list[str] = []
        seen = set(reserved)
        while len(words) < count:
            # Longer words at lower ranks, as in real text.
            syllables = 1 + min(2, int(rng.random() * 1.2 + 1.6 * len(words) / count))
            word = "".join(
                rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                for _ in range(syllables)
            )
            if rng.random() < 0.3:
                word += rng.choice(ENDINGS)
            if 3 <= len(word) <= 16 and word not in seen:
                seen.add(word)
                words.append(word)
        return words

    def sample(self, rng: random.Random, k: int) -> list[str]:
        """``k`` words drawn from the Zipf distribution."""
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def sample_content(self, rng: random.Random, k: int) -> list[str]:
        """``k`` words drawn from the content part of the distribution."""
        return rng.choices(self.content_words, cum_weights=self.content_cum, k=k)


_VOCAB: Vocabulary | None = None


def _vocab(seed: int) -> Vocabulary:
    global _VOCAB
    if _VOCAB is None or getattr(_VOCAB, "_seed", None) != seed:
        _VOCAB = Vocabulary(seed)
        _VOCAB._seed = seed  # type: ignore[attr-defined]
    return _VOCAB


def _article_rng(seed: int, index: int) -> random.Random:
    return random.Random(seed * 1_000_003 + index)


def _length(rng: random.Random) -> int:
    words = int(rng.lognormvariate(math.log(MEDIAN_WORDS), LENGTH_SIGMA))
    return max(60, min(MAX_REGULAR_WORDS, words))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(vocab: Vocabulary, rng: random.Random) -> str:
    words = vocab.sample_content(rng, rng.randint(3, 7))
    shape = rng.random()
    if shape < 0.25:
        words = ["the", *words]
    elif shape < 0.4 and len(words) > 3:
        words.insert(2, rng.choice(["of", "and", "in", "for"]))
    elif shape < 0.5:
        words.insert(0, rng.choice(vocab.places) + ":")
    title = " ".join(_cap(w) if len(w) > 3 or i == 0 else w for i, w in enumerate(words))
    if rng.random() < 0.12:
        title += "?"
    return title


def _sentences(vocab: Vocabulary, rng: random.Random, words: list[str]) -> list[str]:
    """Cut ``words`` into punctuated sentences."""
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        length = min(n - i, max(4, int(rng.gauss(17, 7))))
        chunk = words[i : i + length]
        i += length
        if length > 11:
            at = rng.randint(4, length - 4)
            chunk[at] = chunk[at] + ","
        if rng.random() < 0.08:
            at = rng.randrange(length)
            chunk[at] = f"*{chunk[at].rstrip(',')}*"
        sentence = " ".join(chunk)
        end = "." if rng.random() < 0.92 else rng.choice(("?", "!", ":"))
        out.append(_cap(sentence) + end)
    return out


def _body(
    vocab: Vocabulary,
    rng: random.Random,
    target_words: int,
    topic: Sequence[str] = (),
) -> list[str]:
    """Markdown blocks (paragraphs, headings, lists, quotes) of about ``target_words``."""
    words = vocab.sample(rng, target_words)
    if topic:
        # Sprinkle the topic's words in so the article reads as being about it.
        for _ in range(target_words // 40):
            words[rng.randrange(target_words)] = rng.choice(topic)
    blocks: list[str] = []
    i = 0
    since_heading = 0
    long_form = target_words > 700
    while i < target_words:
        roll = rng.random()
        if long_form and since_heading >= rng.randint(4, 9):
            heading = " ".join(vocab.sample_content(rng, rng.randint(2, 6)))
            level = "##" if rng.random() < 0.8 else "###"
            blocks.append(f"{level} {_cap(heading)}")
            since_heading = 0
            continue
        since_heading += 1
        if roll < 0.06 and target_words - i > 30:
            items = []
            for _ in range(rng.randint(3, 6)):
                size = rng.randint(3, 12)
                items.append("- " + _cap(" ".join(words[i : i + size])))
                i += size
            blocks.append("\n".join(items))
        elif roll < 0.10 and target_words - i > 30:
            size = rng.randint(15, 45)
            quote = " ".join(_sentences(vocab, rng, words[i : i + size]))
            i += size
            who = f"{rng.choice(vocab.names_first)} {rng.choice(vocab.names_last)}"
            blocks.append(f"> {quote}\n>\n> — {who}")
        else:
            size = max(20, int(rng.gauss(75, 35)))
            paragraph = " ".join(_sentences(vocab, rng, words[i : i + size]))
            i += size
            if rng.random() < 0.05:
                anchor = rng.choice(vocab.content_words[:5000])
                paragraph += f" See [{anchor}](https://example.org/{anchor})."
            blocks.append(paragraph)
    return blocks


def _slug(text: str, limit: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:limit]) or "untitled"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class _Meta:
    title: str
    author: str
    date: str
    url: str
    source: str
    section: str
    tags: list[str]
    folder: str


_TAGS_CACHE: dict[int, list[str]] = {}


def _tags_pool(vocab: Vocabulary, seed: int) -> list[str]:
    if seed not in _TAGS_CACHE:
        rng = random.Random(seed ^ 0x7A65)
        pool = list(dict.fromkeys(CONTENT_WORDS))[:120] + rng.sample(vocab.words[300:6000], 80)
        _TAGS_CACHE[seed] = pool
    return _TAGS_CACHE[seed]


def _meta(vocab: Vocabulary, seed: int, rng: random.Random, index: int, title: str) -> _Meta:
    source_i = min(len(SOURCES) - 1, int(rng.paretovariate(1.2)) - 1)
    source_i = (source_i + index % 3) % len(SOURCES) if rng.random() < 0.3 else source_i
    source, domain = SOURCES[source_i]
    section = SECTIONS[min(len(SECTIONS) - 1, int(rng.expovariate(0.25)))]
    author_n = min(2999, int(rng.paretovariate(0.9)) - 1)
    arng = random.Random(seed * 31 + author_n)
    author = f"{arng.choice(FIRST_NAMES)} {arng.choice(SURNAMES)}"
    day = rng.randrange(6390)  # 2008-01-01 + up to ~17.5 years
    year, month, dom = _date(day)
    date = f"{year:04d}-{month:02d}-{dom:02d}"
    pool = _tags_pool(vocab, seed)
    tags = sorted(set(rng.choices(pool, k=rng.randint(0, 4))))
    url = f"https://{domain}/{section.lower()}/{year}/{month:02d}/{_slug(title)}-{index}"
    folder = f"{_slug(source, 3)}/{year}"
    return _Meta(title, author, date, url, source, section, tags, folder)


_MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _date(day: int) -> tuple[int, int, int]:
    year = 2008
    while True:
        length = 366 if year % 4 == 0 else 365
        if day < length:
            break
        day -= length
        year += 1
    for m, days in enumerate(_MONTH_DAYS, start=1):
        if m == 2 and year % 4 == 0:
            days = 29
        if day < days:
            return year, m, day + 1
        day -= days
    return year, 12, 31


def _render(meta: _Meta, blocks: list[str]) -> str:
    tags = ", ".join(meta.tags)
    head = (
        "---\n"
        f"title: {_yaml_str(meta.title)}\n"
        f"author: {_yaml_str(meta.author)}\n"
        f"date: {meta.date}\n"
        f"url: {meta.url}\n"
        f"source: {_yaml_str(meta.source)}\n"
        f"section: {meta.section}\n"
        f"tags: [{tags}]\n"
        "---\n\n"
    )
    return head + "\n\n".join(blocks) + "\n"


def _file_name(meta: _Meta, index: int) -> str:
    return f"{meta.folder}/{index:06d}-{_slug(meta.title, 5)}.md"


def make_article(seed: int, index: int) -> tuple[str, str, int, _Meta]:
    """Generate one ordinary article: ``(relative path, text, word count, meta)``.

    :param seed: the corpus seed.
    :param index: the article's index; the same pair always gives the same article.
    """
    vocab = _vocab(seed)
    rng = _article_rng(seed, index)
    words = LONG_ARTICLE_WORDS if index == LONG_INDEX else _length(rng)
    title = _title(vocab, rng)
    if index == LONG_INDEX:
        title = "The Long Record: " + title
    meta = _meta(vocab, seed, rng, index, title)
    blocks = _body(vocab, rng, words)
    return _file_name(meta, index), _render(meta, blocks), words, meta


def make_twins(seed: int) -> list[tuple[str, str, int, _Meta]]:
    """The comparison pair: two ~10,000-word articles on one topic sharing passages."""
    vocab = _vocab(seed)
    rng = _article_rng(seed, TWIN_INDEXES[0] * 7919)
    topic = vocab.sample_content(rng, 1) + rng.sample(vocab.words[2000:20000], 24)
    subject = " ".join(_cap(w) for w in topic[:3])
    shared = _body(vocab, rng, TWIN_WORDS // 3, topic)
    shared = [b for b in shared if not b.startswith("#")]
    out = []
    for n, index in enumerate(TWIN_INDEXES):
        own_rng = _article_rng(seed, index)
        own = _body(vocab, own_rng, TWIN_WORDS - TWIN_WORDS // 3, topic)
        blocks: list[str] = []
        shared_iter = iter(shared)
        for block in own:
            blocks.append(block)
            if not block.startswith("#") and own_rng.random() < 0.35:
                passage = next(shared_iter, None)
                if passage is not None:
                    if n == 1 and own_rng.random() < 0.3:
                        # A lightly edited copy: one sentence dropped.
                        passage = ". ".join(passage.split(". ")[1:]) or passage
                    blocks.append(passage)
        blocks.extend(shared_iter)
        title = f"{subject}: {'An Account' if n == 0 else 'A Second Account'}"
        meta = _meta(vocab, seed, own_rng, index, title)
        words = sum(len(b.split()) for b in blocks)
        out.append((_file_name(meta, index), _render(meta, blocks), words, meta))
    return out


def _write_range(args: tuple[int, str, int, int]) -> tuple[int, int]:
    """Worker: write articles ``start..stop``; return (bytes, words)."""
    seed, folder, start, stop = args
    root = Path(folder)
    total_bytes = total_words = 0
    made: set[str] = set()
    for index in range(start, stop):
        if index in TWIN_INDEXES:
            continue
        rel, text, words, _ = make_article(seed, index)
        data = text.encode("utf-8")
        parent = rel.rsplit("/", 1)[0]
        if parent not in made:
            (root / parent).mkdir(parents=True, exist_ok=True)
            made.add(parent)
        (root / rel).write_bytes(data)
        total_bytes += len(data)
        total_words += words
    return total_bytes, total_words


def _expected_df(vocab: Vocabulary, probability: float, samples: list[int]) -> float:
    """Expected fraction of articles containing a word of the given probability."""
    return sum(1.0 - math.exp(-probability * n) for n in samples) / len(samples)


def choose_queries(vocab: Vocabulary, seed: int, articles: int) -> QueryTerms:
    """Pick the benchmark's query terms by expected document frequency.

    :param vocab: the corpus vocabulary.
    :param seed: the corpus seed (for the length sample).
    :param articles: corpus size; the rare word aims at ~0.05 % of it, at least 3.
    """
    rng = random.Random(seed ^ 0xD0C)
    sample = sorted(_length(rng) for _ in range(4000))
    lengths = sample[25::50]  # 80 quantiles stand in for the whole distribution
    prob = vocab.probability
    alpha = re.compile(r"^[a-z]+$")
    by_df: list[tuple[float, str]] = []
    for rank in vocab.content_ranks:
        word = vocab.words[rank]
        if alpha.match(word) and len(word) >= 5:
            by_df.append((_expected_df(vocab, prob[rank], lengths), word))

    def nearest(target: float, skip: set[str]) -> tuple[str, float]:
        best = min(
            (item for item in by_df if item[1] not in skip),
            key=lambda item: abs(math.log(item[0] / target)),
        )
        return best[1], best[0]

    rare, rare_df = nearest(max(0.0005, 3.0 / articles), set())
    mid, mid_df = nearest(0.013, {rare})
    common, common_df = nearest(0.72, {rare, mid})
    vocab_set = set(vocab.words)
    # Prefixes: coverage = chance an article has any word starting with it.
    masses: dict[str, float] = {}
    for rank, word in enumerate(vocab.words):
        if alpha.match(word) and len(word) >= 4:
            for size in (2, 4):
                masses[word[:size]] = masses.get(word[:size], 0.0) + prob[rank]
    # Leave out prefixes of very frequent function words so the prefix query
    # measures the index, not one stopword.
    top = {w[:2] for w in vocab.words[:40]} | {w[:4] for w in vocab.words[:120]}
    cover = {p: _expected_df(vocab, m, lengths) for p, m in masses.items() if p not in top}
    prefix2 = max(
        (p for p in cover if len(p) == 2 and cover[p] < 0.995),
        key=lambda p: (cover[p], p),
    )
    prefix4 = min(
        (p for p in cover if len(p) == 4),
        key=lambda p: (abs(math.log(cover[p] / 0.30)), p),
    )
    typo = mid
    for i in range(1, len(mid) - 1):
        candidate = mid[:i] + mid[i + 1] + mid[i] + mid[i + 2 :]
        if candidate != mid and candidate not in vocab_set:
            typo = candidate
            break
    return QueryTerms(
        rare=rare,
        mid=mid,
        common=common,
        stopword="the",
        prefix2=prefix2,
        prefix4=prefix4,
        typo=typo,
        expected_df={
            "rare": rare_df,
            "mid": mid_df,
            "common": common_df,
            "prefix2": cover[prefix2],
            "prefix4": cover[prefix4],
        },
    )


def manifest_path(folder: Path) -> Path:
    """Where the manifest of ``folder`` lives (beside it, so imports never see it)."""
    folder = Path(folder)
    return folder.with_name(folder.name + ".json")


def load_manifest(folder: Path) -> Manifest | None:
    """The manifest of a previously generated folder, or None."""
    path = manifest_path(folder)
    if not path.exists() or not Path(folder).is_dir():
        return None
    try:
        return Manifest.from_json(path.read_text())
    except (ValueError, TypeError, KeyError):
        return None


def generate(
    folder: Path,
    articles: int = DEFAULT_ARTICLES,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    reuse: bool = True,
    log: bool = False,
) -> Manifest:
    """Write ``articles`` Markdown files into ``folder`` and return the manifest.

    :param folder: output folder; emptied first unless a matching corpus is there.
    :param articles: number of articles (at least 4, for the special ones).
    :param seed: the seed; the same seed and size always give the same bytes.
    :param workers: processes to use (default: CPU count, 1 for small corpora).
    :param reuse: keep an existing folder whose manifest matches seed, size and version.
    :param log: print progress to stderr.
    """
    folder = Path(folder)
    if articles < 4:
        raise ValueError("need at least 4 articles")
    if reuse:
        existing = load_manifest(folder)
        if (
            existing is not None
            and existing.version == GENERATOR_VERSION
            and existing.seed == seed
            and existing.articles == articles
        ):
            return existing
    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    manifest_path(folder).unlink(missing_ok=True)
    vocab = _vocab(seed)
    _tags_pool(vocab, seed)
    if workers is None:
        workers = 1 if articles < 10_000 else (os.cpu_count() or 1)
    chunk = 2_000
    ranges = [
        (seed, str(folder), start, min(articles, start + chunk))
        for start in range(0, articles, chunk)
    ]
    total_bytes = total_words = 0
    if workers > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for done, (nbytes, nwords) in enumerate(pool.imap_unordered(_write_range, ranges)):
                total_bytes += nbytes
                total_words += nwords
                if log:
                    print(
                        f"\r  generated {min(articles, (done + 1) * chunk):,}",
                        end="",
                        file=sys.stderr,
                    )
        if log:
            print(file=sys.stderr)
    else:
        for r in ranges:
            nbytes, nwords = _write_range(r)
            total_bytes += nbytes
            total_words += nwords

    twins = []
    for rel, text, words, meta in make_twins(seed):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total_bytes += len(data)
        total_words += words
        index = TWIN_INDEXES[len(twins)]
        twins.append(SpecialArticle(index, rel, meta.title, meta.url, words))
    rel, _, words, meta = make_article(seed, LONG_INDEX)
    long_article = SpecialArticle(LONG_INDEX, rel, meta.title, meta.url, words)
    jump_titles = [make_article(seed, i)[3].title for i in range(10, 16)]
    manifest = Manifest(
        version=GENERATOR_VERSION,
        seed=seed,
        articles=articles,
        folder=str(folder),
        total_bytes=total_bytes,
        total_words=total_words,
        seconds=round(time.perf_counter() - started, 2),
        long_article=long_article,
        twins=twins,
        queries=choose_queries(vocab, seed, articles),
        jump_titles=jump_titles,
    )
    manifest_path(folder).write_text(manifest.to_json())
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a corpus folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args(argv)
    manifest = generate(
        args.folder, args.articles, args.seed, args.workers, reuse=not args.force, log=True
    )
    print(
        f"{manifest.articles:,} articles, {manifest.total_words:,} words, "
        f"{manifest.total_bytes / 2**20:,.1f} MiB in {manifest.seconds:.1f} s -> {args.folder}"
    )
    print(f"manifest: {manifest_path(args.folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
