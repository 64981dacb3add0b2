"""The default taxonomies (六大建设 as the default, 三个聚焦) for the office to start from and edit."""

from django.db import migrations


def create(apps, schema_editor):
    from zhenggai.oversight.analysis.taxonomies import DEFAULT_TAXONOMIES

    Taxonomy = apps.get_model("oversight", "Taxonomy")
    Category = apps.get_model("oversight", "Category")
    for position, data in enumerate(DEFAULT_TAXONOMIES):
        if Taxonomy.objects.filter(name=data["name"]).exists():
            continue
        taxonomy = Taxonomy.objects.create(
            name=data["name"], description=data["description"], is_default=position == 0, position=position
        )
        Category.objects.bulk_create(
            Category(taxonomy=taxonomy, code=c["code"], name=c["name"], keywords=c["keywords"], position=i)
            for i, c in enumerate(data["categories"])
        )


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
