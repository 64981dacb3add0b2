"""Compile the parser's text steps with mypyc, in place (see zhenggai/ingest/native.py).

Run by scripts/setup.sh when a C compiler and the Python headers are present; safe to run again.
Exit status 0 when the compiled modules are in place, 1 (with the compiler's output) otherwise,
in which case the parser runs from source, correctly and more slowly.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from mypyc.build import mypycify
    from setuptools import setup

    from zhenggai.ingest import native

    for old in native.libraries():
        old.unlink()
    paths = [str(p.relative_to(ROOT)) for p in native.sources()]
    # Only the listed modules are checked strictly; what they import is taken as declared.
    options = ["--follow-imports=silent", "--ignore-missing-imports", "--cache-dir=/dev/null"]
    with tempfile.TemporaryDirectory(prefix="zhenggai-native-") as build:
        # Built from a directory of its own that links to the package, so that setuptools does not
        # read the project's pyproject.toml; --inplace writes the modules through the link.
        os.symlink(ROOT / "zhenggai", Path(build) / "zhenggai")
        os.chdir(build)
        extensions = mypycify([*options, *paths], group_name=native.GROUP, opt_level="3", target_dir="c")
        setup(
            name="zhenggai-native",
            ext_modules=extensions,
            script_args=["-q", "build_ext", "--inplace", "--build-temp", "tmp"],
        )
        os.chdir(ROOT)
    missing = [name for name in native.MODULES if not any(p.name.startswith(f"{name}.") for p in native.libraries())]
    if missing:
        print(f"build_native: not compiled: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
