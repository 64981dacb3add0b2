"""PostgreSQL: keep the revisions' text compressed with lz4 and inline where it fits (STORAGE MAIN).

Search reads the text of many reports per query (the newest-first window, the trigram rechecks);
with the default pglz, decompression is most of that time, and out-of-line TOAST adds a lookup per
report. lz4 needs PostgreSQL 14 built with it (Debian's is); elsewhere this step is skipped.
"""

from django.db import migrations, transaction

STATEMENTS = (
    "ALTER TABLE public_revision ALTER COLUMN body_text SET COMPRESSION lz4",
    "ALTER TABLE public_revision ALTER COLUMN body_text SET STORAGE MAIN",
)


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for statement in STATEMENTS:
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(statement)
        except Exception:  # an older server or one built without lz4 keeps its defaults
            continue


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE public_revision ALTER COLUMN body_text SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("public", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
