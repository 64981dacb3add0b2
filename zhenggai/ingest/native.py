"""The parser's text steps compiled to C with mypyc, when they can be, and the source otherwise.

The steps that run per line and per finding (normalise, segment, tree, leaf, fields …) are plain,
fully annotated Python; `scripts/build_native.py` (run by `scripts/setup.sh` when a C compiler is
present) compiles them in place into extension modules, which Python imports ahead of the `.py`
files and which parse the same text about 1.5 times as fast. Everything else stays Python.

A compiled module older than its source would silently run yesterday's code, so when any source
is newer than the compiled library (or ZHENGGAI_PURE_PARSER=1 is set) every compiled step is
imported from its source instead. This module must be imported before any of the steps are.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE = "zhenggai.ingest"
HERE = Path(__file__).resolve().parent
# The group's shared library; mypyc names it after the group, inside this package.
GROUP = f"{PACKAGE}.compiled"
MODULES = ("decode", "normalise", "cues", "status", "segment", "leaf", "tree", "fields", "checks", "build")
PURE_ENV = "ZHENGGAI_PURE_PARSER"


def sources() -> list[Path]:
    return [HERE / f"{name}.py" for name in MODULES]


def libraries() -> list[Path]:
    """Every extension file of the compiled group present in the package directory."""
    stems = {*MODULES, "compiled__mypyc"}
    return sorted(p for p in HERE.iterdir() if p.name.split(".", 1)[0] in stems and _is_extension(p))


def _is_extension(path: Path) -> bool:
    return any(path.name.endswith(suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES)


def stale() -> bool:
    """Whether some step's source changed after the compiled library was built (or none was)."""
    libs = libraries()
    if not libs:
        return False
    built = min(p.stat().st_mtime for p in libs)
    return any(src.stat().st_mtime > built for src in sources())


def compiled() -> bool:
    """Whether the text steps in use are the compiled ones."""
    module = sys.modules.get(f"{PACKAGE}.segment")
    if module is None:
        module = importlib.import_module(f"{PACKAGE}.segment")
    return not str(getattr(module, "__file__", "")).endswith(".py")


class _SourceFirst:
    """A meta-path finder that loads the compiled steps from their `.py` files."""

    def find_spec(self, fullname: str, path: object = None, target: object = None):
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f"{name}.py")


def choose() -> None:
    """Prefer the sources when asked to, or when the compiled library is older than they are."""
    if not libraries():
        return
    wanted = os.environ.get(PURE_ENV) == "1" or stale()
    if wanted and not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst())


choose()  # on import: zhenggai.ingest imports this module before any step
