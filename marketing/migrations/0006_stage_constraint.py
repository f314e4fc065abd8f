from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("marketing", "0005_seed_stages")]

    operations = [
        migrations.AddConstraint(
            model_name="saleschance",
            constraint=models.CheckConstraint(
                condition=models.Q(status=2, stage__isnull=False)
                | (~models.Q(status=2) & models.Q(stage__isnull=True)),
                name="chance_stage_iff_developing",
            ),
        ),
    ]
