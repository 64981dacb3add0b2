"""The history is append-only: rows are written once and never changed or removed."""

import pytest
from django.db import DatabaseError, connection, transaction

from zhenggai.ledger.models import AppendOnly, Event


@pytest.fixture
def event(make_inspection):
    make_inspection()
    return Event.objects.get(action="imported")


def test_import_is_recorded_with_actor_and_counts(event, office):
    assert event.actor == office
    assert event.after == {"source": "qingxi-shuili.txt", "findings": 8, "tasks": 7}


def test_an_event_cannot_be_saved_again(event):
    event.action = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnly):
        event.delete()


def test_querysets_cannot_update_or_delete_events(event):
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).action == "imported"


def test_the_database_refuses_updates_too(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_event SET action = %s WHERE id = %s", ["rewritten", event.pk])
    assert Event.objects.get(pk=event.pk).action == "imported"
