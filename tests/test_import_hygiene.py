"""store/ and importers/ never import the UI toolkit."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

from tests.conftest import REPO


def test_store_and_importers_do_not_import_textual_or_rich() -> None:
    modules = [
        f"{package}.{info.name}"
        for package in ("store", "importers")
        for info in pkgutil.iter_modules([str(REPO / package)])
    ]
    assert "store.library" in modules and "importers.runner" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
