"""A writer that keeps the system busy during a backup: progress notes, and now and then an evidence
file, through the real services and its own database connection, in a process of its own (as a
server worker would be). Prints each note's id once its transaction has committed; stops when the
file named by its argument appears.

    python -m tests.ops.writer STOP_FILE
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(stop_file: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile

    from zhenggai.ledger.access import Action, can, tasks_for
    from zhenggai.ledger.services.progress import add_evidence, add_note
    from zhenggai.org.models import User

    user = User.objects.get(username="unit1")
    task = next(t for t in tasks_for(user).order_by("pk") if can(user, Action.ADD_PROGRESS, t))
    for number in range(20_000):
        if stop_file.exists():
            break
        note = add_note(task, actor=user, text=f"备份期间的第{number}条进展")
        if number % 10 == 0:
            add_evidence(
                task, actor=user, file=ContentFile(f"备份期间的佐证{number}".encode(), name=f"佐证{number}.txt")
            )
        print(note.pk, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
