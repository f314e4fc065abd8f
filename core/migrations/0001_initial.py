from django.db import migrations, models


class Migration(migrations.Migration):
    """Sequence moves from the app that became `jobs` into the kernel; its table stays."""

    initial = True

    dependencies = [("crm", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Sequence",
                    fields=[
                        ("key", models.CharField(max_length=50, primary_key=True, serialize=False)),
                        ("value", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "crm_sequence"},
                ),
            ],
            database_operations=[],
        ),
    ]
