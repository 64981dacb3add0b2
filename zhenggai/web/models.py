"""The web app's own state: login throttling and import drafts awaiting confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LoginFailure(models.Model):
    """One failed login (username as typed, lower-cased; the caller's address), kept for the throttle window.

    Rows rather than counters, so one table answers all three limits — per address, per username
    and overall — and a refused attempt writes nothing.
    """

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        indexes = (
            models.Index(fields=["ip", "at"], name="login_failure_ip_idx"),
            models.Index(fields=["username", "at"], name="login_failure_user_idx"),
        )

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M:%S}"


class ImportDraft(models.Model):
    """ImportDraft — 导入预览: a parsed document the importer may correct before it becomes a ledger.

    The source bytes are kept so the import recognises a re-upload of the same file.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("ledger.Round", on_delete=models.CASCADE, related_name="+", verbose_name="轮次")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="被巡察单位"
    )
    filename = models.CharField("文件名", max_length=255)
    source = models.BinaryField()
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "导入预览"
        verbose_name_plural = "导入预览"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.filename
