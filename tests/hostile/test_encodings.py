"""Files in every common encoding, and broken ones: imported readable or refused clearly."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from importers import import_paths
from store.library import Library

WESTERN = "Café déjà vu — naïve façade in Zürich, Kraków and São Paulo.\n\n" * 4
JAPANESE = "東京の天気は晴れです。これは日本語で書かれた記事の本文です。\n\n" * 4
CHINESE = "北京今天天气很好。这是一篇用中文写的文章的正文。\n\n" * 4


def article(title: str, body: str) -> str:
    return f"# {title}\n\n{body}"


CASES = {
    "utf8.md": (article("UTF-8", WESTERN).encode(), WESTERN),
    "utf8-bom.md": (codecs.BOM_UTF8 + article("UTF-8 BOM", WESTERN).encode(), WESTERN),
    "utf16le-bom.md": (
        codecs.BOM_UTF16_LE + article("UTF-16 LE", WESTERN).encode("utf-16-le"),
        WESTERN,
    ),
    "utf16be-bom.md": (
        codecs.BOM_UTF16_BE + article("UTF-16 BE", WESTERN).encode("utf-16-be"),
        WESTERN,
    ),
    "utf16le.md": (article("UTF-16 LE bare", WESTERN).encode("utf-16-le"), WESTERN),
    "utf16be.md": (article("UTF-16 BE bare", WESTERN).encode("utf-16-be"), WESTERN),
    "cp1252.md": (article("Windows-1252", WESTERN).encode("cp1252"), WESTERN),
    "latin1.md": (
        article("Latin-1", "Les élèves étaient très fâchés à propos de la réforme. " * 6).encode(
            "latin-1"
        ),
        "Les élèves étaient très fâchés",
    ),
    "shift-jis.md": (article("日本語", JAPANESE).encode("shift_jis"), JAPANESE),
    "gb18030.md": (article("中文", CHINESE).encode("gb18030"), CHINESE),
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each case file imported in one batch: its stored plain text by file name."""
    folder = tmp_path_factory.mktemp("encodings")
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(data)
    with Library(":memory:") as library:
        report = import_paths(library, [folder], workers=0)
        assert report.failed == []
        return {
            Path(str(source)).name: library.get(result.id).body_text
            for result, source in zip(report.results, report.sources, strict=True)
        }


@pytest.mark.parametrize("name", CASES)
def test_each_encoding_imports_readable(imported: dict[str, str], name: str) -> None:
    expected = CASES[name][1]
    text = imported[name]
    assert " ".join(expected.split()[:6]) in " ".join(text.split())
    assert "\ufffd" not in text and "\ufeff" not in text


def read(tmp_path: Path, name: str, data: bytes) -> tuple[str | None, str | None]:
    """(stored text, failure reason) of importing one file."""
    (tmp_path / name).write_bytes(data)
    with Library(":memory:") as library:
        report = import_paths(library, [tmp_path / name], workers=0)
        if report.failed:
            ((_, reason),) = report.failed
            return None, reason
        (result,) = report.results
        return library.get(result.id).body_text, None


def test_utf8_with_a_few_broken_bytes_keeps_its_text(tmp_path: Path) -> None:
    data = article("Broken", WESTERN).encode()
    data = data.replace(b" vu", b" \xffvu", 1).replace(b" in ", b" \xc3in ", 1)
    text, failure = read(tmp_path, "broken.md", data)
    assert failure is None
    assert "déjà vu" in text and "São Paulo" in text  # read as UTF-8, not as a code page
    assert text.count("\ufffd") <= 2


def test_japanese_utf8_with_a_broken_byte_is_not_refused(tmp_path: Path) -> None:
    data = article("壊れた", JAPANESE).encode()
    text, failure = read(tmp_path, "broken-ja.md", data[:60] + b"\xff" + data[60:])
    assert failure is None
    assert "東京の天気は晴れです" in text


def test_lone_surrogates_are_dropped(tmp_path: Path) -> None:
    body = "Before \ud800 after, and a low one \udc00 too. " * 3
    for name, data in {
        "wtf8.md": article("Surrogates", body).encode("utf-8", "surrogatepass"),
        "utf16.md": codecs.BOM_UTF16_LE
        + article("Surrogates", body).encode("utf-16-le", "surrogatepass"),
    }.items():
        text, failure = read(tmp_path, name, data)
        assert failure is None, name
        assert "Before" in text and "after, and a low one" in text
        assert not any("\ud800" <= char <= "\udfff" for char in text), name
        text.encode("utf-8")  # storable and printable: strict UTF-8 works


def test_random_bytes_are_refused_in_one_line(tmp_path: Path) -> None:
    import random

    noise = random.Random(3).randbytes(20_000)
    text, failure = read(tmp_path, "noise.md", noise)
    assert text is None
    assert failure in {"binary file, not text", "not text in any encoding Margin recognises"}


def test_japanese_plain_text_imports(tmp_path: Path) -> None:
    data = ("日本語の記事\n\n" + JAPANESE * 2).encode("shift_jis")
    text, failure = read(tmp_path, "ja.txt", data)
    assert failure is None and "東京" in text
