"""Collect static files into the data folder only when they changed since the last collection.

`serve` runs this at every start: a stamp of the sources' names, sizes and times, kept beside
the collected files, makes an unchanged start cost a directory walk instead of a rebuild.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".zhenggai-static-stamp"


def sources_stamp() -> str:
    digest = hashlib.sha256()
    for finder in get_finders():
        for name, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = Path(storage.path(name)).stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_if_needed() -> bool:
    """Run collectstatic when the sources changed or the manifest is missing; returns whether it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp_file = root / STAMP
    stamp = sources_stamp()
    fresh = (root / "staticfiles.json").exists() and stamp_file.exists() and stamp_file.read_text() == stamp
    if fresh:
        return False
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp_file.write_text(stamp)
    return True
