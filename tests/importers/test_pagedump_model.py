"""The page-dump block and title models, CJK counting, and the quality bench's harness."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from importers import pagedump, pagedump_model
from importers.base import Source
from importers.pagedump import PageDumpImporter, count_words

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "pagedump"
BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture()
def no_model() -> Iterator[None]:
    """Rules only, for the duration of one test."""
    shipped = pagedump_model.installed()
    pagedump_model.install({})
    yield
    pagedump_model.install(shipped)


def _parse(text: str) -> list:
    return PageDumpImporter().parse(Source(name="page.txt", data=text.encode("utf-8")))


def test_chinese_is_counted_by_characters() -> None:
    assert count_words("本报讯记者昨日报道") == 5  # nine characters, two to a word
    assert count_words("iPhone 发布会 2024") == 2 + 2  # two words, three characters
    assert count_words("plain English words here") == 4


_PARAGRAPHS = [
    "昨日上午，市政府召开新闻发布会，介绍今年城市公共交通建设的进展情况。"
    "据介绍，全市新开通公交线路二十条，地铁三号线也将于年底前投入试运营。",
    "交通部门负责人表示，新线路主要覆盖城市东部和南部的新建居民区，"
    "解决了数十万居民出行不便的问题。市民对此普遍表示欢迎。",
    "据悉，明年本市还将继续加大投入，计划再建设两条地铁线路，"
    "并对老旧公交车辆进行全面更新，以改善市民的乘车体验。",
]


def _chinese_page() -> str:
    menu = ["首页", "新闻", "体育", "娱乐", "财经", "科技", "汽车", "房产"]
    footer = ["关于我们", "联系我们", "网站地图", "版权所有 © 2024 某某网"]
    return "\n".join(
        [*menu, "本市新开通二十条公交线路", "2024年3月5日 来源：本报", *_PARAGRAPHS, *footer]
    )


def test_a_chinese_article_is_found(no_model: None) -> None:
    """Without the model too: the rules alone find prose written without spaces."""
    drafts = _parse(_chinese_page())
    article = next(d for d in drafts if d.kind == "article")
    for paragraph in _PARAGRAPHS:
        assert paragraph in article.body_markdown
    assert "网站地图" not in article.body_markdown
    assert "体育" not in article.body_markdown.split("\n")[0]


def test_the_shipped_models_load_and_fit_the_features() -> None:
    models = pagedump_model.load()
    assert set(models) == {"block", "title"}
    assert models["block"].names == list(pagedump_model.FEATURES)
    assert models["title"].names == list(pagedump.TITLE_FEATURES)
    assert len(models["block"].weights) == len(pagedump_model.FEATURES)


def test_a_model_that_does_not_fit_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(
        '{"block": {"names": ["other"], "mean": [0], "scale": [1], "weights": [1], "bias": 0}}'
    )
    assert pagedump_model.load(path) == {}
    path.write_text("not json")
    assert pagedump_model.load(path) == {}


def test_a_tree_sends_a_row_left_at_its_threshold_and_right_above_it() -> None:
    tree = [0, 0.5, [1, 2.0, 1.0, 2.0], -3.0]
    assert pagedump_model.tree_value(tree, [0.5, 2.0]) == 1.0
    assert pagedump_model.tree_value(tree, [0.2, 2.5]) == 2.0
    assert pagedump_model.tree_value(tree, [0.9, 0.0]) == -3.0
    assert pagedump_model.tree_value(4.5, [0.0]) == 4.5


def test_trees_add_to_the_linear_log_odds_and_survive_a_round_trip(tmp_path: Path) -> None:
    linear = pagedump_model.Model(["a", "b"], [0.0, 0.0], [1.0, 1.0], [1.0, -1.0], 0.5)
    with_trees = pagedump_model.Model(
        ["a", "b"], [0.0, 0.0], [1.0, 1.0], [1.0, -1.0], 0.5, trees=[[1, 0.0, 2.0, -2.0], 1.0]
    )
    rows = [[1.0, 0.0], [0.0, 1.0]]
    assert pagedump_model.logits(linear, rows) == [1.5, -0.5]
    assert pagedump_model.logits(with_trees, rows) == [1.5 + 2.0 + 1.0, -0.5 - 2.0 + 1.0]
    path = tmp_path / "model.json"
    path.write_text(pagedump_model.dump({"title": with_trees}))
    loaded = pagedump_model.load(path)["title"]
    assert loaded.trees == with_trees.trees
    assert pagedump_model.logits(loaded, rows) == pagedump_model.logits(with_trees, rows)


@pytest.mark.parametrize(
    "trees",
    [[[5, 0.0, 1.0, 2.0]], [[0, 0.0, 1.0]], [[0, "x", 1.0, 2.0]], ["leaf"], [[0, 0.0, 1.0, True]]],
)
def test_a_title_model_with_a_malformed_tree_is_left_out(tmp_path: Path, trees: list) -> None:
    """A tree naming a feature the model has not, or of any other shape, is never used."""
    path = tmp_path / "model.json"
    model = pagedump_model.Model(["a", "b"], [0.0, 0.0], [1.0, 1.0], [1.0, -1.0], 0.5, trees=trees)
    path.write_text(pagedump_model.dump({"title": model}))
    assert pagedump_model.load(path) == {}


def test_the_shipped_title_model_has_its_trees() -> None:
    title = pagedump_model.load()["title"]
    assert 0 < len(title.trees) <= 400
    assert len(title.weights) == len(pagedump.TITLE_FEATURES)


def test_rules_only_and_model_agree_on_a_plain_article(no_model: None) -> None:
    path = SAMPLES / "single-byline.txt"
    rules = PageDumpImporter().parse(Source(name=str(path), data=path.read_bytes()))
    pagedump_model.install(pagedump_model.load())
    learned = PageDumpImporter().parse(Source(name=str(path), data=path.read_bytes()))
    assert rules[0].title == learned[0].title == "Why the Old Lighthouses Are Going Dark"
    assert rules[0].body_markdown == learned[0].body_markdown


def test_the_model_odds_follow_prose_and_chrome() -> None:
    lines, counts, _, _ = pagedump.prepare((SAMPLES / "single-byline.txt").read_text())
    odds = pagedump._apply_model(lines, counts)
    assert odds is not None
    by_text = {line.text: odds[i] for i, line in enumerate(lines) if line.text}
    prose = by_text[next(t for t in by_text if t.startswith("The coastguard spends"))]
    assert prose > 0 > by_text["Privacy Policy"]


def test_repeated_comment_headers_are_not_a_section_page() -> None:
    """``Re: (Score:3)`` above every comment repeats a header shape, but no section page
    gives all its articles one headline."""
    article = [
        "Being Honest In Exit Interviews Is Pointless",
        "By Jane Doe",
        "March 3, 2012",
        "Exit interviews are meant to help a company learn why people leave, but most "
        "of those who have sat through one say that nothing they said ever changed "
        "anything at all, and several told us they had been punished for honesty.",
        "Human resources departments defend the practice. They say that the answers "
        "are collected, counted and reported to managers every quarter, and that some "
        "policies have changed because of what departing staff had to say about them.",
        "Researchers who have studied the interviews are less sure. In their surveys, few "
        "companies could name a single decision that an exit interview had led to.",
    ]
    comment = [
        "Re: (Score:3)",
        "By anonymous",
        "March 4, 2012",
        "I once told them exactly why I was leaving and a week later my old manager "
        "called my new employer to complain about it, which tells you all you need "
        "to know about how confidential these things really are in practice. Since then "
        "I smile, thank them for the opportunity and say nothing else at all, and I "
        "advise every friend of mine who is about to leave a job to do the same.",
    ]
    page = "\n".join([*article, "3 Comments", *comment * 3])
    lines = pagedump._split(page)
    pagedump._classify(lines)
    assert pagedump._section_articles(lines) is None
    drafts = [d for d in _parse(page) if d.kind == "article"]
    assert [d.title for d in drafts] == [article[0]]
    assert "my old manager" not in drafts[0].body_markdown


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("pagedump_quality", BENCH / "pagedump_quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["pagedump_quality"] = module
    spec.loader.exec_module(module)
    return module


def test_bench_scores_as_the_fixture_readme_says(bench) -> None:
    assert bench.score("a b c d e", "a b c d e") == (1.0, 1.0)
    precision, recall = bench.score("a b c d e f", "a b c d e")
    assert precision == pytest.approx(2 / 3) and recall == 1.0
    assert bench.score("", "a b c d") == (0.0, 0.0)


def test_bench_skips_without_fixtures(bench, tmp_path: Path, capsys) -> None:
    assert bench.main(["--fixtures", str(tmp_path)]) == 0
    assert "skipped" in capsys.readouterr().out
