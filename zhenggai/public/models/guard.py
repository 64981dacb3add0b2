"""What protects the opinion form without external services: counters and used challenges, in the
database so that every server process sees the same numbers."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Attempts for one key (an address, a receipt) within one fixed time window."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["key", "window_start"], name="public_rate_unique_window"),)
        indexes = (models.Index(fields=["window_start"], name="public_rate_window_idx"),)


class ChallengeUse(models.Model):
    """A challenge answered once; its nonce may never be answered again."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(db_index=True)
