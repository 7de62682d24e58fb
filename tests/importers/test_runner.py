"""Importing paths into a library: folders, bad files, re-imports, the report."""

from __future__ import annotations

import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from importers import import_paths
from store.library import Library


def make_tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text("# Alpha\n\nThe alpha article.\n", encoding="utf-8")
    (root / "sub" / "b.md").write_text("---\ntitle: Beta\n---\nThe beta article.\n")
    (root / "sub" / "c.txt").write_bytes(
        "Gamma\n\nThe gamma article, in UTF-16.\n".encode("utf-16")
    )
    (root / "empty.md").write_text("")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (root / ".hidden.md").write_text("# Hidden\n\nskip me\n")
    return root


def test_folder_import_reports_failures_and_keeps_going(tmp_path: Path, library: Library) -> None:
    folder = make_tree(tmp_path / "in")
    seen: list[str] = []
    report = import_paths(library, [folder], progress=lambda d, t, n: seen.append(n))
    assert report.added == 3
    assert sorted(Path(n).name for n, _ in report.failed) == ["empty.md", "image.png"]
    assert dict((Path(n).name, r) for n, r in report.failed)["image.png"].startswith("binary")
    assert len(seen) == 5
    assert sorted(s.title for s in library.summaries()) == ["Alpha", "Beta", "Gamma"]


def test_reimport_adds_nothing_and_keeps_ids(tmp_path: Path, library: Library) -> None:
    folder = make_tree(tmp_path / "in")
    first = import_paths(library, [folder])
    second = import_paths(library, [folder])
    assert second.added == 0 and second.duplicates == 3
    assert sorted(r.id for r in first.results) == sorted(r.id for r in second.results)


def test_missing_path_is_a_failure_not_a_crash(tmp_path: Path, library: Library) -> None:
    report = import_paths(library, [tmp_path / "nope.md"])
    assert report.failed == [(str(tmp_path / "nope.md"), "no such file")]


def test_parallel_import_matches_serial(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):
        (folder / f"{i:03}.md").write_text(f"# Article {i}\n\nWords number {i} here.\n")
    with Library(tmp_path / "p.db") as parallel, Library(tmp_path / "s.db") as serial:
        a = import_paths(parallel, [folder], workers=2)
        b = import_paths(serial, [folder], workers=1)
        assert a.added == b.added == 80
        titles = [s.title for s in parallel.summaries(sort="title", limit=200)]
        assert titles == [s.title for s in serial.summaries(sort="title", limit=200)]


def test_report_counts_reanchored_and_orphaned_notes() -> None:
    from importers.runner import ImportReport
    from store.models import StoreResult

    report = ImportReport()
    report.count(StoreResult(1, "added", "article", "A"))
    assert "notes" not in report.summary()
    report.count(StoreResult(2, "updated", "article", "B", reanchored=3, orphaned=1))
    report.count(StoreResult(3, "updated", "article", "C", reanchored=1))
    assert report.summary().endswith("; notes: 4 re-anchored, 1 orphaned")
    assert (report.to_dict()["reanchored"], report.to_dict()["orphaned"]) == (4, 1)


def test_bad_front_matter_is_imported_and_warned_about(tmp_path: Path, library: Library) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\n# Kept\n\nBody.\n")
    (tmp_path / "good.md").write_text("# Good\n\nBody.\n")
    report = import_paths(library, [tmp_path])
    assert (report.added, report.failed) == (2, [])
    [(name, reason)] = report.warnings
    assert Path(name).name == "bad.md"
    assert reason.startswith("front matter is not valid YAML")
    assert report.summary().endswith("; 1 warnings")
    assert report.to_dict()["warnings"] == [{"source": name, "reason": reason}]


def _own_niceness() -> int:
    import os

    return os.nice(0)


def test_parse_workers_of_a_large_import_run_at_lower_priority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from importers import runner

    seen: list[int] = []
    real = runner._parallel

    def parallel(names: list[str], workers: int, chunk: int = 32, nice: int = 0):  # noqa: ANN202
        seen.append(nice)
        return real(names, workers, chunk, nice)

    monkeypatch.setattr(runner, "_parallel", parallel)
    monkeypatch.setattr(runner, "BULK_THRESHOLD", 3)
    monkeypatch.setattr(runner, "POOL_THRESHOLD", 3)
    with tempfile.TemporaryDirectory() as folder:
        for n in range(4):
            Path(folder, f"a{n}.md").write_text(f"# Title {n}\n\nwords {n}\n", encoding="utf-8")
        with Library(Path(folder) / "lib.db") as library:
            report = runner.import_paths(library, [folder], workers=1)
    assert report.added == 4
    assert seen == [runner.WORKER_NICE] and runner.WORKER_NICE > 0
    # The initializer lowers the worker's priority, not this process's.
    with ProcessPoolExecutor(
        max_workers=1, initializer=runner._lower_priority, initargs=(3,)
    ) as pool:
        assert pool.submit(_own_niceness).result() == min(19, os.nice(0) + 3)
