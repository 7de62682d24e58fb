"""The metadata benchmark's scoring rules (tests/bench/meta_quality.py), as meta-dev states them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "meta_quality.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("meta_quality", _PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["meta_quality"] = module
    spec.loader.exec_module(module)
    return module


def test_author_names_follow_the_readme(bench) -> None:
    assert bench.author_names("By\n\t\t\tScott Cunningham") == ["Scott Cunningham"]
    assert bench.author_names("Jong, Michiel de") == ["Jong, Michiel de"]
    assert bench.author_names("Bradley M. Kuhn (http://ebb.org/bkuhn/)") == ["Bradley M. Kuhn"]
    assert bench.author_names("By Brenda  Goodman, MA\n   WebMD Health News") == [
        "Brenda  Goodman",
        "WebMD Health News",
    ]
    assert bench.author_names("Alexandre Hervaud, Jérémy Piette") == [
        "Alexandre Hervaud",
        "Jérémy Piette",
    ]
    assert bench.author_names("April 28, 2019 at 6:01 am Updated April 29, 2019") == []


def test_field_rules(bench) -> None:
    assert bench.same_authors("Brenda Goodman", ["Brenda Goodman", "WebMD Health News"])
    assert not bench.same_authors("Brenda Goodman, Jane Roe", ["Brenda Goodman"])
    assert bench.same_text("Colophon", "Daring Fireball: Colophon")
    assert not bench.same_text("Daring Fireball", "Superbugs: What They Are")
    assert bench.same_day("2015-10-15T02:19:15Z", "2015-10-14T22:19:15-04:00")
    assert not bench.same_day("2015-10-15", "2015-10-14")
    assert bench.same_lang("en-GB", "en-us") and not bench.same_lang("fr", "en")


def test_runs_on_a_small_collection(bench, tmp_path: Path, capsys) -> None:
    page = tmp_path / "meta-dev" / "harbour-1"
    page.mkdir(parents=True)
    words = " ".join(["The harbour master measured the tide every night."] * 30)
    (page / "source.html").write_text(
        "<html lang='en'><head><title>Tide clocks | Gazette</title>"
        "<meta property='og:title' content='Tide clocks'>"
        "<meta property='og:site_name' content='Gazette'></head>"
        f"<body><h1>Tide clocks</h1><p>{words}</p><p>{words}</p></body></html>"
    )
    expected = {
        "title": "Tide clocks",
        "byline": "Maren Holt",
        "siteName": "Gazette",
        "publishedTime": None,
        "lang": "en",
    }
    (page / "expected-metadata.json").write_text(json.dumps(expected))
    args = type("Args", (), {"meta_dev": tmp_path / "meta-dev", "loso": False, "show": []})
    summary = bench.run_meta_dev(args)
    assert summary["margin"]["title"] == 1.0 and summary["margin"]["site"] == 1.0
    assert summary["margin"]["author"] == 0.0  # no byline on the page: scored as wrong
    assert summary["ok"] is False
    assert "meta-dev: 1 pages" in capsys.readouterr().out
