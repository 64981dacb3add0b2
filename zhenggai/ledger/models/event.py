"""The append-only history of every change: who, when, what, before and after."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from zhenggai.ledger.models.inspection import Inspection


class AppendOnly(Exception):
    """Raised when code tries to rewrite or erase history."""


class EventQuerySet(models.QuerySet):
    """Bulk update and delete would bypass the model guard, so they are refused too."""

    def update(self, **kwargs):
        raise AppendOnly("ledger events are append-only")

    def delete(self):
        raise AppendOnly("ledger events are append-only")

    def _raw_delete(self, using):
        raise AppendOnly("ledger events are append-only")


class Event(models.Model):
    """Event — 操作记录. Written once, in the same transaction as the change it records; never edited.

    The foreign keys PROTECT: a user or an inspection with history cannot be deleted, only
    deactivated, so the history always says who did what to which ledger.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ("at", "id")
        indexes = (
            models.Index(fields=["object_type", "object_id", "at"], name="event_object_idx"),
            models.Index(fields=["inspection", "at"], name="event_inspection_idx"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("ledger events are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger events are append-only")
