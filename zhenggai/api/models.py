"""API tokens: only the SHA-256 of a token is stored, so a leaked database holds no usable credential."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EndReason(models.TextChoices):
    """Why a token ended before its expiry."""

    REVOKED = "revoked", "已吊销"
    PASSWORD_CHANGED = "password", "密码已更改"
    DEACTIVATED = "deactivated", "账号已停用"
    ROLE_CHANGED = "role", "角色已变更"


class ApiToken(models.Model):
    """ApiToken — API 令牌 for `Authorization: Bearer …`; shown once when created, never deleted.

    A token works until it expires or is ended: revoked by its owner or the office, or ended with
    the credentials it was issued under (password change, deactivation, role change)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("失效原因", max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ("user_id", "created_at", "id")
        indexes = (models.Index(fields=["user"], condition=Q(revoked_at__isnull=True), name="apitoken_active_idx"),)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or '-'})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """The token's state in words, for lists."""
        if self.revoked:
            return EndReason(self.revoked_reason or EndReason.REVOKED).label
        return "已过期" if self.expired else "有效"
