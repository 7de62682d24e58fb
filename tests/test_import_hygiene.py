"""store/ and importers/ never import the UI toolkit."""

from __future__ import annotations

import pkgutil

from tests.conftest import REPO, run_python


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
    done = run_python(code)
    assert done.returncode == 0, done.stderr
