"""The benchmark's quick run: every figure is reported, built or not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent / "bench" / "run.py"

ROW_NAMES = [
    "import_throughput",
    "db_size_ratio",
    "search_rare",
    "search_mid",
    "search_common",
    "search_stopword",
    "search_prefix2",
    "search_prefix4",
    "search_phrase",
    "search_title_field",
    "search_typo",
    "cli_search",
    "quick_jump",
    "cold_start",
    "open_long_article",
    "scroll_long_article",
    "compare_twins",
    "memory_library_open",
]
"""The contract: these rows never disappear (a missing feature shows "not built")."""


def test_quick_bench_reports_every_row(tmp_path: Path) -> None:
    """``run.py --articles 2000 --quick`` exits 0 and its JSON has every row."""
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--articles",
            "2000",
            "--quick",
            "--workdir",
            str(tmp_path),
            "--json-out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=400,  # a minute or two on a quiet machine; a loaded one is slower
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())
    for name in ROW_NAMES:
        assert name in report, f"row {name} missing"
        row = report[name]
        assert {"value", "unit", "target", "ok"} <= row.keys(), name
        assert row["value"] is not None, name
    assert {"peers", "machine"} <= report.keys()
    assert report["machine"]["articles"] == 2000
    # The table went to stdout with one line per row.
    for name in ROW_NAMES:
        assert report[name]["label"] in proc.stdout


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    """The same seed and size give the same files, byte for byte."""
    sys.path.insert(0, str(RUN.parent))
    try:
        import corpus
    finally:
        sys.path.remove(str(RUN.parent))

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.md")}

    first = corpus.generate(tmp_path / "a", articles=40, seed=5, workers=1)
    second = corpus.generate(tmp_path / "b", articles=40, seed=5, workers=1)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert len(snapshot(tmp_path / "a")) == 40
    assert first.queries == second.queries
    assert first.long_article.words == 50_000
    assert "\ntitle: " in (tmp_path / "a" / first.long_article.path).read_text()
