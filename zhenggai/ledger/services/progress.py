"""Record progress on a task: notes in the unit's words and evidence files (佐证材料)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction

from zhenggai.ingest.archive import ArchiveRejected, defaults, inspect_archive
from zhenggai.ingest.errors import IngestError
from zhenggai.ledger import filetypes
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Evidence, Finding, ProgressNote, Task

NOTE_MAX = 5000


def _inspection_id(task: Task) -> int:
    return Finding.objects.values_list("inspection_id", flat=True).get(pk=task.finding_id)


@retrying
def add_note(task: Task, *, actor: Any, text: str) -> ProgressNote:
    """Append a progress note; notes are never edited, a correction is a new note."""
    require(actor, Action.ADD_PROGRESS, task)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请填写进展情况", errors={"text": ["请填写进展情况"]})
    if len(text) > NOTE_MAX:
        raise ValidationFailed(f"进展情况不超过{NOTE_MAX}字", errors={"text": [f"不超过{NOTE_MAX}字"]})
    with transaction.atomic():
        note = ProgressNote.objects.create(task=task, author=actor, text=text)
        record(
            actor=actor,
            action="note_added",
            obj=note,
            inspection=_inspection_id(task),
            after={"task": task.pk, "text": text},
        )
    return note


@retrying
def add_evidence(task: Task, *, actor: Any, file: File, name: str | None = None) -> Evidence:
    """Store an evidence file for a task, checked for size and type, identified by its SHA-256.

    `file` is an uploaded file or any Django File; `name` overrides its name. The stored content
    type comes from the file's first bytes, never from the client; content that contradicts the
    extension is refused, and an archive (zip, docx, xlsx, ofd) must pass the archive guard. The
    same file uploaded twice to one task is refused rather than stored twice.
    """
    require(actor, Action.ADD_PROGRESS, task)
    original = PurePath(name or file.name or "").name[:255]
    extension = PurePath(original).suffix.lower().lstrip(".")
    limit = settings.ZHENGGAI_EVIDENCE_MAX_BYTES
    if not original or extension not in settings.ZHENGGAI_EVIDENCE_EXTENSIONS:
        allowed = "、".join(settings.ZHENGGAI_EVIDENCE_EXTENSIONS)
        raise ValidationFailed(f"不支持该文件类型，可上传：{allowed}", errors={"file": ["文件类型不支持"]})
    if file.size is None or file.size > limit:
        raise ValidationFailed(f"文件超过{limit // (1024 * 1024)}MB上限", errors={"file": ["文件过大"]})
    if file.size == 0:
        raise ValidationFailed("文件为空", errors={"file": ["文件为空"]})

    kind = _content_type(file, original, extension)

    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    if Evidence.objects.filter(task=task, sha256=sha256).exists():
        raise ValidationFailed("该文件已作为本任务的佐证材料上传过", errors={"file": ["重复上传"]})

    evidence = Evidence(
        task=task,
        original_name=original,
        size=file.size,
        sha256=sha256,
        content_type=kind,
        uploaded_by=actor,
    )
    file.seek(0)
    evidence.file.save(original, file, save=False)
    try:
        with transaction.atomic():
            evidence.save()
            record(
                actor=actor,
                action="evidence_added",
                obj=evidence,
                inspection=_inspection_id(task),
                after={"task": task.pk, "name": original, "size": file.size, "sha256": sha256},
            )
    except Exception:
        evidence.file.delete(save=False)  # no row, so no file either
        raise
    return evidence


def _content_type(file: File, original: str, extension: str) -> str:
    """The type of the file from its content, after the archive guard for anything zip-based."""
    file.seek(0)
    head = file.read(filetypes.HEAD_BYTES)
    members: tuple[str, ...] = ()
    if filetypes.family_of(head) == "zip":
        try:
            members = inspect_archive(file, replace(defaults(), max_depth=3), name=original).names
        except ArchiveRejected as error:
            raise ValidationFailed(error.message, errors={"file": [error.message]}) from None
        except IngestError:
            raise ValidationFailed(
                f"文件“{original}”是损坏的压缩文件,无法接收", errors={"file": ["压缩文件已损坏"]}
            ) from None
    try:
        return filetypes.content_type(extension, head, members)
    except filetypes.ContentMismatch as error:
        raise ValidationFailed(error.message, errors={"file": [error.message]}) from None
