"""Images: opening the 50,000-word article with and without a dozen images, and
drawing one; importing saved web pages with their images placed and checked.

```sh
uv run python tests/bench/images_bench.py            # ~30 s
uv run python tests/bench/images_bench.py --quick    # fewer rounds, for the harness test
```

Open is timed as the reader does it: ``Library.get`` → ``parse_markdown`` →
``Library.article_images`` → ``ArticleView.set_document`` → painted. No image
bytes are read for that (only the pixel sizes); "draw the first image" is the
time from scrolling to a picture to its half-block lines being painted (read,
decode and scale in a worker). Web pages: ``import_paths`` over
``../shared/fixtures/web-dev/html`` (skipped when absent), one process, pages
whose images are remote (kept offline: reported, not fetched).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "bench"))

from corpus import _body, _vocab  # noqa: E402

from store.library import Library  # noqa: E402
from store.models import ArticleDraft  # noqa: E402

OPEN_MS = 150.0
IMAGES = 12
FIXTURES = REPO.parent / "shared" / "fixtures" / "web-dev" / "html"


def photo(seed: int, size: tuple[int, int] = (1200, 800)) -> bytes:
    """A photo-like JPEG (smooth colour and noise), ~100-200 KB."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.new("RGB", (24, 16))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(24 * 16)])
    image = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.DETAIL)
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def long_markdown(images: int) -> tuple[str, list[Any]]:
    """The 50,000-word article, with ``images`` pictures spread evenly through it."""
    blocks = _body(_vocab(7), random.Random(7), 50_000)
    files: list[Any] = []
    if images:
        from store.images import probe
        from store.models import ImageFile

        step = len(blocks) // (images + 1)
        for n in range(images, 0, -1):
            src = f"long_files/figure-{n}.jpg"
            blocks.insert(n * step, f'![](<{src}> "Figure {n} of the long article")')
            data = photo(n)
            files.append(ImageFile(src, data, *probe(data)))
        blocks.append("This copy has figures.")  # else it is the same text: the same article
    return "\n\n".join(blocks) + "\n", files


def bench_open(rounds: int, baseline: bool = False) -> dict[str, Any]:
    """Median open time of the long article without and with images, and one drawing.

    :param baseline: only without images, on a Margin that has none (to compare).
    """
    from textual.app import App, ComposeResult

    from store.document import Document, parse_markdown
    from tui.widgets.article_view import ArticleView

    folder = Path(tempfile.mkdtemp(prefix="margin-images-"))
    library = Library(folder / "lib.db")
    ids = {}
    for count in (0,) if baseline else (0, IMAGES):
        markdown, files = long_markdown(count)
        title = f"The long article, {count} images"
        extra = {"images": files} if files else {}
        (result,) = library.store(
            [ArticleDraft(title=title, body_markdown=markdown, origin=title, **extra)]
        )
        ids[count] = result.id
    figures: dict[str, Any] = {}

    class Reader(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    async def painted(view: ArticleView) -> None:
        done = asyncio.Event()
        view.call_after_refresh(done.set)
        await done.wait()

    async def drive() -> None:
        app = Reader()
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.query_one(ArticleView)
            times: dict[int, list[float]] = {count: [] for count in ids}
            for i in range(rounds + 2):  # interleaved, the first two rounds warm up
                for count, article_id in ids.items():
                    view.set_document(Document())
                    await pilot.pause()
                    started = time.perf_counter()
                    article = library.get(article_id)
                    assert article is not None
                    document = parse_markdown(article.body_markdown)
                    if any(getattr(block, "pictures", ()) for block in document.blocks):
                        from tui.widgets.image_lines import ImageLines

                        images = ImageLines(library.article_images(article_id), library.image_data)
                        view.set_document(document, images=images)
                    else:
                        view.set_document(document)
                    await painted(view)
                    if i > 1:
                        times[count].append((time.perf_counter() - started) * 1000)
            for count, article_id in ids.items():
                figures[f"open_{count}"] = statistics.median(times[count])
                if count:
                    from tui.widgets.image_lines import ImageLines

                    draws = []
                    for _ in range(rounds):
                        article = library.get(article_id)
                        assert article is not None
                        document = parse_markdown(article.body_markdown)
                        images = ImageLines(library.article_images(article_id), library.image_data)
                        first = next(i for i, b in enumerate(document.blocks) if b.pictures)
                        view.set_document(document, images=images)
                        await painted(view)
                        started = time.perf_counter()
                        view.scroll_to_block(max(0, first - 1))
                        await painted(view)
                        await app.workers.wait_for_complete()
                        await pilot.pause()
                        await painted(view)
                        draws.append((time.perf_counter() - started) * 1000)
                        assert images._drawn, "the picture was not drawn"
                    figures["draw_first"] = statistics.median(draws)
                    figures["words"] = article.word_count
                    figures["image_kb"] = library.image_totals()[1] / 1024 / IMAGES

    asyncio.run(drive())
    library.close()
    return figures


def bench_web_import() -> dict[str, Any] | None:
    """Import the web-dev pages in one process; images placed and checked."""
    if not FIXTURES.is_dir():
        return None
    from importers.runner import import_paths
    from store.document import parse_markdown

    folder = Path(tempfile.mkdtemp(prefix="margin-web-"))
    files = sorted(str(p) for p in FIXTURES.iterdir())
    library = Library(folder / "lib.db")
    started = time.perf_counter()
    report = import_paths(library, files, workers=0)
    seconds = time.perf_counter() - started
    pictures = sum(len(parse_markdown(a.body_markdown).pictures) for a in library.iter_articles())
    library.close()
    return {
        "pages": len(files),
        "seconds": seconds,
        "pages_per_s": len(files) / seconds,
        "pictures": pictures,
        "warned": len(report.warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no web pages")
    parser.add_argument(
        "--baseline", action="store_true", help="only the rows a Margin without images has"
    )
    args = parser.parse_args()
    rounds = 2 if args.quick else 7
    if args.baseline:
        opened = bench_open(rounds, baseline=True)
        print(f"open the 50,000-word article, no images: {opened['open_0']:.1f} ms")
        web = None if args.quick else bench_web_import()
        if web is not None:
            print(f"import web-dev pages: {web['pages_per_s']:.2f} p/s ({web['seconds']:.1f} s)")
        return
    opened = bench_open(rounds)
    rows = [
        ("open the 50,000-word article, no images", f"{opened['open_0']:.1f} ms", OPEN_MS),
        (
            f"open it with {IMAGES} images (~{opened['image_kb']:.0f} KB JPEG each)",
            f"{opened[f'open_{IMAGES}']:.1f} ms",
            OPEN_MS,
        ),
        ("scroll to the first image until it is drawn", f"{opened['draw_first']:.1f} ms", None),
    ]
    print(f"{'row':58} {'median':>12}  target")
    for label, value, target in rows:
        goal = f"≤ {target:g} ms" if target else "(informs)"
        print(f"{label:58} {value:>12}  {goal}")
    if not args.quick:
        web = bench_web_import()
        if web is None:
            print("web pages: fixtures absent, skipped")
        else:
            print(
                f"{'import web-dev pages (1 process)':58} "
                f"{web['pages_per_s']:>8.2f} p/s  {web['pages']} pages in {web['seconds']:.1f} s, "
                f"{web['pictures']} images placed, {web['warned']} pages with images not kept"
            )


if __name__ == "__main__":
    main()
