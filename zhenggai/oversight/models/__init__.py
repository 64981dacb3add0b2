"""Oversight models, one module per concern; import them from here."""

from zhenggai.oversight.models.figures import InspectionFigures, OpenDeadline
from zhenggai.oversight.models.notification import Notification, Recipient, ReminderPolicy, UnitHead
from zhenggai.oversight.models.taxonomy import Category, FindingCategory, Taxonomy

__all__ = [
    "Category",
    "FindingCategory",
    "InspectionFigures",
    "Notification",
    "OpenDeadline",
    "Recipient",
    "ReminderPolicy",
    "Taxonomy",
    "UnitHead",
]
