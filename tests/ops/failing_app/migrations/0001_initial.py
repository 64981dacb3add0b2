"""A migration that fails, for `zhenggai upgrade`'s way back (tests.ops.failing_settings only)."""

from django.db import migrations


def fail(apps, schema_editor):
    raise RuntimeError("模拟的迁移失败")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(fail, migrations.RunPython.noop)]
