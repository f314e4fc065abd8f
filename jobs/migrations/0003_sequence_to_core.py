from django.db import migrations


class Migration(migrations.Migration):
    """Sequence now belongs to `core` (core.0001 takes over its state); its table stays."""

    dependencies = [("crm", "0002_jobrun"), ("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Sequence")],
            database_operations=[],
        ),
    ]
