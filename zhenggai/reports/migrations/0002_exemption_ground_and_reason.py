"""Exemptions name one of the five recognised grounds and carry a reason.

The old `reason` choice becomes `ground` and the old free `note` becomes the required `reason`.
Two old choices map one-to-one (state secrets, cases); "易被炒作的敏感事项" is the negative-hype
ground; "领导小组决定豁免" is no ground of its own and becomes "其他重大敏感事项". An old row with
no note gets a reason that says so, so the reviewer sees it was proposed before reasons were asked.
"""

from django.db import migrations, models

OLD_TO_NEW = {"sensitive": "negative_hype", "exempted": "other"}
NO_REASON = "(旧记录:提出时未要求填写理由)"


def forwards(apps, schema_editor):
    Exemption = apps.get_model("reports", "Exemption")
    for exemption in Exemption.objects.all():
        exemption.ground = OLD_TO_NEW.get(exemption.ground, exemption.ground)
        exemption.reason = exemption.reason.strip() or NO_REASON
        exemption.save(update_fields=["ground", "reason"])


def backwards(apps, schema_editor):
    Exemption = apps.get_model("reports", "Exemption")
    new_to_old = {"negative_hype": "sensitive", "other": "exempted", "mass_petition": "sensitive"}
    for exemption in Exemption.objects.all():
        exemption.ground = new_to_old.get(exemption.ground, exemption.ground)
        exemption.reason = "" if exemption.reason == NO_REASON else exemption.reason
        exemption.save(update_fields=["ground", "reason"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RenameField("exemption", "reason", "ground"),
        migrations.RenameField("exemption", "note", "reason"),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="exemption",
            name="ground",
            field=models.CharField(
                choices=[
                    ("state_secret", "涉及国家秘密"),
                    ("case", "涉及正在核查或尚未公开的案件"),
                    ("negative_hype", "可能引发负面炒作"),
                    ("mass_petition", "可能引发群体性上访"),
                    ("other", "其他重大敏感事项"),
                ],
                max_length=16,
                verbose_name="不予公开依据",
            ),
        ),
        migrations.AlterField(model_name="exemption", name="reason", field=models.TextField(verbose_name="理由")),
    ]
