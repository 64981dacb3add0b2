"""Open deadlines keep their round and committee, so the overview sums them without joins.

The stored counts are derived data: they are emptied here and refilled on the next page view
(`services.figures.ensure`) or by `zhenggai analyze refresh`.
"""

import django.db.models.deletion
from django.db import migrations, models


def clear(apps, schema_editor):
    apps.get_model("oversight", "OpenDeadline").objects.all().delete()
    apps.get_model("oversight", "InspectionFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_ordering_by_column"),
        ("org", "0002_ordering_by_column"),
        ("oversight", "0002_default_taxonomies"),
    ]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="opendeadline", name="open_deadline_idx"),
        migrations.AddField(
            model_name="opendeadline",
            name="round",
            field=models.ForeignKey(
                default=1, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.round"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="opendeadline",
            name="committee",
            field=models.ForeignKey(
                default=1, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="org.committee"
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="opendeadline",
            index=models.Index(fields=["deadline", "round", "tasks"], name="open_deadline_idx"),
        ),
        migrations.AddIndex(
            model_name="opendeadline",
            index=models.Index(fields=["round", "deadline", "tasks"], name="open_deadline_round_idx"),
        ),
    ]
