"""The full-text search index, in each database's own terms (see zhenggai.public.search).

SQLite: two FTS5 tables without content of their own (trigram; letters and letter pairs).
PostgreSQL: the pg_trgm extension, a GIN trigram index on the live revisions' text, and a table of
characters and pairs with a GIN index. The trigram index is created only when this database's
locale lets pg_trgm read Chinese (C.UTF-8); elsewhere searches scan, and system check public.W001
says so. The statements are written out here so that this migration never changes after the fact.
"""

from django.db import migrations, transaction

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_search_trigram USING fts5(body, content='', tokenize='trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_search_grams USING fts5(grams, content='', detail='none')",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS public_search_trigram", "DROP TABLE IF EXISTS public_search_grams")
POSTGRES_GRAMS = (
    "CREATE TABLE IF NOT EXISTS public_search_grams (seq bigint PRIMARY KEY, grams text[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS public_search_grams_gin ON public_search_grams USING gin (grams)",
)
POSTGRES_TRIGRAM = (
    "CREATE INDEX IF NOT EXISTS public_revision_body_trgm ON public_revision "
    "USING gin (body_text gin_trgm_ops) WHERE live"
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS public_revision_body_trgm", "DROP TABLE IF EXISTS public_search_grams")


def _trigram_reads_chinese(connection) -> bool:
    """Install pg_trgm if allowed and try it on Chinese; False when either fails (locale C, no rights)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("SELECT coalesce(array_length(show_trgm('巡察整改'), 1), 0)")
            return cursor.fetchone()[0] > 0
    except Exception:
        return False


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif connection.vendor == "postgresql":
        for statement in POSTGRES_GRAMS:
            schema_editor.execute(statement)
        if _trigram_reads_chinese(connection):
            schema_editor.execute(POSTGRES_TRIGRAM)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, ()):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
