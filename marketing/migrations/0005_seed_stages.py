"""The four default stages; every developing opportunity starts in the first one."""

from django.db import migrations
from django.db.models import F

DEFAULT_STAGES = (("初步接触", 10), ("需求分析", 30), ("方案提供", 60), ("谈判合同", 80))


def seed(apps, schema_editor):
    Stage = apps.get_model("marketing", "Stage")
    SalesChance = apps.get_model("marketing", "SalesChance")
    db = schema_editor.connection.alias
    if not Stage.objects.using(db).exists():
        Stage.objects.using(db).bulk_create(
            Stage(name=name, order=order, probability=probability)
            for order, (name, probability) in enumerate(DEFAULT_STAGES, 1)
        )
    first = Stage.objects.using(db).order_by("order", "id").first()
    SalesChance.objects.using(db).filter(status=2, stage__isnull=True).update(
        stage=first, stage_changed_at=F("assigned_at")
    )


class Migration(migrations.Migration):
    dependencies = [("marketing", "0004_stages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
