"""A database trigger refusing UPDATE on ledger_event, so history cannot be rewritten even by raw SQL.

DELETE is refused by the model and queryset only: test-database flushes on SQLite delete rows,
and an inspection with history cannot be deleted anyway (its events PROTECT it).
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER ledger_event_no_update BEFORE UPDATE ON ledger_event
BEGIN SELECT RAISE(ABORT, 'ledger_event is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS ledger_event_no_update;"

POSTGRES_UP = """
CREATE FUNCTION ledger_event_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ledger_event is append-only'; END; $$;
CREATE TRIGGER ledger_event_no_update BEFORE UPDATE ON ledger_event
FOR EACH ROW EXECUTE FUNCTION ledger_event_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS ledger_event_no_update ON ledger_event;
DROP FUNCTION IF EXISTS ledger_event_refuse_update();
"""


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
