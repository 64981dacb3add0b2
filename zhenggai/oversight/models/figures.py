"""Per-inspection counts kept ready for the overview of a province's rounds.

Counting hundreds of thousands of findings and tasks on every page view is too slow; these rows
are recounted after every transaction that wrote an event of the inspection's history (see
`signals` and `services.figures.touch`), and all of them by `zhenggai analyze refresh` (run
nightly with the reminders). Lights depend on the day, so only the open tasks' deadlines are kept
(`OpenDeadline`): the lights are counted from those few rows at view time.
"""

from __future__ import annotations

from django.db import models

from zhenggai.ledger.models import Inspection, Round
from zhenggai.org.models import Committee, InspectionTeam, Unit

COUNTS = (
    "findings",
    "leaves",
    "completed",
    "basically",
    "in_progress",
    "long_term",
    "not_done",
    "unreported",
    "tasks",
    "closed",
    "requested",
)


class InspectionFigures(models.Model):
    """The counts of one inspection (denormalised round, unit, team, committee for grouping)."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, primary_key=True, related_name="oversight_figures"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(InspectionTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    findings = models.PositiveIntegerField(default=0)
    leaves = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    basically = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    long_term = models.PositiveIntegerField(default=0)
    not_done = models.PositiveIntegerField(default=0)
    unreported = models.PositiveIntegerField(default=0)
    tasks = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    requested = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "巡察统计"
        verbose_name_plural = "巡察统计"
        indexes = (models.Index(fields=["round"], name="figures_round_idx"),)


class OpenDeadline(models.Model):
    """How many open tasks of an inspection fall due on one day (round and committee kept for grouping)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField()
    tasks = models.PositiveIntegerField()

    class Meta:
        verbose_name = "未销号任务时限"
        verbose_name_plural = "未销号任务时限"
        constraints = (models.UniqueConstraint(fields=["inspection", "deadline"], name="open_deadline_unique"),)
        indexes = (
            models.Index(fields=["deadline", "round", "tasks"], name="open_deadline_idx"),
            models.Index(fields=["round", "deadline", "tasks"], name="open_deadline_round_idx"),
        )
