"""Tasks (the measures) with their responsibility, progress notes, evidence and closure requests."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhenggai.ledger.models.choices import Closure, Decision, Status, TaskKind
from zhenggai.ledger.models.inspection import Finding


class Task(models.Model):
    """Task — 整改任务, one measure for a specific problem, with its responsibility (责任清单) columns.

    `status` and `closure` change only through `zhenggai.ledger.workflow.transition`;
    `version` grows with every edit so a second editor working from an old page is told.
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="tasks", verbose_name="具体问题")
    position = models.PositiveIntegerField("序号")
    text = models.TextField("整改措施")
    status = models.CharField("整改状态", max_length=8, choices=Status.choices, default=Status.NOT_DONE)
    closure = models.CharField("销号状态", max_length=16, choices=Closure.choices, default=Closure.OPEN)
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True)
    department = models.CharField("责任科室", max_length=100, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="责任人",
    )
    handler_name = models.CharField(
        "责任人姓名", max_length=50, blank=True, help_text="导入的台账中写明的责任人,尚未对应到系统用户时保留原文"
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    kind = models.CharField("任务类型", max_length=16, choices=TaskKind.choices, null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ("finding_id", "position")
        indexes = (
            models.Index(fields=["handler", "closure"], name="task_handler_idx"),
            models.Index(fields=["deadline", "closure"], name="task_deadline_idx"),
            # Covers the figures' counts (closed, waiting, lights by deadline) per problem without reading
            # the wide task rows; id is a key column so PostgreSQL can answer COUNT(id) from the index alone.
            models.Index(fields=["finding", "closure", "deadline", "id"], name="task_figures_idx"),
        )

    def __str__(self) -> str:
        return self.text[:40]


class ProgressNote(models.Model):
    """ProgressNote — 整改进展, what was done, in the unit's words."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("进展情况")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ("created_at", "id")


def evidence_path(instance: Evidence, filename: str) -> str:
    """Store under evidence/<inspection>/ with a random name: the original name is kept in a field.

    A random stored name means a user-chosen name can never collide, traverse or be guessed.
    """
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.task.finding.inspection_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """Evidence — 佐证材料, a file showing what was done; identified by its SHA-256."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ("created_at", "id")
        constraints = (models.UniqueConstraint(fields=["task", "sha256"], name="evidence_unique_per_task"),)

    def __str__(self) -> str:
        return self.original_name


class ClosureRequest(models.Model):
    """ClosureRequest — 销号申请, a unit's request to close a task and the office's decision on it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="closure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("申请说明", blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="closure_requests")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField("审核结果", max_length=16, choices=Decision.choices, blank=True)
    reason = models.TextField("退回理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "销号申请"
        verbose_name_plural = "销号申请"
        ordering = ("created_at", "id")
        constraints = (
            # At most one request waiting for a decision per task.
            models.UniqueConstraint(fields=["task"], condition=Q(decision=""), name="closure_one_pending_per_task"),
            models.CheckConstraint(
                condition=~Q(decision=Decision.RETURNED) | ~Q(reason=""), name="closure_return_has_reason"
            ),
        )
